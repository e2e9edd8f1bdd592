"""Freezing a task's population: which targets may be drawn, and every exclusion with its reason.

Exclusions (recorded in the manifest before the randomness exists):
- ``deregistered`` / ``revoked`` / ``withdrawn`` / ``moved_out``: registration status other than active;
- ``risk_class_a``: class A targets get no routine checks when the task says so;
- ``repeat_window``: drawn for one of the task's items in a revealed draw within the item's window;
- ``annual_cap``: drawn this calendar year, across all departments, as often as the cap allows.
- whatever a registered provider says (``register_exclusion``), e.g. ``open_case`` from the cases room;
- ``out_of_scope_*``: a check item of the task does not apply to the target (``fairspot.draws.scope``).

A task with ratios per credit-risk class adds the column ``risk_class`` (``-`` when unclassified) to the
strata (``fairspot.draws.classes``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from fairspot.directory.models import RegistrationStatus, Target
from fairspot.draw import RowTuples
from fairspot.draws.classes import COLUMN as CLASS_COLUMN
from fairspot.draws.classes import UNCLASSIFIED
from fairspot.draws.models import DrawnTarget, DrawStatus, Task
from fairspot.draws.pps import class_weight
from fairspot.draws.scope import out_of_scope, reason_label

STATUS_REASON = {
    RegistrationStatus.CANCELLED: "deregistered",
    RegistrationStatus.REVOKED: "revoked",
    RegistrationStatus.WITHDRAWN: "withdrawn",
    RegistrationStatus.MOVED_OUT: "moved_out",
}
NO_VALUE = "-"

# Other rooms add exclusion rules without draws importing them (e.g. cases: "open_case").
# A provider takes the task and returns {target pk: reason}.
ExclusionProvider = Callable[[Task], dict[int, str]]
EXCLUSION_PROVIDERS: list[ExclusionProvider] = []


def register_exclusion(provider: ExclusionProvider) -> ExclusionProvider:
    if provider not in EXCLUSION_PROVIDERS:
        EXCLUSION_PROVIDERS.append(provider)
    return provider


@dataclass
class FrozenPopulation:
    """A task's population at commit. ``rows`` are tuples in ``columns`` order, the strata values shared
    between rows, in no order (a province's 10 million rows as dicts would not fit a small server's
    memory); ``row_tuples()`` gives them to the engine, which writes the population file;
    ``mappings()`` gives them as the engine's row mappings, one at a time."""

    columns: list[str]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    exclusions: list[dict[str, str]] = field(default_factory=list)
    classes: dict[str, str] = field(default_factory=dict)  # id → class, for class-driven tasks only

    def mappings(self) -> Iterator[dict[str, str]]:
        columns = self.columns
        for row in self.rows:
            yield dict(zip(columns, row, strict=True))

    def row_tuples(self) -> RowTuples:
        """The rows as the engine commits them: it writes the population file and counts each stratum
        in one pass, checking every row. Each row is let go once read (a province's rows need not be
        held twice); ``rows`` ends empty."""
        rows = self.rows

        def drained() -> Iterator[tuple[str, ...]]:
            while rows:
                yield rows.pop()

        return RowTuples(tuple(self.columns), drained())


PROGRESS_EVERY = 50_000


@dataclass
class PopulationSummary:
    """Counts for the preview: per stratum, rows in the frame and rows excluded; per reason, rows."""

    total: int = 0
    excluded: int = 0
    strata: dict[tuple, dict[str, int]] = field(default_factory=dict)
    by_reason: Counter = field(default_factory=Counter)

    def add(self, stratum: tuple, reason: str | None) -> None:
        entry = self.strata.get(stratum)
        if entry is None:
            entry = self.strata[stratum] = {"rows": 0, "excluded": 0}
        entry["rows"] += 1
        self.total += 1
        if reason:
            entry["excluded"] += 1
            self.excluded += 1
            self.by_reason[reason] += 1

    def excluded_by_label(self) -> list[tuple[str, int]]:
        """(the reason in words, how many) for the preview."""
        return [(reason_label(r), n) for r, n in sorted(self.by_reason.items())]


def parse_weights(text: str) -> dict[str, str]:
    weights = {}
    for part in text.replace("，", ",").split(","):
        if ":" in part:
            cls, weight = part.split(":", 1)
            weights[cls.strip().upper()] = weight.strip()
    return weights


def candidates(task: Task):
    """The task's own scope; what its items do not apply to is excluded in ``freeze`` with its reason."""
    qs = Target.objects.all()
    types = [t for t in task.entity_types.split("；") if t]
    if types:
        qs = qs.filter(entity_type__in=types)
    sections = [s.strip().upper() for s in task.industry_sections.replace(";", "；").split("；") if s.strip()]
    if sections:
        qs = qs.filter(industry_section__in=sections)
    if task.township_id:
        qs = qs.filter(township_id=task.township_id)
    if task.library_id:
        qs = qs.filter(libraries=task.library_id)
    return qs


