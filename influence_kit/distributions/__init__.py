"""Heavy-tailed distribution families fitted above a lower cut-off ``xmin``.

One module per family, each with continuous and discrete versions (discrete ones
normalised over the integers ``>= xmin``): pdf, cdf, ccdf (``P(X >= x)``),
log-likelihood of a ``(values, counts)`` frequency table, maximum likelihood and
sampling with a :class:`numpy.random.Generator`.

======================  =============================================  ==============
family                  form above ``xmin``                            parameters
======================  =============================================  ==============
:class:`PowerLaw`       ``x^(-alpha)``                                 alpha
:class:`Lognormal`      ``exp(-(log x - mu)^2 / (2 sigma^2)) / x``     mu, sigma
:class:`Exponential`    ``exp(-lambda x)``                             lambda
:class:`StretchedExponential`  ``x^(beta-1) exp(-lambda x^beta)``      lambda, beta
:class:`PowerLawCutoff` ``x^(-alpha) exp(-lambda x)``                  alpha, lambda
:class:`Poisson`        ``mu^x / x!`` (discrete only)                  mu
======================  =============================================  ==============
"""

from __future__ import annotations

from ._base import Family
from .exponential import Exponential
from .lognormal import Lognormal
from .poisson import Poisson
from .power_law import PowerLaw
from .power_law_cutoff import PowerLawCutoff
from .stretched_exponential import StretchedExponential

#: Every family by its machine name.
FAMILIES: dict[str, type[Family]] = {
    cls.name: cls
    for cls in (PowerLaw, Lognormal, Exponential, StretchedExponential, PowerLawCutoff, Poisson)
}

__all__ = [
    "FAMILIES",
    "Exponential",
    "Family",
    "Lognormal",
    "Poisson",
    "PowerLaw",
    "PowerLawCutoff",
    "StretchedExponential",
]
