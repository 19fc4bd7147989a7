"""The argument checks of influence_kit.validation, the seed and n_jobs rules, and the
results contract (conf_int, KeyFigures) of the sensitivity and accounting results."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from influence_kit import validation as v
from influence_kit.accounting import account
from influence_kit.errors import ParameterError, ScenarioError
from influence_kit.formatting import UNITS
from influence_kit.render.notebook_support import save_summary
from influence_kit.results import Conclusion, KeyFigure, KeyFigures, check_alpha, dumps
from influence_kit.scenarios import load_scenario
from influence_kit.sensitivity import monte_carlo, sensitivity_report

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "forrester-us-2009.yaml"

NOT_NUMBERS = ["1.5", b"2", None, [1.0], {"x": 1}, object()]
BOOLS = [True, False, np.bool_(True)]


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("value", [0, 3, -2.5, 1e300, np.float32(0.5), np.int64(7), Fraction(1, 4)])
def test_check_number_accepts_real_numbers(value):
    got = v.check_number("x", value)
    assert type(got) is float and got == float(value)


@pytest.mark.parametrize("value", NOT_NUMBERS + BOOLS)
def test_check_number_refuses_text_bools_and_others(value):
    with pytest.raises(ParameterError, match=r"^width must be a number, got "):
        v.check_number("width", value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -np.inf])
def test_check_number_refuses_non_finite(value):
    with pytest.raises(ParameterError, match=r"^width must be a finite number, got "):
        v.check_number("width", value)


def test_nonnegative_and_positive():
    assert v.check_nonnegative("n", 0) == 0.0
    assert v.check_positive("n", 1e-300) == 1e-300
    with pytest.raises(ParameterError, match=r"^scale must not be negative, got -1$"):
        v.check_nonnegative("scale", -1)
    with pytest.raises(ParameterError, match=r"^scale must be positive, got 0$"):
        v.check_positive("scale", 0)
    with pytest.raises(ParameterError, match="scale must be a number"):
        v.check_positive("scale", "3")
    with pytest.raises(ParameterError, match="scale must be a number"):
        v.check_nonnegative("scale", True)


def test_share_closed_and_open():
    assert v.check_share("p", 0) == 0.0 and v.check_share("p", 1) == 1.0
    assert v.check_share("p", 0.3, closed=False) == 0.3
    for bad in (-0.01, 1.01):
        with pytest.raises(ParameterError, match=r"^p must lie in \[0, 1\], got "):
            v.check_share("p", bad)
    for bad in (0, 1, 1.5):
        with pytest.raises(ParameterError, match=r"^p must lie strictly between 0 and 1, got "):
            v.check_share("p", bad, closed=False)
    with pytest.raises(ParameterError, match="p must be a number"):
        v.check_share("p", "0.5")


@pytest.mark.parametrize("value", [1, np.int32(5), 1e6, 10.0])
def test_check_int_accepts_whole_numbers(value):
    got = v.check_int("draws", value)
    assert type(got) is int and got == int(value)


@pytest.mark.parametrize("value", [2.5, "10", None, True, np.bool_(False), float("inf")])
def test_check_int_refuses_fractions_text_and_bools(value):
    with pytest.raises(ParameterError, match=r"^draws must be an integer, got "):
        v.check_int("draws", value)


def test_check_int_bounds():
    assert v.check_int("k", 0, minimum=0) == 0
    assert v.check_positive_int("k", 10, maximum=10) == 10
    with pytest.raises(ParameterError, match=r"^k must be an integer >= 1, got 0$"):
        v.check_positive_int("k", 0)
    with pytest.raises(ParameterError, match=r"^k must be an integer <= 10, got 11$"):
        v.check_positive_int("k", 11, maximum=10)
    with pytest.raises(ParameterError, match=r"^k must be an integer >= 2, got 1$"):
        v.check_int("k", 1, minimum=2)


def test_check_numbers():
    np.testing.assert_array_equal(v.check_numbers("t", 5), [5.0])
    np.testing.assert_array_equal(v.check_numbers("t", (1, np.float64(2.5))), [1.0, 2.5])
    np.testing.assert_array_equal(v.check_numbers("t", np.array([[1, 2], [3, 4]])), [1, 2, 3, 4])
    np.testing.assert_array_equal(v.check_numbers("t", (x for x in [7])), [7.0])
    assert v.check_numbers("t", [], allow_empty=True).size == 0
    with pytest.raises(ParameterError, match=r"^t must hold at least one number, got \[\]$"):
        v.check_numbers("t", [])
    with pytest.raises(ParameterError, match=r"^t must be a number or a list of numbers, got '1'"):
        v.check_numbers("t", "1")
    with pytest.raises(ParameterError, match=r"^t must be a number, got '2'$"):
        v.check_numbers("t", [1, "2"])
    with pytest.raises(ParameterError, match=r"^t must be a number, got True$"):
        v.check_numbers("t", [1, True])
    with pytest.raises(ParameterError, match=r"^t must be a finite number, got nan$"):
        v.check_numbers("t", [np.nan])
    with pytest.raises(ParameterError, match=r"^t must be a number or a list of numbers, got None"):
        v.check_numbers("t", None)
    # numeric arrays are checked at once, with the same rule and messages
    np.testing.assert_array_equal(v.check_numbers("t", np.arange(3, dtype=np.int32)), [0, 1, 2])
    with pytest.raises(ParameterError, match=r"^t must be a finite number, got inf$"):
        v.check_numbers("t", np.array([1.0, np.inf, np.nan]))
    with pytest.raises(ParameterError, match=r"^t must hold at least one number"):
        v.check_numbers("t", np.array([]))
    assert v.check_numbers("t", np.array([]), allow_empty=True).size == 0
    with pytest.raises(ParameterError, match=r"^t must be a number, got np.True_$"):
        v.check_numbers("t", np.array([True, False]))


def test_check_nonnegative_numbers():
    np.testing.assert_array_equal(v.check_nonnegative_numbers("r", [0, 2.5]), [0.0, 2.5])
    np.testing.assert_array_equal(v.check_nonnegative_numbers("r", 3), [3.0])
    with pytest.raises(ParameterError, match=r"^r must not be negative, got -2$"):
        v.check_nonnegative_numbers("r", [1, -2, -1])
    with pytest.raises(ParameterError, match=r"^r must hold at least one number"):
        v.check_nonnegative_numbers("r", [])
    with pytest.raises(ParameterError, match=r"^r must be a number, got '1'$"):
        v.check_nonnegative_numbers("r", [0, "1"])


@pytest.mark.parametrize("alpha", [0.05, 0.5, np.float32(0.25), Fraction(1, 10)])
def test_check_alpha_matches_open_share(alpha):
    assert check_alpha(alpha) == v.check_share("alpha", alpha, closed=False) == float(alpha)


@pytest.mark.parametrize("alpha", ["0.05", b"0.1", True, np.bool_(False), None, [0.05]])
def test_check_alpha_refuses_text_and_bools(alpha):
    with pytest.raises(ParameterError, match=r"^alpha must be a number, got "):
        check_alpha(alpha)


@pytest.mark.parametrize("alpha", [0, 1, -0.1, 1.5, float("nan"), float("inf")])
def test_check_alpha_refuses_values_outside_the_open_interval(alpha):
    with pytest.raises(ParameterError, match=r"^alpha must be (in \(0, 1\)|a finite number), got"):
        check_alpha(alpha)
    with pytest.raises(ParameterError):
        v.check_share("alpha", alpha, closed=False)


def test_check_fractions():
    np.testing.assert_array_equal(v.check_fractions("p", 0.25), [0.25])
    np.testing.assert_array_equal(v.check_fractions("p", (0.1, np.float32(0.5))), [0.1, 0.5])
    np.testing.assert_array_equal(v.check_fractions("p", np.array([[0.2], [0.9]])), [0.2, 0.9])
    for value in (0, 1, -0.5, 1.5):
        with pytest.raises(ParameterError, match=r"^p must lie strictly between 0 and 1, got "):
            v.check_fractions("p", [0.5, value])
    with pytest.raises(ParameterError, match=r"^p must lie strictly between 0 and 1, got 1$"):
        v.check_fractions("p", 1.0)
    with pytest.raises(ParameterError, match=r"^p must hold at least one number"):
        v.check_fractions("p", [])
    with pytest.raises(ParameterError, match=r"^p must be a number or a list of numbers, got '0"):
        v.check_fractions("p", "0.5")
    with pytest.raises(ParameterError, match=r"^p must be a number, got True$"):
        v.check_fractions("p", [True])
    with pytest.raises(ParameterError, match=r"^p must be a finite number, got nan$"):
        v.check_fractions("p", [np.nan])


def test_check_choice():
    assert v.check_choice("scale", "log", ("linear", "log")) == "log"
    with pytest.raises(ParameterError, match=r"^scale must be one of 'linear', 'log', got 'ln'$"):
        v.check_choice("scale", "ln", ("linear", "log"))
    with pytest.raises(ParameterError, match="scale must be one of"):
        v.check_choice("scale", ["log"], ("linear", "log"))


# --------------------------------------------------------------------------- seeds


def _draws(seed) -> np.ndarray:
    return v.check_random_state(seed).random(5)


@pytest.mark.parametrize("seed", [0, 1, 2**40, np.int64(9)])
def test_same_int_seed_gives_identical_draws(seed):
    np.testing.assert_array_equal(_draws(seed), _draws(seed))
    np.testing.assert_array_equal(_draws(seed), np.random.default_rng(int(seed)).random(5))


def test_none_seed_is_fresh_entropy():
    assert not np.array_equal(_draws(None), _draws(None))


def test_generator_and_seed_sequence_seeds():
    rng = np.random.default_rng(4)
    assert v.check_random_state(rng) is rng
    seq = np.random.SeedSequence(12)
    np.testing.assert_array_equal(_draws(seq), np.random.default_rng(12).random(5))
    # a Generator is advanced: two child streams drawn from it differ, and repeat with it
    a = v.child_seeds(np.random.default_rng(4), 2)
    b = v.child_seeds(np.random.default_rng(4), 2)
    assert [s.generate_state(2).tolist() for s in a] == [s.generate_state(2).tolist() for s in b]
    assert a[0].generate_state(2).tolist() != a[1].generate_state(2).tolist()


@pytest.mark.parametrize("seed", [-1, 1.5, 2.0, "7", True, [1]])
def test_bad_seeds_are_refused(seed):
    with pytest.raises(ParameterError, match=r"^seed must be an integer >= 0"):
        v.check_random_state(seed)


def test_child_seeds_and_entropy():
    kids = v.child_seeds(5, 3)
    again = v.child_seeds(5, 3)
    states = [k.generate_state(4).tolist() for k in kids]
    assert states == [k.generate_state(4).tolist() for k in again]
    assert len({tuple(s) for s in states}) == 3
    assert states == [k.generate_state(4).tolist() for k in np.random.SeedSequence(5).spawn(3)]
    fresh = v.check_seed(None)
    entropy = v.seed_entropy(fresh)
    assert isinstance(entropy, int)
    assert v.check_seed(entropy).generate_state(4).tolist() == fresh.generate_state(4).tolist()
    assert v.seed_entropy(kids[0]) is None  # a child is not recreated by its parent's integer


def test_nonzero_int_seed():
    seeds = [v.nonzero_int_seed(s) for s in np.random.SeedSequence(0).spawn(200)]
    assert all(1 <= s < 2**31 for s in seeds)
    assert v.nonzero_int_seed(np.random.SeedSequence(3)) == v.nonzero_int_seed(
        np.random.SeedSequence(3)
    )


# --------------------------------------------------------------------------- n_jobs


def test_n_jobs_rule():
    assert v.resolve_n_jobs(None) == 1
    assert v.resolve_n_jobs(1) == 1
    assert v.resolve_n_jobs(3) == 3
    assert v.resolve_n_jobs(np.int64(2)) == 2
    assert v.resolve_n_jobs(-1) == (os.cpu_count() or 1)
    for bad in (0, -2, -8, 1.0, "2", True):
        with pytest.raises(ParameterError, match=r"^n_jobs must be None, -1 or a positive integer"):
            v.resolve_n_jobs(bad)


# --------------------------------------------------------------------------- conf_int


def test_monte_carlo_conf_int_of_a_uniform_input(scenario):
    """Total = A + B R with only A ~ uniform(a, b) random: the interval is A's quantiles."""
    low, high = 200e9, 300e9
    scen = load_scenario(
        SCENARIO,
        {
            "network_impressions.low": low,
            "network_impressions.high": high,
            "network_impressions.base": 250e9,
        },
    )
    draws = 200_000
    mc = monte_carlo(
        scen,
        draws,
        seed=11,
        inputs=["network_impressions"],
        distributions={"network_impressions": "uniform"},
    )
    posts = float(scen.influence_posts.base) * float(scen.readers_per_post.base)
    for alpha in (0.05, 0.10, 0.5):
        ci = mc.conf_int(alpha)
        assert list(ci.index) == ["total_impressions"] and list(ci.columns) == ["lower", "upper"]
        for q, column in ((alpha / 2, "lower"), (1 - alpha / 2, "upper")):
            exact = posts + low + q * (high - low)
            # standard error of a sample quantile: sqrt(q (1 - q) / n) / density
            se = np.sqrt(q * (1 - q) / draws) * (high - low)
            assert ci.loc["total_impressions", column] == pytest.approx(exact, abs=5 * se)
    assert mc.conf_int(0.10).loc["total_impressions", "lower"] == pytest.approx(mc.p5)
    block = mc.to_dict()["conf_int"]
    assert block["alpha"] == 0.05
    assert block["intervals"]["total_impressions"]["lower"] == mc.conf_int().iloc[0]["lower"]
    with pytest.raises(ParameterError, match="alpha"):
        mc.conf_int(0)


