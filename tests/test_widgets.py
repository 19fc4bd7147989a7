"""The explorer's widgets without a browser: set values in Python, read the views."""

from __future__ import annotations

import argparse
import base64
import re

import pytest
import yaml

from influence_kit.accounting import account, derived_quantities
from influence_kit.errors import ParameterError
from influence_kit.parsing import parse_number, parse_overrides, parse_quantity
from influence_kit.scenarios import list_scenarios, load_scenario

pytest.importorskip("ipywidgets")

from influence_kit.explorer.widgets import (
    READERS_MODES,
    SCENARIOS_ENV,
    build_explorer,
    explorer_app,
    menu,
    number_text,
)


@pytest.fixture(scope="module")
def panel():
    from influence_kit.population import load_panel

    return load_panel()


@pytest.fixture
def explorer(panel):
    return build_explorer(list_scenarios(), panel, initial="forrester-us-2009", draws=200)


def _headline(explorer) -> str:
    return re.search(r'class="ik-headline-value"[^>]*>([^<]+)<', explorer.views["headline"].value)[
        1
    ]


def _shown(explorer) -> dict[str, float]:
    html = explorer.views["decomposition"].value
    return {k: float(v) for k, v in re.findall(r'data-key="(\w+)" data-value="([^"]+)"', html)}


def _download(explorer) -> str:
    encoded = re.search(r"base64,([^\"]+)\"", explorer.views["download"].value)[1]
    return base64.b64decode(encoded).decode("utf-8")


@pytest.mark.parametrize(
    ("text", "value"),
    [("150", 150.0), (" 1,640,000,000 ", 1.64e9), ("256e9", 256e9), ("1_000", 1000.0), ("0", 0.0)],
)
def test_parse_number_reads_what_people_type(text, value):
    assert parse_number("x", text) == value
    assert parse_number("x", number_text(value)) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter a number"),
        ("abc", "is not a number"),
        ("-1", "negative"),
        ("inf", "'inf' is not a number"),
        ("nan", "'nan' is not a number"),
        ("1,5", "commas only between groups of three"),
    ],
)
def test_parse_number_refuses_bad_text(text, message):
    with pytest.raises(ParameterError, match=message):
        parse_number("x", text)


def test_the_widgets_parse_numbers_with_the_one_parser():
    from influence_kit.explorer import widgets

    assert widgets.parse_quantity is parse_quantity


def test_number_text_is_exact():
    for value in (1.64e9, 256e9, 150.0, 0.1, 123.456, 1e20):
        assert parse_number("x", number_text(value)) == value
    assert number_text(256e9) == "256,000,000,000"


def test_readers_per_post_moves_the_headline_from_502_to_748_billion(explorer):
    assert _headline(explorer) == "502 billion"
    assert explorer.controls["readers_slider"].value == 150
    # the slider spans the scenario's own range of readers per post (readers_range)
    slider = explorer.controls["readers_slider"]
    assert (slider.min, slider.max) == (50, 1000)
    explorer.controls["readers_per_post"].value = "300"
    assert _headline(explorer) == "748 billion"
    assert explorer.controls["readers_slider"].value == 300
    explorer.controls["readers_slider"].value = 200
    assert explorer.controls["readers_per_post"].value == "200"
    assert explorer.state.account.total_impressions == 256e9 + 1.64e9 * 200
    assert _shown(explorer)["total_impressions"] == 256e9 + 1.64e9 * 200
    # the live charts follow: the channel chart's title and bars hold the new total
    channels = explorer.views["channels"]
    assert "584 billion" in channels.title
    bars = [t for t in channels.figure["data"] if t["type"] == "bar" and t["y"][0] != "Online ads"]
    assert sum(bar["x"][0] for bar in bars) == pytest.approx((256e9 + 1.64e9 * 200) / 1e9)


@pytest.mark.parametrize("bad", ["-5", "", "many", "nan"])
def test_bad_values_show_a_message_and_keep_the_last_good_state(explorer, bad):
    explorer.controls["readers_per_post"].value = "300"
    good = explorer.state
    explorer.controls["network_impressions"].value = bad
    assert explorer.state is good
    assert set(explorer.errors) == {"network_impressions"}
    assert "Not updated" in explorer.views["message"].value
    assert "Network impressions" in explorer.views["message"].value
    assert _headline(explorer) == "748 billion"
    assert "ik-invalid" in explorer.controls["network_impressions"]._dom_classes
    explorer.controls["network_impressions"].value = "300e9"
    assert explorer.errors == {} and explorer.views["message"].value == ""
    assert explorer.state.account.total_impressions == 300e9 + 1.64e9 * 300


