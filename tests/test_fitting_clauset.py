"""Accuracy against Clauset, Shalizi & Newman (2009), Tables 6.1 and 6.2."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from influence_kit.fitting import fit_all, fit_power_law, ks_distance
from influence_kit.tables import value_table

DATA = "data/clauset2009"
TABLE61 = pd.read_csv("data/reference/clauset2009_table61.csv").set_index("dataset")
TABLE62 = pd.read_csv("data/reference/clauset2009_table62.csv").set_index("dataset")

#: How each shipped dataset is fitted in the paper: (discrete, scale). Web links are
#: fitted as continuous data: that is what reproduces Table 6.1's x_min = 3684 and
#: alpha = 2.336 (Table 6.2 lists them as continuous too).
SETUP = {
    "words": (True, 1.0),
    "terrorism": (True, 1.0),
    "blackouts": (False, 1e-3),
    "cities": (False, 1e-3),
    "fires": (False, 1.0),
    "flares": (False, 1.0),
    "quakes": (False, 1e-3),
    "surnames": (False, 1e-3),
    "weblinks": (False, 1.0),
}


@cache
def table(name: str):
    discrete, scale = SETUP[name]
    if name == "weblinks":
        h = np.loadtxt(f"{DATA}/weblinks.hist", skiprows=1)
        return value_table(h[:, 0], h[:, 1], discrete=discrete, scale=scale)
    return value_table(np.loadtxt(f"{DATA}/{name}.txt"), discrete=discrete, scale=scale)


@cache
def report(name: str):
    return fit_all(table(name))


def _digits(text: str) -> float:
    """One unit of the last printed digit of a published number."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 10.0**-decimals


ALPHA_TEXT = pd.read_csv("data/reference/clauset2009_table61.csv", dtype=str).set_index("dataset")[
    "alpha"
]


@pytest.mark.parametrize(
    "name",
    [
        "words",
        "terrorism",
        "blackouts",
        "cities",
        "fires",
        "flares",
        "weblinks",
        "quakes",
        "surnames",
    ],
)
def test_table_61_xmin_ntail_alpha(name):
    fit = report(name).power_law
    ref = TABLE61.loc[name]
    scale = SETUP[name][1]
    # fires: the table prints x_min in raw acres; quakes/cities/... in the scaled unit
    assert fit.xmin == pytest.approx(float(ref["xmin"]), rel=5e-4 if scale != 1 else 1e-12)
    assert fit.n_tail == int(ref["ntail"])
    assert fit.n == int(ref["n"])
    unit = _digits(ALPHA_TEXT[name])
    assert abs(fit.alpha - float(ref["alpha"])) <= unit * (1 + 1e-9)


def test_words_exact_values():
    fit = report("words").power_law
    assert fit.xmin == 7
    assert fit.alpha == pytest.approx(1.9527275186009831, abs=1e-8)
    assert fit.ks == pytest.approx(0.008252950457938835, abs=1e-8)


def test_weblinks_discrete_mle_at_published_xmin():
    h = np.loadtxt(f"{DATA}/weblinks.hist", skiprows=1)
    fit = fit_power_law(h[:, 0], h[:, 1], discrete=True, xmin=3684)
    assert fit.alpha == pytest.approx(2.3354, abs=5e-5)
    assert fit.n_tail == 28986
    assert fit.n_zeros == 35_159_835
    assert fit.n == 241_428_853