def test_monte_carlo_conf_int_matches_a_lognormal_closed_form(scenario):
    dists = {"readers_per_post": {"kind": "lognormal", "sigma": 0.5}}
    mc = monte_carlo(scenario, 200_000, seed=2, inputs=["readers_per_post"], distributions=dists)
    ci = mc.conf_int(0.2)
    network = float(scenario.network_impressions.base)
    posts = float(scenario.influence_posts.base)
    rpp = stats.lognorm(0.5, scale=float(scenario.readers_per_post.base))
    for q, column in ((0.1, "lower"), (0.9, "upper")):
        assert ci.loc["total_impressions", column] == pytest.approx(
            network + posts * rpp.ppf(q), rel=0.01
        )


# --------------------------------------------------------------------------- overrides


def test_overrides_are_a_typed_mapping_never_text(scenario):
    with pytest.raises(ParameterError, match="overrides must be a mapping"):
        load_scenario(SCENARIO, ["readers_per_post=300"])
    # text values are not parsed by the library: validation refuses them
    with pytest.raises(ScenarioError, match="expected a number, got the string '300'"):
        load_scenario(SCENARIO, {"readers_per_post": "300"})
    s = load_scenario(SCENARIO, {"readers_per_post": 300})
    assert s.readers_per_post.base == 300 and s.overrides == {"readers_per_post": 300.0}
    assert s.digest() != scenario.digest()
    assert scenario.with_overrides({"readers_per_post": 300}).digest() == s.digest()


