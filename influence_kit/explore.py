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
computed here; the widgets (:mod:`influence_kit.widgets`) only call
:func:`explore` and :func:`~influence_kit.plots.explore.explore_figure`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .accounting import ImpressionAccount, account, evaluate, person_impressions
from .concentration import LorenzCurve, fraction_for_share, lorenz_curve
from .errors import DataError
from .formatting import format_quantity
from .results import Result
from .scenarios import (
    Scenario,
    apply_overrides,
    load_scenario,
    parse_overrides,
    scenario_from_dict,
)
from .segments import Segmentation, segment_people
from .segments.membership import resolve_concentration
from .sensitivity.breakeven import BreakEven, BreakEvens, breakevens
from .tables import value_table
from .validation import check_nonnegative, check_share

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

#: Plain-language names of the key figures, in display order.
FIGURE_LABELS: dict[str, str] = {
    "readers_per_post": "readers per post",
    "network_impressions": "network impressions per year",
    "influence_posts": "influence posts per year",
    "post_impressions": "post impressions per year",
    "total_impressions": "total influence impressions per year",
    "post_share_of_total": "post share of the total",
    "share_of_advertiser_impressions": "share of advertiser impressions",
    "breakeven_readers_per_post": "break-even readers, posts = network",
    "threshold": "threshold: share held by the top groups",
    "mass_connectors_share": "Mass Connectors, share of adults",
    "mass_mavens_share": "Mass Mavens, share of adults",
    "overlap_share": "both, share of adults",
    "mass_influencers_share": "Mass Influencers, share of adults",
    "mass_influencers_impression_share": "Mass Influencers, share of total impressions",
    "top_fraction_for_threshold": "fewest adults making threshold of impressions",
    "gini_total_impressions": "Gini of total impressions per person",
}


#: Unit of each key figure for :func:`~influence_kit.formatting.format_quantity` (others: readers).
FIGURE_UNITS: dict[str, str] = {
    "network_impressions": "impressions",
    "influence_posts": "count",
    "post_impressions": "impressions",
    "total_impressions": "impressions",
    "post_share_of_total": "share",
    "share_of_advertiser_impressions": "share",
    "threshold": "share",
    "mass_connectors_share": "share",
    "mass_mavens_share": "share",
    "overlap_share": "share",
    "mass_influencers_share": "share",
    "mass_influencers_impression_share": "share",
    "top_fraction_for_threshold": "share",
    "gini_total_impressions": "",
}


def with_inputs(
    scenario: Scenario | str | Path,
    *,
    readers_per_post: float | None = None,
    network_impressions: float | None = None,
    influence_posts: float | None = None,
) -> Scenario:
    """The scenario with new base values for the explored inputs (``None`` keeps one).

    Parameters
    ----------
    scenario
        A validated scenario or the path of a scenario file.
    readers_per_post, network_impressions, influence_posts
        New base values (finite, >= 0); a value outside the quantity's range
        widens the range, as ``--set`` overrides do.

    Returns
    -------
    Scenario
        Validated again, so the result obeys every rule of a scenario file.

    Raises
    ------
    ParameterError
        If a value is negative, infinite or not a number.
    ScenarioError
        If the file is missing or invalid.
    """
    overrides: dict[str, float] = {}
    for name, value in (
        ("readers_per_post", readers_per_post),
        ("network_impressions", network_impressions),
        ("influence_posts", influence_posts),
    ):
        if value is not None:
            overrides[name] = check_nonnegative(name, value)
    return _overridden(scenario, overrides)


