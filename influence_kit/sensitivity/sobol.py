"""Global (variance-based) sensitivity: Sobol first-order and total indices.

:func:`sobol` estimates the indices with SALib (``SALib.sample.sobol`` and
``SALib.analyze.sobol``, the Saltelli 2010 / Jansen estimators) with bootstrap
confidence intervals. SALib samples the unit hypercube; each column is mapped
onto its input's distribution by the inverse CDF, so every distribution kind of
a scenario works, not only the few SALib knows by name.

Seeds: one child of ``numpy.random.SeedSequence(seed)`` drives the scrambled
Sobol' sequence and another gives the bootstrap seed, which is never 0 (SALib's
``analyze.sobol`` treats ``seed=0`` as "unseeded"). ``seed=0`` is therefore as
reproducible as any other seed.

:func:`sobol_analytic` gives the exact indices of the total for independent
inputs. The total is ``Y = A + B L`` with ``A`` network impressions, ``B``
influence posts and ``L = sum_k w_k R_k`` the share-weighted readers per post.
With ``V = Var A + E[B^2] E[L^2] - E[B]^2 E[L]^2``:

* ``S_A = ST_A = Var A / V``;
* ``S_B = Var B E[L]^2 / V``, ``ST_B = Var B E[L^2] / V``;
* ``S_Rk = E[B]^2 w_k^2 Var R_k / V``, ``ST_Rk = E[B^2] w_k^2 Var R_k / V``;
* every other input has zero indices.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..accounting import evaluate, readers_weights
from ..errors import ParameterError
from ..results import Result
from ..scenarios import Scenario
from ._common import (
    DistributionSpec,
    as_count,
    as_number,
    as_seed,
    build_marginals,
    check_output,
    child_seeds,
    nonzero_int_seed,
)

logger = logging.getLogger(__name__)

#: Default base sample size N (SALib evaluates the model N x (D + 2) times).
DEFAULT_N = 4096

#: Columns of :meth:`SobolResult.to_df`.
SOBOL_COLUMNS: tuple[str, ...] = ("input", "S1", "S1_conf", "ST", "ST_conf")


@dataclass(frozen=True, eq=False)
class SobolResult(Result):
    """First-order and total Sobol indices of one output.

    Attributes
    ----------
    scenario_name, output
        What was analysed.
    method
        ``"SALib saltelli-2010"`` or ``"analytic"``.
    n, seed, evaluations
        Base sample size, seed and number of model evaluations (0 if analytic).
    conf_level
        Confidence level of ``S1_conf``/``ST_conf`` (half-widths of the intervals).
    inputs
        Input names, in analysis order.
    S1, S1_conf, ST, ST_conf
        Indices and confidence half-widths, aligned with ``inputs``.
    distributions
        Input -> its distribution, described.
    """

    scenario_name: str
    output: str
    method: str
    n: int
    seed: int | None
    evaluations: int
    conf_level: float
    inputs: tuple[str, ...]
    S1: np.ndarray
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    distributions: dict[str, str]

    def to_df(self) -> pd.DataFrame:
        """One row per input (analysis order): input, S1, S1_conf, ST, ST_conf."""
        return pd.DataFrame(
            {
                "input": list(self.inputs),
                "S1": self.S1,
                "S1_conf": self.S1_conf,
                "ST": self.ST,
                "ST_conf": self.ST_conf,
            },
            columns=list(SOBOL_COLUMNS),
        )

    def summary(self) -> pd.DataFrame:
        """:meth:`to_df` sorted by total index, largest first."""
        return self.to_df().sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)

    def index_of(self, name: str) -> dict[str, float]:
        """The four figures of one input."""
        i = self.inputs.index(name)
        return {
            "S1": float(self.S1[i]),
            "S1_conf": float(self.S1_conf[i]),
            "ST": float(self.ST[i]),
            "ST_conf": float(self.ST_conf[i]),
        }

    def records(self) -> list[dict[str, Any]]:
        """Indices as JSON records, sorted by total index (largest first)."""
        return self.summary().to_dict(orient="records")

    def to_dict(self) -> dict[str, Any]:
        """Run description plus ``indices`` (records sorted by ST)."""
        return {
            "scenario_name": self.scenario_name,
            "output": self.output,
            "method": self.method,
            "n": self.n,
            "seed": self.seed,
            "evaluations": self.evaluations,
            "conf_level": self.conf_level,
            "distributions": dict(self.distributions),
            "indices": self.records(),
        }


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def sobol(
    scenario: Scenario,
    n: Any = DEFAULT_N,
    seed: Any = None,
    *,
    output: str = "total_impressions",
    inputs: Iterable[str] | None = None,
    distributions: Mapping[str, DistributionSpec] | None = None,
    num_resamples: Any = 100,
    conf_level: Any = 0.95,
) -> SobolResult:
    """Estimate first-order and total Sobol indices with SALib.

    Parameters
    ----------
    scenario
        Base values and distributions.
    n
        Base sample size N, a power of 2 (Sobol' sequences lose their balance
        otherwise); the model is evaluated N x (D + 2) times.
    seed
        Non-negative integer seed (``None``: the package default); 0 is fine.
    output
        The model output to analyse.
    inputs
        Inputs to analyse (default: every model input with a distribution).
        Inputs given here without a distribution are an error.
    distributions
        Replace the scenario's distribution of some inputs.
    num_resamples, conf_level
        Bootstrap resamples and confidence level of the intervals.

    Returns
    -------
    SobolResult

    Raises
    ------
    ParameterError
        For a bad N, seed or confidence level, an invalid distribution, an
        unknown input or output, or an output that does not vary.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    size = as_count("n", n, minimum=2)
    if not _is_power_of_two(size):
        raise ParameterError(f"n: Sobol' sampling needs a power of 2, got {size}")
    seed_value = as_seed(seed)
    resamples = as_count("num_resamples", num_resamples, minimum=2)
    level = as_number("conf_level", conf_level)
    if not 0 < level < 1:
        raise ParameterError(f"conf_level: must lie strictly between 0 and 1, got {level:g}")
    check_output(output)
    margs = build_marginals(scenario, inputs, distributions)
    if inputs is None:
        margs = {k: m for k, m in margs.items() if m.varies}
    fixed = [k for k, m in margs.items() if not m.varies]
    if fixed:
        raise ParameterError(f"input {fixed[0]}: has no distribution to vary in a Sobol analysis")
    if not margs:
        raise ParameterError("no model input has a distribution: nothing to analyse")
    names = tuple(margs)
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    sample_seq, analyze_seq = child_seeds(seed_value, 2)
    unit = sobol_sample.sample(
        problem, size, calc_second_order=False, seed=np.random.default_rng(sample_seq)
    )
    values = {name: margs[name].ppf(unit[:, j]) for j, name in enumerate(names)}
    y = np.broadcast_to(evaluate(scenario, values)[output], (unit.shape[0],)).astype(float)
    if not np.all(np.isfinite(y)):
        raise ParameterError(f"output {output} is not finite for some sampled inputs")
    if np.ptp(y) <= np.finfo(float).eps * max(1.0, float(np.abs(y).max())):
        raise ParameterError(f"output {output} does not vary with the inputs {', '.join(names)}")
    with warnings.catch_warnings():
        # SALib warns only about constant outputs, which are refused above.
        warnings.simplefilter("ignore", category=UserWarning)
        indices = sobol_analyze.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=resamples,
            conf_level=level,
            print_to_console=False,
            seed=nonzero_int_seed(analyze_seq),
        )
    logger.debug("sobol: %d evaluations of %s", y.size, output)
    return SobolResult(
        scenario_name=scenario.name,
        output=output,
        method="SALib saltelli-2010",
        n=size,
        seed=seed_value,
        evaluations=int(y.size),
        conf_level=level,
        inputs=names,
        S1=np.asarray(indices["S1"], dtype=float),
        S1_conf=np.asarray(indices["S1_conf"], dtype=float),
        ST=np.asarray(indices["ST"], dtype=float),
        ST_conf=np.asarray(indices["ST_conf"], dtype=float),
        distributions={k: m.describe() for k, m in margs.items()},
    )


