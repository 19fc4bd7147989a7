"""``influence-kit render``: execute the notebooks into HTML reports."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..constants import DEFAULT_SCENARIO, DEFAULT_SEED, KERNEL_NAME
from ..errors import RenderError
from .common import (
    add_json_flag,
    add_list_option,
    add_overrides_arg,
    add_parallel_args,
    client_from_args,
    emit_json,
    emit_text,
    integer_value,
    mark_path,
    overrides_from_args,
    seed_value,
)

#: Default of ``--cell-timeout`` (the renderer's own default; kept here so that building
#: the parser imports no rendering code).
DEFAULT_CELL_TIMEOUT = 1800

EPILOG = f"""examples:
  influence-kit render
  influence-kit render --scenario forrester-us-2009 skeptic-us-2009 --jobs 2
  influence-kit render --scenario data/scenarios/*.yaml --notebook 01 02
  influence-kit render --scenario my-scenario.yaml --notebook-dir my-notebooks --force
  influence-kit render --scenario {DEFAULT_SCENARIO} --notebook 01-headline-impressions \\
      --output-dir /tmp/reports --set readers_per_post=300
  influence-kit render --scenario {DEFAULT_SCENARIO} --set readers_per_post=300 --name rpp300
  influence-kit render --scenario {DEFAULT_SCENARIO} western-europe-2010 --pdf
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``render`` subcommand."""
    parser = subparsers.add_parser(
        "render",
        help="render the notebooks into HTML reports (papermill + nbconvert)",
        description="Execute every notebook (or those named) for every scenario with "
        "papermill and write <output-dir>/<scenario>/<notebook>.html (code hidden), the "
        "executed .ipynb, summary.json and <output-dir>/index.html; notebooks that do not "
        "depend on the scenario render once, into <output-dir>/all-scenarios. Nothing is "
        "written outside --output-dir, and source notebooks are never written; scenario "
        "and notebook file names must be letters, digits, '-', '_' and '.' (not leading). "
        "A render with --set is a variant: it publishes into its own folder "
        "(<scenario>--<overrides>, or --name) and never replaces the base report. "
        "One render at a time writes into an output folder: a second one waits for the "
        "first (saying so on stderr). Each report is rendered into a private staging "
        "folder and published with its summary.json entry and the index; leftovers of an "
        "interrupted render are cleaned and stale reports re-rendered on the next run. "
        "An existing --output-dir must be empty or a report site made by render (else "
        "--force). A cell that runs past --cell-timeout or a kernel that dies fails its "
        "notebook with one line naming the cell. "
        "A failing notebook leaves any previous report in place and makes the command "
        "exit with code 2; SIGINT or SIGTERM stops the kernels, publishes nothing more "
        "and exits with code 130 or 143.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scenarios = add_list_option(
        parser,
        "--scenario",
        dest="scenarios",
        metavar="NAME|PATH",
        help=f"shipped scenario names or scenario YAML files (default: {DEFAULT_SCENARIO})",
    )
    mark_path(scenarios, "input file")
    notebooks = add_list_option(
        parser,
        "--notebook",
        dest="notebooks",
        metavar="NAME",
        help="notebook stems (or unique prefixes) or file names in --notebook-dir (default: all)",
    )
    mark_path(notebooks, "input file")
    output_dir = parser.add_argument(
        "--output-dir", default="reports", metavar="DIR", help="where reports go (reports/)"
    )
    mark_path(output_dir, "output folder")
    notebook_dir = parser.add_argument(
        "--notebook-dir",
        default=None,
        metavar="DIR",
        help="your own folder of notebooks (default: the notebooks shipped with the package)",
    )
    mark_path(notebook_dir, "input folder")
    add_overrides_arg(parser)
    parser.add_argument(
        "--name",
        default=None,
        metavar="NAME",
        help="folder name of a variant (a render with --set); default: the scenario's name "
        "and its overrides, e.g. forrester-us-2009--readers_per_post-300",
    )
    parser.add_argument(
        "--seed",
        type=seed_value,
        default=DEFAULT_SEED,
        help=f"seed for every notebook ({DEFAULT_SEED})",
    )
    parser.add_argument(
        "--kernel", default=KERNEL_NAME, help=f"Jupyter kernel name ({KERNEL_NAME})"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="render N notebooks at once, each in its own kernel (default 1)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="render even when the inputs are unchanged, and into an existing --output-dir "
        "that is neither empty nor a report site made by render (its index.html and "
        "scenario folders are then replaced); without it such a folder is refused",
    )
    parser.add_argument(
        "--cell-timeout",
        type=integer_value,
        default=DEFAULT_CELL_TIMEOUT,
        metavar="SECONDS",
        help="most seconds one notebook cell may run; a cell running longer fails its "
        f"notebook (default {DEFAULT_CELL_TIMEOUT})",
    )
    parser.add_argument(
        "--timeout",
        type=integer_value,
        default=None,
        metavar="SECONDS",
        help="most seconds the whole render may run; past it the kernels are stopped and "
        "what was published stays (default: no limit)",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="also write one PDF per scenario, <output-dir>/<scenario>/<scenario>.pdf "
        "(a cover, then the scenario's reports, each starting a new page), printed by "
        "headless Chromium; without Chromium the command fails at once",
    )
    add_parallel_args(parser, jobs=False)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def _render(args: argparse.Namespace, client: Any, render_reports: Any) -> Any:
    """Call ``render_reports`` with the command's arguments."""
    return render_reports(
        args.scenarios or [DEFAULT_SCENARIO],
        args.notebooks,
        args.output_dir,
        notebook_dir=args.notebook_dir,
        overrides=overrides_from_args(args),
        name=args.name,
        seed=args.seed,
        kernel_name=args.kernel,
        jobs=args.jobs,
        force=args.force,
        client=client,
        cell_timeout=args.cell_timeout,
        timeout=args.timeout,
    )


def run(args: argparse.Namespace) -> int:
    """Run ``render``."""
    from ..render import RenderInterrupted, render_reports
    from ..render.batch import RenderTimeout

    chromium = None
    if args.pdf:  # before the render: no long wait for a PDF that cannot be printed
        from ..render.pdf import require_chromium

        chromium = require_chromium()
    try:
        with client_from_args(args) as client:
            result = _render(args, client, render_reports)
    except RenderTimeout as late:
        sys.stderr.write(f"influence-kit render: error: {late}\n")
        _exit_now_if_workers_linger(2)
        return 2
    except RenderInterrupted as stop:
        sys.stderr.write(f"influence-kit render: {stop}; nothing more published\n")
        code = 128 + stop.signum
        _exit_now_if_workers_linger(code)
        return code
    pdfs = []
    if chromium is not None:
        from ..render.pdf import write_pdfs

        folders = {run.scenario for run in result.runs if run.scenario is not None}
        pdfs = write_pdfs(result.output_dir, folders, chromium=chromium)
    if args.json:
        emit_json({**result.to_dict(), **({"pdfs": [str(p) for p in pdfs]} if args.pdf else {})})
    else:
        emit_text(result.summary().to_string(index=False))
        emit_text(f"index: {result.index}")
        for pdf in pdfs:
            emit_text(f"pdf: {pdf}")
    if not result.ok:
        failures = result.failures
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise RenderError(f"{failures[0].error}{more}")
    return 0


def _exit_now_if_workers_linger(code: int) -> None:
    """End the process at once when worker threads are still waiting on killed kernels.

    A worker whose kernel was still starting when the signal came can wait for a reply
    that never comes; the interpreter would join it at exit and the command would hang.
    Everything published is already consistent, so nothing is lost by not waiting.
    """
    import os
    import threading

    lingering = [
        t
        for t in threading.enumerate()
        if t is not threading.main_thread() and t.is_alive() and not t.daemon
    ]
    if lingering:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
