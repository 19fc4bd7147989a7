"""Render many scenarios x notebooks: parallel, transactional, incremental.

:func:`render_reports` checks its inputs (:func:`_checked_scenarios`, :func:`checked_slug`),
takes the output folder's lock (:func:`output_lock`), removes what an interrupted render
left (:func:`clean_leftovers`), plans one job per scenario and notebook, or one per site
for a notebook that does not depend on the scenario (:func:`plan_jobs`), skips jobs whose
inputs and published files are unchanged, runs the rest in threads or on a Dask cluster
into a private staging folder (:func:`_run_jobs`, :func:`render_notebook`) and publishes
each finished report with its ``summary.json`` entry, state and the index
(:func:`publish`). SIGINT and SIGTERM kill the kernels and stop publishing
(:class:`RenderInterrupted`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..constants import DEFAULT_SEED
from ..errors import ParameterError, RenderError
from ..resources import data_dir as shipped_data_dir
from ..resources import notebook_dir as shipped_notebook_dir
from ..results import Result, dumps
from ..scenarios import load_scenario, scenario_file
from .execute import KERNEL_NAME, error_line, execute_notebook, kill_kernels
from .html import notebook_to_html, report_header
from .site import SHARED_DIR, STATE_FILE, SUMMARY_FILE, write_index

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class NotebookRun(Result):
    """Outcome of rendering one notebook for one scenario.

    ``scenario`` is the scenario's name, or ``None`` for a notebook that does not
    depend on the scenario (rendered once per site). ``status`` is ``"ok"``,
    ``"skipped"`` (inputs unchanged since the report on disk was rendered) or
    ``"failed"`` (``error`` names the cell and the error). ``parameters`` are the
    notebook parameters this render set beyond scenario, overrides and seed.
    """

    scenario: str | None
    notebook: str
    status: str
    seconds: float
    html: str | None = None
    ipynb: str | None = None
    error: str | None = None
    fingerprint: str = ""
    content: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether a current report exists for this run."""
        return self.status != "failed"

    def summary(self) -> pd.DataFrame:
        """One row: scenario, notebook, status, seconds, error."""
        return pd.DataFrame(
            [
                {
                    "scenario": self.scenario,
                    "notebook": self.notebook,
                    "status": self.status,
                    "seconds": round(self.seconds, 1),
                    "error": self.error or "",
                }
            ]
        )


@dataclass(frozen=True)
class RenderResult(Result):
    """Outcome of a batch of renders."""

    output_dir: str
    runs: tuple[NotebookRun, ...]
    index: str

    @property
    def ok(self) -> bool:
        """Whether every notebook has a current report."""
        return all(r.ok for r in self.runs)

    @property
    def failures(self) -> tuple[NotebookRun, ...]:
        """The runs that failed."""
        return tuple(r for r in self.runs if not r.ok)

    def summary(self) -> pd.DataFrame:
        """One row per scenario x notebook."""
        if not self.runs:
            return pd.DataFrame(columns=["scenario", "notebook", "status", "seconds", "error"])
        return pd.concat([r.summary() for r in self.runs], ignore_index=True)


#: A report folder or file name: letters, digits, ``-``, ``_`` and ``.`` (not leading).
SLUG = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


def checked_slug(name: str, source: str | Path) -> str:
    """Return ``name`` if it may name a report folder or file, else raise :class:`RenderError`.

    ``source`` is the file the name comes from, named in the message. Only letters,
    digits, ``-``, ``_`` and ``.`` (not leading) are allowed, so a name can never point
    outside the output folder (``..``, ``.``, ``a/b``) nor need escaping in a link.

    >>> checked_slug("forrester-us-2009", "forrester-us-2009.yaml")
    'forrester-us-2009'
    """
    if SLUG.fullmatch(name) is None:
        raise RenderError(
            f"{source}: {name!r} cannot name a report (use letters, digits, '-', '_' "
            "and '.' not leading)"
        )
    return name


