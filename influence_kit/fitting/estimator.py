"""The estimator API (lifelines/scikit-learn style) and the one-call :func:`fit_all`.

>>> from influence_kit.fitting import PowerLawFitter
>>> fitter = PowerLawFitter(discrete=True).fit(values)              # doctest: +SKIP
>>> fitter.alpha_, fitter.xmin_, fitter.n_tail_                      # doctest: +SKIP
>>> fitter.goodness_of_fit(replicates=2500, seed=1).p                # doctest: +SKIP
>>> fitter.compare()                                                 # doctest: +SKIP
>>> fitter.report().verdict                                          # doctest: +SKIP

``fit`` returns the estimator; fitted attributes end in ``_``; results are frozen
dataclasses with ``summary()``, ``to_dict()`` and an HTML representation.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Self

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..distributions import (
    Exponential,
    Family,
    FrozenFamily,
    Lognormal,
    Poisson,
    PowerLaw,
    PowerLawCutoff,
    StretchedExponential,
)
from ..errors import FitError, ParameterError
from ..formatting import format_value
from ..tables import ValueTable, value_table
from ..validation import (
    VALUE_RANGE,
    SeedLike,
    check_positive,
    check_seed,
    check_value_range,
    seed_entropy,
)
from ..validation.arguments import check_replicates
from .bootstrap import bootstrap_uncertainty, check_replicates_budget, goodness_of_fit
from .compare import Comparison, compare_loglik, verdict
from .power_law_fit import FitSettings, fit_table
from .results import FamilyFit, GoodnessOfFit, HeavyTailReport, PowerLawFit, Uncertainty
from .xmin import MIN_TAIL, Ties, XminScan

#: Alternatives compared with the power law, in Table 6.2's order.
ALTERNATIVES: tuple[type[Family], ...] = (
    Poisson,
    Lognormal,
    Exponential,
    StretchedExponential,
    PowerLawCutoff,
)
_BY_NAME = {cls.name: cls for cls in ALTERNATIVES}


def fit_family(family: Family, tail: ValueTable) -> FamilyFit:
    """Fit ``family`` by maximum likelihood to a tail table; standard errors from the
    observed information."""
    params = family.fit(tail.values, tail.counts)
    loglik = family.loglik(tail.values, tail.counts, params)
    if not np.isfinite(loglik):
        raise FitError(f"the {family.label} has no finite likelihood at its fit on these data")
    cov = family.covariance(tail.values, tail.counts, params)
    se = np.sqrt(np.where(np.diag(cov) >= 0, np.diag(cov), np.nan))
    return FamilyFit(
        family=family.name,
        discrete=family.discrete,
        xmin=family.xmin,
        params={k: float(v) for k, v in zip(family.param_names, params, strict=True)},
        se={k: float(v) for k, v in zip(family.param_names, se, strict=True)},
        loglik=loglik,
        n_tail=tail.n,
    )


class PowerLawFitter:
    """Fit a power law (and its rivals) to heavy-tailed data, Clauset et al. (2009) style.

    Parameters
    ----------
    discrete
        Exact discrete fit (Hurwitz zeta normalisation); ``None`` infers it from
        integer-valued data.
    xmin
        Fixed lower cut-off; ``None`` chooses it by minimising the KS distance
        over every distinct value.
    xmin_range
        Restrict the scan to ``[lo, hi]``.
    min_tail
        Fewest observations at or above a candidate ``xmin``.
    ties
        Tie handling of the continuous KS distance (``"each"``: every tied copy,
        as Clauset's code; ``"left"``: once per distinct value, as ``powerlaw``).

    Attributes
    ----------
    table_ : ValueTable
    result_ : PowerLawFit
    scan_ : XminScan or None
    xmin_, alpha_, alpha_se_, ks_ : float
        ``alpha_`` is the density exponent, ``p(x) ~ x^-alpha``; the Pareto tail index
        is ``alpha_ - 1``.
    n_tail_ : int
    distribution_ : FrozenFamily
        The fitted power law above ``xmin_`` (a frozen distribution: ``sf``, ``isf``,
        ``rvs``, ``top_share``...); :meth:`frozen` gives any fitted family's.
    gof_ : GoodnessOfFit or None
    uncertainty_ : Uncertainty or None
    alternatives_ : dict of FamilyFit
    comparisons_ : list of Comparison
    """

    def __init__(
        self,
        *,
        discrete: bool | None = None,
        xmin: float | None = None,
        xmin_range: tuple[float, float] | None = None,
        min_tail: int = MIN_TAIL,
        ties: Ties = "each",
    ) -> None:
        self.discrete = discrete
        self.xmin = xmin
        self.xmin_range = xmin_range
        self.min_tail = min_tail
        self.ties = ties
        self.gof_: GoodnessOfFit | None = None
        self.uncertainty_: Uncertainty | None = None
        self.alternatives_: dict[str, FamilyFit] = {}
        self.comparisons_: list[Comparison] = []

    def __repr__(self) -> str:
        return (
            f"PowerLawFitter(discrete={self.discrete}, xmin={self.xmin}, "
            f"xmin_range={self.xmin_range}, min_tail={self.min_tail}, ties={self.ties!r})"
        )

    @property
    def settings(self) -> FitSettings:
        """The fitting settings (shared with bootstrap replicates)."""
        return FitSettings(self.xmin, self.xmin_range, self.min_tail, self.ties)

    def _check_fitted(self) -> None:
        if not hasattr(self, "result_"):
            raise ParameterError("this PowerLawFitter is not fitted yet: call fit() first")

    def fit(
        self,
        data: ArrayLike | ValueTable,
        counts: ArrayLike | None = None,
        *,
        scale: float = 1.0,
    ) -> Self:
        """Fit the power law (raw values, or histogram values with ``counts``)."""
        low, high = VALUE_RANGE
        if not low <= check_positive("scale", scale) <= high:
            raise ParameterError(
                f"scale must lie in [{format_value(low)}, {format_value(high)}] (a factor that "
                f"brings the values nearer 1), got {scale!r}"
            )
        table = value_table(data, counts, discrete=self.discrete, scale=scale)
        check_value_range("data", table.values, table.counts)
        result = fit_table(table, self.settings)
        self.table_ = table
        self.result_: PowerLawFit = result
        self.scan_: XminScan | None = result.scan
        self.xmin_ = result.xmin
        self.alpha_ = result.alpha
        self.alpha_se_ = result.alpha_se
        self.n_tail_ = result.n_tail
        self.ks_ = result.ks
        self.distribution_: FrozenFamily = result.frozen()
        self.gof_ = None
        self.uncertainty_ = None
        self.alternatives_ = {}
        self.comparisons_ = []
        return self

    def frozen(self, family: str = "power_law", *, continuous: bool = False) -> FrozenFamily:
        """The fitted law of ``family`` (``"power_law"`` or an alternative fitted by
        :meth:`compare`) as a frozen distribution; see :meth:`HeavyTailReport.frozen`."""
        self._check_fitted()
        return self.report().frozen(family, continuous=continuous)

    def goodness_of_fit(
        self,
        replicates: int = 2500,
        *,
        seed: SeedLike = None,
        n_jobs: int | None = None,
        progress: bool | None = None,
        client: Any = None,
    ) -> GoodnessOfFit:
        """Semi-parametric bootstrap p-value (sets ``gof_``); see
        :func:`~influence_kit.fitting.bootstrap.goodness_of_fit`."""
        self._check_fitted()
        self.gof_ = goodness_of_fit(
            self.table_,
            self.result_,
            self.settings,
            replicates=replicates,
            seed=seed,
            n_jobs=n_jobs,
            progress=progress,
            client=client,
        )
        return self.gof_

    def bootstrap(
        self,
        replicates: int = 1000,
        *,
        seed: SeedLike = None,
        n_jobs: int | None = None,
        progress: bool | None = None,
        client: Any = None,
    ) -> Uncertainty:
        """Nonparametric bootstrap of ``xmin``, alpha and ``n_tail`` (sets ``uncertainty_``)."""
        self._check_fitted()
        self.uncertainty_ = bootstrap_uncertainty(
            self.table_,
            self.result_,
            self.settings,
            replicates=replicates,
            seed=seed,
            n_jobs=n_jobs,
            progress=progress,
            client=client,
        )
        return self.uncertainty_

    def compare(self, alternatives: Sequence[str] | None = None) -> list[Comparison]:
        """Fit each alternative to the same tail and compare it with the power law.

        Parameters
        ----------
        alternatives
            Family names (default: every alternative; Poisson for discrete data only).
        """
        self._check_fitted()
        names = [c.name for c in ALTERNATIVES] if alternatives is None else list(alternatives)
        unknown = [n for n in names if n not in _BY_NAME]
        if unknown:
            raise ParameterError(
                f"unknown alternative(s) {unknown}; choose from {sorted(_BY_NAME)}"
            )
        discrete = self.table_.discrete
        tail = self.table_.tail(self.xmin_)
        pl = PowerLaw(self.xmin_, discrete)
        logp_pl = pl.logpdf(tail.values, [self.alpha_])
        self.alternatives_ = {}
        self.comparisons_ = []
        for name in names:
            cls = _BY_NAME[name]
            if not discrete and not cls.has_continuous:
                if alternatives is not None:
                    raise ParameterError(f"the {cls.label} alternative needs discrete data")
                continue
            family = cls(self.xmin_, discrete)
            try:
                fit = fit_family(family, tail)
            except FitError as err:
                if alternatives is not None:  # asked for by name: its failure is the answer
                    raise
                warnings.warn(f"{err}; left out of the comparison", stacklevel=2)
                continue
            nested = cls is PowerLawCutoff
            if nested and fit.loglik < self.result_.loglik:
                # the optimiser stopped short of the boundary: the MLE is the power law
                fit = FamilyFit(
                    family.name,
                    discrete,
                    self.xmin_,
                    {"alpha": self.alpha_, "lambda": 0.0},
                    {"alpha": self.alpha_se_, "lambda": float("nan")},
                    self.result_.loglik,
                    self.n_tail_,
                )
            logp_alt = family.logpdf(tail.values, list(fit.params.values()))
            self.alternatives_[name] = fit
            self.comparisons_.append(
                compare_loglik(name, logp_pl, logp_alt, tail.counts, nested=nested)
            )
        return self.comparisons_

    def report(self) -> HeavyTailReport:
        """Everything fitted so far, with the paper's verdict."""
        self._check_fitted()
        gof_p = self.gof_.p if self.gof_ is not None else None
        support, reason = verdict(gof_p, self.comparisons_)
        return HeavyTailReport(
            table=self.table_,
            power_law=self.result_,
            alternatives=dict(self.alternatives_),
            comparisons=list(self.comparisons_),
            gof=self.gof_,
            uncertainty=self.uncertainty_,
            verdict=support,
            reason=reason,
        )

    def summary(self) -> pd.DataFrame:
        """The power-law fit as a table."""
        self._check_fitted()
        return self.result_.summary()


def fit_all(
    data: ArrayLike | ValueTable,
    counts: ArrayLike | None = None,
    *,
    discrete: bool | None = None,
    scale: float = 1.0,
    xmin: float | None = None,
    xmin_range: tuple[float, float] | None = None,
    min_tail: int = MIN_TAIL,
    ties: Ties = "each",
    alternatives: Sequence[str] | None = None,
    gof_replicates: int = 0,
    bootstrap_replicates: int = 0,
    seed: SeedLike = None,
    n_jobs: int | None = None,
    progress: bool | None = None,
    client: Any = None,
) -> HeavyTailReport:
    """Fit the power law and every alternative, compare them and give the verdict.

    Parameters
    ----------
    data, counts, discrete, scale, xmin, xmin_range, min_tail, ties
        As for :class:`PowerLawFitter` and its ``fit``.
    alternatives
        Families to compare with (default: all that apply).
    gof_replicates
        Goodness-of-fit bootstrap replicates (0: skip; otherwise at least 39, the floor
        of :mod:`influence_kit.validation.arguments`; 2500 gives p to ±0.01).
    bootstrap_replicates
        Uncertainty bootstrap replicates (0: skip; otherwise at least 39, as above).
    seed
        Seed of both bootstraps (rule of :mod:`influence_kit.validation`: an int, or a
        :class:`numpy.random.Generator` made the same way, repeats the run; ``None``
        draws fresh entropy). The goodness-of-fit bootstrap runs on ``seed`` and the
        uncertainty bootstrap on ``seed + 1``; both record the integer that repeats them
        (for ``None``, the entropy drawn and that plus one). A seed without such an
        integer (a Generator, a spawned :class:`numpy.random.SeedSequence`) gives the two
        bootstraps two children of it instead, and records ``None``.
    n_jobs, progress
        Worker processes and progress bar of the bootstraps.
    client
        A ``dask.distributed.Client`` to run the bootstraps on (same numbers as
        a local run).

    Returns
    -------
    HeavyTailReport
        Fits, comparisons, optional bootstraps and the verdict.
    """
    for name, reps in (("gof", gof_replicates), ("bootstrap", bootstrap_replicates)):
        if not (isinstance(reps, (int, np.integer)) and reps >= 0):
            option = "--gof-reps" if name == "gof" else "--bootstrap-reps"
            raise ParameterError(
                f"{name}_replicates ({option}) must be 0 (skip) or a positive whole number, "
                f"got {reps!r}"
            )
    gof_replicates = check_replicates(
        "gof_replicates (--gof-reps)", gof_replicates, allow_zero=True, purpose="a p-value"
    )
    bootstrap_replicates = check_replicates(
        "bootstrap_replicates (--bootstrap-reps)", bootstrap_replicates, allow_zero=True
    )
    check_replicates_budget("gof", gof_replicates)
    check_replicates_budget("uncertainty", bootstrap_replicates)
    parent = check_seed(seed)
    entropy = seed_entropy(parent)
    if entropy is not None:
        gof_seed, boot_seed = parent, np.random.SeedSequence(entropy + 1)
    else:
        gof_seed, boot_seed = parent.spawn(2)
    fitter = PowerLawFitter(
        discrete=discrete, xmin=xmin, xmin_range=xmin_range, min_tail=min_tail, ties=ties
    ).fit(data, counts, scale=scale)
    fitter.compare(alternatives)
    if gof_replicates:
        fitter.goodness_of_fit(
            gof_replicates, seed=gof_seed, n_jobs=n_jobs, progress=progress, client=client
        )
    if bootstrap_replicates:
        fitter.bootstrap(
            bootstrap_replicates, seed=boot_seed, n_jobs=n_jobs, progress=progress, client=client
        )
    return fitter.report()
