"""Render the notebooks into shareable HTML reports with papermill and nbconvert.

For each scenario and notebook, :func:`render_reports` executes the notebook with
papermill (kernel named explicitly), converts the executed notebook to HTML with
code hidden, and writes under ``output_dir``::

    <scenario-stem>/<notebook-stem>.html    the report (inputs hidden)
    <scenario-stem>/<notebook-stem>.ipynb   the executed notebook
    <scenario-stem>/summary.json            key figures of every notebook
    index.html                              links to every report

Each notebook renders in a private temporary folder and its files replace the
previous ones only once everything succeeded, so a failing notebook never
leaves a partial report behind or overwrites a good one.

Papermill parameters passed to every notebook: ``scenario_path`` (absolute),
``overrides`` (list of ``KEY=VALUE``), ``seed`` and ``summary_path`` (where the
notebook writes its key figures with :func:`influence_kit.reporting.save_summary`).
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .errors import RenderError
from .results import Result, dumps
from .scenarios import load_scenario

logger = logging.getLogger(__name__)

#: The Jupyter kernel every notebook runs on; ``ipykernel`` provides it in any venv.
KERNEL_NAME = "python3"

#: Seed passed to notebooks unless the caller gives one.
DEFAULT_SEED = 20100420


@dataclass(frozen=True)
class NotebookRun(Result):
    """Outcome of rendering one notebook for one scenario."""

    scenario: str
    notebook: str
    ok: bool
    seconds: float
    html: str | None = None
    ipynb: str | None = None
    error: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """One row: scenario, notebook, status, seconds, error."""
        return pd.DataFrame(
            [
                {
                    "scenario": self.scenario,
                    "notebook": self.notebook,
                    "status": "ok" if self.ok else "failed",
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
        """Whether every notebook rendered."""
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
        matches = [p for p in available if p.stem == name or p.name == name]
        if not matches:
            matches = [p for p in available if p.stem.startswith(name)]
        if len(matches) != 1:
            known = ", ".join(p.stem for p in available)
            raise RenderError(f"notebook {name!r} not found in {notebook_dir} (have: {known})")
        chosen.append(matches[0])
    return chosen


def _error_line(err: BaseException) -> str:
    """One line naming the failing cell and the error."""
    try:
        from papermill.exceptions import PapermillExecutionError
    except ImportError:  # pragma: no cover
        PapermillExecutionError = ()  # type: ignore[assignment]
    if isinstance(err, PapermillExecutionError):
        evalue = str(err.evalue).strip().splitlines()
        first = evalue[-1] if evalue else ""
        return f"cell {err.exec_count} raised {err.ename}: {first}"
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[-1] if text else ''}"


def _html_banner(scenario: str, notebook: str, seed: int, overrides: Sequence[str]) -> str:
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    over = html.escape(", ".join(overrides)) if overrides else "none"
    return (
        '<div class="ik-banner" style="font-family:sans-serif;font-size:0.85em;color:#444;'
        'border-bottom:1px solid #ccc;padding:0.5em 1em;margin-bottom:1em">'
        f"Report <strong>{html.escape(notebook)}</strong> for scenario "
        f"<strong>{html.escape(scenario)}</strong> &middot; overrides: {over} &middot; "
        f"seed {seed} &middot; influence_kit {html.escape(__version__)} &middot; "
        f"rendered {stamp}</div>"
    )


def notebook_to_html(executed: Path, banner: str = "") -> str:
    """Convert an executed notebook to standalone HTML with code and prompts hidden."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    nb = nbformat.read(str(executed), as_version=4)
    body, _ = exporter.from_notebook_node(nb)
    if banner:
        marker = "<main>"
        pos = body.find(marker)
        if pos < 0:
            marker = "<body"
            pos = body.find(marker)
            pos = body.find(">", pos)
            pos = pos + 1 if pos >= 0 else -1
        else:
            pos += len(marker)
        if pos > 0:
            body = body[:pos] + banner + body[pos:]
    return body


def _strip_papermill_metadata(path: Path) -> None:
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, str(path))


def render_notebook(
    notebook: Path,
    scenario_path: Path,
    destination: Path,
    *,
    overrides: Sequence[str] = (),
    seed: int = DEFAULT_SEED,
    kernel_name: str = KERNEL_NAME,
    timeout: int | None = 1800,
) -> NotebookRun:
    """Execute one notebook for one scenario and write its report atomically.

    Returns a :class:`NotebookRun` (``ok=False`` with the failing cell and error
    on failure; the previous report, if any, is left untouched).
    """
    import papermill as pm

    scenario_stem = scenario_path.stem
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
            pm.execute_notebook(
                str(notebook),
                str(executed),
                parameters=parameters,
                kernel_name=kernel_name,
                language="python",
                cwd=str(notebook.parent.resolve()),
                progress_bar=False,
                log_output=False,
                execution_timeout=timeout,
            )
            _strip_papermill_metadata(executed)
            report = notebook_to_html(
                executed, _html_banner(scenario_stem, notebook.stem, seed, overrides)
            )
        except Exception as err:
            seconds = time.perf_counter() - start
            line = f"{notebook.name} for {scenario_stem}: {_error_line(err)}"
            logger.error("render failed: %s", line)
            return NotebookRun(scenario_stem, notebook.stem, False, seconds, error=line)
        figures = json.loads(summary_part.read_text()) if summary_part.exists() else {}
        html_tmp = tmpdir / f"{notebook.stem}.html"
        html_tmp.write_text(report, encoding="utf-8")
        html_out = destination / f"{notebook.stem}.html"
        ipynb_out = destination / notebook.name
        os.replace(executed, ipynb_out)
        os.replace(html_tmp, html_out)
    return NotebookRun(
        scenario_stem,
        notebook.stem,
        True,
        time.perf_counter() - start,
        html=str(html_out),
        ipynb=str(ipynb_out),
        figures=figures,
    )


