"""Fitting mechanics: frequency tables, the exact x_min scan, known answers, invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influence_kit.distributions import PowerLaw
from influence_kit.errors import DataError, ParameterError
from influence_kit.fitting import (
    PowerLawFitter,
    compare_loglik,
    fit_all,
    fit_power_law,
    scan_xmin,
    verdict,
)
from influence_kit.tables import value_table


def pareto(n, alpha, xmin=1.0, seed=0):
    return PowerLaw(xmin).sample(n, [alpha], np.random.default_rng(seed))


def mixed(n, alpha, seed, discrete=False):
    """Body below x_min (exponential-ish) plus a power-law tail above x_min = 10."""
    rng = np.random.default_rng(seed)
    body = rng.uniform(1, 10, n // 2)
    tail = PowerLaw(10, discrete).sample(n - n // 2, [alpha], rng)
    x = np.concatenate([body, tail])
    return np.floor(x) if discrete else x


# -- frequency tables --------------------------------------------------------------


def test_histogram_and_raw_values_give_the_same_table():
    raw = [0, 0, 1, 1, 1, 3, 7, 7]
    a = value_table(raw)
    b = value_table([7, 3, 1, 0], [2, 1, 3, 2])
    np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_array_equal(a.counts, b.counts)
    assert a.n_zeros == b.n_zeros == 2
    assert a.n == 6
    assert a.discrete


@pytest.mark.parametrize(
    ("data", "kwargs", "match"),
    [
        ([], {}, "empty"),
        ([1.0, np.nan], {}, "NaN or infinite"),
        ([1.0, np.inf], {}, "NaN or infinite"),
        ([1.0, -2.0], {}, "negative"),
        ([1.5, 2.0], {"discrete": True}, "non-integer"),
        ([0, 0], {}, "only zeros"),
        (["a", "b"], {}, "not numbers"),
    ],
)
def test_bad_input_raises_data_error(data, kwargs, match):
    with pytest.raises(DataError, match=match):
        value_table(data, **kwargs)


def test_weighted_table_is_refused_by_fitting():
    table = value_table([1.0, 2.0, 3.0, 5.0, 8.0, 13.0], weights=[1, 2, 1, 1, 1, 1])
    with pytest.raises(ParameterError, match="survey weights"):
        fit_power_law(table)


def test_bad_counts():
    with pytest.raises(DataError, match="whole numbers"):
        value_table([1, 2], [1.5, 2])
    with pytest.raises(DataError, match="2 values but 3 counts"):
        value_table([1, 2], [1, 2, 3])
    with pytest.raises(ParameterError, match="scale"):
        value_table([1, 2], scale=0)


def test_fit_errors_name_the_problem():
    with pytest.raises(DataError, match="all 5 values are equal"):
        fit_power_law([3.0] * 5)
    with pytest.raises(ParameterError, match="above the largest value"):
        fit_power_law(pareto(100, 2.5), xmin=1e9)
    with pytest.raises(DataError, match="at least 5 are needed"):
        fit_power_law([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], xmin=4.0)
    with pytest.raises(DataError, match="xmin candidate"):
        fit_power_law([1.0, 2.0, 3.0])
    with pytest.raises(ParameterError, match="integer"):
        fit_power_law([1, 2, 3, 4, 5, 6, 7, 8], xmin=2.5)


def test_zeros_are_reported_not_fitted():
    x = np.concatenate([np.zeros(1000), np.floor(pareto(5000, 2.5, seed=1))])
    fit = fit_power_law(x, discrete=True)
    assert fit.n_zeros == 1000
    assert fit.n == 5000


# -- the exact x_min scan ------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ties", ["each", "left"])
def test_branch_and_bound_equals_exhaustive_continuous(seed, ties):
    x = mixed(3000, 2.0 + 0.3 * seed, seed)
    if seed % 2:
        x = np.round(x, 1)  # many ties
    t = value_table(x, discrete=False)
    fast = scan_xmin(t, ties=ties)
    slow = scan_xmin(t, ties=ties, method="exhaustive")
    assert fast.xmin[fast.best] == slow.xmin[slow.best]
    assert fast.ks[fast.best] == pytest.approx(slow.ks[slow.best], rel=1e-12)
    assert np.all(fast.ks_lower <= slow.ks * (1 + 1e-12) + 1e-15)
    assert fast.evaluated < slow.evaluated


@pytest.mark.parametrize("seed", range(4))
def test_branch_and_bound_equals_exhaustive_discrete(seed):
    t = value_table(mixed(4000, 2.2 + 0.4 * seed, seed, discrete=True), discrete=True)
    fast = scan_xmin(t)
    slow = scan_xmin(t, method="exhaustive")
    assert fast.xmin[fast.best] == slow.xmin[slow.best]
    assert fast.alpha[fast.best] == slow.alpha[slow.best]


def test_xmin_range_restricts_candidates():
    t = value_table(mixed(2000, 2.5, 3), discrete=False)
    scan = scan_xmin(t, xmin_range=(20.0, 50.0))
    assert scan.xmin.min() >= 20 and scan.xmin.max() <= 50


# -- known answers on simulated data ---------------------------------------------------


@pytest.mark.parametrize("alpha", [1.5, 2.0, 2.5, 3.5, 4.5])
@pytest.mark.parametrize("discrete", [False, True])
def test_known_alpha_within_standard_errors(alpha, discrete):
    x = PowerLaw(5, discrete).sample(20_000, [alpha], np.random.default_rng(int(alpha * 10)))
    fixed = fit_power_law(x, discrete=discrete, xmin=5)
    assert abs(fixed.alpha - alpha) < 3 * fixed.alpha_se
    scanned = fit_power_law(x, discrete=discrete)
    assert abs(scanned.alpha - alpha) < 4 * scanned.alpha_se
    assert scanned.xmin < 12


def test_no_cap_on_alpha():
    x = PowerLaw(1, True).sample(20_000, [4.3], np.random.default_rng(43))
    assert fit_power_law(x, discrete=True, xmin=1).alpha == pytest.approx(4.3, abs=0.05)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    factor=st.floats(min_value=1e-3, max_value=1e3),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_continuous_fit_is_scale_equivariant(factor, seed):
    x = mixed(600, 2.3, seed)
    a = fit_power_law(x, discrete=False)
    b = fit_power_law(x, discrete=False, scale=factor)
    assert b.n_tail == a.n_tail
    assert b.xmin == pytest.approx(a.xmin * factor, rel=1e-9)
    assert b.alpha == pytest.approx(a.alpha, rel=1e-9)
    assert b.ks == pytest.approx(a.ks, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_histogram_input_equals_raw_input(seed):
    x = np.floor(mixed(500, 2.5, seed, discrete=True))
    v, c = np.unique(x, return_counts=True)
    a = fit_power_law(x, discrete=True)
    b = fit_power_law(v, c, discrete=True)
    assert (a.xmin, a.alpha, a.n_tail, a.ks) == (b.xmin, b.alpha, b.n_tail, b.ks)


# -- cross-check against powerlaw 2.0.0 ------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("seed", range(3))
def test_matches_powerlaw_package_continuous(seed):
    powerlaw = pytest.importorskip("powerlaw")
    x = mixed(1500, 2.2 + 0.2 * seed, seed + 100)  # alpha < 3: the peer's cap does not bite
    peer = powerlaw.Fit(x, discrete=False, verbose=False)
    ours = fit_power_law(x, discrete=False, ties="left")
    assert ours.xmin == peer.xmin
    assert ours.alpha == pytest.approx(peer.alpha, abs=1e-4)
    assert ours.ks == pytest.approx(peer.power_law.D, abs=1e-9)


# -- comparisons and verdict -----------------------------------------------------------


def test_vuong_statistic_by_hand():
    d1 = np.log(np.array([0.2, 0.3, 0.1, 0.4]))
    d2 = np.log(np.array([0.25, 0.2, 0.15, 0.3]))
    counts = np.array([1.0, 2.0, 1.0, 3.0])
    comp = compare_loglik("x", d1, d2, counts)
    diff = np.repeat(d1 - d2, counts.astype(int))
    r = diff.sum()
    sigma = diff.std()
    assert comp.lr == pytest.approx(r)
    assert comp.normalized == pytest.approx(r / (sigma * np.sqrt(diff.size)))
    nested = compare_loglik("cut", d2, d1, counts, nested=True)
    assert nested.p_boundary == pytest.approx(nested.p / 2)


def test_fit_all_on_pure_power_law_is_plausible():
    rep = fit_all(pareto(3000, 2.5, seed=9), discrete=False, gof_replicates=60, seed=1, n_jobs=1)
    assert rep.gof.p > 0.1
    assert rep.verdict in ("good", "moderate")
    assert {c.alternative for c in rep.comparisons} == {
        "lognormal",
        "exponential",
        "stretched_exponential",
        "power_law_cutoff",
    }
    assert rep.comparison("exponential").lr > 0
    assert rep.summary().shape[0] == 5
    assert "verdict" in rep.to_dict()
    assert "<table" in rep._repr_html_()


def test_fit_all_on_exponential_data_says_none():
    x = 1 + np.random.default_rng(4).exponential(5.0, 3000)
    rep = fit_all(x, discrete=False, xmin=1.0, gof_replicates=50, seed=2, n_jobs=1)
    assert rep.verdict in ("none", "with cut-off")
    assert rep.comparison("exponential").lr < 0


def test_verdict_without_gof_says_so():
    support, reason = verdict(None, [])
    assert support == "good" and "not tested" in reason


# -- bootstraps ------------------------------------------------------------------------


def test_gof_parallel_equals_serial_and_is_seeded():
    fitter = PowerLawFitter(discrete=True).fit(np.floor(mixed(2000, 2.5, 5, discrete=True)))
    serial = fitter.goodness_of_fit(60, seed=7, n_jobs=1)
    parallel = fitter.goodness_of_fit(60, seed=7, n_jobs=2)
    np.testing.assert_array_equal(serial.ks_replicates, parallel.ks_replicates)
    assert serial.p == parallel.p
    other = fitter.goodness_of_fit(60, seed=8, n_jobs=1)
    assert not np.array_equal(other.ks_replicates, serial.ks_replicates)
    assert 0 <= serial.p <= 1 and serial.replicates == 60
    assert fitter.gof_ is other


def test_uncertainty_bootstrap_is_deterministic():
    fitter = PowerLawFitter().fit(mixed(2000, 2.5, 6))
    a = fitter.bootstrap(40, seed=3, n_jobs=1)
    b = fitter.bootstrap(40, seed=3, n_jobs=2)
    np.testing.assert_array_equal(a.alpha_replicates, b.alpha_replicates)
    assert a.alpha_sd > 0 and a.replicates == 40
    assert set(a.summary().index) == {"xmin", "alpha", "n_tail"}


#: Small bootstraps of :func:`fit_all` (the seed rule is what is checked, not the numbers).
SMALL_BOOTSTRAPS = dict(discrete=False, gof_replicates=39, bootstrap_replicates=39, n_jobs=1)


def test_fit_all_seed_generator_repeats_the_run():
    """The README's rule: a numpy Generator repeats a run as an int does."""
    x = pareto(1500, 2.5, seed=11)
    a = fit_all(x, seed=np.random.default_rng(1), **SMALL_BOOTSTRAPS)
    b = fit_all(x, seed=np.random.default_rng(1), **SMALL_BOOTSTRAPS)
    c = fit_all(x, seed=np.random.default_rng(2), **SMALL_BOOTSTRAPS)
    np.testing.assert_array_equal(a.gof.ks_replicates, b.gof.ks_replicates)
    np.testing.assert_array_equal(a.uncertainty.alpha_replicates, b.uncertainty.alpha_replicates)
    assert a.gof.p == b.gof.p and a.uncertainty.alpha_sd == b.uncertainty.alpha_sd
    assert not np.array_equal(a.gof.ks_replicates, c.gof.ks_replicates)
    # a Generator has no integer that repeats it
    assert a.gof.seed is None and a.uncertainty.seed is None
    with pytest.raises(ParameterError, match="seed must be an integer >= 0"):
        fit_all(x, seed=-1, **SMALL_BOOTSTRAPS)


