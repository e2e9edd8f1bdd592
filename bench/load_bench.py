"""Benchmark: the public portal and a logged-in staff mix at a fixed rate, through a reload and an import.

    .venv/bin/python bench/load_bench.py [--rate 200] [--seconds 60] [--db sqlite|postgres]
        [--targets 20000] [--import-rows 200000] [--phases baseline,reload,import]

1. A demo district (``seed_demo --targets N``) in ``bench/out/load-<db>/`` (SQLite) or the PostgreSQL
   database ``fairspot_load_bench`` (re-created), and the import file (``--import-rows`` demo targets,
   cached under ``bench/out/``).
2. ``gunicorn -c gunicorn.conf.py`` on a free loopback port (its defaults on this machine: 5 workers x 2
   threads) and ``manage.py db_worker`` beside it, as in production.
3. Three phases of ``--seconds`` each, open loop at ``--rate`` requests/s from 64 client threads with
   keep-alive connections; each second's requests are spread evenly over the second:
   * ``baseline``: nothing else happens;
   * ``reload``: ``SIGHUP`` to the gunicorn master half-way (every worker is replaced gracefully);
   * ``import``: a ``--import-rows``-row target import runs from the start (``import_targets`` command,
     one transaction), while the mix goes on.
   The mix: 60 % public pages (portal index, task list, a task, a target, a draw, the check-item list),
   38 % staff pages as the office and a department administrator (dashboard, target list and search, a
   target, tasks, a draw, visits, items), 2 % staff logins (a write: session, last login, audit entry).
4. Per phase: requests sent, answered, errors (any status ≥ 400 but the expected none, or no answer),
   achieved rate, p50 / p95 / p99 / max latency; and the ratio of each phase's p99 to the baseline's
   measured in the same run. Goal (the issue): zero errors in every phase at 200 requests/s.

Loopback only; every wait is bounded. The figures are printed and written to ``bench/out/load_bench.json``.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
PASSWORD = "fairspot-demo"  # noqa: S105 - the demo district's published password (never in production: check --deploy)
THREADS = 64


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, **kw)


def prepare(db: str, targets: int, import_rows: int) -> tuple[dict, Path]:
    env = dict(os.environ, DEBUG="0", FAIRSPOT_JOB_STALE_SECONDS="600", FAIRSPOT_SESSION_IDLE_MINUTES="0")
    var = OUT / f"load-{db}"
    if var.exists():
        subprocess.run(["rm", "-rf", str(var)], check=True)
    var.mkdir(parents=True)
    env["FAIRSPOT_VAR_DIR"] = str(var)
    if db == "postgres":
        url = "postgres://postgres@127.0.0.1:5432/"
        for sql in ("DROP DATABASE IF EXISTS fairspot_load_bench", "CREATE DATABASE fairspot_load_bench"):
            subprocess.run(["psql", url + "postgres", "-qc", sql], check=True)
        env["DATABASE_URL"] = url + "fairspot_load_bench"
    else:
        env.pop("DATABASE_URL", None)
    run(["migrate", "--no-input", "-v", "0"], env)
    run(["seed_demo", "--targets", str(targets)], env, stdout=subprocess.DEVNULL)
    run(["collectstatic", "--no-input", "-v", "0"], env)
    path = OUT / f"load-import-{import_rows}.csv"
    if not path.exists():
        code = (
            "import sys, django; from pathlib import Path; django.setup(); "
            "from fairspot.hub.demo import DemoDistrict; "
            f"Path(DemoDistrict(Path(sys.argv[1]), seed=7).write_targets({import_rows})).rename(sys.argv[2])"
        )
        scratch = OUT / "load-import-scratch"
        env_py = dict(env, DJANGO_SETTINGS_MODULE="fairspot.settings")
        subprocess.run([PY, "-c", code, str(scratch), str(path)], cwd=ROOT, env=env_py, check=True)
    return env, path


class Session:
    """A logged-in staff user's cookies (one login; the session is shared by the client threads)."""

    def __init__(self, port: int, username: str):
        self.port, self.username = port, username
        self.cookies = login(port, username)


