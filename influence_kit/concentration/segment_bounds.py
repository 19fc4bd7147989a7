"""Bounds on the segments' share of total impressions, from segment sizes and channel totals.

Pure numbers: the scenario-reading wrapper is
:func:`influence_kit.segments.segment_consistency_from_scenario`.

The question: consistency of Forrester's segment figures with the "16% make 80%" headline.

Forrester (Ray & Bernoff, 2010) reports that Mass Connectors (6.2% of online
adults) make 80% of influence impressions in social networks, Mass Mavens
(13.8%) make 80% of influence posts, 3.7% are both, and so the 16.3% in either
segment ("16%") make 80% of all influence impressions. What share of TOTAL
impressions do the figures actually allow the 16.3% to hold?

Set-up (population shares of online adults)::

    C only = connectors - overlap      (2.5%)
    M only = mavens - overlap          (10.1%)
    union  = connectors + mavens - overlap   (16.3%)

In the network channel the union holds the Connectors' 80% plus whatever the
Mavens-only people make of the other 20%; in the post channel the Mavens' 80%
plus whatever the Connectors-only people make. The total share is the
channel-weighted average, with weights network impressions (256e9) and posts x
readers per post (1.64e9 x 150 = 246e9).

Stated assumptions
------------------
A1. Post impressions follow posts: every post has the same readers, so "80% of
    posts" is 80% of post impressions.
A2. Values are non-negative and the figures are exact.

Bounds reported by :func:`segment_consistency`:

* **lower** (figures alone): the other segment's non-members make nothing in
  the channel, so the union holds exactly the segment's share in both
  channels: 80%.
* **upper, figures alone**: the other segment's non-members make all of the
  remaining 20% (or as much as they can): up to 100%.
* **upper, segments are the top producers** (A3: each segment is the *top*
  6.2% / 13.8% of its channel, as "make 80%" is usually read): nobody outside
  a segment makes more than its smallest member, hence no more than its
  mean, so the other segment's non-members make at most
  ``their population x segment share / segment population`` of the channel.
* **central** (A4, proportional): the 20% left by a segment is spread over its
  non-members evenly, so the other segment's non-members make their
  population share of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import ParameterError
from ..formatting import format_percent, format_value
from ..results import Result
from ..validation import check_nonnegative, check_number, check_share

__all__ = ["ChannelShares", "SegmentConsistency", "segment_consistency"]


@dataclass(frozen=True)
class ChannelShares:
    """The union's share of one channel under each assumption."""

    lower: float
    central: float
    upper_top_groups: float
    upper: float


