"""ipywidgets controls for ``notebooks/00-explore.ipynb``: thin calls into :func:`explore`.

:func:`build_explorer` makes a scenario menu, sliders for readers per post, the
two channel totals and the concentration threshold, and an output area. Every
change calls :meth:`Explorer.update`, which calls
:func:`~influence_kit.explore.explore` and
:func:`~influence_kit.plots.explore.explore_figure` and shows the result; all
computing is in those tested functions. ipywidgets is imported only when an
explorer is built, so the package imports without it.

Widgets in executed notebooks
-----------------------------
A widget's output is a ``application/vnd.jupyter.widget-view+json`` reference
to a model with a new random id on every run, and headless executors
(papermill, nbclient, nbconvert, nbval) also store the widget state in the
notebook's metadata. :func:`live_frontend` therefore tells the notebook
whether a person is watching: it is true only inside an IPython kernel whose
current request comes from a frontend that accepts keyboard input
(``allow_stdin``). JupyterLab, Notebook and VS Code send that flag; papermill,
nbclient, nbconvert and nbval never do, since nobody could answer. The
environment variable ``INFLUENCE_KIT_WIDGETS`` overrides the test: ``1`` shows
the widgets anyway (Voila, which executes like nbclient), ``0`` never does.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InfluenceKitError
from .explore import ExploreState, explore
from .formatting import escape_markdown
from .scenarios import Scenario, load_scenario
from .validation import check_share

#: Environment variable forcing :func:`live_frontend` to true (``1``) or false (``0``).
WIDGETS_ENV = "INFLUENCE_KIT_WIDGETS"

#: Slider ranges: (minimum, maximum, step) for readers per post and the threshold,
#: and (smallest, largest) power of ten for the channel totals.
READERS_RANGE = (0.0, 1500.0, 5.0)
THRESHOLD_RANGE = (0.5, 0.95, 0.01)
NETWORK_EXPONENTS = (9.0, 13.0)
POSTS_EXPONENTS = (7.0, 11.0)


def live_frontend() -> bool:
    """Whether the code runs for a person in a frontend that can show widgets.

    True inside an IPython kernel whose current execute request allows stdin
    (JupyterLab, Notebook, VS Code); false in plain Python, terminal IPython,
    and headless executors (papermill, nbclient, nbconvert, nbval), which never
    allow stdin. ``INFLUENCE_KIT_WIDGETS=1`` (or ``0``) overrides the test.
    """
    forced = os.environ.get(WIDGETS_ENV, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return False
    try:
        parent = kernel.get_parent("shell")
    except (AttributeError, TypeError):  # pragma: no cover - very old ipykernel
        parent = getattr(kernel, "_parent_header", {})
    content = parent.get("content", {}) if isinstance(parent, Mapping) else {}
    return bool(content.get("allow_stdin", False))


@dataclass(eq=False)
class Explorer:
    """The explorer's widgets, the current :class:`ExploreState` and its callback.

    Build one with :func:`build_explorer`; display it (``display(explorer)``)
    in JupyterLab. Changing a control calls :meth:`update`.

    Attributes
    ----------
    scenarios
        Scenario label (file stem) -> path.
    controls
        ``scenario``, ``readers_per_post``, ``network_impressions``,
        ``influence_posts`` and ``threshold`` widgets.
    output
        The ``Output`` widget the tables and figure are shown in.
    widget
        The whole explorer (a ``VBox``).
    panel
        Person table used for every scenario, or ``None`` to load the one for
        each scenario with :func:`~influence_kit.population.load_panel`.
    overrides
        Scenario overrides applied to every scenario when it is loaded.
    state
        The last computed state (``None`` until the first update or after an error).
    error
        The message of the last error (``""`` when the last update worked).
    """

    scenarios: dict[str, Path]
    controls: dict[str, Any]
    output: Any
    widget: Any
    panel: pd.DataFrame | None = None
    overrides: tuple[str, ...] = ()
    state: ExploreState | None = None
    error: str = ""
    _panels: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _loaded: dict[str, Scenario] = field(default_factory=dict, repr=False)
    _syncing: bool = field(default=False, repr=False)

    def scenario(self, label: str) -> Scenario:
        """The scenario of a menu entry (loaded once, with :attr:`overrides`)."""
        if label not in self._loaded:
            self._loaded[label] = load_scenario(self.scenarios[label], self.overrides)
        return self._loaded[label]

    def panel_for(self, label: str) -> pd.DataFrame:
        """The person table for a menu entry (:attr:`panel`, or loaded once per scenario)."""
        if self.panel is not None:
            return self.panel
        if label not in self._panels:
            from .population import load_panel

            self._panels[label] = load_panel(self.scenario(label))
        return self._panels[label]

    def select(self, label: str) -> None:
        """Switch to a scenario and set the sliders to its values (one update)."""
        self._syncing = True
        try:
            self.controls["scenario"].value = label
            scenario = self.scenario(label)
            for name in ("readers_per_post", "network_impressions", "influence_posts"):
                _set_within(self.controls[name], float(getattr(scenario, name).base))
        finally:
            self._syncing = False
        self.update()

    def compute(self) -> ExploreState:
        """The state for the controls' current values (a call to :func:`explore`)."""
        label = self.controls["scenario"].value
        return explore(
            self.scenario(label),
            readers_per_post=self.controls["readers_per_post"].value,
            network_impressions=self.controls["network_impressions"].value,
            influence_posts=self.controls["influence_posts"].value,
            threshold=self.controls["threshold"].value,
            panel=self.panel_for(label),
        )

    def update(self, change: Mapping[str, Any] | None = None) -> ExploreState | None:
        """Callback of every control: recompute the state and show it.

        Errors of the toolkit (:class:`~influence_kit.errors.InfluenceKitError`)
        are shown in the output area instead of the figure.
        """
        if self._syncing:
            return self.state
        if change is not None and change.get("owner") is self.controls["scenario"]:
            self.select(change["new"])
            return self.state
        try:
            self.state = self.compute()
            self.error = ""
        except InfluenceKitError as err:
            self.state = None
            self.error = str(err)
        self._show()
        return self.state

    def _show(self) -> None:
        from IPython import get_ipython

        if get_ipython() is None:
            return
        import matplotlib.pyplot as plt
        from IPython.display import Markdown, display

        from .plots.explore import explore_figure

        with self.output:
            self.output.clear_output(wait=True)
            if self.state is None:
                display(Markdown(f"**Cannot compute:** {escape_markdown(self.error)}"))
                return
            figure = explore_figure(self.state)
            display(figure)
            plt.close(figure)
            display(self.state.summary().set_index("figure"))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _set_within(control: Any, value: float) -> None:
    """Set a slider's value, widening its range if the value lies outside it."""
    if hasattr(control, "base"):  # FloatLogSlider: min and max are exponents
        if value > 0:
            exponent = math.log(value, control.base)
            control.min = min(control.min, math.floor(exponent))
            control.max = max(control.max, math.ceil(exponent))
    else:
        control.min = min(control.min, value)
        control.max = max(control.max, value)
    control.value = value


