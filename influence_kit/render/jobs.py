"""What a render does: the notebooks and scenarios it covers, their fingerprints, the jobs.

:func:`plan_jobs` turns checked scenarios (:func:`checked_slug`) and notebooks into one
:class:`RenderJob` per report; a job is up to date when its inputs' :func:`fingerprint`
and the :func:`content_digest` of its published files match the recorded state.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..errors import ParameterError, RenderError
from ..formatting import number_key
from ..package_data import package_dir
from ..results import Result, dumps
from ..scenarios import Scenario, check_overrides, load_scenario, scenario_file
from ..validation import check_input_file, check_input_folder
from .site import SHARED_DIR, STATE_FILE, write_text_atomic

logger = logging.getLogger(__name__)

#: The installed package, whose code is part of every report's fingerprint.
PACKAGE_DIR = package_dir()


@dataclass(frozen=True)
class NotebookRun(Result):
    """Outcome of rendering one notebook for one scenario.

    ``scenario`` is the scenario's name, or ``None`` for a notebook that does not
    depend on the scenario (rendered once per site). ``status`` is ``"ok"``,
    ``"skipped"`` (inputs unchanged since the report on disk was rendered) or
    ``"failed"`` (``error`` names the cell and the error). ``parameters`` are the
    notebook parameters this render set beyond scenario, overrides and seed.
    """

    scenario: str | None
    notebook: str
    status: str
    seconds: float
    html: str | None = None
    ipynb: str | None = None
    error: str | None = None
    fingerprint: str = ""
    content: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    conclusion: dict[str, Any] | None = None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether a current report exists for this run."""
        return self.status != "failed"

    def summary(self) -> pd.DataFrame:
        """One row: scenario, notebook, status, seconds, error."""
        return pd.DataFrame(
            [
                {
                    "scenario": self.scenario,
                    "notebook": self.notebook,
                    "status": self.status,
                    "seconds": round(self.seconds, 1),
                    "error": self.error or "",
                }
            ]
        )


@dataclass(frozen=True)
class RenderResult(Result):
    """Outcome of a batch of renders."""

    output_dir: str
    runs: tuple[NotebookRun, ...]
    index: str

    @property
    def ok(self) -> bool:
        """Whether every notebook has a current report."""
        return all(r.ok for r in self.runs)

    @property
    def failures(self) -> tuple[NotebookRun, ...]:
        """The runs that failed."""
        return tuple(r for r in self.runs if not r.ok)

    def summary(self) -> pd.DataFrame:
        """One row per scenario x notebook."""
        if not self.runs:
            return pd.DataFrame(columns=["scenario", "notebook", "status", "seconds", "error"])
        return pd.concat([r.summary() for r in self.runs], ignore_index=True)


#: A report folder or file name: letters, digits, ``-``, ``_`` and ``.`` (not leading).
SLUG = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


def checked_slug(name: str, source: str | Path) -> str:
    """Return ``name`` if it may name a report folder or file, else raise :class:`RenderError`.

    ``source`` is the file the name comes from, named in the message. Only letters,
    digits, ``-``, ``_`` and ``.`` (not leading) are allowed, so a name can never point
    outside the output folder (``..``, ``.``, ``a/b``) nor need escaping in a link.

    >>> checked_slug("forrester-us-2009", "forrester-us-2009.yaml")
    'forrester-us-2009'
    """
    if SLUG.fullmatch(name) is None:
        raise RenderError(
            f"{source}: {name!r} cannot name a report (use letters, digits, '-', '_' "
            "and '.' not leading)"
        )
    return name


def discover_notebooks(notebook_dir: str | Path) -> list[Path]:
    """Every ``*.ipynb`` in ``notebook_dir`` (not checkpoints), sorted by name."""
    folder = check_input_folder(notebook_dir, "notebook folder", error=RenderError)
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def scenario_dependent(notebook: str | Path) -> bool:
    """Whether a notebook's results depend on the scenario it is given.

    Read from the notebook metadata ``influence_kit.scenario_dependent`` (in the
    jupytext header of ``notebooks/NN-*.py``); true when absent.
    """
    # Plain JSON, not nbformat: deciding that nothing needs rendering stays fast.
    try:
        metadata = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError) as err:
        raise RenderError(f"{Path(notebook).name}: not a readable notebook ({err})") from None
    declared = metadata.get("influence_kit", {}).get("scenario_dependent", True)
    if not isinstance(declared, bool):
        raise RenderError(
            f"{Path(notebook).name}: metadata influence_kit.scenario_dependent must be "
            f"true or false, got {declared!r}"
        )
    return declared


