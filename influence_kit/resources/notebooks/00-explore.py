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
# # Explore the assumptions: readers per post, channel totals and the 80% rule
#
# Forrester's headline of **more than 500 billion influence impressions a year** rests on a few
# numbers: the social-network impressions (256 billion), the influence posts (1.64 billion) and the
# **readers per post** (150), plus the rule that the *Mass Influencers* are the smallest groups making
# **80%** of the activity. This notebook lets you move those numbers and watch, at once,
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
from influence_kit.explorer import explore, explore_figure
from influence_kit.explorer.widgets import build_explorer, live_frontend
from influence_kit.population import load_panel
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.scenarios import list_scenarios, scenario_file

setup_notebook()
scenario = load_scenario(scenario_path, overrides)
panel = load_panel(scenario, seed)
state = explore(scenario, threshold=threshold, panel=panel)
parameters_table(scenario=scenario, seed=seed, threshold=state.threshold)

# %% [markdown]
# ## The default state
#
# The scenario's own inputs, before you move anything. The total is network impressions plus
# influence posts times readers per post; the table lists the key figures, including the segment
# shares at the threshold and how few adults make that share of all influence impressions.

# %%
display(Markdown(state.account.describe()))
state.summary().set_index("figure")[["shown"]]

# %% [markdown]
# ## Break-even readers per post
#
# Post impressions grow one-for-one with readers per post, so each criterion has an exact answer:
# the readers per post at which post impressions equal network impressions, at which the total
# reaches the headline (500 billion) or a trillion, and at which it reaches half of the online
# advertising impressions. `times_base` compares each answer with the scenario's readers per post.

# %%
state.breakevens.summary().set_index("criterion")[["readers_per_post", "times_base", "reachable"]]

# %% [markdown]
# ## Who makes the impressions at the threshold
#
# The synthetic panel (100,000 people standing for the online adults, calibrated to Forrester's
# published figures) is rescaled to the scenario's totals and readers per post. Mass Connectors are
# the fewest adults making the threshold share of network impressions, Mass Mavens the fewest making
# that share of influence posts; Mass Influencers are either. Their shares of adults depend only on
# the threshold; their shares of total impressions move with readers per post and the channel totals.

# %%
state.segment_table()

# %%
_ = explore_figure(state)
plt.show()

# %% [markdown]
# ## Explore interactively
#
# Run the notebook in JupyterLab and the next cell shows a scenario menu (every file in
# `data/scenarios/`), fields for readers per post (overall and per post type), network impressions
# and influence posts, and a slider for the threshold. Each change recomputes the state with
# `influence_kit.explorer.explore` and shows the headline, its decomposition, the break-even readers
# per post, a Monte Carlo interval of the total and the same figure as above: the callbacks only
# call tested package functions (`influence_kit.explorer.widgets`). A value that is not a usable number shows
# a message and keeps the last good state; choosing a scenario resets every field to its values;
# *Download scenario YAML* saves the current values as a scenario file.
#
# **Why the cell below is empty in reports and under nbval.** Widgets are live objects: their output
# refers to a model with a new random id on every run, and executing them headless would also store
# widget state in the notebook. The cell therefore builds the explorer only when `interactive` is
# true *and* `influence_kit.explorer.widgets.live_frontend()` finds a person at the keyboard: a kernel whose
# request comes from a frontend that accepts input (JupyterLab, Notebook and VS Code do; papermill,
# nbconvert and nbval never do). Under execution the cell creates no widget and prints nothing, so
# the rendered report and the stored outputs nbval compares stay identical from run to run. Set the
# environment variable `INFLUENCE_KIT_WIDGETS=1` to force the widgets on (for example in Voila), or
# `0` to turn them off.

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
_ = save_summary(summary_path, state.key_figures())