# --------------------------------------------------------------------------- KeyFigures


def test_account_key_figures_round_trip(scenario):
    figures = account(scenario).key_figures()
    assert isinstance(figures, KeyFigures)
    data = figures.to_dict()
    # the figures begin with the scenario's name, a text figure
    assert next(iter(data)) == "scenario"
    assert data["scenario"] == {
        "value": "forrester-us-2009",
        "label": "scenario",
        "unit": "text",
        "kind": "input",
    }
    assert list(data)[1] == "total_impressions"
    total = data["total_impressions"]
    assert total["value"] == pytest.approx(502e9)
    assert (total["unit"], total["kind"]) == ("impressions", "estimate")
    assert figures["total_impressions"] == figures.values()["total_impressions"] == total["value"]
    assert "total_impressions" in figures and "no_such_figure" not in figures
    assert data["dominant_channel"]["value"] == "network"
    assert data["claim"]["value"] == 500e9 and data["claim"]["kind"] == "published"
    assert data["meets_claim"]["value"] is True and data["meets_claim"]["kind"] == "verdict"
    assert json.loads(dumps(figures, sort_keys=False)) == data
    table = figures.summary()
    assert table.loc["total influence impressions per year", "shown as"] == "502 billion"
    assert table.loc["share of advertiser impressions", "shown as"] == "25.1%"
    units = {f.key: f.unit for f in figures}
    assert units["readers_per_post"] == "readers" and units["influence_posts"] == "posts"
    assert set(units.values()) <= set(UNITS)
    rebuilt = KeyFigures(tuple(figures))
    assert rebuilt == figures
    assert KeyFigures.from_dict(data) == figures


