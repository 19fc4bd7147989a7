# ---
# jupyter:
#   influence_kit:
#     scenario_dependent: true
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: influence_kit
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Mass Influencers: a calibrated synthetic population, and the same segments in real data
#
# Forrester's *Peer Influence Analysis* segments online adults by how much they post and how many
# people they reach; the scenario's published figures are set out below. The survey microdata are
# not public, so this report segments a *synthetic* population calibrated to the published figures
# (`data/population/`), checks the figures come back, and then applies exactly the same
# segmentation to two real person-level data sets.

# %% tags=["parameters"]
# Parameters (papermill overrides these; see `influence-kit render --help`)
from influence_kit.constants import DEFAULT_SEED

scenario_path: str = "forrester-us-2009"  # shipped scenario name or scenario YAML file
overrides: dict = {}  # scenario overrides, dotted key -> value, e.g. {"readers_per_post": 300}
seed: int = DEFAULT_SEED  # seed of the synthetic population (the shipped panel uses 20100420)
summary_path: str = ""  # where the renderer writes key figures; empty: write nothing
n_boot: int = 50  # bootstrap replicates for the confidence intervals
survey_boot: int = 200  # bootstrap replicates for the survey-size intervals
broadcaster_min_audience: float = 10_000  # audience from which a person is a Social Broadcaster
wiki_vote_path: str = ""  # SNAP wiki-Vote per user (empty: the shipped wiki_vote_users)
stackexchange_path: str = ""  # Stack Exchange users (empty: the shipped scifi users)
survey_size: int = 10_112  # respondents of the survey (US 2009: 10,112)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from influence_kit import load_scenario
from influence_kit.datasets import (
    dataset_path,
    drop_stackexchange_community,
    load_scifi_stackexchange_users,
)
from influence_kit.formatting import escape_markdown, format_number, format_quantity
from influence_kit.plots.segments import (
    connector_maven_overlap,
    segment_comparison,
    segment_pyramid,
    technographics_ladder,
)
from influence_kit.population import load_panel, technographics_profile
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.render.tables import report_table
from influence_kit.segments import (
    concentration_verdict,
    published_comparison,
    read_person_table,
    segment_people,
    segments_conclusion,
    survey_precision,
)
from influence_kit.wording import scenario_place

setup_notebook()
scenario = load_scenario(scenario_path, overrides)
profile = technographics_profile()
people = load_panel(scenario, seed)
options = dict(broadcaster_min_audience=broadcaster_min_audience, n_boot=n_boot, seed=seed)
synthetic = segment_people(people, scenario, **options)
target = published_comparison(synthetic, scenario)["published"]
concentration = format_quantity(scenario.segments.concentration_share.base, "share")
display(
    Markdown(
        f"*{escape_markdown(scenario.meta.title)}*: "
        f"**{format_quantity(target['mass_connectors_share'], 'share')}** of online adults in "
        f"{scenario_place(scenario, markdown=True)} (the **Mass Connectors**) make "
        f"{concentration} of influence impressions in social networks, "
        f"**{format_quantity(target['mass_mavens_share'], 'share')}** (the **Mass Mavens**) make "
        f"{concentration} of influence posts, and "
        f"**{format_quantity(target['overlap_share'], 'share')}** are both: "
        f"**{format_quantity(target['mass_influencers_share'], 'share')}** Mass Influencers."
    )
)
parameters_table(
    scenario=scenario,
    seed=seed,
    n_boot=n_boot,
    survey_boot=survey_boot,
    broadcaster_min_audience=broadcaster_min_audience,
    people=f"{format_quantity(len(people), 'people')} synthetic adults",
)

# %% [markdown]
# ## The synthetic population gives back the published figures
#
# Each synthetic person carries a weight so the panel represents all the scenario's online adults.
# The table
# sets the weighted segmentation beside the published figures (shares of adults, yearly totals,
# the Connectors' mean friends and the 2009Q4 Technographics profile).

