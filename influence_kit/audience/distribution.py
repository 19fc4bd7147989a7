"""Audience distributions for the branching closed form: how unequal audiences are.

When every author has the same audience, the share ``p0`` of posts nobody reshares pins
the mean reshares of a post (``-ln p0``) and a resharer's audience is the author's. On
real networks neither holds:

* **Jensen.** With an audience ``K`` that varies from author to author and a chance
  ``q`` that a given audience member reads *and* reshares (``q = visibility x reshare``),
  a post is never reshared with probability ``E[(1 - q)^K]`` (binomial offspring law, as
  :func:`~influence_kit.audience.cascade.simulate_cascades` draws it) or ``E[exp(-q K)]``
  (Poisson law). Since ``exp`` is convex, the same ``p0`` needs a larger ``q`` than when
  audiences are equal: ``-ln p0`` understates the mean reshares ``q E[K]``.
* **Friendship paradox.** A resharer is reached along a link, so its audience is drawn
  in proportion to how many links lead to it (size-biased), less the link it came by
  (its author is already reached): on an undirected graph with audience sizes ``k`` the
  new people a resharer brings number ``E[k (k - 1)] / E[k]`` on average, not ``E[k]``.
  On a follower graph the resharer's audience is its own followers: the mean over links
  of the follower count of the follower reached, less one when it follows back.

An :class:`AudienceDistribution` holds both laws in units of the authors' mean audience
(so one shape serves any mean audience): the authors' audiences (mean 1), the audiences
resharers bring (before the links they came by are taken off), and how many people a
resharer's audience loses to the link it came by (``back_links``: 1 on an undirected
graph). :mod:`~influence_kit.audience.branching` sums over it; every sum is vectorised
over arrays of inputs (a sensitivity sample of ``no_spread_share`` or ``audience``).

Assumptions (the configuration model): a resharer's audience depends on the link it
came by only through that link (no degree correlations beyond one step: assortative
mixing would raise the mean of later steps), and audiences do not overlap (a tree:
clustering makes a cascade reach fewer new people than the form counts). On graphs built
by :func:`~influence_kit.audience.distribution.AudienceDistribution.from_graph` the
first step is exact: in/out-degree correlation and follow-back are measured link by link.

Examples
--------
>>> d = AudienceDistribution.point()
>>> d.resharer_ratio(130.0)
1.0
>>> round(AudienceDistribution.from_sizes([10] * 50).resharer_ratio(10.0), 6)
0.9
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike

from ..errors import ParameterError
from ..formatting import format_value

if TYPE_CHECKING:
    from ..tables import ValueTable
    from .graph import AudienceGraph

__all__ = [
    "AudienceDistribution",
    "OffspringLaw",
    "lognormal_sigma",
    "solve_exposure",
]

#: How the reshares of one audience of size ``k`` are drawn: ``"binomial"``, each member
#: reshares with chance ``q`` (``(1 - q)^k`` nobody does; what the graph simulations
#: draw), or ``"poisson"``, a Poisson number with mean ``q k`` (``exp(-q k)``; the limit
#: of large audiences, and the law of the equal-audience closed form).
OffspringLaw = Literal["poisson", "binomial"]

#: Gauss-Hermite nodes for the lognormal shape (exact to about 1e-10 for the spreads and
#: reshare rates of the scenarios, sigma up to 2 and mean reshares up to 2).
_HERMITE_NODES = 96

#: Newton steps allowed when solving for the exposure (it converges in about 6).
_MAX_NEWTON = 200


def lognormal_sigma(mean_over_median: float) -> float:
    """The log-scale spread of a lognormal with the given mean over median.

    A lognormal's mean over its median is ``exp(sigma^2 / 2)``, so
    ``sigma = sqrt(2 ln(mean / median))``. Facebook in 2011 (Ugander et al.): median
    99 friends, mean about 190, so ``sigma`` about 1.14.

    Examples
    --------
    >>> round(lognormal_sigma(math.exp(0.5)), 6)
    1.0
    """
    ratio = float(mean_over_median)
    if not (math.isfinite(ratio) and ratio >= 1.0):
        raise ParameterError(
            f"mean_over_median must be a finite number >= 1 (a lognormal's mean is never "
            f"below its median), got {format_value(ratio)}"
        )
    return math.sqrt(2.0 * math.log(ratio))


def _normalised(values: ArrayLike, weights: ArrayLike, what: str) -> tuple[np.ndarray, np.ndarray]:
    v = np.asarray(values, dtype=float).ravel()
    w = np.asarray(weights, dtype=float).ravel()
    if v.shape != w.shape or v.size == 0:
        raise ParameterError(f"{what}: values and weights must be non-empty and of equal length")
    if not (np.all(np.isfinite(v)) and np.all(v >= 0)):
        raise ParameterError(f"{what}: values must be finite and >= 0")
    if not (np.all(np.isfinite(w)) and np.all(w >= 0)) or w.sum() <= 0:
        raise ParameterError(f"{what}: weights must be finite, >= 0 and not all 0")
    keep = w > 0
    return v[keep], w[keep] / w.sum()


@dataclass(frozen=True)
class AudienceDistribution:
    """The shape of audiences: authors' audiences and the audiences resharers bring.

    Values are in units of the authors' mean audience; weights sum to 1.

    Attributes
    ----------
    author_values, author_weights
        Audience of the author of a post (authors uniform over people) over the mean;
        the weighted mean is 1.
    resharer_values, resharer_weights
        Audience of a person reached along a link (who may reshare) over the authors'
        mean, before ``back_links`` is taken off.
    back_links
        People of a resharer's audience already reached by the link it came by (its
        own author): 1 for friendships (undirected), 0 when resharer values already
        leave them out or links are one-way.
    name
        A label for reports.
    """

    author_values: np.ndarray
    author_weights: np.ndarray
    resharer_values: np.ndarray
    resharer_weights: np.ndarray
    back_links: float = 0.0
    name: str = "audience distribution"

    def __post_init__(self) -> None:
        av, aw = _normalised(self.author_values, self.author_weights, "author audiences")
        rv, rw = _normalised(self.resharer_values, self.resharer_weights, "resharer audiences")
        mean = float(av @ aw)
        if not math.isclose(mean, 1.0, rel_tol=1e-9):
            raise ParameterError(
                "author audiences must be given over their mean (weighted mean 1), got a "
                f"mean of {format_value(mean)}"
            )
        if not (math.isfinite(self.back_links) and self.back_links >= 0):
            raise ParameterError(f"back_links must be >= 0, got {format_value(self.back_links)}")
        for field, value in (
            ("author_values", av),
            ("author_weights", aw),
            ("resharer_values", rv),
            ("resharer_weights", rw),
        ):
            object.__setattr__(self, field, value)
        object.__setattr__(self, "back_links", float(self.back_links))

    # ------------------------------------------------------------------ builders

    @classmethod
    def point(cls) -> AudienceDistribution:
        """Every author's audience equal, and every resharer's audience the author's.

        With the Poisson law this is the model of the original closed form
        (``lambda = -ln p0``, ``m = rho * lambda``), reproduced exactly.
        """
        one = np.ones(1)
        return cls(one, one, one, one, 0.0, name="equal audiences")

    @classmethod
    def lognormal(cls, sigma: float, *, size_biased: bool = True) -> AudienceDistribution:
        """Lognormal audiences with log-scale spread ``sigma`` (mean 1 here).

        Parameters
        ----------
        sigma
            Log-scale standard deviation (:func:`lognormal_sigma` from a mean over
            median); 0 gives equal audiences.
        size_biased
            Whether resharers are reached along friendships (undirected links): their
            audiences are then the size-biased lognormal (the log-mean shifted by
            ``sigma^2``, mean ``exp(sigma^2)``), less the friendship they came by. If
            ``False``, a resharer's audience follows the authors' law (one-way links
            with follower counts independent of following counts).
        """
        s = float(sigma)
        if not (math.isfinite(s) and s >= 0):
            raise ParameterError(f"sigma must be finite and >= 0, got {format_value(s)}")
        nodes, weights = _hermite_rule()
        author = np.exp(s * nodes - 0.5 * s * s)
        resharer = np.exp(s * nodes + 0.5 * s * s) if size_biased else author
        name = f"lognormal audiences (sigma {format_value(s, 3)})"
        return cls(author, weights, resharer, weights, 1.0 if size_biased else 0.0, name=name)

    @classmethod
    def from_sizes(
        cls, sizes: ArrayLike | ValueTable, *, name: str = "audience sizes"
    ) -> AudienceDistribution:
        """The configuration model of a table of audience sizes (friendships).

        Authors' audiences are the sizes; a resharer's is drawn in proportion to its size
        (it is reached along one of its links), less that link: exactly the law of
        :func:`~influence_kit.audience.cascade.simulate_audience_sizes`.
        """
        from ..tables import ValueTable

        if isinstance(sizes, ValueTable):
            values = np.concatenate([[0.0], sizes.values])
            counts = np.concatenate([[float(sizes.n_zeros)], sizes.counts])
        else:
            raw = np.asarray(sizes, dtype=float).ravel()
            if raw.size == 0 or not np.all(np.isfinite(raw)) or np.any(raw < 0):
                raise ParameterError(f"{name}: audience sizes must be finite, >= 0, non-empty")
            values, inverse = np.unique(raw, return_inverse=True)
            counts = np.bincount(inverse).astype(float)
        mean = float(values @ counts / counts.sum())
        if mean <= 0:
            raise ParameterError(f"{name}: every audience is empty")
        return cls(
            values / mean, counts, values / mean, values * counts, 1.0, name=name
        )  # fmt: skip

    @classmethod
    def from_graph(cls, graph: AudienceGraph) -> AudienceDistribution:
        """Authors' and resharers' audiences measured on a graph, link by link.

        A resharer ``w`` reached from ``u`` brings its own audience less ``u`` when ``u``
        is in it (a friendship, or a follow-back): averaged over every link ``u -> w``,
        which also measures how a person's audience relates to how many audiences they
        are in (in/out-degree correlation on a follower graph). Later steps are assumed
        to reach resharers as the first step does (no degree correlations beyond one
        link).
        """
        sizes = graph.audience_sizes().astype(np.int64)
        n = graph.n_nodes
        mean = float(sizes.mean()) if n else 0.0
        if mean <= 0:
            raise ParameterError(f"{graph.name}: every audience is empty")
        _, member, _, returns = graph.reverse_links()
        brought = sizes[member] - returns
        values, link_counts = np.unique(brought, return_counts=True)
        a_values, a_counts = np.unique(sizes, return_counts=True)
        return cls(
            a_values / mean,
            a_counts.astype(float),
            values / mean,
            link_counts.astype(float),
            0.0,
            name=graph.name,
        )

    # ------------------------------------------------------------------ moments

    def resharer_ratio(self, audience: ArrayLike) -> np.ndarray | float:
        """Mean new audience of a resharer over the authors' mean audience ``audience``."""
        a = np.asarray(audience, dtype=float)
        mean = float(self.resharer_values @ self.resharer_weights)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = mean - np.where(a > 0, self.back_links / np.where(a > 0, a, 1.0), 0.0)
        ratio = np.maximum(ratio, 0.0)
        return float(ratio) if ratio.ndim == 0 else ratio

    @property
    def dispersion(self) -> float:
        """Mean audience reached along a link over the authors' mean (before back links):
        ``E[K^2] / E[K]^2`` for friendships, 1 for equal audiences."""
        return float(self.resharer_values @ self.resharer_weights)


