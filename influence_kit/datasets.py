"""The datasets shipped with influence_kit, one loader each (after ``lifelines.datasets``).

Every loader reads its file from the installed package (:mod:`importlib.resources`, never
the working directory) and returns a :class:`pandas.DataFrame` whose columns, source and
citation its docstring gives. :func:`list_datasets` lists them all with their citations;
:func:`dataset_path` gives a dataset's file, for tools that want a path (the command line's
``influence-kit fit``, :func:`influence_kit.fitting.replication.replicate`).

Three groups:

* the datasets of Clauset, Shalizi & Newman (2009) refitted in the replication report:
  :func:`load_words`, :func:`load_terrorism`, :func:`load_blackouts`, :func:`load_cities`,
  :func:`load_fires`, :func:`load_flares`, :func:`load_quakes`,
  :func:`load_quake_magnitudes`, :func:`load_surnames`, :func:`load_weblinks`;
* real per-person social data: :func:`load_wiki_vote_edges`, :func:`load_wiki_vote_users`,
  :func:`load_facebook_edges`, :func:`load_facebook_degrees`,
  :func:`load_scifi_stackexchange_users` (without the Community bot; other Stack Exchange
  user tables drop it with :func:`drop_stackexchange_community`);
* published reference tables: :func:`load_clauset_table61`, :func:`load_clauset_table62`,
  :func:`load_technographics`, :func:`load_reach_evidence` (one row per published figure on
  audience, reach and engagement; :mod:`influence_kit.evidence` reads single figures).

The synthetic panel and the scenarios are loaded by
:func:`influence_kit.population.load_panel` and :func:`influence_kit.scenarios.load_scenario`.

Examples
--------
>>> from influence_kit.datasets import load_words
>>> words = load_words()
>>> len(words), int(words["count"].max())
(18855, 14086)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, Unpack

import pandas as pd

from .constants import TECHNOGRAPHICS_GROUPS
from .errors import DataError
from .package_data import resource, resource_path

__all__ = [
    "STACKEXCHANGE_COMMUNITY_ID",
    "activity_columns",
    "dataset_description",
    "dataset_path",
    "drop_stackexchange_community",
    "list_datasets",
    "load_blackouts",
    "load_cities",
    "load_clauset_table61",
    "load_clauset_table62",
    "load_facebook_degrees",
    "load_facebook_edges",
    "load_fires",
    "load_flares",
    "load_quake_magnitudes",
    "load_quakes",
    "load_reach_evidence",
    "load_scifi_stackexchange_users",
    "load_surnames",
    "load_technographics",
    "load_terrorism",
    "load_weblinks",
    "load_wiki_vote_edges",
    "load_wiki_vote_users",
    "load_words",
]

CLAUSET_2009 = (
    'A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in empirical data", '
    "SIAM Review 51(4), 661-703 (2009)."
)
WIKI_VOTE = (
    'J. Leskovec, D. Huttenlocher & J. Kleinberg, "Signed networks in social media", CHI 2010, '
    'and "Predicting positive and negative links in online social networks", WWW 2010 '
    "(SNAP wiki-Vote)."
)
EGO_FACEBOOK = (
    'J. McAuley & J. Leskovec, "Learning to discover social circles in ego networks", NIPS 2012 '
    "(SNAP ego-Facebook; research use with citation)."
)
SCIFI_STACKEXCHANGE = (
    "Stack Exchange data dump, scifi.stackexchange.com users 2011-01 to 2014-09, licensed "
    "CC BY-SA; attribution to scifi.stackexchange.com."
)
#: ``Id`` of the Community user of every Stack Exchange site: a bot that owns community wiki
#: posts and casts the site's automatic votes, not a person, so person-level figures drop it.
STACKEXCHANGE_COMMUNITY_ID = -1
TECHNOGRAPHICS = (
    "Forrester Research, Social Technographics Profile of US online adults by survey wave, as "
    "published in C. Li & J. Bernoff, Groundswell (Harvard Business Press, 2008) and "
    "Forrester blog posts 2008-2010."
)
REACH_EVIDENCE = (
    "Published figures on audience, reach, cascades and engagement, one citation per row "
    "(Bernstein et al. CHI 2013; Goel, Watts & Goldstein EC 2012; Kwak et al. WWW 2010; "
    "Wu et al. WWW 2011; Pew Research Center 2019; Ogilvy 2014; Locowise 2015-2016; "
    "Nielsen 2006; and others), compiled for influence_kit in 2026."
)

#: Columns of :func:`load_reach_evidence`, in file order.
REACH_EVIDENCE_COLUMNS: tuple[str, ...] = (
    "id",
    "quantity",
    "value",
    "low",
    "high",
    "unit",
    "population",
    "year",
    "platform",
    "citation",
    "url_or_doi",
    "verification",
    "note",
)


@dataclass(frozen=True)
class _Dataset:
    """One shipped dataset: its file below ``data/`` and how to read and cite it."""

    file: str
    description: str
    citation: str
    columns: tuple[str, ...]
    sep: str = ","
    header: bool = True
    comment: str | None = None


_DATASETS: dict[str, _Dataset] = {
    "words": _Dataset(
        "clauset2009/words.txt",
        "Frequency of each distinct word in Herman Melville's Moby Dick (discrete)",
        CLAUSET_2009,
        ("count",),
        header=False,
    ),
    "terrorism": _Dataset(
        "clauset2009/terrorism.txt",
        "Deaths per terrorist attack worldwide, February 1968 to June 2006 (discrete)",
        CLAUSET_2009,
        ("deaths",),
        header=False,
    ),
    "blackouts": _Dataset(
        "clauset2009/blackouts.txt",
        "Customers affected by each US electrical blackout, 1984-2002",
        CLAUSET_2009,
        ("customers",),
        header=False,
    ),
    "cities": _Dataset(
        "clauset2009/cities.txt",
        "Population of US cities (2000 census)",
        CLAUSET_2009,
        ("population",),
        header=False,
    ),
    "fires": _Dataset(
        "clauset2009/fires.txt",
        "Size in acres of wildfires on US federal land, 1986-1996",
        CLAUSET_2009,
        ("acres",),
        header=False,
    ),
    "flares": _Dataset(
        "clauset2009/flares.txt",
        "Peak gamma-ray intensity of solar flares, 1980-1989",
        CLAUSET_2009,
        ("peak_intensity",),
        header=False,
    ),
    "quakes": _Dataset(
        "clauset2009/quakes.txt",
        "Intensity (10 to the power of the magnitude) of California earthquakes, 1910-1992",
        CLAUSET_2009,
        ("intensity",),
        header=False,
    ),
    "quake_magnitudes": _Dataset(
        "clauset2009/quakes_original.txt",
        "Magnitudes of the earthquakes of the quakes dataset",
        CLAUSET_2009,
        ("magnitude",),
        header=False,
    ),
    "surnames": _Dataset(
        "clauset2009/surnames.txt",
        "Frequency of family names in the US (1990 census)",
        CLAUSET_2009,
        ("frequency",),
        header=False,
    ),
    "weblinks": _Dataset(
        "clauset2009/weblinks.hist",
        "In-links to web sites (1997 web crawl) as a histogram of degree and frequency",
        CLAUSET_2009,
        ("degree", "frequency"),
        sep="\t",
    ),
    "wiki_vote_edges": _Dataset(
        "social/snap_wiki-Vote.txt",
        "Wikipedia adminship votes to January 2008: one row per vote, voter -> candidate",
        WIKI_VOTE,
        ("from_node", "to_node"),
        sep="\t",
        header=False,
        comment="#",
    ),
    "wiki_vote_users": _Dataset(
        "social/wiki-Vote_per_user.tsv",
        "Votes cast and received per Wikipedia user, derived from the wiki-Vote edges",
        WIKI_VOTE,
        ("user", "votes_cast", "votes_received"),
        sep="\t",
    ),
    "facebook_edges": _Dataset(
        "social/snap_ego-facebook_combined.txt",
        "Friendships among the 4,039 people of SNAP ego-Facebook: one row per friendship",
        EGO_FACEBOOK,
        ("node_a", "node_b"),
        sep=" ",
        header=False,
    ),
    "facebook_degrees": _Dataset(
        "social/facebook_degree.tsv",
        "Friend count of each of the 4,039 people in SNAP ego-Facebook",
        EGO_FACEBOOK,
        ("node", "degree"),
        sep="\t",
    ),
    "scifi_stackexchange_users": _Dataset(
        "social/scifi_stackexchange_users_counts.tsv",
        "Reputation, views and votes of scifi.stackexchange.com users, 2011-01 to 2014-09",
        SCIFI_STACKEXCHANGE,
        ("Id", "Reputation", "Views", "UpVotes", "DownVotes", "CreationDate", "LastAccessDate"),
        sep="\t",
    ),
    "clauset_table61": _Dataset(
        "reference/clauset2009_table61.csv",
        "Table 6.1 of Clauset et al. (2009): power-law fits of 24 empirical datasets",
        CLAUSET_2009,
        (
            "dataset",
            "quantity",
            "n",
            "mean",
            "sd",
            "x_max",
            "xmin",
            "xmin_err",
            "alpha",
            "alpha_err",
            "ntail",
            "ntail_err",
            "p_gof",
            "data_scale_note",
        ),
    ),
    "clauset_table62": _Dataset(
        "reference/clauset2009_table62.csv",
        "Table 6.2 of Clauset et al. (2009): likelihood-ratio tests against alternatives",
        CLAUSET_2009,
        (
            "dataset",
            "type",
            "p_powerlaw",
            "poisson_LR",
            "poisson_p",
            "lognormal_LR",
            "lognormal_p",
            "exponential_LR",
            "exponential_p",
            "stretched_exp_LR",
            "stretched_exp_p",
            "pl_cutoff_LR",
            "pl_cutoff_p",
            "support",
        ),
    ),
    "technographics": _Dataset(
        "reference/technographics.csv",
        "Forrester Social Technographics Profile of US online adults (% at least monthly)",
        TECHNOGRAPHICS,
        ("data_year", "published", *TECHNOGRAPHICS_GROUPS, "note"),
    ),
    "reach_evidence": _Dataset(
        "reference/reach-evidence.csv",
        "Published figures on audience, reach, cascades and engagement, with full citations",
        REACH_EVIDENCE,
        REACH_EVIDENCE_COLUMNS,
    ),
}


def _entry(name: str) -> _Dataset:
    try:
        return _DATASETS[name]
    except KeyError:
        raise DataError(
            f"unknown dataset {name!r} (shipped: {', '.join(sorted(_DATASETS))})"
        ) from None


def dataset_path(name: str) -> Path:
    """The file of a shipped dataset, as a file-system path.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets` (``"words"``, ``"wiki_vote_users"``, ...).

    Returns
    -------
    pathlib.Path
        The file inside the installed package.

    Raises
    ------
    DataError
        If no dataset has that name.
    """
    return resource_path("data", *_entry(name).file.split("/"))


def dataset_description(name: str) -> str:
    """What a shipped dataset holds, in words (its entry in :func:`list_datasets`).

    Examples
    --------
    >>> dataset_description("facebook_degrees")
    'Friend count of each of the 4,039 people in SNAP ego-Facebook'

    Raises
    ------
    DataError
        If ``name`` is not a shipped dataset.
    """
    return _entry(name).description


def list_datasets() -> pd.DataFrame:
    """Every shipped dataset with its description, citation and file.

    Returns
    -------
    pandas.DataFrame
        One row per dataset, columns ``name``, ``description``, ``citation`` and ``file``
        (the path below ``influence_kit/resources/data``), sorted by name.
    """
    rows = [
        {"name": name, "description": d.description, "citation": d.citation, "file": d.file}
        for name, d in sorted(_DATASETS.items())
    ]
    return pd.DataFrame(rows, columns=["name", "description", "citation", "file"])


class _ReadOptions(TypedDict, total=False):
    """The :func:`pandas.read_csv` options a loader may add to its dataset's own."""

    dtype: type[str] | dict[str, type[str]]
    keep_default_na: bool


def _load(name: str, **read_options: Unpack[_ReadOptions]) -> pd.DataFrame:
    d = _entry(name)
    with resource("data", *d.file.split("/")).open("rb") as fh:
        frame = pd.read_csv(
            fh,
            sep=d.sep,
            header=0 if d.header else None,
            names=None if d.header else list(d.columns),
            comment=d.comment,
            **read_options,
        )
    if tuple(frame.columns) != d.columns:
        raise DataError(f"{d.file}: columns {list(frame.columns)}, expected {list(d.columns)}")
    frame.attrs["citation"] = d.citation
    frame.attrs["dataset"] = name
    return frame


def load_words() -> pd.DataFrame:
    """Word frequencies in Moby Dick (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        18,855 rows, one per distinct word, column ``count`` (int): times the word occurs
        in Herman Melville's *Moby Dick*. Discrete; Table 6.1 fits it unscaled.

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("words")


def load_terrorism() -> pd.DataFrame:
    """Deaths per terrorist attack (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        9,101 rows, one per attack, column ``deaths`` (int): people killed. Discrete;
        Table 6.1 fits it unscaled.

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("terrorism")


def load_blackouts() -> pd.DataFrame:
    """Customers affected by US electrical blackouts (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        211 rows, one per blackout, column ``customers`` (int). Continuous; Table 6.1 shows
        it in thousands (scale 1e-3).

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("blackouts")


def load_cities() -> pd.DataFrame:
    """Populations of US cities (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        19,447 rows, one per city, column ``population`` (int). Continuous; Table 6.1 shows
        it in thousands (scale 1e-3).

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("cities")


def load_fires() -> pd.DataFrame:
    """Sizes of forest fires (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        203,785 rows, one per fire, column ``acres`` (float). Continuous. Table 6.1's mean,
        sd and x_max are these values divided by 100, its x_min (6324) is in acres.

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("fires")


def load_flares() -> pd.DataFrame:
    """Peak intensities of solar flares (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        12,773 rows, one per flare, column ``peak_intensity`` (int, counts per second).
        Continuous; Table 6.1 fits it unscaled.

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("flares")


def load_quakes() -> pd.DataFrame:
    """Earthquake intensities (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        19,302 rows, one per earthquake, column ``intensity`` (float): 10 to the power of
        the magnitude, 70 distinct values. Continuous; Table 6.1 shows it scaled by 1e-3.
        The magnitudes themselves are :func:`load_quake_magnitudes`.

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("quakes")


def load_quake_magnitudes() -> pd.DataFrame:
    """Earthquake magnitudes behind :func:`load_quakes` (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        19,302 rows in the same order as :func:`load_quakes`, column ``magnitude`` (float).

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("quake_magnitudes")


def load_surnames() -> pd.DataFrame:
    """Frequencies of US surnames (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        2,753 rows, one per surname, column ``frequency`` (float). Continuous with many
        ties; Table 6.1 shows it scaled by 1e-3.

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("surnames")


def load_weblinks() -> pd.DataFrame:
    """In-links to web sites, as a histogram (Clauset et al. 2009).

    Returns
    -------
    pandas.DataFrame
        14,480 rows, columns ``degree`` (int, number of in-links) and ``frequency`` (int,
        web sites with that many in-links): 276,588,688 sites, 241,428,853 of them with at
        least one in-link. Table 6.1 fits it unscaled.

    Notes
    -----
    Source: the datasets distributed by A. Clauset with the paper below.

    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009).
    """
    return _load("weblinks")


def load_wiki_vote_edges() -> pd.DataFrame:
    """Wikipedia adminship votes (SNAP wiki-Vote).

    Returns
    -------
    pandas.DataFrame
        103,689 rows, one per vote, columns ``from_node`` (the voter) and ``to_node`` (the
        candidate), both int user ids: 7,115 people voting up to January 2008.

    Notes
    -----
    Source: Stanford Network Analysis Project (SNAP), dataset wiki-Vote.

    Citation: J. Leskovec, D. Huttenlocher & J. Kleinberg, "Signed networks in social
    media", CHI 2010, and "Predicting positive and negative links in online social
    networks", WWW 2010.
    """
    return _load("wiki_vote_edges")


def load_wiki_vote_users() -> pd.DataFrame:
    """Votes cast and received per Wikipedia user (derived from SNAP wiki-Vote).

    Returns
    -------
    pandas.DataFrame
        7,115 rows, one per user, columns ``user`` (int id), ``votes_cast`` and
        ``votes_received`` (int), computed from :func:`load_wiki_vote_edges`.

    Notes
    -----
    Source: Stanford Network Analysis Project (SNAP), dataset wiki-Vote.

    Citation: J. Leskovec, D. Huttenlocher & J. Kleinberg, "Signed networks in social
    media", CHI 2010, and "Predicting positive and negative links in online social
    networks", WWW 2010.
    """
    return _load("wiki_vote_users")


def load_facebook_edges() -> pd.DataFrame:
    """Friendships in SNAP ego-Facebook (an undirected graph).

    Returns
    -------
    pandas.DataFrame
        88,234 rows, one per friendship, columns ``node_a`` and ``node_b`` (int ids
        0-4,038): the union of ten ego networks of Facebook users. Each friendship is
        listed once; friends see each other's posts in both directions.

    Notes
    -----
    Source: Stanford Network Analysis Project (SNAP), dataset ego-Facebook
    (``facebook_combined.txt``); research use with citation.

    Citation: J. McAuley & J. Leskovec, "Learning to discover social circles in ego
    networks", NIPS 2012.
    """
    return _load("facebook_edges")


def load_facebook_degrees() -> pd.DataFrame:
    """Friend counts in SNAP ego-Facebook.

    Returns
    -------
    pandas.DataFrame
        4,039 rows, one per person, columns ``node`` (int id) and ``degree`` (int, friends
        within the network: 88,234 friendships in all).

    Notes
    -----
    Source: Stanford Network Analysis Project (SNAP), dataset ego-Facebook; research use
    with citation.

    Citation: J. McAuley & J. Leskovec, "Learning to discover social circles in ego
    networks", NIPS 2012.
    """
    return _load("facebook_degrees")


def load_scifi_stackexchange_users() -> pd.DataFrame:
    """Activity counts of scifi.stackexchange.com users, 2011-01 to 2014-09.

    Returns
    -------
    pandas.DataFrame
        One row per user (names and locations removed), columns ``Id`` (int),
        ``Reputation``, ``Views``, ``UpVotes``, ``DownVotes`` (int) and ``CreationDate``,
        ``LastAccessDate`` (ISO timestamps as text). Reputation starts at 1 and linked
        accounts get +100. The Community bot (``Id`` -1,
        :data:`STACKEXCHANGE_COMMUNITY_ID`) is dropped, as the data README says: it is not a
        person (:func:`drop_stackexchange_community`), so 24,259 users remain of the file's
        24,260 rows; the index runs from 0.

    Notes
    -----
    Source: Stack Exchange data dump, licensed CC BY-SA.

    Citation: scifi.stackexchange.com users, Stack Exchange data dump (CC BY-SA);
    attribution to scifi.stackexchange.com.
    """
    return drop_stackexchange_community(_load("scifi_stackexchange_users"))


def activity_columns() -> dict[str, pd.Series]:
    """Per-person activity in the shipped real data sets, labelled for tables and charts.

    The analogues of Forrester's channels that the reports measure: votes cast and
    received on wiki-Vote, upvotes cast and reputation on Stack Exchange (without the
    Community bot), and friends on ego-Facebook.

    Returns
    -------
    dict of str to pandas.Series
        ``"data set: what"`` -> one value per person.
    """
    wiki = load_wiki_vote_users()
    stack = load_scifi_stackexchange_users()
    facebook = load_facebook_degrees()
    return {
        "wiki-Vote: votes cast": wiki["votes_cast"],
        "wiki-Vote: votes received": wiki["votes_received"],
        "Stack Exchange: upvotes cast": stack["UpVotes"],
        "Stack Exchange: reputation": stack["Reputation"],
        "ego-Facebook: friends": facebook["degree"],
    }


def drop_stackexchange_community(users: pd.DataFrame) -> pd.DataFrame:
    """A Stack Exchange users table without the Community bot (``Id`` -1).

    Every Stack Exchange data dump lists the site's Community user, a bot that owns
    community wiki posts and casts automatic votes, as ``Id``
    :data:`STACKEXCHANGE_COMMUNITY_ID`; person-level figures leave it out.
    :func:`load_scifi_stackexchange_users` applies this already; use it for another
    site's users table (the same columns).

    Parameters
    ----------
    users : pandas.DataFrame
        A users table with an ``Id`` column.

    Returns
    -------
    pandas.DataFrame
        The other rows, in their order, with a fresh index from 0 and the table's
        ``attrs`` (citation, dataset name) kept.

    Raises
    ------
    DataError
        If the table has no ``Id`` column.
    """
    if "Id" not in users.columns:
        raise DataError(
            "a Stack Exchange users table needs an 'Id' column to drop the Community bot "
            f"(columns: {', '.join(map(str, users.columns))})"
        )
    kept = users[users["Id"] != STACKEXCHANGE_COMMUNITY_ID].reset_index(drop=True)
    kept.attrs = dict(users.attrs)
    return kept


def load_clauset_table61() -> pd.DataFrame:
    """Table 6.1 of Clauset et al. (2009): power-law fits to 24 datasets.

    Returns
    -------
    pandas.DataFrame
        24 rows, one per dataset, columns ``dataset``, ``quantity``, ``n``, ``mean``,
        ``sd``, ``x_max``, ``xmin``, ``xmin_err``, ``alpha``, ``alpha_err``, ``ntail``,
        ``ntail_err``, ``p_gof`` (the goodness-of-fit p-value) and ``data_scale_note``.
        Values are read as text, so the printed digits are kept.

    Notes
    -----
    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009), Table 6.1.
    """
    return _load("clauset_table61", dtype=str, keep_default_na=False)


def load_clauset_table62() -> pd.DataFrame:
    """Table 6.2 of Clauset et al. (2009): tests of the power law against alternatives.

    Returns
    -------
    pandas.DataFrame
        24 rows, one per dataset, columns ``dataset``, ``type`` and ``p_powerlaw``, the
        likelihood ratio and its p-value against each alternative (``poisson_LR``,
        ``poisson_p``, ``lognormal_LR``, ``lognormal_p``, ``exponential_LR``,
        ``exponential_p``, ``stretched_exp_LR``, ``stretched_exp_p``, ``pl_cutoff_LR``,
        ``pl_cutoff_p``) and ``support`` (the paper's verdict). The
        lognormal, exponential and stretched-exponential ratios are normalized
        log-likelihood ratios with two-sided p; the cutoff ratio is raw, with the nested
        (chi-square) p. Empty cells are NaN.

    Notes
    -----
    Citation: A. Clauset, C. R. Shalizi & M. E. J. Newman, "Power-law distributions in
    empirical data", SIAM Review 51(4), 661-703 (2009), Table 6.2.
    """
    return _load("clauset_table62")


def load_technographics() -> pd.DataFrame:
    """Forrester's Social Technographics Profile of US online adults by survey wave.

    Returns
    -------
    pandas.DataFrame
        One row per wave, columns ``data_year`` (text, e.g. ``"2009Q4"``), ``published``
        (year-month), the percentage of adults doing each activity at least monthly
        (``creators``, ``conversationalists``, ``critics``, ``collectors``, ``joiners``,
        ``spectators``, ``inactives``; NaN where not published) and ``note``. Groups
        overlap; only Inactives are exclusive.

    Notes
    -----
    Citation: Forrester Research, Social Technographics Profile, as published in C. Li &
    J. Bernoff, Groundswell (Harvard Business Press, 2008) and Forrester blog posts
    2008-2010.
    """
    return _load("technographics", dtype={"data_year": str, "published": str})


def load_reach_evidence() -> pd.DataFrame:
    """Published figures on audience, reach, cascades and engagement, one row per figure.

    Returns
    -------
    pandas.DataFrame
        One row per published figure, columns

        * ``id`` (str): a stable slug, e.g. ``"fb_post_friend_visibility"``, unique;
        * ``quantity`` (str): what is measured;
        * ``value`` (float): the figure (for a published range, its midpoint);
        * ``low``, ``high`` (float): the bounds of a published range, NaN for a single
          figure;
        * ``unit`` (str): one of :data:`influence_kit.evidence.EVIDENCE_UNITS` (``"share"``
          is a fraction in [0, 1], not a percentage);
        * ``population`` (str): who or what was measured;
        * ``year`` (int): year of publication;
        * ``platform`` (str): Facebook, Twitter, ...;
        * ``citation`` (str): the full reference of the primary source;
        * ``url_or_doi`` (str): where to find it (``""`` when not known);
        * ``verification`` (str): ``"primary"`` when the figure was checked against the
          primary source's own text, ``"secondary"`` when it is taken as reported by a
          secondary source named in ``note``;
        * ``note`` (str): how the figure was checked, and caveats.

    Notes
    -----
    Source: compiled for influence_kit (2026) from the primary sources cited row by row;
    see the data README for what was verified and what was left out. Single figures are
    read as records by :func:`influence_kit.evidence.reach_evidence`.

    Citation: each row's ``citation`` (for example M. S. Bernstein, E. Bakshy, M. Burke &
    B. Karrer, "Quantifying the invisible audience in social networks", CHI 2013).
    """
    text = [c for c in REACH_EVIDENCE_COLUMNS if c not in ("value", "low", "high", "year")]
    frame = _load("reach_evidence", dtype=dict.fromkeys(text, str), keep_default_na=False)
    for column in ("value", "low", "high"):
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="raise").astype(float)
    frame["year"] = frame["year"].astype("int64")
    return frame
