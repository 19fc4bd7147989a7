"""One call behind the interactive explorer: decomposition, break-even and segments.

:func:`explore` takes a scenario and the handful of inputs a researcher wants
to move (readers per post, the two channel totals, the 80% threshold) and
returns an :class:`ExploreState` holding

* the impression decomposition (:func:`~influence_kit.accounting.account`) of
  the scenario with those inputs;
* the break-even readers per post
  (:func:`~influence_kit.sensitivity.breakeven.breakevens`) and the total
  against readers per post around them;
* the segments of a person panel at the threshold
  (:func:`~influence_kit.segments.segment_people` with
  ``concentration_share=threshold``), and the Lorenz curve of each person's
  total influence impressions with the chosen readers per post.

The panel (by default the shipped synthetic panel, see
:func:`~influence_kit.population.load_panel`) is rescaled to the explored
totals: every person's network impressions by ``network_impressions / panel
total``, posts by ``influence_posts / panel total``, and post impressions are
posts by type times the readers per post of that type. Uniform scaling leaves
who is in the top groups unchanged, so the segment shares of adults depend on
the threshold only, while the shares of total impressions and the Lorenz curve
move with readers per post and the channel totals.

Everything the notebook ``00-explore`` shows, statically and in its widgets, is
computed here; the widgets (:mod:`influence_kit.explorer.widgets`) only call
:func:`explore` and :func:`~influence_kit.explorer.figure.explore_figure`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..accounting import (
    ImpressionAccount,
    account,
    effective_inputs,
    evaluate,
    person_impressions,
)
from ..concentration import LorenzCurve, fraction_for_share, lorenz_curve
from ..errors import DataError
from ..formatting import Unit, format_quantity, format_value
from ..results import Conclusion, KeyFigure, KeyFigures, Result
from ..scenarios import Scenario, check_overrides, load_scenario
from ..segments import Segmentation, segment_people
from ..segments.membership import resolve_concentration
from ..sensitivity import readers_range
from ..sensitivity.breakeven import BreakEven, BreakEvens, breakevens
from ..tables import value_table
from ..validation import check_nonnegative, check_share
from ..wording import scenario_place

#: Totals whose break-even readers per post are reported: the headline and a trillion.
DEFAULT_TARGET_TOTALS: tuple[float, ...] = (500e9, 1e12)

#: Shares of advertiser impressions whose break-even readers per post are reported.
DEFAULT_TARGET_SHARES: tuple[float, ...] = (0.5,)

#: Points of the total-against-readers-per-post curve.
SWEEP_POINTS = 101

#: Segments shown in :meth:`ExploreState.segment_table`, in display order.
SEGMENT_ROWS: tuple[str, ...] = (
    "mass_connectors",
    "mass_mavens",
    "overlap",
    "mass_influencers",
    "social_broadcasters",
    "potential_influencers",
    "non_posters",
)

#: Label and unit of each key figure, in display order (break-evens besides the first are
#: labelled by :func:`_breakeven_label`).
FIGURES: dict[str, tuple[str, Unit]] = {
    "readers_per_post": ("readers per post", "readers"),
    "network_impressions": ("network impressions per year", "impressions"),
    "influence_posts": ("influence posts per year", "posts"),
    "post_impressions": ("post impressions per year", "impressions"),
    "total_impressions": ("total influence impressions per year", "impressions"),
    "post_share_of_total": ("post share of the total", "share"),
    "share_of_advertiser_impressions": ("share of advertiser impressions", "share"),
    "breakeven_readers_per_post": ("break-even readers, posts = network", "readers"),
    "threshold": ("threshold: share held by the top groups", "share"),
    "mass_connectors_share": ("Mass Connectors, share of adults", "share"),
    "mass_mavens_share": ("Mass Mavens, share of adults", "share"),
    "overlap_share": ("both, share of adults", "share"),
    "mass_influencers_share": ("Mass Influencers, share of adults", "share"),
    "mass_influencers_impression_share": ("Mass Influencers, share of total impressions", "share"),
    "top_fraction_for_threshold": ("fewest adults making threshold of impressions", "share"),
    "gini_total_impressions": ("Gini of total impressions per person", "number"),
}


def explored_overrides(
    base: Scenario,
    *,
    readers_per_post: float | None = None,
    network_impressions: float | None = None,
    influence_posts: float | None = None,
    readers_by_type: Mapping[str, float | None] | None = None,
    threshold: float | None = None,
    derive_readers: bool | None = None,
    audience: Mapping[str, float] | None = None,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The overrides that turn ``base`` into what the explorer's controls show, and notes.

    The explorer's one rule, applied by the widgets: a value equal to the figure in use
    (stated, or derived by the audience model) is no override; a value typed into a
    figure the audience model derives makes that figure assumed (it is taken out of
    ``audience_model.derive``, and a note says so); ``derive_readers`` switches the
    derivation of readers per post on or off. The result goes to :func:`explore` (and
    :meth:`~influence_kit.scenarios.Scenario.with_overrides`), the same path as the
    command line's ``--set``.

    Parameters
    ----------
    base
        The scenario the controls start from (with any overrides of the session).
    readers_per_post, network_impressions, influence_posts
        The values shown in the fields (``None``: unchanged).
    readers_by_type
        Post type -> its own readers per post, or ``None`` for "same as readers per post".
    threshold
        The concentration threshold (``segments.concentration_share``).
    derive_readers
        Whether readers per post are derived by the audience model (``None``: as in
        ``base``).
    audience
        Inputs of the audience model shown in the fields: field name (``visibility``,
        ``audience``, ``no_spread_share``, ``resharer_audience_ratio``) -> value; a value
        unlike the scenario's becomes the override ``audience_model.<field>``.

    Returns
    -------
    tuple of (dict, tuple of str)
        The overrides (a mapping of dotted keys to numbers) and plain-language notes.
    """
    inputs = effective_inputs(base)
    derive = list(base.derived)
    overrides: dict[str, Any] = {}
    notes: list[str] = []
    if derive_readers is not None and derive_readers != ("readers_per_post" in derive):
        if derive_readers:
            derive.append("readers_per_post")
            readers_per_post = None  # the model's figure, whatever the field shows
        else:
            derive.remove("readers_per_post")
            notes.append(
                f"{FIGURES['readers_per_post'][0]} is assumed, not derived by the audience "
                f"model ({format_quantity(inputs.readers_per_post.base, 'readers')})"
            )
    for name, value in (
        ("readers_per_post", readers_per_post),
        ("network_impressions", network_impressions),
        ("influence_posts", influence_posts),
    ):
        if value is None:
            continue
        in_use = inputs[name] if name in derive else getattr(base, name)
        if float(value) == float(in_use.base):
            continue
        if name in derive:
            derive.remove(name)
            label, unit = FIGURES[name]
            notes.append(
                f"{label} is now assumed ({format_quantity(value, unit)}); the "
                f"audience model derived {format_quantity(in_use.base, unit)}"
            )
        overrides[name] = check_nonnegative(name, value)
    if derive != list(base.derived):
        overrides["audience_model.derive"] = derive
    for post_type, own in (readers_by_type or {}).items():
        current = base.readers_per_post_by_type.get(post_type)
        if own is None:
            if current is not None:  # "same as readers per post": today's figure
                overrides[f"readers_per_post_by_type.{post_type}"] = (
                    readers_per_post
                    if readers_per_post is not None
                    else float(inputs.readers_per_post.base)
                )
            continue
        if current is None or float(own) != float(current.base):
            key = f"readers_per_post_by_type.{post_type}"
            overrides[key] = check_nonnegative(key, own)
    if threshold is not None and base.segments is not None:
        if float(threshold) != float(base.segments.concentration_share.base):
            overrides["segments.concentration_share"] = float(threshold)
    model = base.audience_model
    for name, value in (audience or {}).items():
        current = getattr(model, name, None) if model is not None else None
        if current is None:
            raise DataError(f"the scenario's audience model has no input {name!r}")
        if float(value) != float(current.base):
            overrides[f"audience_model.{name}"] = float(value)
    return overrides, tuple(notes)


