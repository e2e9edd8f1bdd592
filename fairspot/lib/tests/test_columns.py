import pytest

from fairspot.lib.tabular import Column, map_columns, normalize_label

COLUMNS = (
    Column("uscc", ("统一社会信用代码", "uscc", "标识码", "identifier"), required=True),
    Column("name", ("名称", "name"), required=True),
    Column("address", ("住所", "address")),
)


@pytest.mark.parametrize(
    "text",
    [
        "统一社会信用代码",
        " 统一社会信用代码 ",
        "统一社会信用代码*",
        "*统一社会信用代码",
        "统一社会信用代码（必填）",
        "统一社会信用代码(必填)",
        "统一社会 信用代码",
        "统一社会\n信用代码",
        "　统一社会信用代码＊",
        "USCC",
        "Uscc (required)",
        "ｕｓｃｃ",
    ],
)
def test_labels_match_loosely(text):
    assert normalize_label(text) == normalize_label("统一社会信用代码") or normalize_label(text) == "uscc"
    assert map_columns([text, "名称"], COLUMNS).index == {"uscc": 0, "name": 1}


def test_map_columns_reports_unknown_missing_duplicated():
    mapping = map_columns(["名称", "", "备注", "Name", "住所"], COLUMNS)
    assert mapping.index == {"name": 0, "address": 4}
    assert mapping.unknown == ["备注"]
    assert mapping.missing == ["统一社会信用代码"]
    assert mapping.duplicated == ["名称"]
    assert not mapping.ok
    assert mapping.value(["华为", "", "", "", "深圳"], "address") == "深圳"
    assert mapping.value(["华为"], "address") == ""
    assert mapping.value(["华为"], "uscc", "?") == "?"


def test_complete_header_is_ok():
    mapping = map_columns(["identifier", "name"], COLUMNS)
    assert mapping.ok and mapping.unknown == [] and mapping.index == {"uscc": 0, "name": 1}


def test_inconsistent_columns_are_a_programming_error():
    with pytest.raises(ValueError):
        map_columns(["a"], [Column("a", ("x",)), Column("b", ("X ",))])
    with pytest.raises(ValueError):
        Column("a", ())
