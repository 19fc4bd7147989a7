"""``influence-kit reach``: readers per post derived from a graph or a table of audiences."""

from __future__ import annotations

import argparse
import os

from ..formatting import format_quantity, format_value
from .common import (
    add_json_flag,
    add_parallel_args,
    add_scenario_args,
    client_from_args,
    emit_json,
    emit_text,
    integer_value,
    mark_path,
    number_value,
    scenario_from_args,
    seed_value,
)

#: Graphs shipped with the package, by the name ``reach`` accepts.
SHIPPED_GRAPHS = ("ego-facebook", "wiki-vote")

#: Values of ``--links`` (see :class:`influence_kit.audience.Direction`).
DIRECTIONS = ("undirected", "follower-to-author", "author-to-follower")

EPILOG = """examples:
  influence-kit reach ego-facebook
  influence-kit reach wiki-vote --visibility 0.5 --reshare 0.01 --seed 7 --json
  influence-kit reach follows.csv --links follower-to-author --posts 100000
  influence-kit reach followers.tsv --audience-sizes --column followers

GRAPH_OR_TABLE is a shipped graph (ego-facebook, wiki-vote), an edge-list file (two
columns: the ends of each link), or with --audience-sizes a table of audience sizes
(one per person, or a histogram with --counts-column). Visibility and the reshare
probability default to the scenario's audience model: its visibility, and the reshare
probability that leaves its share of posts never reshared.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``reach`` subcommand."""
    parser = subparsers.add_parser(
        "reach",
        help="readers per post derived from a graph or a table of audience sizes",
        description="Simulate posts spreading on a real graph (independent cascades: each "
        "audience member sees a post with probability VISIBILITY, each reader reshares with "
        "probability RESHARE) and print the readers-per-post distribution, its mean with an "
        "interval, and the scenario's total recomputed with it beside the stated figure.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mark_path(
        parser.add_argument(
            "path",
            metavar="GRAPH_OR_TABLE",
            help="an edge-list file, a table of audience sizes (--audience-sizes) or a "
            f"shipped graph ({', '.join(SHIPPED_GRAPHS)}); an existing file wins over a name",
        ),
        "input file",
    )
    parser.add_argument(
        "--visibility", type=number_value, metavar="V", help="share of an audience who see a post"
    )
    parser.add_argument(
        "--reshare", type=number_value, metavar="R", help="probability that a reader reshares"
    )
    parser.add_argument(
        "--posts",
        type=integer_value,
        metavar="N",
        help="posts to simulate, authors drawn at random (default: one by every person)",
    )
    parser.add_argument("--seed", type=seed_value, default=None, help="random seed")
    parser.add_argument(
        "--links",
        choices=DIRECTIONS,
        default=None,
        help="how the links of an edge-list file relate to audiences (default: undirected)",
    )
    parser.add_argument(
        "--comment",
        metavar="CHAR",
        default=None,
        help="text from CHAR to the end of a line is a comment, e.g. --comment '#' "
        "(default: none, so 'bob#1' is a user name; lines starting with '#' at the top of "
        "a file are skipped all the same)",
    )
    parser.add_argument(
        "--no-header",
        action="store_true",
        help="the first line of the edge list is a link (default: a header by the rule "
        "the warning states: numbers below it, or column names such as source,target)",
    )
    parser.add_argument(
        "--audience-sizes",
        action="store_true",
        help="the file is a table of audience sizes, not an edge list",
    )
    parser.add_argument("--column", help="column of audience sizes (with --audience-sizes)")
    parser.add_argument(
        "--counts-column", help="people with each audience size (with --audience-sizes)"
    )
    add_scenario_args(parser)
    add_parallel_args(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def _substrate(args: argparse.Namespace):
    from ..audience import AudienceGraph, Direction, ego_facebook, wiki_vote
    from ..data import read_values

    shipped = args.path in SHIPPED_GRAPHS and not os.path.lexists(args.path)
    if shipped and not args.audience_sizes:
        return ego_facebook() if args.path == "ego-facebook" else wiki_vote()
    if args.audience_sizes:
        return read_values(args.path, args.column, args.counts_column, comment=args.comment).table
    return AudienceGraph.read(
        args.path,
        direction=Direction(args.links or "undirected"),
        comment=args.comment,
        header=False if args.no_header else None,
    )


def run(args: argparse.Namespace) -> int:
    """Run ``reach``."""
    from ..audience import AudienceGraph, simulate_audience_sizes, simulate_cascades
    from ..errors import ParameterError
    from ..reach import compare_readers, default_reshare, default_visibility

    if not args.audience_sizes and (args.column or args.counts_column):
        raise ParameterError("--column and --counts-column need --audience-sizes")
    if args.audience_sizes and args.links is not None:
        raise ParameterError("--links is for edge lists; a table of audience sizes has none")
    scenario = scenario_from_args(args)
    substrate = _substrate(args)
    if isinstance(substrate, AudienceGraph):
        mean_audience = substrate.n_links / max(substrate.n_nodes, 1)
    else:
        mean_audience = substrate.mean
    visibility = default_visibility(scenario) if args.visibility is None else args.visibility
    reshare = (
        default_reshare(scenario, mean_audience, visibility)
        if args.reshare is None
        else args.reshare
    )
    options = {"visibility": visibility, "reshare": reshare, "posts": args.posts, "seed": args.seed}
    with client_from_args(args) as client:
        if isinstance(substrate, AudienceGraph):
            dist = simulate_cascades(substrate, n_jobs=args.jobs, client=client, **options)
        else:
            dist = simulate_audience_sizes(
                substrate, n_jobs=args.jobs, client=client, name=args.path, **options
            )
    result = compare_readers(scenario, dist)
    if args.json:
        emit_json(result.to_dict())
        return 0
    from ..render.tables import readers_table  # the statistics in words, as text

    emit_text(repr(readers_table(dist)))
    ci = result.conf_int().loc["derived_readers"]
    emit_text(
        f"\n{dist.source}: {format_quantity(result.derived_readers, 'readers')} readers per post "
        f"(95% interval {format_quantity(ci['lower'], 'readers')} to "
        f"{format_quantity(ci['upper'], 'readers')}; visibility {format_value(visibility, 3)}, "
        f"reshare {format_value(reshare, 3)}) against "
        f"{format_quantity(result.stated_readers, 'readers')} stated in {scenario.name}: a total "
        f"of {format_quantity(result.total_with_derived, 'impressions')} impressions instead of "
        f"{format_quantity(result.total_with_stated, 'impressions')}"
    )
    return 0
