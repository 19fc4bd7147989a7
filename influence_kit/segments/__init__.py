"""Mass Influencer segmentation of any person-level table (synthetic or real).

Definitions (Forrester, "Peer Influence Analysis", 2010, as quoted by Bernoff 2010):

* **Social Broadcasters**: the top tier of the Peer Influence Pyramid, people
  with media-like followings. Here: audience (friends/followers across
  networks) of at least ``broadcaster_min_audience``, default
  :data:`DEFAULT_BROADCASTER_MIN_AUDIENCE` = 10,000: twice Facebook's
  5,000-friend cap on personal profiles and ten times the 96th-percentile
  Twitter account (1,000 followers, Bruner 2013), so only pages, public
  figures and media-like accounts reach it. Alternatively
  ``broadcaster_top_share`` makes them the top share of adults by audience.
  They are set apart first and are
  **not** counted as Mass Influencers, as Forrester does.
* **Mass Connectors**: among the others, the smallest top group by network
  impressions (updates x audience) that makes ``concentration_share`` (80%)
  of the others' network impressions. **Mass Mavens**: likewise by influence
  posts. **Overlap**: both. **Mass Influencers**: either (the union).
* **Potential Influencers**: the rest who post at all (network impressions or
  influence posts above zero). **Non-posters**: everyone else.
* **Technographics ladder**: the share of adults with each activity flag;
  groups overlap, Inactives (no flag) are exclusive.

Every figure is weighted by the person weights when the table has them, and
shares of adults are shares of *all* adults (Broadcasters included).

Ties at a boundary: the person at which the cumulative share crosses 80%
fixes a boundary value; everyone above it is in. With ``ties="split"``
(default) the people at the boundary value (that person and anyone tied with
them) share the same fractional membership, just enough to hold exactly 80%
(the interpolated Lorenz curve); shares count that fraction and
the overlap multiplies the two memberships (the expected figures if tied
people were admitted at random), so results never depend on row order. With
``ties="include"`` all tied people are in. Ties are common in real count data
(wiki-Vote votes) and occur in the synthetic population too (its blocks share
stratum values).

Bootstrap intervals resample people with replacement (as multinomial counts on
the weights) and take percentiles.

Post impressions: a table's ``post_impressions`` column when it has one, else
the accounting model's (:func:`influence_kit.accounting.person_impressions`:
posts by type times each type's readers per post from the scenario).

Modules: :mod:`.table` (reading and validating person tables),
:mod:`.membership` (the top groups and per-person membership),
:mod:`.segmentation` (:func:`segment_people` and its bootstrap),
:mod:`.comparison` (beside the published figures), :mod:`.precision` (do a survey's
intervals support the published digits?) and :mod:`.consistency` (the bounds of
:mod:`influence_kit.concentration.segment_bounds` for a scenario).

Real tables map their columns to roles, e.g. wiki-Vote per user
``{"influence_posts": "votes_cast", "network_updates": "votes_cast",
"audience": "votes_received"}`` (network impressions = votes cast x votes
received, Forrester's updates x audience), or Stack Exchange
``{"influence_posts": "UpVotes", "network_updates": "UpVotes",
"audience": "Reputation"}``.
"""

from .comparison import (
    concentration_verdict,
    published_comparison,
    published_headline,
    segments_conclusion,
)
from .consistency import segment_consistency_by_readers, segment_consistency_from_scenario
from .membership import (
    DEFAULT_BROADCASTER_MIN_AUDIENCE,
    Ties,
    broadcaster_threshold,
    membership,
    top_membership,
)
from .precision import PRECISION_SEGMENTS, SurveyPrecision, survey_precision
from .segmentation import PYRAMID, SEGMENTS, STATISTICS, Segmentation, segment_people
from .table import (
    DEFAULT_COLUMNS,
    FLAG_ROLES,
    NUMERIC_ROLES,
    PersonArrays,
    PersonColumns,
    read_person_table,
    validate_person_table,
)

__all__ = [
    "DEFAULT_BROADCASTER_MIN_AUDIENCE",
    "DEFAULT_COLUMNS",
    "FLAG_ROLES",
    "NUMERIC_ROLES",
    "PRECISION_SEGMENTS",
    "PYRAMID",
    "SEGMENTS",
    "STATISTICS",
    "PersonArrays",
    "PersonColumns",
    "Segmentation",
    "SurveyPrecision",
    "Ties",
    "broadcaster_threshold",
    "concentration_verdict",
    "membership",
    "published_comparison",
    "published_headline",
    "read_person_table",
    "segment_consistency_by_readers",
    "segment_consistency_from_scenario",
    "segment_people",
    "segments_conclusion",
    "survey_precision",
    "top_membership",
    "validate_person_table",
]