@dataclass(frozen=True)
class SegmentConsistency(Result):
    """Share of total impressions the Mass Influencers can hold, given the segment figures.

    Attributes
    ----------
    connectors_share, mavens_share, overlap_share
        Segment sizes as shares of online adults.
    influencers_share
        The union, ``connectors + mavens - overlap``.
    channel_concentration
        The share of its channel each segment makes (0.8).
    network_impressions, post_impressions
        Channel weights (impressions per year).
    network, posts
        The union's share of each channel (:class:`ChannelShares`).
    lower, central, upper_top_groups, upper
        The union's share of total impressions: lower bound, central value
        (proportional assumption), upper bound if each segment is the top
        group of its channel, upper bound from the figures alone.
    headline_share
        The published claim (0.8) for comparison.
    """

    connectors_share: float
    mavens_share: float
    overlap_share: float
    influencers_share: float
    channel_concentration: float
    network_impressions: float
    post_impressions: float
    network: ChannelShares
    posts: ChannelShares
    lower: float
    central: float
    upper_top_groups: float
    upper: float
    headline_share: float

    @property
    def network_weight(self) -> float:
        """Network impressions as a fraction of the total."""
        return self.network_impressions / (self.network_impressions + self.post_impressions)

    def summary(self) -> pd.DataFrame:
        """One row per assumption: the union's share of network, post and total impressions."""
        net, posts = self.network, self.posts
        rows = [
            ("lower bound", net.lower, posts.lower, self.lower),
            ("central (rest spread by people)", net.central, posts.central, self.central),
            (
                "upper if segments are top producers",
                net.upper_top_groups,
                posts.upper_top_groups,
                self.upper_top_groups,
            ),
            ("upper from the figures alone", net.upper, posts.upper, self.upper),
        ]
        frame = pd.DataFrame(rows, columns=["assumption", "network", "posts", "total"])
        return frame.set_index("assumption")

    def describe(self) -> str:
        """A plain-language paragraph (Markdown) with the bounds."""
        return (
            f"If Mass Connectors ({format_percent(self.connectors_share, 1)}) make "
            f"{format_percent(self.channel_concentration)} of network impressions and Mass Mavens "
            f"({format_percent(self.mavens_share, 1)}) make "
            f"{format_percent(self.channel_concentration)} of posts, with "
            f"{format_percent(self.overlap_share, 1)} in both, the "
            f"{format_percent(self.influencers_share, 1)} in either segment make between "
            f"**{format_percent(self.lower, 1)}** and **{format_percent(self.upper, 1)}** of total "
            f"impressions (network weight {format_percent(self.network_weight, 1)}). If each "
            "segment is the top group of its channel the upper bound is "
            f"**{format_percent(self.upper_top_groups, 1)}**; spreading each channel's remainder "
            f"in proportion to people gives **{format_percent(self.central, 1)}**, against the "
            f"published {format_percent(self.headline_share)}."
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON data: every field plus the network weight."""
        out = super().to_dict()
        out["network_weight"] = self.network_weight
        return out


def _channel(segment: float, other_only: float, concentration: float) -> ChannelShares:
    rest = 1.0 - concentration
    non_members = 1.0 - segment
    central = concentration + rest * other_only / non_members
    # Top-group reading: each non-member makes at most the smallest member's amount,
    # itself at most the members' mean (concentration / segment per unit population).
    top_groups = concentration + min(rest, other_only * concentration / segment)
    upper = concentration + (rest if other_only > 0 else 0.0)
    return ChannelShares(
        lower=concentration, central=central, upper_top_groups=top_groups, upper=upper
    )


def segment_consistency(
    connectors_share: float,
    mavens_share: float,
    overlap_share: float,
    *,
    channel_concentration: float,
    network_impressions: float,
    post_impressions: float,
    headline_share: float,
) -> SegmentConsistency:
    """Bounds on the Mass Influencers' share of total impressions (see the module notes).

    Parameters
    ----------
    connectors_share, mavens_share, overlap_share
        Segment sizes as shares of online adults.
    channel_concentration
        Share of its channel each segment makes.
    network_impressions, post_impressions
        Channel weights (impressions per year).
    headline_share
        The published share of total impressions, for comparison.

    Returns
    -------
    SegmentConsistency

    Examples
    --------
    >>> res = segment_consistency(
    ...     0.062, 0.138, 0.037, channel_concentration=0.8, network_impressions=256e9,
    ...     post_impressions=1.64e9 * 150, headline_share=0.8,
    ... )
    >>> round(res.lower, 3), round(res.central, 4), round(res.upper_top_groups, 4)
    (0.8, 0.8138, 0.973)
    """
    connectors_share = check_share("connectors_share", connectors_share, closed=False)
    mavens_share = check_share("mavens_share", mavens_share, closed=False)
    channel_concentration = check_share(
        "channel_concentration", channel_concentration, closed=False
    )
    overlap_share = check_number("overlap_share", overlap_share)
    if not 0 <= overlap_share <= min(connectors_share, mavens_share):
        raise ParameterError(
            f"overlap_share ({format_value(overlap_share)}) must lie between 0 and the smaller "
            f"segment ({format_value(min(connectors_share, mavens_share))})"
        )
    union = connectors_share + mavens_share - overlap_share
    if union >= 1:
        raise ParameterError(
            f"the segments cover everyone (union {format_value(union)}); nothing to check"
        )
    network_impressions = check_nonnegative("network_impressions", network_impressions)
    post_impressions = check_nonnegative("post_impressions", post_impressions)
    if network_impressions + post_impressions <= 0:
        raise ParameterError("channel impressions are both zero")
    network = _channel(connectors_share, mavens_share - overlap_share, channel_concentration)
    posts = _channel(mavens_share, connectors_share - overlap_share, channel_concentration)
    w = network_impressions / (network_impressions + post_impressions)

    def total(net_share: float, post_share: float) -> float:
        return w * net_share + (1.0 - w) * post_share

    return SegmentConsistency(
        connectors_share=connectors_share,
        mavens_share=mavens_share,
        overlap_share=overlap_share,
        influencers_share=union,
        channel_concentration=channel_concentration,
        network_impressions=float(network_impressions),
        post_impressions=float(post_impressions),
        network=network,
        posts=posts,
        lower=total(network.lower, posts.lower),
        central=total(network.central, posts.central),
        upper_top_groups=total(network.upper_top_groups, posts.upper_top_groups),
        upper=total(network.upper, posts.upper),
        headline_share=headline_share,
    )
