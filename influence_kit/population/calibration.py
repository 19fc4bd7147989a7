"""Solve the synthetic population's parameters from a scenario's published figures.

Every parameter of the generator (see :mod:`influence_kit.population` for the
model) is *solved* here from the scenario and the Technographics profile, by
closed forms or one-dimensional root finding (:func:`scipy.optimize.brentq`);
nothing is hand-tuned to the 2009 figures. Changing a figure in the scenario
(for example the 2010 Western Europe figures: connectors 4%, mavens 11.1%,
425 friends) changes the solved parameters accordingly.

Notation: ``c`` is the Mass Connector share, ``m`` the Mass Maven share, ``o``
their overlap, ``S`` the concentration share (80%), ``q_J`` the Joiner share
and ``q_C`` the Critic share. ``Phi`` is the standard normal CDF, ``z_p`` its
upper ``p`` quantile.

* Network impressions are ``exp(sigma_N X_net)`` (rescaled) for the top ``q_J``
  of the latent network score ``X_net`` (the Joiners) and zero otherwise, so the
  top ``c`` hold ``Phi(sigma_N - z_c) / Phi(sigma_N - z_qJ)`` of them; ``sigma_N``
  solves this equal to ``S``. Influence posts likewise with ``X_post``, the
  Critics and ``m``.
* Connectors and Mavens are then the top ``c`` of ``X_net`` and the top ``m`` of
  ``X_post``, so their overlap is the bivariate normal upper orthant
  ``P(X_net > z_c, X_post > z_m; rho)``; the copula correlation ``rho`` solves
  this equal to ``o``.
* Log audience is ``mu_A + sigma_A (rho_A X_net + sqrt(1 - rho_A^2) E)``; the
  Connectors' mean audience is
  ``exp(mu_A + sigma_A^2 / 2) Phi(sigma_A rho_A - z_c) / c``, solved for ``mu_A``.
* Conversationalist, Collector and Spectator flags are thresholds of
  ``sqrt(r) W + sqrt(1 - r) e_k`` with ``W`` the standardised
  ``X_net + X_post``; the loading ``r`` solves P(no activity) = the Inactive
  share (a one-dimensional integral over ``W``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import integrate, optimize, special, stats

from ..accounting import effective_inputs, readers_per_post_by_type
from ..constants import DEFAULT_SCENARIO, TECHNOGRAPHICS_GROUPS
from ..errors import DataError, ParameterError, ScenarioError
from ..formatting import format_value
from ..package_data import resource_path
from ..results import Result
from ..scenarios import Scenario, load_scenario
from ..validation import check_positive, check_share

#: Person-table flag column of each Technographics group (its name in the singular).
FLAG_COLUMNS: dict[str, str] = {group: group.removesuffix("s") for group in TECHNOGRAPHICS_GROUPS}

#: Wave of the Technographics profile used by default (the Peer Influence Analysis wave).
DEFAULT_WAVE = "2009Q4"

#: Default spread (sigma) of log audience: an assumption (no dispersion was published).
DEFAULT_AUDIENCE_SIGMA = 1.0

#: Default correlation of log audience with the latent network score: an assumption.
DEFAULT_AUDIENCE_RHO = 0.6

_GRID = np.linspace(-9.0, 9.0, 6001)


def default_technographics_path() -> Path:
    """Path of the shipped Technographics profile (``data/reference/technographics.csv``)."""
    return resource_path("data", "reference", "technographics.csv")


def technographics_profile(
    wave: str = DEFAULT_WAVE, path: str | Path | None = None
) -> dict[str, float]:
    """Read one wave of the Social Technographics Profile as shares of adults.

    Parameters
    ----------
    wave
        The ``data_year`` of the row (default ``"2009Q4"``, the Peer Influence
        Analysis wave).
    path
        CSV file; default ``data/reference/technographics.csv``.

    Returns
    -------
    dict
        ``{group: share}`` for every group of :data:`TECHNOGRAPHICS_GROUPS`.

    Raises
    ------
    DataError
        If the file, the wave or one of the groups is missing.
    """
    p = Path(path) if path is not None else default_technographics_path()
    if not p.is_file():
        raise DataError(f"{p}: Technographics profile not found")
    with p.open(encoding="utf-8", newline="") as fh:
        rows = {row["data_year"]: row for row in csv.DictReader(fh)}
    if wave not in rows:
        raise DataError(f"{p}: no row with data_year {wave!r} (have: {', '.join(rows)})")
    row = rows[wave]
    out: dict[str, float] = {}
    for group in TECHNOGRAPHICS_GROUPS:
        text = (row.get(group) or "").strip()
        if not text:
            raise DataError(f"{p}: wave {wave} has no {group} percentage")
        out[group] = float(text) / 100.0
    return out


@dataclass(frozen=True)
class PopulationCalibration(Result):
    """Targets of a synthetic population and the parameters solved to meet them.

    Attributes
    ----------
    scenario
        Name of the scenario.
    online_adults
        Adults the population represents (sum of the person weights).
    network_impressions_total, posts_total
        Yearly totals the population reproduces.
    connectors_share, mavens_share, overlap_share, concentration_share
        Segment targets (shares of adults; concentration: share of activity).
    overlap_assumed
        True when the scenario publishes no overlap and the copula correlation
        was carried over from the overlap reference scenario (by default the
        shipped US 2009 one).
    connectors_mean_friends
        Target mean audience of the Mass Connectors.
    technographics
        Target share of adults in each Technographics group.
    post_type_shares, readers_by_type
        Composition of posts by type and readers per post of each type.
    rho
        Gaussian-copula correlation of the latent network and posting scores.
    network_sigma, posts_sigma
        Log-scale spreads of network impressions and posts.
    audience_mu, audience_sigma, audience_rho
        Log-audience location, spread and correlation with the network score.
    flag_loading
        Loading ``r`` of the other Technographics flags on overall engagement.
    creator_given_critic
        Share of Critics who are also Creators (Creators are a subset of Critics).
    """

    scenario: str
    online_adults: float
    network_impressions_total: float
    posts_total: float
    connectors_share: float
    mavens_share: float
    overlap_share: float
    overlap_assumed: bool
    concentration_share: float
    connectors_mean_friends: float
    technographics: dict[str, float]
    post_type_shares: dict[str, float]
    readers_by_type: dict[str, float]
    rho: float
    network_sigma: float
    posts_sigma: float
    audience_mu: float
    audience_sigma: float
    audience_rho: float
    flag_loading: float
    creator_given_critic: float
    notes: tuple[str, ...] = field(default_factory=tuple)
    _scenario: Scenario | None = field(default=None, repr=False, compare=False)

    @property
    def source(self) -> Scenario:
        """The scenario the population was calibrated to (gives its readers per post)."""
        if self._scenario is None:
            raise ScenarioError(f"{self.scenario}: this calibration does not hold its scenario")
        return self._scenario

    @property
    def network_mean(self) -> float:
        """Network impressions per adult per year."""
        return self.network_impressions_total / self.online_adults

    @property
    def posts_mean(self) -> float:
        """Influence posts per adult per year."""
        return self.posts_total / self.online_adults

    def summary(self) -> pd.DataFrame:
        """Every target and solved parameter, one row each."""
        rows: list[tuple[str, str, float]] = [
            ("target", "online_adults", self.online_adults),
            ("target", "network_impressions_total", self.network_impressions_total),
            ("target", "posts_total", self.posts_total),
            ("target", "connectors_share", self.connectors_share),
            ("target", "mavens_share", self.mavens_share),
            ("target", "overlap_share", self.overlap_share),
            ("target", "concentration_share", self.concentration_share),
            ("target", "connectors_mean_friends", self.connectors_mean_friends),
        ]
        rows += [("target", f"technographics.{k}", v) for k, v in self.technographics.items()]
        rows += [
            ("solved", "rho", self.rho),
            ("solved", "network_sigma", self.network_sigma),
            ("solved", "posts_sigma", self.posts_sigma),
            ("solved", "audience_mu", self.audience_mu),
            ("assumed", "audience_sigma", self.audience_sigma),
            ("assumed", "audience_rho", self.audience_rho),
            ("solved", "flag_loading", self.flag_loading),
            ("solved", "creator_given_critic", self.creator_given_critic),
        ]
        return pd.DataFrame(rows, columns=["kind", "name", "value"]).set_index("name")


def upper_orthant(a: float, b: float, rho: float) -> float:
    """``P(X > a, Y > b)`` for standard bivariate normal ``(X, Y)`` with correlation ``rho``."""
    if rho <= -1.0 or rho >= 1.0:
        raise ParameterError(f"rho must lie in (-1, 1), got {rho}")
    s = math.sqrt(1.0 - rho * rho)

    def integrand(x: float) -> float:
        return stats.norm.pdf(x) * special.ndtr((rho * x - b) / s)

    value, _ = integrate.quad(integrand, a, np.inf, epsabs=1e-12, epsrel=1e-10, limit=200)
    return float(value)


def _solve_sigma(top: float, eligible: float, share: float, what: str) -> float:
    """Spread of a zero-inflated lognormal whose top ``top`` hold ``share`` of the total."""
    if not 0 < top < eligible:
        raise ScenarioError(
            f"segments: the top {format_value(top, 4)} by {what} must be fewer than the "
            f"{format_value(eligible, 4)} of adults who have any (Technographics profile)"
        )
    floor = top / eligible
    if not floor < share < 1:
        raise ScenarioError(
            f"segments.concentration_share ({format_value(share, 4)}) must lie between "
            f"{format_value(floor, 4)} (no concentration of {what}) and 1"
        )
    z_top = stats.norm.isf(top)
    z_elig = stats.norm.isf(eligible)

    def gap(sigma: float) -> float:
        return (
            math.log(special.ndtr(sigma - z_top))
            - math.log(special.ndtr(sigma - z_elig))
            - math.log(share)
        )

    return float(optimize.brentq(gap, 1e-9, 40.0, xtol=1e-12))


def _solve_rho(c: float, m: float, overlap: float) -> float:
    """Copula correlation giving ``P(top c by network and top m by posts) = overlap``."""
    a, b = stats.norm.isf(c), stats.norm.isf(m)
    lo, hi = -0.995, 0.995
    f_lo, f_hi = upper_orthant(a, b, lo) - overlap, upper_orthant(a, b, hi) - overlap
    if f_lo > 0 or f_hi < 0:
        raise ScenarioError(
            f"segments.overlap_share ({format_value(overlap, 4)}) cannot be reached with "
            f"connectors {format_value(c, 4)} and mavens {format_value(m, 4)}: it must lie between "
            f"{format_value(f_lo + overlap, 4)} and {format_value(f_hi + overlap, 4)}"
        )
    return float(optimize.brentq(lambda r: upper_orthant(a, b, r) - overlap, lo, hi, xtol=1e-12))


def _none_probability(
    r: float, rho: float, t_join: float, t_critic: float, thresholds: np.ndarray
) -> float:
    """P(no Technographics flag) given the flag loading ``r`` (1-D integral over W)."""
    w = _GRID
    s = math.sqrt(2.0 + 2.0 * rho)
    d = math.sqrt(max(2.0 - 2.0 * rho, 1e-12))
    # X_net = (s W + D) / 2, X_post = (s W - D) / 2 with D ~ N(0, d^2) independent of W.
    both_low = np.clip(
        special.ndtr((2.0 * t_join - s * w) / d) - special.ndtr((s * w - 2.0 * t_critic) / d),
        0.0,
        None,
    )
    others = np.prod(
        special.ndtr((thresholds[:, None] - math.sqrt(r) * w[None, :]) / math.sqrt(1.0 - r)),
        axis=0,
    )
    return float(integrate.trapezoid(stats.norm.pdf(w) * both_low * others, w))


def _solve_flag_loading(
    rho: float, t_join: float, t_critic: float, thresholds: np.ndarray, inactives: float
) -> float:
    lo, hi = 0.0, 0.999

    def gap(r: float) -> float:
        return _none_probability(r, rho, t_join, t_critic, thresholds) - inactives

    g_lo, g_hi = gap(lo), gap(hi)
    if g_lo > 0 or g_hi < 0:
        raise ScenarioError(
            f"technographics: an Inactive share of {format_value(inactives, 4)} cannot be reached "
            f"(the model allows {format_value(g_lo + inactives, 4)} to "
            f"{format_value(g_hi + inactives, 4)})"
        )
    return float(optimize.brentq(gap, lo, hi, xtol=1e-12))


def _segment_figures(scenario: Scenario) -> dict[str, float | None]:
    """Base values of the scenario's segment figures (``None`` when not published)."""
    seg = scenario.segments
    if seg is None:
        return {}
    quantities = {
        "mass_connectors_share": seg.mass_connectors_share,
        "mass_mavens_share": seg.mass_mavens_share,
        "overlap_share": seg.overlap_share,
        "concentration_share": seg.concentration_share,
        "connectors_mean_friends": seg.connectors_mean_friends,
    }
    return {k: None if q is None else float(q.base) for k, q in quantities.items()}


