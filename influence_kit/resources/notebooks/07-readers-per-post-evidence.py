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
# # Readers per post from evidence: does the 500 billion survive?
#
# Half of Forrester's 500 billion rests on one number it called "a conservative estimate, based on
# our research": **150 readers per post**. This report derives readers per post instead, from how
# audiences behave, with every input traced to a published figure:
#
# 1. the evidence on audiences, visibility and cascades;
# 2. the audience model: a post reaches *visibility x audience* readers directly, and reshares,
#    pinned by the share of posts nobody reshares, multiply that;
# 3. the same model simulated on real graphs (ego-Facebook friendships, wiki-Vote attention);
# 4. the headline and the "16% make 80%" claim recomputed with derived readers;
# 5. from impressions to people who care: attention and engagement.

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
from influence_kit.formatting import format_quantity
from influence_kit.plots.audience import headline_by_readers, readers_ccdf
from influence_kit.population import load_panel
from influence_kit.reach import headline_survival, readers_on_shipped_graphs
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.validation import child_seeds

setup_notebook()
scenario = load_scenario(scenario_path, overrides)
model = scenario.audience_model
parameters_table(scenario=scenario, seed=seed, posts=posts, draws=draws)

# %% [markdown]
# ## 1. The evidence
#
# Every published figure on audience and reach that the toolkit ships, with its source (the
# `reach-evidence` dataset). The audience model's inputs below are taken from these rows.

# %%
evidence = load_reach_evidence()
evidence[["id", "value", "low", "high", "unit", "year", "platform", "verification"]]

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
    {
        name: {"low": q.range[0], "base": q.base, "high": q.range[1], "source": q.source or ""}
        for name, q in model.quantities().items()
    }
).T
inputs

# %%
derived = derived_quantities(scenario)["readers_per_post"]
stated = scenario.readers_per_post
pd.DataFrame(
    {
        "stated (assumed)": [stated.range[0], stated.base, stated.range[1]],
        "derived (audience model)": [derived.range[0], derived.base, derived.range[1]],
    },
    index=["low", "base", "high"],
).round(1)

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
table.round(3)

# %%
readers_ccdf({k: c.distribution for k, c in comparisons.items()}, stated=stated.base)
plt.show()

# %% [markdown]
# Most posts reach few people and a few reach many: the most-read 10% of posts draw the share of
# all readers in `top_10pct_posts_share`, and some posts are seen by nobody (`unread_share`).
# The intervals are Monte Carlo error only; the evidence ranges move the figures far more.

# %%
pd.DataFrame({label: c.summary()["value"] for label, c in comparisons.items()}).T.assign(
    derived_readers_lower=[
        c.conf_int().loc["derived_readers", "lower"] for c in comparisons.values()
    ],
    derived_readers_upper=[
        c.conf_int().loc["derived_readers", "upper"] for c in comparisons.values()
    ],
).round(1)

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
survival.summary().assign(
    total_bn=lambda t: (t.pop("total") / 1e9).round(1),
    network_bn=lambda t: (t.pop("network_impressions") / 1e9).round(1),
).round(3)

# %%
headline_by_readers(survival)
plt.show()

# %%
survival.key_figures()

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
engaged.summary()

# %%
# base case beside the Monte Carlo median, mean and 95% interval, per quantity
engaged.monte_carlo()

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
pd.concat([r.summary().assign(dataset=r.dataset) for r in concentration_results])

# %%
for result in concentration_results:
    display(Markdown(result.describe()))

# %% [markdown]
# ## Conclusion

# %%
display(Markdown(survival.conclusion()))

# %%
_ = save_summary(summary_path, survival.key_figures())