def test_readers_per_post_type_and_the_download_round_trip(explorer, tmp_path):
    explorer.controls["readers_per_post"].value = "317.5"
    explorer.controls["influence_posts"].value = "2,000,000,000"
    explorer.controls["readers_by_type.reviews"].value = "900"
    explorer.controls["threshold"].value = 0.7
    acc = explorer.state.account
    assert acc.readers_per_post_by_type["reviews"] == 900
    assert acc.readers_per_post_by_type["forum_posts"] == 317.5
    text = _download(explorer)
    assert text == explorer.yaml_text()
    path = tmp_path / "state.yaml"
    path.write_text(text)
    loaded = load_scenario(path)
    again = account(loaded).to_dict()
    assert again == acc.to_dict()  # to the last digit, notes included
    assert loaded.segments.concentration_share.base == 0.7
    # the field emptied again: the type uses readers per post
    explorer.controls["readers_by_type.reviews"].value = ""
    assert explorer.state.account.readers_per_post_by_type["reviews"] == 317.5


def test_scenario_menu_sets_every_field(explorer):
    explorer.controls["scenario"].value = "skeptic-us-2009"
    expected = account(load_scenario("skeptic-us-2009"))
    assert explorer.controls["readers_per_post"].value == "50"
    slider = explorer.controls["readers_slider"]
    assert (slider.min, slider.max, slider.value) == (20, 150, 50)  # skeptic's own range
    assert explorer.controls["network_impressions"].value == number_text(
        expected.network_impressions
    )
    assert _shown(explorer)["total_impressions"] == expected.total_impressions
    assert "skeptic-us-2009" in explorer.views["headline"].value


def test_monte_carlo_interval_brackets_the_total(explorer):
    interval = explorer.interval.conf_int(0.05).iloc[0]
    assert interval["lower"] < explorer.state.account.total_impressions < interval["upper"]
    assert f'data-lower="{float(interval["lower"])!r}"' in explorer.views["interval"].value
    again = build_explorer(["forrester-us-2009"], explorer.panel, draws=200)
    assert again.interval.p5 == explorer.interval.p5  # seeded


def test_derived_readers_toggle(panel, tmp_path, default_scenario_path):
    """The toggle derives readers per post by the scenario's own audience model, through
    the same overrides as the command line; without an audience model it is disabled."""
    document = yaml.safe_load(default_scenario_path.read_text())
    document.pop("audience_model")
    (tmp_path / "plain.yaml").write_text(yaml.safe_dump(document))
    plain = build_explorer([tmp_path / "plain.yaml"], panel, draws=50)
    assert plain.controls["readers_mode"].disabled
    derived = build_explorer(["forrester-us-2009"], panel, draws=50)
    mode = derived.controls["readers_mode"]
    assert not mode.disabled and mode.value == READERS_MODES[0]
    model_readers = derived_quantities(load_scenario("forrester-us-2009"))["readers_per_post"]
    mode.value = READERS_MODES[1]
    assert derived.controls["readers_per_post"].value == number_text(model_readers.base)
    assert derived.controls["readers_per_post"].disabled
    assert derived.state.account.readers_per_post == pytest.approx(model_readers.base)
    cli = load_scenario(
        "forrester-us-2009", parse_overrides(["audience_model.derive=[readers_per_post]"])
    )
    assert derived.state.scenario.digest() == cli.digest()
    # back to "assumed": the figure shown stays, now as an assumption, and a note says so
    mode.value = READERS_MODES[0]
    assert derived.state.account.readers_per_post == pytest.approx(model_readers.base)
    assert "assumed" in derived.views["message"].value
    assert not derived.controls["readers_per_post"].disabled
    derived.reset()  # "Reset to scenario": the scenario's own 150, stated
    assert derived.state.account.readers_per_post == 150.0
    assert derived.state.scenario.digest() == load_scenario("forrester-us-2009").digest()


