"""Helpers shared by the sensitivity analyses (private).

Argument checks live in :mod:`influence_kit.validation` (seed and ``n_jobs`` rules
included); this module holds what is specific to the model: output and input names,
marginals and per-post-type readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..accounting import MODEL_OUTPUTS, effective_inputs, model_inputs, overridable_inputs
from ..errors import ParameterError
from ..scenarios import Distribution, Quantity, Scenario
from ..validation import check_choice
from .marginals import Marginal, marginal

#: Display names and units of the model outputs (used by tables and plots).
OUTPUT_LABELS: dict[str, tuple[str, str]] = {
    "total_impressions": ("total influence impressions", "impressions per year"),
    "network_impressions": ("network impressions", "impressions per year"),
    "post_impressions": ("post impressions", "impressions per year"),
    "post_share_of_total": ("post share of the total", "fraction"),
    "share_of_advertiser_impressions": ("share of advertiser impressions", "fraction"),
    "impressions_per_online_adult": ("impressions per online adult", "impressions per adult"),
}

DistributionSpec = Distribution | Mapping[str, Any] | str


def check_output(output: str) -> str:
    """Validate an output name against :data:`influence_kit.accounting.MODEL_OUTPUTS`."""
    return check_choice("output", output, MODEL_OUTPUTS)


def check_inputs(scenario: Scenario, inputs: Iterable[str] | None) -> tuple[str, ...]:
    """Validate input names (default: every independent model input of ``scenario``).

    A figure the audience model derives may be named too (it is then varied as given).
    """
    if inputs is None:
        return model_inputs(scenario)
    allowed = overridable_inputs(scenario)
    if isinstance(inputs, str):
        raise ParameterError(f"inputs must be a list of model inputs, got {inputs!r}")
    chosen = tuple(dict.fromkeys(inputs))
    for name in chosen:
        check_choice("input", name, allowed)
    if not chosen:
        raise ParameterError("inputs must name at least one model input, got none")
    return chosen


def quantity(scenario: Scenario, name: str) -> Quantity:
    """The scenario quantity of model input ``name``."""
    return effective_inputs(scenario)[name]


def readers_range(scenario: Scenario, post_type: str | None = None) -> tuple[float, float]:
    """The one range of readers per post for a run: the sweep, the curve, the slider.

    The range of the quantity in use (:func:`~influence_kit.accounting.effective_inputs`:
    stated, or derived by the audience model), overall or for ``post_type``; the tornado
    and the Monte Carlo read the same quantity. A fixed quantity (no range) sweeps from 0
    to twice its base (to 1 when the base is 0), so a curve still has a width.

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> readers_range(load_scenario("forrester-us-2009"))
    (50.0, 1000.0)
    >>> readers_range(load_scenario("forrester-us-2009", {"readers_per_post": 300}))
    (100.0, 2000.0)
    """
    scen, key = with_type_readers(scenario, post_type)
    q = quantity(scen, key)
    low, high = q.range
    if low < high:
        return low, high
    return 0.0, max(2.0 * float(q.base), 1.0)


def with_type_readers(scenario: Scenario, post_type: str | None) -> tuple[Scenario, str]:
    """Scenario in which ``post_type`` has its own readers per post, and that input's key.

    ``post_type=None`` returns the scenario unchanged and ``"readers_per_post"``.
    A post type without its own value starts from the overall readers per post
    (so the base case is unchanged).
    """
    if post_type is None:
        return scenario, "readers_per_post"
    check_choice("post_type", post_type, tuple(scenario.post_type_shares))
    key = f"readers_per_post_by_type.{post_type}"
    if post_type in scenario.readers_per_post_by_type:
        return scenario, key
    readers = effective_inputs(scenario).readers_per_post
    by_type = {**scenario.readers_per_post_by_type, post_type: readers}
    return scenario.model_copy(update={"readers_per_post_by_type": by_type}), key


def build_marginals(
    scenario: Scenario,
    inputs: Iterable[str] | None = None,
    distributions: Mapping[str, DistributionSpec] | None = None,
) -> dict[str, Marginal]:
    """The marginal distribution of each model input (scenario's, unless overridden).

    Inputs without a distribution are fixed at their base value.
    """
    names = check_inputs(scenario, inputs)
    overrides = dict(distributions or {})
    for key in overrides:
        check_choice("distributions key", key, model_inputs(scenario))
    out: dict[str, Marginal] = {}
    for name in names:
        q = quantity(scenario, name)
        spec = overrides.get(name, q.distribution)
        out[name] = marginal(name, q, spec)
    return out


def conf_int_block(frame: pd.DataFrame, alpha: float = 0.05) -> dict[str, Any]:
    """A ``conf_int`` table as JSON data: ``alpha`` and quantity -> lower, upper."""
    return {
        "alpha": alpha,
        "intervals": {
            str(name): {"lower": float(row["lower"]), "upper": float(row["upper"])}
            for name, row in frame.iterrows()
        },
    }