def _overridden(
    scenario: Scenario | str | Path, overrides: Iterable[str] | Mapping[str, Any] | None
) -> Scenario:
    """Load a scenario path with ``overrides``, or apply them to a scenario."""
    if not isinstance(scenario, Scenario):
        return load_scenario(scenario, overrides)
    parsed = parse_overrides(overrides)
    if not parsed:
        return scenario
    data = apply_overrides(scenario.to_dict(), parsed, scenario.name)
    return scenario_from_dict(data, origin=scenario.name)


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
        raise DataError(f"panel: no {what}, cannot scale to {target:.4g}")

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
    scenario_name
        ``meta.name`` of the scenario.
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

    scenario_name: str
    threshold: float
    account: ImpressionAccount
    breakevens: BreakEvens
    segmentation: Segmentation
    lorenz: LorenzCurve
    top_fraction_for_threshold: float
    readers_curve: pd.DataFrame

    @property
    def breakeven_readers_per_post(self) -> float | None:
        """Readers per post at which post impressions equal network impressions."""
        return self.breakevens["posts_equal_network"].readers_per_post

    def key_figures(self) -> dict[str, Any]:
        """The headline numbers as a flat mapping (what ``summary.json`` stores).

        Keys are those of :data:`FIGURE_LABELS` plus ``scenario`` and one
        ``breakeven_<criterion>`` per break-even (``None`` = never).
        """
        acc = self.account
        seg = self.segmentation
        figures: dict[str, Any] = {
            "scenario": self.scenario_name,
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
        for item in self.breakevens.items[1:]:
            figures[f"breakeven_{item.key}"] = item.readers_per_post
        return figures

    def summary(self) -> pd.DataFrame:
        """The key figures as a table: ``figure`` (plain language), exact ``value``, and
        ``shown``, the value in the words a reader uses ("502 billion", "25.1%")."""
        rows = []
        for key, value in self.key_figures().items():
            if key == "scenario":
                continue
            if key.startswith("breakeven_") and key not in FIGURE_LABELS:
                label = _breakeven_label(self.breakevens[key.removeprefix("breakeven_")])
            else:
                label = FIGURE_LABELS[key]
            shown = (
                "never"
                if value is None
                else format_quantity(value, FIGURE_UNITS.get(key, "readers"))
            )
            rows.append((label, np.nan if value is None else float(value), shown))
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
            **self.key_figures(),
            "account": self.account.to_dict(),
            "breakevens": self.breakevens.to_dict(),
            "segments": self.segmentation.to_dict(),
        }


def _breakeven_label(item: BreakEven) -> str:
    """Short table label of a break-even criterion (under 50 characters)."""
    if item.criterion == "total" and item.target is not None:
        return f"break-even readers, total {item.target / 1e9:,.4g} bn"
    if item.target is not None:
        return f"break-even readers, {item.target:.4g} x ad impressions"
    return FIGURE_LABELS["breakeven_readers_per_post"]


def readers_curve(
    scenario: Scenario, readers_per_post: float, breakeven: Iterable[float | None] = ()
) -> pd.DataFrame:
    """Total, network and post impressions over a range of readers per post.

    The range runs from 0 to the larger of 300, twice ``readers_per_post`` and
    1.2 times the largest reachable break-even, in :data:`SWEEP_POINTS` steps.
    """
    points = [300.0, 2.0 * readers_per_post]
    points += [1.2 * b for b in breakeven if b is not None]
    grid = np.linspace(0.0, max(points), SWEEP_POINTS)
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
    overrides: Iterable[str] | Mapping[str, Any] | None = None,
) -> ExploreState:
    """Decomposition, break-even and segments for one choice of the explored inputs.

    Parameters
    ----------
    scenario
        A validated scenario or the path of a scenario file.
    readers_per_post
        Readers per post (``None``: the scenario's value).
    network_impressions, influence_posts
        Yearly totals of the two channels' drivers (``None``: the scenario's).
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
        Scenario overrides (``["network_shares.facebook=0.5"]``), applied
        before the explored inputs.

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
    base = _overridden(scenario, overrides)
    share = check_share(
        "threshold",
        threshold if threshold is not None else resolve_concentration(None, base),
        closed=False,
    )
    explored = with_inputs(
        base,
        readers_per_post=readers_per_post,
        network_impressions=network_impressions,
        influence_posts=influence_posts,
    )
    acc = account(explored)
    be = breakevens(explored, target_totals, target_shares)
    if panel is None:
        from .population import load_panel

        panel = load_panel(base)
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
    curve = readers_curve(
        explored,
        float(explored.readers_per_post.base),
        [b.readers_per_post for b in be.items],
    )
    return ExploreState(
        scenario_name=explored.name,
        threshold=share,
        account=acc,
        breakevens=be,
        segmentation=segmentation,
        lorenz=lorenz,
        top_fraction_for_threshold=top_fraction,
        readers_curve=curve,
    )
