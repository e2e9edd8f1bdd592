"""The fast paths of the target import give the same results as the plain one.

* the per-row fast parser returns exactly what parse() returns, or None (then parse() reports the error);
* a worker process that reads and parses a large file: same report, same rows, same audit;
* the bulk path (secondary indexes dropped and rebuilt in the transaction): the same indexes afterwards,
  and after a failed import too; on both databases (run the suite with and without DATABASE_URL).
"""

import itertools
import random
import threading

import pytest
from django.db import connection
from openpyxl import Workbook

from fairspot.audit.models import AuditEntry
from fairspot.core import bulkdb, importing, parse_worker
from fairspot.core.bulkdb import secondary_indexes
from fairspot.core.importing import _cell_values, _RowParser
from fairspot.core.parse_worker import WorkerFailed
from fairspot.directory import import_writing, importers
from fairspot.directory.importers import TargetImporter
from fairspot.directory.models import SpecialLibrary, Target
from fairspot.testing.directory import FULL_HEADER, full_row, uscc, write_full_csv

pytestmark = pytest.mark.django_db

TABLE = Target._meta.db_table


@pytest.fixture
def libraries(departments):
    return [
        SpecialLibrary.objects.create(code="TZSB", name="特种设备使用单位", department=departments["market"]),
        SpecialLibrary.objects.create(code="CYFW", name="餐饮服务单位", department=departments["market"]),
    ]


# Cell values that are valid, need normalising, or are wrong in some way, per column.
TRICKY = {
    "统一社会信用代码": [
        lambda: uscc(),
        lambda: uscc().lower(),
        lambda: "".join(chr(ord(c) + 0xFEE0) for c in uscc()) + "\u3000",
        lambda: uscc()[:-1] + "I",
        lambda: uscc()[:17],
        lambda: "'" + uscc(),
        lambda: "PRJ-" + str(random.randint(1, 10**9)),
        lambda: "-bad",
        lambda: "=1+2",
    ],
    "名称": ["", '=HYPERLINK("x")', "'=1+2 商行", "-5", "x" * 200, "x" * 201, "@x", "'x", "名"],
    "主体类型": ["企业", "个体", "ENTERPRISE", "项目", "产品", "外星企业", "", "+企业"],
    "行业代码": ["", "3841", "c", "C", "99", "Z9", "38", "=38"],
    "所属区域": ["", "振中街道", "南马庄社区居民委员会", "410771360", "火星街道", "'振中街道"],
    "登记机关": ["", "机关", "y" * 100, "y" * 101, "+机关"],
    "住所": ["", "住所", "z" * 255, "z" * 256, "@住所", "'-5"],
    "法定代表人": ["", "梁鑫", "w" * 101, "-梁鑫", "+86 10 1234"],
    "登记状态": ["", "存续", "ACTIVE", "注销", "歇业", "=存续"],
    "成立日期": [
        "",
        "2015-03-02",
        "2015/03/02",
        "20150302",
        "2015年3月2日",
        "2015-03-02 10:00:00",
        "2021-02-30",
        "2099-01-01",
        "去年",
        "-2015",
    ],
    "信用风险分类": ["", "A", "b", "低风险", "E", "'A"],
    "经营异常": ["", "否", "是", "TRUE", "maybe", "-1"],
    "标签": ["", "四上企业", "a；b;c,d，e、f", "t" * 256, "=tag", " ；；"],
    "专项库": ["", "特种设备使用单位", "TZSB,CYFW", "餐饮服务单位；餐饮服务单位", "不存在的库", "=TZSB"],
    "维护部门": ["", "SCJG", "XFJY", "市场监管", "不存在部门", "@SCJG"],
}


