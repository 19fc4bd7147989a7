"""Text from scenarios reaches charts literally: a ``$`` in a name is no mathtext.

A network, post type or scenario name with two ``$`` (``a$^$b``, accepted by ``account``)
used to reach matplotlib's mathtext: drawing the figure failed (ValueError), and a
name like ``cost $5 and $6`` was shown as math. The charts now escape such text with
:func:`influence_kit.plots.literal`.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pytest

from influence_kit.plots import literal

matplotlib.use("Agg")


def test_literal_escapes_every_dollar():
    assert literal("us$ 5$ ads") == r"us\$ 5\$ ads"
    assert literal("no dollars") == "no dollars"
    assert literal(3) == "3"


def test_unescaped_dollar_fails_and_literal_draws_as_typed():
    fig, ax = plt.subplots()
    try:
        ax.set_title("a$^$b")
        with pytest.raises(ValueError):
            fig.canvas.draw()
        title = ax.set_title(literal("a$^$b"))
        fig.canvas.draw()
        assert title.get_text() == r"a\$^\$b"
    finally:
        plt.close(fig)


@pytest.fixture(scope="module")
def dollar_scenario(tmp_path_factory, default_scenario_path):
    text = default_scenario_path.read_text()
    text = text.replace("name: forrester-us-2009", "name: us$^$2009", 1)
    text = text.replace("  facebook:", "  face$^$book:", 1)
    text = text.replace("  reviews:", "  re$^$views:", 1)
    assert text.count("$^$") == 3
    path = tmp_path_factory.mktemp("dollar") / "dollar.yaml"
    path.write_text(text)
    return path


def test_account_chart_draws_dollar_names(dollar_scenario):
    from influence_kit import account, load_scenario
    from influence_kit.plots.accounting import impressions_by_channel

    result = account(load_scenario(dollar_scenario))
    # wide enough that the parts' names fit inside their bars and are written there
    _, wide = plt.subplots(figsize=(24, 4))
    ax = impressions_by_channel(result, ax=wide)
    try:
        ax.figure.canvas.draw()
        texts = [t.get_text() for t in ax.texts] + [ax.get_title()]
        assert any(r"face\$^\$book" in t for t in texts), texts
        assert any(r"re\$^\$views" in t for t in texts), texts
        assert r"us\$^\$2009" in ax.get_title()
    finally:
        plt.close(ax.figure)


def test_explorer_figure_draws_dollar_names(dollar_scenario):
    from influence_kit.explorer import explore
    from influence_kit.explorer.figure import explore_figure

    fig = explore_figure(explore(dollar_scenario))
    try:
        fig.canvas.draw()
        assert fig.get_suptitle().startswith(r"us\$^\$2009: ")
    finally:
        plt.close(fig)
