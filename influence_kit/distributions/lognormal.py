"""The lognormal law truncated to ``x >= xmin``.

Continuous: density ``phi((log x - mu) / sigma) / (x sigma)`` divided by
``P(X >= xmin)``. Discrete: the mass of each integer is the continuous
probability of ``[x, x + 1)``, normalised over ``x >= xmin`` (a discretised
lognormal; it is exactly normalised and avoids the bias of fitting a continuous
density to integers). ``mu`` may be negative and large in magnitude: a truncated
lognormal with a very negative ``mu`` and large ``sigma`` mimics a power law.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._base import Family, FloatArray, check_table, log_diff_exp

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


def log_normal_interval(a: FloatArray, b: FloatArray) -> FloatArray:
    """``log(Phi(b) - Phi(a))`` for ``a < b``, accurate in both tails."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    upper = a > 0
    right = log_diff_exp(special.log_ndtr(-a), special.log_ndtr(-b))
    left = log_diff_exp(special.log_ndtr(b), special.log_ndtr(a))
    return np.where(upper, right, left)


class Lognormal(Family):
    """Lognormal law above ``xmin`` (parameters ``mu``, ``sigma > 0``)."""

    name: ClassVar[str] = "lognormal"
    label: ClassVar[str] = "lognormal"
    param_names: ClassVar[tuple[str, ...]] = ("mu", "sigma")

    def _z(self, x: ArrayLike, mu: float, sigma: float) -> FloatArray:
        return (np.log(np.asarray(x, dtype=float)) - mu) / sigma

    def _log_norm(self, mu: float, sigma: float) -> float:
        return float(special.log_ndtr(-self._z(self.xmin, mu, sigma)))

    def logpdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """Log density or log mass."""
        mu, sigma = np.asarray(params, dtype=float)
        x = np.asarray(x, dtype=float)
        if self.discrete:
            mass = log_normal_interval(self._z(x, mu, sigma), self._z(x + 1.0, mu, sigma))
            return mass - self._log_norm(mu, sigma)
        z = self._z(x, mu, sigma)
        return -0.5 * z * z - _LOG_SQRT_2PI - np.log(x * sigma) - self._log_norm(mu, sigma)

    def ccdf(self, x: ArrayLike, params: ArrayLike) -> FloatArray:
        """``P(X >= x)``."""
        mu, sigma = np.asarray(params, dtype=float)
        x = np.maximum(np.asarray(x, dtype=float), self.xmin)
        return np.exp(special.log_ndtr(-self._z(x, mu, sigma)) - self._log_norm(mu, sigma))

    def initial(self, values: FloatArray, counts: FloatArray) -> FloatArray:
        """Moments of ``log x`` (the untruncated fit)."""
        w = counts / counts.sum()
        logs = np.log(values)
        mu = float(np.sum(w * logs))
        sigma = float(np.sqrt(max(np.sum(w * (logs - mu) ** 2), 1e-6)))
        return np.array([mu, sigma])

    def fit(self, values: ArrayLike, counts: ArrayLike) -> FloatArray:
        """Numerical MLE over ``(mu / sigma_0, log sigma)``, best of several starts."""
        v, c = check_table(values, counts)
        start = self.initial(v, c)
        scale = max(start[1], 1e-3)
        best: FloatArray | None = None
        best_ll = -np.inf
        for mu_shift, sigma_mult in ((0.0, 1.0), (-2.0, 2.0), (-8.0, 3.0)):
            s0 = np.array([start[0] + mu_shift * scale, start[1] * sigma_mult])
            p = self._maximise(
                v,
                c,
                s0,
                lambda u, s=scale: np.array([u[0] * s, np.exp(u[1])]),
                lambda p, s=scale: np.array([p[0] / s, np.log(p[1])]),
            )
            ll = self.loglik(v, c, p)
            if ll > best_ll:
                best, best_ll = p, ll
        assert best is not None
        return best

    def sample(self, size: int, params: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Draw ``size`` values above ``xmin`` by inversion of the truncated law."""
        mu, sigma = np.asarray(params, dtype=float)
        log_tail = self._log_norm(mu, sigma)
        u = rng.random(size)
        # P(X >= x) = exp(log_tail) * (1 - u)  ->  log_ndtr(-z) = log_tail + log(1 - u)
        target = log_tail + np.log1p(-u)
        z = -special.ndtri_exp(target)
        x = np.exp(mu + sigma * z)
        x = np.maximum(x, self.xmin)
        return np.floor(x) if self.discrete else x
