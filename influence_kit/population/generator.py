"""Generate synthetic people block by block, in memory or streamed to Parquet/CSV."""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special, stats

from ..accounting import person_impressions
from ..constants import DEFAULT_CHUNK_SIZE, DEFAULT_SEED
from ..errors import ParameterError
from ..formatting import format_count
from ..results import Result
from ..scenarios import Scenario
from ..validation import (
    check_choice,
    check_disk_space,
    check_output_file,
    check_positive,
    check_positive_int,
    write_error,
)
from .calibration import FLAG_COLUMNS, PopulationCalibration, calibrate_population

logger = logging.getLogger(__name__)

#: People per block. Each block has its own child seed
#: (``SeedSequence(seed, spawn_key=(block,))``) and its own stratified marginals, so a
#: population is the same whatever chunk size it is generated or written with, and the
#: first people of a larger population are the people of a smaller one.
BLOCK_SIZE = 65_536

#: Dirichlet concentration of each person's mix of post types (an assumption: people
#: specialise, e.g. some mostly review while others mostly comment).
DEFAULT_TYPE_CONCENTRATION = 2.0

#: Post types only Creators write (Creators "publish a blog").
CREATOR_POST_TYPES: frozenset[str] = frozenset({"blog_posts"})

#: Technographics flag columns in ladder order.
FLAGS: tuple[str, ...] = tuple(FLAG_COLUMNS.values())

_IPF_TOL = 1e-10
_IPF_MAX_ITER = 200


@functools.lru_cache(maxsize=32)
def _stratum_values(size: int, sigma: float, eligible: float) -> np.ndarray:
    """Mean of ``exp(sigma X)`` in each of ``size`` equal-probability strata of ``X``.

    Strata below the ``1 - eligible`` quantile are zero (people with none of the
    activity). Values are ascending and rescaled to mean 1, so a block's total
    and its Lorenz curve at the stratum boundaries are exact.
    """
    zero = min(size, round(size * (1.0 - eligible)))
    values = np.zeros(size)
    if zero < size:
        edges = stats.norm.ppf(np.arange(zero, size + 1) / size)
        upper = special.ndtr(sigma - edges)  # P(X - sigma > edge - sigma) up to e^{sigma^2/2}
        values[zero:] = upper[:-1] - upper[1:]
        values /= values.mean()
    values.setflags(write=False)
    return values


def _ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="stable")
    ranks = np.empty_like(order)
    ranks[order] = np.arange(x.size)
    return ranks


def _split_posts(
    posts: np.ndarray,
    creator: np.ndarray,
    shares: dict[str, float],
    rng: np.random.Generator,
    concentration: float,
) -> np.ndarray:
    """Split each person's posts by type; block totals by type match ``shares``.

    Each poster's mix is a Dirichlet draw with mean ``shares`` (creator-only
    types are zero for non-Creators); iterative proportional fitting then makes
    the block's totals by type proportional to ``shares`` while each person's
    types still add up to their posts.
    """
    names = list(shares)
    alpha = np.array([shares[t] for t in names]) * concentration
    mix = rng.standard_gamma(alpha, size=(posts.size, len(names)))
    for j, name in enumerate(names):
        if name in CREATOR_POST_TYPES:
            mix[~creator, j] = 0.0
    row = mix.sum(axis=1)
    empty = row <= 0
    mix[empty] = alpha  # pragma: no cover - gamma draws are positive almost surely
    mix /= mix.sum(axis=1, keepdims=True)
    table = mix * posts[:, None]
    total = posts.sum()
    active = np.flatnonzero(posts > 0)
    if total <= 0 or active.size == 0:
        return table
    sub = table[active]
    sub_posts = posts[active]
    target = np.array([shares[t] for t in names]) * total
    col = sub.sum(axis=0)
    for _ in range(_IPF_MAX_ITER):
        sub *= np.divide(target, col, out=np.zeros_like(target), where=col > 0)
        sub *= (sub_posts / sub.sum(axis=1))[:, None]
        col = sub.sum(axis=0)
        if np.max(np.abs(col - target)) <= _IPF_TOL * total:
            break
    table[active] = sub
    return table


