"""Render the notebooks into a site of shareable HTML reports.

For each scenario and notebook, :func:`render_reports` executes the notebook with
papermill (kernel named explicitly, IPC transport so parallel kernels never
collide on ports), converts it to HTML with code hidden and a summary box of its
key figures on top, and writes under ``output_dir``::

    <scenario>/<notebook-stem>.html         the report (inputs hidden)
    <scenario>/<notebook-stem>.ipynb        the executed notebook
    <scenario>/summary.json                 key figures of the scenario's notebooks
    all-scenarios/<notebook-stem>.html      reports that do not depend on the scenario
    all-scenarios/summary.json              (rendered once per site, ``"scenario": null``)
    index.html                              every report, its status and key figures

A notebook declares in its metadata (``influence_kit: scenario_dependent: false`` in
the jupytext header of ``notebooks/NN-*.py``) that it does not depend on the scenario.
Each notebook renders in a private temporary folder and its files replace the
previous ones only once everything succeeded, so a failing notebook never
leaves a partial report behind or overwrites a good one. Unchanged inputs
(notebook, scenario, data, overrides, seed, package version) are not rendered
again unless forced. Nothing is written outside ``output_dir``.

Modules: :mod:`.execute` (papermill), :mod:`.html` (nbconvert and the report
page), :mod:`.site` (index page), :mod:`.templates` (the Jinja2 templates),
:mod:`.figures` (key figures' labels, units and displayed values),
:mod:`.jobs` (what to render: notebooks, scenarios, fingerprints, jobs), :mod:`.batch`
(running the jobs), :mod:`.publish` (the output folder's lock and atomic publication),
:mod:`.interrupts` (SIGINT/SIGTERM), :mod:`.notebook_support` (what the notebooks
themselves call), :mod:`.pdf` (one PDF per scenario, ``render --pdf``).
"""

from .batch import RenderTimeout, render_reports
from .execute import KERNEL_NAME, CellStopped, execute_notebook, refresh_notebook
from .html import notebook_to_html
from .interrupts import RenderInterrupted
from .jobs import NotebookRun, RenderJob, RenderResult, discover_notebooks, scenario_dependent
from .site import SHARED_DIR, write_index

__all__ = [
    "KERNEL_NAME",
    "SHARED_DIR",
    "CellStopped",
    "NotebookRun",
    "RenderInterrupted",
    "RenderJob",
    "RenderResult",
    "RenderTimeout",
    "discover_notebooks",
    "execute_notebook",
    "notebook_to_html",
    "refresh_notebook",
    "render_reports",
    "scenario_dependent",
    "write_index",
]
