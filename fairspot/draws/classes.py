"""Class-driven draws: a sampling ratio per credit-risk class, as a stratified design by class.

A task's ``class_ratios`` (e.g. ``A:1%,B:2%,C:10%,D:30%``) adds the population column ``risk_class``
to the strata and gives every stratum of a class that class's ratio (engine overrides, protocol §5.1);
unclassified targets (``-``) keep the task's own ratio. The class is read from
``directory.Target.risk_class`` (written by the credit room), so draws need not know how it was made.

At commit the classes of the whole population are frozen as ``class-snapshot.csv`` beside the bundle
(staff only), and its SHA-256 and the class table go into the manifest (``annex``):
``class_snapshot_sha256`` and ``class_ratios``. A bundle whose population is stratified by class is not
served publicly (``portal.bundle``): the public sees the digests, never a class.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from fairspot.core.errors import DomainError
from fairspot.draw.canonical import sha256_hex
from fairspot.draw.verify import VerifyReport
from fairspot.items.models import ItemType

CLASSES = ("A", "B", "C", "D")
COLUMN = "risk_class"
SNAPSHOT_FILE = "class-snapshot.csv"
UNCLASSIFIED = "-"


def parse_class_ratios(text: str) -> dict[str, Decimal]:
    """``A:1%,B:0.02`` → {"A": Decimal("0.01"), "B": Decimal("0.02")}; refuses what it cannot read."""
    out: dict[str, Decimal] = {}
    for part in text.replace("，", ",").replace("；", ",").replace(";", ",").split(","):
        part = part.strip().replace("：", ":")
        if not part:
            continue
        cls, sep, value = part.partition(":")
        cls = cls.strip().upper().removesuffix("类")
        if not sep or cls not in CLASSES:
            raise DomainError(
                _("“%(part)s”: write a class A–D, a colon and a ratio, e.g. D:30%%.") % {"part": part[:20]},
                field="class_ratios",
            )
        if cls in out:
            raise DomainError(_("Class %(cls)s is given twice.") % {"cls": cls}, field="class_ratios")
        value = value.strip()
        try:
            ratio = Decimal(value[:-1].strip()) / 100 if value.endswith(("%", "％")) else Decimal(value)
        except InvalidOperation:
            ratio = Decimal(-1)
        if not Decimal(0) <= ratio <= 1:
            raise DomainError(
                _("The ratio of class %(cls)s must lie between 0 and 100%%.") % {"cls": cls},
                field="class_ratios",
            )
        out[cls] = ratio.normalize()
    return out


def ratios_text(ratios: dict[str, Decimal]) -> str:
    """The class table as the manifest records it: ``A:0.01,B:0.02`` (classes in order)."""
    return ",".join(f"{c}:{format(ratios[c], 'f')}" for c in CLASSES if c in ratios)


def expected_share(ratios: dict[str, Decimal], default: Decimal, counts: dict[str, int]) -> Decimal:
    """The share of the population a class-driven draw is expected to inspect."""
    total = sum(counts.values())
    if not total:
        return Decimal(0)
    drawn = sum(ratios.get(cls or UNCLASSIFIED, default) * n for cls, n in counts.items())
    return drawn / total


def check_caps(*, ratios: dict[str, Decimal], default: Decimal, counts: dict[str, int], items) -> None:
    """The caps of general items hold for the whole task: the expected share of the population
    inspected under the per-class ratios may not exceed any general item's cap."""
    share = expected_share(ratios, default, counts)
    for item in items:
        if item.ratio_cap is not None and share > item.ratio_cap:
            raise DomainError(
                _(
                    "The ratios by class would inspect %(share)s%% of the population (%(mix)s), above the "
                    "cap of %(cap)s%% of the general item %(item)s. Lower the ratios of the classes."
                )
                % {
                    "share": _percent(share),
                    "mix": "；".join(f"{cls}: {counts.get(cls, 0)}" for cls in CLASSES if counts.get(cls, 0)),
                    "cap": _percent(item.ratio_cap),
                    "item": item.name,
                },
                field="class_ratios",
            )


def check_task(values: dict, items, routine: bool, counts: dict[str, int] | None = None) -> None:
    """Per-class ratios: readable, with the stratified design, and within the general items' caps for
    the whole task (on the task's scope as the directory is now, or on the frozen frame at commit)."""
    ratios = parse_class_ratios(values["class_ratios"])
    values["class_ratios"] = ratios_text(ratios)
    if values.get("design", "srs") != "srs":
        raise DomainError(
            _("Ratios per class use the stratified design; choose it, or leave the ratios per class empty."),
            field="class_ratios",
        )
    if not routine:
        return
    if counts is None:
        from fairspot.draws.models import Task
        from fairspot.draws.population import candidates

        scope = Task(**{k: v for k, v in values.items() if k in SCOPE_FIELDS})
        counts = dict(Counter(candidates(scope).values_list("risk_class", flat=True)))
    capped = [i for i in items if i.item_type == ItemType.GENERAL and i.ratio_cap is not None]
    check_caps(ratios=ratios, default=values["ratio"], counts=counts, items=capped)