def discover_notebooks(notebook_dir: str | Path) -> list[Path]:
    """Every ``*.ipynb`` in ``notebook_dir`` (not checkpoints), sorted by name."""
    folder = Path(notebook_dir)
    if not folder.is_dir():
        raise RenderError(f"{folder}: notebook folder not found")
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def scenario_dependent(notebook: str | Path) -> bool:
    """Whether a notebook's results depend on the scenario it is given.

    Read from the notebook metadata ``influence_kit.scenario_dependent`` (in the
    jupytext header of ``notebooks/NN-*.py``); true when absent.
    """
    # Plain JSON, not nbformat: deciding that nothing needs rendering stays fast.
    try:
        metadata = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError) as err:
        raise RenderError(f"{Path(notebook).name}: not a readable notebook ({err})") from None
    declared = metadata.get("influence_kit", {}).get("scenario_dependent", True)
    if not isinstance(declared, bool):
        raise RenderError(
            f"{Path(notebook).name}: metadata influence_kit.scenario_dependent must be "
            f"true or false, got {declared!r}"
        )
    return declared


def _resolve_notebooks(notebook_dir: Path, names: Sequence[str] | None) -> list[Path]:
    available = discover_notebooks(notebook_dir)
    if not names:
        if not available:
            raise RenderError(f"{notebook_dir}: no notebooks to render")
        for path in available:
            checked_slug(path.stem, path)
        return available
    chosen: list[Path] = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix == ".ipynb" and candidate.is_file():
            chosen.append(candidate)
            continue
        matches = [p for p in available if name in (p.stem, p.name)]
        if not matches:
            matches = [p for p in available if p.stem.startswith(name)]
        if len(matches) != 1:
            known = ", ".join(p.stem for p in available)
            raise RenderError(f"notebook {name!r} not found in {notebook_dir} (have: {known})")
        chosen.append(matches[0])
    for path in chosen:
        checked_slug(path.stem, path)
    return chosen


