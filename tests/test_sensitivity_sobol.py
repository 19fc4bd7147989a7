"""Sobol indices: SALib estimates against the closed form and against scipy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from influence_kit.accounting import evaluate
from influence_kit.errors import ParameterError
from influence_kit.scenarios import load_scenario
from influence_kit.sensitivity import sobol, sobol_analytic
from influence_kit.sensitivity._common import build_marginals

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "forrester-us-2009.yaml"

#: A case with large interactions: uniform network, posts and readers of similar weight.
BALANCED = {
    "network_impressions": "uniform",
    "influence_posts": {"kind": "uniform"},
    "readers_per_post": {"kind": "uniform"},
}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def balanced():
    return load_scenario(
        SCENARIO,
        {
            "network_impressions.low": 100e9,
            "network_impressions.high": 400e9,
            "influence_posts.low": 0.5e9,
            "influence_posts.high": 3e9,
            "readers_per_post.low": 100,
            "readers_per_post.high": 200,
        },
    )


def test_analytic_by_hand_for_uniform_inputs(balanced):
    a_var = (300e9) ** 2 / 12
    b_mean, b_var = 1.75e9, (2.5e9) ** 2 / 12
    c_mean, c_var = 150.0, 100.0**2 / 12
    bc_var = (b_var + b_mean**2) * (c_var + c_mean**2) - b_mean**2 * c_mean**2
    v = a_var + bc_var
    exact = sobol_analytic(balanced, distributions=BALANCED)
    got = {r["input"]: r for r in exact.summary().to_dict(orient="records")}
    assert got["network_impressions"]["S1"] == pytest.approx(a_var / v)
    assert got["influence_posts"]["S1"] == pytest.approx(b_var * c_mean**2 / v)
    assert got["readers_per_post"]["S1"] == pytest.approx(c_var * b_mean**2 / v)
    assert got["influence_posts"]["ST"] == pytest.approx(b_var * (c_var + c_mean**2) / v)
    assert got["readers_per_post"]["ST"] == pytest.approx(c_var * (b_var + b_mean**2) / v)
    assert got["network_impressions"]["ST"] == got["network_impressions"]["S1"]
    assert got["online_adults"]["ST"] == 0.0 and got["advertiser_impressions"]["S1"] == 0.0
    # First-order indices plus the B x C interaction account for all the variance.
    interaction = b_var * c_var / v
    assert sum(got[k]["S1"] for k in got) + interaction == pytest.approx(1.0)


@pytest.mark.parametrize("case", ["shipped", "balanced"])
def test_salib_matches_the_closed_form(scenario, balanced, case):
    scen, dists = (scenario, None) if case == "shipped" else (balanced, BALANCED)
    est = sobol(scen, 8192, seed=7, distributions=dists)
    exact = sobol_analytic(scen, distributions=dists)
    assert est.inputs == exact.inputs
    np.testing.assert_allclose(est.S1, exact.S1, atol=0.03)
    np.testing.assert_allclose(est.ST, exact.ST, atol=0.02)
    # The exact values lie within the 99% percentile-bootstrap intervals.
    wide = est.conf_int(0.01)
    truth = exact.conf_int()
    assert list(wide.index) == list(truth.index)
    np.testing.assert_array_equal(truth["lower"], truth["upper"])  # analytic: zero width
    assert np.all(wide["lower"] <= truth["lower"]) and np.all(truth["upper"] <= wide["upper"])
    # A 95% interval sits inside the 99% one and is not degenerate.
    narrow = est.conf_int(0.05)
    assert np.all(narrow["lower"] >= wide["lower"]) and np.all(narrow["upper"] <= wide["upper"])
    moves = truth["upper"] > 0
    assert moves.sum() >= 3
    assert np.all(narrow["upper"][moves] > narrow["lower"][moves])


def test_sobol_conf_int_is_the_percentile_bootstrap(balanced):
    est = sobol(balanced, 1024, seed=11, distributions=BALANCED, num_resamples=400)
    assert est.S1_boot.shape == (400, len(est.inputs))
    ci = est.conf_int(0.10)
    assert ci.index.name == "quantity" and list(ci.columns) == ["lower", "upper"]
    exact = sobol_analytic(balanced, distributions=BALANCED)
    checked = 0
    for j, name in enumerate(est.inputs):
        if exact.ST[j] == 0:  # an input without effect has all replicates at 0
            continue
        checked += 1
        boot = est.ST_boot[:, j]
        # the 5% and 95% quantiles bracket 90% of the replicates
        inside = np.mean(
            (boot >= ci.loc[f"ST[{name}]", "lower"]) & (boot <= ci.loc[f"ST[{name}]", "upper"])
        )
        assert inside == pytest.approx(0.90, abs=0.01)
        # close to the normal interval SALib would report (z * bootstrap sd)
        half = stats.norm.ppf(0.95) * est.S1_boot[:, j].std(ddof=1)
        width = ci.loc[f"S1[{name}]", "upper"] - ci.loc[f"S1[{name}]", "lower"]
        assert width == pytest.approx(2 * half, rel=0.25)
    assert checked == 3
    with pytest.raises(ParameterError, match="alpha"):
        est.conf_int(1.0)


def test_salib_matches_scipy_sobol_indices(balanced):
    est = sobol(balanced, 4096, seed=3, distributions=BALANCED)
    margs = build_marginals(balanced, est.inputs, BALANCED)

    def func(x: np.ndarray) -> np.ndarray:
        return evaluate(balanced, dict(zip(est.inputs, x, strict=True)))["total_impressions"]

    ref = stats.sobol_indices(
        func=func,
        n=4096,
        dists=[margs[k].frozen for k in est.inputs],
        rng=np.random.default_rng(3),
    )
    np.testing.assert_allclose(est.S1, ref.first_order, atol=0.04)
    np.testing.assert_allclose(est.ST, ref.total_order, atol=0.04)


def test_additive_case_has_no_interactions(scenario):
    dists = {"influence_posts": "fixed", "network_impressions": "uniform"}
    exact = sobol_analytic(scenario, distributions=dists)
    np.testing.assert_allclose(exact.S1, exact.ST)
    assert exact.S1.sum() == pytest.approx(1.0)
    assert "influence_posts" not in exact.inputs


def test_shipped_scenario_is_dominated_by_readers(scenario):
    result = sobol(scenario, 1024, seed=1)
    top = result.summary().iloc[0]
    assert top["input"] == "readers_per_post"
    assert top["S1"] > 0.9 and top["ST"] > 0.9
    assert result.evaluations == 1024 * (len(result.inputs) + 2)
    records = result.records()
    assert set(records[0]) == {"input", "S1", "ST"}
    data = result.to_dict()
    assert data["indices"] == records
    block = data["conf_int"]
    assert block["alpha"] == 0.05
    ci = result.conf_int()
    assert block["intervals"]["ST[readers_per_post]"] == {
        "lower": ci.loc["ST[readers_per_post]", "lower"],
        "upper": ci.loc["ST[readers_per_post]", "upper"],
    }
    one = result.index_of("readers_per_post")
    assert one["ST"] == pytest.approx(top["ST"])
    assert one["ST_lower"] <= one["ST_upper"]


def test_any_distribution_kind_works(scenario):
    dists = {"readers_per_post": {"kind": "lognormal"}, "network_impressions": "normal"}
    est = sobol(scenario, 4096, seed=5, distributions=dists)
    exact = sobol_analytic(scenario, distributions=dists)
    np.testing.assert_allclose(est.S1, exact.S1, atol=0.03)
    np.testing.assert_allclose(est.ST, exact.ST, atol=0.03)


@pytest.mark.parametrize("seed", [0, 1, 987654321])
def test_sobol_is_deterministic_including_seed_zero(scenario, seed):
    a = sobol(scenario, 512, seed=seed)
    b = sobol(scenario, 512, seed=seed)
    for field in ("S1", "S1_boot", "ST", "ST_boot"):
        assert np.array_equal(getattr(a, field), getattr(b, field))


def test_seed_changes_the_estimate(scenario):
    a, b = sobol(scenario, 512, seed=0), sobol(scenario, 512, seed=1)
    assert not np.array_equal(a.S1_boot, b.S1_boot)
    fresh1, fresh2 = sobol(scenario, 256), sobol(scenario, 256)
    assert not np.array_equal(fresh1.S1, fresh2.S1)
    np.testing.assert_array_equal(sobol(scenario, 256, seed=fresh1.seed).S1, fresh1.S1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 1000}, "power of 2"),
        ({"n": 0}, r"n \(--sobol-n\) must be at least 64 .*, got 0;"),
        ({"n": 32}, r"n \(--sobol-n\) must be at least 64 .*, got 32;"),
        ({"n": "big"}, r"n \(--sobol-n\) must be an integer, got 'big'"),
        ({"num_resamples": 1}, "num_resamples must be at least 39 to give an interval, got 1"),
        ({"seed": "7"}, "seed must be an integer >= 0, a numpy Generator"),
        ({"output": "reach"}, r"output must be one of .*, got 'reach'"),
        ({"inputs": ["readers_per_post", "likes"]}, r"input must be one of .*, got 'likes'"),
        ({"distributions": {"readers_per_post": {"kind": "normal", "sd": -1}}}, "readers_per_post"),
    ],
)
def test_sobol_bad_input(scenario, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        sobol(scenario, **{"n": 64, **kwargs})


def test_sobol_refuses_inputs_without_distribution(scenario):
    with pytest.raises(ParameterError, match="input readers_per_post: has no distribution"):
        sobol(
            scenario, 64, distributions={"readers_per_post": "fixed"}, inputs=["readers_per_post"]
        )
    with pytest.raises(ParameterError, match=r"whatever the .* varied inputs are"):
        sobol(scenario, 64, inputs=["online_adults"])


def test_sobol_emits_no_warnings(scenario, recwarn):
    sobol(scenario, 256, seed=4)
    assert not [w for w in recwarn if not issubclass(w.category, DeprecationWarning)]
    assert len(recwarn) == 0
