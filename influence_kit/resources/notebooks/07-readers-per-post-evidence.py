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
seed: int = DEFAULT_SEED  # seed of the cascade simulations and the Monte Carlo
summary_path: str = ""  # where the renderer writes key figures; empty: write nothing
posts = None  # simulated posts per audience; None: one post by every person
draws: int = 20_000  # Monte Carlo draws over the audience model's inputs

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from influence_kit import load_scenario
from influence_kit.accounting import derived_quantities
from influence_kit.datasets import load_reach_evidence
from influence_kit.engagement import (
    engagement_account,
    engagement_concentration,
    stackexchange_concentration,
    wiki_vote_concentration,
)
from influence_kit.formatting import UNITS, escape_markdown, format_quantity
from influence_kit.plots.audience import headline_by_readers, readers_ccdf
from influence_kit.population import load_panel
from influence_kit.reach import headline_survival, readers_on_shipped_graphs
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.render.tables import key_figure_table, report_table
from influence_kit.validation import child_seeds
from influence_kit.wording import claim_of, claim_words, scenario_place

setup_notebook()
scenario = load_scenario(scenario_path, overrides)
model = scenario.audience_model
claimed = claim_words(scenario, "headline")
display(
    Markdown(
        f"# Readers per post from evidence: does the {claimed} survive?\n\n"
        f"*{escape_markdown(scenario.meta.title)}* ({scenario_place(scenario, markdown=True)}). "
        + (
            f"Much of the published {claimed} "
            if claim_of(scenario) is not None
            else "Much of the total "
        )
        + 'rests on one number Forrester called "a conservative estimate, based on our '
        f'research": **{format_quantity(scenario.readers_per_post.base, "readers")} readers '
        "per post** in this scenario."
    )
)

# %% [markdown]
# This report derives readers per post instead, from how audiences behave, with every input traced
# to a published figure:
#
# 1. the evidence on audiences, visibility and cascades;
# 2. the audience model: a post reaches *visibility x audience* readers directly, and reshares,
#    pinned by the share of posts nobody reshares, multiply that;
# 3. the same model simulated on real graphs (ego-Facebook friendships, wiki-Vote attention);
# 4. the headline and the top-group claim ("p% make q%") recomputed with derived readers;
# 5. from impressions to people who care: attention and engagement.

# %%
parameters_table(scenario=scenario, seed=seed, posts=posts, draws=draws)

# %% [markdown]
# ## 1. The evidence
#
# Every published figure on audience and reach that the toolkit ships, with its source (the
# `reach-evidence` dataset). The audience model's inputs below are taken from these rows.

# %%
evidence = load_reach_evidence()
by_unit = [u if u in UNITS else "count" for u in evidence["unit"]]
report_table(
    evidence.assign(
        **{
            c: [
                None if pd.isna(v) else format_quantity(v, u)
                for v, u in zip(evidence[c], by_unit, strict=True)
            ]
            for c in ("value", "low", "high")
        }
    ),
    {
        "quantity": ("Quantity", "text"),
        "value": ("Value", "text"),
        "low": ("Low", "text"),
        "high": ("High", "text"),
        "unit": ("Unit", "text"),
        "year": ("Year", "text"),
        "platform": ("Platform", "text"),
        "verification": ("Verification", "text"),
    },
    missing="the source gives a single figure, no range",
)

# %% [markdown]
# ## 2. The audience model of this scenario
#
# Each input is a quantity with a low, base and high value and its source (the scenario's
# `audience_model` section). Expected readers per post are *visibility x audience x
# amplification*, where the amplification by reshares follows from the share of posts nobody
# reshares. Audiences are unequal (the scenario's `audience_distribution`: lognormal, mean
# about twice the median): a post's reshares follow from the no-spread share averaged over
# authors' audiences, and a resharer's audience is drawn size-biased (people with many friends
# are more often someone's friend). On random-regular, Erdos-Renyi, Barabasi-Albert and
# directed graphs this closed form lands within 8% of simulation (within 1.5% when the graph's
# own links are used), where the equal-audience form missed by up to 37%. The model also
# predicts how many cascades go past one step, which the evidence (1-4%) checks; the scenario
# refuses a no-spread range that contradicts it.

# %%
inputs = pd.DataFrame(
    [
        (
            name.replace("_", " "),
            *(format_quantity(v, "count") for v in (q.range[0], q.base, q.range[1])),
            q.source or "",
        )
        for name, q in model.quantities().items()
    ],
    columns=["input", "low", "base", "high", "source"],
)
report_table(
    inputs,
    {
        "input": ("Input", "text"),
        "low": ("Low", "text"),
        "base": ("Base", "text"),
        "high": ("High", "text"),
        "source": ("Source", "text"),
    },
)

