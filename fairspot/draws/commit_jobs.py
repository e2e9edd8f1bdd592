"""Commits of large populations on the task queue.

Committing freezes the task's population: every target in scope is classified and written, with the
exclusions, into the bundle. For a province (millions of targets) that takes longer than a web request
may. A task whose population is larger than ``FAIRSPOT_COMMIT_INLINE_ROWS`` is therefore committed by
the worker: the officer's click checks what can be checked at once (department, no live draw, the
declared sources), is audited and queued; the task page says the commit is under way and reloads by
itself. The commit is the same service in one transaction, so a worker that dies commits nothing; after
``FAIRSPOT_JOB_STALE_SECONDS`` the page offers the commit again. A refusal met in the worker (e.g. an
empty population) is kept on the task and shown.

How large the population is comes from the task's kept preview when there is one, else from an upper
bound on the directory's size (no count of the whole directory in the request).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task as background

from fairspot.accounts.models import User
from fairspot.accounts.scoping import require_department
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.core.jobs import still_running
from fairspot.draws import services
from fairspot.draws.models import DrawStatus, Task
from fairspot.draws.preview import directory_bound, kept_summary


def runs_in_background(task: Task) -> bool:
    summary = kept_summary(task)
    size = summary.total if summary is not None else directory_bound()
    return size > settings.FAIRSPOT_COMMIT_INLINE_ROWS


def commit_pending(task: Task) -> bool:
    """A commit was queued and its worker may still be at work (not yet stale)."""
    return still_running(task.commit_queued_at)


def commit_queue(*, actor, task: Task, sources: list[dict]) -> Task:
    """Check what can be checked now, record the request and queue the commit after this commit."""
    require_department(actor, task.department_id)
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        if task.draws.exclude(status=DrawStatus.ABANDONED).exists():
            raise DomainError(_("This task already has a draw; abandon it first if it must be drawn again."))
        if commit_pending(task):
            raise DomainError(_("The commit of this task is already under way; the page shows it when done."))
        task.commit_queued_at, task.commit_error = timezone.now(), ""
        task.save(update_fields=["commit_queued_at", "commit_error"])
        record(actor, "draws.task.commit_queued", task, data={"sources": [s["name"] for s in sources]})
    if settings.FAIRSPOT_JOBS_INLINE:
        commit_run(task.pk, actor.pk, sources)
        task.refresh_from_db()
    else:
        transaction.on_commit(partial(commit_task.enqueue, task.pk, actor.pk, sources))
    return task


@background()
def commit_task(task_pk: int, actor_pk: int, sources: list[dict]) -> str:
    return commit_run(task_pk, actor_pk, sources)


def commit_run(task_pk: int, actor_pk: int, sources: list[dict]) -> str:
    task = Task.objects.get(pk=task_pk)
    actor = User.objects.get(pk=actor_pk)
    try:
        services.draw_commit(actor=actor, task=task, sources=sources)
    except (DomainError, PermissionDenied) as exc:
        Task.objects.filter(pk=task_pk).update(commit_error=str(exc)[:2000], commit_queued_at=None)
        record(actor, "draws.task.commit_refused", task, data={"reason": str(exc)[:2000]})
        return "refused"
    Task.objects.filter(pk=task_pk).update(commit_queued_at=None)
    return "committed"