# %%
comparison = published_comparison(synthetic, scenario, profile)
figure_units = {
    "network_impressions_total": "impressions",
    "posts_total": "posts",
    "connectors_mean_friends": "people",
}
written = [
    [format_quantity(0.0 if abs(v) < 1e-6 * abs(row["published"]) else v, unit) for v in row]
    for row, unit in ((row, figure_units.get(name, "share")) for name, row in comparison.iterrows())
]
report_table(
    pd.DataFrame(written, columns=comparison.columns).assign(
        figure=[
            name.replace("technographics.", "Technographics: ").replace("_", " ")
            for name in comparison.index
        ]
    ),
    {
        "figure": ("Figure", "text"),
        "published": ("Published", "text"),
        "this_table": ("Synthetic panel", "text"),
        "difference": ("Difference", "text"),
    },
)

# %%
ci = synthetic.intervals.set_index(["segment", "statistic"])
rows = ["mass_connectors", "mass_mavens", "overlap", "mass_influencers", "potential_influencers"]
table = synthetic.summary().loc[
    rows, ["share_of_adults", "share_of_network_impressions", "share_of_posts", "mean_audience"]
]
table["adults_low"] = [ci.loc[(r, "share_of_adults"), "low"] for r in rows]
table["adults_high"] = [ci.loc[(r, "share_of_adults"), "high"] for r in rows]
table.index = table.index.str.replace("_", " ").str.title()
report_table(
    table,
    {
        "share_of_adults": ("Share of adults", "share"),
        "adults_low": ("Share of adults low", "share"),
        "adults_high": ("Share of adults high", "share"),
        "share_of_network_impressions": ("Share of network impressions", "share"),
        "share_of_posts": ("Share of posts", "share"),
        "mean_audience": ("Mean audience", "people"),
    },
    index=("Segment", "text"),
    caption="Share of adults with its 95% bootstrap interval (low and high ends).",
)

# %%
if synthetic.heavy_tailed:
    tails = ", ".join(
        f"{escape_markdown(name.replace('_', ' '))} "
        f"(tail index {format_quantity(synthetic.tails[name].tail_index, 'number', 2)})"
        for name in synthetic.heavy_tailed
    )
    display(
        Markdown(
            "**Caution on the intervals:** the activity that defines the segments has a tail "
            f"with infinite variance: {tails}. Percentile bootstrap intervals of the segments' "
            "shares can then cover the true value far less often than their stated level."
        )
    )

# %% [markdown]
# The intervals above treat the 100,000 synthetic people as a random sample. Forrester's surveys
# had about 10,000 (US 2009) and 14,000 (Western Europe 2010) respondents; drawing *survey size*
# people from the panel shows how precisely a survey of that size can pin the segments down.

# %%
survey = segment_people(
    people.sample(n=survey_size, random_state=seed),
    scenario,
    broadcaster_min_audience=broadcaster_min_audience,
    n_boot=survey_boot,
    seed=seed,
)
by_share = survey.intervals.set_index(["segment", "statistic"]).xs(
    "share_of_adults", level="statistic"
)
survey_table = by_share.loc[rows, ["estimate", "low", "high"]]
precision = survey_precision(survey)  # the Connector and Maven shares against one decimal
half = precision.half_width
display(
    Markdown(
        f"With {format_quantity(survey_size, 'people')} respondents the Mass Connector share "
        f"is known to about "
        f"+-{format_number(100 * half['mass_connectors'], 2)} points and the Mass Maven share "
        f"to about +-{format_number(100 * half['mass_mavens'], 2)} points (95% bootstrap "
        f"intervals), so Forrester's one-decimal figures "
        f"({format_quantity(target['mass_connectors_share'], 'share')}, "
        f"{format_quantity(target['mass_mavens_share'], 'share')}) are {precision.verdict}."
    )
)
survey_table.index = survey_table.index.str.replace("_", " ").str.title()
report_table(
    survey_table,
    {
        "estimate": ("Estimate", "share"),
        "low": ("Low", "share"),
        "high": ("High", "share"),
    },
    index=("Segment", "text"),
    caption=f"Share of adults in a survey of {format_quantity(survey_size, 'people')}, with its "
    "95% bootstrap interval.",
)

# %% [markdown]
# The pyramid below shows each tier's share of adults (left) and of all influence impressions
# (network impressions plus posts x the scenario's readers per post of each post type, right). Social Broadcasters, people with media-like
# followings, are set apart first and not counted as Mass Influencers, as Forrester does; a survey
# of ordinary adults contains almost none of them.

