"""Officers read words and land where they meant to: method names, a full code opens the target, a
task offers the district's own townships."""

import pytest
from django.urls import reverse

from fairspot.directory.models import Target
from fairspot.draws.forms import TaskForm
from fairspot.reference.models import CheckMethod, Division
from fairspot.reference.selectors import method_names
from fairspot.testing.directory import uscc

pytestmark = pytest.mark.django_db


def test_method_codes_read_as_names():
    labels = dict(CheckMethod.objects.values_list("code", "label"))
    code = sorted(labels)[0]
    assert method_names(f"{code},{code}") == f"{labels[code]}、{labels[code]}"
    assert method_names("") == "—" and method_names("zz") == "zz"


def test_a_full_code_opens_the_target_page(client, market_admin, departments):
    target = Target.objects.create(
        identifier=uscc(), name="甲公司", entity_type="enterprise", department=departments["market"]
    )
    client.force_login(market_admin)
    response = client.get(reverse("directory:list"), {"q": target.identifier.lower()})
    assert response.status_code == 302 and response["Location"] == reverse(
        "directory:detail", args=[target.pk]
    )
    partial = client.get(reverse("directory:list"), {"q": target.identifier[:10]})
    assert partial.status_code == 200  # a part of a code is still a search


def test_task_form_offers_the_townships_of_the_directory(departments, market_admin):
    town = Division.objects.filter(level="乡级").order_by("code").last()
    Target.objects.create(
        identifier=uscc(),
        name="乙公司",
        entity_type="enterprise",
        department=departments["market"],
        township=town,
    )
    offered = list(TaskForm(user=market_admin).fields["township"].queryset)
    assert offered == [town]
