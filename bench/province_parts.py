"""The two child processes of ``bench/province_bench.py``: loading a province, measuring Fairspot on it.

Run only through ``province_bench.py`` (it sets ``DATABASE_URL`` and ``FAIRSPOT_VAR_DIR``)."""

from __future__ import annotations

import random
import re
import statistics
import time
from datetime import date, datetime
from decimal import Decimal
from itertools import accumulate

SEED = 20261205
VALUE = "a1b2c3d4e5f60718293a4b5c6d7e8f90"  # the ceremony's value, entered by two officers
SECTIONS = "ABCDEFGHIJKLMNOPQRST"
PLACES = list("东西南北中新华安宏泰盛远通达兴隆丰和顺利嘉信诚德永康福瑞祥昌茂源鑫龙凤金银海天")
WORDS = ["科技", "贸易", "建材", "食品", "机械", "物流", "商贸", "电子", "农业", "化工", "服饰", "餐饮"]
WORDS += ["医药", "环保", "能源", "文化", "传媒", "汽修", "家居", "五金", "印刷", "包装", "酒业", "茶业"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "商行", "经营部", "门市部", "合作社", "店"]


def _setup() -> None:
    import django

    django.setup()


# --- loading ---------------------------------------------------------------------------------------
def load(args) -> dict:
    _setup()
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--targets", "2000", verbosity=0)
    _departments(args.departments)
    towns = _townships(args.townships)
    _targets(args.targets, towns)
    return {"seconds": time.perf_counter() - start}


def _departments(n: int) -> None:
    from fairspot.accounts.models import Department
    from fairspot.items.models import CheckItem

    rows = [
        Department(code=f"P{i:03d}", name=f"省直部门{i:03d}", short_name=f"部门{i:03d}") for i in range(n)
    ]
    Department.objects.bulk_create(rows)
    items = []
    for dept in Department.objects.filter(code__startswith="P"):
        for k in (1, 2):
            items.append(
                CheckItem(
                    department=dept,
                    code=f"{dept.code}-{k:02d}",
                    name=f"{dept.short_name}检查事项{k}",
                    item_type="general",
                    default_ratio=Decimal("0.03"),
                    ratio_cap=Decimal("0.1"),
                    legal_basis="《市场监督管理行政处罚程序规定》",
                    effective_from=date(2026, 1, 1),
                    published=True,
                )
            )
    CheckItem.objects.bulk_create(items)


def _townships(n: int) -> list[str]:
    from fairspot.reference.models import Division

    rng = random.Random(SEED)
    rows = []
    for i in range(n):
        kind = rng.choice(["镇", "乡", "街道"])
        name = "".join(rng.choice(PLACES) for _ in range(2)) + kind
        rows.append(Division(code=f"49{i:07d}", code12=f"49{i:07d}000", name=name, level="乡级", type=kind))
    Division.objects.bulk_create(rows)
    return [r.code for r in rows]


COLUMNS = (
    "identifier, name, entity_type, registry_type, industry_code, industry_section, township_id, "
    "registration_authority, address, legal_representative, status, established_on, risk_class, abnormal, "
    "tags, department_id, created_at, updated_at"
)


