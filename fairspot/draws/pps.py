"""Risk-weighted draws (πps) under ``fairspot-draw/2``: exact inclusion probabilities, a floor, classes.

A πps task is committed as ``"protocol": "fairspot-draw/2"`` (docs/draw-protocol.md §5.8.2): ordered
systematic πps, so the inclusion probability a draw publishes is the probability with which the target
was drawn — what the estimates (``fairspot.lib.estimates``) weight by. The task may set a floor,
``min_inclusion``: every eligible target is drawn with at least that probability (> 0, ≤ the ratio).

The weights come from the task's ``risk_weights`` per credit-risk class (``-`` = unclassified, weighted
as B). The spec commits to the class table (class → weight) and to the SHA-256 of the class snapshot
(``classes.csv``, ``id,class`` for every row of the population, §5.10), kept beside the bundle for staff
only. The public population file carries each target's weight, never its class column; staff verify the
snapshot with ``verify_bundle(..., classes=...)`` (the draw page's verification does it).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from fairspot.core.errors import DomainError
from fairspot.draw import class_snapshot_bytes

SNAPSHOT_FILE = "classes.csv"
CLASS_LABELS = {"A": "信用风险低", "B": "信用风险一般", "C": "信用风险较高", "D": "信用风险高", "-": "未分类"}


def check_floor(values: dict) -> None:
    """The minimum chance of being drawn (πps): greater than 0 and at most the ratio."""
    floor = values.get("min_inclusion")
    if floor is None:
        return
    if values.get("design", "srs") != "pps":
        raise DomainError(
            _(
                "A minimum chance of being drawn applies to the risk-weighted design only; with stratified "
                "random sampling every target's chance is the ratio. Leave it empty or choose πps."
            ),
            field="min_inclusion",
        )
    if floor <= 0:
        raise DomainError(
            _(
                "The minimum chance of being drawn must be greater than 0: a floor of 0 would leave some "
                "targets out of reach."
            ),
            field="min_inclusion",
        )
    if floor > values["ratio"]:
        raise DomainError(
            _(
                "The minimum chance of being drawn (%(floor)s) cannot exceed the sampling ratio "
                "(%(ratio)s): not every target can have a larger chance than the ratio allows."
            )
            % {"floor": format(floor.normalize(), "f"), "ratio": format(values["ratio"].normalize(), "f")},
            field="min_inclusion",
        )


def class_weight(weights: dict[str, str], risk: str) -> str:
    """A class's weight from the task's ``risk_weights``; unclassified and unlisted classes weigh as B."""
    return weights.get(risk or "B", weights.get("B", "1"))


def add_to_spec(spec: dict, task, frozen) -> None:
    """Protocol v2, the floor, and the class table (weights) with the class snapshot's digest."""
    from fairspot.draw.canonical import PROTOCOL_V2, sha256_hex

    spec["protocol"] = PROTOCOL_V2
    spec["weight_column"] = "weight"
    if task.min_inclusion is not None:
        spec["min_inclusion"] = format(task.min_inclusion.normalize(), "f")
    if not frozen.classes:
        return
    weight_of = {row["id"]: row["weight"] for row in frozen.mappings()}
    table: dict[str, str] = {}
    for ident, cls in frozen.classes.items():
        table.setdefault(cls, weight_of[ident])
    spec["class_table"] = [
        {"class": cls, "weight": table[cls], "label": CLASS_LABELS.get(cls, cls)} for cls in sorted(table)
    ]
    spec["class_snapshot_sha256"] = sha256_hex(snapshot_bytes(frozen.classes))


def snapshot_bytes(classes: dict[str, str]) -> bytes:
    """The canonical class snapshot (§5.10) of ``{target id: class}``."""
    return class_snapshot_bytes(classes)
