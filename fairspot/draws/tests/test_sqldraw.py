"""The in-database srs draw (fairspot.draws.sqldraw) selects what the engine selects and writes the same
bundle bytes. These tests run on PostgreSQL (the CI's second pass) and are skipped on SQLite."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairspot.draw import build_manifest, commit_bundle, draw, reveal_bundle
from fairspot.draw.bundle import read_bundle
from fairspot.draw.errors import BundleError, DrawError, PopulationError
from fairspot.draw.partitioned import srs_plan
from fairspot.draw.population import population_from_rows
from fairspot.draw.sampling import smallest_keys
from fairspot.draw.seed import key_hasher, target_key_bytes
from fairspot.draws import sqldraw
from fairspot.testing.engine import SOURCES, spec

pytestmark = pytest.mark.django_db

TOWNS = ("关堤乡", "振中街道", 'Town, "X"', "城关镇", "路口村")


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the in-database draw runs on PostgreSQL only")


def population(n: int) -> list[dict[str, str]]:
    return [
        {"id": f"91410{i:013d}", "township": TOWNS[(i * 7) % len(TOWNS)], "section": "CFG"[(i // 2) % 3]}
        for i in range(n)
    ]


def two_way_spec(**overrides):
    base = {
        "stratify_by": ["township", "section"],
        "ratio": "0.15",
        "alternates": 2,
        # drawn in full (n = N, and alternates ask for more than the frame holds)
        "strata": [
            {"stratum": ["城关镇", "G"], "ratio": "1"},
            {"stratum": ["关堤乡", "C"], "sample_size": 2},
        ],
    }
    base.update(overrides)
    return spec(**base)


def reveal_both(tmp_path: Path, data, s) -> tuple[Path, Path]:
    engine_dir, sql_dir = tmp_path / "engine", tmp_path / "sql"
    commit_bundle(engine_dir, s, data)
    shutil.copytree(engine_dir, sql_dir)
    reveal_bundle(engine_dir, SOURCES)
    sqldraw.reveal_bundle_sql(sql_dir, SOURCES)
    return engine_dir, sql_dir


def test_the_keys_postgresql_computes_are_the_engine_keys_also_for_chinese_ids():
    ids = ["9141070000000000001", "企业甲-001", "路口村:合作社/2", "x" * 128, "Ā"]
    seed = bytes(range(32))
    with sqldraw.population_table(0) as staged:
        sqldraw.load_rows(staged, [{"id": i} for i in ids], [])
        got = sqldraw.smallest_keys_sql(staged, seed, {(): len(ids)}, [])
    want = sorted((target_key_bytes(seed, i), i.encode("utf-8")) for i in ids)
    assert got == {(): want}
    assert len({k for k, _ in want}) == len(ids)


def test_small_population_same_selection_as_the_engine():
    data = population(48)
    exclusions = [{"id": r["id"], "reason": "repeat_window"} for r in data[::9]]
    manifest, pop = build_manifest(data, two_way_spec(exclusions=exclusions))
    plan = srs_plan(manifest, SOURCES)
    sizes = {tuple(e["stratum"]): (e["n"], e["N"]) for e in plan.strata}
    assert sizes[("城关镇", "G")][0] == sizes[("城关镇", "G")][1] > 0  # n = N: the whole stratum
    assert plan.limits[("关堤乡", "C")] == sizes[("关堤乡", "C")][1]  # n + alternates ≥ N
    with sqldraw.population_table(2) as staged:
        sqldraw.load_rows(staged, reversed(data), ["township", "section"])  # row order does not matter
        assert sqldraw.draw_sql(staged, manifest, SOURCES) == draw(manifest, pop, SOURCES)
        selection = sqldraw.smallest_keys_sql(staged, plan.seed, plan.limits, plan.excluded)
    hasher, groups = key_hasher(plan.seed), population_from_rows(data, stratify_by=plan.stratify_by).groups
    for key, m in plan.limits.items():  # stratum by stratum, the engine's own selection step
        assert selection[key] == smallest_keys(hasher, groups[key], set(plan.excluded), m)


@pytest.mark.parametrize("scale", [1, 1000])
def test_the_key_bound_is_only_a_hint(scale):
    """A bound from wrong sizes leaves strata short; they are ranked again in full, same answer."""
    data = population(3000)
    out = [{"id": r["id"], "reason": "annual_cap"} for r in data[::13]]
    manifest, _ = build_manifest(data, two_way_spec(ratio="0.02", exclusions=out))
    plan = srs_plan(manifest, SOURCES)
    sizes = {tuple(e["stratum"]): (e["rows"] * scale, e["excluded"]) for e in manifest["strata"]}
    with sqldraw.population_table(2) as staged:
        sqldraw.load_rows(staged, data, ["township", "section"])
        full = sqldraw.smallest_keys_sql(staged, plan.seed, plan.limits, plan.excluded)
        hinted = sqldraw.smallest_keys_sql(staged, plan.seed, plan.limits, plan.excluded, sizes)
    assert hinted == full
    assert sum(map(len, full.values())) == sum(plan.limits.values()) > 100


def test_small_population_same_bundle_bytes(tmp_path):
    data = population(40)
    s = two_way_spec(exclusions=[{"id": data[3]["id"], "reason": "open_case"}])
    engine_dir, sql_dir = reveal_both(tmp_path, data, s)
    files = read_bundle(sql_dir)
    assert set(files) == {"SHA256SUMS", "manifest.json", "population.csv", "result.json", "sources.json"}
    assert files == read_bundle(engine_dir)


def test_a_stratum_whose_rows_are_all_excluded_is_a_recorded_zero(tmp_path):
    data = population(30)
    gone = [{"id": r["id"], "reason": "deregistered"} for r in data if r["township"] == "路口村"]
    engine_dir, sql_dir = reveal_both(tmp_path, data, two_way_spec(exclusions=gone))
    assert read_bundle(sql_dir) == read_bundle(engine_dir)


def test_twenty_thousand_rows_same_bundle_bytes(tmp_path):
    data = population(20_000)
    s = two_way_spec(ratio="0.03", exclusions=[{"id": r["id"], "reason": "annual_cap"} for r in data[::97]])
    engine_dir, sql_dir = tmp_path / "engine", tmp_path / "sql"
    commit_bundle(engine_dir, s, data)
    shutil.copytree(engine_dir, sql_dir)
    started = time.perf_counter()
    reveal_bundle(engine_dir, SOURCES)
    engine_s = time.perf_counter() - started
    started = time.perf_counter()
    result = sqldraw.reveal_bundle_sql(sql_dir, SOURCES)
    sql_s = time.perf_counter() - started
    print(f"20,000 rows: engine reveal {engine_s:.2f} s, in-database reveal {sql_s:.2f} s")
    assert result["selected_total"] > 500
    assert read_bundle(sql_dir) == read_bundle(engine_dir)


def test_the_table_must_be_the_committed_population():
    data = population(40)
    manifest, _ = build_manifest(data, two_way_spec())
    changed = [dict(r) for r in data]
    changed[5]["section"] = "F" if changed[5]["section"] != "F" else "C"  # one row moved to another stratum
    with sqldraw.population_table(2) as staged:
        sqldraw.load_rows(staged, changed, ["township", "section"])
        with pytest.raises(PopulationError, match="not the committed population"):
            sqldraw.draw_sql(staged, manifest, SOURCES)
    with sqldraw.population_table(2) as staged:
        sqldraw.load_rows(staged, data[:-1], ["township", "section"])
        with pytest.raises(PopulationError, match="not the committed population"):
            sqldraw.draw_sql(staged, manifest, SOURCES)


def test_the_strata_check_catches_what_the_manifest_does_not_say():
    data = population(40)
    manifest, _ = build_manifest(
        data, two_way_spec(exclusions=[{"id": data[0]["id"], "reason": "open_case"}])
    )
    with sqldraw.population_table(2) as staged:
        sqldraw.load_rows(staged, data, ["township", "section"])
        sqldraw.check_strata(staged, manifest, [data[0]["id"].encode()])
        with pytest.raises(PopulationError, match="strata differ"):
            sqldraw.check_strata(staged, manifest, [data[1]["id"].encode()])


def test_reveal_refuses_a_revealed_or_altered_bundle(tmp_path):
    data = population(30)
    _, sql_dir = reveal_both(tmp_path, data, two_way_spec())
    with pytest.raises(BundleError, match="already been revealed"):
        sqldraw.reveal_bundle_sql(sql_dir, SOURCES)
    fresh = tmp_path / "fresh"
    commit_bundle(fresh, two_way_spec(), data)
    pop = fresh / "population.csv"
    pop.write_bytes(pop.read_bytes().replace(b"\n9141", b"\n9142", 1))
    with pytest.raises(BundleError, match="do not match the index"):
        sqldraw.reveal_bundle_sql(fresh, SOURCES)
    assert sorted(p.name for p in fresh.iterdir()) == ["SHA256SUMS", "manifest.json", "population.csv"]


def test_pps_is_not_drawn_in_the_database():
    data = [dict(r, w="2") for r in population(20)]
    manifest, _ = build_manifest(data, two_way_spec(design="pps", weight_column="w", strata=[]))
    with sqldraw.population_table(2) as staged, pytest.raises(DrawError, match="only design srs"):
        sqldraw.draw_sql(staged, manifest, SOURCES)


ident = st.text(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.:/-", min_size=1, max_size=24
)
value = st.text(st.sampled_from(list('乡镇街道村ab ,"é')), min_size=1, max_size=6).map(str.strip).filter(bool)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(ident, value), min_size=1, max_size=60, unique_by=lambda r: r[0]),
    ratio=st.sampled_from(["0", "0.05", "0.3", "0.5", "1"]),
    alternates=st.integers(0, 5),
    drand=st.binary(min_size=32, max_size=32),
    excluded=st.sets(st.integers(0, 59), max_size=10),
)
def test_property_the_database_selects_what_the_engine_selects(rows, ratio, alternates, drand, excluded):
    data = [{"id": i, "township": v} for i, v in rows]
    out = [{"id": data[j]["id"], "reason": "x"} for j in sorted(excluded) if j < len(data)]
    manifest, pop = build_manifest(data, spec(ratio=ratio, alternates=alternates, exclusions=out))
    sources = dict(SOURCES, drand=drand.hex())
    with sqldraw.population_table(1) as staged:
        sqldraw.load_rows(staged, data, ["township"])
        assert (
            sqldraw.population_digest(staged, manifest["population"]["columns"])
            == manifest["population"]["sha256"]
        )
        assert sqldraw.draw_sql(staged, manifest, sources) == draw(manifest, pop, sources)
