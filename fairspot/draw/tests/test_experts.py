"""Experts on matching teams (§7.8): the drawing rule, backward compatibility, verification."""

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
from fairspot.draw.bundle import INDEX_FILE, index_bytes, read_bundle
from fairspot.draw.errors import VerificationError
from fairspot.draw.experts import draw_experts
from fairspot.draw.matching import build_problem
from fairspot.draw.matching_solver import solve
from fairspot.draw.replace import ReplacementError, write_replacements
from fairspot.testing.engine import inspector, mspec, run, small_problem, snapshot, task

DATA = Path(__file__).parent / "data"
STORED = DATA / "matching_no_experts"  # written by the code before experts existed; never regenerate


def test_stored_bundle_without_experts_still_verifies():
    report = verify_bundle(STORED)
    assert report.ok, report.mismatch
    assert any("replacement 1" in line for line in report.summary)


def test_spec_without_experts_gives_the_stored_bytes(tmp_path):
    """Commit, reveal and replace again from the same input: every file is byte-identical."""
    spec = json.loads((DATA / "matching_no_experts.spec.json").read_text(encoding="utf-8"))
    out = tmp_path / "again"
    commit_bundle(out, spec, created_at="2026-03-05T10:00:00+08:00")
    reveal_bundle(out, {"drand": "cd" * 32})
    write_replacements(out, [{"task": "T3", "out": "H6", "reason": "illness"}])
    assert read_bundle(out) == read_bundle(STORED)


# ---------------------------------------------------------------------------------------------- helpers


def H(tag, *parts):
    """§2's H, written out independently of the engine."""
    h = hashlib.sha256()
    for part in (tag.encode("ascii"), *parts):
        h.update(len(part).to_bytes(8, "big") + part)
    return h.digest()


def expert(ident, *, quals=(), cap=2):
    return {"id": ident, "qualifications": list(quals), "capacity": cap}


def with_experts(spec=None, **per_task):
    """small_problem() with an expert pool; ``per_task`` = {task id: (n, [qualifications])}."""
    spec = spec or small_problem()
    spec["experts"] = [
        expert("E1", quals=["food", "law"], cap=2),
        expert("E2", quals=["food"], cap=1),
        expert("E3", quals=["law"], cap=3),
        expert("E4", cap=1),
        expert("E5", quals=["food"], cap=0),
        expert("E6", quals=["food", "law"], cap=2),
    ]
    spec["expert_recusals"] = [{"expert": "E6", "target": "F2"}, {"expert": "E6", "target": "F2"}]
    for t in spec["tasks"]:
        if t["id"] in per_task:
            t["experts"], t["expert_qualifications"] = per_task[t["id"]]
    return spec


def reference_rule(spec, seed):
    """§7.8 re-implemented from the text: tasks in id order, experts by key, first n eligible."""
    people = spec["experts"]
    recused = {(p["expert"], p["target"]) for p in spec.get("expert_recusals", [])}
    load = {e["id"]: 0 for e in people}
    out = {}
    for t in sorted(spec["tasks"], key=lambda t: t["id"]):
        target = t.get("target", t["id"])
        need, quals = t.get("experts", 0), set(t.get("expert_qualifications", []))
        ranked = sorted(
            people,
            key=lambda e: (H("fairspot-draw/1 expert", seed, t["id"].encode(), e["id"].encode()), e["id"]),
        )
        chosen = []
        for e in ranked:
            if len(chosen) == need:
                break
            if (
                e["capacity"] > 0
                and load[e["id"]] < e["capacity"]
                and (e["id"], target) not in recused
                and quals <= set(e["qualifications"])
            ):
                chosen.append(e["id"])
                load[e["id"]] += 1
        out[t["id"]] = chosen if len(chosen) == need else None
    return out


def _experts_of(result):
    return {team["task"]: [e["expert"] for e in team["experts"]] for team in result["teams"]}


# ------------------------------------------------------------------------------ backward compatibility


