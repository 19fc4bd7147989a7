# ---
# jupyter:
#   influence_kit:
#     scenario_dependent: false
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
# # How are impressions distributed? Fitting heavy tails with Clauset-grade rigour
#
# A person's influence impressions are the posts they make times the audience that sees each one.
# Both factors are heavy-tailed, so a few people produce most impressions. This report asks, for one
# column of per-person data: **which heavy-tailed law describes its tail, with what parameters, how
# sure are we, and is a power law even plausible?** It follows Clauset, Shalizi & Newman (2009),
# "Power-law distributions in empirical data", SIAM Review 51(4): xmin by minimising the
# Kolmogorov-Smirnov distance, maximum likelihood, a bootstrap goodness-of-fit test, and
# likelihood-ratio comparisons with the alternatives.
#
# The default data are the friend counts of the 4,039 people in SNAP's ego-Facebook network
# (McAuley & Leskovec, 2012): the audience each status update reaches.

# %% tags=["parameters"]
# Parameters (papermill overrides these; see `influence-kit render --help`)
from influence_kit.constants import DEFAULT_SEED

scenario_path: str = "forrester-us-2009"  # shipped scenario that gives the top fractions
overrides: dict = {}  # scenario overrides, dotted key -> value, e.g. {"readers_per_post": 300}
seed: int = DEFAULT_SEED  # seed of the bootstraps
summary_path: str = ""  # where the renderer wants the key figures (empty: do not write)
dataset: str = "facebook_degrees"  # shipped dataset (influence_kit.datasets.list_datasets())
data_path: str = ""  # your own text/CSV/TSV/Parquet file instead (empty: the dataset)
column: str = "degree"  # column with the values (empty: the only column)
counts_column: str = ""  # column with counts when the file is a histogram
kind: str = "auto"  # "discrete", "continuous" or "auto" (integers are discrete)
scale: float = 1.0  # multiply the values by this factor
gof_replicates: int = 500  # goodness-of-fit bootstrap replicates (2500 gives p to +-0.01)
bootstrap_replicates: int = 200  # bootstrap replicates for the +- of x_min, alpha, n_tail
concentration_reps: int = 500  # bootstrap replicates of the concentration intervals

# %%
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from influence_kit.data import read_column
from influence_kit.datasets import dataset_description, dataset_path
from influence_kit.fitting import fit_all
from influence_kit.plots.fitting import ccdf_with_fits, fit_diagnostics
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.render.tables import (
    concentration_table,
    fit_table,
    key_figure_table,
    numbers_in_words,
    report_table,
)
from influence_kit.tables import value_table

setup_notebook()
discrete = {"discrete": True, "continuous": False}.get(kind)
data = read_column(data_path or dataset_path(dataset), column or None, counts_column or None)
table = value_table(data.table, discrete=discrete, scale=scale)
# what the data are, in words (your own file: its name, not where it lives)
source_label = Path(data_path).name if data_path else dataset_description(dataset)
parameters_table(
    data=source_label,
    kind=kind,
    scale=scale,
    gof_replicates=gof_replicates,
    bootstrap_replicates=bootstrap_replicates,
    seed=seed,
)

# %% [markdown]
# ## The data
#
# Zeros (people who produce nothing) are legitimate: they are counted here but left out of the
# fit, because a power law has no mass at zero.

# %%
report_table(table.summary(), {"value": ("Value", "text")}, index=("Figure", "text"))

# %% [markdown]
# ## The fit
#
# xmin is chosen among every distinct value by minimising the KS distance between the data above
# it and the fitted power law; alpha is the maximum-likelihood estimate (exact Hurwitz-zeta
# normalisation for integer data) with its standard error from the likelihood. The bootstraps
# repeat the whole procedure, xmin scan included, on resampled and on synthetic data.

# %%
report = fit_all(
    table,
    gof_replicates=gof_replicates,
    bootstrap_replicates=bootstrap_replicates,
    seed=seed,
    progress=False,
)
key_figure_table(report.key_figures())

