"""Which reason a target is excluded for when several rules apply: scope, then registration status,
then class A, then the repeat window, then the annual cap, then other rooms' providers (the first
registered first). A cap of 0 excludes every target no earlier rule excludes."""

from collections import Counter
from decimal import Decimal

import pytest

from fairspot.directory.models import Target
from fairspot.draws import population
from fairspot.testing.draws import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(district, monkeypatch):
    """Targets a, b, c (active) and the cancelled one, each caught by the rules named below."""
    active = list(Target.objects.filter(status="active").order_by("pk").values_list("pk", flat=True))
    cancelled = Target.objects.get(status="cancelled").pk
    a, b, c = active[:3]
    monkeypatch.setattr(population, "_recently_drawn", lambda task: {a, cancelled})
    monkeypatch.setattr(
        population, "_times_drawn_this_year", lambda task: Counter({a: 5, b: 5, active[4]: 1})
    )
    providers = [lambda task: {a: "open_case", b: "open_case", c: "open_case"}, lambda task: {c: "other"}]
    monkeypatch.setattr(population, "EXCLUSION_PROVIDERS", providers)
    return {"a": a, "b": b, "c": c, "cancelled": cancelled, "once": active[4], "free": active[5]}


def _reasons(task) -> dict[int, str | None]:
    by_ident = {ident: reason for ident, reason, _cls, _row in population.classify(task)}
    return {t.pk: by_ident[t.identifier] for t in Target.objects.all()}


def test_the_earlier_rule_gives_the_reason(market_admin, district, rules):
    task = make_task(market_admin, district, ratio=Decimal("0.1"))
    task.annual_cap = 2
    got = _reasons(task)
    assert got[rules["cancelled"]] == "deregistered"  # status before the repeat window
    assert got[rules["a"]] == "repeat_window"  # before the cap and the provider
    assert got[rules["b"]] == "annual_cap"  # before the provider
    assert got[rules["c"]] == "open_case"  # the first provider
    assert got[rules["once"]] is None and got[rules["free"]] is None


def test_a_cap_of_zero_excludes_everyone_else(market_admin, district, rules):
    task = make_task(market_admin, district, ratio=Decimal("0.1"))
    task.annual_cap = 0
    got = _reasons(task)
    assert got[rules["cancelled"]] == "deregistered"
    assert got[rules["a"]] == "repeat_window"
    assert {got[rules[k]] for k in ("b", "c", "once", "free")} == {"annual_cap"}
    assert None not in got.values()
