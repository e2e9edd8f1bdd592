"""Importing the target directory: every bad input gives a clear error with its row and writes nothing."""

import io
import os
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from fairspot.audit.models import AuditEntry
from fairspot.directory.importers import TargetImporter
from fairspot.directory.models import RegistrationStatus, Target
from fairspot.testing.directory import HEADER, row, uscc, write_csv

pytestmark = pytest.mark.django_db


def run(path, actor=None, department=None):
    options = {"department_id": department.pk} if department else {}
    return TargetImporter(actor=actor, options=options).run(path)


def assert_nothing_written(before_audit: int = 0):
    assert Target.objects.count() == 0
    assert AuditEntry.objects.count() == before_audit


def only_error(report):
    assert not report.ok
    return report.errors[0]


def test_valid_file_imports_every_row_and_audits_the_import(tmp_path, departments):
    path = write_csv(tmp_path / "t.csv", [row(), row(所属区域="南马庄社区居民委员会"), row(行业代码="C")])
    report = run(path, department=departments["market"])
    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated) == (3, 3, 0)
    community = Target.objects.get(community__isnull=False)
    assert community.township_id == "410771360" and community.community_id == "410771360001"
    assert set(Target.objects.values_list("industry_section", flat=True)) == {"C"}
    entry = AuditEntry.objects.get(action="directory.targets.imported")
    assert entry.data["created"] == 3 and entry.data["sha256"] == report.sha256


def test_reimport_updates_by_key_and_records_what_changed(tmp_path, departments):
    code = uscc()
    run(
        write_csv(tmp_path / "a.csv", [row(统一社会信用代码=code, 名称="旧名称")]),
        department=departments["market"],
    )
    report = run(
        write_csv(tmp_path / "b.csv", [row(统一社会信用代码=code, 名称="新名称", 登记状态="注销")]),
        department=departments["market"],
    )
    assert report.ok and (report.created, report.updated) == (0, 1)
    target = Target.objects.get(identifier=code)
    assert target.name == "新名称" and target.status == RegistrationStatus.CANCELLED
    change = AuditEntry.objects.get(action="directory.target.changed")
    assert change.changes["name"] == ["旧名称", "新名称"]
    assert change.changes["status"] == ["active", "cancelled"]


def test_unchanged_reimport_changes_nothing(tmp_path, departments):
    path = write_csv(tmp_path / "a.csv", [row(), row()])
    run(path, department=departments["market"])
    report = run(path, department=departments["market"])
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert not AuditEntry.objects.filter(action="directory.target.changed").exists()


def test_empty_file(tmp_path, departments):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    err = only_error(run(path, department=departments["market"]))
    assert "empty" in err.message.lower()
    assert_nothing_written()


def test_header_only(tmp_path, departments):
    err = only_error(run(write_csv(tmp_path / "h.csv", []), department=departments["market"]))
    assert "no data rows" in err.message
    assert_nothing_written()


def test_missing_required_column(tmp_path, departments):
    header = [h for h in HEADER if h != "名称"]
    rows = [[v for h, v in zip(HEADER, row(), strict=True) if h != "名称"]]
    err = only_error(
        run(write_csv(tmp_path / "m.csv", rows, header=header), department=departments["market"])
    )
    assert (err.row, err.column) == (1, "名称") and "missing" in err.message
    assert_nothing_written()


def test_unknown_column_warns_but_imports(tmp_path, departments):
    path = write_csv(tmp_path / "u.csv", [[*row(), "x"]], header=[*HEADER, "备注栏"])
    report = run(path, department=departments["market"])
    assert report.ok and report.created == 1
    assert any("备注栏" in w for w in report.warnings)


def test_bad_check_digit_names_row_and_column(tmp_path, departments):
    good = uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    path = write_csv(tmp_path / "c.csv", [row(), row(), row(统一社会信用代码=bad)])
    err = only_error(run(path, department=departments["market"]))
    assert (err.row, err.column) == (4, "统一社会信用代码")
    assert "check" in err.message.lower()
    assert_nothing_written()


def test_every_bad_row_is_reported_not_just_the_first(tmp_path, departments):
    path = write_csv(
        tmp_path / "many.csv", [row(行业代码="99"), row(), row(所属区域="火星街道"), row(成立日期="去年")]
    )
    report = run(path, department=departments["market"])
    assert [(e.row, e.column) for e in report.errors] == [(2, "行业代码"), (4, "所属区域"), (5, "成立日期")]
    assert_nothing_written()


def test_duplicate_key_inside_the_file(tmp_path, departments):
    code = uscc()
    path = write_csv(tmp_path / "d.csv", [row(统一社会信用代码=code), row(), row(统一社会信用代码=code)])
    err = only_error(run(path, department=departments["market"]))
    assert err.row == 4 and "row 2" in err.message
    assert_nothing_written()


@pytest.mark.parametrize("column,value", [("行业代码", "Z9"), ("行业代码", "9999"), ("所属区域", "不存在乡")])
def test_unknown_industry_or_region(tmp_path, departments, column, value):
    err = only_error(
        run(write_csv(tmp_path / "x.csv", [row(**{column: value})]), department=departments["market"])
    )
    assert (err.row, err.column) == (2, column) and value in err.message
    assert_nothing_written()


