"""The command line, run as a subprocess exactly as an auditor would, and the worked example."""

import json
import subprocess
import sys
from pathlib import Path

from fairspot.testing.engine import SOURCES, snapshot, spec

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "draw"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fairspot.draw", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_worked_example_reproduces_byte_for_byte(tmp_path):
    out = tmp_path / "bundle"
    done = cli(
        "commit", "--population", EXAMPLE / "population.csv", "--spec", EXAMPLE / "spec.json", "--out", out
    )
    assert done.returncode == 0, done.stderr
    digest = (EXAMPLE / "expected" / "SHA256SUMS").read_text().split("  manifest.json")[0].split("\n")[-1]
    assert f"manifest sha256: {digest}" in done.stdout
    done = cli("reveal", out, "--sources", EXAMPLE / "sources.json")
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == snapshot(EXAMPLE / "expected")
    done = cli("verify", EXAMPLE / "expected", "--manifest-digest", digest)
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("OK: everything reproduces")


def test_pps_v2_example_reproduces_byte_for_byte_and_checks_its_classes(tmp_path):
    example = EXAMPLE / "pps-v2"
    out = tmp_path / "bundle"
    done = cli(
        "commit", "--population", example / "population.csv", "--spec", example / "spec.json", "--out", out
    )
    assert done.returncode == 0, done.stderr
    done = cli("reveal", out, "--sources", example / "sources.json")
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == snapshot(example / "expected")
    done = cli("verify", example / "expected", "--classes", example / "classes.csv")
    assert done.returncode == 0, done.stdout
    assert "class snapshot matches the committed digest" in done.stdout
    changed = tmp_path / "classes.csv"
    changed.write_bytes((example / "classes.csv").read_bytes().replace(b",D\n", b",C\n", 1))
    done = cli("verify", example / "expected", "--classes", changed)
    assert done.returncode == 1 and done.stdout.startswith("MISMATCH: classes.csv")


def test_cli_errors_are_clear_and_write_nothing(tmp_path):
    pop = tmp_path / "pop.csv"
    pop.write_text("id,township\nA1,x\nA2,y\nA1,z\n", encoding="utf-8")
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec(ratio="0.5")), encoding="utf-8")
    out = tmp_path / "b"
    done = cli("commit", "--population", pop, "--spec", spec_file, "--out", out)
    assert done.returncode == 2 and "duplicate id 'A1' on lines 2 and 4" in done.stderr
    assert not out.exists()

    spec_file.write_text(json.dumps(spec(ratio="1.2")), encoding="utf-8")
    pop.write_text("id,township\nA1,x\nA2,y\n", encoding="utf-8")
    done = cli("commit", "--population", pop, "--spec", spec_file, "--out", out)
    assert done.returncode == 2 and "greater than 1" in done.stderr and not out.exists()

    spec_file.write_text('{"draw_id": "x", "ratio": 0.05}', encoding="utf-8")
    done = cli("commit", "--population", pop, "--spec", spec_file, "--out", out)
    assert done.returncode == 2 and "floats are not allowed" in done.stderr


def test_cli_reveal_states(tmp_path):
    pop = tmp_path / "pop.csv"
    pop.write_text("id,township\n" + "".join(f"A{i},t{i % 2}\n" for i in range(20)), encoding="utf-8")
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec(ratio="0.5")), encoding="utf-8")
    out = tmp_path / "b"
    assert cli("commit", "--population", pop, "--spec", spec_file, "--out", out).returncode == 0
    before = snapshot(out)
    done = cli("reveal", out, "--source", f"drand={SOURCES['drand']}")
    assert done.returncode == 2 and "'sse_close' have no value yet" in done.stderr
    done = cli("reveal", out, "--source", f"drand={SOURCES['drand']}", "--source", "sse_close=3051.2")
    assert done.returncode == 2 and "does not match the declared format" in done.stderr
    assert snapshot(out) == before
    done = cli(
        "reveal",
        out,
        "--source",
        f"drand={SOURCES['drand']}",
        "--source",
        f"sse_close={SOURCES['sse_close']}",
    )
    assert done.returncode == 0, done.stderr
    after = snapshot(out)
    done = cli("reveal", out, "--source", f"drand={SOURCES['drand']}", "--source", "sse_close=1.00")
    assert done.returncode == 2 and "already been revealed" in done.stderr
    assert snapshot(out) == after
    assert cli("verify", out).returncode == 0
    (out / "result.json").write_bytes((out / "result.json").read_bytes().replace(b'"n":', b'"n" :', 1))
    done = cli("verify", out)
    assert done.returncode == 1 and done.stdout.startswith("MISMATCH: result.json")


def test_cli_key_lets_a_firm_check_its_ticket():
    result = json.loads((EXAMPLE / "expected" / "result.json").read_text(encoding="utf-8"))
    target = result["strata"][0]["selected"][0]
    done = cli("key", "--seed", result["seed"], target["id"])
    assert done.returncode == 0 and done.stdout.split()[0] == target["key"]


def test_engine_and_verifier_need_neither_django_nor_numpy(tmp_path):
    """The verifier must run on a bare Python: block numpy, scipy and django, then verify a target
    bundle and a matching bundle (the matching certificate is checked with integers only)."""
    from fairspot.draw import commit_bundle, reveal_bundle
    from fairspot.testing.engine import small_problem

    matching = tmp_path / "m"
    commit_bundle(matching, small_problem())
    reveal_bundle(matching, {"drand": "ab" * 32})
    code = (
        "import sys\n"
        "for name in ('numpy', 'scipy', 'django'):\n"
        "    sys.modules[name] = None\n"
        "from fairspot.draw import verify_bundle\n"
        f"assert verify_bundle({str(EXAMPLE / 'expected')!r}).ok\n"
        f"report = verify_bundle({str(matching)!r})\n"
        "assert report.ok, report.text()\n"
        "print('stdlib ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "stdlib ok" in done.stdout, done.stderr


def test_cli_reveal_against_the_published_digest(tmp_path):
    out = tmp_path / "bundle"
    args = ("commit", "--population", EXAMPLE / "population.csv", "--spec", EXAMPLE / "spec.json")
    digest = cli(*args, "--out", out).stdout.split("manifest sha256: ")[1].split()[0]
    before = snapshot(out)
    done = cli("reveal", out, "--sources", EXAMPLE / "sources.json", "--manifest-digest", "ab" * 32)
    assert done.returncode == 2 and "the published digest is" in done.stderr
    assert snapshot(out) == before
    done = cli("reveal", out, "--sources", EXAMPLE / "sources.json", "--manifest-digest", digest)
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == snapshot(EXAMPLE / "expected")  # the same bytes as the full check gives
