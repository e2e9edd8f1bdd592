"""Bundle workflow through the Python API: commit, reveal, verify, tampering, wrong states."""

import hashlib
import json
from pathlib import Path

import pytest

from fairspot.draw import commit_bundle, reveal_bundle, verify_bundle
from fairspot.draw.bundle import index_bytes
from fairspot.draw.errors import BundleError, SourceError, SpecError
from fairspot.testing.engine import SOURCES, rows, snapshot, spec


@pytest.fixture
def revealed(committed: tuple[Path, str]) -> tuple[Path, str]:
    out, digest = committed
    reveal_bundle(out, SOURCES)
    return out, digest


def test_commit_reveal_verify(revealed):
    out, digest = revealed
    assert sorted(p.name for p in out.iterdir()) == [
        "SHA256SUMS",
        "manifest.json",
        "population.csv",
        "result.json",
        "sources.json",
    ]
    assert hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest() == digest
    report = verify_bundle(out, digest)
    assert report.ok and report.state == "revealed", report.text()
    assert "matches the published digest" in report.text()


def test_committed_bundle_verifies_as_committed(committed):
    out, digest = committed
    report = verify_bundle(out, digest)
    assert report.ok and report.state == "committed"


def test_wrong_published_digest(revealed):
    out, _ = revealed
    report = verify_bundle(out, "00" * 32)
    assert not report.ok and "published digest" in report.mismatch


def test_every_byte_flip_of_every_file_is_detected(revealed):
    out, digest = revealed
    for path in sorted(out.iterdir()):
        original = path.read_bytes()
        positions = range(len(original))  # every byte
        for pos in positions:
            changed = bytearray(original)
            changed[pos] ^= 0x01
            path.write_bytes(bytes(changed))
            report = verify_bundle(out)
            assert not report.ok, (path.name, pos)
            assert path.name in report.mismatch or "SHA256SUMS" in report.mismatch, report.mismatch
        path.write_bytes(original)
    assert verify_bundle(out, digest).ok


def _reindex(out: Path) -> None:
    files = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "SHA256SUMS"}
    (out / "SHA256SUMS").write_bytes(index_bytes(files))


def test_tampered_result_with_fixed_index_names_stratum_and_id(revealed):
    out, _ = revealed
    result = json.loads((out / "result.json").read_bytes())
    stratum = result["strata"][0]
    stratum["selected"][0]["id"] = rows(45)[44]["id"]
    from fairspot.draw import canonical_json

    (out / "result.json").write_bytes(canonical_json(result))
    _reindex(out)
    report = verify_bundle(out)
    assert not report.ok
    assert "result.json" in report.mismatch and f"stratum {stratum['stratum']}" in report.mismatch
    assert "selected[0].id" in report.mismatch


def test_tampered_population_with_fixed_index_is_detected(revealed):
    out, _ = revealed
    pop = (out / "population.csv").read_bytes()
    lines = pop.split(b"\n")
    (out / "population.csv").write_bytes(b"\n".join(lines[:3] + lines[4:]))  # drop one row
    _reindex(out)
    report = verify_bundle(out)
    assert not report.ok and "manifest.json" in report.mismatch


def test_tampered_manifest_with_fixed_index_is_detected(revealed):
    out, digest = revealed
    manifest = json.loads((out / "manifest.json").read_bytes())
    manifest["spec"]["title"] = "re-rolled"
    from fairspot.draw import canonical_json

    (out / "manifest.json").write_bytes(canonical_json(manifest))
    _reindex(out)
    assert not verify_bundle(out, digest).ok
    report = verify_bundle(out)  # even without the published digest, sources/result no longer fit
    assert not report.ok and "manifest_sha256" in report.mismatch


def test_non_canonical_whitespace_is_detected(revealed):
    out, _ = revealed
    data = (out / "sources.json").read_bytes()
    (out / "sources.json").write_bytes(data.replace(b",", b", ", 1))
    _reindex(out)
    report = verify_bundle(out)
    assert not report.ok and "not in canonical" in report.mismatch


def test_extra_and_missing_files(revealed):
    out, _ = revealed
    (out / "notes.txt").write_text("hello")
    assert "unexpected file" in verify_bundle(out).mismatch
    (out / "notes.txt").unlink()
    (out / "sources.json").unlink()
    assert "no such file" in verify_bundle(out).mismatch


def test_wrong_source_value_fails_verification(revealed):
    out, _ = revealed
    sdoc = json.loads((out / "sources.json").read_bytes())
    sdoc["sources"][0]["value"] = "80" * 32
    from fairspot.draw import canonical_json

    (out / "sources.json").write_bytes(canonical_json(sdoc))
    _reindex(out)
    report = verify_bundle(out)
    assert not report.ok and "result.json" in report.mismatch and "seed" in report.mismatch


@pytest.mark.parametrize(
    "sources,error,msg",
    [
        ({"drand": SOURCES["drand"]}, SourceError, "no value yet"),
        (dict(SOURCES, drand="XYZ"), SourceError, "does not match the declared format"),
        (dict(SOURCES, sse_close="3,051.23"), SourceError, "does not match"),
        (dict(SOURCES, other="1"), SourceError, "not declared"),
    ],
)
def test_bad_reveals_write_nothing(committed, sources, error, msg):
    out, _ = committed
    before = snapshot(out)
    with pytest.raises(error, match=msg):
        reveal_bundle(out, sources)
    assert snapshot(out) == before


def test_second_reveal_is_refused_and_writes_nothing(revealed):
    out, _ = revealed
    before = snapshot(out)
    with pytest.raises(BundleError, match="already been revealed"):
        reveal_bundle(out, dict(SOURCES, drand="80" * 32))
    assert snapshot(out) == before


def test_reveal_refuses_a_tampered_commit(committed):
    out, _ = committed
    (out / "population.csv").write_bytes((out / "population.csv").read_bytes() + b"X9,a\n")
    before = snapshot(out)
    with pytest.raises(Exception, match=r"population\.csv"):
        reveal_bundle(out, SOURCES)
    assert snapshot(out) == before


def test_commit_never_overwrites(tmp_path):
    out = tmp_path / "b"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    before = snapshot(tmp_path)
    with pytest.raises(BundleError, match="never overwrites"):
        commit_bundle(out, spec(), rows(10))
    assert snapshot(tmp_path) == before


def test_failed_commit_creates_nothing(tmp_path):
    with pytest.raises(SpecError):
        commit_bundle(tmp_path / "b", spec(ratio="1.5"), rows(10))
    assert list(tmp_path.iterdir()) == []


def test_fallback_source_is_recorded_and_reported(committed):
    out, _ = committed
    entry = {
        "value": "ab" * 32,
        "round": 5_000_020,
        "fallback_used": True,
        "note": "round 5000000 missing at deadline",
    }
    reveal_bundle(out, dict(SOURCES, drand=entry))
    report = verify_bundle(out)
    assert report.ok and "FALLBACK used" in report.text()


def test_later_round_without_fallback_is_refused(committed):
    out, _ = committed
    with pytest.raises(SourceError, match="not the declared round"):
        reveal_bundle(out, dict(SOURCES, drand={"value": "ab" * 32, "round": 5_000_020}))
