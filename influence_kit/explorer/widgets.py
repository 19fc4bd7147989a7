"""The interactive explorer: ipywidgets controls and views, thin calls into :func:`explore`.

:func:`build_explorer` makes a scenario menu, fields for readers per post (overall and
per post type), the two channel totals, the audience model's inputs and the concentration
threshold, each with a line saying what it is and where the scenario's value comes from;
and views of the headline (with its change against the scenario), its decomposition, the
break-even readers per post, the Monte Carlo interval of the total, four live charts
(:mod:`.charts`: channels, break-even, Lorenz curve with the segments, the care funnel),
links that download the state as a scenario YAML file and the account as CSV, and the
page address (:mod:`.page`): every value lives in the address's query, so a copied link
opens the same state; "Reset to scenario" returns to the scenario's values. Every change
calls :meth:`Explorer.update`, which calls :func:`~influence_kit.explorer.explore`,
:func:`~influence_kit.sensitivity.montecarlo.monte_carlo` and
:func:`~influence_kit.engagement.care_funnel`, then the chart builders of :mod:`.charts`;
all computing is in those tested functions. The same explorer runs in JupyterLab
(``notebooks/00-explore``) and as a standalone Voila app (:func:`explorer_app`, served by
``influence-kit explore``). ipywidgets is imported only when an explorer is built, so the
package imports without it.

Typed values
------------
Numbers are typed as text (``150``, ``256 billion``, ``256,000,000,000``, ``1.64e9``,
``35%`` for a share) and read by :func:`~influence_kit.parsing.parse_quantity`; a value
outside what a person could mean (:func:`~influence_kit.scenarios.check_plausible`, the
bounds the scenario schema states) is refused with a message naming the bounds. A refused
value shows an inline message and the explorer keeps its last good state: it never shows
a traceback.

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
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..accounting import account, derived_quantities, effective_inputs
from ..constants import DEFAULT_SCENARIO, DEFAULT_SEED
from ..errors import InfluenceKitError, ParameterError
from ..formatting import Unit, format_count, format_quantity, format_value
from ..parsing import parse_quantity
from ..scenarios import (
    Quantity,
    Scenario,
    check_overrides,
    check_plausible,
    list_scenarios,
    load_scenario,
    scenario_file,
)
from ..sensitivity import readers_range
from ..sensitivity.montecarlo import MonteCarloResult, monte_carlo
from ..validation import check_share
from .charts import (
    breakeven_figure,
    channel_figure,
    chart_config,
    funnel_figure,
    lorenz_figure,
)
from .chartwidget import Chart, PlotlyLibrary
from .page import PageAddress, decode_state, encode_state
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

#: The audience model's inputs shown as fields (scenarios with an audience model):
#: field of ``audience_model`` -> label.
AUDIENCE_FIELDS: dict[str, str] = {
    "audience": "Friends per person",
    "visibility": "Friends who see a post",
    "no_spread_share": "Posts nobody reshares",
    "resharer_audience_ratio": "Resharer's audience / author's",
}

#: What each field and slider holds, in one line (its tooltip and the line under it); keys
#: are scenario keys as ``--set`` spells them.
CONTROL_HELP: dict[str, str] = {
    "readers_per_post": "People who read an influence post (a rating, review, forum post, "
    "blog comment or blog post): the most disputed assumption of the headline.",
    "network_impressions": "Social-network status updates times the poster's friends or "
    "followers, per year: a survey-based total.",
    "influence_posts": "Ratings, reviews, forum posts, blog comments and blog posts "
    "written per year.",
    "segments.concentration_share": "The share of activity the Mass Connectors (network "
    "impressions) and Mass Mavens (posts) hold: Forrester's 80%.",
    "audience_model.audience": "Mean friends or followers of a poster: the audience an "
    "update or post can reach.",
    "audience_model.visibility": "The share of that audience who see a given post (feeds "
    "show a fraction of friends' posts).",
    "audience_model.no_spread_share": "The share of posts nobody reshares: the rest spread "
    "one step or more.",
    "audience_model.resharer_audience_ratio": "A resharer's new audience over what the "
    "audience distribution gives (1: friends of a random graph).",
    "readers_per_post_by_type": "This post type's own readers per post (empty: the same as "
    "readers per post).",
    "care.reaction": "The share of people reached by a network update who react to it (a like, "
    "a comment): the last step of the care funnel for updates.",
    "care.reply": "The share of readers of an influence post who reply to it: the last step of "
    "the care funnel for posts.",
}

#: The engagement rates shown as fields (the care funnel's last step): field key ->
#: (engagement action, label, the channels it belongs to in words).
CARE_FIELDS: dict[str, tuple[str, str]] = {
    "care.reaction": ("reaction", "People reached who react"),
    "care.reply": ("reply", "Readers who reply"),
}

#: Units of the fields (what :func:`~influence_kit.parsing.parse_quantity` reads).
FIELD_UNITS: dict[str, Unit] = {
    "readers_per_post": "readers",
    "network_impressions": "impressions",
    "influence_posts": "posts",
    "audience_model.audience": "people",
    "audience_model.visibility": "share",
    "audience_model.no_spread_share": "share",
    "audience_model.resharer_audience_ratio": "number",
    "care.reaction": "share",
    "care.reply": "share",
}

#: The formats the charts' camera button downloads.
IMAGE_FORMATS = ("svg", "png")

#: Rows of the decomposition table: account key -> (label, unit of :func:`format_quantity`).
DECOMPOSITION_ROWS: dict[str, tuple[str, Unit]] = {
    "network_impressions": ("Network impressions (updates x audience)", "impressions"),
    "post_impressions": ("Post impressions (posts x readers per post)", "impressions"),
    "total_impressions": ("Total influence impressions", "impressions"),
    "post_share_of_total": ("Posts' share of the total", "share"),
    "share_of_advertiser_impressions": ("Share of online advertising impressions", "share"),
    "impressions_per_online_adult": ("Impressions per online adult", "count"),
}

_STYLE = {"description_width": "initial"}
_BUTTONS = {"description_width": "initial", "button_width": "auto"}


def _field_layout() -> Any:  # a layout per widget, as ipywidgets wants
    import ipywidgets as w

    return w.Layout(width="100%", max_width="32rem")


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


def field_text(value: float, unit: str) -> str:
    """A value as its field shows it: a share as a percentage (``35%``) when the
    percentage reads back to the same float, every other value as :func:`number_text`.

    Examples
    --------
    >>> field_text(0.35, "share"), field_text(0.915, "share"), field_text(130.0, "people")
    ('35%', '91.5%', '130')
    """
    if unit == "share":
        text = f"{format_value(float(value) * 100, 15)}%"
        try:
            if parse_quantity("share", text, "share") == float(value):
                return text
        except ParameterError:
            pass
    return number_text(value)


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
    control calls :meth:`update`; the views are ipywidgets (HTML, Plotly
    ``FigureWidget``) whose values can be read in Python, which is how the unit tests
    check what a reader sees.

    Attributes
    ----------
    scenarios
        Menu label -> scenario file.
    controls
        ``scenario``, ``readers_mode``, ``readers_slider``, ``readers_per_post``,
        ``network_impressions``, ``influence_posts``, ``threshold``, ``image_format``,
        ``reset``; ``readers_by_type.<post type>`` fields of the current scenario's post
        types and ``audience_model.<input>`` fields of its audience model.
    views
        ``headline``, ``decomposition``, ``breakeven``, ``interval``, ``funnel_text``,
        ``download``, ``message`` (HTML) and ``channels``, ``breakeven_chart``,
        ``lorenz``, ``funnel`` (live Plotly charts, :class:`~.chartwidget.Chart`).
    page
        The page address (:class:`~influence_kit.explorer.page.PageAddress`).
    widget
        The whole explorer (a ``VBox``).
    panel
        Person table for the segments and the Lorenz curve (every scenario), or
        ``None`` to load the one for each scenario.
    overrides
        Scenario overrides (dotted key to value) applied to every scenario when it is read.
    draws, seed
        Monte Carlo draws and seed of the intervals (total and funnel).
    state
        The last good state (``None`` only before the first good update).
    interval
        The Monte Carlo result of the last good state (``None`` if it could not be run).
    funnel
        The care funnel of the last good state (``None`` if it could not be computed).
    errors
        Field -> message of the values that cannot be used now (empty when all are good).
    timings
        Seconds of the last update: ``headline`` (controls read to headline shown) and
        ``charts`` (to every chart shown).
    """

    scenarios: dict[str, Path]
    controls: dict[str, Any]
    views: dict[str, Any]
    widget: Any
    page: Any = None
    panel: pd.DataFrame | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    draws: int = EXPLORER_DRAWS
    seed: int = DEFAULT_SEED
    state: ExploreState | None = None
    interval: MonteCarloResult | None = None
    funnel: Any = None
    errors: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    _types_box: Any = field(default=None, repr=False)
    _audience_box: Any = field(default=None, repr=False)
    _care_box: Any = field(default=None, repr=False)
    care: dict[str, float] = field(default_factory=dict)
    _help: dict[str, Any] = field(default_factory=dict, repr=False)
    _scenarios: dict[str, Scenario] = field(default_factory=dict, repr=False)
    _base_totals: dict[str, float] = field(default_factory=dict, repr=False)
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

    def base_total(self, label: str) -> float:
        """The total of a menu entry's scenario as it stands (what changes are set against)."""
        if label not in self._base_totals:
            self._base_totals[label] = account(self.base_scenario(label)).total_impressions
        return self._base_totals[label]

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
        """Switch to a scenario: its values in every field, its post types and audience
        model inputs, each field's line of help with the scenario's source, one update.

        The threshold becomes ``threshold``, else the scenario's
        ``segments.concentration_share`` (unchanged when it has none).
        """
        self._fill(label, threshold=threshold)
        return self.refresh()

    def _fill(self, label: str, *, threshold: float | None = None) -> None:
        import ipywidgets as w

        scenario = self.base_scenario(label)
        self._syncing = True
        try:
            self.controls["scenario"].value = label
            inputs = effective_inputs(scenario)
            for name in NUMBER_FIELDS:
                self.controls[name].value = number_text(float(inputs[name].base))
                self.controls[name].disabled = False
                self._describe(name, scenario, inputs[name])
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
            if scenario.segments is not None:
                self._describe(
                    "segments.concentration_share",
                    scenario,
                    scenario.segments.concentration_share,
                )
            mode = self.controls["readers_mode"]
            mode.value = READERS_MODES[1 if "readers_per_post" in scenario.derived else 0]
            mode.disabled = audience_model_readers(scenario) is None
            for key in [
                k for k in self.controls if k.startswith(("readers_by_type.", "audience_model."))
            ]:
                del self.controls[key]
            fields = []
            for post_type in scenario.post_type_shares:
                own = scenario.readers_per_post_by_type.get(post_type)
                fields.append(
                    self._typed_field(
                        f"readers_by_type.{post_type}",
                        f"Readers per post of {post_type.replace('_', ' ')}",
                        "" if own is None else number_text(float(own.base)),
                        help_key="readers_per_post_by_type",
                        css=f"ik-readers-{post_type.replace('_', '-')}",
                        placeholder="same as readers per post",
                    )
                )
            self._types_box.children = fields
            model = scenario.audience_model
            audience_fields: list[Any] = []
            if model is not None:
                audience_fields.append(
                    w.HTML(
                        "<b>The audience model</b> (it derives readers per post when they are "
                        "derived; with readers assumed, these inputs change nothing shown)"
                    )
                )
                for name, text_label in AUDIENCE_FIELDS.items():
                    quantity = getattr(model, name)
                    key = f"audience_model.{name}"
                    field_ = self._typed_field(
                        key, text_label, field_text(float(quantity.base), FIELD_UNITS[key])
                    )
                    help_line = w.HTML()
                    help_line.add_class("ik-help")
                    self._help[key] = help_line
                    self._describe(key, scenario, quantity)
                    audience_fields += [field_, help_line]
            self._audience_box.children = audience_fields
            self._fill_care(scenario)
        finally:
            self._syncing = False

    def _fill_care(self, scenario: Scenario) -> None:
        """The engagement rates a marketer can move, at the scenario's most likely values."""
        import ipywidgets as w

        from ..engagement import scenario_engagement_rates

        rates = scenario_engagement_rates(scenario, tuple(scenario.post_type_shares))
        fields: list[Any] = [
            w.HTML(
                "<b>Getting people to care</b> (the care funnel's last step: change a rate and "
                "watch how many impressions draw a reaction or a reply)"
            )
        ]
        for key, (action, text_label) in CARE_FIELDS.items():
            rate = rates.action_rate(action)
            if rate is None:
                continue
            field_ = self._typed_field(key, text_label, field_text(rate.base, "share"))
            help_line = w.HTML(
                f'<div class="ik-help-text">{html.escape(CONTROL_HELP[key])} Scenario value '
                f"{format_quantity(rate.base, 'share')} (range "
                f"{format_quantity(rate.low, 'share')} to {format_quantity(rate.high, 'share')}"
                f"); basis: {html.escape(rate.basis)}.</div>"
            )
            help_line.add_class("ik-help")
            fields += [field_, help_line]
        self._care_box.children = fields

    def _typed_field(
        self,
        key: str,
        label: str,
        value: str,
        *,
        help_key: str | None = None,
        css: str | None = None,
        placeholder: str = "",
    ) -> Any:
        """A typed field of a scenario's own (per post type, audience model, care): its
        label, tooltip, class (``ik-`` and the key, dashed) and callback, registered as
        control ``key``."""
        import ipywidgets as w

        field_ = w.Text(
            value=value,
            placeholder=placeholder,
            description=label,
            tooltip=CONTROL_HELP[help_key or key],
            continuous_update=False,
            style=_STYLE,
            layout=_field_layout(),
        )
        field_.add_class(css or f"ik-{key.replace('.', '-').replace('_', '-')}")
        field_.observe(self.update, names="value")
        self.controls[key] = field_
        return field_

    def _describe(self, key: str, scenario: Scenario, quantity: Quantity) -> None:
        """The line under a control: what it holds and where the scenario's value comes from."""
        line = self._help.get(key)
        if line is None:
            return
        unit = FIELD_UNITS.get(key, "share" if key.endswith("share") else "number")
        source = scenario.sources.get(quantity.source or "", quantity.source or "")
        cited = " ".join(str(source).split())
        short = cited if len(cited) <= 90 else cited[:89].rstrip(" ,;:.") + "…"
        end = "" if short.endswith((".", "…")) else "."
        origin = (
            f" Scenario value {format_quantity(quantity.base, unit)}; source: <span "
            f'title="{html.escape(cited)}">{html.escape(short)}</span>{end}'
            if cited
            else f" Scenario value {format_quantity(quantity.base, unit)}."
        )
        line.value = f'<div class="ik-help-text">{html.escape(CONTROL_HELP[key])}{origin}</div>'

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
        if owner is self.controls.get("image_format"):
            self._set_image_format(str(new))
            return self.state
        self._syncing = True
        try:
            if owner is self.controls["readers_slider"]:
                self.controls["readers_per_post"].value = number_text(float(str(new)))
            elif owner is self.controls["readers_per_post"]:
                try:
                    readers = parse_quantity("readers per post", str(new), "readers")
                except ParameterError:
                    pass
                else:
                    if readers <= self.controls["readers_slider"].max * 10:
                        _set_within(self.controls["readers_slider"], readers)
            elif owner is self.controls["readers_mode"]:
                self._apply_mode()
        finally:
            self._syncing = False
        return self.refresh()

    def reset(self, _button: Any = None) -> ExploreState | None:
        """Every control back to the current scenario's own values."""
        return self.select(self.label)

    def _apply_mode(self) -> None:
        derived = self.controls["readers_mode"].value == READERS_MODES[1]
        value = audience_model_readers(self.base_scenario(self.label)) if derived else None
        if value is not None:
            self.controls["readers_per_post"].value = number_text(value)
            _set_within(self.controls["readers_slider"], value)
        elif not derived:
            # the figure shown stays: it is now an assumption (a note says so)
            pass
        self.controls["readers_per_post"].disabled = value is not None
        self.controls["readers_slider"].disabled = value is not None

    def _number(self, key: str, label: str, text: str) -> float:
        unit = FIELD_UNITS.get(key, "number")
        value = parse_quantity(label, text, unit)
        return check_plausible(key, value, label)

    def values(
        self,
    ) -> tuple[dict[str, float], dict[str, float | None], dict[str, float], dict[str, str]]:
        """The controls' values: numbers, readers per post type, audience model inputs, and
        messages of refused values."""
        numbers: dict[str, float] = {}
        by_type: dict[str, float | None] = {}
        audience: dict[str, float] = {}
        care: dict[str, float] = {}
        errors: dict[str, str] = {}
        for name, label in NUMBER_FIELDS.items():
            try:
                numbers[name] = self._number(name, label, self.controls[name].value)
            except ParameterError as err:
                errors[name] = str(err)
        for key, control in self.controls.items():
            if key.startswith("readers_by_type."):
                post_type = key.removeprefix("readers_by_type.")
                if not str(control.value).strip():
                    by_type[post_type] = None
                    continue
                try:
                    by_type[post_type] = self._number(
                        f"readers_per_post_by_type.{post_type}",
                        f"readers per {post_type.replace('_', ' ')}",
                        control.value,
                    )
                except ParameterError as err:
                    errors[key] = str(err)
            elif key.startswith("care."):
                label = CARE_FIELDS[key][1]
                try:
                    value = parse_quantity(label, control.value, "share")
                except ParameterError as err:
                    errors[key] = str(err)
                    continue
                if value > 1:
                    errors[key] = (
                        f"{label} must lie between 0% and 100%, got "
                        f"{format_quantity(value, 'share')}"
                    )
                else:
                    care[key] = value
            elif key.startswith("audience_model."):
                name = key.removeprefix("audience_model.")
                try:
                    audience[name] = self._number(key, AUDIENCE_FIELDS[name], control.value)
                except ParameterError as err:
                    errors[key] = str(err)
        self.care = care
        return numbers, by_type, audience, errors

    # -- the page address -----------------------------------------------------------

    def query_values(self) -> dict[str, str | float | None]:
        """What the page address holds: the scenario and every control's value."""
        numbers, by_type, audience, _ = self.values()
        out: dict[str, str | float | None] = {"scenario": self.label}
        mode = self.controls["readers_mode"]
        if not mode.disabled:
            out["readers"] = "derived" if mode.value == READERS_MODES[1] else "assumed"
        out.update(numbers)
        out["threshold"] = float(self.controls["threshold"].value)
        out.update({f"readers_by_type.{k}": v for k, v in by_type.items()})
        out.update({f"audience_model.{k}": v for k, v in audience.items()})
        out.update(self.care)
        return out

    def restore(self, query: str) -> ExploreState | None:
        """Set every control from a page address's query (see :meth:`query_values`), then
        update once. Unknown keys are left out; a refused value shows its message and the
        state is the last good one."""
        values = decode_state(query)
        if not values:
            return self.state
        label = values.get("scenario", self.label)
        if label not in self.scenarios:
            self.errors = {
                "scenario": f"the link names scenario {label!r}, which is not in the menu"
            }
            self._show_messages()
            return self.state
        threshold = None
        if "threshold" in values:
            try:
                threshold = float(values["threshold"])
            except ValueError:
                threshold = None
        self._fill(label, threshold=threshold)
        self._syncing = True
        try:
            mode = self.controls["readers_mode"]
            if not mode.disabled and values.get("readers") in ("derived", "assumed"):
                mode.value = READERS_MODES[1 if values["readers"] == "derived" else 0]
                self._apply_mode()
            for key, text in values.items():
                control = self.controls.get(key)
                if control is None or key in ("scenario", "threshold", "readers_mode"):
                    continue
                if hasattr(control, "disabled") and control.disabled:
                    continue
                try:
                    number = float(text)
                except ValueError:
                    control.value = text
                else:
                    control.value = field_text(number, FIELD_UNITS.get(key, "number"))
            try:
                _set_within(
                    self.controls["readers_slider"],
                    parse_quantity("readers", self.controls["readers_per_post"].value, "readers"),
                )
            except ParameterError:
                pass
        finally:
            self._syncing = False
        return self.refresh()

    def _on_page_opened(self, change: Mapping[str, Any]) -> None:
        query = change.get("new")
        if query:
            self.restore(str(query))

    # -- computing ----------------------------------------------------------------

    def refresh(self) -> ExploreState | None:
        """Recompute from the controls and show the result (or the messages).

        The controls become overrides of the menu entry's scenario by
        :func:`~influence_kit.explorer.explored_overrides` and go through
        :func:`~influence_kit.explorer.explore`: the path ``--set`` takes on the command
        line. The headline is shown first (it needs only the account), then the rest.
        """
        start = time.perf_counter()
        numbers, by_type, audience, errors = self.values()
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
                    audience=audience,
                )
                model_readers = audience_model_readers(base)
                if (
                    not mode.disabled
                    and mode.value == READERS_MODES[0]
                    and model_readers is not None
                    and numbers["readers_per_post"] == model_readers
                    and "readers_per_post" not in overrides.get("audience_model.derive", ())
                ):
                    notes = (
                        *notes,
                        "Readers per post are assumed at "
                        f"{format_quantity(model_readers, 'readers')}, the audience model's "
                        "figure, kept when you switched to assumed; type any other value.",
                    )
                scenario = base.with_overrides(overrides) if overrides else base
                self._show_headline(scenario)
                self.timings["headline"] = time.perf_counter() - start
                state = explore(
                    base,
                    overrides=overrides,
                    threshold=threshold,
                    panel=self.panel_for(base),
                    notes=notes,
                )
            except InfluenceKitError as err:
                self.errors = {"scenario": str(err)}
                if self.state is not None:
                    self._show_headline(self.state.scenario)
            else:
                self.state = state
                self._show_mode(state.scenario)
                try:
                    self.interval = monte_carlo(state.scenario, draws=self.draws, seed=self.seed)
                except InfluenceKitError:
                    self.interval = None
                try:
                    from ..engagement import care_funnel

                    self.funnel = care_funnel(
                        state.scenario,
                        self._care_rates(state.scenario),
                        n_draws=self.draws,
                        seed=self.seed,
                    )
                except InfluenceKitError:
                    self.funnel = None
                self._show()
                self.timings["charts"] = time.perf_counter() - start
                if self.page is not None:
                    self.page.query = encode_state(self.query_values())
        self._show_messages()
        return self.state

    def _care_rates(self, scenario: Scenario) -> Any:
        """The scenario's engagement rates with the care fields' values (``None``: as they are)."""
        from ..engagement import scenario_engagement_rates

        rates = scenario_engagement_rates(scenario, tuple(scenario.post_type_shares))
        changed = False
        for key, value in self.care.items():
            action = CARE_FIELDS[key][0]
            rate = rates.action_rate(action)
            if rate is not None and value != rate.base:
                rates = rates.with_action(action, value)
                changed = True
        return rates if changed else None

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

    def csv_text(self) -> str:
        """The current account as CSV: channel, component, impressions a year, share."""
        assert self.state is not None
        return self.state.account.summary().to_csv(index=False)

    # -- views --------------------------------------------------------------------

    def _show_messages(self) -> None:
        for key, control in self.controls.items():
            if key in NUMBER_FIELDS or key.startswith(("readers_by_type.", "audience_model.")):
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

    def _show_headline(self, scenario: Scenario) -> None:
        """The headline (the total, readers per post, the change against the scenario), the
        decomposition and the downloads: everything the account alone gives, shown before
        the slower views, so nothing a person can read or save lags behind the headline."""
        acc = account(scenario)
        figures = acc.to_dict()
        rows = "".join(
            f'<tr><th style="text-align:left">{html.escape(label)}</th>'
            f'<td data-key="{key}" data-value="{float(figures[key])!r}" '
            f'style="text-align:right">{format_quantity(figures[key], unit)}</td></tr>'
            for key, (label, unit) in DECOMPOSITION_ROWS.items()
        )
        self.views["decomposition"].value = f'<table class="ik-decomposition">{rows}</table>'
        self.views["download"].value = self._downloads_html(scenario, acc)
        self.views["derived"].value = _derived_html(scenario)
        base = self.base_total(self.label)
        change = acc.total_impressions - base
        if abs(change) <= 1e-9 * max(abs(base), 1.0):
            against = "the scenario's own value"
        else:
            sign = "+" if change > 0 else "-"
            percent = format_quantity(abs(change) / base, "share") if base else "n/a"
            against = (
                f"{sign}{format_quantity(abs(change), 'impressions')}, {sign}{percent} "
                f"against the scenario's {format_quantity(base, 'impressions')}"
            )
        self.views["headline"].value = (
            '<p class="ik-headline" style="font-size:1.6em;margin:0.3em 0">'
            f'<b class="ik-headline-value" data-value="{acc.total_impressions!r}">'
            f"{format_quantity(acc.total_impressions, 'impressions')}</b> influence impressions "
            f"a year in <i>{html.escape(scenario.name)}</i> with "
            f"{format_quantity(acc.readers_per_post, 'readers')} readers per post</p>"
            f'<p class="ik-change" data-change="{change!r}">{html.escape(against)}</p>'
        )

    def _show(self) -> None:
        """Fill the views from the state: the numbers, then the charts."""
        state = self.state
        assert state is not None
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(item.label)}</th>"
            f'<td data-key="{item.key}" style="text-align:right">'
            f"{_readers_text(item.readers_per_post)}</td></tr>"
            for item in state.breakevens.items
        )
        breakeven = f'<b>Break-even readers per post</b><table class="ik-breakeven">{rows}</table>'
        self.views["breakeven"].value = breakeven
        self.views["interval"].value = self._interval_html()
        self.views["funnel_text"].value = self._funnel_html()
        self.views["channels"].show(channel_figure(state))
        self.views["breakeven_chart"].show(breakeven_figure(state))
        self.views["lorenz"].show(lorenz_figure(state))
        if self.funnel is not None:
            self.views["funnel"].show(funnel_figure(self.funnel))

    def _downloads_html(self, scenario: Scenario, acc: Any) -> str:
        """The download links of a scenario and its account (YAML and CSV, as data links)."""
        links = []
        for text, mime, suffix, label in (
            (
                scenario_yaml(scenario.to_dict(), origin=self.scenarios[self.label].name),
                "application/x-yaml",
                "explored.yaml",
                "Download scenario YAML",
            ),
            (acc.summary().to_csv(index=False), "text/csv", "account.csv", "Download account CSV"),
        ):
            encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
            filename = html.escape(f"{scenario.name}-{suffix}")
            css = "ik-download-link" if suffix.endswith("yaml") else "ik-download-csv"
            links.append(
                f'<a class="{css}" download="{filename}" href="data:{mime};base64,{encoded}" '
                'style="display:inline-block;padding:0.3em 0.8em;margin-right:0.6em;'
                'border:1px solid #888;border-radius:4px;text-decoration:none">'
                f"{label}</a>"
            )
        return "".join(links)

    def _funnel_html(self) -> str:
        funnel = self.funnel
        if funnel is None:
            return '<p class="ik-funnel-text">Care funnel: not available for this state</p>'
        table = funnel.rate_table()
        rows = []
        for (rate, low, base, high, basis), group in table.groupby(
            ["rate", "low", "base", "high", "basis"], sort=False
        ):
            channels = ", ".join(dict.fromkeys(c.replace("_", " ") for c in group["channel"]))
            evidence = ", ".join(
                dict.fromkeys(
                    str(e)
                    for e in group.iloc[0][["evidence_low", "evidence_base", "evidence_high"]]
                    if e
                )
            )
            rows.append(
                f"<tr><td>{html.escape(str(rate))}</td><td>{html.escape(channels)}</td>"
                f'<td style="text-align:right">{format_quantity(low, "share")}</td>'
                f'<td style="text-align:right">{format_quantity(base, "share")}</td>'
                f'<td style="text-align:right">{format_quantity(high, "share")}</td>'
                f"<td>{html.escape(str(basis))}"
                + (f" (evidence: {html.escape(evidence)})" if evidence else "")
                + "</td></tr>"
            )
        rates = (
            '<details class="ik-funnel-rates"><summary>The rates behind the funnel, with their '
            "ranges and evidence</summary><table><tr><th>rate</th><th>channels</th><th>low</th>"
            f"<th>most likely</th><th>high</th><th>basis</th></tr>{''.join(rows)}</table></details>"
        )
        return f'<p class="ik-funnel-text">{html.escape(funnel.conclusion().text)}</p>{rates}'

    def _set_image_format(self, image_format: str) -> None:
        for name in ("channels", "breakeven_chart", "lorenz", "funnel"):
            self.views[name].config = chart_config(image_format.lower())

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


