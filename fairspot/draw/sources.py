"""Randomness sources: declared before the commit, revealed after it, mixed into the seed.

A declaration (in the spec, copied into the manifest) fixes everything about a source in advance:

``{"name": "drand", "kind": "drand", "round": 5123456, "chain": "quicknet", "format": "^[0-9a-f]{64}$",
"fallback": "...", "deadline": "...", "description": "..."}``

Kinds: ``drand`` (a named future round of the drand beacon; value = the 64-hex-digit randomness),
``public_number`` (e.g. an index close on a stated date) and ``ceremony`` (a hex string produced at a
witnessed ceremony). The seed is SHA-256 over the manifest digest and every source in manifest order,
so one unpredictable source the operator does not control is enough (see seed.py and
docs/draw-protocol.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import SourceError, SpecError

KINDS = ("drand", "public_number", "ceremony")
NAME_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
DRAND_FORMAT = "^[0-9a-f]{64}$"
_COMMON = {"name", "kind", "format", "fallback", "description", "deadline"}
_EXTRA = {"drand": {"round", "chain"}, "public_number": set(), "ceremony": set()}
_ENTRY_KEYS = {"value", "signature", "round", "fallback_used", "note"}
MAX_VALUE_LENGTH = 4096


def _text(decl: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = decl.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise SpecError(f"'{key}' must be a {'non-empty ' if required else ''}string", where=where)
    return value


def normalize_declarations(decls: Any) -> list[dict[str, Any]]:
    """Validate source declarations and return them in normalized form (defaults filled in)."""
    if not isinstance(decls, list) or not decls:
        raise SpecError("at least one randomness source must be declared", where="spec.sources")
    out: list[dict[str, Any]] = []
    names: set[str] = set()
    for i, decl in enumerate(decls):
        where = f"spec.sources[{i}]"
        if not isinstance(decl, Mapping):
            raise SpecError("a source declaration must be an object", where=where)
        name = decl.get("name")
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            raise SpecError(f"source name {name!r} must be 1-64 of A-Z a-z 0-9 _ . -", where=where)
        where = f"source {name!r}"
        if name in names:
            raise SpecError("source name declared twice", where=where)
        names.add(name)
        kind = decl.get("kind")
        if kind not in KINDS:
            raise SpecError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}", where=where)
        unknown = set(decl) - _COMMON - _EXTRA[kind]
        if unknown:
            raise SpecError(f"unknown field(s) {', '.join(sorted(unknown))} for kind {kind}", where=where)
        fmt = decl.get("format", DRAND_FORMAT if kind == "drand" else None)
        if not isinstance(fmt, str) or not fmt:
            raise SpecError("a 'format' regular expression is required", where=where)
        try:
            pattern = re.compile(fmt)
        except re.error as exc:
            raise SpecError(f"format {fmt!r} is not a valid regular expression: {exc}", where=where) from None
        if pattern.fullmatch(""):
            raise SpecError(f"format {fmt!r} accepts an empty value", where=where)
        norm: dict[str, Any] = {
            "name": name,
            "kind": kind,
            "format": fmt,
            "fallback": _text(decl, "fallback", where, required=True),
            "description": _text(decl, "description", where),
            "deadline": _text(decl, "deadline", where),
        }
        if kind == "drand":
            rnd = decl.get("round")
            if not isinstance(rnd, int) or isinstance(rnd, bool) or rnd < 1:
                raise SpecError("a drand source needs the round number ('round', integer >= 1)", where=where)
            norm["round"] = rnd
            norm["chain"] = _text(decl, "chain", where)
        out.append(norm)
    return out


def check_revealed(decls: Iterable[Mapping[str, Any]], given: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Check revealed values against the declarations; return the ``sources.json`` entries in manifest
    order. A value may be a string or
    ``{"value": ..., "signature"?, "round"?, "fallback_used"?, "note"?}``."""
    decls = list(decls)
    declared = {d["name"] for d in decls}
    unknown = sorted(set(given) - declared)
    if unknown:
        raise SourceError(f"source(s) {', '.join(map(repr, unknown))} are not declared in the manifest")
    missing = [d["name"] for d in decls if d["name"] not in given]
    if missing:
        raise SourceError(
            f"source(s) {', '.join(map(repr, missing))} have no value yet: a draw is revealed only when every"
            " declared source is known"
        )
    return [_entry(d, given[d["name"]]) for d in decls]


def _entry(decl: Mapping[str, Any], raw: Any) -> dict[str, Any]:
    name = decl["name"]
    where = f"source {name!r}"
    entry = {"value": raw} if isinstance(raw, str) else raw
    if not isinstance(entry, Mapping):
        raise SourceError("value must be a string or an object with 'value'", where=where)
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise SourceError(f"unknown field(s) {', '.join(sorted(unknown))}", where=where)
    value = entry.get("value")
    if not isinstance(value, str) or not value or len(value) > MAX_VALUE_LENGTH:
        raise SourceError("value must be a non-empty string", where=where)
    if not re.fullmatch(decl["format"], value):
        raise SourceError(
            f"value {value!r} does not match the declared format {decl['format']!r}", where=where
        )
    out: dict[str, Any] = {"name": name, "value": value}
    for key in ("signature", "note"):
        if key in entry:
            if not isinstance(entry[key], str):
                raise SourceError(f"'{key}' must be a string", where=where)
            out[key] = entry[key]
    fallback = entry.get("fallback_used", False)
    if not isinstance(fallback, bool):
        raise SourceError("'fallback_used' must be true or false", where=where)
    if fallback:
        out["fallback_used"] = True
        if not out.get("note"):
            raise SourceError("a value taken under the fallback rule needs a 'note' saying why", where=where)
    if "round" in entry:
        rnd = entry["round"]
        if decl["kind"] != "drand" or not isinstance(rnd, int) or isinstance(rnd, bool):
            raise SourceError("'round' is only for drand sources and must be an integer", where=where)
        if fallback and rnd <= decl["round"]:
            raise SourceError(
                f"round {rnd} was taken under the fallback rule, so it must be later than the declared round"
                f" {decl['round']}",
                where=where,
            )
        if not fallback and rnd != decl["round"]:
            raise SourceError(
                f"round {rnd} is not the declared round {decl['round']} (a later round is allowed only with"
                " fallback_used)",
                where=where,
            )
        out["round"] = rnd
    return out
