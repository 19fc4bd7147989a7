"""Results objects of the fitting code (frozen dataclasses mixing in :class:`Result`).

Every fit gives its law at the fitted parameters with ``frozen()`` (a frozen
distribution of :mod:`influence_kit.distributions`, which plugs into concentration
and calibration). Confidence intervals follow the package's ``conf_int(alpha=0.05)``
contract:

* :meth:`PowerLawFit.conf_int` and :meth:`FamilyFit.conf_int` are Wald intervals,
  ``estimate -/+ z_(1 - alpha/2) * standard error``, from the observed information at
  the MLE (``xmin`` held fixed);
* :meth:`Uncertainty.conf_int` is the percentile interval of the stored
  nonparametric bootstrap replicates (which repeat the ``xmin`` choice);
* :meth:`HeavyTailReport.conf_int` lists both, the bootstrap rows (when a bootstrap
  was run) named ``"... (bootstrap)"``.

The ``alpha`` argument of ``conf_int`` is the significance level of the package-wide
contract (the interval covers ``1 - alpha``); the fitted density exponent is the
``alpha`` attribute and the ``"alpha"`` row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..distributions import FAMILIES, FrozenFamily
from ..errors import ParameterError
from ..formatting import format_count, format_fixed, format_percent, format_value
from ..formatting import format_number as fmt
from ..results import (
    Conclusion,
    KeyFigures,
    Result,
    check_alpha,
    interval_frame,
    key_figures,
    to_jsonable,
)
from ..tables import ValueTable
from .compare import Comparison
from .xmin import XminScan

#: What the bootstrap intervals of :class:`Uncertainty` are intervals of.
BOOTSTRAP_NOTE = (
    "percentile intervals of the nonparametric bootstrap, which re-chooses xmin in every "
    "replicate: they describe the spread of the whole fitting procedure, and as the xmin "
    "scan jumps between candidates they need not contain the fitted xmin, alpha or tail size"
)

#: What the Wald intervals of the fits are intervals of.
WALD_NOTE = "Wald intervals, estimate -/+ z * standard error, with xmin held fixed"


def _wald(names: list[str], estimates: list[float], se: list[float], alpha: float) -> pd.DataFrame:
    z = float(stats.norm.isf(check_alpha(alpha) / 2.0))
    est = np.asarray(estimates, dtype=float)
    err = np.asarray(se, dtype=float)
    return interval_frame(names, est - z * err, est + z * err)


def _freeze(family: str, xmin: float, discrete: bool, params: list[float]) -> FrozenFamily:
    return FAMILIES[family](xmin, discrete).freeze(*params)


@dataclass(frozen=True, eq=False)
class FamilyFit(Result):
    """One family fitted by maximum likelihood above ``xmin``.

    ``n_tail`` is the true number of observations in the tail (the sum of the
    counts), and ``aic = 2 k - 2 loglik``, ``bic = k log(n_tail) - 2 loglik`` use it
    (``k`` the number of shape parameters; ``xmin`` is held fixed).
    """

    family: str
    discrete: bool
    xmin: float
    params: dict[str, float]
    se: dict[str, float]
    loglik: float
    n_tail: int

    @property
    def k(self) -> int:
        """Number of fitted parameters."""
        return len(self.params)

    @property
    def aic(self) -> float:
        """Akaike information criterion."""
        return 2.0 * self.k - 2.0 * self.loglik

    @property
    def bic(self) -> float:
        """Bayesian information criterion with ``n = n_tail``."""
        return self.k * float(np.log(self.n_tail)) - 2.0 * self.loglik

    def frozen(self, *, continuous: bool = False) -> FrozenFamily:
        """The fitted law above ``xmin`` (its continuous counterpart if ``continuous``).

        The Poisson law is discrete only and stays discrete.
        """
        discrete = self.discrete and not (continuous and FAMILIES[self.family].has_continuous)
        return _freeze(self.family, self.xmin, discrete, list(self.params.values()))

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald intervals of the parameters from the observed information (xmin fixed)."""
        return _wald(list(self.params), list(self.params.values()), list(self.se.values()), alpha)

    def summary(self) -> pd.DataFrame:
        """One row per parameter: estimate and standard error."""
        return pd.DataFrame(
            {"estimate": self.params, "std. error": self.se},
        ).rename_axis(f"{self.family} (xmin={format_value(self.xmin)}, n_tail={self.n_tail})")

    def to_dict(self) -> dict[str, object]:
        """Fields plus AIC and BIC."""
        out = super().to_dict()
        out.update(aic=self.aic, bic=self.bic)
        return out


