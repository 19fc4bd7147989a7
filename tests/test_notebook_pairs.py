"""Each notebook is kept as a pair: the jupytext script (reviewed as text) and the executed
``.ipynb`` (what nbval and the renderer use). Their cells must agree."""

from __future__ import annotations

import jupytext
import pytest

from influence_kit.package_data import notebook_dir

SCRIPTS = sorted(notebook_dir().glob("[0-9][0-9]-*.py"))


def _cells(nb) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]


def test_every_notebook_has_a_script():
    notebooks = {p.stem for p in notebook_dir().glob("[0-9][0-9]-*.ipynb")}
    assert notebooks == {p.stem for p in SCRIPTS}
    assert len(notebooks) >= 7


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_script_and_notebook_agree(script):
    text = jupytext.read(script)
    executed = jupytext.read(script.with_suffix(".ipynb"))
    assert _cells(text) == _cells(executed), (
        f"{script.name} and its .ipynb differ: run `make notebooks`"
    )
    assert text.metadata.get("influence_kit") == executed.metadata.get("influence_kit")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_outputs_do_not_name_where_the_package_lives(script):
    """Stored outputs must not depend on the checkout or install path (nbval runs elsewhere)."""
    import nbformat

    nb = nbformat.read(script.with_suffix(".ipynb"), as_version=4)
    home = str(notebook_dir().parent.parent.parent)
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")]
            texts += [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
            for text in texts:
                body = "".join(text) if isinstance(text, list) else str(text)
                assert home not in body, f"{script.stem} cell {i} shows the path {home}"
