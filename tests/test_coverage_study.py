"""A seeded subset of the coverage study (``benchmarks/coverage.py``, ``make coverage``).

The study's rule: in every cell the default interval covers the truth in at least 90% of
samples, or the result carries a caution on the quantity. Here two cells at n = 2,000, the
lognormal (sigma 1.5) whose tail looks like a power law with index below 2 and the "16% make
80%" Pareto law, with fewer samples than the published table; the tolerance is two binomial
standard errors of the sample count.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pandas as pd
import pytest

STUDY = Path(__file__).resolve().parents[1] / "benchmarks" / "coverage.py"


def _study():
    spec = importlib.util.spec_from_file_location("coverage_study", STUDY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def study():
    return _study()


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        # closed forms: Pareto p^(1 - 1/a), 0.8^(a / (a - 1)), 1 / (2a - 1); lognormal Gini
        # 2 Phi(sigma / sqrt 2) - 1; Weibull Gini 1 - 2^(-1/k)
        ("pareto-1.5", {"top 16%": 0.16 ** (1 / 3), "fraction making 80%": 0.512, "Gini": 0.5}),
        ("lognormal-1.5", {"Gini": 0.7111556336535152}),
        ("weibull-0.5", {"Gini": 0.75}),
        ("pareto-0.9", {"top 1%": 1.0, "Gini": 1.0}),
    ],
)
def test_true_values_are_the_closed_forms(study, family, expected):
    truth = study.FAMILIES[family].truth()
    for name, value in expected.items():
        assert truth[name] == pytest.approx(value, rel=1e-9)


def test_spliced_law_is_continuous_at_the_splice(study):
    law = study.FAMILIES["lognormal-1-pareto-1.5"]
    truth = law.truth()
    assert 0 < truth["fraction making 80%"] < 1 and truth["top 1%"] < truth["top 16%"] < 1
    # the upper partial mean is continuous at the 90% quantile
    assert law.partial(0.9 - 1e-9) == pytest.approx(law.partial(0.9), rel=1e-6)


@pytest.mark.slow
def test_seeded_subset_meets_the_rule(study):
    samples = 80
    cells = [
        study.Cell("lognormal-1.5", 2000, samples, 200, 20261206),
        study.Cell("pareto-1.14", 2000, samples, 200, 20261206),
    ]
    summary = study.summarise(study.run(cells, jobs=1))
    tolerance = 2 * math.sqrt(study.REQUIRED * (1 - study.REQUIRED) / samples)
    for _, row in summary.iterrows():
        trusted = row["coverage uncautioned"]  # NaN: every interval came with a caution
        assert pd.isna(trusted) or trusted >= study.REQUIRED - tolerance, row.to_dict()
    top16 = summary.set_index(["family", "quantity"])["coverage auto"]
    assert top16[("lognormal-1.5", "top 16%")] >= study.REQUIRED - tolerance
    assert top16[("pareto-1.14", "top 16%")] >= study.REQUIRED - tolerance
    # the Pareto-tail model alone misses most lognormal samples: the envelope is needed
    pareto_tail = summary.set_index(["family", "quantity"])["coverage pareto_tail"]
    assert pareto_tail[("lognormal-1.5", "top 16%")] < 0.7


def test_published_table_meets_the_rule(study):
    """The committed table (``make coverage``): in every cell the default interval covers the
    truth at least 90% of the time, or the intervals returned without a caution do."""
    table = pd.read_csv(STUDY.parent / "results" / "coverage.csv")
    assert len(table) == 11 * 3 * 4  # families x sizes x quantities
    ok = table.apply(lambda row: row["coverage auto"] >= 0.9 or study.passes(row), axis=1)
    failing = table[~ok]
    assert failing.empty, failing[["family", "n", "quantity", "coverage auto"]].to_string()
    # the acceptance cells, with 200 samples each
    key = table.set_index(["family", "n", "quantity"])
    assert key.loc[("lognormal-1.5", 2000, "top 16%"), "samples"] == 200
    assert key.loc[("lognormal-1.5", 2000, "top 16%"), "coverage auto"] >= 0.9
    assert key.loc[("pareto-1.14", 2000, "top 16%"), "coverage auto"] >= 0.9
