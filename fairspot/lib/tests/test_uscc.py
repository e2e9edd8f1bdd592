import unicodedata

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from fairspot.lib.uscc import CHARSET, check_char, is_valid_uscc, make_uscc, normalize_uscc, uscc_error

# Real, published codes (each has only a 1-in-31 chance of passing the check by accident):
REAL_CODES = [
    "91350100M000100Y43",  # the worked example of GB 32100-2015
    "914403001922038216",  # 华为技术有限公司 (Wikipedia infobox)
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110108551385082Q",  # 北京小米科技有限责任公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "91110000600037341L",
]

first17 = st.builds(
    lambda a, b, c: a + b + c,
    st.text(CHARSET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(CHARSET, min_size=9, max_size=9),
)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert is_valid_uscc(code)
    assert uscc_error(code) is None
    assert check_char(code[:17]) == code[17]


def test_standard_example_check_char():
    assert check_char("91350100M000100Y4") == "3"
    assert make_uscc("91350100M000100Y4") == "91350100M000100Y43"


def test_error_messages():
    with translation.override("en"):
        assert "has 17" in str(uscc_error("91350100M000100Y4"))
        assert "has 0" in str(uscc_error(""))
        message = str(uscc_error("91350100M000100I43"))
        assert "Position 16" in message and "“I”" in message
        assert "Position 9" in str(uscc_error("91350100m000100Y43"))
        division = str(uscc_error("9135A100M000100Y43"))
        assert "Position 5" in division and "administrative-division" in division
        typo = str(uscc_error("91350100M000100Y44"))
        assert "should be “3”, not “4”" in typo
    assert not is_valid_uscc("91350100M000100Y44")
    assert not is_valid_uscc(None)  # type: ignore[arg-type]


def test_normalize():
    assert normalize_uscc("　９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert normalize_uscc(" 91350100m000100y43\t") == "91350100M000100Y43"
    assert normalize_uscc("") == ""


def test_make_rejects_bad_input():
    with pytest.raises(ValueError):
        make_uscc("9135010")
    with pytest.raises(ValueError):
        make_uscc("91350100M000100O4")


@given(first17)
def test_make_uscc_is_always_valid(prefix):
    code = make_uscc(prefix)
    assert len(code) == 18
    assert is_valid_uscc(code)


@given(first17, st.integers(0, 17), st.sampled_from(CHARSET + "IOZSVa *-"))
def test_any_single_substitution_is_detected(prefix, position, char):
    code = make_uscc(prefix)
    if code[position] == char:
        return
    changed = code[:position] + char + code[position + 1 :]
    assert uscc_error(changed) is not None


@given(first17, st.integers(0, 15))
def test_adjacent_transpositions_are_detected(prefix, position):
    code = make_uscc(prefix)
    a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2 :]
    assert not is_valid_uscc(swapped)


# --- the fast path (one regex + table checksum) agrees with the reference definition ------------------

_DIGITS = "0123456789"


def _reference_check(first17: str) -> str:
    total = sum(CHARSET.index(char) * 3**i for i, char in enumerate(first17))
    return CHARSET[(31 - total % 31) % 31]


def _reference_valid(code) -> bool:
    return (
        isinstance(code, str)
        and len(code) == 18
        and all(char in CHARSET for char in code)
        and all(char in _DIGITS for char in code[2:8])
        and code[17] == _reference_check(code[:17])
    )


candidates = st.one_of(
    first17.map(make_uscc),
    st.text(CHARSET + "IOZSVa0١２ \n-'", min_size=16, max_size=19),  # ١ and ２ are non-ASCII digits
    st.builds(
        lambda code, position, char: code[:position] + char + code[position + 1 :],
        first17.map(make_uscc),
        st.integers(0, 17),
        st.sampled_from(CHARSET + "IOZSV٣ \n"),
    ),
)


@given(candidates)
def test_fast_check_agrees_with_the_definition(code):
    assert is_valid_uscc(code) == _reference_valid(code)
    assert (uscc_error(code) is None) == _reference_valid(code)


@given(first17)
def test_check_char_agrees_with_the_definition(prefix):
    assert check_char(prefix) == _reference_check(prefix)


@given(st.text(max_size=30))
def test_normalize_without_nfkc_for_ascii_is_the_same(raw):
    assert normalize_uscc(raw) == unicodedata.normalize("NFKC", raw).strip().upper()


def test_check_char_of_malformed_input_still_says_why():
    with pytest.raises(ValueError, match="Position 3"):
        check_char("91A50100M000100Y4")
    with pytest.raises(ValueError, match="Position 17"):
        check_char("91350100M000100Y٤")
