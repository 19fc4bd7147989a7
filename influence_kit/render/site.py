"""The report site's front page: every report, its status and key figures.

Reports of notebooks that depend on the scenario live in one folder per scenario;
notebooks that do not (``scenario_dependent: false`` in their metadata) are rendered once,
into :data:`SHARED_DIR`, and listed in their own section of the index.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from .figures import shown_figures
from .notebook_support import describe_overrides
from .templates import render_template

SUMMARY_FILE = "summary.json"
#: The resolved scenario of a report folder (what its kernels read), published beside it.
SCENARIO_FILE = "scenario.yaml"
STATE_FILE = "render_state.json"
#: The site's front page, in the output folder.
INDEX_FILE = "index.html"

#: Folder of the reports that do not depend on the scenario (rendered once per site).
SHARED_DIR = "all-scenarios"

#: Key figures shown per report in the index (the report itself shows all).
INDEX_FIGURES = 10


def _load(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _relative(path: Path, root: Path) -> str | None:
    """The URL of ``path`` relative to ``root`` (percent-encoded), ``None`` if it is missing."""
    return quote(path.relative_to(root).as_posix()) if path.exists() else None


def collect(output_dir: Path) -> list[dict[str, Any]]:
    """One record per report found under ``output_dir``.

    ``scenario`` is the scenario folder's name, or ``None`` for the reports in
    :data:`SHARED_DIR` (notebooks that do not depend on the scenario); a variant (a render
    with overrides) has its ``base_scenario`` and its ``overrides`` described. Records come
    sorted with each base scenario first and its variants after it.
    """
    records = []
    # Dot folders are the renderer's private staging folders, never reports.
    folders = (p for p in output_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    for folder in sorted(folders):
        summary = _load(folder / SUMMARY_FILE)
        overrides = summary.get("overrides") or {}
        base = summary.get("base_scenario") or folder.name
        state = _load(folder / STATE_FILE).get("runs", {})
        names = sorted(set(summary.get("notebooks", {})) | set(state))
        for name in names:
            entry = summary.get("notebooks", {}).get(name, {})
            run = state.get(name, {})
            html_file = folder / f"{name}.html"
            records.append(
                {
                    "scenario": None if folder.name == SHARED_DIR else folder.name,
                    "notebook": name,
                    "html": _relative(html_file, output_dir),
                    "ipynb": _relative(folder / f"{name}.ipynb", output_dir),
                    "status": run.get("status", "ok" if html_file.exists() else "missing"),
                    "seconds": run.get("seconds"),
                    "error": run.get("error"),
                    "figures": entry.get("figures", {}),
                    "base_scenario": None if folder.name == SHARED_DIR else base,
                    "variant": bool(overrides),
                    "overrides": describe_overrides(overrides) if overrides else "",
                }
            )
    records.sort(key=lambda r: (r["base_scenario"] or "", r["variant"], r["scenario"] or ""))
    return records


def _comparison(records: list[dict[str, Any]]) -> tuple[list[str], dict[str, dict[str, list]]]:
    """Scenario names and, per notebook, each key figure's value in every scenario."""
    scenarios = list(dict.fromkeys(r["scenario"] for r in records))
    if len(scenarios) < 2:
        return scenarios, {}
    tables: dict[str, dict[str, list]] = {}
    for notebook in sorted({r["notebook"] for r in records}):
        by_scenario = {
            r["scenario"]: {f.key: f for f in shown_figures(r["figures"])}
            for r in records
            if r["notebook"] == notebook
        }
        labels: dict[str, str] = {}
        for figures in by_scenario.values():
            labels.update((key, f.label) for key, f in figures.items() if key not in labels)
        if labels:
            tables[notebook] = {
                labels[key]: [
                    by_scenario[s][key].text if key in by_scenario.get(s, {}) else ""
                    for s in scenarios
                ]
                for key in labels
            }
    return scenarios, tables


def write_index(output_dir: str | Path) -> Path:
    """Write ``index.html`` linking every report found under ``output_dir``."""
    out = Path(output_dir)
    records = collect(out)
    for record in records:
        record["shown"] = shown_figures(record["figures"])[:INDEX_FIGURES]
    scenario_records = [r for r in records if r["scenario"] is not None]
    scenarios, comparison = _comparison(scenario_records)
    page = render_template(
        "site_index.html.j2",
        version=__version__,
        scenario_records=scenario_records,
        shared_records=[r for r in records if r["scenario"] is None],
        scenarios=scenarios,
        comparison=comparison,
    )
    index = out / INDEX_FILE
    write_text_atomic(index, page)
    return index


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a private temporary file beside ``path``, then rename it into place.

    The temporary name is unique (``.<name>.<random>.tmp``), so concurrent writers never
    share it, and it is removed when writing fails (a full disk): ``path`` is either
    the old file or the new one, and nothing is left behind.
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: The process's umask, read once at import (``os.umask`` changes it for every thread
#: while it is read, and renders write from threads).
_UMASK = _current_umask()