def test_empty_pool_writes_no_expert_key():
    plain = matching_manifest(small_problem())
    spec = small_problem()
    spec["experts"], spec["expert_recusals"] = [], []
    spec["tasks"][0]["experts"], spec["tasks"][1]["expert_qualifications"] = 0, []
    assert canonical_json(matching_manifest(spec)) == canonical_json(plain)
    stored = json.loads((STORED / "manifest.json").read_bytes())
    assert canonical_json(matching_manifest(stored["spec"])) == (STORED / "manifest.json").read_bytes()
    _, result = run(spec)
    assert all("experts" not in team for team in result["teams"])


# ------------------------------------------------------------------------------------------ the spec


def test_normalized_spec_writes_every_expert_key_and_is_idempotent():
    spec = with_experts(T1=(1, ["law", "food"]))
    spec["experts"][0]["qualifications"] = ["law", "food"]
    spec["experts"].reverse()
    norm = matching_manifest(spec)["spec"]
    assert [e["id"] for e in norm["experts"]] == ["E1", "E2", "E3", "E4", "E5", "E6"]
    assert norm["experts"][0] == {"id": "E1", "qualifications": ["food", "law"], "capacity": 2}
    assert norm["expert_recusals"] == [{"expert": "E6", "target": "F2"}]  # merged
    assert [(t["experts"], t["expert_qualifications"]) for t in norm["tasks"]] == [
        (1, ["food", "law"]),
        (0, []),
        (0, []),
        (0, []),
    ]
    assert matching_manifest(norm)["spec"] == norm
    assert matching_manifest(spec)["slots_total"] == matching_manifest(small_problem())["slots_total"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["experts"].append(expert("E1")), "duplicate expert id 'E1'"),
        (lambda s: s["experts"].append(expert("M1")), "also an inspector id"),
        (lambda s: s["experts"].append({"id": "E9", "capacity": 1}), "an expert is exactly"),
        (lambda s: s["experts"].append(expert("E9", cap=-1)), "capacity must be an integer"),
        (lambda s: s["experts"].append(expert("E9", quals=["a", "a"])), "lists a value twice"),
        (lambda s: s["experts"].append(expert("bad id")), "not a valid identifier"),
        (lambda s: s["expert_recusals"].append({"expert": "M1", "target": "F1"}), "unknown expert 'M1'"),
        (lambda s: s["tasks"][0].update(experts=-1), "experts must be an integer"),
        (lambda s: s["tasks"][0].update(experts=True), "experts must be an integer"),
        (lambda s: s["tasks"][0].update(expert_qualifications=" food"), "must be a list"),
        (lambda s: s.update(experts={"E1": 1}), "experts must be a list"),
    ],
)
def test_invalid_expert_specs(change, message):
    spec = with_experts()
    change(spec)
    with pytest.raises(MatchingError, match=message):
        matching_manifest(spec)


def test_asking_for_experts_without_a_pool_is_refused():
    for change in (lambda t: t.update(experts=1), lambda t: t.update(expert_qualifications=["food"])):
        spec = small_problem()
        change(spec["tasks"][2])
        with pytest.raises(MatchingError, match="lists no experts"):
            matching_manifest(spec)
    spec = small_problem()
    spec["expert_recusals"] = [{"expert": "E1", "target": "F1"}]
    with pytest.raises(MatchingError, match="unknown expert"):
        matching_manifest(spec)


# ------------------------------------------------------------------------------------------ the rule


@pytest.mark.parametrize("drand", ["7f" * 32, "00" * 32, "cd" * 32, "a1" * 32])
def test_rule_is_key_order_then_eligibility(drand):
    spec = with_experts(T1=(2, ["food"]), T2=(1, ["food"]), T3=(1, ["law"]), T4=(2, []))
    manifest, result = run(spec, drand)
    seed = bytes.fromhex(result["seed"])
    expected = reference_rule(spec, seed)
    assert _experts_of(result) == expected
    for team in result["teams"]:
        ids = [e["expert"] for e in team["experts"]]
        assert [e["key"] for e in team["experts"]] == [
            H("fairspot-draw/1 expert", seed, team["task"].encode(), i.encode()).hex() for i in ids
        ]
        assert not set(ids) & {m["inspector"] for m in team["members"]}
    drawn = [i for ids in expected.values() for i in ids]
    assert "E5" not in drawn  # capacity 0
    assert "E6" not in expected["T2"]  # recused for F2
    assert drawn.count("E2") <= 1 and drawn.count("E4") <= 1
    assert all(i in ("E1", "E2", "E6") for i in expected["T1"] + expected["T2"])  # food holders
    notes = verify_matching_result(manifest, sources_document(manifest, {"drand": drand}), result)
    assert notes[-1] == f"experts: {len(drawn)} drawn for 4 team(s), each by the rule of §7.8"