def _write_summary(
    destination: Path,
    scenario_path: Path,
    runs: Sequence[NotebookRun],
    seed: int,
    overrides: Sequence[str],
) -> None:
    """Merge the key figures of the successful runs into ``summary.json``.

    Entries of notebooks that failed this time are kept from the previous
    summary, so the file always describes the reports on disk.
    """
    if not any(run.ok for run in runs):
        return
    path = destination / "summary.json"
    existing: dict[str, Any] = {}
    if path.exists():
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            existing = {}
    notebooks = dict(existing.get("notebooks", {}))
    for run in runs:
        if run.ok:
            notebooks[run.notebook] = {
                "figures": run.figures,
                "seed": seed,
                "overrides": list(overrides),
            }
    data = {
        "scenario": scenario_path.stem,
        "influence_kit_version": __version__,
        "notebooks": notebooks,
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(dumps(data) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _index_figures(figures: dict[str, Any]) -> str:
    items = []
    for key, value in figures.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = f"{value:,.4g}"
        elif isinstance(value, (str, bool)):
            text = str(value)
        else:
            continue
        items.append(f"<li><code>{html.escape(key)}</code>: {html.escape(text)}</li>")
    return f"<ul>{''.join(items[:8])}</ul>" if items else ""


def write_index(output_dir: str | Path) -> Path:
    """Write ``index.html`` linking every report found under ``output_dir``."""
    out = Path(output_dir)
    rows = []
    for summary_path in sorted(out.glob("*/summary.json")):
        scenario_dir = summary_path.parent
        data = json.loads(summary_path.read_text(encoding="utf-8"))
        for nb_name, entry in sorted(data.get("notebooks", {}).items()):
            figures = entry.get("figures", {})
            html_file = scenario_dir / f"{nb_name}.html"
            if not html_file.exists():
                continue
            rel = html_file.relative_to(out).as_posix()
            ipynb_rel = (scenario_dir / f"{nb_name}.ipynb").relative_to(out).as_posix()
            rows.append(
                "<tr>"
                f"<td>{html.escape(scenario_dir.name)}</td>"
                f'<td><a href="{html.escape(rel)}">{html.escape(nb_name)}</a></td>'
                f'<td><a href="{html.escape(ipynb_rel)}">notebook</a></td>'
                f"<td>{_index_figures(figures)}</td>"
                "</tr>"
            )
    body = "\n".join(rows) if rows else '<tr><td colspan="4">No reports yet.</td></tr>'
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>influence_kit reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 70em; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.4em 0.6em; text-align: left;
  vertical-align: top; }}
ul {{ margin: 0; padding-left: 1.2em; }}
</style></head>
<body>
<h1>influence_kit reports</h1>
<p>Rendered by influence_kit {html.escape(__version__)}.</p>
<table>
<thead><tr><th>Scenario</th><th>Report</th><th>Executed notebook</th>
<th>Key figures</th></tr></thead>
<tbody>
{body}
</tbody></table>
</body></html>
"""
    index = out / "index.html"
    tmp = index.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, index)
    return index


def render_reports(
    scenarios: Sequence[str | Path],
    notebooks: Sequence[str] | None = None,
    output_dir: str | Path = "reports",
    *,
    notebook_dir: str | Path = "notebooks",
    overrides: Sequence[str] = (),
    seed: int = DEFAULT_SEED,
    kernel_name: str = KERNEL_NAME,
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
    overrides
        ``KEY=VALUE`` scenario overrides passed to every notebook.
    seed
        Seed passed to every notebook.
    kernel_name
        Jupyter kernel to execute with.

    Returns
    -------
    RenderResult
        Every run's status; check :attr:`RenderResult.ok`.
    """
    from tqdm.auto import tqdm

    if not scenarios:
        raise RenderError("no scenario given")
    scenario_paths = [Path(s) for s in scenarios]
    for path in scenario_paths:
        load_scenario(path, overrides)
    nb_paths = _resolve_notebooks(Path(notebook_dir), notebooks)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    runs: list[NotebookRun] = []
    jobs = [(s, nb) for s in scenario_paths for nb in nb_paths]
    with tqdm(total=len(jobs), desc="rendering", unit="notebook", disable=None) as bar:
        for scenario_path in scenario_paths:
            destination = out / scenario_path.stem
            scenario_runs = []
            for nb in nb_paths:
                bar.set_postfix_str(f"{scenario_path.stem}/{nb.stem}")
                run = render_notebook(
                    nb,
                    scenario_path,
                    destination,
                    overrides=overrides,
                    seed=seed,
                    kernel_name=kernel_name,
                )
                scenario_runs.append(run)
                bar.update(1)
            _write_summary(destination, scenario_path, scenario_runs, seed, overrides)
            runs.extend(scenario_runs)
    index = write_index(out)
    return RenderResult(output_dir=str(out), runs=tuple(runs), index=str(index))


def refresh_notebook(notebook: str | Path, *, kernel_name: str = KERNEL_NAME) -> Path:
    """Execute a committed notebook in place with its default parameters.

    Used before committing a notebook so that nbval has outputs to compare:
    papermill's timing metadata is stripped and execution counts are kept.
    """
    import papermill as pm

    path = Path(notebook)
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / path.name
        try:
            pm.execute_notebook(
                str(path),
                str(executed),
                kernel_name=kernel_name,
                language="python",
                cwd=str(path.parent.resolve()),
                progress_bar=False,
                log_output=False,
            )
        except Exception as err:
            raise RenderError(f"{path.name}: {_error_line(err)}") from None
        _strip_papermill_metadata(executed)
        os.replace(executed, path)
    return path
