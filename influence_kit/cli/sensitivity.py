"""``influence-kit sensitivity``: how the headline moves with readers per post and every input."""

from __future__ import annotations

import argparse

from ..constants import DEFAULT_DRAWS, DEFAULT_SEED, DEFAULT_SOBOL_N
from ..formatting import format_number
from .common import (
    add_json_flag,
    add_list_option,
    add_parallel_args,
    add_scenario_args,
    client_from_args,
    emit_json,
    emit_text,
    integer_value,
    number_value,
    scenario_from_args,
    seed_value,
)

EPILOG = """examples:
  influence-kit sensitivity --scenario forrester-us-2009
  influence-kit sensitivity --scenario forrester-us-2009 \\
      --target-total 1e12 --target-total 750e9 --draws 1e6 --seed 7 --json
  influence-kit sensitivity --scenario forrester-us-2009 \\
      --set readers_per_post.distribution.kind=lognormal --json
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sensitivity`` subcommand."""
    parser = subparsers.add_parser(
        "sensitivity",
        help="break-even readers per post, tornado, Monte Carlo and Sobol indices of the total",
        description="Stress-test the headline total: the readers per post at which post "
        "impressions equal network impressions (and at which the total reaches each "
        "--target-total), a tornado over every input's low/high range, Monte Carlo with the "
        "scenario's distributions (P5/P50/P95, P(total > 500 billion)) and Sobol indices.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_scenario_args(parser)
    parser.add_argument(
        "--draws",
        type=integer_value,
        default=DEFAULT_DRAWS,
        metavar="N",
        help=f"Monte Carlo draws (default {format_number(DEFAULT_DRAWS)}; 1e6 is accepted)",
    )
    parser.add_argument(
        "--seed",
        type=seed_value,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"seed (default {DEFAULT_SEED})",
    )
    add_list_option(
        parser,
        "--target-total",
        dest="target_totals",
        type=number_value,
        default=[],
        metavar="X",
        help="also solve for the readers per post at which the total reaches X (e.g. 1e12)",
    )
    parser.add_argument(
        "--threshold",
        type=number_value,
        default=None,
        metavar="X",
        help="report P(total > X) as well as P(total > 500e9) (default: the scenario's "
        "published claim, or 500e9 when it has none)",
    )
    parser.add_argument(
        "--sobol-n",
        type=integer_value,
        default=DEFAULT_SOBOL_N,
        metavar="N",
        help=f"Sobol base sample size, a power of 2 (default {DEFAULT_SOBOL_N})",
    )
    add_parallel_args(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``sensitivity``."""
    from ..sensitivity import sensitivity_report

    scenario = scenario_from_args(args)
    with client_from_args(args) as client:
        report = sensitivity_report(
            scenario,
            draws=args.draws,
            seed=args.seed,
            target_totals=args.target_totals,
            threshold=args.threshold,
            sobol_n=args.sobol_n,
            n_jobs=args.jobs,
            client=client,
        )
    if args.json:
        emit_json(report.to_dict())
        return 0
    # the reports' tables, as text: every number in words with its unit
    from ..render.tables import breakeven_table, monte_carlo_table, sobol_table, tornado_table

    emit_text("Break-even readers per post")
    emit_text(repr(breakeven_table(report.breakevens)))
    emit_text("\nTornado (total impressions, sorted by swing)")
    emit_text(repr(tornado_table(report.tornado)))
    emit_text("\nMonte Carlo (total impressions)")
    emit_text(repr(monte_carlo_table(report.monte_carlo)))
    emit_text("\nSobol indices (total impressions)")
    emit_text(repr(sobol_table(report.sobol)))
    emit_text("\n" + report.conclusion().text)
    return 0
