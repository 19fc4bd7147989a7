"""Render the notebooks into a site of shareable HTML reports.

For each scenario and notebook, :func:`render_reports` executes the notebook with
papermill (kernel named explicitly, IPC transport so parallel kernels never
collide on ports), converts it to HTML with code hidden and a summary box of its
key figures on top, and writes under ``output_dir``::

    <scenario-stem>/<notebook-stem>.html    the report (inputs hidden)
    <scenario-stem>/<notebook-stem>.ipynb   the executed notebook
    <scenario-stem>/summary.json            key figures of every notebook
    index.html                              every report, its status and key figures

Each notebook renders in a private temporary folder and its files replace the
previous ones only once everything succeeded, so a failing notebook never
leaves a partial report behind or overwrites a good one. Unchanged inputs
(notebook, scenario, data, overrides, seed, package version) are not rendered
again unless forced.

Modules: :mod:`.execute` (papermill), :mod:`.html` (nbconvert and page
decoration), :mod:`.site` (index page), :mod:`.batch` (many scenarios x notebooks).
"""

from ..constants import DEFAULT_SEED
from .batch import NotebookRun, RenderResult, discover_notebooks, render_reports
from .execute import KERNEL_NAME, execute_notebook, refresh_notebook
from .html import notebook_to_html
from .site import write_index

__all__ = [
    "DEFAULT_SEED",
    "KERNEL_NAME",
    "NotebookRun",
    "RenderResult",
    "discover_notebooks",
    "execute_notebook",
    "notebook_to_html",
    "refresh_notebook",
    "render_reports",
    "write_index",
]