def rescaled_panel(panel: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The person panel rescaled to a scenario's channel totals and readers per post.

    Network impressions and updates are scaled so that their weighted total is
    the scenario's network impressions; posts (by type and overall) so that
    theirs is its influence posts. Post and total impressions are then
    :func:`~influence_kit.accounting.person_impressions` (posts by type times
    each type's readers per post; posts times the effective readers per post
    when the panel has no columns by type).

    Raises
    ------
    DataError
        If the panel lacks the columns or has no activity in a channel the
        account needs.
    """
    missing = [c for c in ("network_impressions", "influence_posts") if c not in panel.columns]
    if missing:
        raise DataError(f"panel: missing column {missing[0]!r}")
    weight = (
        panel["weight"].to_numpy(dtype=float) if "weight" in panel.columns else np.ones(len(panel))
    )
    acc = account(scenario)
    out = panel.copy()
    network = panel["network_impressions"].to_numpy(dtype=float)
    posts = panel["influence_posts"].to_numpy(dtype=float)

    def scale(values: np.ndarray, target: float, what: str) -> float:
        total = float(weight @ values)
        if total > 0:
            return target / total
        if target == 0:
            return 0.0
        raise DataError(f"panel: no {what}, cannot scale to {format_value(target, 4)}")

    s_net = scale(network, acc.network_impressions, "network impressions")
    s_posts = scale(posts, acc.influence_posts, "influence posts")
    out["network_impressions"] = network * s_net
    if "network_updates" in out.columns:
        out["network_updates"] = panel["network_updates"].to_numpy(dtype=float) * s_net
    out["influence_posts"] = posts * s_posts
    for t in scenario.post_type_shares:
        if t in panel.columns:
            out[t] = panel[t].to_numpy(dtype=float) * s_posts
    impressions = person_impressions(out, scenario)
    out["post_impressions"] = impressions["post_impressions"].to_numpy()
    out["total_impressions"] = impressions["total_impressions"].to_numpy()
    return out


@dataclass(frozen=True, eq=False)
class ExploreState(Result):
    """What the explorer shows for one choice of inputs.

    Attributes
    ----------
    scenario
        The resolved scenario explored (the base with every override applied).
    notes
        What the explored values changed beyond the numbers (a derived figure now
        assumed, say).
    threshold
        Share of activity the top groups hold.
    account
        The impression decomposition with the explored inputs.
    breakevens
        Break-even readers per post: posts equal network, then each target
        total and share of advertiser impressions.
    segmentation
        Segments of the rescaled panel at ``threshold`` (no bootstrap).
    lorenz
        Lorenz curve of each person's total influence impressions (weighted).
    top_fraction_for_threshold
        Fewest adults (from the top) making ``threshold`` of total impressions.
    readers_curve
        Total, network and post impressions against readers per post
        (columns ``readers_per_post``, ``total_impressions``,
        ``network_impressions``, ``post_impressions``), for the break-even plot.
    """

    scenario: Scenario
    threshold: float
    account: ImpressionAccount
    breakevens: BreakEvens
    segmentation: Segmentation
    lorenz: LorenzCurve
    top_fraction_for_threshold: float
    readers_curve: pd.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def scenario_name(self) -> str:
        """``meta.name`` of the scenario."""
        return self.scenario.name

    @property
    def breakeven_readers_per_post(self) -> float | None:
        """Readers per post at which post impressions equal network impressions."""
        return self.breakevens["posts_equal_network"].readers_per_post

    def conclusion(self) -> Conclusion:
        """What the explored state says, in four sentences, and its lead figures.

        The account's total against the claim (see
        :meth:`~influence_kit.accounting.ImpressionAccount.conclusion`), where posts take
        over, and who makes the impressions at the threshold.
        """
        acc = self.account
        told = acc.conclusion(scenario_place(self.scenario))
        breakeven = self.breakeven_readers_per_post
        if breakeven is None:
            takeover = "Post impressions never overtake network impressions."
        else:
            takeover = (
                f"Post impressions would overtake network impressions above "
                f"{format_quantity(breakeven, 'readers')} readers per post."
            )
        seg = self.segmentation
        made = float(seg.segments["share_of_total_impressions"].loc["mass_influencers"])
        who = (
            f"With the threshold at {format_quantity(self.threshold, 'share')}, the Mass "
            f"Influencers, "
            f"{format_quantity(seg.mass_influencers_share, 'share')} of adults, make "
            f"{format_quantity(made, 'share')} of all influence impressions; the fewest adults "
            f"making {format_quantity(self.threshold, 'share')} of them are "
            f"{format_quantity(self.top_fraction_for_threshold, 'share')}."
        )
        return Conclusion(
            (*told.sentences[:2], takeover, who),
            (
                "readers_per_post",
                "total_impressions",
                "post_share_of_total",
                "breakeven_readers_per_post",
                "mass_influencers_share",
                "mass_influencers_impression_share",
                "top_fraction_for_threshold",
            ),
        )

    def key_figures(self) -> KeyFigures:
        """The headline numbers with their labels and units (what ``summary.json`` stores).

        Keys are those of :data:`FIGURES` plus one ``breakeven_<criterion>`` per further
        break-even (``None`` = never); the scenario's name comes first.
        """
        acc = self.account
        seg = self.segmentation
        values: dict[str, Any] = {
            "readers_per_post": acc.readers_per_post,
            "network_impressions": acc.network_impressions,
            "influence_posts": acc.influence_posts,
            "post_impressions": acc.post_impressions,
            "total_impressions": acc.total_impressions,
            "post_share_of_total": acc.post_share_of_total,
            "share_of_advertiser_impressions": acc.share_of_advertiser_impressions,
            "breakeven_readers_per_post": self.breakeven_readers_per_post,
            "threshold": self.threshold,
            "mass_connectors_share": seg.mass_connectors_share,
            "mass_mavens_share": seg.mass_mavens_share,
            "overlap_share": seg.overlap_share,
            "mass_influencers_share": seg.mass_influencers_share,
            "mass_influencers_impression_share": float(
                seg.segments["share_of_total_impressions"].loc["mass_influencers"]
            ),
            "top_fraction_for_threshold": self.top_fraction_for_threshold,
            "gini_total_impressions": self.lorenz.gini,
        }
        rows: list[KeyFigure] = [KeyFigure("scenario", "scenario", self.scenario_name, "text")]
        inputs = ("readers_per_post", "network_impressions", "influence_posts", "threshold")
        rows += [
            KeyFigure(
                key,
                FIGURES[key][0],
                value,
                FIGURES[key][1],
                "input" if key in inputs else "estimate",
            )
            for key, value in values.items()
        ]
        for item in self.breakevens.items[1:]:
            rows.append(
                KeyFigure(
                    f"breakeven_{item.key}",
                    _breakeven_label(item),
                    item.readers_per_post,
                    "readers",
                )
            )
        return KeyFigures(tuple(rows))

    def summary(self) -> pd.DataFrame:
        """The key figures as a table: ``figure`` (plain language), exact ``value``, and
        ``shown``, the value in the words a reader uses ("502 billion", "25.1%")."""
        rows = [
            (
                figure.label,
                np.nan if figure.value is None else float(figure.value),
                "never" if figure.value is None else figure.text,
            )
            for figure in self.key_figures()
            if figure.unit != "text"
        ]
        return pd.DataFrame(rows, columns=["figure", "value", "shown"])

    def segment_table(self) -> pd.DataFrame:
        """Each segment's share of adults and of total influence impressions."""
        table = self.segmentation.segments.loc[
            list(SEGMENT_ROWS), ["share_of_adults", "share_of_total_impressions"]
        ]
        return table.copy()

    def to_dict(self) -> dict[str, Any]:
        """The key figures, then the account, break-evens and segments in full.

        The Lorenz curve and the sweep (thousands of points) are left out; the
        Gini and the top fraction are among the key figures.
        """
        return {
            "scenario": self.scenario.to_dict(),
            "scenario_digest": self.scenario.digest(),
            **self.key_figures().values(),
            "account": self.account.to_dict(),
            "breakevens": self.breakevens.to_dict(),
            "segments": self.segmentation.to_dict(),
        }


