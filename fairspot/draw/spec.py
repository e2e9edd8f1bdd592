"""The draw specification: what is drawn, how much, from which strata, seeded by which sources.

Input (JSON object; unknown keys are errors so a typo cannot silently change a draw)::

    {
      "draw_id": "2026-market-001",          required, the draw's public name
      "title": "...",                        optional
      "created_at": "2026-03-01T09:00:00+08:00",  optional; only what is given enters the manifest
      "design": "srs" | "pps",               default "srs" (stratified simple random sampling)
      "stratify_by": ["industry_section", "township"],   default []
      "weight_column": "risk_weight",        required for pps, forbidden for srs
      "ratio": "0.05"  |  "sample_size": 40, exactly one: the default allocation of every stratum
      "min_per_stratum": 0,                  ratio strata: at least this many (capped at N_h)
      "strata": [{"stratum": ["C", "关堤乡"], "ratio": "0.3"}, {"stratum": [...], "sample_size": 2}],
      "alternates": 2,                       next keys per stratum kept as alternates
      "exclusions": [{"id": "...", "reason": "deregistered"}],
      "sources": [ ...see sources.py... ],
      "annex": {"inspector_pool_sha256": "..."}   optional: further committed facts (strings)
    }

:func:`normalize_spec` returns the normalized form stored in the manifest; it is idempotent, which lets a
verifier rebuild the manifest from the stored spec and compare bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from itertools import islice, repeat
from operator import eq, itemgetter
from typing import Any

from .canonical import PROTOCOL, PROTOCOL_V2, PROTOCOLS, canonical_decimal, parse_decimal
from .errors import CanonicalError, SpecError
from .population import ID_RE, check_columns, ids_valid
from .sources import normalize_declarations
from .spec_v2 import V2_KEYS, check_floor_below_ratio, normalize_v2, parse_floor

DESIGNS = ("srs", "pps")
_KEYS = {
    "protocol", "kind", "draw_id", "title", "created_at", "design", "stratify_by", "weight_column", "ratio",
    "sample_size", "min_per_stratum", "strata", "alternates", "exclusions", "sources", "annex",
}  # fmt: skip
MAX_ANNEX = 20
MAX_ALTERNATES = 10_000


def _ratio(value: Any, where: str) -> str:
    try:
        text = canonical_decimal(value, where=where)
    except CanonicalError:
        raise SpecError(
            f'ratio must be a decimal string between 0 and 1 like "0.05", got {value!r}', where=where
        ) from None
    if parse_decimal(text, where=where) > 1:
        raise SpecError(f"ratio {value!r} is greater than 1", where=where)
    return text


def _count(value: Any, what: str, where: str, *, upper: int | None = None) -> int:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < 0
        or (upper is not None and value > upper)
    ):
        bound = f" and at most {upper}" if upper is not None else ""
        raise SpecError(f"{what} must be an integer >= 0{bound}, got {value!r}", where=where)
    return value


def normalized_ratio(value: Any, where: str) -> str:
    """A ratio in canonical decimal spelling (0 ≤ r ≤ 1)."""
    if isinstance(value, str) and value.startswith("-"):
        raise SpecError(f"ratio {value!r} is negative; it must be between 0 and 1", where=where)
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        raise SpecError(f"ratio {value!r} is negative; it must be between 0 and 1", where=where)
    return _ratio(value, where)


def _allocation(obj: Mapping[str, Any], where: str) -> dict[str, Any]:
    has_ratio, has_size = "ratio" in obj, "sample_size" in obj
    if has_ratio == has_size:
        raise SpecError("give exactly one of 'ratio' or 'sample_size'", where=where)
    if has_ratio:
        return {"ratio": normalized_ratio(obj["ratio"], where)}
    return {"sample_size": _count(obj["sample_size"], "sample_size", where)}


def allocation_value(entry: Mapping[str, Any]) -> tuple[str, Fraction | int]:
    """("ratio", Fraction) or ("sample_size", int) of a normalized allocation."""
    if "ratio" in entry:
        return "ratio", Fraction(entry["ratio"])
    return "sample_size", entry["sample_size"]


def expected_size(entry: Mapping[str, Any], frame: int, minimum: int) -> Fraction:
    """E[n_h] of a stratum under its allocation: k for a sample size; for a ratio r with x = r·N_h and
    f = x − ⌊x⌋, (1 − f)·g(⌊x⌋) + f·g(⌊x⌋ + 1) where g(k) = min(N_h, max(minimum, k)) (§5.6)."""
    kind, value = allocation_value(entry)
    if kind == "sample_size":
        return Fraction(int(value))
    x = value * frame
    whole = x.numerator // x.denominator
    frac = x - whole

    def clamp(k: int) -> int:
        return min(frame, max(minimum, k))

    return (1 - frac) * clamp(whole) + frac * clamp(whole + 1)


def _string(spec: Mapping[str, Any], key: str, *, required: bool = False, max_len: int = 500) -> str:
    value = spec.get(key, "")
    if not isinstance(value, str) or (required and not value) or len(value) > max_len:
        raise SpecError(
            f"'{key}' must be a {'non-empty ' if required else ''}string of at most {max_len} characters",
            where=f"spec.{key}",
        )
    return value


def spec_protocol(spec: Mapping[str, Any], default: str = PROTOCOL) -> str:
    """The protocol a target-draw spec asks for (``default`` when it names none)."""
    protocol = spec.get("protocol", default) if isinstance(spec, Mapping) else default
    if protocol not in PROTOCOLS:
        raise SpecError(
            f"protocol must be one of {', '.join(PROTOCOLS)}, got {protocol!r}", where="spec.protocol"
        )
    return protocol


def normalize_spec(spec: Mapping[str, Any], *, protocol: str | None = None) -> dict[str, Any]:
    """Validate a target-draw spec; return its normalized form (see module docstring). The protocol is
    the spec's ``protocol``, else ``protocol`` (the manifest's, when re-normalizing a stored spec), else
    ``fairspot-draw/1``; keys of ``fairspot-draw/2`` are refused under ``fairspot-draw/1``."""
    if not isinstance(spec, Mapping):
        raise SpecError("the spec must be a JSON object", where="spec")
    version = spec_protocol(spec, protocol or PROTOCOL)
    if protocol is not None and version != protocol:
        raise SpecError(f"protocol must be {protocol!r}", where="spec.protocol")
    v2 = version == PROTOCOL_V2
    unknown = set(spec) - _KEYS - (V2_KEYS if v2 else set())
    if unknown:
        later = sorted(unknown & V2_KEYS)
        if later:
            raise SpecError(f"{', '.join(later)} need(s) protocol {PROTOCOL_V2!r}", where="spec")
        raise SpecError(f"unknown key(s): {', '.join(sorted(unknown))}", where="spec")
    if spec.get("kind", "targets") != "targets":
        raise SpecError("kind must be 'targets' for a target draw", where="spec.kind")
    design = spec.get("design", "srs")
    if design not in DESIGNS:
        raise SpecError(f"design must be 'srs' or 'pps', got {design!r}", where="spec.design")
    stratify_by = spec.get("stratify_by", [])
    if not isinstance(stratify_by, list):
        raise SpecError("stratify_by must be a list of column names", where="spec.stratify_by")
    weight_column = spec.get("weight_column")
    if design == "pps" and not weight_column:
        raise SpecError("design 'pps' needs a weight_column", where="spec.weight_column")
    if design == "srs" and weight_column is not None:
        raise SpecError("weight_column is only used by design 'pps'", where="spec.weight_column")
    check_columns(stratify_by, weight_column, where="spec.stratify_by")
    created_at = spec.get("created_at")
    if created_at is not None and (not isinstance(created_at, str) or len(created_at) > 100):
        raise SpecError(
            "created_at must be a string (e.g. an ISO 8601 time) or null", where="spec.created_at"
        )
    out: dict[str, Any] = {
        "draw_id": _string(spec, "draw_id", required=True, max_len=200),
        "title": _string(spec, "title"),
        "created_at": created_at,
        "design": design,
        "stratify_by": list(stratify_by),
        "weight_column": weight_column,
        **_allocation(spec, "spec"),
        "min_per_stratum": _count(spec.get("min_per_stratum", 0), "min_per_stratum", "spec.min_per_stratum"),
        "alternates": _count(
            spec.get("alternates", 0), "alternates", "spec.alternates", upper=MAX_ALTERNATES
        ),
        "strata": _overrides(spec.get("strata", []), len(stratify_by), v2=v2 and design == "pps"),
        "exclusions": _exclusions(spec.get("exclusions", [])),
        "sources": normalize_declarations(spec.get("sources")),
    }
    annex = _annex(spec.get("annex", {}))
    if annex:
        out["annex"] = annex
    if v2:
        normalize_v2(spec, out)
    return out


def _annex(value: Any) -> dict[str, str]:
    """Further facts the platform commits to with the draw, e.g. the digest of the frozen inspector pool."""
    if not isinstance(value, Mapping) or len(value) > MAX_ANNEX:
        raise SpecError(f"annex must be an object of at most {MAX_ANNEX} string entries", where="spec.annex")
    for key, text in value.items():
        good_key = isinstance(key, str) and 0 < len(key) <= 64
        if not good_key or not isinstance(text, str) or len(text) > 500:
            raise SpecError("annex keys have 1–64 characters, values at most 500", where="spec.annex")
    return dict(value)


def _overrides(items: Any, width: int, *, v2: bool = False) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise SpecError("strata must be a list of per-stratum overrides", where="spec.strata")
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    allowed = {"stratum", "ratio", "sample_size", *(("min_inclusion",) if v2 else ())}
    for i, item in enumerate(items):
        where = f"spec.strata[{i}]"
        if not isinstance(item, Mapping) or set(item) - allowed:
            extra = ' (and, for πps under fairspot-draw/2, "min_inclusion")'
            raise SpecError(
                f'an override is {{"stratum": [...], "ratio" or "sample_size": ...}}{extra}', where=where
            )
        stratum = item.get("stratum")
        if (
            not isinstance(stratum, list)
            or len(stratum) != width
            or not all(isinstance(v, str) for v in stratum)
        ):
            raise SpecError(
                f"stratum must be a list of {width} strings (one per stratify_by column)", where=where
            )
        key = tuple(stratum)
        if key in out:
            raise SpecError(f"stratum {stratum} is overridden twice", where=where)
        out[key] = {"stratum": stratum, **_allocation(item, where)}
        if "min_inclusion" in item:
            floor = parse_floor(item["min_inclusion"], f"{where}.min_inclusion")
            check_floor_below_ratio(floor, out[key], f"{where}.min_inclusion")
            out[key]["min_inclusion"] = floor
    return [out[k] for k in sorted(out)]


_EXCLUSION_KEYS = frozenset({"id", "reason"})


def _exclusions_at_once(items: list[Any]) -> list[dict[str, str]] | None:
    """The exclusions sorted by id when they are all in normal form (plain dicts of an id and a
    reason, both strings, the id valid, the reason not blank, no id twice), checked at C speed: a
    province's commit carries millions. None when anything is off; the loop then names it."""
    if set(map(type, items)) - {dict} or not all(map(eq, map(dict.keys, items), repeat(_EXCLUSION_KEYS))):
        return None
    try:
        ordered = sorted(items, key=itemgetter("id"))
    except TypeError:  # ids of different types
        return None
    ids, reasons = list(map(itemgetter("id"), ordered)), list(map(itemgetter("reason"), ordered))
    if set(map(type, reasons)) - {str} or not ids_valid(ids) or not all(map(str.strip, reasons)):
        return None
    if any(map(eq, ids, islice(ids, 1, None))):
        return None
    return ordered


