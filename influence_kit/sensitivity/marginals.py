"""Probability distributions of the model inputs, as used by Monte Carlo and Sobol.

A scenario :class:`~influence_kit.scenarios.Quantity` may carry a
:class:`~influence_kit.scenarios.Distribution`; parameters it does not give come
from the quantity's ``low``/``base``/``high`` (see the Distribution docstring).
:func:`marginal` turns the pair into a :class:`Marginal`, which offers

* ``sample(rng, n)``: fast direct draws (numpy's samplers; used by Monte Carlo);
* ``ppf(u)``: the inverse CDF of uniform numbers (used by Sobol, so any
  distribution can be mapped onto SALib's unit-hypercube samples);
* ``mean``/``var``/``second_moment`` (used by the analytic Sobol indices).

Kinds map to builder functions through :data:`BUILDERS` (no dispatch on names).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError
from scipy import stats

from ..errors import ParameterError
from ..formatting import format_value
from ..scenarios import Distribution, Quantity

#: Standard-normal quantile used for "low/high at the 5th/95th percentiles" (lognormal).
Z95 = float(stats.norm.ppf(0.95))

#: The divisor the scenario docstring documents for a normal without ``sd``: 2 x 1.645.
NORMAL_RANGE_Z = 1.645

#: Uniform numbers are clipped into [U_EPS, 1 - U_EPS] before the inverse CDF so that
#: unbounded distributions never return infinities.
U_EPS = 1e-12

Sampler = Callable[[np.random.Generator, int], np.ndarray]


@dataclass(frozen=True)
class Marginal:
    """One input's distribution.

    Attributes
    ----------
    name
        Input key (as in :func:`influence_kit.accounting.model_inputs`).
    kind
        ``uniform``, ``triangular``, ``pert``, ``lognormal``, ``normal`` or ``fixed``.
    params
        The resolved parameters (for display and JSON).
    frozen
        The equivalent :mod:`scipy.stats` frozen distribution (``None`` for fixed).
    base
        The quantity's base value (the value of a fixed input).
    """

    name: str
    kind: str
    params: dict[str, float]
    frozen: Any
    base: float
    _sampler: Sampler

    @property
    def varies(self) -> bool:
        """Whether the input is random (every kind but ``fixed``)."""
        return self.frozen is not None

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values with ``rng`` (numpy's direct samplers; fast)."""
        return self._sampler(rng, n)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF of uniform numbers ``u`` in [0, 1]."""
        u = np.asarray(u, dtype=float)
        if self.frozen is None:
            return np.full(u.shape, self.base)
        return np.asarray(self.frozen.ppf(np.clip(u, U_EPS, 1.0 - U_EPS)), dtype=float)

    @property
    def mean(self) -> float:
        """Mean of the distribution."""
        return self.base if self.frozen is None else float(self.frozen.mean())

    @property
    def var(self) -> float:
        """Variance of the distribution."""
        return 0.0 if self.frozen is None else float(self.frozen.var())

    @property
    def second_moment(self) -> float:
        """E[X^2] = Var X + (E X)^2."""
        return self.var + self.mean**2

    def describe(self) -> str:
        """Short text such as ``pert(low=50, mode=150, high=1000, lamb=4)``."""
        inner = ", ".join(f"{k}={format_value(v, 4)}" for k, v in self.params.items())
        return f"{self.kind}({inner})"


def _bounds(q: Quantity) -> tuple[float, float, float]:
    """``(low, base, high)`` of a validated quantity (its distribution's needs are checked)."""
    low, high = q.range
    return low, float(q.base), high


def _uniform(name: str, q: Quantity, d: Distribution) -> Marginal:
    low, base, high = _bounds(q)
    return Marginal(
        name,
        "uniform",
        {"low": low, "high": high},
        stats.uniform(loc=low, scale=high - low),
        base,
        lambda rng, n: rng.uniform(low, high, n),
    )


def _triangular(name: str, q: Quantity, d: Distribution) -> Marginal:
    low, base, high = _bounds(q)
    c = (base - low) / (high - low)
    return Marginal(
        name,
        "triangular",
        {"low": low, "mode": base, "high": high},
        stats.triang(c, loc=low, scale=high - low),
        base,
        lambda rng, n: rng.triangular(low, base, high, n),
    )


def _pert(name: str, q: Quantity, d: Distribution) -> Marginal:
    low, base, high = _bounds(q)
    lamb = float(d.lamb)
    width = high - low
    a = 1.0 + lamb * (base - low) / width
    b = 1.0 + lamb * (high - base) / width
    return Marginal(
        name,
        "pert",
        {"low": low, "mode": base, "high": high, "lamb": lamb},
        stats.beta(a, b, loc=low, scale=width),
        base,
        lambda rng, n: low + width * rng.beta(a, b, n),
    )


def _lognormal(name: str, q: Quantity, d: Distribution) -> Marginal:
    base = float(q.base)
    low, high = q.range
    if d.sigma is not None:
        sigma = float(d.sigma)
    else:
        s_low = math.log(base / low) / Z95
        s_high = math.log(high / base) / Z95
        sigma = math.sqrt(s_low * s_high)
    mu = math.log(base)
    return Marginal(
        name,
        "lognormal",
        {"median": base, "sigma": sigma},
        stats.lognorm(sigma, scale=base),
        base,
        lambda rng, n: rng.lognormal(mu, sigma, n),
    )


def _normal(name: str, q: Quantity, d: Distribution) -> Marginal:
    """A normal around the base, truncated at zero.

    Every model input is a non-negative count, share or rate, so the normal's mass below
    zero is cut off (scipy's ``truncnorm``) rather than drawn: a wide normal can no longer
    produce negative impressions. Draws use the inverse CDF, so they stay seeded.
    """
    base = float(q.base)
    low, high = q.range
    sd = float(d.sd) if d.sd is not None else (high - low) / (2 * NORMAL_RANGE_Z)
    frozen = stats.truncnorm(-base / sd, np.inf, loc=base, scale=sd)
    return Marginal(
        name,
        "normal",
        {"mean": base, "sd": sd, "lower": 0.0},
        frozen,
        base,
        lambda rng, n: np.asarray(frozen.ppf(rng.random(n)), dtype=float),
    )


def _fixed(name: str, q: Quantity, d: Distribution) -> Marginal:
    base = float(q.base)
    return Marginal(name, "fixed", {"value": base}, None, base, lambda rng, n: np.full(n, base))


#: Distribution kind -> function building a :class:`Marginal` from (name, quantity, dist).
BUILDERS: dict[str, Callable[[str, Quantity, Distribution], Marginal]] = {
    "uniform": _uniform,
    "triangular": _triangular,
    "pert": _pert,
    "lognormal": _lognormal,
    "normal": _normal,
    "fixed": _fixed,
}


def as_distribution(name: str, spec: Distribution | Mapping[str, Any] | str) -> Distribution:
    """Validate a distribution given as a model, a mapping or a kind name.

    Raises
    ------
    ParameterError
        If the kind is unknown or a parameter is invalid (message names ``name``).
    """
    if isinstance(spec, Distribution):
        return spec
    data: Any = {"kind": spec} if isinstance(spec, str) else dict(spec)
    try:
        return Distribution.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        msg = first["msg"]
        if first["type"] == "literal_error":
            msg = f"unknown kind {data.get('kind')!r}; choose one of {', '.join(BUILDERS)}"
        raise ParameterError(f"input {name}: distribution {loc}: {msg}") from None


def marginal(
    name: str, quantity: Quantity, distribution: Distribution | Mapping[str, Any] | str | None
) -> Marginal:
    """Build the :class:`Marginal` of one input.

    Parameters
    ----------
    name
        Input key, used in error messages.
    quantity
        The scenario quantity (supplies low/base/high).
    distribution
        The distribution (``None`` means fixed at ``base``).

    Raises
    ------
    ParameterError
        If the distribution's parameters are invalid for this quantity (a distribution
        other than the quantity's own is checked by :class:`Quantity`'s validation, the
        same checks a scenario file gets).
    """
    dist = as_distribution(name, distribution if distribution is not None else "fixed")
    if dist is not quantity.distribution:
        quantity = _with_distribution(name, quantity, dist)
    return BUILDERS[dist.kind](name, quantity, dist)


def _with_distribution(name: str, quantity: Quantity, dist: Distribution) -> Quantity:
    """``quantity`` with ``dist``, validated by :class:`Quantity` (which checks the pair)."""
    fields = quantity.model_dump(exclude={"distribution"})
    try:
        return Quantity.model_validate({**fields, "distribution": dist})
    except ValidationError as err:
        msg = str(err.errors()[0]["msg"]).removeprefix("Value error, ")
        raise ParameterError(f"input {name}: {msg}") from None
