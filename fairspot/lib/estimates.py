"""Honest population estimates from inspections whose inclusion probabilities are known.

Pure Python (no Django, no numpy): the estimates page and the targeting simulation use the same code.
Every inspected target i has y_i (1 = violation found, or any number) and π_i (its published inclusion
probability, > 0). Designs:

* **stratified SRS** (uniform draws, per-class ratios): :func:`stratified_share` — Σ N_h ȳ_h / N with the
  textbook variance Σ (N_h/N)² (1 − n_h/N_h) s_h² / n_h;
* **πps** (risk-weighted draws of ``fairspot-draw/2``): :func:`pps_share` — the Hájek ratio
  Σ(y/π) / Σ(1/π) (or Horvitz–Thompson Σ(y/π) / N), with Brewer's approximation of the variance
  (Brewer 2002, eq. 9.15: V̂ = Σ_s (1/c_i − π_i)(y_i/π_i − Ŷ/n)² with c_i = (n − 1)/(n − π_i)), applied
  to the linearized residuals y_i − R̂ and summed over strata. Certainties (π = 1) add no variance;
  with equal π it is exactly the SRS variance N²(1 − n/N)s²/n.

Intervals are normal 95 % intervals clipped to [0, 1] for shares. A cell with fewer than
``minimum`` inspections (default :data:`MIN_INSPECTIONS`) or a stratum with a single inspection gives an
:class:`Estimate` with ``enough=False`` and a reason instead of a number: never an error.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054  # standard normal quantile 0.975
MIN_INSPECTIONS = 30


@dataclass(frozen=True)
class Estimate:
    """A share with its 95 % interval, or ``enough=False`` and the reason (``share`` etc. are None)."""

    inspections: int
    enough: bool
    share: float | None = None
    se: float | None = None
    low: float | None = None
    high: float | None = None
    reason: str = ""

    def covers(self, truth: float) -> bool:
        return self.enough and self.low is not None and self.low <= truth <= self.high


def too_few(inspections: int, minimum: int = MIN_INSPECTIONS) -> str:
    """The reason a cell shows no number ("" when it has enough inspections)."""
    if inspections == 0:
        return "no inspections"
    if inspections < minimum:
        return f"only {inspections} inspections (at least {minimum} are needed for an estimate)"
    return ""


def interval(share: float, se: float, *, clip: bool = True) -> tuple[float, float]:
    low, high = share - Z95 * se, share + Z95 * se
    return (max(0.0, low), min(1.0, high)) if clip else (low, high)


def _finish(inspections: int, share: float, variance: float) -> Estimate:
    se = math.sqrt(max(variance, 0.0))
    low, high = interval(share, se)
    return Estimate(inspections, True, share, se, low, high)


def ht_total(y: Sequence[float], pi: Sequence[float]) -> float:
    """Horvitz–Thompson estimate of Σ y over the population."""
    _check(y, pi)
    return sum(v / p for v, p in zip(y, pi, strict=True))


def ht_share(y: Sequence[float], pi: Sequence[float], population: int) -> float:
    """Horvitz–Thompson estimate of the population mean of y (a share for 0/1 y), N known."""
    return ht_total(y, pi) / population


def hajek_share(y: Sequence[float], pi: Sequence[float]) -> float:
    """Hájek estimate Σ(y/π) / Σ(1/π) (the HT ratio with N estimated; usually the steadier one)."""
    _check(y, pi)
    return ht_total(y, pi) / sum(1 / p for p in pi)


def _check(y: Sequence[float], pi: Sequence[float]) -> None:
    if len(y) != len(pi):
        raise ValueError("y and π have different lengths")
    if any(not 0 < p <= 1 for p in pi):
        raise ValueError("every inclusion probability must be in (0, 1]")


def brewer_variance(y: Sequence[float], pi: Sequence[float]) -> float:
    """Brewer's approximation of Var(Σ y/π) for one stratum of a fixed-size πps draw (n = len(y))."""
    _check(y, pi)
    n = len(y)
    if n < 2:
        return 0.0
    total = ht_total(y, pi)
    return sum(((n - p) / (n - 1) - p) * (v / p - total / n) ** 2 for v, p in zip(y, pi, strict=True))


def pps_share(
    y: Sequence[float],
    pi: Sequence[float],
    strata: Sequence[object] | None = None,
    *,
    population: int | None = None,
    minimum: int = MIN_INSPECTIONS,
) -> Estimate:
    """Share under a (stratified) πps draw: Hájek when ``population`` is None, else HT with N known;
    variance by Brewer's approximation per stratum (``strata``: each inspection's stratum label)."""
    reason = too_few(len(y), minimum)
    if reason:
        return Estimate(len(y), False, reason=reason)
    _check(y, pi)
    labels = list(strata) if strata is not None else [None] * len(y)
    weight_sum = sum(1 / p for p in pi)
    share = ht_total(y, pi) / (population if population is not None else weight_sum)
    base = population if population is not None else weight_sum
    groups: dict[object, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for v, p, label in zip(y, pi, labels, strict=True):
        resid = v - share if population is None else v
        groups[label][0].append(resid)
        groups[label][1].append(p)
    for label, (ys, ps) in groups.items():
        if len(ys) < 2 and ps[0] < 1:
            return Estimate(len(y), False, reason=f"stratum {label!r} has a single inspection")
    variance = sum(brewer_variance(ys, ps) for ys, ps in groups.values()) / base**2
    return _finish(len(y), share, variance)


@dataclass(frozen=True)
class Stratum:
    """One stratum of a stratified SRS draw: its frame size and the y of its inspections."""

    size: int
    y: Sequence[float]


def stratified_share(strata: Iterable[Stratum], *, minimum: int = MIN_INSPECTIONS) -> Estimate:
    """Σ N_h ȳ_h / N with variance Σ (N_h/N)² (1 − n_h/N_h) s_h² / n_h (stratified SRS).
    Every stratum with targets needs at least 2 inspections (1 when it was taken whole)."""
    strata = [s for s in strata if s.size > 0]
    count = sum(len(s.y) for s in strata)
    reason = too_few(count, minimum)
    if reason:
        return Estimate(count, False, reason=reason)
    total = sum(s.size for s in strata)
    share = variance = 0.0
    for s in strata:
        n = len(s.y)
        if n < 2 and n != s.size:
            return Estimate(count, False, reason=f"a stratum of {s.size} targets has {n} inspection(s)")
        mean = sum(s.y) / n
        share += s.size / total * mean
        if n < s.size:
            s2 = sum((v - mean) ** 2 for v in s.y) / (n - 1)
            variance += (s.size / total) ** 2 * (1 - n / s.size) * s2 / n
    return _finish(count, share, variance)


def srs_share(y: Sequence[float], population: int, *, minimum: int = MIN_INSPECTIONS) -> Estimate:
    """Share under a simple random sample (one stratum)."""
    return stratified_share([Stratum(population, y)], minimum=minimum)