def test_experts_leave_the_officer_matching_alone():
    """Same officer problem with or without a pool; the result's officers are the optimum for its seed."""
    manifest = matching_manifest(with_experts(T1=(1, []), T3=(2, [])))
    plain = build_problem(matching_manifest(small_problem())["spec"])
    problem = build_problem(manifest["spec"])
    assert (problem.slots, problem.eligible) == (plain.slots, plain.eligible)
    _, result = run(with_experts(T1=(1, []), T3=(2, [])))
    solution = solve(plain, bytes.fromhex(result["seed"]))
    members = [m for team in result["teams"] for m in team["members"]]
    assert [m["inspector"] for m in members] == [plain.inspectors[i]["id"] for i in solution.assigned]
    assert [m["y"] for m in members] == [str(y) for y in solution.y]
    assert result["objective"] == str(sum(solution.cost))
    for team, t in zip(result["teams"], manifest["spec"]["tasks"], strict=True):
        assert len(team["members"]) == t["team_size"] and len(team["experts"]) == t["experts"]
        assert team["leader"] == team["members"][0]["inspector"]


def test_capacity_carries_over_tasks_in_manifest_order():
    people = [inspector(f"M{i}", "market", cap=9) for i in range(4)]
    tasks = [task(f"T{n}", township="Z") for n in range(6)]
    for t in tasks:
        t["experts"] = 1
    spec = mspec(tasks, people, experts=[expert(f"E{i}", cap=1) for i in range(6)])
    _, result = run(spec)
    drawn = [e for ids in _experts_of(result).values() for e in ids]
    assert sorted(drawn) == [f"E{i}" for i in range(6)]  # each capacity 1: all six, once each
    assert _experts_of(result) == reference_rule(spec, bytes.fromhex(result["seed"]))


# ------------------------------------------------------------------------------------ commit / reveal


def test_commit_refuses_a_task_without_enough_eligible_experts(tmp_path):
    spec = with_experts(T2=(3, ["food"]))  # E1, E2 hold food; E5 has capacity 0; E6 is recused
    with pytest.raises(InfeasibleError) as info:
        commit_bundle(tmp_path / "m", spec)
    text = "\n".join(info.value.problems)
    assert "task 'T2': needs 3 expert(s), 2 eligible" in text
    assert "has capacity 0 (1)" in text and "expert recusal) (1)" in text
    assert snapshot(tmp_path) == {}


def test_commit_refuses_when_no_assignment_meets_the_demand(tmp_path):
    """Each task alone has enough eligible experts, but the law holders' capacity is shared."""
    people = [inspector(f"M{i}", "market", cap=9) for i in range(4)]
    tasks = [task(f"T{n}", township="Z") for n in range(3)]
    for t in tasks:
        t["experts"], t["expert_qualifications"] = 1, ["law"]
    pool = [expert("E1", quals=["law"], cap=1), expert("E2", quals=["law"], cap=1), expert("E3", cap=9)]
    with pytest.raises(InfeasibleError, match="max flow short by 1"):
        commit_bundle(tmp_path / "m", mspec(tasks, people, experts=pool))
    assert snapshot(tmp_path) == {}
    pool[2]["qualifications"] = ["law"]
    commit_bundle(tmp_path / "m", mspec(tasks, people, experts=pool))


def _greedy_trap():
    """Feasible (T1 <- E2, T2 <- E1), but the rule runs short when T1's first key is E1's."""
    people = [inspector(f"M{i}", "market", cap=9) for i in range(3)]
    t1, t2 = task("T1", township="Z"), task("T2", township="Z")
    t1["experts"] = 1
    t2["experts"], t2["expert_qualifications"] = 1, ["law"]
    return mspec([t1, t2], people, experts=[expert("E1", quals=["law"], cap=1), expert("E2", cap=1)])


