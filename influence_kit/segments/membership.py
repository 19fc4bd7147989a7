"""Who is in each segment: the top groups, the Broadcaster tier and per-person membership."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from ..accounting import person_impressions
from ..concentration.measures import fraction_for_share
from ..constants import DEFAULT_BROADCASTER_MIN_AUDIENCE
from ..errors import ParameterError
from ..formatting import format_number, format_percent
from ..population import SyntheticPopulation
from ..scenarios import Scenario
from ..tables import ValueTable
from ..validation import check_choice, check_positive, check_share
from .table import PersonArrays, PersonColumns, validate_person_table

Ties = Literal["split", "include"]

#: Smallest fractional membership that ``ties="include"`` counts as "in" (below it
#: the boundary group is only reached through rounding of the cumulative sums).
_INCLUDE_TOLERANCE = 1e-9


def check_ties(ties: Ties) -> Ties:
    """``ties`` if it is a tie policy (``"split"`` or ``"include"``), else ParameterError."""
    return check_choice("ties", ties, get_args(Ties))


@dataclass(frozen=True)
class Levels:
    """The distinct values of an activity column and each person's level among them.

    Ranking the values (a sort) is done once; a top group for any weights then costs
    one ``bincount`` over the people and work over the levels
    (:func:`level_membership`), so a bootstrap that only reweights people never sorts.

    Attributes
    ----------
    values
        The distinct values, ascending.
    inverse
        Each person's index into ``values``.
    """

    values: np.ndarray
    inverse: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray) -> Levels:
        """The levels of ``values`` (one per person)."""
        levels, inverse = np.unique(np.asarray(values, dtype=float), return_inverse=True)
        return cls(levels, inverse.reshape(-1))


def level_membership(levels: Levels, weights: np.ndarray, share: float, ties: Ties) -> np.ndarray:
    """:func:`top_membership` of people ranked by ``levels``, with checked ``share`` and ``ties``.

    People with weight zero are not counted and get membership 0.
    """
    member = np.zeros(levels.inverse.size)
    w_level = np.bincount(levels.inverse, weights=weights, minlength=levels.values.size)
    if float(w_level @ levels.values) <= 0:
        return member
    counted = w_level > 0
    population = float(w_level.sum())
    if share < 1:
        # The counted levels as a weighted table (one row per level), read by the one
        # implementation of the top share curve.
        positive = counted & (levels.values > 0)
        zero_weight = w_level[~positive & counted]
        table = ValueTable(
            values=levels.values[positive],
            counts=np.ones(int(positive.sum())),
            n_zeros=int(zero_weight.size),
            weights=w_level[positive],
            zero_weights=zero_weight,
            zero_counts=np.ones(zero_weight.size),
        )
        top = float(fraction_for_share(table, share)[0])
    else:  # everyone with activity
        top = float(w_level[levels.values > 0].sum()) / population
    above = population - np.cumsum(w_level)  # weight with a value above each level
    fraction = np.divide(
        top * population - above, w_level, out=np.zeros_like(w_level), where=counted
    )
    fraction = np.clip(fraction, 0.0, 1.0)
    if ties == "include":
        fraction = (fraction > _INCLUDE_TOLERANCE).astype(float)
    np.multiply(fraction[levels.inverse], weights > 0, out=member)
    return member


def top_membership(
    values: np.ndarray,
    weights: np.ndarray,
    share: float,
    *,
    ties: Ties = "split",
) -> np.ndarray:
    """Membership of the smallest top group holding ``share`` of the weighted total.

    The group's size is :func:`~influence_kit.concentration.fraction_for_share`
    (the smallest fraction of adults, by weight, from the top, whose
    ``sum(weight * value)`` reaches ``share`` of the total; ties split
    fractionally). Everyone whose value exceeds the boundary value ``v*`` is
    in; the people at ``v*`` are handled by ``ties``:

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

    Returns
    -------
    numpy.ndarray
        Membership in [0, 1] per person; all zero when the total is zero.
    """
    share = check_share("share", check_positive("share", share))
    ties = check_ties(ties)
    return level_membership(Levels.of(values), np.asarray(weights, dtype=float), share, ties)


#: How far above the asked ``broadcaster_top_share`` ties may carry the tier (relative):
#: beyond it the share is refused with the shares the data can give.
TIER_TIE_TOLERANCE = 0.1


def broadcaster_threshold(audience: np.ndarray, weights: np.ndarray, top_share: float) -> float:
    """Audience from which people are the top ``top_share`` of adults (by weight).

    The person at which the cumulative weight share (largest audiences first)
    reaches ``top_share`` fixes the threshold; people tied with them are
    included, so the tier can hold slightly more than ``top_share`` (at most
    :data:`TIER_TIE_TOLERANCE` more, relatively).

    Raises
    ------
    ParameterError
        If ``top_share`` is not in (0, 1); if the threshold would fall on people with no
        audience (nobody broadcasts to no one; the message gives the largest share that
        can be asked); or if ties at the threshold would make the tier much larger than
        asked (the message gives the shares the data can give).
    """
    top_share = check_share("broadcaster_top_share", top_share, closed=False)
    order = np.argsort(-audience, kind="stable")
    cum = np.cumsum(weights[order])
    idx = int(np.searchsorted(cum, top_share * cum[-1] * (1.0 - 1e-12), side="left"))
    threshold = float(audience[order[min(idx, audience.size - 1)]])
    total = float(cum[-1])
    above = float(weights[audience > threshold].sum()) / total
    at_or_above = float(weights[audience >= threshold].sum()) / total
    if threshold <= 0:
        raise ParameterError(
            f"broadcaster_top_share {format_percent(top_share, 1)} reaches people with no "
            f"audience, and only {format_percent(above, 1)} of adults have one; ask for at "
            "most that share, or give broadcaster_min_audience instead"
        )
    if at_or_above > top_share * (1.0 + TIER_TIE_TOLERANCE):
        raise ParameterError(
            f"broadcaster_top_share {format_percent(top_share, 1)}: "
            f"{format_percent(at_or_above - above, 1)} of adults are tied at audience "
            f"{format_number(threshold)}, so the tier holds either "
            f"{format_percent(above, 1)} or {format_percent(at_or_above, 1)} of adults; "
            "ask for one of those shares, or give broadcaster_min_audience instead"
        )
    return threshold


def resolve_broadcasters(
    arrays: PersonArrays, min_audience: float | None, top_share: float | None
) -> float | None:
    """The Broadcaster audience threshold (``None``: no tier) from the two options."""
    if top_share is None:
        if min_audience is None:
            return None
        return check_positive("broadcaster_min_audience", min_audience)
    if arrays.audience is None:
        raise ParameterError("broadcaster_top_share needs an audience column")
    return broadcaster_threshold(arrays.audience, arrays.weight, top_share)


@dataclass(frozen=True)
class PeopleInputs:
    """A person table and the options of a segmentation, checked and resolved."""

    scenario: Scenario | None
    share: float
    frame: pd.DataFrame
    arrays: PersonArrays
    threshold: float | None


def resolve_people(
    people: pd.DataFrame | SyntheticPopulation,
    scenario: Scenario | None,
    columns: PersonColumns | Mapping[str, str | None] | None,
    concentration_share: float | None,
    broadcaster_min_audience: float | None,
    broadcaster_top_share: float | None,
    origin: str,
) -> PeopleInputs:
    """The scenario, concentration share, table arrays and Broadcaster threshold to use.

    Shared by :func:`membership` and :func:`~influence_kit.segments.segment_people`
    (same parameters).
    """
    scenario = resolve_scenario(people, scenario)
    share = resolve_concentration(concentration_share, scenario)
    frame = people.people if isinstance(people, SyntheticPopulation) else people
    arrays = validate_person_table(frame, columns, origin=origin)
    threshold = resolve_broadcasters(arrays, broadcaster_min_audience, broadcaster_top_share)
    return PeopleInputs(scenario, share, frame, arrays, threshold)


def resolve_scenario(
    people: pd.DataFrame | SyntheticPopulation, scenario: Scenario | None
) -> Scenario | None:
    """The scenario given, else the one a synthetic population was calibrated to."""
    if scenario is None and isinstance(people, SyntheticPopulation):
        return people.calibration.source
    return scenario


def resolve_concentration(concentration_share: float | None, scenario: Scenario | None) -> float:
    """The concentration share given, else the scenario's ``segments.concentration_share``."""
    if concentration_share is None:
        if scenario is None or scenario.segments is None:
            raise ParameterError(
                "concentration_share: give it, or a scenario with a segments block to read it from"
            )
        concentration_share = float(scenario.segments.concentration_share.base)
    return check_share("concentration_share", concentration_share, closed=False)


