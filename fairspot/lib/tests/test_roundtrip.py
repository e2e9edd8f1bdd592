"""Property tests: whatever text an export writes, an import reads back unchanged.

Two documented limits shape the alphabets: the reader strips cell whitespace (so cells are generated
stripped) and skips rows that are entirely empty (so they are dropped from the expectation, while their
row numbers still count). For XLSX, characters XML cannot hold are removed on export and CR is written
as LF (see fairspot.lib.export), so they are left out of the XLSX alphabet. The CSV alphabet leaves out
control characters other than TAB/CR/LF, because the reader refuses a file whose start is full of them
(a few of them are tested in test_tabular_csv).
"""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fairspot.lib.cells import unneutralize
from fairspot.lib.export import write_csv, write_xlsx
from fairspot.lib.tabular import open_table

HEADER = ["统一社会信用代码", "名称", "备注"]
SPECIAL = st.sampled_from(
    ["=1+2", "-5", "'=x", "''-1", "@A1", "+86 10", "-", "#N/A", "1.50", "0012", "a,b", '"q"', "_x0041_"]
)

CSV_CHARS = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n\r")
XLSX_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\r\ufffe\uffff").filter(
    lambda char: not ILLEGAL_CHARACTERS_RE.match(char)
)


def table_of(chars):
    cell = st.one_of(SPECIAL, st.text(chars, max_size=12)).map(str.strip)
    return st.lists(st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)), max_size=8)


def expected(rows):
    return [(number, row) for number, row in enumerate(rows, start=2) if any(row)]


def read_back(stream):
    stream.seek(0)
    with open_table(stream) as table:
        assert table.header == HEADER
        return [(number, [unneutralize(cell) for cell in cells]) for number, cells in table.rows()]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table_of(CSV_CHARS))
def test_csv_round_trip(rows):
    stream = io.BytesIO()
    write_csv(stream, HEADER, rows)
    assert read_back(stream) == expected(rows)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table_of(XLSX_CHARS))
def test_xlsx_round_trip(rows):
    stream = io.BytesIO()
    write_xlsx(stream, HEADER, rows)
    assert read_back(stream) == expected(rows)
