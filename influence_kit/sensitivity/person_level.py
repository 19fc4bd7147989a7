"""How the person-level figures respond to the 80% threshold and to readers per post.

Forrester's segments are defined by a concentration threshold: the Mass
Connectors are the smallest top group by network impressions that makes 80% of
them, the Mass Mavens likewise by influence posts. Readers per post does not
move either group (both are ranked by activity, not by impressions), but it
moves the weight of the post channel in the total, and therefore how much of
the *total* the groups make. Both analyses run on a person table, usually the
synthetic population of :mod:`influence_kit.population`:

* :func:`threshold_sweep`: the shares of adults in each segment as the
  threshold moves (each point is one :func:`~influence_kit.segments.segment_people`);
* :func:`segment_readers_sweep`: as readers per post move, the share of total impressions
  made by the Mass Influencers, the Connectors and the Mavens, and the smallest
  share of adults that makes 80% of the total (read from
  :func:`~influence_kit.concentration.fraction_for_share`).

Per person, total impressions at ``r`` readers per post are
``network + fixed + r * free``: ``free`` are the posts of the post types that
take the swept readers per post (all of them unless the scenario gives a type
its own value) and ``fixed`` are the impressions of the other types, at their
own readers per post. Each segment's share of the total is then a ratio of two
affine functions of ``r``, computed exactly by
:meth:`ReadersSweepResult.share_of_total_at`; it moves monotonically from its
share at zero readers (its share of network impressions when no type has its
own readers) to its share of the swept posts as ``r`` grows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from ..accounting import effective_inputs, person_impressions
from ..concentration import fraction_for_share
from ..errors import DataError, ParameterError
from ..population import SyntheticPopulation
from ..results import Result
from ..scenarios import Scenario
from ..segments import (
    DEFAULT_BROADCASTER_MIN_AUDIENCE,
    PersonColumns,
    Ties,
    broadcaster_threshold,
    membership,
    read_person_table,
    segment_people,
    validate_person_table,
)
from ..segments.membership import resolve_concentration
from ..validation import check_fractions, check_nonnegative, check_nonnegative_numbers

#: Default thresholds of :func:`threshold_sweep`: 0.50, 0.55, ..., 0.95.
DEFAULT_THRESHOLDS: tuple[float, ...] = tuple(round(0.5 + 0.05 * k, 2) for k in range(10))

#: Default readers per post of :func:`segment_readers_sweep`: 0, then a 1-2-5 series from
#: 10 to 10,000 (beyond the outside evidence).
DEFAULT_READERS: tuple[float, ...] = (
    0.0,
    *(float(m * 10**k) for k in range(1, 5) for m in (1, 2, 5) if m * 10**k <= 10_000),
)

#: Segments whose shares of adults :func:`threshold_sweep` reports, in column order.
THRESHOLD_SEGMENTS: tuple[str, ...] = (
    "mass_connectors",
    "mass_mavens",
    "overlap",
    "mass_influencers",
)

#: Segments whose shares of total impressions :func:`segment_readers_sweep` reports.
READERS_SEGMENTS: tuple[str, ...] = (
    "mass_influencers",
    "mass_connectors",
    "mass_mavens",
    "overlap",
)

PeopleInput: TypeAlias = pd.DataFrame | SyntheticPopulation | str | Path


def _frame(people: PeopleInput, origin: str) -> tuple[pd.DataFrame, str]:
    """The person table of ``people`` (a table, a synthetic population or a file)."""
    if isinstance(people, SyntheticPopulation):
        return people.people, origin
    if isinstance(people, (str, Path)):
        return read_person_table(people), str(people)
    if isinstance(people, pd.DataFrame):
        return people, origin
    raise DataError(
        f"{origin}: expected a person table, a SyntheticPopulation or a file path, "
        f"got {type(people).__name__}"
    )


@dataclass(frozen=True, eq=False)
class ThresholdSweepResult(Result):
    """Segment shares of adults as the concentration threshold moves.

    Attributes
    ----------
    thresholds
        The concentration thresholds (sorted): the share of network impressions
        (influence posts) the Mass Connectors (Mavens) make.
    shares
        Segment -> share of adults at each threshold, for
        :data:`THRESHOLD_SEGMENTS` (overlap: both; Mass Influencers: either).
    influencers_share_of_total
        Share of total impressions (at the table's post impressions, or
        ``readers_per_post``) made by the Mass Influencers at each threshold.
    connectors_mean_audience
        Mean audience (friends/followers) of the Mass Connectors at each
        threshold (NaN without an audience column).
    n_people, adults
        Rows of the table and the adults they represent (sum of weights).
    ties, broadcaster_min_audience
        Settings passed to :func:`~influence_kit.segments.segment_people`.
    readers_per_post
        Readers per post used for post impressions (``None`` when the table has
        its own), as in :attr:`~influence_kit.segments.Segmentation.readers_per_post`.
    """

    thresholds: np.ndarray
    shares: dict[str, np.ndarray]
    influencers_share_of_total: np.ndarray
    connectors_mean_audience: np.ndarray
    n_people: int
    adults: float
    ties: str
    broadcaster_min_audience: float | None
    readers_per_post: float | None

    def share_at(self, threshold: float, segment: str = "mass_influencers") -> float:
        """Share of adults in ``segment`` at one of the swept thresholds.

        Raises
        ------
        ParameterError
            If the segment is unknown or the threshold was not swept.
        """
        if segment not in self.shares:
            raise ParameterError(
                f"segment {segment!r} is not one of {', '.join(THRESHOLD_SEGMENTS)}"
            )
        hit = np.flatnonzero(np.isclose(self.thresholds, float(threshold), rtol=0, atol=1e-12))
        if hit.size == 0:
            raise ParameterError(f"threshold {threshold!r} was not swept")
        return float(self.shares[segment][hit[0]])

    def summary(self) -> pd.DataFrame:
        """One row per threshold: the four shares of adults, the influencers' share
        of total impressions and the Connectors' mean audience."""
        frame = pd.DataFrame({"threshold": self.thresholds})
        for name in THRESHOLD_SEGMENTS:
            frame[f"{name}_share"] = self.shares[name]
        frame["mass_influencers_share_of_total"] = self.influencers_share_of_total
        frame["connectors_mean_audience"] = self.connectors_mean_audience
        return frame

    def to_dict(self) -> dict[str, Any]:
        """Settings and one record per threshold."""
        return {
            "n_people": self.n_people,
            "adults": self.adults,
            "ties": self.ties,
            "broadcaster_min_audience": self.broadcaster_min_audience,
            "readers_per_post": self.readers_per_post,
            "rows": self.summary().to_dict(orient="records"),
        }


