"""A queue worker killed with SIGKILL mid-import writes nothing, and its job ends failed, not "running".

A real ``manage.py db_worker`` runs against a file-based database (SQLite under a temporary var dir, or
a database of its own on the PostgreSQL server when the suite runs with DATABASE_URL=postgres://…).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import pytest
from django.core.cache.backends.filebased import FileBasedCache

from fairspot.testing.directory import HEADER, row, write_csv

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "setup"
STALE_SECONDS = 2

ENQUEUE = """
import os
from django.core.files import File
from fairspot.accounts.models import User
from fairspot.core.jobs import job_create, job_start
with open(os.environ["UPLOAD"], "rb") as handle:
    job = job_create(actor=User.objects.get(username="scjg-admin"), kind="targets", upload=File(handle))
job_start(job)  # no transaction here: queued at once
print(job.pk)
"""


class Database:
    """The worker's database, read from the test with the driver alone (not through Django)."""

    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.url = None
        server = os.environ.get("DATABASE_URL", "")
        if server.startswith(("postgres://", "postgresql://")):
            import psycopg

            self.psycopg = psycopg
            self.name = f"fairspot_killed_worker_{uuid.uuid4().hex[:12]}"
            parts = urlsplit(server)
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
            with closing(psycopg.connect(self.admin_url, autocommit=True)) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')

    def rows(self, sql: str) -> list[tuple]:
        if self.url is None:
            with closing(sqlite3.connect(self.var_dir / "fairspot.sqlite3", timeout=5)) as db:
                return db.execute(sql).fetchall()
        with closing(self.psycopg.connect(self.url, autocommit=True)) as db:
            return db.execute(sql).fetchall()

    def drop(self) -> None:
        if self.url is not None:
            with closing(self.psycopg.connect(self.admin_url, autocommit=True)) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def database(tmp_path):
    db = Database(tmp_path / "var")
    yield db
    db.drop()


def _env(database: Database) -> dict:
    drop = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["FAIRSPOT_VAR_DIR"] = str(database.var_dir)
    env["FAIRSPOT_JOB_STALE_SECONDS"] = str(STALE_SECONDS)
    if database.url:
        env["DATABASE_URL"] = database.url
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _worker(env, *args, log: Path):
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _job(database: Database) -> tuple[str, dict]:
    [(status, report)] = database.rows("SELECT status, report FROM core_importjob")
    return status, report if isinstance(report, dict) else json.loads(report)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_sigkilled_worker_writes_nothing_and_its_job_is_reaped_as_failed(tmp_path, database):
    env = _env(database)
    done = _manage(env, "migrate", "--no-input", "-v", "0")
    assert done.returncode == 0, done.stderr
    done = _manage(env, "setup_district", str(EXAMPLES / "departments.csv"), str(EXAMPLES / "users.csv"))
    assert done.returncode == 0, done.stderr
    big = write_csv(tmp_path / "big.csv", [row() for _ in range(100_000)], header=HEADER)
    done = _manage({**env, "UPLOAD": str(big)}, "shell", "-c", ENQUEUE)
    assert done.returncode == 0, done.stderr
    job_id = uuid.UUID(done.stdout.strip().splitlines()[-1])
    assert _job(database)[0] == "queued"
    assert database.rows("SELECT status FROM django_tasks_database_dbtaskresult") == [("READY",)]

    log = tmp_path / "worker.log"
    worker = _worker(env, "--interval", "0.2", log=log)
    progress = FileBasedCache(str(database.var_dir / "cache"), {})
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and worker.poll() is None:
            beat = progress.get(f"import-progress:{job_id}") or {}
            if beat.get("rows", 0) >= 4000:  # mid-import: two batches written in its transaction
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the worker never got going: {log.read_text()}")
        parse_workers = psutil.Process(worker.pid).children()
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
    _gone, alive = psutil.wait_procs(parse_workers, timeout=5)
    assert not alive, "the parse worker outlived its killed worker"

    assert _job(database)[0] == "running", "the import ended before the kill"  # what a dead worker leaves
    assert database.rows("SELECT count(*) FROM directory_target") == [(0,)]  # its transaction rolled back

    time.sleep(STALE_SECONDS + 0.5)  # the job's heartbeat goes stale
    restarted = _worker(env, "--batch", log=log)  # a worker starting reaps, then finds nothing to run
    assert restarted.wait(timeout=120) == 0, log.read_text()
    status, report = _job(database)
    assert status == "failed" and report["interrupted"] is True, report
    assert "interrupted" in report["errors"][0]["message"] or "中断" in report["errors"][0]["message"]
    assert database.rows("SELECT count(*) FROM directory_target") == [(0,)]
    assert database.rows("SELECT status FROM django_tasks_database_dbtaskresult") == [("FAILED",)]
    [(stored,)] = database.rows("SELECT stored_path FROM core_importjob")
    assert not Path(stored).exists()  # the upload of a failed import is not kept
