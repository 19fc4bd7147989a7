"""Helpers shared by the subcommand modules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .. import constants
from ..resources import data_dir
from ..results import dumps
from ..scenarios import Scenario, load_scenario

#: The shipped default scenario file (:data:`influence_kit.constants.DEFAULT_SCENARIO`).
DEFAULT_SCENARIO = str(data_dir() / "scenarios" / f"{constants.DEFAULT_SCENARIO}.yaml")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add ``--json`` (print exactly one JSON object on stdout)."""
    parser.add_argument(
        "--json", action="store_true", help="print exactly one JSON object on stdout"
    )


def add_scenario_args(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """Add ``--scenario PATH`` and repeatable ``--set KEY=VALUE``."""
    parser.add_argument(
        "--scenario",
        required=required,
        default=None if required else DEFAULT_SCENARIO,
        metavar="PATH",
        help=f"scenario YAML file (example: {DEFAULT_SCENARIO})",
    )
    add_overrides_arg(parser)


def add_overrides_arg(parser: argparse.ArgumentParser) -> None:
    """Add repeatable ``--set KEY=VALUE`` scenario overrides."""
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario value; dotted keys for nested values; repeatable "
        "(example: --set readers_per_post=300 --set network_shares.facebook=0.6)",
    )


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """Load the scenario named by ``--scenario`` with ``--set`` overrides applied."""
    return load_scenario(args.scenario, args.overrides)


def emit_json(data: Any) -> None:
    """Print ``data`` as one JSON object on stdout."""
    sys.stdout.write(dumps(data) + "\n")


def emit_text(text: str) -> None:
    """Print human-readable text on stdout."""
    sys.stdout.write(text.rstrip("\n") + "\n")


def add_source_args(parser: argparse.ArgumentParser) -> None:
    """Add the options that say where values come from (see ``data.files.read_values``)."""
    parser.add_argument(
        "path",
        metavar="PATH",
        help="data file, glob or folder (text, CSV/TSV, Parquet) or DuckDB database",
    )
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
        "--drop-invalid",
        action="store_true",
        help="leave out (and report) missing, negative or non-numeric values instead of stopping",
    )
    parser.add_argument(
        "--memory-limit",
        default="1GB",
        metavar="SIZE",
        help="DuckDB memory limit when aggregating large sources (default 1GB)",
    )


def values_from_args(args: argparse.Namespace) -> Any:
    """Read the values named by :func:`add_source_args` options."""
    from ..data.files import read_values

    return read_values(
        args.path,
        args.column,
        args.counts_column,
        person_column=args.person_column,
        table=args.table,
        drop_invalid=args.drop_invalid,
        memory_limit=args.memory_limit,
    )


def add_parallel_args(parser: argparse.ArgumentParser, *, jobs: bool = True) -> None:
    """Add ``--scheduler ADDRESS`` (and ``--jobs N``) for replicate-heavy commands."""
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run replicates on this Dask scheduler (example: tcp://127.0.0.1:8786); "
        "the numbers are identical to a local run",
    )
    if jobs:
        parser.add_argument(
            "--jobs", type=int, default=None, metavar="N", help="local worker processes"
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
    if value < 0 or value >= 2**63:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer below 2**63, got {text}")
    return value