def test_fit_all_int_seed_runs_the_bootstraps_on_seed_and_seed_plus_one():
    x = pareto(1500, 2.5, seed=11)
    report = fit_all(x, seed=4, **SMALL_BOOTSTRAPS)
    fitter = PowerLawFitter(discrete=False).fit(x)
    gof = fitter.goodness_of_fit(39, seed=4, n_jobs=1)
    boot = fitter.bootstrap(39, seed=5, n_jobs=1)
    np.testing.assert_array_equal(report.gof.ks_replicates, gof.ks_replicates)
    np.testing.assert_array_equal(report.uncertainty.alpha_replicates, boot.alpha_replicates)
    assert (report.gof.seed, report.uncertainty.seed) == (4, 5)


def test_fit_all_without_seed_records_the_seed_that_repeats_it():
    x = pareto(1500, 2.5, seed=11)
    first = fit_all(x, seed=None, **SMALL_BOOTSTRAPS)
    assert isinstance(first.gof.seed, int)
    assert first.uncertainty.seed == first.gof.seed + 1
    again = fit_all(x, seed=first.gof.seed, **SMALL_BOOTSTRAPS)
    np.testing.assert_array_equal(first.gof.ks_replicates, again.gof.ks_replicates)
    np.testing.assert_array_equal(
        first.uncertainty.alpha_replicates, again.uncertainty.alpha_replicates
    )


