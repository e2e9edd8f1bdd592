"""Partition and merge (docs/scaling.md): drawing each partition of the directory on its own and merging
each stratum's smallest keys gives the single draw's selection and the same bundle bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.draw import build_manifest, commit_bundle, draw, reveal_bundle
from fairspot.draw.bundle import add_to_bundle, read_bundle
from fairspot.draw.canonical import parse_canonical_json
from fairspot.draw.errors import DrawError
from fairspot.draw.partitioned import (
    merge_smallest,
    partition_smallest,
    revealed_files,
    srs_plan,
    srs_result,
)
from fairspot.draw.population import population_from_rows
from fairspot.testing.engine import SOURCES, spec

TOWNS = ("关堤乡", "振中街道", 'Town, "X"', "城关镇")
REGIONS = ("north", "south", "east", "west", "centre")


def province(n: int) -> list[dict[str, str]]:
    """Rows with a region (the partition column, not a stratum) and two stratum columns."""
    return [
        {
            "id": f"91410{i:013d}",
            "region": REGIONS[(i * 7) % len(REGIONS)],
            "township": TOWNS[i % len(TOWNS)],
            "section": "CFG"[(i // 3) % 3],
            "bucket": str(i % 10),
        }
        for i in range(n)
    ]


def province_spec(**overrides):
    base = {
        "stratify_by": ["township", "section"],
        "ratio": "0.07",
        "alternates": 3,
        # a stratum drawn in full (n = N) and one whose alternates run past its frame
        "strata": [
            {"stratum": ["城关镇", "G"], "ratio": "1"},
            {"stratum": ["关堤乡", "C"], "ratio": "0.9"},
        ],
    }
    base.update(overrides)
    return spec(**base)


def partitioned_selection(data, manifest, sources, column: str):
    """Run the draw per partition of ``column`` and merge, as docs/scaling.md describes."""
    plan = srs_plan(manifest, sources)
    parts = []
    for value in sorted({r[column] for r in data}):
        part = population_from_rows(
            [r for r in data if r[column] == value], stratify_by=plan.stratify_by
        )  # each partition holds only its own rows
        parts.append(partition_smallest(plan.seed, part.groups, plan.excluded, plan.limits))
    return plan, parts


@pytest.mark.parametrize("column", ["region", "township", "bucket"])
def test_merged_partitions_select_what_the_single_draw_selects(column):
    data = province(3000)
    exclusions = [{"id": r["id"], "reason": "annual_cap"} for r in data[::41]]
    manifest, pop = build_manifest(data, province_spec(exclusions=exclusions))
    expected = draw(manifest, pop, SOURCES)
    plan, parts = partitioned_selection(data, manifest, SOURCES, column)
    assert len(parts) >= 4
    merged = srs_result(plan, merge_smallest(parts, plan.limits))
    assert merged == expected
    full = {tuple(s["stratum"]): s for s in expected["strata"]}
    assert full[("城关镇", "G")]["n"] == full[("城关镇", "G")]["N"] > 0  # the n = N stratum is in there
    chosen = {e["id"] for s in expected["strata"] for e in s["selected"] + s["alternates"]}
    for part in parts:  # every partition holds only part of the selection: the merge does the work
        assert not chosen <= {i.decode() for pairs in part.values() for _, i in pairs}


def test_merged_partitions_give_the_same_bundle_bytes(tmp_path: Path):
    data = province(600)
    single = tmp_path / "single"
    commit_bundle(single, province_spec(), data)
    merged_dir = tmp_path / "merged"
    shutil.copytree(single, merged_dir)
    reveal_bundle(single, SOURCES)

    files = read_bundle(merged_dir)
    manifest = parse_canonical_json(files["manifest.json"])
    plan, parts = partitioned_selection(data, manifest, SOURCES, "region")
    add_to_bundle(
        merged_dir, files, revealed_files(plan, srs_result(plan, merge_smallest(parts, plan.limits)))
    )
    assert read_bundle(merged_dir) == read_bundle(single)


def test_a_partition_that_sends_too_few_keys_is_refused():
    data = province(300)
    manifest, _ = build_manifest(data, province_spec())
    plan, parts = partitioned_selection(data, manifest, SOURCES, "region")
    merged = merge_smallest(parts, plan.limits)
    key = next(k for k, m in plan.limits.items() if m > 0)
    merged[key] = merged[key][:-1]
    with pytest.raises(DrawError, match="the draw needs"):
        srs_result(plan, merged)


def test_merging_only_the_first_keys_of_each_partition_would_be_wrong():
    """Each partition must send m_h keys per stratum, not m_h / k: otherwise the merge changes."""
    data = province(2000)
    manifest, _ = build_manifest(data, province_spec())
    plan, parts = partitioned_selection(data, manifest, SOURCES, "region")
    short = [{k: v[: max(1, len(v) // len(parts))] for k, v in p.items()} for p in parts]
    merged = merge_smallest(short, plan.limits)
    assert any(len(merged[k]) < m for k, m in plan.limits.items())
    with pytest.raises(DrawError, match="the draw needs"):
        srs_result(plan, merged)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 120),
    k=st.integers(1, 6),
    ratio=st.sampled_from(["0", "0.1", "0.33", "0.5", "1"]),
    alternates=st.integers(0, 4),
    drand=st.binary(min_size=32, max_size=32),
)
def test_partition_merge_property(n, k, ratio, alternates, drand):
    data = [{"id": f"T{i:04d}", "part": str((i * 13) % k), "township": TOWNS[(i * 5) % 3]} for i in range(n)]
    s = spec(ratio=ratio, alternates=alternates, exclusions=[{"id": "T0000", "reason": "open_case"}])
    manifest, pop = build_manifest([{"id": r["id"], "township": r["township"]} for r in data], s)
    sources = dict(SOURCES, drand=drand.hex())
    plan, parts = partitioned_selection(data, manifest, sources, "part")
    assert srs_result(plan, merge_smallest(parts, plan.limits)) == draw(manifest, pop, sources)
