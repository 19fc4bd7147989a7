"""From impressions to people who care: attention and engagement after impressions.

* :mod:`.rates`: attention and action rates by channel (network updates and each post
  type), each with low/base/high read from the evidence table
  (:func:`influence_kit.datasets.load_reach_evidence`), so every rate is traceable; the
  share of friends who see a post is the scenario's ``audience_model.visibility`` when it
  has one (:func:`scenario_engagement_rates`), one meaning and range in both layers;
* :mod:`.model`: engaged impressions = impressions x attention x engagement by channel
  for a scenario's account, with seeded Monte Carlo intervals over the rates' ranges
  (:func:`engagement_account`);
* :mod:`.concentration`: who makes the engaged impressions: "the top p make q" for
  impressions against engaged impressions on a person table (the synthetic panel), and
  the same comparison on real per-person data shipped with the toolkit (Stack Exchange
  views against votes, wiki-Vote votes received against votes cast).
"""

from .concentration import (
    LabelledCurve,
    PairedConcentration,
    compare_concentration,
    cross_top_share,
    engagement_concentration,
    person_engagement,
    stackexchange_concentration,
    wiki_vote_concentration,
)
from .funnel import CareFunnel, care_funnel
from .model import EngagementAccount, channel_impressions, engaged_impressions, engagement_account
from .rates import (
    ACTIONS,
    NETWORK_CHANNEL,
    ChannelRates,
    EngagementRates,
    Rate,
    default_engagement_rates,
    rate_from_evidence,
    scenario_engagement_rates,
    visibility_rate,
)

__all__ = [
    "ACTIONS",
    "NETWORK_CHANNEL",
    "CareFunnel",
    "ChannelRates",
    "EngagementAccount",
    "EngagementRates",
    "LabelledCurve",
    "PairedConcentration",
    "Rate",
    "care_funnel",
    "channel_impressions",
    "compare_concentration",
    "cross_top_share",
    "default_engagement_rates",
    "engaged_impressions",
    "engagement_account",
    "engagement_concentration",
    "person_engagement",
    "rate_from_evidence",
    "scenario_engagement_rates",
    "stackexchange_concentration",
    "visibility_rate",
    "wiki_vote_concentration",
]
