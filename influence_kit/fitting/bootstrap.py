"""Bootstraps: goodness of fit (Clauset et al. 2009, §4.1) and parameter uncertainty.

Both repeat the whole fitting procedure (including the ``xmin`` scan, unless
``xmin`` was fixed) on many synthetic data sets. Replicate ``i`` draws its random
numbers from the ``i``-th child of ``numpy.random.SeedSequence(seed)``, so the
result does not depend on how replicates are spread over processes: serial and
parallel runs give identical numbers. Chunks of :data:`CHUNK` replicates run
through :func:`influence_kit.parallel.map_chunks`: on a ``dask.distributed``
client when one is given (``client=``), otherwise on local worker processes
(``n_jobs``); a :mod:`tqdm` progress bar is drawn on stderr when it is a
terminal (``progress=None``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..distributions import PowerLaw
from ..errors import InfluenceKitError
from ..parallel import map_chunks, split
from ..tables import ValueTable
from ..validation import SeedLike, check_budget, check_seed, seed_entropy
from ..validation.arguments import check_replicates
from .power_law_fit import FitSettings, fit_table
from .results import GoodnessOfFit, PowerLawFit, Uncertainty
from .xmin import scan_xmin

#: Memory one replicate holds before any runs: its child ``SeedSequence`` (measured at
#: about 380 bytes) and its slot in the results and their concatenation.
SEED_BYTES = 400

#: Replicates per task sent to a worker process.
CHUNK = 20


@dataclass(frozen=True)
class _Job:
    """What a worker needs: the data, the fitted law and the settings (picklable)."""

    values: np.ndarray
    counts: np.ndarray
    discrete: bool
    xmin: float
    alpha: float
    n_tail: int
    settings: FitSettings


def synthetic_table(job: _Job, rng: np.random.Generator) -> ValueTable:
    """One semi-parametric synthetic data set (§4.1).

    Of the ``n`` observations, a Binomial(``n``, ``n_tail / n``) number are drawn from
    the fitted power law above ``xmin``; the rest are drawn with replacement from
    the observed values below ``xmin``.
    """
    n = round(float(job.counts.sum()))
    below = job.values < job.xmin
    below_counts = job.counts[below]
    if below_counts.size:
        k = int(rng.binomial(n, job.n_tail / n))
        drawn = rng.multinomial(n - k, below_counts / below_counts.sum()).astype(float)
    else:
        k = n
        drawn = np.zeros(0)
    tail = PowerLaw(job.xmin, job.discrete).sample(k, [job.alpha], rng)
    tv, tc = np.unique(tail, return_counts=True)
    values = np.concatenate([job.values[below], tv])
    counts = np.concatenate([drawn, tc.astype(float)])
    order = np.argsort(values, kind="stable")
    values, counts = values[order], counts[order]
    keep = counts > 0
    values, counts = values[keep], counts[keep]
    # merge equal values (a discrete tail draw can equal nothing below xmin, but be safe)
    uniq, inv = np.unique(values, return_inverse=True)
    return ValueTable(uniq, np.bincount(inv, weights=counts), 0, job.discrete)


def _replicate_ks(table: ValueTable, settings: FitSettings) -> float:
    """KS distance of the power law fitted to one synthetic data set.

    With ``xmin`` chosen by the scan, the scan's own minimum is the answer (the
    standard error and log-likelihood of a full fit are not needed).
    """
    if settings.xmin is not None:
        return fit_table(table, settings).ks
    scan = scan_xmin(
        table,
        xmin_range=settings.xmin_range,
        min_tail=settings.min_tail,
        ties=settings.ties,
        method=settings.method,
    )
    return float(scan.ks[scan.best])


def _gof_chunk(job: _Job, seeds: Sequence[np.random.SeedSequence]) -> np.ndarray:
    out = np.empty(len(seeds))
    for i, s in enumerate(seeds):
        table = synthetic_table(job, np.random.default_rng(s))
        try:
            out[i] = _replicate_ks(table, job.settings)
        except InfluenceKitError:
            out[i] = np.nan  # a degenerate synthetic set (tiny data); excluded from p
    return out


def _resample_chunk(job: _Job, seeds: Sequence[np.random.SeedSequence]) -> np.ndarray:
    out = np.full((len(seeds), 3), np.nan)
    n = round(float(job.counts.sum()))
    p = job.counts / job.counts.sum()
    for i, s in enumerate(seeds):
        rng = np.random.default_rng(s)
        counts = rng.multinomial(n, p).astype(float)
        keep = counts > 0
        table = ValueTable(job.values[keep], counts[keep], 0, job.discrete)
        try:
            fit = fit_table(table, job.settings)
        except InfluenceKitError:
            continue
        out[i] = (fit.xmin, fit.alpha, fit.n_tail)
    return out


def _run(
    func: Callable[[_Job, Sequence[np.random.SeedSequence]], np.ndarray],
    job: _Job,
    seeds: list[np.random.SeedSequence],
    n_jobs: int | None,
    progress: bool | None,
    desc: str,
    client: Any = None,
) -> np.ndarray:
    """Run ``func`` over ``seeds`` in chunks of :data:`CHUNK`, results in replicate order.

    See :func:`influence_kit.parallel.map_chunks` for ``n_jobs``, ``progress`` and ``client``.
    """
    chunks = split(seeds, CHUNK)
    results = map_chunks(
        func,
        job,
        chunks,
        sizes=[len(c) for c in chunks],
        client=client,
        n_jobs=n_jobs,
        progress=progress,
        desc=desc,
    )
    return np.concatenate(results)


def check_replicates_budget(kind: str, replicates: int) -> None:
    """Refuse, before any fit, more replicates than the memory budget holds.

    Parameters
    ----------
    kind
        ``"gof"`` (:func:`goodness_of_fit`) or ``"uncertainty"``
        (:func:`bootstrap_uncertainty`).
    replicates
        Number of replicates asked for.

    Raises
    ------
    ParameterError
        One line (see :func:`influence_kit.validation.check_budget`).
    """
    if kind == "gof":
        check_budget(
            "goodness-of-fit replicates",
            replicates,
            SEED_BYTES + 2 * 8,
            option="replicates (--gof-reps)",
        )
    else:
        check_budget(
            "bootstrap replicates",
            replicates,
            SEED_BYTES + 3 * 3 * 8,
            option="replicates (--bootstrap-reps)",
        )


def _job(table: ValueTable, fit: PowerLawFit, settings: FitSettings) -> _Job:
    return _Job(
        table.values, table.counts, table.discrete, fit.xmin, fit.alpha, fit.n_tail, settings
    )


def goodness_of_fit(
    table: ValueTable,
    fit: PowerLawFit,
    settings: FitSettings,
    *,
    replicates: int = 2500,
    seed: SeedLike = None,
    n_jobs: int | None = None,
    progress: bool | None = None,
    client: Any = None,
) -> GoodnessOfFit:
    """Goodness-of-fit p-value of the power law by the semi-parametric bootstrap.

    Parameters
    ----------
    table, fit, settings
        The data, its fit and how it was fitted (replicates are fitted the same way).
    replicates
        Number of synthetic data sets, at least
        :data:`~influence_kit.validation.arguments.MIN_REPLICATES` (39: fewer cannot
        resolve p = 0.05; one replicate gave p = 1.0); 2500 gives ``p`` to about ±0.01.
    seed
        Seed of the replicates (rule of :mod:`influence_kit.validation`: an int, or a
        :class:`numpy.random.Generator` made the same way, repeats the run; ``None``
        draws fresh entropy, recorded in the result).
    n_jobs
        Worker processes (``None``: every core; 1: serial). Results are identical.
    progress
        Progress bar on stderr (``None``: only when stderr is a terminal).
    client
        A ``dask.distributed.Client``: run the replicates on its cluster instead
        of local processes (same numbers; see
        :func:`influence_kit.parallel.connect_scheduler`).
    """
    replicates = check_replicates("replicates (--gof-reps)", replicates, purpose="a p-value")
    check_replicates_budget("gof", replicates)
    ss = check_seed(seed)
    ks = _run(
        _gof_chunk,
        _job(table, fit, settings),
        ss.spawn(replicates),
        n_jobs,
        progress,
        "goodness of fit",
        client,
    )
    valid = ks[np.isfinite(ks)]
    p = float(np.mean(valid >= fit.ks)) if valid.size else float("nan")
    return GoodnessOfFit(p, fit.ks, int(valid.size), seed_entropy(ss), ks)


def bootstrap_uncertainty(
    table: ValueTable,
    fit: PowerLawFit,
    settings: FitSettings,
    *,
    replicates: int = 1000,
    seed: SeedLike = None,
    n_jobs: int | None = None,
    progress: bool | None = None,
    client: Any = None,
) -> Uncertainty:
    """Standard deviations of ``xmin``, alpha and ``n_tail`` by the nonparametric bootstrap.

    Parameters are as for :func:`goodness_of_fit`; ``replicates`` is at least
    :data:`~influence_kit.validation.arguments.MIN_REPLICATES` (39) here too.
    """
    replicates = check_replicates("replicates (--bootstrap-reps)", replicates)
    check_replicates_budget("uncertainty", replicates)
    ss = check_seed(seed)
    out = _run(
        _resample_chunk,
        _job(table, fit, settings),
        ss.spawn(replicates),
        n_jobs,
        progress,
        "bootstrap",
        client,
    )
    out = out[np.isfinite(out).all(axis=1)]
    sd = np.std(out, axis=0, ddof=1)
    return Uncertainty(
        float(sd[0]),
        float(sd[1]),
        float(sd[2]),
        int(out.shape[0]),
        seed_entropy(ss),
        out[:, 0],
        out[:, 1],
        out[:, 2],
    )
