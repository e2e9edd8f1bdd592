"""The app's reveal computes a large srs draw inside PostgreSQL (fairspot.draws.reveal_path) and gets the
engine's bundle, byte for byte, and the same drawn rows; a tampered population is refused; small draws,
πps draws and the setting at 0 use the engine. PostgreSQL only (the CI's second pass)."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from django.db import connection

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.draw import reveal_bundle
from fairspot.draws import reveal_path, services
from fairspot.draws.models import DrawStatus
from fairspot.testing.draws import CEREMONY, VALUE, confirm, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the in-database draw runs on PostgreSQL only")


def _committed(admin, colleague, district, **kw):
    task = make_task(admin, district, ratio=Decimal("0.3"), **kw)
    draw = services.draw_commit(actor=admin, task=task, sources=[CEREMONY])
    confirm(draw, admin, colleague)
    return draw


def _computed_in(draw) -> str:
    entry = AuditEntry.objects.get(action="draws.draw.revealed", object_id=str(draw.pk))
    return entry.data["computed_in"]


def test_the_database_reveals_the_engines_bundle_byte_for_byte(
    settings, tmp_path, market_admin, colleague, district
):
    settings.FAIRSPOT_SQL_DRAW_MIN_ROWS = 10  # the district's 60 targets count as large
    draw = _committed(market_admin, colleague, district)
    folder = services.draw_dir(draw.draw_id) / "targets"
    reference = tmp_path / "engine"
    shutil.copytree(folder, reference)
    draw = services.draw_reveal(actor=market_admin, draw=draw)
    assert draw.status == DrawStatus.REVEALED and _computed_in(draw) == "database"
    expected = reveal_bundle(reference, {"ceremony": VALUE})
    files = sorted(p.name for p in folder.iterdir())
    assert files == sorted(p.name for p in reference.iterdir())
    for name in files:
        assert (folder / name).read_bytes() == (reference / name).read_bytes(), name
    drawn = set(draw.drawn.values_list("target__identifier", "rank", "alternate"))
    assert drawn == {
        (e["id"], rank, alternate)
        for s in expected["strata"]
        for alternate, part in ((False, "selected"), (True, "alternates"))
        for rank, e in enumerate(s[part], start=1)
    }


def test_a_tampered_population_is_refused_in_the_database(settings, market_admin, colleague, district):
    settings.FAIRSPOT_SQL_DRAW_MIN_ROWS = 10
    draw = _committed(market_admin, colleague, district)
    population = services.draw_dir(draw.draw_id) / "targets" / "population.csv"
    lines = population.read_bytes().splitlines(keepends=True)
    population.write_bytes(lines[0] + b"".join(reversed(lines[1:])))  # same rows, another order
    with pytest.raises(DomainError):
        services.draw_reveal(actor=market_admin, draw=draw)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMMITTED and not draw.drawn.exists()


def test_small_draws_and_the_setting_at_zero_use_the_engine(settings, market_admin, colleague, district):
    settings.FAIRSPOT_SQL_DRAW_MIN_ROWS = 1000
    draw = services.draw_reveal(actor=market_admin, draw=_committed(market_admin, colleague, district))
    assert _computed_in(draw) == "engine"
    settings.FAIRSPOT_SQL_DRAW_MIN_ROWS = 0
    assert not reveal_path.computes_in_database(draw)


def test_a_pps_draw_never_uses_the_database(settings, market_admin, colleague, district):
    settings.FAIRSPOT_SQL_DRAW_MIN_ROWS = 1
    draw = _committed(market_admin, colleague, district, code="T-PPS", design="pps")
    assert not reveal_path.computes_in_database(draw)
    draw = services.draw_reveal(actor=market_admin, draw=draw)
    assert _computed_in(draw) == "engine"
