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
# # Replicating Clauset, Shalizi & Newman (2009), Tables 6.1 and 6.2
#
# Clauset, Shalizi & Newman, "Power-law distributions in empirical data", SIAM Review 51(4),
# 661-703 (2009), is the reference method for fitting heavy tails. Nine of its 24 datasets ship
# with this toolkit (`data/clauset2009/`). This report refits every one of them with
# `influence_kit.fitting` and shows our numbers beside the published ones
# (`data/reference/clauset2009_table61.csv`, `_table62.csv`), row by row. Cells where we differ
# are marked **NO** and explained below the tables.
#
# **Replicate counts.** To keep this report under a minute, the goodness-of-fit p-values use
# `gof_replicates` synthetic data sets (the paper used 2,500, which pins p to about ±0.01) and the
# ± columns use `bootstrap_replicates` resamples (each count at least 39, the floor for a p-value
# or an interval); with 50 replicates p carries a Monte Carlo error of up to ±0.07. Web links
# (240 million observations) skip both bootstraps here (the paper's p is 0.00); `influence-kit fit
# data/clauset2009/weblinks.hist --column degree --counts-column frequency --continuous
# --gof-reps 2500` runs them.

# %% tags=["parameters"]
# Parameters (papermill overrides these; see `influence-kit render --help`)
from influence_kit.constants import DEFAULT_SEED

scenario_path: str = "forrester-us-2009"  # scenario (not used here)
overrides: dict = {}  # scenario overrides, dotted key -> value, e.g. {"readers_per_post": 300}
seed: int = DEFAULT_SEED  # seed of the bootstraps
summary_path: str = ""  # where the renderer wants the key figures (empty: do not write)
gof_replicates: int = 50  # goodness-of-fit replicates per dataset (paper: 2500)
bootstrap_replicates: int = 39  # bootstrap resamples for the +- columns (paper: 1000)

# %%
import pandas as pd
from IPython.display import Markdown, display

from influence_kit.datasets import dataset_path
from influence_kit.fitting.replication import (
    CLAUSET_DATASETS,
    replicate,
    replication_agreement,
    table_61,
    table_62,
)
from influence_kit.formatting import format_count, format_fixed, format_value
from influence_kit.render.notebook_support import parameters_table, save_summary, setup_notebook
from influence_kit.render.tables import P_VALUE, report_table

setup_notebook()
data_dir = dataset_path("words").parent  # the shipped Clauset datasets
reports = replicate(
    data_dir,
    gof_replicates=gof_replicates,
    bootstrap_replicates=bootstrap_replicates,
    seed=seed,
)
t61 = table_61(reports, dataset_path("clauset_table61"))
t62 = table_62(reports, dataset_path("clauset_table62"))


def paper_columns(frame: pd.DataFrame) -> dict:
    """Headers in words for the replication tables: text for the ok columns, p-values to
    three significant digits, x_min and alpha to five (the paper prints up to four), other
    numbers to four."""
    return {
        c: (
            c.replace("_", " "),
            "text" if c.endswith("ok") else (P_VALUE if c.startswith("p") else "number"),
            2 if c.startswith("p") else (4 if c.startswith(("x_min", "alpha")) else 3),
        )
        for c in frame.columns
    }


missing_61 = "not computed in this run (no replicates) or not printed in the paper"
parameters_table(
    gof_replicates=gof_replicates,
    bootstrap_replicates=bootstrap_replicates,
    seed=seed,
)

# %% [markdown]
# ## How each dataset is fitted
#
# As in the paper: word counts and terrorism deaths as discrete data (exact Hurwitz-zeta
# normalisation), the others as continuous data, with blackouts, cities, quakes and surnames in
# thousands. Web links are fitted as **continuous** data: that is what reproduces the published
# xmin = 3684 and tail size = 28,986 (Table 6.2 also lists them as continuous). Treated as discrete,
# the KS minimum is at xmin = 20, and the exact discrete MLE at xmin = 3684 is 2.3354.

# %%
report_table(
    pd.DataFrame(
        [
            (d.name, d.file, "discrete" if d.discrete else "continuous", format_value(d.scale))
            for d in CLAUSET_DATASETS
        ],
        columns=["dataset", "file", "fitted as", "scale"],
    ),
    {
        "dataset": ("Dataset", "text"),
        "file": ("File", "text"),
        "fitted as": ("Fitted as", "text"),
        "scale": ("Scale", "text"),
    },
)

# %% [markdown]
# ## Table 6.1: xmin, alpha, tail size and the goodness-of-fit p
#
# xmin and tail size should agree exactly, alpha within one unit of its last printed digit, and p
# within the Monte Carlo error of our replicate count (we mark p as agreeing within 0.1).

# %%
first = t61[
    [
        "x_min",
        "x_min (paper)",
        "x_min ok",
        "alpha",
        "alpha (paper)",
        "alpha ok",
        "n_tail",
        "n_tail (paper)",
        "n_tail ok",
    ]
]
report_table(first, paper_columns(first), index=("Dataset", "text"), missing=missing_61)

# %%
second = t61[
    [
        "n",
        "n (paper)",
        "±x_min",
        "±x_min (paper)",
        "±alpha",
        "±alpha (paper)",
        "p",
        "p (paper)",
        "p ok",
    ]
]
report_table(second, paper_columns(second), index=("Dataset", "text"), missing=missing_61)

# %%
agreement = replication_agreement(t61, t62)
display(Markdown(agreement.describe_table61()))