def _derived_html(scenario: Scenario) -> str:
    """What the scenario's audience model derives now, with each figure's range."""
    derived = derived_quantities(scenario)
    if not derived:
        return ""
    parts = []
    shown: tuple[tuple[str, Unit, str], ...] = (
        ("readers_per_post", "readers", "readers per post"),
        ("network_impressions", "impressions", "network impressions a year"),
    )
    for key, unit, words in shown:
        if key in derived:
            quantity = derived[key]
            parts.append(
                f"{format_quantity(quantity.base, unit)} {words} (range "
                f"{format_quantity(quantity.range[0], unit)} to "
                f"{format_quantity(quantity.range[1], unit)})"
            )
    used = ", ".join(k.replace("_", " ") for k in scenario.derived) or "none of them"
    return (
        '<p class="ik-derived">The audience model derives '
        f"{html.escape('; '.join(parts))}. In use: {html.escape(used)}.</p>"
    )


def _readers_text(readers: float | None) -> str:
    return "never" if readers is None else format_quantity(readers, "readers")


def _default_threshold() -> float:
    """The concentration threshold of the default scenario (``segments.concentration_share``)."""
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
        Monte Carlo draws and seed of the intervals (the total's and the funnel's).

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
    wide = w.Layout(width="100%", max_width="40rem")
    field_layout = _field_layout()
    controls: dict[str, Any] = {
        "scenario": w.Dropdown(
            options=list(entries),
            value=first,
            description="Scenario",
            tooltip="The scenario file whose values every field starts from",
            style=_STYLE,
            layout=field_layout,
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
            style=_BUTTONS,
        ),
        "readers_slider": w.FloatSlider(
            min=READERS_RANGE[0],
            max=READERS_RANGE[1],
            step=READERS_RANGE[2],
            description="Readers per post",
            tooltip=CONTROL_HELP["readers_per_post"],
            readout=False,
            continuous_update=False,
            style=_STYLE,
            layout=wide,
        ),
    }
    for name, label in NUMBER_FIELDS.items():
        controls[name] = w.Text(
            description=label if name != "readers_per_post" else "Readers per post, exactly",
            tooltip=CONTROL_HELP[name],
            continuous_update=False,
            style=_STYLE,
            layout=field_layout,
        )
        controls[name].add_class(f"ik-{name.replace('_', '-')}")
    controls["threshold"] = w.FloatSlider(
        # a scenario without a segments block starts from the default scenario's threshold
        value=_default_threshold(),
        min=THRESHOLD_RANGE[0],
        max=THRESHOLD_RANGE[1],
        step=THRESHOLD_RANGE[2],
        description="Top groups hold (threshold)",
        tooltip=CONTROL_HELP["segments.concentration_share"],
        readout_format=".0%",
        continuous_update=False,
        style=_STYLE,
        layout=wide,
    )
    controls["reset"] = w.Button(
        description="Reset to scenario",
        tooltip="Every field back to the scenario's own values",
    )
    controls["image_format"] = w.ToggleButtons(
        options=[f.upper() for f in IMAGE_FORMATS],
        value=IMAGE_FORMATS[0].upper(),
        description="Charts download as",
        tooltips=["scalable vector graphics", "a picture, twice the screen's resolution"],
        style=_BUTTONS,
    )
    for name in ("scenario", "readers_slider", "threshold", "reset", "image_format"):
        controls[name].add_class(f"ik-{name.replace('_', '-')}")
    help_lines: dict[str, Any] = {}
    for key in (*NUMBER_FIELDS, "segments.concentration_share"):
        help_lines[key] = w.HTML()
        help_lines[key].add_class("ik-help")
    views: dict[str, Any] = {
        name: w.HTML()
        for name in (
            "message",
            "headline",
            "decomposition",
            "breakeven",
            "interval",
            "funnel_text",
            "download",
            "derived",
        )
    }
    config = chart_config(IMAGE_FORMATS[0])
    for name in ("channels", "breakeven_chart", "lorenz", "funnel"):
        views[name] = Chart(config=config)
    for name, view in views.items():
        view.add_class(f"ik-{name.replace('_', '-')}")
    page = PageAddress()
    types_box = w.VBox([])
    audience_box = w.VBox([])
    care_box = w.VBox([])
    box = w.VBox(
        [
            w.HBox([controls["scenario"], controls["reset"], page]),
            controls["readers_mode"],
            views["derived"],
            controls["readers_slider"],
            controls["readers_per_post"],
            help_lines["readers_per_post"],
            types_box,
            controls["network_impressions"],
            help_lines["network_impressions"],
            controls["influence_posts"],
            help_lines["influence_posts"],
            audience_box,
            controls["threshold"],
            help_lines["segments.concentration_share"],
            views["message"],
            views["headline"],
            w.HBox(
                [views["decomposition"], views["breakeven"]],
                layout=w.Layout(flex_flow="row wrap", justify_content="space-between"),
            ),
            views["interval"],
            views["download"],
            controls["image_format"],
            views["channels"],
            views["breakeven_chart"],
            views["lorenz"],
            care_box,
            views["funnel_text"],
            views["funnel"],
            PlotlyLibrary(),
        ],
        layout=w.Layout(width="100%", max_width="62rem"),
    )
    box.add_class("ik-explorer")
    explorer = Explorer(
        scenarios=entries,
        controls=controls,
        views=views,
        widget=box,
        page=page,
        panel=panel,
        overrides=check_overrides(overrides),
        draws=draws,
        seed=seed,
        _types_box=types_box,
        _audience_box=audience_box,
        _care_box=care_box,
        _help=help_lines,
    )
    for name in (
        "scenario",
        "readers_mode",
        "readers_slider",
        "threshold",
        "image_format",
        *NUMBER_FIELDS,
    ):
        controls[name].observe(explorer.update, names="value")
    controls["reset"].on_click(explorer.reset)
    page.observe(explorer._on_page_opened, names="opened_with")
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
    of them is shown first, else the headline being examined, ``forrester-us-2009``. The
    segments and the Lorenz curve use the shipped panel, read once.
    """
    from ..population import load_panel

    if extra is None:
        extra = listed_scenarios(os.environ.get(SCENARIOS_ENV, ""))
    files = [Path(p) for p in extra]
    return build_explorer(
        [*list_scenarios(), *files],
        load_panel(),
        initial=files[0] if files else DEFAULT_SCENARIO,
    )
