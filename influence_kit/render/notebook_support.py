"""What the report notebooks call to present results: display setup, run parameters, key figures.

Notebooks stay thin: a ``parameters`` cell, calls into the package, tables, plots
and prose. This module holds the little each notebook needs to behave the same
under JupyterLab, papermill and nbval:

* :func:`setup_notebook`: PNG figures (nbval skips PNG but compares SVG), a
  readable plot style, deterministic figure metadata and rounded tables;
* :func:`parameters_table`: the run's parameters as an output table, since
  reports hide code (and with it the injected parameters cell);
* :func:`save_summary`: write the notebook's key figures and conclusion to the JSON
  file the renderer asked for (``summary_path``), nothing when run interactively.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..errors import HeavyTailWarning
from ..formatting import format_number, format_quantity
from ..results import Conclusion, KeyFigures, dumps
from ..scenarios import Scenario

#: Significant digits of a parameter's value in the parameters table (exact for the
#: values people type: 300, 0.61, 256e9).
FIELD_DIGITS = 12


def _one_line_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    sys.stderr.write(f"{category.__name__}: {' '.join(str(message).split())}\n")


def setup_notebook() -> None:
    """Configure matplotlib, seaborn and pandas for stable, readable notebook output."""
    from ..plots import report_style

    report_style()
    # A warning shows as one line naming its kind, without the kernel's temporary file
    # name (which changes on every run and would break nbval). Heavy-tail cautions are
    # not repeated as warnings: the reports state how each interval was computed.
    warnings.showwarning = _one_line_warning
    warnings.simplefilter("ignore", HeavyTailWarning)
    pd.set_option("display.float_format", format_number)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython always present with ipykernel
        shell = None
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['svg']")
        shell.run_line_magic(
            "config",
            "InlineBackend.print_figure_kwargs = "
            "{'bbox_inches': 'tight', 'metadata': {'Date': None, 'Creator': None}}",
        )
        _attach_alt_text(shell)


def figure_alt_text(fig: Any) -> str:
    """Alt text for a matplotlib figure: its titles and axis labels."""
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        parts.append(suptitle.get_text())
    for ax in fig.get_axes():
        bits = [ax.get_title()] if ax.get_title() else []
        if ax.get_xlabel():
            bits.append(f"x: {ax.get_xlabel()}")
        if ax.get_ylabel():
            bits.append(f"y: {ax.get_ylabel()}")
        if bits:
            parts.append("; ".join(bits))
    return "Figure: " + (" | ".join(parts) if parts else "chart")


def _attach_alt_text(shell: Any) -> None:
    """Make every inline SVG figure carry its alt text (``role="img"`` and ``aria-label``)."""
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/svg+xml"]
    try:
        render_svg = formatter.lookup_by_type(Figure)
    except KeyError:  # pragma: no cover - inline backend not active
        return
    if getattr(render_svg, "_ik_alt", False):
        return

    def svg_with_alt(fig: Figure) -> str | None:
        data = render_svg(fig)
        if data is None:
            return None
        return label_svg(data, figure_alt_text(fig))

    svg_with_alt._ik_alt = True  # type: ignore[attr-defined]  # marker: install the wrapper once
    formatter.for_type(Figure, svg_with_alt)


def label_svg(svg: str, alt: str) -> str:
    """An SVG document whose root element is an image labelled ``alt`` (for screen readers).

    Examples
    --------
    >>> label_svg('<?xml version="1.0"?><svg width="1"></svg>', 'Figure: a <b>')
    '<?xml version="1.0"?><svg role="img" aria-label="Figure: a &lt;b&gt;" width="1"></svg>'
    """
    import html

    start = svg.find("<svg")
    if start < 0:
        return svg
    label = html.escape(alt, quote=True)
    return f'{svg[:start]}<svg role="img" aria-label="{label}"{svg[start + 4 :]}'


def parameters_table(
    *, scenario: Scenario | None = None, seed: int | None = None, **parameters: Any
) -> pd.DataFrame:
    """The run's parameters (and the toolkit version) as a two-column table.

    ``scenario`` shows as its name, the overrides it was made with (a variant's; "none"
    for the scenario file itself) and its digest, so a report names exactly what it
    computed from. ``seed`` is an identifier, shown as typed (``20100420``, not
    ``20,100,420``); other numbers get thousands separators. Each further parameter is
    named by its notebook identifier with spaces for underscores (``gof replicates``).
    """
    rows: list[tuple[str, str]] = []
    if scenario is not None:
        rows.append(("scenario", scenario.name))
        rows.append(("overrides", describe_overrides(scenario.overrides)))
        rows.append(("scenario digest", scenario.digest()[:12]))
    if seed is not None:
        rows.append(("seed", str(seed)))
    # a parameter's name as a reader reads it: the notebook's identifier, spaced
    rows += [(name.replace("_", " "), _describe(value)) for name, value in parameters.items()]
    rows.append(("toolkit version", __version__))
    table = pd.DataFrame(rows, columns=["parameter", "value"]).set_index("parameter")
    return table.rename_axis(None)  # one header row: the names speak for themselves


def describe_overrides(overrides: Mapping[str, Any]) -> str:
    """Overrides as a reader reads them: ``readers_per_post = 300, ...`` (``none`` if empty).

    Examples
    --------
    >>> describe_overrides({"readers_per_post": 300.0, "audience_model.derive": []})
    'readers_per_post = 300, audience_model.derive = (none)'
    """
    if not overrides:
        return "none"
    return ", ".join(f"{key} = {_describe(value)}" for key, value in overrides.items())


def _describe(value: Any) -> str:
    if value is None:
        return "(default)"  # a notebook parameter left at its default rule
    if isinstance(value, str):
        return Path(value).name if value.endswith((".yaml", ".yml")) else value
    if isinstance(value, bool):
        return format_quantity(value, "text")
    if isinstance(value, (int, float)):
        return format_number(value, FIELD_DIGITS)
    if isinstance(value, Sequence):
        return ", ".join(_describe(v) for v in value) if value else "(none)"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_describe(v)}" for k, v in value.items()) if value else "(none)"
    return str(value)


def save_summary(
    summary_path: str | None, figures: KeyFigures, conclusion: Conclusion | None = None
) -> dict[str, Any]:
    """Write a notebook's key figures and conclusion for the renderer; return them as JSON data.

    Parameters
    ----------
    summary_path
        Where the renderer wants the figures (a papermill parameter); when it is
        empty or ``None`` (interactive use, nbval) nothing is written.
    figures
        The key figures (:class:`~influence_kit.results.KeyFigures`): each is written with
        its value, label, unit and kind, so the report header and the index show it as
        the notebook meant, without guessing.
    conclusion
        The report's conclusion (:class:`~influence_kit.results.Conclusion`): the renderer
        opens the report with its sentences and the key figures it names (``None``: the
        box shows the first :data:`~influence_kit.results.LEAD_FIGURES` figures).

    Returns
    -------
    dict
        ``{"figures": ..., "conclusion": ...}``, what the file holds.

    Raises
    ------
    TypeError
        If ``figures`` is not a :class:`~influence_kit.results.KeyFigures` or
        ``conclusion`` not a :class:`~influence_kit.results.Conclusion`.
    ValueError
        If the conclusion names a key figure that ``figures`` does not hold.
    """
    if not isinstance(figures, KeyFigures):
        raise TypeError(
            "save_summary takes KeyFigures (a result's key_figures()), got "
            f"{type(figures).__name__}"
        )
    if conclusion is not None and not isinstance(conclusion, Conclusion):
        raise TypeError(
            f"save_summary takes a Conclusion (a result's conclusion()), got "
            f"{type(conclusion).__name__}"
        )
    missing = [key for key in (conclusion.figures if conclusion else ()) if key not in figures]
    if missing:
        raise ValueError(f"the conclusion names key figures that are not saved: {missing}")
    data = {
        "figures": figures.to_dict(),
        "conclusion": conclusion.to_dict() if conclusion is not None else None,
    }
    if summary_path:
        path = Path(summary_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(data, sort_keys=False) + "\n", encoding="utf-8")
    return data
