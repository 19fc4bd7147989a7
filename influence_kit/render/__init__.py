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
:mod:`.batch` (many scenarios x notebooks), :mod:`.notebook_support` (what the
notebooks themselves call).
"""

from .batch import (
    NotebookRun,
    RenderInterrupted,
    RenderJob,
    RenderResult,
    discover_notebooks,
    render_reports,
    scenario_dependent,
)
from .execute import KERNEL_NAME, execute_notebook, refresh_notebook
from .html import notebook_to_html
from .site import SHARED_DIR, write_index

__all__ = [
    "KERNEL_NAME",
    "SHARED_DIR",
    "NotebookRun",
    "RenderInterrupted",
    "RenderJob",
    "RenderResult",
    "discover_notebooks",
    "execute_notebook",
    "notebook_to_html",
    "refresh_notebook",
    "render_reports",
    "scenario_dependent",
    "write_index",
]
