"""Model comparison: Vuong's test, the nested likelihood-ratio test and the verdict.

All comparisons use the per-observation log-likelihoods of the power law and an
alternative fitted to the same tail (``x >= xmin``), weighted by the counts of
the frequency table (Clauset, Shalizi & Newman 2009, §5).

* Non-nested alternatives (lognormal, exponential, stretched exponential,
  Poisson): Vuong's normalised log-likelihood ratio ``R / (sigma sqrt(n))`` with
  the two-sided p-value ``erfc(|R| / (sigma sqrt(2 n)))`` (eq. 5.4), ``sigma``
  the (population) standard deviation of the per-observation differences.
  Positive favours the power law.
* Nested alternative (power law with cut-off): the raw ratio ``R`` (never
  positive at the maximum) and the chi-square p-value with 1 degree of freedom
  of ``-2 R``, as printed in Table 6.2. Because the null value ``lambda = 0`` lies
  on the boundary of the parameter space, the asymptotic law of ``-2 R`` is the
  50:50 mixture of chi-square(0) and chi-square(1) (Self & Liang 1987), whose
  p-value is half the printed one; it is reported as ``p_boundary``. The paper's
  ``p`` is the conservative one and the verdict uses it, as the paper does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from ..formatting import format_fixed, format_p_value, format_value
from ..results import Result

#: Significance threshold used by Clauset et al. for p-values (GoF and comparisons).
THRESHOLD = 0.1

#: The verdicts of Table 6.2.
VERDICTS = ("good", "moderate", "with cut-off", "none")


@dataclass(frozen=True)
class Comparison(Result):
    """Power law against one alternative on the same tail.

    Attributes
    ----------
    alternative
        Machine name of the alternative family.
    lr
        Log-likelihood ratio ``R = sum(log p_pl - log p_alt)``; positive favours the
        power law.
    normalized
        Vuong's ``R / (sigma sqrt(n))``.
    p
        Two-sided Vuong p-value (non-nested) or chi-square(1) p-value (nested).
    nested
        Whether the alternative nests the power law (the cut-off).
    p_boundary
        For the nested test, the boundary-corrected p-value (half of ``p``).
    """

    alternative: str
    lr: float
    normalized: float
    p: float
    nested: bool
    p_boundary: float | None = None

    @property
    def favours(self) -> str:
        """``"power law"``, the alternative's name, or ``"neither"`` (p >= 0.1)."""
        if self.p >= THRESHOLD:
            return "neither"
        return "power law" if self.lr > 0 else self.alternative

    def summary(self) -> pd.DataFrame:
        """One row."""
        return pd.DataFrame(
            [
                {
                    "alternative": self.alternative,
                    "LR": self.lr,
                    "normalized R": self.normalized,
                    "p": self.p,
                    "nested": self.nested,
                    "favours": self.favours,
                }
            ]
        ).set_index("alternative")

    def to_dict(self) -> dict[str, object]:
        """The fields plus ``favours``."""
        out = super().to_dict()
        out["favours"] = self.favours
        return out


def compare_loglik(
    name: str,
    logp_power_law: np.ndarray,
    logp_alternative: np.ndarray,
    counts: np.ndarray,
    *,
    nested: bool = False,
) -> Comparison:
    """Compare per-row log-likelihoods of a frequency table (see the module docstring)."""
    d = np.asarray(logp_power_law, dtype=float) - np.asarray(logp_alternative, dtype=float)
    w = np.asarray(counts, dtype=float)
    n = w.sum()
    lr = float(np.sum(w * d))
    mean = lr / n
    sigma = float(np.sqrt(np.sum(w * (d - mean) ** 2) / n))
    normalized = lr / (sigma * np.sqrt(n)) if sigma > 0 else 0.0
    if nested:
        stat = max(-2.0 * lr, 0.0)
        p = float(stats.chi2.sf(stat, 1)) if stat > 0 else 1.0
        return Comparison(name, lr, normalized, p, True, 0.5 * p)
    p = float(special.erfc(abs(normalized) / np.sqrt(2.0)))
    return Comparison(name, lr, normalized, p, False)


def _name(comparison: Comparison) -> str:
    """An alternative family's name in words (``lognormal``, ``stretched exponential``)."""
    return comparison.alternative.replace("_", " ")


def verdict(
    gof_p: float | None, comparisons: list[Comparison], threshold: float = THRESHOLD
) -> tuple[str, str]:
    """The paper's support for the power law, and the reason, from the numbers.

    Rules (reproducing every row of Table 6.2):

    1. ``"with cut-off"``: the cut-off is significantly better (``R < 0``, ``p < threshold``);
    2. ``"none"``: the goodness-of-fit p is below ``threshold``, or a non-nested
       alternative is significantly better;
    3. ``"good"``: every non-nested alternative has ``R > 0``;
    4. ``"moderate"``: otherwise (some alternative fits about as well).

    When the goodness-of-fit test was not run (``gof_p is None``) rule 2 uses the
    comparisons only and the reason says so.

    Returns
    -------
    tuple of str
        ``(verdict, reason)``; ``reason`` is one sentence built from the numbers.
    """
    cutoff = [c for c in comparisons if c.nested]
    others = [c for c in comparisons if not c.nested]
    gof_text = "not tested" if gof_p is None else f"p = {format_fixed(gof_p, 2)}"
    for c in cutoff:
        if c.lr < 0 and c.p < threshold:
            return (
                "with cut-off",
                "the power law with exponential cut-off fits significantly better (LR = "
                f"{format_value(c.lr, 3)}, {format_p_value(c.p)}); goodness of fit {gof_text}",
            )
    if gof_p is not None and gof_p < threshold:
        return (
            "none",
            f"the power law is ruled out by the goodness-of-fit test (p = {format_fixed(gof_p, 2)} "
            f"< {threshold})",
        )
    better = [c for c in others if c.lr < 0 and c.p < threshold]
    if better:
        names = ", ".join(
            f"{_name(c)} (R = {format_value(c.normalized, 3)}, {format_p_value(c.p)})"
            for c in better
        )
        return "none", f"significantly better alternative(s): {names}"
    close = [c for c in others if c.lr <= 0]
    if not close:
        return (
            "good",
            f"power law plausible (goodness of fit {gof_text}) and favoured over every alternative",
        )
    names = ", ".join(
        f"{_name(c)} (R = {format_value(c.normalized, 3)}, {format_p_value(c.p)})" for c in close
    )
    return (
        "moderate",
        f"power law plausible (goodness of fit {gof_text}) but not distinguishable from {names}",
    )
