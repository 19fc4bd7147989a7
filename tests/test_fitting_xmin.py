"""The x_min scan against an independent brute force, on data of many shapes.

The brute force below shares no code with :mod:`influence_kit.fitting.xmin`: it
expands the data, fits every admissible candidate (closed form, or a bounded scalar
minimisation of the discrete negative log-likelihood) and computes the KS distance
from the textbook definitions (continuous: every sorted tail point; discrete: every
integer from ``xmin`` to the maximum).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, special

from influence_kit.distributions import PowerLaw
from influence_kit.fitting import scan_xmin
from influence_kit.fitting.xmin import MIN_TAIL
from influence_kit.tables import value_table


def brute_continuous(x: np.ndarray, ties: str = "each") -> tuple[float, float, float]:
    """Exhaustive continuous scan: (xmin, alpha, D) of the smallest D."""
    x = np.sort(x)
    values = np.unique(x)
    best = (np.nan, np.nan, np.inf)
    for xmin in values[:-1]:
        tail = x[x >= xmin]
        n = tail.size
        if n < MIN_TAIL:
            break
        alpha = 1.0 + n / np.sum(np.log(tail / xmin))
        if ties == "each":
            cdf = 1.0 - (tail / xmin) ** (1.0 - alpha)
            d = np.max(np.abs(cdf - np.arange(n) / n))
        else:
            u, first = np.unique(tail, return_index=True)
            cdf = 1.0 - (u / xmin) ** (1.0 - alpha)
            d = np.max(np.abs(cdf - first / n))
        if d < best[2]:
            best = (float(xmin), float(alpha), float(d))
    return best


def brute_discrete(x: np.ndarray) -> tuple[float, float, float]:
    """Exhaustive discrete scan with the exact (Hurwitz zeta) MLE and an integer-grid KS."""
    x = np.sort(x)
    values = np.unique(x)
    best = (np.nan, np.nan, np.inf)
    for xmin in values[:-1]:
        tail = x[x >= xmin]
        n = tail.size
        if n < MIN_TAIL:
            break
        s = np.sum(np.log(tail))

        def nll(a: float, xmin: float = xmin, n: int = n, s: float = s) -> float:
            return n * np.log(special.zeta(a, xmin)) + a * s

        res = optimize.minimize_scalar(
            nll, bounds=(1.0 + 1e-9, 30.0), method="bounded", options={"xatol": 1e-12}
        )
        alpha = float(res.x)
        grid = np.arange(xmin, tail[-1] + 1.0)
        model = 1.0 - special.zeta(alpha, grid + 1.0) / special.zeta(alpha, xmin)
        data = np.searchsorted(tail, grid, side="right") / n
        d = float(np.max(np.abs(model - data)))
        if d < best[2]:
            best = (float(xmin), alpha, d)
    return best


def _shapes(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "pareto": PowerLaw(1.0).sample(600, [2.5], rng),
        "pareto alpha 1.6": PowerLaw(2.0).sample(600, [1.6], rng),
        "lognormal": rng.lognormal(0.0, 1.5, 600),
        "lognormal body, pareto tail": np.concatenate(
            [rng.lognormal(0.0, 1.0, 300), PowerLaw(6.0).sample(300, [2.2], rng)]
        ),
        "exponential": rng.exponential(3.0, 600) + 0.01,
        "rounded pareto (ties)": np.round(PowerLaw(1.0).sample(800, [2.3], rng), 1),
        "few values (heavy ties)": rng.choice([0.5, 1.0, 2.0, 3.5, 8.0, 20.0], 700)
        * rng.choice([1.0, 1.0, 1.0, 4.0], 700),
    }


def _discrete_shapes(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "zipf 2.5": rng.zipf(2.5, 700).astype(float),
        "geometric body, discrete tail": np.concatenate(
            [rng.geometric(0.3, 400), PowerLaw(12.0, True).sample(300, [2.4], rng)]
        ).astype(float),
        "poisson": rng.poisson(6.0, 700).astype(float) + 1.0,
        "floored lognormal": np.floor(rng.lognormal(1.0, 1.2, 700)) + 1.0,
    }


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("ties", ["each", "left"])
def test_continuous_scan_equals_brute_force(seed, ties):
    for name, x in _shapes(seed).items():
        scan = scan_xmin(value_table(x, discrete=False), ties=ties)
        xmin, alpha, d = brute_continuous(x, ties)
        got = scan.to_dict()
        assert got["xmin"] == xmin, name
        assert got["alpha"] == pytest.approx(alpha, rel=1e-10), name
        assert got["ks"] == pytest.approx(d, rel=1e-9, abs=1e-14), name


@pytest.mark.parametrize("seed", range(3))
def test_discrete_scan_equals_brute_force(seed):
    for name, x in _discrete_shapes(seed).items():
        scan = scan_xmin(value_table(x, discrete=True))
        xmin, alpha, d = brute_discrete(x)
        got = scan.to_dict()
        assert got["xmin"] == xmin, name
        assert got["alpha"] == pytest.approx(alpha, rel=1e-6), name
        assert got["ks"] == pytest.approx(d, rel=1e-6), name


@pytest.mark.parametrize("discrete", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_bound_equals_exhaustive_and_bounds_are_valid(seed, discrete):
    rng = np.random.default_rng(100 + seed)
    shapes = _discrete_shapes(seed) if discrete else _shapes(seed)
    for name, x in shapes.items():
        x = np.concatenate([x, x[: rng.integers(1, 50)] * (1 if discrete else 1.5)])
        t = value_table(x, discrete=discrete)
        fast = scan_xmin(t)
        slow = scan_xmin(t, method="exhaustive")
        assert fast.best == slow.best, name
        assert fast.ks[fast.best] == slow.ks[slow.best], name
        # every exact value the fast scan computed is the exhaustive one, and every
        # lower bound is below the exact distance
        done = np.isfinite(fast.ks)
        np.testing.assert_allclose(fast.ks[done], slow.ks[done], rtol=1e-12)
        assert np.all(fast.ks_lower <= slow.ks * (1 + 1e-12) + 1e-15), name


@pytest.mark.parametrize("seed", range(2))
def test_large_scan_equals_exhaustive_on_the_best_candidates(seed):
    """n = 1.2e4 pure Pareto (the hard case): the multi-level refinement keeps the exact optimum."""
    x = PowerLaw(1.0).sample(12_000, [2.5], np.random.default_rng(seed))
    t = value_table(x, discrete=False)
    fast = scan_xmin(t)
    slow = scan_xmin(t, method="exhaustive")
    assert fast.best == slow.best
    assert fast.ks[fast.best] == slow.ks[slow.best]
    assert fast.evaluated < 100


def test_xmin_range_and_min_tail_are_respected():
    x = np.round(PowerLaw(1.0).sample(2000, [2.2], np.random.default_rng(5)), 2)
    t = value_table(x, discrete=False)
    scan = scan_xmin(t, xmin_range=(2.0, 6.0), min_tail=50)
    assert scan.xmin.min() >= 2.0 and scan.xmin.max() <= 6.0
    assert scan.n_tail.min() >= 50
    slow = scan_xmin(t, xmin_range=(2.0, 6.0), min_tail=50, method="exhaustive")
    assert scan.best == slow.best


def test_igraph_agrees_on_words_and_synthetic_data():
    igraph = pytest.importorskip("igraph")
    from influence_kit.package_data import data_dir

    words = np.loadtxt(data_dir() / "clauset2009" / "words.txt")
    ours = scan_xmin(value_table(words, discrete=True)).to_dict()
    # p_precision=0.5: a single p-value replicate (the fit is what is compared)
    theirs = igraph.power_law_fit(words, method="discrete", p_precision=0.5)
    assert ours["xmin"] == theirs.xmin
    assert ours["alpha"] == pytest.approx(theirs.alpha, rel=1e-9)
    # igraph's discrete alpha comes from a numerical optimiser: KS agrees to ~1e-8
    assert ours["ks"] == pytest.approx(theirs.D, rel=1e-6)

    for seed in range(3):
        rng = np.random.default_rng(seed)
        x = np.concatenate([rng.lognormal(0.0, 1.0, 2000), PowerLaw(5.0).sample(2000, [2.3], rng)])
        ours = scan_xmin(value_table(x, discrete=False)).to_dict()
        theirs = igraph.power_law_fit(x, method="continuous", p_precision=0.5)
        assert ours["xmin"] == theirs.xmin
        assert ours["alpha"] == pytest.approx(theirs.alpha, rel=1e-10)
        assert ours["ks"] == pytest.approx(theirs.D, rel=1e-8)

        body = rng.geometric(0.2, 3000).astype(float)
        d = np.concatenate([body, PowerLaw(15.0, True).sample(3000, [2.4], rng)])
        ours = scan_xmin(value_table(d, discrete=True)).to_dict()
        theirs = igraph.power_law_fit(d, method="discrete", p_precision=0.5)
        assert ours["xmin"] == theirs.xmin
        assert ours["alpha"] == pytest.approx(theirs.alpha, rel=1e-9)
        assert ours["ks"] == pytest.approx(theirs.D, rel=1e-6)


def test_goodness_of_fit_replicate_ks_is_the_full_fit_ks():
    """The bootstrap takes each replicate's KS from the scan: the same as a full fit's."""
    from influence_kit.fitting.bootstrap import _job, _replicate_ks, synthetic_table
    from influence_kit.fitting.power_law_fit import FitSettings, fit_table

    rng = np.random.default_rng(11)
    for discrete in (False, True):
        x = np.concatenate([rng.uniform(1, 10, 300), PowerLaw(10.0).sample(300, [2.3], rng)])
        if discrete:
            x = np.floor(x)
        table = value_table(x, discrete=discrete)
        settings = FitSettings()
        job = _job(table, fit_table(table, settings), settings)
        for seed in range(5):
            synthetic = synthetic_table(job, np.random.default_rng(seed))
            assert _replicate_ks(synthetic, settings) == fit_table(synthetic, settings).ks


@pytest.mark.slow  # the exhaustive scans of over SMALL distinct values take about 20 CPU-seconds
def test_large_discrete_and_restricted_scans_equal_exhaustive():
    """Tables above SMALL distinct values take the refinement path; ranges restrict it."""
    from influence_kit.fitting.xmin import SMALL

    rng = np.random.default_rng(21)
    x = np.concatenate(
        [rng.integers(1, 3000, 20000), PowerLaw(3000.0, True).sample(12000, [2.1], rng)]
    )
    t = value_table(x.astype(float), discrete=True)
    assert t.n_distinct > SMALL
    fast = scan_xmin(t)
    slow = scan_xmin(t, method="exhaustive")
    assert fast.best == slow.best
    assert fast.ks[fast.best] == slow.ks[slow.best]

    y = PowerLaw(1.0).sample(9000, [2.4], np.random.default_rng(22))
    t = value_table(y, discrete=False)
    for xmin_range in ((1.5, 3.0), (1.0, 1.001)):
        fast = scan_xmin(t, xmin_range=xmin_range)
        slow = scan_xmin(t, xmin_range=xmin_range, method="exhaustive")
        assert fast.best == slow.best
        assert fast.ks[fast.best] == slow.ks[slow.best]
