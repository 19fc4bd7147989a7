"""Agreement with Clauset et al. (2009) counted in the package, and the grid-alpha p.

The real-data numbers are those the Clauset replication notebook printed (50 goodness-of-fit
and 39 bootstrap replicates, the default seed): 27 of 27 x_min / alpha / n_tail cells agree,
the p of words and blackouts differ; signs agree in 36 of 38 comparisons, R within 0.1 in
29 of 38, verdicts in 9 of 9; for words, p = 0.70 with the exact alpha (KS 0.00825) and
0.51 with the grid's 1.95 (KS 0.00929) against the printed 0.49.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from influence_kit.constants import DEFAULT_SEED
from influence_kit.datasets import dataset_path
from influence_kit.errors import DataError, ParameterError
from influence_kit.fitting import fit_power_law
from influence_kit.fitting.replication import (
    CLAUSET_DATASETS,
    PLFIT_ALPHA_GRID,
    GridAlphaCheck,
    ReplicationAgreement,
    grid_alpha,
    grid_alpha_check,
    load_dataset,
    replicate,
    replication_agreement,
    table_61,
    table_62,
)
from influence_kit.tables import value_table

DATA_DIR = dataset_path("words").parent
TABLE61 = dataset_path("clauset_table61")
TABLE62 = dataset_path("clauset_table62")


@pytest.fixture(scope="module")
def reports():
    """The notebook's run: 50 goodness-of-fit and 39 bootstrap replicates."""
    return replicate(DATA_DIR, gof_replicates=50, bootstrap_replicates=39, seed=DEFAULT_SEED)


@pytest.fixture(scope="module")
def words():
    return load_dataset(CLAUSET_DATASETS[0], DATA_DIR)


def test_notebook_counts(reports):
    result = replication_agreement(table_61(reports, TABLE61), table_62(reports, TABLE62))
    assert isinstance(result, ReplicationAgreement)
    assert result.datasets == 9
    assert (result.cells_agree, result.cells) == (27, 27)
    assert result.agree == {"x_min": 9, "alpha": 9, "n_tail": 9, "p": 6}
    assert result.compared["p"] == 8  # web links skip the goodness-of-fit test
    assert result.differing == (("words", "p"), ("blackouts", "p"))
    assert (result.sign_agree, result.sign_compared) == (36, 38)
    assert (result.r_within, result.comparisons, result.r_tolerance) == (29, 38, 0.1)
    assert (result.verdict_agree, result.verdicts) == (9, 9)
    assert result.describe_table61() == (
        "**27 of 27** xmin / alpha / tail-size cells agree with the paper. Cells that differ: "
        "words (p), blackouts (p)."
    )
    assert result.describe_table62() == (
        "Signs agree in **36 of 38** comparisons, R is within 0.1 in **29 of 38**, and the "
        "verdict agrees for **9 of 9** datasets."
    )


def test_counts_are_the_table_cells(reports):
    """Each count is the number of ``yes`` cells of its column (a property of the tables)."""
    t61, t62 = table_61(reports, TABLE61), table_62(reports, TABLE62)
    result = replication_agreement(t61, t62)
    for quantity in ("x_min", "alpha", "n_tail", "p"):
        assert result.agree[quantity] == (t61[f"{quantity} ok"] == "yes").sum()
    nos = int((t61.filter(like=" ok") == "NO").to_numpy().sum())
    assert len(result.differing) == nos
    rows = t62.drop(index="verdict", level="alternative")
    assert result.comparisons == len(rows) == result.sign_compared + (rows["sign ok"] == "-").sum()
    assert result.verdicts == len(reports)


def test_wider_tolerance_counts_more(reports):
    t61 = table_61(reports, TABLE61)
    counts = [
        replication_agreement(t61, table_62(reports, TABLE62, tol=tol)).r_within
        for tol in (0.01, 0.1, 1.0, 100.0)
    ]
    assert counts == sorted(counts)
    wide = replication_agreement(t61, table_62(reports, TABLE62, tol=100.0))
    assert wide.r_within == wide.comparisons
    assert "R is within 100 in" in wide.describe_table62()


def _tables():
    t61 = pd.DataFrame(
        {
            "x_min ok": ["yes", "NO", "yes"],
            "alpha ok": ["yes", "yes", "yes"],
            "n_tail ok": ["NO", "yes", "yes"],
            "p ok": ["yes", "-", "NO"],
        },
        index=pd.Index(["a", "b_c", "d"], name="dataset"),
    )
    index = pd.MultiIndex.from_tuples(
        [
            ("a", "lognormal"),
            ("a", "exponential"),
            ("a", "verdict"),
            ("d", "lognormal"),
            ("d", "verdict"),
        ],
        names=["dataset", "alternative"],
    )
    t62 = pd.DataFrame(
        {
            "sign ok": ["yes", "-", "good", "NO", "none"],
            "R ok": ["NO", "yes", "yes", "yes", "NO (paper: good)"],
        },
        index=index,
    )
    return t61, t62


