"""Attention and engagement rates by channel, each traceable to the evidence table.

A *channel* is one of the accounting model's sources of impressions: ``network_updates``
(the network impressions of :func:`influence_kit.accounting.account`, all networks
together) and each post type of the scenario (``reviews``, ``forum_posts``,
``blog_comments``, ``blog_posts`` for the shipped scenarios). Each channel has

* an **attention** rate: the share of its impressions that a person actually sees (for
  network updates, the share of an author's friends who see a post; the post channels
  count readers per post, who have seen the post by definition, so their attention is 1);
* one or more **action** rates: the share of people who saw an impression and act on it
  (``reaction``: like, comment or share; ``reply``: write a reply or comment).

Every rate has a low, base and high value, and each of the three comes from a row of
:func:`influence_kit.datasets.load_reach_evidence` named by its evidence id, so the
source of every number is known. :func:`default_engagement_rates` builds the rates the
toolkit uses from the evidence; :class:`EngagementRates` accepts any others.

Rates for which no defensible published figure was found are left out rather than
invented: click-through on shared links and purchase intent per impression (see the data
README). A channel without an action rate makes no engaged impressions and is reported as
such.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pandas as pd

from ..errors import ParameterError
from ..evidence import reach_evidence
from ..formatting import format_value
from ..results import Result
from ..validation import check_share

if TYPE_CHECKING:
    from ..scenarios import Quantity, Scenario

__all__ = [
    "ACTIONS",
    "NETWORK_CHANNEL",
    "ChannelRates",
    "EngagementRates",
    "Rate",
    "default_engagement_rates",
    "rate_from_evidence",
    "scenario_engagement_rates",
    "visibility_rate",
]

#: The channel that carries the network impressions (all networks together).
NETWORK_CHANNEL = "network_updates"

#: What the network channel's attention rate is: the same quantity as the audience model's
#: ``visibility`` (:class:`influence_kit.scenarios.AudienceModel`).
VISIBILITY_NAME = "share of friends who see a post"

#: Actions an engagement rate may describe.
ACTIONS: tuple[str, ...] = ("reaction", "click", "reply", "purchase_intent")

Transform = Literal["identity", "reciprocal"]


@dataclass(frozen=True)
class Rate:
    """One rate with its range and the evidence behind each bound.

    Attributes
    ----------
    name
        What the rate is (e.g. ``"share of friends who see a post"``).
    low, base, high
        The range, ``0 <= low <= base <= high <= 1``.
    evidence
        ``(low_id, base_id, high_id)``: the evidence-table ids the bounds come from;
        ``None`` for a bound that holds by definition (stated in ``basis``).
    basis
        How the bounds follow from the evidence.
    """

    name: str
    low: float
    base: float
    high: float
    evidence: tuple[str | None, str | None, str | None] = (None, None, None)
    basis: str = ""

    def __post_init__(self) -> None:
        for label, value in (("low", self.low), ("base", self.base), ("high", self.high)):
            object.__setattr__(self, label, check_share(f"{self.name}: {label}", value))
        if not self.low <= self.base <= self.high:
            raise ParameterError(
                f"{self.name}: need low <= base <= high, got {self.low}, {self.base}, {self.high}"
            )

    @classmethod
    def fixed(cls, name: str, value: float, basis: str = "") -> Rate:
        """A rate without uncertainty (low = base = high = ``value``)."""
        return cls(name, value, value, value, basis=basis)


def _converted(evidence_id: str, transform: Transform) -> float:
    record = reach_evidence(evidence_id)
    if transform == "reciprocal":
        if record.value <= 0:
            raise ParameterError(f"{evidence_id}: cannot take the reciprocal of {record.value}")
        return 1.0 / record.value
    if record.unit != "share":
        raise ParameterError(
            f"{evidence_id}: unit {record.unit!r} is not a share; give a transform"
        )
    return record.value


def rate_from_evidence(
    name: str,
    low: str | tuple[str, Transform],
    base: str | tuple[str, Transform],
    high: str | tuple[str, Transform],
    basis: str = "",
) -> Rate:
    """A rate whose three bounds are rows of the evidence table.

    Parameters
    ----------
    name
        What the rate is.
    low, base, high
        An evidence id whose value is a share, or ``(id, "reciprocal")`` for a figure
        such as page views per comment whose reciprocal is the rate.
    basis
        How the bounds follow from the evidence (shown in summaries).

    Returns
    -------
    Rate
    """
    ids: list[str] = []
    values: list[float] = []
    for bound in (low, base, high):
        transform: Transform = "identity"
        if isinstance(bound, str):
            evidence_id = bound
        else:
            evidence_id, transform = bound
        ids.append(evidence_id)
        values.append(_converted(evidence_id, transform))
    return Rate(name, values[0], values[1], values[2], (ids[0], ids[1], ids[2]), basis)


@dataclass(frozen=True)
class ChannelRates:
    """The attention rate and the action rates of one channel."""

    attention: Rate
    actions: Mapping[str, Rate] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.actions) - set(ACTIONS))
        if unknown:
            raise ParameterError(
                f"unknown action {unknown[0]!r}; the actions are {', '.join(ACTIONS)}"
            )
        object.__setattr__(self, "actions", dict(self.actions))


@dataclass(frozen=True)
class EngagementRates(Result):
    """Attention and action rates for every channel.

    Attributes
    ----------
    channels
        ``{channel: ChannelRates}``; channel names are :data:`NETWORK_CHANNEL` and the
        scenario's post types.
    visibility
        The share of an author's friends who see a post, whichever layer applies it: the
        network channel's attention rate, or (when the scenario's audience model derives
        network impressions, which then count only impressions seen) the account, in
        which case the network channel's attention is 1. ``None`` when not stated.
    """

    channels: Mapping[str, ChannelRates]
    visibility: Rate | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "channels", dict(self.channels))

    def __getitem__(self, channel: str) -> ChannelRates:
        try:
            return self.channels[channel]
        except KeyError:
            raise ParameterError(
                f"no engagement rates for channel {channel!r} "
                f"(rates given for {', '.join(self.channels)})"
            ) from None

    def action_rate(self, action: str) -> Rate | None:
        """The rate of ``action`` (of the first channel that has one; channels that share
        evidence share the rate), ``None`` when no channel has it."""
        return next(
            (c.actions[action] for c in self.channels.values() if action in c.actions), None
        )

    def with_action(self, action: str, value: float) -> EngagementRates:
        """These rates with every channel's ``action`` rate set to ``value`` (its most likely
        value), the range widened to hold it; channels without that action are unchanged.

        The changed rate keeps its name and says it was set (what a person moves in the
        explorer); the channels that shared one rate still share the new one, so a Monte
        Carlo draw moves them together.

        Raises
        ------
        ParameterError
            If ``action`` is not one of :data:`ACTIONS`, no channel has it, or ``value``
            is not a share.

        Examples
        --------
        >>> from influence_kit.engagement import default_engagement_rates
        >>> rates = default_engagement_rates(("reviews",)).with_action("reply", 0.05)
        >>> rates["reviews"].actions["reply"].base
        0.05
        """
        if action not in ACTIONS:
            raise ParameterError(f"unknown action {action!r}; the actions are {', '.join(ACTIONS)}")
        share = check_share(action, value)
        replaced: dict[Rate, Rate] = {}
        channels: dict[str, ChannelRates] = {}
        for channel, rates in self.channels.items():
            old = rates.actions.get(action)
            if old is None:
                channels[channel] = rates
                continue
            if old not in replaced:
                replaced[old] = Rate(
                    old.name,
                    min(old.low, share),
                    share,
                    max(old.high, share),
                    (old.evidence[0], None, old.evidence[2]),
                    f"most likely value set to {format_value(share)}; range from the evidence: "
                    f"{old.basis}",
                )
            channels[channel] = ChannelRates(
                rates.attention, {**rates.actions, action: replaced[old]}
            )
        if not replaced:
            raise ParameterError(f"no channel has a {action!r} rate")
        return EngagementRates(channels, self.visibility)

    def distinct_rates(self) -> tuple[Rate, ...]:
        """Every distinct rate, in channel order: a rate shared by channels appears once.

        A Monte Carlo draw gives each distinct rate one value, so channels that share a
        rate (the same evidence) move together.
        """
        seen: dict[Rate, None] = {}
        for rates in self.channels.values():
            seen.setdefault(rates.attention, None)
            for rate in rates.actions.values():
                seen.setdefault(rate, None)
        return tuple(seen)

    def summary(self) -> pd.DataFrame:
        """One row per (channel, stage): the range, its evidence ids and basis.

        Columns ``channel``, ``stage`` (``attention`` or an action), ``rate``, ``low``,
        ``base``, ``high``, ``evidence_low``, ``evidence_base``, ``evidence_high`` and
        ``basis``.
        """
        rows = []
        for channel, rates in self.channels.items():
            stages = [("attention", rates.attention), *rates.actions.items()]
            for stage, rate in stages:
                rows.append(
                    {
                        "channel": channel,
                        "stage": stage,
                        "rate": rate.name,
                        "low": rate.low,
                        "base": rate.base,
                        "high": rate.high,
                        "evidence_low": rate.evidence[0] or "",
                        "evidence_base": rate.evidence[1] or "",
                        "evidence_high": rate.evidence[2] or "",
                        "basis": rate.basis,
                    }
                )
        return pd.DataFrame(rows)


def visibility_rate(quantity: Quantity | None = None) -> Rate:
    """The share of an author's friends who see a post, as an engagement rate.

    Parameters
    ----------
    quantity
        A scenario's ``audience_model.visibility``: the rate then has its base and range,
        so the engagement layer and the audience model mean the same thing by it. Without
        one, the evidence table's figures: low 28.9% (posts without feedback), base 35%,
        high 61% (friends reached by at least one post in a month, an upper bound per
        post) (Bernstein et al. 2013).

    Returns
    -------
    Rate
    """
    if quantity is None:
        return rate_from_evidence(
            VISIBILITY_NAME,
            "fb_post_friend_visibility_no_feedback",
            "fb_post_friend_visibility",
            "fb_monthly_friend_reach",
            basis="low: posts without feedback; high: monthly reach, an upper bound per post",
        )
    low, high = quantity.range
    source = f" (source {quantity.source})" if quantity.source else ""
    return Rate(
        VISIBILITY_NAME,
        low,
        float(quantity.base),
        high,
        basis=f"the scenario's audience_model.visibility{source}, shared with the audience model",
    )


def default_engagement_rates(
    post_types: tuple[str, ...] | list[str],
    *,
    visibility: Rate | None = None,
    network_seen: bool = False,
) -> EngagementRates:
    """The toolkit's rates, every bound read from the evidence table.

    * ``network_updates`` attention: the share of an author's friends who see a post,
      ``visibility`` (default :func:`visibility_rate` from the evidence table: low 28.9%,
      base 35%, high 61%); 1 when ``network_seen``.
    * ``network_updates`` reaction: share of people reached by a post who engage with it,
      low 4.9%, base 5.01%, high 11.83% (Locowise 2015-2016; brand page posts, the only
      published per-viewer figures found).
    * every post type: attention 1 (readers per post counts readers); reply: share of
      viewers who write a reply, low 1% (the 1% who make almost all contributions,
      Nielsen 2006), base 2% (one comment per about 50 page views, The Huffington Post,
      2012), high 10% (the 9% + 1% who contribute at all).

    Parameters
    ----------
    post_types
        The scenario's post types (``scenario.post_type_shares``'s keys).
    visibility
        The share of friends who see a post; :func:`scenario_engagement_rates` passes the
        scenario's ``audience_model.visibility``.
    network_seen
        Whether the network impressions already count only impressions seen (derived by
        an audience model as possible x visibility x amplification): the network
        channel's attention is then 1, so visibility is not applied twice.

    Returns
    -------
    EngagementRates
    """
    visibility = visibility if visibility is not None else visibility_rate()
    reaction = rate_from_evidence(
        "share of people reached who react",
        "fb_page_engagement_per_reach_2016_02",
        "fb_page_engagement_per_reach_2015_12",
        "fb_page_engagement_per_reach_2015_03",
        basis="Locowise page-post engagement per person reached, three monthly studies",
    )
    reply = rate_from_evidence(
        "share of readers who reply",
        "participation_contributors_heavy",
        ("news_page_views_per_comment", "reciprocal"),
        "participation_contributors_any",
        basis="low: 1% heavy contributors; base: 1 comment per 50 page views; high: 10% contribute",
    )
    readers = Rate.fixed(
        "share of readers who see the post", 1.0, basis="readers per post counts readers"
    )
    attention = (
        Rate.fixed(
            "share of network impressions seen",
            1.0,
            basis="network impressions derived by the audience model count only those seen "
            "(possible x visibility x amplification)",
        )
        if network_seen
        else visibility
    )
    channels: dict[str, ChannelRates] = {
        NETWORK_CHANNEL: ChannelRates(attention, {"reaction": reaction}),
    }
    for post_type in post_types:
        channels[str(post_type)] = ChannelRates(readers, {"reply": reply})
    return EngagementRates(channels, visibility)


def scenario_engagement_rates(
    scenario: Scenario, post_types: tuple[str, ...] | list[str] | None = None
) -> EngagementRates:
    """:func:`default_engagement_rates` with the scenario's own share of friends who see a post.

    With an audience model, the network channel's visibility is the model's
    ``audience_model.visibility`` (base and range), so "the share of friends who see a
    post" has one meaning and one range in both layers; when the model derives network
    impressions (``derive`` lists ``network_impressions``), those already count only the
    impressions seen, and the network channel's attention is 1. Without an audience
    model the evidence table's figures are used.

    Parameters
    ----------
    scenario
        The scenario.
    post_types
        Its post types; default ``scenario.post_type_shares``'s keys.

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> rates = scenario_engagement_rates(load_scenario("forrester-us-2009"))
    >>> rates.visibility.low, rates.visibility.base, rates.visibility.high
    (0.16, 0.35, 0.61)
    """
    if post_types is None:
        post_types = tuple(scenario.post_type_shares)
    model = scenario.audience_model
    if model is None:
        return default_engagement_rates(post_types)
    return default_engagement_rates(
        post_types,
        visibility=visibility_rate(model.visibility),
        network_seen="network_impressions" in scenario.derived,
    )
