"""Comparisons work on frequency tables: the table path equals the expanded observations.

Also checks the fast discretised lognormal (per-table likelihood, analytic gradient,
cancellation-free interval masses) against slow, independent computations: mpmath at
50 digits, a direct sum over the integers, finite differences and a Nelder-Mead fit of
the per-observation likelihood.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from scipy import optimize, special, stats

from influence_kit.distributions import (
    Exponential,
    Lognormal,
    Poisson,
    PowerLaw,
    PowerLawCutoff,
    StretchedExponential,
)
from influence_kit.distributions.lognormal import DiscreteLognormalTable, log_normal_mass
from influence_kit.fitting import PowerLawFitter

FAMILY_CASES = [
    (PowerLaw, [2.3], True),
    (PowerLaw, [2.3], False),
    (Lognormal, [1.2, 1.4], True),
    (Lognormal, [1.2, 1.4], False),
    (Lognormal, [-3.0e4, 180.0], True),  # far out on the ridge towards the power law
    (Exponential, [0.15], True),
    (Exponential, [0.15], False),
    (StretchedExponential, [0.8, 0.45], True),
    (StretchedExponential, [0.8, 0.45], False),
    (PowerLawCutoff, [1.8, 0.02], True),
    (PowerLawCutoff, [1.8, 0.02], False),
    (Poisson, [6.5], True),
]


def _table(discrete: bool, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    raw = PowerLaw(3.0, discrete).sample(400, [2.2], rng)
    values, counts = np.unique(raw, return_counts=True)
    return values, counts.astype(float)


@pytest.mark.parametrize(("cls", "params", "discrete"), FAMILY_CASES)
def test_table_loglik_equals_expanded_observations(cls, params, discrete):
    values, counts = _table(discrete)
    fam = cls(3.0, discrete)
    expanded = np.repeat(values, counts.astype(int))
    by_row = float(np.sum(fam.logpdf(expanded, params)))
    assert fam.loglik(values, counts, params) == pytest.approx(by_row, rel=1e-12)
    # the cached per-table likelihood the numerical fits use is the same function
    assert fam.table_loglik(values, counts)(params) == pytest.approx(by_row, rel=1e-12)
    # and each row's log mass is that of every copy of the value
    np.testing.assert_allclose(
        np.repeat(fam.logpdf(values, params), counts.astype(int)),
        fam.logpdf(expanded, params),
        rtol=1e-13,
    )


def _vuong_by_observation(lp_pl: np.ndarray, lp_alt: np.ndarray) -> tuple[float, float, float]:
    """Vuong's statistic from one log-likelihood per observation (eq. 5.4 of Clauset et al.)."""
    d = lp_pl - lp_alt
    r = float(d.sum())
    sigma = float(np.sqrt(np.mean((d - d.mean()) ** 2)))
    normalized = r / (sigma * np.sqrt(d.size))
    return r, normalized, float(special.erfc(abs(normalized) / np.sqrt(2.0)))


@pytest.mark.parametrize("discrete", [True, False])
def test_every_comparison_equals_the_expanded_vuong_statistic(discrete):
    values, counts = _table(discrete, seed=11)
    fitter = PowerLawFitter(discrete=discrete, xmin=3.0).fit(values, counts)
    comparisons = fitter.compare()
    expanded = np.repeat(values, counts.astype(int))
    lp_pl = PowerLaw(3.0, discrete).logpdf(expanded, [fitter.alpha_])
    assert len(comparisons) == (5 if discrete else 4)
    for comp in comparisons:
        fit = fitter.alternatives_[comp.alternative]
        fam = {c.name: c for c in (Poisson, Lognormal, Exponential, StretchedExponential)}.get(
            comp.alternative, PowerLawCutoff
        )(3.0, discrete)
        lp_alt = fam.logpdf(expanded, list(fit.params.values()))
        r, normalized, p = _vuong_by_observation(lp_pl, lp_alt)
        assert comp.lr == pytest.approx(r, rel=1e-10, abs=1e-8), comp.alternative
        assert comp.normalized == pytest.approx(normalized, rel=1e-8, abs=1e-10), comp.alternative
        if comp.nested:
            expected = stats.chi2.sf(-2.0 * r, 1) if r < 0 else 1.0
            assert comp.p == pytest.approx(expected, rel=1e-8)
        else:
            assert comp.p == pytest.approx(p, rel=1e-8, abs=1e-300), comp.alternative
        assert fit.loglik == pytest.approx(float(np.sum(lp_alt)), rel=1e-12)


# -- the fast discretised lognormal against slow references ------------------------------


def _mp_log_mass(v: float, mu: float, sigma: float, xmin: float) -> float:
    """``log P(X = v)`` of the discretised lognormal, at 50 digits."""
    with mpmath.workdps(50):

        def z(x: float) -> mpmath.mpf:
            return (mpmath.log(x) - mpmath.mpf(mu)) / mpmath.mpf(sigma)

        mass = mpmath.ncdf(-z(v)) - mpmath.ncdf(-z(v + 1))
        return float(mpmath.log(mass) - mpmath.log(mpmath.ncdf(-z(xmin))))


@pytest.mark.parametrize(
    ("mu", "sigma", "xmin"),
    [(1.0, 1.5, 1.0), (2.5, 0.4, 3.0), (-8.0, 4.0, 5.0), (-1.2e5, 312.0, 20.0), (40.0, 6.0, 2.0)],
)
def test_discrete_lognormal_log_mass_matches_mpmath(mu, sigma, xmin):
    values = np.unique(np.r_[xmin, xmin + 1, np.geomspace(xmin, 1e6, 25).round()])
    fam = Lognormal(xmin, discrete=True)
    ours = fam.logpdf(values, [mu, sigma])
    table = DiscreteLognormalTable(xmin, values, np.ones_like(values)).logpmf(mu, sigma)
    ref = np.array([_mp_log_mass(v, mu, sigma, xmin) for v in values])
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(table, ref, rtol=1e-10, atol=1e-10)


