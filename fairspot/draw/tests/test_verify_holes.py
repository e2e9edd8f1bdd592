"""Holes found by an independent verifier (issue 8 part 7): each must now be refused."""

import json

import pytest

from fairspot.draw import (
    canonical_json,
    reveal_bundle,
    sources_document,
    verify_bundle,
    verify_matching_result,
)
from fairspot.draw.bundle import INDEX_FILE, index_bytes, read_bundle
from fairspot.draw.errors import SourceError, VerificationError
from fairspot.testing.engine import SOURCES, inspector, run, small_problem


def _rewrite(out, name, data):
    (out / name).write_bytes(data)
    files = {n: b for n, b in read_bundle(out).items() if n != INDEX_FILE}
    (out / INDEX_FILE).write_bytes(index_bytes(files))


def test_fallback_round_equal_to_declared_is_refused(committed):
    out, _ = committed
    same = {"value": "ab" * 32, "round": 5_000_000, "fallback_used": True, "note": "missing at deadline"}
    with pytest.raises(SourceError, match="must be later than the declared round"):
        reveal_bundle(out, dict(SOURCES, drand=same))
    reveal_bundle(out, dict(SOURCES, drand=dict(same, round=5_000_001)))
    assert verify_bundle(out).ok
    sdoc = json.loads((out / "sources.json").read_bytes())
    sdoc["sources"][0]["round"] = 5_000_000
    _rewrite(out, "sources.json", canonical_json(sdoc))
    report = verify_bundle(out)
    assert not report.ok and "must be later than the declared round" in report.mismatch


def test_extra_file_listed_in_the_index_is_refused(committed):
    out, _ = committed
    reveal_bundle(out, SOURCES)
    _rewrite(out, "notes.txt", b"hello\n")
    report = verify_bundle(out)
    assert not report.ok and "notes.txt" in report.mismatch and "unexpected file" in report.mismatch


def _refusal(manifest, result, change):
    bad = json.loads(canonical_json(result))
    change(bad)
    with pytest.raises(VerificationError) as info:
        verify_matching_result(manifest, sources_document(manifest, {"drand": "7f" * 32}), bad)
    return str(info.value)


def test_matching_scale_must_be_slots_plus_one():
    manifest, result = run(small_problem())
    assert result["scale"] == manifest["slots_total"] + 1

    def double_scale(r):
        r["scale"] *= 2
        for team in r["teams"]:
            for m in team["members"]:
                m["y"], m["z"] = str(2 * int(m["y"])), str(2 * int(m["z"]))
        for p in r["inspector_potentials"]:
            p["w"] = str(2 * int(p["w"]))

    assert "number of slots + 1" in _refusal(manifest, result, double_scale)


def test_capacity_zero_inspector_potential_is_pinned():
    spec = small_problem()
    spec["inspectors"].append(inspector("Z0", "market", quals=["food"], cap=0))
    manifest, result = run(spec)
    listed = {p["inspector"] for p in result["inspector_potentials"]}
    assert "Z0" in listed  # w = min(0, d(S)) for a node with no arcs in (§7.5)
    verify_matching_result(manifest, sources_document(manifest, {"drand": "7f" * 32}), result)

    def drop(r):
        r["inspector_potentials"] = [p for p in r["inspector_potentials"] if p["inspector"] != "Z0"]

    assert "'Z0'" in _refusal(manifest, result, drop) and "canonical" in _refusal(manifest, result, drop)
