"""The interactive explorer: ipywidgets controls and views, thin calls into :func:`explore`.

:func:`build_explorer` makes a scenario menu, fields for readers per post (overall and
per post type), the two channel totals and the concentration threshold, and views of
the headline, its decomposition, the break-even readers per post, the Monte Carlo
interval of the total, the explorer's figure and a link that downloads the current
state as a scenario YAML file. Every change calls :meth:`Explorer.update`, which calls
:func:`~influence_kit.explorer.explore`,
:func:`~influence_kit.sensitivity.montecarlo.monte_carlo` and
:func:`~influence_kit.plots.explore.explore_figure`; all computing is in those tested
functions. The same explorer runs in JupyterLab (``notebooks/00-explore``) and as a
standalone Voila app (:func:`explorer_app`, served by ``influence-kit explore``).
ipywidgets is imported only when an explorer is built, so the package imports without it.

Typed values
------------
Numbers are typed as text (``150``, ``256,000,000,000``, ``1.64e9``) and parsed by
:func:`parse_number`. A value that is empty, not a number, negative or infinite shows an
inline message next to its field and the explorer keeps its last good state: it never
shows a traceback.

Readers per post: assumed or derived
------------------------------------
Readers per post is Forrester's assumption (150). The scenario's audience model can derive
it instead (:func:`audience_model_readers`). The "assumed / derived" toggle is enabled only
for a scenario with an audience model, and starts on "derived" for a scenario whose account
already uses the derived figure; the toggle, like every field, becomes overrides of the
scenario (:func:`~influence_kit.explorer.explored_overrides`), so what the explorer shows is
what ``--set`` gives on the command line.

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

import base64
import html
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..accounting import derived_quantities, effective_inputs
from ..constants import DEFAULT_SEED
from ..errors import InfluenceKitError, ParameterError
from ..formatting import Unit, format_count, format_quantity
from ..parsing import parse_number
from ..scenarios import (
    Scenario,
    check_overrides,
    list_scenarios,
    load_scenario,
    scenario_file,
)
from ..sensitivity import readers_range
from ..sensitivity.montecarlo import MonteCarloResult, monte_carlo
from ..validation import check_share
from .state import ExploreState, explore, explored_overrides

#: Environment variable forcing :func:`live_frontend` to true (``1``) or false (``0``).
WIDGETS_ENV = "INFLUENCE_KIT_WIDGETS"

#: Environment variable listing extra scenario files for :func:`explorer_app`: a JSON
#: list of paths (any character allowed, ``:`` too), or one path that does not start
#: with ``[``; ``influence-kit explore --scenario`` sets it (see :func:`listed_scenarios`).
SCENARIOS_ENV = "INFLUENCE_KIT_SCENARIOS"

#: Slider ranges: (minimum, maximum, step) for readers per post and the threshold.
READERS_RANGE = (0.0, 1500.0, 5.0)
THRESHOLD_RANGE = (0.5, 0.95, 0.01)

#: Monte Carlo draws behind the interval of the total (small, so an update stays fast).
EXPLORER_DRAWS = 2000

#: The two sources of readers per post offered by the toggle.
READERS_MODES = ("assumed", "derived from the audience model")

#: The numeric fields typed as text: key -> label.
NUMBER_FIELDS: dict[str, str] = {
    "readers_per_post": "Readers per post",
    "network_impressions": "Network impressions / year",
    "influence_posts": "Influence posts / year",
}

#: Rows of the decomposition table: account key -> (label, unit of :func:`format_quantity`).
DECOMPOSITION_ROWS: dict[str, tuple[str, Unit]] = {
    "network_impressions": ("Network impressions (updates x audience)", "impressions"),
    "post_impressions": ("Post impressions (posts x readers per post)", "impressions"),
    "total_impressions": ("Total influence impressions", "impressions"),
    "post_share_of_total": ("Posts' share of the total", "share"),
    "share_of_advertiser_impressions": ("Share of online advertising impressions", "share"),
    "impressions_per_online_adult": ("Impressions per online adult", "count"),
}

_STYLE = {"description_width": "14rem"}


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


def number_text(value: float) -> str:
    """A number as a field shows it: exact, with thousands separators (``256,000,000,000``).

    :func:`parse_number` reads it back to the same float.

    Examples
    --------
    >>> number_text(1.64e9), number_text(150.0), number_text(0.25)
    ('1,640,000,000', '150', '0.25')
    """
    number = float(value)
    if number.is_integer() and abs(number) < 1e16:
        return format_count(int(number))
    return repr(number)


def audience_model_readers(scenario: Scenario) -> float | None:
    """Readers per post derived by the scenario's audience model (``None`` without one)."""
    derived = derived_quantities(scenario)
    return float(derived["readers_per_post"].base) if derived else None


