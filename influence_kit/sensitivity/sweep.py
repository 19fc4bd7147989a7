"""One-way sweep of readers per post (overall or for one post type).

Every other input stays at its base value. For each readers-per-post value the
sweep reports the total, the two channels, the post share of the total and the
total as a share of advertiser impressions. The model is affine in readers per
post, so every output but the shares is a straight line in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..accounting import evaluate
from ..errors import ParameterError
from ..formatting import format_value
from ..results import Result
from ..scenarios import Scenario
from ..validation import check_nonnegative, check_nonnegative_numbers, check_positive_int
from ._common import quantity, readers_range, with_type_readers

#: Outputs a sweep reports, in column order.
SWEEP_OUTPUTS: tuple[str, ...] = (
    "total_impressions",
    "network_impressions",
    "post_impressions",
    "post_share_of_total",
    "share_of_advertiser_impressions",
)


@dataclass(frozen=True, eq=False)
class SweepResult(Result):
    """Model outputs along a one-way sweep of readers per post.

    Attributes
    ----------
    scenario_name
        ``meta.name`` of the scenario.
    input
        The swept input: ``readers_per_post`` or ``readers_per_post_by_type.<type>``.
    post_type
        The post type swept, or ``None`` for all post types at once.
    base_value
        The scenario's base value of the swept input.
    values
        The swept readers-per-post values.
    outputs
        Output name -> array of values (one per swept value), see :data:`SWEEP_OUTPUTS`.
    """

    scenario_name: str
    input: str
    post_type: str | None
    base_value: float
    values: np.ndarray
    outputs: dict[str, np.ndarray]

    def summary(self) -> pd.DataFrame:
        """One row per swept value: ``readers_per_post`` then every output."""
        frame = pd.DataFrame({"readers_per_post": self.values})
        for name in SWEEP_OUTPUTS:
            frame[name] = self.outputs[name]
        return frame

    def to_dict(self) -> dict[str, Any]:
        """Scenario, swept input and one record per swept value."""
        return {
            "scenario_name": self.scenario_name,
            "input": self.input,
            "post_type": self.post_type,
            "base_value": self.base_value,
            "rows": self.summary().to_dict(orient="records"),
        }


def sweep_values(
    low: float, high: float, num: int = 101, *, name: str = "readers_per_post range"
) -> np.ndarray:
    """Evenly spaced values from ``low`` to ``high`` (inclusive).

    Raises
    ------
    ParameterError
        If a bound is not a number, is negative, ``low > high`` or ``num < 1``.
    """
    lo = check_nonnegative(f"{name} low", low)
    hi = check_nonnegative(f"{name} high", high)
    count = check_positive_int(f"{name} num", num)
    if lo > hi:
        raise ParameterError(
            f"{name}: low ({format_value(lo)}) is greater than high ({format_value(hi)})"
        )
    return np.linspace(lo, hi, count)


def sweep_readers_per_post(
    scenario: Scenario,
    values: Sequence[float] | np.ndarray | None = None,
    *,
    low: float | None = None,
    high: float | None = None,
    num: int = 101,
    post_type: str | None = None,
) -> SweepResult:
    """Sweep readers per post and evaluate the model at each value.

    Parameters
    ----------
    scenario
        The scenario; every other input stays at its base value.
    values
        Explicit readers-per-post values. If omitted, ``num`` evenly spaced
        values from ``low`` to ``high`` (default: :func:`readers_range`, the one range
        of readers per post of a run).
    low, high, num
        The range to sweep when ``values`` is not given.
    post_type
        Sweep the readers per post of this post type only (others keep theirs);
        ``None`` sweeps the readers per post of every type without its own value.

    Returns
    -------
    SweepResult

    Raises
    ------
    ParameterError
        If a value is not a non-negative number, ``low > high``, or the post type
        is unknown.

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> s = load_scenario("forrester-us-2009")
    >>> r = sweep_readers_per_post(s, [150, 300])
    >>> [round(v / 1e9) for v in r.outputs["total_impressions"]]
    [502, 748]
    """
    scen, key = with_type_readers(scenario, post_type)
    q = quantity(scen, key)
    if values is None:
        q_low, q_high = readers_range(scenario, post_type)
        lo = q_low if low is None else low
        hi = q_high if high is None else high
        grid = sweep_values(lo, hi, num, name=f"{key} range")
    else:
        if low is not None or high is not None:
            raise ParameterError(f"{key}: give either values or low/high, not both")
        grid = check_nonnegative_numbers(f"{key} values", values)
    out = evaluate(scen, {key: grid})
    outputs = {
        name: np.asarray(np.broadcast_to(out[name], grid.shape), float).copy()
        for name in SWEEP_OUTPUTS
    }
    return SweepResult(
        scenario_name=scenario.name,
        input=key,
        post_type=post_type,
        base_value=float(q.base),
        values=grid,
        outputs=outputs,
    )
