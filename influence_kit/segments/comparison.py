"""A segmentation's headline figures beside a scenario's published ones."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..accounting import effective_inputs
from ..errors import ScenarioError
from ..formatting import format_quantity
from ..results import LEAD_FIGURES, Conclusion
from ..scenarios import Scenario
from ..validation import check_nonnegative, check_positive
from .segmentation import Segmentation


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
        "network_impressions_total": float(effective_inputs(scenario).network_impressions.base),
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


def published_headline(
    scenario: Scenario, *, top: float | None = None, share: float | None = None
) -> tuple[float, float]:
    """The headline "the top ``top`` make ``share``" of a scenario.

    Parameters
    ----------
    scenario
        Its ``headline`` block (``influencers_share``, ``impressions_share``)
        gives the figures; without one, the union of its segments and its
        concentration share.
    top, share
        Replace the scenario's figures (``None``: from the scenario).

    Returns
    -------
    tuple of float
        ``(top, share)``.

    Raises
    ------
    ScenarioError
        If a figure is neither given nor published.
    """
    headline = scenario.headline
    seg = scenario.segments
    if top is None and headline is not None:
        top = headline.influencers_share
    if top is None and seg is not None:
        top = seg.mass_influencers_share
    if share is None and headline is not None:
        share = headline.impressions_share
    if share is None and seg is not None:
        share = seg.concentration_share.base
    if top is None or share is None:
        missing = "influencers_share" if top is None else "impressions_share"
        raise ScenarioError(f"{scenario.name}: no headline {missing} and no segments to infer it")
    return float(top), float(share)


def concentration_verdict(fraction: float, reference: float, *, tolerance: float = 0.15) -> str:
    """Compare the size of a top group with a reference size, in words.

    A smaller top group making the same share means more concentrated
    activity. Sizes within ``tolerance`` (relative) of each other are "about
    as concentrated as".

    Returns
    -------
    str
        ``"about as concentrated as"``, ``"more concentrated than"`` or
        ``"less concentrated than"`` (reads: *fraction* is ... *reference*).
    """
    fraction = check_nonnegative("fraction", fraction)
    reference = check_positive("reference", reference)
    tolerance = check_nonnegative("tolerance", tolerance)
    if abs(fraction / reference - 1) <= tolerance:
        return "about as concentrated as"
    return "more concentrated than" if fraction < reference else "less concentrated than"


def segments_conclusion(
    synthetic: Segmentation,
    published: Mapping[str, float],
    real: Mapping[str, tuple[str, Segmentation]],
) -> Conclusion:
    """What the segment comparison concludes, in three plain sentences, and its figures.

    Parameters
    ----------
    synthetic
        The segmentation of the scenario's synthetic panel (its key figures saved with
        the prefix ``"synthetic."``).
    published
        The scenario's published segment shares (the ``published`` column of
        :func:`published_comparison`).
    real
        Key-figure prefix (``"wiki_vote."``) -> (name in words, segmentation) of each
        real table.

    The sentences: the panel gives back the published shares (by construction, so it
    checks the calibration); the same rule on real data; and how far Connectors are
    also Mavens there, against the panel.
    """
    names = (
        ("mass_connectors_share", "Mass Connectors"),
        ("mass_mavens_share", "Mass Mavens"),
        ("overlap_share", "both"),
        ("mass_influencers_share", "Mass Influencers"),
    )
    shown = [
        f"{label} {format_quantity(getattr(synthetic, key), 'share')} (published "
        f"{format_quantity(published[key], 'share')})"
        for key, label in names
        if key in published
    ]
    sentences = [
        "The synthetic panel gives back the published segments, as it is calibrated to: "
        + ", ".join(shown)
        + "."
    ]
    keys = [f"synthetic.{key}" for key, _ in names if key in published]
    if real:
        found = ", ".join(
            f"{format_quantity(seg.mass_influencers_share, 'share')} of {label} users"
            for label, seg in real.values()
        )
        sentences.append(
            f"On real data the same rule makes Mass Influencers of {found}: the share is set "
            "by how unequal activity is in the data at hand, not a constant."
        )
        keys += [f"{prefix}mass_influencers_share" for prefix in real]
        inside = ", ".join(
            f"{format_quantity(seg.overlap_share / seg.mass_connectors_share, 'share')} in {label}"
            for label, seg in real.values()
            if seg.mass_connectors_share > 0
        )
        if inside and synthetic.mass_connectors_share > 0:
            panel = synthetic.overlap_share / synthetic.mass_connectors_share
            sentences.append(
                f"Mass Connectors are also Mavens for {inside}, against "
                f"{format_quantity(panel, 'share')} in the survey-calibrated panel."
            )
    return Conclusion(tuple(sentences), tuple(keys[:LEAD_FIGURES]))
