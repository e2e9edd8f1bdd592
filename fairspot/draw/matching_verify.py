"""Verifying a matching result with integer arithmetic only (standard library, no solver).

Given the manifest, the sources and result.json this recomputes the seed, every eligible
(task, slot, inspector) triple and its cost, then checks:

1. feasibility — each task's team fills its slots in order with distinct, eligible inspectors, and no
   inspector exceeds capacity; the leader is the slot-0 member;
2. the certificate — integers y (per slot), z <= 0 (per used (inspector, task) pair, 0 for unused pairs)
   and w <= 0 (per inspector, 0 unless listed), for costs multiplied by ``scale`` (K·c, a positive
   multiple, has the same optima), with reduced cost K·c - y - z - w = 0 on every used triple
   and >= 0 on every eligible triple, z < 0 only on used pairs and w < 0 only for inspectors at
   capacity. By LP duality this proves the assignment has minimum total cost;
3. uniqueness — when every unused eligible triple has reduced cost > 0, no other assignment has the
   same cost, so any correct solver returns exactly these teams (``"unique": true``);
4. experts (§7.8, when the spec has a pool) — every team's experts are recomputed by the rule and must
   be exactly those listed, in order, with their keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .canonical import PROTOCOL, canonical_json, sha256_hex
from .errors import VerificationError
from .experts import verify_experts
from .manifest import manifest_digest
from .matching import blocked_pairs, build_problem, cost_prefix, ineligibility, matching_manifest, slot_costs
from .matching_canonical import canonical_certificate
from .seed import derive_seed

_INT = re.compile(r"-?(0|[1-9][0-9]*)")
RESULT = "result.json"


def rebuild_matching_manifest(manifest: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return matching_manifest(manifest["spec"])
    except (KeyError, TypeError):
        raise VerificationError("malformed matching manifest", where="manifest.json") from None


def _int(value: Any, where: str) -> int:
    if not isinstance(value, str) or not _INT.fullmatch(value) or value == "-0":
        raise VerificationError(
            f"expected an integer written as a decimal string, got {value!r}", where=where
        )
    return int(value)


def _fail(message: str, where: str) -> VerificationError:
    return VerificationError(message, where=f"{RESULT}: {where}")


def _check_canonical(
    problem: Any,
    costs: list[list[int]],
    assigned: list[int],
    scale: int,
    y: list[int],
    w: list[int],
    teams: Any,
) -> None:
    """The certificate must be the canonical one of §7.5 (shortest residual distances), so that the
    result is pinned byte for byte — including the potentials of capacity-0 inspectors."""
    cy, cz, cw, _unique = canonical_certificate(problem, costs, assigned, scale)
    for j, (t, k) in enumerate(problem.slots):
        member = teams[t]["members"][k]
        mw = f"teams[{t}] (task {problem.tasks[t]['id']!r}) slot {k}"
        if y[j] != cy[j]:
            raise _fail(
                f"y is not the canonical potential of §7.5: expected {cy[j]}, found {y[j]}", f"{mw}.y"
            )
        if member["z"] != str(cz[j]):
            raise _fail(
                f"z is not the canonical potential of §7.5: expected {cz[j]}, found {member['z']}", f"{mw}.z"
            )
    for i, insp in enumerate(problem.inspectors):
        if w[i] != cw[i]:
            raise _fail(
                f"inspector {insp['id']!r}: w is not the canonical potential of §7.5: expected {cw[i]}, found"
                f" {w[i]} (0 = not listed)",
                "inspector_potentials",
            )


def verify_matching_result(manifest: Mapping[str, Any], sdoc: Mapping[str, Any], result: Any) -> list[str]:
    """Check a matching result; returns summary lines or raises VerificationError at the first problem."""
    spec = manifest["spec"]
    digest = manifest_digest(manifest)
    seed = derive_seed(digest, sdoc["sources"])
    header = {
        "protocol": PROTOCOL,
        "kind": "matching",
        "draw_id": spec["draw_id"],
        "manifest_sha256": digest.hex(),
        "sources_sha256": sha256_hex(canonical_json(sdoc)),
        "seed": seed.hex(),
    }
    if not isinstance(result, dict):
        raise _fail("not an object", "$")
    expected_keys = {
        *header,
        "teams",
        "inspector_potentials",
        "objective",
        "scale",
        "eligible_triples",
        "unique",
    }
    if set(result) != expected_keys:
        raise _fail(f"fields must be exactly {', '.join(sorted(expected_keys))}", "$")
    for key, value in header.items():
        if result[key] != value:
            raise _fail(f"expected {value!r}, found {result[key]!r}", key)
    problem = build_problem(spec)
    tasks, inspectors = problem.tasks, problem.inspectors
    index = {insp["id"]: i for i, insp in enumerate(inspectors)}
    blocked = blocked_pairs(spec)
    teams = result["teams"]
    if not isinstance(teams, list) or len(teams) != len(tasks):
        raise _fail(f"expected {len(tasks)} teams, one per task in manifest order", "teams")
    assigned: list[int] = []
    y: list[int] = []
    z_of: dict[tuple[int, int], int] = {}  # (inspector, task) -> z for used pairs
    load = [0] * len(inspectors)
    team_keys = {"task", "target", "leader", "members"} | ({"experts"} if "experts" in spec else set())
    for t, (task, team) in enumerate(zip(tasks, teams, strict=True)):
        where = f"teams[{t}] (task {task['id']!r})"
        if not isinstance(team, dict) or set(team) != team_keys:
            raise _fail(f"a team is {{{', '.join(sorted(team_keys))}}}", where)
        if team["task"] != task["id"] or team["target"] != task["target"]:
            raise _fail(f"expected task {task['id']!r} with target {task['target']!r}", where)
        members = team["members"]
        if not isinstance(members, list) or len(members) != task["team_size"]:
            raise _fail(
                f"team must have exactly {task['team_size']} members (one per slot); never a short team",
                where,
            )
        seen: set[int] = set()
        for k, member in enumerate(members):
            mw = f"{where} slot {k}"
            if (
                not isinstance(member, dict)
                or set(member) != {"slot", "inspector", "cost", "y", "z"}
                or member["slot"] != k
            ):
                raise _fail("a member is {slot, inspector, cost, y, z}, slots in order", mw)
            i = index.get(member["inspector"])
            if i is None:
                raise _fail(f"unknown inspector {member['inspector']!r}", mw)
            why = ineligibility(spec, task, k, inspectors[i], blocked)
            if why:
                raise _fail(f"inspector {member['inspector']!r} is not eligible: {why}", mw)
            if i in seen:
                raise _fail(f"inspector {member['inspector']!r} fills two slots of one team", mw)
            seen.add(i)
            load[i] += 1
            assigned.append(i)
            y.append(_int(member["y"], f"{mw}.y"))
            z = _int(member["z"], f"{mw}.z")
            if z > 0:
                raise _fail("pair potential z must be <= 0", f"{mw}.z")
            z_of[(i, t)] = z
        if team["leader"] != members[0]["inspector"]:
            raise _fail("the leader is the slot-0 member", f"{where}.leader")
    expert_notes = verify_experts(spec, seed, teams)  # §7.8
    for i, insp in enumerate(inspectors):
        if load[i] > insp["capacity"]:
            raise _fail(f"inspector {insp['id']!r} has {load[i]} tasks, capacity {insp['capacity']}", "teams")
    w = [0] * len(inspectors)
    potentials = result["inspector_potentials"]
    if not isinstance(potentials, list):
        raise _fail("must be a list", "inspector_potentials")
    last = ""
    for n, item in enumerate(potentials):
        pw = f"inspector_potentials[{n}]"
        if (
            not isinstance(item, dict)
            or set(item) != {"inspector", "w"}
            or item["inspector"] not in index
            or item["inspector"] <= last
        ):
            raise _fail("entries are {inspector, w}, known inspectors in ascending order", pw)
        last = item["inspector"]
        i = index[last]
        w[i] = _int(item["w"], pw)
        if w[i] >= 0:
            raise _fail("listed potentials must be negative (zero ones are omitted)", pw)
        if load[i] != inspectors[i]["capacity"]:
            raise _fail("w < 0 is only allowed for an inspector at capacity", pw)
    scale = result["scale"]
    if not isinstance(scale, int) or isinstance(scale, bool) or scale != len(problem.slots) + 1:
        raise _fail(f"must be the number of slots + 1 = {len(problem.slots) + 1}, found {scale!r}", "scale")
    prefix = cost_prefix(seed)
    cache: dict[tuple[str, int], bytes] = {}
    total = 0
    unique = True
    triples = 0
    all_costs: list[list[int]] = []
    for j, (t, k) in enumerate(problem.slots):
        eligible = problem.eligible[j]
        costs = slot_costs(prefix, tasks[t]["id"], k, [inspectors[i]["id"] for i in eligible], cache)
        all_costs.append(costs)
        triples += len(eligible)
        member = assigned[j]
        for i, c in zip(eligible, costs, strict=True):
            reduced = scale * c - y[j] - z_of.get((i, t), 0) - w[i]
            if i == member:
                mw = f"teams[{t}] (task {tasks[t]['id']!r}) slot {k}"
                if teams[t]["members"][k]["cost"] != str(c):
                    raise _fail(f"cost is {c}, result says {teams[t]['members'][k]['cost']}", mw)
                if reduced != 0:
                    raise _fail(
                        f"certificate fails: reduced cost of the assigned inspector is {reduced}, must be 0",
                        mw,
                    )
                total += c
            elif reduced < 0:
                raise _fail(
                    f"certificate fails: inspector {inspectors[i]['id']!r} has reduced cost {reduced} < 0"
                    " for task"
                    f" {tasks[t]['id']!r} slot {k}; the assignment is not proven optimal",
                    "teams",
                )
            elif reduced == 0:
                unique = False
    if result["objective"] != str(total):
        raise _fail(f"objective is {total}, result says {result['objective']}", "objective")
    if result["eligible_triples"] != triples:
        raise _fail(
            f"there are {triples} eligible triples, result says {result['eligible_triples']}",
            "eligible_triples",
        )
    if result["unique"] is not unique:
        raise _fail(f"uniqueness is {unique}, result says {result['unique']}", "unique")
    _check_canonical(problem, all_costs, assigned, scale, y, w, teams)
    return [
        f"seed {seed.hex()}",
        f"matching: {len(teams)} teams, {sum(load)} assignments, {triples} eligible triples checked",
        f"certificate verified: total cost {total} is minimal"
        + (
            "; the optimum is unique (any exact solver gives these teams)"
            if unique
            else "; NOT unique (ties)"
        ),
        *expert_notes,
    ]
