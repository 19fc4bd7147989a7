"""Work limits: the memory budget, the most items one computation runs, disk space.

Work that would not fit in memory (:func:`memory_budget`, set by
``INFLUENCE_KIT_MEMORY_BUDGET``), would run for days (:data:`MAX_ITEMS`) or would fill
the disk is refused up front, with one line saying what it would need and which option
to lower (:func:`check_budget`, :func:`check_disk_space`).
"""

from __future__ import annotations

import math
import os

from ..errors import ParameterError
from ..formatting import format_fixed, format_value

#: Memory one computation may plan to hold, in bytes, unless the environment variable
#: ``INFLUENCE_KIT_MEMORY_BUDGET`` says otherwise (bytes, or with a suffix K, M, G, T
#: meaning KiB, MiB, GiB, TiB, e.g. ``16G``).
DEFAULT_MEMORY_BUDGET = 4 * 2**30

#: Environment variable that overrides :data:`DEFAULT_MEMORY_BUDGET`.
MEMORY_BUDGET_ENV = "INFLUENCE_KIT_MEMORY_BUDGET"

#: Most replicates, draws or people any one computation accepts, whatever its memory:
#: work streamed in bounded memory is limited by time, and this many items take days.
MAX_ITEMS = 10**9

_SIZE_SUFFIXES = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def _format_count(n: float) -> str:
    return format_fixed(n, 0, grouping=True) if n < 1e15 else format_value(n, 3)


def _format_bytes(n: float) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{format_value(n / size, 3)} {unit}"
    return f"{format_fixed(n, 0)} bytes"


def memory_budget() -> int:
    """The memory budget in bytes: ``INFLUENCE_KIT_MEMORY_BUDGET`` or the 4 GiB default.

    Examples
    --------
    >>> memory_budget() >= 1
    True
    """
    text = os.environ.get(MEMORY_BUDGET_ENV, "").strip()
    if not text:
        return DEFAULT_MEMORY_BUDGET
    upper = text.upper().removesuffix("IB").removesuffix("B")
    suffix = upper[-1] if upper and upper[-1] in _SIZE_SUFFIXES else ""
    number = upper[: len(upper) - len(suffix)]
    try:
        value = float(number) * _SIZE_SUFFIXES[suffix]
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 1:
        raise ParameterError(
            f"{MEMORY_BUDGET_ENV} must be a size in bytes such as 8G, got {text!r}"
        )
    return int(value)


def check_budget(
    what: str,
    n_items: float,
    bytes_per_item: float,
    *,
    option: str | None = None,
    limit_bytes: int | None = None,
    max_items: int = MAX_ITEMS,
) -> None:
    """Refuse, up front, work that would not fit in memory or would run for days.

    Parameters
    ----------
    what
        The work, as the message should name it (e.g. ``"2,000 bootstrap replicates"``
        is built from ``what="bootstrap replicates"``).
    n_items
        How many replicates, draws or rows the work makes.
    bytes_per_item
        Memory held at once per item (0 for work streamed in bounded memory, which is
        then only checked against ``max_items``).
    option
        The parameter or option to lower, named in the message.
    limit_bytes
        The budget; default :func:`memory_budget`.
    max_items
        Most items accepted whatever the memory (:data:`MAX_ITEMS`).

    Raises
    ------
    ParameterError
        With one line saying what the work would need and how to go ahead.

    Examples
    --------
    >>> check_budget("draws", 1000, 80)
    >>> check_budget("draws", 10**12, 80, option="draws", limit_bytes=2**30)
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: 1,000,000,000,000 draws would need 72.8 TiB of ...
    """
    lower = f"lower {option}" if option else "use fewer"
    need = float(n_items) * float(bytes_per_item)
    budget = memory_budget() if limit_bytes is None else int(limit_bytes)
    if budget < need < math.inf:  # an infinite figure says nothing: the count rule below does
        raise ParameterError(
            f"{_format_count(n_items)} {what} would need {_format_bytes(need)} of memory, "
            f"more than the budget of {_format_bytes(budget)}; {lower} or raise {MEMORY_BUDGET_ENV}"
        )
    if not n_items <= max_items:
        raise ParameterError(
            f"{_format_count(n_items)} {what} is more than the {_format_count(max_items)} "
            f"this toolkit runs (it would take days); {lower}"
        )


def check_disk_space(folder: str | os.PathLike[str], need_bytes: float, what: str = "") -> None:
    """Refuse to start writing ``need_bytes`` (an estimate) into ``folder`` if it lacks the space.

    Raises
    ------
    ParameterError
        With one line giving the estimate and the free space.
    """
    import shutil

    free = shutil.disk_usage(os.fspath(folder)).free
    if need_bytes > free:
        label = f"{what} " if what else ""
        raise ParameterError(
            f"{label}would need about {_format_bytes(need_bytes)} on disk but "
            f"{os.fspath(folder)} has {_format_bytes(free)} free; write fewer rows or "
            "choose another folder"
        )
