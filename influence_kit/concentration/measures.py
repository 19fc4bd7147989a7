"""Concentration measures: Lorenz curve, Gini, top-p shares and "p% make q%".

Every measure works on a :class:`~influence_kit.tables.ValueTable`: sorted values,
the number of people observed at each (``counts``), the people with nothing
(``n_zeros``) and optional survey weights. Each function also accepts raw values
(one per person), or a histogram's values with ``counts``, and optional
``weights``: they are collapsed into a table by
:func:`~influence_kit.tables.value_table`, so a table and the same values expanded
person by person give identical results (the tests check this).

Conventions
-----------
* **Zeros are people.** Unlike fitting, concentration counts the zeros of a table
  as people holding nothing.
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
  :func:`top_group` states the split itself: the boundary value and the fraction
  of the people tied at it that belong to the top group holding a share q.
* **Gini** is the area formula on that curve,
  ``G = 1 - sum_k (F_k - F_{k-1}) (L_k + L_{k-1})``, which equals the mean absolute
  difference over all ordered pairs divided by twice the mean (the "population"
  Gini, denominator n^2, not the small-sample n(n-1) version). For n equally
  weighted people it lies in [0, 1 - 1/n].
* **Inverse.** :func:`fraction_for_share` is the smallest fraction of people
  (from the top) holding at least a share q; with fractional ties the top-share
  curve is continuous and strictly increasing wherever values are positive, so it
  is the exact inverse of :func:`top_share`.

Bad input (empty data, negative values, NaN or infinity, all values zero,
non-integer counts, p or q outside (0, 1)) raises
:class:`~influence_kit.errors.DataError` or
:class:`~influence_kit.errors.ParameterError` with a one-line message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..results import Result
from ..tables import ValueTable, value_table
from ..validation import check_fractions

__all__ = [
    "LorenzCurve",
    "TopGroup",
    "fraction_for_share",
    "gini",
    "lorenz_curve",
    "top_curve",
    "top_group",
    "top_share",
]


def _table(
    values: ArrayLike | ValueTable,
    counts: ArrayLike | None,
    weights: ArrayLike | None,
    name: str = "values",
) -> ValueTable:
    return value_table(values, counts, weights=weights, name=name)


def top_curve(table: ValueTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The top-down concentration curve of a table, through its rows.

    Parameters
    ----------
    table
        The distribution (zeros are people with nothing).

    Returns
    -------
    values, people_share, value_share
        ``values`` are the rows' values, largest first (zero rows last);
        ``people_share[k]`` and ``value_share[k]`` are the shares of people and of
        the total held by the rows before row ``k`` (both start at 0 and end at 1,
        one more point than rows). Every measure interpolates linearly between
        these points.
    """
    values, counts, weights = table.rows()
    values = values[::-1]
    # Shares do not depend on the scale: dividing by the largest value and head count
    # before summing keeps sums of values near 1e308 (or counts near it) finite.
    people = (counts / (np.max(counts, initial=0.0) or 1.0)) * (
        weights / (np.max(weights, initial=0.0) or 1.0)
    )
    people = people[::-1]
    largest = float(values[0]) if values.size else 0.0
    scaled = values / largest if largest > 0 else values
    cum_people = np.concatenate([[0.0], np.cumsum(people)])
    cum_mass = np.concatenate([[0.0], np.cumsum(people * scaled)])
    return values, cum_people / cum_people[-1], cum_mass / cum_mass[-1]


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
    values: ArrayLike | ValueTable,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> LorenzCurve:
    """The Lorenz curve: cumulative share of the total against share of people.

    Parameters
    ----------
    values, counts, weights
        A :class:`~influence_kit.tables.ValueTable`, or what
        :func:`~influence_kit.tables.value_table` accepts.

    Returns
    -------
    LorenzCurve
        Points from (0, 0) to (1, 1), sorted from the smallest value up; the
        curve is linear between them (ties split fractionally).
    """
    table = _table(values, counts, weights)
    _, x, y = top_curve(table)
    # Bottom-up coordinates: 1 - (top-down curve read backwards).
    pop = 1.0 - x[::-1]
    share = 1.0 - y[::-1]
    pop[0], share[0], pop[-1], share[-1] = 0.0, 0.0, 1.0, 1.0
    return LorenzCurve(
        population_share=pop,
        value_share=np.clip(share, 0.0, 1.0),
        gini=_gini_from_curve(x, y),
        n_people=float(table.n_observations),
    )


