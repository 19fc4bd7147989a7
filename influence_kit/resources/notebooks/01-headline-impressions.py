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
seed: int = DEFAULT_SEED  # seed (this notebook draws no random numbers)
summary_path: str = ""  # where the renderer writes key figures; empty: write nothing

# %%
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from influence_kit import account, load_scenario
from influence_kit.formatting import escape_markdown, format_quantity
from influence_kit.plots.accounting import impressions_by_channel
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.render.tables import account_table, key_figure_table
from influence_kit.wording import claim_of, claim_words, scenario_place

setup_notebook()
scenario = load_scenario(scenario_path, overrides)
acc = account(scenario)
place = scenario_place(scenario, markdown=True)
if claim_of(scenario) is None:
    title = f"How many influence impressions? Online adults in {place}"
    claim_sentence = "The scenario publishes no total of its own to compare with."
else:
    title = f"How many influence impressions? Rebuilding the {claim_words(scenario)} claim"
    claim_sentence = (
        f"The published claim: online adults in {place} create **more than "
        f"{claim_words(scenario)} influence impressions a year** on each other about "
        "products and services."
    )
display(
    Markdown(
        f"# {title}\n\n*{escape_markdown(scenario.meta.title)}.* {claim_sentence} This report "
        "rebuilds the figure from an explicit scenario file, so every assumption can be seen "
        "and changed."
    )
)
parameters_table(scenario=scenario, seed=seed)

# %% [markdown]
# ## The headline, rebuilt
#
# The method (Forrester's, Ray & Bernoff 2010) counts two channels and leaves email out:
#
# 1. **Social networks**: every status update or post times the poster's friends or followers
#    (a survey-based total).
# 2. **Influence posts** (ratings and reviews, forum posts, blog comments, blog posts) times an
#    assumed number of **readers per post**.

# %%
display(Markdown(acc.describe()))
key_figure_table(acc.key_figures())

# %% [markdown]
# ## Where the impressions come from
#
# Each channel split by network and by post type, in impressions per year, with each component's
# share of the total.

# %%
account_table(acc)

# %%
impressions_by_channel(acc)
plt.show()

# %% [markdown]
# ## What the reader should doubt
#
# * **Readers per post is an assumption, not a measurement.** Forrester called its US 2009 figure of
#   150 "conservative"; outside evidence runs from about 50 page views per comment (Huffington Post)
#   to about 1,000 users reached by a retweeted tweet (Kwak et al., 2010). Post impressions scale
#   one-for-one with it: see the readers-per-post sensitivity report.
# * **Readers per post can be derived instead.** The scenario's audience model (audience x
#   visibility x reshares, every input from published evidence) gives the figure below; the
#   readers-per-post evidence report recomputes the headline with it.
# * **A post is not a view.** Forrester's own footnote concedes that posts are not the same as views;
#   network impressions count potential audience (friends x updates), not attention.
# * **Published shares are rounded.** Where the network or post-type shares do not sum to one, the
#   toolkit renormalises them and records it:

# %%
display(
    Markdown(
        "\n".join(f"* {escape_markdown(note)}" for note in scenario.notes) or "* no adjustments"
    )
)

# %%
if acc.derived_readers_per_post is not None:
    display(
        Markdown(
            f"Readers per post: **{format_quantity(acc.stated_readers_per_post, 'readers')} "
            f"stated**, **{format_quantity(acc.derived_readers_per_post, 'readers')} derived** "
            "from audience evidence "
            f"({'used' if 'readers_per_post' in scenario.derived else 'not used'} in this account)."
        )
    )

# %%
_ = save_summary(summary_path, acc.key_figures(), acc.conclusion(scenario_place(scenario)))
