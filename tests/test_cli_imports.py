"""The command line starts fast: ``--help`` imports no numerical library (issue 13).

Not timed (timings are in ``benchmarks/bench_cli.py``): each test runs a fresh interpreter
and checks which modules it loaded, so a heavy import that creeps back into the parser-
building code, ``influence_kit/__init__.py`` or ``influence_kit.cli.common`` fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version

import pytest

import influence_kit
from influence_kit.cli.main import COMMANDS

#: Libraries that building the parser and printing any ``--help`` must not import.
HEAVY = (
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "duckdb",
    "dask",
    "pydantic",
    "papermill",
    "pyarrow",
    "yaml",
    "joblib",
    "SALib",
    "nbformat",
    "nbconvert",
)


def loaded_after(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; return its JSON report of what it loaded.

    ``code`` may set ``extra`` (any JSON data) to report more.
    """
    script = (
        "import json, sys\n"
        "extra = None\n"
        f"{code}\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "sys.stderr.write('\\n' + json.dumps({'heavy': heavy, 'extra': extra}) + '\\n')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stderr.strip().splitlines()[-1])


def help_code(argv: list[str]) -> str:
    return (
        "import contextlib, io\n"
        "from influence_kit.cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n"
        f"        code = main({argv!r})\n"
        "    except SystemExit as exit:\n"
        "        code = exit.code\n"
        "extra = {'code': code, 'usage': out.getvalue().startswith('usage: influence-kit')}\n"
    )


def test_building_the_parser_imports_no_heavy_library():
    report = loaded_after("from influence_kit.cli.main import build_parser\nbuild_parser()")
    assert report["heavy"] == []


@pytest.mark.parametrize(
    "argv",
    [["--help"], *[[module.__name__.rsplit(".", 1)[-1], "--help"] for module in COMMANDS]],
    ids=lambda argv: " ".join(argv),
)
def test_help_imports_no_heavy_library(argv):
    report = loaded_after(help_code(argv))
    assert report["extra"] == {"code": 0, "usage": True}
    assert report["heavy"] == []


def test_account_json_runs_without_pandas_or_scipy():
    report = loaded_after(help_code(["account", "--json"]))
    assert report["extra"] == {"code": 0, "usage": False}
    # What a command needs is seen, so an empty list above is no accident.
    assert {"numpy", "pydantic", "yaml"} <= set(report["heavy"])
    assert not {"pandas", "scipy", "matplotlib", "duckdb", "dask", "papermill", "pyarrow"} & set(
        report["heavy"]
    )


def test_version_is_looked_up_only_when_asked():
    report = loaded_after(help_code(["--help"]) + "extra = 'importlib.metadata' in sys.modules\n")
    assert report["extra"] is False
    proc = subprocess.run(
        [sys.executable, "-m", "influence_kit", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout == f"influence-kit {version('influence_kit')}\n"


def test_import_influence_kit_is_light_and_names_load_on_use():
    report = loaded_after(
        "import influence_kit\n"
        "before = sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'pydantic'})\n"
        "from influence_kit import account, load_scenario, Scenario, ImpressionAccount\n"
        "total = account(load_scenario('forrester-us-2009')).total_impressions\n"
        "extra = {'before': before, 'total': total,\n"
        "         'types': [isinstance(Scenario, type), isinstance(ImpressionAccount, type)]}\n"
    )
    assert report["extra"]["before"] == []
    assert report["extra"]["total"] == pytest.approx(502e9)
    assert report["extra"]["types"] == [True, True]


def test_top_level_namespace():
    from influence_kit import accounting, errors, scenarios

    assert set(influence_kit.__all__) == {
        "DataError",
        "ImpressionAccount",
        "InfluenceKitError",
        "ParameterError",
        "RenderError",
        "Scenario",
        "ScenarioError",
        "__version__",
        "account",
        "load_scenario",
    }
    namespace: dict[str, object] = {}
    exec("from influence_kit import *", namespace)
    assert set(influence_kit.__all__) <= set(namespace)
    assert namespace["account"] is accounting.account
    assert namespace["ImpressionAccount"] is accounting.ImpressionAccount
    assert namespace["Scenario"] is scenarios.Scenario
    assert namespace["load_scenario"] is scenarios.load_scenario
    assert namespace["DataError"] is errors.DataError
    assert influence_kit.__version__ == version("influence_kit")
    assert set(influence_kit.__all__) <= set(dir(influence_kit))
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        _ = influence_kit.no_such_name
