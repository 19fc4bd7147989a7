"""Live Plotly charts as light widgets: Plotly's script sent once per page, each chart a figure.

:class:`PlotlyLibrary` carries ``plotly.min.js`` from the installed ``plotly`` package (so
nothing is fetched from another host) and runs it once in the page; each :class:`Chart`
holds one figure as JSON and redraws it with ``Plotly.react`` when Python sets a new one:
hover boxes, zoom and the camera button (download as SVG or PNG, see :attr:`Chart.config`)
are Plotly's own. Plotly's ``FigureWidget`` would send its 5 MB script once per chart.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["Chart", "PlotlyLibrary", "plotly_source"]

_LIBRARY_ESM = r"""
function load(model) {
  if (!globalThis.Plotly) {
    const script = document.createElement("script");
    script.textContent = model.get("source");
    document.head.append(script);
    // the packaged bundle is a UMD that names its export "moduleName" outside a module system
    globalThis.Plotly = globalThis.Plotly || globalThis.moduleName;
  }
}
function initialize({ model }) { load(model); }
function render({ model, el }) { load(model); el.style.display = "none"; }
export default { initialize, render };
"""

_CHART_ESM = r"""
function plotly() {
  return new Promise((resolve) => {
    const look = () => (globalThis.Plotly ? resolve(globalThis.Plotly) : setTimeout(look, 20));
    look();
  });
}
async function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "ik-chart";
  box.style.width = "100%";
  el.append(box);
  const Plotly = await plotly();
  const draw = () => {
    const figure = model.get("figure") || {};
    const layout = Object.assign({}, figure.layout || {}, { autosize: true });
    Plotly.react(box, figure.data || [], layout, model.get("config") || {});
  };
  draw();
  model.on("change:figure", draw);
  model.on("change:config", draw);
  const watch = new ResizeObserver(() => Plotly.Plots.resize(box));
  watch.observe(el);
  return () => { watch.disconnect(); Plotly.purge(box); };
}
export default { render };
"""


@functools.cache
def plotly_source() -> str:
    """The text of ``plotly.min.js`` shipped inside the installed ``plotly`` package."""
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8"
    )


class PlotlyLibrary(anywidget.AnyWidget):
    """Plotly's script, run once in the page (shown, it takes no room)."""

    _esm = _LIBRARY_ESM
    source = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source=plotly_source(), **kwargs)


class Chart(anywidget.AnyWidget):
    """One live chart: set :attr:`figure` (see :meth:`show`) and the page redraws it.

    Attributes
    ----------
    figure
        The figure as Plotly JSON (``{"data": [...], "layout": {...}}``).
    config
        Plotly's ``config`` (the camera button's download format, the logo).
    """

    _esm = _CHART_ESM
    figure = traitlets.Dict().tag(sync=True)
    config = traitlets.Dict().tag(sync=True)

    def show(self, fig: go.Figure) -> None:
        """Draw ``fig`` (a ``plotly.graph_objects.Figure``) in place of the current one."""
        self.figure = json.loads(fig.to_json())

    @property
    def title(self) -> str:
        """The shown figure's title text (``""`` for none)."""
        title = self.figure.get("layout", {}).get("title", {})
        return str(title.get("text", "")) if isinstance(title, dict) else str(title)