def test_a_key_figure_has_a_unit_and_kind_from_closed_sets():
    figure = KeyFigure("x", "an x", 1.5)
    assert (figure.unit, figure.kind) == ("number", "estimate")
    assert all(isinstance(f, KeyFigure) for f in KeyFigures((figure,)))
    with pytest.raises(ValueError, match="unit 'dollars' is not one of"):
        KeyFigure("x", "an x", 1.5, unit="dollars")
    with pytest.raises(ValueError, match="kind 'guess' is not one of"):
        KeyFigure("x", "an x", 1.5, kind="guess")


def test_save_summary_takes_key_figures(scenario, tmp_path):
    figures = account(scenario).key_figures()
    path = tmp_path / "summary.json"
    conclusion = account(scenario).conclusion("US, 2009")
    written = save_summary(str(path), figures, conclusion)
    assert written == {"figures": figures.to_dict(), "conclusion": conclusion.to_dict()}
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == written
    assert list(on_disk["figures"]) == list(figures.to_dict())  # the author's order
    assert Conclusion.from_dict(on_disk["conclusion"]) == conclusion
    with pytest.raises(ValueError, match="not saved: \\['nowhere'\\]"):
        save_summary("", figures, Conclusion(("One sentence.",), ("nowhere",)))
    with pytest.raises(TypeError, match="takes a Conclusion"):
        save_summary("", figures, "The total is large.")  # type: ignore[arg-type]


