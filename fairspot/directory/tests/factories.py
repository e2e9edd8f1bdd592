"""Test data: valid USCCs and target rows in the import format."""

import csv
import itertools
from pathlib import Path

from fairspot.lib.uscc import make_uscc

HEADER = [
    "统一社会信用代码",
    "名称",
    "主体类型",
    "行业代码",
    "所属区域",
    "登记状态",
    "成立日期",
    "信用风险分类",
]
_serial = itertools.count(1)


def uscc(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    return make_uscc(f"91410771{n:09d}")


def row(**overrides) -> list[str]:
    values = {
        "统一社会信用代码": uscc(),
        "名称": "新乡测试科技有限公司",
        "主体类型": "企业",
        "行业代码": "3841",
        "所属区域": "振中街道",
        "登记状态": "存续",
        "成立日期": "2015-03-02",
        "信用风险分类": "B",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path
