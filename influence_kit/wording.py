"""A scenario in its own terms: its published claim, region and year, in words.

Reports and conclusions name the scenario they are about (issue 20): western-europe-2010
claims 120 billion influence impressions for Western Europe in 2010, not the US 500
billion, and its titles, prose and sensitivity verdict say so. These helpers read the
scenario; nothing here writes a published figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .formatting import escape_markdown, format_quantity

if TYPE_CHECKING:
    from .scenarios import Scenario

__all__ = ["claim_of", "claim_words", "scenario_place"]


def claim_of(scenario: Scenario) -> float | None:
    """The scenario's own published total (``headline.total_impressions_claim``), if any."""
    headline = scenario.headline
    claim = headline.total_impressions_claim if headline is not None else None
    return None if claim is None else float(claim)


def claim_words(scenario: Scenario, missing: str = "the total") -> str:
    """The published total in words (``"120 billion"``), or ``missing`` when there is none."""
    claim = claim_of(scenario)
    return missing if claim is None else format_quantity(claim, "impressions")


def scenario_place(scenario: Scenario, *, markdown: bool = False) -> str:
    """The scenario's region and year (``"Western Europe (7 countries), 2010"``).

    With ``markdown`` the region is escaped for interpolation into Markdown (it comes
    from the scenario file).
    """
    region = escape_markdown(scenario.meta.region) if markdown else scenario.meta.region
    return f"{region}, {scenario.meta.year}"
