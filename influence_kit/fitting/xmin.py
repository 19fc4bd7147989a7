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
distinct values, 5e11 for 1e6). :func:`scan_xmin` finds exactly the same minimiser
by branch and bound, every step vectorised over candidates:

1. for every candidate at once, the deviations at :data:`FIRST_POINTS` evenly
   spaced values give a *lower* bound of ``D`` and (both CDFs being monotone
   between two sampled points) an *upper* bound; the candidate with the smallest
   upper bound is evaluated exactly, giving a first best ``D``;
2. seed: a sample of candidates spread over the range (plus those with the
   smallest bounds, plus a denser sample around the best of them) is refined and
   its best few evaluated exactly, so the best ``D`` is close to the minimum early;
   every candidate then inherits the place where the nearest sampled candidate's
   deviation peaked (neighbouring candidates peak at about the same place);
3. refinement levels, each applied only to the candidates whose lower bound is
   still below the best ``D``: deviations at windows of consecutive values around
   each candidate's peak (candidates whose peaks are close share their window, so
   it is a broadcast, not a gather), then at :data:`MAX_POINTS`, 1024, 8192, ...
   evenly spaced values; after each grid the candidate with the smallest bound is
   evaluated exactly;
4. the few survivors are evaluated exactly in increasing order of their lower
   bound, each starting where its deviation peaked and abandoned as soon as its
   running maximum exceeds the best ``D``; the search stops when the next lower
   bound exceeds it.

Every bound is a deviation at an actual data value (so never above the true
``D``) and pruning keeps a relative margin of 1e-12, so the result is the
exhaustive scan's. Ties in ``D`` go to the smallest ``xmin``, as in an exhaustive
scan; ``method="exhaustive"`` evaluates every candidate (used by the tests to check
that both agree). For discrete data ``zeta(alpha, v + 1)`` is obtained from
``zeta(alpha, v)`` by subtracting ``v ** -alpha``: one Hurwitz zeta per point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import special

from ..constants import MIN_TAIL
from ..distributions.power_law import continuous_alpha, discrete_alpha
from ..errors import DataError, ParameterError
from ..formatting import format_value
from ..results import Result
from ..tables import ValueTable

#: Candidate/point pairs evaluated per vectorised block in the bound computation.
_BLOCK = 2_000_000

#: Evenly spaced values of the first refinement grid (finer grids follow, 8 times
#: finer each); the exact evaluations start where a candidate's bound peaked.
MAX_POINTS = 128

#: Tail points per candidate in the first pass over every candidate.
FIRST_POINTS = 16