def table_impressions(
    frame: pd.DataFrame,
    arrays: PersonArrays,
    scenario: Scenario | None,
    readers_per_post: float | None,
    origin: str,
) -> np.ndarray:
    """Each person's post impressions: the table's, else the accounting model's.

    A table without a post-impressions column gets them from
    :func:`~influence_kit.accounting.person_impressions` (posts by type times
    each type's readers per post when the table has the scenario's post-type
    columns, else posts times the effective readers per post).
    """
    n = arrays.n
    if arrays.post_impressions is not None:
        return arrays.post_impressions
    if arrays.influence_posts is None:
        return np.zeros(n)
    if scenario is None:
        raise ParameterError(
            f"{origin}: the table has posts but no post impressions; give a scenario "
            "(its readers per post of each post type)"
        )
    columns = {
        "network_impressions": np.zeros(n),
        "influence_posts": arrays.influence_posts,
    }
    for t in scenario.post_type_shares:
        if t in frame.columns:
            columns[t] = frame[t].to_numpy(dtype=float)
    table = pd.DataFrame(columns)
    return person_impressions(table, scenario, readers_per_post=readers_per_post)[
        "post_impressions"
    ].to_numpy()


@dataclass(frozen=True)
class Prepared:
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
    columns: np.ndarray
    has_network: bool
    has_posts: bool
    network_levels: Levels
    posts_levels: Levels


