"""Typed checks of function arguments, with one-line messages naming the parameter.

Every library function validates its arguments with these functions (after
scikit-learn's ``utils/_param_validation`` and statsmodels' ``tools/validation``).
Each returns the value in its canonical type or raises
:class:`~influence_kit.errors.ParameterError` with a one-line message that names
the parameter and shows the value, e.g. ``draws must be a positive integer, got 0``.

Library functions take typed values: numbers are Python or numpy numbers, never
text (the command line, :mod:`influence_kit.cli.common`, is the only place that
parses text). Booleans are not numbers.

Seeds
-----
Every ``seed`` argument follows numpy's rule (:func:`check_random_state`):

* an ``int`` (>= 0) gives the same numbers on every call;
* a :class:`numpy.random.Generator` is used (and advanced) as it is;
* a :class:`numpy.random.SeedSequence` seeds a fresh generator;
* ``None`` draws fresh entropy from the operating system, so two calls differ.

Pass :data:`influence_kit.constants.DEFAULT_SEED` (as the command line and the
notebooks do) for repeatable numbers. Functions that run independent streams
(chunks, inputs, bootstrap) derive them with :func:`child_seeds`, so the numbers do
not depend on where a chunk runs.

Parallel work
-------------
Every ``n_jobs`` argument follows joblib's rule (:func:`resolve_n_jobs`): ``None`` or
``1`` runs in this process, ``-1`` uses every core, ``k > 1`` uses ``k`` worker
processes; ``0`` and values below ``-1`` are refused.

Paths
-----
Every reader of a file or folder named by a user checks it first with
:func:`check_input_file` or :func:`check_input_folder`, and every writer its target
with :func:`check_output_file` or :func:`check_output_folder`. They look at the path
without opening it (:func:`path_kind`), so a FIFO, ``/dev/stdin``, a socket or a
device is refused at once with one line saying what it is, never waited on; a folder
where a file is expected (and the reverse), a missing file, a file without read
permission and a read-only or otherwise unwritable folder are one line each. An
``OSError`` met while writing (a full disk) becomes one line through
:func:`write_error`.
"""

from __future__ import annotations

import math
import numbers
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .errors import ParameterError

T = TypeVar("T")

#: What ``seed`` arguments accept (see the module notes).
SeedLike = int | np.integer | np.random.Generator | np.random.SeedSequence | None


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


def check_interval_reps(name: str, value: Any) -> int:
    """Bootstrap replicates for an interval: 0 (no interval) or at least 2, as ``int``.

    One replicate has no spread, so its "interval" would be a single point.

    Examples
    --------
    >>> check_interval_reps("reps", 0), check_interval_reps("reps", 200)
    (0, 200)
    """
    reps = check_int(name, value, minimum=0)
    if reps == 1:
        raise ParameterError(f"{name} must be 0 (no intervals) or at least 2, got 1")
    return reps


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
        raise ParameterError(f"{name} must not be negative, got {arr.min():g}")
    return arr


def check_fractions(name: str, values: Any) -> np.ndarray:
    """Numbers strictly between 0 and 1, as a 1-d float array (see :func:`check_numbers`)."""
    arr = check_numbers(name, values)
    bad = arr[~((arr > 0.0) & (arr < 1.0))]
    if bad.size:
        raise ParameterError(f"{name} must lie strictly between 0 and 1, got {bad[0]:g}")
    return arr


def check_choice(name: str, value: T, options: Sequence[T]) -> T:
    """``value`` if it is one of ``options``; the message lists the options."""
    if isinstance(value, (list, dict, set)) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ParameterError(f"{name} must be one of {listed}, got {value!r}")
    return value


def seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """The :class:`numpy.random.SeedSequence` of ``seed`` (rule in the module notes).

    A Generator is advanced by one draw, so consecutive calls with the same
    Generator give different sequences, as numpy's own samplers do.
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2**63, size=4, dtype=np.uint64).tolist())
    if seed is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(check_int("seed", seed, minimum=0))


def check_random_state(seed: SeedLike) -> np.random.Generator:
    """A :class:`numpy.random.Generator` from ``seed`` (rule in the module notes).

    Raises
    ------
    ParameterError
        If ``seed`` is a negative or non-integer number, text, a bool or any other type.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    _check_seed_type(seed)
    return np.random.default_rng(seed_sequence(seed))


def _check_seed_type(seed: Any) -> None:
    if seed is None or isinstance(seed, (np.random.SeedSequence, np.random.Generator)):
        return
    if not isinstance(seed, (numbers.Integral)) or isinstance(seed, (bool, np.bool_)):
        raise ParameterError(
            f"seed must be an integer >= 0, a numpy Generator, a SeedSequence or None, got {seed!r}"
        )
    check_int("seed", seed, minimum=0)


