"""The seed rule: what every ``seed`` argument accepts and how streams are derived.

Every ``seed`` argument follows numpy's rule (:func:`check_random_state`):

* an ``int`` (>= 0) gives the same numbers on every call;
* a :class:`numpy.random.Generator` is used (and advanced) as it is;
* a :class:`numpy.random.SeedSequence` seeds a fresh generator;
* ``None`` draws fresh entropy from the operating system, so two calls differ.

Pass :data:`influence_kit.constants.DEFAULT_SEED` (as the command line and the
notebooks do) for repeatable numbers. Functions that run independent streams
(chunks, inputs, bootstrap) derive them with :func:`child_seeds`, so the numbers do
not depend on where a chunk runs.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..errors import ParameterError
from .arguments import check_int

#: What ``seed`` arguments accept (see the module notes).
SeedLike = int | np.integer | np.random.Generator | np.random.SeedSequence | None


def seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """The :class:`numpy.random.SeedSequence` of ``seed`` (rule in the module notes).

    A Generator is advanced by one draw, so consecutive calls with the same
    Generator give different sequences, as numpy's own samplers do.
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2**63, size=4, dtype=np.uint64).tolist())
    if seed is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(check_int("seed", seed, minimum=0))


def check_random_state(seed: SeedLike) -> np.random.Generator:
    """A :class:`numpy.random.Generator` from ``seed`` (rule in the module notes).

    Raises
    ------
    ParameterError
        If ``seed`` is a negative or non-integer number, text, a bool or any other type.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    _check_seed_type(seed)
    return np.random.default_rng(seed_sequence(seed))


def _check_seed_type(seed: Any) -> None:
    if seed is None or isinstance(seed, (np.random.SeedSequence, np.random.Generator)):
        return
    if not isinstance(seed, (numbers.Integral)) or isinstance(seed, (bool, np.bool_)):
        raise ParameterError(
            f"seed must be an integer >= 0, a numpy Generator, a SeedSequence or None, got {seed!r}"
        )
    check_int("seed", seed, minimum=0)


def check_seed(seed: SeedLike) -> np.random.SeedSequence:
    """Validate ``seed`` and return its :class:`~numpy.random.SeedSequence` (module notes)."""
    _check_seed_type(seed)
    return seed_sequence(seed)


def seed_entropy(seq: np.random.SeedSequence) -> int | None:
    """The integer that recreates ``seq`` (``None`` when it came from a Generator).

    Results record it, so a run with ``seed=None`` can be repeated with this seed.
    """
    entropy = seq.entropy
    if isinstance(entropy, (int, np.integer)) and not seq.spawn_key:
        return int(entropy)
    return None


def child_seeds(seed: SeedLike, n: int) -> list[np.random.SeedSequence]:
    """``n`` independent child seed sequences of ``seed`` (stable for an int seed)."""
    return check_seed(seed).spawn(check_int("n", n, minimum=0))


def nonzero_int_seed(seq: np.random.SeedSequence) -> int:
    """A positive 31-bit integer seed from ``seq``.

    For libraries that take only integer seeds and treat 0 as "unseeded" (SALib's
    ``analyze.sobol``), so every seed of ours, 0 included, stays reproducible.
    """
    return int(seq.generate_state(1, dtype=np.uint32)[0] % (2**31 - 2)) + 1
