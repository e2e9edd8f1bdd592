"""Spec keys added by ``fairspot-draw/2`` (target draws): floors, ratios by a column's values, class table.

* ``min_inclusion`` — πps only: every eligible target's inclusion probability is at least this
  (``"1/100"`` or ``"0.01"``; normalized to a fraction ``"p/q"``). Top level and/or per stratum override.
* ``ratio_by`` — ``{"column": <a stratify_by column>, "ratios": {<value>: <ratio>, ...}}``: the
  allocation of every stratum whose value in that column is listed (a per-class ratio, e.g. risk class
  A 1 %, D 30 %), unless a ``strata`` override names the stratum.
* ``class_table`` + ``class_snapshot_sha256`` — both or neither: the class table (``[{"class", "ratio"?,
  "weight"?, "label"?}]``) and the SHA-256 of the staff-side class snapshot file (classes.py), so the
  draw commits to the classes without publishing them.

Each key is omitted from the normalized spec when absent, so a v1 spec normalizes to the same object
under v2.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from .canonical import canonical_decimal, parse_decimal
from .errors import CanonicalError, SpecError

V2_KEYS = frozenset({"min_inclusion", "ratio_by", "class_table", "class_snapshot_sha256"})
_FRACTION = re.compile(r"([0-9]{1,30})/([0-9]{1,30})")
_HEX64 = re.compile(r"[0-9a-f]{64}")
MAX_CLASSES = 100


def parse_floor(value: Any, where: str) -> str:
    """A floor as a canonical fraction string ("1/100"); refuses ≤ 0 and > 1."""
    text = None
    if isinstance(value, str):
        match = _FRACTION.fullmatch(value)
        if match and int(match[2]) > 0:
            text = str(Fraction(int(match[1]), int(match[2])))
        else:
            try:
                text = str(Fraction(canonical_decimal(value, where=where)))
            except CanonicalError:
                text = None
    if text is None:
        raise SpecError(
            f'min_inclusion must be a fraction like "1/100" or a decimal like "0.01", got {value!r}',
            where=where,
        )
    floor = Fraction(text)
    if floor <= 0:
        raise SpecError(
            f"min_inclusion {value!r} must be greater than 0 (a floor of 0 leaves targets out of reach)",
            where=where,
        )
    if floor > 1:
        raise SpecError(f"min_inclusion {value!r} is greater than 1", where=where)
    return text


def check_floor_below_ratio(floor: str, alloc: Mapping[str, Any], where: str) -> None:
    """A floor above a ratio allocation can never hold (Σπ = n ≈ ratio·N)."""
    if "ratio" in alloc and Fraction(floor) > Fraction(alloc["ratio"]):
        raise SpecError(
            f"min_inclusion {floor} is above the sampling ratio {alloc['ratio']}: "
            "every target cannot have a larger chance than the ratio allows",
            where=where,
        )


def normalize_v2(spec: Mapping[str, Any], out: dict[str, Any]) -> None:
    """Add the normalized v2 keys of ``spec`` to ``out`` (already normalized v1 keys)."""
    if "min_inclusion" in spec:
        if out["design"] != "pps":
            raise SpecError(
                "min_inclusion applies to design 'pps' (with 'srs' every target's chance is the ratio)",
                where="spec.min_inclusion",
            )
        out["min_inclusion"] = parse_floor(spec["min_inclusion"], "spec.min_inclusion")
        check_floor_below_ratio(out["min_inclusion"], out, "spec.min_inclusion")
    if "ratio_by" in spec:
        out["ratio_by"] = _ratio_by(spec["ratio_by"], out["stratify_by"], out)
    has_table, has_digest = "class_table" in spec, "class_snapshot_sha256" in spec
    if has_table != has_digest:
        raise SpecError("give class_table and class_snapshot_sha256 together", where="spec.class_table")
    if has_table:
        digest = spec["class_snapshot_sha256"]
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            raise SpecError(
                "class_snapshot_sha256 must be 64 lower-case hex digits", where="spec.class_snapshot_sha256"
            )
        out["class_table"] = _class_table(spec["class_table"], out["design"])
        out["class_snapshot_sha256"] = digest


def _ratio_by(value: Any, stratify_by: list[str], out: Mapping[str, Any]) -> dict[str, Any]:
    where = "spec.ratio_by"
    if not isinstance(value, Mapping) or set(value) != {"column", "ratios"}:
        raise SpecError('ratio_by is {"column": <stratify_by column>, "ratios": {value: ratio}}', where=where)
    column, ratios = value["column"], value["ratios"]
    if column not in stratify_by:
        raise SpecError(f"ratio_by column {column!r} is not one of stratify_by {stratify_by}", where=where)
    if not isinstance(ratios, Mapping) or not ratios:
        raise SpecError("ratio_by.ratios must be a non-empty object: value → ratio", where=where)
    from .spec import normalized_ratio  # spec imports this module

    clean = {}
    for key in sorted(ratios):
        if not isinstance(key, str) or not key:
            raise SpecError(f"ratio_by value {key!r} must be a non-empty string", where=where)
        clean[key] = normalized_ratio(ratios[key], f"{where}.ratios[{key!r}]")
        if "min_inclusion" in out:
            check_floor_below_ratio(out["min_inclusion"], {"ratio": clean[key]}, f"{where}.ratios[{key!r}]")
    return {"column": column, "ratios": clean}


def _class_table(items: Any, design: str) -> list[dict[str, str]]:
    where = "spec.class_table"
    if not isinstance(items, list) or not 0 < len(items) <= MAX_CLASSES:
        raise SpecError(f"class_table must be a list of 1–{MAX_CLASSES} classes", where=where)
    out: dict[str, dict[str, str]] = {}
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        if (
            not isinstance(item, Mapping)
            or "class" not in item
            or set(item) - {"class", "ratio", "weight", "label"}
        ):
            raise SpecError('a class is {"class", and optionally "ratio", "weight", "label"}', where=at)
        code = item["class"]
        if (
            not isinstance(code, str)
            or not 0 < len(code) <= 64
            or code != code.strip()
            or not code.isprintable()
        ):
            raise SpecError(f"class code {code!r} must be 1–64 printable characters", where=at)
        if code in out:
            raise SpecError(f"class {code!r} is listed twice", where=at)
        entry = {"class": code}
        if "ratio" in item:
            from .spec import normalized_ratio

            entry["ratio"] = normalized_ratio(item["ratio"], f"{at}.ratio")
        if "weight" in item:
            if design != "pps":
                raise SpecError("a class weight needs design 'pps'", where=f"{at}.weight")
            try:
                weight = canonical_decimal(item["weight"], where=f"{at}.weight")
            except CanonicalError as exc:
                raise SpecError(exc.message, where=f"{at}.weight") from None
            if parse_decimal(weight, where=at) <= 0:
                raise SpecError(
                    f"class weight {item['weight']!r} must be greater than 0", where=f"{at}.weight"
                )
            entry["weight"] = weight
        if "label" in item:
            label = item["label"]
            if not isinstance(label, str) or len(label) > 200:
                raise SpecError("a class label is a string of at most 200 characters", where=f"{at}.label")
            entry["label"] = label
        out[code] = entry
    return [out[k] for k in sorted(out)]
