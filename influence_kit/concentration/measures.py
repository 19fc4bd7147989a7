"""Concentration measures: Lorenz curve, Gini, top-p shares and "p% make q%".

Every measure works on a :class:`ConcentrationTable`: distinct values, the number of
people observed at each value (``counts``) and an optional per-person survey
weight. Raw values are collapsed into such a table by :func:`concentration_table`, so
a table with ``counts`` and the same values expanded person by person give
identical results (the tests check this).

Conventions
-----------
* **Population weight.** A row holds ``counts * weights`` people; value mass is
  ``counts * weights * value``. Shares are fractions of the total weight and of
  the total mass.
* **Ties are split fractionally.** People with equal values are
  interchangeable, so when the boundary of "the top p" falls inside a group of
  tied people, the group is split and the top gets the matching fraction of it.
  Equivalently, the Lorenz curve is the piecewise-linear curve through the
  cumulative (population, value) points of the sorted distinct values, and every
  measure reads that curve. "The top 16%" therefore always means exactly 16% of
  the population, never "everyone whose value is at least the 84th percentile".
* **Gini** is the area formula on that curve,
  ``G = 1 - sum_k (F_k - F_{k-1}) (L_k + L_{k-1})``, which equals the mean absolute
  difference over all ordered pairs divided by twice the mean (the "population"
  Gini, denominator n^2, not the small-sample n(n-1) version). For n equally
  weighted people it lies in [0, 1 - 1/n].
* **Inverse.** :meth:`ConcentrationTable.fraction_for_share` is the smallest
  fraction of people (from the top) holding at least a share q; with fractional
  ties the top-share curve is continuous and strictly increasing wherever values
  are positive, so it is the exact inverse of :meth:`ConcentrationTable.top_share`.

Bad input (empty data, negative values, NaN or infinity, all values zero,
non-integer counts, p or q outside (0, 1)) raises
:class:`~influence_kit.errors.DataError` or
:class:`~influence_kit.errors.ParameterError` with a one-line message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..errors import DataError, ParameterError
from ..results import Result

__all__ = [
    "ConcentrationTable",
    "LorenzCurve",
    "check_fractions",
    "concentration_table",
    "fraction_for_share",
    "gini",
    "lorenz_curve",
    "top_share",
]


def check_fractions(values: ArrayLike, name: str) -> np.ndarray:
    """Return ``values`` as a 1-d float array, refusing anything outside (0, 1).

    Parameters
    ----------
    values
        One fraction or a sequence of them.
    name
        What the values are (``"p"``, ``"q"``, ``"--top"``...), used in the message.

    Raises
    ------
    ParameterError
        If any value is not a finite number strictly between 0 and 1, or none is given.
    """
    try:
        arr = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be numbers in (0, 1), got {values!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ParameterError(f"{name} must be one or more numbers in (0, 1)")
    bad = arr[~((arr > 0) & (arr < 1))]
    if bad.size:
        raise ParameterError(f"{name} must lie strictly between 0 and 1, got {bad[0]:g}")
    return arr


def _as_1d(values: ArrayLike, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be numbers") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise DataError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def _check_finite_nonnegative(arr: np.ndarray, name: str) -> None:
    if np.isnan(arr).any():
        raise DataError(f"{name} contain NaN ({int(np.isnan(arr).sum())} of {arr.size})")
    if np.isinf(arr).any():
        raise DataError(f"{name} contain infinity ({int(np.isinf(arr).sum())} of {arr.size})")
    if (arr < 0).any():
        raise DataError(f"{name} must not be negative (smallest is {arr.min():g})")


@dataclass(frozen=True, eq=False)
class ConcentrationTable(Result):
    """People grouped by value: the input of every concentration measure.

    Build one with :func:`concentration_table`. Rows are sorted by value, largest
    first; within equal values rows differ only in their weight.

    Attributes
    ----------
    values
        Distinct values (non-negative), largest first.
    counts
        Number of sampled people in each row (non-negative integers, stored as
        floats); bootstrap resampling draws these.
    weights
        Survey weight of each person in the row (1 when unweighted).
    """

    values: np.ndarray
    counts: np.ndarray
    weights: np.ndarray
    _cum_people: np.ndarray = field(init=False, repr=False)
    _cum_mass: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        people = self.counts * self.weights
        object.__setattr__(self, "_cum_people", np.concatenate([[0.0], np.cumsum(people)]))
        object.__setattr__(
            self, "_cum_mass", np.concatenate([[0.0], np.cumsum(people * self.values)])
        )

    @property
    def n_people(self) -> float:
        """Number of sampled people (sum of counts)."""
        return float(self.counts.sum())

    @property
    def population(self) -> float:
        """Total population weight (sum of counts x weights)."""
        return float(self._cum_people[-1])

    @property
    def total(self) -> float:
        """Total value mass (sum of counts x weights x values)."""
        return float(self._cum_mass[-1])

    @property
    def mean(self) -> float:
        """Weighted mean value per person."""
        return self.total / self.population

    @property
    def n_distinct(self) -> int:
        """Number of rows (distinct values, or distinct value-weight pairs)."""
        return int(self.values.size)

    @property
    def weighted(self) -> bool:
        """Whether any weight differs from 1."""
        return bool((self.weights != 1.0).any())

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """Share of the total held by the top fraction ``p`` of people.

        Parameters
        ----------
        p
            Fractions of the population in (0, 1), counted from the largest value.

        Returns
        -------
        numpy.ndarray
            One share per ``p`` (ties at the boundary split fractionally).
        """
        p = check_fractions(p, "p")
        x = self._cum_people / self.population
        y = self._cum_mass / self.total
        return np.interp(p, x, y)

    def fraction_for_share(self, q: ArrayLike) -> np.ndarray:
        """Smallest fraction of people, from the top, holding at least a share ``q``.

        Parameters
        ----------
        q
            Shares of the total in (0, 1).

        Returns
        -------
        numpy.ndarray
            One fraction per ``q`` ("p% make q%").
        """
        q = check_fractions(q, "q")
        # Rows with value 0 add people but no mass; they sit at the end (bottom)
        # and are never needed to reach q < 1, so they are left out of the inverse.
        positive = int(np.count_nonzero(self.values > 0))
        x = self._cum_people[: positive + 1] / self.population
        y = self._cum_mass[: positive + 1] / self.total
        return np.interp(q, y, x)

    def gini(self) -> float:
        """Gini coefficient of the (weighted) distribution, in [0, 1)."""
        return _gini_from_curve(self._cum_people / self.population, self._cum_mass / self.total)

    def lorenz(self) -> LorenzCurve:
        """The Lorenz curve (see :func:`lorenz_curve`)."""
        return lorenz_curve(self)

    def expand(self) -> np.ndarray:
        """Every person's value (counts must be small); for tests and checks."""
        return np.repeat(self.values, self.counts.astype(np.int64))

    def summary(self) -> pd.DataFrame:
        """One row per distinct value: value, count, weight, share of people and of total."""
        people = self.counts * self.weights
        return pd.DataFrame(
            {
                "value": self.values,
                "count": self.counts,
                "weight": self.weights,
                "share_of_people": people / self.population,
                "share_of_total": people * self.values / self.total,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON data: the rows and the totals."""
        return {
            "values": self.values.tolist(),
            "counts": self.counts.tolist(),
            "weights": self.weights.tolist(),
            "n_people": self.n_people,
            "population": self.population,
            "total": self.total,
        }


def concentration_table(
    values: ArrayLike | ConcentrationTable,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
    *,
    name: str = "values",
) -> ConcentrationTable:
    """Collapse raw values, or a (value, count) table, into a :class:`ConcentrationTable`.

    Parameters
    ----------
    values
        One value per person, or one per row of a frequency table when
        ``counts`` is given (a :class:`ConcentrationTable` is returned unchanged;
        a fitting :class:`~influence_kit.fitting.table.FrequencyTable`, or any
        object with ``values``, ``counts`` and ``n_zeros``, is converted with its
        zeros).
        Values must be finite and non-negative, and not all zero.
    counts
        Number of people with each value (non-negative integers). Rows with a
        zero count are dropped.
    weights
        Survey weight of each person (or each row, applied to every person in
        it); positive and finite.
    name
        What the values are, used in error messages (for example a column name).

    Returns
    -------
    ConcentrationTable

    Raises
    ------
    DataError
        For empty data, negative values, NaN or infinity, non-integer counts,
        non-positive weights, mismatched lengths, or values that are all zero.
    """
    if isinstance(values, ConcentrationTable):
        if counts is not None or weights is not None:
            raise ParameterError("counts and weights cannot be given with a ConcentrationTable")
        return values
    if counts is None and all(hasattr(values, a) for a in ("values", "counts", "n_zeros")):
        # A fitting frequency table (positive values, their counts, zeros apart).
        table = values
        zeros = float(table.n_zeros)
        values = np.concatenate([[0.0], table.values]) if zeros else table.values
        counts = np.concatenate([[zeros], table.counts]) if zeros else table.counts
    x = _as_1d(values, name)
    if x.size == 0:
        raise DataError(f"{name}: no data (empty)")
    _check_finite_nonnegative(x, name)
    if counts is None:
        c = np.ones_like(x)
    else:
        c = _as_1d(counts, f"counts of {name}")
        if c.size != x.size:
            raise DataError(f"{name}: {x.size} values but {c.size} counts")
        _check_finite_nonnegative(c, f"counts of {name}")
        if not np.array_equal(c, np.round(c)):
            raise DataError(
                f"counts of {name} must be whole numbers of people (use weights for fractions)"
            )
    if weights is None:
        w = np.ones_like(x)
    else:
        w = _as_1d(weights, f"weights of {name}")
        if w.size != x.size:
            raise DataError(f"{name}: {x.size} values but {w.size} weights")
        if not np.isfinite(w).all() or (w <= 0).any():
            raise DataError(f"weights of {name} must be positive and finite")
    keep = c > 0
    x, c, w = x[keep], c[keep], w[keep]
    if x.size == 0:
        raise DataError(f"{name}: every count is zero (no people)")
    if not (x > 0).any():
        raise DataError(f"{name}: every value is zero, so concentration is undefined")
    # Group rows by (value, weight), largest value first.
    order = np.lexsort((w, -x))
    x, c, w = x[order], c[order], w[order]
    new = np.ones(x.size, dtype=bool)
    new[1:] = (x[1:] != x[:-1]) | (w[1:] != w[:-1])
    starts = np.flatnonzero(new)
    return ConcentrationTable(
        values=x[starts],
        counts=np.add.reduceat(c, starts).astype(float),
        weights=w[starts],
    )


def _gini_from_curve(x: np.ndarray, y: np.ndarray) -> float:
    """Gini from a top-share curve: twice the area under it minus one."""
    area = float(np.sum(np.diff(x) * (y[1:] + y[:-1])) / 2.0)
    return min(max(2.0 * area - 1.0, 0.0), 1.0)


@dataclass(frozen=True, eq=False)
class LorenzCurve(Result):
    """The Lorenz curve of a distribution, with its Gini coefficient.

    Attributes
    ----------
    population_share
        Cumulative share of people from the bottom (0 to 1), one point per
        distinct value plus the origin.
    value_share
        Cumulative share of the total held by them (0 to 1).
    gini
        Gini coefficient (see the module notes).
    n_people
        Number of sampled people.
    """

    population_share: np.ndarray
    value_share: np.ndarray
    gini: float
    n_people: float

    def at(self, population_share: ArrayLike) -> np.ndarray:
        """Share held by the bottom ``population_share`` of people (linear between points)."""
        return np.interp(
            np.asarray(population_share, dtype=float), self.population_share, self.value_share
        )

    def summary(self) -> pd.DataFrame:
        """The curve's points: ``population_share``, ``value_share``."""
        return pd.DataFrame(
            {"population_share": self.population_share, "value_share": self.value_share}
        )


def lorenz_curve(
    values: ArrayLike | ConcentrationTable,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> LorenzCurve:
    """The Lorenz curve: cumulative share of the total against share of people.

    Parameters
    ----------
    values, counts, weights
        As for :func:`concentration_table` (or a :class:`ConcentrationTable`).

    Returns
    -------
    LorenzCurve
        Points from (0, 0) to (1, 1), sorted from the smallest value up; the
        curve is linear between them (ties split fractionally).
    """
    table = concentration_table(values, counts, weights)
    x = table._cum_people / table.population
    y = table._cum_mass / table.total
    # Bottom-up coordinates: 1 - (top-down curve read backwards).
    pop = 1.0 - x[::-1]
    share = 1.0 - y[::-1]
    pop[0], share[0], pop[-1], share[-1] = 0.0, 0.0, 1.0, 1.0
    return LorenzCurve(
        population_share=pop,
        value_share=np.clip(share, 0.0, 1.0),
        gini=table.gini(),
        n_people=table.n_people,
    )


def gini(
    values: ArrayLike | ConcentrationTable,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> float:
    """Gini coefficient of raw values or a frequency table (see the module notes)."""
    return concentration_table(values, counts, weights).gini()


def top_share(
    values: ArrayLike | ConcentrationTable,
    p: float | Sequence[float] | np.ndarray,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> np.ndarray:
    """Share of the total held by the top fraction ``p`` of people (ties split)."""
    return concentration_table(values, counts, weights).top_share(p)


def fraction_for_share(
    values: ArrayLike | ConcentrationTable,
    q: float | Sequence[float] | np.ndarray,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> np.ndarray:
    """Smallest fraction of people holding a share ``q`` of the total ("p% make q%")."""
    return concentration_table(values, counts, weights).fraction_for_share(q)
