"""Reveals of large draws on the task queue.

Drawing from a province-sized population and matching its teams can take longer than a web request may
(gunicorn restarts a worker after ``GUNICORN_TIMEOUT``). A draw whose population is larger than
``FAIRSPOT_REVEAL_INLINE_ROWS`` is therefore revealed by the worker: the officer's click checks that
every source is confirmed, records that the reveal was asked for (audited) and queues it; the draw's page
says it is being revealed. The reveal itself is the same service in one transaction, so a worker that dies
leaves the draw committed and nothing half-written; after ``FAIRSPOT_JOB_STALE_SECONDS`` the page offers
the reveal again. A refusal (e.g. a source changed meanwhile) is kept on the draw and shown.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from fairspot.accounts.models import User
from fairspot.accounts.scoping import require_department
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.core.jobs import still_running
from fairspot.draws import services
from fairspot.draws.models import Draw, DrawStatus


def runs_in_background(draw: Draw) -> bool:
    return draw.population_size > settings.FAIRSPOT_REVEAL_INLINE_ROWS


def reveal_pending(draw: Draw) -> bool:
    """A reveal was queued and its worker may still be at work (not yet stale)."""
    return draw.status == DrawStatus.COMMITTED and still_running(draw.reveal_queued_at)


def reveal_queue(*, actor, draw: Draw) -> Draw:
    """Check what can be checked now, record the request and queue the reveal after this commit."""
    require_department(actor, draw.task.department_id)
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("task").get(pk=draw.pk)
        if draw.status != DrawStatus.COMMITTED:
            raise DomainError(_("This draw has already been revealed; a draw is revealed once."))
        if reveal_pending(draw):
            raise DomainError(
                _("The reveal of this draw is already under way; refresh the page in a moment.")
            )
        services.require_all_confirmed(draw.sources, services.confirmed_values(draw))
        draw.reveal_queued_at, draw.reveal_error = timezone.now(), ""
        draw.save(update_fields=["reveal_queued_at", "reveal_error"])
        record(actor, "draws.draw.reveal_queued", draw, data={"population": draw.population_size})
    if settings.FAIRSPOT_JOBS_INLINE:
        reveal_run(draw.pk, actor.pk)
        draw.refresh_from_db()
    else:
        transaction.on_commit(partial(reveal_draw.enqueue, draw.pk, actor.pk))
    return draw


@task()
def reveal_draw(draw_pk: int, actor_pk: int) -> str:
    return reveal_run(draw_pk, actor_pk)


def reveal_run(draw_pk: int, actor_pk: int) -> str:
    draw = Draw.objects.select_related("task").get(pk=draw_pk)
    actor = User.objects.get(pk=actor_pk)
    try:
        services.draw_reveal(actor=actor, draw=draw)
    except (DomainError, PermissionDenied) as exc:
        Draw.objects.filter(pk=draw_pk).update(reveal_error=str(exc)[:2000], reveal_queued_at=None)
        record(actor, "draws.draw.reveal_refused", draw, data={"reason": str(exc)[:2000]})
        return "refused"
    Draw.objects.filter(pk=draw_pk).update(reveal_queued_at=None)
    return "revealed"
