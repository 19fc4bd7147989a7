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


#: The counts every bootstrap behind an interval refuses (0 skips, 39 is the floor).
BELOW_THE_FLOOR = range(1, MIN_REPLICATES)


def _refused_in_one_line(capsys, argv, option):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert option in err[0] and "at least 39" in err[0], err[0]


@pytest.fixture(scope="module")
def small_fit():
    from influence_kit.fitting import PowerLawFitter

    x = np.floor(Pareto(tail_index=1.5).rvs(300, random_state=1)) + 1
    return x, PowerLawFitter(discrete=True, xmin=1).fit(x)


def test_fit_uncertainty_bootstrap_has_the_floor(small_fit):
    x, fitter = small_fit
    for reps in BELOW_THE_FLOOR:
        with pytest.raises(
            ParameterError,
            match=f"^bootstrap_replicates \\(--bootstrap-reps\\) must be 0 \\(skip\\) "
            f"or at least 39 to give an interval, got {reps};",
        ):
            fit_all(x, discrete=True, xmin=1, bootstrap_replicates=reps, seed=1)
        with pytest.raises(
            ParameterError, match=f"--bootstrap-reps\\) must be at least 39 .*got {reps};"
        ):
            fitter.bootstrap(reps, seed=1, n_jobs=1)
    assert fit_all(x, discrete=True, xmin=1, bootstrap_replicates=0, seed=1).uncertainty is None
    report = fit_all(x, discrete=True, xmin=1, bootstrap_replicates=39, seed=1, n_jobs=1)
    assert report.uncertainty is not None and 0 < report.uncertainty.replicates <= 39


def test_concentration_bootstrap_has_the_floor():
    from influence_kit.concentration import bootstrap, concentration
    from influence_kit.tables import value_table

    values = np.arange(1.0, 101.0)
    for reps in BELOW_THE_FLOOR:
        with pytest.raises(
            ParameterError,
            match=f"^reps \\(--bootstrap-reps\\) must be 0 \\(skip\\) or at least 39 "
            f"to give an interval, got {reps};",
        ):
            concentration(values, reps=reps)
        with pytest.raises(ParameterError, match=f"^reps must be at least 39 .*got {reps};"):
            bootstrap(value_table(values), reps=reps)
    with pytest.raises(ParameterError, match="no intervals"):
        concentration(values, reps=0).conf_int()
    result = concentration(values, reps=39, seed=1)
    assert result.bootstrap_reps == 39 and result.draws is not None
    low, high = result.conf_int(0.05).loc["gini", ["lower", "upper"]]
    assert low < result.gini < high


def test_segment_bootstrap_has_the_floor(scenario):
    table = _people(np.linspace(0, 500, 200))
    for reps in BELOW_THE_FLOOR:
        with pytest.raises(
            ParameterError,
            match=f"^n_boot \\(--bootstrap\\) must be 0 \\(skip\\) or at least 39 "
            f"to give an interval, got {reps};",
        ):
            segment_people(table, scenario, n_boot=reps)
    assert segment_people(table, scenario, n_boot=0).replicates is None
    seg = segment_people(table, scenario, n_boot=39, seed=1)
    assert seg.replicates is not None and len(seg.replicates) == 39
    assert not seg.intervals.empty


def test_engagement_draws_have_the_floor(scenario):
    from influence_kit.accounting import account
    from influence_kit.engagement import engagement_account

    acc = account(scenario)
    for draws in (0, *BELOW_THE_FLOOR):
        with pytest.raises(ParameterError, match=f"^n_draws must be at least 39 .*got {draws};"):
            engagement_account(acc, n_draws=draws, seed=1)
    result = engagement_account(acc, n_draws=39, seed=1)
    low, high = result.conf_int().loc["engaged_impressions"]
    assert result.n_draws == 39 and low < high


