"""Property-based tests: hostile scenario documents and ``--set`` strings.

Documents are the shipped scenario mutated (keys deleted or renamed, values replaced by
NaN, infinities, huge, tiny, negative, empty, unicode or wrongly nested values, the YAML
text cut short); ``--set`` strings are random dotted keys with random values. Every
outcome of ``influence-kit account`` (run in-process through the CLI entry function)
must be either a valid account whose impressions are finite and non-negative, with
nothing on stderr, or one clean error: exit code 2 and a single line on stderr.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DEFAULT_SCENARIO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influence_kit.cli.main import main

BASE: dict[str, Any] = yaml.safe_load(DEFAULT_SCENARIO.read_text())

PROPERTY_SETTINGS = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

#: Impressions and shares in the account's JSON: finite and non-negative when it succeeds.
NUMBERS = (
    "total_impressions",
    "network_impressions",
    "post_impressions",
    "post_share_of_total",
    "share_of_advertiser_impressions",
    "impressions_per_online_adult",
)


def _lookup(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _is_numeric(value: Any) -> bool:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return number or (isinstance(value, dict) and "base" in value)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


PATHS = list(_paths(BASE))
DOTTED = [".".join(str(p) for p in path) for path in PATHS]
#: Keys of numbers and of quantities (``key=v`` sets a quantity's base).
NUMERIC = [key for key, path in zip(DOTTED, PATHS, strict=True) if _is_numeric(_lookup(BASE, path))]

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # no lone surrogates: not UTF-8
    max_size=8,
)
weird_values = st.one_of(
    st.sampled_from(
        [
            math.nan,
            math.inf,
            -math.inf,
            1e308,
            -1e308,
            1.7e308,
            5e-324,
            1e-310,
            0,
            0.0,
            -0.0,
            -1,
            -0.5,
            0.5,
            2,
            10**400,
            -(10**400),
            "",
            " ",
            "abc",
            "ünïcødé ☃",
            "256e9",
            "1e999",
            None,
            True,
            False,
            [],
            {},
            [1, 2],
            {"base": 1},
            {"base": None},
            {"base": "x"},
            {"kind": "normal"},
            {"base": 1, "low": 2, "high": 0},
            {"base": 1e300, "low": 1e300, "high": 1.7e308},
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    text,
)
mutation = st.tuples(
    st.sampled_from(["delete", "set", "set", "set", "wrap_list", "wrap_dict", "rename"]),
    st.sampled_from(PATHS),
    weird_values,
    text,
)


def _mutated(mutations: list[tuple[str, tuple[Any, ...], Any, str]]) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    for op, path, value, name in mutations:
        parent: Any = doc
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        key = path[-1]
        if parent is None or not isinstance(parent, (dict, list)):
            continue
        if isinstance(parent, dict) and key not in parent:
            continue
        if isinstance(parent, list) and not (isinstance(key, int) and key < len(parent)):
            continue
        if op == "delete":
            del parent[key]
        elif op == "set":
            parent[key] = value
        elif op == "wrap_list":
            parent[key] = [parent[key]]
        elif op == "wrap_dict":
            parent[key] = {name or "base": parent[key]}
        elif op == "rename" and isinstance(parent, dict):
            parent[name] = parent.pop(key)
    return doc


documents = st.lists(mutation, min_size=1, max_size=4).map(_mutated)


def _run(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI in-process; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def _check_outcome(code: int, stdout: str, stderr: str) -> None:
    assert "Traceback" not in stderr
    if code == 0:
        assert stderr == "", stderr
        data = json.loads(stdout)
        for key in NUMBERS:
            value = data[key]
            assert isinstance(value, float) and math.isfinite(value) and value >= 0, (key, value)
        for group in ("by_network", "by_post_type"):
            for name, value in data[group].items():
                assert isinstance(value, float) and math.isfinite(value) and value >= 0, name
        total = data["network_impressions"] + data["post_impressions"]
        assert math.isclose(data["total_impressions"], total, rel_tol=1e-9)
    else:
        assert code == 2, (code, stderr)
        lines = stderr.strip("\n").split("\n")
        assert len(lines) == 1 and lines[0].startswith("influence-kit"), stderr
        assert "error" in lines[0]


def _account_of_text(yaml_text: str) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(yaml_text, encoding="utf-8")
        return _run(["account", "--scenario", str(path), "--json"])


@pytest.mark.slow  # 250 documents, about 11 s: make test-all runs it
@PROPERTY_SETTINGS
@given(documents)
def test_mutated_scenario_documents_give_an_account_or_one_clean_error(doc):
    _check_outcome(*_account_of_text(yaml.safe_dump(doc, allow_unicode=True)))


@PROPERTY_SETTINGS
@given(st.data())
def test_truncated_or_non_mapping_documents_give_one_clean_error(data):
    full = yaml.safe_dump(BASE, allow_unicode=True)
    choice = data.draw(st.sampled_from(["truncate", "replace"]))
    if choice == "truncate":
        yaml_text = full[: data.draw(st.integers(0, len(full)))]
    else:
        other = data.draw(st.one_of(weird_values, st.lists(weird_values, max_size=3)))
        yaml_text = yaml.safe_dump(other, allow_unicode=True)
    _check_outcome(*_account_of_text(yaml_text))


dotted_keys = st.one_of(
    st.sampled_from(NUMERIC),
    st.sampled_from(DOTTED),
    st.tuples(
        st.sampled_from(DOTTED),
        st.sampled_from(
            [
                "base",
                "low",
                "high",
                "distribution",
                "distribution.kind",
                "distribution.sigma",
                "distribution.sd",
                "distribution.lamb",
                "x",
                "",
                "0",
                "ünï",
                "base.base",
            ]
        ),
    ).map(lambda kv: f"{kv[0]}.{kv[1]}"),
    text,
)
number_texts = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=0, max_value=1).map(repr),
    st.integers().map(str),
    st.integers(min_value=0, max_value=10**15).map(str),
)
override_values = st.one_of(
    number_texts,
    st.sampled_from(
        [
            "nan",
            "inf",
            "-inf",
            "1e308",
            "-1e308",
            "1e-320",
            "0",
            "-0",
            "-1",
            "1e999",
            "abc",
            "",
            " ",
            "true",
            "null",
            "~",
            "[1, 2]",
            "{a: 1}",
            "normal",
            "lognormal",
            "uniform",
            "triangular",
            "pert",
            "fixed",
            "1_000",
            "0x10",
            "½",
            "１２",
        ]
    ),
    text,
)
override_items = st.one_of(
    st.tuples(st.sampled_from(NUMERIC), number_texts).map(lambda kv: f"{kv[0]}={kv[1]}"),
    st.tuples(dotted_keys, override_values).map(lambda kv: f"{kv[0]}={kv[1]}"),
    text,
)


@PROPERTY_SETTINGS
@given(st.lists(override_items, min_size=1, max_size=3))
def test_random_set_strings_give_an_account_or_one_clean_error(items):
    argv = ["account", "--json"]
    for item in items:
        argv += ["--set", item]
    _check_outcome(*_run(argv))