def _breakeven_label(item: BreakEven) -> str:
    """Short table label of a break-even criterion (under 50 characters)."""
    if item.criterion == "total" and item.target is not None:
        return f"break-even readers, total {format_quantity(item.target, 'impressions')}"
    if item.target is not None:
        return f"break-even readers, {format_quantity(item.target, 'share')} of ad impressions"
    return FIGURES["breakeven_readers_per_post"][0]


def readers_curve(scenario: Scenario) -> pd.DataFrame:
    """Total, network and post impressions over the range of readers per post.

    The range is the scenario's own (:func:`~influence_kit.sensitivity.readers_range`): the
    one the sweep, the tornado and the explorer's slider use too, in
    :data:`SWEEP_POINTS` steps.
    """
    low, high = readers_range(scenario)
    grid = np.linspace(low, high, SWEEP_POINTS)
    out = evaluate(scenario, {"readers_per_post": grid})
    return pd.DataFrame(
        {
            "readers_per_post": grid,
            "total_impressions": out["total_impressions"],
            "network_impressions": out["network_impressions"],
            "post_impressions": out["post_impressions"],
        }
    )


def explore(
    scenario: Scenario | str | Path,
    *,
    readers_per_post: float | None = None,
    network_impressions: float | None = None,
    influence_posts: float | None = None,
    threshold: float | None = None,
    panel: pd.DataFrame | None = None,
    target_totals: Iterable[float] = DEFAULT_TARGET_TOTALS,
    target_shares: Iterable[float] = DEFAULT_TARGET_SHARES,
    overrides: Mapping[str, Any] | None = None,
    notes: Iterable[str] = (),
) -> ExploreState:
    """Decomposition, break-even and segments for one choice of the explored inputs.

    Parameters
    ----------
    scenario
        A validated scenario or the path of a scenario file.
    readers_per_post
        Readers per post (``None``: the scenario's value); the same as the override
        ``{"readers_per_post": value}``, so a figure the audience model derives is refused
        here as on the command line (see :func:`explored_overrides` for the explorer's rule).
    network_impressions, influence_posts
        Yearly totals of the two channels' drivers (``None``: the scenario's), likewise.
    threshold
        Share of activity the Mass Connectors (Mavens) hold, in (0, 1)
        (``None``: the scenario's ``segments.concentration_share``).
    panel
        Person table (synthetic schema, see :mod:`influence_kit.population`);
        ``None`` loads the one for the scenario (with ``overrides`` but before
        the explored inputs) with :func:`~influence_kit.population.load_panel`:
        the shipped panel for the US 2009 scenario, a simulated one otherwise.
    target_totals, target_shares
        Break-even targets besides posts equal network.
    overrides
        Scenario overrides (``{"network_shares.facebook": 0.5}``), applied with the
        explored inputs by :meth:`~influence_kit.scenarios.Scenario.with_overrides`.
    notes
        Notes to keep with the state (what :func:`explored_overrides` said).

    Returns
    -------
    ExploreState

    Raises
    ------
    ParameterError
        If an input is negative or not a number, or ``threshold`` is outside (0, 1).
    ScenarioError
        If the scenario file or an override is invalid.
    DataError
        If the panel is unusable.

    Examples
    --------
    >>> from influence_kit.population import load_panel
    >>> state = explore(
    ...     "forrester-us-2009", readers_per_post=300, panel=load_panel()
    ... )
    >>> round(state.account.total_impressions / 1e9)
    748
    """
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    share = check_share(
        "threshold",
        threshold if threshold is not None else resolve_concentration(None, base),
        closed=False,
    )
    inputs = {
        name: check_nonnegative(name, value)
        for name, value in (
            ("readers_per_post", readers_per_post),
            ("network_impressions", network_impressions),
            ("influence_posts", influence_posts),
        )
        if value is not None
    }
    given = check_overrides(overrides)
    explored = base.with_overrides({**given, **inputs})
    acc = account(explored)
    be = breakevens(explored, target_totals, target_shares)
    if panel is None:
        from ..population import load_panel

        panel = load_panel(base.with_overrides(given))
    people = rescaled_panel(panel, explored)
    segmentation = segment_people(
        people, explored, concentration_share=share, n_boot=0, origin="explorer panel"
    )
    weights = people["weight"].to_numpy(dtype=float) if "weight" in people.columns else None
    table = value_table(
        people["total_impressions"].to_numpy(dtype=float), weights=weights, name="total impressions"
    )
    lorenz = lorenz_curve(table)
    top_fraction = float(fraction_for_share(table, share)[0])
    curve = readers_curve(explored)
    return ExploreState(
        scenario=explored,
        threshold=share,
        account=acc,
        breakevens=be,
        segmentation=segmentation,
        lorenz=lorenz,
        top_fraction_for_threshold=top_fraction,
        readers_curve=curve,
        notes=tuple(notes),
    )
