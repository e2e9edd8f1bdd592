"""Reads of visits and results, scoped to the user: the office sees all; department staff see the visits
their department takes part in; an inspector also sees the visits of the teams he is on."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from fairspot.inspections.models import (
    ResultCorrection,
    ResultStatus,
    Visit,
    VisitItem,
    VisitStatus,
)


def visits_for(user) -> QuerySet[Visit]:
    qs = Visit.objects.select_related("target", "department", "leader")
    if user.sees_all_departments:
        return qs
    mine = Q(members__user=user)
    if user.department_id is not None:
        mine |= Q(department_id=user.department_id) | Q(departments=user.department_id)
    ids = Visit.objects.filter(mine).values("pk")
    return qs.filter(pk__in=ids)


def my_visits(user) -> QuerySet[Visit]:
    """The visits of the teams the user's inspector record belongs to."""
    return Visit.objects.select_related("target", "department", "leader").filter(
        pk__in=Visit.objects.filter(members__user=user).values("pk")
    )


def lines_for(user) -> QuerySet[VisitItem]:
    return VisitItem.objects.select_related(
        "visit", "visit__target", "visit__department", "item", "department", "result_code"
    ).filter(visit__in=visits_for(user).values("pk"))


def due_lines(user, *, today: date, horizon: date) -> QuerySet[VisitItem]:
    """Unpublished results whose publication deadline is on or before ``horizon`` (overdue included)."""
    return (
        lines_for(user)
        .filter(visit__deadline__isnull=False, visit__deadline__lte=horizon)
        .exclude(status=ResultStatus.PUBLISHED)
        .exclude(visit__status=VisitStatus.REPLACED)
        .order_by("department__sort_order", "visit__deadline", "visit__target__name", "item__code")
    )


def published_results_for_target(target) -> QuerySet[VisitItem]:
    """The target's published results, newest inspection first, each with its corrections."""
    return (
        VisitItem.objects.filter(visit__target=target, status=ResultStatus.PUBLISHED)
        .select_related("visit", "item", "department", "result_code", "published_by")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=ResultCorrection.objects.select_related("result_code").order_by("created_at", "pk"),
            ),
            "followups",
        )
        .order_by("-visit__inspection_date", "item__code")
    )


def visit_experts(visit: Visit) -> list:
    """The experts drawn for the current teams of the visit's draws at its target (advisers, no powers)."""
    from fairspot.inspectors.models import Expert

    return list(
        Expert.objects.filter(
            teams__draw__in=visit.draws.all(), teams__target_id=visit.target_id, teams__current=True
        )
        .distinct()
        .order_by("name")
    )


def awaiting_decision(user) -> dict[str, int]:
    """What waits for the user's department: draws whose checks are not approved (检查审批), the firms'
    withdrawal requests (回避申请) not yet decided, and how many of those are past their deadline."""
    from django.utils import timezone

    from fairspot.draws.models import DrawStatus
    from fairspot.draws.selectors import draws_for
    from fairspot.inspections.models import WithdrawalDecision, WithdrawalRequest

    if not (user.is_authenticated and user.can_manage):
        return {"approvals": 0, "withdrawals": 0, "overdue": 0}
    approvals = draws_for(user).filter(status=DrawStatus.REVEALED, check_approval__isnull=True).count()
    pending = WithdrawalRequest.objects.filter(
        visit__in=visits_for(user).values("pk"), decision=WithdrawalDecision.PENDING
    )
    return {
        "approvals": approvals,
        "withdrawals": pending.count(),
        "overdue": pending.filter(due__lt=timezone.localdate()).count(),
    }
