"""Reads of visits and results, scoped to the user: the office sees all; department staff see the visits
their department takes part in; an inspector also sees the visits of the teams he is on."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from fairspot.inspections.models import (
    SETTLED,
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
        .exclude(status__in=SETTLED)
        .exclude(visit__status=VisitStatus.REPLACED)
        .order_by("department__sort_order", "visit__deadline", "visit__target__name", "item__code")
    )


def shown_results() -> QuerySet[VisitItem]:
    """Results the public sees: published, and their display not ended (period over, or credit repair)."""
    return VisitItem.objects.filter(status=ResultStatus.PUBLISHED, display_end__isnull=True)


def publication_counts(lines: QuerySet[VisitItem]) -> dict[str, int]:
    """Public counts of a set of results: shown, withheld by law, display ended, not yet published."""
    from django.db.models import Count

    row = lines.exclude(visit__status=VisitStatus.REPLACED).aggregate(
        shown=Count("pk", filter=Q(status=ResultStatus.PUBLISHED, display_end__isnull=True)),
        ended=Count("pk", filter=Q(status=ResultStatus.PUBLISHED, display_end__isnull=False)),
        withheld=Count("pk", filter=Q(status=ResultStatus.WITHHELD)),
        total=Count("pk"),
    )
    row["pending"] = row["total"] - row["shown"] - row["ended"] - row["withheld"]
    return row


def published_results_for_target(target) -> QuerySet[VisitItem]:
    """The target's results shown to the public, newest inspection first, with corrections and any
    objection being examined."""
    from fairspot.inspections.models import Objection, ObjectionDecision

    return (
        shown_results()
        .filter(visit__target=target)
        .select_related("visit", "item", "department", "result_code", "published_by")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=ResultCorrection.objects.select_related("result_code").order_by("created_at", "pk"),
            ),
            "followups",
            Prefetch(
                "objections",
                queryset=Objection.objects.filter(decision=ObjectionDecision.PENDING),
                to_attr="open_objections",
            ),
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
    withdrawal requests (回避申请) not yet decided and how many of those are past their deadline; the
    objections (异议) and credit repair applications to answer (and, for the office, requests not to
    publish), and how many objections are past their deadline."""
    from django.utils import timezone

    from fairspot.draws.models import DrawStatus
    from fairspot.draws.selectors import draws_for
    from fairspot.inspections.models import WithdrawalDecision, WithdrawalRequest

    if not (user.is_authenticated and user.can_manage):
        return {"approvals": 0, "withdrawals": 0, "overdue": 0, "publicity": 0, "publicity_overdue": 0}
    approvals = draws_for(user).filter(status=DrawStatus.REVEALED, check_approval__isnull=True).count()
    pending = WithdrawalRequest.objects.filter(
        visit__in=visits_for(user).values("pk"), decision=WithdrawalDecision.PENDING
    )
    queues = publicity_queues(user)
    objections = queues["objections"].filter(decision="pending")
    withholdings = queues["withholdings"].filter(decision="pending")
    return {
        "approvals": approvals,
        "withdrawals": pending.count(),
        "overdue": pending.filter(due__lt=timezone.localdate()).count(),
        "publicity": objections.count()
        + queues["repairs"].filter(decision="pending").count()
        + (withholdings.count() if user.sees_all_departments else 0),
        "publicity_overdue": objections.filter(due__lt=timezone.localdate()).count(),
    }


def publicity_queues(user) -> dict[str, QuerySet]:
    """The requests not to publish, objections and credit repair applications about the user's results;
    undecided first, then by deadline."""
    from django.db.models import Case, Value, When

    from fairspot.inspections.models import CreditRepair, Objection, Withholding

    mine = lines_for(user).values("pk")
    related = ("line__visit__target", "line__item", "line__department", "decided_by")
    first = Case(When(decision="pending", then=Value(0)), default=Value(1))
    return {
        "withholdings": Withholding.objects.filter(line__in=mine)
        .select_related(*related, "requested_by", "line__result_code")
        .order_by(first, "-requested_at"),
        "objections": Objection.objects.filter(line__in=mine)
        .select_related(*related, "correction__result_code", "line__result_code")
        .order_by(first, "due", "-pk"),
        "repairs": CreditRepair.objects.filter(line__in=mine)
        .select_related(*related, "line__result_code")
        .order_by(first, "-applied_on", "-pk"),
    }
