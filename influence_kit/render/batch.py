"""Render many scenarios x notebooks: parallel, atomic, incremental."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..constants import DEFAULT_SEED
from ..errors import ParameterError, RenderError
from ..results import Result, dumps
from ..scenarios import load_scenario
from .execute import KERNEL_NAME, error_line, execute_notebook
from .html import notebook_to_html, report_header
from .site import STATE_FILE, SUMMARY_FILE, write_index

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class NotebookRun(Result):
    """Outcome of rendering one notebook for one scenario.

    ``status`` is ``"ok"``, ``"skipped"`` (inputs unchanged since the report on
    disk was rendered) or ``"failed"`` (``error`` names the cell and the error).
    """

    scenario: str
    notebook: str
    status: str
    seconds: float
    html: str | None = None
    ipynb: str | None = None
    error: str | None = None
    fingerprint: str = ""
    figures: dict[str, Any] = field(default_factory=dict)

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


def discover_notebooks(notebook_dir: str | Path) -> list[Path]:
    """Every ``*.ipynb`` in ``notebook_dir`` (not checkpoints), sorted by name."""
    folder = Path(notebook_dir)
    if not folder.is_dir():
        raise RenderError(f"{folder}: notebook folder not found")
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def _resolve_notebooks(notebook_dir: Path, names: Sequence[str] | None) -> list[Path]:
    available = discover_notebooks(notebook_dir)
    if not names:
        if not available:
            raise RenderError(f"{notebook_dir}: no notebooks to render")
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
    scenario: Path,
    *,
    overrides: Sequence[str],
    seed: int,
    kernel_name: str,
    data_digest: str,
    code_digest: str,
) -> str:
    """A digest of every input of one render; equal digests mean identical reports."""
    digest = hashlib.sha256()
    for part in (
        __version__,
        kernel_name,
        json.dumps(list(overrides)),
        str(seed),
        data_digest,
        code_digest,
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(notebook.read_bytes())
    digest.update(b"\0")
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


def render_notebook(
    notebook: Path,
    scenario_path: Path,
    destination: Path,
    *,
    overrides: Sequence[str] = (),
    seed: int = DEFAULT_SEED,
    kernel_name: str = KERNEL_NAME,
    timeout: int | None = 1800,
    fingerprint_: str = "",
) -> NotebookRun:
    """Execute one notebook for one scenario and write its report atomically.

    Returns a :class:`NotebookRun`; on failure (``status="failed"``, with the
    failing cell and error) the previous report, if any, is left untouched.
    """
    scenario_stem = scenario_path.stem
    destination = destination.resolve()
    destination.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=".render-", dir=destination) as tmp:
        tmpdir = Path(tmp)
        executed = tmpdir / notebook.name
        summary_part = tmpdir / "summary-part.json"
        parameters = {
            "scenario_path": str(scenario_path.resolve()),
            "overrides": list(overrides),
            "seed": int(seed),
            "summary_path": str(summary_part),
        }
        try:
            execute_notebook(
                notebook, executed, parameters, kernel_name=kernel_name, timeout=timeout
            )
            figures = _read_json(summary_part)
            header = report_header(
                scenario=scenario_stem,
                notebook=notebook.stem,
                seed=seed,
                overrides=overrides,
                figures=figures,
            )
            report = notebook_to_html(
                executed, header, title=f"{notebook.stem} · {scenario_stem} · influence_kit"
            )
        except Exception as err:
            line = f"{notebook.name} for {scenario_stem}: {error_line(err)}"
            logger.info("render failed: %s", line)
            return NotebookRun(
                scenario_stem, notebook.stem, "failed", time.perf_counter() - start, error=line
            )
        html_tmp = tmpdir / f"{notebook.stem}.html"
        html_tmp.write_text(report, encoding="utf-8")
        html_out = destination / f"{notebook.stem}.html"
        ipynb_out = destination / notebook.name
        os.replace(executed, ipynb_out)
        os.replace(html_tmp, html_out)
    return NotebookRun(
        scenario_stem,
        notebook.stem,
        "ok",
        time.perf_counter() - start,
        html=str(html_out),
        ipynb=str(ipynb_out),
        fingerprint=fingerprint_,
        figures=figures,
    )


def _record(
    destination: Path,
    scenario_path: Path,
    runs: Sequence[NotebookRun],
    seed: int,
    overrides: Sequence[str],
) -> None:
    """Merge this batch's runs into ``summary.json`` and the render state file.

    ``summary.json`` holds only what the reports show (deterministic for the
    same inputs); timings, fingerprints and errors go to the state file. Entries
    of notebooks that failed keep their previous figures.
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
                "overrides": list(overrides),
            }
            runs_state[run.notebook] = {
                "status": "ok",
                "seconds": round(run.seconds, 2),
                "fingerprint": run.fingerprint,
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
                "scenario": scenario_path.stem,
                "influence_kit_version": __version__,
                "notebooks": dict(sorted(notebooks.items())),
            },
        )
    _write_json(
        state_path, {"scenario": scenario_path.stem, "runs": dict(sorted(runs_state.items()))}
    )


