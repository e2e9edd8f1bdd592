"""Matching spec normalization (§7.1 of docs/draw-protocol.md): validate a ``"kind": "matching"`` spec
and return its normalized form, with every task's slot plan made explicit — standard library only.

Used by matching.py (the manifest) and experts.py (the expert pool's fields are checked the same way).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from .canonical import PROTOCOL
from .errors import MatchingError, SpecError
from .population import ID_RE
from .sources import normalize_declarations

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SPEC_KEYS = {
    "protocol",
    "kind",
    "draw_id",
    "title",
    "created_at",
    "rules",
    "tasks",
    "inspectors",
    "recusals",
    "recent",
    "sources",
}
_TASK_KEYS = {"id", "target", "date", "township", "departments", "qualifications", "team_size", "slots"}
_INSPECTOR_KEYS = {
    "id",
    "department",
    "certificate_expires",
    "qualifications",
    "township_posted",
    "township_residence",
    "capacity",
}


def _ident(value: Any, where: str) -> str:
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        raise MatchingError(
            f"{value!r} is not a valid identifier (1-128 of A-Z a-z 0-9 - _ . : /)", where=where
        )
    return value


def _name(value: Any, what: str, where: str) -> str:
    if not isinstance(value, str) or not value or value != value.strip() or len(value) > 200:
        raise MatchingError(f"{what} must be a non-empty string without surrounding spaces", where=where)
    return value


def _date(value: Any, what: str, where: str) -> str:
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise MatchingError(f"{what} must be a date YYYY-MM-DD, got {value!r}", where=where)
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise MatchingError(f"{what} {value!r} is not a real date", where=where) from None
    return value


def _names(value: Any, what: str, where: str) -> list[str]:
    if not isinstance(value, list):
        raise MatchingError(f"{what} must be a list of strings", where=where)
    out = [_name(v, what, where) for v in value]
    if len(set(out)) != len(out):
        raise MatchingError(f"{what} lists a value twice", where=where)
    return out


def _count(value: Any, what: str, where: str, low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low or value > 1_000_000:
        raise MatchingError(f"{what} must be an integer >= {low}, got {value!r}", where=where)
    return value


def _inspector(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or set(raw) - _INSPECTOR_KEYS:
        raise MatchingError(
            f"an inspector has exactly the fields {', '.join(sorted(_INSPECTOR_KEYS))}", where=where
        )
    missing = _INSPECTOR_KEYS - set(raw)
    if missing:
        raise MatchingError(f"missing field(s) {', '.join(sorted(missing))}", where=where)
    return {
        "id": _ident(raw["id"], where),
        "department": _name(raw["department"], "department", where),
        "certificate_expires": _date(raw["certificate_expires"], "certificate_expires", where),
        "qualifications": sorted(_names(raw["qualifications"], "qualifications", where)),
        "township_posted": _name(raw["township_posted"], "township_posted", where),
        "township_residence": _name(raw["township_residence"], "township_residence", where),
        "capacity": _count(raw["capacity"], "capacity", where, 0),
    }


def _task(raw: Any, where: str, holders: dict[tuple[str, str], int]) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or set(raw) - _TASK_KEYS:
        raise MatchingError(f"a task has the fields {', '.join(sorted(_TASK_KEYS))}", where=where)
    for key in ("id", "date", "township"):
        if key not in raw:
            raise MatchingError(f"missing field {key!r}", where=where)
    ident = _ident(raw["id"], where)
    where = f"task {ident!r}"
    departments = _names(raw.get("departments", []), "departments", where)
    quals = sorted(_names(raw.get("qualifications", []), "qualifications", where))
    size = _count(raw.get("team_size", 2), "team_size", where, 2)
    if size < len(departments):
        raise MatchingError(
            f"team_size {size} is smaller than the {len(departments)} participating departments", where=where
        )
    task = {
        "id": ident,
        "target": _ident(raw.get("target", ident), where),
        "date": _date(raw["date"], "date", where),
        "township": _name(raw["township"], "township", where),
        "departments": departments,
        "qualifications": quals,
        "team_size": size,
    }
    task["slots"] = _slots(raw["slots"], task, where) if "slots" in raw else _default_slots(task, holders)
    return task


def _slots(raw: Any, task: dict[str, Any], where: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) != task["team_size"]:
        raise MatchingError(
            f"slots must be a list of team_size ({task['team_size']}) slot requirements", where=where
        )
    out = []
    for k, slot in enumerate(raw):
        w = f"{where} slot {k}"
        if not isinstance(slot, Mapping) or set(slot) != {"department", "qualifications"}:
            raise MatchingError('a slot is {"department": name or null, "qualifications": [...]}', where=w)
        dept = slot["department"]
        if dept is not None and (not task["departments"] or dept not in task["departments"]):
            raise MatchingError(f"department {dept!r} is not a participating department of the task", where=w)
        out.append(
            {
                "department": dept,
                "qualifications": sorted(_names(slot["qualifications"], "qualifications", w)),
            }
        )
    for dept in task["departments"]:
        if sum(1 for s in out if s["department"] == dept) == 0:
            raise MatchingError(f"no slot is reserved for participating department {dept!r}", where=where)
    for qual in task["qualifications"]:
        if not any(qual in s["qualifications"] for s in out):
            raise MatchingError(f"no slot requires qualification {qual!r}", where=where)
    return out


def _default_slots(task: dict[str, Any], holders: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    depts = task["departments"]
    slots: list[dict[str, Any]] = [{"department": d, "qualifications": []} for d in depts]
    slots += [{"department": None, "qualifications": []} for _ in range(task["team_size"] - len(depts))]
    free = [k for k in range(len(slots)) if slots[k]["department"] is None]
    for n, qual in enumerate(task["qualifications"]):
        if free:
            k = free[n % len(free)]
        else:  # the department with most holders of the qualification takes it; first slot on ties
            k = max(range(len(slots)), key=lambda j: (holders.get((slots[j]["department"], qual), 0), -j))
        slots[k]["qualifications"].append(qual)
    for slot in slots:
        slot["qualifications"].sort()
    return slots


def _pairs(raw: Any, key: str, inspectors: set[str]) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        raise MatchingError(f'{key} must be a list of {{"inspector", "target"}}', where=f"spec.{key}")
    out = {}
    for n, item in enumerate(raw):
        where = f"spec.{key}[{n}]"
        if not isinstance(item, Mapping) or set(item) != {"inspector", "target"}:
            raise MatchingError('expected {"inspector": ..., "target": ...}', where=where)
        pair = (_ident(item["inspector"], where), _ident(item["target"], where))
        if pair[0] not in inspectors:
            raise MatchingError(f"unknown inspector {pair[0]!r}", where=where)
        out[pair] = {"inspector": pair[0], "target": pair[1]}
    return [out[p] for p in sorted(out)]


def normalize_matching_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a matching spec and return its normalized form (idempotent; slot plans made explicit)."""
    if not isinstance(spec, Mapping):
        raise SpecError("the matching spec must be a JSON object", where="spec")
    unknown = set(spec) - _SPEC_KEYS
    if unknown:
        raise SpecError(f"unknown key(s): {', '.join(sorted(unknown))}", where="spec")
    if spec.get("protocol", PROTOCOL) != PROTOCOL or spec.get("kind", "matching") != "matching":
        raise SpecError(f"expected protocol {PROTOCOL!r} and kind 'matching'", where="spec")
    draw_id = spec.get("draw_id")
    if not isinstance(draw_id, str) or not draw_id or len(draw_id) > 200:
        raise SpecError("'draw_id' must be a non-empty string", where="spec.draw_id")
    title = spec.get("title", "")
    created_at = spec.get("created_at")
    if not isinstance(title, str) or (created_at is not None and not isinstance(created_at, str)):
        raise SpecError("title and created_at must be strings", where="spec")
    rules = spec.get("rules", {})
    if (
        not isinstance(rules, Mapping)
        or set(rules) - {"same_township"}
        or not isinstance(rules.get("same_township", False), bool)
    ):
        raise SpecError('rules is {"same_township": true|false}', where="spec.rules")
    raw_inspectors = spec.get("inspectors")
    raw_tasks = spec.get("tasks")
    if not isinstance(raw_inspectors, list) or not raw_inspectors:
        raise MatchingError("at least one inspector is needed", where="spec.inspectors")
    if not isinstance(raw_tasks, list) or not raw_tasks:
        raise MatchingError("at least one task is needed", where="spec.tasks")
    inspectors = [_inspector(r, f"spec.inspectors[{n}]") for n, r in enumerate(raw_inspectors)]
    _unique([i["id"] for i in inspectors], "inspector")
    holders: dict[tuple[str, str], int] = {}
    for insp in inspectors:
        for qual in insp["qualifications"]:
            holders[(insp["department"], qual)] = holders.get((insp["department"], qual), 0) + 1
    tasks = [_task(r, f"spec.tasks[{n}]", holders) for n, r in enumerate(raw_tasks)]
    _unique([t["id"] for t in tasks], "task")
    ids = {i["id"] for i in inspectors}
    return {
        "draw_id": draw_id,
        "title": title,
        "created_at": created_at,
        "rules": {"same_township": rules.get("same_township", False)},
        "tasks": sorted(tasks, key=lambda t: t["id"]),
        "inspectors": sorted(inspectors, key=lambda i: i["id"]),
        "recusals": _pairs(spec.get("recusals", []), "recusals", ids),
        "recent": _pairs(spec.get("recent", []), "recent", ids),
        "sources": normalize_declarations(spec.get("sources")),
    }


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise MatchingError(f"duplicate {what} id {ident!r}", where=f"spec.{what}s")
        seen.add(ident)