def test_reveal_refuses_when_the_rule_runs_short_for_the_seed(tmp_path):
    spec = _greedy_trap()
    outcomes = {}
    for n in range(12):
        out = tmp_path / f"b{n}"
        commit_bundle(out, spec)  # the commit accepts: an assignment exists
        before = snapshot(out)
        try:
            result = reveal_bundle(out, {"drand": f"{n:064x}"})
        except InfeasibleError as exc:
            assert "task 'T2' needs 1 expert(s) but only 0 of its 1 eligible" in str(exc)
            assert snapshot(out) == before  # nothing written
            outcomes[n] = None
        else:
            assert _experts_of(result) == {"T1": ["E2"], "T2": ["E1"]}
            assert verify_bundle(out).ok
            outcomes[n] = True
    assert None in outcomes.values() and True in outcomes.values()


# --------------------------------------------------------------------------------------- verification


def _tamper(manifest, result, change):
    bad = json.loads(canonical_json(result))
    change(bad)
    with pytest.raises(VerificationError) as info:
        verify_matching_result(manifest, sources_document(manifest, {"drand": "7f" * 32}), bad)
    return str(info.value)


def test_verify_refuses_tampered_experts():
    manifest, result = run(with_experts(T1=(2, ["food"]), T2=(1, [])))
    t1 = [e["expert"] for e in result["teams"][0]["experts"]]

    def swapped(r):
        other = next(e for e in ("E1", "E2", "E6") if e not in t1)
        r["teams"][0]["experts"][1]["expert"] = other

    assert "teams[0] (task 'T1').experts[1].expert: expected" in _tamper(manifest, result, swapped)

    def reordered(r):
        r["teams"][0]["experts"].reverse()

    assert "the rule's choice in key order" in _tamper(manifest, result, reordered)

    def rekeyed(r):
        r["teams"][0]["experts"][0]["key"] = "0" * 64

    assert "experts[0].key: key is" in _tamper(manifest, result, rekeyed)

    def added(r):
        r["teams"][2]["experts"].append({"expert": "E3", "key": r["teams"][0]["experts"][0]["key"]})

    assert "needs 0 expert(s), the result lists 1" in _tamper(manifest, result, added)

    def recused(r):
        r["teams"][1]["experts"][0] = {"expert": "E6", "key": "0" * 64}

    assert "must withdraw from target 'F2' (expert recusal)" in _tamper(manifest, result, recused)

    def dropped_key(r):
        del r["teams"][3]["experts"]

    assert "a team is {experts, leader, members, target, task}" in _tamper(manifest, result, dropped_key)

    def smuggled(r):
        r["teams"][0]["experts"][0]["expert"] = r["teams"][0]["members"][0]["inspector"]

    assert "is not an expert of the spec" in _tamper(manifest, result, smuggled)
    _, plain = run(small_problem())
    plain_manifest = matching_manifest(small_problem())
    plain["teams"][0]["experts"] = []
    with pytest.raises(VerificationError, match="a team is"):
        verify_matching_result(plain_manifest, sources_document(plain_manifest, {"drand": "7f" * 32}), plain)


def _rewrite(out, name, data):
    (out / name).write_bytes(data)
    files = {n: b for n, b in read_bundle(out).items() if n != INDEX_FILE}
    (out / INDEX_FILE).write_bytes(index_bytes(files))


def test_bundle_with_experts_verifies_and_replacements_leave_experts_alone(tmp_path):
    out = tmp_path / "b"
    spec = with_experts(T1=(1, []), T3=(2, ["law"]))
    spec["inspectors"] += [inspector(f"M{n}", "market", quals=["food"]) for n in range(6, 10)]
    commit_bundle(out, spec)
    result = reveal_bundle(out, {"drand": "cd" * 32})
    report = verify_bundle(out)
    assert report.ok and any(line.startswith("experts: 3 drawn") for line in report.summary)
    team = result["teams"][0]
    doc = write_replacements(
        out, [{"task": "T1", "out": team["members"][1]["inspector"], "reason": "illness"}]
    )
    assert doc["replacements"][0]["in"] not in {e["id"] for e in spec["experts"]}
    assert json.loads((out / "result.json").read_bytes()) == result  # the result, experts included, stays
    assert verify_bundle(out).ok
    with pytest.raises(ReplacementError, match="is not on the team"):
        write_replacements(out, [{"task": "T1", "out": team["experts"][0]["expert"], "reason": "illness"}])
    bad = json.loads((out / "result.json").read_bytes())
    bad["teams"][0]["experts"][0]["expert"] = "E4" if team["experts"][0]["expert"] != "E4" else "E3"
    _rewrite(out, "result.json", canonical_json(bad))
    report = verify_bundle(out)
    assert not report.ok and "result.json: teams[0] (task 'T1').experts[0].expert" in report.mismatch


