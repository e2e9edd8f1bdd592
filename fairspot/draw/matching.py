"""Inspector matching (执法检查人员随机匹配): rules, eligibility, costs — standard library only.

A matching spec (``"kind": "matching"``, §7.1 of docs/draw-protocol.md) carries everything the
assignment depends on: ``rules`` (``same_township``), ``tasks`` (id, target, date, township,
departments, qualifications, team_size, optional slots), ``inspectors`` (id, department,
certificate_expires, qualifications, township_posted, township_residence, capacity), the pair lists
``recusals`` (conflict register) and ``recent`` (inspected within the window), and ``sources``. An
optional expert pool (§7.8) is normalized, checked and drawn by experts.py, after the officers.

**Teams as slots.** A task's team is a list of slots; slot k requires a department (or "any
participating department" when null) and a set of qualifications. Every team rule becomes a slot
requirement, which keeps the problem a network flow (integral, uniquely solvable, certifiable):
team size = number of slots (≥ 2); a joint task's departments take the first slots, lead department
first; each required qualification is put on a slot (free slots first; else the department slot
whose department has most holders). The plan is written into the manifest, so it is public before
the draw; a caller may give its own ``slots``.

**Eligibility** of inspector i for slot k of task t (all must hold): capacity > 0; certificate valid
on the inspection date (``certificate_expires >= date``); (i, target) not in recusals nor in recent;
with ``same_township``, neither the township posted nor the township of residence is the task's;
department as the slot requires; holds every qualification of the slot.

**Cost** of (t, i, k) = first 4 bytes (big-endian) of SHA-256(LP("fairspot-draw/1 matching-cost") ‖
LP(seed) ‖ LP(task id) ‖ LP(inspector id) ‖ LP(decimal k)). The result is the minimum-cost assignment
filling every slot, with each inspector at most once per team and within capacity; the slot-0 member
leads the team.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .canonical import PROTOCOL, canonical_json, lp
from .errors import InfeasibleError, MatchingError, SpecError
from .population import ID_RE
from .sources import normalize_declarations

COST_TAG = "fairspot-draw/1 matching-cost"
COST_BYTES = 4  # 32-bit costs: ties are unlikely, and scaled certificates stay within int64
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


def matching_manifest(spec: Mapping[str, Any]) -> dict[str, Any]:
    from .experts import normalize_with_experts  # experts.py imports this module

    norm = normalize_with_experts(spec, normalize_matching_spec)
    return {
        "protocol": PROTOCOL,
        "kind": "matching",
        "spec": norm,
        "slots_total": sum(t["team_size"] for t in norm["tasks"]),
    }


# ---------------------------------------------------------------------------------------------- rules


@dataclass(slots=True)
class Problem:
    """Indexed view of a normalized matching spec: ``slots[j] = (task index, slot number)`` and
    ``eligible[j]`` the ascending indices of inspectors eligible for slot j."""

    tasks: list[dict[str, Any]]
    inspectors: list[dict[str, Any]]
    slots: list[tuple[int, int]]
    eligible: list[list[int]]


def ineligibility(
    spec: Mapping[str, Any],
    task: Mapping[str, Any],
    slot: int,
    insp: Mapping[str, Any],
    blocked: set[tuple[str, str]] | None = None,
) -> str | None:
    """Why inspector ``insp`` may not fill ``slot`` of ``task`` (None when eligible). The checks are the
    protocol's definition of eligibility, in this order."""
    req = task["slots"][slot]
    if insp["capacity"] <= 0:
        return "has capacity 0"
    if insp["certificate_expires"] < task["date"]:
        return (
            f"certificate expired on {insp['certificate_expires']}, before the inspection date {task['date']}"
        )
    if blocked is None:
        blocked = blocked_pairs(spec)
    if (insp["id"], task["target"]) in blocked:
        return f"must withdraw from target {task['target']!r} (recusal or recent inspection)"
    if spec["rules"]["same_township"] and task["township"] in (
        insp["township_posted"],
        insp["township_residence"],
    ):
        return f"is posted or lives in the task's township {task['township']!r} (same-township rule)"
    if req["department"] is not None:
        if insp["department"] != req["department"]:
            return f"is not of department {req['department']!r}"
    elif task["departments"] and insp["department"] not in task["departments"]:
        return f"department {insp['department']!r} does not take part in the task"
    missing = [q for q in req["qualifications"] if q not in insp["qualifications"]]
    if missing:
        return f"lacks qualification(s) {', '.join(map(repr, missing))}"
    return None


def blocked_pairs(spec: Mapping[str, Any]) -> set[tuple[str, str]]:
    return {(p["inspector"], p["target"]) for p in (*spec["recusals"], *spec["recent"])}