def _tree_digest(folder: Path | None, pattern: str = "**/*") -> str:
    digest = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(
    notebook: Path,
    scenario: Path | None,
    *,
    overrides: Sequence[str],
    seed: int,
    kernel_name: str,
    data_digest: str,
    code_digest: str,
    parameters: Mapping[str, Any] | None = None,
) -> str:
    """A digest of every input of one render; equal digests mean identical reports.

    ``scenario`` is ``None`` for a notebook that does not depend on the scenario;
    ``parameters`` are the notebook's own parameters given to this render.
    """
    digest = hashlib.sha256()
    for part in (
        __version__,
        kernel_name,
        json.dumps(list(overrides)),
        str(seed),
        dumps(dict(sorted((parameters or {}).items())), sort_keys=True),
        data_digest,
        code_digest,
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(notebook.read_bytes())
    digest.update(b"\0")
    if scenario is not None:
        digest.update(scenario.read_bytes())
    return digest.hexdigest()


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(data, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class RenderJob:
    """One notebook to render into one folder of the site.

    ``scenario`` is ``None`` for a notebook that does not depend on the scenario: it
    then runs with its own default scenario and no overrides, into :data:`SHARED_DIR`.
    ``parameters`` are values for the notebook's own parameters (name, value pairs);
    the others keep the defaults of its ``parameters`` cell.
    """

    notebook: Path
    scenario: Path | None
    destination: Path
    fingerprint: str
    # Values may be lists (unhashable); the fingerprint already covers them.
    parameters: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @property
    def scenario_name(self) -> str | None:
        """The scenario's name (its file stem), ``None`` for a shared notebook."""
        return self.scenario.stem if self.scenario is not None else None

    def is_current(self) -> bool:
        """Whether the report on disk was rendered from exactly these inputs."""
        previous = _read_json(self.destination / STATE_FILE).get("runs", {})
        entry = previous.get(self.notebook.stem, {})
        html = self.destination / f"{self.notebook.stem}.html"
        return (
            entry.get("status") == "ok"
            and entry.get("fingerprint") == self.fingerprint
            and html.exists()
            and entry.get("content") == content_digest(html, self.destination / self.notebook.name)
        )

    def skipped(self) -> NotebookRun:
        """The run recorded when the report on disk is current."""
        html = self.destination / f"{self.notebook.stem}.html"
        ipynb = self.destination / self.notebook.name
        return NotebookRun(
            self.scenario_name,
            self.notebook.stem,
            "skipped",
            0.0,
            html=str(html),
            ipynb=str(ipynb),
            fingerprint=self.fingerprint,
            content=content_digest(html, ipynb),
        )


def content_digest(html: Path, ipynb: Path) -> str:
    """A digest of a report's two published files (recorded as ``content`` in the state file)."""
    digest = hashlib.sha256()
    for path in (html, ipynb):
        digest.update(path.read_bytes() if path.exists() else b"")
        digest.update(b"\0")
    return digest.hexdigest()


def render_notebook(
    job: RenderJob,
    staging: Path,
    *,
    overrides: Sequence[str] = (),
    seed: int = DEFAULT_SEED,
    kernel_name: str = KERNEL_NAME,
    timeout: int | None = 1800,
) -> NotebookRun:
    """Execute one job's notebook into ``staging``, a private folder; nothing is published.

    The report goes to ``staging/<folder>/``, where ``<folder>`` is the name of the
    job's destination; :func:`publish` moves it into place. The kernel runs in a
    temporary folder there, so a notebook never writes beside its source. On failure
    (``status="failed"``, with the failing cell and error) nothing is staged.
    """
    notebook = job.notebook
    stage = staging / job.destination.name
    stage.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    label = job.scenario_name or "all scenarios"
    overrides = overrides if job.scenario is not None else ()
    with tempfile.TemporaryDirectory(prefix=".kernel-", dir=stage) as tmp:
        tmpdir = Path(tmp)
        executed = tmpdir / notebook.name
        summary_part = tmpdir / "summary-part.json"
        parameters: dict[str, Any] = dict(job.parameters)
        parameters.update(seed=int(seed), summary_path=str(summary_part))
        if job.scenario is not None:
            parameters["scenario_path"] = str(job.scenario.resolve())
            parameters["overrides"] = list(overrides)
        try:
            execute_notebook(
                notebook,
                executed,
                parameters,
                kernel_name=kernel_name,
                timeout=timeout,
                cwd=tmpdir,
            )
            figures = _read_json(summary_part)
            header = report_header(
                scenario=job.scenario_name,
                notebook=notebook.stem,
                seed=seed,
                overrides=overrides,
                figures=figures,
            )
            report = notebook_to_html(
                executed, header, title=f"{notebook.stem} · {label} · influence_kit"
            )
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
        parameters=dict(job.parameters),
    )


def publish(
    job: RenderJob,
    run: NotebookRun,
    staging: Path,
    *,
    seed: int,
    overrides: Sequence[str],
) -> None:
    """Move one staged report into place, then record it in ``summary.json`` and the state.

    The report's two files are renamed into the destination and the folder's
    ``summary.json`` and state file are replaced (write to a temporary file, then
    ``os.replace``), in that order: if the process dies in between, the state's
    ``content`` digest no longer matches the report and the next render redoes it.
    A failed run only records its error.
    """
    destination = job.destination
    destination.mkdir(parents=True, exist_ok=True)
    if run.status == "ok":
        stage = staging / destination.name
        os.replace(stage / job.notebook.name, destination / job.notebook.name)
        os.replace(stage / f"{job.notebook.stem}.html", destination / f"{job.notebook.stem}.html")
    _record(destination, job.scenario_name, [run], seed, overrides)


def _record(
    destination: Path,
    scenario: str | None,
    runs: Sequence[NotebookRun],
    seed: int,
    overrides: Sequence[str],
) -> None:
    """Merge this batch's runs into a folder's ``summary.json`` and render state file.

    ``summary.json`` holds only what the reports show (deterministic for the
    same inputs); timings, fingerprints and errors go to the state file. Entries
    of notebooks that failed keep their previous figures. ``scenario`` is ``None``
    for :data:`SHARED_DIR`, whose notebooks run without overrides.
    """
    summary_path = destination / SUMMARY_FILE
    state_path = destination / STATE_FILE
    summary = _read_json(summary_path)
    state = _read_json(state_path)
    notebooks = dict(summary.get("notebooks", {}))
    runs_state = dict(state.get("runs", {}))
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for run in runs:
        previous = runs_state.get(run.notebook, {})
        if run.status == "ok":
            notebooks[run.notebook] = {
                "figures": run.figures,
                "seed": seed,
                "overrides": list(overrides) if scenario is not None else [],
                "parameters": run.parameters,
            }
            runs_state[run.notebook] = {
                "status": "ok",
                "seconds": round(run.seconds, 2),
                "fingerprint": run.fingerprint,
                "content": run.content,
                "rendered_at": now,
                "error": None,
            }
        elif run.status == "failed":
            runs_state[run.notebook] = {
                **previous,
                "status": "failed",
                "error": run.error,
                "failed_at": now,
            }
    if any(run.status == "ok" for run in runs) or not summary_path.exists():
        _write_json(
            summary_path,
            {
                "scenario": scenario,
                "influence_kit_version": __version__,
                "notebooks": dict(sorted(notebooks.items())),
            },
        )
    _write_json(state_path, {"scenario": scenario, "runs": dict(sorted(runs_state.items()))})


#: The lock file of an output folder: one render at a time writes into it.
LOCK_FILE = ".render.lock"


@contextmanager
def output_lock(output_dir: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``output_dir`` (``fcntl.flock`` on :data:`LOCK_FILE`).

    A second render into the same folder, from this or another process, waits
    until the first has finished; it logs one warning while it waits.
    """
    import fcntl

    with open(output_dir / LOCK_FILE, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.warning("%s: another render is writing here; waiting for it", output_dir)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _check_kernel(kernel_name: str) -> None:
    """Fail fast, in one line, when no Jupyter kernel of that name is installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise RenderError(f"no Jupyter kernel named {kernel_name!r} is installed") from None


def _checked_scenarios(
    scenarios: Sequence[str | Path], overrides: Sequence[str], jobs: int, seed: int
) -> list[Path]:
    """Validate the arguments and every scenario (with overrides); return the scenario files."""
    if not scenarios:
        raise RenderError("no scenario given")
    if jobs < 1:
        raise ParameterError(f"jobs must be at least 1, got {jobs}")
    if not isinstance(seed, int) or seed < 0:
        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    paths = [scenario_file(s) for s in scenarios]
    stems = [checked_slug(p.stem, p) for p in paths]
    if len(set(stems)) != len(stems):
        raise RenderError(f"two scenarios share a file name: {', '.join(stems)}")
    if SHARED_DIR in stems:
        raise RenderError(f"a scenario may not be named {SHARED_DIR!r} (the shared reports)")
    for path in paths:
        load_scenario(path, overrides)
    return paths


def _check_destination(destination: Path, output_dir: Path, notebook: Path) -> None:
    """Refuse a report folder that leaves ``output_dir`` or would overwrite ``notebook``."""
    if destination.is_symlink() or (destination.exists() and not destination.is_dir()):
        raise RenderError(f"{destination}: report folder is a link or not a folder; remove it")
    resolved = destination.resolve()
    if resolved.parent != output_dir.resolve():
        raise RenderError(f"{destination}: report folder outside the output folder {output_dir}")
    source = notebook.resolve()
    if source.parent == resolved or resolved in source.parents:
        raise RenderError(
            f"{notebook}: rendering into {destination} would write beside the source "
            "notebooks; choose another --output-dir"
        )


def plan_jobs(
    scenarios: Sequence[Path],
    notebooks: Sequence[Path],
    output_dir: Path,
    *,
    overrides: Sequence[str],
    seed: int,
    kernel_name: str,
    data_digest: str,
    code_digest: str,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[RenderJob]:
    """Every render of a batch, in report order.

    A notebook that depends on the scenario gets one job per scenario, into
    ``output_dir/<scenario>``; one that does not gets a single job, into
    ``output_dir/`` :data:`SHARED_DIR`, whose fingerprint ignores scenarios and overrides.
    ``parameters`` maps a notebook's stem to values of its own parameters.
    """
    jobs: list[RenderJob] = []
    shared = {nb: not scenario_dependent(nb) for nb in notebooks}
    for scenario in (None, *scenarios):
        for nb in notebooks:
            if shared[nb] != (scenario is None):
                continue
            own = dict(sorted((parameters or {}).get(nb.stem, {}).items()))
            digest = fingerprint(
                nb,
                scenario,
                overrides=overrides if scenario is not None else (),
                seed=seed,
                kernel_name=kernel_name,
                data_digest=data_digest,
                code_digest=code_digest,
                parameters=own,
            )
            destination = output_dir / (scenario.stem if scenario is not None else SHARED_DIR)
            _check_destination(destination, output_dir, nb)
            jobs.append(RenderJob(nb, scenario, destination, digest, tuple(own.items())))
    return jobs


#: Parameters the renderer itself sets in every notebook.
RENDERER_PARAMETERS = frozenset({"scenario_path", "overrides", "seed", "summary_path"})


def _checked_parameters(
    parameters: Mapping[str, Mapping[str, Any]] | None,
    notebooks: Sequence[Path],
    available: Sequence[Path],
) -> dict[str, dict[str, Any]]:
    """Check that every notebook parameter given names a parameter of that notebook.

    Parameters may be given for any notebook of the folder (``available``); those of
    the notebooks rendered are checked against their ``parameters`` cells and returned.
    """
    if not parameters:
        return {}
    import papermill as pm

    by_stem = {nb.stem: nb for nb in notebooks}
    known_stems = set(by_stem) | {nb.stem for nb in available}
    checked: dict[str, dict[str, Any]] = {}
    for stem, values in parameters.items():
        if stem not in known_stems:
            raise RenderError(
                f"parameters given for {stem!r}, which is not a notebook to render "
                f"(have: {', '.join(sorted(known_stems))})"
            )
        if stem not in by_stem:
            continue
        known = set(pm.inspect_notebook(str(by_stem[stem])))
        for name in values:
            if name in RENDERER_PARAMETERS:
                raise RenderError(
                    f"{stem}: parameter {name!r} is set by the renderer; "
                    "use the scenarios, overrides or seed arguments"
                )
            if name not in known:
                raise RenderError(
                    f"{stem}: no parameter {name!r} in its parameters cell "
                    f"(has: {', '.join(sorted(known - RENDERER_PARAMETERS))})"
                )
        checked[stem] = dict(values)
    return checked


class RenderInterrupted(KeyboardInterrupt):
    """A render stopped by SIGINT or SIGTERM; ``signum`` is the signal's number.

    Kernels were killed and nothing more was published; what was published before
    is consistent (a report with its ``summary.json`` entry, state and index).
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


class _Cancel:
    """Set by SIGINT/SIGTERM during a render (see :func:`_interrupts`)."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def check(self) -> None:
        """Raise :class:`RenderInterrupted` if a signal arrived."""
        if self.signum is not None:
            raise RenderInterrupted(self.signum)


@contextmanager
def _interrupts() -> Iterator[_Cancel]:
    """Turn SIGINT and SIGTERM into a cancel flag while rendering (main thread only).

    The handler kills the running kernels at once, so workers finish promptly; the
    render then stops publishing and raises :class:`RenderInterrupted`.
    """
    cancel = _Cancel()
    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return

    def handler(signum: int, frame: Any) -> None:
        cancel.signum = signum
        kill_kernels()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield cancel
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _run_jobs(
    pending: Sequence[RenderJob],
    work: Callable[[RenderJob], NotebookRun],
    publish_run: Callable[[RenderJob, NotebookRun], None],
    cancel: _Cancel,
    *,
    jobs: int,
    client: Any,
) -> dict[RenderJob, NotebookRun]:
    """Run ``work`` on every pending job, in threads or as Dask tasks, with a progress bar.

    Each finished run is published (``publish_run``) in this thread as it comes in.
    When ``cancel`` is set, queued jobs are dropped, running kernels are killed
    until every worker has returned, nothing more is published and
    :class:`RenderInterrupted` is raised.
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
            deadline = time.monotonic() + 30
            while any(not f.done() for f in remaining) and time.monotonic() < deadline:
                kill_kernels()
                time.sleep(0.2)
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
    return results


#: Prefix of the private staging folders of a render, inside the output folder.
STAGING_PREFIX = ".staging-"


def clean_leftovers(output_dir: Path) -> list[Path]:
    """Remove what an interrupted render left in ``output_dir``; return what was removed.

    Staging folders (:data:`STAGING_PREFIX`), temporary files (``*.tmp``) and old
    kernel folders. Only call it while holding :func:`output_lock`.
    """
    removed: list[Path] = []
    candidates = [*output_dir.glob(f"{STAGING_PREFIX}*"), *output_dir.glob("*.tmp")]
    for folder in output_dir.iterdir():
        if folder.is_dir() and not folder.name.startswith("."):
            candidates += [*folder.glob("*.tmp"), *folder.glob(".render-*")]
    for path in candidates:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def render_reports(
    scenarios: Sequence[str | Path],
    notebooks: Sequence[str] | None = None,
    output_dir: str | Path = "reports",
    *,
    notebook_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    overrides: Sequence[str] = (),
    seed: int = DEFAULT_SEED,
    kernel_name: str = KERNEL_NAME,
    jobs: int = 1,
    force: bool = False,
    client: Any = None,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
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
        ``KEY=VALUE`` scenario overrides passed to every scenario-dependent notebook.
    seed
        Seed passed to every notebook.
    kernel_name
        Jupyter kernel to execute with.
    jobs
        Number of notebooks rendered at once (each in its own kernel).
    force
        Render even when a report for identical inputs exists.
    client
        A ``dask.distributed`` client: each notebook renders as a task on the
        cluster (workers must see the same files); ``jobs`` is then ignored.
    parameters
        Values of the notebooks' own parameters, by notebook stem, e.g.
        ``{"02-readers-per-post-sensitivity": {"draws": 20_000}}`` for a quick
        render; each name must be a parameter of that notebook's ``parameters``
        cell (other than scenario, overrides, seed and summary path). They are
        part of the fingerprint and recorded in ``summary.json``.

    Returns
    -------
    RenderResult
        Every run's status; check :attr:`RenderResult.ok`.

    Raises
    ------
    RenderError
        A scenario or notebook file name that is not a slug (letters, digits, ``-``,
        ``_``, ``.`` not leading), a report folder that is a link or would hold the
        source notebooks, and the other input errors, before any kernel starts.
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
    scenario_paths = _checked_scenarios(scenarios, overrides, jobs, seed)
    nb_dir = Path(notebook_dir) if notebook_dir is not None else shipped_notebook_dir()
    nb_paths = _resolve_notebooks(nb_dir, notebooks)
    own_parameters = _checked_parameters(parameters, nb_paths, discover_notebooks(nb_dir))
    # Absolute: kernels run in temporary folders and must write key figures here.
    out = Path(output_dir).resolve()
    if out.exists() and not out.is_dir():
        raise RenderError(f"{output_dir}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    with output_lock(out), _interrupts() as cancel:
        return _render_locked(
            out,
            cancel,
            scenario_paths,
            nb_paths,
            overrides=overrides,
            seed=seed,
            kernel_name=kernel_name,
            jobs=jobs,
            force=force,
            client=client,
            data_dir=data_dir,
            parameters=own_parameters,
        )


def _render_locked(
    out: Path,
    cancel: _Cancel,
    scenario_paths: Sequence[Path],
    nb_paths: Sequence[Path],
    *,
    overrides: Sequence[str],
    seed: int,
    kernel_name: str,
    jobs: int,
    force: bool,
    client: Any,
    data_dir: str | Path | None,
    parameters: Mapping[str, Mapping[str, Any]],
) -> RenderResult:
    """Render into ``out``, whose lock the caller holds; stop when ``cancel`` is set."""
    clean_leftovers(out)
    cancel.check()
    planned = plan_jobs(
        scenario_paths,
        nb_paths,
        out,
        overrides=overrides,
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

    def work(job: RenderJob) -> NotebookRun:
        return render_notebook(
            job, staging, overrides=overrides, seed=seed, kernel_name=kernel_name
        )

    def publish_run(job: RenderJob, run: NotebookRun) -> None:
        publish(job, run, staging, seed=seed, overrides=overrides)
        write_index(out)

    try:
        cancel.check()
        done = _run_jobs(
            [j for j in planned if j not in skipped],
            work,
            publish_run,
            cancel,
            jobs=jobs,
            client=client,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    cancel.check()
    runs = [skipped.get(job) or done[job] for job in planned]
    for destination in dict.fromkeys(job.destination for job in skipped):
        folder_runs = [run for job, run in skipped.items() if job.destination == destination]
        scenario = None if destination.name == SHARED_DIR else destination.name
        _record(destination, scenario, folder_runs, seed, overrides)
    index = write_index(out)
    return RenderResult(output_dir=str(out), runs=tuple(runs), index=str(index))
