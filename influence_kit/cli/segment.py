"""``influence-kit segment``: Mass Influencer segments of a person table."""

from __future__ import annotations

import argparse
from typing import Any

from ..constants import (
    DEFAULT_BROADCASTER_MIN_AUDIENCE,
    DEFAULT_SEED,
    FLAG_ROLES,
    NUMERIC_ROLES,
)
from ..errors import ParameterError
from ..formatting import format_quantity
from .common import (
    add_json_flag,
    add_list_option,
    add_scenario_args,
    emit_json,
    emit_text,
    integer_value,
    mark_path,
    number_value,
    result_cautions,
    scenario_from_args,
    seed_value,
)

EPILOG = """examples:
  influence-kit segment people.parquet --json
  influence-kit segment data/social/wiki-Vote_per_user.tsv --column influence_posts=votes_cast \\
      --column network_updates=votes_cast --column audience=votes_received
  influence-kit segment data/social/scifi_stackexchange_users_counts.tsv --drop Id=-1 \\
      --column influence_posts=UpVotes --column network_updates=UpVotes \\
      --column audience=Reputation --bootstrap 200 --json
"""


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"{what} {item!r} must have the form KEY=VALUE")
        out[key.strip()] = value.strip()
    return out


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``segment`` subcommand."""
    parser = subparsers.add_parser(
        "segment",
        help="Mass Connectors, Mass Mavens, Social Broadcasters and the Technographics ladder",
        description="Segment a person table (Parquet, CSV or TSV): Social Broadcasters (audience "
        "above a threshold, set apart), Mass Connectors (smallest top group making 80% of "
        "network impressions), Mass Mavens (likewise by influence posts), their overlap and "
        "union, Potential Influencers and the Technographics ladder; weighted by the person "
        "weights when present.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mark_path(
        parser.add_argument(
            "path",
            metavar="PATH",
            nargs="+",
            help="person table (.parquet, .csv or .tsv), glob or folder; several files (as a "
            "shell glob gives them) are read as one table",
        ),
        "input source",
    )
    roles = ", ".join(NUMERIC_ROLES + FLAG_ROLES)
    add_list_option(
        parser,
        "--column",
        default=[],
        metavar="ROLE=COLUMN",
        help="map columns to roles (when given, only the mapped roles are used). "
        f"Roles: {roles}. Default: the synthetic population's columns",
    )
    add_list_option(
        parser,
        "--drop",
        default=[],
        metavar="COLUMN=VALUE",
        help="drop rows where COLUMN equals VALUE, e.g. --drop Id=-1",
    )
    parser.add_argument(
        "--concentration-share",
        type=number_value,
        default=None,
        metavar="P",
        help="share of activity the top groups hold (default: the scenario's "
        "segments.concentration_share)",
    )
    parser.add_argument(
        "--ties",
        choices=("split", "include"),
        default="split",
        help="people tied at a group boundary: split a fractional membership (default) or "
        "include them all",
    )
    tier = parser.add_mutually_exclusive_group()
    tier.add_argument(
        "--broadcaster-min-audience",
        type=number_value,
        default=DEFAULT_BROADCASTER_MIN_AUDIENCE,
        metavar="A",
        help=f"audience from which a person is a Social Broadcaster "
        f"(default {format_quantity(DEFAULT_BROADCASTER_MIN_AUDIENCE, 'count')})",
    )
    tier.add_argument(
        "--broadcaster-top-share",
        type=number_value,
        default=None,
        metavar="P",
        help="make the top P of adults by audience the Social Broadcasters instead (e.g. 0.01)",
    )
    tier.add_argument(
        "--no-broadcasters", action="store_true", help="do not set Social Broadcasters apart"
    )
    parser.add_argument(
        "--readers-per-post",
        type=number_value,
        default=None,
        metavar="R",
        help="readers per post (of the post types without their own) when the table has no "
        "post impressions (default: the scenario's)",
    )
    parser.add_argument(
        "--bootstrap",
        type=integer_value,
        default=0,
        metavar="B",
        help="bootstrap replicates for confidence intervals (default 0: none; else at least 39)",
    )
    parser.add_argument(
        "--seed",
        type=seed_value,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"bootstrap seed (default {DEFAULT_SEED})",
    )
    add_scenario_args(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``segment``."""
    from ..parsing import parse_override_value
    from ..segments import PersonColumns, read_person_table, segment_people

    columns = _pairs(args.column, "--column") or None
    drop: dict[str, Any] = {
        k: parse_override_value(v) for k, v in _pairs(args.drop, "--drop").items()
    }
    needed = PersonColumns.from_mapping(columns).roles.values()
    path = args.path[0] if len(args.path) == 1 else args.path
    table = read_person_table(path, drop=drop, columns=list(needed))
    with result_cautions() as cautions:
        result = segment_people(
            table,
            scenario_from_args(args),
            columns=columns,
            concentration_share=args.concentration_share,
            ties=args.ties,
            broadcaster_min_audience=None
            if args.no_broadcasters
            else args.broadcaster_min_audience,
            broadcaster_top_share=args.broadcaster_top_share,
            readers_per_post=args.readers_per_post,
            n_boot=args.bootstrap,
            seed=args.seed,
            origin=", ".join(args.path),
        )
    if args.json:
        emit_json(result.to_dict())
    else:
        from ..render.tables import ladder_table, segmentation_table  # tables, as text

        emit_text(repr(segmentation_table(result)))
        if result.technographics:
            emit_text("\nTechnographics ladder (share of adults):")
            emit_text(repr(ladder_table(result)))
        for caution in cautions:  # in JSON the result's heavy_tailed field says it
            emit_text(f"\ncaution: {caution}")
    return 0
