"""Replacing an officer of a drawn team (§7.7): determinism, eligibility, verification."""

import json

import pytest

from fairspot.draw import commit_bundle, reveal_bundle, verify_bundle
from fairspot.draw.bundle import INDEX_FILE, index_bytes, read_bundle
from fairspot.draw.canonical import canonical_json
from fairspot.draw.matching import ineligibility
from fairspot.draw.replace import (
    REPLACEMENTS_FILE,
    ReplacementError,
    replacement_key,
    replacements_document,
    teams_after,
    write_replacements,
)
from fairspot.testing.engine import inspector, mspec, small_problem, snapshot, task


@pytest.fixture
def bundle(tmp_path):
    out = tmp_path / "teams"
    spec = small_problem()
    spec["inspectors"] += [inspector(f"M{n}", "market", quals=["food"]) for n in range(6, 10)]
    commit_bundle(out, spec)
    reveal_bundle(out, {"drand": "cd" * 32})
    return out


def _docs(out):
    files = read_bundle(out)
    return json.loads(files["manifest.json"]), json.loads(files["result.json"])


def _rewrite(out, name, data):
    (out / name).write_bytes(data)
    files = {n: b for n, b in read_bundle(out).items() if n != INDEX_FILE}
    (out / INDEX_FILE).write_bytes(index_bytes(files))


def test_replacement_is_the_first_eligible_officer_in_key_order(bundle):
    manifest, result = _docs(bundle)
    team = result["teams"][0]
    out = team["members"][1]["inspector"]
    doc = write_replacements(bundle, [{"task": team["task"], "out": out, "reason": "illness"}])
    entry = doc["replacements"][0]
    assert entry["out"] == out and entry["slot"] == 1 and entry["seq"] == 1
    spec = manifest["spec"]
    t = spec["tasks"][0]
    seed = bytes.fromhex(result["seed"])
    ranked = sorted(spec["inspectors"], key=lambda i: replacement_key(seed, t["id"], i["id"]))
    members = [m["inspector"] for m in team["members"]]
    load = {
        i["id"]: sum(m["inspector"] == i["id"] for tm in result["teams"] for m in tm["members"])
        for i in ranked
    }
    load[out] -= 1
    first = next(
        i["id"]
        for i in ranked
        if i["id"] not in members and load[i["id"]] < i["capacity"] and ineligibility(spec, t, 1, i) is None
    )
    assert entry["in"] == first and entry["key"] == replacement_key(seed, t["id"], first).hex()
    assert teams_after(result, doc)[0]["members"][1] == first
    report = verify_bundle(bundle)
    assert report.ok, report.text()
    assert f"{out} -> {first}" in report.text()
    # determinism: the same request gives the same bytes
    assert (
        canonical_json(
            replacements_document(manifest, result, [dict(task=t["id"], out=out, reason="illness")])
        )
        == (bundle / REPLACEMENTS_FILE).read_bytes()
    )


def test_officer_not_on_the_team_is_refused_and_nothing_written(bundle):
    _, result = _docs(bundle)
    team = result["teams"][0]
    others = {m["inspector"] for tm in result["teams"][1:] for m in tm["members"]} - {
        m["inspector"] for m in team["members"]
    }
    before = snapshot(bundle)
    with pytest.raises(ReplacementError, match="is not on the team"):
        write_replacements(bundle, [{"task": team["task"], "out": sorted(others)[0], "reason": "withdrawal"}])
    assert snapshot(bundle) == before


def test_withdrawn_officer_never_returns_and_slot_zero_changes_the_leader(tmp_path):
    people = [inspector(f"M{i}", "market", cap=1) for i in range(6)]
    out = tmp_path / "b"
    commit_bundle(out, mspec([task("T1")], people))
    reveal_bundle(out, {"drand": "ab" * 32})
    _, result = _docs(out)
    lead = result["teams"][0]["leader"]
    doc = write_replacements(out, [{"task": "T1", "out": lead, "reason": "illness"}])
    new = doc["replacements"][0]["in"]
    doc = write_replacements(
        out,
        [
            {"task": "T1", "out": lead, "reason": "illness"},
            {"task": "T1", "out": new, "reason": "other", "note": "x"},
        ],
    )
    assert doc["replacements"][1]["in"] not in (lead, new)
    assert teams_after(result, doc)[0]["leader"] == doc["replacements"][1]["in"]
    assert verify_bundle(out).ok


def test_no_eligible_officer_left(tmp_path):
    out = tmp_path / "b"
    commit_bundle(out, mspec([task("T1")], [inspector(f"M{i}", "market") for i in range(2)]))
    reveal_bundle(out, {"drand": "ab" * 32})
    with pytest.raises(ReplacementError, match="no eligible officer"):
        write_replacements(out, [{"task": "T1", "out": "M0", "reason": "illness"}])


def test_bad_reason_and_missing_note():
    with pytest.raises(ReplacementError, match="reason must be one of"):
        replacements_document(
            {"spec": {"tasks": [], "inspectors": [], "recusals": [], "recent": []}},
            {"seed": "00", "teams": []},
            [{"task": "T1", "out": "M0", "reason": "bored"}],
        )
    with pytest.raises(ReplacementError, match="required for reason 'other'"):
        replacements_document(
            {"spec": {"tasks": [], "inspectors": [], "recusals": [], "recent": []}},
            {"seed": "00", "teams": []},
            [{"task": "T1", "out": "M0", "reason": "other"}],
        )


def test_verify_refuses_a_tampered_or_ineligible_log(bundle):
    _, result = _docs(bundle)
    team = result["teams"][0]
    out = team["members"][1]["inspector"]
    doc = write_replacements(bundle, [{"task": team["task"], "out": out, "reason": "illness"}])
    original = (bundle / REPLACEMENTS_FILE).read_bytes()
    # someone else chosen (e.g. an officer of the same department whom the rule did not pick)
    bad = json.loads(original)
    bad["replacements"][0]["in"] = out
    _rewrite(bundle, REPLACEMENTS_FILE, canonical_json(bad))
    report = verify_bundle(bundle)
    assert not report.ok and "replacements.json" in report.mismatch and ".in" in report.mismatch
    # a replacement of an officer who was never on the team
    bad = json.loads(original)
    bad["replacements"][0]["out"] = "H5"
    _rewrite(bundle, REPLACEMENTS_FILE, canonical_json(bad))
    report = verify_bundle(bundle)
    assert not report.ok and "is not on the team" in report.mismatch
    # the reason changed after the fact is not detected by recomputation but by the index
    (bundle / REPLACEMENTS_FILE).write_bytes(original.replace(b"illness", b"other"))
    assert not verify_bundle(bundle).ok
    _rewrite(bundle, REPLACEMENTS_FILE, original)
    assert verify_bundle(bundle).ok and doc["result_sha256"]


def test_old_bundles_without_replacements_verify_unchanged(bundle):
    assert REPLACEMENTS_FILE not in read_bundle(bundle)
    assert verify_bundle(bundle).ok


def test_target_bundle_cannot_carry_replacements(tmp_path):
    from fairspot.testing.engine import SOURCES, rows, spec

    out = tmp_path / "t"
    commit_bundle(out, spec(), rows(30))
    reveal_bundle(out, SOURCES)
    _rewrite(out, REPLACEMENTS_FILE, b"{}")
    report = verify_bundle(out)
    assert not report.ok and "only a revealed matching bundle" in report.mismatch
