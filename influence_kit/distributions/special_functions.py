"""Special functions shared by the distributions (one implementation each).

:func:`log_upper_gamma` is the one upper incomplete gamma integral of the package:
the power law with cut-off uses it for its normaliser, its survival function and
its partial means, for any real (also negative) first argument.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable
from typing import Any

from scipy import integrate

from ..formatting import format_value

logger = logging.getLogger(__name__)


def quad(func: Callable[[float], float], a: float, b: float, **kwargs: Any) -> float:
    """:func:`scipy.integrate.quad` with its accuracy warnings sent to the debug log.

    The tolerances asked for (relative 1e-10 or so) are far below what results are
    reported to; a warning that they were not quite met is logged, not printed.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", integrate.IntegrationWarning)
        value, _ = integrate.quad(func, a, b, **kwargs)
    for w in caught:
        logger.debug(
            "quadrature on [%s, %s]: %s",
            format_value(a),
            format_value(b),
            str(w.message).split("\n")[0],
        )
    return float(value)


def log_upper_gamma(s: float, z: float) -> float:
    """``log Gamma(s, z) = log int_z^inf t^(s-1) exp(-t) dt`` for ``z > 0`` and any real ``s``.

    With ``t = z (1 + v)`` the integral is ``z^s exp(-z) int_0^inf (1+v)^(s-1) exp(-z v) dv``;
    for ``z >= 1`` the integral is taken in ``w = z v`` (order one), for ``z < 1`` in
    ``u = log(1 + v)`` on a finite range, so adaptive quadrature is accurate (relative
    ~1e-10) for negative ``s`` too, where :func:`scipy.special.gammaincc` is not defined.

    Examples
    --------
    >>> from scipy import special
    >>> round(log_upper_gamma(2.5, 0.7), 10) == round(
    ...     math.log(special.gammaincc(2.5, 0.7) * special.gamma(2.5)), 10)
    True
    """
    if not z > 0:
        raise ValueError(f"log_upper_gamma needs z > 0, got {z!r}")
    if z >= 1.0:

        def scaled(w: float) -> float:
            return (1.0 + w / z) ** (s - 1.0) * math.exp(-w)

        value = quad(scaled, 0.0, math.inf, epsabs=0.0, epsrel=1e-11, limit=200) / z
    else:
        # v = e^u - 1: the integrand exp(s u - z (e^u - 1)) is negligible beyond u_max.
        u_max = math.log1p((abs(s) + 750.0) / z)
        peak = math.log1p(max(s, 0.0) / z)

        def f(u: float) -> float:
            return math.exp(s * u - z * math.expm1(u))

        points = [peak] if 0.0 < peak < u_max else None
        value = quad(f, 0.0, u_max, epsabs=0.0, epsrel=1e-11, limit=400, points=points)
    if value <= 0.0:
        return -math.inf
    return s * math.log(z) - z + math.log(value)
