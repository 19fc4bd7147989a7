"""Readers per post in closed form: direct audience, visibility and a branching reshare layer.

The model of one post:

* its author has an audience of ``K`` people (friends or followers), of mean ``A``;
* each of them sees the post with probability ``v`` (the *visibility*: about 35% of
  friends per Facebook status update, Bernstein et al. 2013), so ``v * A`` people read
  it directly on average;
* each audience member reads *and* reshares with a chance ``q`` (``v`` times the reshare
  chance of a reader); a reshare is seen by the resharer's own audience (the new people
  it brings, ``K_e``, times ``rho``: ``resharer_audience_ratio``) and is itself
  reshared, and so on: a Galton-Watson branching process with mean reshares per reshare
  ``m = rho * q * E[K_e]``, subcritical when ``m < 1``.

The chance ``q`` is pinned by the cascade evidence rather than guessed: the share ``p0``
of posts nobody reshares (Goel, Watts & Goldstein 2012) is ``E[(1 - q)^K]`` (binomial
offspring law) or ``E[exp(-q K)]`` (Poisson law) over the authors' audiences, solved for
``q`` (:func:`~influence_kit.audience.distribution.solve_exposure`). The model then
gives, exactly on a tree:

* the mean reshares of a post ``lambda = q * A``;
* expected readers per post ``v * A / (1 - m)``: the *amplification* ``1 / (1 - m) =
  1 + m / (1 - m)`` (readers with reshares over readers without);
* the share of posts whose cascade goes past one step (a reshare of a reshare),
  ``1 - E[(1 - q (1 - s))^K]`` (Poisson: ``1 - E[exp(-q K (1 - s))]``) with ``s`` the
  chance that a reshare is not reshared, to set beside the 1-4% observed.

**Equal audiences** (the default, ``distribution=None``: every ``K = A`` and every
resharer's audience the author's, ``E[K_e] = A``) under the Poisson law give the
original closed form exactly: ``lambda = -ln p0``, ``m = rho * lambda``, amplification
``1 + rho * lambda / (1 - m)``, past one step ``1 - exp(lambda (exp(-m) - 1))``. Under
the binomial law (what :func:`~influence_kit.audience.cascade.simulate_cascades` draws)
equal audiences give ``lambda = A (1 - p0^(1/A))``, which tends to ``-ln p0`` as ``A``
grows: the original form is the Poisson (large-audience) limit.

**Unequal audiences** (:class:`~influence_kit.audience.distribution.AudienceDistribution`):
by Jensen's inequality the same ``p0`` then needs more reshares (``lambda > -ln p0``), and
resharers, reached along links, have the size-biased audiences of the friendship paradox
(``E[K_e] = E[K(K - 1)] / E[K]`` on a friendship graph): on a Barabasi-Albert graph the
equal-audience form misses simulated readers by about a third.

Every function is vectorised over numpy arrays (inputs broadcast), as the sensitivity
analyses evaluate it on whole samples at once.

Examples
--------
>>> import numpy as np
>>> round(float(expected_readers(audience=130, visibility=0.35, no_spread_share=1.0)), 6)
45.5
>>> round(float(amplification(no_spread_share=np.exp(-0.5))), 6)
2.0
>>> from influence_kit.audience.distribution import AudienceDistribution
>>> d = AudienceDistribution.from_sizes([5] * 50 + [15] * 50)
>>> round(float(amplification(0.8, audience=10.0, distribution=d, law="binomial")), 4)
1.3535
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ..errors import ParameterError
from ..formatting import format_value
from .distribution import AudienceDistribution, OffspringLaw, solve_exposure

__all__ = [
    "amplification",
    "expected_readers",
    "mean_offspring",
    "past_one_step_share",
    "reshare_chance",
    "reshare_rate",
]

_LAWS = ("poisson", "binomial")


def _array(name: str, value: ArrayLike, low: float, high: float, *, open_low: bool) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (arr > high) | ((arr <= low) if open_low else (arr < low))
    if np.any(bad):
        first = float(arr[bad].flat[0]) if arr.ndim else float(arr)
        bound = "(" if open_low else "["
        raise ParameterError(
            f"{name} must be in {bound}{format_value(low)}, {format_value(high)}], got "
            f"{format_value(first)}"
        )
    return arr


class _Layer(NamedTuple):
    """The reshare layer of one set of inputs (arrays broadcast together)."""

    lam: np.ndarray  # mean reshares of a post
    m: np.ndarray  # mean reshares of a reshare
    exposure: np.ndarray  # x = y * A, the per-member hazard y times the mean audience
    audience: np.ndarray | None  # the authors' mean audience (None: not needed)
    distribution: AudienceDistribution
    rho: np.ndarray


def _layer(
    no_spread_share: ArrayLike,
    resharer_audience_ratio: ArrayLike,
    audience: ArrayLike | None,
    distribution: AudienceDistribution | None,
    law: OffspringLaw,
    *,
    check: bool = True,
) -> _Layer:
    if law not in _LAWS:
        raise ParameterError(f"law must be one of {', '.join(_LAWS)}, got {law!r}")
    p0 = _array("no_spread_share", no_spread_share, 0.0, 1.0, open_low=True)
    rho = _array("resharer_audience_ratio", resharer_audience_ratio, 0.0, np.inf, open_low=False)
    d = AudienceDistribution.point() if distribution is None else distribution
    needs_audience = law == "binomial" or d.back_links > 0
    a = None if audience is None else _array("audience", audience, 0.0, np.inf, open_low=False)
    if needs_audience and a is None:
        raise ParameterError(
            "the mean audience is needed (audience=...) for the binomial law or an audience "
            "distribution that takes off the link a resharer came by"
        )
    x = solve_exposure(p0, d)
    if a is not None and needs_audience:
        x, a = np.broadcast_arrays(x, a)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(a > 0, x / np.where(a > 0, a, 1.0), 0.0)
        # the chance q a given member reads and reshares, times the mean audience
        lam = -np.expm1(-y) * a if law == "binomial" else x
        lam = np.where(a > 0, lam, 0.0)
        ratio = d.resharer_ratio(a)
    else:
        lam = x
        ratio = d.resharer_ratio(1.0)
    m = rho * lam * ratio
    if check and np.any(m >= 1.0):
        worst = float(np.max(m))
        raise ParameterError(
            "the reshare process is not subcritical (mean reshares per reshare "
            f"{format_value(worst, 3)} >= 1): raise no_spread_share or lower "
            "resharer_audience_ratio"
        )
    return _Layer(np.asarray(lam), np.asarray(m), np.asarray(x), a, d, rho)


def reshare_rate(
    no_spread_share: ArrayLike,
    *,
    audience: ArrayLike | None = None,
    distribution: AudienceDistribution | None = None,
    law: OffspringLaw = "poisson",
) -> np.ndarray:
    """Mean reshares of a post, from the share ``p0`` of posts never reshared.

    Parameters
    ----------
    no_spread_share
        Share of posts that nobody reshares, in (0, 1].
    audience
        The authors' mean audience; needed for the binomial law and for distributions
        that take off the link a resharer came by.
    distribution
        The audience distribution (``None``: equal audiences).
    law
        The offspring law, ``"poisson"`` or ``"binomial"``.

    Returns
    -------
    numpy.ndarray
        ``lambda = q * A``; ``-ln p0`` for equal audiences under the Poisson law.
    """
    # the subcritical condition is about reshares of reshares, not checked here
    return _layer(no_spread_share, 1.0, audience, distribution, law, check=False).lam


def reshare_chance(
    no_spread_share: ArrayLike,
    visibility: ArrayLike,
    audience: ArrayLike,
    *,
    distribution: AudienceDistribution | None = None,
    law: OffspringLaw = "binomial",
) -> np.ndarray:
    """The chance a reader reshares that leaves ``no_spread_share`` of posts unshared.

    Solves ``p0 = E[(1 - v r)^K]`` (binomial, as the simulations draw it) or
    ``E[exp(-v r K)]`` (Poisson) over the authors' audiences ``K`` of mean
    ``audience`` for ``r``: the ``reshare`` argument of
    :func:`~influence_kit.audience.cascade.simulate_cascades`.

    Raises
    ------
    ParameterError
        If the needed chance is above 1 (visibility too low for so many reshares).
    """
    v = _array("visibility", visibility, 0.0, 1.0, open_low=True)
    a = _array("audience", audience, 0.0, np.inf, open_low=True)
    layer = _layer(no_spread_share, 1.0, a, distribution, law, check=False)
    q = layer.lam / np.broadcast_to(a, layer.lam.shape)
    r = q / v
    if np.any(r > 1.0):
        raise ParameterError(
            f"a reader would have to reshare with chance {format_value(float(np.max(r)), 3)} "
            "> 1: raise visibility or no_spread_share"
        )
    return r


def mean_offspring(
    no_spread_share: ArrayLike,
    resharer_audience_ratio: ArrayLike = 1.0,
    *,
    audience: ArrayLike | None = None,
    distribution: AudienceDistribution | None = None,
    law: OffspringLaw = "poisson",
) -> np.ndarray:
    """Mean reshares of a reshare, ``m = rho * q * E[K_e]`` (the process dies out when ``m < 1``).

    ``rho * lambda`` for equal audiences under the Poisson law.

    Raises
    ------
    ParameterError
        If a value is out of range or the process is not subcritical (``m >= 1``: the
        expected cascade is unbounded and readers per post have no finite mean).
    """
    return _layer(no_spread_share, resharer_audience_ratio, audience, distribution, law).m


def amplification(
    no_spread_share: ArrayLike,
    resharer_audience_ratio: ArrayLike = 1.0,
    *,
    audience: ArrayLike | None = None,
    distribution: AudienceDistribution | None = None,
    law: OffspringLaw = "poisson",
) -> np.ndarray:
    """Expected readers with reshares over expected readers without: ``1 + m / (1 - m)``.

    For equal audiences under the Poisson law ``m = rho * lambda``: the original
    ``1 + rho * lambda / (1 - m)``.
    """
    m = mean_offspring(
        no_spread_share, resharer_audience_ratio,
        audience=audience, distribution=distribution, law=law,
    )  # fmt: skip
    return 1.0 + m / (1.0 - m)


def expected_readers(
    audience: ArrayLike,
    visibility: ArrayLike,
    no_spread_share: ArrayLike = 1.0,
    resharer_audience_ratio: ArrayLike = 1.0,
    *,
    distribution: AudienceDistribution | None = None,
    law: OffspringLaw = "poisson",
) -> np.ndarray:
    """Expected readers of one post: ``v * A * amplification``.

    Parameters
    ----------
    audience
        Mean audience (friends or followers) of a post's author, >= 0.
    visibility
        Share of the audience who see a given post, in [0, 1].
    no_spread_share
        Share of posts nobody reshares, in (0, 1]; 1 means no reshares.
    resharer_audience_ratio
        The mean new audience of a resharer relative to what ``distribution`` gives
        (for equal audiences: relative to the author's), >= 0.
    distribution
        The audience distribution (``None``: equal audiences, the original form).
    law
        The offspring law, ``"poisson"`` or ``"binomial"``.

    Returns
    -------
    numpy.ndarray
        Expected readers per post (broadcast over the inputs).
    """
    a = _array("audience", audience, 0.0, np.inf, open_low=False)
    v = _array("visibility", visibility, 0.0, 1.0, open_low=False)
    amp = amplification(
        no_spread_share, resharer_audience_ratio,
        audience=a, distribution=distribution, law=law,
    )  # fmt: skip
    return a * v * amp


def past_one_step_share(
    no_spread_share: ArrayLike,
    resharer_audience_ratio: ArrayLike = 1.0,
    *,
    audience: ArrayLike | None = None,
    distribution: AudienceDistribution | None = None,
    law: OffspringLaw = "poisson",
) -> np.ndarray:
    """Share of posts whose cascade goes past one step (a reshare is itself reshared).

    With ``s`` the chance that a reshare is not reshared, ``E[exp(-rho y K_e)]`` over
    resharers' new audiences ``K_e`` (``y = -ln(1 - q)`` binomial, ``q`` Poisson), the
    share is ``1 - E[(1 - q (1 - s))^K]`` (binomial) or ``1 - E[exp(-q K (1 - s))]``
    (Poisson) over the authors' audiences; for equal audiences under the Poisson law,
    ``1 - exp(lambda * (exp(-m) - 1))``.
    """
    layer = _layer(no_spread_share, resharer_audience_ratio, audience, distribution, law)
    return _past_one_step(layer, law)


def past_one_step_unchecked(
    no_spread_share: ArrayLike,
    resharer_audience_ratio: ArrayLike = 1.0,
    *,
    audience: ArrayLike | None = None,
    distribution: AudienceDistribution | None = None,
    law: OffspringLaw = "poisson",
) -> np.ndarray:
    """:func:`past_one_step_share` without the subcritical check (it needs two steps only).

    For consistency checks that must name a supercritical corner instead of failing on it.
    """
    layer = _layer(
        no_spread_share, resharer_audience_ratio, audience, distribution, law, check=False
    )
    return _past_one_step(layer, law)


def _past_one_step(layer: _Layer, law: OffspringLaw) -> np.ndarray:
    d = layer.distribution
    if d.author_values.size == 1 and d.resharer_values.size == 1 and d.back_links == 0:
        lam, m = layer.lam, layer.m
        if law == "poisson" or layer.audience is None:
            return -np.expm1(lam * np.expm1(-m))
    x = layer.exposure
    a = layer.audience
    shift = 0.0 if a is None else d.back_links / np.where(a > 0, a, np.inf)
    # exponent of s: rho * y * K_e = rho * x * (Z_e - back_links / A)
    rate = np.asarray(layer.rho * x, dtype=float)
    ze = np.maximum(d.resharer_values - np.asarray(shift)[..., None], 0.0)
    s = np.exp(-rate[..., None] * ze) @ d.resharer_weights
    if law == "binomial" and a is not None:
        q = -np.expm1(-np.where(a > 0, x / np.where(a > 0, a, 1.0), 0.0))
        log_g = a[..., None] * d.author_values * np.log1p(-(q * (1.0 - s))[..., None])
        keep = np.exp(log_g) @ d.author_weights
    else:
        keep = np.exp(-(x * (1.0 - s))[..., None] * d.author_values) @ d.author_weights
    return 1.0 - keep