#: Table 6.2 cells where the paper's method is ambiguous and our number differs by more
#: than 0.1 (sign and verdict still agree unless noted); see notebook 05 for why.
AMBIGUOUS = {
    # discrete lognormal / stretched exponential: their MLE runs to the power-law limit
    # (mu -> -inf, beta -> 0); the paper's values come from a differently bounded fit
    ("words", "lognormal"),
    ("words", "stretched_exp"),
    ("terrorism", "stretched_exp"),  # sign differs too: -0.23 vs +0.77, both p > 0.4
    # continuous stretched exponential: the paper's optimiser stopped elsewhere
    ("flares", "stretched_exp"),
    ("weblinks", "stretched_exp"),
    # exponential: 1.43 here and in the powerlaw package vs the printed 1.21
    ("blackouts", "exponential"),
    ("quakes", "exponential"),  # 11.48 vs 11.6: ties in 70 distinct values
    ("cities", "stretched_exp"),  # -0.09 vs +0.20, both p > 0.8
    ("weblinks", "exponential"),  # 25.16 vs 25.3: 0.6% apart, far beyond any threshold
}
SIGN_DIFFERS = {("terrorism", "stretched_exp"), ("cities", "stretched_exp")}
COLUMNS = {
    "poisson": "poisson",
    "lognormal": "lognormal",
    "exponential": "exponential",
    "stretched_exponential": "stretched_exp",
    "power_law_cutoff": "pl_cutoff",
}


@pytest.mark.parametrize("name", list(SETUP))
def test_table_62_signs_values_and_verdict(name):
    rep = report(name)
    ref = TABLE62.loc[name]
    for comp in rep.comparisons:
        col = COLUMNS[comp.alternative]
        published = ref[f"{col}_LR"]
        ours = comp.lr if comp.nested else comp.normalized
        if (name, col) not in SIGN_DIFFERS and abs(published) > 1e-9:
            assert np.sign(ours) == np.sign(published), (name, col, ours, published)
        if (name, col) not in AMBIGUOUS:
            assert ours == pytest.approx(published, abs=0.1), (name, col)
            assert comp.p == pytest.approx(ref[f"{col}_p"], abs=0.06), (name, col)
    # the verdict with the paper's goodness-of-fit p-value
    from influence_kit.fitting import verdict

    support, _ = verdict(float(ref["p_powerlaw"]), rep.comparisons)
    assert support == ref["support"]


def test_verdict_rules_cover_table_62():
    """The verdict rules reproduce every row of Table 6.2 from its own numbers."""
    from influence_kit.fitting import Comparison, verdict

    for name, row in TABLE62.iterrows():
        comps = []
        for col in ("poisson", "lognormal", "exponential", "stretched_exp"):
            if not np.isnan(row[f"{col}_LR"]):
                comps.append(
                    Comparison(col, row[f"{col}_LR"], row[f"{col}_LR"], row[f"{col}_p"], False)
                )
        # the printed p is rounded (surnames: 0.10 is 0.099): recompute it from the LR
        p_cut = float(stats.chi2.sf(-2 * row["pl_cutoff_LR"], 1)) if row["pl_cutoff_LR"] else 1.0
        comps.append(Comparison("pl_cutoff", row["pl_cutoff_LR"], row["pl_cutoff_LR"], p_cut, True))
        assert verdict(row["p_powerlaw"], comps)[0] == row["support"], name


@pytest.mark.slow
@pytest.mark.parametrize("name", ["terrorism", "blackouts", "words"])
def test_goodness_of_fit_p_matches_table_61(name):
    rep = fit_all(table(name), gof_replicates=400, seed=2009, n_jobs=2)
    published = float(TABLE61.loc[name, "p_gof"])
    assert (rep.gof.p > 0.1) == (published > 0.1)
    if name != "words":
        # 400 replicates: Monte Carlo s.e. <= 0.025 here and about 0.01 in the paper
        assert rep.gof.p == pytest.approx(published, abs=0.08)
        return
    # words: p ~ 0.67 with the exact MLE against the printed 0.49. The paper's code estimates
    # discrete alpha on a 0.01 grid: with alpha = 1.95 the observed KS distance is larger,
    # and the same synthetic distances then give the published p.
    d_grid = ks_distance(table(name), 7, 1.95)
    p_grid = float(np.mean(rep.gof.ks_replicates >= d_grid))
    assert p_grid == pytest.approx(published, abs=0.08)
