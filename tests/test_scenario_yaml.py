"""Scenario YAML that parses but would mislead or run for minutes (issue 25, classes 2 and 3).

PyYAML reads YAML 1.1: ``0150`` is octal (104) and ``2:30`` base 60 (150); nested aliases
expand exponentially. A scenario refuses all three at load, in one line naming the file
and the line, and a refused alias bomb takes no longer than a normal file.
"""

from __future__ import annotations

import time

import pytest
from cli_runner import run_cli

from influence_kit.errors import ScenarioError
from influence_kit.scenarios import (
    MAX_ALIASES,
    MAX_NODES,
    load_scenario,
    scenario_file,
    write_scenario,
)


def _shipped_lines() -> list[str]:
    return scenario_file("forrester-us-2009").read_text().splitlines()


def _with_base(tmp_path, value: str):
    """The shipped scenario with ``readers_per_post.base`` written as ``value`` (raw YAML)."""
    lines = _shipped_lines()
    index = lines.index("readers_per_post:") + 1
    assert lines[index] == "  base: 150"
    lines[index] = f"  base: {value}"
    path = tmp_path / "mysc.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path, index + 1


@pytest.mark.parametrize(
    ("raw", "read_as", "fix"),
    [
        ("0150", "104", "(150)"),  # the example
        ("-0_17", "-15", "(-17)"),
        ("00", "0", "(0)"),
    ],
)
def test_yaml11_octal_numbers_are_refused(tmp_path, raw, read_as, fix):
    path, line = _with_base(tmp_path, raw)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: line {line}: base: {raw!r} is a YAML 1.1 octal number")
    assert f"read as {read_as}" in message and fix in message


@pytest.mark.parametrize(
    ("raw", "read_as"),
    [("2:30", "150"), ("1:00:00", "3600"), ("-1:30", "-90"), ("1:30.5", "90.5")],
)
def test_yaml11_base60_numbers_are_refused(tmp_path, raw, read_as):
    path, line = _with_base(tmp_path, raw)
    with pytest.raises(
        ScenarioError, match=f"line {line}: base: '{raw}' is a YAML 1.1 base-60"
    ) as err:
        load_scenario(path)
    assert f"read as {read_as};" in str(err.value)


def test_base60_inside_a_list_is_refused_too(tmp_path):
    lines = _shipped_lines()
    lines.append("notes: [fine, 2:30]")
    path = tmp_path / "s.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError, match=r"'2:30' is a YAML 1\.1 base-60"):
        load_scenario(path)


@pytest.mark.parametrize("raw", ["150", "99.5", "1_000", "0x96", "'0150'", "1.5e+2"])
def test_plain_numbers_and_quoted_text_still_load_as_before(tmp_path, raw):
    """Only the YAML 1.1 forms are refused: decimal, hex and quoted values read as before."""
    import yaml

    path, _ = _with_base(tmp_path, raw)
    expected = yaml.safe_load(f"v: {raw}")["v"]
    if isinstance(expected, str):  # a quoted string stays a string: the validator refuses it
        with pytest.raises(ScenarioError, match="expected a number, got the string '0150'"):
            load_scenario(path)
    else:
        assert load_scenario(path).readers_per_post.base == expected


def test_cli_octal_scenario_is_one_line_exit_2(tmp_path):
    path, line = _with_base(tmp_path, "0150")
    done = run_cli("account", "--scenario", str(path))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert f"line {line}: base: '0150' is a YAML 1.1 octal number" in done.stderr


def _laughs(levels: int, width: int) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    lines.append(f"meta: *a{levels - 1}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("levels", "width"),
    [
        (9, 10),  # the classic billion laughs: 10**9 values, 80 aliases
        (40, 2),  # 2**40 values from only 78 aliases: the alias count alone would not do
    ],
)
def test_alias_bombs_are_refused_at_once(tmp_path, levels, width):
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(levels, width))
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match=f"more than {MAX_NODES} values once its aliases"):
        load_scenario(path)
    assert time.perf_counter() - start < 2


def test_many_aliases_are_refused(tmp_path):
    lines = [*_shipped_lines(), "x: &x 1", f"y: [{', '.join(['*x'] * (MAX_ALIASES + 1))}]"]
    path = tmp_path / "many.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError, match=f"more than {MAX_ALIASES} aliases"):
        load_scenario(path)


def test_an_alias_inside_its_own_value_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("meta: &m {inner: *m}\n")
    with pytest.raises(ScenarioError, match="an alias refers to a value that contains it"):
        load_scenario(path)


def test_a_few_aliases_still_work(tmp_path):
    """Anchors are legitimate YAML: a scenario reusing a block still loads, with its value."""
    text = "\n".join(_shipped_lines()) + "\n"
    text = text.replace("readers_per_post:\n", "readers_per_post: &rpp\n", 1)
    text = text.replace("readers_per_post_by_type: {}", "readers_per_post_by_type: {reviews: *rpp}")
    path = tmp_path / "anchored.yaml"
    path.write_text(text)
    scenario = load_scenario(path)
    assert scenario.readers_per_post_by_type["reviews"] == scenario.readers_per_post


def test_written_scenarios_read_back(tmp_path):
    """write_scenario's own output never trips the YAML 1.1 checks."""
    scenario = load_scenario("forrester-us-2009", {"readers_per_post": 300})
    path = write_scenario(scenario, tmp_path / "resolved.yaml")
    assert load_scenario(path).digest() == scenario.digest()


def test_audience_model_errors_name_the_model_once():
    """The issue's doubled 'audience_model: audience_model:' prefix."""
    with pytest.raises(ScenarioError) as err:
        load_scenario("audience-us-2009", {"audience_model.resharer_audience_ratio": 1000})
    message = str(err.value)
    assert message.count("audience_model") == 1
    assert "audience_model: the reshare process is not subcritical" in message
    with pytest.raises(ScenarioError) as err:
        load_scenario("audience-us-2009", {"audience_model.visibility": 2})
    assert str(err.value).count("audience_model") == 1
    assert "audience_model.visibility must lie in [0, 1]" in str(err.value)
