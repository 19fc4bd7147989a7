"""Fitting the power law: the ``xmin`` choice, the MLE and its standard error.

:func:`fit_power_law` is the functional entry point; the estimator
:class:`~influence_kit.fitting.estimator.PowerLawFitter` and
:func:`~influence_kit.fitting.fit_all` build on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from ..distributions import PowerLaw
from ..errors import DataError, ParameterError
from ..formatting import format_value
from ..tables import ValueTable, value_table
from .results import PowerLawFit
from .xmin import MIN_TAIL, Ties, XminScan, ks_distance, scan_xmin


@dataclass(frozen=True)
class FitSettings:
    """How the power law is fitted (shared by the data and every bootstrap replicate).

    Attributes
    ----------
    xmin
        Fixed lower cut-off, or ``None`` to choose it by the KS scan.
    xmin_range
        Restrict the scan to candidates in ``[lo, hi]``.
    min_tail
        Fewest observations at or above ``xmin``.
    ties
        Tie handling of the continuous KS distance (``"each"`` or ``"left"``).
    method
        ``"bound"`` or ``"exhaustive"`` KS scan.
    """

    xmin: float | None = None
    xmin_range: tuple[float, float] | None = None
    min_tail: int = MIN_TAIL
    ties: Ties = "each"
    method: Literal["bound", "exhaustive"] = "bound"

    def __post_init__(self) -> None:
        if self.min_tail < 2:
            raise ParameterError(f"min_tail must be at least 2, got {self.min_tail}")
        if self.ties not in ("each", "left"):
            raise ParameterError(f"ties must be 'each' or 'left', got {self.ties!r}")
        if self.xmin is not None and (not np.isfinite(self.xmin) or self.xmin <= 0):
            raise ParameterError(f"xmin must be a positive number, got {self.xmin!r}")


def fit_table(table: ValueTable, settings: FitSettings) -> PowerLawFit:
    """Fit the power law to a validated table (internal; the scan, if any, is ``fit.scan``)."""
    if table.weights is not None:
        raise ParameterError(
            "fitting counts whole observations: give a table without survey weights"
        )
    scan: XminScan | None = None
    if settings.xmin is None:
        scan = scan_xmin(
            table,
            xmin_range=settings.xmin_range,
            min_tail=settings.min_tail,
            ties=settings.ties,
            method=settings.method,
        )
        xmin = float(scan.xmin[scan.best])
    else:
        xmin = float(settings.xmin)
        if xmin > table.values[-1]:
            raise ParameterError(
                f"xmin = {format_value(xmin)} is above the largest value "
                f"{format_value(table.values[-1])}"
            )
        if table.discrete and xmin != np.floor(xmin):
            raise ParameterError(
                f"xmin = {format_value(xmin)} must be an integer for discrete data"
            )
    tail = table.tail(xmin)
    if tail.n < settings.min_tail:
        raise DataError(
            f"only {tail.n} observation(s) at or above xmin = {format_value(xmin)}; at least "
            f"{settings.min_tail} are needed"
        )
    if tail.n_distinct < 2:
        raise DataError(
            f"all {tail.n} observations at or above xmin = {format_value(xmin)} are equal: alpha "
            "is not identifiable"
        )
    family = PowerLaw(xmin, table.discrete)
    if scan is not None:
        alpha = float(scan.alpha[scan.best])
        ks = float(scan.ks[scan.best])
    else:
        alpha = float(family.fit(tail.values, tail.counts)[0])
        ks = ks_distance(table, xmin, alpha, settings.ties)
    se = float(np.sqrt(family.covariance(tail.values, tail.counts, [alpha])[0, 0]))
    fit = PowerLawFit(
        discrete=table.discrete,
        xmin=xmin,
        alpha=alpha,
        alpha_se=se,
        n=table.n,
        n_zeros=table.n_zeros,
        n_tail=tail.n,
        ks=ks,
        loglik=family.loglik(tail.values, tail.counts, [alpha]),
        xmin_fixed=settings.xmin is not None,
        ties=settings.ties,
        scan=scan,
    )
    return fit


def fit_power_law(
    data: ArrayLike | ValueTable,
    counts: ArrayLike | None = None,
    *,
    discrete: bool | None = None,
    scale: float = 1.0,
    xmin: float | None = None,
    xmin_range: tuple[float, float] | None = None,
    min_tail: int = MIN_TAIL,
    ties: Ties = "each",
) -> PowerLawFit:
    """Fit a power law above ``xmin`` (chosen by minimising the KS distance unless given).

    Parameters
    ----------
    data, counts
        Raw values, or histogram values with their counts, or a :class:`ValueTable`.
    discrete
        Exact discrete (Hurwitz zeta) fit; ``None`` infers it from integer data.
    scale
        Multiply the values by this factor first.
    xmin
        Fixed lower cut-off.
    xmin_range
        Restrict the KS scan to ``[lo, hi]``.
    min_tail
        Fewest observations at or above a candidate ``xmin``.
    ties
        Tie handling of the continuous KS distance.

    Examples
    --------
    >>> import numpy as np
    >>> from influence_kit.fitting import fit_power_law
    >>> x = 1.0 / (1.0 - np.random.default_rng(0).random(5000)) ** (1 / 1.5)
    >>> fit = fit_power_law(x)
    >>> round(fit.alpha, 1)
    2.5
    """
    table = value_table(data, counts, discrete=discrete, scale=scale)
    settings = FitSettings(xmin=xmin, xmin_range=xmin_range, min_tail=min_tail, ties=ties)
    return fit_table(table, settings)
