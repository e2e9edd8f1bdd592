"""The founding composition from a spreadsheet: all rows or nothing, errors by row and column."""

import pytest
from django.core.management import CommandError, call_command

from fairspot.council.models import Member, Post, PostKind
from fairspot.council.rules import is_convenor

pytestmark = pytest.mark.django_db
HEADER = "类别,单位,姓名,职务,联络员,联络员电话,系统账号\n"


def test_the_composition_is_entered_from_a_file(tmp_path, office, departments, market_admin):
    path = tmp_path / "组成.csv"
    path.write_text(
        HEADER
        + "召集人,SCJG,甲召集,组长,,,market\n"
        + "办公室主任,市场监管,丙主任,科长,,,office\n"
        + "成员单位,高新区市场监管工作小组,市场分管,副组长,联络甲,0373-1,\n"
        + "列席单位,XFJY,消防分管,副队长,联络乙,0373-2,\n",
        encoding="utf-8",
    )
    call_command("council_establish", str(path), "--by", "office", "--since", "2021-03-11", verbosity=0)
    assert is_convenor(market_admin)
    assert Post.objects.get(kind=PostKind.OFFICE_HEAD).user == office
    assert Member.objects.get(department=departments["fire"]).kind == "attending"


def test_a_bad_row_names_row_and_column_and_writes_nothing(tmp_path, office, departments):
    path = tmp_path / "组成.csv"
    path.write_text(HEADER + "召集人,SCJG,甲召集,组长,,,\n成员单位,不存在的局,某,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Row 3, column 单位: no department is called “不存在的局”"):
        call_command("council_establish", str(path), "--by", "office", verbosity=0)
    assert not Post.objects.exists() and not Member.objects.exists()
