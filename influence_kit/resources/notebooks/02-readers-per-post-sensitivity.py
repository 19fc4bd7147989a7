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
seed: int = DEFAULT_SEED  # seed of the Monte Carlo and Sobol samples
summary_path: str = ""  # where the renderer wants the key figures (empty: do not write)
sweep_points: int = 96  # number of readers-per-post values in the sweep
post_type: str = ""  # post type for the per-type sweep; empty: the scenario's largest
target_totals: list = [1e12]  # totals for the break-even readers per post
target_shares: list = [0.5]  # shares of advertiser impressions for the break-even
draws: int = 1_000_000  # Monte Carlo draws
sobol_n: int = 4096  # Sobol base sample size (a power of 2)
threshold = None  # report P(total > threshold); None: the scenario's own published claim
segment_thresholds: list = []  # thresholds of the segment sweep; empty: 0.50, 0.55, ..., 0.95
segment_readers: list = []  # readers per post of the segment sweep; empty: 0, 10, 20, ..., 10000

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from influence_kit import load_scenario
from influence_kit.formatting import escape_markdown, format_count, format_quantity, number_key
from influence_kit.plots.sensitivity import (
    plot_monte_carlo,
    plot_readers_segments,
    plot_sobol,
    plot_spider,
    plot_sweep,
    plot_threshold_sweep,
    plot_tornado,
)
from influence_kit.population import load_panel
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.render.tables import (
    breakeven_table,
    key_figure_table,
    monte_carlo_table,
    numbers_in_words,
    report_table,
    sobol_table,
    tornado_table,
)
from influence_kit.results import key_figures
from influence_kit.sensitivity import (
    readers_range,
    segment_readers_sweep,
    segment_sensitivity,
    sensitivity_report,
    sobol_analytic,
    spider,
    sweep_readers_per_post,
    threshold_sweep,
)
from influence_kit.wording import claim_of, claim_words, scenario_place

setup_notebook()
scenario = load_scenario(scenario_path, overrides)
# the one range of readers per post of this run: the sweep's, the tornado's, the explorer's
readers_low, readers_high = readers_range(scenario)
post_types = scenario.post_type_shares
if not post_type:  # an unknown post type is refused by the sweep below
    post_type = max(post_types, key=lambda name: post_types[name].base)
report = sensitivity_report(
    scenario,
    draws=draws,
    seed=seed,
    target_totals=target_totals,
    target_shares=target_shares,
    threshold=threshold,
    sobol_n=sobol_n,
)
stated = format_quantity(scenario.readers_per_post.base, "readers")
claim_text = (
    f"The published {claim_words(scenario)} influence impressions"
    if claim_of(scenario) is not None
    else "The total of influence impressions"
)
display(
    Markdown(
        f"# Readers per post: how much of the {claim_words(scenario, 'headline')} rests on one "
        "assumption?\n\n"
        f"*{escape_markdown(scenario.meta.title)}* ({scenario_place(scenario, markdown=True)}). "
        f"{claim_text} add two channels: social-network updates times audience (a survey-based "
        "total) and influence posts times an **assumed number of readers per post** "
        f"({stated} in this scenario). Forrester called its US 2009 figure of 150 "
        '"conservative"; outside evidence runs from about 50 page views per comment to about '
        "1,000 users reached by a retweeted tweet. This report moves that assumption, and every "
        "other input of the scenario, and measures what happens to the total. Every figure "
        "below is computed from the scenario named in the parameters table."
    )
)
parameters_table(
    scenario=scenario,
    seed=seed,
    readers_range=[readers_low, readers_high],
    post_type=post_type,
    target_totals=[format_quantity(t, "impressions", 6) for t in target_totals],
    target_shares=target_shares,
    draws=format_count(draws),
    sobol_n=sobol_n,
    threshold=format_quantity(report.threshold, "impressions", 6),
    segment_thresholds=segment_thresholds,
    segment_readers=segment_readers,
)

# %% [markdown]
# ## The headline as readers per post move
#
# Every other input stays at its base value. Post impressions grow one-for-one with readers per
# post; network impressions do not move. The dots mark the break-even points solved below; the
# right-hand axis reads the total as a share of the scenario's online advertising impressions.

# %%
sweep = sweep_readers_per_post(scenario, low=readers_low, high=readers_high, num=sweep_points)
plot_sweep(sweep, report.breakevens)
plt.show()

# %%
base_readers = scenario.readers_per_post.base
table = sweep_readers_per_post(
    scenario, sorted({readers_low, base_readers, 300, 500, readers_high})
).summary()
report_table(
    table,
    {
        "readers_per_post": ("Readers per post", "readers"),
        "total_impressions": ("Total impressions a year", "impressions"),
        "network_impressions": ("Network impressions", "impressions"),
        "post_impressions": ("Post impressions", "impressions"),
        "post_share_of_total": ("Posts' share of the total", "share"),
        "share_of_advertiser_impressions": ("Share of advertiser impressions", "share"),
    },
)

# %%
display(
    Markdown(
        "The same sweep for a single post type, "
        f"**{escape_markdown(post_type.replace('_', ' '))}** (of "
        f"{', '.join(escape_markdown(name.replace('_', ' ')) for name in post_types)}): only "
        "its readers per post "
        "move, the other types keep the scenario's value."
    )
)

# %%
plot_sweep(
    sweep_readers_per_post(
        scenario, low=readers_low, high=readers_high, num=sweep_points, post_type=post_type
    )
)
plt.show()

# %% [markdown]
# ## Break-even readers per post
#
# Solved exactly (the model is linear in readers per post). A dash means no non-negative number
# of readers meets the criterion.

