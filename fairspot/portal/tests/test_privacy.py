"""Masking rules for personal data on public pages."""

import pytest

from fairspot.portal.privacy import mask_person_name, mask_text


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("张三丰", "张**"), ("欧阳娜娜", "欧***"), ("王", "*"), ("", "")]
)
def test_owner_name_keeps_only_the_surname(name, masked):
    assert mask_person_name(name) == masked


@pytest.mark.parametrize(
    ("text", "hidden", "shown"),
    [
        ("联系电话13812345678", "13812345678", "138****5678"),
        ("电话 138-1234-5678", "138-1234-5678", "138-****-5678"),
        ("座机0373-5012345", "0373-5012345", "0373-*****45"),
        ("+86 138-1234-5678", "1234", "+86 138-****-5678"),
        ("身份证410702199001011234", "410702199001011234", "410***********1234"),
        ("身份证41070219900101123X", "41070219900101123X", "410***********123X"),
        ("老身份证410702900101123", "410702900101123", "410********1123"),
    ],
)
def test_numbers_in_free_text_are_masked(text, hidden, shown):
    out = mask_text(text)
    assert hidden not in out and shown in out


def test_credit_codes_and_dates_are_left_alone():
    text = "统一社会信用代码91410700MA44U8XX4K，2025-09-22 检查，罚款 20000 元"
    assert mask_text(text) == text
