"""Value tables: the one (value, count) type shared by data, fitting and concentration.

A :class:`ValueTable` holds sorted distinct positive ``values`` with the number of
observations of each (``counts``, whole numbers); observations equal to zero are
counted apart (``n_zeros``). Fitting never fits zeros (a power law has no mass at
zero: Table 6.1's ``n`` for web links excludes the 35 million sites without
in-links); concentration measures count them as people with nothing. Everything
downstream works on the table without expanding it, so 2.4e8 observations in
14,480 rows cost the same as 14,480.

Survey weights are explicit: a *weighted* table carries ``weights`` (the weight of
each observation in a row) and its rows are the distinct (value, weight) pairs,
sorted by value then weight; its zeros are grouped by weight in ``zero_weights``
and ``zero_counts``. ``counts`` stay whole numbers (the sampled observations a
bootstrap resamples); the population a row represents is ``counts * weights``.

:func:`value_table` is the one function that turns raw values, (value, count)
arrays, pandas objects or an existing table into a validated table; the
``ValueTable.from_*`` constructors are spelled-out forms of it. Bad input raises
:class:`~influence_kit.errors.DataError` (or
:class:`~influence_kit.errors.ParameterError` for a bad ``scale``) with a
one-line message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .errors import DataError, ParameterError
from .formatting import format_count, format_number, format_value
from .results import Result

__all__ = ["ValueTable", "value_table"]


@dataclass(frozen=True, eq=False)
class ValueTable(Result):
    """Sorted distinct positive values and their counts, zeros counted apart.

    Build one with :func:`value_table` (or ``ValueTable.from_values``,
    ``from_counts``, ``from_pandas``), which validates and sorts; the fields are
    then trusted as they are.

    Attributes
    ----------
    values
        Sorted positive values (float array); distinct unless the table is
        weighted, where rows are distinct (value, weight) pairs.
    counts
        Number of observations in each row (positive whole numbers, float array).
    n_zeros
        Number of observations equal to zero (reported, never fitted).
    discrete
        Whether the values are treated as integers.
    weights
        Survey weight of each observation in each row, or ``None`` (unweighted).
    zero_weights, zero_counts
        Weighted tables only: the distinct weights of the zero observations and
        how many zeros carry each (``zero_counts.sum() == n_zeros``).
    """

    values: np.ndarray
    counts: np.ndarray
    n_zeros: int = 0
    discrete: bool = False
    weights: np.ndarray | None = None
    zero_weights: np.ndarray | None = None
    zero_counts: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.values.shape != self.counts.shape:
            raise DataError(
                f"{self.values.size} values but {self.counts.size} counts (must be equal)"
            )
        if self.weights is not None:
            if self.weights.shape != self.values.shape:
                raise DataError(f"{self.values.size} values but {self.weights.size} weights")
            if self.zero_weights is None:
                object.__setattr__(self, "zero_weights", np.ones(1 if self.n_zeros else 0))
                object.__setattr__(
                    self, "zero_counts", np.full(1 if self.n_zeros else 0, float(self.n_zeros))
                )

    # -- constructors ---------------------------------------------------------------

    @classmethod
    def from_values(
        cls,
        values: ArrayLike,
        *,
        weights: ArrayLike | None = None,
        discrete: bool | None = None,
        scale: float = 1.0,
        name: str = "data",
    ) -> ValueTable:
        """Tally raw observations (one value per observation); see :func:`value_table`."""
        return value_table(
            _as_1d(values, name, "values"),
            weights=weights,
            discrete=discrete,
            scale=scale,
            name=name,
        )

    @classmethod
    def from_counts(
        cls,
        values: ArrayLike,
        counts: ArrayLike,
        *,
        weights: ArrayLike | None = None,
        discrete: bool | None = None,
        scale: float = 1.0,
        name: str = "data",
    ) -> ValueTable:
        """A histogram: ``counts[i]`` observations of ``values[i]``; see :func:`value_table`."""
        return value_table(
            _as_1d(values, name, "values"),
            counts,
            weights=weights,
            discrete=discrete,
            scale=scale,
            name=name,
        )

    @classmethod
    def from_pandas(
        cls,
        data: pd.Series | pd.DataFrame,
        column: str | None = None,
        *,
        counts_column: str | None = None,
        weight_column: str | None = None,
        discrete: bool | None = None,
        scale: float = 1.0,
        name: str | None = None,
    ) -> ValueTable:
        """A table from a Series of values or from columns of a DataFrame.

        Parameters
        ----------
        data
            A Series (one value per observation) or a DataFrame.
        column
            The value column of a DataFrame (may be omitted for one column, or for
            two columns when ``counts_column`` names the other).
        counts_column, weight_column
            DataFrame columns holding counts (a histogram) and survey weights.
        discrete, scale
            As for :func:`value_table`.
        name
            What to call the data in messages (default: the column or Series name).
        """
        if isinstance(data, pd.Series):
            label = name or (str(data.name) if data.name is not None else "series")
            return value_table(data, discrete=discrete, scale=scale, name=label)
        if not isinstance(data, pd.DataFrame):
            raise ParameterError(f"give a pandas Series or DataFrame, not {type(data).__name__}")
        columns = [str(c) for c in data.columns]
        if column is None:
            rest = [c for c in columns if c not in (counts_column, weight_column)]
            if len(rest) != 1:
                raise DataError(f"name the value column (columns: {', '.join(columns)})")
            column = rest[0]
        for col in (column, counts_column, weight_column):
            if col is not None and col not in columns:
                raise DataError(f"no column {col!r} (columns: {', '.join(columns)})")
        label = name or column

        def numbers(col: str | None) -> np.ndarray | None:
            return None if col is None else _as_1d(data[col], label, f"column {col!r}")

        return value_table(
            _as_1d(data[column], label, f"column {column!r}"),
            numbers(counts_column),
            weights=numbers(weight_column),
            discrete=discrete,
            scale=scale,
            name=label,
        )

    # -- sizes and totals -----------------------------------------------------------

    @property
    def n(self) -> int:
        """Number of positive observations (the ``n`` of Table 6.1)."""
        return round(float(self.counts.sum()))

    @property
    def n_observations(self) -> int:
        """Number of observations, zeros included."""
        return self.n + int(self.n_zeros)

    @property
    def n_distinct(self) -> int:
        """Number of rows (distinct positive values, or value-weight pairs)."""
        return int(self.values.size)

    @property
    def weighted(self) -> bool:
        """Whether any survey weight differs from 1."""
        if self.weights is None:
            return False
        zero_w = self.zero_weights if self.zero_weights is not None else np.ones(0)
        return bool((self.weights != 1.0).any() or (zero_w != 1.0).any())

    @property
    def population(self) -> float:
        """Total weight of all observations, zeros included (``n_observations`` unweighted)."""
        return float(np.sum(self.row_people()) + self.zero_people())

    @property
    def total(self) -> float:
        """Total value mass: the sum of ``counts x weights x values``."""
        return float(np.sum(self.row_people() * self.values))

    @property
    def mean(self) -> float:
        """Weighted mean value per observation, zeros included."""
        return self.total / self.population

    def row_people(self) -> np.ndarray:
        """Weight each positive row represents (``counts`` times ``weights``)."""
        return self.counts if self.weights is None else self.counts * self.weights

    def zero_people(self) -> float:
        """Weight the zero observations represent."""
        if self.weights is None or self.zero_weights is None or self.zero_counts is None:
            return float(self.n_zeros)
        return float(np.sum(self.zero_counts * self.zero_weights))

    def rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every row, zeros included, ascending: ``(values, counts, weights)``.

        Zero groups come first; weights are ones for an unweighted table.
        """
        if self.weights is None:
            if not self.n_zeros:
                return self.values, self.counts, np.ones(self.values.size)
            return (
                np.concatenate([[0.0], self.values]),
                np.concatenate([[float(self.n_zeros)], self.counts]),
                np.ones(self.values.size + 1),
            )
        assert self.zero_weights is not None and self.zero_counts is not None
        k = self.zero_weights.size
        return (
            np.concatenate([np.zeros(k), self.values]),
            np.concatenate([self.zero_counts, self.counts]),
            np.concatenate([self.zero_weights, self.weights]),
        )

    # -- views ----------------------------------------------------------------------

    def tail(self, xmin: float) -> ValueTable:
        """The rows with ``value >= xmin`` (no zeros)."""
        keep = self.values >= xmin
        weights = None if self.weights is None else self.weights[keep]
        return ValueTable(self.values[keep], self.counts[keep], 0, self.discrete, weights)

    def below(self, xmin: float) -> ValueTable:
        """The rows with ``value < xmin``, zeros kept."""
        keep = self.values < xmin
        weights = None if self.weights is None else self.weights[keep]
        return ValueTable(
            self.values[keep],
            self.counts[keep],
            self.n_zeros,
            self.discrete,
            weights,
            self.zero_weights,
            self.zero_counts,
        )

    def expand(self) -> np.ndarray:
        """Every observation's value, zeros first (only for small tables: tests, checks)."""
        values, counts, _ = self.rows()
        return np.repeat(values, counts.astype(np.int64))

    def to_frame(self) -> pd.DataFrame:
        """The rows, zeros included: ``value``, ``count`` (and ``weight`` when weighted)."""
        values, counts, weights = self.rows()
        frame = pd.DataFrame({"value": values, "count": counts})
        if self.weights is not None:
            frame["weight"] = weights
        return frame

    def equals(self, other: object) -> bool:
        """Whether ``other`` is a table with the same rows, zeros and type."""
        if not isinstance(other, ValueTable):
            return False
        same = (
            self.n_zeros == other.n_zeros
            and self.discrete == other.discrete
            and (self.weights is None) == (other.weights is None)
        )
        return same and all(
            np.array_equal(a, b) for a, b in zip(self.rows(), other.rows(), strict=True)
        )

    # -- Result ---------------------------------------------------------------------

    def summary(self) -> pd.DataFrame:
        """Observations, zeros, distinct values, range, mean and standard deviation."""
        people = self.row_people()
        rows: dict[str, Any] = {
            "observations (positive)": format_count(self.n),
            "zeros (not fitted)": format_count(self.n_zeros),
            "distinct values": format_count(self.n_distinct),
        }
        if self.values.size:
            n = people.sum()
            mean = float(np.sum(people * self.values) / n)
            var = float(np.sum(people * (self.values - mean) ** 2) / max(n - 1.0, 1.0))
            rows.update(
                {
                    "minimum": format_number(float(self.values[0])),
                    "maximum": format_number(float(self.values[-1])),
                    "mean (positive values)": format_number(mean),
                    "standard deviation": format_number(float(np.sqrt(var))),
                }
            )
        rows["discrete"] = "yes" if self.discrete else "no"
        rows["weighted"] = "yes" if self.weighted else "no"
        return pd.DataFrame({"value": pd.Series(rows)})

    def to_dict(self) -> dict[str, Any]:
        """Summary figures (not the arrays)."""
        return {
            "n": self.n,
            "n_zeros": int(self.n_zeros),
            "n_distinct": self.n_distinct,
            "min": float(self.values[0]) if self.values.size else None,
            "max": float(self.values[-1]) if self.values.size else None,
            "discrete": self.discrete,
            "weighted": self.weighted,
        }


