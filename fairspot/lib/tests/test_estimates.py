"""Population estimates from inspections with known inclusion probabilities (fairspot.lib.estimates)."""

import math
import random

import pytest

from fairspot.lib.estimates import (
    MIN_INSPECTIONS,
    Stratum,
    brewer_variance,
    hajek_share,
    ht_share,
    ht_total,
    pps_share,
    srs_share,
    stratified_share,
    too_few,
)


def test_horvitz_thompson_and_hajek_weight_by_one_over_pi():
    y, pi = [1, 0, 1, 0], [0.5, 0.5, 0.25, 0.25]
    assert ht_total(y, pi) == 6
    assert ht_share(y, pi, 12) == 0.5
    assert hajek_share(y, pi) == 6 / 12


def test_srs_share_is_the_textbook_formula():
    y = [1] * 10 + [0] * 30
    est = srs_share(y, 400)
    s2 = (10 * 0.75**2 + 30 * 0.25**2) / 39
    assert est.enough and est.share == 0.25 and est.inspections == 40
    assert math.isclose(est.se, math.sqrt((1 - 40 / 400) * s2 / 40))
    assert math.isclose(est.high - est.share, 1.959963984540054 * est.se)


def test_stratified_share_weights_strata_by_size():
    est = stratified_share([Stratum(900, [0] * 18 + [1] * 2), Stratum(100, [1] * 10 + [0] * 10)])
    assert math.isclose(est.share, 0.9 * 0.1 + 0.1 * 0.5)
    whole = stratified_share([Stratum(20, [1] * 20), Stratum(1000, [0] * 10 + [1] * 10)])
    assert whole.enough  # a stratum taken whole adds no variance
    assert math.isclose(whole.se**2, (1000 / 1020) ** 2 * (1 - 20 / 1000) * (20 * 0.25 / 19) / 20)


def test_too_few_inspections_say_so_instead_of_a_number():
    assert too_few(0) == "no inspections"
    assert "only 3 inspections" in too_few(3)
    assert too_few(MIN_INSPECTIONS) == ""
    empty = pps_share([], [])
    assert not empty.enough and empty.share is None and empty.reason == "no inspections"
    assert not empty.covers(0.1)
    few = stratified_share([Stratum(50, [1, 0, 1])])
    assert not few.enough and "only 3" in few.reason
    single = stratified_share([Stratum(50, [0] * 40), Stratum(10, [1])])
    assert not single.enough and "1 inspection" in single.reason
    lone = pps_share([0] * 40 + [1], [0.1] * 41, ["a"] * 40 + ["b"])
    assert not lone.enough and "single inspection" in lone.reason


def test_bad_probabilities_are_refused():
    with pytest.raises(ValueError, match="inclusion probability"):
        ht_total([1], [0])
    with pytest.raises(ValueError, match="lengths"):
        ht_total([1, 0], [0.5])


def test_brewer_variance_is_zero_for_certainties_and_matches_srs_for_equal_pi():
    assert brewer_variance([1, 0, 1], [1, 1, 1]) == 0
    y = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0]
    n, big_n = len(y), 50
    # equal π = n/N: (1/c_i − π) = n(1 − π)/(n − 1), which gives exactly the SRS variance
    mean = sum(y) / n
    s2 = sum((v - mean) ** 2 for v in y) / (n - 1)
    srs = big_n**2 * (1 - n / big_n) * s2 / n
    approx = brewer_variance(y, [n / big_n] * n)
    assert math.isclose(approx, srs)


def test_pps_intervals_cover_about_95_percent_under_poisson_like_draws():
    """Monte Carlo: a πps population, Hájek share and Brewer variance, systematic draws on a random order."""
    rnd = random.Random(7)
    size, n = 2000, 200
    w = [rnd.choice([1, 2, 4, 8]) for _ in range(size)]
    y = [1 if rnd.random() < 0.03 * wi else 0 for wi in w]
    truth = sum(y) / size
    pi = [n * wi / sum(w) for wi in w]
    covered = 0
    for _ in range(400):
        order = list(range(size))
        rnd.shuffle(order)
        u, acc, picked = rnd.random(), 0.0, []
        for j in order:
            if math.floor(acc + pi[j] - u) > math.floor(acc - u) or (acc == 0 and u < pi[j]):
                picked.append(j)
            acc += pi[j]
        est = pps_share([y[j] for j in picked], [pi[j] for j in picked])
        covered += est.covers(truth)
    assert 0.91 <= covered / 400 <= 0.99
