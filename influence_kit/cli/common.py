"""Helpers shared by the subcommand modules.

The command line is the only place that turns text into numbers: the argparse types
here (:func:`number_value`, :func:`integer_value`, :func:`seed_value`) parse options such
as ``1e12``, ``1e6`` or ``500_000`` and hand typed values to the library, whose checks
(:mod:`influence_kit.validation`) check ranges and refuse text.

Building the parser must stay fast (``influence-kit --help``): this module and the
``register`` functions import only the standard library, :mod:`influence_kit.constants`,
:mod:`influence_kit.errors` and :mod:`influence_kit.formatting`; the library modules (and
numpy, pandas, pydantic, ...) are imported inside the functions that run a command.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..constants import DEFAULT_SCENARIO

if TYPE_CHECKING:
    from ..scenarios import Scenario


#: Kinds of path argument. Every argument that names a file or folder carries one as
#: its action's ``path_kind`` (see :func:`mark_path`); the library checks the path
#: (:mod:`influence_kit.validation`) before anything is opened.
PATH_KINDS = (
    "input file",  # a regular file to read (or a shipped name, for --scenario)
    "input source",  # a data file, a folder of data files or a glob
    "input folder",
    "output file",
    "output folder",
)


def mark_path(action: argparse.Action, kind: str) -> argparse.Action:
    """Record on ``action`` which of :data:`PATH_KINDS` its value is; returns ``action``."""
    if kind not in PATH_KINDS:
        raise ValueError(f"path kind must be one of {PATH_KINDS}, got {kind!r}")
    setattr(action, "path_kind", kind)  # noqa: B010 - argparse actions have no such field
    if action.type is None:
        action.type = path_value
    return action


def path_value(text: str) -> str:
    """argparse type for a path: any text but the empty string (which would mean ``.``)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"expected a path, got {text!r}")
    return text


#: Appended to the help of every list option.
LIST_HELP = "several values after one flag, or repeat the flag"


