"""Readers per post in closed form: direct audience, visibility and a branching reshare layer.

The model of one post:

* its author has an audience of ``A`` people (friends or followers);
* each of them sees the post with probability ``v`` (the *visibility*: about 35% of
  friends per Facebook status update, Bernstein et al. 2013), so ``v * A`` people read
  it directly;
* the post is reshared a Poisson number of times with mean ``lambda``; each reshare is
  seen by ``v * rho * A`` further readers (``rho``: the audience of a resharer relative
  to the author's, 1 by default) and is itself reshared a Poisson number of times with
  mean ``m = rho * lambda`` (the same reshares per reader), and so on: a Galton-Watson
  branching process, subcritical when ``m < 1``.

``lambda`` is pinned by the cascade evidence rather than guessed: the share ``p0`` of
posts that nobody reshares (70-95% of cascades never spread, Goel, Watts & Goldstein
2012) is ``exp(-lambda)``, so ``lambda = -ln p0``. The model then gives, exactly:

* expected readers per post ``v * A * (1 + rho * lambda / (1 - m))``;
* the *amplification* ``1 + rho * lambda / (1 - m)`` (readers with reshares over readers
  without);
* the share of posts whose cascade goes past one step (a reshare of a reshare),
  ``1 - exp(lambda * (exp(-m) - 1))``, to set beside the 1-4% observed.

Every function is vectorised over numpy arrays (inputs broadcast), as the sensitivity
analyses evaluate it on whole samples at once.

Examples
--------
>>> import numpy as np
>>> round(float(expected_readers(audience=130, visibility=0.35, no_spread_share=1.0)), 6)
45.5
>>> round(float(amplification(no_spread_share=np.exp(-0.5))), 6)
2.0
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..errors import ParameterError
from ..formatting import format_value

__all__ = [
    "amplification",
    "expected_readers",
    "mean_offspring",
    "past_one_step_share",
    "reshare_rate",
]


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


def reshare_rate(no_spread_share: ArrayLike) -> np.ndarray:
    """Mean reshares of a post, ``-ln p0``, from the share ``p0`` of posts never reshared.

    Parameters
    ----------
    no_spread_share
        Share of posts that nobody reshares, in (0, 1].

    Returns
    -------
    numpy.ndarray
        The Poisson mean ``lambda`` with ``exp(-lambda) = p0``.
    """
    p0 = _array("no_spread_share", no_spread_share, 0.0, 1.0, open_low=True)
    return -np.log(p0)


def mean_offspring(
    no_spread_share: ArrayLike, resharer_audience_ratio: ArrayLike = 1.0
) -> np.ndarray:
    """Mean reshares of a reshare, ``m = rho * lambda`` (the process dies out when ``m < 1``).

    Raises
    ------
    ParameterError
        If a value is out of range or the process is not subcritical (``m >= 1``: the
        expected cascade is unbounded and readers per post have no finite mean).
    """
    lam = reshare_rate(no_spread_share)
    rho = _array("resharer_audience_ratio", resharer_audience_ratio, 0.0, np.inf, open_low=False)
    m = rho * lam
    if np.any(m >= 1.0):
        worst = float(np.max(m))
        raise ParameterError(
            "the reshare process is not subcritical (mean reshares per reshare "
            f"{format_value(worst, 3)} >= 1): raise no_spread_share or lower "
            "resharer_audience_ratio"
        )
    return m


def amplification(
    no_spread_share: ArrayLike, resharer_audience_ratio: ArrayLike = 1.0
) -> np.ndarray:
    """Expected readers with reshares over expected readers without: ``1 + rho*lambda/(1-m)``."""
    lam = reshare_rate(no_spread_share)
    rho = np.asarray(resharer_audience_ratio, dtype=float)
    m = mean_offspring(no_spread_share, resharer_audience_ratio)
    return 1.0 + rho * lam / (1.0 - m)


def expected_readers(
    audience: ArrayLike,
    visibility: ArrayLike,
    no_spread_share: ArrayLike = 1.0,
    resharer_audience_ratio: ArrayLike = 1.0,
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
        Mean audience of a resharer relative to the author's, >= 0.

    Returns
    -------
    numpy.ndarray
        Expected readers per post (broadcast over the inputs).
    """
    a = _array("audience", audience, 0.0, np.inf, open_low=False)
    v = _array("visibility", visibility, 0.0, 1.0, open_low=False)
    return a * v * amplification(no_spread_share, resharer_audience_ratio)


def past_one_step_share(
    no_spread_share: ArrayLike, resharer_audience_ratio: ArrayLike = 1.0
) -> np.ndarray:
    """Share of posts whose cascade goes past one step: ``1 - exp(lambda (exp(-m) - 1))``.

    A post goes past one step when at least one of its reshares is itself reshared.
    """
    lam = reshare_rate(no_spread_share)
    m = mean_offspring(no_spread_share, resharer_audience_ratio)
    return -np.expm1(lam * np.expm1(-m))