def _exclusions(items: Any) -> list[dict[str, str]]:
    if not isinstance(items, list):
        raise SpecError('exclusions must be a list of {"id", "reason"}', where="spec.exclusions")
    ordered = _exclusions_at_once(items)
    if ordered is not None:
        return ordered
    out: dict[str, dict[str, str]] = {}
    for i, item in enumerate(items):
        plain = type(item) is dict  # the common case, tested without the slower abstract check
        if not (plain or isinstance(item, Mapping)) or item.keys() != _EXCLUSION_KEYS:
            raise SpecError('an exclusion is {"id": ..., "reason": ...}', where=f"spec.exclusions[{i}]")
        ident, reason = item["id"], item["reason"]
        if not isinstance(ident, str) or not ID_RE.fullmatch(ident):
            raise SpecError(
                f"exclusion id {ident!r} is not a valid identifier", where=f"spec.exclusions[{i}]"
            )
        if not isinstance(reason, str) or not reason.strip():
            raise SpecError(f"exclusion of {ident!r} needs a reason", where=f"spec.exclusions[{i}]")
        if ident in out:
            raise SpecError(f"id {ident!r} is excluded twice", where=f"spec.exclusions[{i}]")
        # a plain dict already in the normal form is kept, not copied: a province's commit carries
        # millions of exclusions, and a copy of each would double what the commit holds
        out[ident] = item if plain else {"id": ident, "reason": reason}
    return [out[k] for k in sorted(out)]