def _block(
    cal: PopulationCalibration,
    size: int,
    rng: np.random.Generator,
    start: int,
    weight: float,
    type_concentration: float,
) -> pd.DataFrame:
    z = rng.standard_normal((size, 2))
    x_net = z[:, 0]
    x_post = cal.rho * z[:, 0] + math.sqrt(1.0 - cal.rho**2) * z[:, 1]
    network = (
        _stratum_values(size, cal.network_sigma, cal.technographics["joiners"])[_ranks(x_net)]
        * cal.network_mean
    )
    posts = (
        _stratum_values(size, cal.posts_sigma, cal.technographics["critics"])[_ranks(x_post)]
        * cal.posts_mean
    )
    joiner = network > 0
    critic = posts > 0
    creator = critic & (rng.random(size) < cal.creator_given_critic)
    engagement = (x_net + x_post) / math.sqrt(2.0 + 2.0 * cal.rho)
    r = cal.flag_loading
    latent = math.sqrt(r) * engagement[:, None] + math.sqrt(1.0 - r) * rng.standard_normal(
        (size, 3)
    )
    thresholds = stats.norm.isf(
        [cal.technographics[g] for g in ("conversationalists", "collectors", "spectators")]
    )
    others = latent > thresholds[None, :]
    log_audience = cal.audience_mu + cal.audience_sigma * (
        cal.audience_rho * x_net + math.sqrt(1.0 - cal.audience_rho**2) * rng.standard_normal(size)
    )
    audience = np.where(joiner, np.maximum(1.0, np.rint(np.exp(log_audience))), 0.0).astype(
        np.int64
    )
    updates = np.divide(network, audience, out=np.zeros(size), where=audience > 0)
    by_type = _split_posts(posts, creator, cal.post_type_shares, rng, type_concentration)
    flags = {
        "creator": creator,
        "conversationalist": others[:, 0],
        "critic": critic,
        "collector": others[:, 1],
        "joiner": joiner,
        "spectator": others[:, 2],
    }
    flags["inactive"] = ~np.logical_or.reduce(list(flags.values()))
    columns: dict[str, Any] = {
        "person_id": np.arange(start, start + size, dtype=np.int64),
        "weight": np.full(size, weight),
        **flags,
        "audience": audience,
        "network_updates": updates,
        "network_impressions": network,
    }
    for j, name in enumerate(cal.post_type_shares):
        columns[name] = by_type[:, j]
    columns["influence_posts"] = posts
    frame = pd.DataFrame(columns)
    impressions = person_impressions(frame, cal.source)
    frame["post_impressions"] = impressions["post_impressions"].to_numpy()
    frame["total_impressions"] = impressions["total_impressions"].to_numpy()
    return frame


def _resolve(
    scenario: Scenario | PopulationCalibration, calibrate_kwargs: dict[str, Any]
) -> PopulationCalibration:
    if isinstance(scenario, PopulationCalibration):
        if calibrate_kwargs:
            raise ParameterError(
                "calibration options cannot be combined with an existing calibration"
            )
        return scenario
    return calibrate_population(scenario, **calibrate_kwargs)


def iter_population(
    scenario: Scenario | PopulationCalibration,
    n: int,
    seed: int = DEFAULT_SEED,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    type_concentration: float = DEFAULT_TYPE_CONCENTRATION,
    **calibrate_kwargs: Any,
) -> Iterator[pd.DataFrame]:
    """Yield a synthetic population in chunks of at most ``chunk_size`` people.

    The people do not depend on ``chunk_size``: concatenating the chunks gives
    exactly :func:`simulate_population` ``(scenario, n, seed).people``. At most one
    chunk and one block (:data:`BLOCK_SIZE`) are held in memory.

    Parameters
    ----------
    scenario
        A scenario (calibrated with ``calibrate_kwargs``) or a calibration.
    n
        Number of people.
    seed
        Root seed; block ``k`` uses ``SeedSequence(seed, spawn_key=(k,))``.
    chunk_size
        People per yielded chunk.
    type_concentration
        Dirichlet concentration of each person's post-type mix.
    **calibrate_kwargs
        Passed to :func:`influence_kit.population.calibrate_population`.
    """
    n = check_positive_int("n", n)
    chunk_size = check_positive_int("chunk_size", chunk_size)
    type_concentration = check_positive("type_concentration", type_concentration)
    cal = _resolve(scenario, calibrate_kwargs)
    weight = cal.online_adults / n
    pending: list[pd.DataFrame] = []
    pending_rows = 0
    for block, start in enumerate(range(0, n, BLOCK_SIZE)):
        size = min(BLOCK_SIZE, n - start)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))
        pending.append(_block(cal, size, rng, start, weight, type_concentration))
        pending_rows += size
        while pending_rows >= chunk_size:
            merged = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
            yield merged.iloc[:chunk_size].reset_index(drop=True)
            rest = merged.iloc[chunk_size:].reset_index(drop=True)
            pending = [rest] if len(rest) else []
            pending_rows = len(rest)
    if pending_rows:
        yield pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]