def check_seed(seed: SeedLike) -> np.random.SeedSequence:
    """Validate ``seed`` and return its :class:`~numpy.random.SeedSequence` (module notes)."""
    _check_seed_type(seed)
    return seed_sequence(seed)


def seed_entropy(seq: np.random.SeedSequence) -> int | None:
    """The integer that recreates ``seq`` (``None`` when it came from a Generator).

    Results record it, so a run with ``seed=None`` can be repeated with this seed.
    """
    entropy = seq.entropy
    if isinstance(entropy, (int, np.integer)) and not seq.spawn_key:
        return int(entropy)
    return None


def child_seeds(seed: SeedLike, n: int) -> list[np.random.SeedSequence]:
    """``n`` independent child seed sequences of ``seed`` (stable for an int seed)."""
    return check_seed(seed).spawn(check_int("n", n, minimum=0))


def nonzero_int_seed(seq: np.random.SeedSequence) -> int:
    """A positive 31-bit integer seed from ``seq``.

    For libraries that take only integer seeds and treat 0 as "unseeded" (SALib's
    ``analyze.sobol``), so every seed of ours, 0 included, stays reproducible.
    """
    return int(seq.generate_state(1, dtype=np.uint32)[0] % (2**31 - 2)) + 1


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
    return f"{n:,.0f}" if n < 1e15 else f"{n:.3g}"


def _format_bytes(n: float) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} bytes"


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
                f"{name}: positive values from {smallest:.3g} to {largest:.3g} are outside "
                f"[{low:.0e}, {high:.0e}], where logarithms and sums lose accuracy; rescale "
                "them (divide by a power of 10, as fit --scale does) so that they are nearer 1"
            )
    if counts is not None:
        total = float(np.sum(np.asarray(counts, dtype=float)))
        if not total <= MAX_TOTAL_COUNT:
            raise ParameterError(
                f"{name}: counts add up to {total:.3g}, more than the {MAX_TOTAL_COUNT:.3g} "
                "observations floating point counts exactly; divide the counts by a common "
                "factor"
            )


# --- paths given by the user ------------------------------------------------------------

