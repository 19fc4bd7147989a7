"""The readers-per-post distribution that the audience simulations return."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from ..concentration.measures import top_share
from ..results import KeyFigures, Result, check_alpha, interval_frame, key_figures, to_jsonable
from ..validation.arguments import MIN_REPLICATES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ReadersDistribution"]

#: Top fractions of posts whose share of all readers the summary reports.
TOP_POSTS: tuple[float, ...] = (0.01, 0.10)


@dataclass(frozen=True, eq=False)
class ReadersDistribution(Result):
    """Readers of simulated posts: a distribution, not a number.

    Attributes
    ----------
    source
        The graph or table the posts spread on.
    method
        How they spread.
    visibility, reshare
        Probability that an audience member sees a post; that a reader reshares it.
    readers, reshares, depth
        Per post: distinct readers; reshares; steps of the cascade (0: never reshared,
        1: reshared, 2 or more: a reshare was reshared).
    audience
        Per post: the audience size of its author.
    seed
        The integer seed that reproduces the run (``None`` when drawn from a Generator).
    max_readers
        The most readers any post can have (on a graph, the people other than its
        author; on a table of audience sizes without reshares, its largest audience),
        or ``None`` if not bounded; no interval reaches above it.
    """

    source: str
    method: str
    visibility: float
    reshare: float
    readers: np.ndarray
    reshares: np.ndarray
    depth: np.ndarray
    audience: np.ndarray
    seed: int | None
    max_readers: float | None = None

    @property
    def n_posts(self) -> int:
        """Number of simulated posts."""
        return int(self.readers.size)

    @property
    def mean_readers(self) -> float:
        """Mean readers per post."""
        return float(self.readers.mean())

    @property
    def median_readers(self) -> float:
        """Median readers per post."""
        return float(np.median(self.readers))

    @property
    def direct_readers(self) -> float:
        """Expected readers without reshares: visibility x the authors' mean audience."""
        return float(self.visibility * self.audience.mean())

    @property
    def amplification(self) -> float:
        """Mean readers over :attr:`direct_readers` (what reshares add)."""
        direct = self.direct_readers
        return float(self.mean_readers / direct) if direct > 0 else float("nan")

    @property
    def unread_share(self) -> float:
        """Share of posts seen by nobody."""
        return float(np.mean(self.readers == 0))

    @property
    def no_spread_share(self) -> float:
        """Share of posts never reshared (70-95% of observed cascades)."""
        return float(np.mean(self.depth == 0))

    @property
    def past_one_step_share(self) -> float:
        """Share of posts whose cascade went past one step (1-4% observed)."""
        return float(np.mean(self.depth >= 2))

    def top_post_shares(self) -> dict[float, float]:
        """Share of all readers drawn by the most-read 1% and 10% of posts."""
        if self.readers.sum() == 0:
            return {p: float("nan") for p in TOP_POSTS}
        shares = top_share(self.readers.astype(float), list(TOP_POSTS))
        return {p: float(s) for p, s in zip(TOP_POSTS, shares, strict=True)}

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Monte Carlo intervals: mean readers (t interval) and the two cascade shares
        (Wilson).

        They measure simulation error only; the evidence ranges of ``visibility`` and
        ``reshare`` move the figures far more (run the simulation at both ends).
        Every interval stays in the feasible range of its quantity: a share in [0, 1],
        mean readers in [0, :attr:`max_readers`]. The mean's t interval needs at least
        :data:`~influence_kit.validation.arguments.MIN_REPLICATES` (39) posts, as every
        interval from random replicates does; with fewer its bounds are NaN (no interval).
        """
        alpha = check_alpha(alpha)
        n = self.n_posts
        z = float(stats.norm.isf(alpha / 2))
        if n >= MIN_REPLICATES:
            half = float(stats.t.isf(alpha / 2, n - 1)) * float(self.readers.std(ddof=1))
            half /= float(np.sqrt(n))
            top = np.inf if self.max_readers is None else float(self.max_readers)
            # readers are never negative, nor more than the people a post can reach
            lower = [min(max(0.0, self.mean_readers - half), top)]
            upper = [max(0.0, min(top, self.mean_readers + half))]
        else:
            lower, upper = [float("nan")], [float("nan")]
        for share in (self.no_spread_share, self.past_one_step_share):
            centre = (share + z * z / (2 * n)) / (1 + z * z / n)
            width = z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
            lower.append(max(0.0, centre - width))
            upper.append(min(1.0, centre + width))
        return interval_frame(
            ["mean_readers", "no_spread_share", "past_one_step_share"], lower, upper
        )

    def statistics(self) -> dict[str, float]:
        """Every summary figure, keyed by name."""
        top = self.top_post_shares()
        return {
            "posts": float(self.n_posts),
            "mean_readers": self.mean_readers,
            "median_readers": self.median_readers,
            "p90_readers": float(np.quantile(self.readers, 0.9)),
            "p99_readers": float(np.quantile(self.readers, 0.99)),
            "max_readers": float(self.readers.max()),
            "unread_share": self.unread_share,
            "no_spread_share": self.no_spread_share,
            "past_one_step_share": self.past_one_step_share,
            "top_1pct_posts_share": top[0.01],
            "top_10pct_posts_share": top[0.10],
            "mean_author_audience": float(self.audience.mean()),
            "direct_readers": self.direct_readers,
            "amplification": self.amplification,
        }

    def summary(self) -> pd.DataFrame:
        """One row per statistic, with its 95% interval where there is one."""
        import pandas as pd

        frame = pd.DataFrame({"value": pd.Series(self.statistics())})
        frame.index.name = "statistic"
        ci = self.conf_int()
        frame["lower"] = ci["lower"].reindex(frame.index)
        frame["upper"] = ci["upper"].reindex(frame.index)
        return frame

    def key_figures(self) -> KeyFigures:
        """Mean and median readers per post and the share of posts nobody reads."""
        return key_figures(
            ("mean_readers", "mean readers per post", self.mean_readers, "readers"),
            ("median_readers", "median readers per post", self.median_readers, "readers"),
            ("unread_share", "posts seen by nobody", self.unread_share, "share"),
            ("no_spread_share", "posts never reshared", self.no_spread_share, "share"),
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The summary figures and intervals (not the per-post arrays)."""
        ci = self.conf_int()
        return to_jsonable(
            {
                "source": self.source,
                "method": self.method,
                "visibility": self.visibility,
                "reshare": self.reshare,
                "seed": self.seed,
                "statistics": self.statistics(),
                "conf_int": {
                    "alpha": 0.05,
                    "intervals": {
                        str(k): {"lower": r["lower"], "upper": r["upper"]} for k, r in ci.iterrows()
                    },
                },
            }
        )
