import base64
import codecs
import csv
import io
import os
import re
import time

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.lib import tabular, tabular_csv
from fairspot.lib.tabular import NO_DATA_ROWS, TableError, extra_cells, open_table

HEADER = "统一社会信用代码,名称,住所\r\n"
ROWS = (
    "91350100M000100Y43,福州某某有限公司,福建省福州市\r\n914403001922038216,华为技术有限公司,深圳市龙岗区\r\n"
)


def write(tmp_path, data: bytes, name="list.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_all(path, **kwargs):
    with open_table(path, **kwargs) as table:
        return table, list(table.rows())


def error_of(path, **kwargs) -> TableError:
    with pytest.raises(TableError) as info:
        read_all(path, **kwargs)
    return info.value


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", (HEADER + ROWS).encode("utf-8")),
        ("utf-8-sig", (HEADER + ROWS).encode("utf-8-sig")),
        ("gb18030", (HEADER + ROWS).encode("gbk")),
    ],
)
def test_encodings_decode_right(tmp_path, encoding, data):
    table, rows = read_all(write(tmp_path, data))
    assert table.kind == "csv"
    assert table.encoding == encoding
    assert table.header == ["统一社会信用代码", "名称", "住所"]
    assert rows == [
        (2, ["91350100M000100Y43", "福州某某有限公司", "福建省福州市"]),
        (3, ["914403001922038216", "华为技术有限公司", "深圳市龙岗区"]),
    ]
    assert table.row_count == 2


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_unicode_text_from_excel(tmp_path, codec):
    text = (HEADER + ROWS).replace(",", "\t")
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    table, rows = read_all(write(tmp_path, bom + text.encode(codec), name="list.txt"))
    assert table.encoding == "utf-16"
    assert table.header == ["统一社会信用代码", "名称", "住所"]
    assert rows[1] == (3, ["914403001922038216", "华为技术有限公司", "深圳市龙岗区"])


def test_gbk_after_a_long_ascii_start_switches_encoding(tmp_path):
    ascii_rows = "".join(f"91350100M000100Y43,name {i},addr\r\n" for i in range(3000))  # > 64 KB
    last = "914403001922038216,华为技术有限公司,深圳\r\n"
    data = ("uscc,name,address\r\n" + ascii_rows + last).encode("gbk")
    table, rows = read_all(write(tmp_path, data))
    assert len(ascii_rows) > tabular.SNIFF_BYTES
    assert table.encoding == "gb18030"
    assert rows[-1] == (3002, ["914403001922038216", "华为技术有限公司", "深圳"])


def test_gbk_bytes_after_utf8_text_fail_with_the_row(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular_csv, "READ_CHUNK", 1000)
    utf8_rows = ROWS * 1000  # > 64 KB
    data = (HEADER + utf8_rows).encode("utf-8") + "第四行,坏,的\r\n".encode("gbk")
    error = error_of(write(tmp_path, data))
    assert error.row == 2002
    with translation.override("en"):
        assert "not UTF-8 text" in str(error)


def test_bom_with_gbk_bytes_is_refused(tmp_path):
    data = HEADER.encode("utf-8-sig") + ROWS.encode("gbk")
    with translation.override("en"):
        assert "not UTF-8 text" in str(error_of(write(tmp_path, data)))


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_chunk_boundaries_do_not_matter(tmp_path, monkeypatch, chunk, encoding):
    monkeypatch.setattr(tabular_csv, "READ_CHUNK", chunk)
    text = HEADER + '"多行\r\n住所",名称,"a ""quoted"" cell"\r' + ROWS.replace("\r\n", "\n")
    _table, rows = read_all(write(tmp_path, text.encode(encoding)))
    assert [number for number, _cells in rows] == [2, 3, 4]
    assert rows[0][1] == ["多行\r\n住所", "名称", 'a "quoted" cell']


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \r\n", b",,,\r\n,,\r\n"])
def test_empty_file(tmp_path, data):
    error = error_of(write(tmp_path, data))
    with translation.override("en"):
        assert str(error) == "The file is empty."


