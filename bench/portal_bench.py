"""Benchmark: public search of 1,000,000 published results, and the portal's throughput.

    .venv/bin/python bench/portal_bench.py [--rows 1000000] [--db sqlite|postgres|both]
                                          [--samples 300] [--duration 5] [--rounds 6]
                                          [--skip-wrk] [--reload]

Per database:

1. A fresh database holding ``--rows`` ``opendata.PublishedResult`` rows (the read model the public page
   and the API search): SQLite ``bench/out/portal-<rows>.sqlite3``; PostgreSQL ``fairspot_portal_bench``
   on 127.0.0.1:5432. ``migrate``, then a bulk load (SQLite ``executemany`` in one transaction, the FTS5
   trigram index filled by the triggers; PostgreSQL ``COPY``, the search indexes dropped and re-created
   around it). The database is kept and reused while it holds the same number of rows (``--reload``
   forces a new one).
2. Latency: in a child process, ``--samples`` requests each of ``/public/results/?q=<统一社会信用代码>``
   (exact code, random rows) and ``?q=<part of a name>`` (4 characters from the middle of a random
   row's name, e.g. ``凯瑞科技``), through Django's test client (the whole view: middleware, query,
   template); p50/p95/max in ms. Goal: p95 <= 50 ms for both. On PostgreSQL also up to 60 fragments of
   the names in the planner's own sample (``pg_stats``), which it over-estimates; their slowest.
3. Throughput: ``gunicorn -c gunicorn.conf.py`` on 127.0.0.1 (a free port; 2 workers x 2 threads unless
   ``GUNICORN_WORKERS`` / ``GUNICORN_THREADS`` say otherwise), then ``wrk`` (Debian package ``wrk``;
   installed with apt-get when missing, if we are root) for ``--duration`` seconds against the trivial
   view ``/api/v1/ping`` and against ``/public/results/?q=<name>`` (a Lua script rotates 200 names),
   alternated ``--rounds`` times (default 6 x 5 s); the mean requests/s of each, and as the ratio the
   median over rounds of results ÷ ping measured back to back (this machine's speed changes by up to
   1.6x within minutes, which moved a ratio of two means from 33 % to 56 % between runs of the same
   code). Goal: results >= 50 % of ping.

Loopback only; every loop is bounded. The figures and the machine's load average are printed and
written to ``bench/out/portal_bench.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VAR = OUT / "portal-var"
PG_URL_BASE = "postgres://postgres@127.0.0.1:5432/"
PG_DB = "fairspot_portal_bench"
SEED = 20261128
TABLE = "opendata_publishedresult"
COLUMNS = [
    "source_id",
    "target_identifier",
    "target_name",
    "entity_type",
    "legal_representative",
    "item_code",
    "item_name",
    "department",
    "authority",
    "plan_code",
    "plan_title",
    "task_code",
    "task_title",
    "inspection_type",
    "inspection_date",
    "completion_date",
    "result_code",
    "result_label",
    "remarks",
    "corrected",
    "published_at",
    "updated_at",
    "digest",
]
REGIONS = [
    "新乡市",
    "新乡高新区",
    "卫辉市",
    "辉县市",
    "获嘉县",
    "原阳县",
    "延津县",
    "封丘县",
    "长垣市",
    "河南",
]
CORE = (
    "安邦宝博昌诚达鼎东丰福富光广国海恒弘鸿华汇佳嘉建金锦京晶精俊凯康科坤朗乐力立利联隆龙美明"
    "楠宁诺鹏品平普奇启瑞润森盛晟胜圣世顺泰腾天通同万伟文祥鑫欣新星兴旭亚扬耀易谊益银英永裕元远"
    "跃云泽展振正志智中众卓子宗豪浩辉惠吉骏亮林苗敏鸣启庆荣润尚生书舒硕松棠涛伦维炜贤翔勋雅彦毅"
)
INDUSTRY = ["科技", "电池", "能源", "生物", "医药", "航空", "数据", "商贸", "建材", "餐饮",
            "食品", "机械", "电子", "物流", "化工", "纺织", "汽车", "材料", "环保", "农业"]  # fmt: skip
SUFFIX = ["有限公司", "股份有限公司", "有限责任公司", "便利店", "经营部", "农民专业合作社"]
RESULTS = [("1", "未发现问题"), ("E", "发现问题经责令已改正"), ("2", "未发现开展本次抽查涉及的经营活动"),
           ("A", "未按规定公示应当公示的信息"), ("5", "已关闭停业或正在组织清算")]  # fmt: skip
DEPARTMENTS = ["高新区市场监管工作小组", "高新区消防救援大队", "高新区生态环境分局", "高新区应急管理局",
               "高新区税务局", "高新区卫生健康委员会", "高新区住建局", "高新区交通运输局"]  # fmt: skip


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- data ----------------------------------------------------------------------------------------
def _uscc(t: int, individual: bool) -> str:
    """A distinct 18-character identifier per target (shaped like a 统一社会信用代码, not checksummed)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    n, body = t * 7919 + 104729, ""
    for _ in range(10):
        n, r = divmod(n, len(alphabet))
        body = alphabet[r] + body
    return ("92410771" if individual else "91410771") + body