def _rows(n: int, towns: list[str], department_id: int, now: str):
    """Deterministic targets: Zipf-like township sizes, realistic mixes of kinds, statuses and classes."""
    from fairspot.lib.uscc import check_char

    rng = random.Random(SEED)
    town_weights = list(accumulate(1 / (r + 1) ** 0.8 for r in range(len(towns))))
    picks = rng.choices(towns, cum_weights=town_weights, k=n)
    statuses = ["active"] * 92 + ["cancelled"] * 5 + ["revoked"] * 2 + ["moved_out"]
    classes = ["A"] * 15 + ["B"] * 55 + ["C"] * 20 + ["D"] * 5 + [""] * 5
    for i in range(n):
        first17 = f"914107{i:011d}"
        section = SECTIONS[(i * 7 + i // 13) % 20]
        kind = "individual" if i % 10 < 3 else ("cooperative" if i % 50 == 0 else "enterprise")
        name = rng.choice(PLACES) + rng.choice(PLACES) + rng.choice(WORDS) + rng.choice(FORMS)
        yield (
            first17 + check_char(first17),
            name,
            kind,
            "",
            f"{(i % 90) + 1:02d}",
            section,
            picks[i],
            "省市场监督管理局",
            f"{picks[i]}号路{i % 997}号",
            "",
            rng.choice(statuses),
            f"{2000 + i % 26}-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}",
            rng.choice(classes),
            i % 97 == 0,
            "",
            department_id,
            now,
            now,
        )


def _targets(n: int, towns: list[str]) -> None:
    from django.db import connection, transaction

    from fairspot.accounts.models import Department

    dept = Department.objects.get(code="SCJG").pk
    now = datetime.now().astimezone().isoformat()
    rows = _rows(n, towns, dept, now)
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # Indexes not backing a constraint are dropped for the load and built once after it
            # (a bulk load's usual practice; the GIN trigram index alone doubles the load).
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'directory_target'"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
            )
            indexes = cursor.fetchall()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending at CREATE INDEX
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            raw = cursor.cursor  # psycopg's own cursor: COPY
            with raw.copy(f"COPY directory_target ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute("ANALYZE")
        return
    placeholders = ", ".join(["%s"] * len(COLUMNS.split(",")))
    sql = f"INSERT INTO directory_target ({COLUMNS}) VALUES ({placeholders})"
    batch: list = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == 100_000:
                with transaction.atomic():
                    cursor.executemany(sql, batch)
                batch.clear()
        with transaction.atomic():
            cursor.executemany(sql, batch)
        cursor.execute("ANALYZE")


# --- measuring -------------------------------------------------------------------------------------
NAV = re.compile(r'<nav class="main".*?</nav>', re.S)
HREF = re.compile(r'href="(/[^"#?]*)"')
TBODY = re.compile(r"<tbody>(.*?)</tbody>", re.S)
SKIP = re.compile(
    r"(export=|/files/|/logout|/i18n/|/admin/|/static/|/media/|download|/file/|feed/|/api/|password|\.\w{2,4}$)"
)


def _timed(client, url: str, n: int, **params) -> dict:
    response = client.get(url, params)  # warm-up
    status, size = response.status_code, len(response.content)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - t) * 1000)
        status = status if status != 200 else response.status_code
    times.sort()
    return {
        "url": url + (f"?{'&'.join(f'{k}={v}' for k, v in params.items())}" if params else ""),
        "status": status,
        "p50_ms": statistics.median(times),
        "p95_ms": times[max(0, round(0.95 * len(times)) - 1)],
        "kib": size / 1024,
    }


def _pages(client, who: str, n: int) -> list[dict]:
    home = client.get("/").content.decode()
    nav = NAV.search(home)
    menu = list(dict.fromkeys(u for u in HREF.findall(nav.group(0) if nav else "") if not SKIP.search(u)))
    out = [dict(_timed(client, "/", n), user=who)]
    seen = {"/"}
    for url in menu:
        if url in seen:
            continue
        seen.add(url)
        page = dict(_timed(client, url, n), user=who)
        out.append(page)
        body = client.get(url).content.decode()
        table = TBODY.search(body)
        links = HREF.findall(table.group(1)) if table else []
        detail = next((u for u in links if not SKIP.search(u) and u not in seen), None)
        if detail:
            seen.add(detail)
            out.append(dict(_timed(client, detail, n), user=who))
        if url.rstrip("/").endswith("/directory"):
            out.append(dict(_timed(client, url, n, q="华安科技"), user=who))
            sampled = _sampled_name()
            if sampled:
                out.append(dict(_timed(client, url, n, q=sampled), user=who))
    return out