def test_header_only(tmp_path):
    table, rows = read_all(write(tmp_path, HEADER.encode("utf-8") + b",,\r\n\r\n"))
    assert table.header == ["统一社会信用代码", "名称", "住所"]
    assert rows == []
    assert table.row_count == 0
    with translation.override("en"):
        assert str(NO_DATA_ROWS) == "The file has a header but no data rows."


def test_empty_rows_are_skipped_but_counted(tmp_path):
    data = b"\r\n\r\n a , b \r\n1,2\r\n\r\n,,\r\n3,\r\n"
    table, rows = read_all(write(tmp_path, data))
    assert table.header_row == 3
    assert table.header == ["a", "b"]
    assert rows == [(4, ["1", "2"]), (7, ["3", ""])]


def test_rows_are_padded_and_extra_cells_are_yielded(tmp_path):
    data = b"a,b,c\r\n1\r\n1,2,3,,,\r\n1,2,3,4\r\n5,6,7\r\n"
    table, rows = read_all(write(tmp_path, data))
    assert rows == [(2, ["1", "", ""]), (3, ["1", "2", "3"]), (4, ["1", "2", "3", "4"]), (5, ["5", "6", "7"])]
    assert [extra_cells(table.header, cells) for _n, cells in rows] == [False, False, True, False]


@pytest.mark.parametrize(
    ("line", "cells"), [("a\tb;c", ["a", "b;c"]), ("a;b", ["a", "b"]), ("a,b\tc;d", ["a", "b\tc;d"])]
)
def test_delimiter(tmp_path, line, cells):
    table, _rows = read_all(write(tmp_path, f"{line}\n".encode()))
    assert table.header == cells


def test_file_object_and_percent_read(tmp_path):
    stream = io.BytesIO((HEADER + ROWS).encode("utf-8"))
    with open_table(stream) as table:
        assert len(list(table.rows())) == 2
        assert table.percent_read() == 100
    assert not stream.closed


def test_max_bytes(tmp_path):
    path = write(tmp_path, (HEADER + ROWS).encode())
    error = error_of(path, max_bytes=100)
    with translation.override("en"):
        assert "at most 100" in str(error)
    assert read_all(path, max_bytes=path.stat().st_size)[0].row_count == 2


def test_text_named_xlsx_is_refused(tmp_path):
    error = error_of(write(tmp_path, (HEADER + ROWS).encode(), name="list.xlsx"))
    with translation.override("en"):
        assert "not a valid XLSX" in str(error)


def test_nul_later_in_the_file(tmp_path):
    data = (HEADER + ROWS).encode() + b"x" * 100_000 + b"\r\nbad\x00row\r\n"
    error = error_of(write(tmp_path, data))
    assert error.row == 5
    with translation.override("en"):
        assert "NUL" in str(error)


def test_huge_field_is_a_table_error(tmp_path):
    data = (HEADER + ROWS).encode() + b'"' + b"x\n" * 200_000
    error = error_of(write(tmp_path, data))
    assert error.row == 4


def test_too_many_header_columns(tmp_path):
    error = error_of(write(tmp_path, b",".join([b"c"] * 1001) + b"\n"))
    with translation.override("en"):
        assert "1001 columns" in str(error)


# --- junk must fail fast --------------------------------------------------------------------------

MB = 1024 * 1024