SCOPE_FIELDS = frozenset({"entity_types", "industry_sections", "township", "library"})


def ratio_words(text: str) -> list[str]:
    """``A:0.01,D:0.3`` → ["A 1%", "D 30%"] for people (empty when unreadable or empty)."""
    try:
        ratios = parse_class_ratios(text)
    except DomainError:
        return []
    return [f"{cls} {_percent(ratios[cls])}%" for cls in CLASSES if cls in ratios]


def _percent(value: Decimal) -> str:
    return format((value * 100).quantize(Decimal("0.1")).normalize(), "f")


def strata_overrides(
    rows: Iterable[Mapping[str, str]], keys: list[str], ratios: dict[str, Decimal]
) -> list[dict]:
    """One engine override per stratum of the population whose class has its own ratio."""
    seen = sorted({tuple(r[k] for k in keys) for r in rows})
    at = keys.index(COLUMN)
    return [
        {"stratum": list(values), "ratio": format(ratios[values[at]], "f")}
        for values in seen
        if values[at] in ratios
    ]


def add_to_spec(spec: dict, task, frozen) -> None:
    """The engine overrides of the class strata, the class table and the snapshot's digest."""
    ratios = parse_class_ratios(task.class_ratios)
    spec["strata"] = strata_overrides(frozen.mappings(), spec["stratify_by"], ratios)
    spec["annex"]["class_ratios"] = ratios_text(ratios)
    spec["annex"]["class_snapshot_sha256"] = sha256_hex(snapshot_bytes(frozen.classes))


def check_frame(task, frozen) -> None:
    """At commit: the caps checked again on the frozen frame (excluded targets left out)."""
    from fairspot.draws.models import TaskKind

    out = {e["id"] for e in frozen.exclusions}
    frame = Counter(c for i, c in frozen.classes.items() if i not in out)
    values = {"class_ratios": task.class_ratios, "ratio": task.ratio, "design": task.design}
    check_task(values, task.items.all(), task.kind == TaskKind.ROUTINE, dict(frame))


def snapshot_bytes(classes: dict[str, str]) -> bytes:
    """The population's classes at commit: ``id,risk_class`` sorted by id, ``-`` for none."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", COLUMN])
    for ident in sorted(classes):
        writer.writerow([ident, classes[ident] or UNCLASSIFIED])
    return buffer.getvalue().encode()


def verify_snapshot(root: Path, manifest: dict | None) -> VerifyReport | None:
    """Check the class snapshot against the digest the manifest committed to (None: no snapshot)."""
    recorded = ((manifest or {}).get("spec") or {}).get("annex", {}).get("class_snapshot_sha256")
    if not recorded:
        return None
    path = root / SNAPSHOT_FILE
    if not path.is_file():
        return VerifyReport(False, "unknown", None, mismatch=f"{SNAPSHOT_FILE}: missing")
    digest = sha256_hex(path.read_bytes())
    if digest != recorded:
        return VerifyReport(
            False,
            "unknown",
            None,
            mismatch=f"{SNAPSHOT_FILE}: SHA-256 is {digest}, the manifest records {recorded}"
            " (the class snapshot was changed after commit)",
        )
    snapshot = dict(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    population = root / "targets" / "population.csv"
    if population.is_file():
        rows = csv.DictReader(io.StringIO(population.read_text(encoding="utf-8")))
        for row in rows:
            if COLUMN in row and snapshot.get(row["id"]) != row[COLUMN]:
                return VerifyReport(
                    False,
                    "unknown",
                    None,
                    mismatch=f"{SNAPSHOT_FILE}: the class of {row['id']} differs from population.csv",
                )
    return VerifyReport(
        True, "committed", None, summary=[f"{SNAPSHOT_FILE} sha256 {digest} (matches the manifest)"]
    )


def committed_table(root: Path) -> dict[str, str]:
    """The class table (in words) and the snapshot digest a draw's manifest committed to, if any."""
    from fairspot.draws.files import committed_manifest

    manifest = committed_manifest(root)
    if manifest is None:
        return {}
    spec = manifest.get("spec", {})
    if "class_snapshot_sha256" in spec:  # fairspot-draw/2: weights per class (draws.pps)
        return {
            "weights": " · ".join(
                f"{c['class']} {c['weight']}" for c in spec["class_table"] if c.get("weight")
            ),
            "digest": spec["class_snapshot_sha256"],
        }
    annex = spec.get("annex", {})
    if "class_snapshot_sha256" not in annex:
        return {}
    return {
        "ratios": " · ".join(ratio_words(annex.get("class_ratios", ""))),
        "digest": annex["class_snapshot_sha256"],
    }
