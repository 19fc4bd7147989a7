"""Segment a person table: Mass Connectors, Mass Mavens, Broadcasters and the ladder."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..population import SyntheticPopulation
from ..results import Result
from ..scenarios import Scenario
from .table import PersonArrays, PersonColumns, validate_person_table

logger = logging.getLogger(__name__)

#: Default minimum audience of a Social Broadcaster (see the package docstring).
DEFAULT_BROADCASTER_MIN_AUDIENCE = 10_000.0

#: Default readers per post when a table has posts but no post impressions (Forrester's 150).
DEFAULT_READERS_PER_POST = 150.0

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

#: Technographics groups reported, with their flag roles.
LADDER: dict[str, str] = {
    "creators": "creator",
    "conversationalists": "conversationalist",
    "critics": "critic",
    "collectors": "collector",
    "joiners": "joiner",
    "spectators": "spectator",
    "inactives": "inactive",
}

Ties = Literal["split", "include"]


def top_membership(
    values: np.ndarray,
    weights: np.ndarray,
    share: float,
    *,
    ties: Ties = "split",
    order: np.ndarray | None = None,
) -> np.ndarray:
    """Membership of the smallest top group holding ``share`` of the weighted total.

    People are ranked by ``values`` (descending); the group is the fewest
    adults (by weight) whose ``sum(weight * value)`` reaches ``share`` of the
    total. The person at which the cumulative sum crosses the target fixes the
    boundary value ``v*``: everyone above ``v*`` is in. The people at ``v*``
    (the boundary person, and anyone tied with them) are handled by ``ties``:

    * ``"split"`` (default): each of them gets the same fractional membership,
      just enough for the group to hold exactly ``share`` (the top share's
      Lorenz curve is interpolated, as usual); shares of adults count that
      fraction (the expected result of admitting tied people at random), so
      results do not depend on row order.
    * ``"include"``: all of them are in (the group may hold more than
      ``share``; with unit weights it is the smallest set of whole people).

    Parameters
    ----------
    values
        Non-negative activity per person.
    weights
        Non-negative person weights (zero excludes a person).
    share
        Target share of the weighted total, in (0, 1].
    ties
        Tie policy at the boundary.
    order
        Precomputed ``argsort(-values, kind="stable")`` (for repeated calls).

    Returns
    -------
    numpy.ndarray
        Membership in [0, 1] per person; all zero when the total is zero.
    """
    if not 0 < share <= 1:
        raise ParameterError(f"share must lie in (0, 1], got {share}")
    if ties not in ("split", "include"):
        raise ParameterError(f"ties must be 'split' or 'include', got {ties!r}")
    mass = weights * values
    total = float(mass.sum())
    member = np.zeros(values.size)
    if total <= 0:
        return member
    if order is None:
        order = np.argsort(-values, kind="stable")
    cum = np.cumsum(mass[order])
    target = share * total
    idx = int(np.searchsorted(cum, target * (1.0 - 1e-12), side="left"))
    idx = min(idx, values.size - 1)
    boundary = values[order[idx]]
    above = (values > boundary) & (weights > 0)
    tied = (values == boundary) & (weights > 0)
    member[above] = 1.0
    if ties == "include":
        member[tied] = 1.0
        return member
    tied_mass = float(mass[tied].sum())
    need = target - float(mass[above].sum())
    if tied_mass > 0:
        member[tied] = min(1.0, max(0.0, need / tied_mass))
    return member


@dataclass(frozen=True)
class _Prepared:
    """Arrays permuted into ascending audience order (so medians need no gathers)."""

    n: int
    perm: np.ndarray
    weight: np.ndarray
    network: np.ndarray
    posts: np.ndarray
    total: np.ndarray
    audience: np.ndarray | None
    flags: dict[str, np.ndarray]
    broadcaster: np.ndarray
    posting: np.ndarray
    order_network: np.ndarray
    order_posts: np.ndarray
    columns: np.ndarray
    has_network: bool
    has_posts: bool


def _prepare(
    arrays: PersonArrays, broadcaster_min_audience: float | None, readers_per_post: float
) -> _Prepared:
    n = arrays.n
    audience = arrays.audience
    perm = np.arange(n) if audience is None else np.argsort(audience, kind="stable")
    network = arrays.network_impressions
    posts = arrays.influence_posts
    net = network[perm] if network is not None else np.zeros(n)
    pst = posts[perm] if posts is not None else np.zeros(n)
    if arrays.post_impressions is not None:
        post_impr = arrays.post_impressions[perm]
    else:
        post_impr = pst * readers_per_post
    aud = audience[perm] if audience is not None else None
    if broadcaster_min_audience is not None and aud is not None:
        broadcaster = aud >= broadcaster_min_audience
    else:
        broadcaster = np.zeros(n, dtype=bool)
    total = net + post_impr
    return _Prepared(
        n=n,
        perm=perm,
        weight=arrays.weight[perm],
        network=net,
        posts=pst,
        total=total,
        audience=aud,
        flags={k: v[perm] for k, v in arrays.flags.items()},
        broadcaster=broadcaster,
        posting=(net > 0) | (pst > 0),
        order_network=np.argsort(-net, kind="stable"),
        order_posts=np.argsort(-pst, kind="stable"),
        columns=np.column_stack([net, pst, total, aud if aud is not None else np.zeros(n)]),
        has_network=network is not None,
        has_posts=posts is not None,
    )


def _memberships(p: _Prepared, w: np.ndarray, share: float, ties: Ties) -> dict[str, np.ndarray]:
    eligible = (~p.broadcaster).astype(float)
    w_elig = w * eligible
    if p.has_network:
        conn = top_membership(p.network, w_elig, share, ties=ties, order=p.order_network)
    else:
        conn = np.zeros(p.n)
    if p.has_posts:
        mav = top_membership(p.posts, w_elig, share, ties=ties, order=p.order_posts)
    else:
        mav = np.zeros(p.n)
    both = conn * mav
    union = conn + mav - both
    potential = eligible * p.posting * (1.0 - union)
    non_posters = eligible * (~p.posting) * (1.0 - union)
    return {
        "social_broadcasters": p.broadcaster.astype(float),
        "mass_influencers": union,
        "mass_connectors": conn,
        "mass_mavens": mav,
        "overlap": both,
        "potential_influencers": potential,
        "non_posters": non_posters,
        "all_adults": np.ones(p.n),
    }


def broadcaster_threshold(audience: np.ndarray, weights: np.ndarray, top_share: float) -> float:
    """Audience from which people are the top ``top_share`` of adults (by weight).

    The person at which the cumulative weight share (largest audiences first)
    reaches ``top_share`` fixes the threshold; people tied with them are
    included, so the tier can hold slightly more than ``top_share``.
    """
    if not 0 < top_share < 1:
        raise ParameterError(f"broadcaster_top_share must lie in (0, 1), got {top_share}")
    order = np.argsort(-audience, kind="stable")
    cum = np.cumsum(weights[order])
    idx = int(np.searchsorted(cum, top_share * cum[-1] * (1.0 - 1e-12), side="left"))
    return float(audience[order[min(idx, audience.size - 1)]])


def _resolve_broadcasters(
    arrays: PersonArrays, min_audience: float | None, top_share: float | None
) -> float | None:
    if top_share is None:
        if min_audience is not None and not min_audience > 0:
            raise ParameterError(f"broadcaster_min_audience must be positive, got {min_audience}")
        return None if min_audience is None else float(min_audience)
    if arrays.audience is None:
        raise ParameterError("broadcaster_top_share needs an audience column")
    return broadcaster_threshold(arrays.audience, arrays.weight, top_share)


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else float("nan")


def _statistics(
    p: _Prepared, w: np.ndarray, share: float, ties: Ties
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    members = _memberships(p, w, share, ties)
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
    for group, role in LADDER.items():
        if role in flags:
            ladder[group] = _ratio(float(w @ flags[role]), adults)
    if "inactives" not in ladder and all(r in flags for r in list(LADDER.values())[:-1]):
        active = np.logical_or.reduce([flags[r] for r in list(LADDER.values())[:-1]])
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
        Share of activity the Connector and Maven groups hold (0.8).
    ties
        Tie policy at the group boundaries.
    broadcaster_min_audience
        Audience from which a person is a Social Broadcaster (``None``: no tier);
        computed from the data when ``broadcaster_top_share`` is given.
    broadcaster_top_share
        The top share of adults by audience asked for as Broadcasters, if any.
    readers_per_post
        Readers per post used when the table has no post impressions.
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
    """

    n_people: int
    adults: float
    concentration_share: float
    ties: str
    broadcaster_min_audience: float | None
    broadcaster_top_share: float | None
    readers_per_post: float
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

    def _get(self, segment: str, statistic: str) -> float:
        return float(self.segments.loc[segment, statistic])

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
        }


