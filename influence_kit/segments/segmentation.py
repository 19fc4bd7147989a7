"""Segment a person table: Mass Connectors, Mass Mavens, Broadcasters and the ladder."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..accounting import effective_inputs
from ..concentration import TailCheck, check_tail
from ..constants import DEFAULT_SEED
from ..errors import HeavyTailWarning, ParameterError
from ..formatting import format_value
from ..population import FLAG_COLUMNS, TECHNOGRAPHICS_GROUPS, SyntheticPopulation
from ..results import KeyFigure, KeyFigures, Result, check_alpha, interval_frame
from ..scenarios import Scenario
from ..tables import value_table
from ..validation import (
    MIN_REPLICATES,
    SeedLike,
    check_budget,
    check_nonnegative,
    check_replicates,
    check_seed,
    check_share,
    seed_entropy,
)
from .membership import (
    DEFAULT_BROADCASTER_MIN_AUDIENCE,
    Prepared,
    Ties,
    check_ties,
    memberships,
    prepare,
    resolve_people,
    table_impressions,
)
from .table import PersonColumns

logger = logging.getLogger(__name__)

#: Segments reported, in display order.
SEGMENTS: tuple[str, ...] = (
    "social_broadcasters",
    "mass_influencers",
    "mass_connectors",
    "mass_mavens",
    "overlap",
    "potential_influencers",
    "non_posters",
    "all_adults",
)

#: The pyramid's exclusive tiers (their shares of adults sum to 1).
PYRAMID: tuple[str, ...] = (
    "social_broadcasters",
    "mass_influencers",
    "potential_influencers",
    "non_posters",
)

#: Statistics computed for every segment.
STATISTICS: tuple[str, ...] = (
    "share_of_adults",
    "share_of_network_impressions",
    "share_of_posts",
    "share_of_total_impressions",
    "mean_audience",
    "median_audience",
)


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else float("nan")


def _statistics(
    p: Prepared, w: np.ndarray, share: float, ties: Ties
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    members = memberships(p, w, share, ties)
    adults = float(w.sum())
    totals = w @ p.columns  # columns: network, posts, total, audience
    out: dict[str, dict[str, float]] = {}
    for name, m in members.items():
        wm = w * m  # one segment at a time keeps memory at a few arrays of n
        size = float(wm.sum())
        sums = wm @ p.columns
        median = float("nan")
        mean = float("nan")
        if p.audience is not None and size > 0:
            cum = np.cumsum(wm)
            idx = int(np.searchsorted(cum, 0.5 * cum[-1], side="left"))
            median = float(p.audience[min(idx, p.n - 1)])
            mean = float(sums[3]) / size
        out[name] = {
            "share_of_adults": _ratio(size, adults),
            "share_of_network_impressions": _ratio(float(sums[0]), float(totals[0])),
            "share_of_posts": _ratio(float(sums[1]), float(totals[1])),
            "share_of_total_impressions": _ratio(float(sums[2]), float(totals[2])),
            "mean_audience": mean,
            "median_audience": median,
        }
    ladder: dict[str, float] = {}
    flags = p.flags
    for group, role in FLAG_COLUMNS.items():
        if role in flags:
            ladder[group] = _ratio(float(w @ flags[role]), adults)
    active_roles = [FLAG_COLUMNS[g] for g in TECHNOGRAPHICS_GROUPS if g != "inactives"]
    if "inactives" not in ladder and all(r in flags for r in active_roles):
        active = np.logical_or.reduce([flags[r] for r in active_roles])
        ladder["inactives"] = _ratio(float(w @ ~active), adults)
    return out, ladder


@dataclass(frozen=True, eq=False)
class Segmentation(Result):
    """Segments of a person table, weighted, with bootstrap intervals.

    Attributes
    ----------
    n_people
        Rows of the table.
    adults
        Sum of the person weights (adults represented).
    concentration_share
        Share of activity the Connector and Maven groups hold (the scenario's
        ``segments.concentration_share`` unless given).
    ties
        Tie policy at the group boundaries.
    broadcaster_min_audience
        Audience from which a person is a Social Broadcaster (``None``: no tier);
        computed from the data when ``broadcaster_top_share`` is given.
    broadcaster_top_share
        The top share of adults by audience asked for as Broadcasters, if any.
    readers_per_post
        Readers per post (of the post types without their own) used for post
        impressions when the table has none; ``None`` when the table has them.
    network_impressions_total, posts_total, total_impressions_total
        Weighted yearly totals (``None`` when the table lacks the quantity).
    segments
        One row per segment (:data:`SEGMENTS`), one column per statistic.
    technographics
        Share of adults in each Technographics group present in the table.
    intervals
        Bootstrap percentile intervals: columns ``segment``, ``statistic``,
        ``estimate``, ``low``, ``high`` (empty when ``n_boot`` is 0).
    n_boot, ci_level, seed
        Bootstrap settings.
    columns
        ``{role: column}`` actually used.
    tails
        With bootstrap: the fitted power-law tail of each activity that defines the
        segments (``network_impressions``, ``influence_posts``; see
        :func:`~influence_kit.concentration.check_tail`). A tail index below 2 means an
        infinite variance, where percentile intervals of the groups' shares do not hold.
    replicates
        The bootstrap replicates behind :meth:`conf_int`: one row per replicate, one
        column per statistic named ``segment.statistic`` (``technographics.<group>`` for
        the ladder), NaN where a replicate leaves a statistic undefined; ``None``
        without bootstrap.
    """

    n_people: int
    adults: float
    concentration_share: float
    ties: str
    broadcaster_min_audience: float | None
    broadcaster_top_share: float | None
    readers_per_post: float | None
    network_impressions_total: float | None
    posts_total: float | None
    total_impressions_total: float
    segments: pd.DataFrame
    technographics: dict[str, float]
    intervals: pd.DataFrame
    n_boot: int
    ci_level: float
    seed: int | None
    columns: dict[str, str] = field(default_factory=dict)
    tails: dict[str, TailCheck] = field(default_factory=dict)
    replicates: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def heavy_tailed(self) -> list[str]:
        """Activities whose fitted tail index is below 2 (intervals may not hold)."""
        return [name for name, tail in self.tails.items() if tail.infinite_variance]

    def _get(self, segment: str, statistic: str) -> float:
        return float(self.segments[statistic].loc[segment])

    @property
    def mass_connectors_share(self) -> float:
        """Share of adults who are Mass Connectors."""
        return self._get("mass_connectors", "share_of_adults")

    @property
    def mass_mavens_share(self) -> float:
        """Share of adults who are Mass Mavens."""
        return self._get("mass_mavens", "share_of_adults")

    @property
    def overlap_share(self) -> float:
        """Share of adults who are both."""
        return self._get("overlap", "share_of_adults")

    @property
    def mass_influencers_share(self) -> float:
        """Share of adults who are Mass Connectors or Mass Mavens (or both)."""
        return self._get("mass_influencers", "share_of_adults")

    @property
    def social_broadcasters_share(self) -> float:
        """Share of adults who are Social Broadcasters."""
        return self._get("social_broadcasters", "share_of_adults")

    @property
    def potential_influencers_share(self) -> float:
        """Share of adults who post at all but are not Mass Influencers or Broadcasters."""
        return self._get("potential_influencers", "share_of_adults")

    @property
    def connectors_mean_friends(self) -> float:
        """Mean audience of the Mass Connectors."""
        return self._get("mass_connectors", "mean_audience")

    def summary(self) -> pd.DataFrame:
        """One row per segment, one column per statistic."""
        return self.segments.copy()

    def ladder(self) -> pd.DataFrame:
        """The Technographics ladder: share of adults per group (with intervals if any)."""
        table = pd.DataFrame(
            {"share_of_adults": pd.Series(self.technographics, dtype=float)}
        ).rename_axis("group")
        if len(self.intervals):
            ci = self.intervals[self.intervals["segment"] == "technographics"].set_index(
                "statistic"
            )
            table["low"] = ci["low"].reindex(table.index)
            table["high"] = ci["high"].reindex(table.index)
        return table

    def interval(self, segment: str, statistic: str) -> tuple[float, float] | None:
        """Bootstrap ``(low, high)`` of one statistic, ``None`` without bootstrap."""
        rows = self.intervals[
            (self.intervals["segment"] == segment) & (self.intervals["statistic"] == statistic)
        ]
        if rows.empty:
            return None
        return float(rows["low"].iloc[0]), float(rows["high"].iloc[0])

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Bootstrap percentile intervals covering ``1 - alpha`` of every statistic.

        Parameters
        ----------
        alpha
            One minus the coverage, in (0, 1).

        Returns
        -------
        pandas.DataFrame
            One row per statistic, named ``segment.statistic``
            (``mass_connectors.share_of_adults``; ``technographics.<group>`` for the
            ladder), columns ``lower`` and ``upper``: the ``alpha / 2`` and
            ``1 - alpha / 2`` quantiles of the bootstrap replicates (people resampled
            with replacement) in which the statistic is defined, NaN if it is defined in
            none. The point estimates are those of the whole table (:meth:`summary`,
            :attr:`technographics`), not the replicates' mean or median, so an interval
            need not be centred on its estimate. ``conf_int(1 - ci_level)`` gives the
            ``low`` and ``high`` of :attr:`intervals`.

        Raises
        ------
        ParameterError
            If the segmentation was computed without bootstrap replicates (``n_boot=0``),
            or ``alpha`` is not strictly between 0 and 1.
        """
        if self.replicates is None:
            raise ParameterError(
                "no intervals: the segmentation was computed without bootstrap replicates "
                f"(n_boot=0); segment again with n_boot of at least {MIN_REPLICATES}"
            )
        low, high = _percentiles(self.replicates.to_numpy(dtype=float), check_alpha(alpha))
        return interval_frame(list(self.replicates.columns), low, high)

    def key_figures(self, prefix: str = "", source: str = "") -> KeyFigures:
        """The segment shares of adults (and the Connectors' mean friends), labelled.

        ``prefix`` starts every key (``"wiki_vote."``) and ``source`` every label, so the
        segmentations of several tables can stand in one summary.
        """
        lead = f"{source}: " if source else ""
        rows = [
            ("social_broadcasters_share", "Social Broadcasters", self.social_broadcasters_share),
            ("mass_connectors_share", "Mass Connectors", self.mass_connectors_share),
            ("mass_mavens_share", "Mass Mavens", self.mass_mavens_share),
            ("overlap_share", "both Connectors and Mavens", self.overlap_share),
            ("mass_influencers_share", "Mass Influencers", self.mass_influencers_share),
            (
                "potential_influencers_share",
                "Potential Influencers",
                self.potential_influencers_share,
            ),
        ]
        figures = [
            KeyFigure(f"{prefix}{key}", f"{lead}{label}, share of adults", value, "share")
            for key, label, value in rows
        ]
        if self.connectors_mean_friends is not None:
            figures.append(
                KeyFigure(
                    f"{prefix}connectors_mean_friends",
                    f"{lead}Mass Connectors' mean friends",
                    self.connectors_mean_friends,
                    "people",
                )
            )
        return KeyFigures(tuple(figures))

    def to_dict(self) -> dict[str, Any]:
        """Headline shares and totals at top level, then every segment and interval."""
        return {
            "mass_connectors_share": self.mass_connectors_share,
            "mass_mavens_share": self.mass_mavens_share,
            "overlap_share": self.overlap_share,
            "mass_influencers_share": self.mass_influencers_share,
            "social_broadcasters_share": self.social_broadcasters_share,
            "potential_influencers_share": self.potential_influencers_share,
            "network_impressions_total": self.network_impressions_total,
            "posts_total": self.posts_total,
            "total_impressions_total": self.total_impressions_total,
            "connectors_mean_friends": self.connectors_mean_friends,
            "technographics": dict(self.technographics),
            "n_people": self.n_people,
            "adults": self.adults,
            "concentration_share": self.concentration_share,
            "ties": self.ties,
            "broadcaster_min_audience": self.broadcaster_min_audience,
            "broadcaster_top_share": self.broadcaster_top_share,
            "readers_per_post": self.readers_per_post,
            "columns": dict(self.columns),
            "segments": {
                seg: {k: v for k, v in row.items()}
                for seg, row in self.segments.to_dict(orient="index").items()
            },
            "intervals": self.intervals.to_dict(orient="records"),
            "bootstrap": {"n_boot": self.n_boot, "ci_level": self.ci_level, "seed": self.seed},
            "tail_index": {name: tail.tail_index for name, tail in self.tails.items()},
            "heavy_tailed": self.heavy_tailed,
        }


