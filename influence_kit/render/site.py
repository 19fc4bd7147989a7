"""The report site's front page: every report, its status and key figures."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from .html import scalar_figures

SUMMARY_FILE = "summary.json"
STATE_FILE = "render_state.json"

#: Key figures shown per report in the index (the report itself shows all).
INDEX_FIGURES = 8

INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 72rem;
  margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.5; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.4rem 0.6rem; text-align: left;
  vertical-align: top; }
th { background: #f3f6f9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
dl { margin: 0; display: grid; grid-template-columns: max-content auto; gap: 0 0.8rem;
  font-size: 0.9rem; }
dt { color: #555; }
dd { margin: 0; }
.status-ok, .status-skipped { color: #1b7a2f; }
.status-failed { color: #b00020; font-weight: bold; }
"""


def _load(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _figures_list(figures: dict[str, Any]) -> str:
    items = list(scalar_figures(figures).items())[:INDEX_FIGURES]
    if not items:
        return ""
    body = "".join(
        f"<dt>{html.escape(k.replace('_', ' '))}</dt>"
        f'<dd data-key="{html.escape(k)}">{html.escape(v)}</dd>'
        for k, v in items
    )
    return f"<dl>{body}</dl>"


def collect(output_dir: Path) -> list[dict[str, Any]]:
    """One record per (scenario, notebook) report found under ``output_dir``."""
    records = []
    for scenario_dir in sorted(p for p in output_dir.iterdir() if p.is_dir()):
        summary = _load(scenario_dir / SUMMARY_FILE)
        state = _load(scenario_dir / STATE_FILE).get("runs", {})
        names = sorted(set(summary.get("notebooks", {})) | set(state))
        for name in names:
            entry = summary.get("notebooks", {}).get(name, {})
            run = state.get(name, {})
            html_file = scenario_dir / f"{name}.html"
            records.append(
                {
                    "scenario": scenario_dir.name,
                    "notebook": name,
                    "html": html_file.relative_to(output_dir).as_posix()
                    if html_file.exists()
                    else None,
                    "ipynb": (scenario_dir / f"{name}.ipynb").relative_to(output_dir).as_posix()
                    if (scenario_dir / f"{name}.ipynb").exists()
                    else None,
                    "status": run.get("status", "ok" if html_file.exists() else "missing"),
                    "seconds": run.get("seconds"),
                    "error": run.get("error"),
                    "figures": entry.get("figures", {}),
                }
            )
    return records


def _comparison(records: list[dict[str, Any]]) -> str:
    scenarios = sorted({r["scenario"] for r in records})
    if len(scenarios) < 2:
        return ""
    sections = []
    for notebook in sorted({r["notebook"] for r in records}):
        by_scenario = {
            r["scenario"]: scalar_figures(r["figures"])
            for r in records
            if r["notebook"] == notebook
        }
        keys: list[str] = []
        for figures in by_scenario.values():
            keys.extend(k for k in figures if k not in keys)
        if not keys:
            continue
        head = "".join(f'<th scope="col">{html.escape(s)}</th>' for s in scenarios)
        rows = "".join(
            f'<tr><th scope="row">{html.escape(k.replace("_", " "))}</th>'
            + "".join(
                f'<td class="num">{html.escape(by_scenario.get(s, {}).get(k, ""))}</td>'
                for s in scenarios
            )
            + "</tr>"
            for k in keys
        )
        sections.append(
            f"<h3>{html.escape(notebook)}</h3><table><thead><tr><th>figure</th>{head}</tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
    if not sections:
        return ""
    return "<h2>Scenario comparison</h2>" + "".join(sections)


def write_index(output_dir: str | Path) -> Path:
    """Write ``index.html`` linking every report found under ``output_dir``."""
    out = Path(output_dir)
    records = collect(out)
    rows = []
    for r in records:
        report = (
            f'<a href="{html.escape(r["html"])}">{html.escape(r["notebook"])}</a>'
            if r["html"]
            else html.escape(r["notebook"])
        )
        executed = f'<a href="{html.escape(r["ipynb"])}">.ipynb</a>' if r["ipynb"] else ""
        status = html.escape(r["status"])
        if r["status"] == "failed":
            kept = " (previous report kept)" if r["html"] else ""
            status += f"{kept}<br><small>{html.escape(r['error'] or '')}</small>"
        seconds = f"{r['seconds']:.1f} s" if isinstance(r["seconds"], (int, float)) else ""
        rows.append(
            "<tr>"
            f"<td>{html.escape(r['scenario'])}</td><td>{report}</td><td>{executed}</td>"
            f'<td class="status-{html.escape(r["status"])}">{status}</td>'
            f'<td class="num">{seconds}</td><td>{_figures_list(r["figures"])}</td>'
            "</tr>"
        )
    body = "\n".join(rows) if rows else '<tr><td colspan="6">No reports yet.</td></tr>'
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>influence_kit reports</title>
<style>{INDEX_CSS}</style></head>
<body>
<h1>influence_kit reports</h1>
<p>Word-of-mouth influence impressions: Forrester's "Peer Influence Analysis" (2010) rebuilt from
explicit scenario files, stress-tested and measured. Rendered by influence_kit
{html.escape(__version__)}.</p>
<h2>Reports</h2>
<table>
<thead><tr><th>Scenario</th><th>Report</th><th>Notebook</th><th>Status</th>
<th>Render time</th><th>Key figures</th></tr></thead>
<tbody>
{body}
</tbody></table>
{_comparison(records)}
</body></html>
"""
    index = out / "index.html"
    tmp = index.with_name("index.html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, index)
    return index