@dataclass(frozen=True, eq=False)
class PowerLawFit(Result):
    """The power law above the chosen (or given) ``xmin``.

    Attributes
    ----------
    discrete
        Whether the exact discrete (Hurwitz zeta) law was fitted.
    xmin, alpha, alpha_se, n_tail, ks
        The fit; ``ks`` is the KS distance of the tail (the minimised quantity).
    n, n_zeros
        Positive observations (Table 6.1's ``n``) and zeros left out.
    loglik
        Log-likelihood of the tail.
    xmin_fixed
        Whether ``xmin`` was given rather than chosen.
    ties
        How the continuous empirical CDF treats ties in the KS distance.
    """

    discrete: bool
    xmin: float
    alpha: float
    alpha_se: float
    n: int
    n_zeros: int
    n_tail: int
    ks: float
    loglik: float
    xmin_fixed: bool
    ties: str
    scan: XminScan | None = field(default=None, repr=False)

    @property
    def aic(self) -> float:
        """Akaike information criterion (one parameter)."""
        return 2.0 - 2.0 * self.loglik

    @property
    def bic(self) -> float:
        """Bayesian information criterion with ``n = n_tail``."""
        return float(np.log(self.n_tail)) - 2.0 * self.loglik

    def frozen(self, *, continuous: bool = False) -> FrozenFamily:
        """The fitted power law above ``xmin`` (a :class:`~influence_kit.distributions.Pareto`
        with tail index ``alpha - 1`` when continuous, or if ``continuous``)."""
        return _freeze("power_law", self.xmin, self.discrete and not continuous, [self.alpha])

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald interval of alpha, ``alpha -/+ z * alpha_se`` (xmin fixed)."""
        return _wald(["alpha"], [self.alpha], [self.alpha_se], alpha)

    def summary(self) -> pd.DataFrame:
        """The figures of one row of Table 6.1."""
        rows = {
            "n": self.n,
            "zeros (not fitted)": self.n_zeros,
            "xmin": self.xmin,
            "alpha": self.alpha,
            "alpha std. error": self.alpha_se,
            "n_tail": self.n_tail,
            "KS distance": self.ks,
            "log-likelihood": self.loglik,
            "AIC": self.aic,
            "BIC": self.bic,
            "discrete": self.discrete,
            "xmin chosen by KS scan": not self.xmin_fixed,
        }
        text = {
            k: (
                format_count(v)
                if isinstance(v, int) and not isinstance(v, bool)
                else ("yes" if v else "no")
                if isinstance(v, bool)
                else fmt(v, 6)
            )
            for k, v in rows.items()
        }
        return pd.DataFrame({"value": pd.Series(text)})

    def to_dict(self) -> dict[str, object]:
        """Fields (without the scan) plus AIC and BIC."""
        out = super().to_dict()
        out.pop("scan", None)
        out.update(aic=self.aic, bic=self.bic)
        return out


@dataclass(frozen=True, eq=False)
class GoodnessOfFit(Result):
    """Semi-parametric bootstrap goodness-of-fit test (Clauset et al. 2009, §4.1).

    ``p`` is the fraction of synthetic data sets whose KS distance (after the
    same fitting procedure) is at least the observed one; its Monte Carlo
    standard error is ``sqrt(p (1 - p) / replicates)``.
    """

    p: float
    ks: float
    replicates: int
    seed: int | None
    ks_replicates: np.ndarray = field(repr=False)

    @property
    def p_se(self) -> float:
        """Monte Carlo standard error of ``p``."""
        return float(np.sqrt(self.p * (1.0 - self.p) / self.replicates))

    def summary(self) -> pd.DataFrame:
        """p, its Monte Carlo error, the observed KS distance and the replicate count."""
        rows = {
            "p": self.p,
            "p Monte Carlo s.e.": self.p_se,
            "observed KS": self.ks,
            "median synthetic KS": float(np.median(self.ks_replicates)),
            "replicates": self.replicates,
        }
        return pd.DataFrame({"value": pd.Series(rows, dtype=object)})

    def to_dict(self) -> dict[str, object]:
        """Scalars only (not the replicate distances)."""
        return {
            "p": self.p,
            "p_se": self.p_se,
            "ks": self.ks,
            "replicates": self.replicates,
            "seed": self.seed,
        }


@dataclass(frozen=True, eq=False)
class Uncertainty(Result):
    """Nonparametric bootstrap of the whole fit (the "±" columns of Table 6.1).

    Each replicate resamples the ``n`` positive observations with replacement
    (a multinomial draw on the frequency table) and repeats the ``xmin`` scan.
    """

    xmin_sd: float
    alpha_sd: float
    n_tail_sd: float
    replicates: int
    seed: int | None
    xmin_replicates: np.ndarray = field(repr=False)
    alpha_replicates: np.ndarray = field(repr=False)
    n_tail_replicates: np.ndarray = field(repr=False)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Percentile intervals of ``xmin``, alpha and ``n_tail`` from the replicates.

        Each replicate re-chooses ``xmin``, so these intervals describe the whole fitting
        procedure; they need not contain the fitted values (``attrs["note"]`` says so).
        """
        a = check_alpha(alpha)
        reps = (self.xmin_replicates, self.alpha_replicates, self.n_tail_replicates)
        lower = [float(np.quantile(r, a / 2.0)) for r in reps]
        upper = [float(np.quantile(r, 1.0 - a / 2.0)) for r in reps]
        frame = interval_frame(["xmin", "alpha", "n_tail"], lower, upper)
        frame.attrs["note"] = BOOTSTRAP_NOTE
        return frame

    def summary(self) -> pd.DataFrame:
        """Standard deviation and 95% percentile interval of each quantity (no point
        estimate: the fit's values need not lie inside, see :data:`BOOTSTRAP_NOTE`)."""
        rows = {}
        for name, reps in (
            ("xmin", self.xmin_replicates),
            ("alpha", self.alpha_replicates),
            ("n_tail", self.n_tail_replicates),
        ):
            lo, hi = np.percentile(reps, [2.5, 97.5])
            rows[name] = {"std. dev.": float(np.std(reps, ddof=1)), "2.5%": lo, "97.5%": hi}
        return pd.DataFrame(rows).T

    def to_dict(self) -> dict[str, object]:
        """Standard deviations and the replicate count."""
        return {
            "xmin_sd": self.xmin_sd,
            "alpha_sd": self.alpha_sd,
            "n_tail_sd": self.n_tail_sd,
            "replicates": self.replicates,
            "seed": self.seed,
        }


