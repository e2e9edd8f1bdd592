"""Which targets a task's check items apply to, and the words for every exclusion reason.

A task's population is the directory within the task's own scope (entity types, industry sections,
township, special library; ``population.candidates``). Within it, a target is drawn for a task only if
**every** check item of the task applies to it — a joint visit checks all the task's items at once, so a
target that one item does not cover cannot be visited for that task. An item applies to a target when
each of its scope fields that is filled in matches (an empty field does not restrict):

- 适用主体类型 (``target_entity_types``): the target's entity type is one of them;
- 适用行业 (``target_industries``): the target's industry falls under one of the codes — a section
  letter matches the section, a 2–4 digit code matches the target's code as a prefix (GB/T 4754);
- 专项库 (``target_library``): the target is in that special library;
- 适用区域 (``target_regions``): the target's township is one of them.

Targets of the task's scope that an item does not cover are *excluded* with the reason naming the rule
(``out_of_scope_entity_type``, ``out_of_scope_industry``, ``out_of_scope_library``,
``out_of_scope_region``), so the manifest, the preview and the public draw page say which rule removed
whom. Computed set-wise in SQL, one query per item and rule.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

REASON_LABELS = {
    "deregistered": _("Deregistered (注销)"),
    "revoked": _("Licence revoked (吊销)"),
    "withdrawn": _("Registration withdrawn (撤销)"),
    "moved_out": _("Moved out of the district (迁出)"),
    "risk_class_a": _("Credit class A: no routine check"),
    "repeat_window": _("Checked for this item within the no-repeat window"),
    "annual_cap": _("Checked as often this year as the annual cap allows"),
    "firm_annual_cap": _("Checked this year as often as the district's cap per firm allows (all checks)"),
    "item_annual_cap": _(
        "Checked this year for an item of the task as often as the item's cap per firm allows"
    ),
    "open_case": _("An open case is being handled"),
    "out_of_scope_entity_type": _("Not a kind of entity the check item applies to"),
    "out_of_scope_industry": _("Not in an industry the check item applies to"),
    "out_of_scope_library": _("Not in the special library the check item applies to"),
    "out_of_scope_region": _("Not in a region the check item applies to"),
}


def reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))


def _split(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace(";", "；").split("；") if p.strip()]


def industry_q(codes: list[str]) -> Q:
    q = Q()
    for code in codes:
        code = code.upper()
        q |= Q(industry_section=code) if code.isalpha() else Q(industry_code__startswith=code)
    return q


def item_rules(item) -> list[tuple[str, Q]]:
    """(reason, condition a target must meet) for each scope field the item fills in."""
    rules: list[tuple[str, Q]] = []
    types = _split(item.target_entity_types)
    if types:
        rules.append(("out_of_scope_entity_type", Q(entity_type__in=types)))
    industries = _split(item.target_industries)
    if industries:
        rules.append(("out_of_scope_industry", industry_q(industries)))
    if item.target_library_id:
        rules.append(("out_of_scope_library", Q(libraries=item.target_library_id)))
    regions = _split(item.target_regions)
    if regions:
        rules.append(("out_of_scope_region", Q(township_id__in=regions)))
    return rules


def out_of_scope(task, frame: QuerySet) -> dict[int, str]:
    """{target pk: reason} for targets of ``frame`` that some item of the task does not apply to."""
    out: dict[int, str] = {}
    frame = frame.order_by()
    for item in task.items.all().order_by("pk"):
        for reason, condition in item_rules(item):
            # the negated condition in one scan (Django adds the NULL tests an exact complement needs);
            # ``NOT IN (subquery)`` ran row by row against the subquery once it outgrew PostgreSQL's
            # work_mem (minutes at a million targets), and an anti-join spilled its hash to disk
            for pk in frame.exclude(condition).values_list("pk", flat=True).iterator(5000):
                out.setdefault(pk, reason)
    return out
