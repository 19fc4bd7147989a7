"""Frequency tables: the common currency of the fitting code.

A :class:`FrequencyTable` holds sorted distinct positive ``values`` with their
``counts``; zeros are counted separately (``n_zeros``) and never fitted (a power
law has no mass at zero: Table 6.1's ``n`` for web links excludes the 35 million
sites without in-links). Everything downstream works on the table without
expanding it, so 2.4e8 observations in 14,480 rows cost the same as 14,480.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..errors import DataError, ParameterError
from ..results import Result


@dataclass(frozen=True, eq=False)
class FrequencyTable(Result):
    """Sorted distinct positive values and their counts, plus the number of zeros.

    Attributes
    ----------
    values
        Sorted distinct positive values (float array).
    counts
        Number of observations of each value (positive, integer-valued float array).
    n_zeros
        Number of zero observations (reported, never fitted).
    discrete
        Whether the values are treated as integers.
    """

    values: np.ndarray
    counts: np.ndarray
    n_zeros: int
    discrete: bool

    @property
    def n(self) -> int:
        """Number of positive observations (the ``n`` of Table 6.1)."""
        return round(float(self.counts.sum()))

    @property
    def n_distinct(self) -> int:
        """Number of distinct positive values."""
        return int(self.values.size)

    def tail(self, xmin: float) -> FrequencyTable:
        """The rows with ``value >= xmin``."""
        keep = self.values >= xmin
        return FrequencyTable(self.values[keep], self.counts[keep], 0, self.discrete)

    def summary(self) -> pd.DataFrame:
        """Observations, zeros, distinct values, range, mean and standard deviation."""
        n = self.counts.sum()
        mean = float(np.sum(self.counts * self.values) / n)
        var = float(np.sum(self.counts * (self.values - mean) ** 2) / max(n - 1.0, 1.0))
        rows = {
            "observations (positive)": f"{self.n:,}",
            "zeros (not fitted)": f"{self.n_zeros:,}",
            "distinct values": f"{self.n_distinct:,}",
            "minimum": f"{self.values[0]:,.4g}",
            "maximum": f"{self.values[-1]:,.4g}",
            "mean": f"{mean:,.4g}",
            "standard deviation": f"{np.sqrt(var):,.4g}",
            "discrete": "yes" if self.discrete else "no",
        }
        return pd.DataFrame({"value": pd.Series(rows)})

    def to_dict(self) -> dict[str, object]:
        """Summary figures (not the arrays)."""
        return {
            "n": self.n,
            "n_zeros": self.n_zeros,
            "n_distinct": self.n_distinct,
            "min": float(self.values[0]),
            "max": float(self.values[-1]),
            "discrete": self.discrete,
        }


def frequency_table(
    data: ArrayLike | FrequencyTable,
    counts: ArrayLike | None = None,
    *,
    discrete: bool | None = None,
    scale: float = 1.0,
    name: str = "data",
) -> FrequencyTable:
    """Build a validated :class:`FrequencyTable` from raw values or a histogram.

    Parameters
    ----------
    data
        Raw observations, or the values of a histogram when ``counts`` is given,
        or an existing table (returned rescaled/re-typed as asked).
    counts
        Number of observations of each value in ``data`` (a histogram).
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
        Empty data, NaN or infinite values, negative values or counts, non-integer
        counts, non-integer values with ``discrete=True``, or no positive values.
    ParameterError
        ``scale`` is not a positive finite number.
    """
    if not np.isfinite(scale) or scale <= 0:
        raise ParameterError(f"scale must be a positive finite number, got {scale!r}")
    if isinstance(data, FrequencyTable):
        if discrete is None:
            discrete = data.discrete and float(scale).is_integer()
        values = np.concatenate([[0.0], data.values]) if data.n_zeros else data.values
        weights = np.concatenate([[data.n_zeros], data.counts]) if data.n_zeros else data.counts
    else:
        try:
            values = np.asarray(data, dtype=float).ravel()
        except (TypeError, ValueError) as err:
            raise DataError(f"{name}: values are not numbers ({err})") from None
        if counts is None:
            weights = None
        else:
            try:
                weights = np.asarray(counts, dtype=float).ravel()
            except (TypeError, ValueError) as err:
                raise DataError(f"{name}: counts are not numbers ({err})") from None
            if weights.shape != values.shape:
                raise DataError(
                    f"{name}: {values.size} values but {weights.size} counts (must be equal)"
                )
    if values.size == 0:
        raise DataError(f"{name}: no data (empty input)")
    bad = ~np.isfinite(values)
    if bad.any():
        raise DataError(f"{name}: {int(bad.sum())} NaN or infinite value(s), e.g. {values[bad][0]}")
    if (values < 0).any():
        raise DataError(f"{name}: negative value(s), e.g. {values[values < 0][0]:g}")
    if weights is not None:
        if not np.isfinite(weights).all() or (weights < 0).any():
            raise DataError(f"{name}: counts must be finite and non-negative")
        if (weights != np.round(weights)).any():
            raise DataError(f"{name}: counts must be whole numbers")
    values = values * scale
    is_integer = bool(np.all(values == np.round(values)))
    if discrete is None:
        discrete = is_integer
    elif discrete and not is_integer:
        example = values[values != np.round(values)][0]
        raise DataError(
            f"{name}: non-integer value {example:g} with discrete data "
            "(use --continuous / discrete=False)"
        )
    if weights is None:
        uniq, raw_counts = np.unique(values, return_counts=True)
        tally = raw_counts.astype(float)
    else:
        uniq, inverse = np.unique(values, return_inverse=True)
        tally = np.bincount(inverse, weights=weights, minlength=uniq.size)
    keep = tally > 0
    uniq, tally = uniq[keep], tally[keep]
    n_zeros = int(tally[0]) if uniq.size and uniq[0] == 0 else 0
    positive = uniq > 0
    if not positive.any():
        raise DataError(f"{name}: no positive values (only zeros), nothing to fit")
    return FrequencyTable(uniq[positive], tally[positive], n_zeros, bool(discrete))
