"""Real per-person data beside the headline and the segment sizes (notebook 06, section 3-4).

The figures are those the concentration notebook printed for the shipped scenario and data
(2,000 bootstrap replicates, the default seed, 95% intervals).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from influence_kit import load_scenario
from influence_kit.concentration import (
    DataConcentration,
    FamilyCheck,
    calibrate_to_headline,
    concentration,
    family_check,
    format_estimate,
    interval_bounds,
    interval_note,
    real_data_concentration,
)
from influence_kit.concentration.real_data import (
    CONSISTENT,
    LESS_CONCENTRATED,
    MORE_CONCENTRATED,
    WITHIN_RANGE,
)
from influence_kit.constants import DEFAULT_SEED
from influence_kit.datasets import activity_columns
from influence_kit.errors import ParameterError
from influence_kit.plots.concentration import published_segments
from influence_kit.segments import published_headline

NOTEBOOK_BULLETS = (
    "* **wiki-Vote: votes cast**: 14.2% of people make 80% (95% CI 13.5% to 15.0%) [percent"
    "ile \\(tail index 0.53, lognormal-like tail\\)] (caution: heavy tail \\(power-law inde"
    "x 0.53, 95% interval from 0.517; a lognormal fits it better, Vuong p = 2.4e-07\\): per"
    "centile intervals can fall short on such tails): consistent with forrester-us-2009: Ma"
    "ss Mavens \\(influence posts\\) (13.8%).\n"
    "* **wiki-Vote: votes received**: 15.6% of people make 80% (95% CI 15.0% to 16.2%): wit"
    "hin the range of the segment figures, nearest forrester-us-2009: Mass Influencers \\(a"
    "ll impressions\\) (16.3%) but outside the interval.\n"
    "* **Stack Exchange: upvotes cast**: 2.0% of people make 80% (95% CI 1.7% to 2.3%) [per"
    "centile \\(tail index 0.78, lognormal-like tail\\)] (caution: heavy tail \\(power-law "
    "index 0.779, 95% interval from 0.729; a lognormal fits it better, Vuong p = 7.7e-05\\)"
    ": percentile intervals can fall short on such tails): more concentrated than any of th"
    "e scenario's segment figures.\n"
    "* **Stack Exchange: reputation**: 19.4% of people make 80% (95% CI 0.0% to 23.1%) [env"
    "elope \\(tail index 0.94: infinite variance possible\\)] (caution: fitted tail index 0"
    ".942 is at most 1 \\(an infinite mean\\): under that power law the top shares are 1, s"
    "o only intervals reaching that limit hold): consistent with forrester-us-2009: Mass Co"
    "nnectors \\(network impressions\\) (6.2%).\n"
    "* **ego-Facebook: friends**: 40.1% of people make 80% (95% CI 39.3% to 41.0%) [percent"
    "ile \\(tail index 1.51, lognormal-like tail\\)] (caution: heavy tail \\(power-law inde"
    "x 1.51, 95% interval from 1.43; a lognormal fits it better, Vuong p = 2.5e-15\\): perc"
    "entile intervals can fall short on such tails): less concentrated than any of the scen"
    "ario's segment figures."
)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("forrester-us-2009")


@pytest.fixture(scope="module")
def measured(scenario) -> DataConcentration:
    top, share = published_headline(scenario)
    columns = activity_columns()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # cautions live in the results, not in warnings
        return real_data_concentration(
            columns,
            top=top,
            share=share,
            reference=published_segments(scenario),
            reps=2000,
            seed=DEFAULT_SEED,
        )


def test_notebook_table(measured):
    table = measured.table()
    assert list(table.columns) == [
        "people",
        "Gini",
        "top 1% hold",
        "top 0.16 hold",
        "share of people making 80%",
        "intervals",
    ]
    assert table["people"].tolist() == [7115, 7115, 24259, 24259, 4039]
    votes = table.loc["wiki-Vote: votes cast"]
    assert votes["Gini"] == "81.3% (80.5% to 82.1%)"
    assert votes["top 1% hold"] == "21.8% (19.7% to 23.9%)"
    assert votes["top 0.16 hold"] == "82.6% (81.4% to 83.5%)"
    assert votes["share of people making 80%"] == "14.2% (13.5% to 15.0%)"
    assert votes["intervals"] == "percentile (tail index 0.53, lognormal-like tail)"
    upvotes = table.loc["Stack Exchange: upvotes cast"]
    assert upvotes["share of people making 80%"] == "2.0% (1.7% to 2.3%)"
    assert table.loc["wiki-Vote: votes received", "intervals"] == "percentile"
    assert table.loc["ego-Facebook: friends", "intervals"] == (
        "percentile (tail index 1.51, lognormal-like tail)"
    )
    assert table.loc["Stack Exchange: reputation", "intervals"] == (
        "envelope (tail index 0.94: infinite variance possible)"
    )


def test_notebook_classification(measured):
    assert measured.describe() == NOTEBOOK_BULLETS
    verdicts = [c.verdict for c in measured.classifications]
    assert verdicts == [
        CONSISTENT,
        WITHIN_RANGE,
        MORE_CONCENTRATED,
        CONSISTENT,
        LESS_CONCENTRATED,
    ]


def test_notebook_family_check(measured):
    check = family_check(list(measured.results), top=measured.top)
    assert isinstance(check, FamilyCheck)
    assert check.hits == {"pareto": 1, "lognormal": 0, "weibull": 2}
    table = check.summary()
    assert list(table.columns) == [
        "top 0.16 hold (headline)",
        "pareto predicts",
        "lognormal predicts",
        "weibull predicts",
        "observed top 1%",
        "observed CI low",
        "observed CI high",
    ]
    votes = table.loc["wiki-Vote: votes cast"]
    printed = [0.8257, 0.6179, 0.3465, 0.2464, 0.2181, 0.1972, 0.2391]
    np.testing.assert_allclose(votes.to_numpy(dtype=float), printed, atol=5e-5)
    assert check.describe() == (
        "Number of datasets whose observed top-1% share interval contains each family's "
        "prediction: pareto 1 of 5, lognormal 0 of 5, weibull 2 of 5. No single family is "
        "right everywhere: which shape fits the top of the top has to be measured, not read "
        "off a headline."
    )


def test_family_predictions_are_the_calibrations(measured):
    """Each prediction is the calibrated family's top-1% share; the hits count the
    predictions inside the observed interval."""
    check = family_check(list(measured.results), top=measured.top)
    for i, r in enumerate(measured.results):
        own = r.top_share(measured.top).share
        for fam in calibrate_to_headline(measured.top, own).families:
            assert check.predicted[fam.family][i] == fam.top_1pct_share
    for family, values in check.predicted.items():
        inside = [
            lo <= v <= hi
            for v, lo, hi in zip(values, check.observed_lower, check.observed_upper, strict=True)
        ]
        assert check.hits[family] == sum(inside)


def test_key_figures_and_dict(measured):
    figures = measured.key_figures()
    votes = measured.results[0]
    assert figures["data_gini.wiki-Vote: votes cast"] == votes.gini
    assert figures["data_fraction_making_share.wiki-Vote: votes cast"] == (
        votes.fraction_for(measured.share).fraction
    )
    data = measured.to_dict()
    assert data["top"] == measured.top and len(data["data"]) == 5
    summary = measured.summary()
    assert summary.loc["Stack Exchange: upvotes cast", "classification"] == MORE_CONCENTRATED
    assert summary["fraction_making_share_lower"].le(summary["fraction_making_share_upper"]).all()


# -- the rules, on one small data set --------------------------------------------------------


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(7)
    values = np.floor(rng.pareto(1.2, 3000) * 10) + 1
    with warnings.catch_warnings():  # its heavy tail is cautioned about; not the point here
        warnings.simplefilter("ignore")
        return real_data_concentration(
            {"small": values}, top=0.16, share=0.8, reps=200, seed=3, reference={}
        )


def _fraction_and_bounds(result: DataConcentration) -> tuple[float, float, float]:
    r = result.results[0]
    est = r.fraction_for(result.share)
    lo, hi = interval_bounds(r, est.quantity, result.confidence)
    return est.fraction, lo, hi


def test_classification_rules(small):
    _, lo, hi = _fraction_and_bounds(small)
    r = small.results[0]

    def verdict(reference):
        return dataclasses.replace(small, reference=reference).classify(r)

    assert verdict({}).verdict is None
    assert verdict({"above": hi + 0.01}).verdict == MORE_CONCENTRATED
    assert verdict({"below": lo - 0.001}).verdict == LESS_CONCENTRATED
    inside = verdict({"far": lo - 0.001, "in": (lo + hi) / 2, "also in": hi})
    assert (inside.verdict, inside.segment) == (CONSISTENT, "in")
    between = verdict({"near": lo - 0.001, "far": hi + 0.5})
    assert (between.verdict, between.segment, between.segment_size) == (
        WITHIN_RANGE,
        "near",
        lo - 0.001,
    )
    assert (
        "nearest near"
        in dataclasses.replace(small, reference={"near": lo - 0.001, "far": hi + 0.5}).describe()
    )


def test_interval_bounds_are_conf_int(small):
    r = small.results[0]
    ci = r.conf_int(0.1).loc["gini"]
    assert interval_bounds(r, "gini", 0.9) == (ci["lower"], ci["upper"])
    none = concentration(np.arange(1.0, 50.0), top=[0.01, 0.16], shares=(0.8,), reps=0)
    assert interval_bounds(none, "gini") is None
    assert interval_note(none) == none.interval_method.value


def test_format_estimate():
    assert format_estimate(0.142) == "14.2%"
    assert format_estimate(0.02, (0.0171, 0.0234)) == "2.0% (1.7% to 2.3%)"


def test_equal_values_have_nothing_to_calibrate():
    """Everyone equal: the top 16% hold 16%, so no concentrated law is calibrated."""
    flat = concentration(np.ones(100), top=[0.01, 0.16], shares=(0.8,), reps=50, seed=1)
    check = family_check([flat], top=0.16)
    assert check.headline_share[0] == pytest.approx(0.16)
    assert check.predicted == {} and check.hits == {}


def test_refusals(small):
    with pytest.raises(ParameterError, match="at least one"):
        real_data_concentration({}, top=0.16, share=0.8)
    with pytest.raises(ParameterError, match="top"):
        real_data_concentration({"x": [1.0, 2.0]}, top=1.5, share=0.8)
    with pytest.raises(ParameterError, match="at least one"):
        family_check([], top=0.16)
    with pytest.raises(ParameterError, match="not evaluated"):
        family_check(list(small.results), top=0.3)
