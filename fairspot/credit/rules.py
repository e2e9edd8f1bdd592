"""The published rules of the internal class (内部分类规则): points from the firm's own record.

Each rule adds points with its evidence; the score sets the class (thresholds below). The same table
is shown to officers (``/credit/rules/``) and documented in docs/credit.md. The effective class used by
draws is the riskier of the credit system's class and this one: the firm's record can raise the class
the credit system gave, never lower it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

LOOKBACK_YEARS = 3  # published results and closed cases count for three years
MAX_PROBLEM_RESULTS = 2  # at most two results of one kind count


@dataclass(frozen=True)
class Rule:
    code: str
    title: object  # lazy text
    points: int
    per: object = ""  # what the points are counted per, in words


RULES = (
    Rule(
        "result_problem",
        _("Published result: problems found, to be followed up (发现问题待后续处理)"),
        30,
        _("per result in the last 3 years, at most 2"),
    ),
    Rule(
        "result_corrected",
        _("Published result: problems found and corrected (发现问题已责令改正)"),
        10,
        _("per result in the last 3 years, at most 2"),
    ),
    Rule(
        "result_uncooperative",
        _("Published result: refused to cooperate (不配合检查情节严重)"),
        40,
        _("once, in the last 3 years"),
    ),
    Rule("open_case", _("An open case (案件线索) names the firm"), 25, _("once")),
    Rule(
        "closed_case",
        _("A case closed with a penalty or a transfer"),
        15,
        _("per case closed in the last 3 years, at most 2"),
    ),
    Rule("abnormal", _("In the abnormal-operation list (经营异常名录)"), 30, _("once")),
    Rule("report_zero", _("Last year's annual report filed with all figures zero"), 20, _("once")),
    Rule("report_missing", _("Last year's annual report not filed"), 20, _("once")),
    Rule(
        "industry_hazard",
        _("Hazard of the firm's industry division (GB/T 4754)"),
        10,
        _("per hazard level: low 0, general 1, elevated 2, high 3"),
    ),
)
RULES_BY_CODE = {r.code: r for r in RULES}

# score → class: below 10 A, below 30 B, below 60 C, else D
THRESHOLDS = ((10, "A"), (30, "B"), (60, "C"))
ORDER = {"": 0, "A": 1, "B": 2, "C": 3, "D": 4}


@dataclass
class Facts:
    """What the record says about one target (gathered in bulk by ``credit.facts``)."""

    problems: int = 0
    corrected: int = 0
    uncooperative: int = 0
    open_cases: int = 0
    closed_cases: int = 0
    abnormal: bool = False
    report: str = ""  # last year's annual report: "", "filed", "zero", "missing"
    hazard: int = 1
    evidence: dict[str, list[str]] = field(default_factory=dict)


def _counted(facts: Facts) -> list[tuple[str, int]]:
    return [
        ("result_problem", min(facts.problems, MAX_PROBLEM_RESULTS)),
        ("result_corrected", min(facts.corrected, MAX_PROBLEM_RESULTS)),
        ("result_uncooperative", min(facts.uncooperative, 1)),
        ("open_case", min(facts.open_cases, 1)),
        ("closed_case", min(facts.closed_cases, MAX_PROBLEM_RESULTS)),
        ("abnormal", int(facts.abnormal)),
        ("report_zero", int(facts.report == "zero")),
        ("report_missing", int(facts.report == "missing")),
        ("industry_hazard", facts.hazard),
    ]


def score(facts: Facts) -> tuple[int, str, list[dict]]:
    """(score, class, reasons): each reason is ``{"rule", "times", "points", "evidence"}``."""
    reasons = []
    total = 0
    for code, times in _counted(facts):
        if times <= 0:
            continue
        points = RULES_BY_CODE[code].points * times
        total += points
        reasons.append(
            {"rule": code, "times": times, "points": points, "evidence": facts.evidence.get(code, [])[:5]}
        )
    return total, class_for(total), reasons


def class_for(points: int) -> str:
    for limit, cls in THRESHOLDS:
        if points < limit:
            return cls
    return "D"


def riskier(*classes: str) -> str:
    return max(classes, key=lambda c: ORDER.get(c or "", 0)) or ""