def generate(rows: int):
    """``rows`` tuples in COLUMNS order: ~4 results per target, published in order of ``id``."""
    rnd = random.Random(SEED)
    targets = max(1, rows // 4)
    start = datetime(2021, 1, 4, 9, 0, tzinfo=UTC)
    step = (datetime(2026, 11, 1, tzinfo=UTC) - start) / rows
    names = []
    for _ in range(targets):
        core = rnd.choice(CORE) + rnd.choice(CORE)
        names.append(f"{rnd.choice(REGIONS)}{core}{rnd.choice(INDUSTRY)}{rnd.choice(SUFFIX)}")
    for i in range(rows):
        t = rnd.randrange(targets)
        name = names[t]
        individual = name.endswith(("便利店", "经营部"))
        identifier = _uscc(t, individual)
        published = start + step * i
        day = (published - timedelta(days=rnd.randint(5, 25))).date()
        department = rnd.choice(DEPARTMENTS)
        code, label = rnd.choice(RESULTS)
        item = rnd.randrange(30)
        yield (
            i + 1,
            identifier,
            name,
            "individual" if individual else "enterprise",
            rnd.choice("王李张刘陈杨赵黄周吴") + "*",
            f"SJ{item:03d}",
            f"检查事项{item}",
            department,
            department,
            f"JH-{published.year}-{item % 5}",
            f"{published.year}年度部门联合抽查计划",
            f"RW-{published.year}-{i // 5000:04d}",
            f"第{i // 5000 % 12 + 1}批次抽查",
            "不定向抽查",
            day,
            day + timedelta(days=3),
            code,
            label,
            "" if rnd.random() < 0.7 else "已责令整改",
            False,
            published,
            published,
            "0" * 64,
        )


def sample_queries(rows: int, count: int) -> tuple[list[str], list[str]]:
    """Codes (exact) and name fragments of ``count`` random rows."""
    wanted = set(random.Random(SEED + 1).sample(range(1, rows + 1), min(count, rows)))
    codes, names = [], []
    for row in generate(rows):
        if row[0] in wanted:
            codes.append(row[1])
            name = row[2]
            region = next(r for r in REGIONS if name.startswith(r))
            names.append(name[len(region) : len(region) + 4])  # 2 characters of the core + the industry
    return codes, names


# --- databases -----------------------------------------------------------------------------------
def env_for(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        FAIRSPOT_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="fairspot.settings",
        DEBUG="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env_for(url), check=True)


def sqlite_prepare(rows: int, reload: bool) -> str:
    import sqlite3

    path = OUT / f"portal-{rows}.sqlite3"
    url = f"sqlite:///{path}"
    if path.exists() and not reload:
        with sqlite3.connect(path) as db:
            try:
                (have,) = db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
            except sqlite3.Error:
                have = -1
        if have == rows:
            log(f"sqlite: reusing {path} ({rows} rows)")
            return url
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    log("sqlite: migrate")
    manage(url, "migrate", "--no-input", "-v", "0")
    log(f"sqlite: loading {rows} rows")
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    marks = ",".join("?" * len(COLUMNS))
    sql = f"INSERT INTO {TABLE} ({','.join(COLUMNS)}) VALUES ({marks})"

    def plain(rows_):
        for row in rows_:
            yield tuple(v.isoformat(sep=" ") if isinstance(v, datetime) else v for v in row)

    with db:
        db.executemany(sql, plain(generate(rows)))
    db.execute("ANALYZE")
    db.close()
    log(f"sqlite: loaded in {time.perf_counter() - started:.0f} s")
    return url


def postgres_prepare(rows: int, reload: bool) -> str:
    import psycopg

    url = PG_URL_BASE + PG_DB
    with psycopg.connect(PG_URL_BASE + "postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone()
        if exists and not reload:
            try:
                with psycopg.connect(url) as db:
                    (have,) = db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
            except psycopg.Error:
                have = -1
            if have == rows:
                log(f"postgres: reusing {PG_DB} ({rows} rows)")
                return url
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        admin.execute(f"CREATE DATABASE {PG_DB}")
    log("postgres: migrate")
    manage(url, "migrate", "--no-input", "-v", "0")
    sys.path.insert(0, str(ROOT))
    search = importlib.import_module("fairspot.opendata.migrations.0002_search_indexes")
    log(f"postgres: loading {rows} rows")
    started = time.perf_counter()
    with psycopg.connect(url) as db:
        for statement in search.POSTGRES_REVERSE:
            db.execute(statement)
        db.execute("DROP INDEX IF EXISTS pubres_name_prefix")
        db.execute("DROP INDEX IF EXISTS pubres_identifier")
        with db.cursor().copy(f"COPY {TABLE} ({','.join(COLUMNS)}) FROM STDIN") as copy:
            for row in generate(rows):
                copy.write_row(row)
        db.execute(f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), {rows})")
        db.commit()
        log(f"postgres: copied in {time.perf_counter() - started:.0f} s; indexing")
        db.execute(f"CREATE INDEX pubres_identifier ON {TABLE} (target_identifier varchar_pattern_ops)")
        db.execute(f"CREATE INDEX pubres_name_prefix ON {TABLE} (target_name varchar_pattern_ops)")
        for statement in search.POSTGRES_SQL:
            db.execute(statement)
        db.commit()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f"VACUUM ANALYZE {TABLE}")
    log(f"postgres: loaded and indexed in {time.perf_counter() - started:.0f} s")
    return url


# --- latency (child process) ---------------------------------------------------------------------
def latency_child(codes: list[str], names: list[str]) -> dict:
    import django

    django.setup()
    from django.test import Client

    client = Client()

    def measure(queries):
        for q in queries[:20]:  # warm-up
            client.get("/public/results/", {"q": q})
        times = []
        for q in queries:
            started = time.perf_counter()
            response = client.get("/public/results/", {"q": q})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (q, response.status_code)
            assert f"{q}".encode() in response.content or q.upper().encode() in response.content, q
        times.sort()
        return {
            "n": len(times),
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(statistics.quantiles(times, n=20)[18], 2),
            "max_ms": round(times[-1], 2),
        }

    figures = {"by_code": measure(codes), "by_name": measure(names)}
    sampled = planner_sample_names()
    if sampled:
        figures["by_sampled_name"] = measure(sampled)
    return figures


def planner_sample_names() -> list[str]:
    """PostgreSQL: 4 characters from names in the planner's sample of the trigram index's expression
    (``pg_stats``), after the region: the fragments it over-estimates at 1 % of the table, for which it
    would walk the whole table newest first (``fairspot/core/newest_first.py``)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT histogram_bounds::text::text[] FROM pg_stats WHERE tablename = 'pubres_name_trgm'"
        )
        found = cursor.fetchone()
    names = (found[0] or []) if found else []
    return [name[3:7] for name in names if len(name) >= 7][:60]


def latency(url: str, codes: list[str], names: list[str]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"codes": codes, "names": names}, handle)
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--latency-child", handle.name],
            cwd=ROOT,
            env={**env_for(url), "FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS": "0"},
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(handle.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- throughput ----------------------------------------------------------------------------------
def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing: apt-get install -y wrk")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian package wrk), or run with --skip-wrk")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(port: int, seconds: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ping", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not come up")


def wrk_rps(wrk: str, url: str, duration: int, script: str | None = None) -> float:
    command = [wrk, "-t2", "-c8", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(out)


@contextlib.contextmanager
def serve(url: str, **extra: str):
    """gunicorn -c gunicorn.conf.py on a free loopback port; yields the base URL."""
    port = free_port()
    env = env_for(url)
    env.setdefault("GUNICORN_WORKERS", "2")
    env.setdefault("GUNICORN_THREADS", "2")
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ACCESS_LOG="", **extra)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_up(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def paired_ratio(results: list[float], ping: list[float]) -> float:
    """The median over rounds of results ÷ ping, each pair measured back to back: this machine's speed
    changes by up to 1.6x from one minute to the next, which moves a ratio of two means by as much."""
    return statistics.median(r / p for r, p in zip(results, ping, strict=True))


def throughput(url: str, names: list[str], duration: int, rounds: int) -> dict:
    wrk = ensure_wrk()
    lua = OUT / "portal_bench_names.lua"
    paths = ", ".join(f'"/public/results/?q={quote(n)}"' for n in names[:200])
    lua.write_text(
        f"local paths = {{{paths}}}\nmath.randomseed({SEED})\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n",
        encoding="utf-8",
    )
    ping, results = [], []
    with serve(url) as base:
        wrk_rps(wrk, f"{base}/api/v1/ping", 2)  # warm-up
        wrk_rps(wrk, f"{base}/public/results/", 2, str(lua))
        for _ in range(rounds):
            ping.append(wrk_rps(wrk, f"{base}/api/v1/ping", duration))
            results.append(wrk_rps(wrk, f"{base}/public/results/", duration, str(lua)))
    bare_ping, bare = [], []  # the page cache off: every request runs the search and the template
    with serve(url, FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS="0") as base:
        wrk_rps(wrk, f"{base}/public/results/", 2, str(lua))
        for _ in range(rounds):  # alternated, like the cached runs, so a busy moment hits both
            bare_ping.append(wrk_rps(wrk, f"{base}/api/v1/ping", duration))
            bare.append(wrk_rps(wrk, f"{base}/public/results/", duration, str(lua)))
    uncached, uncached_ping = statistics.mean(bare), statistics.mean(bare_ping)
    p, r = statistics.mean(ping), statistics.mean(results)
    return {
        "ping_rps": round(p, 1),
        "results_rps": round(r, 1),
        "ratio": round(paired_ratio(results, ping), 3),
        "runs": {"ping": ping, "results": results},
        "without_page_cache": {
            "results_rps": round(uncached, 1),
            "ping_rps": round(uncached_ping, 1),
            "ratio": round(paired_ratio(bare, bare_ping), 3),
            "runs": {"ping": bare_ping, "results": bare},
        },
        "server": "gunicorn -c gunicorn.conf.py, 2 workers x 2 threads (gthread); wrk -t2 -c8",
    }


# --- main ----------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--rounds", type=int, default=6, help="ping/results pairs, cached and uncached")
    parser.add_argument("--skip-wrk", action="store_true")
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--latency-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.latency_child:
        queries = json.loads(Path(args.latency_child).read_text())
        print(json.dumps(latency_child(queries["codes"], queries["names"])))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    VAR.mkdir(parents=True, exist_ok=True)
    report = {
        "rows": args.rows,
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg(),
        "started": datetime.now().isoformat(timespec="seconds"),
    }
    codes, names = sample_queries(args.rows, args.samples)
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        url = (
            sqlite_prepare(args.rows, args.reload)
            if db == "sqlite"
            else postgres_prepare(args.rows, args.reload)
        )
        log(f"{db}: latency ({args.samples} searches by code, {args.samples} by name)")
        figures = {"latency": latency(url, codes, names), "load": os.getloadavg()}
        log(f"{db}: {json.dumps(figures['latency'])}")
        if not args.skip_wrk:
            log(f"{db}: throughput (wrk, {args.duration} s per run)")
            figures["throughput"] = throughput(url, names, args.duration, args.rounds)
            log(f"{db}: {json.dumps(figures['throughput'])}")
        report[db] = figures
    report["load_after"] = os.getloadavg()
    (OUT / "portal_bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print()
    print(
        f"{args.rows:,} published results; load average before {report['load_before']},"
        f" after {report['load_after']}"
    )
    for db in ("sqlite", "postgres"):
        if db not in report:
            continue
        lat = report[db]["latency"]
        line = (
            f"{db:9s} p95 by code {lat['by_code']['p95_ms']:6.1f} ms,"
            f" by name {lat['by_name']['p95_ms']:6.1f} ms (goal <= 50)"
        )
        if "by_sampled_name" in lat:
            line += f", slowest of the planner's sampled names {lat['by_sampled_name']['max_ms']:.1f} ms"
        tp = report[db].get("throughput")
        if tp:
            line += (
                f"; results {tp['results_rps']:.0f} req/s vs ping {tp['ping_rps']:.0f} req/s ="
                f" {tp['ratio'] * 100:.0f} % (goal >= 50 %); without the page cache"
                f" {tp['without_page_cache']['ratio'] * 100:.0f} %"
            )
        print(line)


if __name__ == "__main__":
    main()
