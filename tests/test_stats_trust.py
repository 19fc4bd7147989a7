"""Issue 25 (statistics that must be trustworthy): one test per reported case and a new one."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from influence_kit.audience.graph import AudienceGraph
from influence_kit.audience.readers import ReadersDistribution
from influence_kit.cli.main import main
from influence_kit.concentration import calibrate_to_headline
from influence_kit.concentration.measures import gini, top_share
from influence_kit.distributions import (
    Exponential,
    IsfDistribution,
    Lognormal,
    Pareto,
    Poisson,
    PowerLaw,
    PowerLawCutoff,
    StretchedExponential,
)
from influence_kit.errors import ParameterError
from influence_kit.fitting import fit_all
from influence_kit.scenarios import load_scenario
from influence_kit.segments import segment_people
from influence_kit.segments.membership import broadcaster_threshold
from influence_kit.sensitivity import monte_carlo, sensitivity_report, sobol
from influence_kit.validation.arguments import MIN_REPLICATES, check_replicates

WORDS = "data/clauset2009/words.txt"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("forrester-us-2009")


# --- one floor for every replicate count ---------------------------------------------


def test_the_floor_is_where_a_95_percent_interval_and_p_value_first_resolve():
    # the range of R draws covers (R - 1) / (R + 1) of the law on average: 95% first at 39
    assert (MIN_REPLICATES - 1) / (MIN_REPLICATES + 1) >= 0.95 > (37 / 39)
    # the smallest bootstrap p-value, 1 / (R + 1), first falls below 0.05 at R = 20 <= 39
    assert 1 / (MIN_REPLICATES + 1) < 0.05
    assert check_replicates("reps", 0, allow_zero=True) == 0
    with pytest.raises(ParameterError, match="reps must be 0 \\(skip\\) or at least 39"):
        check_replicates("reps", 38, allow_zero=True)


@pytest.mark.parametrize("draws", [1, 2, 38])
def test_monte_carlo_below_the_floor_is_refused(scenario, draws):
    with pytest.raises(
        ParameterError, match=f"draws \\(--draws\\) must be at least 39 .*got {draws};"
    ):
        monte_carlo(scenario, draws, seed=1)
    result = monte_carlo(scenario, 39, seed=1)
    assert result.p5 < result.p95  # 39 draws: a real spread


def test_cli_sensitivity_draws_1_exits_2_with_one_line(capsys):
    assert main(["sensitivity", "--draws", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--draws" in err[0] and "at least 39" in err[0]


@pytest.mark.parametrize("n", [2, 32])
def test_sobol_below_the_floor_is_refused(scenario, n):
    with pytest.raises(ParameterError, match=f"--sobol-n\\) must be at least 64 .*got {n};"):
        sobol(scenario, n, seed=1)


def test_fit_gof_reps_1_is_refused_not_p_equal_1(capsys):
    with pytest.raises(ParameterError, match="--gof-reps\\) must be 0 \\(skip\\) or at least 39"):
        fit_all(np.arange(1, 200), gof_replicates=1, seed=1)
    assert main(["fit", WORDS, "--gof-reps", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "at least 39" in err[0]


# --- prose and JSON agree on every Sobol index -----------------------------------------


def test_sobol_prose_shows_the_json_numbers(scenario):
    """N = 64 gives noisy indices; whatever they are, the prose prints those numbers."""
    from influence_kit.formatting import format_quantity

    report = sensitivity_report(scenario, draws=1000, seed=3, sobol_n=64)
    lead = report.to_dict()["sobol"][0]
    interval = report.sobol.index_of(lead["input"], alpha=0.05)
    text = report.describe()
    for value in (lead["S1"], lead["ST"], interval["S1_lower"], interval["S1_upper"]):
        assert format_quantity(value, "share") in text
    if any(not 0 <= v <= 1 for v in (lead["S1"], interval["S1_lower"])):
        assert "only sampling error can do" in text


# --- thresholds with ties ---------------------------------------------------------------


def _people(audience):
    n = len(audience)
    return pd.DataFrame(
        {
            "network_impressions": np.linspace(1, 100, n),
            "influence_posts": np.linspace(0, 10, n),
            "audience": audience,
        }
    )


def test_broadcaster_top_share_on_zero_ties_is_refused():
    """60% have audience 0: a 50% tier took in everyone (100% Broadcasters) before."""
    audience = np.array([0] * 60 + list(range(1, 41)), dtype=float)
    with pytest.raises(ParameterError, match=r"only 40\.0% of adults have one"):
        broadcaster_threshold(audience, np.ones(100), 0.5)
    with pytest.raises(ParameterError, match=r"broadcaster_top_share 50\.0%"):
        segment_people(
            _people(audience),
            load_scenario("forrester-us-2009"),
            n_boot=0,
            broadcaster_top_share=0.5,
        )
    assert broadcaster_threshold(audience, np.ones(100), 0.4) == 1.0  # all with an audience


def test_broadcaster_top_share_gives_the_asked_share_or_says_why_not():
    audience = np.array([1.0] * 60 + [5.0] * 30 + [9.0] * 10)
    assert broadcaster_threshold(audience, np.ones(100), 0.10) == 9.0  # exactly 10%
    assert broadcaster_threshold(audience, np.ones(100), 0.40) == 5.0  # exactly 40%
    with pytest.raises(ParameterError, match=r"either 10\.0% or 40\.0% of adults"):
        broadcaster_threshold(audience, np.ones(100), 0.25)


# --- intervals stay in the feasible range ---------------------------------------------


def test_readers_interval_on_a_two_person_graph_is_not_6_85():
    from influence_kit.audience.cascade import simulate_cascades

    graph = AudienceGraph.from_edges([0], [1], direction="mutual")
    r = simulate_cascades(graph, visibility=0.5, reshare=0.5, seed=1)
    low, high = r.conf_int().loc["mean_readers", ["lower", "upper"]]
    assert np.isnan(low) and np.isnan(high)  # 2 posts: no interval


def test_readers_interval_stops_at_the_most_readers_a_post_can_have():
    readers = np.array([0, 1] * 20)
    zeros = np.zeros(readers.size, dtype=int)
    r = ReadersDistribution("pair", "test", 1.0, 0.0, readers, zeros, zeros, readers, None, 1)
    low, high = r.conf_int().loc["mean_readers", ["lower", "upper"]]
    half = stats.t.isf(0.025, 39) * readers.std(ddof=1) / np.sqrt(40)
    assert low == pytest.approx(0.5 - half) and high == pytest.approx(0.5 + half) and high <= 1
    r = ReadersDistribution(
        "pair", "test", 1.0, 0.0, np.array([0] * 39 + [1]), zeros, zeros, readers, None, 1
    )
    assert r.conf_int().loc["mean_readers", "upper"] <= 1.0


# --- distributions: one rule outside the domain ----------------------------------------

LAWS = {
    "pareto": Pareto(tail_index=1.5, xmin=2.0),
    "power_law_d": PowerLaw(2.0, True).freeze(2.5),
    "lognormal": Lognormal(2.0).freeze(0.0, 1.0),
    "exponential": Exponential(2.0).freeze(0.1),
    "stretched": StretchedExponential(2.0).freeze(0.1, 0.5),
    "cutoff": PowerLawCutoff(2.0).freeze(2.0, 0.01),
    "cutoff_d": PowerLawCutoff(2.0, True).freeze(2.0, 0.01),
    "poisson": Poisson(2.0, True).freeze(5.0),
    "isf": IsfDistribution(stats.lognorm(1.8).isf, name="lognormal"),
}


@pytest.mark.parametrize("name", sorted(LAWS))
def test_isf_and_ppf_outside_0_1_are_nan_for_every_law(name):
    law = LAWS[name]
    out = law.isf(np.array([-0.5, 1.5, np.nan]))
    assert np.all(np.isnan(out))  # Pareto isf(1.5) was 0.70, below x_min = 2
    assert np.isnan(law.ppf(1.5)) and np.isnan(law.ppf(-1e-9))
    assert float(law.isf(0.0)) == np.inf
    # the lower end of the support (an IsfDistribution knows it to isf(1 - 1e-15))
    assert float(law.isf(1.0)) == pytest.approx(law.lower, rel=1e-12, abs=1e-6)
    assert float(law.ppf(0.0)) == pytest.approx(law.lower, rel=1e-12, abs=1e-6)


@pytest.mark.parametrize("name", sorted(LAWS))
def test_rvs_sizes_for_every_law(name):
    law = LAWS[name]
    assert law.rvs(0, random_state=1).shape == (0,)
    assert law.rvs((3, 0), random_state=1).shape == (3, 0)
    assert law.rvs((2, 2), random_state=1).shape == (2, 2)
    for bad in (-1, 2.5, "3", True, (2, -1)):
        with pytest.raises(ParameterError, match="size must be a whole number >= 0"):
            law.rvs(bad, random_state=1)


# --- concentration near the largest float ------------------------------------------------


def test_gini_and_top_share_near_1e308_match_the_rescaled_values():
    x = np.array([1e308, 1.5e308, 1.7e308, 1e307])
    small = x / 1e300
    assert gini(x) == pytest.approx(gini(small), rel=1e-12)
    np.testing.assert_allclose(top_share(x, [0.25, 0.5]), top_share(small, [0.25, 0.5]))
    # exactly: total 4.3e308 (scaled: 43), top quarter 17 -> 17/43
    assert top_share(x, 0.25)[0] == pytest.approx(17 / 43)


def test_gini_of_equal_huge_values_is_zero():
    assert gini(np.full(5, 1.7e308)) == pytest.approx(0.0, abs=1e-12)


# --- calibrate reports the families that work -------------------------------------------


def test_one_failing_family_does_not_abort_calibrate(capsys):
    res = calibrate_to_headline(0.16, 0.80, cutoff_alpha=3.5)
    assert [f.family for f in res.families] == ["pareto", "lognormal", "weibull"]
    assert "too light-tailed" in res.failed["power_law_cutoff"]
    assert res["pareto"].parameters["tail_index"] == pytest.approx(1.139, abs=1e-3)
    assert (
        main(["calibrate", "--top", "0.16", "--share", "0.8", "--cutoff-alpha", "3.5", "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert "too light-tailed" in data["failed"]["power_law_cutoff"]
    assert data["lognormal"]["sigma"] == pytest.approx(1.836, abs=1e-3)
    assert main(["calibrate", "--top", "0.16", "--share", "0.8", "--cutoff-alpha", "3.5"]) == 0
    assert re.search(
        r"power_law_cutoff: not calibrated: .*too light-tailed", capsys.readouterr().out
    )


def test_a_bad_cutoff_alpha_is_still_refused():
    with pytest.raises(ParameterError, match="cutoff_alpha must lie in"):
        calibrate_to_headline(0.16, 0.80, cutoff_alpha=500.0)