class ListAction(argparse.Action):
    """The one behaviour of every option that takes a list (see :func:`add_list_option`).

    ``--top 0.01 0.16``, ``--top 0.01 --top 0.16`` and ``--top 0.01 0.1 --top 0.16``
    (``nargs="+"``, values accumulated over repeated flags) give the same list; the
    first use replaces the default rather than adding to it.
    """

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        if kwargs.get("nargs", "+") != "+":
            raise ValueError("a list option takes one or more values (nargs='+')")
        kwargs["nargs"] = "+"
        super().__init__(option_strings, dest, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        current = getattr(namespace, self.dest, None)
        items = [] if current is None or current is self.default else list(current)
        items.extend([values] if isinstance(values, str) else list(values or []))
        setattr(namespace, self.dest, items)


def add_list_option(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, *flags: str, **kwargs: Any
) -> argparse.Action:
    """Add an option that takes a list: several values after one flag, repeated flags add up.

    Every list option of every subcommand is made here, so they all behave alike
    (``render --scenario data/scenarios/*.yaml`` works as the shell expands it).
    A list option takes every following word that is not an option: give positional
    arguments (``PATH``) before it, or end its list with ``--``.
    """
    help_text = kwargs.pop("help", "")
    kwargs["help"] = f"{help_text}; {LIST_HELP}" if help_text else LIST_HELP
    return parser.add_argument(*flags, action=ListAction, **kwargs)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add ``--json`` (print exactly one JSON object on stdout)."""
    parser.add_argument(
        "--json", action="store_true", help="print exactly one JSON object on stdout"
    )


def add_scenario_args(parser: argparse.ArgumentParser) -> None:
    """Add ``--scenario NAME|PATH`` (default: the shipped default scenario) and ``--set``."""
    scenario = parser.add_argument(
        "--scenario",
        default=DEFAULT_SCENARIO,
        metavar="NAME|PATH",
        help=f"shipped scenario name or scenario YAML file (default: {DEFAULT_SCENARIO})",
    )
    mark_path(scenario, "input file")
    add_overrides_arg(parser)


def add_overrides_arg(parser: argparse.ArgumentParser) -> None:
    """Add ``--set KEY=VALUE ...`` scenario overrides (a list option)."""
    add_list_option(
        parser,
        "--set",
        dest="overrides",
        default=[],
        metavar="KEY=VALUE",
        help="override scenario values; dotted keys for nested values "
        "(example: --set readers_per_post=300 network_shares.facebook=0.6)",
    )


def overrides_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The ``--set KEY=VALUE`` texts as the typed mapping the library takes (the one parser,
    :func:`influence_kit.parsing.parse_overrides`)."""
    from ..parsing import parse_overrides

    return parse_overrides(getattr(args, "overrides", None) or ())


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """Load the scenario named by ``--scenario`` with ``--set`` overrides applied."""
    from ..scenarios import load_scenario

    return load_scenario(args.scenario, overrides_from_args(args))


def emit_json(data: Any) -> None:
    """Print ``data`` as one JSON object on stdout."""
    from ..results import dumps

    sys.stdout.write(dumps(data) + "\n")


def emit_text(text: str) -> None:
    """Print human-readable text on stdout."""
    sys.stdout.write(text.rstrip("\n") + "\n")


def add_source_args(parser: argparse.ArgumentParser) -> None:
    """Add the options that say where values come from (see ``data.files.read_values``)."""
    path = parser.add_argument(
        "path",
        metavar="PATH",
        nargs="+",
        help="data file, glob or folder (text, CSV/TSV, Parquet) or DuckDB database; "
        "several files (as a shell glob gives them) are read as one source",
    )
    mark_path(path, "input source")
    parser.add_argument("--column", metavar="NAME", help="column holding the values")
    parser.add_argument(
        "--counts-column", metavar="NAME", help="column holding counts (histogram input)"
    )
    parser.add_argument(
        "--person-column",
        metavar="NAME",
        help="rows are events: aggregate per person (count of rows, or sum of --column)",
    )
    parser.add_argument("--table", metavar="NAME", help="table name in a DuckDB database")
    parser.add_argument(
        "--comment",
        metavar="CHAR",
        default=None,
        help="text from CHAR to the end of a line is a comment, e.g. --comment '#' "
        "(default: no comment character, so 'bob#1' is data; lines starting with '#' at "
        "the top of a file are skipped all the same)",
    )
    parser.add_argument(
        "--drop-invalid",
        action="store_true",
        help="leave out (and report) missing, negative or non-numeric values instead of stopping",
    )
    parser.add_argument(
        "--memory-limit",
        default="1GB",
        type=memory_size,
        metavar="SIZE",
        help="DuckDB memory limit when aggregating large sources, e.g. 512MB or 4GB "
        "(at least 16MB; default 1GB)",
    )


_SIZE_UNITS = {
    "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
    "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40,
}  # fmt: skip


def memory_size(text: str) -> str:
    """argparse type for ``--memory-limit``: a size such as ``512MB`` or ``4GiB``, at
    least 16 MB (checked here, whichever input path, DuckDB or not, will use it).

    Returns the size in DuckDB's spelling (bytes, e.g. ``"536870912B"``)."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([A-Za-z]*)\s*", text)
    unit = match.group(2).upper() if match else ""
    if not match or (unit or "B") not in _SIZE_UNITS:
        raise argparse.ArgumentTypeError(f"expected a size such as 512MB or 4GB, got {text!r}")
    size = float(match.group(1)) * _SIZE_UNITS[unit or "B"]
    if not 16 * 10**6 <= size < 2**60:
        raise argparse.ArgumentTypeError(f"must be from 16MB to 1EiB, got {text!r}")
    return f"{int(size)}B"


def values_from_args(args: argparse.Namespace) -> Any:
    """Read the values named by :func:`add_source_args` options.

    Returns the :class:`~influence_kit.data.aggregate.SourceTable` (``.table`` is
    the value table, ``.label`` names it)."""
    from ..data.files import read_values

    return read_values(
        args.path[0] if len(args.path) == 1 else args.path,
        args.column,
        args.counts_column,
        person_column=args.person_column,
        table=args.table,
        drop_invalid=args.drop_invalid,
        memory_limit=args.memory_limit,
        comment=args.comment,
    )


def add_parallel_args(parser: argparse.ArgumentParser, *, jobs: bool = True) -> None:
    """Add ``--scheduler ADDRESS`` (and ``--jobs N``) for replicate-heavy commands."""
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run replicates on this Dask scheduler (example: tcp://127.0.0.1:8786); "
        "the numbers are identical to a local run. A scheduler that does not answer "
        "within 10 s is an error (environment variable INFLUENCE_KIT_SCHEDULER_TIMEOUT: "
        "seconds to wait)",
    )
    if jobs:
        parser.add_argument(
            "--jobs",
            type=jobs_value,
            default=None,
            metavar="N",
            help="local worker processes (default: in this process; -1: every core)",
        )


@contextmanager
def client_from_args(args: argparse.Namespace) -> Iterator[Any]:
    """The Dask client for ``--scheduler`` (None without one), closed afterwards."""
    from ..parallel import connect_scheduler

    client = connect_scheduler(getattr(args, "scheduler", None))
    try:
        yield client
    finally:
        if client is not None:
            client.close()


def seed_value(text: str) -> int:
    """argparse type for ``--seed``: a non-negative integer."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}") from None
    # up to 128 bits: the seed a run without --seed reports (its fresh entropy) repeats it
    if value < 0 or value >= 2**128:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer below 2**128, got {text}")
    return value


def parse_number(text: str) -> float:
    """A finite number from text such as ``1e12``, ``500_000`` or ``0.25``.

    Raises
    ------
    argparse.ArgumentTypeError
        If the text is not a finite number.
    """
    try:
        value = float(text.strip().replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value + 0.0  # -0 is 0: never shown as "-0"


def number_value(text: str) -> float:
    """argparse type for a number option (``--threshold 1e12``)."""
    return parse_number(text)


def jobs_value(text: str) -> int:
    """argparse type for ``--jobs``: the ``n_jobs`` rule of
    :func:`influence_kit.validation.resolve_n_jobs`, checked even when the run turns
    out to need no workers."""
    from ..errors import ParameterError
    from ..validation import resolve_n_jobs

    value = integer_value(text)
    try:
        resolve_n_jobs(value)
    except ParameterError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return value


def integer_value(text: str) -> int:
    """argparse type for a whole-number option (``--draws 1e6`` works).

    Only the text is checked here; the library checks the range (one validation layer).
    """
    value = parse_number(text)
    if not value.is_integer():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(value)


@contextmanager
def result_cautions() -> Iterator[list[str]]:
    """Collect the library's heavy-tail cautions instead of printing them on stderr.

    A caution about how far a result's intervals hold belongs with the result: the
    command prints it on stdout (text) or leaves it to the result's own fields (JSON),
    so a clean run prints nothing on stderr but progress.
    """
    from ..errors import HeavyTailWarning

    cautions: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", HeavyTailWarning)
        yield cautions
    for item in caught:
        if issubclass(item.category, HeavyTailWarning):
            cautions.append(" ".join(str(item.message).split()))
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