def segment_people(
    people: pd.DataFrame | SyntheticPopulation,
    scenario: Scenario | None = None,
    *,
    columns: PersonColumns | Mapping[str, str | None] | None = None,
    concentration_share: float | None = None,
    ties: Ties = "split",
    broadcaster_min_audience: float | None = DEFAULT_BROADCASTER_MIN_AUDIENCE,
    broadcaster_top_share: float | None = None,
    readers_per_post: float | None = None,
    n_boot: int = 200,
    ci_level: float = 0.95,
    seed: SeedLike = DEFAULT_SEED,
    origin: str = "person table",
) -> Segmentation:
    """Find Mass Connectors, Mass Mavens, Social Broadcasters and the ladder.

    Parameters
    ----------
    people
        A person table or a :class:`~influence_kit.population.SyntheticPopulation`.
    scenario
        Gives the concentration share and the readers per post of each post
        type (for tables without post impressions); ``None``: the scenario a
        synthetic population was calibrated to, else none (then
        ``concentration_share`` must be given and the table must have post
        impressions if it has posts).
    columns
        Column roles; ``None`` for the synthetic schema, or e.g.
        ``{"influence_posts": "votes_cast", "audience": "votes_received",
        "network_updates": "votes_cast"}``.
    concentration_share
        Share of network impressions (posts) the Mass Connectors (Mavens) hold
        (``None``: the scenario's ``segments.concentration_share``).
    ties
        ``"split"`` or ``"include"``, see :func:`~influence_kit.segments.top_membership`.
    broadcaster_min_audience
        People with at least this audience are Social Broadcasters, set apart
        before the Mass Influencer groups are found (``None``: no tier).
    broadcaster_top_share
        If given, overrides ``broadcaster_min_audience``: the Broadcasters are
        the top this share of adults by audience (see
        :func:`~influence_kit.segments.broadcaster_threshold`); the threshold is
        then held fixed in the bootstrap.
    readers_per_post
        Readers per post of the post types without their own, for tables
        without ``post_impressions`` (``None``: the scenario's); post
        impressions then come from
        :func:`~influence_kit.accounting.person_impressions`.
    n_boot
        Bootstrap replicates (people resampled with replacement): 0 for none,
        otherwise at least :data:`~influence_kit.validation.arguments.MIN_REPLICATES`
        (39).
        Each replicate costs about one segmentation (a few hundredths of a
        second per 1e5 people for each top group).
    ci_level
        Coverage of the percentile intervals.
    seed
        Seed of the bootstrap (rule of
        :func:`~influence_kit.validation.check_random_state`; ``None``: fresh entropy).
    origin
        Name used in error messages.

    Returns
    -------
    Segmentation

    Raises
    ------
    DataError
        If the table is unusable (see
        :func:`~influence_kit.segments.validate_person_table`).
    ParameterError
        If an option is out of range.
    """
    if readers_per_post is not None:
        readers_per_post = check_nonnegative("readers_per_post", readers_per_post)
    n_boot = check_replicates("n_boot (--bootstrap)", n_boot, allow_zero=True)
    # One row of statistics per replicate (at most every segment's statistics and the
    # ladder); each replicate also resamples every person, which is time, not memory.
    row = len(SEGMENTS) * len(STATISTICS) + len(TECHNOGRAPHICS_GROUPS)
    check_budget("segment bootstrap replicates", n_boot, 2 * 8 * row, option="n_boot (--bootstrap)")
    ci_level = check_share("ci_level", ci_level, closed=False)
    ties = check_ties(ties)
    seq = check_seed(seed)
    given = resolve_people(
        people,
        scenario,
        columns,
        concentration_share,
        broadcaster_min_audience,
        broadcaster_top_share,
        origin,
    )
    scenario, share, frame, arrays = given.scenario, given.share, given.frame, given.arrays
    post_impressions = table_impressions(frame, arrays, scenario, readers_per_post, origin)
    prep = prepare(arrays, given.threshold, post_impressions)
    w = prep.weight
    point, ladder = _statistics(prep, w, share, ties)
    used_readers: float | None = None
    if arrays.post_impressions is None and arrays.influence_posts is not None:
        assert scenario is not None  # table_impressions needs one here
        used_readers = float(
            effective_inputs(scenario).readers_per_post.base
            if readers_per_post is None
            else readers_per_post
        )
    segments = pd.DataFrame.from_dict(point, orient="index").reindex(
        index=list(SEGMENTS), columns=list(STATISTICS)
    )
    segments.index.name = "segment"
    intervals, replicates = _bootstrap(prep, w, share, ties, point, ladder, n_boot, ci_level, seq)
    tails = _check_tails(prep) if n_boot else {}
    # infinite_variance implies a fitted index (not None)
    heavy = {
        name: tail.tail_index
        for name, tail in tails.items()
        if tail.infinite_variance and tail.tail_index is not None
    }
    if heavy:
        indices = ", ".join(f"{name} {format_value(index, 3)}" for name, index in heavy.items())
        warnings.warn(
            f"{origin}: fitted tail index below 2 (infinite variance) for {indices}: the "
            "percentile bootstrap intervals of the segments may not hold",
            HeavyTailWarning,
            stacklevel=2,
        )
    return Segmentation(
        n_people=arrays.n,
        adults=float(w.sum()),
        concentration_share=share,
        ties=ties,
        broadcaster_min_audience=given.threshold,
        broadcaster_top_share=None
        if broadcaster_top_share is None
        else float(broadcaster_top_share),
        readers_per_post=used_readers,
        network_impressions_total=float(w @ prep.network) if prep.has_network else None,
        posts_total=float(w @ prep.posts) if prep.has_posts else None,
        total_impressions_total=float(w @ prep.total),
        segments=segments,
        technographics=ladder,
        intervals=intervals,
        n_boot=n_boot,
        ci_level=ci_level,
        seed=seed_entropy(seq),
        columns=dict(arrays.columns),
        tails=tails,
        replicates=replicates,
    )