def build_explorer(
    scenario_paths: Iterable[str | Path],
    panel: pd.DataFrame | None = None,
    *,
    initial: str | Path | None = None,
    threshold: float | None = None,
    overrides: Sequence[str] = (),
) -> Explorer:
    """Create the explorer's controls and output, wired to :meth:`Explorer.update`.

    Parameters
    ----------
    scenario_paths
        Scenario files offered in the menu (labelled by file name stem).
    panel
        Person table for every scenario; ``None`` loads the matching panel for
        each scenario when it is first chosen.
    initial
        The scenario shown first (added to the menu if missing); default the
        first path.
    threshold
        Initial concentration threshold (``None``: the initial scenario's
        ``segments.concentration_share``).
    overrides
        Scenario overrides applied to every scenario.

    Returns
    -------
    Explorer
        Already computed for the initial scenario (``explorer.state``).

    Raises
    ------
    ParameterError
        If no scenario is given.
    ImportError
        If ipywidgets is not installed.
    """
    import ipywidgets as w

    from .errors import ParameterError
    from .segments.membership import resolve_concentration

    paths = [Path(p) for p in scenario_paths]
    if initial is not None and Path(initial).resolve() not in [p.resolve() for p in paths]:
        paths.insert(0, Path(initial))
    if not paths:
        raise ParameterError("build_explorer needs at least one scenario path")
    scenarios = {p.stem: p for p in paths}
    first = Path(initial).stem if initial is not None else paths[0].stem
    start = load_scenario(scenarios[first], list(overrides))
    share = check_share(
        "threshold",
        threshold if threshold is not None else resolve_concentration(None, start),
        closed=False,
    )

    style = {"description_width": "14rem"}
    layout = w.Layout(width="38rem")
    controls: dict[str, Any] = {
        "scenario": w.Dropdown(
            options=list(scenarios), value=first, description="Scenario", style=style
        ),
        "readers_per_post": w.FloatSlider(
            value=float(start.readers_per_post.base),
            min=READERS_RANGE[0],
            max=READERS_RANGE[1],
            step=READERS_RANGE[2],
            description="Readers per post",
            readout_format=",.0f",
            continuous_update=False,
            style=style,
            layout=layout,
        ),
        "network_impressions": w.FloatLogSlider(
            value=float(start.network_impressions.base),
            base=10,
            min=NETWORK_EXPONENTS[0],
            max=NETWORK_EXPONENTS[1],
            step=0.01,
            description="Network impressions / year",
            readout_format=".3g",
            continuous_update=False,
            style=style,
            layout=layout,
        ),
        "influence_posts": w.FloatLogSlider(
            value=float(start.influence_posts.base),
            base=10,
            min=POSTS_EXPONENTS[0],
            max=POSTS_EXPONENTS[1],
            step=0.01,
            description="Influence posts / year",
            readout_format=".3g",
            continuous_update=False,
            style=style,
            layout=layout,
        ),
        "threshold": w.FloatSlider(
            value=share,
            min=min(THRESHOLD_RANGE[0], share),
            max=max(THRESHOLD_RANGE[1], share),
            step=THRESHOLD_RANGE[2],
            description="Top groups hold (threshold)",
            readout_format=".0%",
            continuous_update=False,
            style=style,
            layout=layout,
        ),
    }
    output = w.Output()
    box = w.VBox([*controls.values(), output])
    explorer = Explorer(
        scenarios=scenarios,
        controls=controls,
        output=output,
        widget=box,
        panel=panel,
        overrides=tuple(overrides),
    )
    for control in controls.values():
        control.observe(explorer.update, names="value")
    explorer.select(first)
    return explorer
