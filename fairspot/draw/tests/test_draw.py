from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.draw import build_manifest, canonical_json, draw, target_key
from fairspot.draw.errors import SourceError
from fairspot.draw.sampling import randomized_round, stratum_size
from fairspot.draw.seed import TWO_256
from fairspot.testing.engine import SOURCES, rows, spec


def run(data, s, sources=SOURCES):
    manifest, pop = build_manifest(data, s)
    return draw(manifest, pop, sources)


def selected(result):
    return {t["id"] for s in result["strata"] for t in s["selected"]}


def test_deterministic_and_bytes_identical():
    a = canonical_json(run(rows(), spec()))
    b = canonical_json(run(rows(), spec()))
    assert a == b


_BASE = rows(40)
_BASE_RESULT = canonical_json(run(_BASE, spec(ratio="0.3")))


@settings(max_examples=30, deadline=None)
@given(st.permutations(_BASE))
def test_independent_of_row_order(shuffled):
    assert canonical_json(run(shuffled, spec(ratio="0.3"))) == _BASE_RESULT


def test_selection_is_smallest_keys_and_keys_are_checkable():
    result = run(rows(), spec(stratify_by=[], ratio="0.1"))
    seed = bytes.fromhex(result["seed"])
    stratum = result["strata"][0]
    keys = sorted((target_key(seed, r["id"]), r["id"]) for r in rows())
    expected = [i for _, i in keys[: stratum["n"] + 2]]
    assert [t["id"] for t in stratum["selected"] + stratum["alternates"]] == expected
    for t in stratum["selected"]:
        assert int(t["key"], 16) == target_key(seed, t["id"])


def test_different_source_value_gives_a_different_draw():
    other = dict(SOURCES, drand="80" * 32)
    assert run(rows(), spec())["seed"] != run(rows(), spec(), other)["seed"]


def test_exclusions_are_never_drawn():
    data = rows(40)
    excl = [{"id": r["id"], "reason": "open case"} for r in data[::2]]
    result = run(data, spec(ratio="1", exclusions=excl))
    assert selected(result) == {r["id"] for r in data[1::2]}


def test_wrong_source_format_and_missing_source():
    manifest, pop = build_manifest(rows(), spec())
    with pytest.raises(SourceError, match="does not match the declared format"):
        draw(manifest, pop, dict(SOURCES, sse_close="3051.2"))
    with pytest.raises(SourceError, match="no value yet"):
        draw(manifest, pop, {"drand": SOURCES["drand"]})
    with pytest.raises(SourceError, match="not declared"):
        draw(manifest, pop, dict(SOURCES, extra="1"))


def test_randomized_rounding_thresholds_exactly():
    x = Fraction(37, 10)  # floor 3, frac 7/10
    cut = (7 * TWO_256 + 9) // 10  # smallest u with u/2**256 >= 7/10
    assert randomized_round(x, cut - 1) == 4
    assert randomized_round(x, cut) == 3
    assert randomized_round(Fraction(5), 0) == 5


def _dec(millionths: int) -> str:
    return f"{millionths // 10**6}.{millionths % 10**6:06d}"


@given(st.integers(0, 10_000), st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, TWO_256 - 1))
def test_randomized_rounding_is_monotone_and_unbiased(frame, a, b, u):
    lo, hi = sorted((a, b))
    n_lo, e_lo = stratum_size({"ratio": _dec(lo)}, frame, u, 0)
    n_hi, _ = stratum_size({"ratio": _dec(hi)}, frame, u, 0)
    assert n_lo <= n_hi
    x = Fraction(lo, 10**6) * frame
    assert e_lo == x  # E[n_h] = r·N_h exactly; the realised n_h is floor or ceil of it
    assert n_lo in (x.numerator // x.denominator, -(-x.numerator // x.denominator))


def _draw_with_seed(pop_bytes, seed, ratio):
    """Stratified SRS at ``ratio`` under a fixed seed, from the engine's pieces."""
    from fairspot.draw.population import parse_canonical_population
    from fairspot.draw.sampling import smallest_keys
    from fairspot.draw.seed import key_hasher, stratum_uniform

    population = parse_canonical_population(pop_bytes, stratify_by=["township"])
    out = set()
    for key, ids in population.groups.items():
        n, _ = stratum_size({"ratio": ratio}, len(ids), stratum_uniform(seed, key), 0)
        out |= {i.decode() for _, i in smallest_keys(key_hasher(seed), ids, set(), n)}
    return out


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 10**6), st.binary(min_size=32, max_size=32))
def test_raising_the_ratio_only_adds_targets(a, b, seed):
    # The seed covers the manifest (and so the ratio); monotonicity is a property of the selection
    # rule under one seed: keys and u_h do not depend on the ratio.
    lo, hi = sorted((a, b))
    _, pop = build_manifest(rows(80), spec())
    small, large = _draw_with_seed(pop, seed, _dec(lo)), _draw_with_seed(pop, seed, _dec(hi))
    assert small <= large


def test_engine_draw_matches_the_pieces():
    manifest, pop = build_manifest(rows(80), spec(ratio="0.35"))
    result = draw(manifest, pop, SOURCES)
    assert selected(result) == _draw_with_seed(pop, bytes.fromhex(result["seed"]), "0.35")


def test_min_per_stratum_and_sample_size_overrides():
    data = rows(30)
    result = run(
        data, spec(ratio="0.01", min_per_stratum=2, strata=[{"stratum": ["关堤乡"], "sample_size": 5}])
    )
    sizes = {tuple(s["stratum"]): (s["n"], s["expected_n"]) for s in result["strata"]}
    assert sizes[("关堤乡",)] == (5, "5")
    assert sizes[("振中街道",)] == (2, "2")


@pytest.mark.slow
def test_stratified_inclusion_probabilities_match_design():
    # 20 units in two strata with ratios 0.3 and 0.15: every unit's inclusion frequency over many
    # independent seeds must be close to its stratum's ratio (E[n_h]/N_h).
    data = [{"id": f"U{i:02d}", "s": "a" if i < 12 else "b"} for i in range(20)]
    s = spec(stratify_by=["s"], ratio="0.3", alternates=0, strata=[{"stratum": ["b"], "ratio": "0.15"}])
    manifest, pop = build_manifest(data, s)
    reps = 8000
    counts = dict.fromkeys((r["id"] for r in data), 0)
    for rep in range(reps):
        for i in selected(draw(manifest, pop, dict(SOURCES, drand=f"{rep:064x}"))):
            counts[i] += 1
    for r in data:
        p = 0.3 if r["s"] == "a" else 0.15
        sd = (p * (1 - p) / reps) ** 0.5
        assert abs(counts[r["id"]] / reps - p) < 4.5 * sd, (r["id"], counts[r["id"]] / reps, p)


@pytest.mark.parametrize("hint", [None, 100, 0])
def test_smallest_keys_fast_path_with_exclusions_and_redo(hint):
    from fairspot.draw.sampling import smallest_keys
    from fairspot.draw.seed import key_hasher, target_key_bytes

    seed = bytes(range(32))
    ids = [f"X{i:05d}".encode() for i in range(2000)]
    ranked = sorted((target_key_bytes(seed, i), i) for i in ids)
    excluded = {i for _, i in ranked[:100]}  # the 100 best tickets are excluded
    # hint 0 under-states the exclusions: the threshold keeps too few, and the stratum is redone in full
    got = smallest_keys(key_hasher(seed), ids, excluded, 15, hint)
    assert got == [kv for kv in ranked if kv[1] not in excluded][:15]
