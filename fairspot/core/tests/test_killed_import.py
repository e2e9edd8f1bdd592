"""A command-line import killed with SIGKILL leaves no orphan parser holding the database."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from fairspot.testing.directory import HEADER, row, write_csv

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "setup"


def _env(var_dir: Path) -> dict:
    drop = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["FAIRSPOT_VAR_DIR"] = str(var_dir)
    return env


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_sigkilled_cli_import_leaves_no_orphan_and_the_directory_usable(tmp_path):
    var_dir = tmp_path / "var"
    env = _env(var_dir)
    assert _manage(env, "migrate", "--no-input", "-v", "0").returncode == 0
    done = _manage(env, "setup_district", str(EXAMPLES / "departments.csv"), str(EXAMPLES / "users.csv"))
    assert done.returncode == 0, done.stderr
    # ~0.7 s of import per 60,000 rows after the fork: enough that the kill 0.5 s in lands mid-import
    big = write_csv(tmp_path / "big.csv", [row() for _ in range(150_000)], header=HEADER)
    assert big.stat().st_size > 4 * 1024 * 1024  # large enough for the forked parse worker
    parent = subprocess.Popen(
        [sys.executable, "manage.py", "import_targets", str(big), "--department", "SCJG"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[psutil.Process] = []
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline and parent.poll() is None:
        workers = psutil.Process(parent.pid).children()
        time.sleep(0.05)
    assert workers, "the import never started its parse worker"
    time.sleep(0.5)  # mid-import
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    _gone, alive = psutil.wait_procs(workers, timeout=5)
    assert not alive, "the parse worker outlived its killed parent"
    started = time.monotonic()
    with sqlite3.connect(var_dir / "fairspot.sqlite3", timeout=5) as db:
        assert db.execute("SELECT count(*) FROM directory_target").fetchone() == (0,)  # all rolled back
        db.execute("UPDATE accounts_department SET short_name = short_name")
    assert time.monotonic() - started < 5