def test_estimator_api():
    fitter = PowerLawFitter(discrete=False)
    assert "PowerLawFitter" in repr(fitter)
    with pytest.raises(ParameterError, match="not fitted"):
        fitter.compare()
    assert fitter.fit(mixed(2000, 2.5, 8)) is fitter
    assert fitter.alpha_ == fitter.result_.alpha
    assert fitter.scan_ is not None and fitter.scan_.evaluated >= 1
    comps = fitter.compare(["lognormal"])
    assert [c.alternative for c in comps] == ["lognormal"]
    with pytest.raises(ParameterError, match="unknown alternative"):
        fitter.compare(["gamma"])
    with pytest.raises(ParameterError, match="discrete"):
        fitter.compare(["poisson"])
    assert float(fitter.summary().loc["alpha", "value"]) == pytest.approx(fitter.alpha_, rel=1e-5)
    assert fitter.report().gof is None


def test_results_serialise():
    fit = fit_power_law(mixed(1000, 2.5, 1))
    d = fit.to_dict()
    assert {"xmin", "alpha", "alpha_se", "n_tail", "ks", "aic", "bic"} <= set(d)
    assert "scan" not in d
    assert fit.bic == pytest.approx(np.log(fit.n_tail) - 2 * fit.loglik)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("seed", range(2))
