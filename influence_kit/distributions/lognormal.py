"""The lognormal law truncated to ``x >= xmin``.

Continuous: density ``phi((log x - mu) / sigma) / (x sigma)`` divided by
``P(X >= xmin)``. Discrete: the mass of each integer is the continuous
probability of ``[x, x + 1)``, normalised over ``x >= xmin`` (a discretised
lognormal; it is exactly normalised and avoids the bias of fitting a continuous
density to integers). ``mu`` may be negative and large in magnitude: a truncated
lognormal with a very negative ``mu`` and large ``sigma`` mimics a power law.

``Lognormal(0.0)`` (continuous, ``xmin = 0``) is the untruncated lognormal, whose
frozen law has the closed-form concentration ``S(p) = Phi(sigma + Phi^-1(p))``,
``Gini = 2 Phi(sigma / sqrt 2) - 1``. Truncated, ``S(p) = Phi(sigma - z_p) /
Phi(sigma - z_min)`` with ``z = (log x - mu) / sigma`` at the top-``p`` threshold
and at ``xmin``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ..errors import ParameterError
from ..validation import SeedLike
from ._base import Family, FloatArray, check_table, log_diff_exp
from .frozen import FrozenFamily, check_fractions

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


def _z(x: ArrayLike, mu: float, sigma: float) -> FloatArray:
    with np.errstate(divide="ignore"):
        return (np.log(np.asarray(x, dtype=float)) - mu) / sigma


def log_normal_interval(a: FloatArray, b: FloatArray) -> FloatArray:
    """``log(Phi(b) - Phi(a))`` for ``a < b``, accurate in both tails."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    upper = a > 0
    right = log_diff_exp(special.log_ndtr(-a), special.log_ndtr(-b))
    left = log_diff_exp(special.log_ndtr(b), special.log_ndtr(a))
    return np.where(upper, right, left)


def discretised_isf(continuous: FloatArray, xmin: float) -> FloatArray:
    """``isf`` of a discretised law with ``P(X >= k) = C(k)`` from ``C^-1(q)``.

    The smallest integer ``x`` with ``P(X > x) = C(x + 1) <= q`` is ``ceil(C^-1(q)) - 1``.
    """
    return np.maximum(np.ceil(continuous) - 1.0, xmin)


class FrozenLognormal(FrozenFamily):
    """A lognormal law at fixed ``mu`` and ``sigma``, conditioned on ``x >= xmin``."""

    def __init__(self, family: Family, params: ArrayLike) -> None:
        super().__init__(family, params)
        if not self.params[1] > 0:
            raise ParameterError(f"lognormal sigma must be positive, got {self.params[1]:g}")

    @property
    def sigma(self) -> float:
        """Log-scale standard deviation."""
        return float(self.params[1])

    @property
    def mu(self) -> float:
        """Log-scale mean."""
        return float(self.params[0])

    @property
    def parameters(self) -> dict[str, float]:
        """``mu``, ``sigma`` and (when truncated) ``xmin``."""
        out = {"mu": self.mu, "sigma": self.sigma}
        if self.xmin > 0:
            out["xmin"] = self.xmin
        return out

    def _z_min(self) -> float:
        return float(_z(self.xmin, self.mu, self.sigma))

    def _closed_form_isf(self, q: FloatArray) -> FloatArray:
        log_norm = special.log_ndtr(-self._z_min())
        with np.errstate(divide="ignore"):
            z = -special.ndtri(np.exp(np.log(q) + log_norm))
        return np.exp(self.mu + self.sigma * z)

    def isf(self, q: ArrayLike) -> FloatArray:
        """Closed form: ``exp(mu - sigma Phi^-1(q Phi(-z_min)))`` (discretised if discrete)."""
        x = self._closed_form_isf(np.asarray(q, dtype=float))
        return discretised_isf(x, self.xmin) if self.discrete else x

    def rvs(self, size: int | tuple[int, ...] = 1, random_state: SeedLike = None) -> FloatArray:
        """Draw by inversion."""
        rng = np.random.default_rng(random_state)
        return self.isf(1.0 - rng.random(size))

    def sf(self, x: ArrayLike) -> FloatArray:
        """``P(X > x)``."""
        x = np.asarray(x, dtype=float)
        if self.xmin > 0 or self.discrete:
            return super().sf(x)
        with np.errstate(divide="ignore"):
            return special.ndtr(-_z(np.maximum(x, 0.0), self.mu, self.sigma))

    def logpdf(self, x: ArrayLike) -> FloatArray:
        """Log density or log mass; ``-inf`` outside the support."""
        x = np.asarray(x, dtype=float)
        if self.xmin > 0 or self.discrete:
            return super().logpdf(x)
        safe = np.where(x > 0, x, 1.0)
        out = self.family.logpdf(safe, self.params)
        return np.where(x > 0, out, -np.inf)

    def mean(self) -> float:
        """``exp(mu + sigma^2 / 2) Phi(sigma - z_min) / Phi(-z_min)`` (continuous)."""
        if self.discrete:
            return super().mean()
        z0 = self._z_min()
        return float(
            np.exp(
                self.mu
                + 0.5 * self.sigma**2
                + special.log_ndtr(self.sigma - z0)
                - special.log_ndtr(-z0)
            )
        )

    def top_share(self, p: ArrayLike) -> FloatArray:
        """``Phi(sigma + Phi^-1(p))`` untruncated; ``Phi(sigma - z_p) / Phi(sigma - z_min)``."""
        if self.discrete:
            return super().top_share(p)
        p = check_fractions(p, "p")
        if self.xmin == 0:
            return special.ndtr(self.sigma + special.ndtri(p))
        z_p = (np.log(self._closed_form_isf(p)) - self.mu) / self.sigma
        z0 = self._z_min()
        return np.exp(special.log_ndtr(self.sigma - z_p) - special.log_ndtr(self.sigma - z0))

    def fraction_for_share(self, q: ArrayLike) -> FloatArray:
        """``Phi(Phi^-1(q) - sigma)`` untruncated; numerical otherwise."""
        if self.discrete or self.xmin > 0:
            return super().fraction_for_share(q)
        return special.ndtr(special.ndtri(check_fractions(q, "q")) - self.sigma)

    def gini(self) -> float:
        """``2 Phi(sigma / sqrt 2) - 1`` untruncated; numerical otherwise."""
        if self.discrete or self.xmin > 0:
            return super().gini()
        return float(2.0 * special.ndtr(self.sigma / np.sqrt(2.0)) - 1.0)


class Lognormal(Family):
    """Lognormal law above ``xmin`` (parameters ``mu``, ``sigma > 0``)."""

    name: ClassVar[str] = "lognormal"
    label: ClassVar[str] = "lognormal"
    param_names: ClassVar[tuple[str, ...]] = ("mu", "sigma")
    allows_zero_xmin: ClassVar[bool] = True

    frozen_class: ClassVar[type[FrozenFamily]] = FrozenLognormal

    def _z(self, x: ArrayLike, mu: float, sigma: float) -> FloatArray:
        return _z(x, mu, sigma)

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

        def to_natural(u: FloatArray) -> FloatArray:
            return np.array([u[0] * scale, np.exp(u[1])])

        def from_natural(p: FloatArray) -> FloatArray:
            return np.array([p[0] / scale, np.log(p[1])])

        best: FloatArray | None = None
        best_ll = -np.inf
        for mu_shift, sigma_mult in ((0.0, 1.0), (-2.0, 2.0), (-8.0, 3.0)):
            s0 = np.array([start[0] + mu_shift * scale, start[1] * sigma_mult])
            p = self._maximise(v, c, s0, to_natural, from_natural)
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
