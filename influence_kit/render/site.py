"""The report site's front page and navigation: every report, its status and key figures.

Reports of notebooks that depend on the scenario live in one folder per scenario;
notebooks that do not (``scenario_dependent: false`` in their metadata) are rendered once,
into :data:`SHARED_DIR`, and listed in their own section of the index.

The index opens with one comparison table (each scenario's region and year, its own
published claim, the rebuilt total, the verdict against that claim, the total with readers
per post derived from evidence, and the scenario's one-sentence summary), then lists the
reports grouped by scenario, variants under their base. :func:`navigation` says what a
report page's navigation bar links to (the site's order: :func:`collect`);
:func:`influence_kit.render.publish.update_site` rewrites the bars and the index.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..constants import DEFAULT_SCENARIO
from ..formatting import format_fixed, format_quantity
from .figures import shown_figures
from .html import (
    notebook_title,
    scenario_title,
)
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

#: Shown where a value is missing (the report that gives it has not been rendered).
MISSING = "\u2014"


def _load(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _relative(path: Path, root: Path) -> str | None:
    """The URL of ``path`` relative to ``root`` (percent-encoded), ``None`` if it is missing."""
    return quote(path.relative_to(root).as_posix()) if path.exists() else None


def collect(output_dir: Path) -> list[dict[str, Any]]:
    """One record per report found under ``output_dir``, in the site's order.

    ``scenario`` is the scenario folder's name, or ``None`` for the reports in
    :data:`SHARED_DIR` (notebooks that do not depend on the scenario); a variant (a render
    with overrides) has its ``base_scenario`` and its ``overrides`` described. Records come
    sorted with the default scenario first, then the other base scenarios by name, each
    followed by its variants, and the shared reports last; within a folder by notebook.
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
        shared = folder.name == SHARED_DIR
        label = scenario_title(None if shared else folder.name, base, overrides)
        for name in names:
            entry = summary.get("notebooks", {}).get(name, {})
            run = state.get(name, {})
            html_file = folder / f"{name}.html"
            seconds = run.get("seconds")
            records.append(
                {
                    "scenario": None if shared else folder.name,
                    "notebook": name,
                    "title": notebook_title(name),
                    "scenario_title": label,
                    "html": _relative(html_file, output_dir),
                    "ipynb": _relative(folder / f"{name}.ipynb", output_dir),
                    "pdf": None if shared else _relative(folder / f"{folder.name}.pdf", output_dir),
                    "status": run.get("status", "ok" if html_file.exists() else "missing"),
                    "seconds": seconds,
                    "seconds_text": (
                        f"{format_fixed(seconds, 1)} s" if isinstance(seconds, int | float) else ""
                    ),
                    "error": run.get("error"),
                    "figures": entry.get("figures", {}),
                    "base_scenario": None if shared else base,
                    "variant": bool(overrides),
                    "overrides": describe_overrides(overrides) if overrides else "",
                }
            )
    records.sort(key=_site_order)
    return records


def _site_order(record: Mapping[str, Any]) -> tuple[Any, ...]:
    base = record["base_scenario"]
    return (
        base is None,
        base != DEFAULT_SCENARIO,
        base or "",
        record["variant"],
        record["scenario"] or "",
        record["notebook"],
    )


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
                    by_scenario[s][key].text if key in by_scenario.get(s, {}) else MISSING
                    for s in scenarios
                ]
                for key in labels
            }
    return scenarios, tables


#: Where the comparison table finds its figures: column -> (notebook, key figure).
HEADLINE_NOTEBOOK = "01-headline-impressions"
EVIDENCE_NOTEBOOK = "07-readers-per-post-evidence"


def _figure(records: Sequence[Mapping[str, Any]], notebook: str, key: str) -> Any:
    for record in records:
        if record["notebook"] == notebook:
            for figure in shown_figures(record["figures"]):
                if figure.key == key:
                    return figure
    return None


def _scenario_meta(folder: Path) -> Any:
    """The scenario a report folder was rendered from, ``None`` when it cannot be read."""
    from ..errors import InfluenceKitError
    from ..scenarios import load_scenario

    path = folder / SCENARIO_FILE
    if not path.is_file():
        return None
    try:
        return load_scenario(path)
    except (InfluenceKitError, OSError, ValueError):
        return None