def build_problem(spec: Mapping[str, Any]) -> Problem:
    """Index the spec and list every slot's eligible inspectors (indexing by department and
    qualification first, so only plausible candidates are checked one by one)."""
    tasks, inspectors = spec["tasks"], spec["inspectors"]
    blocked = blocked_pairs(spec)
    by_dept: dict[str, list[int]] = {}
    for i, insp in enumerate(inspectors):
        by_dept.setdefault(insp["department"], []).append(i)
    quals = [set(insp["qualifications"]) for insp in inspectors]
    homes = [(insp["township_posted"], insp["township_residence"]) for insp in inspectors]
    every = list(range(len(inspectors)))
    same_township = spec["rules"]["same_township"]
    slots: list[tuple[int, int]] = []
    eligible: list[list[int]] = []
    for t, task in enumerate(tasks):
        if task["departments"]:
            participating = sorted(i for d in task["departments"] for i in by_dept.get(d, []))
        else:
            participating = every
        date, township, target = task["date"], task["township"], task["target"]
        ok = [
            i for i in participating
            if inspectors[i]["capacity"] > 0
            and inspectors[i]["certificate_expires"] >= date
            and (inspectors[i]["id"], target) not in blocked
            and not (same_township and township in homes[i])
        ]  # fmt: skip
        for k, req in enumerate(task["slots"]):
            need = set(req["qualifications"])
            dept = req["department"]
            slots.append((t, k))
            eligible.append(
                [i for i in ok if (dept is None or inspectors[i]["department"] == dept) and need <= quals[i]]
            )
    return Problem(tasks, inspectors, slots, eligible)


def cost_prefix(seed: bytes) -> Any:
    return hashlib.sha256(lp(COST_TAG.encode("ascii")) + lp(seed))


def slot_costs(
    prefix: Any,
    task_id: str,
    slot: int,
    inspector_ids: list[str],
    cache: dict[tuple[str, int], bytes] | None = None,
) -> list[int]:
    """Costs of the given inspectors for one slot (same bytes as tagged_hash(COST_TAG, seed, task,
    inspector, str(slot)), computed from a shared prefix; ``cache`` keeps the per-inspector tails)."""
    per_task = prefix.copy()
    per_task.update(lp(task_id.encode("utf-8")))
    if cache is None:
        cache = {}
    tail = lp(str(slot).encode("ascii"))
    copy = per_task.copy
    out = []
    append = out.append
    for ident in inspector_ids:
        blob = cache.get((ident, slot))
        if blob is None:
            blob = cache[(ident, slot)] = lp(ident.encode("utf-8")) + tail
        h = copy()
        h.update(blob)
        append(int.from_bytes(h.digest()[:COST_BYTES], "big"))
    return out


def explain_empty_slot(spec: Mapping[str, Any], task: Mapping[str, Any], slot: int) -> str:
    """A sentence saying why no inspector can fill a slot."""
    req = task["slots"][slot]
    parts = []
    if req["department"]:
        parts.append(f"department {req['department']!r}")
    elif task["departments"]:
        parts.append("department " + " or ".join(map(repr, task["departments"])))
    if req["qualifications"]:
        parts.append("qualification " + ", ".join(map(repr, req["qualifications"])))
    label = f"task {task['id']!r} slot {slot}" + (f" ({'; '.join(parts)})" if parts else "")
    blocked = blocked_pairs(spec)
    reasons: dict[str, int] = {}
    for insp in spec["inspectors"]:
        if req["department"] is not None and insp["department"] != req["department"]:
            continue
        if (
            req["department"] is None
            and task["departments"]
            and insp["department"] not in task["departments"]
        ):
            continue
        if not set(req["qualifications"]) <= set(insp["qualifications"]):
            continue
        if insp["capacity"] <= 0:
            why = "capacity 0"
        elif insp["certificate_expires"] < task["date"]:
            why = f"certificate expired before {task['date']}"
        elif (insp["id"], task["target"]) in blocked:
            why = "recusal or recent inspection of the target"
        else:
            why = "same-township rule"
        reasons[why] = reasons.get(why, 0) + 1
    if not reasons:
        who = "no inspector"
        if req["department"]:
            who += f" of department {req['department']!r}"
        elif task["departments"]:
            who += " of department " + " or ".join(map(repr, task["departments"]))
        if req["qualifications"]:
            who += " holds qualification " + " and ".join(map(repr, req["qualifications"]))
        else:
            who += " exists"
        return f"{label}: no eligible inspector — {who}"
    detail = "; ".join(f"{why} ({n})" for why, n in sorted(reasons.items()))
    return (
        f"{label}: no eligible inspector — all {sum(reasons.values())} with the right department and"
        f" qualifications are excluded: {detail}"
    )


