"""``influence-kit concentration``: Gini, top shares and "p% make q%" of a data file."""

from __future__ import annotations

import argparse

from ..constants import DEFAULT_SEED, DEFAULT_SHARES, DEFAULT_TOP
from ..errors import ParameterError
from ..formatting import format_number, format_quantity, format_value
from .common import (
    add_json_flag,
    add_list_option,
    add_parallel_args,
    add_source_args,
    client_from_args,
    emit_json,
    emit_text,
    integer_value,
    number_value,
    result_cautions,
    seed_value,
    values_from_args,
)

EPILOG = """examples:
  influence-kit concentration data/social/facebook_degree.tsv --column degree
  influence-kit concentration data/social/wiki-Vote_per_user.tsv --column votes_received \\
      --top 0.01 0.062 0.16 --share 0.8 --bootstrap-reps 2000 --json
  influence-kit concentration histogram.tsv --column degree --counts-column frequency

  influence-kit concentration "logs/*.parquet" --person-column user_id --json

PATH is a TSV/CSV with a header row, a headerless table (columns named 1, 2, ...),
one number per line ('#' lines are skipped), Parquet, a glob or folder of files, or a
DuckDB database (--table); large sources are aggregated in DuckDB. Give PATH before
--top and --share, which take several values. Ties at a boundary are split fractionally
(people with equal values are interchangeable).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``concentration`` subcommand."""
    parser = subparsers.add_parser(
        "concentration",
        help="Gini, top-p shares and 'p%% make q%%' of per-person values, with bootstrap CIs",
        description="Measure how concentrated per-person values are: the Gini coefficient, "
        "the share held by the top fractions of people and the smallest fraction holding "
        "given shares, with percentile bootstrap intervals (multinomial resampling of the "
        "frequency table).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_source_args(parser)
    add_list_option(
        parser,
        "--top",
        metavar="P",
        type=number_value,
        default=list(DEFAULT_TOP),
        help="top fractions of people whose share is reported (default: %(default)s)",
    )
    add_list_option(
        parser,
        "--share",
        metavar="Q",
        type=number_value,
        default=list(DEFAULT_SHARES),
        help="shares for which the smallest fraction of people holding them is reported "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--bootstrap-reps",
        metavar="N",
        type=integer_value,
        default=1000,
        help="bootstrap replicates: 0 for point estimates only, else at least 39 "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--confidence",
        metavar="C",
        type=number_value,
        default=0.95,
        help="confidence level of the intervals (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        metavar="S",
        type=seed_value,
        default=DEFAULT_SEED,
        help="seed (default: %(default)s)",
    )
    add_parallel_args(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``concentration``."""

    from ..concentration import concentration

    if not 0.0 < args.confidence < 1.0:
        raise ParameterError(
            f"--confidence must lie strictly between 0 and 1, got {format_value(args.confidence)}"
        )
    alpha = 1.0 - args.confidence
    data = values_from_args(args)
    with client_from_args(args) as client, result_cautions():  # describe_intervals() says it
        result = concentration(
            data.table,
            top=args.top,
            shares=args.share,
            reps=args.bootstrap_reps,
            seed=args.seed,
            label=data.label,
            n_jobs=args.jobs,
            client=client,
        )
    if args.json:
        out = result.to_dict()
        if result.has_intervals:
            out["conf_int"] = result.conf_int_dict(alpha)
        emit_json(out)
        return 0
    emit_text(
        f"{data.label}: {format_quantity(result.n_people, 'count')} people, "
        f"{format_quantity(result.n_distinct, 'count')} distinct values, "
        f"mean {format_quantity(result.mean, 'count')}"
    )
    table = result.estimates().to_frame("estimate")
    if result.has_intervals:
        table = table.join(result.conf_int(alpha))
    # the Gini coefficient as a number, every share and fraction of people as a percentage
    shown = table.apply(
        lambda row: row.map(
            lambda value: format_quantity(value, "number" if row.name == "gini" else "share")
        ),
        axis=1,
    )
    from ..render.tables import percent_words  # the report tables' row names, in words

    shown.index = shown.index.map(percent_words).rename(None)
    emit_text(shown.to_string())
    if result.bootstrap_reps:
        emit_text(
            f"\nintervals: {format_quantity(args.confidence, 'share', digits=2)} "
            f"{result.describe_intervals()}; "
            f"{format_number(result.bootstrap_reps)} replicates, seed {result.seed}"
        )
        for quantity, caution in result.cautions:
            emit_text(f"caution{f' ({quantity})' if quantity else ''}: {caution}")
    for row in result.fraction_for_share:
        emit_text(
            f"{format_quantity(row.fraction, 'share')} of people make "
            f"{format_quantity(row.share, 'share', digits=2)} of the total"
        )
    return 0
