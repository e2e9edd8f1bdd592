"""Honest estimates of compliance: the share of firms breaking the rules across the whole population.

Every inspection that came from a revealed draw has a known inclusion probability π (published with the
draw: n_h/N_h for stratified simple random draws, the exact πps probability of ``fairspot-draw/2``).
Weighting each inspected firm by 1/π estimates the share in the population the draws were made from,
not just among the firms visited (``fairspot.lib.estimates``):

* one observation per (draw, target): y = 1 when a reviewed result of the cell's items for that target
  found a problem (result groups in :data:`VIOLATION_GROUPS`), y = 0 when every such result is
  "no problem found". Results that say nothing about compliance (closed, deregistered, no such business)
  are left out, and so are inspections of alternates or replacement targets (no π of their own);
* the Hájek estimator Σ(y/π) / Σ(1/π) with Brewer's approximation of the variance per draw (the strata
  of a draw are collapsed, which errs on the wide side; with equal π it is the SRS variance), a normal
  95 % interval clipped to [0, 1];
* a cell with fewer than :data:`fairspot.lib.estimates.MIN_INSPECTIONS` inspections, or a draw with a
  single inspection in the cell, shows "not enough data" and the number of inspections, never a number.

Scoping: department staff estimate from their own department's inspections; the office from all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext as _

from fairspot.accounts.scoping import scope_to_department
from fairspot.draws.models import DrawnTarget
from fairspot.inspections.models import ResultStatus, VisitItem
from fairspot.lib.estimates import MIN_INSPECTIONS, Estimate, pps_share

VIOLATION_GROUPS = frozenset(
    {"发现问题待后续处理", "发现问题已改正", "不配合检查", "未按规定公示", "无法联系", "公示信息不实"}
)
COMPLIANT_GROUPS = frozenset({"未发现问题"})
COUNTED = (ResultStatus.APPROVED, ResultStatus.PUBLISHED)
BREAKDOWNS = ("township", "industry_section", "risk_class", "item", "department")


@dataclass(frozen=True)
class Filters:
    department: object | None = None
    item: object | None = None
    township: object | None = None
    industry_section: str = ""
    risk_class: str = ""
    start: date | None = None
    end: date | None = None
    by: str = ""


@dataclass(frozen=True)
class Observation:
    draw: int
    target: int
    y: int
    pi: Fraction
    groups: dict  # breakdown → (key, label)


@dataclass(frozen=True)
class Row:
    label: str
    estimate: Estimate
    without_probability: int = 0

    @property
    def reason(self) -> str:
        return reason_words(self.estimate)

    @property
    def share(self) -> str:
        return percent(self.estimate.share)

    @property
    def low(self) -> str:
        return percent(self.estimate.low)

    @property
    def high(self) -> str:
        return percent(self.estimate.high)


def reason_words(estimate: Estimate) -> str:
    """Why a cell shows no number, in words for people ("" when it shows one)."""
    if estimate.enough:
        return ""
    if estimate.inspections == 0:
        return _("Not enough data: no inspection in this cell.")
    if estimate.inspections < MIN_INSPECTIONS:
        return _("Not enough data: %(n)s inspections, at least %(min)s are needed.") % {
            "n": estimate.inspections,
            "min": MIN_INSPECTIONS,
        }
    return _("Not enough data: a draw has a single inspection in this cell.")


def lines_for(user, filters: Filters):
    qs = scope_to_department(user, VisitItem.objects.all()).filter(
        status__in=COUNTED, result_code__group__in=VIOLATION_GROUPS | COMPLIANT_GROUPS
    )
    if filters.department is not None:
        qs = qs.filter(department=filters.department)
    if filters.item is not None:
        qs = qs.filter(item=filters.item)
    if filters.township is not None:
        qs = qs.filter(visit__target__township=filters.township)
    if filters.industry_section:
        qs = qs.filter(visit__target__industry_section=filters.industry_section)
    if filters.risk_class:
        qs = qs.filter(visit__target__risk_class=filters.risk_class)
    if filters.start is not None:
        qs = qs.filter(visit__inspection_date__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(visit__inspection_date__lte=filters.end)
    return qs


def observations(user, filters: Filters) -> tuple[list[Observation], int]:
    """One observation per (draw, target, breakdown value) with its π; and how many inspected firms
    were left out because they have no inclusion probability (alternates, replacements)."""
    fields = (
        "draw_id",
        "visit__target_id",
        "result_code__group",
        "visit__target__township_id",
        "visit__target__township__name",
        "visit__target__industry_section",
        "visit__target__risk_class",
        "item_id",
        "item__name",
        "department_id",
        "department__name",
    )
    per_unit: dict[tuple, dict] = {}
    for row in lines_for(user, filters).values_list(*fields).iterator(2000):
        draw, target, group, town, town_name, section, cls, item, item_name, dept, dept_name = row
        groups = {
            "township": (town, town_name or "—"),
            "industry_section": (section, section or "—"),
            "risk_class": (cls, cls or _("unclassified")),
            "item": (item, item_name),
            "department": (dept, dept_name),
        }
        split = groups[filters.by][0] if filters.by else None
        unit = per_unit.setdefault((draw, target, split), {"y": 0, "groups": groups})
        unit["y"] = max(unit["y"], int(group in VIOLATION_GROUPS))
    probabilities = _probabilities({(d, t) for d, t, _s in per_unit})
    out, missing = [], set()
    for (draw, target, _split), unit in per_unit.items():
        pi = probabilities.get((draw, target))
        if pi is None:
            missing.add((draw, target))
            continue
        out.append(Observation(draw, target, unit["y"], pi, unit["groups"]))
    return out, len(missing)


def _probabilities(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Fraction]:
    draws = {d for d, _t in pairs}
    rows = DrawnTarget.objects.filter(draw_id__in=draws, alternate=False).values_list(
        "draw_id", "target_id", "inclusion_probability"
    )
    out = {}
    for draw, target, text in rows.iterator(5000):
        if (draw, target) in pairs and text:
            pi = Fraction(text)
            if 0 < pi <= 1:
                out[(draw, target)] = pi
    return out


def estimate(obs: Iterable[Observation]) -> Estimate:
    obs = list(obs)
    return pps_share([o.y for o in obs], [float(o.pi) for o in obs], strata=[o.draw for o in obs])


def table(user, filters: Filters) -> tuple[Row, list[Row]]:
    """The whole cell, and one row per value of the chosen breakdown (largest first)."""
    obs, missing = observations(user, filters)
    if filters.by:  # the whole cell counts each (draw, target) once
        whole: dict[tuple, Observation] = {}
        for o in obs:
            previous = whole.get((o.draw, o.target))
            if previous is None or o.y > previous.y:
                whole[(o.draw, o.target)] = o
        total = Row(_("All"), estimate(whole.values()), missing)
    else:
        total = Row(_("All"), estimate(obs), missing)
    rows = []
    if filters.by:
        parts: dict[object, list[Observation]] = {}
        labels = {}
        for o in obs:
            key, label = o.groups[filters.by]
            parts.setdefault(key, []).append(o)
            labels[key] = label
        for key, part in sorted(parts.items(), key=lambda kv: (-len(kv[1]), str(labels[kv[0]]))):
            rows.append(Row(str(labels[key]), estimate(part)))
    return total, rows


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def export_rows(total: Row, rows: list[Row]):
    for row in [total, *rows]:
        e = row.estimate
        yield [row.label, e.inspections, row.share, row.low, row.high, row.reason]


def export_header() -> list[str]:
    return [
        _("Cell"),
        _("Inspections"),
        _("Estimated share breaking the rules"),
        _("95% interval from"),
        _("95% interval to"),
        _("Note"),
    ]
