"""πps of ``fairspot-draw/2``: ordered systematic sampling whose inclusion probabilities are exact.

1. :func:`inclusion_probabilities` — π_i = clamp(c·w_i, φ, 1) with the one c that makes Σ π_i = n
   (φ is the stratum's floor given n, 0 without one). Certainties (π = 1) and floored units come out of
   the same equation, so no capping loop is needed: the function is found exactly by searching the
   breakpoints c = 1/w and c = φ/w of the piecewise-linear, nondecreasing F(c) = Σ clamp(c·w_i, φ, 1).
   Every π_i is returned as an integer numerator over one common denominator Q.
2. :func:`systematic_pick` — the units, ordered by key (ties by id), are laid end to end on [0, n), unit i
   covering [C_{i-1}, C_i) with C_i = π_1 + … + π_i; the points u, u+1, …, u+n−1 with one uniform start
   u = U / 2**256 pick the units they fall in. For any fixed order and a uniform start, unit i is picked
   with probability exactly π_i (its interval has length π_i ≤ 1 and the points are one apart), so the
   published π is the true one; because the order is by hash keys (random, independent of u), this is
   Hartley–Rao's randomized systematic πps, whose joint probabilities are all positive in practice.

All comparisons are integer comparisons.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from fractions import Fraction
from itertools import accumulate
from math import lcm

from .seed import TWO_256


def _state(ws: list[int], c: Fraction, phi: Fraction) -> tuple[int, int]:
    """(iL, iU): ws[:iL] are floored (c·w ≤ φ), ws[iU:] are certainties (c·w ≥ 1); ``ws`` ascending."""
    if c == 0:
        return len(ws), len(ws)
    p, q = c.numerator, c.denominator
    i_u = bisect_left(ws, -(-q // p))
    i_l = bisect_right(ws, (phi.numerator * q) // (p * phi.denominator)) if phi else 0
    return min(i_l, i_u), i_u


def _f(ws: list[int], prefix: list[int], c: Fraction, phi: Fraction) -> Fraction:
    i_l, i_u = _state(ws, c, phi)
    return (len(ws) - i_u) + phi * i_l + c * (prefix[i_u] - prefix[i_l])


def _bracket(ws, prefix, points: list[Fraction], n: int, phi: Fraction) -> tuple[Fraction, Fraction | None]:
    """Around the root: the largest point with F ≤ n (or 0) and the next point (or None = ∞)."""
    lo, hi = 0, len(points)  # invariant: F(points[:lo]) ≤ n < F(points[hi:])
    while lo < hi:
        mid = (lo + hi) // 2
        if _f(ws, prefix, points[mid], phi) <= n:
            lo = mid + 1
        else:
            hi = mid
    return (points[lo - 1] if lo else Fraction(0)), (points[lo] if lo < len(points) else None)


def inclusion_probabilities(weights: list[int], n: int, phi: Fraction = Fraction(0)) -> tuple[list[int], int]:
    """(A, Q): π_i = A[i] / Q exactly, Σ A = n·Q, π_i = clamp(c·w_i, φ, 1). Needs weights > 0,
    0 ≤ n ≤ len(weights) and φ·len(weights) ≤ n."""
    size = len(weights)
    if not 0 <= n <= size or phi < 0 or phi * size > n:
        raise ValueError(f"no πps design with n={n}, N={size}, floor {phi}")
    if n == 0:
        return [0] * size, 1
    if n == size:
        return [1] * size, 1
    if phi * size == n:
        return [phi.numerator] * size, phi.denominator
    ws = sorted(weights)
    prefix = [0, *accumulate(ws)]
    distinct = sorted(set(ws), reverse=True)  # so that 1/v and φ/v ascend
    lo_u, hi_u = _bracket(ws, prefix, [Fraction(1, v) for v in distinct], n, phi)
    lo, hi = lo_u, hi_u
    if phi:
        lo_l, hi_l = _bracket(ws, prefix, [phi / v for v in distinct], n, phi)
        lo = max(lo_u, lo_l)
        hi = hi_l if hi_u is None else (hi_u if hi_l is None else min(hi_u, hi_l))
    if _f(ws, prefix, lo, phi) == n and lo:
        c = lo
    else:  # no breakpoint strictly inside (lo, hi): the state there is the state at the root
        i_l, i_u = _state(ws, (lo + hi) / 2 if hi is not None else lo + 1, phi)
        c = (n - (size - i_u) - phi * i_l) / (prefix[i_u] - prefix[i_l])
    p, q = c.numerator, c.denominator
    big = lcm(q, phi.denominator)
    top_w = -(-q // p)  # w ≥ top_w ⇔ c·w ≥ 1
    floor_w = (phi.numerator * q) // (p * phi.denominator) if phi else 0  # w ≤ floor_w ⇔ c·w ≤ φ
    low = phi.numerator * (big // phi.denominator)
    scale = p * (big // q)
    out = [big if w >= top_w else (low if w <= floor_w else scale * w) for w in weights]
    if sum(out) != n * big:  # cannot happen; a guard, since a wrong π would be published
        raise AssertionError("inclusion probabilities do not sum to n")
    return out, big


def systematic_pick(order: list[int], numerators: list[int], denominator: int, start: int) -> list[int]:
    """Positions (in ``order``) picked by the points (start/2**256 + k), k = 0, 1, …: unit j is picked
    when a point lies in [C_before, C_before + π_j). Exact: with T the running sum of numerators, the
    point P = (start·Q + k·Q·2**256) / (Q·2**256) is below T/Q exactly when
    T > ⌊(start·Q + k·Q·2**256) / 2**256⌋ = ⌊start·Q / 2**256⌋ + k·Q; the first position whose running
    sum passes that threshold is picked (a unit holds at most one point: π ≤ 1 and the points are one
    apart). The running sums are integers, searched by bisection."""
    totals = list(accumulate(map(numerators.__getitem__, order)))
    if not totals:
        return []
    threshold = (start * denominator) >> 256
    picked: list[int] = []
    last = totals[-1]
    while threshold < last:
        picked.append(bisect_right(totals, threshold))
        threshold += denominator
    return picked


def start_of(value: bytes) -> int:
    """The start numerator U from a 32-byte digest (u = U / 2**256)."""
    number = int.from_bytes(value, "big")
    assert 0 <= number < TWO_256
    return number