def check_trivially_feasible(spec: Mapping[str, Any], problem: Problem) -> None:
    """Raise InfeasibleError listing every slot nobody can fill (cheap, before any solving)."""
    problems = [
        explain_empty_slot(spec, problem.tasks[t], k)
        for j, (t, k) in enumerate(problem.slots)
        if not problem.eligible[j]
    ]
    if problems:
        raise InfeasibleError(f"{len(problems)} slot(s) have no eligible inspector", problems=problems)
    by_task: dict[int, list[int]] = {}
    for j, (t, _) in enumerate(problem.slots):
        by_task.setdefault(t, []).append(j)
    for t, js in by_task.items():
        if not _distinct_team_possible([problem.eligible[j] for j in js]):
            task = problem.tasks[t]
            pool = sorted({problem.inspectors[i]["id"] for j in js for i in problem.eligible[j]})
            problems.append(
                f"task {task['id']!r}: its {len(js)} slots need {len(js)} different inspectors but the"
                " eligible ones"
                f" ({', '.join(pool)}) cannot cover them"
            )
    if problems:
        raise InfeasibleError(f"{len(problems)} task(s) cannot form a team", problems=problems)


def _distinct_team_possible(candidates: list[list[int]]) -> bool:
    """Can every slot get a different inspector? (augmenting paths; teams are small)"""
    owner: dict[int, int] = {}

    def place(k: int, seen: set[int]) -> bool:
        for i in candidates[k]:
            if i not in seen:
                seen.add(i)
                if i not in owner or place(owner[i], seen):
                    owner[i] = k
                    return True
        return False

    return all(place(k, set()) for k in range(len(candidates)))


def build_matching_manifest(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Normalize the spec and check that a full assignment exists (feasibility does not depend on the
    seed, so an impossible task is reported before anything is committed)."""
    manifest = matching_manifest(spec)
    problem = build_problem(manifest["spec"])
    check_trivially_feasible(manifest["spec"], problem)
    from .experts import check_expert_feasibility
    from .matching_solver import solve  # scipy only here

    check_expert_feasibility(manifest["spec"])  # §7.8
    solve(problem, bytes(32))  # any seed: only feasibility matters here
    return manifest


def match_inspectors(manifest: Mapping[str, Any], sources: Mapping[str, Any]) -> dict[str, Any]:
    """Reveal-time matching: ``sources`` maps names to values (or is a sources.json document).
    Returns the result document with teams and the optimality certificate."""
    from .experts import attach_experts, draw_experts
    from .manifest import manifest_digest
    from .matching_solver import solve
    from .sampling import sources_document
    from .seed import derive_seed

    if manifest.get("kind") != "matching":
        raise MatchingError("not a matching manifest", where="manifest")
    digest = manifest_digest(manifest)
    if "sources" in sources and isinstance(sources["sources"], list):
        sdoc = dict(sources)
    else:
        sdoc = sources_document(manifest, sources, digest=digest)
    seed = derive_seed(digest, sdoc["sources"])
    spec = manifest["spec"]
    experts = draw_experts(spec, seed)  # §7.8, before the solve: a shortage is refused at once
    problem = build_problem(spec)
    check_trivially_feasible(spec, problem)
    solution = solve(problem, seed)
    return attach_experts(result_document(manifest, digest, sdoc, seed, problem, solution), experts)


def result_document(
    manifest: Mapping[str, Any],
    digest: bytes,
    sdoc: Mapping[str, Any],
    seed: bytes,
    problem: Problem,
    solution: Any,
) -> dict[str, Any]:
    spec = manifest["spec"]
    teams = []
    j = 0
    for task in spec["tasks"]:
        members = []
        for k in range(task["team_size"]):
            i = solution.assigned[j]
            members.append(
                {
                    "slot": k,
                    "inspector": spec["inspectors"][i]["id"],
                    "cost": str(solution.cost[j]),
                    "y": str(solution.y[j]),
                    "z": str(solution.z[j]),
                }
            )
            j += 1
        teams.append(
            {
                "task": task["id"],
                "target": task["target"],
                "leader": members[0]["inspector"],
                "members": members,
            }
        )
    # Certificate integers are decimal strings: scaled potentials can pass 2**53.
    w = [
        {"inspector": spec["inspectors"][i]["id"], "w": str(val)}
        for i, val in enumerate(solution.w)
        if val != 0
    ]
    return {
        "protocol": PROTOCOL,
        "kind": "matching",
        "draw_id": spec["draw_id"],
        "manifest_sha256": digest.hex(),
        "sources_sha256": hashlib.sha256(canonical_json(sdoc)).hexdigest(),
        "seed": seed.hex(),
        "teams": teams,
        "inspector_potentials": w,
        "objective": str(sum(solution.cost)),
        "scale": solution.scale,
        "eligible_triples": sum(len(e) for e in problem.eligible),
        "unique": solution.unique,
    }