def test_interval_mass_on_both_sides_and_across_zero():
    a = np.array([-40.0, -3.0, -0.5, 0.0, 2.0, 38.0, 300.0])
    b = a + np.array([1e-3, 0.5, 1.0, 0.25, 1e-6, 0.1, 1e-9])
    ours = log_normal_mass(a, b, b - a)
    with mpmath.workdps(60):
        ref = [
            float(mpmath.log(mpmath.ncdf(-x) - mpmath.ncdf(-y)))
            if x > 0
            else float(mpmath.log(mpmath.ncdf(y) - mpmath.ncdf(x)))
            for x, y in zip(a, b, strict=True)
        ]
    np.testing.assert_allclose(ours, ref, rtol=1e-9)


def test_discrete_lognormal_normalises_by_direct_summation():
    """The masses summed one integer at a time add up to one (normaliser in closed form)."""
    mu, sigma, xmin = 0.7, 1.3, 2.0
    k = np.arange(xmin, 200_000.0)
    direct = np.exp(Lognormal(xmin, True).logpdf(k, [mu, sigma])).sum()
    beyond = stats.lognorm.sf(200_000.0, sigma, scale=np.exp(mu)) / stats.lognorm.sf(
        xmin, sigma, scale=np.exp(mu)
    )
    assert direct + beyond == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize(("mu", "sigma"), [(1.0, 1.5), (-2.0e4, 150.0)])
def test_discrete_lognormal_gradient_matches_finite_differences(mu, sigma):
    values, counts = _table(True, seed=5)
    table = DiscreteLognormalTable(3.0, values, counts)
    _, grad = table.evaluate(mu, sigma)
    hm, hs = 1e-6 * max(1.0, abs(mu)), 1e-6 * sigma
    fd_mu = (table.loglik(mu + hm, sigma) - table.loglik(mu - hm, sigma)) / (2 * hm)
    fd_sigma = (table.loglik(mu, sigma + hs) - table.loglik(mu, sigma - hs)) / (2 * hs)
    assert grad[0] == pytest.approx(fd_mu, rel=1e-5, abs=1e-7)
    assert grad[1] == pytest.approx(fd_sigma, rel=1e-5, abs=1e-7)


def test_fast_discrete_lognormal_fit_matches_slow_observation_level_fit():
    """On lognormal data the fit equals Nelder-Mead on the per-observation likelihood,
    computed from scipy's lognormal CDF for every observation."""
    rng = np.random.default_rng(21)
    raw = np.floor(rng.lognormal(2.0, 0.9, 600))
    raw = raw[raw >= 2.0]
    values, counts = np.unique(raw, return_counts=True)
    fast = Lognormal(2.0, True).fit(values, counts.astype(float))

    def slow_negll(p: np.ndarray) -> float:
        mu, sigma = p[0], np.exp(p[1])
        law = stats.lognorm(sigma, scale=np.exp(mu))
        per_observation = np.log(law.cdf(raw + 1.0) - law.cdf(raw)) - np.log(law.sf(2.0))
        return -float(per_observation.sum())

    slow = optimize.minimize(
        slow_negll,
        [2.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 2000},
    )
    assert fast[0] == pytest.approx(slow.x[0], abs=1e-5)
    assert fast[1] == pytest.approx(np.exp(slow.x[1]), rel=1e-5)


def test_discrete_lognormal_fit_is_at_least_as_good_on_the_power_law_ridge():
    """On power-law data the MLE runs towards the power-law limit; the fit reaches a
    log-likelihood at least that of points along the ridge a slower search found before,
    and close to the power law's own."""
    values, counts = _table(True, seed=8)
    fam = Lognormal(3.0, True)
    mu, sigma = fam.fit(values, counts)
    ll = fam.loglik(values, counts, [mu, sigma])
    for s in (50.0, 100.0, 300.0):
        # on the ridge mu = log xmin + c sigma^2 with c = -(alpha - 1) of the power law
        best_c = optimize.minimize_scalar(
            lambda c, s=s: -fam.loglik(values, counts, [np.log(3.0) + c * s * s, s]),
            bounds=(-5.0, 0.0),
            method="bounded",
        )
        assert ll >= -best_c.fun - 1e-6
    alpha = PowerLaw(3.0, True).fit(values, counts)
    assert ll >= PowerLaw(3.0, True).loglik(values, counts, alpha) - 1e-3


def test_an_alternative_that_cannot_be_fitted_is_left_out_with_a_warning():
    """Integers near 1e15: the discrete stretched exponential has no finite likelihood
    from any start. The other comparisons stand; asked for by name, it is an error."""
    from influence_kit.errors import FitError
    from influence_kit.fitting import PowerLawFitter

    rng = np.random.default_rng(3)
    values = np.floor(1e15 * (1 + rng.pareto(1.5, 300)))
    fitter = PowerLawFitter(discrete=True).fit(values)
    with pytest.warns(UserWarning, match="stretched exponential .* left out of the comparison"):
        comparisons = fitter.compare()
    names = {c.alternative for c in comparisons}
    assert "stretched_exponential" not in names and "lognormal" in names
    assert all(np.isfinite(c.lr) for c in comparisons)
    with pytest.raises(FitError, match="no finite likelihood"):
        fitter.compare(["stretched_exponential"])
