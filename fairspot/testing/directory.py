"""Test data for the directory: valid USCCs and target rows in the short and the full import format."""

import csv
import itertools
from pathlib import Path

from fairspot.directory.columns import TARGET_COLUMNS
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
FULL_HEADER = [column.labels[0] for column in TARGET_COLUMNS]  # every column of the target import
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


def full_row(**overrides) -> list[str]:
    values = {
        "统一社会信用代码": uscc(),
        "名称": "新乡测试科技有限公司",
        "主体类型": "企业",
        "行业代码": "3841",
        "所属区域": "振中街道",
        "登记机关": "新乡市市场监督管理局高新区分局",
        "住所": "新乡市高新区新五街924号",
        "法定代表人": "梁鑫",
        "登记状态": "存续",
        "成立日期": "2015-03-02",
        "信用风险分类": "B",
        "经营异常": "否",
        "标签": "四上企业；大数据",
        "专项库": "",
        "维护部门": "",
    }
    values.update(overrides)
    return [values[h] for h in FULL_HEADER]


def write_full_csv(path, rows, header=FULL_HEADER):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