def test_counting_on_a_small_table():
    result = replication_agreement(*_tables())
    assert result.agree == {"x_min": 2, "alpha": 3, "n_tail": 2, "p": 1}
    assert result.compared == {"x_min": 3, "alpha": 3, "n_tail": 3, "p": 2}
    assert (result.cells_agree, result.cells) == (7, 9)
    assert result.differing == (("a", "n_tail"), ("b_c", "x_min"), ("d", "p"))
    assert (result.comparisons, result.sign_compared, result.sign_agree) == (3, 2, 1)
    assert result.r_within == 2
    assert (result.verdicts, result.verdict_agree) == (2, 1)
    # names from a data file are escaped for Markdown
    assert "b\\_c (x_min)" in result.describe_table61()
    figures = result.key_figures()
    assert figures["xmin_agree"] == 2 and figures["r_within_0_1"] == 2
    assert figures["verdict_agree"] == 1 and figures["p_agree"] == 1
    table = result.summary()
    assert table.loc["Table 6.2 verdict"].tolist() == [1, 2]
    data = result.to_dict()
    assert data["cells_agree"] == 7 and data["differing"][0] == ["a", "n_tail"]


def test_nothing_differs():
    t61, t62 = _tables()
    t61[:] = "yes"
    assert replication_agreement(t61, t62).describe_table61().endswith("differ: none.")


def test_refuses_other_tables():
    t61, t62 = _tables()
    with pytest.raises(DataError, match="p ok"):
        replication_agreement(t61.drop(columns="p ok"), t62)
    with pytest.raises(DataError, match="alternative"):
        replication_agreement(t61, t62.reset_index(level="alternative"))


def test_grid_is_plfit_default():
    assert PLFIT_ALPHA_GRID[0] == 1.5 and PLFIT_ALPHA_GRID[-1] == 3.5
    assert len(PLFIT_ALPHA_GRID) == 201
    np.testing.assert_allclose(np.diff(PLFIT_ALPHA_GRID), 0.01, atol=1e-12)


def test_grid_alpha_brackets_the_mle(words):
    """The log-likelihood is concave in alpha, so its grid maximum is next to the MLE."""
    fit = fit_power_law(words, discrete=True)
    on_grid = grid_alpha(words, fit.xmin)
    below = np.floor(fit.alpha * 100) / 100
    assert on_grid in (round(below, 2), round(below + 0.01, 2))
    assert on_grid == 1.95  # the exact MLE is 1.9527
    # the grid value beats its neighbours: recompute the likelihood by direct summation
    tail = words.tail(fit.xmin)
    sum_log = float(np.sum(tail.counts * np.log(tail.values)))

    def loglik(a: float) -> float:
        return -a * sum_log - tail.counts.sum() * np.log(special.zeta(a, fit.xmin))

    assert loglik(on_grid) > loglik(on_grid - 0.01)
    assert loglik(on_grid) > loglik(on_grid + 0.01)


def test_grid_alpha_of_a_custom_grid(words):
    assert grid_alpha(words, 7, [2.5, 3.0]) == 2.5
    assert grid_alpha(words, 7, [1.9527]) == 1.9527


def test_grid_alpha_refusals(words):
    with pytest.raises(ParameterError, match="discrete"):
        grid_alpha(value_table(np.array([1.0, 2.0, 3.5])), 1.0)
    with pytest.raises(ParameterError, match="above 1"):
        grid_alpha(words, 7, [0.5, 2.0])
    with pytest.raises(ParameterError, match="above 1"):
        grid_alpha(words, 7, [])
    with pytest.raises(DataError, match="no observations"):
        grid_alpha(words, 1e9)


def test_words_grid_alpha_check(words):
    result = grid_alpha_check(
        words, replicates=500, seed=DEFAULT_SEED, published_p=0.49, dataset="words"
    )
    assert isinstance(result, GridAlphaCheck)
    assert (result.xmin, result.n_tail) == (7.0, 2958)
    assert result.alpha == pytest.approx(1.95273, abs=5e-6)
    assert (result.grid_alpha, result.grid_step) == (1.95, 0.01)
    assert result.ks == pytest.approx(0.00825, abs=5e-6)
    assert result.grid_ks == pytest.approx(0.00929, abs=5e-6)
    assert round(result.p, 2) == 0.70 and round(result.grid_p, 2) == 0.51
    # the grid's p is within two Monte Carlo standard errors of the printed 0.49
    se = np.sqrt(0.49 * 0.51 / result.replicates)
    assert abs(result.grid_p - 0.49) < 2 * se
    assert result.replicates == 500 and result.seed == DEFAULT_SEED
    table = result.summary()
    assert table.loc["grid", "p (paper)"] == 0.49 and np.isnan(table.loc["exact MLE", "p (paper)"])
    figures = result.key_figures()
    assert figures["grid_p"] == result.grid_p and figures["published_p"] == 0.49
    assert result.to_dict()["grid_alpha"] == 1.95


def test_grid_p_is_the_share_of_replicates(words):
    """Both p-values come from the same synthetic distances: the larger observed distance
    has the smaller (or equal) p."""
    result = grid_alpha_check(words, replicates=40, seed=1)
    if result.grid_ks >= result.ks:
        assert result.grid_p <= result.p
    else:
        assert result.grid_p >= result.p
    assert "published_p" not in result.key_figures().labels()


def test_grid_alpha_check_refuses_continuous_data():
    table = value_table(np.geomspace(1, 100, 200))
    with pytest.raises(ParameterError, match="discrete"):
        grid_alpha_check(table, replicates=10, seed=1)
