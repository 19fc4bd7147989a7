"""Project metadata: pyproject.toml and environment.yml list the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

#: conda-forge names that differ from the PyPI names.
CONDA_TO_PYPI = {"python-duckdb": "duckdb"}


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    name = match.group(1).lower().replace("_", "-")
    return CONDA_TO_PYPI.get(name, name), match.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    pypi = dict(
        _name_and_spec(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    )
    env = yaml.safe_load((root / "environment.yml").read_text())
    conda: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for item in dep["pip"]:
                if not item.startswith("-"):
                    name, spec = _name_and_spec(item)
                    conda[name] = spec
        else:
            name, spec = _name_and_spec(dep)
            if name not in ("python", "pip"):
                conda[name] = spec.lstrip("=") if spec.startswith("==") else spec
    assert conda == {k: v for k, v in pypi.items()}


def test_console_script_and_python_version(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["influence-kit"] == "influence_kit.cli.main:main"
    assert project["requires-python"] == ">=3.11"
    env = yaml.safe_load((root / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]


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