def gini(
    values: ArrayLike | ValueTable,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> float:
    """Gini coefficient of a table or raw values, in [0, 1) (see the module notes)."""
    _, x, y = top_curve(_table(values, counts, weights))
    return _gini_from_curve(x, y)


def top_share(
    values: ArrayLike | ValueTable,
    p: float | Sequence[float] | np.ndarray,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> np.ndarray:
    """Share of the total held by the top fraction ``p`` of people (ties split).

    Parameters
    ----------
    values, counts, weights
        A :class:`~influence_kit.tables.ValueTable`, or what
        :func:`~influence_kit.tables.value_table` accepts.
    p
        Fractions of the population in (0, 1), counted from the largest value.

    Returns
    -------
    numpy.ndarray
        One share per ``p``.
    """
    p = check_fractions("p", p)
    _, x, y = top_curve(_table(values, counts, weights))
    return np.interp(p, x, y)


def fraction_for_share(
    values: ArrayLike | ValueTable,
    q: float | Sequence[float] | np.ndarray,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> np.ndarray:
    """Smallest fraction of people, from the top, holding a share ``q`` ("p% make q%").

    Parameters
    ----------
    values, counts, weights
        A :class:`~influence_kit.tables.ValueTable`, or what
        :func:`~influence_kit.tables.value_table` accepts.
    q
        Shares of the total in (0, 1).

    Returns
    -------
    numpy.ndarray
        One fraction per ``q``.
    """
    q = check_fractions("q", q)
    vals, x, y = top_curve(_table(values, counts, weights))
    # Rows with value 0 add people but no mass; they sit at the end (bottom) and
    # are never needed to reach q < 1, so they are left out of the inverse.
    positive = int(np.count_nonzero(vals > 0))
    return np.interp(q, y[: positive + 1], x[: positive + 1])


@dataclass(frozen=True)
class TopGroup:
    """The smallest top group holding a share of the total, ties split fractionally.

    Everyone with a value above ``boundary`` is in the group; of the people whose
    value equals ``boundary``, the fraction ``tie_fraction`` is in (each tied person
    has membership ``tie_fraction``), just enough for the group to hold exactly
    ``share``.

    Attributes
    ----------
    share
        The share of the total the group holds.
    boundary
        The value at which the cumulative total (from the top) reaches ``share``.
    tie_fraction
        Fraction, in (0, 1], of the people at ``boundary`` who are in the group.
    fraction
        Fraction of the population (by weight) in the group: equals
        :func:`fraction_for_share` for ``share < 1``.
    """

    share: float
    boundary: float
    tie_fraction: float
    fraction: float

    def membership(self, values: ArrayLike) -> np.ndarray:
        """Membership in [0, 1] of people with these values (1 above, split at the boundary)."""
        v = np.asarray(values, dtype=float)
        return np.where(
            v > self.boundary, 1.0, np.where(v == self.boundary, self.tie_fraction, 0.0)
        )


def top_group(
    values: ArrayLike | ValueTable,
    share: float,
    counts: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> TopGroup:
    """The smallest top group holding ``share`` of the (weighted) total.

    People are ranked by value, largest first; the group is the fewest people (by
    weight) whose mass reaches ``share`` of the total. The value at which the
    cumulative mass crosses the target is the boundary: everyone above it is in,
    and the people tied at it are in with the same fractional membership, just
    enough for the group to hold exactly ``share`` (the Lorenz curve interpolated,
    as every measure here does). This is the per-person form of
    :func:`fraction_for_share`.

    Parameters
    ----------
    values, counts, weights
        A :class:`~influence_kit.tables.ValueTable`, or what
        :func:`~influence_kit.tables.value_table` accepts (raw per-person values
        with optional positive weights).
    share
        Target share of the total, in (0, 1].

    Returns
    -------
    TopGroup
        Boundary value, tie fraction and population fraction of the group; its
        :meth:`TopGroup.membership` gives each person's membership.
    """
    if share != 1.0:
        check_fractions("share", share)
    table = _table(values, counts, weights)
    vals, x, y = top_curve(table)
    positive = int(np.count_nonzero(vals > 0))
    target = float(share)
    # The row where the cumulative mass reaches the target (tolerating rounding).
    k = int(np.searchsorted(y[1 : positive + 1], target * (1.0 - 1e-12), side="left"))
    k = min(k, positive - 1)
    # A weighted table may hold several rows (weights) with the boundary value.
    first = int(np.searchsorted(-vals, -vals[k], side="left"))
    end = int(np.searchsorted(-vals, -vals[k], side="right"))
    tied_mass = y[end] - y[first]
    tie = min(1.0, max(0.0, (target - y[first]) / tied_mass)) if tied_mass > 0 else 1.0
    fraction = x[first] + tie * (x[end] - x[first])
    return TopGroup(
        share=target, boundary=float(vals[k]), tie_fraction=float(tie), fraction=float(fraction)
    )
