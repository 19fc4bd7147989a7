"""Render many scenarios x notebooks: parallel, transactional, incremental.

:func:`render_reports` checks its inputs (:mod:`.jobs`), takes the output folder's lock
and removes what an interrupted render left (:mod:`.publish`), plans one job per scenario
and notebook, or one per site for a notebook that does not depend on the scenario
(:func:`~.jobs.plan_jobs`), skips jobs whose
inputs and published files are unchanged, runs the rest in threads or on a Dask cluster
into a private staging folder (:func:`_run_jobs`, :func:`render_notebook`) and publishes
each finished report with its ``summary.json`` entry, state and the index
(:func:`~.publish.publish`). SIGINT and SIGTERM kill the kernels and stop publishing
(:mod:`.interrupts`).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..constants import DEFAULT_SEED
from ..errors import RenderError
from ..package_data import data_dir as shipped_data_dir
from ..package_data import notebook_dir as shipped_notebook_dir
from ..scenarios import write_scenario
from ..validation import check_input_folder, check_output_folder, check_positive_int, write_error
from ..validation.paths import check_not_an_input
from .execute import (
    DEFAULT_CELL_TIMEOUT,
    KERNEL_NAME,
    error_line,
    execute_notebook,
    kernel_threads,
    kill_kernels,
)
from .html import notebook_to_html, page_title, report_header, scenario_title
from .interrupts import _Cancel, _interrupts
from .jobs import (
    PACKAGE_DIR,
    NotebookRun,
    RenderJob,
    RenderResult,
    ScenarioRun,
    _check_destination,
    _check_kernel,
    _checked_parameters,
    _checked_scenarios,
    _read_json,
    _resolve_notebooks,
    _tree_digest,
    content_digest,
    discover_notebooks,
    plan_jobs,
)
from .publish import (
    STAGING_PREFIX,
    _record,
    check_site_folder,
    clean_leftovers,
    output_lock,
    publish,
    update_site,
)
from .site import SCENARIO_FILE, SHARED_DIR

logger = logging.getLogger(__name__)


def render_notebook(
    job: RenderJob,
    staging: Path,
    *,
    seed: int = DEFAULT_SEED,
    kernel_name: str = KERNEL_NAME,
    timeout: int | None = DEFAULT_CELL_TIMEOUT,
    threads: int | None = None,
) -> NotebookRun:
    """Execute one job's notebook into ``staging``, a private folder; nothing is published.

    The report goes to ``staging/<folder>/``, where ``<folder>`` is the name of the
    job's destination; :func:`publish` moves it into place. The kernel runs in a
    temporary folder there, so a notebook never writes beside its source; ``threads``
    limits its numerical libraries' threads (see :func:`~.execute.kernel_threads`);
    ``timeout`` is the most seconds one cell may run (``None``: no limit). On
    failure (``status="failed"``, with the failing cell and error) nothing is staged.
    """
    notebook = job.notebook
    stage = staging / job.destination.name
    stage.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    label = job.scenario_name or "all scenarios"
    overrides = job.scenario.scenario.overrides if job.scenario is not None else {}
    with tempfile.TemporaryDirectory(prefix=".kernel-", dir=stage) as tmp:
        tmpdir = Path(tmp)
        executed = tmpdir / notebook.name
        summary_part = tmpdir / "summary-part.json"
        parameters: dict[str, Any] = dict(job.parameters)
        parameters.update(seed=int(seed), summary_path=str(summary_part))
        try:
            if job.scenario is not None:
                # the kernel reads the resolved scenario: overrides applied once, here
                resolved = write_scenario(job.scenario.scenario, tmpdir / SCENARIO_FILE)
                parameters["scenario_path"] = str(resolved)
            execute_notebook(
                notebook,
                executed,
                parameters,
                kernel_name=kernel_name,
                timeout=timeout,
                cwd=tmpdir,
                threads=threads,
            )
            part = _read_json(summary_part)
            figures = part.get("figures", {})
            conclusion = part.get("conclusion")
            header = report_header(
                scenario=job.scenario_name,
                notebook=notebook.stem,
                seed=seed,
                overrides=overrides,
                figures=figures,
                conclusion=conclusion,
                base_scenario=job.scenario.base_name if job.scenario is not None else None,
            )
            words = scenario_title(
                job.scenario_name,
                job.scenario.base_name if job.scenario is not None else None,
                overrides,
            )
            report = notebook_to_html(executed, header, title=page_title(notebook.stem, words))
        except Exception as err:
            line = f"{notebook.name} for {label}: {error_line(err)}"
            logger.info("render failed: %s", line)
            return NotebookRun(
                job.scenario_name,
                notebook.stem,
                "failed",
                time.perf_counter() - start,
                error=line,
            )
        staged_html = stage / f"{notebook.stem}.html"
        staged_html.write_text(report, encoding="utf-8")
        os.replace(executed, stage / notebook.name)
    return NotebookRun(
        job.scenario_name,
        notebook.stem,
        "ok",
        time.perf_counter() - start,
        html=str(job.destination / staged_html.name),
        ipynb=str(job.destination / notebook.name),
        fingerprint=job.fingerprint,
        content=content_digest(staged_html, stage / notebook.name),
        figures=figures,
        conclusion=conclusion,
        parameters=dict(job.parameters),
    )


def _run_jobs(
    pending: Sequence[RenderJob],
    work: Callable[[RenderJob], NotebookRun],
    publish_run: Callable[[RenderJob, NotebookRun], None],
    cancel: _Cancel,
    *,
    jobs: int,
    client: Any,
    deadline: float | None = None,
) -> dict[RenderJob, NotebookRun]:
    """Run ``work`` on every pending job, in threads or as Dask tasks, with a progress bar.

    Each finished run is published (``publish_run``) in this thread as it comes in.
    When ``cancel`` is set, queued jobs are dropped, running kernels are killed
    until every worker has returned, nothing more is published and
    :class:`RenderInterrupted` is raised. When :func:`time.monotonic` passes
    ``deadline``, the same happens with :class:`RenderTimeout`.
    """
    from tqdm.auto import tqdm

    results: dict[RenderJob, NotebookRun] = {}
    with tqdm(total=len(pending), desc="rendering", unit="notebook", disable=None) as bar:
        futures: dict[Any, RenderJob]
        if client is not None:
            futures = {client.submit(work, job, pure=False): job for job in pending}
            pool = None
        else:
            pool = ThreadPoolExecutor(max_workers=jobs)
            futures = {pool.submit(work, job): job for job in pending}
        remaining = set(futures)
        try:
            while remaining:
                cancel.check()
                if deadline is not None and time.monotonic() > deadline:
                    raise RenderTimeout(len(results), len(pending))
                finished = [f for f in remaining if f.done()]
                if not finished:
                    time.sleep(0.1)
                    continue
                for future in finished:
                    remaining.discard(future)
                    run = future.result()
                    cancel.check()
                    publish_run(futures[future], run)
                    bar.set_postfix_str(f"{run.scenario or SHARED_DIR}/{run.notebook} {run.status}")
                    bar.update(1)
                    results[futures[future]] = run
        except BaseException:
            for future in remaining:
                future.cancel()
            # Give killed workers a moment to return; one waiting on a kernel that was still
            # starting is abandoned (the CLI then exits without joining it).
            deadline = time.monotonic() + 5
            while any(not f.done() for f in remaining) and time.monotonic() < deadline:
                kill_kernels()
                time.sleep(0.2)
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
    return results


class RenderTimeout(RenderError):
    """The render ran past its time limit (``timeout``); what was published stays."""

    def __init__(self, finished: int, total: int) -> None:
        super().__init__(
            f"the render ran past its time limit (timeout, --timeout): {finished} of "
            f"{total} notebooks finished and were published, the others were stopped"
        )
        self.finished = finished
        self.total = total


def render_reports(
    scenarios: Sequence[str | Path],
    notebooks: Sequence[str] | None = None,
    output_dir: str | Path = "reports",
    *,
    notebook_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    name: str | None = None,
    seed: int = DEFAULT_SEED,
    kernel_name: str = KERNEL_NAME,
    jobs: int = 1,
    force: bool = False,
    client: Any = None,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    cell_timeout: int | None = DEFAULT_CELL_TIMEOUT,
    timeout: int | None = None,
) -> RenderResult:
    """Render every requested notebook for every scenario.

    Parameters
    ----------
    scenarios
        Shipped scenario names or scenario YAML files; each is validated (with
        ``overrides``) before any notebook runs, so a bad scenario fails fast
        with a :class:`~influence_kit.errors.ScenarioError`.
    notebooks
        Notebook names (stems, file names or paths); all in ``notebook_dir`` if
        omitted.
    output_dir
        Where reports go (created if needed); nothing is written anywhere else.
    notebook_dir
        Folder holding the notebooks (default: the notebooks shipped with the
        package). Notebooks whose metadata declare
        ``influence_kit.scenario_dependent: false`` render once, into
        ``output_dir/all-scenarios``.
    data_dir
        Folder of data the notebooks read (default: the shipped data); its
        content is part of each render's fingerprint.
    overrides
        Scenario overrides (``{"readers_per_post": 300}``), applied to every scenario once,
        here: each kernel reads the resolved scenario from a file written for it. A render
        with overrides is a *variant*: its reports go into their own folder
        (``<scenario>--<overrides>``, see :func:`~.jobs.variant_name`, or ``name``), are
        listed in the index under their base scenario, and never replace the base reports.
    name
        Folder name of the variant (one scenario, with overrides).
    seed
        Seed passed to every notebook.
    kernel_name
        Jupyter kernel to execute with.
    jobs
        Number of notebooks rendered at once (each in its own kernel).
    force
        Render even when a report for identical inputs exists, and into an existing
        folder that is neither empty nor a report site a render made (whose
        ``index.html`` and scenario folders are then replaced); without it such a folder
        is refused (:func:`~.publish.check_site_folder`).
    client
        A ``dask.distributed`` client: each notebook renders as a task on the
        cluster (workers must see the same files); ``jobs`` is then ignored.
    parameters
        Values of the notebooks' own parameters, by notebook stem, e.g.
        ``{"02-readers-per-post-sensitivity": {"draws": 20_000}}`` for a quick
        render; each name must be a parameter of that notebook's ``parameters``
        cell (other than scenario, overrides, seed and summary path). They are
        part of the fingerprint and recorded in ``summary.json``.
    cell_timeout
        Most seconds one cell may run (``None``: no limit); a cell running longer
        fails its notebook with a line naming the cell, as does a kernel that dies.
    timeout
        Most seconds the whole render may run (``None``: no limit); past it the
        running kernels are stopped, nothing more is published and
        :class:`RenderTimeout` is raised.

    Returns
    -------
    RenderResult
        Every run's status; check :attr:`RenderResult.ok`.

    Raises
    ------
    RenderError
        A scenario or notebook file name that is not a slug (letters, digits, ``-``,
        ``_``, ``.`` not leading), a report folder that is a link or would hold the
        source notebooks, an output folder that is the notebook or data folder, an
        existing output folder that is neither empty nor a report site a render made
        (unless ``force``), and the other input errors, before any kernel starts. A
        notebook that fails (a cell raising or running past ``cell_timeout``, a kernel
        dying) raises nothing: its run is ``"failed"`` with one line naming the cell.
    RenderTimeout
        The render ran past ``timeout`` seconds; the reports published until then stay.
    RenderInterrupted
        SIGINT or SIGTERM arrived (when called from the main thread): the kernels
        were killed and nothing more was published.

    Notes
    -----
    One render at a time writes into ``output_dir`` (:func:`output_lock`); another
    waits for it. Each report is rendered into a private staging folder inside
    ``output_dir`` and then published with its ``summary.json`` entry, state and
    the index (:func:`publish`); leftovers of an interrupted render are removed
    first (:func:`clean_leftovers`) and a report whose files no longer match the
    recorded digest is rendered again.
    """
    started = time.monotonic()
    if cell_timeout is not None:
        cell_timeout = check_positive_int("cell_timeout", cell_timeout)
    if timeout is not None:
        timeout = check_positive_int("timeout", timeout)
    scenario_runs = _checked_scenarios(scenarios, overrides or {}, jobs, seed, name)
    nb_dir = Path(notebook_dir) if notebook_dir is not None else shipped_notebook_dir()
    nb_paths = _resolve_notebooks(nb_dir, notebooks)
    own_parameters = _checked_parameters(parameters, nb_paths, discover_notebooks(nb_dir))
    # Absolute: kernels run in temporary folders and must write key figures here.
    out = check_output_folder(output_dir, "output folder", error=RenderError).resolve()
    if data_dir is not None:
        check_input_folder(data_dir, "data folder", error=RenderError)
    check_not_an_input(
        out,
        {"--notebook-dir": nb_dir, **({"--data-dir": data_dir} if data_dir is not None else {})},
        "output folder",
        error=RenderError,
    )
    folders = [run.folder for run in scenario_runs] + [SHARED_DIR]
    for folder in folders:  # the precise reasons first (plan_jobs checks them again)
        for nb in nb_paths:
            _check_destination(out / folder, out, nb)
    check_site_folder(out, folders, force=force)
    if not out.exists():  # every report is new, so a kernel is needed: check it first
        _check_kernel(kernel_name)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RenderError(str(write_error(err, out, "output folder"))) from None
    try:
        with output_lock(out), _interrupts() as cancel:
            return _render_locked(
                out,
                cancel,
                scenario_runs,
                nb_paths,
                seed=seed,
                kernel_name=kernel_name,
                jobs=jobs,
                force=force,
                client=client,
                data_dir=data_dir,
                parameters=own_parameters,
                cell_timeout=cell_timeout,
                deadline=started + timeout if timeout is not None else None,
            )
    except OSError as err:  # a full disk or a folder made read-only meanwhile
        raise RenderError(str(write_error(err, out, "reports"))) from None


def _render_locked(
    out: Path,
    cancel: _Cancel,
    scenario_runs: Sequence[ScenarioRun],
    nb_paths: Sequence[Path],
    *,
    seed: int,
    kernel_name: str,
    jobs: int,
    force: bool,
    client: Any,
    data_dir: str | Path | None,
    parameters: Mapping[str, Mapping[str, Any]],
    cell_timeout: int | None = DEFAULT_CELL_TIMEOUT,
    deadline: float | None = None,
) -> RenderResult:
    """Render into ``out``, whose lock the caller holds; stop when ``cancel`` is set or
    :func:`time.monotonic` passes ``deadline``."""
    clean_leftovers(out)
    cancel.check()
    planned = plan_jobs(
        scenario_runs,
        nb_paths,
        out,
        seed=seed,
        kernel_name=kernel_name,
        data_digest=_tree_digest(Path(data_dir) if data_dir else shipped_data_dir()),
        code_digest=_tree_digest(PACKAGE_DIR, "**/*.py"),
        parameters=parameters,
    )
    skipped = {job: job.skipped() for job in planned if not force and job.is_current()}
    if len(skipped) < len(planned):
        _check_kernel(kernel_name)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    pending = [j for j in planned if j not in skipped]
    # Kernels running side by side share the cores (Dask workers are set up by their owner).
    threads = kernel_threads(min(jobs, len(pending))) if client is None else None

    def work(job: RenderJob) -> NotebookRun:
        return render_notebook(
            job, staging, seed=seed, kernel_name=kernel_name, timeout=cell_timeout, threads=threads
        )

    def publish_run(job: RenderJob, run: NotebookRun) -> None:
        publish(job, run, staging, seed=seed)
        update_site(out)

    try:
        cancel.check()
        done = _run_jobs(
            pending,
            work,
            publish_run,
            cancel,
            jobs=jobs,
            client=client,
            deadline=deadline,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    cancel.check()
    runs = [skipped.get(job) or done[job] for job in planned]
    for job in dict((job.destination, job) for job in skipped).values():
        folder_runs = [
            run for other, run in skipped.items() if other.destination == job.destination
        ]
        _record(job, folder_runs, seed)
    index = update_site(out)
    return RenderResult(output_dir=str(out), runs=tuple(runs), index=str(index))