def _recently_drawn(task: Task) -> set[int]:
    out: set[int] = set()
    for item in task.items.all():
        since = task.inspection_date - timedelta(days=item.repeat_window_days)
        out.update(
            DrawnTarget.objects.filter(
                alternate=False,
                draw__status=DrawStatus.REVEALED,
                draw__task__items=item,
                draw__task__inspection_date__gte=since,
                draw__task__inspection_date__lte=task.inspection_date,
            )
            .exclude(draw__task=task)
            .values_list("target_id", flat=True)
        )
    return out


def _times_drawn_this_year(task: Task) -> Counter:
    year = task.inspection_date.year
    rows = (
        DrawnTarget.objects.filter(
            alternate=False, draw__status=DrawStatus.REVEALED, draw__task__inspection_date__year=year
        )
        .exclude(draw__task=task)
        .values_list("target_id", "draw__task_id")
        .distinct()
    )
    return Counter(target for target, _ in rows)


def _columns(task: Task) -> list[str]:
    columns = ["id"]
    if task.stratify_by_industry:
        columns.append("industry_section")
    if task.stratify_by_township:
        columns.append("township")
    if task.class_ratios.strip():
        columns.append(CLASS_COLUMN)
    if task.design == "pps":
        columns.append("weight")
    return columns


def _later_reasons(task: Task) -> tuple[dict[int, str], str | None]:
    """The rules checked after scope, registration status and class A, as one lookup: {target pk:
    reason}, the repeat window before the annual cap before other rooms' providers (the first provider
    first); and the reason of every other target: the annual cap when the cap is 0, else none."""
    recent = _recently_drawn(task)
    if task.annual_cap <= 0:
        return dict.fromkeys(recent, "repeat_window"), "annual_cap"
    later: dict[int, str] = {}
    for provider in EXCLUSION_PROVIDERS:
        for pk, reason in provider(task).items():
            later.setdefault(pk, reason)
    capped = [pk for pk, n in _times_drawn_this_year(task).items() if n >= task.annual_cap]
    later.update(dict.fromkeys(capped, "annual_cap"))
    later.update(dict.fromkeys(recent, "repeat_window"))
    return later, None


def classify(task: Task) -> Iterator[tuple[str, str | None, str, tuple[str, ...]]]:
    """Every target in the task's scope, streamed in chunks: (identifier, the reason it is excluded or
    None, its credit class, its row of the population file in ``_columns`` order). The one home of the
    exclusion rules."""
    by_class = CLASS_COLUMN in _columns(task)
    weights = parse_weights(task.risk_weights)
    later, otherwise = _later_reasons(task)
    frame = candidates(task)
    outside = out_of_scope(task, frame)
    shared: dict[str, str] = {}  # one string object per distinct stratum value
    exclude_a, by_industry, by_township = (
        task.exclude_class_a,
        task.stratify_by_industry,
        task.stratify_by_township,
    )
    fields = ("id", "identifier", "status", "risk_class", "industry_section", "township_id")
    rows = frame.order_by().values_list(*fields)  # in no order: freeze sorts, summaries only count
    for pk, ident, status, risk, section, township in rows.iterator(5000):
        reason = (
            outside.get(pk)
            or STATUS_REASON.get(status)
            or ("risk_class_a" if exclude_a and risk == "A" else None)
            or later.get(pk, otherwise)
        )
        cls = risk or UNCLASSIFIED
        row = [ident]
        if by_industry:
            row.append(section or NO_VALUE)
        if by_township:
            township = township or NO_VALUE
            row.append(shared.setdefault(township, township))
        if by_class:
            row.append(cls)
        if task.design == "pps":  # the class is committed by its snapshot's digest (draws.pps)
            row.append(class_weight(weights, risk))
        yield ident, reason, cls, tuple(row)


def freeze(task: Task) -> FrozenPopulation:
    """The population a commit writes: every row, and every exclusion with its reason."""
    frozen = FrozenPopulation(columns=_columns(task))
    keep_class = CLASS_COLUMN in frozen.columns or "weight" in frozen.columns  # class-driven tasks
    for ident, reason, cls, row in classify(task):
        if reason:  # excluded rows stay in the published population; the manifest says why they are out
            frozen.exclusions.append({"id": ident, "reason": reason})
        if keep_class:
            frozen.classes[ident] = cls
        frozen.rows.append(row)
    return frozen  # rows and exclusions in no order: the engine sorts both (population file, spec)


def summarize(task: Task, progress: Callable[[int], None] | None = None) -> PopulationSummary:
    """What the task page previews (counts per stratum and per reason), without keeping the rows: a
    province's population is streamed, never held. ``progress`` is told the rows counted so far."""
    at = [i for i, c in enumerate(_columns(task)) if c not in ("id", "weight")]
    summary = PopulationSummary()
    for n, (_ident, reason, _cls, row) in enumerate(classify(task), 1):
        summary.add(tuple(row[i] for i in at), reason)
        if progress and n % PROGRESS_EVERY == 0:
            progress(n)
    summary.strata = dict(sorted(summary.strata.items()))
    return summary
