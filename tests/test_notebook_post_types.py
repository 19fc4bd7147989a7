"""Notebook 02 follows the scenario's own post types (no post type is hard-coded)."""

from __future__ import annotations

import pytest
import yaml

RENAMED = {"reviews": "critiques", "forum_posts": "threads"}


@pytest.mark.slow
def test_readers_notebook_renders_a_scenario_with_other_post_types(tmp_path):
    import jupytext
    from conftest import DEFAULT_SCENARIO, QUICK_PARAMETERS, ROOT

    from influence_kit.render import render_reports

    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    data["meta"]["name"] = "renamed-post-types"
    data["post_type_shares"] = {
        RENAMED.get(name, name): share for name, share in data["post_type_shares"].items()
    }
    path = tmp_path / "renamed-post-types.yaml"
    path.write_text(yaml.safe_dump(data))
    # Execute the notebook's text source (what a change edits), through the renderer.
    notebook_dir = tmp_path / "notebooks"
    notebook_dir.mkdir()
    (source,) = (ROOT / "notebooks").glob("02-*.py")
    jupytext.write(jupytext.read(source), notebook_dir / f"{source.stem}.ipynb")
    out = tmp_path / "site"
    result = render_reports(
        [path],
        None,
        out,
        notebook_dir=notebook_dir,
        parameters={source.stem: QUICK_PARAMETERS[source.stem]},
    )
    assert result.ok, result.summary().to_string()
    (page,) = (p for p in out.rglob("*.html") if p.parent.name != out.name)
    html = page.read_text("utf-8")
    assert "critiques" in html and "threads" in html
    assert "reviews" not in html and "forum_posts" not in html
