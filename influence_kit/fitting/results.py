"""Results objects of the fitting code (frozen dataclasses mixing in :class:`Result`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..results import Result, to_jsonable
from ..tables import ValueTable
from .compare import Comparison
from .xmin import XminScan


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

    def summary(self) -> pd.DataFrame:
        """One row per parameter: estimate and standard error."""
        return pd.DataFrame(
            {"estimate": self.params, "std. error": self.se},
        ).rename_axis(f"{self.family} (xmin={self.xmin:g}, n_tail={self.n_tail})")

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
                f"{v:,}"
                if isinstance(v, int) and not isinstance(v, bool)
                else ("yes" if v else "no")
                if isinstance(v, bool)
                else _fmt(v, 6)
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

    def summary(self) -> pd.DataFrame:
        """Standard deviation and 95% percentile interval of each quantity."""
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

    def concentration_model(self) -> Any:
        """The fitted distribution for concentration measures: the fitted power-law tail
        above x_min joined to the empirical body below it (zeros included).

        The tail is the continuous power law with the fitted ``alpha`` and ``x_min``
        (for integer data its continuous counterpart, which has the same tail
        shares to order 1/x_min). Its top shares need a finite mean (alpha > 2).
        Use with :mod:`influence_kit.concentration` (``as_model(report)``).

        Raises
        ------
        ParameterError
            alpha <= 2 (infinite mean), or no positive values below x_min.
        """
        from ..concentration import IsfModel, SplicedModel

        pl, t = self.power_law, self.table
        if pl.alpha <= 2.0:
            raise ParameterError(
                f"the fitted tail has alpha = {pl.alpha:.4g} <= 2: its mean is infinite, so "
                "top shares are not defined"
            )
        below = t.values < pl.xmin
        if not below.any():
            raise ParameterError(
                "no positive values below x_min: the data are all tail; use the tail alone"
            )
        # The body keeps the zeros (people with nothing).
        body = t.below(pl.xmin)
        xmin, alpha = float(pl.xmin), float(pl.alpha)
        tail = IsfModel(
            lambda s: xmin * np.power(s, -1.0 / (alpha - 1.0)),
            name="power law",
            params={"alpha": alpha, "xmin": xmin},
        )
        fraction = pl.n_tail / (t.n + t.n_zeros)
        return SplicedModel(body=body, tail=tail, tail_fraction=fraction, name="fitted tail + body")

    def comparison(self, alternative: str) -> Comparison:
        """The comparison against ``alternative`` (a family name)."""
        for c in self.comparisons:
            if c.alternative == alternative:
                return c
        raise KeyError(alternative)

    def describe(self) -> str:
        """The verdict explained in Markdown prose computed from the numbers."""
        return describe_report(self)

    def key_figures(self) -> pd.DataFrame:
        """The headline figures as text rounded to 4 significant digits (stable display)."""
        pl = self.power_law
        rows = [
            ("observations (positive)", f"{pl.n:,}"),
            ("zeros (not fitted)", f"{pl.n_zeros:,}"),
            ("data type", "discrete" if pl.discrete else "continuous"),
            ("x_min", _fmt(pl.xmin)),
            ("alpha", f"{_fmt(pl.alpha)} ± {_fmt(pl.alpha_se, 2)}"),
            ("n_tail", f"{pl.n_tail:,}"),
            ("KS distance", _fmt(pl.ks, 3)),
            ("goodness-of-fit p", "not run" if self.gof is None else f"{self.gof.p:.3f}"),
            ("verdict", self.verdict),
        ]
        return pd.DataFrame(rows, columns=["figure", "value"]).set_index("figure")

    def summary(self) -> pd.DataFrame:
        """One row per family: parameters, log-likelihood, AIC, and the comparison."""
        rows = []
        pl = self.power_law
        rows.append(
            {
                "family": "power_law",
                "parameters": f"alpha={pl.alpha:.4g}",
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
                    "parameters": ", ".join(f"{k}={v:.4g}" for k, v in fit.params.items()),
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


def _fmt(value: float, digits: int = 4) -> str:
    return f"{value:,.{digits}g}"


def describe_report(report: HeavyTailReport) -> str:
    """Markdown prose explaining a :class:`HeavyTailReport` from its numbers."""
    pl = report.power_law
    share = pl.n_tail / pl.n
    kind = "discrete (exact zeta normalisation)" if pl.discrete else "continuous"
    how = "fixed by the user" if pl.xmin_fixed else "chosen by minimising the KS distance"
    lines = [
        f"**Verdict: {report.verdict}.** The {kind} power law fitted above "
        f"x_min = {_fmt(pl.xmin)} ({how}) covers {pl.n_tail:,} of the {pl.n:,} positive "
        f"observations ({share:.1%}), with α = {_fmt(pl.alpha)} ± {_fmt(pl.alpha_se, 2)} "
        f"and KS distance {_fmt(pl.ks, 3)}."
        + (f" {pl.n_zeros:,} zeros are counted but not fitted." if pl.n_zeros else ""),
    ]
    if report.gof is not None:
        g = report.gof
        plaus = (
            "so a power law is a plausible description of the tail"
            if g.p >= 0.1
            else "so the power law is ruled out as a description of the tail (p < 0.1)"
        )
        lines.append(
            f"The goodness-of-fit bootstrap ({g.replicates:,} synthetic data sets) gives "
            f"p = {g.p:.2f} ± {g.p_se:.2f}, {plaus}."
        )
    else:
        lines.append("The goodness-of-fit bootstrap was not run, so plausibility is untested.")
    if report.uncertainty is not None:
        u = report.uncertainty
        lines.append(
            f"Bootstrap standard deviations ({u.replicates} resamples): x_min ± "
            f"{_fmt(u.xmin_sd, 3)}, α ± {_fmt(u.alpha_sd, 2)}, n_tail ± {_fmt(u.n_tail_sd, 3)}."
        )
    parts = []
    for c in report.comparisons:
        stat = f"LR = {_fmt(c.lr, 3)}" if c.nested else f"R = {_fmt(c.normalized, 3)}"
        who = {"neither": "neither is favoured", "power law": "the power law is favoured"}.get(
            c.favours, f"the {c.alternative.replace('_', ' ')} is favoured"
        )
        parts.append(f"{c.alternative.replace('_', ' ')}: {stat}, p = {c.p:.2g} ({who})")
    if parts:
        lines.append("Against the alternatives on the same tail: " + "; ".join(parts) + ".")
    lines.append(f"Why this verdict: {report.reason}.")
    return "\n\n".join(lines)
