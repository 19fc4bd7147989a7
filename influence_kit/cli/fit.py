"""``influence-kit fit``: fit a power law and its rivals to a column of data."""

from __future__ import annotations

import argparse

from ..constants import DEFAULT_SEED, MIN_TAIL
from ..formatting import format_number, format_quantity
from .common import (
    add_json_flag,
    add_parallel_args,
    add_source_args,
    client_from_args,
    emit_json,
    emit_text,
    integer_value,
    number_value,
    seed_value,
    values_from_args,
)

EPILOG = """examples:
  influence-kit fit data/clauset2009/words.txt --discrete
  influence-kit fit data/clauset2009/cities.txt --continuous --scale 1e-3 --gof-reps 500
  influence-kit fit data/clauset2009/weblinks.hist --column degree --counts-column frequency \\
      --continuous --json
  influence-kit fit data/social/facebook_degree.tsv --column degree --xmin 50 --json

  influence-kit fit 'logs/part-*.parquet' --person-column user_id --discrete

PATH may be one number per line, CSV/TSV/space-separated text with a header (delimited text
is recognised by its content), Parquet, a glob or folder of Parquet/CSV files, or a DuckDB
database (--table); large sources are aggregated to a (value, count) table in DuckDB.
Text has no comment character unless --comment gives one ('#' inside a field is data);
lines starting with '#' at the top of a file are skipped. Zeros are counted and
reported, never fitted. The verdict follows Clauset, Shalizi &
Newman (2009), Table 6.2: good, moderate, with cut-off or none.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``fit`` subcommand."""
    parser = subparsers.add_parser(
        "fit",
        help="fit a power law (x_min, alpha, GoF p) and compare it with alternatives",
        description="Fit a power law above x_min chosen by minimising the KS distance, "
        "compare it with lognormal, exponential, stretched exponential, power law with "
        "cut-off (and Poisson for discrete data), optionally bootstrap the goodness of fit "
        "and the parameter uncertainty, and give the Clauset et al. (2009) verdict.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_source_args(parser)
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--discrete",
        dest="discrete",
        action="store_const",
        const=True,
        default=None,
        help="integer data: exact discrete (Hurwitz zeta) fit (default: integers are discrete)",
    )
    kind.add_argument(
        "--continuous", dest="discrete", action="store_const", const=False, help="continuous fit"
    )
    parser.add_argument(
        "--scale", type=number_value, default=1.0, metavar="FACTOR", help="multiply values first"
    )
    parser.add_argument(
        "--xmin",
        type=number_value,
        default=None,
        metavar="VALUE",
        help="fix x_min (default: KS scan)",
    )
    parser.add_argument(
        "--min-tail",
        type=integer_value,
        default=MIN_TAIL,
        metavar="N",
        help=f"fewest observations at or above x_min (default {MIN_TAIL})",
    )
    parser.add_argument(
        "--ties",
        choices=("each", "left"),
        default="each",
        help="continuous KS with ties: every tied copy (Clauset's code) or once per value",
    )
    parser.add_argument(
        "--gof-reps",
        type=integer_value,
        default=0,
        metavar="N",
        help="goodness-of-fit bootstrap replicates (0 = skip, else at least 39; 2500 gives p "
        "to +-0.01)",
    )
    parser.add_argument(
        "--bootstrap-reps",
        type=integer_value,
        default=0,
        metavar="N",
        help="bootstrap replicates for x_min/alpha/n_tail uncertainty (0 = skip, else at least 39)",
    )
    parser.add_argument(
        "--seed", type=seed_value, default=DEFAULT_SEED, metavar="S", help="bootstrap seed"
    )
    add_parallel_args(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``fit``."""
    from ..fitting import fit_all

    data = values_from_args(args)
    with client_from_args(args) as client:
        report = fit_all(
            data.table,
            discrete=args.discrete,
            scale=args.scale,
            xmin=args.xmin,
            min_tail=args.min_tail,
            ties=args.ties,
            gof_replicates=args.gof_reps,
            bootstrap_replicates=args.bootstrap_reps,
            seed=args.seed,
            n_jobs=args.jobs,
            client=client,
        )
    if args.json:
        out = report.to_dict()
        out["source"] = data.label
        emit_json(out)
        return 0
    pl = report.power_law
    kind = "discrete" if pl.discrete else "continuous"
    fmt = format_number
    emit_text(f"{data.label}: n = {fmt(pl.n)} positive values ({fmt(pl.n_zeros)} zeros not fitted)")
    emit_text(
        f"power law ({kind}): x_min = {format_quantity(pl.xmin, 'count')}, "
        f"alpha = {fmt(pl.alpha)} +- {fmt(pl.alpha_se)}, n_tail = {fmt(pl.n_tail)}, "
        f"KS = {fmt(pl.ks)}"
    )
    if report.gof is not None:
        emit_text(
            f"goodness of fit: p = {fmt(report.gof.p, 3)} ({fmt(report.gof.replicates)} replicates)"
        )
    if report.uncertainty is not None:
        u = report.uncertainty
        emit_text(
            f"bootstrap s.d.: x_min {format_quantity(u.xmin_sd, 'count')}, "
            f"alpha {fmt(u.alpha_sd)}, "
            f"n_tail {fmt(u.n_tail_sd)} ({fmt(u.replicates)} replicates)"
        )
    from ..render.tables import fit_table  # the report's table, as text

    emit_text("")
    emit_text(repr(fit_table(report)))
    emit_text(f"\nverdict: {report.verdict} ({report.reason})")
    return 0
