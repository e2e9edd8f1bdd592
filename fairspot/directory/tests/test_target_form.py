"""The target form refuses what a spreadsheet would run as a formula, as the importer does."""

import pytest

from fairspot.directory.forms import TargetForm


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://evil.example","点击")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3*cmd"]
)
def test_formula_in_name_is_refused(market_admin, value):
    form = TargetForm(data={"name": value, "address": value}, user=market_admin)
    assert not form.is_valid()
    assert "formula" in str(form.errors["name"]) or "公式" in str(form.errors["name"])
    assert "address" in form.errors


@pytest.mark.django_db
def test_plain_name_has_no_formula_error(market_admin):
    form = TargetForm(data={"name": "高新区张三便利店", "address": "-"}, user=market_admin)
    form.is_valid()
    assert "name" not in form.errors and "address" not in form.errors
