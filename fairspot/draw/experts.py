"""Experts on inspection teams (§7.8 of docs/draw-protocol.md): non-enforcing members drawn by a rule
anyone can re-check. Standard library only.

A matching spec may list an expert pool; each task says how many experts join its team and which
expertise every one of them must hold::

    "experts": [{"id": "E01", "qualifications": ["food"], "capacity": 2}],
    "expert_recusals": [{"expert": "E01", "target": "91410700..."}],
    "tasks": [{"id": "T1", ..., "experts": 1, "expert_qualifications": ["food"]}]

**The rule.** After the officer matching (which experts do not affect), tasks are taken in manifest
order; for a task needing n experts every expert is ranked by

    key(t, e) = H("fairspot-draw/1 expert", seed, task id, expert id)

ascending (ties by id), and the first n who are eligible join, in that order. Eligible: capacity > 0,
(expert, target) not in ``expert_recusals``, holds every ``expert_qualifications`` of the task, and
fewer teams so far in this draw than its capacity. Experts never fill a slot, never lead, and are not
touched by replacements (§7.7).

**Feasibility.** The commit refuses a spec in which some task has fewer than n eligible experts, or no
assignment at all meets every demand within the capacities (a max flow; neither depends on the
seed). The greedy rule can still run short for some seeds when capacities bind; the reveal then
refuses, naming the task. If every expert's capacity is at least the number of expert-needing tasks
it is eligible for, it never runs short.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from itertools import pairwise
from typing import Any

from .canonical import tagged_hash
from .errors import InfeasibleError, MatchingError, VerificationError
from .matching_spec import _count, _ident, _names

EXPERT_TAG = "fairspot-draw/1 expert"
SPEC_KEYS = ("experts", "expert_recusals")
TASK_KEYS = ("experts", "expert_qualifications")
_EXPERT_KEYS = {"id", "qualifications", "capacity"}


def expert_key(seed: bytes, task_id: str, expert_id: str) -> bytes:
    """H("fairspot-draw/1 expert", seed, task id, expert id): an expert's ticket for one task."""
    return tagged_hash(EXPERT_TAG, seed, task_id.encode("utf-8"), expert_id.encode("utf-8"))


# ------------------------------------------------------------------------------------------ spec