# %%
breakeven_table(report.breakevens)

# %% [markdown]
# ## Which input matters most: tornado and spider
#
# Each input moves alone from its scenario low to its high; bars are sorted by the swing of the
# total and labelled with the total (billions) and the input value at each end.

# %%
plot_tornado(report.tornado)
plt.show()

# %%
tornado_table(report.tornado)

# %% [markdown]
# The spider plot moves each input through the percentiles of its scenario distribution.

# %%
plot_spider(spider(scenario))
plt.show()

# %% [markdown]
# ## Uncertainty of the headline: Monte Carlo
#
# Every input is drawn from its scenario distribution (parameters the scenario does not give come
# from the input's low, base and high values):

# %%
report_table(
    pd.DataFrame(
        {
            "input": [name.replace("_", " ") for name in report.monte_carlo.inputs],
            "distribution": [numbers_in_words(d) for d in report.monte_carlo.inputs.values()],
        }
    ),
    {"input": ("Input", "text"), "distribution": ("Distribution", "text")},
)

# %%
plot_monte_carlo(report.monte_carlo)
plt.show()

# %%
tested = {number_key(report.threshold)} | (
    {number_key(claim_of(scenario))} if claim_of(scenario) is not None else set()
)
monte_carlo_table(report.monte_carlo, tested)

# %% [markdown]
# ## Global sensitivity: Sobol indices
#
# The first-order index is the share of the total's variance an input explains on its own; the
# total index adds its interactions. Whiskers are 95% percentile intervals of SALib's bootstrap
# replicates (`report.sobol.conf_int()`, any level can be asked for). The exact
# indices of the model (it is bilinear: network + posts x readers) are shown beside the estimates,
# unless the scenario derives readers per post from its audience model (then there are none).

# %%
plot_sobol(report.sobol)
plt.show()

# %%
# derived readers make the total non-linear: no closed form then
display(sobol_table(report.sobol, None if scenario.derived else sobol_analytic(scenario)))

# %% [markdown]
# ## Who makes the impressions as the assumptions move
#
# The figures above are totals. The scenario's person-level figures (its shares of Mass Connectors,
# Mass Mavens and both) rest on two more choices: the **concentration threshold** that
# defines the segments (the smallest top group making 80% of network impressions, or of influence
# posts), and readers per post, which leaves the segments unchanged (they are ranked by activity)
# but sets how much of the *total* each one makes. Both are measured on the synthetic panel of
# `data/population/` (100,000 simulated adults whose weighted figures reproduce the scenario's
# published ones; a scenario the panel does not match is simulated afresh).

# %%
people = load_panel(scenario)
concentration = scenario.segments.concentration_share.base
if segment_thresholds:
    by_threshold = threshold_sweep(people, segment_thresholds, scenario=scenario)
else:
    by_threshold = threshold_sweep(people, scenario=scenario)
plot_threshold_sweep(by_threshold, mark=concentration)
plt.show()

# %%
report_table(
    by_threshold.summary(),
    {
        "threshold": ("Threshold", "share"),
        "mass_connectors_share": ("Mass Connectors", "share"),
        "mass_mavens_share": ("Mass Mavens", "share"),
        "overlap_share": ("In both", "share"),
        "mass_influencers_share": ("Mass Influencers", "share"),
        "mass_influencers_share_of_total": ("Mass Influencers' share of the total", "share"),
        "connectors_mean_audience": ("Connectors' mean audience", "people"),
    },
    caption="Shares of online adults in each segment at each threshold, the Mass Influencers' "
    "share of total impressions and the Mass Connectors' mean audience.",
)

# %% [markdown]
# As readers per post move, each segment's share of total impressions slides from its share of
# network impressions (no readers) towards its share of influence posts (many readers); the dashed
# black line is the smallest share of adults that makes 80% of the total.

# %%
if segment_readers:
    by_readers = segment_readers_sweep(people, scenario, segment_readers)
else:
    by_readers = segment_readers_sweep(people, scenario)
plot_readers_segments(by_readers)
plt.show()

# %%
columns = [
    "readers_per_post",
    "post_share_of_total",
    "mass_influencers_share_of_total",
    "mass_connectors_share_of_total",
    "mass_mavens_share_of_total",
    "top_fraction_total",
]
report_table(
    by_readers.summary(),
    dict(
        zip(
            columns,
            [
                ("Readers per post", "readers"),
                ("Posts' share of the total", "share"),
                ("Mass Influencers' share", "share"),
                ("Mass Connectors' share", "share"),
                ("Mass Mavens' share", "share"),
                (f"Fewest adults making {format_quantity(concentration, 'share')}", "share"),
            ],
            strict=True,
        )
    ),
    caption="Each segment's share of total impressions, and the smallest share of adults "
    f"making {format_quantity(concentration, 'share')} of the total, as readers per post move.",
)

# %%
segment_verdict = segment_sensitivity(
    people, scenario, readers_low=readers_low, readers_high=readers_high, base_readers=base_readers
)
low, base, high = segment_verdict.influencers_share_of_total
display(Markdown(segment_verdict.describe()))

# %% [markdown]
# ## Conclusion

# %%
display(Markdown(report.describe()))

# %%
figures = report.key_figures() + key_figures(
    *(
        (
            f"influencers_share_of_total_at_{number_key(readers)}_readers",
            f"Mass Influencers' share of the total at {format_quantity(readers, 'readers')} "
            "readers per post",
            share,
            "share",
        )
        for readers, share in ((base_readers, base), (readers_high, high))
    )
)
_ = save_summary(summary_path, figures, report.conclusion())
key_figure_table(figures)
