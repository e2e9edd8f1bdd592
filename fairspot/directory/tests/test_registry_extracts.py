"""Registry extracts import as they come: the register's type names, types inferred from the code,
and one clear message when no department is given anywhere."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairspot.directory.importers import TargetImporter
from fairspot.directory.models import Target
from fairspot.directory.registry_types import class_from_uscc, classify
from fairspot.lib.uscc import make_uscc
from fairspot.testing.directory import HEADER, row, uscc, write_csv

pytestmark = pytest.mark.django_db

REGISTER = {
    "有限责任公司（自然人投资或控股）": "enterprise",
    "有限责任公司(自然人投资或控股)": "enterprise",
    "股份有限公司(非上市、自然人投资或控股)": "enterprise",
    "股份有限公司（上市、国有控股）": "enterprise",
    "有限责任公司（国有独资）": "enterprise",
    "有限责任公司分公司（自然人投资或控股）": "enterprise",
    "个人独资企业": "enterprise",
    "个人独资企业分支机构": "enterprise",
    "普通合伙企业": "enterprise",
    "特殊普通合伙企业": "enterprise",
    "有限合伙企业": "enterprise",
    "外商投资企业": "enterprise",
    "有限责任公司（外商投资、非独资）": "enterprise",
    "有限责任公司（台港澳与境内合资）": "enterprise",
    "全民所有制": "enterprise",
    "集体所有制": "enterprise",
    "非公司企业法人": "enterprise",
    "外国企业常驻代表机构": "other_org",
    "个体工商户": "individual",
    "农民专业合作社": "cooperative",
    "农民专业合作社分支机构": "cooperative",
    "农民专业合作社联合社": "cooperative",
}


def run(path, department=None):
    options = {"department_id": department.pk} if department else {}
    return TargetImporter(actor=None, options=options).run(path)


@pytest.mark.parametrize(("text", "cls"), REGISTER.items())
def test_every_register_type_maps_to_its_class(text, cls):
    assert classify(text) == cls


def test_a_register_extract_imports_and_keeps_the_text_as_given(tmp_path, departments):
    rows = [row(主体类型=text) for text in REGISTER]
    report = run(write_csv(tmp_path / "extract.csv", rows), departments["market"])
    assert report.ok, report.errors
    for text, cls in REGISTER.items():
        kept = "" if text in ("个体工商户", "农民专业合作社") else text  # our own words: the class says it
        assert Target.objects.filter(registry_type=kept, entity_type=cls).exists(), text


def test_a_type_that_maps_to_nothing_names_the_value_and_writes_nothing(tmp_path, departments):
    report = run(write_csv(tmp_path / "x.csv", [row(), row(主体类型="外星主体")]), departments["market"])
    assert not report.ok and Target.objects.count() == 0
    error = report.errors[0]
    assert (error.row, error.column) == (3, "主体类型") and "外星主体" in error.message


def test_without_a_type_column_the_class_comes_from_the_code(tmp_path, departments):
    header = [h for h in HEADER if h != "主体类型"]
    codes = {
        make_uscc("91410771000000001"): "enterprise",
        make_uscc("92410771000000002"): "individual",
        make_uscc("93410771000000003"): "cooperative",
        make_uscc("12410771000000004"): "other_org",  # 机构编制: a public institution
    }
    rows = []
    for code in codes:
        values = dict(zip(HEADER, row(统一社会信用代码=code), strict=True))
        rows.append([values[h] for h in header])
    report = run(write_csv(tmp_path / "nocol.csv", rows, header=header), departments["market"])
    assert report.ok, report.errors
    assert dict(Target.objects.values_list("identifier", "entity_type")) == codes


@given(st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"), st.sampled_from("0123456789"))
def test_class_from_uscc_never_invents_a_market_class_outside_the_market_register(authority, kind):
    cls = class_from_uscc(make_uscc(f"{authority}{kind}410771000000001"))
    if authority != "9":
        assert cls == "other_org"
    else:
        assert cls in {"enterprise", "individual", "cooperative", None}


def test_no_department_anywhere_is_one_message_naming_the_fix(tmp_path, departments):
    assert "维护部门" not in HEADER
    report = run(write_csv(tmp_path / "nodept.csv", [row(统一社会信用代码=uscc()) for _ in range(50)]))
    assert report.error_count == 1 and Target.objects.count() == 0
    message = report.errors[0].message
    assert "--department" in message and "维护部门" in message
