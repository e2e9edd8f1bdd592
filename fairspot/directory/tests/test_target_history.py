"""A target's page shows only the audit entries of departments the viewer may read in /audit/."""

import pytest
from django.db import transaction
from django.urls import reverse

from fairspot.audit.services import Change, record_many
from fairspot.directory.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(departments, market_admin, fire_admin):
    target = Target.objects.create(
        identifier="91410700MA00000001", name="测试企业", department=departments["market"]
    )
    with transaction.atomic():
        record_many(market_admin, [Change("directory.target.changed", target, data={"note": "MARKET-NOTE"})])
        record_many(
            fire_admin,
            [
                Change(
                    "directory.target.changed",
                    target,
                    data={"note": "FIRE-NOTE"},
                    department_id=departments["fire"].pk,
                )
            ],
        )
    return target


def history(client, user, target):
    client.force_login(user)
    response = client.get(reverse("directory:detail", args=[target.pk]))
    assert response.status_code == 200
    return {entry.department_id for entry in response.context["history"]}


def test_department_admin_sees_only_own_department_entries(
    client, market_admin, fire_admin, departments, target
):
    assert history(client, market_admin, target) == {departments["market"].pk}
    assert history(client, fire_admin, target) == {departments["fire"].pk}


def test_office_sees_every_department(client, office, departments, target):
    assert history(client, office, target) == {departments["market"].pk, departments["fire"].pk}