@dataclass(frozen=True, eq=False)
class HeavyTailReport(Result):
    """Everything :func:`~influence_kit.fitting.fit_all` found: fits, tests, verdict."""

    table: ValueTable
    power_law: PowerLawFit
    alternatives: dict[str, FamilyFit]
    comparisons: list[Comparison]
    gof: GoodnessOfFit | None
    uncertainty: Uncertainty | None
    verdict: str
    reason: str

    def frozen(self, family: str = "power_law", *, continuous: bool = False) -> FrozenFamily:
        """The fitted law of ``family`` above x_min (a frozen distribution).

        Parameters
        ----------
        family
            ``"power_law"`` or an alternative fitted in this report.
        continuous
            Give the continuous counterpart of a discrete fit (same tail shares to
            order ``1 / x_min``; the Poisson law stays discrete).
        """
        if family == "power_law":
            return self.power_law.frozen(continuous=continuous)
        if family not in self.alternatives:
            fitted = ["power_law", *self.alternatives]
            raise ParameterError(f"no {family!r} fit in this report; fitted: {fitted}")
        return self.alternatives[family].frozen(continuous=continuous)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald intervals of every fitted parameter, and bootstrap percentile intervals.

        Rows: ``alpha`` (power law, Wald), ``<family>: <parameter>`` for each alternative
        (Wald) and, when the nonparametric bootstrap was run, ``xmin (bootstrap)``,
        ``alpha (bootstrap)`` and ``n_tail (bootstrap)`` (percentile intervals of the
        bootstrap that re-chooses ``xmin``: they need not contain the fitted values).
        ``attrs["note"]`` says what each kind of row is.
        """
        frames = [self.power_law.conf_int(alpha)]
        for name, fit in self.alternatives.items():
            ci = fit.conf_int(alpha)
            frames.append(ci.rename(index={k: f"{name}: {k}" for k in ci.index}))
        note = f"rows without '(bootstrap)': {WALD_NOTE}"
        if self.uncertainty is not None:
            ci = self.uncertainty.conf_int(alpha)
            frames.append(ci.rename(index=lambda k: f"{k} (bootstrap)"))
            note += f"; rows '(bootstrap)': {BOOTSTRAP_NOTE}"
        frame = pd.concat(frames).rename_axis("quantity")
        frame.attrs["note"] = note
        return frame

    def comparison(self, alternative: str) -> Comparison:
        """The comparison against ``alternative`` (a family name)."""
        for c in self.comparisons:
            if c.alternative == alternative:
                return c
        raise KeyError(alternative)

    def describe(self) -> str:
        """The verdict explained in Markdown prose computed from the numbers."""
        return describe_report(self)

    def conclusion(self) -> Conclusion:
        """What the fit concludes, in two plain sentences, and its lead figures.

        The fitted tail (where it starts, how much of the data it covers, its exponent)
        and the verdict with its reason (see :func:`influence_kit.fitting.compare.verdict`).
        """
        pl = self.power_law
        tail = (
            f"Above xmin = {fmt(pl.xmin)}, {format_count(pl.n_tail)} of the "
            f"{format_count(pl.n)} positive values "
            f"({format_percent(pl.n_tail / pl.n, 1)}) are fitted by a power law with exponent "
            f"alpha = {fmt(pl.alpha)} (standard error {fmt(pl.alpha_se, 2)})"
        )
        if self.gof is not None:
            tail += (
                f"; the goodness-of-fit bootstrap gives p = {format_fixed(self.gof.p, 2)} "
                f"({format_count(self.gof.replicates)} synthetic data sets)"
            )
        return Conclusion(
            (tail + ".", f"Verdict: {self.verdict}, since {self.reason}."),
            ("xmin", "alpha", "n_tail", "gof_p", "verdict"),
        )

    def key_figures(self) -> KeyFigures:
        """The headline figures: sample, fitted tail, goodness of fit and verdict."""
        pl = self.power_law
        return key_figures(
            ("n", "observations (positive)", pl.n, "count"),
            ("n_zeros", "zeros (not fitted)", pl.n_zeros, "count"),
            ("data_type", "data type", "discrete" if pl.discrete else "continuous", "text"),
            ("xmin", "start of the fitted tail (xmin)", pl.xmin),
            ("alpha", "power-law exponent alpha", pl.alpha),
            ("alpha_se", "standard error of alpha", pl.alpha_se),
            ("n_tail", "values in the fitted tail", pl.n_tail, "count"),
            ("ks", "KS distance", pl.ks),
            ("gof_p", "goodness-of-fit p", None if self.gof is None else self.gof.p),
            ("verdict", "verdict", self.verdict, "text"),
        )

    def summary(self) -> pd.DataFrame:
        """One row per family: parameters, log-likelihood, AIC, and the comparison."""
        rows = []
        pl = self.power_law
        rows.append(
            {
                "family": "power_law",
                "parameters": f"alpha={format_value(pl.alpha, 4)}",
                "loglik": pl.loglik,
                "AIC": pl.aic,
                "LR": np.nan,
                "normalized R": np.nan,
                "p": self.gof.p if self.gof else np.nan,
                "favours": "",
            }
        )
        for c in self.comparisons:
            fit = self.alternatives[c.alternative]
            rows.append(
                {
                    "family": c.alternative,
                    "parameters": ", ".join(
                        f"{k}={format_value(v, 4)}" for k, v in fit.params.items()
                    ),
                    "loglik": fit.loglik,
                    "AIC": fit.aic,
                    "LR": c.lr,
                    "normalized R": c.normalized,
                    "p": c.p,
                    "favours": c.favours,
                }
            )
        return pd.DataFrame(rows).set_index("family")

    def to_dict(self) -> dict[str, object]:
        """The CLI's ``--json`` object (flat power-law figures, tests, verdict)."""
        pl = self.power_law
        return to_jsonable(
            {
                "n": pl.n,
                "n_zeros": pl.n_zeros,
                "discrete": pl.discrete,
                "xmin": pl.xmin,
                "xmin_fixed": pl.xmin_fixed,
                "alpha": pl.alpha,
                "alpha_se": pl.alpha_se,
                "n_tail": pl.n_tail,
                "ks": pl.ks,
                "loglik": pl.loglik,
                "gof_p": self.gof.p if self.gof else None,
                "gof": self.gof.to_dict() if self.gof else None,
                "uncertainty": self.uncertainty.to_dict() if self.uncertainty else None,
                "alternatives": {k: v.to_dict() for k, v in self.alternatives.items()},
                "comparisons": [
                    {
                        "alternative": c.alternative,
                        "lr": c.lr,
                        "normalized": c.normalized,
                        "p": c.p,
                        "nested": c.nested,
                        "favours": c.favours,
                    }
                    for c in self.comparisons
                ],
                "verdict": self.verdict,
                "reason": self.reason,
            }
        )


