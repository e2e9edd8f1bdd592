"""The task form offers entity types and industry sections as lists (searchable, several at once);
nobody types codes such as “C；F”. What is stored does not change: codes joined by “；”."""

import pytest

from fairspot.draws.forms import TaskForm
from fairspot.draws.models import Task

pytestmark = pytest.mark.django_db


def _data(item, **extra):
    data = {
        "code": "T-F",
        "title": "第一批",
        "items": [item.pk],
        "inspection_date": "2026-12-15",
        "ratio": "0.1",
        "design": Task._meta.get_field("design").default,
        "stratify_by_industry": "on",
        "risk_weights": Task._meta.get_field("risk_weights").default,
        "alternates": 2,
        "team_size": 2,
        "recent_window_days": 365,
        "annual_cap": 2,
        "experts_per_team": 0,
    }
    data.update(extra)
    return data


def test_types_and_sections_are_picked_from_lists(market_admin, item):
    form = TaskForm(user=market_admin)
    sections = dict(form.fields["industry_sections"].choices)
    assert sections["C"] == "C 制造业" and "enterprise" in dict(form.fields["entity_types"].choices)
    data = _data(item, entity_types=["enterprise", "cooperative"], industry_sections=["C", "F"])
    form = TaskForm(data, user=market_admin)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["entity_types"] == "enterprise；cooperative"
    assert form.cleaned_data["industry_sections"] == "C；F"


def test_a_code_not_on_the_list_is_refused_in_words(market_admin, item):
    form = TaskForm(_data(item, industry_sections=["ZZ"]), user=market_admin)
    assert not form.is_valid() and "industry_sections" in form.errors


def test_an_existing_scope_shows_as_chosen(market_admin, item):
    task = Task(entity_types="enterprise；individual", industry_sections="C；F")
    form = TaskForm(instance=task, user=market_admin)
    assert form.initial["entity_types"] == ["enterprise", "individual"]
    assert form.initial["industry_sections"] == ["C", "F"]