# %% [markdown]
# ## Power law against the alternatives
#
# Each alternative is fitted by maximum likelihood to the same tail. **Normalized R** is Vuong's
# statistic (positive favours the power law); for the power law with cut-off, which contains the
# power law as a special case, **LR** is the raw log-likelihood ratio and **p** the chi-square test
# (the paper's convention; halving it gives the boundary-corrected p). A p-value above 0.1 means
# the data cannot tell the two apart.

# %%
fit_table(report)

# %%
ccdf_with_fits(report, xlabel=f"value ({source_label})")
plt.show()

# %% [markdown]
# ## Diagnostics
#
# How alpha and the KS distance depend on the choice of xmin, and where the observed KS distance
# falls among the synthetic data sets of the goodness-of-fit test.

# %%
fig = fit_diagnostics(report, xlabel="value")
plt.show()

# %% [markdown]
# ## What the numbers say

# %%
display(Markdown(numbers_in_words(report.describe())))

# %% [markdown]
# The verdicts follow Table 6.2 of the paper: **good** (plausible and favoured over every
# alternative), **moderate** (plausible, but some alternative fits about as well), **with cut-off**
# (the power law with an exponential cut-off is clearly better) and **none** (ruled out by the
# goodness-of-fit test or by a clearly better alternative). For the impression model, what
# matters is the share of impressions the top few percent produce: with a cut-off or a lognormal
# tail, the top 1% holds less than a pure power law with the same alpha would suggest.

# %% [markdown]
# ## Who produces the impressions
#
# The same data seen as concentration: the Lorenz curve, the Gini coefficient and the share held by
# the top 1% of people and by the scenario's Mass Connector, Mass Maven and headline Mass
# Influencer fractions (from the scenario file), with bootstrap intervals from
# multinomial resampling of the frequency table. Where the fitted tail's index may lie below 4
# those intervals fall short (below 2 the variance is infinite and they miss most of the time),
# and a lognormal-like tail cannot be told from a power law at these sample sizes; there the
# interval is the envelope of the bootstrap and the fitted Pareto tail's, which holds under
# either (see `benchmarks/results/coverage.md`). The sentence under the table says which
# interval is shown, and a caution under it says where none can be trusted.
# Beside the observed shares, what the fitted model implies: the fitted power-law tail above xmin
# joined to the observed values below it. The two differ where the tail extrapolates beyond the
# largest values in the data.

# %%
import pandas as pd

from influence_kit import load_scenario
from influence_kit.concentration import concentration, splice_fitted_tail
from influence_kit.errors import InfluenceKitError
from influence_kit.formatting import escape_markdown
from influence_kit.plots.concentration import lorenz_curves
from influence_kit.segments import published_headline

scenario = load_scenario(scenario_path, overrides)
segments = scenario.segments
headline_top, headline_share = published_headline(scenario)
tops = [0.01, segments.mass_connectors_share.base, segments.mass_mavens_share.base, headline_top]
conc = concentration(
    table,
    top=tops,
    shares=[segments.concentration_share.base],
    reps=concentration_reps,
    seed=seed,
    label=source_label,
)
display(Markdown(f"Intervals: {escape_markdown(conc.describe_intervals())}."))
concentration_table(conc)

# %%
try:
    fitted = splice_fitted_tail(report, "power_law")
    implied = [float(s) for s in fitted.top_share(tops)]
    note = "fitted power-law tail above xmin + observed values below it"
except InfluenceKitError as err:  # the fitted tail has no finite top shares
    implied = [float("nan")] * len(tops)
    note = str(err)
observed = [row.share for row in conc.top_shares]
report_table(
    pd.DataFrame({"top": tops, "observed": observed, "implied": implied}),
    {
        "top": ("Top fraction of people", "share"),
        "observed": ("Their observed share", "share"),
        "implied": ("Their share under the fitted model", "share"),
    },
    caption=f"Fitted model: {note}.",
    missing="the fitted tail gives no finite share",
)

# %%
lorenz_curves(conc, headline=(headline_top, headline_share), title=f"Lorenz curve: {source_label}")
plt.show()

# %%
_ = save_summary(
    summary_path,
    report.key_figures() + conc.key_figures(),
    report.conclusion() + conc.conclusion((headline_top, headline_share)),
)