def describe_report(report: HeavyTailReport) -> str:
    """Markdown prose explaining a :class:`HeavyTailReport` from its numbers."""
    pl = report.power_law
    share = pl.n_tail / pl.n
    kind = "discrete (exact zeta normalisation)" if pl.discrete else "continuous"
    how = "fixed by the user" if pl.xmin_fixed else "chosen by minimising the KS distance"
    lines = [
        f"**Verdict: {report.verdict}.** The {kind} power law fitted above xmin = {fmt(pl.xmin)} "
        f"({how}) covers {format_count(pl.n_tail)} of the {format_count(pl.n)} positive "
        f"observations ({format_percent(share, 1)}), with α = {fmt(pl.alpha)} ± "
        f"{fmt(pl.alpha_se, 2)} and KS distance {fmt(pl.ks, 3)}."
        + (f" {format_count(pl.n_zeros)} zeros are counted but not fitted." if pl.n_zeros else ""),
    ]
    if report.gof is not None:
        g = report.gof
        plaus = (
            "so a power law is a plausible description of the tail"
            if g.p >= 0.1
            else "so the power law is ruled out as a description of the tail (p < 0.1)"
        )
        lines.append(
            f"The goodness-of-fit bootstrap ({format_count(g.replicates)} synthetic data sets) "
            f"gives p = {format_fixed(g.p, 2)} ± {format_fixed(g.p_se, 2)}, {plaus}."
        )
    else:
        lines.append("The goodness-of-fit bootstrap was not run, so plausibility is untested.")
    if report.uncertainty is not None:
        u = report.uncertainty
        lines.append(
            f"Bootstrap standard deviations ({u.replicates} resamples): xmin ± "
            f"{fmt(u.xmin_sd, 3)}, α ± {fmt(u.alpha_sd, 2)}, tail size ± {fmt(u.n_tail_sd, 3)}."
        )
    parts = []
    for c in report.comparisons:
        stat = f"LR = {fmt(c.lr, 3)}" if c.nested else f"R = {fmt(c.normalized, 3)}"
        who = {"neither": "neither is favoured", "power law": "the power law is favoured"}.get(
            c.favours, f"the {c.alternative.replace('_', ' ')} is favoured"
        )
        parts.append(
            f"{c.alternative.replace('_', ' ')}: {stat}, p = {format_value(c.p, 2)} ({who})"
        )
    if parts:
        lines.append("Against the alternatives on the same tail: " + "; ".join(parts) + ".")
    lines.append(f"Why this verdict: {report.reason}.")
    return "\n\n".join(lines)
