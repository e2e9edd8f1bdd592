"""The population preview on a task's page, computed once per task and data stamp.

Counting a task's population means classifying every target in its scope (status, repeat window, caps,
open cases, items' scope): at a province's size that is millions of rows, too slow for every view of
the page. The counts are kept in the shared cache under the task and the data stamp
(``fairspot.core.versions``: any change to the directory, the items, the draws, the cases, the credit
classes or the visits, and every import, makes a new stamp), so a page view reads them in milliseconds
and never shows counts of older data. When they are missing, a directory up to
``FAIRSPOT_PREVIEW_INLINE_ROWS`` targets is counted at once; a larger one by the background worker,
and the page says how far it has got. The commit itself never uses these counts: it freezes the
population afresh (``population.freeze``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task as background

from fairspot.core import versions
from fairspot.directory.models import Target
from fairspot.draws.models import Task
from fairspot.draws.population import PopulationSummary, summarize


@dataclass
class Preview:
    summary: PopulationSummary | None = None
    computed_at: datetime | None = None
    counted: int = 0  # rows counted so far while the worker is at it (no summary yet)


def _key(kind: str, task_pk: int, stamp: str) -> str:
    return f"fairspot:preview:{kind}:{task_pk}:{stamp}"


def _compute(task: Task, stamp: str) -> Preview:
    def progress(n: int) -> None:
        cache.set(_key("counted", task.pk, stamp), n, timeout=settings.FAIRSPOT_JOB_STALE_SECONDS)

    summary = summarize(task, progress)
    done = Preview(summary=summary, computed_at=timezone.now())
    cache.set(_key("done", task.pk, stamp), (summary, done.computed_at), timeout=versions.KEEP_SECONDS)
    cache.delete(_key("running", task.pk, stamp))
    return done


def directory_bound() -> int:
    """An upper bound on the directory's rows, read from the primary key's index (no count)."""
    return Target.objects.aggregate(m=Max("pk"))["m"] or 0


def _kept(task: Task, stamp: str) -> Preview | None:
    hit = cache.get(_key("done", task.pk, stamp))
    return Preview(summary=hit[0], computed_at=hit[1]) if hit is not None else None


def kept_summary(task: Task) -> PopulationSummary | None:
    """The task's counts if they are kept for the current data, else None (nothing is counted)."""
    kept = _kept(task, versions.current())
    return kept.summary if kept else None


def preview_for(task: Task) -> Preview:
    """The counts of the current data: from the cache, counted now, or being counted by the worker."""
    stamp = versions.current()
    kept = _kept(task, stamp)
    if kept is not None:
        return kept
    if settings.FAIRSPOT_JOBS_INLINE or directory_bound() <= settings.FAIRSPOT_PREVIEW_INLINE_ROWS:
        return _compute(task, stamp)
    # one worker job per task and stamp; a job not heard from for the stale period is queued again
    if cache.add(_key("running", task.pk, stamp), 1, timeout=settings.FAIRSPOT_JOB_STALE_SECONDS):
        transaction.on_commit(partial(count_population.enqueue, task.pk, stamp))
    return Preview(counted=cache.get(_key("counted", task.pk, stamp), 0))


@background()
def count_population(task_pk: int, stamp: str) -> str:
    task = Task.objects.filter(pk=task_pk).first()
    if task is None or versions.current() != stamp:
        return "stale"  # the next view of the page asks for the counts of the newer data
    _compute(task, stamp)
    return "counted"
