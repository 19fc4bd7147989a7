"""Typed checks of function arguments, with one-line messages naming the parameter.

Every library function validates its arguments with these functions (after
scikit-learn's ``utils/_param_validation`` and statsmodels' ``tools/validation``).
Each returns the value in its canonical type or raises
:class:`~influence_kit.errors.ParameterError` with a one-line message that names
the parameter and shows the value, e.g. ``draws must be a positive integer, got 0``.

Library functions take typed values: numbers are Python or numpy numbers, never
text (the command line, :mod:`influence_kit.cli.common`, is the only place that
parses text). Booleans are not numbers.

Every name is importable from here; the checks live by concern in

* :mod:`.arguments`: numbers, shares, whole numbers, choices, replicate counts, the
  ``n_jobs`` rule, and the range of data values the numerics can handle;
* :mod:`.seeds`: the seed rule, child seeds and the recorded seed;
* :mod:`.budgets`: the memory budget, the most items one computation runs, disk space;
* :mod:`.paths`: the files and folders a user names, and errors met writing them.

Seeds
-----
Every ``seed`` argument follows numpy's rule (:func:`check_random_state`; stated in
full in :mod:`.seeds`): an ``int`` (>= 0) gives the same numbers on every call, a
:class:`numpy.random.Generator` is used (and advanced) as it is, a
:class:`numpy.random.SeedSequence` seeds a fresh generator, and ``None`` draws fresh
entropy, so two calls differ. Independent streams come from :func:`child_seeds`.

Parallel work
-------------
Every ``n_jobs`` argument follows joblib's rule (:func:`resolve_n_jobs`): ``None`` or
``1`` runs in this process, ``-1`` uses every core, ``k > 1`` uses ``k`` worker
processes; ``0`` and values below ``-1`` are refused.

Paths
-----
Every reader of a file or folder named by a user checks it first with
:func:`check_input_file` or :func:`check_input_folder`, and every writer its target
with :func:`check_output_file` or :func:`check_output_folder`, without opening it
(:func:`path_kind`); see :mod:`.paths`.
"""

from __future__ import annotations

from .arguments import (
    MAX_TOTAL_COUNT,
    MIN_REPLICATES,
    VALUE_RANGE,
    check_choice,
    check_fractions,
    check_int,
    check_nonnegative,
    check_nonnegative_numbers,
    check_number,
    check_numbers,
    check_positive,
    check_positive_int,
    check_replicates,
    check_share,
    check_value_range,
    resolve_n_jobs,
)
from .budgets import (
    DEFAULT_MEMORY_BUDGET,
    MAX_ITEMS,
    MEMORY_BUDGET_ENV,
    check_budget,
    check_disk_space,
    memory_budget,
)
from .paths import (
    check_input_file,
    check_input_folder,
    check_output_file,
    check_output_folder,
    path_kind,
    write_error,
)
from .seeds import (
    SeedLike,
    check_random_state,
    check_seed,
    child_seeds,
    nonzero_int_seed,
    seed_entropy,
    seed_sequence,
)

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "MAX_ITEMS",
    "MAX_TOTAL_COUNT",
    "MEMORY_BUDGET_ENV",
    "MIN_REPLICATES",
    "VALUE_RANGE",
    "SeedLike",
    "check_budget",
    "check_choice",
    "check_disk_space",
    "check_fractions",
    "check_input_file",
    "check_input_folder",
    "check_int",
    "check_nonnegative",
    "check_nonnegative_numbers",
    "check_number",
    "check_numbers",
    "check_output_file",
    "check_output_folder",
    "check_positive",
    "check_positive_int",
    "check_random_state",
    "check_replicates",
    "check_seed",
    "check_share",
    "check_value_range",
    "child_seeds",
    "memory_budget",
    "nonzero_int_seed",
    "path_kind",
    "resolve_n_jobs",
    "seed_entropy",
    "seed_sequence",
    "write_error",
]
