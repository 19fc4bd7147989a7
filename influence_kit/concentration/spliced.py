"""A fitted tail spliced to the empirical body: the concentration of a fitted data set.

Heavy-tail fits describe the values above ``xmin`` only. :class:`SplicedModel` joins a
frozen tail law (any :class:`~influence_kit.distributions.FrozenDistribution`) to the
empirical table of the values below ``xmin``, and :func:`splice_fitted_tail` builds one
from a :class:`~influence_kit.fitting.HeavyTailReport` for any fitted family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..distributions import FrozenDistribution, invert_top_share
from ..errors import ParameterError
from ..fitting import HeavyTailReport
from ..formatting import format_value
from ..tables import ValueTable
from ..validation import check_fractions
from . import measures

__all__ = ["SplicedModel", "splice_fitted_tail"]


@dataclass(frozen=True, eq=False)
class SplicedModel:
    """A tail law above ``xmin`` joined to the empirical body below it.

    A fraction ``tail_fraction`` of people follows ``tail`` (in the data's units, all
    values >= xmin); the rest follow the empirical ``body`` table. Satisfies
    :class:`~influence_kit.distributions.ConcentrationModel`.
    """

    body: ValueTable
    tail: FrozenDistribution
    tail_fraction: float
    name: str = "tail+body"

    def __post_init__(self) -> None:
        check_fractions("tail_fraction", self.tail_fraction)

    @property
    def parameters(self) -> dict[str, float]:
        """The tail's parameters and the tail fraction."""
        return {**self.tail.parameters, "tail_fraction": self.tail_fraction}

    def describe(self) -> str:
        """``name(parameter=value, ...)`` with 4 significant digits."""
        inner = ", ".join(f"{k}={format_value(v, 4)}" for k, v in self.parameters.items())
        return f"{self.name}({inner})"

    def top_share(self, p: ArrayLike) -> np.ndarray:
        """Tail mass of the top, then the body's top shares below the tail."""
        p = check_fractions("p", p)
        pi = self.tail_fraction
        tail_mean = self.tail.mean()
        tail_mass = pi * tail_mean
        body_mass = (1.0 - pi) * self.body.mean
        total = tail_mass + body_mass

        def one(v: float) -> float:
            if v < pi:
                return tail_mass * float(self.tail.top_share(v / pi)[0]) / total
            if v == pi:
                return tail_mass / total
            rest = (v - pi) / (1.0 - pi)
            body = 1.0 if rest >= 1.0 else float(measures.top_share(self.body, rest)[0])
            return (tail_mass + body_mass * body) / total

        return np.array([one(float(v)) for v in p])

    def fraction_for_share(self, q: ArrayLike) -> np.ndarray:
        """Smallest top fraction holding a share ``q`` (numerical inverse)."""
        return invert_top_share(self.top_share, q)

    def gini(self) -> float:
        """``2 int_0^1 S(p) dp - 1``, integrating the tail and body pieces exactly.

        With tail fraction ``pi``, tail mean ``m_t`` and Gini ``G_t``, body mean
        ``m_b`` and Gini ``G_b``: ``int S = [pi^2 m_t (1 + G_t) / 2 + (1 - pi) pi m_t
        + (1 - pi)^2 m_b (1 + G_b) / 2] / (pi m_t + (1 - pi) m_b)``.
        """
        pi = self.tail_fraction
        m_t, g_t = self.tail.mean(), self.tail.gini()
        m_b, g_b = self.body.mean, measures.gini(self.body)
        area = (
            pi**2 * m_t * (1.0 + g_t) / 2.0
            + (1.0 - pi) * pi * m_t
            + (1.0 - pi) ** 2 * m_b * (1.0 + g_b) / 2.0
        ) / (pi * m_t + (1.0 - pi) * m_b)
        return float(min(max(2.0 * area - 1.0, 0.0), 1.0))


def splice_fitted_tail(report: HeavyTailReport, family: str = "power_law") -> SplicedModel:
    """The fitted ``family``'s tail above x_min joined to the empirical body below it.

    The tail is the family frozen at its fitted parameters above the fitted x_min; for
    integer data its continuous counterpart is used (same tail shares to order
    ``1 / x_min``), except for the Poisson law, which is discrete only. The body keeps
    the zeros.

    Parameters
    ----------
    report
        A heavy-tail report (:func:`~influence_kit.fitting.fit_all`).
    family
        ``"power_law"`` or any alternative fitted in the report.

    Raises
    ------
    ParameterError
        The tail's mean is infinite (e.g. a power law with alpha <= 2), or there are no
        positive values below x_min.
    """
    tail: Any = report.frozen(family, continuous=True)
    tail.mean()  # raises when the mean is infinite
    t = report.table
    xmin = report.power_law.xmin
    below = t.values < xmin
    if not below.any():
        raise ParameterError(
            "no positive values below x_min: the data are all tail; use the tail alone"
        )
    # The body keeps the zeros (people with nothing).
    body = t.below(xmin)
    fraction = report.power_law.n_tail / (t.n + t.n_zeros)
    label = family.replace("_", " ")
    return SplicedModel(
        body=body, tail=tail, tail_fraction=fraction, name=f"fitted {label} tail + body"
    )