# %%
fig, axes = plt.subplots(1, 2, figsize=(14, 4.5), layout="constrained")
title = f"Synthetic {scenario.meta.region} online adults, {scenario.meta.year}"
segment_pyramid(synthetic, ax=axes[0], title=title)
connector_maven_overlap(synthetic, ax=axes[1])
plt.show()

# %%
technographics_ladder(
    synthetic, reference=profile, title="Technographics ladder: synthetic vs published 2009Q4"
)
plt.show()

# %% [markdown]
# ## The same segmentation on real data
#
# Two public person-level data sets (see `data/README.md`) are mapped onto the same roles:
#
# * **wiki-Vote** (SNAP; 7,115 Wikipedia users voting on adminship): *influence posts* = votes cast,
#   *audience* = votes received, and *network impressions* = votes cast x votes received
#   (Forrester's updates x audience).
# * **Stack Exchange** (scifi.stackexchange.com users 2011-2014, Community bot Id -1 dropped):
#   *influence posts* = up-votes cast, *audience* = reputation, *network impressions* = up-votes x
#   reputation.
#
# These are analogues, not the survey's quantities: the comparison is about the *shape* of
# concentration, not the levels.

# %%
wiki = segment_people(
    read_person_table(wiki_vote_path or dataset_path("wiki_vote_users")),
    scenario,
    columns={
        "influence_posts": "votes_cast",
        "network_updates": "votes_cast",
        "audience": "votes_received",
    },
    origin="wiki-Vote",
    **options,
)
stack = segment_people(
    drop_stackexchange_community(read_person_table(stackexchange_path))
    if stackexchange_path
    else load_scifi_stackexchange_users(),
    scenario,
    columns={"influence_posts": "UpVotes", "network_updates": "UpVotes", "audience": "Reputation"},
    origin="Stack Exchange",
    **options,
)
results = {
    f"synthetic ({scenario.meta.region} {scenario.meta.year})": synthetic,
    "wiki-Vote": wiki,
    "Stack Exchange": stack,
}
keys = [
    "social_broadcasters_share",
    "mass_connectors_share",
    "mass_mavens_share",
    "overlap_share",
    "mass_influencers_share",
    "potential_influencers_share",
    "connectors_mean_friends",
]
segmented = pd.DataFrame({name: {k: r.to_dict()[k] for k in keys} for name, r in results.items()})
segmented = segmented.astype(object)
for key in keys:
    unit = "count" if key == "connectors_mean_friends" else "share"
    segmented.loc[key] = [format_quantity(v, unit) for v in segmented.loc[key]]
segmented.index = [k.replace("_", " ").capitalize() for k in keys]
report_table(
    segmented,
    {name: (name, "text") for name in results},
    index=("Figure", "text"),
    caption="Connectors' mean friends is a mean audience in each data set's own unit "
    "(friends, votes received, reputation points).",
)

# %%
segment_comparison(results)
plt.show()

# %%
fig, axes = plt.subplots(1, 2, figsize=(14, 4.5), layout="constrained")
segment_pyramid(wiki, ax=axes[0], title="wiki-Vote users")
segment_pyramid(stack, ax=axes[1], title="Stack Exchange (scifi) users")
plt.show()


# %% [markdown]
# ## What differs


