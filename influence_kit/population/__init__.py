"""A synthetic population of online adults calibrated to Forrester's published figures.

Forrester's survey microdata are not public, so the toolkit simulates people
whose weighted figures reproduce every published one (with the default scenario:
the 2009Q4 Technographics profile; the top 6.2% by network impressions make 80%
of them, the top 13.8% by influence posts make 80% of posts, 3.7% are both;
256e9 network impressions and 1.64e9 posts a year for 176 million adults; Mass
Connectors average 537 friends).

The model
---------
Each person has two latent standard-normal scores: network activity ``X_net``
and posting activity ``X_post``, joined by a **Gaussian copula** with correlation
``rho``. A Gaussian copula is the simplest dependence with one parameter that
moves the overlap of the two top groups continuously from none to complete, and
its orthant probabilities have a one-dimensional integral, so ``rho`` is solved
exactly from the published overlap (3.7% -> ``rho`` about 0.65).

* **Network impressions** (updates x audience, Forrester's definition) are zero
  for non-Joiners and ``exp(sigma_N X_net)`` (scaled to the scenario's total)
  for the top 59% of ``X_net`` (the Joiners): a zero-inflated, truncated
  **lognormal**. Its top-share curve has a closed form, so ``sigma_N`` is solved
  so that the top 6.2% hold 80%. **Influence posts** likewise, non-zero for the
  Critics (top 37% of ``X_post``), with ``sigma_P`` solved for 13.8% -> 80%. A
  lognormal rather than a Pareto tail: all its moments exist, so block totals and
  top shares are stable at the sizes used here, and its top-share curve has
  a closed form (the top ``p`` of a lognormal hold ``Phi(sigma + Phi^-1(p))``).
* **Audience** (friends/followers across networks) is lognormal with log-scale
  correlation 0.6 with ``X_net`` and spread 1 (assumptions; Joiners' median about 170);
  its location is solved so that the Mass Connectors average 537.
  **Network updates** per year are impressions / audience.
* **Posts by type**: each poster's mix is a Dirichlet draw around the scenario's
  post-type shares; blog posts only for Creators; iterative proportional fitting
  makes each block's totals by type match the shares exactly. **Post
  impressions** are posts x readers per post (per type when the scenario says).
* **Technographics flags**: Joiners are the people with network impressions and
  Critics the people with posts (so both percentages are exact); Creators are a
  random subset of Critics (24/37 of them: an assumption, the ladder's upper rungs
  mostly also climb the lower ones); Conversationalists, Collectors and Spectators
  are thresholds of ``sqrt(r) W + sqrt(1 - r) e`` with ``W`` overall engagement
  (standardised ``X_net + X_post``) and ``r`` solved so that 17% have no activity
  (the Inactives).

Every parameter is solved by :func:`calibrate_population` (closed forms and
:func:`scipy.optimize.brentq`), none is tuned by hand: a scenario with other
figures (2010 Western Europe: 4%, 11.1%, 425 friends) gives other parameters.
When a scenario publishes no overlap, the copula correlation solved from the
US 2009 figures (the shipped scenario, :func:`reference_scenario`) is carried
over (assumption: network and posting activity go together as in the US
survey); the implied overlap is recorded in the calibration's notes. For
Western Europe 2010 this gives 2.37%, close to the 2.39% that
``data/scenarios/western-europe-2010.yaml`` assumes (the US share of Connectors
who are also Mavens); ``calibrate_population(..., assume_overlap=True)`` ignores
a scenario's overlap and uses the carried-over correlation.

Sampling: stratified, seeded, chunkable
---------------------------------------
People are generated in blocks of :data:`BLOCK_SIZE` with child seeds
``SeedSequence(seed, spawn_key=(block,))``. Within a block the marginals are
**stratified** (Latin-hypercube style): the ``k``-th ranked person by ``X_net``
receives the exact mean of the lognormal over the ``k``-th of ``b`` equal
probability strata, so every block's totals and top-share curve are exact and
only the dependence (who is top in both), the audience, the flags and the type
mixes are random. This removes the large sampling noise of lognormal tails
with sigma about 2.4 (the mean of 1e5 plain draws is off by about 5%), makes
the figures hold for any ``n >= 1e5``, and keeps chunked output identical to
unchunked output.

Columns of the person table: ``person_id``, ``weight`` (adults each row
represents), the flags ``creator``, ``conversationalist``, ``critic``,
``collector``, ``joiner``, ``spectator``, ``inactive``; ``audience``,
``network_updates``, ``network_impressions``, one column per post type
(``reviews``, ``forum_posts``, ``blog_comments``, ``blog_posts``),
``influence_posts``, ``post_impressions``, ``total_impressions``. Posts and
updates are yearly rates (floats), not counts.
"""

from .calibration import (
    FLAG_COLUMNS,
    TECHNOGRAPHICS_GROUPS,
    PopulationCalibration,
    calibrate_population,
    reference_scenario,
    technographics_profile,
    upper_orthant,
)
from .generator import (
    BLOCK_SIZE,
    DEFAULT_CHUNK_SIZE,
    PopulationFile,
    SyntheticPopulation,
    iter_population,
    simulate_population,
    write_population,
)
from .panel import PANEL_COMMAND, PANEL_PATH, PANEL_SIZE, default_panel_path, load_panel

__all__ = [
    "BLOCK_SIZE",
    "DEFAULT_CHUNK_SIZE",
    "FLAG_COLUMNS",
    "PANEL_COMMAND",
    "PANEL_PATH",
    "PANEL_SIZE",
    "TECHNOGRAPHICS_GROUPS",
    "PopulationCalibration",
    "PopulationFile",
    "SyntheticPopulation",
    "calibrate_population",
    "default_panel_path",
    "iter_population",
    "load_panel",
    "reference_scenario",
    "simulate_population",
    "technographics_profile",
    "upper_orthant",
    "write_population",
]
