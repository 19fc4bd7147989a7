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
# # Explore the assumptions: readers per post, channel totals and the top-group rule
#
# A headline total of influence impressions rests on a few numbers: the social-network
# impressions, the influence posts and the **readers per post**, plus the rule that the *Mass
# Influencers* are the smallest groups making a set share (the threshold) of the activity. This
# scenario's values are stated just below. This notebook lets you move those numbers and watch, at
# once,
#
# * the **decomposition** of the total into network and post impressions;
# * the **break-even** readers per post: where posts overtake networks, and what the headline needs;
# * **who makes the impressions**: the Lorenz curve of each adult's total influence impressions in
#   the synthetic panel, and the segments (Mass Connectors, Mass Mavens, Mass Influencers) at the
#   chosen threshold.
#
# The first part shows the default state of the scenario as tables and a figure (this is what the
# rendered report contains). The last cell adds the live controls when you open the notebook in
# JupyterLab (`make lab`); `make explore` serves the same controls as a web app, without the code.

# %% tags=["parameters"]
# Parameters: papermill overrides these, see influence-kit render --help
from influence_kit.constants import DEFAULT_SEED

scenario_path: str = "forrester-us-2009"  # shipped scenario name or scenario YAML file
overrides: dict = {}  # scenario overrides, dotted key -> value, e.g. {"readers_per_post": 300}
seed: int = DEFAULT_SEED  # seed of the synthetic panel, the shipped panel uses 20100420
summary_path: str = ""  # where the renderer writes key figures, empty means write nothing
threshold: float | None = None  # share of activity the top groups hold; None: the scenario's
scenario_dir: str = ""  # folder of the scenarios offered by the explorer (empty: the shipped ones)
interactive: bool = True  # show the live explorer when a person runs this in JupyterLab

# %%
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from influence_kit import load_scenario
from influence_kit.constants import HEADLINE_THRESHOLD
from influence_kit.explorer import explore, explore_figure
from influence_kit.explorer.state import DEFAULT_TARGET_TOTALS
from influence_kit.explorer.widgets import build_explorer, live_frontend
from influence_kit.formatting import escape_markdown, format_quantity
from influence_kit.population import load_panel
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.render.tables import human_header, report_table
from influence_kit.scenarios import list_scenarios, scenario_file
from influence_kit.wording import claim_of, claim_words, scenario_place

setup_notebook()
scenario = load_scenario(scenario_path, overrides)
panel = load_panel(scenario, seed)
claim = claim_of(scenario)
# break-even targets: the scenario's own claim (500 billion when it publishes none) and a trillion
targets = sorted({HEADLINE_THRESHOLD if claim is None else claim, *DEFAULT_TARGET_TOTALS[1:]})
state = explore(scenario, threshold=threshold, panel=panel, target_totals=targets)
headline = (
    f"the published **{claim_words(scenario)} influence impressions a year**"
    if claim is not None
    else "the total of influence impressions"
)
display(
    Markdown(
        f"*{escape_markdown(scenario.meta.title)}* ({scenario_place(scenario, markdown=True)}): "
        f"{headline} rests on "
        f"{format_quantity(scenario.network_impressions.base, 'impressions')} social-network "
        f"impressions, {format_quantity(scenario.influence_posts.base, 'posts')} influence posts "
        f"and **{format_quantity(scenario.readers_per_post.base, 'readers')} readers per post**; "
        f"the threshold is **{format_quantity(state.threshold, 'share')}**."
    )
)
parameters_table(scenario=scenario, seed=seed, threshold=state.threshold)

# %% [markdown]
# ## The default state
#
# The scenario's own inputs, before you move anything. The total is network impressions plus
# influence posts times readers per post; the table lists the key figures, including the segment
# shares at the threshold and how few adults make that share of all influence impressions.

# %%
display(Markdown(state.account.describe()))
report_table(
    state.summary().assign(figure=lambda t: t["figure"].map(human_header)),
    {"figure": ("Figure", "text"), "shown": ("Value", "text")},
)

# %% [markdown]
# ## Break-even readers per post
#
# Post impressions grow one-for-one with readers per post, so each criterion has an exact answer:
# the readers per post at which post impressions equal network impressions, at which the total
# reaches the scenario's own published claim or a trillion, and at which it reaches half of the
# online advertising impressions. *Times the base case* compares each answer with the scenario's readers
# per post.

# %%
report_table(
    state.breakevens.summary(),
    {
        "criterion": ("Criterion", "text"),
        "readers_per_post": ("Break-even readers per post", "readers"),
        "times_base": ("Times the base case", "number"),
    },
    missing="never: no non-negative number of readers per post meets the criterion",
)

# %% [markdown]
# ## Who makes the impressions at the threshold
#
# The synthetic panel (100,000 people standing for the online adults, calibrated to the scenario's
# published figures) is rescaled to the scenario's totals and readers per post. Mass Connectors are
# the fewest adults making the threshold share of network impressions, Mass Mavens the fewest making
# that share of influence posts; Mass Influencers are either. Their shares of adults depend only on
# the threshold; their shares of total impressions move with readers per post and the channel totals.

# %%
segments = state.segment_table()
segments.index = segments.index.str.replace("_", " ").str.title()
report_table(
    segments,
    {
        "share_of_adults": ("Share of adults", "share"),
        "share_of_total_impressions": ("Share of total impressions", "share"),
    },
    index=("Segment", "text"),
)

# %%
_ = explore_figure(state)
plt.show()

# %% [markdown]
# ## Explore interactively
#
# Run the notebook in JupyterLab and the next cell shows a scenario menu (every file in
# `data/scenarios/`), fields for readers per post (overall and per post type), network impressions,
# influence posts and the audience model's inputs, each with a line saying what it is and where the
# scenario's value comes from, and a slider for the threshold. Type numbers as you would write
# them (`256 billion`, `35%`); a value outside what a person could mean is refused with its bounds.
# Each change recomputes the state with `influence_kit.explorer.explore` and shows the headline with
# its change against the scenario, its decomposition, the break-even readers per post, a Monte
# Carlo interval of the total and four live charts (channels, break-even, the Lorenz curve with the
# segments, and the care funnel from impressions to reactions and replies); hover a chart for its
# exact values. The callbacks only call tested package functions (`influence_kit.explorer`). A
# refused value shows a message and keeps the last good state; *Reset to scenario* returns to the
# scenario's values; *Download scenario YAML* and *Download account CSV* save the current state.
#
# In a rendered report the controls do not appear: they are built only when a person runs the
# notebook in a frontend that accepts input (set the environment variable
# `INFLUENCE_KIT_WIDGETS=1` to force them on, for example in Voila, or `0` to turn them off).

# %%
if interactive and live_frontend():
    explorer = build_explorer(
        sorted(Path(scenario_dir).glob("*.yaml"))
        if scenario_dir
        else [scenario_file(name) for name in list_scenarios()],
        initial=scenario_file(scenario_path),
        threshold=state.threshold,
        overrides=overrides,
    )
    display(explorer.widget)

# %%
_ = save_summary(summary_path, state.key_figures(), state.conclusion())
