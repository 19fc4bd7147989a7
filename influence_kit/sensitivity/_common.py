"""Validation and helpers shared by the sensitivity analyses (private)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..accounting import MODEL_OUTPUTS, model_inputs
from ..constants import DEFAULT_SEED
from ..errors import ParameterError
from ..scenarios import Distribution, Quantity, Scenario
from .marginals import Marginal, marginal

#: The headline threshold: "more than 500 billion" influence impressions.
HEADLINE_THRESHOLD = 500e9

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


def as_number(name: str, value: Any) -> float:
    """Convert ``value`` (a number or numeric text such as ``"1e12"``) to a finite float."""
    if isinstance(value, bool):
        raise ParameterError(f"{name}: expected a number, got {value!r}")
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        try:
            number = float(text)
        except ValueError:
            raise ParameterError(f"{name}: expected a number, got {value!r}") from None
    elif isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    else:
        raise ParameterError(f"{name}: expected a number, got {value!r}")
    if not math.isfinite(number):
        raise ParameterError(f"{name}: expected a finite number, got {value!r}")
    return number


def as_count(name: str, value: Any, minimum: int = 1) -> int:
    """Convert ``value`` (an integer or text such as ``"1e6"``) to an int >= ``minimum``."""
    number = as_number(name, value)
    if number != int(number):
        raise ParameterError(f"{name}: expected a whole number, got {value!r}")
    if number < minimum:
        raise ParameterError(f"{name}: must be at least {minimum}, got {value!r}")
    return int(number)


def as_seed(value: Any) -> int:
    """Validate a seed (a non-negative integer; ``None`` gives :data:`DEFAULT_SEED`)."""
    if value is None:
        return DEFAULT_SEED
    return as_count("seed", value, minimum=0)


def check_output(output: str) -> str:
    """Validate an output name against :data:`influence_kit.accounting.MODEL_OUTPUTS`."""
    if output not in MODEL_OUTPUTS:
        raise ParameterError(
            f"output {output!r} is not a model output; choose one of {', '.join(MODEL_OUTPUTS)}"
        )
    return output


def check_inputs(scenario: Scenario, inputs: Iterable[str] | None) -> tuple[str, ...]:
    """Validate input names (default: every model input of ``scenario``)."""
    allowed = model_inputs(scenario)
    if inputs is None:
        return allowed
    chosen = tuple(dict.fromkeys(str(i) for i in inputs))
    for name in chosen:
        if name not in allowed:
            raise ParameterError(
                f"input {name!r} is not a model input; the inputs are {', '.join(allowed)}"
            )
    if not chosen:
        raise ParameterError("inputs: give at least one model input")
    return chosen


def quantity(scenario: Scenario, name: str) -> Quantity:
    """The scenario quantity of model input ``name``."""
    return scenario.quantities()[name]


def with_type_readers(scenario: Scenario, post_type: str | None) -> tuple[Scenario, str]:
    """Scenario in which ``post_type`` has its own readers per post, and that input's key.

    ``post_type=None`` returns the scenario unchanged and ``"readers_per_post"``.
    A post type without its own value starts from the overall readers per post
    (so the base case is unchanged).
    """
    if post_type is None:
        return scenario, "readers_per_post"
    if post_type not in scenario.post_type_shares:
        raise ParameterError(
            f"post_type {post_type!r} is not one of the post types "
            f"{', '.join(scenario.post_type_shares)}"
        )
    key = f"readers_per_post_by_type.{post_type}"
    if post_type in scenario.readers_per_post_by_type:
        return scenario, key
    by_type = {**scenario.readers_per_post_by_type, post_type: scenario.readers_per_post}
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
        if key not in model_inputs(scenario):
            raise ParameterError(
                f"distributions: {key!r} is not a model input; the inputs are "
                f"{', '.join(model_inputs(scenario))}"
            )
    out: dict[str, Marginal] = {}
    for name in names:
        q = quantity(scenario, name)
        spec = overrides.get(name, q.distribution)
        out[name] = marginal(name, q, spec)
    return out


def number_key(value: float) -> str:
    """Compact, exact key for a large number: ``500e9``, ``1e12``, ``1500e9``, ``0.25``."""
    if value == int(value) and value != 0 and abs(value) < 1e18:
        for exp in (12, 9, 6, 3):
            scale = 10**exp
            if int(value) % scale == 0:
                return f"{int(value) // scale}e{exp}"
        return str(int(value))
    return f"{value:g}"


def as_number_list(name: str, values: Any) -> list[float]:
    """Validate one number or an iterable of numbers (a string counts as one value)."""
    if isinstance(values, (str, bytes, int, float, np.integer, np.floating)):
        values = [values]
    return [as_number(name, v) for v in values]


def child_seeds(seed: int, n: int) -> list[np.random.SeedSequence]:
    """``n`` independent child seed sequences of ``seed`` (stable for a given seed)."""
    return np.random.SeedSequence(seed).spawn(n)


def nonzero_int_seed(seq: np.random.SeedSequence) -> int:
    """A positive 31-bit integer seed from ``seq`` (SALib treats seed 0 as unseeded)."""
    return int(seq.generate_state(1, dtype=np.uint32)[0] % (2**31 - 2)) + 1


def as_values(name: str, values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Validate a list of input values: numbers, finite, non-negative, at least one."""
    arr = [as_number(name, v) for v in np.atleast_1d(np.asarray(values, dtype=object))]
    if not arr:
        raise ParameterError(f"{name}: give at least one value")
    out = np.asarray(arr, dtype=float)
    if np.any(out < 0):
        raise ParameterError(f"{name}: values must not be negative, got {out.min():g}")
    return out
