"""Expected readers per post on a given graph, without simulation: linearised message passing.

The closed form of :mod:`~influence_kit.audience.branching` sums over an audience
*distribution* (the configuration model: who a resharer is depends on the link it came
by only through that link). On a real graph the audiences of neighbours are correlated
(on a Barabasi-Albert graph the hubs' friends are mostly new, small accounts), which the
distribution cannot see. Here the same branching process runs on the graph itself, link
by link: for a link ``u -> w`` (``w`` in ``u``'s audience), ``T(u -> w)`` is the expected
readers a reshare by ``w`` brings,

    ``T(u -> w) = sum over x in audience(w), x != u, of (v + q * T(w -> x))``,

with ``v`` the visibility and ``q`` the chance that an audience member reads and reshares.
This is ``T = v c + q B T`` with ``B`` the non-backtracking matrix (Hashimoto) of the
graph and ``c`` the new audience of each link's end; it is solved by iteration, which
converges when the process is subcritical on the graph, ``q * spectral radius(B) < 1``.
A post by ``u`` then has ``v K_u + q * sum_w T(u -> w)`` readers on average, averaged
over authors. Exact when the graph is locally tree-like; clustering and cascades that
revisit the same people (near the critical point) make the simulated mean lower.

``q`` comes from the share of posts nobody reshares as in the closed form: ``p0 = mean
over authors of (1 - q)^K`` (binomial law, as
:func:`~influence_kit.audience.cascade.simulate_cascades` draws reshares).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..errors import ParameterError
from ..formatting import format_value
from .distribution import AudienceDistribution, OffspringLaw, solve_exposure
from .graph import AudienceGraph

__all__ = ["expected_readers_on_graph"]

#: Iterations allowed before the message passing is declared not to converge.
MAX_ITERATIONS = 20_000

#: Relative change at which the iteration stops.
TOLERANCE = 1e-12


def expected_readers_on_graph(
    graph: AudienceGraph,
    visibility: ArrayLike,
    no_spread_share: ArrayLike = 1.0,
    *,
    law: OffspringLaw = "binomial",
) -> np.ndarray:
    """Expected readers of a post by a uniformly drawn author of ``graph``.

    Parameters
    ----------
    graph
        Who sees whose posts.
    visibility
        Share of an audience who see a given post or reshare, in [0, 1].
    no_spread_share
        Share of posts nobody reshares, in (0, 1]: pins the per-member reshare chance
        (see the module docstring). Arrays of ``visibility`` and ``no_spread_share``
        broadcast (keep them small: the work is one pass over the links per iteration
        for every value).
    law
        ``"binomial"`` (each member reshares with chance ``q``, as the simulations
        draw it) or ``"poisson"`` (``q`` from ``p0 = mean exp(-q K)``).

    Returns
    -------
    numpy.ndarray
        Expected readers per post, with the broadcast shape of the inputs.

    Raises
    ------
    ParameterError
        If an input is out of range, or the reshare process is not subcritical on the
        graph (the expected cascade grows without bound on the tree the graph unfolds
        into).
    """
    from .branching import _array  # the same range checks and messages as the closed form

    v = _array("visibility", visibility, 0.0, 1.0, open_low=False)
    p0 = _array("no_spread_share", no_spread_share, 0.0, 1.0, open_low=True)
    if law not in ("poisson", "binomial"):
        raise ParameterError(f"law must be one of poisson, binomial, got {law!r}")
    v, p0 = np.broadcast_arrays(v, p0)
    shape = v.shape
    v, p0 = v.ravel(), p0.ravel()
    n = graph.n_nodes
    sizes = graph.audience_sizes().astype(np.int64)
    mean = float(sizes.mean()) if n else 0.0
    if mean <= 0:
        return np.zeros(shape)
    dist = AudienceDistribution.from_graph(graph)
    y = solve_exposure(p0, dist) / mean
    q = -np.expm1(-y) if law == "binomial" else y

    author, member, rev, back = graph.reverse_links()
    rev_back = rev[back]
    new = (sizes[member] - back).astype(float)  # audience of w less u when u is in it

    vt = v[None, :]
    qt = q[None, :]
    term = vt * new[:, None]  # the k = 0 term of T = sum_k (q B)^k v c
    total = term.copy()
    previous = np.inf
    for iteration in range(MAX_ITERATIONS):
        spread = _node_sums(author, term, n)[member]
        spread[back] -= term[rev_back]
        term = qt * spread
        total += term
        size = float(np.max(np.abs(term))) if term.size else 0.0
        scale = float(np.max(np.abs(total))) if total.size else 0.0
        if size <= TOLERANCE * max(scale, 1e-300):
            break
        # past the transient, the terms shrink by q * spectral radius(B) a step
        if iteration > 50 and size >= previous:
            _not_subcritical(q, graph)
        previous = size
    else:
        _not_subcritical(q, graph)
    per_author = vt * sizes[:, None] + qt * _node_sums(author, total, n)
    return per_author.mean(axis=0).reshape(shape)


def _node_sums(author: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``values`` (links x inputs) over each node's links."""
    return np.column_stack(
        [np.bincount(author, weights=values[:, j], minlength=n) for j in range(values.shape[1])]
    )


def _not_subcritical(q: np.ndarray, graph: AudienceGraph) -> None:
    raise ParameterError(
        f"{graph.name}: the reshare process is not subcritical on this graph (per-member "
        f"reshare chance {format_value(float(np.max(q)), 3)} times the spectral radius of "
        "its non-backtracking matrix is >= 1): raise no_spread_share or lower visibility"
    )