def threshold_sweep(
    people_or_panel: PeopleInput,
    thresholds: Sequence[float] | np.ndarray = DEFAULT_THRESHOLDS,
    *,
    scenario: Scenario | None = None,
    columns: PersonColumns | Mapping[str, str | None] | None = None,
    ties: Ties = "split",
    broadcaster_min_audience: float | None = DEFAULT_BROADCASTER_MIN_AUDIENCE,
    broadcaster_top_share: float | None = None,
    readers_per_post: float | None = None,
    origin: str = "person table",
) -> ThresholdSweepResult:
    """Segment a person table at each concentration threshold.

    Each threshold is one call of :func:`~influence_kit.segments.segment_people`
    (no bootstrap) with ``concentration_share`` set to it, so the figure at 0.8
    is exactly the default segmentation.

    Parameters
    ----------
    people_or_panel
        A person table, a :class:`~influence_kit.population.SyntheticPopulation`
        or the path of a person table (e.g. the shipped panel,
        :func:`influence_kit.population.default_panel_path`).
    thresholds
        Concentration thresholds, each strictly between 0 and 1 (sorted and
        de-duplicated). Default 0.50, 0.55, ..., 0.95.
    scenario, columns, ties, broadcaster_min_audience, broadcaster_top_share, readers_per_post
        As for :func:`~influence_kit.segments.segment_people` (the scenario
        gives readers per post to tables without post impressions).
    origin
        Name used in error messages.

    Returns
    -------
    ThresholdSweepResult

    Raises
    ------
    ParameterError
        If no threshold is given or one lies outside (0, 1), or another option
        is out of range.
    DataError
        If the table is unusable.

    Examples
    --------
    >>> from influence_kit.population import load_panel
    >>> r = threshold_sweep(load_panel(), [0.8])
    >>> round(r.share_at(0.8, "mass_connectors"), 3)
    0.062
    """
    grid = np.unique(check_fractions("thresholds", thresholds))
    frame, origin = _frame(people_or_panel, origin)
    shares = {name: np.empty(grid.size) for name in THRESHOLD_SEGMENTS}
    of_total = np.empty(grid.size)
    mean_audience = np.empty(grid.size)
    seg = None
    if scenario is None and isinstance(people_or_panel, SyntheticPopulation):
        scenario = people_or_panel.calibration.source
    for i, share in enumerate(grid):
        seg = segment_people(
            frame,
            scenario,
            columns=columns,
            concentration_share=float(share),
            ties=ties,
            broadcaster_min_audience=broadcaster_min_audience,
            broadcaster_top_share=broadcaster_top_share,
            readers_per_post=readers_per_post,
            n_boot=0,
            origin=origin,
        )
        table = seg.segments
        for name in THRESHOLD_SEGMENTS:
            shares[name][i] = table["share_of_adults"].loc[name]
        of_total[i] = table["share_of_total_impressions"].loc["mass_influencers"]
        mean_audience[i] = table["mean_audience"].loc["mass_connectors"]
    assert seg is not None  # at least one threshold (checked above)
    return ThresholdSweepResult(
        thresholds=grid,
        shares=shares,
        influencers_share_of_total=of_total,
        connectors_mean_audience=mean_audience,
        n_people=seg.n_people,
        adults=seg.adults,
        ties=seg.ties,
        broadcaster_min_audience=seg.broadcaster_min_audience,
        readers_per_post=seg.readers_per_post,
    )