def sobol_analytic(
    scenario: Scenario,
    *,
    inputs: Iterable[str] | None = None,
    distributions: Mapping[str, DistributionSpec] | None = None,
) -> SobolResult:
    """Exact Sobol indices of the total for independent inputs (see the module notes).

    Parameters
    ----------
    scenario
        Base values and distributions.
    inputs
        Inputs to report (default: every model input with a distribution).
    distributions
        Replace the scenario's distribution of some inputs.

    Returns
    -------
    SobolResult
        ``method="analytic"``, zero confidence half-widths.

    Raises
    ------
    ParameterError
        If no input varies the total.
    """
    margs = build_marginals(scenario, None, distributions)
    chosen = build_marginals(scenario, inputs, distributions)
    if inputs is None:
        chosen = {k: m for k, m in chosen.items() if m.varies}
    w_default, own = readers_weights(scenario)
    weights = {"readers_per_post": w_default}
    weights.update({f"readers_per_post_by_type.{t}": s for t, s in own.items()})
    a, b = margs["network_impressions"], margs["influence_posts"]
    mean_l = sum(w * margs[k].mean for k, w in weights.items())
    var_l = sum(w**2 * margs[k].var for k, w in weights.items())
    second_l = var_l + mean_l**2
    total_var = a.var + b.second_moment * second_l - b.mean**2 * mean_l**2
    if total_var <= 0:
        raise ParameterError("total_impressions does not vary: no input with a distribution")
    s1: dict[str, float] = {"network_impressions": a.var, "influence_posts": b.var * mean_l**2}
    st: dict[str, float] = {"network_impressions": a.var, "influence_posts": b.var * second_l}
    for k, w in weights.items():
        s1[k] = b.mean**2 * w**2 * margs[k].var
        st[k] = b.second_moment * w**2 * margs[k].var
    names = tuple(chosen)
    zeros = np.zeros(len(names))
    return SobolResult(
        scenario_name=scenario.name,
        output="total_impressions",
        method="analytic",
        n=0,
        seed=None,
        evaluations=0,
        conf_level=1.0,
        inputs=names,
        S1=np.array([s1.get(k, 0.0) / total_var for k in names]),
        S1_conf=zeros,
        ST=np.array([st.get(k, 0.0) / total_var for k in names]),
        ST_conf=zeros.copy(),
        distributions={k: m.describe() for k, m in chosen.items()},
    )