@dataclass(frozen=True, eq=False)
class SyntheticPopulation(Result):
    """A synthetic population of online adults and the calibration behind it.

    Attributes
    ----------
    people
        One row per person (see :mod:`influence_kit.population` for the columns).
    calibration
        Targets and solved parameters.
    seed
        Root seed.
    """

    people: pd.DataFrame
    calibration: PopulationCalibration
    seed: int

    @property
    def n(self) -> int:
        """Number of simulated people."""
        return len(self.people)

    def totals(self) -> dict[str, float]:
        """Weighted yearly totals of the activity columns."""
        w = self.people["weight"].to_numpy()
        cols = ["network_impressions", "influence_posts", "post_impressions", "total_impressions"]
        return {c: float(w @ self.people[c].to_numpy()) for c in cols}

    def summary(self) -> pd.DataFrame:
        """Weighted totals and Technographics shares beside their targets."""
        cal = self.calibration
        w = self.people["weight"].to_numpy()
        tot = self.totals()
        rows = [
            ("network_impressions", tot["network_impressions"], cal.network_impressions_total),
            ("influence_posts", tot["influence_posts"], cal.posts_total),
            ("adults", float(w.sum()), cal.online_adults),
        ]
        for group, col in FLAG_COLUMNS.items():
            share = float(w @ self.people[col].to_numpy()) / float(w.sum())
            rows.append((f"technographics.{group}", share, cal.technographics[group]))
        return pd.DataFrame(rows, columns=["figure", "simulated", "target"]).set_index("figure")

    def to_dict(self) -> dict[str, Any]:
        """Size, seed, totals and calibration (not the people)."""
        return {
            "n": self.n,
            "seed": self.seed,
            "totals": self.totals(),
            "calibration": self.calibration.to_dict(),
        }


def simulate_population(
    scenario: Scenario | PopulationCalibration,
    n: int,
    seed: int = DEFAULT_SEED,
    *,
    type_concentration: float = DEFAULT_TYPE_CONCENTRATION,
    **calibrate_kwargs: Any,
) -> SyntheticPopulation:
    """Simulate ``n`` online adults calibrated to a scenario, in memory.

    Parameters
    ----------
    scenario
        A scenario with a ``segments`` block, or a :class:`PopulationCalibration`.
    n
        Number of people (the person weights make them represent
        ``online_adults``).
    seed
        Root seed; the same seed gives the same people.
    type_concentration
        Dirichlet concentration of each person's post-type mix.
    **calibrate_kwargs
        Passed to :func:`influence_kit.population.calibrate_population` (``technographics``,
        ``audience_sigma``, ``audience_rho``, ``overlap_share``).

    Returns
    -------
    SyntheticPopulation

    Examples
    --------
    >>> from influence_kit import load_scenario
    >>> pop = simulate_population(load_scenario("forrester-us-2009"), 1000)
    >>> round(pop.totals()["influence_posts"] / 1e9, 2)
    1.64
    """
    cal = _resolve(scenario, calibrate_kwargs)
    chunks = list(
        iter_population(cal, n, seed, chunk_size=BLOCK_SIZE, type_concentration=type_concentration)
    )
    people = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    return SyntheticPopulation(people=people, calibration=cal, seed=int(seed))


@dataclass(frozen=True)
class PopulationFile(Result):
    """A synthetic population written to disk."""

    path: str
    format: str
    n: int
    seed: int
    chunk_size: int
    chunks: int
    network_impressions_total: float
    posts_total: float
    scenario: str

    def summary(self) -> pd.DataFrame:
        """The file's particulars, one row each."""
        return pd.DataFrame(
            [(k, v) for k, v in self.to_dict().items()], columns=["field", "value"]
        ).set_index("field")


