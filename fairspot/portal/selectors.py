"""Reads of the public portal (一公开): only what is published, never anything that writes.

What is public:
- check items with ``published`` set, per department;
- every task that has a committed draw (a task notice exists from the moment its manifest digest is
  published), and every draw of it — committed, revealed or abandoned (the protocol requires aborts to be
  public, with their reason);
- targets that appear in something published: drawn or alternate in a draw whose seed is known, or with
  a published result. Other directory entries have no public page;
- results whose status is ``published`` and whose public display has not ended (display period over,
  or credit repair granted), with their corrections, follow-up dispositions and open objections;
  results withheld by law (不予公示) only as a count.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from fairspot.accounts.models import Department
from fairspot.directory.models import Target
from fairspot.draws.models import Draw, DrawnTarget, Task
from fairspot.inspections.models import VisitItem
from fairspot.inspections.selectors import publication_counts, published_results_for_target, shown_results
from fairspot.items.models import CheckItem

SEARCH_LIMIT = 50


def published_items() -> QuerySet[CheckItem]:
    return (
        CheckItem.objects.filter(published=True)
        .select_related("department")
        .prefetch_related("participating_departments")
    )


def departments_with_items() -> QuerySet[Department]:
    return (
        Department.objects.annotate(n_items=Count("items", filter=Q(items__published=True)))
        .filter(n_items__gt=0)
        .order_by("sort_order", "code")
    )


def public_tasks() -> QuerySet[Task]:
    with_draw = Draw.objects.values("task_id")
    return (
        Task.objects.filter(pk__in=with_draw)
        .select_related("department", "batch_link__batch__plan")
        .prefetch_related(
            Prefetch("items", queryset=CheckItem.objects.filter(published=True).order_by("code")),
            "participating_departments",
            Prefetch("draws", queryset=Draw.objects.order_by("number")),
        )
    )


def public_draws() -> QuerySet[Draw]:
    """Every committed draw is public: its digest was published at commit time."""
    return Draw.objects.select_related("task", "task__department", "replaces")


def drawn_targets(draw: Draw) -> QuerySet[DrawnTarget]:
    """The draw's drawn targets and alternates — empty until the seed is known."""
    if not draw.seed:
        return DrawnTarget.objects.none()
    return draw.drawn.select_related("target", "target__township").order_by("alternate", "stratum", "rank")


def public_targets() -> QuerySet[Target]:
    drawn = DrawnTarget.objects.exclude(draw__seed="").values("target_id")
    published = shown_results().values("visit__target_id")
    return Target.objects.filter(Q(pk__in=drawn) | Q(pk__in=published)).select_related("township")


def search_targets(q: str) -> list[Target]:
    """Public targets by exact identifier or part of the name (parameterised queries; at most 50)."""
    q = "".join(c for c in (q or "") if c.isprintable()).strip()[:100]  # PostgreSQL refuses NUL
    if not q:
        return []
    qs = public_targets()
    code = q.upper()
    match = Q(identifier=code) | Q(name__contains=q) if len(q) >= 2 else Q(identifier=code)
    return list(qs.filter(match).order_by("name")[:SEARCH_LIMIT])


def target_draws(target: Target) -> QuerySet[DrawnTarget]:
    return (
        DrawnTarget.objects.filter(target=target)
        .exclude(draw__seed="")
        .select_related("draw", "draw__task", "draw__task__department", "draw__task__batch_link__batch__plan")
        .order_by("-draw__committed_at")
    )


def target_results(target: Target) -> QuerySet[VisitItem]:
    """Published results only (the inspections app's selector), newest inspection first."""
    return published_results_for_target(target).select_related(
        "draw__task", "draw__task__batch_link__batch__plan", "visit"
    )


def task_result_counts(task: Task) -> dict[str, int]:
    """How many of the task's results are shown, withheld by law, no longer shown, or not yet published."""
    return publication_counts(VisitItem.objects.filter(draw__task=task))
