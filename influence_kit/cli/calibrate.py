"""``influence-kit calibrate``: what a headline "the top p hold q" implies."""

from __future__ import annotations

import argparse

from ..errors import ParameterError
from ..formatting import format_number, format_quantity
from .common import (
    add_json_flag,
    add_scenario_args,
    emit_json,
    emit_text,
    number_value,
    scenario_from_args,
)

EPILOG = """examples:
  influence-kit calibrate --top 0.16 --share 0.80
  influence-kit calibrate --top 0.16 --share 0.80 --cutoff-alpha 1.5 --json

Pareto: top share S(p) = p^(1 - 1/a), a the tail index (= alpha - 1 of a power law
with density exponent alpha); lognormal: S(p) = Phi(sigma + Phi^-1(p));
Weibull: S(p) = Q(1 + 1/k, -ln p). Each is solved for S(top) = share.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` subcommand."""
    parser = subparsers.add_parser(
        "calibrate",
        help="parameters of Pareto, lognormal and Weibull implied by 'the top p hold q'",
        description="Solve each family for the shape parameter that reproduces a headline "
        "('the top P of people hold a share Q') and report what each implies elsewhere: its "
        "Gini coefficient and the share held by the top 1% and other fractions.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--top",
        metavar="P",
        type=number_value,
        default=None,
        help="top fraction of people in the headline (default: the scenario's "
        "headline.influencers_share)",
    )
    parser.add_argument(
        "--share",
        metavar="Q",
        type=number_value,
        default=None,
        help="share of the total they hold (default: the scenario's headline.impressions_share)",
    )
    parser.add_argument(
        "--cutoff-alpha",
        metavar="A",
        type=number_value,
        default=None,
        help="also calibrate a power law with exponential cutoff with density exponent A "
        "(solving for its cutoff)",
    )
    add_scenario_args(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``calibrate``."""
    from ..concentration import calibrate_to_headline

    if args.top is None or args.share is None:
        headline = scenario_from_args(args).headline
        if args.top is None:
            args.top = headline.influencers_share if headline else None
        if args.share is None:
            args.share = headline.impressions_share if headline else None
        if args.top is None or args.share is None:
            raise ParameterError(
                f"{args.scenario}: no headline influencers_share/impressions_share; "
                "give --top and --share"
            )
    result = calibrate_to_headline(args.top, args.share, cutoff_alpha=args.cutoff_alpha)
    if args.json:
        emit_json(result.to_dict())
        return 0
    emit_text(
        f"headline: the top {format_quantity(result.top, 'share')} hold "
        f"{format_quantity(result.share, 'share')} of the total"
    )
    from ..render.tables import calibration_table  # the report's table, as text

    emit_text(repr(calibration_table(result)))
    for family, reason in result.failed.items():
        emit_text(f"\n{family}: not calibrated: {reason}")
    emit_text(
        f"\nThe top 1% share differs {format_number(result.top_1pct_ratio, 3)}-fold between "
        "the families: "
        "the headline does not pin the distribution down."
    )
    return 0