# %%
derived = derived_quantities(scenario)["readers_per_post"]
stated = scenario.readers_per_post
report_table(
    pd.DataFrame(
        {
            "point": ["low", "base", "high"],
            "stated": [stated.range[0], stated.base, stated.range[1]],
            "derived": [derived.range[0], derived.base, derived.range[1]],
        }
    ),
    {
        "point": ("", "text"),
        "stated": ("Stated (assumed)", "readers"),
        "derived": ("Derived (audience model)", "readers"),
    },
    caption="Readers per post.",
)

# %%
past_one_step = model.implied_past_one_step(model.no_spread_share.base)
display(
    Markdown(
        f"At the base inputs **{format_quantity(derived.base, 'readers')} readers per post** "
        f"against the {format_quantity(stated.base, 'readers')} stated; the model puts "
        f"**{format_quantity(past_one_step, 'share')}** of cascades past one "
        "step, inside the 1-4% observed by Goel, Watts & Goldstein (2012)."
    )
)

# %% [markdown]
# ## 3. On real graphs
#
# The same process simulated post by post on real audiences: every member of the author's
# audience sees a post with the scenario's visibility; every reader reshares with the probability
# that leaves the scenario's share of posts never reshared. Real graphs bring what the closed form
# leaves out: heavy-tailed audiences, overlapping friends and the friendship paradox. ego-Facebook
# (4,039 people) is a friendship graph; wiki-Vote (7,115 people) is read as attention (a voter is
# in the candidate's audience); the friend counts alone give the configuration model.

# %%
graph_seed, survival_seed = child_seeds(seed, 2)
comparisons = readers_on_shipped_graphs(scenario, posts=posts, seed=graph_seed)
table = pd.DataFrame({label: c.distribution.statistics() for label, c in comparisons.items()}).T
share_columns = {"unread_share", "no_spread_share", "past_one_step_share"}
share_columns |= {c for c in table.columns if c.startswith("top_")}
words = {"p90": "90th percentile", "p99": "99th percentile"}
report_table(
    table,
    {
        c: (
            " ".join(words.get(w, w) for w in c.replace("pct", "%").split("_")).capitalize(),
            "share" if c in share_columns else ("posts" if c == "posts" else "readers"),
        )
        for c in table.columns
    },
    index=("Graph", "text"),
)

# %%
readers_ccdf({k: c.distribution for k, c in comparisons.items()}, stated=stated.base)
plt.show()

# %% [markdown]
# Most posts reach few people and a few reach many: the most-read 10% of posts draw the share of
# all readers in *Top 10% posts share*, and some posts are seen by nobody (*Unread share*).
# The intervals are Monte Carlo error only; the evidence ranges move the figures far more.

# %%
report_table(
    pd.DataFrame({label: c.summary()["value"] for label, c in comparisons.items()}).T.assign(
        derived_readers_lower=[
            c.conf_int().loc["derived_readers", "lower"] for c in comparisons.values()
        ],
        derived_readers_upper=[
            c.conf_int().loc["derived_readers", "upper"] for c in comparisons.values()
        ],
    ),
    {
        "stated_readers": ("Stated readers", "readers"),
        "derived_readers": ("Derived readers", "readers"),
        "derived_readers_lower": ("Derived readers lower", "readers"),
        "derived_readers_upper": ("Derived readers upper", "readers"),
        "total_with_stated": ("Total with stated readers", "impressions"),
        "total_with_derived": ("Total with derived readers", "impressions"),
    },
    index=("Graph", "text"),
    caption="Readers per post and the total a year; derived readers with their 95% "
    "Monte Carlo interval (lower and upper ends).",
)

# %% [markdown]
# ## 4. Does the headline survive?
#
# The total recomputed with each derived readers per post in place of the stated one; the last
# row also counts only the network impressions people see (the survey's updates x friends are
# impressions *possible*: visibility and reshares apply to them too). The top-group share is
# measured on the scenario's synthetic panel with the derived readers per post. The interval and
# the chance of reaching the claim come from a Monte Carlo over the audience model's inputs.

# %%
survival = headline_survival(
    scenario, comparisons, load_panel(scenario, seed), draws=draws, seed=survival_seed
)
report_table(
    survival.summary(),
    {
        "readers_per_post": ("Readers per post", "readers"),
        "network_impressions": ("Network impressions", "impressions"),
        "total": ("Total impressions", "impressions"),
        "share_of_claim": ("Share of the claim", "share"),
        "top_share": ("Top group's share", "share"),
    },
    index=("Readers per post from", "text"),
)

