"""``influence-kit calibrate``: what a headline "the top p hold q" implies."""

from __future__ import annotations

import argparse

from ..concentration import calibrate_to_headline
from .common import add_json_flag, emit_json, emit_text

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
        type=float,
        default=0.16,
        help="top fraction of people in the headline (default: %(default)s)",
    )
    parser.add_argument(
        "--share",
        metavar="Q",
        type=float,
        default=0.80,
        help="share of the total they hold (default: %(default)s)",
    )
    parser.add_argument(
        "--cutoff-alpha",
        metavar="A",
        type=float,
        default=None,
        help="also calibrate a power law with exponential cutoff with density exponent A "
        "(solving for its cutoff)",
    )
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``calibrate``."""
    result = calibrate_to_headline(args.top, args.share, cutoff_alpha=args.cutoff_alpha)
    if args.json:
        emit_json(result.to_dict())
        return 0
    emit_text(f"headline: the top {result.top:.4g} hold {result.share:.4g} of the total")
    emit_text(result.print_summary())
    emit_text(
        f"\nThe top 1% share differs {result.top_1pct_ratio:.2f}-fold between the families: "
        "the headline does not pin the distribution down."
    )
    return 0