@dataclass(frozen=True, eq=False)
class ReadersSweepResult(Result):
    """Who makes the total impressions as readers per post move.

    Attributes
    ----------
    scenario_name
        ``meta.name`` of the scenario.
    readers
        The swept readers per post (sorted).
    base_readers, readers_low, readers_high
        The scenario's base readers per post and its range (NaN when the
        scenario gives no range).
    fixed_readers
        Post types that keep their own readers per post (from the scenario).
    concentration_share
        The segments' threshold, and the share of the total for
        :attr:`top_fraction_total` (0.8).
    network_impressions
        Weighted yearly network impressions (do not depend on readers).
    post_impressions, total_impressions
        Weighted yearly post and total impressions at each readers value.
    share_of_total
        Segment -> share of total impressions made at each readers value, for
        :data:`READERS_SEGMENTS`.
    share_at_zero_readers, share_at_infinite_readers
        Segment -> its share of the total at zero readers (its share of
        network impressions, plus the fixed types' post impressions) and in
        the limit of many readers (its share of the swept posts).
    top_fraction_total
        Smallest share of adults that makes ``concentration_share`` of total
        impressions, at each readers value.
    top_fraction_network
        The same for network impressions alone (does not depend on readers).
    top_fraction_posts
        The same for post impressions alone at each readers value (NaN when
        there are none).
    n_people, adults
        Rows of the table and adults represented.
    ties, broadcaster_min_audience
        Segmentation settings (see :func:`~influence_kit.segments.membership`);
        the audience threshold is the one computed when ``broadcaster_top_share``
        was given.
    segment_fixed, segment_per_reader, total_fixed, total_per_reader
        Exact coefficients: a segment makes ``fixed + r * per_reader``
        impressions (weighted) of a total ``total_fixed + r * total_per_reader``.
    """

    scenario_name: str
    readers: np.ndarray
    base_readers: float
    readers_low: float
    readers_high: float
    fixed_readers: dict[str, float]
    concentration_share: float
    network_impressions: float
    post_impressions: np.ndarray
    total_impressions: np.ndarray
    share_of_total: dict[str, np.ndarray]
    share_at_zero_readers: dict[str, float]
    share_at_infinite_readers: dict[str, float]
    top_fraction_total: np.ndarray
    top_fraction_network: float
    top_fraction_posts: np.ndarray
    n_people: int
    adults: float
    ties: str
    broadcaster_min_audience: float | None
    segment_fixed: dict[str, float]
    segment_per_reader: dict[str, float]
    total_fixed: float
    total_per_reader: float

    def share_of_total_at(self, readers: float, segment: str = "mass_influencers") -> float:
        """Exact share of total impressions made by ``segment`` at any readers per post.

        Raises
        ------
        ParameterError
            If ``readers`` is negative or not a number, or the segment is unknown.
        """
        r = check_nonnegative("readers", readers)
        if segment not in self.segment_fixed:
            raise ParameterError(f"segment {segment!r} is not one of {', '.join(READERS_SEGMENTS)}")
        total = self.total_fixed + r * self.total_per_reader
        if total <= 0:
            return float("nan")
        return (self.segment_fixed[segment] + r * self.segment_per_reader[segment]) / total

    def summary(self) -> pd.DataFrame:
        """One row per readers value: totals, each segment's share of the total and the
        smallest shares of adults making ``concentration_share`` of each quantity."""
        frame = pd.DataFrame({"readers_per_post": self.readers})
        frame["total_impressions"] = self.total_impressions
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["post_share_of_total"] = self.post_impressions / self.total_impressions
        for name in READERS_SEGMENTS:
            frame[f"{name}_share_of_total"] = self.share_of_total[name]
        frame["top_fraction_total"] = self.top_fraction_total
        frame["top_fraction_network"] = self.top_fraction_network
        frame["top_fraction_posts"] = self.top_fraction_posts
        return frame

    def limits(self) -> pd.DataFrame:
        """Each segment's share of the total at zero readers and with many readers."""
        return pd.DataFrame(
            {
                "share_at_zero_readers": pd.Series(self.share_at_zero_readers),
                "share_at_infinite_readers": pd.Series(self.share_at_infinite_readers),
            }
        ).rename_axis("segment")

    def to_dict(self) -> dict[str, Any]:
        """Scenario, settings, limits and one record per readers value."""
        return {
            "scenario_name": self.scenario_name,
            "base_readers": self.base_readers,
            "readers_low": self.readers_low,
            "readers_high": self.readers_high,
            "fixed_readers": dict(self.fixed_readers),
            "concentration_share": self.concentration_share,
            "network_impressions": self.network_impressions,
            "top_fraction_network": self.top_fraction_network,
            "share_at_zero_readers": dict(self.share_at_zero_readers),
            "share_at_infinite_readers": dict(self.share_at_infinite_readers),
            "n_people": self.n_people,
            "adults": self.adults,
            "ties": self.ties,
            "broadcaster_min_audience": self.broadcaster_min_audience,
            "rows": self.summary().to_dict(orient="records"),
        }


