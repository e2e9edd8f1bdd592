"""πps by Pareto sampling (Rosén 1997), with exact arithmetic throughout.

Target inclusion probabilities λ_i = n·w_i / Σw, capped at 1: a unit with λ_i >= 1 is a certainty (always
drawn); it leaves the pool and the others are recomputed with the remaining sample size and weight,
until no λ exceeds 1 (capping the largest first gives the same set as capping in batches, because
removing a certainty never lowers the others' λ).

Each other unit gets u_i = key_i / 2**256 and the ranking variable
``Q_i = u_i (1 - λ_i) / ((1 - u_i) λ_i)``; the n' smallest Q are drawn, ties broken by key then id.
With λ_i = n'·w_i / W' the common factor n' cancels, so comparing
``Q'_i = key_i · (W' - n'·w_i) / ((2**256 - key_i) · w_i)`` (integers) gives the same order. Pareto
sampling realises λ_i closely, not exactly (the error is of order 1/n); λ_i is what results report.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from .seed import TWO_256


def scale_weights(texts: list[str]) -> list[int]:
    """Canonical decimal weights as integers on one common scale (10**max decimals)."""
    distinct = set(texts)  # weights repeat a lot: convert each spelling once
    digits = max((len(t) - t.index(".") - 1 for t in distinct if "." in t), default=0)
    table = {}
    for t in distinct:
        whole, _, frac = t.partition(".")
        table[t] = int(whole + frac.ljust(digits, "0"))
    return list(map(table.__getitem__, texts))


class Capping(NamedTuple):
    certain: list[int]  # indices of certainties, largest weight first
    n_rest: int  # sample size left for the non-certain units
    w_rest: int  # their total weight


def cap_inclusion(weights: list[int], n: int) -> Capping:
    """Certainties and the remaining (n', W') so that λ_i = n'·w_i / W' < 1 for every other unit."""
    order = sorted(range(len(weights)), key=weights.__getitem__, reverse=True)
    rest_n, rest_w = n, sum(weights)
    certain: list[int] = []
    for i in order:
        if rest_n == 0 or rest_n * weights[i] < rest_w:
            break
        certain.append(i)
        rest_n -= 1
        rest_w -= weights[i]
    return Capping(certain, rest_n, rest_w)


def pareto_ranking(
    keys: list[bytes], weights: list[int], candidates: list[int], ids: list[bytes], cap: Capping
) -> list[int]:
    """Indices of the non-certain candidates in ascending Pareto order (exact)."""
    n1, w1 = cap.n_rest, cap.w_rest
    rows = []
    for i in candidates:
        k = int.from_bytes(keys[i], "big")
        num = k * (w1 - n1 * weights[i])
        den = (TWO_256 - k) * weights[i]
        # floor(Q'·2**64) orders exactly whenever it differs (floor(a) < floor(b) implies a < b);
        # equal floors are re-sorted below with exact fractions.
        rows.append(((num << 64) // den, keys[i], ids[i], i, num, den))
    rows.sort()
    firsts = [r[0] for r in rows]
    if len(set(firsts)) != len(firsts):
        start = 0
        while start < len(rows):
            end = start + 1
            while end < len(rows) and rows[end][0] == rows[start][0]:
                end += 1
            if end - start > 1:
                rows[start:end] = sorted(rows[start:end], key=lambda r: (Fraction(r[4], r[5]), r[1], r[2]))
            start = end
    return [r[3] for r in rows]