@functools.cache
def _hermite_rule() -> tuple[np.ndarray, np.ndarray]:
    """The Gauss-Hermite nodes and normalised weights of :data:`_HERMITE_NODES` points,
    computed once (an eigenvalue problem each time otherwise); read-only arrays."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(_HERMITE_NODES)
    weights = weights / weights.sum()
    nodes.flags.writeable = False
    weights.flags.writeable = False
    return nodes, weights


def _laplace(x: np.ndarray, values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """``E[exp(-x Z)]`` and ``E[Z exp(-x Z)]`` over the law (values, weights), for each x."""
    e = np.exp(-x[..., None] * values)
    return e @ weights, (e * values) @ weights


def solve_exposure(no_spread_share: ArrayLike, distribution: AudienceDistribution) -> np.ndarray:
    """The ``x`` with ``E[exp(-x Z)] = p0`` over the authors' relative audiences ``Z``.

    ``x / audience`` is the per-member hazard ``y``: ``q = 1 - exp(-y)`` under the
    binomial law, ``q = y`` under the Poisson law. By Jensen ``x >= -ln p0``, with
    equality for equal audiences. Newton's method from ``-ln p0`` climbs monotonically
    to the root (the transform is convex and decreasing).

    Parameters
    ----------
    no_spread_share
        Share of posts nobody reshares, in (0, 1] (any array shape).
    distribution
        The audience distribution.

    Returns
    -------
    numpy.ndarray
        ``x``, with the shape of ``no_spread_share``.
    """
    p0 = np.asarray(no_spread_share, dtype=float)
    z, w = distribution.author_values, distribution.author_weights
    floor = float(w[z == 0].sum())  # authors with no audience are never reshared
    if np.any(p0 <= floor):
        worst = float(np.min(p0))
        raise ParameterError(
            f"no_spread_share {format_value(worst)} is at or below the share of authors "
            f"with no audience ({format_value(floor)}): no reshare rate gives it"
        )
    shape = p0.shape
    target = p0.ravel()
    x = -np.log(target)
    if z.size == 1:  # equal audiences: exp(-x) = p0 exactly
        return x.reshape(shape)
    active = np.ones(target.size, dtype=bool)
    for _ in range(_MAX_NEWTON):
        if not active.any():
            break
        xa = x[active]
        value, slope = _laplace(xa, z, w)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(slope > 0, (value - target[active]) / slope, 0.0)
        step = np.maximum(step, 0.0)  # from the left the Newton steps never overshoot
        x[active] = xa + step
        done = step <= 1e-13 * np.maximum(xa, 1e-300)
        idx = np.flatnonzero(active)
        active[idx[done]] = False
    return x.reshape(shape)