def _expert(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or set(raw) != _EXPERT_KEYS:
        raise MatchingError('an expert is exactly {"id", "qualifications", "capacity"}', where=where)
    return {
        "id": _ident(raw["id"], where),
        "qualifications": sorted(_names(raw["qualifications"], "qualifications", where)),
        "capacity": _count(raw["capacity"], "capacity", where, 0),
    }


def _recusals(raw: Any, experts: set[str]) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        raise MatchingError(
            'expert_recusals must be a list of {"expert", "target"}', where="spec.expert_recusals"
        )
    out = {}
    for n, item in enumerate(raw):
        where = f"spec.expert_recusals[{n}]"
        if not isinstance(item, Mapping) or set(item) != {"expert", "target"}:
            raise MatchingError('expected {"expert": ..., "target": ...}', where=where)
        pair = (_ident(item["expert"], where), _ident(item["target"], where))
        if pair[0] not in experts:
            raise MatchingError(f"unknown expert {pair[0]!r}", where=where)
        out[pair] = {"expert": pair[0], "target": pair[1]}
    return [out[p] for p in sorted(out)]


def normalize_with_experts(spec: Any, normalize_officers: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Normalize a matching spec: ``normalize_officers`` handles everything of §7.1 on the spec without
    the expert keys, then the expert pool is added (§7.8). Without experts the result is exactly the
    officers' normalized spec: no expert key is written."""
    if not isinstance(spec, Mapping):
        return normalize_officers(spec)
    core = {k: v for k, v in spec.items() if k not in SPEC_KEYS}
    raw_tasks = spec.get("tasks")
    if isinstance(raw_tasks, list):
        core["tasks"] = [
            {k: v for k, v in t.items() if k not in TASK_KEYS} if isinstance(t, Mapping) else t
            for t in raw_tasks
        ]
    norm = normalize_officers(core)  # every task is now a mapping with a valid, unique id
    parts = {t["id"]: t for t in raw_tasks}
    raw_experts = spec.get("experts", [])
    if not isinstance(raw_experts, list):
        raise MatchingError("experts must be a list", where="spec.experts")
    experts = sorted(
        (_expert(r, f"spec.experts[{n}]") for n, r in enumerate(raw_experts)), key=lambda e: e["id"]
    )
    officers = {i["id"] for i in norm["inspectors"]}
    for a, b in pairwise(experts):
        if a["id"] == b["id"]:
            raise MatchingError(f"duplicate expert id {a['id']!r}", where="spec.experts")
    for e in experts:
        if e["id"] in officers:
            raise MatchingError(
                f"expert id {e['id']!r} is also an inspector id (team members share one namespace)",
                where="spec.experts",
            )
    recusals = _recusals(spec.get("expert_recusals", []), {e["id"] for e in experts})
    demands = []
    for task in norm["tasks"]:
        raw, where = parts[task["id"]], f"task {task['id']!r}"
        count = _count(raw.get("experts", 0), "experts", where, 0)
        quals = sorted(_names(raw.get("expert_qualifications", []), "expert_qualifications", where))
        if not experts and (count or quals):
            raise MatchingError("asks for experts but the spec lists no experts", where=where)
        demands.append((count, quals))
    if not experts:
        return norm
    for task, (count, quals) in zip(norm["tasks"], demands, strict=True):
        task["experts"] = count
        task["expert_qualifications"] = quals
    norm["experts"] = experts
    norm["expert_recusals"] = recusals
    return norm


# ------------------------------------------------------------------------------------------ rule


def expert_ineligibility(
    task: Mapping[str, Any], expert: Mapping[str, Any], recused: set[tuple[str, str]]
) -> str | None:
    """Why ``expert`` may never join ``task``'s team (None when it may, load permitting); the checks of
    §7.8 in this order. The fourth condition, load below capacity, is the rule's (``draw_experts``)."""
    if expert["capacity"] <= 0:
        return "has capacity 0"
    if (expert["id"], task["target"]) in recused:
        return f"must withdraw from target {task['target']!r} (expert recusal)"
    missing = [q for q in task["expert_qualifications"] if q not in expert["qualifications"]]
    if missing:
        return f"lacks qualification(s) {', '.join(map(repr, missing))}"
    return None


def _recused(spec: Mapping[str, Any]) -> set[tuple[str, str]]:
    return {(p["expert"], p["target"]) for p in spec["expert_recusals"]}


def draw_experts(spec: Mapping[str, Any], seed: bytes) -> list[list[dict[str, str]]] | None:
    """The experts of every team, tasks in manifest order: ``[[{"expert", "key"}, ...], ...]``; None
    when the normalized ``spec`` has no experts. Raises InfeasibleError when the rule runs short."""
    if "experts" not in spec:
        return None
    recused = _recused(spec)
    load = {e["id"]: 0 for e in spec["experts"]}
    teams = []
    for task in spec["tasks"]:
        need = task["experts"]
        chosen: list[dict[str, str]] = []
        if need:
            ranked = sorted(
                (expert_key(seed, task["id"], e["id"]), e["id"], e)
                for e in spec["experts"]
                if expert_ineligibility(task, e, recused) is None
            )
            for key, ident, expert in ranked:
                if len(chosen) == need:
                    break
                if load[ident] < expert["capacity"]:
                    chosen.append({"expert": ident, "key": key.hex()})
                    load[ident] += 1
            if len(chosen) < need:
                raise InfeasibleError(
                    f"task {task['id']!r} needs {need} expert(s) but only {len(chosen)} of its"
                    f" {len(ranked)} eligible expert(s) are still under capacity after the tasks before it;"
                    " the expert rule (§7.8) runs short for this seed and nothing is drawn",
                    where="experts",
                    problems=[f"task {task['id']!r}: {len(chosen)} of {need} expert(s)"],
                )
        teams.append(chosen)
    return teams


def attach_experts(result: dict[str, Any], drawn: list[list[dict[str, str]]] | None) -> dict[str, Any]:
    """Add each team's ``experts`` to a matching result (nothing when the spec has no experts)."""
    if drawn is not None:
        for team, experts in zip(result["teams"], drawn, strict=True):
            team["experts"] = experts
    return result


def verify_experts(spec: Mapping[str, Any], seed: bytes, teams: list[Any]) -> list[str]:
    """Recompute the experts of every team (§7.8) and refuse any difference with ``teams`` (the
    result's, already checked to be one dict per task in manifest order). Returns summary lines."""
    if "experts" not in spec:
        return []
    try:
        drawn = draw_experts(spec, seed)
    except InfeasibleError as exc:
        raise VerificationError(
            f"the expert rule runs short for this seed, so no result exists: {exc.message}",
            where="result.json: teams",
        ) from None
    assert drawn is not None
    people = {e["id"]: e for e in spec["experts"]}
    recused = _recused(spec)
    for t, (task, team, want) in enumerate(zip(spec["tasks"], teams, drawn, strict=True)):
        where = f"result.json: teams[{t}] (task {task['id']!r}).experts"
        found = team["experts"]
        if not isinstance(found, list) or any(
            not isinstance(x, dict) or set(x) != {"expert", "key"} for x in found
        ):
            raise VerificationError('experts are a list of {"expert", "key"}', where=where)
        if len(found) != len(want):
            raise VerificationError(
                f"the task needs {task['experts']} expert(s), the result lists {len(found)}", where=where
            )
        for k, (w, f) in enumerate(zip(want, found, strict=True)):
            ident = f["expert"]
            if ident != w["expert"]:
                expert = people.get(ident) if isinstance(ident, str) else None
                why = (
                    "is not an expert of the spec"
                    if expert is None
                    else expert_ineligibility(task, expert, recused)
                )
                raise VerificationError(
                    f"expected {w['expert']!r} (the rule's choice in key order), found {ident!r}"
                    + (f", which {why}" if why else ""),
                    where=f"{where}[{k}].expert",
                )
            if f["key"] != w["key"]:
                raise VerificationError(f"key is {w['key']}, found {f['key']!r}", where=f"{where}[{k}].key")
    total = sum(len(w) for w in drawn)
    return [f"experts: {total} drawn for {sum(1 for w in drawn if w)} team(s), each by the rule of §7.8"]


# -------------------------------------------------------------------------------- feasibility


def check_expert_feasibility(spec: Mapping[str, Any]) -> None:
    """Commit-time check (independent of the seed): every task has at least as many eligible experts
    as it needs, and some assignment meets every demand within the capacities (max flow)."""
    if "experts" not in spec:
        return
    recused = _recused(spec)
    experts = spec["experts"]
    tasks = [t for t in spec["tasks"] if t["experts"]]
    eligible = [
        [x for x, e in enumerate(experts) if expert_ineligibility(t, e, recused) is None] for t in tasks
    ]
    problems = []
    for task, ok in zip(tasks, eligible, strict=True):
        if len(ok) < task["experts"]:
            reasons: dict[str, int] = {}
            for e in experts:
                why = expert_ineligibility(task, e, recused)
                if why:
                    reasons[why] = reasons.get(why, 0) + 1
            detail = "; ".join(f"{why} ({n})" for why, n in sorted(reasons.items()))
            problems.append(
                f"task {task['id']!r}: needs {task['experts']} expert(s), {len(ok)} eligible"
                + (f" — the others: {detail}" if detail else "")
            )
    if problems:
        raise InfeasibleError(f"{len(problems)} task(s) cannot get their experts", problems=problems)
    short = _flow_deficit([t["experts"] for t in tasks], eligible, [e["capacity"] for e in experts])
    if short:
        raise InfeasibleError(
            f"experts: max flow short by {short} — the capacities of the eligible experts cannot cover"
            f" the {sum(t['experts'] for t in tasks)} expert places of {len(tasks)} task(s)",
            problems=[f"experts: {short} expert place(s) cannot be filled by any assignment"],
        )


def _flow_deficit(demand: list[int], eligible: list[list[int]], capacity: list[int]) -> int:
    """How many expert places no assignment can fill: tasks with ``demand``, each expert at most once
    per task and within ``capacity`` (greedy start, then augmenting paths; standard library only)."""
    members: list[set[int]] = [set() for _ in demand]
    tasks_of: list[set[int]] = [set() for _ in capacity]
    for t, ok in enumerate(eligible):
        for x in ok:
            if len(members[t]) < demand[t] and len(tasks_of[x]) < capacity[x]:
                members[t].add(x)
                tasks_of[x].add(t)
    short = 0
    for t0 in range(len(demand)):
        while len(members[t0]) < demand[t0]:
            if not _augment(t0, eligible, members, tasks_of, capacity):
                short += demand[t0] - len(members[t0])
                break
    return short


def _augment(
    t0: int, eligible: list[list[int]], members: list[set[int]], tasks_of: list[set[int]], capacity: list[int]
) -> bool:
    """One more expert for task ``t0`` along a shortest augmenting path, if any."""
    came_from: dict[int, int] = {}  # expert -> task that reaches it
    handed_by: dict[int, int] = {t0: -1}  # task -> expert it would give up
    queue = deque([t0])
    while queue:
        t = queue.popleft()
        for x in eligible[t]:
            if x in members[t] or x in came_from:
                continue
            came_from[x] = t
            if len(tasks_of[x]) < capacity[x]:
                while True:  # t takes x; if t gives up an expert y, y's former task takes it next
                    members[t].add(x)
                    tasks_of[x].add(t)
                    y = handed_by[t]
                    if y < 0:
                        return True
                    members[t].discard(y)
                    tasks_of[y].discard(t)
                    t, x = came_from[y], y
            for u in tasks_of[x]:
                if u not in handed_by:
                    handed_by[u] = x
                    queue.append(u)
    return False