def _check_kernel(kernel_name: str) -> None:
    """Fail fast, in one line, when no Jupyter kernel of that name is installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise RenderError(f"no Jupyter kernel named {kernel_name!r} is installed") from None


def render_reports(
    scenarios: Sequence[str | Path],
    notebooks: Sequence[str] | None = None,
    output_dir: str | Path = "reports",
    *,
    notebook_dir: str | Path = "notebooks",
    data_dir: str | Path | None = None,
    overrides: Sequence[str] = (),
    seed: int = DEFAULT_SEED,
    kernel_name: str = KERNEL_NAME,
    jobs: int = 1,
    force: bool = False,
    client: Any = None,
) -> RenderResult:
    """Render every requested notebook for every scenario.

    Parameters
    ----------
    scenarios
        Scenario YAML files; each is validated (with ``overrides``) before any
        notebook runs, so a bad scenario fails fast with a
        :class:`~influence_kit.errors.ScenarioError`.
    notebooks
        Notebook names (stems, file names or paths); all in ``notebook_dir`` if
        omitted.
    output_dir
        Where reports go (created if needed).
    notebook_dir
        Folder holding the notebooks.
    data_dir
        Folder of data the notebooks read (default: ``data/`` beside
        ``notebook_dir``); its content is part of each render's fingerprint.
    overrides
        ``KEY=VALUE`` scenario overrides passed to every notebook.
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

    Returns
    -------
    RenderResult
        Every run's status; check :attr:`RenderResult.ok`.
    """
    from tqdm.auto import tqdm

    if not scenarios:
        raise RenderError("no scenario given")
    if jobs < 1:
        raise ParameterError(f"jobs must be at least 1, got {jobs}")
    if not isinstance(seed, int) or seed < 0:
        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    scenario_paths = [Path(s) for s in scenarios]
    stems = [p.stem for p in scenario_paths]
    if len(set(stems)) != len(stems):
        raise RenderError(f"two scenarios share a file name: {', '.join(stems)}")
    for path in scenario_paths:
        load_scenario(path, overrides)
    _check_kernel(kernel_name)
    nb_dir = Path(notebook_dir)
    nb_paths = _resolve_notebooks(nb_dir, notebooks)
    # Absolute: kernels run in the notebook folder and must write key figures here.
    out = Path(output_dir).resolve()
    if out.exists() and not out.is_dir():
        raise RenderError(f"{output_dir}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    data_digest = _tree_digest(Path(data_dir) if data_dir else nb_dir.parent / "data")
    code_digest = _tree_digest(PACKAGE_DIR, "**/*.py")

    pending: list[tuple[Path, Path, str]] = []
    runs: list[NotebookRun] = []
    for scenario_path in scenario_paths:
        destination = out / scenario_path.stem
        state = _read_json(destination / STATE_FILE).get("runs", {})
        for nb in nb_paths:
            digest = fingerprint(
                nb,
                scenario_path,
                overrides=overrides,
                seed=seed,
                kernel_name=kernel_name,
                data_digest=data_digest,
                code_digest=code_digest,
            )
            previous = state.get(nb.stem, {})
            current = (
                previous.get("status") == "ok"
                and previous.get("fingerprint") == digest
                and (destination / f"{nb.stem}.html").exists()
            )
            if current and not force:
                runs.append(
                    NotebookRun(
                        scenario_path.stem,
                        nb.stem,
                        "skipped",
                        0.0,
                        html=str(destination / f"{nb.stem}.html"),
                        ipynb=str(destination / nb.name),
                        fingerprint=digest,
                    )
                )
            else:
                pending.append((scenario_path, nb, digest))

    def work(item: tuple[Path, Path, str]) -> NotebookRun:
        scenario_path, nb, digest = item
        return render_notebook(
            nb,
            scenario_path,
            out / scenario_path.stem,
            overrides=overrides,
            seed=seed,
            kernel_name=kernel_name,
            fingerprint_=digest,
        )

    with tqdm(total=len(pending), desc="rendering", unit="notebook", disable=None) as bar:
        if client is not None:
            from distributed import as_completed as dask_completed

            tasks = [client.submit(work, item, pure=False) for item in pending]
            finished = dask_completed(tasks, loop=client.loop)
        else:
            pool = ThreadPoolExecutor(max_workers=jobs)
            tasks = [pool.submit(work, item) for item in pending]
            finished = as_completed(tasks)
        for future in finished:
            run = future.result()
            bar.set_postfix_str(f"{run.scenario}/{run.notebook} {run.status}")
            bar.update(1)
            runs.append(run)
        if client is None:
            pool.shutdown()

    order = {
        (s.stem, nb.stem): i
        for i, (s, nb) in enumerate((s, nb) for s in scenario_paths for nb in nb_paths)
    }
    runs.sort(key=lambda r: order[(r.scenario, r.notebook)])
    for scenario_path in scenario_paths:
        scenario_runs = [r for r in runs if r.scenario == scenario_path.stem]
        _record(out / scenario_path.stem, scenario_path, scenario_runs, seed, overrides)
    index = write_index(out)
    return RenderResult(output_dir=str(out), runs=tuple(runs), index=str(index))