# ---------------------------------------------------------------------------------------- properties


NAMES = ["food", "law", "drugs"]


@st.composite
def pools(draw):
    experts = [
        expert(
            f"E{i}", quals=draw(st.lists(st.sampled_from(NAMES), unique=True)), cap=draw(st.integers(0, 3))
        )
        for i in range(draw(st.integers(1, 8)))
    ]
    tasks = []
    for n in range(draw(st.integers(1, 6))):
        t = task(f"T{n}", target=f"F{draw(st.integers(0, 3))}", township="Z")
        t["experts"] = draw(st.integers(0, 3))
        t["expert_qualifications"] = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=2))
        tasks.append(t)
    recusals = draw(
        st.lists(st.tuples(st.sampled_from([e["id"] for e in experts]), st.integers(0, 3)), max_size=4)
    )
    spec = mspec(tasks, [inspector("M1", "market")], experts=experts)
    spec["expert_recusals"] = [{"expert": e, "target": f"F{t}"} for e, t in recusals]
    return spec


@settings(max_examples=150, deadline=None)
@given(pools(), st.binary(min_size=32, max_size=32), st.randoms(use_true_random=False))
def test_drawn_experts_are_eligible_within_capacity_and_a_function_of_seed_and_spec(spec, seed, rnd):
    norm = matching_manifest(spec)["spec"]
    expected = reference_rule(spec, seed)
    try:
        drawn = draw_experts(norm, seed)
    except InfeasibleError as exc:
        short = next(t for t in sorted(expected) if expected[t] is None)
        assert f"task {short!r} needs" in str(exc)
        return
    assert None not in expected.values()
    people = {e["id"]: e for e in norm["experts"]}
    recused = {(p["expert"], p["target"]) for p in norm["expert_recusals"]}
    load = dict.fromkeys(people, 0)
    for t, team in zip(norm["tasks"], drawn, strict=True):
        ids = [e["expert"] for e in team]
        assert ids == expected[t["id"]] and len(ids) == t["experts"] == len(set(ids))
        for ident in ids:
            load[ident] += 1
            assert (ident, t["target"]) not in recused
            assert set(t["expert_qualifications"]) <= set(people[ident]["qualifications"])
    assert all(load[i] <= people[i]["capacity"] for i in people)
    shuffled = json.loads(json.dumps(spec))
    rnd.shuffle(shuffled["experts"])
    rnd.shuffle(shuffled["tasks"])
    rnd.shuffle(shuffled["expert_recusals"])
    assert draw_experts(matching_manifest(shuffled)["spec"], seed) == drawn


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_commit_flow_check_equals_a_reference_max_flow(data):
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_flow

    from fairspot.draw.experts import _flow_deficit

    n_t, n_e = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))
    demand = data.draw(st.lists(st.integers(0, 3), min_size=n_t, max_size=n_t))
    capacity = data.draw(st.lists(st.integers(0, 3), min_size=n_e, max_size=n_e))
    eligible = [sorted(data.draw(st.sets(st.integers(0, n_e - 1)))) for _ in range(n_t)]
    graph = np.zeros((n_t + n_e + 2, n_t + n_e + 2), dtype=np.int32)  # source, tasks, experts, sink
    for t, ok in enumerate(eligible):
        graph[0, 1 + t] = demand[t]
        for x in ok:
            graph[1 + t, 1 + n_t + x] = 1
    for x, cap in enumerate(capacity):
        graph[1 + n_t + x, -1] = cap
    flow = maximum_flow(csr_matrix(graph), 0, n_t + n_e + 1).flow_value
    assert _flow_deficit(demand, eligible, capacity) == sum(demand) - flow