def _write_chunks(path, make_chunk, size=100 * MB):
    with open(path, "wb") as handle:
        for _ in range(size // MB):
            handle.write(make_chunk())
    return path


def _fails_fast(path):
    started = time.perf_counter()
    with pytest.raises(TableError):
        read_all(path)
    assert time.perf_counter() - started < 2


def test_random_bytes_fail_fast(tmp_path):
    _fails_fast(_write_chunks(tmp_path / "junk.csv", lambda: os.urandom(MB)))


def test_text_without_line_breaks_fails_fast(tmp_path):
    _fails_fast(_write_chunks(tmp_path / "junk.csv", lambda: base64.b64encode(os.urandom(MB))[:MB]))


def test_text_without_a_plausible_header_fails_fast(tmp_path):
    def chunk():
        line = base64.b64encode(os.urandom(MB // 2 - 1))[: MB // 2 - 1]
        return line + b"\n" + line + b"\n"

    _fails_fast(_write_chunks(tmp_path / "junk.csv", chunk))


def test_text_with_nul_bytes_fails_fast(tmp_path):
    def chunk():
        text = bytearray(base64.b64encode(os.urandom(MB))[:MB])
        text[1000::4096] = b"\x00" * len(text[1000::4096])
        text[500::2048] = b"\n" * len(text[500::2048])
        return bytes(text)

    _fails_fast(_write_chunks(tmp_path / "junk.csv", chunk))


def test_text_full_of_control_characters_fails_fast(tmp_path):
    to_ascii = bytes(b % 127 + 1 for b in range(256))  # 0x01-0x7f: a quarter are control characters
    _fails_fast(_write_chunks(tmp_path / "junk.csv", lambda: os.urandom(MB).translate(to_ascii)))


def test_sparse_control_characters_are_kept(tmp_path):
    data = b"a,b\r\n\x1b[1m,x\x01y\r\n\x7f,\x0c\r\n"
    _table, rows = read_all(write(tmp_path, data))
    assert rows == [(2, ["\x1b[1m", "x\x01y"]), (3, ["\x7f", ""])]


# --- chunks are split with str.splitlines() when that splits like the line-end regex ------------------


def _reference_rows(text: str, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """What the reader must return: lines split on CR LF / CR / LF only, csv, cells stripped, tidied."""
    lines = [m.group() for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)]
    records = [[cell.strip() for cell in raw] for raw in csv.reader(lines, delimiter=delimiter)]
    numbered = [(n, cells) for n, cells in enumerate(records, start=1) if any(cells)]
    (_header_row, header), data = numbered[0], numbered[1:]
    while header and not header[-1]:
        header.pop()
    out = []
    for number, cells in data:
        while cells and not cells[-1]:
            cells.pop()
        out.append((number, cells + [""] * (len(header) - len(cells))))
    return out


_cell_text = st.text(alphabet='a中 ,"\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t', max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(_cell_text, min_size=1, max_size=4), min_size=1, max_size=12),
    ends=st.lists(st.sampled_from(["\r\n", "\n", "\r"]), min_size=1, max_size=3),
    chunk=st.sampled_from([1, 2, 3, 5, 8, 64, 1 << 20]),
)
def test_chunked_splitting_reads_like_the_line_end_regex(tmp_path_factory, rows, ends, chunk):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["h1", "h2", "h3", "h4"])
    writer.writerow(["p" * 12_000, "", "", ""])  # keeps control characters below the sniffing limit
    for number, cells in enumerate(rows):
        writer.writerow(cells)
        buffer.seek(buffer.tell() - 1)  # vary the line end of each row
        buffer.write(ends[number % len(ends)])
    text = buffer.getvalue()
    path = tmp_path_factory.mktemp("split") / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    saved = tabular_csv.READ_CHUNK
    tabular_csv.READ_CHUNK = chunk
    try:
        _table, got = read_all(path)
    finally:
        tabular_csv.READ_CHUNK = saved
    assert got == _reference_rows(text)


@pytest.mark.parametrize("chunk", [3, 1 << 20])
def test_other_unicode_line_breaks_stay_inside_lines(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(tabular_csv, "READ_CHUNK", chunk)
    text = "a,b\r\n" + "x\x0by,1\r\n" + "p\u2028q,2\n" + '"r\x85\ns",3\r' + "t,4\x1c\n"
    _table, rows = read_all(write(tmp_path, text.encode("utf-8")))
    assert rows == _reference_rows(text)
    assert rows[0] == (2, ["x\x0by", "1"]) and rows[2] == (4, ["r\x85\ns", "3"])


def test_nul_in_a_later_chunk_names_its_row(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular_csv, "READ_CHUNK", 4096)
    data = (HEADER + ROWS).encode() + b"ok,1,2\r\n" * 10_000 + b"bad\x00,1\r\n"  # after the sniffed part
    assert error_of(write(tmp_path, data)).row == 10_004
