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

# %% tags=["parameters"]
# Parameters (papermill overrides these; see `influence-kit render --help`)
from influence_kit.constants import DEFAULT_SEED

scenario_path: str = "forrester-us-2009"  # shipped scenario name or scenario YAML file
overrides: dict = {}  # scenario overrides, dotted key -> value, e.g. {"readers_per_post": 300}
seed: int = DEFAULT_SEED  # seed of the bootstrap
summary_path: str = ""  # where the renderer writes key figures; empty: write nothing
bootstrap_reps: int = 2000  # bootstrap replicates for every confidence interval
confidence: float = 0.95  # level of the percentile intervals
headline_top = None  # top fraction of the headline; None: from the scenario
headline_share = None  # their share of impressions; None: from the scenario

# %%
from functools import partial

import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from influence_kit import load_scenario
from influence_kit.concentration import (
    calibrate_to_headline,
    calibration_findings,
    family_check,
    real_data_concentration,
)
from influence_kit.datasets import activity_columns
from influence_kit.formatting import escape_markdown, format_quantity
from influence_kit.plots.concentration import (
    calibration_curves,
    lorenz_curves,
    published_segments,
    segment_bounds,
    who_makes_what,
)
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.render.tables import (
    calibration_table,
    numbers_in_words,
    percent_words,
    report_table,
)
from influence_kit.segments import (
    published_headline,
    segment_consistency_by_readers,
    segment_consistency_from_scenario,
)
from influence_kit.wording import scenario_place

setup_notebook()
scenario = load_scenario(scenario_path, overrides)
segments = scenario.segments
union = segments.mass_influencers_share if segments is not None else None
top, share = published_headline(scenario, top=headline_top, share=headline_share)
pct = partial(format_quantity, unit="share")
published_top = scenario.headline.influencers_share if scenario.headline else None
claim = (
    f"{pct(top)} of online adults in {scenario_place(scenario, markdown=True)} make {pct(share)}"
)
intro = [
    f'# Who makes the impressions? Concentration, and what "{pct(top)} make {pct(share)}" implies',
    f"*{escape_markdown(scenario.meta.title)}* is at heart a concentration claim: **{claim} of "
    "influence impressions** (the Mass Influencers"
    + (
        ""
        if published_top is not None
        else ": the people in either segment below, as the "
        "scenario publishes no headline share of its own"
    )
    + ").",
]
if segments is not None:
    concentration = pct(segments.concentration_share.base)
    mavens = segments.mass_mavens_share
    overlap = segments.overlap_share
    intro[-1] += (
        f" Segment figures stand behind it: Mass Connectors "
        f"({pct(segments.mass_connectors_share.base)}) make {concentration} of the impressions in "
        "social networks"
        + (
            f" and Mass Mavens ({pct(mavens.base)}) make {concentration} of influence posts"
            if mavens is not None
            else ""
        )
        + (f", with {pct(overlap.base)} in both" if overlap is not None else "")
        + "."
    )
display(Markdown("\n\n".join(intro)))

# %% [markdown]
# This report asks three questions:
#
# 1. What does a headline "the top *p* hold *q*" say about the whole distribution? We calibrate
#    three classic shapes to it and compare what each implies for the top 1%.
# 2. Do the segment figures add up to the headline? We bound the Mass Influencers' share of
#    *total* impressions under stated assumptions.
# 3. How concentrated is real per-person activity and audience? We measure it, with bootstrap
#    confidence intervals, on public social data and set it beside Forrester's figures.

# %%
parameters_table(
    scenario=scenario,
    seed=seed,
    bootstrap_reps=bootstrap_reps,
    confidence=confidence,
    headline=f"top {format_quantity(top, 'share', 4)} hold {format_quantity(share, 'share', 4)}",
)

# %% [markdown]
# ## 1. One headline, three distributions
#
# The share held by the top fraction *p* of a distribution has a closed form for the classic
# heavy-tailed shapes (Φ is the standard normal CDF, *Q* the regularized upper incomplete gamma
# function):
#
# | family | share of the top *p* | Gini |
# |---|---|---|
# | Pareto, tail index *a* > 1 | *p*<sup>1 − 1/*a*</sup> | 1 / (2*a* − 1) |
# | lognormal, σ | Φ(σ + Φ<sup>−1</sup>(*p*)) | 2Φ(σ/√2) − 1 |
# | Weibull, shape *k* | *Q*(1 + 1/*k*, −ln *p*) | 1 − 2<sup>−1/*k*</sup> |
#
# The tail index *a* is the exponent of the survival function, P(X > x) ∝ x<sup>−*a*</sup>; a power
# law fitted to data reports the density exponent α = *a* + 1 (Clauset et al.).
#
# Each family has one shape parameter, so the headline fixes it. The table shows the calibrated
# parameter, the Gini coefficient and the share held by other top fractions.

