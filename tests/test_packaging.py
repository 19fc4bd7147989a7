"""Project metadata: pyproject.toml and the environment files list the same dependencies; the
licence, the data notice, the citation file and the version agree and ship in the wheel."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

#: conda-forge names that differ from the PyPI names.
CONDA_TO_PYPI = {"python-duckdb": "duckdb"}


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    name = match.group(1).lower().replace("_", "-")
    return CONDA_TO_PYPI.get(name, name), match.group(2).replace(" ", "")


def _conda_requirements(path: Path) -> dict[str, str]:
    """Name -> version spec of every package a conda environment file asks for."""
    env = yaml.safe_load(path.read_text())
    conda: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for item in dep["pip"]:
                if not item.startswith("-") and item != ".":
                    name, spec = _name_and_spec(item)
                    conda[name] = spec
        else:
            name, spec = _name_and_spec(dep)
            if name not in ("python", "pip"):
                conda[name] = spec.lstrip("=") if spec.startswith("==") else spec
    return conda


def test_environment_files_match_pyproject(root):
    """environment.yml (users) has the runtime dependencies only; environment-dev.yml adds
    the dev extra; both agree with pyproject.toml."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    runtime = dict(_name_and_spec(r) for r in project["dependencies"])
    dev = dict(_name_and_spec(r) for r in project["optional-dependencies"]["dev"])
    assert _conda_requirements(root / "environment.yml") == runtime
    assert _conda_requirements(root / "environment-dev.yml") == {**runtime, **dev}


def test_console_script_and_python_version(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["influence-kit"] == "influence_kit.cli.main:main"
    assert project["requires-python"] == ">=3.11"
    for name in ("environment.yml", "environment-dev.yml"):
        env = yaml.safe_load((root / name).read_text())
        assert "python>=3.11" in env["dependencies"], name


def test_notebooks_name_their_kernel(root):
    import nbformat

    for path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3", path.name
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name} needs exactly one parameters cell"
        assert not any("papermill" in c.metadata for c in nb.cells), path.name


def test_resources_folder_holds_no_code(root):
    """The shipped data folder's ``__init__.py`` is a docstring only; code that locates the
    files lives in ``influence_kit.package_data``."""
    import ast

    package = root / "influence_kit" / "resources"
    tree = ast.parse((package / "__init__.py").read_text())
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr), "resources/__init__.py"
    assert [p.name for p in package.glob("*.py")] == ["__init__.py"]


def test_forbidden_resources_contract_names_every_top_level_module(root):
    """The import contract that keeps code out of ``influence_kit.resources`` covers every
    top-level module (a new module must be added to it, as to the layers)."""
    import pkgutil

    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "forbidden"]
    assert contract["forbidden_modules"] == ["influence_kit.resources"]
    found = {m.name for m in pkgutil.iter_modules([str(root / "influence_kit")])}
    expected = {f"influence_kit.{name}" for name in found - {"resources"}}
    assert set(contract["source_modules"]) == expected


# --- licence, notice, citation and version ---------------------------------------------

#: The files every wheel carries besides the code: the licence and the third-party data notice.
NOTICE = "influence_kit/resources/data/NOTICE.md"


def _source_copy(root, target):
    """The files git would commit (tracked, and new ones not ignored), copied to ``target``:
    the wheel is built from them, never from the checkout's build leftovers."""
    import os
    import shutil
    import subprocess

    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("needs a git checkout (the wheel is built from the files git would commit)")
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for name in sorted(set(filter(None, out.split("\0")))):
        source, dest = root / name, target / name
        if not (source.is_symlink() or source.is_file()):
            continue  # deleted in the work tree, not yet in the index
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            dest.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, dest)
    return target


def test_licence_files_are_declared(root):
    """pyproject.toml names LICENSE and the data notice (PEP 639), and both exist."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE", NOTICE]
    assert (root / "LICENSE").read_text().startswith("MIT License")
    assert "the influence_kit authors" in (root / "LICENSE").read_text()


def test_notice_lists_every_shipped_data_file(root):
    """NOTICE.md names each file under resources/data (the scenarios by their glob)."""
    data = root / "influence_kit" / "resources" / "data"
    notice = (data / "NOTICE.md").read_text(encoding="utf-8")
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        name = path.relative_to(data).as_posix()
        if "__pycache__" in name or name.startswith("."):
            continue
        shown = "scenarios/*.yaml" if name.startswith("scenarios/") else name
        assert f"`{shown}`" in notice, f"{name} is not in NOTICE.md"


def test_version_is_single_sourced(root):
    """pyproject.toml holds the version; the installed metadata, ``__version__`` and
    CITATION.cff agree with it, and no module writes a version of its own."""
    from importlib.metadata import version

    import influence_kit

    declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]
    # a stale editable install after a version bump fails here: reinstall (make does it)
    assert version("influence_kit") == declared
    assert influence_kit.__version__ == declared
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) == declared
    assert str(cff["cff-version"]) == "1.2.0"
    assert cff["license"] == "MIT"
    assert cff["authors"] == [{"name": "The influence_kit authors"}]
    assert {r.get("doi") for r in cff["references"]} >= {"10.1137/070710111"}
    for path in (root / "influence_kit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^__version__\s*=", text, re.MULTILINE), path


@pytest.mark.slow
def test_citation_cff_validates_with_cffconvert(root, tmp_path):
    """``cffconvert --validate`` accepts CITATION.cff and reads the package's version.

    cffconvert 2.0.0 (the release that knows CFF 1.2.0) pins jsonschema below 4, which
    JupyterLab's dependencies rule out, so it is not a dev dependency: it runs in-process
    where it was installed by hand, otherwise from its own virtual environment.
    """
    import subprocess
    import sys

    import influence_kit

    path = root / "CITATION.cff"
    try:
        from cffconvert.cli.create_citation import create_citation
    except ImportError:
        create_citation = None
    if create_citation is not None:
        citation = create_citation(str(path), None)
        citation.validate()  # raises on any schema error
        assert citation.cffversion == "1.2.0"
        assert str(citation.cffobj["version"]) == influence_kit.__version__
        return
    env = tmp_path / "cffconvert-env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, capture_output=True)
    install = subprocess.run(
        [str(env / "bin" / "python"), "-m", "pip", "install", "-q", "cffconvert==2.0.0"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        pytest.skip(f"cannot install cffconvert: {install.stderr.strip()[-300:]}")
    check = subprocess.run(
        [str(env / "bin" / "cffconvert"), "--validate", "-i", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "valid according to schema version 1.2.0" in check.stdout
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert str(cff["version"]) == influence_kit.__version__


@pytest.mark.slow
def test_wheel_carries_licence_and_notice(root, tmp_path):
    """``pip wheel --no-deps`` builds a wheel with LICENSE and the data notice in its
    .dist-info/licenses/ and the notice beside the data it describes."""
    import subprocess
    import sys
    import zipfile

    src = _source_copy(root, tmp_path / "src")
    dist = tmp_path / "dist"
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    (wheel,) = dist.glob("influence_kit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (info,) = {n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")}
        metadata = archive.read(f"{info}/METADATA").decode()
    assert f"{info}/licenses/LICENSE" in names
    assert f"{info}/licenses/{NOTICE}" in names
    assert NOTICE in names
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata
    assert f"License-File: {NOTICE}" in metadata


def test_the_reports_folder_ships_empty():
    """`make reports` renders into reports/, and render refuses a folder holding files it
    did not make: nothing there may be under version control."""
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "reports"],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=False,
    )
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    assert tracked.stdout.strip() == ""
