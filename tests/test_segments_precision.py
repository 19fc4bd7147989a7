"""survey_precision: does a survey-sized sample support the published digits?

The numbers are those the Mass Influencers notebook printed (10,112 respondents drawn from
the shipped panel with the default seed, 200 bootstrap replicates): the Connector share
known to about +-1.4 points, the Maven share to +-0.97 points, intervals 0.0529-0.0802 and
0.1269-0.1464, so one-decimal figures are more precise than the sample supports.
"""

from __future__ import annotations

import warnings

import pytest

from influence_kit import load_scenario
from influence_kit.constants import DEFAULT_SEED
from influence_kit.errors import ParameterError
from influence_kit.formatting import format_number
from influence_kit.population import load_panel
from influence_kit.segments import (
    PRECISION_SEGMENTS,
    SurveyPrecision,
    segment_people,
    survey_precision,
)
from influence_kit.segments.precision import NOT_SUPPORTED, SUPPORTED

SURVEY_SIZE = 10_112  # respondents of Forrester's US 2009 survey


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("forrester-us-2009")


def _survey(scenario, n_boot: int = 200):
    people = load_panel(scenario, DEFAULT_SEED)
    with warnings.catch_warnings():  # the heavy-tail caution is the notebook's to show
        warnings.simplefilter("ignore")
        return segment_people(
            people.sample(n=SURVEY_SIZE, random_state=DEFAULT_SEED),
            scenario,
            broadcaster_min_audience=10_000,
            n_boot=n_boot,
            seed=DEFAULT_SEED,
        )


@pytest.fixture(scope="module")
def survey(scenario):
    return _survey(scenario)


def test_notebook_figures(survey):
    result = survey_precision(survey)
    assert result.segments == PRECISION_SEGMENTS == ("mass_connectors", "mass_mavens")
    assert result.survey_size == SURVEY_SIZE
    half = result.half_width
    assert format_number(100 * half["mass_connectors"], 2) == "1.4"
    assert format_number(100 * half["mass_mavens"], 2) == "0.97"
    printed = {"mass_connectors": (0.0529, 0.0802), "mass_mavens": (0.1269, 0.1464)}
    for segment, (low, high) in printed.items():
        assert result.low[segment] == pytest.approx(low, abs=5e-5)
        assert result.high[segment] == pytest.approx(high, abs=5e-5)
    assert result.estimate["mass_connectors"] == pytest.approx(0.0681, abs=5e-5)
    assert not result.supported
    assert result.verdict == NOT_SUPPORTED == "more precise than its sample supports"


def test_half_width_is_half_the_interval(survey):
    result = survey_precision(survey, segments=("overlap", "mass_influencers"))
    for segment in ("overlap", "mass_influencers"):
        low, high = survey.interval(segment, "share_of_adults")
        assert result.half_width[segment] == pytest.approx((high - low) / 2, rel=1e-12)
        assert result.estimate[segment] == survey.segments.loc[segment, "share_of_adults"]


@pytest.mark.parametrize(("decimals", "resolution"), [(1, 0.0005), (0, 0.005), (-1, 0.05)])
def test_resolution_is_half_the_last_printed_digit(survey, decimals, resolution):
    result = survey_precision(survey, decimals=decimals)
    assert result.resolution == pytest.approx(resolution, rel=1e-12)
    widest = max(result.half_width.values())
    assert result.supported is (widest <= resolution)
    assert result.verdict == (SUPPORTED if widest <= resolution else NOT_SUPPORTED)


def test_coarse_figures_are_supported(survey):
    """Shares rounded to tens of percent (+-5 points) are well within +-1.4 points."""
    assert survey_precision(survey, decimals=-1).verdict == "supported"


def test_result_contract(survey):
    result = survey_precision(survey)
    assert isinstance(result, SurveyPrecision)
    table = result.summary()
    assert list(table.index) == list(PRECISION_SEGMENTS)
    assert list(table.columns) == ["estimate", "low", "high", "half_width", "resolution"]
    data = result.to_dict()
    assert data["verdict"] == result.verdict and data["supported"] is False
    assert data["segments"]["mass_mavens"]["half_width"] == result.half_width["mass_mavens"]
    figures = result.key_figures()
    assert figures["survey_size"] == SURVEY_SIZE
    assert figures["mass_connectors_half_width"] == result.half_width["mass_connectors"]
    assert figures["verdict"] == NOT_SUPPORTED


def test_refusals(scenario, survey):
    with pytest.raises(ParameterError, match="no intervals"):
        survey_precision(_survey(scenario, n_boot=0))
    with pytest.raises(ParameterError, match="unknown segment 'nope'"):
        survey_precision(survey, segments=("nope",))
    with pytest.raises(ParameterError, match="at least one segment"):
        survey_precision(survey, segments=())
    with pytest.raises(ParameterError, match="all_adults"):
        survey_precision(survey, segments=("all_adults",))
    with pytest.raises(ParameterError, match="decimals"):
        survey_precision(survey, decimals=1.5)
