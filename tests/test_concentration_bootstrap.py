"""Bootstrap CIs by multinomial resampling: determinism, agreement, coverage, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from influence_kit.concentration import (
    bootstrap,
    concentration,
    fraction_for_share,
    gini,
    top_share,
)
from influence_kit.concentration.bootstrap import _measures_batch, percentile_interval
from influence_kit.errors import DataError, HeavyTailWarning, ParameterError
from influence_kit.tables import value_table

TOP = np.array([0.01, 0.16, 0.5])
SHARES = np.array([0.5, 0.8])


@pytest.fixture(scope="module")
def zipf_table():
    rng = np.random.default_rng(11)
    return value_table(rng.zipf(2.1, size=20_000).astype(float))


def test_batch_evaluation_equals_point_estimates(zipf_table):
    """The vectorised replicate code, fed the observed counts, reproduces the measures."""
    values, counts, weights = (a[::-1] for a in zipf_table.rows())
    counts = np.vstack([counts, counts])
    grid = np.array([0.001, 0.3, 0.9])
    g, tops, fracs, curve = _measures_batch(values, weights, counts, TOP, SHARES, grid)
    assert g == pytest.approx([gini(zipf_table)] * 2, abs=1e-12)
    assert tops[1] == pytest.approx(top_share(zipf_table, TOP), abs=1e-12)
    assert fracs[0] == pytest.approx(fraction_for_share(zipf_table, SHARES), abs=1e-12)
    assert curve[0] == pytest.approx(top_share(zipf_table, grid), abs=1e-12)


def test_batch_evaluation_matches_resampled_expanded_data():
    """A multinomial replicate equals the measures of the expanded resampled people."""
    rng = np.random.default_rng(5)
    table = value_table(rng.integers(0, 30, size=300).astype(float))
    assert table.n_zeros > 0
    values, row_counts, weights = (a[::-1] for a in table.rows())
    n = table.n_observations
    counts = rng.multinomial(n, row_counts / n, size=3)
    g, tops, fracs, _ = _measures_batch(
        values, weights, counts.astype(float), TOP, SHARES, np.array([0.5])
    )
    for i in range(3):
        people = np.repeat(values, counts[i])
        again = value_table(people)
        assert g[i] == pytest.approx(gini(again), abs=1e-12)
        assert tops[i] == pytest.approx(top_share(again, TOP), abs=1e-12)
        assert fracs[i] == pytest.approx(fraction_for_share(again, SHARES), abs=1e-12)


def test_seeded_bootstrap_is_deterministic(zipf_table):
    a = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=7)
    b = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=7)
    c = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=8)
    np.testing.assert_array_equal(a.top_shares, b.top_shares)
    assert not np.array_equal(a.top_shares, c.top_shares)
    assert a.seed == 7
    # A Generator is used as it is: equal states give equal draws, and a Generator
    # that was used before gives new ones.
    rng = np.random.default_rng(7)
    gen = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=rng)
    same = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=np.random.default_rng(7))
    again = bootstrap(zipf_table, reps=50, top=TOP, shares=SHARES, seed=rng)
    np.testing.assert_array_equal(gen.gini, same.gini)
    assert not np.array_equal(gen.gini, again.gini)
    assert gen.seed is None


def test_unseeded_bootstrap_records_a_seed_that_repeats_it(zipf_table):
    fresh = bootstrap(zipf_table, reps=39, seed=None)
    other = bootstrap(zipf_table, reps=39, seed=None)
    assert isinstance(fresh.seed, int)
    assert not np.array_equal(fresh.gini, other.gini)
    np.testing.assert_array_equal(bootstrap(zipf_table, reps=39, seed=fresh.seed).gini, fresh.gini)


def test_batching_does_not_change_results(zipf_table):
    whole = bootstrap(zipf_table, reps=40, seed=3)
    pieces = bootstrap(zipf_table, reps=40, seed=3, batch_cells=zipf_table.n_distinct * 7)
    np.testing.assert_allclose(whole.top_shares, pieces.top_shares, rtol=0, atol=1e-14)
    np.testing.assert_allclose(whole.curve, pieces.curve, rtol=0, atol=1e-14)


def test_concentration_intervals_bracket_estimates(zipf_table):
    with pytest.warns(HeavyTailWarning, match="do not hold"):  # Zipf(2.1): tail index 1.1
        res = concentration(
            zipf_table, top=TOP, shares=SHARES, reps=300, seed=1, label="zipf", method="percentile"
        )
    ci = res.conf_int()
    estimates = res.estimates()
    assert list(ci.columns) == ["lower", "upper"]
    assert list(ci.index) == list(estimates.index)
    assert ci.index[0] == "gini" and len(ci) == 1 + TOP.size + SHARES.size
    assert (ci["lower"] < estimates).all() and (estimates < ci["upper"]).all()
    assert ci.loc["gini", "lower"] < res.gini < ci.loc["gini", "upper"]
    for row in res.top_shares:
        assert ci.loc[row.quantity, "lower"] <= row.share <= ci.loc[row.quantity, "upper"]
    for row in res.fraction_for_share:
        assert ci.loc[row.quantity, "lower"] <= row.fraction <= ci.loc[row.quantity, "upper"]
    band = res.lorenz_band()
    assert (band["lower"] <= band["value_share"] + 1e-9).all()
    assert (band["value_share"] <= band["upper"] + 1e-9).all()
    data = res.to_dict()
    assert {"gini", "top_shares", "fraction_for_share", "conf_int"} <= set(data)
    assert "curve_top" not in data and "lorenz" not in data and "draws" not in data
    assert set(data["top_shares"][0]) == {"top", "share"}
    assert data["conf_int"]["alpha"] == 0.05
    assert data["conf_int"]["intervals"]["gini"] == {
        "lower": ci.loc["gini", "lower"],
        "upper": ci.loc["gini", "upper"],
    }
    summary = res.summary()
    assert list(summary.columns) == ["estimate", "lower", "upper", "interval", "caution"]
    assert (summary["interval"] == "percentile").all()
    pd.testing.assert_frame_equal(summary[["lower", "upper"]], ci)


def test_conf_int_any_alpha_from_stored_replicates(zipf_table):
    """conf_int(alpha) is the percentile interval of the stored draws at that level."""
    with pytest.warns(HeavyTailWarning):
        res = concentration(
            zipf_table, top=TOP, shares=SHARES, reps=300, seed=1, method="percentile"
        )
    draws = res.draws.gini
    for alpha in (0.01, 0.05, 0.1, 0.5):
        row = res.conf_int(alpha).loc["gini"]
        assert row["lower"] == pytest.approx(np.quantile(draws, alpha / 2), abs=1e-15)
        assert row["upper"] == pytest.approx(np.quantile(draws, 1 - alpha / 2), abs=1e-15)
    wide, narrow = res.conf_int(0.01), res.conf_int(0.5)
    assert (wide["lower"] <= narrow["lower"]).all() and (narrow["upper"] <= wide["upper"]).all()
    low, high = percentile_interval(res.draws.top_shares, 0.2)
    np.testing.assert_array_equal(res.conf_int(0.2)["lower"].to_numpy()[1 : 1 + TOP.size], low)
    np.testing.assert_array_equal(res.conf_int(0.2)["upper"].to_numpy()[1 : 1 + TOP.size], high)
    for bad in (0.0, 1.0, -0.1):
        with pytest.raises(ParameterError, match="alpha"):
            res.conf_int(bad)


def test_no_bootstrap_has_no_intervals():
    res = concentration([1.0, 2.0, 10.0], reps=0)
    assert not res.has_intervals and "conf_int" not in res.to_dict()
    assert res.summary()[["lower", "upper"]].isna().all().all()
    assert res.lorenz_band()["lower"].isna().all()
    with pytest.raises(ParameterError, match="bootstrap was not run"):
        res.conf_int()
    assert res.top_share(0.1).top == 0.1
    with pytest.raises(ParameterError, match="not evaluated"):
        res.top_share(0.3)


def test_weighted_bootstrap_runs_and_keeps_weights():
    res = concentration([1.0, 2.0, 10.0, 3.0], weights=[1.0, 2.0, 0.5, 1.0], reps=100, seed=0)
    assert res.population == pytest.approx(4.5)
    assert np.isfinite(res.conf_int().loc["gini"]).all()
    assert res.draws is not None and res.draws.reps == 100


def test_coverage_sanity():
    """95% percentile intervals cover the population top share in most of 100 samples."""
    values = np.array([1, 2, 3, 5, 8, 13, 21, 40, 100, 400], dtype=float)
    probs = np.array([30, 20, 15, 10, 8, 6, 5, 3, 2, 1], dtype=float)
    population = value_table(values, counts=probs * 1000)
    truth = top_share(population, 0.1)[0]
    rng = np.random.default_rng(2024)
    hits = 0
    for _ in range(100):
        sample = rng.multinomial(400, probs / probs.sum())
        res = concentration(values, counts=sample, top=[0.1], shares=[0.8], reps=200, seed=rng)
        low, high = res.conf_int().loc[res.top_shares[0].quantity]
        hits += low <= truth <= high
    assert 85 <= hits <= 100


def test_degenerate_replicates_are_dropped_with_a_warning():
    # One positive value among many zeros: some replicates have nothing positive.
    table = value_table([0.0] * 30 + [5.0])
    with pytest.warns(RuntimeWarning, match="no positive value"):
        draws = bootstrap(table, reps=60, seed=1)
    assert 0 < draws.reps < 60
    assert np.isfinite(draws.top_shares).all()


@pytest.mark.parametrize("reps", [1, -3, 2.5, True])
def test_bad_reps(reps):
    with pytest.raises(ParameterError, match="reps"):
        concentration([1, 2, 3], reps=reps)


def test_bad_fractions():
    with pytest.raises(ParameterError, match="top fraction"):
        concentration([1, 2, 3], top=[0.1, 0.0])
    with pytest.raises(ParameterError, match="share q"):
        concentration([1, 2, 3], shares=[2.0])
    with pytest.raises(DataError, match="only zeros"):
        concentration([0, 0], reps=10)
