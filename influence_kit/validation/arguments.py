"""Numbers, shares, whole numbers, choices, replicate counts and ``n_jobs``.

The checks of single arguments that :mod:`influence_kit.validation` re-exports: each
returns the value in its canonical type or raises
:class:`~influence_kit.errors.ParameterError` with a one-line message naming the
parameter. Numbers are Python or numpy numbers, never text; booleans are not numbers.
Also here: the range of data values the numerics can handle (:func:`check_value_range`).

Parallel work
-------------
Every ``n_jobs`` argument follows joblib's rule (:func:`resolve_n_jobs`): ``None`` or
``1`` runs in this process, ``-1`` uses every core, ``k > 1`` uses ``k`` worker
processes; ``0`` and values below ``-1`` are refused.

Replicate counts
----------------
Every count of random replicates behind an interval or a p-value (Monte Carlo draws,
Sobol' base samples, goodness-of-fit and uncertainty bootstrap replicates) has the same
floor, :data:`MIN_REPLICATES` = 39, checked by :func:`check_replicates`. It is the
smallest count ``R`` at which

* the range of ``R`` draws covers, on average, 95% of the distribution
  (``(R - 1) / (R + 1) >= 0.95``), so a 95% percentile interval is more than the two
  extreme draws stretched by interpolation (Davison & Hinkley 1997, section 4.2.5:
  ``(R + 1) alpha / 2`` is a whole number first at ``R = 39`` for ``alpha = 0.05``);
* a bootstrap p-value, ``(k + 1) / (R + 1)``, can fall below 0.05 (its smallest value
  is 1/40), so "the fit is rejected at 5%" can be said at all.

Below the floor the count is refused with one line naming the option and the floor;
where a count of 0 means "skip" (bootstrap replicates), 0 is still accepted and the
result then has no interval or p-value.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import numpy as np

from ..errors import ParameterError
from ..formatting import format_value

T = TypeVar("T")


def _is_number(value: Any) -> bool:
    """Whether ``value`` is a real number (Python or numpy), not a bool or text."""
    if isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, numbers.Real)


def check_number(name: str, value: Any) -> float:
    """A finite real number, as ``float``.

    Raises
    ------
    ParameterError
        If ``value`` is not a number (text and booleans are refused) or is not finite.
    """
    if not _is_number(value):
        raise ParameterError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ParameterError(f"{name} must be a finite number, got {value!r}")
    return number


def check_nonnegative(name: str, value: Any) -> float:
    """A finite number >= 0, as ``float`` (see :func:`check_number`)."""
    number = check_number(name, value)
    if number < 0:
        raise ParameterError(f"{name} must not be negative, got {value!r}")
    return number


def check_positive(name: str, value: Any) -> float:
    """A finite number > 0, as ``float`` (see :func:`check_number`)."""
    number = check_number(name, value)
    if number <= 0:
        raise ParameterError(f"{name} must be positive, got {value!r}")
    return number


def check_share(name: str, value: Any, *, closed: bool = True) -> float:
    """A share or probability: in [0, 1] (``closed=True``) or in (0, 1), as ``float``."""
    number = check_number(name, value)
    if closed and not 0.0 <= number <= 1.0:
        raise ParameterError(f"{name} must lie in [0, 1], got {value!r}")
    if not closed and not 0.0 < number < 1.0:
        raise ParameterError(f"{name} must lie strictly between 0 and 1, got {value!r}")
    return number


def check_int(name: str, value: Any, *, minimum: int = 1, maximum: int | None = None) -> int:
    """A whole number in ``[minimum, maximum]``, as ``int``.

    Python and numpy integers are accepted, and so are floats with a whole value
    (``1e6``); text, booleans and fractions are refused.
    """
    if not _is_number(value):
        raise ParameterError(f"{name} must be an integer, got {value!r}")
    if not isinstance(value, numbers.Integral):
        number = float(value)
        if not (math.isfinite(number) and number.is_integer()):
            raise ParameterError(f"{name} must be an integer, got {value!r}")
    whole = int(value)
    if whole < minimum:
        raise ParameterError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if maximum is not None and whole > maximum:
        raise ParameterError(f"{name} must be an integer <= {maximum}, got {value!r}")
    return whole


#: The smallest replicate count behind an interval or a p-value (module notes).
MIN_REPLICATES = 39


def check_replicates(
    name: str,
    value: Any,
    *,
    allow_zero: bool = False,
    purpose: str = "an interval",
    minimum: int = MIN_REPLICATES,
) -> int:
    """A replicate count for an interval or a p-value, as ``int`` (module notes).

    Parameters
    ----------
    name
        The argument (and option) as the user knows it, for the message.
    value
        The count.
    allow_zero
        Accept 0, meaning "skip: no interval or p-value".
    purpose
        What the replicates give (``"an interval"``, ``"a p-value"``), for the message.
    minimum
        The floor; :data:`MIN_REPLICATES` unless a method needs a larger one
        (Sobol' base samples come in powers of 2, so theirs is 64).

    Raises
    ------
    ParameterError
        If ``value`` is not a whole number, or is below the floor (and not an allowed 0).

    Examples
    --------
    >>> check_replicates("draws", 1000), check_replicates("reps", 0, allow_zero=True)
    (1000, 0)
    >>> check_replicates("draws", 1)
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: draws must be at least 39 to give an interval, got 1; ...
    """
    count = check_int(name, value, minimum=0)
    if count == 0 and allow_zero:
        return 0
    if count < minimum:
        skip = "0 (skip) or " if allow_zero else ""
        raise ParameterError(
            f"{name} must be {skip}at least {minimum} to give {purpose}, got {count}; "
            f"fewer replicates cannot resolve a 95% interval or a p-value of 0.05"
        )
    return count


def check_positive_int(name: str, value: Any, maximum: int | None = None) -> int:
    """A whole number >= 1 (and <= ``maximum`` if given), as ``int``."""
    return check_int(name, value, minimum=1, maximum=maximum)


def check_numbers(name: str, values: Any, *, allow_empty: bool = False) -> np.ndarray:
    """One number or an iterable of numbers, as a 1-d float array of finite values.

    Raises
    ------
    ParameterError
        If ``values`` is text, an element is not a finite number, or the list is empty
        (unless ``allow_empty``).
    """
    if isinstance(values, (str, bytes)):
        raise ParameterError(f"{name} must be a number or a list of numbers, got {values!r}")
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":  # numeric: checked at once
        out = values.astype(float).ravel()
        bad = out[~np.isfinite(out)]
        if bad.size:
            raise ParameterError(f"{name} must be a finite number, got {float(bad[0])!r}")
        if out.size == 0 and not allow_empty:
            raise ParameterError(f"{name} must hold at least one number, got {values!r}")
        return out
    if _is_number(values):
        items: list[Any] = [values]
    elif isinstance(values, np.ndarray):
        items = list(values.ravel())
    elif isinstance(values, Iterable):
        items = list(values)
    else:
        raise ParameterError(f"{name} must be a number or a list of numbers, got {values!r}")
    out = np.array([check_number(name, v) for v in items], dtype=float)
    if out.size == 0 and not allow_empty:
        raise ParameterError(f"{name} must hold at least one number, got {values!r}")
    return out


def check_nonnegative_numbers(name: str, values: Any) -> np.ndarray:
    """Finite numbers >= 0, as a 1-d float array (see :func:`check_numbers`)."""
    arr = check_numbers(name, values)
    if np.any(arr < 0):
        raise ParameterError(f"{name} must not be negative, got {format_value(arr.min())}")
    return arr


def check_fractions(name: str, values: Any) -> np.ndarray:
    """Numbers strictly between 0 and 1, as a 1-d float array (see :func:`check_numbers`)."""
    arr = check_numbers(name, values)
    bad = arr[~((arr > 0.0) & (arr < 1.0))]
    if bad.size:
        raise ParameterError(
            f"{name} must lie strictly between 0 and 1, got {format_value(bad[0])}"
        )
    return arr


def check_choice(name: str, value: T, options: Sequence[T]) -> T:
    """``value`` if it is one of ``options``; the message lists the options."""
    if isinstance(value, (list, dict, set)) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ParameterError(f"{name} must be one of {listed}, got {value!r}")
    return value


def resolve_n_jobs(n_jobs: Any) -> int:
    """The number of worker processes for ``n_jobs`` (rule in the module notes).

    Returns 1 for in-process work.

    Raises
    ------
    ParameterError
        For 0, values below -1, and anything that is not an integer or ``None``.
    """
    if n_jobs is None:
        return 1
    if not isinstance(n_jobs, numbers.Integral) or isinstance(n_jobs, (bool, np.bool_)):
        raise ParameterError(f"n_jobs must be None, -1 or a positive integer, got {n_jobs!r}")
    value = int(n_jobs)
    if value == -1:
        return os.cpu_count() or 1
    if value < 1:
        raise ParameterError(f"n_jobs must be None, -1 or a positive integer, got {n_jobs!r}")
    return value


# --- data values the numerics can handle -----------------------------------------------

#: Positive values outside this range are refused by the fits and the concentration
#: measures: their logarithms, powers and sums lose accuracy or overflow (subnormal
#: numbers below about 2.2e-308 keep only a few digits).
VALUE_RANGE: tuple[float, float] = (1e-100, 1e100)

#: Largest total count the fits and the bootstrap accept: above 2**53 floating point
#: no longer counts every observation exactly (and numpy's multinomial needs int64).
MAX_TOTAL_COUNT = 2**53


def check_value_range(name: str, values: Any, counts: Any = None) -> None:
    """Refuse values too large or too small to compute with accurately, and absurd counts.

    Parameters
    ----------
    name
        What the values are, for the message.
    values
        Finite, non-negative values (zeros are allowed whatever the range).
    counts
        How often each value occurs (``None``: once each).

    Raises
    ------
    ParameterError
        One line with the range found and how to go ahead (rescale, or divide counts).

    Examples
    --------
    >>> check_value_range("values", [1.0, 2.0, 1e6])
    >>> check_value_range("values", [1e-310, 2e-310])
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: values: positive values from 1e-310 to 2e-310 are ...
    """
    arr = np.asarray(values, dtype=float)
    positive = arr[arr > 0]
    low, high = VALUE_RANGE
    if positive.size:
        smallest, largest = float(positive.min()), float(positive.max())
        if smallest < low or largest > high:
            raise ParameterError(
                f"{name}: positive values from {format_value(smallest, 3)} to "
                f"{format_value(largest, 3)} are outside [{format_value(low)}, "
                f"{format_value(high)}], where logarithms and sums lose accuracy; rescale "
                "them (divide by a power of 10, as fit --scale does) so that they are nearer 1"
            )
    if counts is not None:
        total = float(np.sum(np.asarray(counts, dtype=float)))
        if not total <= MAX_TOTAL_COUNT:
            raise ParameterError(
                f"{name}: counts add up to {format_value(total, 3)}, more than the "
                f"{format_value(MAX_TOTAL_COUNT, 3)} observations floating point counts "
                "exactly; divide the counts by a common factor"
            )
