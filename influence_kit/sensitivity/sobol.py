"""Global (variance-based) sensitivity: Sobol first-order and total indices.

:func:`sobol` estimates the indices with SALib (``SALib.sample.sobol`` and
``SALib.analyze.sobol``, the Saltelli 2010 / Jansen estimators) with bootstrap
confidence intervals. SALib samples the unit hypercube; each column is mapped
onto its input's distribution by the inverse CDF, so every distribution kind of
a scenario works, not only the few SALib knows by name.

Intervals: SALib reports only a half-width at one fixed level (a normal
approximation, ``z * sd`` of its bootstrap). We keep SALib's bootstrap replicates
(``keep_resamples=True``) and :meth:`SobolResult.conf_int` returns their
percentile interval for any ``alpha``.

Seeds follow the rule of :mod:`influence_kit.validation` (``None``: fresh entropy).
One child of the seed's :class:`numpy.random.SeedSequence` drives the scrambled
Sobol' sequence and another gives the bootstrap seed, which is never 0 (SALib's
``analyze.sobol`` treats ``seed=0`` as "unseeded"; see
:func:`~influence_kit.validation.nonzero_int_seed`). ``seed=0`` is therefore as
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
from ..constants import DEFAULT_SOBOL_N
from ..errors import ParameterError
from ..formatting import format_number
from ..results import Result, check_alpha, interval_frame
from ..scenarios import Scenario
from ..validation import (
    SeedLike,
    check_budget,
    check_seed,
    nonzero_int_seed,
    seed_entropy,
)
from ..validation.arguments import MIN_REPLICATES, check_replicates
from ._common import DistributionSpec, build_marginals, check_output, conf_int_block

logger = logging.getLogger(__name__)

#: Columns of :meth:`SobolResult.summary`.
SOBOL_COLUMNS: tuple[str, ...] = ("input", "S1", "ST")

#: Smallest Sobol' base sample: the first power of 2 at or above the replicate floor
#: :data:`~influence_kit.validation.arguments.MIN_REPLICATES` (39).
MIN_SOBOL_N = 1 << (MIN_REPLICATES - 1).bit_length()

#: Default number of bootstrap resamples behind :meth:`SobolResult.conf_int`.
DEFAULT_RESAMPLES = 100


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
        Base sample size, the integer seed that repeats the run (``None`` if analytic or
        seeded by a Generator) and number of model evaluations (0 if analytic).
    inputs
        Input names, in analysis order.
    S1, ST
        First-order and total indices, aligned with ``inputs``.
    S1_boot, ST_boot
        Bootstrap replicates of the indices (resamples x inputs), from which
        :meth:`conf_int` takes percentiles; one row of exact values if analytic.
    distributions
        Input -> its distribution, described.
    """

    scenario_name: str
    output: str
    method: str
    n: int
    seed: int | None
    evaluations: int
    inputs: tuple[str, ...]
    S1: np.ndarray
    ST: np.ndarray
    S1_boot: np.ndarray
    ST_boot: np.ndarray
    distributions: dict[str, str]

    def summary(self) -> pd.DataFrame:
        """One row per input (input, S1, ST), sorted by total index, largest first."""
        frame = pd.DataFrame(
            {"input": list(self.inputs), "S1": self.S1, "ST": self.ST},
            columns=list(SOBOL_COLUMNS),
        )
        return frame.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Percentile bootstrap intervals of every index, at level ``1 - alpha``.

        Rows ``S1[<input>]`` then ``ST[<input>]`` in analysis order. The percentiles are
        taken over SALib's bootstrap replicates (``S1_boot``, ``ST_boot``); an analytic
        result has zero-width intervals. The indices themselves are the full-sample
        estimates, which a biased estimator can leave outside their interval:
        :meth:`outside_interval` lists where.
        """
        a = check_alpha(alpha)
        names = [f"{kind}[{name}]" for kind in ("S1", "ST") for name in self.inputs]
        boot = np.hstack([self.S1_boot, self.ST_boot])
        lower, upper = np.quantile(boot, [a / 2, 1 - a / 2], axis=0)
        return interval_frame(names, lower, upper)

    def outside_interval(self, alpha: float = 0.05) -> list[str]:
        """The indices whose estimate lies outside their own ``1 - alpha`` interval.

        The indices (:attr:`S1`, :attr:`ST`) are the full-sample estimates; :meth:`conf_int`
        gives percentile intervals of the bootstrap replicates, which a biased estimator
        can leave outside (at small ``n``). Whatever shows the two side by side says which
        is which when this list is not empty.

        Returns
        -------
        list of str
            Rows of :meth:`conf_int` (``S1[<input>]``, ``ST[<input>]``), in its order.
        """
        ci = self.conf_int(alpha)
        estimates = np.concatenate([self.S1, self.ST])
        outside = (estimates < ci["lower"].to_numpy()) | (estimates > ci["upper"].to_numpy())
        return [str(name) for name, out in zip(ci.index, outside, strict=True) if out]

    def index_of(self, name: str, alpha: float = 0.05) -> dict[str, float]:
        """The indices of one input with their ``1 - alpha`` interval bounds."""
        i = self.inputs.index(name)
        ci = self.conf_int(alpha)
        return {
            "S1": float(self.S1[i]),
            "S1_lower": float(ci["lower"].loc[f"S1[{name}]"]),
            "S1_upper": float(ci["upper"].loc[f"S1[{name}]"]),
            "ST": float(self.ST[i]),
            "ST_lower": float(ci["lower"].loc[f"ST[{name}]"]),
            "ST_upper": float(ci["upper"].loc[f"ST[{name}]"]),
        }

    def records(self) -> list[dict[str, Any]]:
        """Indices as JSON records, sorted by total index (largest first)."""
        return [
            {str(key): value for key, value in row.items()}
            for row in self.summary().to_dict(orient="records")
        ]

    def to_dict(self) -> dict[str, Any]:
        """Run description, ``indices`` (records sorted by ST), the 95% ``conf_int`` and
        ``estimates_outside_interval`` (:meth:`outside_interval` at 95%)."""
        return {
            "scenario_name": self.scenario_name,
            "output": self.output,
            "method": self.method,
            "n": self.n,
            "seed": self.seed,
            "evaluations": self.evaluations,
            "resamples": int(self.S1_boot.shape[0]) if self.method != "analytic" else 0,
            "distributions": dict(self.distributions),
            "indices": self.records(),
            "conf_int": conf_int_block(self.conf_int(0.05), 0.05),
            "estimates_outside_interval": self.outside_interval(0.05),
        }


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def sobol(
    scenario: Scenario,
    n: int = DEFAULT_SOBOL_N,
    seed: SeedLike = None,
    *,
    output: str = "total_impressions",
    inputs: Iterable[str] | None = None,
    distributions: Mapping[str, DistributionSpec] | None = None,
    num_resamples: int = DEFAULT_RESAMPLES,
) -> SobolResult:
    """Estimate first-order and total Sobol indices with SALib.

    Parameters
    ----------
    scenario
        Base values and distributions.
    n
        Base sample size N, a power of 2 (Sobol' sequences lose their balance
        otherwise) and at least :data:`MIN_SOBOL_N` (64); the model is evaluated
        N x (D + 2) times.
    seed
        See the seed rule of :mod:`influence_kit.validation` (``None``: fresh entropy).
    output
        The model output to analyse.
    inputs
        Inputs to analyse (default: every model input with a distribution).
        Inputs given here without a distribution are an error.
    distributions
        Replace the scenario's distribution of some inputs.
    num_resamples
        Bootstrap resamples kept for :meth:`SobolResult.conf_int`, at least 39.

    Returns
    -------
    SobolResult

    Raises
    ------
    ParameterError
        For a bad N, seed or resample count, an invalid distribution, an
        unknown input or output, or an output that does not vary.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    size = check_replicates(
        "n (--sobol-n)", n, purpose="Sobol indices (use a power of 2)", minimum=MIN_SOBOL_N
    )
    if not _is_power_of_two(size):
        raise ParameterError(f"n must be a power of 2 for Sobol' sampling, got {n!r}")
    seq = check_seed(seed)
    resamples = check_replicates("num_resamples", num_resamples, purpose="an interval")
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
    k = len(names)
    # Saltelli's design has N (k + 2) rows: the unit sample, the k input columns and the
    # model's intermediate arrays (about 16 per row) are held at once; SALib's bootstrap
    # then draws N x num_resamples indices and gathers three such arrays.
    check_budget(
        "Sobol' base samples",
        size,
        (k + 2) * 8 * (2 * k + 16) + 4 * 8 * resamples,
        option="n (--sobol-n) or num_resamples",
    )
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    sample_seq, analyze_seq = seq.spawn(2)
    unit = sobol_sample.sample(
        problem, size, calc_second_order=False, seed=np.random.default_rng(sample_seq)
    )
    values = {name: margs[name].ppf(unit[:, j]) for j, name in enumerate(names)}
    y = np.broadcast_to(evaluate(scenario, values)[output], (unit.shape[0],)).astype(float)
    if not np.all(np.isfinite(y)):
        raise ParameterError(f"output {output} is not finite for some sampled inputs")
    if np.ptp(y) <= np.finfo(float).eps * max(1.0, float(np.abs(y).max())):
        raise ParameterError(
            f"output {output} is {format_number(float(y[0]))} whatever the {len(names)} varied "
            "inputs are, so no input explains any of its variance (is an input that "
            "multiplies everything set to 0?)"
        )
    with warnings.catch_warnings():
        # SALib warns only about constant outputs, which are refused above.
        warnings.simplefilter("ignore", category=UserWarning)
        indices = sobol_analyze.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=resamples,
            keep_resamples=True,
            print_to_console=False,
            seed=nonzero_int_seed(analyze_seq),
        )
    logger.debug("sobol: %s evaluations of %s", y.size, output)
    return SobolResult(
        scenario_name=scenario.name,
        output=output,
        method="SALib saltelli-2010",
        n=size,
        seed=seed_entropy(seq),
        evaluations=int(y.size),
        inputs=names,
        S1=np.asarray(indices["S1"], dtype=float),
        ST=np.asarray(indices["ST"], dtype=float),
        S1_boot=np.asarray(indices["S1_conf_all"], dtype=float),
        ST_boot=np.asarray(indices["ST_conf_all"], dtype=float),
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
        ``method="analytic"``, zero-width intervals.

    Raises
    ------
    ParameterError
        If no input varies the total, or the scenario derives readers per post or network
        impressions from its audience model (the total is then no longer bilinear in
        independent inputs: use :func:`sobol`).
    """
    if scenario.derived:
        raise ParameterError(
            f"{scenario.name}: exact Sobol indices need the bilinear model, but the audience "
            f"model derives {', '.join(scenario.derived)}; estimate them with sobol()"
        )
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
    first = np.array([s1.get(k, 0.0) / total_var for k in names])
    total = np.array([st.get(k, 0.0) / total_var for k in names])
    return SobolResult(
        scenario_name=scenario.name,
        output="total_impressions",
        method="analytic",
        n=0,
        seed=None,
        evaluations=0,
        inputs=names,
        S1=first,
        ST=total,
        S1_boot=first[np.newaxis, :].copy(),
        ST_boot=total[np.newaxis, :].copy(),
        distributions={k: m.describe() for k, m in chosen.items()},
    )