# %%
headline_by_readers(survival)
plt.show()

# %%
key_figure_table(survival.key_figures())

# %% [markdown]
# ## 5. From impressions to people who care
#
# Getting the word out is not the hard part; getting people to care is. Each channel's
# impressions are multiplied by an attention rate (the share actually seen) and by engagement
# rates (reactions, replies), each with a low/base/high range traced to a row of the evidence
# table. The share of friends who see a post is the audience model's `visibility` (section 2),
# the same base and range in both layers; when the audience model derives network impressions,
# they already count only what is seen, and visibility is not applied again. No defensible
# per-impression figure was found for clicks or purchase intent, so they are not counted.
#
# Two different figures follow. The **base case** takes every rate at its most likely value.
# The **Monte Carlo** draws every rate over its range (triangular, mode at the most likely
# value); its median, mean and 95% interval describe that distribution, not the base case. The
# ranges reach further above their most likely values than below, so the Monte Carlo median
# lies above the base case, which may fall below the interval.

# %%
engaged = engagement_account(scenario, seed=seed)
display(Markdown(engaged.describe()))
flows = engaged.summary()
report_table(
    flows.assign(
        channel=flows["channel"].str.replace("_", " "),
        action=flows["action"].str.replace("_", " "),
    ),
    {
        "channel": ("Channel", "text"),
        "action": ("Action", "text"),
        "impressions": ("Impressions", "impressions"),
        "attention": ("Attention", "share"),
        "seen": ("Seen", "impressions"),
        "rate": ("Engagement rate", "share"),
        "engaged": ("Engaged", "impressions"),
        "engaged_share": ("Engaged share", "share"),
        "engaged_mc_median": ("Engaged Monte Carlo median", "impressions"),
        "engaged_mc_mean": ("Engaged Monte Carlo mean", "impressions"),
        "engaged_mc_lower": ("Engaged Monte Carlo lower", "impressions"),
        "engaged_mc_upper": ("Engaged Monte Carlo upper", "impressions"),
    },
    missing="the channels have different rates: no single rate for all",
)

# %%
# base case beside the Monte Carlo median, mean and 95% interval, per quantity
spread = engaged.monte_carlo()
values = ["base_case", "mc_median", "mc_mean", "mc_lower", "mc_upper"]
spread[values] = spread[values].astype(object)
for quantity in spread.index:
    unit = "share" if quantity.endswith("share") else "impressions"
    spread.loc[quantity, values] = [format_quantity(v, unit) for v in spread.loc[quantity, values]]
spread.index = spread.index.str.replace("_", " ").str.replace(".", ": ")
report_table(
    spread,
    {
        "base_case": ("Base case", "text"),
        "mc_median": ("Monte Carlo median", "text"),
        "mc_mean": ("Monte Carlo mean", "text"),
        "mc_lower": ("Monte Carlo lower", "text"),
        "mc_upper": ("Monte Carlo upper", "text"),
        "draws_at_or_below_base_case": ("Draws at or below the base case", "share"),
    },
    index=("Quantity", "text"),
)

# %% [markdown]
# Is engagement more or less concentrated than reach? The scenario's "top group" question, asked of
# engaged impressions on the synthetic panel and of real per-person data where a reach-like and
# an engagement-like count exist side by side: Stack Exchange (profile views against votes cast)
# and wiki-Vote (votes received against votes cast).

# %%
top, share = survival.influencers_share, survival.claimed_share
concentration_results = [
    engagement_concentration(load_panel(scenario, seed), scenario=scenario, top=top, share=share),
    stackexchange_concentration(top=top, share=share),
    wiki_vote_concentration(top=top, share=share),
]
measures = pd.concat([r.summary().assign(dataset=r.dataset) for r in concentration_results])
report_table(
    measures,
    {
        "dataset": ("Data", "text"),
        "top_share": (f"Top {format_quantity(top, 'share')}'s share", "share"),
        "fraction_for_share": (f"Fewest making {format_quantity(share, 'share')}", "share"),
        "gini": ("Gini", "share"),
    },
    index=("Measure", "text"),
    missing="not defined for this measure",
)

# %%
for result in concentration_results:
    display(Markdown(result.describe()))

# %% [markdown]
# ## Conclusion

# %%
display(survival.conclusion())

# %%
_ = save_summary(summary_path, survival.key_figures(), survival.conclusion())
