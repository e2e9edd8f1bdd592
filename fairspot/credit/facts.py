"""Gathering the record of many targets at once (a few queries per chunk, no query per target)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q

from fairspot.cases.models import OPEN_STATUSES, Lead, LeadStatus, Outcome
from fairspot.credit.models import AnnualReport, IndustryHazard
from fairspot.credit.rules import LOOKBACK_YEARS, Facts
from fairspot.directory.models import Target
from fairspot.inspections.models import ResultCorrection, ResultStatus, VisitItem
from fairspot.reference.models import Industry

# result groups (reference.ResultCode.group) and the rule they feed
RESULT_RULES = {
    "发现问题待后续处理": "result_problem",
    "发现问题已改正": "result_corrected",
    "不配合检查": "result_uncooperative",
}
COUNTERS = {
    "result_problem": "problems",
    "result_corrected": "corrected",
    "result_uncooperative": "uncooperative",
}
PENALTY_OUTCOMES = (Outcome.PENALISED, Outcome.TRANSFERRED)


def hazard_levels() -> dict[str, int]:
    return dict(IndustryHazard.objects.values_list("division_id", "level"))


def division_names() -> dict[str, str]:
    return dict(Industry.objects.filter(level="division").values_list("code", "name"))


def gather(
    targets: list[Target], *, today: date, hazards: dict[str, int], names: dict[str, str] | None = None
) -> dict[int, Facts]:
    """target pk → Facts, for ``targets`` (with ``abnormal`` and ``industry_code`` loaded); ``names``:
    division names, for the evidence."""
    names = names or {}
    pks = [t.pk for t in targets]
    facts = {t.pk: Facts(abnormal=t.abnormal, hazard=hazards.get(t.industry_code[:2], 1)) for t in targets}
    for t in targets:
        if t.industry_code[:2] in hazards:
            division = t.industry_code[:2]
            facts[t.pk].evidence["industry_hazard"] = [f"{division} {names.get(division, '')}".strip()]
    since = today - timedelta(days=365 * LOOKBACK_YEARS)
    _results(facts, pks, since)
    _cases(facts, pks, since)
    _reports(facts, pks, today.year - 1)
    return facts


def _results(facts: dict[int, Facts], pks: list[int], since: date) -> None:
    lines = VisitItem.objects.filter(
        visit__target_id__in=pks, status=ResultStatus.PUBLISHED, published_at__date__gte=since
    ).values_list("pk", "visit__target_id", "result_code__group", "published_at", "item__code")
    lines = list(lines)
    corrected = {}
    for line_id, group in ResultCorrection.objects.filter(line_id__in=[ln[0] for ln in lines]).values_list(
        "line_id", "result_code__group"
    ):  # ordered by line, created_at: the last one stands
        corrected[line_id] = group
    for line_id, target_id, group, published_at, item in lines:
        rule = RESULT_RULES.get(corrected.get(line_id, group))
        if rule is None:
            continue
        fact = facts[target_id]
        setattr(fact, COUNTERS[rule], getattr(fact, COUNTERS[rule]) + 1)
        fact.evidence.setdefault(rule, []).append(f"{published_at:%Y-%m-%d} {item}")


def _cases(facts: dict[int, Facts], pks: list[int], since: date) -> None:
    leads = Lead.objects.filter(target_id__in=pks).filter(
        Q(status__in=OPEN_STATUSES)
        | Q(status=LeadStatus.CLOSED, outcome__in=PENALTY_OUTCOMES, closed_at__date__gte=since)
    )
    for target_id, number, status in leads.values_list("target_id", "number", "status").order_by("number"):
        fact = facts[target_id]
        if status == LeadStatus.CLOSED:
            fact.closed_cases += 1
            fact.evidence.setdefault("closed_case", []).append(number)
        else:
            fact.open_cases += 1
            fact.evidence.setdefault("open_case", []).append(number)


def _reports(facts: dict[int, Facts], pks: list[int], year: int) -> None:
    for target_id, status in AnnualReport.objects.filter(target_id__in=pks, year=year).values_list(
        "target_id", "status"
    ):
        facts[target_id].report = status
        if status in ("zero", "missing"):
            facts[target_id].evidence[f"report_{status}"] = [str(year)]
