"""One annual cap per firm, all checks counted (国办发〔2024〕54号: a published cap on inspections per
enterprise and year, across every department).

``FAIRSPOT_FIRM_ANNUAL_CAP`` (0: no cap) is the district's cap. A firm's checks in a calendar year are:

- its visits that year (a joint visit of several departments counts once — 综合查一次 — and a visit
  replaced by an alternate does not count);
- its drawn places in revealed draws of that year whose visits are not made yet (they will be);
- the case-driven checks approved for it that year (检查审批 of a lead).

A routine draw excludes a firm that has reached the cap, with the reason ``firm_annual_cap`` recorded in
the manifest like every exclusion (registered with ``draws.population`` in ``InspectionsConfig.ready``).
Special inspections (专项检查) are not limited: they are made from cases, and the cases record why.

An item may set its own cap (``CheckItem.firm_annual_cap``): checks *of that item* per firm and year.
A routine draw of a task with such an item excludes the firms at it, with the reason ``item_annual_cap``.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from django.conf import settings
from django.db import connection

from fairspot.draws.models import Draw, DrawnTarget, DrawStatus, Task, TaskKind
from fairspot.inspections.models import ApprovalKind, CheckApproval, Visit, VisitItem, VisitStatus

REASON = "firm_annual_cap"
ITEM_REASON = "item_annual_cap"


def _pending_draws(year: int):
    """Revealed draws of ``year`` whose visits are not made yet: their drawn places count as checks."""
    return Draw.objects.filter(
        status=DrawStatus.REVEALED, task__inspection_date__year=year, visits__isnull=True
    )


def _drawn_places(draws):
    """The places drawn (not alternates) in ``draws``, one row each: a target is drawn at most once in a
    draw (a constraint), so no DISTINCT is needed, and the draws are a subquery rather than a join
    (joining every drawn place to its task and visits and sorting them for DISTINCT took 0.3 s at
    90,000 places on PostgreSQL)."""
    return DrawnTarget.objects.filter(draw_id__in=draws.values("pk"), alternate=False)


def _counted(sources: list, *, at_least: int, targets: list[int] | None) -> Counter:
    """{target pk: rows} over ``sources`` (querysets with a ``target_id``, one row per check), for the
    targets with at least ``at_least`` rows (of ``targets`` only, when given). Counted in the database:
    ``UNION ALL``, grouped by target; a province's year holds hundreds of thousands of checks, and only
    the targets asked about come back."""
    if targets is not None:
        if not targets:
            return Counter()
        sources = [qs.filter(target_id__in=targets) for qs in sources]
    first, *rest = [qs.order_by().values_list("target_id") for qs in sources]
    sql, params = first.union(*rest, all=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT target_id, COUNT(*) FROM ({sql}) checks GROUP BY target_id HAVING COUNT(*) >= %s",  # noqa: S608
            [*params, max(at_least, 1)],
        )
        return Counter(dict(cursor.fetchall()))


def checks_in_year(
    year: int, *, task: Task | None = None, at_least: int = 1, targets: list[int] | None = None
) -> Counter:
    """{target pk: number of checks in ``year``} for the targets checked at least ``at_least`` times (of
    ``targets`` only, when given), leaving out what comes from ``task`` itself: visits (not replaced),
    drawn places not yet visited, case checks."""
    visits = Visit.objects.filter(inspection_date__year=year).exclude(status=VisitStatus.REPLACED)
    draws = _pending_draws(year)
    if task is not None and task.pk:
        visits = visits.exclude(draws__task=task)
        draws = draws.exclude(task=task)
    cases = CheckApproval.objects.filter(kind=ApprovalKind.CASE, target__isnull=False, approved_at__year=year)
    return _counted([visits, _drawn_places(draws), cases], at_least=at_least, targets=targets)


def firm_cap_exclusions(task: Task) -> dict[int, str]:
    """Targets at the district's annual cap, for a routine task (an exclusion provider of draws)."""
    cap = settings.FAIRSPOT_FIRM_ANNUAL_CAP
    if cap <= 0 or task.kind != TaskKind.ROUTINE:
        return {}
    return dict.fromkeys(checks_in_year(task.inspection_date.year, task=task, at_least=cap), REASON)


def item_checks_in_year(year: int, item_id: int, *, task: Task | None = None, at_least: int = 1) -> Counter:
    """{target pk: checks of the item in ``year``}: visits with the item (not replaced) and places in
    revealed draws of tasks with the item whose visits are not made yet; ``task`` itself left out."""
    lines = VisitItem.objects.filter(item_id=item_id, visit__inspection_date__year=year).exclude(
        visit__status=VisitStatus.REPLACED
    )
    draws = _pending_draws(year).filter(task__items=item_id)
    if task is not None and task.pk:
        lines = lines.exclude(draw__task=task)
        draws = draws.exclude(task=task)
    visits = Visit.objects.filter(pk__in=lines.values("visit_id"))  # a visit once, whatever its lines
    return _counted([visits, _drawn_places(draws)], at_least=at_least, targets=None)


def item_cap_exclusions(task: Task) -> dict[int, str]:
    """Targets checked this year for an item of a routine task as often as the item's own cap allows."""
    if task.kind != TaskKind.ROUTINE or not task.pk:
        return {}
    out: dict[int, str] = {}
    for item_id, cap in task.items.filter(firm_annual_cap__isnull=False).values_list("pk", "firm_annual_cap"):
        out.update(
            dict.fromkeys(
                item_checks_in_year(task.inspection_date.year, item_id, task=task, at_least=cap), ITEM_REASON
            )
        )
    return out


def often_checked(year: int) -> tuple[int, list[dict]]:
    """The firms the office is warned about: checked this year as often as the cap (or, with no cap,
    at least twice), most checked first, with the departments of their visits."""
    from fairspot.directory.models import Target

    cap = settings.FAIRSPOT_FIRM_ANNUAL_CAP
    threshold = cap if cap > 0 else 2
    counts = checks_in_year(year, at_least=threshold)
    pks = list(counts)
    departments: dict[int, set[str]] = {}
    visits = Visit.objects.filter(inspection_date__year=year, target_id__in=pks).exclude(
        status=VisitStatus.REPLACED
    )
    for target_id, name in visits.values_list("target_id", "departments__name"):
        if name:
            departments.setdefault(target_id, set()).add(name)
    rows = [
        {
            "target": target,
            "checks": counts[target.pk],
            "departments": sorted(departments.get(target.pk, ())),
            "at_cap": cap > 0 and counts[target.pk] >= cap,
        }
        for target in Target.objects.filter(pk__in=pks)
    ]
    rows.sort(key=lambda r: (-r["checks"], r["target"].identifier))
    return threshold, rows


def merge_proposals(year: int, window_days: int) -> list[tuple[Visit, Visit]]:
    """Planned visits to the same firm by different lead departments within ``window_days`` of each
    other: candidates for one combined visit (综合查一次), earliest first."""
    visits = list(
        Visit.objects.filter(inspection_date__year=year, status=VisitStatus.PLANNED)
        .select_related("target", "department")
        .order_by("target_id", "inspection_date", "pk")
    )
    pairs = []
    for first, second in pairwise(visits):
        if (
            first.target_id == second.target_id
            and first.department_id != second.department_id
            and (second.inspection_date - first.inspection_date).days <= window_days
        ):
            pairs.append((first, second))
    pairs.sort(key=lambda p: (p[0].inspection_date, p[0].target.identifier))
    return pairs
