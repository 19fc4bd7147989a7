"""``influence-kit simulate``: write a synthetic population calibrated to a scenario."""

from __future__ import annotations

import argparse

from ..constants import DEFAULT_CHUNK_SIZE, DEFAULT_SEED
from ..formatting import format_number, format_quantity
from .common import (
    add_json_flag,
    add_scenario_args,
    emit_json,
    emit_text,
    integer_value,
    mark_path,
    scenario_from_args,
    seed_value,
)

EPILOG = """examples:
  influence-kit simulate --n 200000 --seed 7 --out people.parquet
  influence-kit simulate --n 100000000 --out big.parquet --chunk-size 1000000
  influence-kit simulate --n 100000 --out we.csv \\
      --scenario western-europe-2010 --json
  influence-kit simulate --n 100000 --out p.parquet --set segments.overlap_share=0.03
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``simulate`` subcommand."""
    parser = subparsers.add_parser(
        "simulate",
        help="write a synthetic population calibrated to a scenario (Parquet or CSV)",
        description="Simulate online adults whose weighted figures reproduce the scenario's "
        "segment shares, totals and the Technographics profile, and stream them to a file "
        "in chunks (any size fits in memory).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--n", type=integer_value, required=True, metavar="N", help="number of people"
    )
    parser.add_argument(
        "--seed",
        type=seed_value,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"seed (default {DEFAULT_SEED})",
    )
    mark_path(
        parser.add_argument(
            "--out", required=True, metavar="PATH", help="output file (.parquet or .csv)"
        ),
        "output file",
    )
    parser.add_argument(
        "--format",
        choices=("parquet", "csv"),
        default=None,
        help="output format (default: from the suffix of --out)",
    )
    parser.add_argument(
        "--chunk-size",
        type=integer_value,
        default=DEFAULT_CHUNK_SIZE,
        metavar="M",
        help=f"people generated and written at a time (default {DEFAULT_CHUNK_SIZE})",
    )
    add_scenario_args(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``simulate``."""
    from ..population import write_population
    from ..scenarios import scenario_file
    from ..validation.paths import check_not_an_input

    check_not_an_input(args.out, {"--scenario": scenario_file(args.scenario)})
    result = write_population(
        args.out,
        scenario_from_args(args),
        args.n,
        args.seed,
        chunk_size=args.chunk_size,
        format=args.format,
    )
    if args.json:
        emit_json(result.to_dict())
    else:
        emit_text(
            f"wrote {format_number(result.n)} people ({result.chunks} chunks, seed "
            f"{result.seed}) to {result.path}: "
            f"{format_quantity(result.network_impressions_total, 'impressions')} network "
            f"impressions and {format_quantity(result.posts_total, 'count')} influence posts "
            "a year"
        )
    return 0
