"""The demo's check items carry the legal basis of every kind of target they cover (issue 11: A09's
notice to a domestic business cited the foreign representative offices' regulation)."""

from fairspot.hub.demo import _legal_basis
from fairspot.reference.loading import read


def _subs(code):
    return [row for row in read("zhejiang_check_items.csv") if row["code"] == code]


def test_a09_names_each_basis_with_the_targets_it_applies_to():
    basis = _legal_basis(_subs("A09"))
    assert "个体工商户：《个体工商户年度报告暂行办法》第六条、第十一条" in basis
    assert "外国企业常驻代表机构：《外国企业常驻代表机构登记管理条例》" in basis
    assert not basis.startswith("《外国企业常驻代表机构登记管理条例》")


def test_an_item_with_one_basis_keeps_it_as_it_is():
    subs = _subs("B01")
    assert _legal_basis(subs) == subs[0]["legal_basis"]