def scenario_yaml(document: Mapping[str, Any], origin: str = "") -> str:
    """A scenario document as YAML text that :func:`~influence_kit.scenarios.load_scenario` reads.

    Floats are written with their shortest exact representation, so the scenario
    loaded back gives the same figures to the last digit.
    """
    import yaml

    head = "# Saved by the influence_kit explorer"
    head += f" from {origin}\n" if origin else "\n"
    return head + yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True)


@dataclass(eq=False)
class Explorer:
    """The explorer's widgets, its current state and the callback of every control.

    Build one with :func:`build_explorer` and display :attr:`widget`. Changing a
    control calls :meth:`update`; the views are ipywidgets (HTML, Image) whose values
    can be read in Python, which is how the unit tests check what a reader sees.

    Attributes
    ----------
    scenarios
        Menu label -> scenario file.
    controls
        ``scenario``, ``readers_mode``, ``readers_slider``, ``readers_per_post``,
        ``network_impressions``, ``influence_posts`` and ``threshold`` widgets, plus
        ``readers_<post type>`` fields of the current scenario's post types.
    views
        ``headline``, ``decomposition``, ``breakeven``, ``interval``, ``figure``
        (an Image), ``download`` and ``message`` widgets.
    widget
        The whole explorer (a ``VBox``).
    panel
        Person table for the segments and the Lorenz curve (every scenario), or
        ``None`` to load the one for each scenario.
    overrides
        Scenario overrides (dotted key to value) applied to every scenario when it is read.
    draws, seed
        Monte Carlo draws and seed of the interval of the total.
    state
        The last good state (``None`` only before the first good update).
    interval
        The Monte Carlo result of the last good state (``None`` if it could not be run).
    errors
        Field -> message of the values that cannot be used now (empty when all are good).
    """

    scenarios: dict[str, Path]
    controls: dict[str, Any]
    views: dict[str, Any]
    widget: Any
    panel: pd.DataFrame | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    draws: int = EXPLORER_DRAWS
    seed: int = DEFAULT_SEED
    state: ExploreState | None = None
    interval: MonteCarloResult | None = None
    errors: dict[str, str] = field(default_factory=dict)
    _types_box: Any = field(default=None, repr=False)
    _scenarios: dict[str, Scenario] = field(default_factory=dict, repr=False)
    _panels: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _syncing: bool = field(default=False, repr=False)

    # -- scenario and panel ---------------------------------------------------------

    @property
    def label(self) -> str:
        """The menu label of the current scenario."""
        return str(self.controls["scenario"].value)

    def base_scenario(self, label: str) -> Scenario:
        """The validated scenario of a menu entry with :attr:`overrides` (read once)."""
        if label not in self._scenarios:
            self._scenarios[label] = load_scenario(self.scenarios[label], self.overrides)
        return self._scenarios[label]

    def panel_for(self, scenario: Scenario) -> pd.DataFrame:
        """The person table (:attr:`panel`, or loaded once per scenario)."""
        if self.panel is not None:
            return self.panel
        if scenario.name not in self._panels:
            from ..population import load_panel

            self._panels[scenario.name] = load_panel(scenario)
        return self._panels[scenario.name]

    # -- controls -----------------------------------------------------------------

    def select(self, label: str, *, threshold: float | None = None) -> ExploreState | None:
        """Switch to a scenario: its values in every field, its post types, one update.

        The threshold becomes ``threshold``, else the scenario's
        ``segments.concentration_share`` (unchanged when it has none).
        """
        import ipywidgets as w

        scenario = self.base_scenario(label)
        self._syncing = True
        try:
            self.controls["scenario"].value = label
            inputs = effective_inputs(scenario)
            for name in NUMBER_FIELDS:
                self.controls[name].value = number_text(float(inputs[name].base))
                self.controls[name].disabled = False
            slider = self.controls["readers_slider"]
            low, high = readers_range(scenario)  # the range the sweep and tornado use too
            slider.max = max(high, slider.max)
            slider.min = low
            slider.max = high
            slider.step = (high - low) / 200
            _set_within(slider, float(inputs.readers_per_post.base))
            slider.disabled = False
            if threshold is None and scenario.segments is not None:
                threshold = float(scenario.segments.concentration_share.base)
            if threshold is not None:
                share = check_share("threshold", threshold, closed=False)
                _set_within(self.controls["threshold"], share)
            mode = self.controls["readers_mode"]
            mode.value = READERS_MODES[1 if "readers_per_post" in scenario.derived else 0]
            mode.disabled = audience_model_readers(scenario) is None
            for key in [k for k in self.controls if k.startswith("readers_by_type.")]:
                del self.controls[key]
            fields = []
            for post_type in scenario.post_type_shares:
                own = scenario.readers_per_post_by_type.get(post_type)
                text = w.Text(
                    value="" if own is None else number_text(float(own.base)),
                    placeholder="same as readers per post",
                    description=f"… {post_type.replace('_', ' ')}",
                    continuous_update=False,
                    style=_STYLE,
                )
                text.add_class(f"ik-readers-{post_type.replace('_', '-')}")
                text.observe(self.update, names="value")
                self.controls[f"readers_by_type.{post_type}"] = text
                fields.append(text)
            self._types_box.children = fields
        finally:
            self._syncing = False
        return self.refresh()

    def update(self, change: Mapping[str, Any] | None = None) -> ExploreState | None:
        """Callback of every control: read the controls, recompute and show the state.

        A value that cannot be used shows an inline message and keeps the last good
        state; so does a scenario that cannot be computed.
        """
        if self._syncing:
            return self.state
        owner = None if change is None else change.get("owner")
        new = None if change is None else change.get("new")
        if owner is self.controls["scenario"]:
            return self.select(str(new))
        self._syncing = True
        try:
            if owner is self.controls["readers_slider"]:
                self.controls["readers_per_post"].value = number_text(float(str(new)))
            elif owner is self.controls["readers_per_post"]:
                try:
                    readers = parse_number("readers per post", str(new))
                except ParameterError:
                    pass
                else:
                    _set_within(self.controls["readers_slider"], readers)
            elif owner is self.controls["readers_mode"]:
                self._apply_mode()
        finally:
            self._syncing = False
        return self.refresh()

    def _apply_mode(self) -> None:
        derived = self.controls["readers_mode"].value == READERS_MODES[1]
        value = audience_model_readers(self.base_scenario(self.label)) if derived else None
        if value is not None:
            self.controls["readers_per_post"].value = number_text(value)
            _set_within(self.controls["readers_slider"], value)
        elif not derived:
            base = float(self.base_scenario(self.label).readers_per_post.base)
            self.controls["readers_per_post"].value = number_text(base)
            _set_within(self.controls["readers_slider"], base)
        self.controls["readers_per_post"].disabled = value is not None
        self.controls["readers_slider"].disabled = value is not None

    def values(self) -> tuple[dict[str, float], dict[str, float | None], dict[str, str]]:
        """The controls' values: numbers, readers per post type, and messages of bad values."""
        numbers: dict[str, float] = {}
        by_type: dict[str, float | None] = {}
        errors: dict[str, str] = {}
        for name, label in NUMBER_FIELDS.items():
            try:
                numbers[name] = parse_number(label, self.controls[name].value)
            except ParameterError as err:
                errors[name] = str(err)
        for key, control in self.controls.items():
            if not key.startswith("readers_by_type."):
                continue
            post_type = key.removeprefix("readers_by_type.")
            if not str(control.value).strip():
                by_type[post_type] = None
                continue
            try:
                by_type[post_type] = parse_number(
                    f"readers per {post_type.replace('_', ' ')}", control.value
                )
            except ParameterError as err:
                errors[key] = str(err)
        return numbers, by_type, errors

    # -- computing ----------------------------------------------------------------

    def refresh(self) -> ExploreState | None:
        """Recompute from the controls and show the result (or the messages).

        The controls become overrides of the menu entry's scenario by
        :func:`~influence_kit.explorer.explored_overrides` and go through
        :func:`~influence_kit.explorer.explore`: the path ``--set`` takes on the command line.
        """
        numbers, by_type, errors = self.values()
        self.errors = errors
        if not errors:
            threshold = float(self.controls["threshold"].value)
            mode = self.controls["readers_mode"]
            base = self.base_scenario(self.label)
            try:
                overrides, notes = explored_overrides(
                    base,
                    readers_per_post=numbers["readers_per_post"],
                    network_impressions=numbers["network_impressions"],
                    influence_posts=numbers["influence_posts"],
                    readers_by_type=by_type,
                    threshold=threshold,
                    derive_readers=None if mode.disabled else mode.value == READERS_MODES[1],
                )
                state = explore(
                    base,
                    overrides=overrides,
                    threshold=threshold,
                    panel=self.panel_for(base),
                    notes=notes,
                )
            except InfluenceKitError as err:
                self.errors = {"scenario": str(err)}
            else:
                self.state = state
                self._show_mode(state.scenario)
                try:
                    self.interval = monte_carlo(state.scenario, draws=self.draws, seed=self.seed)
                except InfluenceKitError:
                    self.interval = None
                self._show()
        self._show_messages()
        return self.state

    def _show_mode(self, scenario: Scenario) -> None:
        """Keep the assumed/derived toggle on what the computed scenario does."""
        mode = self.controls["readers_mode"]
        shown = READERS_MODES[1 if "readers_per_post" in scenario.derived else 0]
        if not mode.disabled and mode.value != shown:
            self._syncing = True
            try:
                mode.value = shown
                self.controls["readers_per_post"].disabled = shown == READERS_MODES[1]
                self.controls["readers_slider"].disabled = shown == READERS_MODES[1]
            finally:
                self._syncing = False

    def yaml_text(self) -> str:
        """The current state as a scenario YAML file (see :func:`scenario_yaml`)."""
        assert self.state is not None
        return scenario_yaml(self.state.scenario.to_dict(), origin=self.scenarios[self.label].name)

    # -- views --------------------------------------------------------------------

    def _show_messages(self) -> None:
        for key, control in self.controls.items():
            if key in NUMBER_FIELDS or key.startswith("readers_by_type."):
                if key in self.errors:
                    control.add_class("ik-invalid")
                else:
                    control.remove_class("ik-invalid")
        message = self.views["message"]
        notes = (
            ""
            if self.state is None or self.errors
            else "".join(f'<p class="ik-note">{html.escape(note)}</p>' for note in self.state.notes)
        )
        if self.errors:
            items = "".join(f"<li>{html.escape(text)}</li>" for text in self.errors.values())
            message.value = (
                '<div class="ik-message" role="alert" style="color:#a00">'
                f"<b>Not updated:</b><ul>{items}</ul>The figures below are for the last "
                "values that worked.</div>"
            )
        else:
            message.value = notes

    def _show(self) -> None:
        """Fill the views from the state: the numbers (the headline last of them), then the figure.

        Every number, and the download, is up to date once the headline has changed.
        """
        state = self.state
        assert state is not None
        acc = state.account
        figures = acc.to_dict()
        rows = "".join(
            f'<tr><th style="text-align:left">{html.escape(label)}</th>'
            f'<td data-key="{key}" data-value="{float(figures[key])!r}" '
            f'style="text-align:right">{format_quantity(figures[key], unit)}</td></tr>'
            for key, (label, unit) in DECOMPOSITION_ROWS.items()
        )
        decomposition = f'<table class="ik-decomposition">{rows}</table>'
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(item.label)}</th>"
            f'<td data-key="{item.key}" style="text-align:right">'
            f"{_readers_text(item.readers_per_post)}</td></tr>"
            for item in state.breakevens.items
        )
        breakeven = f'<b>Break-even readers per post</b><table class="ik-breakeven">{rows}</table>'
        encoded = base64.b64encode(self.yaml_text().encode("utf-8")).decode("ascii")
        filename = html.escape(f"{state.scenario_name}-explored.yaml")
        download = (
            f'<a class="ik-download-link" download="{filename}" '
            f'href="data:application/x-yaml;base64,{encoded}" '
            'style="display:inline-block;padding:0.3em 0.8em;border:1px solid #888;'
            'border-radius:4px;text-decoration:none">Download scenario YAML</a>'
        )
        headline = (
            '<p class="ik-headline" style="font-size:1.6em;margin:0.3em 0">'
            f'<b class="ik-headline-value" data-value="{acc.total_impressions!r}">'
            f"{format_quantity(acc.total_impressions, 'impressions')}</b> influence impressions "
            f"a year in <i>{html.escape(state.scenario_name)}</i> with "
            f"{format_quantity(acc.readers_per_post, 'readers')} readers per post</p>"
        )
        self.views["decomposition"].value = decomposition
        self.views["breakeven"].value = breakeven
        self.views["interval"].value = self._interval_html()
        self.views["download"].value = download
        self.views["headline"].value = headline
        # The figure takes longest to draw: it follows the numbers.
        self.views["figure"].value = _figure_png(state)

    def _interval_html(self) -> str:
        mc = self.interval
        if mc is None:
            return '<p class="ik-interval">Monte Carlo interval: not available</p>'
        interval = mc.conf_int(0.05).iloc[0]
        return (
            f'<p class="ik-interval" data-lower="{float(interval["lower"])!r}" '
            f'data-upper="{float(interval["upper"])!r}">'
            f"<b>95% Monte Carlo interval of the total:</b> "
            f"{format_quantity(interval['lower'], 'impressions')} to "
            f"{format_quantity(interval['upper'], 'impressions')} "
            f"({format_count(mc.draws)} draws of the scenario's input ranges, seed {mc.seed})</p>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _readers_text(readers: float | None) -> str:
    return "never" if readers is None else format_quantity(readers, "readers")


def _figure_png(state: ExploreState) -> bytes:
    """The explorer's figure of a state as PNG bytes (the figure is closed)."""
    import matplotlib.pyplot as plt

    from .figure import explore_figure

    figure = explore_figure(state)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72)
    plt.close(figure)
    return buffer.getvalue()