def _as_1d(data: Any, name: str, what: str) -> np.ndarray:
    """``data`` as a 1-d float array (pandas missing values become NaN)."""
    try:
        if isinstance(data, (pd.Series, pd.Index)):
            arr = data.to_numpy(dtype=float, na_value=np.nan)
        else:
            arr = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"{name}: {what} are not numbers") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise DataError(f"{name}: {what} must be one-dimensional, got shape {arr.shape}")
    return arr


def value_table(
    data: ArrayLike | pd.Series | ValueTable,
    counts: ArrayLike | None = None,
    *,
    weights: ArrayLike | None = None,
    discrete: bool | None = None,
    scale: float = 1.0,
    name: str = "data",
) -> ValueTable:
    """Build a validated :class:`ValueTable` from raw values, a histogram or a table.

    This is the one conversion into a table: every function that takes values
    accepts a table or what this function accepts.

    Parameters
    ----------
    data
        Raw observations (an array or a pandas Series), or the values of a
        histogram when ``counts`` is given, or an existing table (returned as it
        is, or rescaled/re-typed as asked).
    counts
        Number of observations of each value in ``data`` (whole numbers; rows with
        a zero count are dropped).
    weights
        Survey weight of each observation (raw values) or of each observation in
        each row (histogram); positive and finite. The table is then weighted.
    discrete
        Treat the values as integers. ``None`` infers it: integer-valued data are
        discrete. Non-integer values with ``discrete=True`` are an error.
    scale
        Multiply every value by this factor first (Table 6.1 uses 1e-3 for cities).
    name
        What to call the data in error messages (a file or column name).

    Raises
    ------
    DataError
        Empty data, values that are not numbers, NaN or infinite values, negative
        values or counts, non-integer counts, non-positive weights, mismatched
        lengths, non-integer values with ``discrete=True``, every count zero, or
        no positive value.
    ParameterError
        ``scale`` is not a positive finite number, or ``counts``/``weights`` are
        given with a table.
    """
    if not np.isfinite(scale) or scale <= 0:
        raise ParameterError(f"scale must be a positive finite number, got {scale!r}")
    if isinstance(data, ValueTable):
        if counts is not None or weights is not None:
            raise ParameterError("counts and weights cannot be given with a ValueTable")
        if scale == 1.0 and (discrete is None or discrete == data.discrete):
            return data
        if discrete is None:
            discrete = data.discrete and float(scale).is_integer()
        x, c, row_weights = data.rows()
        weights = None if data.weights is None else row_weights
        counts = c
    else:
        x = _as_1d(data, name, "values")
    if x.size == 0:
        raise DataError(f"{name}: no data (empty input)")
    bad = ~np.isfinite(x)
    if bad.any():
        raise DataError(f"{name}: {int(bad.sum())} NaN or infinite value(s), e.g. {x[bad][0]}")
    if (x < 0).any():
        raise DataError(f"{name}: negative value(s), e.g. {format_value(x[x < 0][0])}")
    if counts is None:
        c = np.ones(x.size)
    else:
        c = _as_1d(counts, name, "counts")
        if c.size != x.size:
            raise DataError(f"{name}: {x.size} values but {c.size} counts (must be equal)")
        if not np.isfinite(c).all() or (c < 0).any():
            raise DataError(f"{name}: counts must be finite and non-negative")
        if (c != np.round(c)).any():
            raise DataError(f"{name}: counts must be whole numbers (use weights for fractions)")
    w: np.ndarray | None
    if weights is None:
        w = None
    else:
        w = _as_1d(weights, name, "weights")
        if w.size != x.size:
            raise DataError(f"{name}: {x.size} values but {w.size} weights")
        if not np.isfinite(w).all() or (w <= 0).any():
            raise DataError(f"{name}: weights must be positive and finite")
    x = x * scale
    is_integer = bool(np.all(x == np.round(x)))
    if discrete is None:
        discrete = is_integer
    elif discrete and not is_integer:
        example = x[x != np.round(x)][0]
        raise DataError(
            f"{name}: non-integer value {format_value(example)} with discrete data "
            "(use --continuous / discrete=False)"
        )
    keep = c > 0
    if not keep.any():
        raise DataError(f"{name}: every count is zero (no observations)")
    if not keep.all():
        x, c = x[keep], c[keep]
        w = None if w is None else w[keep]
    if not (x > 0).any():
        raise DataError(f"{name}: no positive values (only zeros)")
    if w is None:
        uniq, inverse = np.unique(x, return_inverse=True)
        tally = np.bincount(inverse, weights=c, minlength=uniq.size)
        n_zeros = int(tally[0]) if uniq[0] == 0 else 0
        positive = uniq > 0
        return ValueTable(uniq[positive], tally[positive], n_zeros, bool(discrete))
    order = np.lexsort((w, x))
    x, c, w = x[order], c[order], w[order]
    new = np.ones(x.size, dtype=bool)
    new[1:] = (x[1:] != x[:-1]) | (w[1:] != w[:-1])
    starts = np.flatnonzero(new)
    x, c, w = x[starts], np.add.reduceat(c, starts), w[starts]
    zero = x == 0
    return ValueTable(
        x[~zero],
        c[~zero],
        round(float(c[zero].sum())),
        bool(discrete),
        w[~zero],
        w[zero],
        c[zero],
    )
