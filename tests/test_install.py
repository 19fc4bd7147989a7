"""The built wheel works from any folder, with no help from the checkout.

The wheel is built from a copy of the files git tracks, installed (without
dependencies) into a new virtual environment that borrows the development
environment's installed dependencies through a ``.pth`` file (but not its editable
influence_kit), and the command line and the library are run from an unrelated
working directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = "influence_kit/resources"

#: Fit options that skip the bootstraps (the fit itself is what is checked).
FAST_FIT = ("--gof-reps", "0", "--bootstrap-reps", "0")


def _tracked_files() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout (the wheel is built from the tracked files)")
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return [name for name in out.split("\0") if name]


def _clean_env() -> dict[str, str]:
    """The environment without anything that would put the checkout on the path.

    The borrowed dependencies' data files (nbconvert's page templates, the ipykernel
    kernel spec) live under the dev venv's prefix, where a real install would have put
    them under its own: ``JUPYTER_PATH`` points Jupyter there.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONNOUSERSITE"] = "1"
    env["JUPYTER_PATH"] = os.path.join(sys.prefix, "share", "jupyter")
    env["MPLBACKEND"] = "Agg"
    return env


def _backend_available() -> bool:
    """Whether this interpreter has the build backend pyproject.toml asks for."""
    from packaging.requirements import Requirement

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    for text in requires:
        req = Requirement(text)
        try:
            if metadata.version(req.name) not in req.specifier:
                return False
        except metadata.PackageNotFoundError:
            return False
    return True


@pytest.fixture(scope="module")
def tracked() -> list[str]:
    return _tracked_files()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, tracked) -> Path:
    """A wheel built from a clean copy of the tracked files."""
    src = tmp_path_factory.mktemp("src")
    for name in tracked:
        source = ROOT / name
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target)
    dist = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)]
    if _backend_available():
        command.insert(4, "--no-build-isolation")
    subprocess.run(command, check=True, env=_clean_env(), capture_output=True)
    (built,) = dist.glob("influence_kit-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A new venv with the wheel installed and the dev venv's dependencies borrowed."""
    home = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, capture_output=True)
    python = home / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # A .pth line adds a folder to sys.path but does not run the .pth files inside it, so
    # the dev venv's editable influence_kit finder stays inactive in the new venv.
    dev_sites = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "borrowed_dev_dependencies.pth").write_text("\n".join(sorted(dev_sites)) + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
        env=_clean_env(),
    )
    return home


def _run(venv: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=900,
    )
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


def _python(venv: Path, code: str, cwd: Path) -> str:
    return _run(venv, ["python", "-c", code], cwd).stdout


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working directory with nothing of the checkout in it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_data_and_notebooks_links_resolve_to_the_package_resources():
    for name in ("data", "notebooks"):
        link = ROOT / name
        assert link.is_symlink(), f"{name}/ must be a link to {RESOURCES}/{name}"
        assert link.resolve() == (ROOT / RESOURCES / name).resolve()


@pytest.mark.slow
def test_wheel_ships_every_tracked_resource_and_template(wheel, tracked):
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = [
        name
        for name in tracked
        if name.startswith((f"{RESOURCES}/", "influence_kit/render/templates/"))
    ]
    assert any(name.endswith(".parquet") for name in wanted)
    missing = [name for name in wanted if name not in names]
    assert not missing, missing
    assert not any(name.startswith(("tests/", "data/", "notebooks/")) for name in names)


@pytest.mark.slow
def test_installed_package_is_the_wheel_not_the_checkout(venv, elsewhere):
    out = _python(
        venv,
        "import influence_kit, influence_kit.package_data as r; "
        "print(influence_kit.__file__); print(r.data_dir())",
        elsewhere,
    )
    module, data = out.split()
    assert Path(module).resolve().is_relative_to(venv.resolve())
    assert Path(data).resolve().is_relative_to(venv.resolve())
    assert not Path(module).resolve().is_relative_to(ROOT)