# %% [markdown]
# ### The tie-handling subtlety (quakes and surnames)
#
# Quake intensities take only 70 distinct values and surname frequencies repeat often, so how the
# empirical CDF treats ties changes the KS distance and therefore xmin. Clauset's reference code
# compares the fitted CDF with `(i - 1)/n` at **every** sorted observation, tied copies included
# (`ties="each"`, our default); the `powerlaw` package compares once per distinct value with the
# fraction strictly below it (`ties="left"`). Only the first reproduces the published xmin for
# quakes (0.794) and surnames (111.92):

# %%
from influence_kit.fitting import fit_power_law
from influence_kit.fitting.replication import load_dataset

rows = []
for ds in CLAUSET_DATASETS:
    if ds.name in ("quakes", "surnames"):
        table = load_dataset(ds, data_dir)
        for ties in ("each", "left"):
            fit = fit_power_law(table, discrete=False, ties=ties)
            rows.append(
                (
                    ds.name,
                    ties,
                    format_value(fit.xmin, 5),
                    format_value(fit.alpha, 4),
                    format_count(fit.n_tail),
                )
            )
report_table(
    pd.DataFrame(rows, columns=["dataset", "ties", "x_min", "alpha", "n_tail"]),
    {
        "dataset": ("Dataset", "text"),
        "ties": ("Ties", "text"),
        "x_min": ("x min", "text"),
        "alpha": ("alpha", "text"),
        "n_tail": ("n tail", "text"),
    },
)

# %% [markdown]
# ## Table 6.2: the power law against the alternatives
#
# **R** is Vuong's normalized log-likelihood ratio for lognormal, exponential, stretched
# exponential and Poisson (positive favours the power law), and the raw ratio for the power law
# with cut-off, whose **p** is the chi-square test, as printed in the paper. The last row of each dataset is the
# verdict (good / moderate / with cut-off / none), derived from our own comparisons and our own
# goodness-of-fit p.

# %%
report_table(
    t62.rename(index=lambda name: name.replace("_", " ")),
    paper_columns(t62),
    missing="the verdict row holds no ratio or p-value (its verdict is in the sign ok column)",
)

# %%
display(Markdown(agreement.describe_table62()))

# %% [markdown]
# ### Where and why Table 6.2 differs
#
# * **Discrete lognormal and stretched exponential (words, terrorism).** For these data the
#   likelihood of both alternatives keeps rising towards a degenerate limit (lognormal with
#   mu falling without bound and sigma growing; stretched exponential with beta -> 0), where both become a
#   discretised power law. Our optimiser follows the likelihood there, so both give the same R;
#   the paper's numbers come from a fit that stopped elsewhere (its discrete alternatives are
#   normalised differently and its search was bounded). The verdicts are unaffected: no p is
#   below 0.1. The terrorism stretched-exponential sign differs (both p > 0.4).
# * **Continuous stretched exponential (cities, flares, web links).** Same story: the stretched
#   exponential drifts toward the lognormal-like limit; R differs by more than 0.1 and for cities
#   the sign flips, with p > 0.8 in both.
# * **Exponential for blackouts (1.43 against 1.21) and quakes (11.5 against 11.6), web links
#   (25.2 against 25.3).** The exponential MLE is closed-form, so the difference lies in the
#   paper's computation; the `powerlaw` package also gives 1.43 for blackouts. All remain
#   highly significant (or not) in the same direction.
# * **The verdicts** agree wherever our goodness-of-fit p falls on the same side of 0.1 as the
#   paper's; with only a few dozen replicates, a p near 0.1 (fires 0.05, surnames 0.20, species)
#   can land on the other side. The rule itself reproduces all 24 rows of the paper's Table 6.2
#   from the paper's own numbers (tested).
# * **Goodness of fit for words.** With 2,500 replicates we get p of about 0.67 against the
#   printed 0.49 (the plausibility verdict agrees; terrorism, 0.69 against 0.68, and blackouts
#   agree closely). The difference is consistent with the paper's reference MATLAB code (plfit.m
#   and plpva.m), which for discrete data by default
#   estimates alpha on a grid of step 0.01 (1.50, 1.51, ..., 3.50): with alpha = 1.95 instead of
#   the exact 1.9527 the observed KS distance is larger, and so fewer synthetic data sets exceed
#   it. Measured against our own replicates:

# %%
from influence_kit.fitting.replication import grid_alpha_check

words = load_dataset(CLAUSET_DATASETS[0], data_dir)
grid = grid_alpha_check(
    words, replicates=500, seed=seed, published_p=t61.loc["words", "p (paper)"], dataset="words"
)
report_table(
    pd.DataFrame(
        {
            "alpha": [
                f"{format_fixed(grid.alpha, 5)} (exact MLE)",
                f"{format_value(grid.grid_alpha)} ({format_value(grid.grid_step)} grid, "
                "as the paper's code)",
            ],
            "observed KS": [format_fixed(grid.ks, 5), format_fixed(grid.grid_ks, 5)],
            f"p ({grid.replicates} replicates)": [
                format_fixed(grid.p, 2),
                format_fixed(grid.grid_p, 2),
            ],
            "p (paper)": ["", format_fixed(grid.published_p, 2)],
        }
    ),
    {
        "alpha": ("alpha", "text"),
        "observed KS": ("Observed KS distance", "text"),
        f"p ({grid.replicates} replicates)": (f"p ({grid.replicates} replicates)", "text"),
        "p (paper)": ("p (paper)", "text"),
    },
)

# %%
_ = save_summary(summary_path, agreement.key_figures() + grid.key_figures(), agreement.conclusion())