def tricky_rows(count: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    random.seed(seed)
    rows = []
    for _ in range(count):
        cells = full_row()
        for column in rng.sample(FULL_HEADER, rng.randint(0, 3)):
            choice = rng.choice(TRICKY[column])
            cells[FULL_HEADER.index(column)] = choice() if callable(choice) else choice
        rows.append(cells)
    return rows


def importer_for(header, actor=None, department=None, **options):
    importer = TargetImporter(
        actor=actor, options={"department_id": department.pk if department else None, **options}
    )
    mapping = importing.map_columns(header, importer.columns)
    importer.bind_columns(set(mapping.index))
    return importer, mapping.index


def report_view(report):
    return (
        report.ok,
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.error_count,
        [(e.row, e.column, e.message) for e in report.errors],
        list(report.warnings),
    )


def snapshot():
    fields = [f for f in importers.DB_FIELDS if f != "established_on"] + ["established_on"]
    rows = list(Target.objects.order_by("identifier").values_list(*fields))
    links = sorted(Target.libraries.through.objects.values_list("target__identifier", "speciallibrary__code"))
    return rows, links


def indexes_now():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return constraints, secondary_indexes(TABLE)


# --- the fast parser ---------------------------------------------------------------------------


@pytest.mark.parametrize("header", [FULL_HEADER, FULL_HEADER[:13], [*FULL_HEADER[:3], "维护部门"]])
@pytest.mark.parametrize("as_fire_admin", [False, True])
def test_fast_parser_returns_what_parse_returns_or_nothing(
    departments, libraries, fire_admin, header, as_fire_admin
):
    actor = fire_admin if as_fire_admin else None
    importer, index = importer_for(header, actor=actor, department=None if actor else departments["market"])
    labels = dict.fromkeys(index, "x")
    fast = importer.fast_parser(index, len(header))
    items = list(index.items())
    accepted = 0
    for cells in tricky_rows(3000):
        cells = [cells[FULL_HEADER.index(h)] for h in header]
        ctx = importing.RowContext(None, 2, labels)
        expected = importer.parse(_cell_values(list(cells), items, ctx), ctx)
        if ctx.failed:
            expected = None
        got = fast(list(cells))
        if got is not None:
            accepted += 1
            assert got == expected, cells
            assert all(type(v) in (str, int, bool, type(None)) for v in got[0]), got
    assert accepted > 300  # plain rows do take the fast path


def test_fast_and_slow_paths_store_the_same_values(tmp_path, departments, libraries, monkeypatch):
    rows = [
        full_row(专项库="TZSB,CYFW", 成立日期="2015/03/02"),
        full_row(
            统一社会信用代码=uscc().lower(), 行业代码="c", 登记状态="", 经营异常="TRUE", 维护部门="XFJY"
        ),
        full_row(主体类型="项目", 统一社会信用代码="PRJ-1", 所属区域="南马庄社区居民委员会", 标签="a；b;c"),
        full_row(
            统一社会信用代码="".join(chr(ord(c) + 0xFEE0) for c in uscc()), 成立日期="", 信用风险分类=""
        ),
    ]
    path = write_full_csv(tmp_path / "a.csv", rows)
    assert TargetImporter(actor=None, options={"department_id": departments["market"].pk}).run(path).ok
    fast = snapshot()
    Target.objects.all().delete()
    monkeypatch.setattr(TargetImporter, "fast_parser", lambda self, index, width: None)
    assert TargetImporter(actor=None, options={"department_id": departments["market"].pk}).run(path).ok
    assert snapshot() == fast


# --- parsing in a worker process ------------------------------------------------------------------


def run(path, *, department=None, actor=None, **options):
    opts = {"department_id": department.pk} if department else {}
    return TargetImporter(actor=actor, options=opts | options).run(path)


@pytest.mark.parametrize("seed", [1, 2])
def test_worker_reports_every_bad_row_like_in_process(tmp_path, departments, libraries, monkeypatch, seed):
    monkeypatch.setattr(parse_worker, "CHUNK_ROWS", 7)  # many chunks, a full queue
    monkeypatch.setattr(importing, "MAX_REPORTED_ERRORS", 40)
    rows = tricky_rows(400, seed)
    rows.insert(50, list(rows[10]))  # a duplicate key
    rows.insert(60, [*full_row(), "extra"])
    rows.insert(70, [""] * len(FULL_HEADER))
    path = write_full_csv(tmp_path / "bad.csv", rows)
    in_process = run(path, department=departments["market"], parallel=False)
    in_worker = run(path, department=departments["market"], parallel=True)
    assert not in_process.ok and in_process.error_count > 40
    assert report_view(in_worker) == report_view(in_process)
    assert Target.objects.count() == 0


def test_worker_import_writes_the_same_rows_and_audit(tmp_path, departments, libraries, monkeypatch):
    monkeypatch.setattr(parse_worker, "CHUNK_ROWS", 5)
    rows = [
        full_row(专项库=lib, 成立日期=day)
        for lib, day in itertools.product(["", "TZSB", "CYFW；TZSB"], ["", "2015-03-02", "2015年3月2日"])
    ]
    path = write_full_csv(tmp_path / "a.csv", rows)
    report = run(path, department=departments["market"], parallel=True)
    assert report.ok and report.created == len(rows)
    written = snapshot()
    assert len(written[1]) == 9  # memberships
    # The in-process import finds every row unchanged: the worker parsed them the same way.
    again = run(path, department=departments["market"], parallel=False)
    assert (again.unchanged, again.updated, again.created) == (len(rows), 0, 0)
    changed = [
        full_row(**dict(zip(FULL_HEADER, r, strict=True)) | {"专项库": "CYFW", "名称": "新名称"})
        for r in rows
    ]
    report = run(write_full_csv(tmp_path / "b.csv", changed), department=departments["market"], parallel=True)
    assert report.ok and report.updated == len(rows)
    assert set(Target.objects.values_list("name", flat=True)) == {"新名称"}
    assert Target.libraries.through.objects.count() == len(rows)
    entries = AuditEntry.objects.filter(action="directory.target.changed")
    assert entries.count() == len(rows)
    assert all(e.changes["name"] == ["新乡测试科技有限公司", "新名称"] for e in entries)


def test_worker_passes_on_a_damaged_row_after_the_rows_before_it(tmp_path, departments):
    rows = [full_row(成立日期="去年"), *(full_row() for _ in range(400))]  # beyond the sniffed 64 KB
    path = write_full_csv(tmp_path / "a.csv", rows)
    with path.open("ab") as handle:
        handle.write(b"\xff\xfe bad bytes,\r\n")
    in_process = run(path, department=departments["market"], parallel=False)
    in_worker = run(path, department=departments["market"], parallel=True)
    assert [e.row for e in in_process.errors] == [2, 403]
    assert report_view(in_worker) == report_view(in_process)


@pytest.mark.parametrize("parallel", [False, True])
def test_failed_import_counts_batches_as_before(tmp_path, departments, monkeypatch, parallel):
    """Rows are written 2,000 (here 10) at a time while the file is good, whatever the statements."""
    monkeypatch.setattr(importing, "BATCH_SIZE", 10)
    monkeypatch.setattr(import_writing, "BULK_BATCH_SIZE", 25)
    rows = [*(full_row() for _ in range(45)), full_row(名称=""), *(full_row() for _ in range(10))]
    report = run(
        write_full_csv(tmp_path / "a.csv", rows),
        department=departments["market"],
        parallel=parallel,
        bulk=True,
    )
    assert (report.ok, report.created, [e.row for e in report.errors]) == (False, 40, [47])
    assert Target.objects.count() == 0


def test_xlsx_in_a_worker(tmp_path, departments):
    book = Workbook()
    sheet = book.active
    sheet.append(FULL_HEADER)
    for cells in tricky_rows(300, seed=3):
        sheet.append(cells)
    book.save(tmp_path / "t.xlsx")
    in_process = run(tmp_path / "t.xlsx", department=departments["market"], parallel=False)
    assert in_process.error_count > 10
    assert report_view(run(tmp_path / "t.xlsx", department=departments["market"], parallel=True)) == (
        report_view(in_process)
    )
    good = Workbook()
    good.active.append(FULL_HEADER)
    for _ in range(30):
        good.active.append(full_row(成立日期="2016-06-25"))
    good.save(tmp_path / "g.xlsx")
    report = run(tmp_path / "g.xlsx", department=departments["market"], parallel=True)
    assert report.ok and report.created == 30


def test_department_admin_in_a_worker(tmp_path, departments, fire_admin):
    path = write_full_csv(
        tmp_path / "a.csv", [full_row(), full_row(维护部门="SCJG"), full_row(维护部门="XFJY")]
    )
    in_process = run(path, actor=fire_admin, parallel=False)
    assert [e.row for e in in_process.errors] == [3]
    assert report_view(run(path, actor=fire_admin, parallel=True)) == report_view(in_process)


class _QueryingImporter(TargetImporter):
    def fast_parser(self, index, width):
        def fast(cells):
            Target.objects.exists()  # not allowed in the worker

        return fast


def test_a_worker_may_not_use_the_database(tmp_path, departments):
    path = write_full_csv(tmp_path / "a.csv", [full_row()])
    importer = _QueryingImporter(
        actor=None, options={"department_id": departments["market"].pk, "parallel": True}
    )
    with pytest.raises(WorkerFailed, match="must not use the database"):
        importer.run(path)
    assert Target.objects.count() == 0
    assert TargetImporter(actor=None, options={"department_id": departments["market"].pk}).run(path).ok


def test_only_large_files_in_a_single_threaded_main_thread_use_a_worker(departments, monkeypatch):
    importer = TargetImporter(actor=None, options={})
    importer.file_size = importing.PARALLEL_MIN_BYTES
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert importer._parse_in_worker()
    importer.file_size -= 1
    assert not importer._parse_in_worker()
    importer.file_size += 1
    found = []
    thread = threading.Thread(target=lambda: found.append(importer._parse_in_worker()))
    thread.start()
    thread.join()
    assert found == [False]  # e.g. a web job
    assert not TargetImporter(actor=None, options={"parallel": False})._parse_in_worker()
    assert TargetImporter(actor=None, options={"parallel": True})._parse_in_worker()


def test_row_parser_without_fast_path(departments):
    importer, index = importer_for(FULL_HEADER, department=departments["market"])
    importer.fast_parser = lambda index, width: None
    parser = _RowParser(importer, index, len(FULL_HEADER), dict.fromkeys(index, "x"))
    entries = list(parser.entries(iter([(2, full_row()), (3, full_row(名称=""))])))
    assert (
        entries[0][1] is not None
        and entries[1][1] is None
        and entries[1][2] == [("x", "The name is required.")]
    )


# --- the bulk path: secondary indexes dropped and rebuilt -----------------------------------------


@pytest.mark.parametrize("parallel", [False, True])
def test_bulk_import_rebuilds_the_same_indexes(tmp_path, departments, libraries, parallel):
    before = indexes_now()
    assert len(before[1]) >= 4  # updated_at, department, Meta.indexes (+ the trigram and _like on PostgreSQL)
    rows = [full_row(专项库="TZSB" if n % 3 == 0 else "") for n in range(50)]
    report = run(
        write_full_csv(tmp_path / "a.csv", rows),
        department=departments["market"],
        bulk=True,
        parallel=parallel,
    )
    assert report.ok and report.created == 50
    assert indexes_now() == before
    assert Target.libraries.through.objects.count() == 17
    # a second bulk import onto a table with rows: updates, inserts, memberships
    more = [*rows[:10], *(full_row(专项库="CYFW") for _ in range(5))]
    more[0] = full_row(**dict(zip(FULL_HEADER, more[0], strict=True)) | {"专项库": "CYFW", "名称": "改"})
    report = run(
        write_full_csv(tmp_path / "b.csv", more),
        department=departments["market"],
        bulk=True,
        parallel=parallel,
    )
    assert report.ok and (report.created, report.updated, report.unchanged) == (5, 1, 9)
    assert indexes_now() == before
    changed = Target.objects.get(identifier=more[0][0])
    assert changed.name == "改" and list(changed.libraries.values_list("code", flat=True)) == ["CYFW"]


def test_failed_bulk_import_keeps_the_indexes(tmp_path, departments):
    before = indexes_now()
    rows = [full_row(), full_row(), full_row(成立日期="去年")]
    report = run(write_full_csv(tmp_path / "a.csv", rows), department=departments["market"], bulk=True)
    assert not report.ok and Target.objects.count() == 0
    assert indexes_now() == before


def test_bulk_import_after_other_writes_in_the_same_transaction(tmp_path, departments, libraries):
    """Pending deferred foreign-key checks on the table (PostgreSQL) must not stop the index rebuild."""
    old = Target.objects.create(
        identifier=uscc(), name="旧", entity_type="enterprise", department=departments["market"]
    )
    old.libraries.add(libraries[0])
    Target.objects.create(
        identifier=uscc(), name="删", entity_type="enterprise", department=departments["market"]
    ).delete()
    report = run(
        write_full_csv(tmp_path / "a.csv", [full_row()]), department=departments["market"], bulk=True
    )
    assert report.ok and Target.objects.count() == 2


def test_bulk_is_chosen_for_files_much_larger_than_the_table(tmp_path, departments, monkeypatch):
    monkeypatch.setattr(import_writing, "BYTES_PER_ROW", 1)
    path = write_full_csv(tmp_path / "a.csv", [full_row() for _ in range(3)])
    monkeypatch.setattr(import_writing, "BULK_MIN_ROWS", path.stat().st_size)
    before = indexes_now()
    importer = TargetImporter(actor=None, options={"department_id": departments["market"].pk})
    assert importer.run(path).ok
    assert importer._bulk and importer._empty_at_start
    assert indexes_now() == before
    monkeypatch.setattr(import_writing, "BULK_MIN_ROWS", path.stat().st_size + 1)
    importer = TargetImporter(actor=None, options={"department_id": departments["market"].pk})
    assert importer.run(write_full_csv(tmp_path / "b.csv", [full_row()])).ok
    assert not importer._bulk and not importer._empty_at_start


def test_bulk_import_gives_the_session_settings_back(tmp_path, departments):
    """SQLite: the import's larger page cache is reset. PostgreSQL: foreign-key checks are deferred
    again (a bad reference is accepted by the statement and would fail only at commit)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            before = cursor.fetchone()[0]
    importer = TargetImporter(actor=None, options={"department_id": departments["market"].pk, "bulk": True})
    assert importer.run(write_full_csv(tmp_path / "a.csv", [full_row()])).ok
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == before
        else:
            cursor.execute("SAVEPOINT deferred_check")
            cursor.execute(
                "INSERT INTO directory_target (identifier, name, entity_type, industry_code,"
                " industry_section, registration_authority, address, legal_representative, status,"
                " risk_class, abnormal, tags,"
                " department_id, created_at, updated_at) VALUES ('X-1', 'x', 'product', '', '', '', '', '',"
                " 'active', '', false, '', 999999, now(), now())"
            )  # accepted now: the department check waits for commit, as before the import
            cursor.execute("ROLLBACK TO SAVEPOINT deferred_check")


def test_indexes_may_only_be_dropped_inside_a_transaction(monkeypatch):
    monkeypatch.setattr(connection, "get_autocommit", lambda: True)
    before = indexes_now()
    with pytest.raises(RuntimeError, match="inside a transaction"):
        bulkdb.drop_secondary_indexes(TABLE)
    assert indexes_now() == before
