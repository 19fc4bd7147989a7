"""Tornado (one-at-a-time) analysis over every numeric model input.

Each input moves alone from its scenario ``low`` to its ``high`` while every
other input stays at its base value; bars are sorted by swing
``|output(high) - output(low)|``, largest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..accounting import evaluate
from ..results import Result
from ..scenarios import Scenario
from ._common import check_inputs, check_output, quantity

#: Columns of :meth:`TornadoResult.summary`.
TORNADO_COLUMNS: tuple[str, ...] = (
    "input",
    "low",
    "base",
    "high",
    "output_low",
    "output_high",
    "swing",
)


@dataclass(frozen=True)
class TornadoBar:
    """One input's bar: its range and the output at each end."""

    input: str
    low: float
    base: float
    high: float
    output_low: float
    output_high: float

    @property
    def swing(self) -> float:
        """``|output_high - output_low|``."""
        return abs(self.output_high - self.output_low)


@dataclass(frozen=True)
class TornadoResult(Result):
    """Bars sorted by swing (largest first) around the base-case output.

    Attributes
    ----------
    scenario_name
        ``meta.name`` of the scenario.
    output
        The model output (see :data:`influence_kit.accounting.MODEL_OUTPUTS`).
    base_output
        The output with every input at its base value.
    bars
        One :class:`TornadoBar` per input, largest swing first.
    """

    scenario_name: str
    output: str
    base_output: float
    bars: tuple[TornadoBar, ...]

    @property
    def top_input(self) -> str:
        """The input with the largest swing."""
        return self.bars[0].input

    def summary(self) -> pd.DataFrame:
        """One row per input, sorted by swing: see :data:`TORNADO_COLUMNS`."""
        rows = [
            {
                "input": b.input,
                "low": b.low,
                "base": b.base,
                "high": b.high,
                "output_low": b.output_low,
                "output_high": b.output_high,
                "swing": b.swing,
            }
            for b in self.bars
        ]
        return pd.DataFrame(rows, columns=list(TORNADO_COLUMNS))

    def records(self) -> list[dict[str, Any]]:
        """The bars as JSON records: input, low, high, output_low, output_high, swing."""
        keys = ("input", "low", "high", "output_low", "output_high", "swing")
        return [{k: r[k] for k in keys} for r in self.summary().to_dict(orient="records")]

    def to_dict(self) -> dict[str, Any]:
        """Scenario, output, base output and the bars."""
        return {
            "scenario_name": self.scenario_name,
            "output": self.output,
            "base_output": self.base_output,
            "bars": self.records(),
        }


def tornado(
    scenario: Scenario, output: str = "total_impressions", inputs: Iterable[str] | None = None
) -> TornadoResult:
    """One-at-a-time low/high analysis of ``output``.

    Parameters
    ----------
    scenario
        Supplies each input's ``low``, ``base`` and ``high``.
    output
        The model output to explain.
    inputs
        Inputs to include (default: every model input of the scenario).

    Returns
    -------
    TornadoResult

    Raises
    ------
    ParameterError
        If the output or an input is unknown.
    """
    check_output(output)
    names = check_inputs(scenario, inputs)
    base_output = float(evaluate(scenario)[output])
    bars = []
    for name in names:
        q = quantity(scenario, name)
        ends = np.array(q.range)
        values = np.broadcast_to(evaluate(scenario, {name: ends})[output], ends.shape)
        bars.append(
            TornadoBar(
                input=name,
                low=float(ends[0]),
                base=float(q.base),
                high=float(ends[1]),
                output_low=float(values[0]),
                output_high=float(values[1]),
            )
        )
    bars.sort(key=lambda b: -b.swing)
    return TornadoResult(
        scenario_name=scenario.name, output=output, base_output=base_output, bars=tuple(bars)
    )
