"""Spider analysis: the output as each input moves alone through its distribution.

Two scales are offered:

* ``"percentile"`` (default): each input takes its distribution's quantiles
  (5th to 95th percentile); inputs without a distribution stay at base;
* ``"percent"``: each input is its base value times ``1 + change``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..accounting import effective_inputs, evaluate
from ..errors import ParameterError
from ..formatting import format_value
from ..results import Result
from ..scenarios import Scenario
from ..validation import check_choice, check_numbers
from ._common import DistributionSpec, build_marginals, check_inputs, check_output

#: Default percentiles of the ``percentile`` scale.
DEFAULT_PERCENTILES = tuple(np.round(np.linspace(0.05, 0.95, 19), 2))

#: Default changes of the ``percent`` scale (-50% to +50%).
DEFAULT_CHANGES = tuple(np.round(np.linspace(-0.5, 0.5, 11), 2))


@dataclass(frozen=True, eq=False)
class SpiderResult(Result):
    """The output along each input's percentile (or % change) axis.

    Attributes
    ----------
    scenario_name
        ``meta.name`` of the scenario.
    output
        The model output.
    scale
        ``"percentile"`` or ``"percent"``.
    base_output
        The output at the base case.
    data
        Long table: ``input``, ``x`` (percentile or fractional change),
        ``input_value``, ``output``, ``output_change`` (fraction of the base output).
    """

    scenario_name: str
    output: str
    scale: str
    base_output: float
    data: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Output at each x (rows) for each input (columns)."""
        return self.data.pivot(index="x", columns="input", values="output")[
            list(dict.fromkeys(self.data["input"]))
        ]

    def to_dict(self) -> dict[str, Any]:
        """Scenario, output, scale, base output and the long table as records."""
        return {
            "scenario_name": self.scenario_name,
            "output": self.output,
            "scale": self.scale,
            "base_output": self.base_output,
            "rows": self.data.to_dict(orient="records"),
        }


def spider(
    scenario: Scenario,
    output: str = "total_impressions",
    inputs: Iterable[str] | None = None,
    *,
    scale: Literal["percentile", "percent"] = "percentile",
    points: Sequence[float] | None = None,
    distributions: Mapping[str, DistributionSpec] | None = None,
) -> SpiderResult:
    """Move each input alone along a common axis and record the output.

    Parameters
    ----------
    scenario
        The scenario (base values and distributions).
    output
        The model output.
    inputs
        Inputs to include (default: every model input).
    scale
        ``"percentile"`` (quantiles of each input's distribution) or ``"percent"``
        (fractional change from base).
    points
        Percentiles in (0, 1) or changes greater than -1; defaults
        :data:`DEFAULT_PERCENTILES` / :data:`DEFAULT_CHANGES`.
    distributions
        Replace the scenario's distribution of some inputs.

    Raises
    ------
    ParameterError
        For an unknown output, input or scale, or points outside their domain.
    """
    check_output(output)
    names = check_inputs(scenario, inputs)
    check_choice("scale", scale, ("percentile", "percent"))
    if scale == "percentile":
        xs = check_numbers("spider percentiles", DEFAULT_PERCENTILES if points is None else points)
        if np.any((xs <= 0) | (xs >= 1)):
            raise ParameterError(
                f"spider percentiles must lie strictly between 0 and 1, got {xs.tolist()}"
            )
        margs = build_marginals(scenario, names, distributions)
    else:
        xs = check_numbers("spider changes", DEFAULT_CHANGES if points is None else points)
        if np.any(xs < -1):
            raise ParameterError(
                "spider changes: an input cannot fall by more than 100%, got "
                f"{format_value(xs.min())}"
            )
        margs = {}
    base_output = float(evaluate(scenario)[output])
    base = effective_inputs(scenario).base_values()
    frames = []
    for name in names:
        if scale == "percentile":
            values = margs[name].ppf(xs)
        else:
            values = base[name] * (1.0 + xs)
        out = np.broadcast_to(evaluate(scenario, {name: values})[output], xs.shape)
        frames.append(
            pd.DataFrame(
                {
                    "input": name,
                    "x": xs,
                    "input_value": values,
                    "output": out,
                    "output_change": out / base_output - 1.0 if base_output else np.nan,
                }
            )
        )
    return SpiderResult(
        scenario_name=scenario.name,
        output=output,
        scale=scale,
        base_output=base_output,
        data=pd.concat(frames, ignore_index=True),
    )
