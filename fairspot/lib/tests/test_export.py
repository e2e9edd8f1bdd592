import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from fairspot.lib.cells import unneutralize
from fairspot.lib.export import content_type, filename, iter_csv, write_csv, write_xlsx, xlsx_text
from fairspot.lib.tabular import open_table

HEADER = ["统一社会信用代码", "名称", "数量", "日期", "备注"]
ROWS = [
    ["91350100M000100Y43", "=1+2", -5, datetime.date(2026, 11, 28), "@SUM(A1)"],
    ["914403001922038216", "华为技术有限公司", 1.5, datetime.datetime(2026, 11, 28, 9, 30), "#N/A"],
    ["91440300708461136T", "-", Decimal("2.50"), None, "多行\n文本"],
]
AS_TEXT = [
    ["91350100M000100Y43", "=1+2", "-5", "2026-11-28", "@SUM(A1)"],
    ["914403001922038216", "华为技术有限公司", "1.5", "2026-11-28T09:30:00", "#N/A"],
    ["91440300708461136T", "-", "2.50", "", "多行\n文本"],
]


def read_back(path):
    with open_table(path) as table:
        return table.header, [(n, [unneutralize(c) for c in cells]) for n, cells in table.rows()]


def test_csv_is_excel_friendly_and_neutralized(tmp_path):
    path = tmp_path / "targets.csv"
    assert write_csv(path, HEADER, ROWS) == 3
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\xe7\xbb\x9f")  # BOM, then 统 in UTF-8
    assert b"\r\n" in data and b",'=1+2," in data and b",'@SUM(A1)" in data and b",-5," in data


def test_csv_round_trips(tmp_path):
    path = tmp_path / "targets.csv"
    write_csv(path, HEADER, ROWS)
    assert read_back(path) == (HEADER, [(2, AS_TEXT[0]), (3, AS_TEXT[1]), (4, AS_TEXT[2])])


def test_csv_to_a_stream_and_as_chunks():
    stream = io.BytesIO()
    assert write_csv(stream, HEADER, iter(ROWS)) == 3
    assert not stream.closed
    assert b"".join(iter_csv(HEADER, ROWS)) == stream.getvalue()
    assert write_csv(io.BytesIO(), HEADER, []) == 0


def test_xlsx_cells_are_text_not_formulas(tmp_path):
    path = tmp_path / "targets.xlsx"
    assert write_xlsx(path, HEADER, ROWS, sheet_title="对象") == 3
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet.title == "对象"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    formula = sheet["B2"]
    assert formula.data_type == "s" and formula.value == "'=1+2"
    assert unneutralize(formula.value) == "=1+2"
    assert sheet["E3"].data_type == "s" and sheet["E3"].value == "#N/A"
    assert sheet["C2"].value == -5 and sheet["C2"].data_type == "n"
    assert sheet["D2"].value == "2026-11-28" and sheet["D2"].data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_round_trips(tmp_path):
    path = tmp_path / "targets.xlsx"
    write_xlsx(path, HEADER, ROWS)
    third = [*AS_TEXT[2][:2], "2.5", *AS_TEXT[2][3:]]  # a Decimal is a number cell: "2.50" reads "2.5"
    assert read_back(path) == (HEADER, [(2, AS_TEXT[0]), (3, AS_TEXT[1]), (4, third)])


def test_xlsx_text_drops_what_xml_cannot_hold():
    assert xlsx_text("a\x00b\x1fc\x0bd\r\ne\rf\tg\n") == "abcd\ne\nf\tg\n"


def test_xlsx_to_a_stream_with_illegal_characters():
    stream = io.BytesIO()
    write_xlsx(stream, ["a"], [["x\x01y"], [float("nan")]])
    stream.seek(0)
    with open_table(stream) as table:
        assert list(table.rows()) == [(2, ["xy"]), (3, ["nan"])]


def test_content_type_and_filename():
    assert content_type("csv") == "text/csv; charset=utf-8"
    assert content_type("xlsx") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert filename("targets", "xlsx", on=datetime.date(2026, 11, 28)) == "targets-20261128.xlsx"
    assert filename("targets", "csv").startswith("targets-20")
    with pytest.raises(ValueError):
        content_type("xls")
    with pytest.raises(ValueError):
        filename("targets", "pdf")
