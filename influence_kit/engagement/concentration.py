"""Who makes the engaged impressions: concentration of reach against engagement.

Forrester's headline says 16% of online adults make 80% of influence impressions. The
question here is whether the same holds for the impressions people act on, or whether
engagement is more (or less) concentrated than reach. Every comparison is a
:class:`PairedConcentration` of two per-person measures on the same people:

* :func:`engagement_concentration`: impressions against engaged impressions on a person
  table (by default the shipped synthetic panel), per person from
  :func:`influence_kit.accounting.person_impressions` and the engagement rates;
* :func:`stackexchange_concentration`: profile views received against votes cast by the
  users of scifi.stackexchange.com (real data shipped with the toolkit);
* :func:`wiki_vote_concentration`: votes received against votes cast in Wikipedia
  adminship elections (SNAP wiki-Vote).

Shares, Gini and "fraction for a share" come from :mod:`influence_kit.concentration`
(ties split fractionally, zeros are people). :func:`cross_top_share` adds the share of
the second measure held by the top people *by the first* (do the people with the most
reach also make the most engagement?).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..accounting import person_impressions, readers_per_post_by_type
from ..concentration import LorenzCurve, fraction_for_share, lorenz_curve, top_share
from ..constants import DEFAULT_SCENARIO
from ..datasets import load_scifi_stackexchange_users, load_wiki_vote_users
from ..errors import DataError, ParameterError
from ..formatting import escape_markdown, format_percent
from ..population import load_panel
from ..results import KeyFigures, Result, key_figures
from ..scenarios import Scenario, load_scenario
from ..validation import check_nonnegative_numbers, check_share
from .rates import NETWORK_CHANNEL, EngagementRates, default_engagement_rates

__all__ = [
    "LabelledCurve",
    "PairedConcentration",
    "compare_concentration",
    "cross_top_share",
    "engagement_concentration",
    "person_engagement",
    "stackexchange_concentration",
    "wiki_vote_concentration",
]


def cross_top_share(
    rank_by: ArrayLike, values: ArrayLike, p: float, weights: ArrayLike | None = None
) -> float:
    """Share of ``values`` held by the top fraction ``p`` of people ranked by ``rank_by``.

    People tied in ``rank_by`` at the boundary are interchangeable: the group is split
    fractionally and contributes that fraction of its (weighted) total of ``values``, the
    rule of :mod:`influence_kit.concentration.measures`.

    Parameters
    ----------
    rank_by
        The measure people are ranked by (largest first), one per person.
    values
        The measure whose share is reported, one per person.
    p
        Fraction of people (by weight), in (0, 1).
    weights
        Person weights (default 1).

    Returns
    -------
    float
    """
    p = check_share("p", p, closed=False)
    rank = check_nonnegative_numbers("rank_by", rank_by)
    vals = check_nonnegative_numbers("values", values)
    if rank.shape != vals.shape:
        raise DataError(f"rank_by and values differ in length ({rank.size} vs {vals.size})")
    w = np.ones_like(rank) if weights is None else check_nonnegative_numbers("weights", weights)
    if w.shape != rank.shape:
        raise DataError(f"weights and values differ in length ({w.size} vs {rank.size})")
    total = float(np.sum(w * vals))
    if total <= 0:
        raise DataError("values: all zero, no share to report")
    groups = (
        pd.DataFrame({"rank": rank, "weight": w, "mass": w * vals})
        .groupby("rank", sort=True)[["weight", "mass"]]
        .sum()
        .iloc[::-1]
    )
    target = p * float(groups["weight"].sum())
    before = np.concatenate([[0.0], np.cumsum(groups["weight"].to_numpy())[:-1]])
    take = np.clip((target - before) / groups["weight"].to_numpy(), 0.0, 1.0)
    return float(np.sum(take * groups["mass"].to_numpy()) / total)


@dataclass(frozen=True)
class LabelledCurve:
    """A Lorenz curve with its label and Gini (what
    :func:`influence_kit.plots.concentration.lorenz_curves` draws)."""

    label: str
    gini: float
    lorenz: LorenzCurve


@dataclass(frozen=True)
class PairedConcentration(Result):
    """Concentration of two per-person measures of the same people.

    Attributes
    ----------
    dataset
        What the people are.
    first, second
        Names of the two measures (reach first, engagement second).
    n_people
        Number of people (sum of weights).
    top
        The fraction of people ``p`` of "the top p".
    share
        The share ``q`` of "make q".
    top_share_first, top_share_second
        Share of each measure held by the top ``p`` of people ranked by that measure.
    cross_share
        Share of the second measure held by the top ``p`` ranked by the first.
    fraction_first, fraction_second
        Smallest fraction of people holding ``q`` of each measure.
    gini_first, gini_second
        Gini coefficients.
    """

    dataset: str
    first: str
    second: str
    n_people: float
    top: float
    share: float
    top_share_first: float
    top_share_second: float
    cross_share: float
    fraction_first: float
    fraction_second: float
    gini_first: float
    gini_second: float
    _curves: tuple[LorenzCurve, ...] = field(default=(), repr=False, compare=False)

    def curves(self) -> tuple[LabelledCurve, LabelledCurve]:
        """The two Lorenz curves, labelled, e.g. for
        ``plots.concentration.lorenz_curves(result.curves(), headline=(top, share))``."""
        if len(self._curves) != 2:
            raise ParameterError("this result was built without its Lorenz curves")
        return (
            LabelledCurve(self.first, self.gini_first, self._curves[0]),
            LabelledCurve(self.second, self.gini_second, self._curves[1]),
        )

    @property
    def more_concentrated(self) -> str:
        """Which measure the top ``p`` hold more of (``"equal"`` within 1e-12)."""
        gap = self.top_share_second - self.top_share_first
        if abs(gap) <= 1e-12:
            return "equal"
        return self.second if gap > 0 else self.first

    def to_dict(self) -> dict[str, Any]:
        """JSON data: every field plus :attr:`more_concentrated`."""
        out = super().to_dict()
        out["more_concentrated"] = self.more_concentrated
        return out

    def summary(self) -> pd.DataFrame:
        """One row per measure (and the cross row), columns ``top_share``,
        ``fraction_for_share`` and ``gini``."""
        frame = pd.DataFrame(
            {
                "top_share": [self.top_share_first, self.top_share_second, self.cross_share],
                "fraction_for_share": [self.fraction_first, self.fraction_second, np.nan],
                "gini": [self.gini_first, self.gini_second, np.nan],
            },
            index=pd.Index(
                [self.first, self.second, f"{self.second} of the top by {self.first}"],
                name="measure",
            ),
        )
        frame.attrs["top"] = self.top
        frame.attrs["share"] = self.share
        return frame

    def describe(self) -> str:
        """A plain-language sentence (Markdown), computed from the result."""
        # names come from data files and scenarios: they render literally
        dataset, first, second = map(escape_markdown, (self.dataset, self.first, self.second))
        verdict = (
            "equally concentrated"
            if self.more_concentrated == "equal"
            else f"more concentrated in {escape_markdown(self.more_concentrated)}"
        )
        return (
            f"{dataset}: the top {format_percent(self.top)} make "
            f"{format_percent(self.top_share_first, 1)} of {first} and "
            f"{format_percent(self.top_share_second, 1)} of {second} ({verdict}); the top "
            f"{format_percent(self.top)} by {first} make {format_percent(self.cross_share, 1)} of "
            f"{second}. {format_percent(self.share)} of {first} comes from "
            f"{format_percent(self.fraction_first, 1)} of people, {format_percent(self.share)} of "
            f"{second} from {format_percent(self.fraction_second, 1)}."
        )

    def key_figures(self) -> KeyFigures:
        """The headline figures, with readable labels and units."""
        p = format_percent(self.top)
        return key_figures(
            ("top_share_first", f"top {p} share of {self.first}", self.top_share_first, "share"),
            ("top_share_second", f"top {p} share of {self.second}", self.top_share_second, "share"),
            (
                "cross_share",
                f"share of {self.second} by the top {p} by {self.first}",
                self.cross_share,
                "share",
            ),
            ("gini_first", f"Gini of {self.first}", self.gini_first),
            ("gini_second", f"Gini of {self.second}", self.gini_second),
        )


def compare_concentration(
    first: ArrayLike,
    second: ArrayLike,
    *,
    top: float,
    share: float,
    weights: ArrayLike | None = None,
    names: tuple[str, str] = ("first", "second"),
    dataset: str = "",
) -> PairedConcentration:
    """Compare the concentration of two per-person measures of the same people.

    Parameters
    ----------
    first, second
        The two measures, one value per person (reach first, engagement second).
    top
        Fraction ``p`` of people for "the top p", in (0, 1).
    share
        Share ``q`` for "the fewest people making q", in (0, 1).
    weights
        Person weights (default 1).
    names
        Names of the two measures.
    dataset
        What the people are.

    Returns
    -------
    PairedConcentration
    """
    a = check_nonnegative_numbers(names[0], first)
    b = check_nonnegative_numbers(names[1], second)
    if a.shape != b.shape:
        raise DataError(f"{names[0]} and {names[1]} differ in length ({a.size} vs {b.size})")
    w = None if weights is None else check_nonnegative_numbers("weights", weights)
    top = check_share("top", top, closed=False)
    share = check_share("share", share, closed=False)
    curve_a = lorenz_curve(a, weights=w)
    curve_b = lorenz_curve(b, weights=w)
    return PairedConcentration(
        dataset=dataset,
        first=names[0],
        second=names[1],
        n_people=float(a.size if w is None else np.sum(w)),
        top=top,
        share=share,
        top_share_first=float(top_share(a, top, weights=w)[0]),
        top_share_second=float(top_share(b, top, weights=w)[0]),
        cross_share=cross_top_share(a, b, top, w),
        fraction_first=float(fraction_for_share(a, share, weights=w)[0]),
        fraction_second=float(fraction_for_share(b, share, weights=w)[0]),
        gini_first=curve_a.gini,
        gini_second=curve_b.gini,
        _curves=(curve_a, curve_b),
    )


def _headline(scenario: Scenario, top: float | None, share: float | None) -> tuple[float, float]:
    headline = scenario.headline
    if top is None:
        top = headline.influencers_share if headline is not None else None
    if share is None:
        share = headline.impressions_share if headline is not None else None
    if top is None or share is None:
        raise ParameterError(f"{scenario.name}: no headline shares; give top and share explicitly")
    return float(top), float(share)


def person_engagement(
    people: pd.DataFrame, scenario: Scenario, rates: EngagementRates | None = None
) -> pd.DataFrame:
    """Impressions, seen and engaged impressions of each person of a person table.

    Impressions are :func:`influence_kit.accounting.person_impressions`; seen and engaged
    impressions apply the base rates channel by channel: network impressions x the
    network attention x the sum of its action rates, and each post type's impressions
    (the person's posts of that type x its readers per post) x that type's attention x
    the sum of its action rates. Without one column per post type, post impressions take
    the scenario's share-weighted average of the post types' rates.

    Parameters
    ----------
    people
        Person table (``network_impressions``, ``influence_posts`` and optionally one
        column per post type).
    scenario
        Gives the post types, their shares and readers per post.
    rates
        Default :func:`~influence_kit.engagement.rates.default_engagement_rates`.

    Returns
    -------
    pandas.DataFrame
        Columns ``total_impressions``, ``seen_impressions`` and ``engaged_impressions``,
        indexed like ``people``.
    """
    rates = rates or default_engagement_rates(tuple(scenario.post_type_shares))
    impressions = person_impressions(people, scenario)
    network_rates = rates[NETWORK_CHANNEL]
    net_attention = network_rates.attention.base
    net_action = sum(r.base for r in network_rates.actions.values())
    network = impressions["network_impressions"].to_numpy(dtype=float)
    seen = network * net_attention
    engaged = seen * net_action

    readers = readers_per_post_by_type(scenario)
    attention = {t: rates[t].attention.base for t in readers}
    action = {t: sum(r.base for r in rates[t].actions.values()) for t in readers}
    if all(t in people.columns for t in readers):
        for t, r in readers.items():
            posts = people[t].to_numpy(dtype=float) * r
            seen = seen + posts * attention[t]
            engaged = engaged + posts * attention[t] * action[t]
    else:
        mass = {t: scenario.post_type_shares[t].base * r for t, r in readers.items()}
        total = sum(mass.values())
        posts = impressions["post_impressions"].to_numpy(dtype=float)
        if total > 0:
            seen_rate = sum(mass[t] * attention[t] for t in readers) / total
            engaged_rate = sum(mass[t] * attention[t] * action[t] for t in readers) / total
            seen = seen + posts * seen_rate
            engaged = engaged + posts * engaged_rate
    return pd.DataFrame(
        {
            "total_impressions": impressions["total_impressions"].to_numpy(dtype=float),
            "seen_impressions": seen,
            "engaged_impressions": engaged,
        },
        index=people.index,
    )


def engagement_concentration(
    people: pd.DataFrame | None = None,
    scenario: Scenario | None = None,
    rates: EngagementRates | None = None,
    *,
    top: float | None = None,
    share: float | None = None,
) -> PairedConcentration:
    """Concentration of impressions against engaged impressions on a person table.

    Parameters
    ----------
    people
        Person table; default the shipped synthetic panel
        (:func:`influence_kit.population.load_panel`), weighted by its ``weight`` column
        when it has one.
    scenario
        Default the shipped scenario.
    rates
        Default :func:`~influence_kit.engagement.rates.default_engagement_rates`.
    top, share
        "The top p make q"; default the scenario's headline shares.

    Returns
    -------
    PairedConcentration
        ``first`` is ``"impressions"``, ``second`` is ``"engaged impressions"``.
    """
    scenario = scenario or load_scenario(DEFAULT_SCENARIO)
    if people is None:
        people = load_panel(scenario)
    top, share = _headline(scenario, top, share)
    per_person = person_engagement(people, scenario, rates)
    weights = people["weight"].to_numpy(dtype=float) if "weight" in people.columns else None
    return compare_concentration(
        per_person["total_impressions"],
        per_person["engaged_impressions"],
        top=top,
        share=share,
        weights=weights,
        names=("impressions", "engaged impressions"),
        dataset=f"synthetic panel ({scenario.name})",
    )


def stackexchange_concentration(
    top: float | None = None, share: float | None = None
) -> PairedConcentration:
    """Profile views received against votes cast by scifi.stackexchange.com users.

    The loader (:func:`~influence_kit.datasets.load_scifi_stackexchange_users`) leaves
    out the Community bot (Id -1). Views are the attention a user receives; votes cast
    (up plus down) are the engagement the user gives.

    Parameters
    ----------
    top, share
        "The top p make q"; default the shipped scenario's headline shares.

    Returns
    -------
    PairedConcentration
        ``first`` is ``"views"``, ``second`` is ``"votes cast"``.
    """
    users = load_scifi_stackexchange_users()
    return _shipped_pair(
        users["Views"],
        users["UpVotes"] + users["DownVotes"],
        ("views", "votes cast"),
        "scifi.stackexchange.com users",
        top,
        share,
    )


def wiki_vote_concentration(
    top: float | None = None, share: float | None = None
) -> PairedConcentration:
    """Votes received against votes cast in Wikipedia adminship elections (wiki-Vote).

    Parameters
    ----------
    top, share
        "The top p make q"; default the shipped scenario's headline shares.

    Returns
    -------
    PairedConcentration
        ``first`` is ``"votes received"``, ``second`` is ``"votes cast"``.
    """
    users = load_wiki_vote_users()
    return _shipped_pair(
        users["votes_received"],
        users["votes_cast"],
        ("votes received", "votes cast"),
        "Wikipedia adminship voters (wiki-Vote)",
        top,
        share,
    )


def _shipped_pair(
    first: pd.Series,
    second: pd.Series,
    names: tuple[str, str],
    dataset: str,
    top: float | None,
    share: float | None,
) -> PairedConcentration:
    """Compare two per-person columns of a shipped dataset at the shipped headline shares."""
    top, share = _headline(load_scenario(DEFAULT_SCENARIO), top, share)
    return compare_concentration(first, second, top=top, share=share, names=names, dataset=dataset)