def _post_channels(
    frame: pd.DataFrame, scenario: Scenario, posts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
    """Per person: post impressions at zero swept readers, and their growth per reader.

    Both come from :func:`~influence_kit.accounting.person_impressions`, which is
    affine in the readers per post of the swept types: ``fixed`` are the
    impressions at zero readers (the types with their own readers per post) and
    ``free`` the extra impressions per swept reader.
    """
    fixed_readers = {t: float(q.base) for t, q in scenario.readers_per_post_by_type.items()}
    table = pd.DataFrame({"network_impressions": np.zeros(posts.size), "influence_posts": posts})
    for t in scenario.post_type_shares:
        if t in frame.columns:
            table[t] = frame[t].to_numpy(dtype=float)
    fixed = person_impressions(table, scenario, readers_per_post=0.0)["post_impressions"]
    at_one = person_impressions(table, scenario, readers_per_post=1.0)["post_impressions"]
    return fixed.to_numpy(), (at_one - fixed).to_numpy(), fixed_readers


def _top_fraction(values: np.ndarray, weights: np.ndarray, share: float) -> float:
    """Smallest share of adults making ``share`` of ``values`` (NaN if all are zero)."""
    if not np.any(values > 0):
        return float("nan")
    return float(fraction_for_share(values, share, weights=weights)[0])


def segment_readers_sweep(
    people: PeopleInput,
    scenario: Scenario,
    readers: Sequence[float] | np.ndarray = DEFAULT_READERS,
    *,
    concentration_share: float | None = None,
    columns: PersonColumns | Mapping[str, str | None] | None = None,
    ties: Ties = "split",
    broadcaster_min_audience: float | None = DEFAULT_BROADCASTER_MIN_AUDIENCE,
    broadcaster_top_share: float | None = None,
    origin: str = "person table",
) -> ReadersSweepResult:
    """Share of total impressions made by each segment as readers per post move.

    The segments are found once (:func:`~influence_kit.segments.membership`;
    they rank people by network impressions and by posts, which readers per
    post do not change). For each readers value the per-person total is
    recomputed with :func:`~influence_kit.accounting.person_impressions` (post
    types with their own readers in the scenario keep them; without the
    scenario's post-type columns, posts take the effective readers per post),
    and the smallest share
    of adults making ``concentration_share`` of it is read with
    :func:`~influence_kit.concentration.fraction_for_share`. The table's own
    ``post_impressions`` and ``total_impressions`` columns are not used.

    Parameters
    ----------
    people
        A person table, a :class:`~influence_kit.population.SyntheticPopulation`
        or the path of one.
    scenario
        Gives the base readers per post and its range (reported, and drawn by
        the plot) and any per-type readers per post held fixed.
    readers
        Readers per post values (non-negative; sorted and de-duplicated).
    concentration_share
        Threshold of the segments and the share of the total for the
        "smallest share of adults" figures (``None``: the scenario's
        ``segments.concentration_share``).
    columns, ties, broadcaster_min_audience, broadcaster_top_share, origin
        As for :func:`~influence_kit.segments.segment_people`.

    Returns
    -------
    ReadersSweepResult

    Raises
    ------
    ParameterError
        If no readers value is given, one is negative or not a number, or
        ``concentration_share`` lies outside (0, 1).
    DataError
        If the table is unusable or lacks network impressions or posts.

    Examples
    --------
    >>> from influence_kit import load_scenario
    >>> from influence_kit.population import load_panel
    >>> s = load_scenario("forrester-us-2009")
    >>> r = segment_readers_sweep(load_panel(), s, [0, 150])
    >>> [round(float(x), 3) for x in r.share_of_total["mass_influencers"]]
    [0.855, 0.837]
    >>> round(r.share_of_total_at(1000), 3)
    0.822
    """
    grid = np.unique(check_nonnegative_numbers("readers", readers))
    if concentration_share is None:
        concentration_share = resolve_concentration(None, scenario)
    share = float(check_fractions("concentration_share", concentration_share)[0])
    frame, origin = _frame(people, origin)
    arrays = validate_person_table(frame, columns, origin=origin)
    if arrays.network_impressions is None:
        raise DataError(
            f"{origin}: segment_readers_sweep needs network impressions (or updates x audience)"
        )
    if arrays.influence_posts is None:
        raise DataError(f"{origin}: segment_readers_sweep needs influence posts")
    members = membership(
        frame,
        scenario,
        columns=columns,
        concentration_share=share,
        ties=ties,
        broadcaster_min_audience=broadcaster_min_audience,
        broadcaster_top_share=broadcaster_top_share,
        origin=origin,
    )
    w = arrays.weight
    network = arrays.network_impressions
    fixed, free, fixed_readers = _post_channels(frame, scenario, arrays.influence_posts)
    base = network + fixed

    total_fixed = float(w @ base)
    total_per_reader = float(w @ free)
    seg_fixed: dict[str, float] = {}
    seg_per_reader: dict[str, float] = {}
    for name in READERS_SEGMENTS:
        wm = w * members[name].to_numpy()
        seg_fixed[name] = float(wm @ base)
        seg_per_reader[name] = float(wm @ free)

    totals = total_fixed + grid * total_per_reader
    with np.errstate(invalid="ignore", divide="ignore"):
        share_of_total = {
            name: np.where(
                totals > 0, (seg_fixed[name] + grid * seg_per_reader[name]) / totals, np.nan
            )
            for name in READERS_SEGMENTS
        }
    at_zero = {
        name: seg_fixed[name] / total_fixed if total_fixed > 0 else float("nan")
        for name in READERS_SEGMENTS
    }
    at_infinity = {
        name: seg_per_reader[name] / total_per_reader if total_per_reader > 0 else float("nan")
        for name in READERS_SEGMENTS
    }

    top_total = np.array([_top_fraction(base + r * free, w, share) for r in grid])
    top_network = _top_fraction(network, w, share)
    if np.any(fixed > 0):
        top_posts = np.array([_top_fraction(fixed + r * free, w, share) for r in grid])
    else:  # the post channel is r * free: its concentration does not depend on r > 0
        free_fraction = _top_fraction(free, w, share)
        top_posts = np.where(grid > 0, free_fraction, np.nan)

    if broadcaster_top_share is not None and arrays.audience is not None:
        broadcaster_min_audience = broadcaster_threshold(
            arrays.audience, w, float(broadcaster_top_share)
        )
    q = effective_inputs(scenario).readers_per_post
    return ReadersSweepResult(
        scenario_name=scenario.name,
        readers=grid,
        base_readers=float(q.base),
        readers_low=float("nan") if q.low is None else float(q.low),
        readers_high=float("nan") if q.high is None else float(q.high),
        fixed_readers=fixed_readers,
        concentration_share=share,
        network_impressions=float(w @ network),
        post_impressions=float(w @ fixed) + grid * total_per_reader,
        total_impressions=totals,
        share_of_total=share_of_total,
        share_at_zero_readers=at_zero,
        share_at_infinite_readers=at_infinity,
        top_fraction_total=top_total,
        top_fraction_network=top_network,
        top_fraction_posts=top_posts,
        n_people=arrays.n,
        adults=float(w.sum()),
        ties=ties,
        broadcaster_min_audience=broadcaster_min_audience,
        segment_fixed=seg_fixed,
        segment_per_reader=seg_per_reader,
        total_fixed=total_fixed,
        total_per_reader=total_per_reader,
    )