def _check_tails(prep: Prepared) -> dict[str, TailCheck]:
    """The fitted tail of each activity that defines a segment (people counted once)."""
    activities = {"network_impressions": prep.network, "influence_posts": prep.posts}
    present = {"network_impressions": prep.has_network, "influence_posts": prep.has_posts}
    return {
        name: check_tail(value_table(values[values > 0]))
        for name, values in activities.items()
        if present[name] and np.count_nonzero(values)
    }


def _bootstrap(
    prep: Prepared,
    w: np.ndarray,
    share: float,
    ties: Ties,
    point: dict[str, dict[str, float]],
    ladder: dict[str, float],
    n_boot: int,
    ci_level: float,
    seed: np.random.SeedSequence,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The intervals table at ``ci_level`` and the replicates (``None`` when ``n_boot`` is 0)."""
    columns = ["segment", "statistic", "estimate", "low", "high"]
    if n_boot == 0:
        return pd.DataFrame(columns=columns), None
    keys = [
        (s, k)
        for s in SEGMENTS
        for k in STATISTICS
        if s != "all_adults" or k in ("mean_audience", "median_audience")
    ]
    keys += [("technographics", g) for g in ladder]
    draws = np.empty((n_boot, len(keys)))
    rng = np.random.default_rng(seed)
    n = prep.n
    for b in range(n_boot):
        counts = np.bincount(rng.integers(0, n, size=n), minlength=n)
        stats, lad = _statistics(prep, w * counts, share, ties)
        draws[b] = [lad[k] if s == "technographics" else stats[s][k] for s, k in keys]
    low, high = _percentiles(draws, 1.0 - ci_level)
    rows = []
    for j, (s, k) in enumerate(keys):
        est = ladder[k] if s == "technographics" else point[s][k]
        rows.append((s, k, est, float(low[j]), float(high[j])))
    names = pd.Index([f"{s}.{k}" for s, k in keys], name="quantity")
    replicates = pd.DataFrame(draws, columns=names).rename_axis("replicate")
    return pd.DataFrame(rows, columns=columns), replicates


def _percentiles(draws: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """The ``alpha / 2`` and ``1 - alpha / 2`` quantiles of each column's finite replicates.

    A statistic undefined in a replicate (the mean audience of a segment nobody fell in)
    is NaN there and left out; a column with no finite replicate gives NaN.
    """
    low = np.full(draws.shape[1], np.nan)
    high = np.full(draws.shape[1], np.nan)
    half = alpha / 2.0
    for j in range(draws.shape[1]):
        finite = draws[np.isfinite(draws[:, j]), j]
        if finite.size:
            low[j], high[j] = np.quantile(finite, [half, 1.0 - half])
    return low, high