# %%
cal = calibrate_to_headline(top, share)
calibration_table(
    cal,
    caption="Each family calibrated to the headline: its parameter, its Gini coefficient and "
    "the share of the total held by other top fractions of people.",
)

# %%
calibration_curves(cal)
plt.show()

# %%
pareto, lognormal, weibull = cal["pareto"], cal["lognormal"], cal["weibull"]
display(
    Markdown(
        f"All three put {format_quantity(share, 'share')} of the total in the top "
        f"{format_quantity(top, 'share')}, and they are "
        f"similar there. Further up they part: the top 1% hold "
        f"**{format_quantity(pareto.top_1pct_share, 'share')}** under a Pareto "
        f"(tail index {format_quantity(pareto.parameters['tail_index'], 'number')}), "
        f"**{format_quantity(lognormal.top_1pct_share, 'share')}** under a lognormal "
        f"(σ = {format_quantity(lognormal.parameters['sigma'], 'number')}) and "
        f"**{format_quantity(weibull.top_1pct_share, 'share')}** under a "
        f"Weibull (k = {format_quantity(weibull.parameters['k'], 'number')}), a "
        f"**{format_quantity(cal.top_1pct_ratio, 'number', 2)}-fold** "
        'difference. A headline of the form "p% make q%" does not pin down the '
        "distribution: it says nothing about how concentrated the top of the top is, which "
        "is what matters when picking whom to target."
    )
)

# %% [markdown]
# ## 2. Do the segment figures add up to the headline?
#
# Connectors make 80% of *network* impressions and Mavens 80% of *posts*, but the headline is
# about *total* impressions. How much of the total can the people in either segment make? The two
# channels are weighted by their totals in the scenario's accounting (network impressions; posts ×
# readers per post). Assumptions, stated:
#
# * every post has the same readers, so a share of posts is the same share of post impressions;
# * **lower bound**: people in only one segment make nothing in the other segment's channel;
# * **central**: what a segment leaves of its channel (20%) is spread over everyone outside it in
#   proportion to people;
# * **upper bound if segments are their channel's top producers** (how "make 80%" is usually
#   read): nobody outside a segment makes more than its average member;
# * **upper bound from the figures alone**: the other segment's members make the whole rest.
#
# The table gives the share of network, post and total impressions made by the people in either
# segment under each assumption.

# %%
seg = None
has_segments = segments is not None and union is not None
if has_segments:
    seg = segment_consistency_from_scenario(scenario)
    display(Markdown(seg.describe()))
    display(
        report_table(
            seg.summary(),
            {
                "network": ("Network impressions", "share"),
                "posts": ("Post impressions", "share"),
                "total": ("Total impressions", "share"),
            },
            index=("Assumption", "text"),
            caption="Share of each channel's impressions made by the people in either segment.",
        )
    )
else:
    display(Markdown("*This scenario does not give both segments and their overlap.*"))

# %%
if seg is not None:
    segment_bounds(seg)
    plt.show()

# %% [markdown]
# The channel weights depend on readers per post, the least certain input: the table gives the
# bounds at the scenario's low, base and high readers per post. The lower bound does not move
# (both channels give 80%); the others do:

# %%
if seg is not None:
    display(
        report_table(
            segment_consistency_by_readers(scenario),
            {
                "network_weight": ("Network share of the total", "share"),
                "lower": ("Lower", "share"),
                "central": ("Central", "share"),
                "upper_top_groups": ("Upper if segments are top producers", "share"),
                "upper": ("Upper", "share"),
            },
            index=("Readers per post", "readers"),
            caption="Share of total impressions made by the people in either segment: lower "
            "bound, central value, upper bound if the segments are their channel's top "
            "producers, and upper bound from the figures alone.",
        )
    )

