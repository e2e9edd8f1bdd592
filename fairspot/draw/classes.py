"""The class snapshot (``fairspot-draw/2``): the staff-side file that ties a draw to credit-risk classes
without publishing them.

The public bundle carries each target's stratum values and weight (what the draw needs) but not its
class. The spec records ``class_table`` (class → ratio and/or weight) and ``class_snapshot_sha256``, the
SHA-256 of the canonical snapshot file::

    id,class\\n            then one line per population row (excluded ones too), sorted by id

(UTF-8, ``\\n`` line ends, a field quoted only when it holds ``,`` or ``"``, as population.csv, §5.2).
Staff verify with ``python -m fairspot.draw verify DIR --classes classes.csv``: the file's digest must be
the committed one, its ids exactly the population's, every class in the table, and every target's weight
(πps) and stratum ratio equal to its class's ``weight`` / ``ratio`` where the table gives them.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from typing import Any

from .errors import VerificationError
from .population import Population, _encode_fields

CLASSES_FILE = "classes.csv"


def class_snapshot_bytes(classes: Mapping[str, str]) -> bytes:
    """The canonical class snapshot of ``{target id: class}``."""
    lines = [_encode_fields(["id", "class"])]
    lines += [_encode_fields([ident, classes[ident]]) for ident in sorted(classes, key=lambda i: i.encode())]
    return b"".join(line + b"\n" for line in lines)


def _parse(data: bytes) -> dict[str, str]:
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise VerificationError(f"not a CSV file in UTF-8 ({exc})", where=CLASSES_FILE) from None
    if not rows or rows[0] != ["id", "class"]:
        raise VerificationError("the header must be exactly id,class", where=CLASSES_FILE)
    out: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or row[0] in out:
            raise VerificationError(
                "expected two fields and an id not seen before", where=f"{CLASSES_FILE} line {line}"
            )
        out[row[0]] = row[1]
    if class_snapshot_bytes(out) != data:
        raise VerificationError("not in canonical form (sorted by id, \\n line ends)", where=CLASSES_FILE)
    return out


def check_class_snapshot(manifest: Mapping[str, Any], population: Population, data: bytes) -> list[str]:
    """Staff check of a class snapshot against a committed target manifest; notes, or VerificationError."""
    spec = manifest["spec"]
    if "class_snapshot_sha256" not in spec:
        raise VerificationError("this draw committed to no class snapshot", where=CLASSES_FILE)
    actual = hashlib.sha256(data).hexdigest()
    if actual != spec["class_snapshot_sha256"]:
        raise VerificationError(
            f"SHA-256 is {actual} but the manifest committed to {spec['class_snapshot_sha256']}:"
            " the class snapshot was changed after the commit",
            where=CLASSES_FILE,
        )
    classes = _parse(data)
    table = {entry["class"]: entry for entry in spec["class_table"]}
    allocation = {tuple(s["stratum"]): s.get("ratio") for s in manifest["strata"]}
    seen = 0
    for key, ids in population.groups.items():
        weights = population.weights[key] if population.weights is not None else None
        for j, raw in enumerate(ids):
            ident = raw.decode()
            where = f"{CLASSES_FILE} id {ident}"
            if ident not in classes:
                raise VerificationError("a target of the population has no class", where=where)
            entry = table.get(classes[ident])
            if entry is None:
                raise VerificationError(f"class {classes[ident]!r} is not in the class table", where=where)
            if "weight" in entry and weights is not None and weights[j] != entry["weight"]:
                raise VerificationError(
                    f"weight {weights[j]} in the population,"
                    f" class {entry['class']} has weight {entry['weight']}",
                    where=where,
                )
            if "ratio" in entry and allocation[key] != entry["ratio"]:
                raise VerificationError(
                    f"stratum {list(key)} is drawn at {allocation[key]}, class {entry['class']} has ratio"
                    f" {entry['ratio']}",
                    where=where,
                )
            seen += 1
    if seen != len(classes):
        raise VerificationError("the snapshot names ids that are not in the population", where=CLASSES_FILE)
    counts = {code: 0 for code in table}
    for code in classes.values():
        counts[code] += 1
    spread = ", ".join(f"{code}: {count}" for code, count in counts.items())
    return [f"class snapshot matches the committed digest and class table ({spread})"]