# %%
syn = synthetic
w_conn, w_mav, w_both = wiki.mass_connectors_share, wiki.mass_mavens_share, wiki.overlap_share
s_conn, s_mav, s_both = stack.mass_connectors_share, stack.mass_mavens_share, stack.overlap_share
s_bc = stack.segments.loc["social_broadcasters"]
# the Connectors' mean audience over everyone's: the one comparison the units allow
w_ratio, s_ratio, syn_ratio = (
    data.connectors_mean_friends / data.segments.loc["all_adults", "mean_audience"]
    for data in (wiki, stack, syn)
)
lines = [
    f"* **Posting concentration.** {format_quantity(w_mav, 'share')} of wiki-Vote users cast "
    f"80% of the votes: "
    f"{concentration_verdict(w_mav, target['mass_mavens_share'])} Forrester's "
    f"{format_quantity(target['mass_mavens_share'], 'share')} Mass "
    f"Mavens. In Stack Exchange {format_quantity(s_mav, 'share')} of users cast 80% of the "
    f"up-votes (outside the "
    f"Broadcasters): {concentration_verdict(s_mav, target['mass_mavens_share'])} the survey.",
    f"* **Connectors inside Mavens.** Of wiki-Vote's {format_quantity(w_conn, 'share')} "
    f"Connectors, {format_quantity(w_both / w_conn, 'share')} are also Mavens; in Stack "
    f"Exchange {format_quantity(s_both / s_conn, 'share')}; in the synthetic population, "
    f"calibrated to a {format_quantity(target['overlap_share'], 'share')} overlap, "
    f"{format_quantity(syn.overlap_share / syn.mass_connectors_share, 'share')}. In the real "
    f"data the 'impressions' "
    f"are votes cast times votes received, so the heaviest voters lead both rankings; in the "
    f"survey, network reach and posting are separate behaviours that only partly go together.",
    f"* **Broadcasters.** With a threshold of "
    f"{format_quantity(broadcaster_min_audience, 'count')} (reputation "
    f"points), {format_quantity(s_bc['share_of_adults'], 'share')} of Stack Exchange users are "
    f"Broadcasters and hold "
    f"{format_quantity(s_bc['share_of_network_impressions'], 'share')} of the up-vote x "
    f"reputation impressions; "
    f"wiki-Vote has {format_quantity(wiki.social_broadcasters_share, 'share')} and the "
    f"synthetic, survey-like "
    f"population {format_quantity(syn.social_broadcasters_share, 'share')}.",
    f"* **Audiences.** Mass Connectors average "
    f"{format_quantity(wiki.connectors_mean_friends, 'count')} votes received "
    f"in wiki-Vote and {format_quantity(stack.connectors_mean_friends, 'count')} reputation "
    f"points in Stack Exchange, "
    f"against {format_quantity(syn.connectors_mean_friends, 'people')} friends in the "
    f"synthetic population "
    f"(published: {format_quantity(target['connectors_mean_friends'], 'people')}); the units "
    f"differ, so only the ratio to everyone's mean means much: "
    f"{format_quantity(w_ratio, 'number', 2)}x in "
    f"wiki-Vote, "
    f"{format_quantity(s_ratio, 'number', 2)}x "
    f"in Stack Exchange, "
    f"{format_quantity(syn_ratio, 'number', 2)}x in "
    f"the synthetic population.",
    f"* **Mass Influencers overall:** {format_quantity(wiki.mass_influencers_share, 'share')} "
    f"of wiki-Vote users and "
    f"{format_quantity(stack.mass_influencers_share, 'share')} of Stack Exchange users, against "
    f"{format_quantity(syn.mass_influencers_share, 'share')} (published: "
    f"{format_quantity(target['mass_influencers_share'], 'share')}). "
    f"The share is not a constant of nature: "
    f"it is set by how unequal activity is in the data at hand.",
]
display(Markdown("\n".join(lines)))

# %% [markdown]
# ## What the reader should doubt
#
# * **The synthetic population reproduces the published figures by construction.** Agreement in the
#   first table checks the calibration, not Forrester's survey. Everything the survey did not
#   publish (the shape of the tails, the dependence between network reach and posting, the
#   Technographics overlaps) is an assumption stated in `influence_kit.population`.
# * **The real data are analogues.** Votes are not product posts and reputation is not friends;
#   what transfers is the method (smallest top group making 80%) and the lesson that the size of
#   that group is set by the inequality of the data.
# * **Ties.** Real counts tie: people tied at a group boundary get a fractional membership so that
#   the group holds exactly 80% (see `influence_kit.segments`).

# %%
_ = save_summary(
    summary_path,
    synthetic.key_figures("synthetic.", "synthetic panel")
    + wiki.key_figures("wiki_vote.", "wiki-Vote")
    + stack.key_figures("stackexchange.", "Stack Exchange"),
    segments_conclusion(
        synthetic,
        target,
        {"wiki_vote.": ("wiki-Vote", wiki), "stackexchange.": ("Stack Exchange", stack)},
    ),
)
