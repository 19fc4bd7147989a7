"""Heavy-tailed distribution families fitted above a lower cut-off ``xmin``, and frozen laws.

One module per family, each with continuous and discrete versions (discrete ones
normalised over the integers ``>= xmin``): pdf, cdf, ccdf (``P(X >= x)``, the
quantity of Clauset et al.), log-likelihood of a ``(values, counts)`` frequency
table, maximum likelihood and sampling with a :class:`numpy.random.Generator`.

==============================  =============================================  ==============
family                          form above ``xmin``                            parameters
==============================  =============================================  ==============
:class:`PowerLaw`               ``x^(-alpha)``                                 alpha
:class:`Lognormal`              ``exp(-(log x - mu)^2 / (2 sigma^2)) / x``     mu, sigma
:class:`Exponential`            ``exp(-lambda x)``                             lambda
:class:`StretchedExponential`   ``x^(beta-1) exp(-lambda x^beta)``             lambda, beta
:class:`PowerLawCutoff`         ``x^(-alpha) exp(-lambda x)``                  alpha, lambda
:class:`Poisson`                ``mu^x / x!`` (discrete only)                  mu
==============================  =============================================  ==============

Frozen laws
-----------
``family.freeze(*params)`` fixes the parameters and returns a
:class:`FrozenDistribution` with scipy's interface (``pdf``, ``logpdf``, ``cdf``,
``sf`` = ``P(X > x)``, ``isf``, ``rvs``, ``mean``) and the concentration quantities
``top_share``, ``fraction_for_share`` and ``gini`` (see :mod:`.frozen`). The laws
concentration needs that are not truncated at ``xmin`` are :class:`Pareto` (tail index,
which ``PowerLaw(xmin).freeze(alpha)`` also returns), the untruncated lognormal
``Lognormal(0.0).freeze(mu, sigma)`` and :class:`Weibull`.

``alpha`` is always the density exponent (``p(x) ~ x^-alpha``); the Pareto tail index is
``alpha - 1`` (:func:`tail_index_from_alpha`, :func:`alpha_from_tail_index`).
"""

from __future__ import annotations

from ._base import Family
from .exponential import Exponential, FrozenExponential
from .frozen import (
    ConcentrationModel,
    FrozenDistribution,
    FrozenFamily,
    IsfDistribution,
    invert_top_share,
)
from .lognormal import FrozenLognormal, Lognormal
from .poisson import FrozenPoisson, Poisson
from .power_law import (
    FrozenDiscretePowerLaw,
    Pareto,
    PowerLaw,
    alpha_from_tail_index,
    tail_index_from_alpha,
)
from .power_law_cutoff import FrozenPowerLawCutoff, PowerLawCutoff
from .special_functions import log_upper_gamma
from .stretched_exponential import FrozenStretchedExponential, StretchedExponential, Weibull

#: Every family by its machine name.
FAMILIES: dict[str, type[Family]] = {
    cls.name: cls
    for cls in (PowerLaw, Lognormal, Exponential, StretchedExponential, PowerLawCutoff, Poisson)
}

__all__ = [
    "FAMILIES",
    "ConcentrationModel",
    "Exponential",
    "Family",
    "FrozenDiscretePowerLaw",
    "FrozenDistribution",
    "FrozenExponential",
    "FrozenFamily",
    "FrozenLognormal",
    "FrozenPoisson",
    "FrozenPowerLawCutoff",
    "FrozenStretchedExponential",
    "IsfDistribution",
    "Lognormal",
    "Pareto",
    "Poisson",
    "PowerLaw",
    "PowerLawCutoff",
    "StretchedExponential",
    "Weibull",
    "alpha_from_tail_index",
    "invert_top_share",
    "log_upper_gamma",
    "tail_index_from_alpha",
]