def test_conclusion_holds_what_a_box_can_show():
    with pytest.raises(ValueError, match="1 to 4 sentences"):
        Conclusion(())
    with pytest.raises(ValueError, match="1 to 4 sentences"):
        Conclusion(("a.", "b.", "c.", "d.", "e."))
    with pytest.raises(ValueError, match="non-empty"):
        Conclusion(("a.", "  "))
    with pytest.raises(ValueError, match="at most 8 distinct"):
        Conclusion(("a.",), tuple("abcdefghi"))
    with pytest.raises(ValueError, match="at most 8 distinct"):
        Conclusion(("a.",), ("x", "x"))
    assert Conclusion.from_dict({"sentences": [], "figures": []}) is None  # malformed: none
    assert Conclusion.from_dict(None) is None


def test_report_key_figures_round_trip(scenario):
    report = sensitivity_report(scenario, draws=2000, seed=1, sobol_n=64)
    figures = report.key_figures()
    data = json.loads(dumps(figures.to_dict(), sort_keys=False))
    assert data == figures.to_dict()
    assert data["scenario"]["value"] == "forrester-us-2009"
    assert data["top_sobol_input"]["value"] == "readers per post"
    assert figures["scenario"] == "forrester-us-2009"
    assert figures.values()["top_sobol_input"] == "readers per post"
    assert figures.summary().loc["scenario", "shown as"] == "forrester-us-2009"


def test_result_to_dict_needs_a_dataclass():
    import dataclasses

    from influence_kit.results import Result

    @dataclasses.dataclass
    class Point(Result):
        x: float
        _hidden: int = 0

    assert Point(1.5).to_dict() == {"x": 1.5}
    with pytest.raises(TypeError, match="Plain is not a dataclass"):

        class Plain(Result):
            pass

        Plain().to_dict()
