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

Normalization of the spec (fields checked, slot plans made explicit): matching_spec.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .canonical import PROTOCOL, canonical_json, lp
from .errors import InfeasibleError, MatchingError
from .matching_spec import normalize_matching_spec

COST_TAG = "fairspot-draw/1 matching-cost"
COST_BYTES = 4  # 32-bit costs: ties are unlikely, and scaled certificates stay within int64


def matching_manifest(spec: Mapping[str, Any]) -> dict[str, Any]:
    from .experts import normalize_with_experts

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
    if len(problem.slots) >= COUNT_CAPACITY_FROM:
        _check_capacity(problem, by_task)


# From this many slots a shortage the inspectors' capacities show by counting is refused at once: a
# province's draw of thousands of targets against a district's inspectors took two linear programs
# (20 s) to be refused. Smaller problems go to the solver, whose maximum flow names the short tasks.
COUNT_CAPACITY_FROM = 2_000


def _check_capacity(problem: Problem, by_task: dict[int, list[int]]) -> None:
    """Refuse by counting when the slots outnumber what the inspectors can fill at all (each up to
    their capacity, at most one slot per team)."""
    teams_of: dict[int, set[int]] = {}
    for t, js in by_task.items():
        for j in js:
            for i in problem.eligible[j]:
                teams_of.setdefault(i, set()).add(t)
    usable = sum(min(problem.inspectors[i]["capacity"], len(ts)) for i, ts in teams_of.items())
    slots = len(problem.slots)
    if slots > usable:
        raise InfeasibleError(
            f"max flow short by at least {slots - usable}",
            problems=[
                f"{len(by_task)} task(s) need {slots} slot(s) but the {len(teams_of)} eligible inspector(s)"
                f" can fill at most {usable} (each up to their capacity, at most one slot per team):"
                f" short by at least {slots - usable}"
            ],
        )


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