def segment_people(
    people: pd.DataFrame | SyntheticPopulation,
    *,
    columns: PersonColumns | Mapping[str, str | None] | None = None,
    concentration_share: float = 0.8,
    ties: Ties = "split",
    broadcaster_min_audience: float | None = DEFAULT_BROADCASTER_MIN_AUDIENCE,
    broadcaster_top_share: float | None = None,
    readers_per_post: float = DEFAULT_READERS_PER_POST,
    n_boot: int = 200,
    ci_level: float = 0.95,
    seed: int | None = 0,
    origin: str = "person table",
) -> Segmentation:
    """Find Mass Connectors, Mass Mavens, Social Broadcasters and the ladder.

    Parameters
    ----------
    people
        A person table or a :class:`~influence_kit.population.SyntheticPopulation`.
    columns
        Column roles; ``None`` for the synthetic schema, or e.g.
        ``{"influence_posts": "votes_cast", "audience": "votes_received",
        "network_updates": "votes_cast"}``.
    concentration_share
        Share of network impressions (posts) the Mass Connectors (Mavens) hold.
    ties
        ``"split"`` or ``"include"``, see :func:`top_membership`.
    broadcaster_min_audience
        People with at least this audience are Social Broadcasters, set apart
        before the Mass Influencer groups are found (``None``: no tier).
    broadcaster_top_share
        If given, overrides ``broadcaster_min_audience``: the Broadcasters are
        the top this share of adults by audience (see
        :func:`broadcaster_threshold`); the threshold is then held fixed in the
        bootstrap.
    readers_per_post
        Readers per post for total impressions when the table has no
        ``post_impressions``.
    n_boot
        Bootstrap replicates (people resampled with replacement); 0 for none.
        Each replicate costs about one segmentation (roughly 0.05 s per 1e5
        people), since the sort orders are computed once.
    ci_level
        Coverage of the percentile intervals.
    seed
        Seed of the bootstrap.
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
    if not 0 < concentration_share < 1:
        raise ParameterError(f"concentration_share must lie in (0, 1), got {concentration_share}")
    if not readers_per_post >= 0:
        raise ParameterError(f"readers_per_post must not be negative, got {readers_per_post}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ParameterError(f"n_boot must be a whole number >= 0, got {n_boot!r}")
    if not 0 < ci_level < 1:
        raise ParameterError(f"ci_level must lie in (0, 1), got {ci_level}")
    if ties not in ("split", "include"):
        raise ParameterError(f"ties must be 'split' or 'include', got {ties!r}")
    frame = people.people if isinstance(people, SyntheticPopulation) else people
    arrays = validate_person_table(frame, columns, origin=origin)
    threshold = _resolve_broadcasters(arrays, broadcaster_min_audience, broadcaster_top_share)
    prep = _prepare(arrays, threshold, readers_per_post)
    w = prep.weight
    point, ladder = _statistics(prep, w, concentration_share, ties)
    segments = pd.DataFrame.from_dict(point, orient="index").reindex(
        index=list(SEGMENTS), columns=list(STATISTICS)
    )
    segments.index.name = "segment"
    intervals = _bootstrap(
        prep, w, concentration_share, ties, point, ladder, n_boot, ci_level, seed
    )
    return Segmentation(
        n_people=arrays.n,
        adults=float(w.sum()),
        concentration_share=float(concentration_share),
        ties=ties,
        broadcaster_min_audience=threshold,
        broadcaster_top_share=None
        if broadcaster_top_share is None
        else float(broadcaster_top_share),
        readers_per_post=float(readers_per_post),
        network_impressions_total=float(w @ prep.network) if prep.has_network else None,
        posts_total=float(w @ prep.posts) if prep.has_posts else None,
        total_impressions_total=float(w @ prep.total),
        segments=segments,
        technographics=ladder,
        intervals=intervals,
        n_boot=int(n_boot),
        ci_level=float(ci_level),
        seed=None if seed is None else int(seed),
        columns=dict(arrays.columns),
    )


def _bootstrap(
    prep: _Prepared,
    w: np.ndarray,
    share: float,
    ties: Ties,
    point: dict[str, dict[str, float]],
    ladder: dict[str, float],
    n_boot: int,
    ci_level: float,
    seed: int | None,
) -> pd.DataFrame:
    columns = ["segment", "statistic", "estimate", "low", "high"]
    if n_boot == 0:
        return pd.DataFrame(columns=columns)
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
    alpha = (1.0 - ci_level) / 2.0
    low = np.full(len(keys), np.nan)
    high = np.full(len(keys), np.nan)
    for j in range(len(keys)):
        finite = draws[np.isfinite(draws[:, j]), j]
        if finite.size:
            low[j], high[j] = np.quantile(finite, [alpha, 1.0 - alpha])
    rows = []
    for j, (s, k) in enumerate(keys):
        est = ladder[k] if s == "technographics" else point[s][k]
        rows.append((s, k, est, float(low[j]), float(high[j])))
    return pd.DataFrame(rows, columns=columns)


def membership(
    people: pd.DataFrame,
    *,
    columns: PersonColumns | Mapping[str, str | None] | None = None,
    concentration_share: float = 0.8,
    ties: Ties = "split",
    broadcaster_min_audience: float | None = DEFAULT_BROADCASTER_MIN_AUDIENCE,
    broadcaster_top_share: float | None = None,
    origin: str = "person table",
) -> pd.DataFrame:
    """Each person's membership (0..1, fractional only at tied boundaries) of each segment.

    Same definitions and parameters as :func:`segment_people`; the index is the
    table's.
    """
    arrays = validate_person_table(people, columns, origin=origin)
    threshold = _resolve_broadcasters(arrays, broadcaster_min_audience, broadcaster_top_share)
    prep = _prepare(arrays, threshold, DEFAULT_READERS_PER_POST)
    members = _memberships(prep, prep.weight, concentration_share, ties)
    members.pop("all_adults")
    out = {}
    for name, values in members.items():
        unpermuted = np.empty_like(values)
        unpermuted[prep.perm] = values
        out[name] = unpermuted
    return pd.DataFrame(out, index=people.index)


def published_comparison(
    result: Segmentation,
    scenario: Scenario,
    technographics: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """A segmentation's headline figures beside a scenario's published ones.

    Parameters
    ----------
    result
        A segmentation (usually of a synthetic population).
    scenario
        The scenario holding the published figures (its ``segments`` block and
        totals).
    technographics
        Published Technographics shares (e.g.
        :func:`influence_kit.population.technographics_profile`).

    Returns
    -------
    pandas.DataFrame
        Index ``figure``; columns ``published``, ``this_table`` and
        ``difference`` (this table minus published); figures a scenario does
        not publish are left out.
    """
    published: dict[str, float | None] = {
        "network_impressions_total": float(scenario.network_impressions.base),
        "posts_total": float(scenario.influence_posts.base),
    }
    seg = scenario.segments
    if seg is not None:
        published["mass_connectors_share"] = seg.mass_connectors_share.base
        published["mass_mavens_share"] = (
            seg.mass_mavens_share.base if seg.mass_mavens_share else None
        )
        published["overlap_share"] = seg.overlap_share.base if seg.overlap_share else None
        published["mass_influencers_share"] = seg.mass_influencers_share
        published["connectors_mean_friends"] = (
            seg.connectors_mean_friends.base if seg.connectors_mean_friends else None
        )
    mine = result.to_dict()
    rows = []
    for key, value in published.items():
        if value is None or mine.get(key) is None:
            continue
        rows.append((key, float(value), float(mine[key])))
    for group, value in (technographics or {}).items():
        if group in result.technographics:
            rows.append((f"technographics.{group}", float(value), result.technographics[group]))
    table = pd.DataFrame(rows, columns=["figure", "published", "this_table"]).set_index("figure")
    table["difference"] = table["this_table"] - table["published"]
    return table
