"""Package-wide constants that are not published figures.

Published figures (segment shares, impression totals, readers per post, ...) live only in
the scenario files under ``influence_kit/resources/data/scenarios``; code reads them from a
:class:`~influence_kit.scenarios.Scenario`. What remains here is the toolkit's own choices.
"""

from __future__ import annotations

#: Seed used by the command line, the notebooks and the shipped panel when none is given
#: (the date Forrester published Peer Influence Analysis, 2010-04-20). Library functions
#: follow numpy: ``seed=None`` draws fresh entropy; pass an int or a Generator to repeat.
DEFAULT_SEED = 20100420

#: Name of the scenario used when none is given (shipped in the package).
DEFAULT_SCENARIO = "forrester-us-2009"

# Defaults of the library functions that the command line shows in ``--help``. They live
# here, beside nothing heavy, so that building the parser imports no numerical library;
# the modules that use them import them from here.

#: Fewest observations at or above a candidate x_min (:mod:`influence_kit.fitting`).
MIN_TAIL = 5

#: Top fractions reported by default (generic; pass a scenario's segment shares to
#: report those) (:func:`influence_kit.concentration.concentration`).
DEFAULT_TOP: tuple[float, ...] = (0.01, 0.05, 0.1, 0.2)

#: Shares for which "the smallest fraction of people holding it" is reported (generic;
#: pass a scenario's concentration share to report it).
DEFAULT_SHARES: tuple[float, ...] = (0.5, 0.9)

#: People generated and written at a time by
#: :func:`influence_kit.population.write_population`.
DEFAULT_CHUNK_SIZE = 262_144

#: Numeric roles a person-table column can play (:mod:`influence_kit.segments`).
NUMERIC_ROLES: tuple[str, ...] = (
    "weight",
    "audience",
    "network_updates",
    "network_impressions",
    "influence_posts",
    "post_impressions",
)

#: Technographics groups in ladder order (Inactives last; they are exclusive).
TECHNOGRAPHICS_GROUPS: tuple[str, ...] = (
    "creators",
    "conversationalists",
    "critics",
    "collectors",
    "joiners",
    "spectators",
    "inactives",
)

#: Technographics flag roles (person-table flag columns), in ladder order.
FLAG_ROLES: tuple[str, ...] = tuple(group.removesuffix("s") for group in TECHNOGRAPHICS_GROUPS)

#: Default minimum audience of a Social Broadcaster (see :mod:`influence_kit.segments`).
DEFAULT_BROADCASTER_MIN_AUDIENCE = 10_000.0

#: The headline threshold: "more than 500 billion" influence impressions.
HEADLINE_THRESHOLD = 500e9

#: Default number of Monte Carlo draws (:func:`influence_kit.sensitivity.monte_carlo`).
DEFAULT_DRAWS = 1_000_000

#: Default Sobol base sample size N (SALib evaluates the model N x (D + 2) times).
DEFAULT_SOBOL_N = 4096

#: The Jupyter kernel every notebook runs on. ``ipykernel`` provides it in any venv, and
#: jupyter_client starts it with the interpreter running the render (``sys.executable``),
#: so an installed toolkit renders with its own environment.
KERNEL_NAME = "python3"
