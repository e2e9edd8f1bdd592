"""Inspector matching: rules, optimality against brute force, certificate, tampering, infeasibility."""

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from fairspot.draw import (
    InfeasibleError,
    MatchingError,
    canonical_json,
    commit_bundle,
    matching_manifest,
    reveal_bundle,
    sources_document,
    verify_bundle,
    verify_matching_result,
)
from fairspot.draw.errors import VerificationError
from fairspot.draw.matching import build_problem, cost_prefix, slot_costs
from fairspot.testing.engine import inspector, mspec, run, small_problem, snapshot, task

ROOT = Path(__file__).resolve().parents[3]


def check_rules(spec, result):
    people = {i["id"]: i for i in spec["inspectors"]}
    blocked = {(p["inspector"], p["target"]) for p in spec.get("recusals", []) + spec.get("recent", [])}
    load = dict.fromkeys(people, 0)
    for t, team in zip(sorted(spec["tasks"], key=lambda t: t["id"]), result["teams"], strict=True):
        members = [people[m["inspector"]] for m in team["members"]]
        assert len(members) == t["team_size"] and len({m["id"] for m in members}) == len(members)
        assert team["leader"] == members[0]["id"]
        for m in members:
            load[m["id"]] += 1
            assert m["certificate_expires"] >= t["date"]
            assert (m["id"], t.get("target", t["id"])) not in blocked
            assert t["township"] not in (m["township_posted"], m["township_residence"])
            assert not t["departments"] or m["department"] in t["departments"]
        for d in t["departments"]:
            assert any(m["department"] == d for m in members)
        for q in t["qualifications"]:
            assert any(q in m["qualifications"] for m in members)
    assert all(load[i] <= people[i]["capacity"] for i in people)


def test_rules_hold_and_certificate_verifies_over_many_seeds():
    spec = small_problem()
    seen_teams = set()
    for n in range(25):
        manifest, result = run(spec, f"{n:064x}")
        check_rules(spec, result)
        notes = verify_matching_result(manifest, sources_document(manifest, {"drand": f"{n:064x}"}), result)
        assert any("certificate verified" in line for line in notes)
        seen_teams.add(json.dumps(result["teams"]))
    assert len(seen_teams) > 5  # the seed really changes the teams


def test_slot_plan_is_explicit_in_the_manifest():
    manifest = matching_manifest(small_problem())
    t2 = manifest["spec"]["tasks"][1]
    assert t2["slots"] == [
        {"department": "market", "qualifications": ["food"]},
        {"department": "health", "qualifications": []},
    ] or t2["slots"] == [
        {"department": "market", "qualifications": []},
        {"department": "health", "qualifications": ["food"]},
    ]
    t1 = manifest["spec"]["tasks"][0]
    assert t1["slots"] == [
        {"department": "market", "qualifications": []},
        {"department": None, "qualifications": ["food"]},
    ]
    assert matching_manifest(manifest["spec"]) == manifest  # idempotent: verifiers rebuild it


def _brute_force(spec, seed):
    manifest = matching_manifest(spec)
    problem = build_problem(manifest["spec"])
    prefix = cost_prefix(seed)
    ids = [i["id"] for i in problem.inspectors]
    costs = [
        dict(
            zip(
                problem.eligible[j],
                slot_costs(prefix, problem.tasks[t]["id"], k, [ids[i] for i in problem.eligible[j]]),
                strict=True,
            )
        )
        for j, (t, k) in enumerate(problem.slots)
    ]
    best = None
    for combo in itertools.product(*problem.eligible):
        load: dict[int, int] = {}
        ok = True
        for i in combo:
            load[i] = load.get(i, 0) + 1
            if load[i] > problem.inspectors[i]["capacity"]:
                ok = False
                break
        teams = {}
        for j, i in enumerate(combo):
            teams.setdefault(problem.slots[j][0], []).append(i)
        if not ok or any(len(set(m)) != len(m) for m in teams.values()):
            continue
        total = sum(costs[j][i] for j, i in enumerate(combo))
        if best is None or total < best[0]:
            best = (total, [ids[i] for i in combo])
    return best