@pytest.mark.parametrize("reps", ["1", "2", "38"])
def test_cli_bootstrap_counts_below_the_floor_exit_2(capsys, tmp_path, reps):
    values = tmp_path / "values.tsv"
    values.write_text("x\n" + "\n".join(str(v) for v in range(1, 101)) + "\n")
    people = tmp_path / "people.csv"
    _people(np.linspace(0, 500, 200)).to_csv(people, index=False)
    _refused_in_one_line(capsys, ["fit", str(values), "--bootstrap-reps", reps], "--bootstrap-reps")
    _refused_in_one_line(
        capsys, ["concentration", str(values), "--bootstrap-reps", reps], "--bootstrap-reps"
    )
    _refused_in_one_line(capsys, ["segment", str(people), "--bootstrap", reps], "--bootstrap")


def test_cli_bootstrap_counts_of_0_and_39_run(capsys, tmp_path):
    values = tmp_path / "values.tsv"
    values.write_text("x\n" + "\n".join(str(v) for v in range(1, 101)) + "\n")
    people = tmp_path / "people.csv"
    _people(np.linspace(0, 500, 200)).to_csv(people, index=False)
    for reps in ("0", "39"):
        for argv in (
            ["fit", str(values), "--bootstrap-reps", reps, "--jobs", "1"],
            ["concentration", str(values), "--bootstrap-reps", reps],
            ["segment", str(people), "--bootstrap", reps],
        ):
            assert main(argv) == 0, (argv, capsys.readouterr().err)
    capsys.readouterr()


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

    graph = AudienceGraph.from_edges([0], [1], direction="undirected")
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


TINY_GRAPHS = {2: ([0], [1]), 3: ([0, 1, 2], [1, 2, 0])}  # one link; a triangle


@pytest.mark.parametrize(
    ("people", "reshare", "posts"), [(2, 0.0, 39), (3, 0.5, 40)], ids=["pair", "triangle"]
)
def test_simulated_readers_interval_stops_at_everyone_but_the_author(people, reshare, posts):
    """On a graph of n people a post has at most n - 1 readers; the interval says so too.

    The cases are chosen (fixed seed) so that the t interval alone would reach above
    n - 1: the ceiling the simulation passes is what keeps it there.
    """
    from influence_kit.audience.cascade import simulate_cascades

    graph = AudienceGraph.from_edges(*TINY_GRAPHS[people])  # everyone sees everyone
    r = simulate_cascades(graph, visibility=0.95, reshare=reshare, posts=posts, seed=1)
    assert r.max_readers == people - 1 and r.readers.max() <= people - 1
    half = stats.t.isf(0.025, posts - 1) * r.readers.std(ddof=1) / np.sqrt(posts)
    assert r.mean_readers + half > people - 1  # unclipped, the interval would pass n - 1
    low, high = r.conf_int().loc["mean_readers", ["lower", "upper"]]
    assert low <= r.mean_readers <= high == people - 1


@pytest.mark.parametrize("people", [2, 3])
def test_simulated_readers_interval_never_passes_n_minus_1(people):
    from influence_kit.audience.cascade import simulate_cascades

    graph = AudienceGraph.from_edges(*TINY_GRAPHS[people])
    for seed in range(5):
        for visibility, reshare in ((0.9, 0.0), (0.95, 0.5), (1.0, 1.0)):
            r = simulate_cascades(
                graph, visibility=visibility, reshare=reshare, posts=MIN_REPLICATES, seed=seed
            )
            low, high = r.conf_int().loc["mean_readers", ["lower", "upper"]]
            assert 0 <= low <= r.mean_readers <= high <= people - 1, (seed, visibility, reshare)


def test_audience_table_readers_are_bounded_only_without_reshares():
    """Without reshares a post reaches at most the largest audience; with them the
    configuration model has no ceiling (its audiences never overlap), so none is set."""
    from influence_kit.audience.cascade import simulate_audience_sizes

    sizes = [1, 2, 5]
    r = simulate_audience_sizes(sizes, visibility=0.95, posts=MIN_REPLICATES, seed=1)
    assert r.max_readers == 5 and r.readers.max() <= 5
    assert r.conf_int().loc["mean_readers", "upper"] <= 5
    shared = simulate_audience_sizes(sizes, visibility=0.5, reshare=0.1, posts=50, seed=1)
    assert shared.max_readers is None


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
