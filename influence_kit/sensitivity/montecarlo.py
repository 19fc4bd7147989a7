"""Monte Carlo propagation of the scenario's input distributions.

Each random input gets its own child of ``numpy.random.SeedSequence(seed)`` (in
the order of :func:`influence_kit.accounting.model_inputs`). The draws are split
into chunks of :data:`CHUNK` draws; in chunk ``j`` every input draws its values
with numpy's direct samplers from the ``j``-th child of its own seed sequence,
and the model is evaluated once on the chunk's arrays. The chunks run in order
in this process (the default), on local worker processes (``n_jobs``) or on a
``dask.distributed`` client (``client=``) through
:func:`influence_kit.parallel.map_chunks`; the samples are put back in chunk
order, so the same seed gives the same numbers to the last digit whichever way
they run. 1e6 draws take well under a second locally.

Seeds follow the rule of :mod:`influence_kit.validation` (``None``: fresh entropy);
the result records the integer that repeats the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..accounting import evaluate, model_inputs
from ..constants import DEFAULT_DRAWS, HEADLINE_THRESHOLD
from ..errors import ParameterError
from ..formatting import number_key
from ..parallel import map_chunks
from ..results import Result, check_alpha, interval_frame
from ..scenarios import Scenario
from ..validation import (
    SeedLike,
    check_budget,
    check_numbers,
    check_positive_int,
    check_seed,
    seed_entropy,
)
from ..validation.arguments import check_replicates, resolve_n_jobs
from ._common import (
    DistributionSpec,
    build_marginals,
    check_output,
    conf_int_block,
)

#: Draws per chunk; each chunk has its own child seeds, so this fixes the numbers.
CHUNK = 100_000


@dataclass(frozen=True)
class _Job:
    """What a worker needs to simulate a chunk (picklable: marginals are rebuilt)."""

    scenario: Scenario
    output: str
    inputs: tuple[str, ...] | None
    distributions: dict[str, DistributionSpec] | None


def _simulate_chunk(job: _Job, chunk: tuple[int, dict[str, np.random.SeedSequence]]) -> np.ndarray:
    """Simulate one chunk: ``size`` draws of the output from the chunk's per-input seeds."""
    size, seqs = chunk
    margs = build_marginals(job.scenario, job.inputs, job.distributions)
    values: dict[str, np.ndarray] = {}
    for name, m in margs.items():
        if m.varies:
            values[name] = m.sample(np.random.default_rng(seqs[name]), size)
    out = evaluate(job.scenario, values)[job.output]
    return np.broadcast_to(out, (size,)).astype(float, copy=True)


