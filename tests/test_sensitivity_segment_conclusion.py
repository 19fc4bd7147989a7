"""segment_sensitivity: the person-level verdict of the readers-per-post notebook.

The text is the one the notebook printed for the shipped scenario and panel (readers per
post 50, 150 and 1,000; thresholds 70%, 80% and 90%).
"""

from __future__ import annotations

import dataclasses

import pytest

from influence_kit import load_scenario
from influence_kit.errors import ParameterError
from influence_kit.population import load_panel
from influence_kit.sensitivity import (
    SegmentSensitivity,
    segment_readers_sweep,
    segment_sensitivity,
    threshold_sweep,
)
from influence_kit.sensitivity.report import BARELY_MOVES

NOTEBOOK_TEXT = (
    "**The segments are a product of the threshold.** At 80% the Mass Influencers are 16.3% "
    "of adults; a 70% rule would give 10.3% and a 90% rule 26.8%, so the published size is a "
    "definition, not a finding.\n\n"
    "**Readers per post barely moves their weight in the total.** With 50, 150 and 1,000 "
    "readers per post the Mass Influencers make 84.6%, 83.7% and 82.2% of all influence "
    "impressions (between 81.7% and 85.5% whatever the readers), but the weight shifts inside "
    "the group: from 50 to 1,000 readers the Connectors' share falls from 69.2% to 42.6% and "
    "the Mavens' rises from 71.1% to 78.4%. The smallest share of adults making 80% of the "
    "total is 10.2%, 12.8% and 14.1% at the three values (without posts it would be the 6.2% "
    "who make 80% of network impressions)."
)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("forrester-us-2009")


@pytest.fixture(scope="module")
def people(scenario):
    return load_panel(scenario)


@pytest.fixture(scope="module")
def result(people, scenario):
    return segment_sensitivity(people, scenario, readers_low=50, readers_high=1000)


def test_notebook_text(result):
    assert result.describe() == NOTEBOOK_TEXT
    assert result.barely_moves
    assert result.readers == (50.0, 150.0, 1000.0)  # the base is the scenario's


def test_figures_are_those_of_the_sweeps(result, people, scenario):
    marks = segment_readers_sweep(people, scenario, [50, 150, 1000])
    for i, r in enumerate(result.readers):
        assert result.influencers_share_of_total[i] == pytest.approx(
            marks.share_of_total_at(r, "mass_influencers"), rel=1e-12
        )
        assert result.connectors_share_of_total[i] == pytest.approx(
            marks.share_of_total_at(r, "mass_connectors"), rel=1e-12
        )
        assert result.mavens_share_of_total[i] == pytest.approx(
            marks.share_of_total_at(r, "mass_mavens"), rel=1e-12
        )
    around = threshold_sweep(people, [0.7, 0.8, 0.9], scenario=scenario)
    for t, share in zip(result.thresholds, result.influencers_share_of_adults, strict=True):
        assert share == around.share_at(t)
    assert result.thresholds == pytest.approx((0.7, 0.8, 0.9), abs=1e-12)


def test_properties(result):
    """A stricter threshold makes larger segments; the share of the total lies between its
    limits at zero and infinitely many readers (it is a ratio of two affine functions)."""
    assert list(result.influencers_share_of_adults) == sorted(result.influencers_share_of_adults)
    lo, hi = sorted(
        (result.influencers_share_at_zero_readers, result.influencers_share_at_infinite_readers)
    )
    for share in result.influencers_share_of_total:
        assert lo <= share <= hi
    assert result.influencers_shift == pytest.approx(
        abs(result.influencers_share_of_total[2] - result.influencers_share_of_total[0])
    )


def test_base_may_equal_an_end(people, scenario):
    same = segment_sensitivity(
        people, scenario, readers_low=150, readers_high=1000, base_readers=150
    )
    assert same.readers == (150.0, 150.0, 1000.0)
    assert same.influencers_share_of_total[0] == same.influencers_share_of_total[1]
    assert "With 150, 150 and 1,000 readers" in same.describe()
    keys = list(same.key_figures().labels())
    assert keys.count("influencers_share_of_total_at_150_readers") == 1


def _moved(result: SegmentSensitivity, **changes) -> SegmentSensitivity:
    return dataclasses.replace(result, **changes)


def test_wording_rules(result):
    shift = (0.80, 0.79, 0.80 - BARELY_MOVES)
    assert (
        "Readers per post moves their"
        in _moved(result, influencers_share_of_total=shift).describe()
    )
    almost = (0.80, 0.79, 0.80 - BARELY_MOVES + 1e-9)
    assert "barely moves" in _moved(result, influencers_share_of_total=almost).describe()
    text = _moved(
        result, connectors_share_of_total=(0.4, 0.5, 0.6), mavens_share_of_total=(0.7, 0.6, 0.5)
    ).describe()
    assert "the Connectors' share rises from 40.0% to 60.0%" in text
    assert "the Mavens' falls from 70.0% to 50.0%" in text
    # the limits are given low to high whichever comes first
    flipped = _moved(
        result,
        influencers_share_at_zero_readers=0.7,
        influencers_share_at_infinite_readers=0.9,
    )
    assert "(between 70.0% and 90.0% whatever the readers)" in flipped.describe()


def test_result_contract(result):
    table = result.summary()
    assert list(table.columns) == ["low", "base", "high"]
    assert table.loc["readers_per_post"].tolist() == [50.0, 150.0, 1000.0]
    assert table.loc["influencers_share_of_adults", "base"] == pytest.approx(0.163, abs=5e-4)
    data = result.to_dict()
    assert data["barely_moves"] is True and data["conclusion"] == NOTEBOOK_TEXT
    figures = result.key_figures()
    # the keys the notebook records
    assert figures["influencers_share_of_total_at_150_readers"] == pytest.approx(0.837, abs=5e-4)
    assert figures["influencers_share_of_total_at_1e3_readers"] == pytest.approx(0.822, abs=5e-4)
    assert figures["influencers_share_of_adults_at_0.8"] == result.influencers_share_of_adults[1]


def test_refusals(people, scenario):
    with pytest.raises(ParameterError, match="readers_low"):
        segment_sensitivity(people, scenario, readers_low=-1, readers_high=1000)
    with pytest.raises(ParameterError):  # 0.8 + 0.25 leaves (0, 1)
        segment_sensitivity(
            people, scenario, readers_low=50, readers_high=1000, threshold_step=0.25
        )