def scenario_rows(output_dir: Path, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row of the index's comparison table per scenario folder (variants included).

    Every value is text through :mod:`influence_kit.formatting` (:data:`MISSING` where the
    report giving it has not been rendered): the scenario's region and year, its own
    published claim (from the headline report, else from the scenario file), the rebuilt
    total, the verdict against that claim, the total with derived readers per post and the
    one-sentence summary of the scenario file.
    """
    rows = []
    for scenario in dict.fromkeys(r["scenario"] for r in records if r["scenario"]):
        own = [r for r in records if r["scenario"] == scenario]
        first = own[0]
        loaded = _scenario_meta(output_dir / scenario)
        meta = loaded.meta if loaded is not None else None
        claim = _figure(own, HEADLINE_NOTEBOOK, "claim")
        total = _figure(own, HEADLINE_NOTEBOOK, "total_impressions")
        meets = _figure(own, HEADLINE_NOTEBOOK, "meets_claim")
        derived = _figure(own, EVIDENCE_NOTEBOOK, "total_with_derived_readers")
        claim_value = claim.value if claim is not None else None
        if claim_value is None and loaded is not None and loaded.headline is not None:
            claim_value = loaded.headline.total_impressions_claim
        verdict = MISSING
        if total is not None and isinstance(claim_value, int | float) and claim_value > 0:
            reaches = bool(meets.value) if meets is not None else total.value >= claim_value
            share = format_quantity(total.value / claim_value, "share")
            verdict = f"reaches it ({share})" if reaches else f"falls short ({share})"
        rows.append(
            {
                "scenario": scenario,
                "title": first["scenario_title"],
                "variant": first["variant"],
                "href": f"#scenario-{quote(scenario)}",
                "region": meta.region if meta is not None else MISSING,
                "year": str(meta.year) if meta is not None else MISSING,
                "claim": (
                    format_quantity(claim_value, "impressions")
                    if claim_value is not None
                    else MISSING
                ),
                "total": total.text if total is not None else MISSING,
                "verdict": verdict,
                "reaches": verdict.startswith("reaches"),
                "derived": derived.text if derived is not None else MISSING,
                "summary": (
                    (meta.summary or "").strip() if meta is not None and meta.summary else ""
                ),
            }
        )
    return rows


def _groups(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The records grouped by folder, in the site's order."""
    groups: dict[str | None, dict[str, Any]] = {}
    for record in records:
        group = groups.setdefault(
            record["scenario"],
            {
                "scenario": record["scenario"],
                "title": record["scenario_title"],
                "variant": record["variant"],
                "base_scenario": record["base_scenario"],
                "overrides": record["overrides"],
                "pdf": record["pdf"],
                "records": [],
            },
        )
        group["records"].append(record)
    return list(groups.values())


def _link(target: Mapping[str, Any], depth: int = 1) -> str:
    """The URL of a record's page from a report page ``depth`` folders below the site."""
    return "../" * depth + str(target["html"])


def navigation(records: Sequence[Mapping[str, Any]], record: Mapping[str, Any]) -> dict[str, Any]:
    """What the navigation bar of ``record``'s page links to.

    ``previous`` and ``next`` are the neighbouring reports in the site's order (the index
    for the first and the last page); ``others`` is the same notebook in the other
    scenario folders. Every link is relative to the report's own page.
    """
    pages = [r for r in records if r["html"]]
    position = next(i for i, r in enumerate(pages) if r is record)
    index = {"href": f"../{INDEX_FILE}", "title": "Index of all reports", "scenario": ""}

    def entry(other: Mapping[str, Any]) -> dict[str, str]:
        return {"href": _link(other), "title": other["title"], "scenario": other["scenario_title"]}

    previous = entry(pages[position - 1]) if position > 0 else index
    following = entry(pages[position + 1]) if position + 1 < len(pages) else index
    others = [
        {"href": _link(r), "title": r["scenario_title"]}
        for r in pages
        if r["notebook"] == record["notebook"] and r is not record and r["scenario"] is not None
    ]
    return {"index": f"../{INDEX_FILE}", "previous": previous, "next": following, "others": others}


def index_html(output_dir: Path, records: Sequence[dict[str, Any]]) -> str:
    """The text of the site's ``index.html`` for ``records`` (see :func:`collect`)."""
    for record in records:
        record["shown"] = shown_figures(record["figures"])[:INDEX_FIGURES]
    scenario_records = [r for r in records if r["scenario"] is not None]
    scenarios, comparison = _comparison(scenario_records)
    return render_template(
        "site_index.html.j2",
        version=__version__,
        rows=scenario_rows(output_dir, scenario_records),
        groups=_groups(scenario_records),
        shared_records=[r for r in records if r["scenario"] is None],
        scenarios=scenarios,
        scenario_titles={r["scenario"]: r["scenario_title"] for r in scenario_records},
        comparison=comparison,
        notebook_titles={r["notebook"]: r["title"] for r in records},
    )


def write_index(output_dir: str | Path) -> Path:
    """Write ``index.html`` linking every report found under ``output_dir``.

    The report pages' navigation bars are rewritten by
    :func:`influence_kit.render.publish.update_site`, which calls this.
    """
    out = Path(output_dir)
    records = collect(out)
    index = out / INDEX_FILE
    write_text_atomic(index, index_html(out, records))
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
