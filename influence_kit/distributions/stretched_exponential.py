"""The stretched exponential (Weibull) law above ``xmin``.

``P(X >= x) = exp(-lambda (x^beta - xmin^beta))`` for continuous data, with
``lambda, beta > 0``. Internally the rate is expressed relative to ``xmin``
(``mu = lambda xmin^beta``) so the optimiser never sees ``x^beta`` overflow.
Discrete: the mass of each integer is ``P(X >= x) - P(X >= x + 1)`` of the
continuous law, which is exactly normalised over ``x >= xmin``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from ._base import Family, FloatArray, check_table, log_diff_exp


class StretchedExponential(Family):
    """Stretched exponential (Weibull) above ``xmin`` (parameters ``lambda``, ``beta``)."""

    name: ClassVar[str] = "stretched_exponential"
    label: ClassVar[str] = "stretched exponential"
    param_names: ClassVar[tuple[str, ...]] = ("lambda", "beta")

    def _log_ccdf(self, x: FloatArray, lam: float, beta: float) -> FloatArray:
        mu = lam * self.xmin**beta
        return -mu * np.expm1(beta * np.log(x / self.xmin))

    def logpdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Log density or log mass."""
        lam, beta = np.asarray(params, dtype=float)
        x = np.asarray(x, dtype=float)
        if self.discrete:
            return log_diff_exp(self._log_ccdf(x, lam, beta), self._log_ccdf(x + 1.0, lam, beta))
        mu = lam * self.xmin**beta
        t = np.log(x / self.xmin)
        return np.log(mu * beta / self.xmin) + (beta - 1.0) * t - mu * np.expm1(beta * t)

    def ccdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X >= x)``."""
        lam, beta = np.asarray(params, dtype=float)
        x = np.maximum(np.asarray(x, dtype=float), self.xmin)
        return np.exp(self._log_ccdf(x, lam, beta))

    def fit(self, values: ArrayLike, counts: ArrayLike) -> FloatArray:
        """Numerical MLE over ``(log mu, log beta)``, best of several starts."""
        v, c = check_table(values, counts)
        xmin = self.xmin

        def to_natural(u: FloatArray) -> FloatArray:
            beta = np.exp(u[1])
            return np.array([np.exp(u[0]) / xmin**beta, beta])

        def from_natural(p: FloatArray) -> FloatArray:
            return np.array([np.log(p[0] * xmin ** p[1]), np.log(p[1])])

        mean_excess = float(np.sum(c * np.log(v / xmin)) / c.sum())
        best: FloatArray | None = None
        best_ll = -np.inf
        for beta0 in (0.2, 0.5, 1.0):
            mu0 = 1.0 / max(beta0 * mean_excess, 1e-9)
            p = self._maximise(v, c, to_natural(np.log([mu0, beta0])), to_natural, from_natural)
            ll = self.loglik(v, c, p)
            if ll > best_ll:
                best, best_ll = p, ll
        assert best is not None
        return best

    def sample(self, size: int, params: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Draw ``size`` values above ``xmin`` by inversion."""
        lam, beta = np.asarray(params, dtype=float)
        e = rng.exponential(1.0, size)
        x = (self.xmin**beta + e / lam) ** (1.0 / beta)
        return np.floor(x) if self.discrete else x