def test_menu_labels_and_own_files(tmp_path, default_scenario_path, panel, monkeypatch):
    own = tmp_path / "mine.yaml"
    own.write_text(default_scenario_path.read_text())
    entries = menu(["forrester-us-2009", own, default_scenario_path])
    assert list(entries) == ["forrester-us-2009", "mine"]
    monkeypatch.setenv(SCENARIOS_ENV, str(own))
    app = explorer_app()
    assert app.label == "mine"
    assert set(list_scenarios()) < set(app.scenarios)


def test_explore_cli_checks_its_arguments(tmp_path, capsys):
    from influence_kit.cli import explore as cli_explore
    from influence_kit.cli.main import main

    assert main(["explore", "--scenario", str(tmp_path / "missing.yaml"), "--no-browser"]) == 2
    assert "missing.yaml: scenario YAML file not found" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["explore", "--port", "70000"])
    with pytest.raises(argparse.ArgumentTypeError):
        cli_explore._port("http")
    port = cli_explore.free_port()
    command = cli_explore.voila_command(tmp_path / "app.ipynb", port)
    assert f"--port={port}" in command and "--Voila.ip=127.0.0.1" in command
    assert "--VoilaConfiguration.strip_sources=True" in command


def test_readers_derived_by_the_scenario_audience_model(panel):
    from influence_kit.accounting import account
    from influence_kit.scenarios import load_scenario

    explorer = build_explorer(["forrester-us-2009", "audience-us-2009"], panel, draws=50)
    mode = explorer.controls["readers_mode"]
    assert not mode.disabled and mode.value == READERS_MODES[0]
    mode.value = READERS_MODES[1]
    derived = derived_quantities(load_scenario("forrester-us-2009"))["readers_per_post"].base
    assert explorer.state.account.readers_per_post == derived
    # a scenario whose account uses the derived figures starts on them, to the last digit
    explorer.controls["scenario"].value = "audience-us-2009"
    assert mode.value == READERS_MODES[1]
    expected = account(load_scenario("audience-us-2009"))
    assert explorer.state.account.total_impressions == expected.total_impressions
    # "assumed": the derived figure stays as the assumption; typing 150 gives the stated one
    mode.value = READERS_MODES[0]
    assert explorer.state.account.readers_per_post == pytest.approx(derived)
    explorer.controls["readers_per_post"].value = "150"
    assert explorer.state.account.readers_per_post == 150.0


def test_the_audience_model_moves_the_derived_readers_as_the_command_line_does(panel):
    """Visibility typed into the explorer (as a percentage) gives the derived readers per post
    and the total that ``--set audience_model.visibility=...`` gives."""
    from influence_kit.accounting import account
    from influence_kit.scenarios import load_scenario

    explorer = build_explorer(["audience-us-2009"], panel, draws=50)
    explorer.controls["audience_model.visibility"].value = "30%"
    cli = account(load_scenario("audience-us-2009", {"audience_model.visibility": 0.3}))
    assert explorer.errors == {}
    assert explorer.state.account.readers_per_post == cli.readers_per_post
    assert explorer.state.account.total_impressions == cli.total_impressions
    assert "audience_model.visibility=0.3" in explorer.page.query
    explorer.controls["audience_model.visibility"].value = "130%"
    assert "between 0% and 100%" in explorer.errors["audience_model.visibility"]
    assert explorer.state.account.total_impressions == cli.total_impressions


def test_the_care_rates_move_the_funnel_as_the_engagement_layer_computes(panel):
    """A reply rate typed into the explorer gives the funnel that the engagement layer gives
    with that rate; the link holds it; a rate above 100% is refused with its bounds."""
    from influence_kit.engagement import care_funnel, scenario_engagement_rates
    from influence_kit.scenarios import load_scenario

    explorer = build_explorer(["forrester-us-2009"], panel, draws=50)
    before = explorer.funnel.reacted_or_replied
    explorer.controls["care.reply"].value = "5%"
    scenario = load_scenario("forrester-us-2009")
    rates = scenario_engagement_rates(scenario, tuple(scenario.post_type_shares))
    expected = care_funnel(scenario, rates.with_action("reply", 0.05), n_draws=50)
    assert explorer.funnel.reacted_or_replied == expected.reacted_or_replied > before
    assert explorer.funnel.to_dict() == expected.to_dict()
    assert "care.reply=0.05" in explorer.page.query
    explorer.controls["care.reply"].value = "150%"
    assert "between 0% and 100%" in explorer.errors["care.reply"]
    assert explorer.funnel.reacted_or_replied == expected.reacted_or_replied