def _sampled_name() -> str | None:
    """PostgreSQL: a firm's name from the planner's own sample of the directory's names, which it
    over-estimates (``fairspot/core/newest_first.py``: such a search walked the whole directory)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (histogram_bounds::text::text[])[11] FROM pg_stats"
            " WHERE tablename = 'directory_target' AND attname = 'name'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def measure(args) -> dict:
    _setup()
    from django.db import connection
    from django.test import Client

    from fairspot.accounts.models import User

    office, market = User.objects.get(username="office"), User.objects.get(username="market")
    _statistics_as_autovacuum_keeps_them()
    pages = []
    for who, user in (("office", office), ("market", market)):
        client = Client()
        client.force_login(user)
        pages += _pages(client, who, args.requests)
    stats = Client()
    stats.force_login(office)
    stats_ms = _timed(stats, "/stats/", 3)["p50_ms"]
    draw = _preview(market) if args.skip_draw else _draw(args, market, office)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM directory_target")
        targets = cursor.fetchone()[0]
    return {"targets": targets, "pages": pages, "stats_ms": stats_ms, **draw}


def _statistics_as_autovacuum_keeps_them() -> None:
    """This machine's PostgreSQL runs with autovacuum off (its CI configuration), so the planner's
    statistics miss whatever earlier runs added (each revealed province draw adds 46,000 drawn
    targets) and it picks poor plans. A production server's autovacuum analyzes them; so does this."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "off":
            print("autovacuum is off on this server: ANALYZE first, as it would", flush=True)
            cursor.execute("ANALYZE")


def _province_task(market, ratio: str):
    from fairspot.draws import services
    from fairspot.items.models import CheckItem

    return services.task_create(
        actor=market,
        items=[CheckItem.objects.get(department__code="SCJG", code="A07")],
        values={"code": f"PROVINCE-{int(time.time())}", "title": "全省企业公示信息抽查",
                "inspection_date": date(2026, 12, 21), "ratio": Decimal(ratio), "alternates": 1},
    )  # fmt: skip


def _preview(market, task=None) -> dict:
    from django.test import Client

    from fairspot.draws import preview

    task = task or _province_task(market, "0.001")
    t = time.perf_counter()
    preview.preview_for(task)  # counted (in the worker in production), then kept
    first = time.perf_counter() - t
    client = Client()
    client.force_login(market)
    page = _timed(client, f"/draws/tasks/{task.pk}/", 5)
    return {"preview_first_s": round(first, 3), "preview_s": round(page["p95_ms"] / 1000, 3)}


def _draw(args, market, office) -> dict:

    from fairspot.draw import draw as engine_draw
    from fairspot.draw.canonical import parse_canonical_json
    from fairspot.draws import services
    from fairspot.draws.files import draw_dir
    from fairspot.draws.models import Task
    from fairspot.hub.demo_results import CEREMONY

    task = _province_task(market, args.ratio)
    counted = _preview(market, task)
    t = time.perf_counter()
    draw = services.draw_commit(actor=market, task=Task.objects.get(pk=task.pk), sources=[CEREMONY])
    commit_s = time.perf_counter() - t
    for user in (market, office):
        services.source_enter(
            actor=user, draw=draw, name="ceremony", value="a1b2c3d4e5f60718293a4b5c6d7e8f90"
        )
    t = time.perf_counter()
    draw = services.draw_reveal(actor=market, draw=draw)
    reveal_s = time.perf_counter() - t
    folder = draw_dir(draw.draw_id) / "targets"
    manifest = parse_canonical_json((folder / "manifest.json").read_bytes())
    sources = {"ceremony": VALUE}
    data = (folder / "population.csv").read_bytes()
    t = time.perf_counter()
    engine_draw(manifest, data, sources)  # parse + draw, as a verifier does
    engine_s = time.perf_counter() - t
    return {
        **counted,
        "commit_s": round(commit_s, 2),
        "reveal_s": round(reveal_s, 2),
        "engine_s": round(engine_s, 2),
        "population": draw.population_size,
        "selected": draw.drawn.filter(alternate=False).count(),
        "teams": draw.teams.count(),
        "matching_problem": draw.matching_problem[:200],
    }
