"""Experts on matching teams (§7.8): the drawing rule, backward compatibility, verification."""

import json
from pathlib import Path

from fairspot.draw import commit_bundle, reveal_bundle, verify_bundle
from fairspot.draw.bundle import read_bundle
from fairspot.draw.replace import write_replacements

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