@pytest.mark.parametrize("salt", range(6))
def test_optimum_equals_brute_force(salt):
    rnd = random.Random(salt)
    inspectors = [
        inspector(
            f"I{i}",
            rnd.choice(["market", "health"]),
            quals=rnd.sample(["food", "drugs"], rnd.randint(0, 2)),
            cap=rnd.randint(1, 2),
            posted=rnd.choice("ABC"),
        )
        for i in range(7)
    ]
    tasks = [
        task(
            f"T{t}",
            depts=[],
            quals=rnd.sample(["food", "drugs"], rnd.randint(0, 1)),
            township=rnd.choice("ABCD"),
        )
        for t in range(3)
    ]
    spec = mspec(tasks, inspectors)
    drand = f"{salt:064x}"
    manifest, result = run(spec, drand)  # the fixed salts give feasible instances; infeasible would be a bug
    from fairspot.draw.manifest import manifest_digest
    from fairspot.draw.seed import derive_seed

    seed = derive_seed(manifest_digest(manifest), [{"name": "drand", "value": drand}])
    total, members = _brute_force(spec, seed)
    assert result["objective"] == str(total)
    assert [m["inspector"] for t in result["teams"] for m in t["members"]] == members


def _tamper(manifest, result, change):
    bad = json.loads(canonical_json(result))
    change(bad)
    with pytest.raises(VerificationError) as info:
        verify_matching_result(manifest, sources_document(manifest, {"drand": "7f" * 32}), bad)
    return str(info.value)


def test_tampered_assignments_fail_verification():
    spec = small_problem()
    manifest, result = run(spec)
    team = result["teams"][3]  # T4: market, township D

    def swap_member(r):
        current = {m["inspector"] for m in r["teams"][3]["members"]}
        other = next(i for i in ("M3", "M4", "M1", "M5") if i not in current)
        r["teams"][3]["members"][1]["inspector"] = other

    assert "result.json" in _tamper(manifest, result, swap_member)

    def expired(r):
        r["teams"][3]["members"][1]["inspector"] = "M2"

    assert "certificate expired on 2026-03-01" in _tamper(manifest, result, expired)

    def recused(r):
        r["teams"][1]["members"][0]["inspector"] = "M3"

    assert "must withdraw from target 'F2'" in _tamper(manifest, result, recused)

    def short(r):
        r["teams"][0]["members"].pop()

    assert "never a short team" in _tamper(manifest, result, short)

    def potential(r):
        r["teams"][0]["members"][0]["y"] = str(int(r["teams"][0]["members"][0]["y"]) + 1)

    assert "reduced cost" in _tamper(manifest, result, potential)

    def claims_unique(r):
        r["unique"] = not r["unique"]

    assert "uniqueness" in _tamper(manifest, result, claims_unique)
    assert team["leader"] == team["members"][0]["inspector"]


def test_solver_repairs_a_suboptimal_start(monkeypatch):
    """Feed the exact layer a badly non-optimal LP answer (max cost, no duals): negative-cycle
    cancelling must still reach the same unique optimum."""
    import numpy as np

    from fairspot.draw import matching_solver

    spec = small_problem()
    _, good = run(spec)
    real = matching_solver._lp

    def worst(edges, idx, **kw):
        saved = edges.cost
        edges.cost = -saved
        try:
            out = real(edges, idx, **kw)
        finally:
            edges.cost = saved
        x, y0, z, w = out
        return x, np.zeros_like(y0), np.zeros_like(z), np.zeros_like(w)

    monkeypatch.setattr(matching_solver, "_lp", worst)
    _, repaired = run(spec)
    assert repaired == good


def test_infeasible_names_tasks_and_missing_kinds():
    spec = small_problem()
    spec["tasks"].append(task("T9", quals=["radiation"], township="D"))
    spec["tasks"].append(task("T8", depts=["health"], quals=["food"], township="B", date="2028-06-01"))
    with pytest.raises(InfeasibleError) as info:
        run(spec)
    text = "\n".join(info.value.problems)
    assert (
        "task 'T9' slot 1 (department 'market'; qualification 'radiation'): no eligible inspector"
        " — no inspector of department 'market' holds qualification 'radiation'"
    ) in text
    assert "task 'T8'" in text and "certificate expired before 2028-06-01" in text


def test_capacity_shortage_reports_max_flow_deficit():
    inspectors = [inspector(f"I{i}", "market", cap=1) for i in range(3)]
    tasks = [task(f"T{t}", township="Z") for t in range(2)]
    with pytest.raises(InfeasibleError) as info:
        run(mspec(tasks, inspectors))
    assert "max flow short by 1" in str(info.value)
    assert "T0" in "\n".join(info.value.problems)


