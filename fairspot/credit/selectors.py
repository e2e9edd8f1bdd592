"""Reads of the credit room. Classes are internal: only staff who manage records see them."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string

from fairspot.credit.models import AnnualReport, ClassChange, CreditStanding, HazardLevel, IndustryHazard
from fairspot.credit.rules import RULES, RULES_BY_CODE, THRESHOLDS
from fairspot.reference.models import Industry


def may_see_classes(user) -> bool:
    return bool(user.is_authenticated and user.can_manage)


def standings_for(user, *, q: str = "", filters: dict | None = None) -> QuerySet[CreditStanding]:
    qs = CreditStanding.objects.select_related("target")
    if not may_see_classes(user):
        return qs.none()
    q = q.strip()
    if q:
        qs = qs.filter(Q(target__name__contains=q) | Q(target__identifier__startswith=q.upper()))
    for field, value in (filters or {}).items():
        if value not in (None, ""):
            qs = qs.filter(**{field: value})
    return qs.order_by("target__identifier")


def reports_for(user, *, q: str = "", filters: dict | None = None) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.select_related("target")
    if not may_see_classes(user):
        return qs.none()
    if q.strip():
        qs = qs.filter(target__identifier__startswith=q.strip().upper())
    return qs.order_by("target__identifier", "-year")


def changes_for(user, *, target=None, q: str = "") -> QuerySet[ClassChange]:
    qs = ClassChange.objects.select_related("target")
    if not may_see_classes(user):
        return qs.none()
    if target is not None:
        qs = qs.filter(target=target)
    if q.strip():
        qs = qs.filter(
            Q(target__name__contains=q.strip()) | Q(target__identifier__startswith=q.strip().upper())
        )
    return qs


def rule_words(codes: str) -> list[str]:
    """The rules of a change in words (``imported`` and ``no_findings`` are not point rules)."""
    from django.utils.translation import gettext as _

    special = {
        "imported": _("Class imported from the credit system"),
        "no_findings": _("Nothing in the firm's record adds points"),
    }
    out = []
    for code in filter(None, codes.split(",")):
        rule = RULES_BY_CODE.get(code)
        out.append(str(rule.title) if rule else special.get(code, code))
    return out


def reason_rows(reasons: list[dict]) -> list[dict]:
    """Reasons (as stored) for people: the rule in words, times, points, the evidence."""
    rows = []
    for reason in reasons:
        if reason.get("rule") == "imported":
            rows.append(
                {
                    "title": rule_words("imported")[0],
                    "points": "",
                    "times": "",
                    "evidence": [f"{reason.get('class')} · {reason.get('on')} · {reason.get('source')}"],
                }
            )
            continue
        rule = RULES_BY_CODE.get(reason.get("rule", ""))
        rows.append({
            "title": rule.title if rule else reason.get("rule"),
            "times": reason.get("times"),
            "points": reason.get("points"),
            "evidence": reason.get("evidence", []),
        })  # fmt: skip
    return rows


def history_panel(request, target) -> str | None:
    """The target's staff page: its classes, why, and every change (directory.panels)."""
    if not may_see_classes(request.user):
        return None
    standing = CreditStanding.objects.filter(target=target).first()
    changes = [
        {"change": c, "rules": rule_words(c.rule), "reasons": reason_rows(c.evidence)}
        for c in ClassChange.objects.filter(target=target)[:50]
    ]
    return render_to_string(
        "credit/panel.html",
        {
            "standing": standing,
            "reasons": reason_rows(standing.reasons) if standing else [],
            "changes": changes,
            "target": target,
        },
        request=request,
    )


def hazard_table() -> list[dict]:
    """Every GB/T 4754 division with its hazard level (general where the office set none)."""
    levels = {h.division_id: h for h in IndustryHazard.objects.all()}
    out = []
    for division in Industry.objects.filter(level="division").order_by("code"):
        row = levels.get(division.code)
        out.append({
            "division": division,
            "level": row.level if row else HazardLevel.GENERAL,
            "label": HazardLevel(row.level if row else HazardLevel.GENERAL).label,
            "note": row.note if row else "",
            "set": row is not None,
        })  # fmt: skip
    return out


def rules_table() -> dict:
    return {"rules": RULES, "thresholds": THRESHOLDS}
