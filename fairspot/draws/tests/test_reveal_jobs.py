"""A draw of a large population is revealed by the worker: the click is recorded and queued, the page
says so, a refusal is kept and shown, and a reveal whose worker died can be asked for again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fairspot.audit.models import AuditEntry
from fairspot.draws import reveal_jobs, services
from fairspot.draws.models import Draw, DrawStatus, SourceValue
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(market_admin, colleague, district):
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    confirm(draw, market_admin, colleague)
    return draw


def test_a_large_draw_is_revealed_by_the_worker(settings, client, market_admin, committed):
    settings.FAIRSPOT_REVEAL_INLINE_ROWS = 10  # the fixture's 60 targets count as large
    client.force_login(market_admin)
    response = client.post(reverse("draws:reveal", args=[committed.draw_id]), follow=True)
    committed.refresh_from_db()
    assert committed.status == DrawStatus.REVEALED and committed.reveal_queued_at is None
    actions = list(
        AuditEntry.objects.filter(object_id=str(committed.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert actions.index("draws.draw.reveal_queued") < actions.index("draws.draw.revealed")
    assert "background" in response.content.decode()


def test_a_small_draw_is_revealed_at_once(client, market_admin, committed):
    client.force_login(market_admin)
    client.post(reverse("draws:reveal", args=[committed.draw_id]))
    committed.refresh_from_db()
    assert committed.status == DrawStatus.REVEALED
    assert not AuditEntry.objects.filter(action="draws.draw.reveal_queued").exists()


def test_nothing_is_queued_while_a_source_is_missing(settings, market_admin, colleague, district):
    settings.FAIRSPOT_REVEAL_INLINE_ROWS = 10
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    confirm(draw, market_admin)  # one officer only: the ceremony needs two
    with pytest.raises(Exception, match="ceremony"):
        reveal_jobs.reveal_queue(actor=market_admin, draw=draw)
    draw.refresh_from_db()
    assert draw.reveal_queued_at is None and draw.status == DrawStatus.COMMITTED


def test_a_refusal_in_the_worker_is_kept_and_shown(settings, client, market_admin, committed):
    settings.FAIRSPOT_REVEAL_INLINE_ROWS = 10
    settings.FAIRSPOT_JOBS_INLINE = False  # queued, not run: the worker runs it below
    reveal_jobs.reveal_queue(actor=market_admin, draw=committed)
    client.force_login(market_admin)
    page = client.get(reverse("draws:draw", args=[committed.draw_id])).content.decode()
    assert 'id="reveal-pending"' in page and reverse("draws:reveal", args=[committed.draw_id]) not in page
    SourceValue.objects.filter(draw=committed).delete()  # the values are gone when the worker starts
    assert reveal_jobs.reveal_run(committed.pk, market_admin.pk) == "refused"
    committed.refresh_from_db()
    assert committed.status == DrawStatus.COMMITTED and committed.reveal_error
    refused = AuditEntry.objects.get(action="draws.draw.reveal_refused", object_id=str(committed.pk))
    assert refused.data["reason"] == committed.reveal_error
    page = client.get(reverse("draws:draw", args=[committed.draw_id])).content.decode()
    assert 'id="reveal-error"' in page


def test_a_reveal_whose_worker_died_can_be_asked_for_again(settings, market_admin, committed):
    settings.FAIRSPOT_REVEAL_INLINE_ROWS = 10
    stale = timezone.now() - timezone.timedelta(seconds=settings.FAIRSPOT_JOB_STALE_SECONDS + 1)
    Draw.objects.filter(pk=committed.pk).update(reveal_queued_at=stale)
    committed.refresh_from_db()
    assert not reveal_jobs.reveal_pending(committed)
    assert reveal_jobs.reveal_queue(actor=market_admin, draw=committed).status == DrawStatus.REVEALED
