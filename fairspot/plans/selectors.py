"""Reads of plans.

Department staff see their own department's plans and the joint plans their department takes part in;
the joint-meeting office (and system administrators) see every plan. The district's annual plan is built
from approved versions, so a plan under adjustment shows there as last approved.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from fairspot.plans.models import Plan, PlanVersion


def plans_for(user, *, q: str = "", filters: dict | None = None) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("department")
    if not user.sees_all_departments:
        if user.department_id is None:
            return qs.none()
        joint = Plan.participating_departments.through.objects.filter(department_id=user.department_id)
        qs = qs.filter(Q(department_id=user.department_id) | Q(pk__in=joint.values("plan_id")))
    if q.strip():
        qs = qs.filter(Q(title__contains=q.strip()) | Q(code__startswith=q.strip()))
    for field, value in (filters or {}).items():
        if value not in (None, ""):
            qs = qs.filter(**{field: value})
    return qs


def plan_years(user) -> list[int]:
    return sorted(set(plans_for(user).values_list("year", flat=True)), reverse=True)


@dataclass
class DistrictEntry:
    """One plan in the district's annual plan, as its version in force says."""

    plan: Plan
    version: PlanVersion

    @property
    def content(self) -> dict:
        return self.version.content

    @property
    def published(self) -> bool:
        return self.plan.published_version == self.version.version

    @property
    def adjusting(self) -> bool:
        return self.plan.version > self.version.version


def district_plan(user, year: int) -> list[DistrictEntry]:
    """Every plan of the year with an approved version, merged: the office's view of the annual plan.

    The office sees each plan's latest approved version. Others see it for the plans they may read, and
    for other departments' plans the latest published version.
    """
    plans = {
        p.pk: p
        for p in Plan.objects.filter(year=year, versions__isnull=False)
        .distinct()
        .select_related("department")
    }
    readable = set(plans) if user.sees_all_departments else set(plans_for(user).values_list("pk", flat=True))
    latest: dict[int, PlanVersion] = {}
    published: dict[int, PlanVersion] = {}
    for version in PlanVersion.objects.filter(plan_id__in=list(plans)).order_by("version"):
        latest[version.plan_id] = version
        if plans[version.plan_id].published_version == version.version:
            published[version.plan_id] = version
    entries = []
    for pk, plan in plans.items():
        version = latest.get(pk) if pk in readable else published.get(pk)
        if version is not None:
            entries.append(DistrictEntry(plan, version))
    entries.sort(key=lambda e: (e.plan.department.sort_order, e.plan.department.code, e.plan.code))
    return entries


def district_years() -> list[int]:
    return sorted(set(PlanVersion.objects.values_list("plan__year", flat=True)), reverse=True)


# The type of inspection as the public reads it, one set of words for the portal's pages and the
# published results (API, bulk files): a task drawn for a plan's batch takes the plan's kind (定向 /
# 不定向抽查), a special task is 专项检查, any other routine task is 不定向抽查 (its targets are drawn from
# the whole directory in its scope). The words are the national publicity system's, not translated.
SPECIAL_TYPE = "专项检查"
DEFAULT_TYPE = "不定向抽查"
INSPECTION_TYPES = {"directed": "定向抽查", "undirected": "不定向抽查"}


def inspection_type(task) -> str:
    """The public type of inspection of ``task`` (``None``: a visit made outside any task)."""
    if task is None:
        return DEFAULT_TYPE
    link = getattr(task, "batch_link", None)  # None: a task made outside a plan
    if link is not None:
        return INSPECTION_TYPES.get(link.batch.plan.scope_kind, DEFAULT_TYPE)
    return SPECIAL_TYPE if task.kind == "special" else DEFAULT_TYPE


def published_entries(year: int | None = None) -> list[DistrictEntry]:
    """The public side of the annual plans: every plan's published version (what the office published,
    even while an adjustment is under way), by lead department."""
    plans = Plan.objects.filter(published_version__isnull=False).select_related("department")
    if year is not None:
        plans = plans.filter(year=year)
    by_pk = {p.pk: p for p in plans}
    versions = PlanVersion.objects.filter(plan_id__in=list(by_pk)).select_related("plan")
    entries = [
        DistrictEntry(by_pk[v.plan_id], v)
        for v in versions
        if v.version == by_pk[v.plan_id].published_version
    ]
    entries.sort(
        key=lambda e: (-e.plan.year, e.plan.department.sort_order, e.plan.department.code, e.plan.code)
    )
    return entries


def published_years() -> list[int]:
    years = Plan.objects.filter(published_version__isnull=False).values_list("year", flat=True)
    return sorted(set(years), reverse=True)