def test_team_needing_distinct_people():
    inspectors = [inspector("I1", "market", quals=["food", "drugs"]), inspector("I2", "market")]
    tasks = [task("T1", quals=["drugs", "food"], township="Z")]
    tasks[0]["slots"] = [  # a caller's own plan: both slots need a holder, only I1 qualifies
        {"department": "market", "qualifications": ["food"]},
        {"department": None, "qualifications": ["drugs"]},
    ]
    with pytest.raises(InfeasibleError, match="cannot form a team") as info:
        run(mspec(tasks, inspectors))
    assert "task 'T1'" in info.value.problems[0]


def test_invalid_matching_specs():
    base = small_problem()
    for change, msg in [
        (lambda s: s["tasks"][0].update(team_size=1), "team_size"),
        (lambda s: s["tasks"][1].update(team_size=1), "team_size"),
        (lambda s: s["inspectors"][0].update(certificate_expires="2027-02-30"), "not a real date"),
        (lambda s: s["inspectors"].append(dict(s["inspectors"][0])), "duplicate inspector"),
        (lambda s: s["recusals"].append({"inspector": "NOPE", "target": "F1"}), "unknown inspector"),
        (
            lambda s: s["tasks"][0].update(slots=[{"department": "tax", "qualifications": []}] * 2),
            "not a participating",
        ),
    ]:
        spec = json.loads(json.dumps(base))
        change(spec)
        with pytest.raises(MatchingError, match=msg):
            matching_manifest(spec)


def test_matching_bundle_via_cli(tmp_path):
    spec_file = tmp_path / "matching.json"
    spec_file.write_text(json.dumps(small_problem()), encoding="utf-8")
    out = tmp_path / "m"

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "fairspot.draw", *map(str, args)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = cli("commit", "--matching", spec_file, "--out", out, "--created-at", "2026-03-05T10:00:00+08:00")
    assert done.returncode == 0, done.stderr
    done = cli("reveal", out, "--source", "drand=" + "ab" * 32)
    assert done.returncode == 0, done.stderr
    done = cli("verify", out)
    assert done.returncode == 0 and "certificate verified" in done.stdout, done.stdout
    result = json.loads((out / "result.json").read_text())
    result["teams"][0]["members"][0]["cost"] = "1"
    (out / "result.json").write_bytes(canonical_json(result))
    files = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "SHA256SUMS"}
    from fairspot.draw.bundle import index_bytes

    (out / "SHA256SUMS").write_bytes(index_bytes(files))
    done = cli("verify", out)
    assert done.returncode == 1 and "teams[0] (task 'T1') slot 0: cost is" in done.stdout


def test_infeasible_matching_is_refused_at_commit(tmp_path):
    spec = small_problem()
    spec["tasks"].append(task("T9", quals=["radiation"], township="D"))
    with pytest.raises(InfeasibleError):
        commit_bundle(tmp_path / "m", spec)
    assert snapshot(tmp_path) == {}


def test_matching_reveal_via_api(tmp_path):
    out = tmp_path / "m"
    commit_bundle(out, small_problem())
    reveal_bundle(out, {"drand": "cd" * 32})
    assert verify_bundle(out).ok


def test_a_large_capacity_shortage_is_refused_by_counting(monkeypatch):
    from fairspot.draw import matching, matching_solver

    monkeypatch.setattr(matching, "COUNT_CAPACITY_FROM", 4)
    monkeypatch.setattr(matching_solver, "_lp", lambda *a, **k: pytest.fail("the solver ran"))
    inspectors = [inspector(f"I{i}", "market", cap=1) for i in range(3)]
    tasks = [task(f"T{t}", township="Z") for t in range(2)]
    with pytest.raises(InfeasibleError, match="short by at least 1") as info:
        run(mspec(tasks, inspectors))
    assert "2 task(s) need 4 slot(s)" in info.value.problems[0]
    assert "can fill at most 3" in info.value.problems[0]


def test_counting_leaves_a_feasible_large_problem_to_the_solver(monkeypatch):
    from fairspot.draw import matching

    monkeypatch.setattr(matching, "COUNT_CAPACITY_FROM", 1)
    inspectors = [inspector(f"I{i}", "market", cap=1) for i in range(4)]
    tasks = [task(f"T{t}", township="Z") for t in range(2)]
    run(mspec(tasks, inspectors))  # 4 slots, 4 places: matched, not refused
