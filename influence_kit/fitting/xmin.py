"""Choosing ``xmin`` by minimising the Kolmogorov-Smirnov distance (Clauset et al. 2009, §3.3).

Every distinct value is a candidate ``xmin`` (optionally restricted to a range)
except those leaving fewer than ``min_tail`` observations or a single distinct
value at or above them (their alpha is undefined or meaningless; Clauset's own
code drops only the largest value, and a tail that small never minimises the KS
distance in practice). For each candidate the power law is fitted by maximum
likelihood (closed form, or the exact discrete MLE vectorised over candidates)
and the KS distance ``D`` between the fitted and the empirical CDF of the tail
is computed exactly as in the reference code:

* continuous: ``max_i |F(x_(i)) - (i - 1) / n_tail|`` over the sorted tail, every
  tied copy included (``ties="each"``, Clauset's ``plfit``); ``ties="left"``
  compares each distinct value once, with the fraction strictly below it (the
  ``powerlaw`` package's choice; it only matters for data with many ties,
  e.g. quakes and surnames);
* discrete: ``max |F(x) - S_n(x)|`` over every integer ``x`` from ``xmin`` to the
  maximum, where both CDFs are ``P(X <= x)``; since the empirical CDF is flat
  between data values, the integers ``v`` and ``v - 1`` for each distinct ``v``
  suffice.

Computing ``D`` for every candidate is quadratic (5e9 operations for 1e5
distinct values). :func:`scan_xmin` finds exactly the same minimiser by branch and
bound:

1. for every candidate at once (vectorised), the deviations at 128 evenly spaced
   tail points give a *lower* bound of ``D``; since both CDFs are monotone between
   two sampled points, the same numbers give an *upper* bound;
2. candidates whose lower bound exceeds the smallest upper bound are dropped;
3. the rest are evaluated exactly in increasing order of their lower bound,
   starting where their bound peaked and scanning the tail in growing chunks;
   a candidate is abandoned as soon as its running maximum exceeds the best ``D``
   found so far, and the search stops when the next lower bound exceeds it.

Ties in ``D`` go to the smallest ``xmin``, as in an exhaustive scan;
``method="exhaustive"`` evaluates every candidate (used by the tests to check
that both agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import special

from ..distributions.power_law import continuous_alpha, discrete_alpha
from ..errors import DataError, ParameterError
from ..results import Result
from ..tables import ValueTable

#: Fewest observations at or above a candidate xmin.
MIN_TAIL = 5

#: Candidate/point pairs evaluated per vectorised block in the bound computation.
_BLOCK = 2_000_000

#: Tail points sampled per candidate for the KS bounds (fewer when there are fewer
#: distinct values); the exact evaluations that follow start where the bound peaked.
MAX_POINTS = 128

Ties = Literal["each", "left"]


@dataclass(frozen=True, eq=False)
class XminScan(Result):
    """The KS scan over candidate ``xmin`` values.

    Attributes
    ----------
    xmin, alpha, n_tail
        Candidate values, the power-law MLE above each, and its tail size.
    ks
        Exact KS distance where it was evaluated, NaN where the bound ruled it out.
    ks_lower
        Lower bound of the KS distance for every candidate.
    best
        Index of the chosen candidate.
    evaluated
        Number of candidates whose KS distance was computed exactly.
    """

    xmin: np.ndarray
    alpha: np.ndarray
    n_tail: np.ndarray
    ks: np.ndarray
    ks_lower: np.ndarray
    best: int
    evaluated: int

    def summary(self) -> pd.DataFrame:
        """One row per candidate."""
        return pd.DataFrame(
            {
                "xmin": self.xmin,
                "alpha": self.alpha,
                "n_tail": self.n_tail,
                "ks": self.ks,
                "ks_lower": self.ks_lower,
            }
        )

    def to_dict(self) -> dict[str, object]:
        """The chosen candidate and the scan size."""
        return {
            "xmin": float(self.xmin[self.best]),
            "alpha": float(self.alpha[self.best]),
            "n_tail": int(self.n_tail[self.best]),
            "ks": float(self.ks[self.best]),
            "candidates": int(self.xmin.size),
            "evaluated": self.evaluated,
        }


class _Deviation:
    """Deviation ``|F - S_n|`` at tail point ``k`` for candidate ``j`` (vectorised)."""

    def __init__(
        self,
        table: ValueTable,
        alpha: np.ndarray,
        ties: Ties,
        x0: np.ndarray | None = None,
    ) -> None:
        self.v = table.values
        self.x0 = self.v if x0 is None else x0  # xmin of the candidate starting at each index
        self.c = table.counts
        self.discrete = table.discrete
        self.ties = ties
        self.below = np.concatenate([[0.0], np.cumsum(self.c)[:-1]])  # count strictly below
        self.n_tail = self.c.sum() - self.below
        self.alpha = alpha  # per distinct index (NaN where not a candidate)
        self.log_v = np.log(self.v)
        self.log_x0 = np.log(self.x0)
        if self.discrete:
            with np.errstate(invalid="ignore"):
                self.z = special.zeta(alpha, self.x0)

    def components(
        self, j: np.ndarray, k: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Model CDF just below/at ``v_k`` and empirical CDF just below/at ``v_k``.

        Between two tail points ``a < b`` every comparison made at an intermediate
        point lies within ``[hi_a, lo_b]`` (model) and ``[e_hi_a, e_lo_b]`` (data), so
        ``max(lo_b - e_hi_a, e_lo_b - hi_a)`` bounds the deviation there.
        """
        n = self.n_tail[j]
        e_lo = (self.below[k] - self.below[j]) / n
        a = self.alpha[j]
        if self.discrete:
            z = self.z[j]
            lo = 1.0 - special.zeta(a, self.v[k]) / z
            hi = 1.0 - special.zeta(a, self.v[k] + 1.0) / z
            return lo, hi, e_lo, e_lo + self.c[k] / n
        f = -np.expm1((1.0 - a) * (self.log_v[k] - self.log_x0[j]))
        e_hi = e_lo + (self.c[k] - 1.0) / n if self.ties == "each" else e_lo
        return f, f, e_lo, e_hi

    def bounds(
        self, j: np.ndarray, points: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lower and upper bounds of ``D`` for candidates ``j`` from the given points.

        ``points`` must start with index 0. For each candidate, points at or before
        ``j`` are replaced by ``j`` itself, so every row reads: the candidate's own
        first point, then the points beyond it. Computed by broadcasting a column of
        candidates against a row of points (no gathers of size candidates x points).
        """
        jc = j[:, None]
        n = self.n_tail[jc]
        a = self.alpha[jc]
        own = points[None, :] <= jc
        vp = self.v[points][None, :]
        cp = self.c[points][None, :]
        # points at or before j contribute j's own values: e_lo = 0 and F = 0 there
        e_lo = np.maximum(self.below[points][None, :] - self.below[jc], 0.0) / n
        if self.discrete:
            z = self.z[jc]
            own_hi = 1.0 - special.zeta(a, self.v[jc] + 1.0) / z
            lo = np.where(own, 0.0, 1.0 - special.zeta(a, vp) / z)
            hi = np.where(own, own_hi, 1.0 - special.zeta(a, vp + 1.0) / z)
            e_hi = np.where(own, self.c[jc] / n, e_lo + cp / n)
        else:
            gap = np.maximum(self.log_v[points][None, :] - self.log_x0[jc], 0.0)
            lo = -np.expm1((1.0 - a) * gap)
            hi = lo
            if self.ties == "each":
                e_hi = np.where(own, (self.c[jc] - 1.0) / n, e_lo + (cp - 1.0) / n)
            else:
                e_hi = e_lo
        dev = np.maximum(np.abs(lo - e_lo), np.abs(hi - e_hi))
        at = dev.argmax(axis=1)
        lower = dev[np.arange(j.size), at]
        gaps = np.maximum(lo[:, 1:] - e_hi[:, :-1], e_lo[:, 1:] - hi[:, :-1])
        upper = np.maximum(lower, gaps.max(axis=1, initial=0.0))
        return lower, upper, np.maximum(points[at], j)

    def __call__(self, j: np.ndarray, k: np.ndarray) -> np.ndarray:
        n = self.n_tail[j]
        e_lo = (self.below[k] - self.below[j]) / n
        a = self.alpha[j]
        if self.discrete:
            z = self.z[j]
            s_lo = special.zeta(a, self.v[k]) / z  # P(X >= v_k)
            s_hi = special.zeta(a, self.v[k] + 1.0) / z  # P(X > v_k)
            e_hi = e_lo + self.c[k] / n
            return np.maximum(np.abs(1.0 - s_lo - e_lo), np.abs(1.0 - s_hi - e_hi))
        f = -np.expm1((1.0 - a) * (self.log_v[k] - self.log_x0[j]))
        dev = np.abs(f - e_lo)
        if self.ties == "each":
            dev = np.maximum(dev, np.abs(f - (e_lo + (self.c[k] - 1.0) / n)))
        return dev

    def exact(self, j: int, stop: float = np.inf, hint: int | None = None) -> float:
        """Exact KS distance of candidate ``j`` (contiguous slices, no gathers).

        The tail is scanned in growing chunks; as soon as the running maximum exceeds
        ``stop`` that partial maximum (a lower bound of ``D``, already above ``stop``)
        is returned, since the candidate cannot win any more. ``hint`` (where a large
        deviation was seen) is examined first.
        """
        size = self.v.size
        if hint is not None and np.isfinite(stop):
            lo_w, hi_w = max(j, hint - 2048), min(size, hint + 2048)
            first = self._chunk(j, lo_w, hi_w)
            if first > stop:
                return first
        best = 0.0
        start = j
        step = 4096
        while start < size:
            end = min(size, start + step)
            best = max(best, self._chunk(j, start, end))
            if best > stop:
                return best
            start = end
            step *= 2
        return best

    def _chunk(self, j: int, start: int, end: int) -> float:
        """Largest deviation of candidate ``j`` over distinct indices ``start:end``."""
        n = self.n_tail[j]
        a = self.alpha[j]
        e_lo = (self.below[start:end] - self.below[j]) / n
        if self.discrete:
            z = self.z[j]
            lo = 1.0 - special.zeta(a, self.v[start:end]) / z
            hi = 1.0 - special.zeta(a, self.v[start:end] + 1.0) / z
            e_hi = e_lo + self.c[start:end] / n
            d = max(np.abs(lo - e_lo).max(), np.abs(hi - e_hi).max())
        else:
            f = -np.expm1((1.0 - a) * (self.log_v[start:end] - self.log_x0[j]))
            d = np.abs(f - e_lo).max()
            if self.ties == "each":
                d = max(d, np.abs(f - e_lo - (self.c[start:end] - 1.0) / n).max())
        return float(d)


def ks_distance(table: ValueTable, xmin: float, alpha: float, ties: Ties = "each") -> float:
    """KS distance between the power law (``xmin``, ``alpha``) and the tail of ``table``."""
    tail = table.tail(xmin)
    if tail.n_distinct == 0:
        raise DataError(f"no observations at or above xmin = {xmin:g}")
    m = tail.n_distinct
    alpha_arr = np.full(m, np.nan)
    alpha_arr[0] = alpha
    x0 = np.full(m, float(xmin))
    return _Deviation(tail, alpha_arr, ties, x0).exact(0)


def candidate_indices(
    table: ValueTable,
    xmin_range: tuple[float, float] | None = None,
    min_tail: int = MIN_TAIL,
) -> np.ndarray:
    """Indices of the distinct values that are admissible ``xmin`` candidates."""
    v, c = table.values, table.counts
    tail_n = c[::-1].cumsum()[::-1]
    ok = tail_n >= min_tail
    ok[-1] = False  # a single distinct value in the tail: alpha undefined
    if xmin_range is not None:
        lo, hi = xmin_range
        if lo > hi:
            raise ParameterError(f"xmin range ({lo:g}, {hi:g}) is empty")
        ok &= (v >= lo) & (v <= hi)
    return np.flatnonzero(ok)


def scan_xmin(
    table: ValueTable,
    *,
    xmin_range: tuple[float, float] | None = None,
    min_tail: int = MIN_TAIL,
    ties: Ties = "each",
    method: Literal["bound", "exhaustive"] = "bound",
) -> XminScan:
    """Choose ``xmin`` minimising the KS distance (exact; see the module docstring).

    Parameters
    ----------
    table
        The data.
    xmin_range
        Only consider candidates in ``[lo, hi]``.
    min_tail
        Fewest observations at or above a candidate.
    ties
        How the continuous empirical CDF treats tied values (``"each"`` or ``"left"``).
    method
        ``"bound"`` (branch-and-bound, fast) or ``"exhaustive"``; both give the same
        ``xmin``.

    Raises
    ------
    DataError
        No admissible candidate (too few tail points or all values equal).
    """
    if ties not in ("each", "left"):
        raise ParameterError(f"ties must be 'each' or 'left', got {ties!r}")
    cand = candidate_indices(table, xmin_range, min_tail)
    if cand.size == 0:
        if table.n_distinct < 2:
            raise DataError(f"all {table.n} values are equal ({table.values[0]:g}): nothing to fit")
        raise DataError(
            f"no xmin candidate leaves at least {min_tail} observations and two distinct "
            "values in the tail"
            + (f" within the range {xmin_range}" if xmin_range is not None else "")
        )
    v, c = table.values, table.counts
    tail_n = c[::-1].cumsum()[::-1]
    tail_log = (c * np.log(v))[::-1].cumsum()[::-1]
    alpha_all = np.full(v.size, np.nan)
    if table.discrete:
        alpha_all[cand] = discrete_alpha(v[cand], tail_n[cand], tail_log[cand])
    else:
        alpha_all[cand] = continuous_alpha(v[cand], tail_n[cand], tail_log[cand])
    dev = _Deviation(table, alpha_all, ties)
    m = v.size
    ks = np.full(cand.size, np.nan)
    if method == "exhaustive":
        for i, j in enumerate(cand):
            ks[i] = dev.exact(int(j))
        lower = ks.copy()
        best = int(np.argmin(ks))
        return XminScan(v[cand], alpha_all[cand], tail_n[cand], ks, lower, best, cand.size)
    if method != "bound":
        raise ParameterError(f"method must be 'bound' or 'exhaustive', got {method!r}")
    # lower and upper bounds from a strided subset of points; prune candidates whose
    # lower bound exceeds the best upper bound, then evaluate the survivors exactly in
    # increasing order of their lower bound until the bound passes the best D found
    n_points = min(m, MAX_POINTS)
    points = np.unique(np.linspace(0, m - 1, n_points).astype(int))
    rows = max(1, _BLOCK // (points.size + 1))
    lower = np.empty(cand.size)
    hint = np.empty(cand.size, dtype=int)
    upper_best = np.inf
    for start in range(0, cand.size, rows):
        lo_b, up_b, at = dev.bounds(cand[start : start + rows], points)
        lower[start : start + rows] = lo_b
        hint[start : start + rows] = at
        upper_best = min(upper_best, float(up_b.min()))
    alive = np.flatnonzero(lower <= upper_best * (1.0 + 1e-12) + 1e-15)
    order = alive[np.argsort(lower[alive], kind="stable")]
    best_d = np.inf
    best = -1
    evaluated = 0
    for i in order:
        stop = best_d * (1.0 + 1e-12) + 1e-15
        if lower[i] > stop:
            break
        d = dev.exact(int(cand[i]), stop, int(hint[i]))
        evaluated += 1
        if d > stop:
            lower[i] = max(lower[i], d)  # stopped early: a lower bound above the best
            continue
        ks[i] = d
        if d < best_d or (d == best_d and i < best):
            best_d, best = d, int(i)
    return XminScan(v[cand], alpha_all[cand], tail_n[cand], ks, lower, best, evaluated)
