"""Reference look-ups over the data the migration loads: regions, townships, industries, methods."""

import pytest

from fairspot.reference import selectors
from fairspot.reference.models import Division

pytestmark = pytest.mark.django_db
ZHENZHONG, GUANDI = "410771560", "410771360"  # 振中街道, 开发区关堤乡 (the high-tech zone)


@pytest.fixture(autouse=True)
def fresh_caches():
    selectors.clear_caches()
    yield
    selectors.clear_caches()


def test_region_lookup_by_name_and_by_nine_or_twelve_digit_code():
    lookup = selectors.region_lookup()
    assert lookup["振中街道"] == lookup[ZHENZHONG] == lookup[ZHENZHONG + "000"] == (ZHENZHONG, None)


def test_region_lookup_accepts_a_name_without_the_zone_prefix():
    lookup = selectors.region_lookup()
    assert lookup["开发区关堤乡"] == lookup["关堤乡"] == (GUANDI, None)


def test_region_lookup_gives_a_community_with_its_township():
    lookup = selectors.region_lookup()
    assert lookup["南马庄社区居民委员会"] == lookup["410771360001"] == (GUANDI, "410771360001")


def test_an_ambiguous_name_is_known_by_code_only():
    assert Division.objects.filter(name="城关镇", level="乡级").count() == 2
    lookup = selectors.region_lookup()
    assert "城关镇" not in lookup
    assert lookup["410724100"] == ("410724100", None) and lookup["410727100"] == ("410727100", None)


def test_region_lookup_knows_no_county_or_unknown_name():
    lookup = selectors.region_lookup()
    assert "新乡高新技术产业开发区" not in lookup and "410771" not in lookup  # county level
    assert "火星街道" not in lookup


def test_township_lookup_takes_townships_and_refuses_communities():
    towns = selectors.township_lookup()
    assert towns["振中街道"] == towns[ZHENZHONG] == ZHENZHONG
    assert towns["关堤乡"] == GUANDI
    assert "南马庄社区居民委员会" not in towns and "410771360001" not in towns


def test_the_lookup_is_cached_until_the_caches_are_cleared():
    assert "新街道" not in selectors.region_lookup()
    Division.objects.create(
        code="410771999", code12="410771999000", name="新街道", level="乡级", type="街道", parent_id="410771"
    )
    assert "新街道" not in selectors.region_lookup()
    selectors.clear_caches()
    assert selectors.region_lookup()["新街道"] == ("410771999", None)


@pytest.mark.parametrize(
    "code,section",
    [
        ("3841", "C"),  # class
        ("384", "C"),  # group
        ("38", "C"),  # division
        ("C", "C"),  # section
        (" c ", "C"),  # trimmed, case-insensitive
        ("62", "H"),
        ("0111", "A"),
        ("98", None),  # no such division
        ("Z", None),  # no such section
        ("38411", None),  # too long
        ("3", None),
        ("38A", None),
        ("", None),
    ],
)
def test_industry_section_of_a_code(code, section):
    assert selectors.industry_section(code) == section


def test_method_codes_by_code_or_label():
    methods = selectors.method_codes()
    assert methods["1"] == methods["实地检查"] == "1"
    assert methods["网络监测"] == "5"
    assert "托梦" not in methods