@dataclass(frozen=True, eq=False)
class MonteCarloResult(Result):
    """Distribution of one model output under the input distributions.

    Attributes
    ----------
    scenario_name, output, draws
        What was run.
    seed
        The integer seed that repeats the run (``None`` if a Generator or SeedSequence
        was given).
    p5, p50, p95
        5th, 50th and 95th percentiles of the output.
    mean, sd
        Mean and standard deviation of the output.
    base_output
        The output at the base case, for comparison.
    prob_above
        Threshold key (for example ``"500e9"``) -> P(output > threshold).
    thresholds
        Threshold key -> threshold value.
    inputs
        Input -> its distribution, described (only inputs that vary).
    samples
        The simulated outputs (not part of :meth:`to_dict`).
    """

    scenario_name: str
    output: str
    draws: int
    seed: int | None
    p5: float
    p50: float
    p95: float
    mean: float
    sd: float
    base_output: float
    prob_above: dict[str, float]
    thresholds: dict[str, float]
    inputs: dict[str, str]
    samples: np.ndarray = field(repr=False)

    def prob_standard_error(self, key: str) -> float:
        """Monte Carlo standard error of ``prob_above[key]``: sqrt(p (1 - p) / draws)."""
        p = self.prob_above[key]
        return float(np.sqrt(p * (1.0 - p) / self.draws))

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Percentile interval of the output: its ``alpha/2`` and ``1 - alpha/2`` quantiles.

        Computed from the stored draws for any ``alpha``; one row, indexed by the output.
        """
        a = check_alpha(alpha)
        lower, upper = np.quantile(self.samples, [a / 2, 1 - a / 2])
        return interval_frame([self.output], [lower], [upper])

    def summary(self) -> pd.DataFrame:
        """Statistic / value table: percentiles, mean, sd and exceedance probabilities."""
        rows: list[tuple[str, float]] = [
            ("P5", self.p5),
            ("P50 (median)", self.p50),
            ("P95", self.p95),
            ("mean", self.mean),
            ("standard deviation", self.sd),
            ("base case", self.base_output),
        ]
        for key, p in self.prob_above.items():
            rows.append((f"P(output > {key})", p))
        return pd.DataFrame(rows, columns=["statistic", "value"])

    def to_dict(self) -> dict[str, Any]:
        """Summary figures, ``prob_above_<key>`` entries and the 95% ``conf_int``; no samples."""
        out: dict[str, Any] = {
            "scenario_name": self.scenario_name,
            "output": self.output,
            "draws": self.draws,
            "seed": self.seed,
            "p5": self.p5,
            "p50": self.p50,
            "p95": self.p95,
            "mean": self.mean,
            "sd": self.sd,
            "base_output": self.base_output,
            "inputs": dict(self.inputs),
            "conf_int": conf_int_block(self.conf_int(0.05), 0.05),
        }
        for key, p in self.prob_above.items():
            out[f"prob_above_{key}"] = p
        return out


def monte_carlo(
    scenario: Scenario,
    draws: int = DEFAULT_DRAWS,
    seed: SeedLike = None,
    *,
    output: str = "total_impressions",
    thresholds: Iterable[float] | float = (HEADLINE_THRESHOLD,),
    inputs: Iterable[str] | None = None,
    distributions: Mapping[str, DistributionSpec] | None = None,
    n_jobs: int | None = None,
    client: Any = None,
) -> MonteCarloResult:
    """Propagate the input distributions to ``output`` by simulation.

    Parameters
    ----------
    scenario
        Base values and distributions; inputs without one stay at base.
    draws
        Number of draws, at least
        :data:`~influence_kit.validation.arguments.MIN_REPLICATES` (39): fewer give
        no meaningful P5/P95 or interval.
    seed
        See the seed rule of :mod:`influence_kit.validation` (``None``: fresh entropy;
        pass :data:`influence_kit.constants.DEFAULT_SEED` to repeat the package's numbers).
    output
        The model output to simulate.
    thresholds
        Report P(output > threshold) for each (default: 500 billion).
    inputs
        Inputs allowed to vary (default: every model input with a distribution).
    distributions
        Replace the scenario's distribution of some inputs, e.g.
        ``{"readers_per_post": {"kind": "lognormal", "sigma": 0.8}}``.
    n_jobs
        Local worker processes for the chunks of :data:`CHUNK` draws: the ``n_jobs``
        rule of :mod:`influence_kit.validation`.
    client
        A ``dask.distributed.Client`` to run the chunks on (takes precedence
        over ``n_jobs``). Every way of running gives identical numbers.

    Returns
    -------
    MonteCarloResult

    Raises
    ------
    ParameterError
        Fewer than 39 or non-integer draws, a bad seed or threshold, an invalid
        distribution, or an unknown input or output.

    Examples
    --------
    >>> from influence_kit.scenarios import load_scenario
    >>> s = load_scenario("forrester-us-2009")
    >>> mc = monte_carlo(s, draws=10_000, seed=1)
    >>> mc.p5 < mc.p50 < mc.p95
    True
    >>> interval = mc.conf_int(0.10).loc["total_impressions"]
    >>> bool(interval["lower"] == mc.p5 and interval["upper"] == mc.p95)
    True
    """
    n = check_positive_int("draws", draws)
    # The chunks' samples, their concatenation and the sorted copy np.quantile makes.
    check_budget("Monte Carlo draws", n, 3 * 8, option="draws (--draws)")
    seq = check_seed(seed)
    check_output(output)
    limits = {number_key(v): float(v) for v in check_numbers("thresholds", thresholds)}
    chosen = None if inputs is None else tuple(inputs)
    overrides = None if distributions is None else dict(distributions)
    margs = build_marginals(scenario, chosen, overrides)
    if client is None:
        resolve_n_jobs(n_jobs)
    # The floor comes after the other checks, so each bad argument is named for itself.
    check_replicates("draws (--draws)", n, purpose="percentiles and an interval")
    order = tuple(dict.fromkeys(model_inputs(scenario) + tuple(margs)))
    sizes = [min(CHUNK, n - start) for start in range(0, n, CHUNK)]
    per_input = [child.spawn(len(sizes)) for child in seq.spawn(len(order))]
    chunks = [
        (size, {name: seqs[j] for name, seqs in zip(order, per_input, strict=True)})
        for j, size in enumerate(sizes)
    ]
    parts = map_chunks(
        _simulate_chunk,
        _Job(scenario, output, chosen, overrides),
        chunks,
        sizes=sizes,
        client=client,
        n_jobs=n_jobs,
        progress=False,
        desc="Monte Carlo",
    )
    samples = np.concatenate(parts)
    if not np.all(np.isfinite(samples)):
        raise ParameterError(
            f"output {output} is not finite for some draws: an input's distribution gives "
            "values too large for a float (huge values or spreads), or zero where the model "
            "divides by it; narrow or rescale the distributions"
        )
    p5, p50, p95 = (float(v) for v in np.quantile(samples, [0.05, 0.5, 0.95]))
    return MonteCarloResult(
        scenario_name=scenario.name,
        output=output,
        draws=n,
        seed=seed_entropy(seq),
        p5=p5,
        p50=p50,
        p95=p95,
        mean=float(samples.mean()),
        sd=float(samples.std(ddof=1)),
        base_output=float(evaluate(scenario)[output]),
        prob_above={k: float(np.mean(samples > v)) for k, v in limits.items()},
        thresholds=limits,
        inputs={name: m.describe() for name, m in margs.items() if m.varies},
        samples=samples,
    )
