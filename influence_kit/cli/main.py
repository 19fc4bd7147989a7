"""Entry point of the ``influence-kit`` command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, NoReturn

from ..errors import InfluenceKitError
from . import (
    account,
    calibrate,
    concentration,
    explore,
    fit,
    reach,
    render,
    segment,
    sensitivity,
    simulate,
)

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS: tuple[ModuleType, ...] = (
    account,
    sensitivity,
    fit,
    concentration,
    calibrate,
    simulate,
    segment,
    reach,
    render,
    explore,
)


class _VersionAction(argparse._VersionAction):
    """``--version`` that looks the installed version up only when asked (fast ``--help``)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        from .. import __version__

        self.version = f"%(prog)s {__version__}"
        super().__call__(parser, namespace, values, option_string)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        required = "the following arguments are required: "
        if message.startswith(required) and any(
            not name.startswith("-") for name in message[len(required) :].split(", ")
        ):
            # `segment --column a=b people.parquet`: the list option took the path
            message += (
                "; an option that takes several values (--set, --column, --top...) takes "
                "every word after it: give positional arguments first or end the list with --"
            )
        self.exit(2, f"{self.prog}: error: {printable(message)} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every subcommand registered."""
    parser = _Parser(
        prog="influence-kit",
        description="Measure word-of-mouth influence: scenarios, accounting, sensitivity, "
        "heavy-tail fitting, concentration and reports.",
        epilog="Run 'influence-kit COMMAND --help' for the options and an example of each.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more on stderr (-vv for debug)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the subcommand; user errors exit with code 2."""
    if sys.stdout is None:  # started with stdout closed (`>&-`): nowhere to report to
        sys.stdout = open(os.devnull, "w")  # kept open until the process ends
    parser = build_parser()
    args = parser.parse_args(argv)
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    shown = warnings.showwarning
    warnings.showwarning = _one_line_warning(args.command)
    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except InfluenceKitError as err:
        sys.stderr.write(f"influence-kit {args.command}: error: {printable(str(err))}\n")
        return 2
    except OSError as err:
        if isinstance(err, BrokenPipeError):
            # The reader of stdout went away (e.g. `| head`): stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        where = f"{err.filename}: " if err.filename else ""
        text = printable(f"{where}{err.strerror or err}")
        sys.stderr.write(f"influence-kit {args.command}: error: {text}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("influence-kit: interrupted\n")
        return 130
    finally:
        warnings.showwarning = shown


def printable(text: str) -> str:
    """``text`` with control characters written as escapes (``\\n``, ``\\x1b``).

    Error messages name files and values as given; a file name holding a newline or
    a terminal escape sequence must not split the one-line error or drive the terminal.

    Examples
    --------
    >>> printable("bad\\nname.csv: not found")
    'bad\\\\nname.csv: not found'
    """
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _one_line_warning(command: str) -> Callable[..., None]:
    """``warnings.showwarning`` for the CLI: one line naming the command, no source line."""

    def show(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
        text = printable(" ".join(str(message).split())) or category.__name__
        sys.stderr.write(f"influence-kit {command}: warning: {text}\n")

    return show


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
