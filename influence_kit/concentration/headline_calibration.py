"""Calibrating distribution families to a headline "the top ``p`` hold ``q``".

For a headline, each family has one shape parameter that reproduces it; what the
families then imply elsewhere (the top 1%'s share, the Gini coefficient) differs.
The calibrated laws are frozen distributions of :mod:`influence_kit.distributions`
(their scale is irrelevant to concentration and set to one):

============================  ==================================  ==========================
family (shape parameter)      calibration                         top share S(p)
============================  ==================================  ==========================
Pareto (tail index a > 1)     ``a = 1 / (1 - ln q / ln p)``       ``p ** (1 - 1/a)``
lognormal (sigma)             ``sigma = Phi^-1(q) - Phi^-1(p)``   ``Phi(sigma + Phi^-1(p))``
Weibull (shape k)             root of ``Q(1 + 1/k, -ln p) = q``   ``Q(1 + 1/k, -ln p)``
power law with cut-off        root in ``lambda`` for a given      incomplete gamma ratio
                              density exponent ``alpha``
============================  ==================================  ==========================

The tail index is ``alpha - 1`` of the density exponent a power-law fit reports
(:func:`~influence_kit.distributions.tail_index_from_alpha`). For 16%/80%: tail index
1.139, sigma 1.836, k 0.417, whose top-1% shares differ about 2.6-fold: the headline
does not pin the distribution down.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize, special

from ..distributions import (
    ConcentrationModel,
    FrozenDistribution,
    Lognormal,
    Pareto,
    PowerLawCutoff,
    Weibull,
)
from ..errors import InfluenceKitError, ParameterError
from ..formatting import format_number, format_value
from ..results import Result
from ..validation import check_fractions, check_number

__all__ = [
    "DEFAULT_REFERENCE_TOP",
    "CalibratedFamily",
    "HeadlineCalibration",
    "calibrate_cutoff_power_law",
    "calibrate_lognormal",
    "calibrate_pareto",
    "calibrate_to_headline",
    "calibrate_weibull",
]

#: Top fractions at which :func:`calibrate_to_headline` reports each family's share.
DEFAULT_REFERENCE_TOP: tuple[float, ...] = (0.001, 0.01, 0.05, 0.1, 0.2, 0.5)

#: Parameters that only set the scale (left out of the calibrated shape parameters).
SCALE_PARAMETERS: tuple[str, ...] = ("xmin", "scale", "mu")


def _check_headline(p: float, q: float) -> tuple[float, float]:
    p = float(check_fractions("top fraction p", p)[0])
    q = float(check_fractions("share q", q)[0])
    if q <= p:
        raise ParameterError(
            f"share q ({q!r}) must exceed the top fraction p ({p!r}): the top p always hold "
            "at least p"
        )
    return p, q


def calibrate_pareto(p: float, q: float) -> Pareto:
    """Pareto law with ``S(p) = q``: tail index ``1 / (1 - ln q / ln p)``."""
    p, q = _check_headline(p, q)
    return Pareto(tail_index=1.0 / (1.0 - math.log(q) / math.log(p)))


def calibrate_lognormal(p: float, q: float) -> FrozenDistribution:
    """Untruncated lognormal with ``S(p) = q``: ``sigma = Phi^-1(q) - Phi^-1(p)``."""
    p, q = _check_headline(p, q)
    return Lognormal(0.0).freeze(0.0, float(special.ndtri(q) - special.ndtri(p)))


def calibrate_weibull(p: float, q: float) -> Weibull:
    """Weibull law with ``Q(1 + 1/k, -ln p) = q`` (root finding in ln k)."""
    p, q = _check_headline(p, q)
    z = -math.log(p)

    def gap(log_k: float) -> float:
        return float(special.gammaincc(1.0 + math.exp(-log_k), z)) - q

    lo, hi = math.log(1e-3), math.log(1e3)
    if gap(lo) < 0 or gap(hi) > 0:
        raise ParameterError(
            f"no Weibull shape in [0.001, 1000] puts {format_value(q)} in the top {format_value(p)}"
        )
    return Weibull(k=math.exp(optimize.brentq(gap, lo, hi, xtol=1e-14)))


#: Exponents :func:`calibrate_cutoff_power_law` takes: far beyond any fitted exponent
#: (outside, the cut-off law's quantiles overflow or underflow).
CUTOFF_ALPHA_RANGE: tuple[float, float] = (-20.0, 100.0)


def calibrate_cutoff_power_law(p: float, q: float, alpha: float) -> FrozenDistribution:
    """Power law with density exponent ``alpha`` whose cut-off ``lambda`` gives ``S(p) = q``.

    The law is ``x^-alpha exp(-lambda x)`` on ``x >= 1`` (so ``lambda`` is the
    dimensionless ``lambda xmin``). The cut-off interpolates between a pure power law
    (``lambda -> 0``, the most concentrated) and everyone at ``xmin`` (``lambda -> inf``,
    ``S(p) = p``), so a solution exists when the pure power law with this ``alpha`` is at
    least as concentrated as the headline (always when ``alpha <= 2``).
    """
    p, q = _check_headline(p, q)
    alpha = check_number("alpha", alpha)
    low, high = CUTOFF_ALPHA_RANGE
    if not low <= alpha <= high:
        raise ParameterError(
            f"alpha must lie in [{format_value(low)}, {format_value(high)}] (beyond, the "
            f"cut-off law cannot be computed accurately), got {format_value(alpha)}"
        )
    family = PowerLawCutoff(1.0)

    def gap(log_c: float) -> float:
        return float(family.freeze(alpha, math.exp(log_c)).top_share(p)[0]) - q

    lo, hi = math.log(1e-8), math.log(1e3)
    if not gap(lo) >= 0:  # NaN too: an exponent so large the top share underflows
        raise ParameterError(
            f"a power law with alpha = {format_value(alpha)} is too light-tailed to put "
            f"{format_value(q)} in the top {format_value(p)}, whatever the cutoff"
        )
    return family.freeze(alpha, math.exp(optimize.brentq(gap, lo, hi, xtol=1e-10)))


@dataclass(frozen=True, eq=False)
class CalibratedFamily:
    """One family calibrated to a headline, and what it implies elsewhere.

    Attributes
    ----------
    family
        Family name.
    parameters
        Its shape parameters (scale parameters left out).
    gini
        Its Gini coefficient.
    top_1pct_share
        Share held by the top 1%.
    top_shares
        Share held by each reference top fraction.
    model
        The calibrated distribution (any :class:`ConcentrationModel`).
    """

    family: str
    parameters: dict[str, float]
    gini: float
    top_1pct_share: float
    top_shares: dict[float, float]
    model: ConcentrationModel

    def to_dict(self) -> dict[str, Any]:
        """``{<parameter>: value, ..., "gini", "top_1pct_share", "top_shares"}``."""
        out: dict[str, Any] = dict(self.parameters)
        out["gini"] = self.gini
        out["top_1pct_share"] = self.top_1pct_share
        out["top_shares"] = {format_value(k): v for k, v in self.top_shares.items()}
        return out


@dataclass(frozen=True, eq=False)
class HeadlineCalibration(Result):
    """Each family's parameter implied by "the top ``top`` hold ``share``".

    Attributes
    ----------
    top, share
        The headline.
    families
        One :class:`CalibratedFamily` per family, in the order calibrated.
    curve_top
        Top fractions at which each family's top-share curve is tabulated.
    curves
        Family name -> top-share curve on ``curve_top`` (for plots).
    failed
        Family name -> why it could not reproduce the headline (the others are kept).
    """

    top: float
    share: float
    families: tuple[CalibratedFamily, ...]
    curve_top: np.ndarray
    curves: dict[str, np.ndarray]
    failed: dict[str, str] = dataclasses.field(default_factory=dict)

    def __getitem__(self, family: str) -> CalibratedFamily:
        for fam in self.families:
            if fam.family == family:
                return fam
        raise KeyError(family)

    @property
    def top_1pct_ratio(self) -> float:
        """Largest over smallest top-1% share among the families."""
        values = [f.top_1pct_share for f in self.families]
        return max(values) / min(values)

    def summary(self) -> pd.DataFrame:
        """One row per family: parameters, Gini, top-1% share, reference shares."""
        rows = []
        for fam in self.families:
            row: dict[str, Any] = {
                "family": fam.family,
                "parameters": ", ".join(
                    f"{k}={format_number(v)}" for k, v in fam.parameters.items()
                ),
                "gini": fam.gini,
                "top 1% share": fam.top_1pct_share,
            }
            row.update(
                {f"top {format_value(k)}": v for k, v in fam.top_shares.items() if k != 0.01}
            )
            rows.append(row)
        return pd.DataFrame(rows).set_index("family")

    def to_dict(self) -> dict[str, Any]:
        """``{"top", "share", "top_1pct_ratio", <family>: {...}, ..., "failed": {...}}``."""
        out: dict[str, Any] = {
            "top": self.top,
            "share": self.share,
            "top_1pct_ratio": self.top_1pct_ratio,
        }
        for fam in self.families:
            out[fam.family] = fam.to_dict()
        out["failed"] = dict(self.failed)
        return out


def describe_calibrated(model: ConcentrationModel, reference: ArrayLike) -> CalibratedFamily:
    """What ``model`` implies: shape parameters, Gini and shares at ``reference`` fractions."""
    fractions = check_fractions("reference_top", reference)
    shares = model.top_share(fractions)
    return CalibratedFamily(
        family=model.name,
        parameters={k: v for k, v in model.parameters.items() if k not in SCALE_PARAMETERS},
        gini=float(model.gini()),
        top_1pct_share=float(model.top_share(0.01)[0]),
        top_shares={float(k): float(v) for k, v in zip(fractions, shares, strict=True)},
        model=model,
    )


def calibrate_to_headline(
    top: float,
    share: float,
    *,
    reference_top: Sequence[float] = DEFAULT_REFERENCE_TOP,
    cutoff_alpha: float | None = None,
    extra: Sequence[ConcentrationModel] = (),
    curve_points: int = 121,
) -> HeadlineCalibration:
    """Calibrate Pareto, lognormal and Weibull (optionally more) to "the top p hold q".

    Parameters
    ----------
    top, share
        The headline: the top fraction ``top`` hold a share ``share`` (share > top).
    reference_top
        Top fractions at which every family's share is reported.
    cutoff_alpha
        If given, also calibrate a power law with exponential cutoff with this
        density exponent (solving for its cutoff).
    extra
        Further laws compared as given (any :class:`ConcentrationModel`: a frozen
        distribution, a fitted one, a spliced fitted model); they are not calibrated.
    curve_points
        Points of the tabulated top-share curves (log-spaced from 1e-4).

    Returns
    -------
    HeadlineCalibration

    Examples
    --------
    >>> res = calibrate_to_headline(0.16, 0.80)
    >>> round(res["pareto"].parameters["tail_index"], 3)
    1.139
    >>> round(res["lognormal"].parameters["sigma"], 3)
    1.836
    """
    p, q = _check_headline(top, share)
    reference = check_fractions("reference_top", sorted(set(reference_top) | {0.01}))
    builders: list[tuple[str, Callable[[], ConcentrationModel]]] = [
        ("pareto", lambda: calibrate_pareto(p, q)),
        ("lognormal", lambda: calibrate_lognormal(p, q)),
        ("weibull", lambda: calibrate_weibull(p, q)),
    ]
    if cutoff_alpha is not None:
        # A bad argument is refused here; only a family that cannot fit the headline is skipped.
        alpha = check_number("cutoff_alpha", cutoff_alpha)
        low, high = CUTOFF_ALPHA_RANGE
        if not low <= alpha <= high:
            raise ParameterError(
                f"cutoff_alpha must lie in [{format_value(low)}, {format_value(high)}] "
                "(beyond, the cut-off law cannot be computed accurately), "
                f"got {format_value(alpha)}"
            )
        builders.append(("power_law_cutoff", lambda: calibrate_cutoff_power_law(p, q, alpha)))
    for model in extra:
        if not isinstance(model, ConcentrationModel):
            raise ParameterError(
                f"cannot compute the concentration of a {type(model).__name__}: give a frozen "
                "distribution (or wrap an inverse survival function in IsfDistribution)"
            )
        builders.append(
            (getattr(model, "name", type(model).__name__), functools.partial(_given, model))
        )
    grid = np.geomspace(1e-4, 0.999, curve_points)
    families: list[CalibratedFamily] = []
    curves: dict[str, np.ndarray] = {}
    failed: dict[str, str] = {}
    # One family that cannot reproduce the headline must not hide the others.
    for name, build in builders:
        try:
            model = build()
            fam = describe_calibrated(model, reference)
            curve = np.asarray(model.top_share(grid), dtype=float)
        except InfluenceKitError as exc:
            failed[name] = str(exc)
            continue
        families.append(fam)
        curves[fam.family] = curve
    if not families:
        reasons = "; ".join(f"{k}: {v}" for k, v in failed.items())
        raise ParameterError(f"no family reproduces the headline ({reasons})")
    return HeadlineCalibration(
        top=p, share=q, families=tuple(families), curve_top=grid, curves=curves, failed=failed
    )


def _given(model: ConcentrationModel) -> ConcentrationModel:
    """A model given by the caller, as it is (a builder of :func:`calibrate_to_headline`)."""
    return model