def _resolve_notebooks(notebook_dir: Path, names: Sequence[str] | None) -> list[Path]:
    available = discover_notebooks(notebook_dir)
    if not names:
        if not available:
            raise RenderError(f"{notebook_dir}: no notebooks to render")
        for path in available:
            checked_slug(path.stem, path)
        return available
    chosen: list[Path] = []
    for name in names:
        candidate = Path(name)
        if os.sep in name or (os.altsep and os.altsep in name):  # a path, not a name
            chosen.append(check_input_file(candidate, "notebook file", error=RenderError))
            continue
        # a stem, a prefix or a file name: all are names in notebook_dir, as --help says
        matches = [p for p in available if name in (p.stem, p.name)]
        if not matches:
            matches = [p for p in available if p.stem.startswith(name)]
        if len(matches) > 1:
            listed = ", ".join(p.stem for p in matches)
            raise RenderError(
                f"notebook {name!r} is ambiguous in {notebook_dir}: it matches {listed}; "
                "give more of the name"
            )
        if not matches:
            known = ", ".join(p.stem for p in available)
            raise RenderError(f"notebook {name!r} not found in {notebook_dir} (have: {known})")
        chosen.append(matches[0])
    return _unique_notebooks(chosen)


def _unique_notebooks(chosen: Sequence[Path]) -> list[Path]:
    """``chosen`` without repeats (one notebook named twice, ``01`` and
    ``01-headline-impressions``, renders once); two notebooks sharing a stem are refused."""
    unique: dict[Path, Path] = {}
    for path in chosen:
        unique.setdefault(path.resolve(), path)
    stems: dict[str, Path] = {}
    for path in unique.values():
        checked_slug(path.stem, path)
        if path.stem in stems:
            raise RenderError(
                f"notebooks {stems[path.stem]} and {path} share the name {path.stem!r}: "
                "their reports would replace each other; render them into different "
                "--output-dir folders"
            )
        stems[path.stem] = path
    return list(unique.values())


def _tree_digest(folder: Path | None, pattern: str = "**/*") -> str:
    digest = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def variant_name(base: str, overrides: Mapping[str, Any]) -> str:
    """The folder name of a variant: the scenario's name and its overrides, as a slug.

    ``forrester-us-2009`` with ``{"readers_per_post": 300}`` is
    ``forrester-us-2009--readers_per_post-300``; a name longer than 80 characters keeps
    its start and ends with a digest of the overrides, so two variants never share a folder.

    Examples
    --------
    >>> variant_name("forrester-us-2009", {"readers_per_post": 300.0})
    'forrester-us-2009--readers_per_post-300'
    >>> variant_name("s", {"network_shares.facebook": 0.6, "audience_model.derive": []})
    's--network_shares.facebook-0.6_audience_model.derive-none'
    """
    if not overrides:
        return base

    def text(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, list):
                return "+".join(text(item) for item in value) or "none"
            return str(value)
        return number_key(float(value))

    parts = "_".join(f"{key}-{text(value)}" for key, value in overrides.items())
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{base}--{parts}").strip(".")
    if len(name) > 80:
        digest = hashlib.sha256(dumps(dict(overrides)).encode("utf-8")).hexdigest()[:10]
        name = f"{name[:68].rstrip('.-_')}-{digest}"
    return name


@dataclass(frozen=True)
class ScenarioRun:
    """One scenario of a render: its file, the resolved scenario (the file with the
    render's overrides applied) and the report folder's name (the variant's name)."""

    source: Path
    scenario: Scenario = field(compare=False)
    folder: str

    @property
    def base_name(self) -> str:
        """The scenario file's name without ``.yaml`` (the base scenario of a variant)."""
        return self.source.stem


