"""The plan form offers the district's own townships and picks types and sections from lists."""

import pytest

from fairspot.directory.models import Target
from fairspot.plans.forms import PlanForm
from fairspot.reference.models import Division

pytestmark = pytest.mark.django_db


def test_plan_form_offers_the_districts_townships_only(district):
    offered = set(PlanForm().fields["township"].queryset.values_list("pk", flat=True))
    own = set(Target.objects.values_list("township_id", flat=True))
    assert offered == own and Division.objects.filter(level="乡级").count() > len(own)


def test_plan_form_picks_sections_from_a_list(district):
    field = PlanForm().fields["industry_sections"]
    assert dict(field.choices)["F"] == "F 批发和零售业"