def prepare(
    arrays: PersonArrays, broadcaster_min_audience: float | None, post_impressions: np.ndarray
) -> Prepared:
    """Permute a table's arrays into ascending audience order."""
    n = arrays.n
    audience = arrays.audience
    perm = np.arange(n) if audience is None else np.argsort(audience, kind="stable")
    network = arrays.network_impressions
    posts = arrays.influence_posts
    net = network[perm] if network is not None else np.zeros(n)
    pst = posts[perm] if posts is not None else np.zeros(n)
    post_impr = post_impressions[perm]
    aud = audience[perm] if audience is not None else None
    if broadcaster_min_audience is not None and aud is not None:
        broadcaster = aud >= broadcaster_min_audience
    else:
        broadcaster = np.zeros(n, dtype=bool)
    total = net + post_impr
    return Prepared(
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
        columns=np.column_stack([net, pst, total, aud if aud is not None else np.zeros(n)]),
        has_network=network is not None,
        has_posts=posts is not None,
        network_levels=Levels.of(net),
        posts_levels=Levels.of(pst),
    )


def memberships(p: Prepared, w: np.ndarray, share: float, ties: Ties) -> dict[str, np.ndarray]:
    """Each segment's membership per person (in the prepared order).

    ``share`` and ``ties`` must be checked already; only ``w`` changes between the
    replicates of a bootstrap, so nothing here sorts.
    """
    eligible = (~p.broadcaster).astype(float)
    w_elig = w * eligible
    if p.has_network:
        conn = level_membership(p.network_levels, w_elig, share, ties)
    else:
        conn = np.zeros(p.n)
    if p.has_posts:
        mav = level_membership(p.posts_levels, w_elig, share, ties)
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


def membership(
    people: pd.DataFrame | SyntheticPopulation,
    scenario: Scenario | None = None,
    *,
    columns: PersonColumns | Mapping[str, str | None] | None = None,
    concentration_share: float | None = None,
    ties: Ties = "split",
    broadcaster_min_audience: float | None = DEFAULT_BROADCASTER_MIN_AUDIENCE,
    broadcaster_top_share: float | None = None,
    origin: str = "person table",
) -> pd.DataFrame:
    """Each person's membership (0..1, fractional only at tied boundaries) of each segment.

    Same definitions and parameters as
    :func:`~influence_kit.segments.segment_people` (memberships do not depend
    on readers per post); the index is the table's.
    """
    given = resolve_people(
        people,
        scenario,
        columns,
        concentration_share,
        broadcaster_min_audience,
        broadcaster_top_share,
        origin,
    )
    prep = prepare(given.arrays, given.threshold, np.zeros(given.arrays.n))
    members = memberships(prep, prep.weight, given.share, check_ties(ties))
    members.pop("all_adults")
    out = {}
    for name, values in members.items():
        unpermuted = np.empty_like(values)
        unpermuted[prep.perm] = values
        out[name] = unpermuted
    return pd.DataFrame(out, index=given.frame.index)