# %% [markdown]
# ## 3. Concentration in real per-person data
#
# Public data with one number per person (see `data/README.md` for provenance and licences):
#
# * **wiki-Vote** (Leskovec, Huttenlocher & Kleinberg, CHI/WWW 2010; SNAP): Wikipedia adminship
#   votes to January 2008, 7,115 people; *votes cast* is activity (like posting), *votes
#   received* is attention.
# * **Stack Exchange, scifi.stackexchange.com** (data dump 2011-01 to 2014-09, CC BY-SA):
#   *upvotes cast* is activity, *reputation* is recognition (it starts at 1 and linked accounts
#   get +100, so it has a floor). The Community bot (Id −1) is dropped.
# * **ego-Facebook** (McAuley & Leskovec, NIPS 2012; SNAP): friend count per person, 4,039 people.
#   Friends are audience, as in Forrester's network channel (updates × friends).
#
# Ties are split fractionally: people with equal values are interchangeable, so "the top 16%" is
# always exactly 16% of people. Intervals are percentile bootstrap intervals from multinomial
# resampling of each frequency table, except where they cannot hold: when the fitted power-law
# tail's index may lie below 4 (below 2 the variance is infinite) the bootstrap falls short of
# the true top shares, so those rows use the envelope of the bootstrap interval and the fitted
# Pareto tail's, which holds whether the tail is a power law or lognormal-like, and say so
# (column *Intervals*). Each interval contains its row's estimate.

# %%
columns = activity_columns()  # Stack Exchange without the Community bot (Id -1)
reference = published_segments(scenario)
measured = real_data_concentration(
    columns,
    top=float(top),
    share=float(share),
    reference=reference,
    reps=bootstrap_reps,
    seed=seed,
    confidence=confidence,
)
results = list(measured.results)
table = measured.table()
report_table(
    table,
    {c: (percent_words(c), "count" if c == "people" else "text") for c in table.columns},
    index=("Data", "text"),
    caption="Each figure with its 95% interval in brackets.",
)

# %%
fig, ax = plt.subplots(figsize=(7.0, 6.5))
lorenz_curves(
    results,
    ax=ax,
    headline=(float(top), float(share)),
    headline_label=(
        f"headline: top {format_quantity(top, 'share')} make {format_quantity(share, 'share')}"
    ),
    title="Lorenz curves of real per-person data (95% bands)",
)
plt.show()

# %%
who_makes_what(results, share=float(share), reference=reference)
plt.show()

# %%
display(Markdown(numbers_in_words(measured.describe())))

# %% [markdown]
# Friend counts are the *audience* side of network impressions; posting and voting counts are the
# *activity* side. Network impressions multiply the two for each person, so when the most active
# people also have the largest audiences, impressions are more concentrated than either side alone.
#
# ## 4. Does a "p% make q%" figure predict the top 1%? A check on the data
#
# For each dataset we take its own measured share of the top fraction above as the headline,
# calibrate the three families to it, and compare what each predicts for the top 1% with what the
# data show.

# %%
check = family_check(results, top=float(top), confidence=confidence)
checked = check.summary()
report_table(
    checked,
    {c: (percent_words(c), "share") for c in checked.columns},
    index=("Data", "text"),
    caption="The share of the total the top 1% hold: predicted by each family calibrated to "
    "the data's own headline, and observed with its 95% interval (CI).",
)

# %%
display(Markdown(check.describe()))

# %% [markdown]
# ## What the reader should doubt
#
# * **The headline is a survey aggregate.** Forrester's segments come from self-reported posting
#   frequency and friend counts, not from measured impressions; the data here are measured, but
#   each is one community, not the online population of the scenario.
# * **Friends are not impressions.** Network impressions multiply updates by audience; friend
#   counts alone understate the concentration of impressions, and posting counts alone ignore
#   audience.
# * **Floors and zeros matter.** Stack Exchange reputation starts at 1 (and +100 for linked
#   accounts); most accounts never vote. Both shape every concentration figure.
# * **The segment check depends on reading "make 80%".** Without assuming the segments are their
#   channel's top producers, the figures allow anything from 80% to 100% of total impressions.
# * **Bootstrap intervals assume independent people** and measure sampling noise only, not the
#   survey's or the data's biases.

# %%
figures, conclusion = calibration_findings(cal, seg, measured)
_ = save_summary(summary_path, figures, conclusion)
