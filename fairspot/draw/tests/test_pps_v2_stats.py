"""fairspot-draw/2 πps: the published inclusion probabilities are the true ones (Monte Carlo over
20,000 reveals, calling the stratum draw directly with a fresh seed each time), they sum to n, and no
eligible target falls below the floor (property tests)."""

import hashlib
from fractions import Fraction
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.draw import build_manifest, parse_canonical_population
from fairspot.draw.canonical import PROTOCOL_V2
from fairspot.draw.pps import scale_weights
from fairspot.draw.sampling import _pps_v2, stratum_size, systematic_start
from fairspot.draw.seed import key_hasher, stratum_uniform
from fairspot.draw.spec import expected_size
from fairspot.draw.systematic import inclusion_probabilities
from fairspot.testing.engine import spec

REVEALS = 20_000
WEIGHTS = ("1", "2", "4", "8", "1.5", "3", "0.5")


def _population(sizes: dict[str, int]) -> list[dict[str, str]]:
    out, i = [], 0
    for stratum, size in sizes.items():
        for _ in range(size):
            out.append({"id": f"T{i:03d}", "s": stratum, "w": WEIGHTS[(i * 3) % len(WEIGHTS)]})
            i += 1
    return out


def _frequencies(manifest, population, reveals):
    """Counts of selection, Σ π and Σ π(1 − π) per target over ``reveals`` seeds (π given each n)."""
    spec_ = manifest["spec"]
    count, mean, var, table = {}, {}, {}, {}
    for rep in range(reveals):
        seed = hashlib.sha256(b"stats %d" % rep).digest()
        hasher = key_hasher(seed)
        for entry in manifest["strata"]:
            key = tuple(entry["stratum"])
            ids, texts = population.groups[key], population.weights[key]
            n, expected = stratum_size(
                entry, entry["N"], stratum_uniform(seed, key), spec_["min_per_stratum"]
            )
            floor = Fraction(entry.get("min_inclusion", 0)) * n / expected
            out = _pps_v2(ids, texts, set(), hasher, n, 0, floor, systematic_start(seed, key))
            if (key, n) not in table:
                nums, den = inclusion_probabilities(scale_weights(texts), n, floor)
                table[key, n] = {i.decode(): Fraction(a, den) for i, a in zip(ids, nums, strict=True)}
            pis = table[key, n]
            assert len(out["selected"]) == n
            for row in out["selected"]:
                assert Fraction(row["inclusion_probability"]) == pis[row["id"]]  # published = design
                count[row["id"]] = count.get(row["id"], 0) + 1
            for ident, pi in pis.items():
                mean[ident] = mean.get(ident, 0.0) + float(pi)
                var[ident] = var.get(ident, 0.0) + float(pi * (1 - pi))
    return count, mean, var


def _check(manifest, population):
    count, mean, var = _frequencies(manifest, population, REVEALS)
    worst = 0.0
    for ident in mean:
        found = count.get(ident, 0)
        if var[ident] == 0:
            assert found == round(mean[ident]), ident  # certainties and zeros are exact
            continue
        z = (found - mean[ident]) / var[ident] ** 0.5
        worst = max(worst, abs(z))
        assert abs(z) < 4, (ident, found / REVEALS, mean[ident] / REVEALS, z)
    return worst


def test_frequencies_match_published_pi_ratio_strata():
    """The issue's case: strata of 5, 12 and 23, r = 0.3, unequal weights (Pareto was off by z = 5.5)."""
    rows = _population({"a": 5, "b": 12, "c": 23})
    s = spec(
        protocol=PROTOCOL_V2, design="pps", weight_column="w", stratify_by=["s"], ratio="0.3", alternates=0
    )
    manifest, data = build_manifest(rows, s)
    population = parse_canonical_population(data, stratify_by=["s"], weight_column="w")
    assert _check(manifest, population) < 4


def test_frequencies_match_published_pi_one_per_stratum_with_floor():
    """n_h = 1 in each stratum, with a floor: frequencies still match π exactly (and π ≥ floor)."""
    rows = _population({"a": 5, "b": 12, "c": 23})
    s = spec(
        protocol=PROTOCOL_V2, design="pps", weight_column="w", stratify_by=["s"], ratio=None,
        sample_size=1, min_inclusion="1/40", alternates=0,
    )  # fmt: skip
    manifest, data = build_manifest(rows, s)
    population = parse_canonical_population(data, stratify_by=["s"], weight_column="w")
    assert _check(manifest, population) < 4


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 400), min_size=1, max_size=30),
    st.integers(0, 30),
    st.integers(0, 100),
)
def test_pi_sums_to_n_and_respects_floor_and_caps(weights, n, floor_pct):
    n = min(n, len(weights))
    floor = Fraction(floor_pct, 100) * n / len(weights)  # any floor up to n/N is feasible
    nums, den = inclusion_probabilities(weights, n, floor)
    pis = [Fraction(a, den) for a in nums]
    assert sum(pis) == n
    assert all(floor <= p <= 1 for p in pis)
    # πps between the bounds: π / w is one constant c for every unit strictly inside (floor, 1),
    # heavier units never get less, and clamping is what makes the others differ
    inside = {p / w for p, w in zip(pis, weights, strict=True) if floor < p < 1}
    assert len(inside) <= 1
    order = sorted(range(len(weights)), key=weights.__getitem__)
    assert all(pis[a] <= pis[b] for a, b in pairwise(order))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 99), st.integers(1, 100))
def test_expected_pi_over_the_rounding_of_n_is_at_least_the_floor(size, ratio_pct, floor_share):
    """With a ratio, n_h is randomized; the floor given n is floor·n/E[n], so E[π_i] ≥ floor exactly."""
    ratio = Fraction(ratio_pct, 100)
    floor = ratio * floor_share / 100
    weights = [1 + (i * 7) % 9 for i in range(size)]
    entry = {"ratio": f"0.{ratio_pct:02d}"}
    expected = expected_size(entry, size, 0)
    x = ratio * size
    low = x.numerator // x.denominator
    f = x - low
    total = [Fraction(0)] * size
    for n, p in ((low, 1 - f), (low + 1, f)):
        if p == 0 or n > size:
            continue
        nums, den = inclusion_probabilities(weights, n, floor * n / expected)
        for i, a in enumerate(nums):
            total[i] += p * Fraction(a, den)
    assert all(t >= floor for t in total)
    assert sum(total) == expected
