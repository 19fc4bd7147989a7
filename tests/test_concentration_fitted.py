"""Fitted heavy-tail reports as concentration models (fitting x concentration)."""

from __future__ import annotations

import numpy as np
import pytest


def test_fitted_report_plugs_into_concentration():
    """A correct fitted model (Pareto tail over a uniform body) reproduces observed shares."""
    from influence_kit.concentration import as_model, concentration
    from influence_kit.errors import ParameterError
    from influence_kit.fitting import fit_all

    rng = np.random.default_rng(11)
    body = rng.uniform(0.1, 1.0, 50_000)
    tail = 1.0 * (1.0 - rng.random(50_000)) ** (-1.0 / 3.0)  # continuous Pareto, alpha = 4
    values = np.concatenate([body, tail])
    report = fit_all(values, discrete=False, xmin=1.0, alternatives=[], progress=False)
    model = as_model(report)
    observed = concentration(values, top=[0.01, 0.1, 0.5], reps=0)
    implied = model.top_share([0.01, 0.1, 0.5])
    for row, share in zip(observed.top_shares, implied, strict=True):
        assert share == pytest.approx(row.share, abs=0.01)
    assert model.gini() == pytest.approx(observed.gini, abs=0.01)
    heavy = fit_all(1.0 + rng.pareto(0.8, 5000), discrete=False, xmin=1.0, progress=False)
    with pytest.raises(ParameterError, match="mean is infinite"):
        as_model(heavy)