def login(port: int, username: str) -> dict[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    cookies = dict(re.findall(r"(csrftoken)=([^;]+)", response.getheader("Set-Cookie") or ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Referer": f"http://127.0.0.1:{port}/accounts/login/",
    }
    conn.request("POST", "/accounts/login/", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    set_cookie = response.getheader("Set-Cookie") or ""
    cookies.update(re.findall(r"(sessionid|csrftoken)=([^;]+)", set_cookie))
    conn.close()
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"login as {username} failed: HTTP {response.status}")
    return cookies


def discover(port: int, staff: Session) -> dict[str, list[str]]:
    """Real URLs of the demo district: a task, a draw, targets (read from the pages themselves)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookie = "; ".join(f"{k}={v}" for k, v in staff.cookies.items())

    def get(path: str, auth: bool) -> str:
        conn.request("GET", path, headers={"Cookie": cookie} if auth else {})
        response = conn.getresponse()
        return response.read().decode(errors="replace")

    tasks = re.findall(r'href="(/public/tasks/[^"/]+/)"', get("/public/tasks/", False))
    draws = re.findall(r'href="(/public/draws/[^"/]+/)"', get(tasks[0], False)) if tasks else []
    targets = re.findall(r'href="(/directory/\d+/)"', get("/directory/", True))
    found = get("/public/targets/?q=%E6%96%B0%E4%B9%A1", False)  # 新乡
    public_targets = re.findall(r'href="(/public/targets/[^"]+/)"', found)
    staff_draws = re.findall(r'href="(/draws/[A-Z0-9-]+/)"', get("/draws/", True))
    conn.close()
    public = ["/public/", "/public/tasks/", "/public/items/", *tasks[:3], *draws[:2], *public_targets[:5]]
    private = [
        "/",
        "/directory/",
        "/directory/?q=%E7%A7%91%E6%8A%80",
        *targets[:10],
        "/draws/",
        *staff_draws[:2],
        "/inspections/",
        "/items/",
    ]
    return {"public": public, "staff": private}


class Load:
    def __init__(self, port: int, urls: dict[str, list[str]], sessions: list[Session], rate: int):
        self.port, self.urls, self.sessions, self.rate = port, urls, sessions, rate
        self.jobs: queue.Queue = queue.Queue()
        self.results: list[tuple[float, float, int, str]] = []  # (start, seconds, status, path)
        self.lock = threading.Lock()
        self.logins = itertools.cycle(["office", "market", "xfjy"])
        self.failures: dict[str, int] = {}
        self.retries = 0

    def pick(self, rng: random.Random) -> tuple[str, str, Session | None]:
        roll = rng.random()
        if roll < 0.60:
            return "GET", rng.choice(self.urls["public"]), None
        if roll < 0.98:
            return "GET", rng.choice(self.urls["staff"]), rng.choice(self.sessions)
        return "LOGIN", next(self.logins), None

    def worker(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while True:
            job = self.jobs.get()
            if job is None:
                return
            method, path, session = job
            start = time.perf_counter()
            status = 0
            try:
                if method == "LOGIN":
                    login(self.port, path)
                    status = 302
                else:
                    headers = {}
                    if session is not None:
                        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
                    try:
                        conn.request("GET", path, headers=headers)
                        response = conn.getresponse()
                    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                        # the server closed an idle keep-alive connection (a worker replaced by the
                        # reload): like every browser (RFC 9112 §9.3.1), retry a GET once on a new one
                        with self.lock:
                            self.retries += 1
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                        conn.request("GET", path, headers=headers)
                        response = conn.getresponse()
                    response.read()
                    status = response.status
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()
            except (OSError, http.client.HTTPException, SystemExit) as exc:
                status = -1
                with self.lock:
                    self.failures[type(exc).__name__ + ": " + str(exc)[:80]] = (
                        self.failures.get(type(exc).__name__ + ": " + str(exc)[:80], 0) + 1
                    )
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            elapsed = time.perf_counter() - start
            with self.lock:
                self.results.append((start, elapsed, status, path if method == "GET" else "login"))

    def drive(self, seconds: int, at_half=None) -> None:
        threads = [threading.Thread(target=self.worker, daemon=True) for _ in range(THREADS)]
        for t in threads:
            t.start()
        rng = random.Random(1)
        begin = time.perf_counter()
        total = self.rate * seconds
        fired = False
        for n in range(total):
            due = begin + n / self.rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            if at_half is not None and not fired and n >= total // 2:
                fired = True
                at_half()
            self.jobs.put(self.pick(rng))
        for _ in threads:
            self.jobs.put(None)
        for t in threads:
            t.join(timeout=60)
        self.elapsed = time.perf_counter() - begin


def summary(name: str, load: Load) -> dict:
    rows = load.results
    ok = [r for r in rows if 200 <= r[2] < 400]
    errors: dict[str, int] = {}
    for _, _, status, _path in rows:
        if not 200 <= status < 400:
            key = f"HTTP {status}" if status > 0 else "no answer"
            errors[key] = errors.get(key, 0) + 1
    lat = sorted(r[1] for r in rows)

    def pct(p: float) -> float:
        return round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else 0.0

    return {
        "phase": name,
        "sent": len(rows),
        "answered_ok": len(ok),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "rate": round(len(rows) / load.elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(1000 * lat[-1], 1) if lat else 0.0,
        "failures": load.failures,
        "keepalive_retries": load.retries,
        "slowest_paths": slowest(rows),
    }


def slowest(rows) -> list[tuple[str, float]]:
    """The five paths with the highest mean latency (ms), to see where the time goes."""
    by_path: dict[str, list[float]] = {}
    for _, seconds, _, path in rows:
        by_path.setdefault(path, []).append(seconds)
    means = [(path, round(1000 * sum(v) / len(v), 1)) for path, v in by_path.items()]
    return sorted(means, key=lambda item: -item[1])[:5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--targets", type=int, default=20000)
    parser.add_argument("--import-rows", type=int, default=200000)
    parser.add_argument("--phases", default="baseline,reload,import")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env, import_file = prepare(args.db, args.targets, args.import_rows)
    port = free_port()
    genv = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ERROR_LOG=str(OUT / "load-gunicorn.log"))
    gunicorn = str(Path(PY).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "-c", "gunicorn.conf.py"], cwd=ROOT, env=genv)
    worker = subprocess.Popen([PY, "manage.py", "db_worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    phases = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        sessions = [Session(port, "office"), Session(port, "market")]
        urls = discover(port, sessions[1])
        print(
            f"{len(urls['public'])} public and {len(urls['staff'])} staff URLs; {args.rate} req/s, "
            f"{args.seconds} s per phase, {args.db}",
            flush=True,
        )
        for name in args.phases.split(","):
            load = Load(port, urls, sessions, args.rate)
            importer = None
            if name == "import":
                importer = subprocess.Popen(
                    [PY, "manage.py", "import_targets", str(import_file), "--department", "SCJG"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.STDOUT,
                )
            hup = (lambda: os.kill(server.pid, signal.SIGHUP)) if name == "reload" else None
            load.drive(args.seconds, at_half=hup)
            result = summary(name, load)
            if importer is not None:
                result["import_still_running"] = importer.poll() is None
                importer.wait(timeout=1800)
                result["import_exit"] = importer.returncode
            phases.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        for proc in (worker, server):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    base = next((p for p in phases if p["phase"] == "baseline"), None)
    print(
        f"\n{'phase':10} {'sent':>6} {'errors':>6} {'rate/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'p99/base':>8}"
    )
    for p in phases:
        ratio = f"{p['p99_ms'] / base['p99_ms']:.2f}" if base and base["p99_ms"] else "-"
        print(
            f"{p['phase']:10} {p['sent']:>6} {p['errors']:>6} {p['rate']:>7} {p['p50_ms']:>7} "
            f"{p['p95_ms']:>7} {p['p99_ms']:>7} {p['max_ms']:>7} {ratio:>8}"
        )
    total_errors = sum(p["errors"] for p in phases)
    print(f"errors={total_errors} worst_p99_ms={max((p['p99_ms'] for p in phases), default=0)}")
    (OUT / "load_bench.json").write_text(json.dumps(phases, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
