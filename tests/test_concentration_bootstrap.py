"""Bootstrap CIs by multinomial resampling: determinism, agreement, coverage, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from influence_kit.concentration import bootstrap, concentration, concentration_table
from influence_kit.concentration.bootstrap import _measures_batch
from influence_kit.errors import DataError, ParameterError

TOP = np.array([0.01, 0.16, 0.5])
SHARES = np.array([0.5, 0.8])


@pytest.fixture(scope="module")
def zipf_table():
    rng = np.random.default_rng(11)
    return concentration_table(rng.zipf(2.1, size=20_000).astype(float))


def test_batch_evaluation_equals_point_estimates(zipf_table):
    """The vectorised replicate code, fed the observed counts, reproduces the measures."""
    counts = np.vstack([zipf_table.counts, zipf_table.counts])
    grid = np.array([0.001, 0.3, 0.9])
    g, tops, fracs, curve = _measures_batch(
        zipf_table.values, zipf_table.weights, counts, TOP, SHARES, grid
    )
    assert g == pytest.approx([zipf_table.gini()] * 2, abs=1e-12)
    assert tops[1] == pytest.approx(zipf_table.top_share(TOP), abs=1e-12)
    assert fracs[0] == pytest.approx(zipf_table.fraction_for_share(SHARES), abs=1e-12)
    assert curve[0] == pytest.approx(zipf_table.top_share(grid), abs=1e-12)


def test_batch_evaluation_matches_resampled_expanded_data():
    """A multinomial replicate equals the measures of the expanded resampled people."""
    rng = np.random.default_rng(5)
    table = concentration_table(rng.integers(0, 30, size=300).astype(float))
    counts = rng.multinomial(int(table.n_people), table.counts / table.n_people, size=3)
    g, tops, fracs, _ = _measures_batch(
        table.values, table.weights, counts.astype(float), TOP, SHARES, np.array([0.5])
    )
    for i in range(3):
        people = np.repeat(table.values, counts[i])
        again = concentration_table(people)
        assert g[i] == pytest.approx(again.gini(), abs=1e-12)
        assert tops[i] == pytest.approx(again.top_share(TOP), abs=1e-12)
        assert fracs[i] == pytest.approx(again.fraction_for_share(SHARES), abs=1e-12)


def test_seeded_bootstrap_is_deterministic(zipf_table):
    a = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=7)
    b = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=7)
    c = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=8)
    np.testing.assert_array_equal(a.top_shares, b.top_shares)
    assert not np.array_equal(a.top_shares, c.top_shares)
    gen = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a.gini, gen.gini)


def test_batching_does_not_change_results(zipf_table):
    whole = bootstrap(zipf_table, reps=40, seed=3)
    pieces = bootstrap(zipf_table, reps=40, seed=3, batch_cells=zipf_table.n_distinct * 7)
    np.testing.assert_allclose(whole.top_shares, pieces.top_shares, rtol=0, atol=1e-14)
    np.testing.assert_allclose(whole.curve, pieces.curve, rtol=0, atol=1e-14)


def test_concentration_intervals_bracket_estimates(zipf_table):
    res = concentration(zipf_table, top=TOP, shares=SHARES, reps=300, seed=1, label="zipf")
    assert res.gini_ci_low < res.gini < res.gini_ci_high
    for row in res.top_shares:
        assert row.ci_low <= row.share <= row.ci_high
    for row in res.fraction_for_share:
        assert row.ci_low <= row.fraction <= row.ci_high
    band = res.lorenz_band()
    assert (band["ci_low"] <= band["value_share"] + 1e-9).all()
    assert (band["value_share"] <= band["ci_high"] + 1e-9).all()
    data = res.to_dict()
    assert {"gini", "top_shares", "fraction_for_share"} <= set(data)
    assert "curve_top" not in data and "lorenz" not in data
    assert set(data["top_shares"][0]) == {"top", "share", "ci_low", "ci_high"}
    assert res.top_share(0.16).top == 0.16
    with pytest.raises(ParameterError, match="not evaluated"):
        res.top_share(0.3)


def test_weighted_bootstrap_runs_and_keeps_weights():
    res = concentration([1.0, 2.0, 10.0, 3.0], weights=[1.0, 2.0, 0.5, 1.0], reps=100, seed=0)
    assert res.population == pytest.approx(4.5)
    assert res.gini_ci_low is not None


def test_coverage_sanity():
    """95% percentile intervals cover the population top share in most of 100 samples."""
    values = np.array([1, 2, 3, 5, 8, 13, 21, 40, 100, 400], dtype=float)
    probs = np.array([30, 20, 15, 10, 8, 6, 5, 3, 2, 1], dtype=float)
    population = concentration_table(values, counts=probs * 1000)
    truth = population.top_share(0.1)[0]
    rng = np.random.default_rng(2024)
    hits = 0
    for _ in range(100):
        sample = rng.multinomial(400, probs / probs.sum())
        res = concentration(values, counts=sample, top=[0.1], shares=[0.8], reps=200, seed=rng)
        row = res.top_shares[0]
        hits += row.ci_low <= truth <= row.ci_high
    assert 85 <= hits <= 100


def test_degenerate_replicates_are_dropped_with_a_warning():
    # One positive value among many zeros: some replicates have nothing positive.
    table = concentration_table([0.0] * 30 + [5.0])
    with pytest.warns(RuntimeWarning, match="no positive value"):
        draws = bootstrap(table, reps=60, seed=1)
    assert 0 < draws.reps < 60
    assert np.isfinite(draws.top_shares).all()


@pytest.mark.parametrize("reps", [1, -3, 2.5, True])
def test_bad_reps(reps):
    with pytest.raises(ParameterError, match="reps"):
        concentration([1, 2, 3], reps=reps)


def test_bad_confidence_and_fractions():
    with pytest.raises(ParameterError, match="confidence"):
        concentration([1, 2, 3], confidence=1.0)
    with pytest.raises(ParameterError, match="top fraction"):
        concentration([1, 2, 3], top=[0.1, 0.0])
    with pytest.raises(ParameterError, match="share q"):
        concentration([1, 2, 3], shares=[2.0])
    with pytest.raises(DataError, match="every value is zero"):
        concentration([0, 0], reps=10)
