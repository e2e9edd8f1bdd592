from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairspot.draw.canonical import (
    canonical_decimal,
    canonical_json,
    parse_canonical_json,
    parse_decimal,
    tagged_hash,
)
from fairspot.draw.errors import CanonicalError


def test_jcs_sorting_escaping_and_spacing():
    doc = {"b": [1, True, None, "x"], "a": {"é": '\u2028\n"\\\x01', "A": -5}}
    assert (
        canonical_json(doc) == '{"a":{"A":-5,"é":"\u2028\\n\\"\\\\\\u0001"},"b":[1,true,null,"x"]}'.encode()
    )


def test_keys_sort_by_utf16_code_units_like_rfc8785():
    # U+1F600 is D83D DE00 in UTF-16, which sorts before U+FF61 although its code point is larger.
    doc = {"\uff61": 1, "\U0001f600": 2}
    assert canonical_json(doc) == '{"\U0001f600":2,"\uff61":1}'.encode()


def test_fast_and_reference_paths_agree():
    from fairspot.draw.canonical import _encode

    doc = {"z": [{"y": "中文", "x": 2**53 - 1}], "a": "\t\u007f", "m": False}
    out: list[str] = []
    _encode(doc, out, "$")
    assert canonical_json(doc) == "".join(out).encode()


@pytest.mark.parametrize("bad", [1.5, {"a": 0.1}, [2**53], {"a": float("nan")}, {1: "x"}, "\ud800"])
def test_forbidden_values(bad):
    with pytest.raises(CanonicalError):
        canonical_json(bad)


@pytest.mark.parametrize(
    "data",
    [b'{"a":1, "b":2}', b'{"b":1,"a":2}', b'{"a":1.0}', b'{"a":1,"a":2}', b"[NaN]", b'"\\u00e9"', b"\xff"],
)
def test_parse_refuses_non_canonical(data):
    with pytest.raises(CanonicalError):
        parse_canonical_json(data)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4),
        max_leaves=12,
    )
)
def test_round_trip(doc):
    data = canonical_json(doc)
    assert canonical_json(parse_canonical_json(data)) == data


def test_decimals_are_exact():
    assert parse_decimal("0.05", where="x") == Fraction(1, 20)
    assert canonical_decimal("000.0500", where="x") == "0.05"
    assert canonical_decimal("1.000", where="x") == "1"
    for bad in ("-1", "1e-3", ".5", "0.1.2", 0.5, True):
        with pytest.raises(CanonicalError):
            parse_decimal(bad, where="x")


def test_tagged_hash_is_length_prefixed():
    assert tagged_hash("t", b"ab", b"c") != tagged_hash("t", b"a", b"bc")