@pytest.mark.slow
def test_command_line_from_any_folder(venv, elsewhere):
    account = json.loads(_run(venv, ["influence-kit", "account", "--json"], elsewhere).stdout)
    assert account["total_impressions"] == pytest.approx(502e9)
    _run(
        venv,
        ["influence-kit", "simulate", "--n", "2000", "--seed", "1", "--out", "x.parquet"],
        elsewhere,
    )
    assert (elsewhere / "x.parquet").is_file()
    segments = json.loads(
        _run(venv, ["influence-kit", "segment", "x.parquet", "--json"], elsewhere).stdout
    )
    assert segments["adults"] == pytest.approx(176e6, rel=1e-6)
    words = _python(
        venv,
        "from influence_kit.datasets import dataset_path; print(dataset_path('words'))",
        elsewhere,
    ).strip()
    assert Path(words).resolve().is_relative_to(venv.resolve())
    fit = json.loads(
        _run(
            venv,
            ["influence-kit", "fit", words, "--discrete", "--json", *FAST_FIT],
            elsewhere,
        ).stdout
    )
    # Clauset et al. (2009), Table 6.1, words: n = 18855, x_min = 7, alpha = 1.95, n_tail = 2958
    assert (fit["n"], fit["xmin"], fit["n_tail"]) == (18855, 7, 2958)
    assert fit["alpha"] == pytest.approx(1.95, abs=0.005)


@pytest.mark.slow
def test_library_from_any_folder(venv, elsewhere):
    code = """
import json
from influence_kit.datasets import load_words
from influence_kit.explorer import explore
from influence_kit.population import load_panel
from influence_kit.scenarios import list_scenarios, load_scenario

scenario = load_scenario("forrester-us-2009")
panel = load_panel()
state = explore(scenario, panel=panel, readers_per_post=300)
words = load_words()
print(json.dumps({
    "scenarios": list_scenarios(),
    "readers": scenario.readers_per_post.base,
    "panel": len(panel),
    "explored_readers": state.key_figures()["readers_per_post"],
    "words": [len(words), int(words["count"].max())],
}))
"""
    result = json.loads(_python(venv, code, elsewhere))
    assert "forrester-us-2009" in result["scenarios"]
    assert result["readers"] == 150
    assert result["panel"] == 100_000
    assert result["explored_readers"] == 300
    assert result["words"] == [18855, 14086]


@pytest.mark.slow
def test_render_from_any_folder_uses_the_installed_package(venv, elsewhere):
    notebooks = Path(
        _python(
            venv,
            "from influence_kit.package_data import notebook_dir; print(notebook_dir())",
            elsewhere,
        ).strip()
    )
    shipped_before = sorted(p.name for p in notebooks.iterdir())
    _run(
        venv,
        ["influence-kit", "render", "--output-dir", "out", "--notebook", "01-headline-impressions"],
        elsewhere,
    )
    folder = elsewhere / "out" / "forrester-us-2009"
    assert (folder / "01-headline-impressions.html").is_file()
    summary = json.loads((folder / "summary.json").read_text())
    figures = summary["notebooks"]["01-headline-impressions"]["figures"]
    assert figures["total_impressions"]["value"] == pytest.approx(502e9)
    assert figures["total_impressions"]["unit"] == "impressions"
    assert (elsewhere / "out" / "index.html").is_file()
    assert sorted(p.name for p in notebooks.iterdir()) == shipped_before

    # The kernel of a render is the venv's interpreter and imports the wheel's package.
    probe_dir = elsewhere / "probe"
    probe_dir.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    params = nbformat.v4.new_code_cell(
        "scenario_path = 'forrester-us-2009'\noverrides = {}\nseed = 0\nsummary_path = ''\n"
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "import sys, influence_kit\n"
            "from influence_kit.render.notebook_support import save_summary\n"
            "from influence_kit.results import key_figures\n"
            "save_summary(summary_path, key_figures(('module', 'module', influence_kit.__file__, "
            "'text'), ('prefix', 'prefix', sys.prefix, 'text')))"
        ),
    ]
    nbformat.write(nb, str(probe_dir / "99-probe.ipynb"))
    _run(
        venv,
        [
            "influence-kit",
            "render",
            "--notebook-dir",
            "probe",
            "--output-dir",
            "out2",
            "--jobs",
            "2",
        ],
        elsewhere,
    )
    probe = json.loads((elsewhere / "out2" / "forrester-us-2009" / "summary.json").read_text())
    seen = probe["notebooks"]["99-probe"]["figures"]
    assert Path(seen["module"]["value"]).resolve().is_relative_to(venv.resolve())
    assert Path(seen["prefix"]["value"]).resolve() == venv.resolve()