def reference_scenario() -> Scenario:
    """The shipped default scenario (:data:`~influence_kit.constants.DEFAULT_SCENARIO`).

    Its segment figures give the copula correlation carried over to scenarios
    that publish no overlap.
    """
    return load_scenario(DEFAULT_SCENARIO)


def calibrate_population(
    scenario: Scenario,
    *,
    technographics: Mapping[str, float] | None = None,
    audience_sigma: float = DEFAULT_AUDIENCE_SIGMA,
    audience_rho: float = DEFAULT_AUDIENCE_RHO,
    overlap_share: float | None = None,
    assume_overlap: bool = False,
    overlap_reference: Scenario | None = None,
) -> PopulationCalibration:
    """Solve every generator parameter from a scenario's published figures.

    Parameters
    ----------
    scenario
        A scenario with a ``segments`` block giving at least
        ``mass_connectors_share``, ``mass_mavens_share`` and
        ``connectors_mean_friends``.
    technographics
        Target shares of adults per Technographics group; default: the 2009Q4
        wave of ``data/reference/technographics.csv``.
    audience_sigma, audience_rho
        Spread of log audience and its correlation with the network score
        (assumptions; defaults :data:`DEFAULT_AUDIENCE_SIGMA`,
        :data:`DEFAULT_AUDIENCE_RHO`).
    overlap_share
        Overrides the scenario's overlap. When neither gives one, the copula
        correlation solved from the segment figures of ``overlap_reference`` is
        used: the assumption is that network and posting activity depend on
        each other as they did in the US survey.
    assume_overlap
        Ignore any overlap figure and carry over the reference copula correlation
        (for scenarios made by overriding the US one, whose overlap would stay).
    overlap_reference
        Scenario publishing connector, maven and overlap shares whose copula
        correlation is carried over (``None``: :func:`reference_scenario`, the
        US 2009 figures).

    Returns
    -------
    PopulationCalibration

    Raises
    ------
    ScenarioError
        If a needed figure is missing or the figures cannot be met together.
    ParameterError
        If an assumption is out of range.
    """
    audience_sigma = check_positive("audience_sigma", audience_sigma)
    if not -1 < audience_rho < 1:
        raise ParameterError(f"audience_rho must lie in (-1, 1), got {audience_rho}")
    origin = scenario.name
    figures = _segment_figures(scenario)
    c = figures.get("mass_connectors_share")
    m = figures.get("mass_mavens_share")
    friends = figures.get("connectors_mean_friends")
    share = figures.get("concentration_share")
    for key, value in (
        ("mass_connectors_share", c),
        ("mass_mavens_share", m),
        ("connectors_mean_friends", friends),
    ):
        if value is None or value <= 0:
            raise ScenarioError(
                f"{origin}: segments.{key} is needed (and must be positive) to calibrate a "
                "synthetic population"
            )
    assert c is not None and m is not None and friends is not None and share is not None
    profile = dict(technographics) if technographics is not None else technographics_profile()
    missing = [g for g in TECHNOGRAPHICS_GROUPS if g not in profile]
    if missing:
        raise ParameterError(f"technographics: missing groups {', '.join(missing)}")
    for g, v in profile.items():
        check_share(f"technographics.{g}", v, closed=False)
    notes: list[str] = []
    if profile["creators"] > profile["critics"]:
        raise ParameterError(
            "technographics: creators must not outnumber critics (Creators are modelled as a "
            "subset of Critics)"
        )
    q_join, q_critic = profile["joiners"], profile["critics"]
    network_sigma = _solve_sigma(c, q_join, share, "network impressions")
    posts_sigma = _solve_sigma(m, q_critic, share, "influence posts")

    overlap = overlap_share if overlap_share is not None else figures.get("overlap_share")
    if assume_overlap:
        overlap = None
    assumed = overlap is None
    if overlap is None:
        ref = overlap_reference if overlap_reference is not None else reference_scenario()
        ref_figures = _segment_figures(ref)
        c_ref, m_ref, o_ref = (
            ref_figures.get(k)
            for k in ("mass_connectors_share", "mass_mavens_share", "overlap_share")
        )
        if not c_ref or not m_ref or o_ref is None:
            raise ScenarioError(
                f"{ref.name}: the overlap reference must publish connector, maven and overlap "
                "shares"
            )
        rho = _solve_rho(c_ref, m_ref, o_ref)
        overlap = upper_orthant(stats.norm.isf(c), stats.norm.isf(m), rho)
        notes.append(
            f"no overlap published: copula correlation {format_value(rho, 4)} carried over from "
            f"the {ref.name} figures, giving an overlap of {format_value(overlap, 4)}"
        )
    else:
        rho = _solve_rho(c, m, overlap)

    z_c = stats.norm.isf(c)
    audience_mu = (
        math.log(friends)
        - audience_sigma**2 / 2.0
        - math.log(special.ndtr(audience_sigma * audience_rho - z_c) / c)
    )
    t_join = stats.norm.ppf(1.0 - q_join)
    t_critic = stats.norm.ppf(1.0 - q_critic)
    others = np.array(
        [
            stats.norm.ppf(1.0 - profile[g])
            for g in ("conversationalists", "collectors", "spectators")
        ]
    )
    loading = _solve_flag_loading(rho, t_join, t_critic, others, profile["inactives"])

    shares = {k: float(q.base) for k, q in scenario.post_type_shares.items()}
    readers = readers_per_post_by_type(scenario)
    return PopulationCalibration(
        scenario=scenario.name,
        online_adults=float(scenario.online_adults.base),
        network_impressions_total=float(effective_inputs(scenario).network_impressions.base),
        posts_total=float(scenario.influence_posts.base),
        connectors_share=c,
        mavens_share=m,
        overlap_share=float(overlap),
        overlap_assumed=assumed,
        concentration_share=share,
        connectors_mean_friends=friends,
        technographics={g: float(profile[g]) for g in TECHNOGRAPHICS_GROUPS},
        post_type_shares=shares,
        readers_by_type=readers,
        rho=rho,
        network_sigma=network_sigma,
        posts_sigma=posts_sigma,
        audience_mu=audience_mu,
        audience_sigma=float(audience_sigma),
        audience_rho=float(audience_rho),
        flag_loading=loading,
        creator_given_critic=profile["creators"] / profile["critics"],
        notes=tuple(notes),
        _scenario=scenario,
    )
