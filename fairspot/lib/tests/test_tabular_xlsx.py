import datetime
import io
import time
import zipfile

import openpyxl
import pytest
from django.utils import translation

from fairspot.lib import tabular_xlsx
from fairspot.lib.cells import check_imported
from fairspot.lib.tabular import TableError, extra_cells, open_table


def workbook_file(path, rows, *, edit=None):
    """An .xlsx written by openpyxl in normal mode (as Excel would: shared strings, styles, dimension)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    workbook.save(path)
    return path


def read_all(path, **kwargs):
    with open_table(path, **kwargs) as table:
        return table, list(table.rows())


def error_of(path, **kwargs) -> str:
    with pytest.raises(TableError) as info, translation.override("en"):
        read_all(path, **kwargs)
    with translation.override("en"):
        return str(info.value)


def test_values_become_text(tmp_path):
    path = workbook_file(
        tmp_path / "a.xlsx",
        [
            ["统一社会信用代码", "名称", "成立日期", "数量", "比例", "是否", "空", None],
            ["91350100M000100Y43", " 福州某某有限公司 ", datetime.datetime(2020, 5, 1), 12, 0.25, True, None],
            ["914403001922038216", "华为", datetime.date(1987, 9, 15), 3.0, 1e-7, False, "", None, None],
        ],
    )
    table, rows = read_all(path)
    assert table.kind == "xlsx" and table.encoding is None
    assert table.header == ["统一社会信用代码", "名称", "成立日期", "数量", "比例", "是否", "空"]
    assert rows == [
        (2, ["91350100M000100Y43", "福州某某有限公司", "2020-05-01", "12", "0.25", "TRUE", ""]),
        (3, ["914403001922038216", "华为", "1987-09-15", "3", "0.0000001", "FALSE", ""]),
    ]
    assert table.percent_read() == 100


def test_datetime_with_time_is_iso(tmp_path):
    path = workbook_file(tmp_path / "a.xlsx", [["t"], [datetime.datetime(2026, 11, 28, 9, 30)]])
    assert read_all(path)[1] == [(2, ["2026-11-28T09:30:00"])]


def test_header_only_and_gaps_keep_row_numbers(tmp_path):
    assert read_all(workbook_file(tmp_path / "h.xlsx", [["a", "b"]]))[1] == []

    def gaps(sheet):
        sheet["A1"], sheet["B1"] = "a", "b"
        sheet["B4"] = "x"
        sheet["A7"] = "y"

    table, rows = read_all(workbook_file(tmp_path / "g.xlsx", [], edit=gaps))
    assert rows == [(4, ["", "x"]), (7, ["y", ""])]
    assert table.row_count == 2


def test_wrong_dimension_does_not_cut_rows(tmp_path):
    path = workbook_file(tmp_path / "d.xlsx", [["a"], ["1"], ["2"], ["3"]])
    fixed = tmp_path / "wrong.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(fixed, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:A4" />' in data
                data = data.replace(b'<dimension ref="A1:A4" />', b'<dimension ref="A1" />')
            target.writestr(item, data)
    naive = openpyxl.load_workbook(fixed, read_only=True)
    assert len(list(naive.active.iter_rows(values_only=True))) == 1  # what trusting the dimension gives
    naive.close()
    assert [number for number, _ in read_all(fixed)[1]] == [2, 3, 4]


def test_extra_cells(tmp_path):
    table, rows = read_all(workbook_file(tmp_path / "x.xlsx", [["a", "b"], [1, 2, 3], [1, 2, None, ""]]))
    assert [extra_cells(table.header, cells) for _n, cells in rows] == [True, False]


def test_apostrophe_typed_in_excel_counts_as_text(tmp_path):
    def as_typed(sheet):  # Excel keeps '=1+2 as the text "=1+2" with the quotePrefix style
        for cell, quoted in (("A2", True), ("A3", True), ("A4", False)):
            sheet[cell].data_type = "s"
            sheet[cell].quotePrefix = quoted

    path = workbook_file(tmp_path / "q.xlsx", [["name"], ["=1+2"], ["-5"], ["=2+3"]], edit=as_typed)
    _table, rows = read_all(path)
    values = [cells[0] for _n, cells in rows]
    assert values == ["'=1+2", "-5", "=2+3"]
    assert check_imported(values[0]) == ("=1+2", None)
    assert check_imported(values[2])[1] is not None  # a text cell without the apostrophe is still refused


def test_text_renamed_to_xlsx(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_text("统一社会信用代码,名称\n91350100M000100Y43,x\n")
    assert "not a valid XLSX" in error_of(path)


@pytest.mark.parametrize("damage", ["truncate", "not_a_workbook", "bad_xml"])
def test_damaged_workbooks(tmp_path, damage):
    path = workbook_file(tmp_path / "a.xlsx", [["a"], ["1"]])
    if damage == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif damage == "not_a_workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "hello")
    else:
        with zipfile.ZipFile(path) as source:
            members = {item.filename: source.read(item) for item in source.infolist()}
        members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"][:-40]
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    message = error_of(path)
    assert "XLSX" in message or "damaged" in message


def test_old_xls_is_refused(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert ".xls" in error_of(path)


def test_max_bytes(tmp_path):
    path = workbook_file(tmp_path / "a.xlsx", [["a"], ["1"]])
    assert "at most" in error_of(path, max_bytes=1000)


def test_file_object(tmp_path):
    data = workbook_file(tmp_path / "a.xlsx", [["a"], ["1"]]).read_bytes()
    with open_table(io.BytesIO(data), name="upload.csv") as table:  # the content decides, not the name
        assert table.kind == "xlsx" and list(table.rows()) == [(2, ["1"])]


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.xlsx"
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(500):  # 500 MB of zeros, about 2 MB on disk
                member.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    started = time.perf_counter()
    assert "zip bomb" in error_of(path)
    assert time.perf_counter() - started < 2


def test_total_size_and_member_count_limits(tmp_path, monkeypatch):
    path = workbook_file(tmp_path / "a.xlsx", [["a"], ["1"]])
    assert read_all(path)[0].header == ["a"]
    monkeypatch.setattr(tabular_xlsx, "MAX_XLSX_UNCOMPRESSED", 1000)
    assert "zip bomb" in error_of(path)
    monkeypatch.undo()
    size = path.stat().st_size
    assert read_all(path, max_bytes=size)[0].header == ["a"]
    monkeypatch.setattr(tabular_xlsx, "XLSX_UNCOMPRESSED_FACTOR", 1)  # unpacked > 1 x the file size
    assert "zip bomb" in error_of(path, max_bytes=size)
    assert read_all(path)[0].header == ["a"]  # the factor only applies with a max_bytes
    monkeypatch.setattr(tabular_xlsx, "MAX_XLSX_MEMBERS", 3)
    assert "zip bomb" in error_of(path)