def _default_threshold() -> float:
    """The concentration threshold of the default scenario (``segments.concentration_share``)."""
    from ..constants import DEFAULT_SCENARIO
    from ..segments.membership import resolve_concentration

    return resolve_concentration(None, load_scenario(DEFAULT_SCENARIO))


def _set_within(control: Any, value: float) -> None:
    """Set a slider's value, widening its range if the value lies outside it."""
    control.min = min(control.min, value)
    control.max = max(control.max, value)
    control.value = value


def menu(scenarios: Iterable[str | Path]) -> dict[str, Path]:
    """Menu label -> scenario file for shipped scenario names and scenario files.

    A shipped name is its own label; a file is labelled by its name without
    ``.yaml`` (its path when that label is taken).
    """
    out: dict[str, Path] = {}
    shipped = set(list_scenarios())
    for item in scenarios:
        path = scenario_file(item)
        label = str(item) if str(item) in shipped and not Path(item).is_file() else path.stem
        if label in out and out[label].resolve() != path.resolve():
            label = str(path)
        out.setdefault(label, path)
    return out


def build_explorer(
    scenarios: Iterable[str | Path],
    panel: pd.DataFrame | None = None,
    *,
    initial: str | Path | None = None,
    threshold: float | None = None,
    overrides: Mapping[str, Any] | None = None,
    draws: int = EXPLORER_DRAWS,
    seed: int = DEFAULT_SEED,
) -> Explorer:
    """Create the explorer's controls and views, wired to :meth:`Explorer.update`.

    Parameters
    ----------
    scenarios
        Shipped scenario names and scenario files offered in the menu (see :func:`menu`).
    panel
        Person table for every scenario; ``None`` loads the matching panel for
        each scenario when it is first chosen.
    initial
        The scenario shown first (added to the menu if missing); default the first.
    threshold
        Initial concentration threshold (``None``: the initial scenario's
        ``segments.concentration_share``).
    overrides
        Scenario overrides (dotted key to value) applied to every scenario.
    draws, seed
        Monte Carlo draws and seed of the interval of the total.

    Returns
    -------
    Explorer
        Already computed for the initial scenario (``explorer.state``).

    Raises
    ------
    ParameterError
        If no scenario is given.
    ScenarioError
        If a scenario is missing or the initial one is invalid.
    ImportError
        If ipywidgets is not installed.
    """
    import ipywidgets as w

    items = list(scenarios)
    if initial is not None:
        items.insert(0, initial)
    if not items:
        raise ParameterError("build_explorer needs at least one scenario")
    entries = menu(items)
    first = next(iter(entries))
    layout = w.Layout(width="40rem")
    controls: dict[str, Any] = {
        "scenario": w.Dropdown(
            options=list(entries), value=first, description="Scenario", style=_STYLE
        ),
        "readers_mode": w.ToggleButtons(
            options=list(READERS_MODES),
            value=READERS_MODES[0],
            description="Readers per post are",
            disabled=True,
            tooltips=[
                "the scenario's assumption (Forrester: 150)",
                "derived from the audience model (when the scenario has one)",
            ],
            style=_STYLE,
        ),
        "readers_slider": w.FloatSlider(
            min=READERS_RANGE[0],
            max=READERS_RANGE[1],
            step=READERS_RANGE[2],
            description="Readers per post",
            readout=False,
            continuous_update=False,
            style=_STYLE,
            layout=layout,
        ),
    }
    for name, label in NUMBER_FIELDS.items():
        controls[name] = w.Text(
            description=label if name != "readers_per_post" else "… exactly",
            continuous_update=False,
            style=_STYLE,
        )
        controls[name].add_class(f"ik-{name.replace('_', '-')}")
    controls["threshold"] = w.FloatSlider(
        # a scenario without a segments block starts from the default scenario's threshold
        value=_default_threshold(),
        min=THRESHOLD_RANGE[0],
        max=THRESHOLD_RANGE[1],
        step=THRESHOLD_RANGE[2],
        description="Top groups hold (threshold)",
        readout_format=".0%",
        continuous_update=False,
        style=_STYLE,
        layout=layout,
    )
    controls["scenario"].add_class("ik-scenario")
    controls["readers_slider"].add_class("ik-readers-slider")
    controls["threshold"].add_class("ik-threshold")
    views: dict[str, Any] = {
        name: w.HTML() for name in ("message", "headline", "decomposition", "breakeven")
    }
    views["interval"] = w.HTML()
    views["download"] = w.HTML()
    views["figure"] = w.Image(format="png", layout=w.Layout(max_width="100%"))
    for name, view in views.items():
        view.add_class(f"ik-{name}")
    types_box = w.VBox([])
    box = w.VBox(
        [
            controls["scenario"],
            controls["readers_mode"],
            controls["readers_slider"],
            controls["readers_per_post"],
            types_box,
            controls["network_impressions"],
            controls["influence_posts"],
            controls["threshold"],
            views["message"],
            views["headline"],
            w.HBox([views["decomposition"], views["breakeven"]]),
            views["interval"],
            views["download"],
            views["figure"],
        ]
    )
    explorer = Explorer(
        scenarios=entries,
        controls=controls,
        views=views,
        widget=box,
        panel=panel,
        overrides=check_overrides(overrides),
        draws=draws,
        seed=seed,
        _types_box=types_box,
    )
    for name in ("scenario", "readers_mode", "readers_slider", "threshold", *NUMBER_FIELDS):
        controls[name].observe(explorer.update, names="value")
    explorer.select(first, threshold=threshold)
    return explorer