#: Up to this many distinct values the first bounds go straight to the exact
#: evaluations (step 4), skipping the seed and refinement steps.
SMALL = 4096

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
        self.unit = bool(np.all(self.c == 1.0))  # all values distinct
        self.n_tail = self.c.sum() - self.below
        self.alpha = alpha  # per distinct index (NaN where not a candidate)
        self.log_v = np.log(self.v)
        self.log_x0 = np.log(self.x0)
        if self.discrete:
            with np.errstate(invalid="ignore"):
                self.z = special.zeta(alpha, self.x0)

    def bounds(
        self, j: np.ndarray, points: np.ndarray, with_upper: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lower and upper bounds of ``D`` for candidates ``j`` from the given points.

        For each candidate, points at or before ``j`` are replaced by ``j`` itself, so
        every row reads: the candidate's own first point, then the points beyond it
        (for the upper bound ``points`` must start with index 0). Computed by
        broadcasting a column of candidates against a row of points (no gathers of
        size candidates x points).
        Without ``with_upper`` the upper bound is not computed (the lower is returned
        in its place).
        """
        jc = j[:, None]
        n = self.n_tail[jc]
        a = self.alpha[jc]
        vp = self.v[points][None, :]
        cp = self.c[points][None, :]
        # points at or before j contribute j's own values: e_lo = 0 and F = 0 there
        e_lo = np.subtract(self.below[points][None, :], self.below[jc])
        np.maximum(e_lo, 0.0, out=e_lo)
        np.divide(e_lo, n, out=e_lo)
        lo: np.ndarray
        hi: np.ndarray
        if self.discrete:
            own = points[None, :] <= jc
            z = self.z[jc]
            own_hi = np.exp(-a * self.log_v[jc]) / z
            lo = 1.0 - special.zeta(a, vp) / z
            hi = np.where(own, own_hi, lo + np.exp(-a * self.log_v[points][None, :]) / z)
            lo = np.where(own, 0.0, lo)
            e_hi = np.where(own, self.c[jc] / n, e_lo + cp / n)
        else:
            # in place: these arrays are the largest the scan allocates
            lo = np.subtract(self.log_v[points][None, :], self.log_x0[jc])
            np.maximum(lo, 0.0, out=lo)
            np.multiply(lo, 1.0 - a, out=lo)
            np.expm1(lo, out=lo)
            np.negative(lo, out=lo)
            hi = lo
            if self.ties == "each" and not self.unit:
                own = points[None, :] <= jc
                e_hi = np.where(own, (self.c[jc] - 1.0) / n, e_lo + (cp - 1.0) / n)
            else:
                e_hi = e_lo  # every count is 1 (or ties="left"): no step within a value
        if hi is lo and e_hi is e_lo:
            dev = np.subtract(lo, e_lo)
            np.abs(dev, out=dev)
        else:
            dev = np.maximum(np.abs(lo - e_lo), np.abs(hi - e_hi))
        at = dev.argmax(axis=1)
        lower = dev[np.arange(j.size), at]
        if not with_upper:
            return lower, lower, np.maximum(points[at], j)
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
            s_hi = s_lo - np.exp(-a * self.log_v[k]) / z  # P(X > v_k)
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
            if first > stop or (lo_w == j and hi_w == size):
                return first  # above the best, or the window was the whole tail
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
            hi = lo + np.exp(-a * self.log_v[start:end]) / z
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
        raise DataError(f"no observations at or above xmin = {format_value(xmin)}")
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
            raise ParameterError(f"xmin range ({format_value(lo)}, {format_value(hi)}) is empty")
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
            raise DataError(
                f"all {table.n} values are equal ({format_value(table.values[0])}): nothing to fit"
            )
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
    # lower bound exceeds the best upper bound; tighten the lower bounds of the rest in
    # vectorised passes (windows around where each candidate's deviation peaked, then
    # finer strided grids), pruning against the best exact D found so far; evaluate the
    # few survivors exactly in increasing order of their lower bound
    n_points = min(m, FIRST_POINTS)
    points = np.unique(np.linspace(0, m - 1, n_points).astype(int))
    rows = max(1, _BLOCK // (points.size + 1))
    lower = np.empty(cand.size)
    hint = np.empty(cand.size, dtype=int)
    upper = np.empty(cand.size)
    for start in range(0, cand.size, rows):
        lo_b, up_b, at = dev.bounds(cand[start : start + rows], points)
        lower[start : start + rows] = lo_b
        upper[start : start + rows] = up_b
        hint[start : start + rows] = at
    search = _Search(dev, cand, lower, hint, ks)
    first = int(np.argmin(upper))
    search.prune(float(upper[first]))
    if m > SMALL:
        search.evaluate(first)  # the best guaranteed candidate: a first D to prune against
        search.refine()
    search.finish()
    return XminScan(
        v[cand], alpha_all[cand], tail_n[cand], ks, search.lower, search.best, search.evaluated
    )


def _stop(best_d: float) -> float:
    """Pruning threshold: the best D with room for rounding between evaluation paths."""
    return best_d * (1.0 + 1e-12) + 1e-15


class _Search:
    """State of the branch and bound over candidates (see :func:`scan_xmin`)."""

    def __init__(
        self,
        dev: _Deviation,
        cand: np.ndarray,
        lower: np.ndarray,
        hint: np.ndarray,
        ks: np.ndarray,
    ) -> None:
        self.dev = dev
        self.cand = cand
        self.lower = lower
        self.hint = hint
        self.ks = ks
        self.best_d = np.inf
        self.best = -1
        self.evaluated = 0
        self.done = np.zeros(cand.size, dtype=bool)  # evaluated exactly or ruled out
        self.cut = np.inf  # candidates with a lower bound above this are out

    def prune(self, threshold: float) -> None:
        self.cut = min(self.cut, threshold * (1.0 + 1e-12) + 1e-15)

    def evaluate(self, i: int) -> None:
        """Exact KS distance of candidate ``i`` (abandoned early once above the best)."""
        stop = _stop(self.best_d)
        d = self.dev.exact(int(self.cand[i]), stop, int(self.hint[i]))
        self.evaluated += 1
        self.done[i] = True
        if d > stop:
            self.lower[i] = max(self.lower[i], d)  # stopped early: a lower bound above the best
            return
        self.ks[i] = d
        self.lower[i] = d
        if d < self.best_d or (d == self.best_d and i < self.best):
            self.best_d, self.best = d, int(i)
        self.prune(d)

    def alive(self) -> np.ndarray:
        return np.flatnonzero(~self.done & (self.lower <= self.cut))

    def evaluate_lowest(self) -> None:
        alive = self.alive()
        if alive.size:
            self.evaluate(int(alive[np.argmin(self.lower[alive])]))

    def refine(self) -> None:
        """Tighten the lower bounds of the surviving candidates, level by level."""
        m = self.dev.v.size
        self._seed()
        steps = [("window", 32), ("points", MAX_POINTS)]
        for width, n_points in ((32, 1024), (256, 8192), (2048, 65536), (16384, 524288)):
            steps += [("window", width), ("points", n_points)]
        for kind, size in steps:
            alive = self.alive()
            if alive.size <= 8 or (kind == "points" and size >= m):
                return
            if kind == "points":
                self._points(alive, size)
                self.evaluate_lowest()
            else:
                self._window(alive, size)

    def _seed(self) -> None:
        """Find a good first D: refine a sample of candidates, evaluate its best few.

        The sample is evenly spread over the candidates (the KS distance changes
        little between neighbouring candidates) plus those with the smallest bounds.
        """
        alive = self.alive()
        if alive.size <= 8:
            return
        m = self.dev.v.size
        n_sample = min(2048, max(64, m // 32))
        n_points = min(1024, max(64, m // 16))
        spread = alive[np.unique(np.linspace(0, alive.size - 1, n_sample).astype(int))]
        lowest = alive[np.argsort(self.lower[alive], kind="stable")[:64]]
        sample = np.union1d(spread, lowest)
        self._window(sample, 32)
        self._points(sample, n_points)
        # neighbouring candidates peak at about the same place: every candidate starts
        # from the peak of the nearest sampled one
        near = np.clip(np.searchsorted(sample, alive), 0, sample.size - 1)
        self.hint[alive] = np.maximum(self.hint[sample[near]], self.cand[alive])
        # zoom in: candidates around the best sampled ones, more densely
        spacing = alive.size // n_sample
        if spacing > 1:
            pos = np.searchsorted(alive, sample[np.argsort(self.lower[sample])[:8]])
            around = [
                np.linspace(max(p - spacing, 0), min(p + spacing, alive.size - 1), 256) for p in pos
            ]
            zoom = alive[np.unique(np.concatenate(around).astype(int))]
            self._window(zoom, 32)
            self._points(zoom, n_points)
            sample = np.union1d(sample, zoom)
        for _ in range(4):
            sample = sample[~self.done[sample] & (self.lower[sample] <= self.cut)]
            if not sample.size:
                break
            self.evaluate(int(sample[np.argmin(self.lower[sample])]))

    def _points(self, alive: np.ndarray, n_points: int) -> None:
        """Deviations at ``n_points`` evenly spaced distinct values (the same for all)."""
        m = self.dev.v.size
        self._at_points(alive, np.unique(np.linspace(0, m - 1, n_points).astype(int)))

    def _at_points(self, alive: np.ndarray, points: np.ndarray) -> None:
        """Raise the lower bounds of ``alive`` with the deviations at shared ``points``."""
        rows = max(1, _BLOCK // (points.size + 1))
        for start in range(0, alive.size, rows):
            idx = alive[start : start + rows]
            lo_b, _, at = self.dev.bounds(self.cand[idx], points, with_upper=False)
            raise_ = lo_b > self.lower[idx]
            self.lower[idx] = np.where(raise_, lo_b, self.lower[idx])
            self.hint[idx] = np.where(raise_, at, self.hint[idx])

    def _window(self, alive: np.ndarray, width: int) -> None:
        """Deviations at (at least) the ``2 * width`` points centred on each hint.

        Candidates whose hints fall in the same block of ``width`` points share their
        window (broadcast, no gathers); when the hints are too scattered for that to
        pay, each candidate gathers its own window.
        """
        m = self.dev.v.size
        block = self.hint[alive] // width
        order = np.argsort(block, kind="stable")
        edges = np.flatnonzero(np.diff(block[order])) + 1
        if 16 * (edges.size + 1) <= alive.size:
            for group in np.split(alive[order], edges):
                c = int(self.hint[group[0]] // width * width)
                self._at_points(group, np.arange(max(c - width, 0), min(c + 2 * width, m)))
            return
        offsets = np.arange(-width, width)
        rows = max(1, _BLOCK // offsets.size)
        for start in range(0, alive.size, rows):
            idx = alive[start : start + rows]
            j = self.cand[idx]
            k = np.clip(self.hint[idx][:, None] + offsets[None, :], j[:, None], m - 1)
            self._update(idx, j, k)

    def _update(self, idx: np.ndarray, j: np.ndarray, k: np.ndarray) -> None:
        d = self.dev(j[:, None], k)
        at = d.argmax(axis=1)
        best = d[np.arange(idx.size), at]
        raise_ = best > self.lower[idx]
        self.lower[idx] = np.where(raise_, best, self.lower[idx])
        self.hint[idx] = np.where(raise_, k[np.arange(idx.size), at], self.hint[idx])

    def finish(self) -> None:
        """Evaluate the survivors exactly in increasing order of their lower bound."""
        alive = self.alive()
        order = alive[np.argsort(self.lower[alive], kind="stable")]
        for i in order:
            if self.lower[i] > _stop(self.best_d):
                break
            self.evaluate(int(i))