def fingerprint(
    notebook: Path,
    scenario: Scenario | None,
    *,
    seed: int,
    kernel_name: str,
    data_digest: str,
    code_digest: str,
    parameters: Mapping[str, Any] | None = None,
) -> str:
    """A digest of every input of one render; equal digests mean identical reports.

    ``scenario`` is the resolved scenario (overrides applied), ``None`` for a notebook that
    does not depend on the scenario; ``parameters`` are the notebook's own parameters
    given to this render.
    """
    digest = hashlib.sha256()
    for part in (
        __version__,
        kernel_name,
        str(seed),
        dumps(dict(sorted((parameters or {}).items())), sort_keys=True),
        data_digest,
        code_digest,
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(notebook.read_bytes())
    digest.update(b"\0")
    if scenario is not None:
        digest.update(scenario.digest().encode())
    return digest.hexdigest()


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _write_json(path: Path, data: Any) -> None:
    write_text_atomic(path, dumps(data, sort_keys=False) + "\n")


@dataclass(frozen=True)
class RenderJob:
    """One notebook to render into one folder of the site.

    ``scenario`` is ``None`` for a notebook that does not depend on the scenario: it
    then runs with its own default scenario and no overrides, into :data:`SHARED_DIR`.
    Otherwise the kernel reads the resolved scenario (:attr:`ScenarioRun.scenario`) from
    a file the renderer writes, and the report goes into the variant's folder.
    ``parameters`` are values for the notebook's own parameters (name, value pairs);
    the others keep the defaults of its ``parameters`` cell.
    """

    notebook: Path
    scenario: ScenarioRun | None
    destination: Path
    fingerprint: str
    # Values may be lists (unhashable); the fingerprint already covers them.
    parameters: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @property
    def scenario_name(self) -> str | None:
        """The report folder's name (the scenario, or its variant), ``None`` when shared."""
        return self.scenario.folder if self.scenario is not None else None

    def is_current(self) -> bool:
        """Whether the report on disk was rendered from exactly these inputs."""
        previous = _read_json(self.destination / STATE_FILE).get("runs", {})
        entry = previous.get(self.notebook.stem, {})
        html = self.destination / f"{self.notebook.stem}.html"
        return (
            entry.get("status") == "ok"
            and entry.get("fingerprint") == self.fingerprint
            and html.exists()
            and entry.get("content") == content_digest(html, self.destination / self.notebook.name)
        )

    def skipped(self) -> NotebookRun:
        """The run recorded when the report on disk is current."""
        html = self.destination / f"{self.notebook.stem}.html"
        ipynb = self.destination / self.notebook.name
        return NotebookRun(
            self.scenario_name,
            self.notebook.stem,
            "skipped",
            0.0,
            html=str(html),
            ipynb=str(ipynb),
            fingerprint=self.fingerprint,
            content=content_digest(html, ipynb),
        )


def content_digest(html: Path, ipynb: Path) -> str:
    """A digest of a report's two published files (recorded as ``content`` in the state file)."""
    digest = hashlib.sha256()
    for path in (html, ipynb):
        digest.update(path.read_bytes() if path.exists() else b"")
        digest.update(b"\0")
    return digest.hexdigest()


def _check_kernel(kernel_name: str) -> None:
    """Fail fast, in one line, when no Jupyter kernel of that name is installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise RenderError(f"no Jupyter kernel named {kernel_name!r} is installed") from None


def _checked_scenarios(
    scenarios: Sequence[str | Path],
    overrides: Mapping[str, Any],
    jobs: int,
    seed: int,
    name: str | None = None,
) -> list[ScenarioRun]:
    """Validate the arguments and resolve every scenario with ``overrides``.

    Each scenario is loaded and its overrides applied once, here
    (:meth:`~influence_kit.scenarios.Scenario.with_overrides`); a render with overrides
    is a variant, published into its own folder (:func:`variant_name`, or ``name``).
    """
    if not scenarios:
        raise RenderError("no scenario given")
    if jobs < 1:
        raise ParameterError(f"jobs must be at least 1, got {jobs}")
    if not isinstance(seed, int) or seed < 0:
        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    checked = check_overrides(overrides)
    if name is not None:
        if not checked:
            raise RenderError("--name names a variant: give the overrides (--set) it is made of")
        if len(scenarios) > 1:
            raise RenderError("--name names one variant: give one scenario with it")
    paths = [scenario_file(s) for s in scenarios]
    stems = [checked_slug(p.stem, p) for p in paths]
    if len(set(stems)) != len(stems):
        raise RenderError(f"two scenarios share a file name: {', '.join(stems)}")
    runs = []
    for path in paths:
        resolved = load_scenario(path).with_overrides(checked)
        folder = checked_slug(name, "--name") if name else variant_name(path.stem, checked)
        if checked and folder in stems:
            raise RenderError(
                f"--name {folder!r} is a scenario's own folder; a variant never replaces it"
            )
        runs.append(ScenarioRun(path, resolved, folder))
    folders = [run.folder for run in runs]
    if SHARED_DIR in folders:
        raise RenderError(f"a scenario may not be named {SHARED_DIR!r} (the shared reports)")
    return runs


def _check_destination(destination: Path, output_dir: Path, notebook: Path) -> None:
    """Refuse a report folder that leaves ``output_dir`` or would overwrite ``notebook``."""
    if destination.is_symlink() or (destination.exists() and not destination.is_dir()):
        raise RenderError(f"{destination}: report folder is a link or not a folder; remove it")
    resolved = destination.resolve()
    if resolved.parent != output_dir.resolve():
        raise RenderError(f"{destination}: report folder outside the output folder {output_dir}")
    source = notebook.resolve()
    if source.parent == resolved or resolved in source.parents:
        raise RenderError(
            f"{notebook}: rendering into {destination} would write beside the source "
            "notebooks; choose another --output-dir"
        )


def plan_jobs(
    scenarios: Sequence[ScenarioRun],
    notebooks: Sequence[Path],
    output_dir: Path,
    *,
    seed: int,
    kernel_name: str,
    data_digest: str,
    code_digest: str,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[RenderJob]:
    """Every render of a batch, in report order.

    A notebook that depends on the scenario gets one job per scenario, into
    ``output_dir/<scenario or variant>``; one that does not gets a single job, into
    ``output_dir/`` :data:`SHARED_DIR`, whose fingerprint ignores scenarios and overrides.
    ``parameters`` maps a notebook's stem to values of its own parameters.
    """
    jobs: list[RenderJob] = []
    shared = {nb: not scenario_dependent(nb) for nb in notebooks}
    for scenario in (None, *scenarios):
        for nb in notebooks:
            if shared[nb] != (scenario is None):
                continue
            own = dict(sorted((parameters or {}).get(nb.stem, {}).items()))
            digest = fingerprint(
                nb,
                scenario.scenario if scenario is not None else None,
                seed=seed,
                kernel_name=kernel_name,
                data_digest=data_digest,
                code_digest=code_digest,
                parameters=own,
            )
            destination = output_dir / (scenario.folder if scenario is not None else SHARED_DIR)
            _check_destination(destination, output_dir, nb)
            jobs.append(RenderJob(nb, scenario, destination, digest, tuple(own.items())))
    return jobs


#: Parameters the renderer itself sets in every notebook.
RENDERER_PARAMETERS = frozenset({"scenario_path", "overrides", "seed", "summary_path"})


def _checked_parameters(
    parameters: Mapping[str, Mapping[str, Any]] | None,
    notebooks: Sequence[Path],
    available: Sequence[Path],
) -> dict[str, dict[str, Any]]:
    """Check that every notebook parameter given names a parameter of that notebook.

    Parameters may be given for any notebook of the folder (``available``); those of
    the notebooks rendered are checked against their ``parameters`` cells and returned.
    """
    if not parameters:
        return {}
    import papermill as pm

    by_stem = {nb.stem: nb for nb in notebooks}
    known_stems = set(by_stem) | {nb.stem for nb in available}
    checked: dict[str, dict[str, Any]] = {}
    for stem, values in parameters.items():
        if stem not in known_stems:
            raise RenderError(
                f"parameters given for {stem!r}, which is not a notebook to render "
                f"(have: {', '.join(sorted(known_stems))})"
            )
        if stem not in by_stem:
            continue
        known = set(pm.inspect_notebook(str(by_stem[stem])))
        for name in values:
            if name in RENDERER_PARAMETERS:
                raise RenderError(
                    f"{stem}: parameter {name!r} is set by the renderer; "
                    "use the scenarios, overrides or seed arguments"
                )
            if name not in known:
                raise RenderError(
                    f"{stem}: no parameter {name!r} in its parameters cell "
                    f"(has: {', '.join(sorted(known - RENDERER_PARAMETERS))})"
                )
        checked[stem] = dict(values)
    return checked