#: The table formats :func:`write_population` writes.
_FORMATS: dict[str, Literal["parquet", "csv"]] = {"parquet": "parquet", "csv": "csv"}


#: Bytes one person takes on disk, per format, rounded down (measured on 100,000
#: people: about 45 bytes in zstd Parquet and 148 in CSV); a file that cannot fit in
#: the free space is refused before any of it is written.
_BYTES_PER_PERSON: dict[str, int] = {"parquet": 40, "csv": 140}


def _umask() -> int:
    """The process's file-creation mask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _format_for(path: Path, fmt: str | None) -> Literal["parquet", "csv"]:
    if fmt is not None:
        return _FORMATS[check_choice("format", fmt, tuple(_FORMATS))]
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix == ".csv":
        return "csv"
    raise ParameterError(f"{path}: cannot tell the format from the suffix; use .parquet or .csv")


def write_population(
    path: str | Path,
    scenario: Scenario | PopulationCalibration,
    n: int,
    seed: int = DEFAULT_SEED,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    format: str | None = None,
    compression: str = "zstd",
    type_concentration: float = DEFAULT_TYPE_CONCENTRATION,
    **calibrate_kwargs: Any,
) -> PopulationFile:
    """Stream a synthetic population to Parquet or CSV without holding it in memory.

    Parameters
    ----------
    path
        Output file (``.parquet`` or ``.csv`` unless ``format`` is given); its
        folder is created. Written to a temporary name and renamed at the end.
    scenario, n, seed, type_concentration, calibrate_kwargs
        As for :func:`simulate_population`.
    chunk_size
        People generated and written at a time (one Parquet row group each).
    format
        ``"parquet"`` or ``"csv"``; default from the suffix.
    compression
        Parquet compression codec.

    Returns
    -------
    PopulationFile
        Where and what was written. The same arguments give a byte-identical file.

    Raises
    ------
    ParameterError
        ``path`` is a folder, a device or a FIFO, its folder is not writable, the
        disk lacks the space (estimated up front) or fills up meanwhile: one line
        naming the file; nothing is left behind and an existing file is kept.
    """
    out = check_output_file(path, "population file")
    fmt = _format_for(out, format)
    cal = _resolve(scenario, calibrate_kwargs)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise write_error(err, out.parent, "folder of the population file") from None
    check_disk_space(
        out.parent, check_positive_int("n", n) * _BYTES_PER_PERSON[fmt], f"{format_count(n)} people"
    )
    # A private temporary name in the target folder: concurrent writers never share it,
    # and os.replace makes the finished file appear at once (or not at all).
    try:
        fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    except OSError as err:
        raise write_error(err, out, "population file") from None
    os.close(fd)
    tmp = Path(tmp_name)
    chunks = 0
    net_total = 0.0
    posts_total = 0.0
    writer: Any = None
    try:
        for chunk in iter_population(
            cal, n, seed, chunk_size=chunk_size, type_concentration=type_concentration
        ):
            w = chunk["weight"].to_numpy()
            net_total += float(w @ chunk["network_impressions"].to_numpy())
            posts_total += float(w @ chunk["influence_posts"].to_numpy())
            if fmt == "parquet":
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(chunk, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(str(tmp), table.schema, compression=compression)
                writer.write_table(table, row_group_size=len(chunk))
            else:
                chunk.to_csv(tmp, mode="w" if chunks == 0 else "a", header=chunks == 0, index=False)
            chunks += 1
            logger.debug("wrote chunk %s (%s people) to %s", chunks, len(chunk), tmp)
        if writer is not None:
            writer.close()
            writer = None
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, out)
    except OSError as err:  # a full disk, a folder made read-only meanwhile...
        raise write_error(err, out, "population file") from None
    finally:
        if writer is not None:
            with contextlib.suppress(OSError):  # already failing: keep the first error
                writer.close()
        tmp.unlink(missing_ok=True)
    return PopulationFile(
        path=str(out),
        format=fmt,
        n=check_positive_int("n", n),
        seed=int(seed),
        chunk_size=int(chunk_size),
        chunks=chunks,
        network_impressions_total=net_total,
        posts_total=posts_total,
        scenario=cal.scenario,
    )
