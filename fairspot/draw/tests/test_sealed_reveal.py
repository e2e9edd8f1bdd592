"""A reveal checked against the digest published at commit (``reveal_bundle(..., manifest_digest=)``,
``check_sealed``): the same revealed bundle, byte for byte, as the reveal that rebuilds the manifest,
and every altered commit refused with nothing written."""

import json
import random
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.draw import canonical_json, commit_bundle, reveal_bundle, verify_bundle
from fairspot.draw.bundle import index_bytes, read_bundle
from fairspot.draw.errors import DrawError
from fairspot.testing.engine import SOURCES, rows, snapshot, spec


def _reindex(out) -> None:
    files = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "SHA256SUMS"}
    (out / "SHA256SUMS").write_bytes(index_bytes(files))


@settings(max_examples=20, deadline=None)
@given(n=st.integers(min_value=5, max_value=200), seed=st.integers(0, 10**6), cut=st.integers(0, 40))
def test_same_revealed_bundle_as_the_full_check(tmp_path_factory, n, seed, cut):
    population = rows(n)
    random.Random(seed).shuffle(population)
    excluded = [{"id": r["id"], "reason": "deregistered"} for r in population[: min(cut, n // 2)]]
    base = tmp_path_factory.mktemp("s")
    digest = commit_bundle(base / "full", spec(exclusions=excluded), population)
    shutil.copytree(base / "full", base / "sealed")
    full = reveal_bundle(base / "full", SOURCES)
    sealed = reveal_bundle(base / "sealed", SOURCES, manifest_digest=digest)
    assert sealed == full
    assert read_bundle(base / "sealed") == read_bundle(base / "full")  # every file, byte for byte
    assert verify_bundle(base / "sealed", digest).ok


def test_a_digest_in_capitals_is_the_same_digest(committed):
    out, digest = committed
    reveal_bundle(out, SOURCES, manifest_digest=digest.upper())
    assert verify_bundle(out, digest).ok


def _drop_a_row(out):
    lines = (out / "population.csv").read_bytes().split(b"\n")
    (out / "population.csv").write_bytes(b"\n".join(lines[:3] + lines[4:]))


def _rewrite_manifest(out):
    manifest = json.loads((out / "manifest.json").read_bytes())
    manifest["spec"]["title"] = "re-rolled"
    (out / "manifest.json").write_bytes(canonical_json(manifest))


def _forge_both(out):
    """A population without one row and a manifest rebuilt for it: consistent, but not what was
    published."""
    population = rows(45)[:-1]
    forged = out.parent / "forged"
    commit_bundle(forged, spec(), population)
    for name in ("population.csv", "manifest.json"):
        (out / name).write_bytes((forged / name).read_bytes())


@pytest.mark.parametrize(
    ("alter", "reindex", "says"),
    [
        (_drop_a_row, False, "population.csv"),  # the index no longer fits
        (_drop_a_row, True, "population.csv"),  # the index fits, the manifest's digest does not
        (_rewrite_manifest, True, "published digest"),
        (_forge_both, True, "published digest"),
    ],
)
def test_an_altered_commit_is_refused_and_nothing_written(committed, alter, reindex, says):
    out, digest = committed
    alter(out)
    if reindex:
        _reindex(out)
    before = snapshot(out)
    with pytest.raises(DrawError, match=says):
        reveal_bundle(out, SOURCES, manifest_digest=digest)
    assert snapshot(out) == before


def test_the_wrong_published_digest_is_refused(committed):
    out, digest = committed
    before = snapshot(out)
    with pytest.raises(DrawError, match="published digest"):
        reveal_bundle(out, SOURCES, manifest_digest="0" * 64)
    assert snapshot(out) == before
    reveal_bundle(out, SOURCES, manifest_digest=digest)  # the right one reveals