#: What :func:`path_kind` calls each type of file system entry.
_KIND_NAMES = (
    (stat.S_ISREG, "regular file"),
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "FIFO (a named pipe)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def path_kind(path: str | os.PathLike[str]) -> str | None:
    """What ``path`` is, without opening it: ``"regular file"``, ``"directory"``,
    ``"FIFO (a named pipe)"``, ``"socket"``, ``"character device"``, ``"block device"``,
    ``"special file"``, or ``None`` when nothing is there (links are followed, so a
    dangling link is ``None``; ``/dev/stdin`` is what standard input is).

    Examples
    --------
    >>> path_kind("/")
    'directory'
    >>> path_kind("/no/such/path") is None
    True
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:  # a parent is a file
        return None
    except PermissionError:
        raise ParameterError(
            f"{os.fspath(path)}: cannot look at it (permission denied on a parent folder)"
        ) from None
    except OSError as err:
        raise ParameterError(f"{os.fspath(path)}: cannot look at it ({err.strerror})") from None
    for test, name in _KIND_NAMES:
        if test(mode):
            return name
    return "special file"


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _not_a_file(path: Path, kind: str, what: str) -> str:
    if kind == "directory":
        return f"{path}: is a directory, expected {_article(what)}"
    return f"{path}: is {_article(kind)}, not a regular file (expected {_article(what)})"


def _path_and_kind(path: str | os.PathLike[str], error: type[Exception]) -> tuple[Path, str | None]:
    """``path`` as a :class:`~pathlib.Path` and its :func:`path_kind`, errors as ``error``."""
    p = Path(path)
    try:
        return p, path_kind(p)
    except ParameterError as err:
        raise error(str(err)) from None


def check_input_file(
    path: str | os.PathLike[str],
    what: str = "data file",
    *,
    error: type[Exception] = ParameterError,
) -> Path:
    """``path`` as a :class:`~pathlib.Path` if it is a regular file this process may read.

    Nothing is opened, so a FIFO, ``/dev/stdin`` or a socket is refused at once rather
    than waited on. Every reader of a file named by the user calls this first.

    Parameters
    ----------
    path
        The file.
    what
        What the file should be, for the message (``"scenario YAML file"``).
    error
        The exception type raised (a subclass of
        :class:`~influence_kit.errors.InfluenceKitError`).

    Raises
    ------
    error
        One line naming the path and what it is: ``... not found``, ``is a directory,
        expected a data file``, ``is a FIFO (a named pipe), not a regular file ...``,
        ``no permission to read it``.

    Examples
    --------
    >>> check_input_file("/", "scenario YAML file")
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: /: is a directory, expected a scenario YAML file
    """
    p, kind = _path_and_kind(path, error)
    if kind is None:
        raise error(f"{p}: {what} not found")
    if kind != "regular file":
        raise error(_not_a_file(p, kind, what))
    if not os.access(p, os.R_OK):
        raise error(f"{p}: no permission to read it")
    return p


def check_input_folder(
    path: str | os.PathLike[str],
    what: str = "folder",
    *,
    error: type[Exception] = ParameterError,
) -> Path:
    """``path`` as a :class:`~pathlib.Path` if it is a folder this process may list.

    Raises
    ------
    error
        ``... not found``, ``is a regular file, expected a folder ...``, ``is a FIFO
        ...``, ``no permission to read it``.
    """
    p, kind = _path_and_kind(path, error)
    if kind is None:
        raise error(f"{p}: {what} not found")
    if kind != "directory":
        raise error(f"{p}: is {_article(kind)}, expected {_article(what)}")
    if not os.access(p, os.R_OK | os.X_OK):
        raise error(f"{p}: no permission to read it")
    return p


def _unwritable_reason(folder: Path) -> str | None:
    """Why this process cannot create files in ``folder`` (``None`` if it can)."""
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    return "permission denied"


def _writable_parent(p: Path, what: str, error: type[Exception]) -> None:
    """Check that the nearest existing ancestor of ``p`` is a folder we can write into."""
    parent = p.absolute().parent
    while True:
        parent, kind = _path_and_kind(parent, error)
        if kind is not None or parent == parent.parent:
            break
        parent = parent.parent
    if kind != "directory":
        raise error(f"{parent}: is {_article(kind or 'missing entry')}, cannot hold the {what}")
    reason = _unwritable_reason(parent)
    if reason:
        raise error(f"{parent}: cannot create the {what} in this folder ({reason})")


def check_output_file(
    path: str | os.PathLike[str],
    what: str = "output file",
    *,
    error: type[Exception] = ParameterError,
) -> Path:
    """``path`` as a :class:`~pathlib.Path` if a regular file can be written there.

    The path must be a regular file or nothing yet, and its folder (or the nearest
    folder that exists, when the rest is to be created) must be writable. Devices
    (``/dev/full``, ``/dev/null``), FIFOs and folders are refused: writers create a
    private temporary file beside the target and rename it into place.

    Raises
    ------
    error
        One line naming the path and what is wrong with it.

    Examples
    --------
    >>> check_output_file("/dev/null")
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: /dev/null: is a character device, not a regular ...
    """
    p, kind = _path_and_kind(path, error)
    if kind is not None and kind != "regular file":
        raise error(_not_a_file(p, kind, what))
    _writable_parent(p, what, error)  # an existing file is replaced by a rename there
    return p


def check_output_folder(
    path: str | os.PathLike[str],
    what: str = "output folder",
    *,
    error: type[Exception] = ParameterError,
) -> Path:
    """``path`` as a :class:`~pathlib.Path` if it is (or can be created as) a writable folder.

    Raises
    ------
    error
        ``is a regular file, expected an output folder``, ``cannot write ... (read-only
        file system)`` and the like.

    Examples
    --------
    >>> check_output_folder("/dev/null")
    Traceback (most recent call last):
    ...
    influence_kit.errors.ParameterError: /dev/null: is a character device, expected an ...
    """
    p, kind = _path_and_kind(path, error)
    if kind is None:
        _writable_parent(p, what, error)
        return p
    if kind != "directory":
        raise error(f"{p}: is {_article(kind)}, expected {_article(what)}")
    reason = _unwritable_reason(p)
    if reason:
        raise error(f"{p}: cannot write into the {what} ({reason})")
    return p


def write_error(
    err: OSError, target: str | os.PathLike[str], what: str = "output"
) -> ParameterError:
    """A one-line error for an :class:`OSError` met while writing ``target``.

    pyarrow and others raise ``OSError`` without ``strerror`` (``"Error writing bytes
    to file. Detail: [errno 28] No space left on device"``); the reason is taken from
    the error number where there is one.

    Examples
    --------
    >>> import errno
    >>> str(write_error(OSError(errno.ENOSPC, "No space left on device"), "x.csv", "table"))
    'x.csv: cannot write the table: No space left on device'
    """
    import errno as errno_module
    import re

    number = err.errno
    if number is None:
        found = re.search(r"errno (\d+)", str(err))
        number = int(found.group(1)) if found else None
    if number is not None and number in errno_module.errorcode:
        reason = os.strerror(number)
    else:
        reason = err.strerror or (str(err).strip().splitlines() or [type(err).__name__])[0]
    return ParameterError(f"{os.fspath(target)}: cannot write the {what}: {reason}")