def test_matches_powerlaw_package_discrete(seed):
    """Same x_min; at that x_min the peer's exact discrete alpha agrees to 1e-4.

    (By default the peer reports the approximate discrete estimator, Clauset et al.
    eq. 3.7, about 3e-3 away; ``estimate_discrete=False`` gives its numerical MLE.)
    """
    powerlaw = pytest.importorskip("powerlaw")
    rng = np.random.default_rng(seed)
    body = rng.integers(1, 10, 1500).astype(float)
    x = np.concatenate([body, PowerLaw(10, True).sample(1500, [2.2 + 0.2 * seed], rng)])
    ours = fit_power_law(x, discrete=True)
    assert ours.xmin == powerlaw.Fit(x, discrete=True, verbose=False).xmin
    peer = powerlaw.Fit(x, discrete=True, xmin=ours.xmin, estimate_discrete=False, verbose=False)
    assert ours.alpha == pytest.approx(peer.power_law.alpha, abs=1e-4)


def test_fits_give_frozen_laws_with_one_meaning_of_alpha():
    """alpha is the density exponent everywhere; the frozen continuous fit is a Pareto law."""
    from influence_kit.distributions import FrozenLognormal, Pareto

    fitter = PowerLawFitter(discrete=False).fit(mixed(3000, 2.5, 4))
    law = fitter.distribution_
    assert isinstance(law, Pareto)
    assert law.alpha == fitter.alpha_ and law.tail_index == pytest.approx(fitter.alpha_ - 1.0)
    assert law.xmin == fitter.xmin_
    x = np.array([fitter.xmin_ * 2, fitter.xmin_ * 10])
    family = PowerLaw(fitter.xmin_)
    assert law.sf(x) == pytest.approx(family.ccdf(x, [fitter.alpha_]))
    fitter.compare(["lognormal"])
    fit = fitter.alternatives_["lognormal"]
    lognormal = fitter.frozen("lognormal")
    assert isinstance(lognormal, FrozenLognormal)
    assert lognormal.parameters["mu"] == fit.params["mu"]
    with pytest.raises(ParameterError, match="no 'exponential' fit"):
        fitter.frozen("exponential")
    discrete = PowerLawFitter(discrete=True).fit(np.floor(mixed(3000, 2.5, 5)) + 1)
    law = discrete.distribution_
    assert law.discrete and law.parameters["alpha"] == discrete.alpha_
    assert isinstance(discrete.report().frozen(continuous=True), Pareto)


