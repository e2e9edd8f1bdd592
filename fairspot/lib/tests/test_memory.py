"""Streaming: memory does not grow with the number of rows (measured with tracemalloc)."""

import tracemalloc

from fairspot.lib.export import write_csv, write_xlsx
from fairspot.lib.tabular import open_table

MB = 1024 * 1024


def traced_peak(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_large_csv_keeps_memory_bounded(tmp_path):
    path = tmp_path / "big.csv"
    line = "91350100M000100Y43,福州某某有限公司,福建省福州市鼓楼区某某路一百号,正常\r\n".encode()
    with open(path, "wb") as handle:
        handle.write("统一社会信用代码,名称,住所,备注\r\n".encode())
        for _ in range(30):
            handle.write(line * 5000)
    assert path.stat().st_size > 12 * MB

    def read():
        with open_table(path) as table:
            assert sum(1 for _row in table.rows()) == 150_000

    assert traced_peak(read) < 10 * MB


def rows(count):
    for number in range(count):
        yield ["91350100M000100Y43", f"福州某某有限公司{number}", "福建省福州市鼓楼区某某路", number, "=x"]


def test_writing_keeps_memory_bounded(tmp_path):
    header = ["统一社会信用代码", "名称", "住所", "序号", "备注"]
    write_xlsx(tmp_path / "warm-up.xlsx", header, rows(1))  # imports and caches are not the rows' memory
    assert traced_peak(lambda: write_csv(tmp_path / "a.csv", header, rows(20_000))) < 1 * MB
    assert traced_peak(lambda: write_xlsx(tmp_path / "a.xlsx", header, rows(4_000))) < 2 * MB