def listed_scenarios(text: str) -> list[str]:
    """The scenario files an :data:`SCENARIOS_ENV` value lists.

    Parameters
    ----------
    text : str
        A JSON list of paths (what ``influence-kit explore`` writes), one path that does
        not start with ``[``, or empty (none).

    Returns
    -------
    list of str
        The paths, in order; never split on :data:`os.pathsep`.

    Raises
    ------
    ParameterError
        If ``text`` starts with ``[`` but is not a JSON list of non-empty strings.
    """
    import json

    text = text.strip()
    if not text:
        return []
    if not text.startswith("["):
        return [text]
    try:
        paths = json.loads(text)
    except ValueError:
        paths = None
    if not isinstance(paths, list) or not all(isinstance(p, str) and p for p in paths):
        raise ParameterError(
            f"{SCENARIOS_ENV} must be a JSON list of scenario file paths, got {text!r}"
        )
    return paths


def explorer_app(extra: Iterable[str | Path] | None = None) -> Explorer:
    """The explorer of the Voila app: every shipped scenario plus ``extra`` files.

    ``extra`` defaults to the files listed in the environment variable
    :data:`SCENARIOS_ENV` (what ``influence-kit explore --scenario`` passes); the first
    of them is shown first. The segments and the Lorenz curve use the shipped panel,
    read once.
    """
    from ..population import load_panel

    if extra is None:
        extra = listed_scenarios(os.environ.get(SCENARIOS_ENV, ""))
    files = [Path(p) for p in extra]
    return build_explorer(
        [*list_scenarios(), *files],
        load_panel(),
        initial=files[0] if files else None,
    )
