"""Strata are shown in words (industry and township names), never as codes like ``C / 410771360``."""

import pytest
from django.urls import reverse

from fairspot.draws import services
from fairspot.reference.models import Division, Industry
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db


def test_stored_strata_preview_and_public_page_use_names(client, market_admin, colleague, district):
    section = Industry.objects.get(code="C").name
    town = Division.objects.get(code="410771560").name.removeprefix("开发区")
    task = make_task(market_admin, district)
    client.force_login(market_admin)
    preview = client.get(reverse("draws:task", args=[task.pk])).content.decode()
    assert f"{section} / {town}" in preview and "C / 410771560" not in preview
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    confirm(draw, market_admin, colleague)
    services.draw_reveal(actor=market_admin, draw=draw)
    labels = set(draw.drawn.values_list("stratum", flat=True))
    assert labels and all(label.startswith(f"{section} / ") for label in labels)
    assert f"{section} / {town}" in labels
