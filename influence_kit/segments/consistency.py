"""The segment-consistency bounds of a scenario's published segment figures."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..accounting import account, effective_inputs, evaluate
from ..concentration.segment_bounds import SegmentConsistency, segment_consistency
from ..errors import ParameterError
from ..scenarios import Scenario
from ..validation import check_nonnegative_numbers


def segment_consistency_from_scenario(
    scenario: Scenario, *, post_impressions: float | None = None
) -> SegmentConsistency:
    """The segment-consistency bounds for a scenario's segments and channel totals.

    Runs :func:`~influence_kit.concentration.segment_consistency` with channel
    weights from :func:`influence_kit.accounting.account` (network
    impressions; posts x effective readers per post) and the scenario's
    headline share (its concentration share when it states none).

    Parameters
    ----------
    scenario
        A scenario with connector, maven and overlap shares.
    post_impressions
        Replaces the scenario's post impressions (``None``: the account's).

    Raises
    ------
    ParameterError
        If the scenario lacks the Connectors, Mavens or overlap figures.
    """
    seg = scenario.segments
    if seg is None or seg.mass_mavens_share is None or seg.overlap_share is None:
        raise ParameterError(
            f"scenario {scenario.name} lacks segments.mass_mavens_share or overlap_share"
        )
    acc = account(scenario)
    headline = scenario.headline.impressions_share if scenario.headline else None
    return segment_consistency(
        seg.mass_connectors_share.base,
        seg.mass_mavens_share.base,
        seg.overlap_share.base,
        channel_concentration=seg.concentration_share.base,
        network_impressions=acc.network_impressions,
        post_impressions=acc.post_impressions if post_impressions is None else post_impressions,
        headline_share=headline if headline is not None else seg.concentration_share.base,
    )


def segment_consistency_by_readers(
    scenario: Scenario, readers: Sequence[float] | None = None
) -> pd.DataFrame:
    """The segment-consistency bounds as readers per post move.

    Post impressions at each readers value come from
    :func:`influence_kit.accounting.evaluate` (post types with their own
    readers per post keep them).

    Parameters
    ----------
    scenario
        A scenario with connector, maven and overlap shares.
    readers
        Readers per post (of the types without their own); ``None``: the
        scenario's low, base and high values (duplicates dropped).

    Returns
    -------
    pandas.DataFrame
        Index ``readers_per_post``; columns ``network_weight`` (network
        impressions as a fraction of the total), ``lower``, ``central``,
        ``upper_top_groups`` and ``upper``.
    """
    q = effective_inputs(scenario).readers_per_post
    given = [q.low, q.base, q.high] if readers is None else readers
    grid = np.unique(check_nonnegative_numbers("readers", given))
    posts = evaluate(scenario, {"readers_per_post": grid})["post_impressions"]
    rows = []
    for r, post in zip(grid, posts, strict=True):
        res = segment_consistency_from_scenario(scenario, post_impressions=float(post))
        rows.append(
            (float(r), res.network_weight, res.lower, res.central, res.upper_top_groups, res.upper)
        )
    columns = ["readers_per_post", "network_weight", "lower", "central", "upper_top_groups"]
    return pd.DataFrame(rows, columns=[*columns, "upper"]).set_index("readers_per_post")
