import hashlib
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.draw import build_manifest, draw
from fairspot.draw.pps import cap_inclusion, pareto_ranking, scale_weights
from fairspot.draw.seed import TWO_256
from fairspot.testing.engine import SOURCES, spec


def test_scale_weights_to_common_integers():
    assert scale_weights(["1.5", "2", "0.25"]) == [150, 200, 25]


def test_inclusion_probabilities_and_capping():
    cap = cap_inclusion([1] * 6 + [3] * 2, 3)
    assert cap.certain == [] and Fraction(cap.n_rest * 1, cap.w_rest) == Fraction(1, 4)
    cap = cap_inclusion([100, 1, 1, 1, 1], 2)
    assert cap.certain == [0] and (cap.n_rest, cap.w_rest) == (1, 4)
    # capping one unit raises the others' λ: 30 would be 3·30/70 < 1 before, certain after
    cap = cap_inclusion([38, 30, 1, 1], 3)
    assert cap.certain == [0, 1] and (cap.n_rest, cap.w_rest) == (1, 2)
    assert cap_inclusion([5, 5, 5], 3).certain == [0, 1, 2]


def _reference(keys, weights, candidates, ids, cap):
    def q(i):
        u = Fraction(int.from_bytes(keys[i], "big"), TWO_256)
        lam = Fraction(cap.n_rest * weights[i], cap.w_rest)
        return u * (1 - lam) / ((1 - u) * lam) if lam else u / (1 - u) / weights[i]

    return sorted(candidates, key=lambda i: (q(i), keys[i], ids[i]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 50), min_size=2, max_size=25),
    st.integers(1, 5),
    st.binary(min_size=4, max_size=4),
)
def test_pareto_ranking_equals_exact_rational_order(weights, n, salt):
    n = min(n, len(weights))
    ids = [f"U{i:03d}".encode() for i in range(len(weights))]
    keys = [hashlib.sha256(salt + i).digest() for i in ids]
    cap = cap_inclusion(weights, n)
    rest = [i for i in range(len(weights)) if i not in cap.certain]
    if cap.n_rest:
        assert pareto_ranking(keys, weights, rest, ids, cap) == _reference(keys, weights, rest, ids, cap)


def test_near_ties_are_ordered_exactly():
    # Neighbouring keys give Q values equal in their first 64 fractional bits: the exact re-sort decides.
    base = 2**255
    keys = [(base + d).to_bytes(32, "big") for d in (3, 1, 2, 1)]
    ids = [b"D", b"B", b"C", b"A"]
    weights = [2, 2, 2, 2]
    cap = cap_inclusion(weights, 1)
    order = pareto_ranking(keys, weights, [0, 1, 2, 3], ids, cap)
    assert [ids[i] for i in order] == [b"A", b"B", b"C", b"D"]


def _pps_frequencies(weights, n, reps, stratify=False):
    data = [{"id": f"U{i:02d}", "w": str(w), "s": "x"} for i, w in enumerate(weights)]
    s = spec(design="pps", weight_column="w", ratio=None, sample_size=n, alternates=0, stratify_by=[])
    manifest, pop = build_manifest(data, s)
    counts = dict.fromkeys((d["id"] for d in data), 0)
    for rep in range(reps):
        res = draw(manifest, pop, dict(SOURCES, drand=f"{rep:064x}"))
        stratum = res["strata"][0]
        assert len(stratum["selected"]) == n
        for t in stratum["selected"]:
            counts[t["id"]] += 1
    return data, counts, manifest


@pytest.mark.slow
def test_pps_inclusion_probabilities_match_design():
    # The notes' example: weights 1×6 and 3×2, n = 3 → λ = 0.25 / 0.75. numpy's draw-by-draw choice
    # gives 0.283 / 0.65; Pareto must be within Monte Carlo error plus its small O(1/n) bias.
    reps = 6000
    data, counts, _ = _pps_frequencies([1] * 6 + [3] * 2, 3, reps)
    for d in data:
        lam = 0.25 if d["w"] == "1" else 0.75
        sd = (lam * (1 - lam) / reps) ** 0.5
        assert abs(counts[d["id"]] / reps - lam) < 4.5 * sd + 0.01, (d, counts[d["id"]] / reps)


@pytest.mark.slow
def test_pps_with_certainty_and_spread_weights():
    weights = [40, 9, 8, 7, 6, 5, 5, 4, 3, 3, 2, 2, 1, 1, 1, 1]
    reps = 4000
    data, counts, _ = _pps_frequencies(weights, 5, reps)
    cap = cap_inclusion(weights, 5)
    assert cap.certain == [0]
    for i, d in enumerate(data):
        lam = 1.0 if i == 0 else cap.n_rest * weights[i] / cap.w_rest
        sd = (lam * (1 - lam) / reps) ** 0.5
        assert abs(counts[d["id"]] / reps - lam) < 4.5 * sd + 0.01, (d, counts[d["id"]] / reps, lam)


def test_pps_result_reports_exact_probabilities_and_alternates():
    data = [{"id": f"U{i:02d}", "w": w} for i, w in enumerate(["100", "1", "1.5", "2", "0.5", "1"])]
    s = spec(design="pps", weight_column="w", ratio=None, sample_size=3, alternates=2, stratify_by=[])
    manifest, pop = build_manifest(data, s)
    stratum = draw(manifest, pop, SOURCES)["strata"][0]
    assert stratum["certainties"] == 1
    assert stratum["selected"][0] == {
        **stratum["selected"][0],
        "id": "U00",
        "inclusion_probability": "1",
        "certainty": True,
    }
    probs = {t["id"]: t["inclusion_probability"] for t in stratum["selected"][1:]}
    expected = {"U01": "1/3", "U02": "1/2", "U03": "2/3", "U04": "1/6", "U05": "1/3"}
    assert all(probs[i] == expected[i] for i in probs)
    assert len(stratum["alternates"]) == 2 and not ({t["id"] for t in stratum["alternates"]} & set(probs))