def test_conf_int_wald_and_bootstrap_percentiles():
    from scipy import stats

    fitter = PowerLawFitter(discrete=False).fit(mixed(2000, 2.5, 9))
    fitter.compare(["exponential"])
    ci = fitter.result_.conf_int(0.1)
    z = stats.norm.isf(0.05)
    assert list(ci.columns) == ["lower", "upper"]
    assert ci.loc["alpha", "lower"] == pytest.approx(fitter.alpha_ - z * fitter.alpha_se_)
    assert ci.loc["alpha", "upper"] == pytest.approx(fitter.alpha_ + z * fitter.alpha_se_)
    fit = fitter.alternatives_["exponential"]
    ci_exp = fit.conf_int()
    lam, se = fit.params["lambda"], fit.se["lambda"]
    assert ci_exp.loc["lambda", "upper"] == pytest.approx(lam + stats.norm.isf(0.025) * se)
    boot = fitter.bootstrap(39, seed=2, n_jobs=1)
    pct = boot.conf_int(0.2)
    assert pct.loc["alpha", "lower"] == pytest.approx(np.quantile(boot.alpha_replicates, 0.1))
    assert pct.loc["xmin", "upper"] == pytest.approx(np.quantile(boot.xmin_replicates, 0.9))
    report = fitter.report()
    rows = report.conf_int()
    assert list(rows.index) == [
        "alpha",
        "exponential: lambda",
        "xmin (bootstrap)",
        "alpha (bootstrap)",
        "n_tail (bootstrap)",
    ]
    assert rows.loc["alpha (bootstrap)", "upper"] == pytest.approx(
        np.quantile(boot.alpha_replicates, 0.975)
    )
    with pytest.raises(ParameterError, match="alpha must be in"):
        report.conf_int(1.5)


def test_key_figures_are_exact_values_with_units():
    from influence_kit.results import KeyFigures

    report = fit_all(mixed(2000, 2.5, 3), discrete=False, alternatives=[], progress=False)
    figures = report.key_figures()
    assert isinstance(figures, KeyFigures)
    assert figures["alpha"] == report.power_law.alpha
    assert figures["n_tail"] == report.power_law.n_tail
    assert figures["gof_p"] is None
    assert figures["verdict"] == report.verdict
    text = figures.summary()["shown as"]
    assert text["goodness-of-fit p"] == "n/a"
    assert text["observations (positive)"] == f"{report.power_law.n:,}"


def test_fitting_does_not_import_concentration():
    import ast
    from pathlib import Path

    import influence_kit.fitting as fitting

    for path in Path(fitting.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert "concentration" not in (node.module or ""), path


def test_reference_row_is_one_row_and_refuses_duplicates():
    import pandas as pd

    from influence_kit.fitting.replication import _reference_row

    ref = pd.DataFrame({"dataset": ["a", "b", "b"], "xmin": ["1", "2", "3"]}).set_index("dataset")
    row = _reference_row(ref, "a")
    assert isinstance(row, pd.Series) and row["xmin"] == "1"
    with pytest.raises(DataError, match="'b' more than once"):
        _reference_row(ref, "b")