@pytest.mark.parametrize("value", ["2021-02-30", "03/02/2015", "昨天", "2015-13-01"])
def test_unparseable_date(tmp_path, departments, value):
    err = only_error(
        run(write_csv(tmp_path / "d.csv", [row(成立日期=value)]), department=departments["market"])
    )
    assert (err.row, err.column) == (2, "成立日期")
    assert_nothing_written()


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3+cmd|'/C calc'!A0", "@SUM(A1)"]
)
def test_formula_values_are_refused(tmp_path, departments, value):
    err = only_error(run(write_csv(tmp_path / "f.csv", [row(名称=value)]), department=departments["market"]))
    assert (err.row, err.column) == (2, "名称") and "formula" in err.message
    assert_nothing_written()


def test_apostrophe_neutralised_formula_is_accepted_as_text(tmp_path, departments):
    report = run(write_csv(tmp_path / "f.csv", [row(名称="'=1+2 商行")]), department=departments["market"])
    assert report.ok
    assert Target.objects.get().name == "=1+2 商行"


def test_gbk_file_is_detected_and_read(tmp_path, departments):
    path = write_csv(tmp_path / "gbk.csv", [row(名称="新乡市振中便利店")], encoding="gbk")
    report = run(path, department=departments["market"])
    assert report.ok
    assert Target.objects.get().name == "新乡市振中便利店"


def test_utf8_bom_file(tmp_path, departments):
    path = write_csv(tmp_path / "bom.csv", [row()], encoding="utf-8-sig")
    assert run(path, department=departments["market"]).ok


def test_100mb_junk_file_fails_fast(tmp_path, departments):
    path = tmp_path / "junk.csv"
    with path.open("wb") as handle:
        for _ in range(100):
            handle.write(os.urandom(1 << 20))
    report = run(path, department=departments["market"])
    assert not report.ok and report.error_count == 1
    assert_nothing_written()


def test_xlsx_that_is_not_a_zip(tmp_path, departments):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive" * 10)
    err = only_error(run(path, department=departments["market"]))
    assert "xlsx" in err.message.lower() or "zip" in err.message.lower()
    assert_nothing_written()


def test_xlsx_zip_bomb_is_refused_before_parsing(tmp_path, departments):
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(600):
            member.write(chunk)
    assert path.stat().st_size < 5 << 20
    err = only_error(run(path, department=departments["market"]))
    assert (
        "zip bomb" in err.message.lower()
        or "uncompress" in err.message.lower()
        or "expand" in err.message.lower()
    )
    assert_nothing_written()


def test_row_with_too_many_columns(tmp_path, departments):
    path = write_csv(tmp_path / "wide.csv", [row(), [*row(), "extra", "cells"]])
    err = only_error(run(path, department=departments["market"]))
    assert err.row == 3 and "header" in err.message
    assert_nothing_written()


def test_xlsx_import_reads_rows_with_spreadsheet_numbers(tmp_path, departments):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row())
    sheet.append(row(成立日期="not a date"))
    book.save(tmp_path / "t.xlsx")
    err = only_error(run(tmp_path / "t.xlsx", department=departments["market"]))
    assert (err.row, err.column) == (3, "成立日期")
    assert_nothing_written()


def test_english_headers(tmp_path, departments):
    header = ["uscc", "name", "entity_type", "industry", "region", "status", "established_on", "risk_class"]
    report = run(write_csv(tmp_path / "en.csv", [row()], header=header), department=departments["market"])
    assert report.ok and report.created == 1


def test_department_admin_cannot_overwrite_another_departments_target(tmp_path, departments, fire_admin):
    code = uscc()
    run(
        write_csv(tmp_path / "a.csv", [row(统一社会信用代码=code, 名称="甲")]),
        department=departments["market"],
    )
    audit_before = AuditEntry.objects.count()
    report = run(write_csv(tmp_path / "b.csv", [row(统一社会信用代码=code, 名称="乙")]), actor=fire_admin)
    assert not report.ok and "another department" in report.errors[0].message
    assert Target.objects.get(identifier=code).name == "甲"
    assert AuditEntry.objects.count() == audit_before


def test_error_in_a_later_batch_rolls_back_earlier_batches(tmp_path, departments, monkeypatch):
    monkeypatch.setattr("fairspot.core.importing.BATCH_SIZE", 10)
    rows = [row() for _ in range(45)] + [row(行业代码="XX")]
    report = run(write_csv(tmp_path / "big.csv", rows), department=departments["market"])
    assert [e.row for e in report.errors] == [47]
    assert_nothing_written()


def test_command_exits_non_zero_and_lists_bad_rows(tmp_path, departments, capsys):
    path = write_csv(tmp_path / "bad.csv", [row(), row(主体类型="外星主体")])
    with pytest.raises(SystemExit) as exc:
        call_command("import_targets", str(path), "--department", "SCJG")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "row 3, column 主体类型" in err and "nothing was written" in err
    assert_nothing_written()


def test_command_imports_good_file(tmp_path, departments):
    out = io.StringIO()
    call_command(
        "import_targets", str(write_csv(tmp_path / "ok.csv", [row()])), "--department", "SCJG", stdout=out
    )
    assert "1 created" in out.getvalue()
    assert Target.objects.count() == 1
