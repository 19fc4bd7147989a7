"""``influence-kit account``: the impression decomposition of a scenario."""

from __future__ import annotations

import argparse

from ..formatting import format_quantity
from .common import add_json_flag, add_scenario_args, emit_json, emit_text, scenario_from_args

EPILOG = """examples:
  influence-kit account --scenario forrester-us-2009
  influence-kit account --scenario forrester-us-2009 \\
      --set readers_per_post=300 --json
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``account`` subcommand."""
    parser = subparsers.add_parser(
        "account",
        help="total influence impressions and their decomposition for a scenario",
        description="Compute network impressions, post impressions (posts x readers per "
        "post), the total, its share of advertiser impressions and impressions per adult.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_scenario_args(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``account``."""
    from ..accounting import account

    result = account(scenario_from_args(args))
    if args.json:
        emit_json(result.to_dict())
    else:
        from ..render.tables import account_table  # the reports' table, as text

        emit_text(repr(account_table(result)))
        emit_text(
            f"\ntotal: {format_quantity(result.total_impressions, 'impressions')} impressions "
            f"per year ({format_quantity(result.share_of_advertiser_impressions, 'share')} of "
            "advertiser impressions)"
        )
    return 0
