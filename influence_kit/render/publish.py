"""How a render publishes: the output folder's lock, atomic publication of a report with
its ``summary.json`` entry, state and index, and cleaning what an interrupted render left.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import RenderError
from ..scenarios import write_scenario
from .html import navigation_html, replace_navigation
from .jobs import NotebookRun, RenderJob, _read_json, _write_json, content_digest
from .site import (
    INDEX_FILE,
    SCENARIO_FILE,
    SHARED_DIR,
    STATE_FILE,
    SUMMARY_FILE,
    collect,
    navigation,
    write_index,
    write_text_atomic,
)

logger = logging.getLogger(__name__)


def publish(
    job: RenderJob,
    run: NotebookRun,
    staging: Path,
    *,
    seed: int,
) -> None:
    """Move one staged report into place, then record it in ``summary.json`` and the state.

    The report's two files are renamed into the destination and the folder's
    ``summary.json`` and state file are replaced (write to a temporary file, then
    ``os.replace``), in that order: if the process dies in between, the state's
    ``content`` digest no longer matches the report and the next render redoes it.
    A failed run only records its error. A scenario's folder also holds the resolved
    scenario the kernels read (:data:`~.site.SCENARIO_FILE`), so a report can be rendered
    again from its folder alone.
    """
    destination = job.destination
    destination.mkdir(parents=True, exist_ok=True)
    if run.status == "ok":
        stage = staging / destination.name
        os.replace(stage / job.notebook.name, destination / job.notebook.name)
        os.replace(stage / f"{job.notebook.stem}.html", destination / f"{job.notebook.stem}.html")
        if job.scenario is not None:
            write_scenario(job.scenario.scenario, destination / SCENARIO_FILE)
    _record(job, [run], seed)


def _record(job: RenderJob, runs: Sequence[NotebookRun], seed: int) -> None:
    """Merge this batch's runs into a folder's ``summary.json`` and render state file.

    ``summary.json`` holds only what the reports show (deterministic for the
    same inputs); timings, fingerprints and errors go to the state file. Entries
    of notebooks that failed keep their previous figures. ``scenario`` is the folder's
    name (``None`` for :data:`SHARED_DIR`, whose notebooks run without overrides);
    ``base_scenario``, ``overrides`` and ``scenario_digest`` say what it was made of.
    """
    destination = job.destination
    run_scenario = job.scenario
    scenario = job.scenario_name
    overrides = run_scenario.scenario.overrides if run_scenario is not None else {}
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
                "conclusion": run.conclusion,
                "seed": seed,
                "overrides": dict(overrides),
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
                "base_scenario": run_scenario.base_name if run_scenario is not None else None,
                "overrides": dict(overrides),
                "scenario_digest": (
                    run_scenario.scenario.digest() if run_scenario is not None else None
                ),
                "influence_kit_version": __version__,
                "notebooks": dict(sorted(notebooks.items())),
            },
        )
    _write_json(state_path, {"scenario": scenario, "runs": dict(sorted(runs_state.items()))})


def write_navigation(output_dir: Path, records: Sequence[Mapping[str, Any]]) -> list[Path]:
    """Rewrite the navigation bar of every report page under ``output_dir``.

    A page whose bar changes is replaced atomically, and its folder's render state gets
    the new content digest, but only when the recorded digest matched the page before the
    change (a page changed by anyone else stays stale, and is rendered again next time).
    Returns the pages rewritten.
    """
    changed: list[Path] = []
    states: dict[Path, dict[str, Any]] = {}
    dirty: set[Path] = set()
    for record in records:
        if not record["html"]:
            continue
        folder = output_dir / (record["scenario"] or SHARED_DIR)
        page = folder / f"{record['notebook']}.html"
        ipynb = folder / f"{record['notebook']}.ipynb"
        try:
            text = page.read_text(encoding="utf-8")
        except OSError:
            continue
        new = replace_navigation(text, navigation_html(navigation(records, record)))
        if new is None:
            continue
        if new == text:
            continue
        state = states.setdefault(folder, _read_json(folder / STATE_FILE))
        entry = state.get("runs", {}).get(record["notebook"])
        trusted = bool(entry) and entry.get("content") == content_digest(page, ipynb)
        write_text_atomic(page, new)
        changed.append(page)
        if trusted:
            entry["content"] = content_digest(page, ipynb)
            dirty.add(folder)
    for folder in dirty:
        _write_json(folder / STATE_FILE, states[folder])
    return changed


def update_site(output_dir: Path) -> Path:
    """Rewrite every report page's navigation bar (:func:`write_navigation`) and the
    index (:func:`~.site.write_index`) for the reports now in ``output_dir``; return the
    index. Call it while holding :func:`output_lock`."""
    write_navigation(output_dir, collect(output_dir))
    return write_index(output_dir)


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


STAGING_PREFIX = ".staging-"
#: Prefix of the private folder in which a scenario's PDF is printed (see :mod:`.pdf`).
PDF_PREFIX = ".pdf-"


def clean_leftovers(output_dir: Path) -> list[Path]:
    """Remove what an interrupted render left in ``output_dir``; return what was removed.

    Staging folders (:data:`STAGING_PREFIX`), PDF printing folders (:data:`PDF_PREFIX`),
    temporary files (``*.tmp``) and old kernel folders. Only call it while holding
    :func:`output_lock`.
    """
    removed: list[Path] = []
    candidates = [
        *output_dir.glob(f"{STAGING_PREFIX}*"),
        *output_dir.glob(f"{PDF_PREFIX}*"),
        *output_dir.glob("*.tmp"),
    ]
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


def is_report_site(output_dir: Path) -> bool:
    """Whether ``output_dir`` is a folder a render made (it holds :data:`LOCK_FILE`, or a
    report folder with a render state file)."""
    if (output_dir / LOCK_FILE).exists():
        return True
    return any(child.is_dir() and (child / STATE_FILE).is_file() for child in output_dir.iterdir())


def check_site_folder(output_dir: Path, folders: Sequence[str], *, force: bool) -> None:
    """Refuse to render into an existing folder of the user's that no render made.

    A render writes ``index.html`` and one folder per scenario (``folders``) into its
    output folder and cleans temporary files there: in a folder of someone else's files it
    would replace them without a word. An empty or missing folder, and one a render made
    (:func:`is_report_site`), are fine; any other folder needs ``force``.

    Raises
    ------
    RenderError
        One line naming the folder, the files the render would replace (or some of the
        files it holds) and the fix.
    """
    if force or not output_dir.is_dir():
        return
    entries = sorted(p.name for p in output_dir.iterdir())
    if not entries or is_report_site(output_dir):
        return
    replaced = [
        name + ("/" if (output_dir / name).is_dir() else "")
        for name in entries
        if name in (INDEX_FILE, *folders) or name.endswith(".tmp")
    ]
    if replaced:
        what = f"rendering would replace {', '.join(replaced)}"
    else:
        more = f" and {len(entries) - 5} more" if len(entries) > 5 else ""
        shown = ", ".join(entries[:5]) + more
        what = f"it holds files no render made ({shown})"
    raise RenderError(
        f"{output_dir}: not an empty folder nor a report site made by render; {what}. "
        "Choose a new or empty --output-dir, or pass --force to render into it anyway"
    )
