"""The interactive explorer: move the key assumptions and watch the headline respond.

* :mod:`.state`: :func:`explore`, the one call behind every view (decomposition,
  break-evens, segments, Lorenz curve), returning an :class:`ExploreState`; and
  :func:`explored_overrides`, the rule that turns the explorer's controls into scenario
  overrides (the path ``--set`` takes on the command line);
* :mod:`.figure`: :func:`explore_figure`, the state drawn in four panels;
* :mod:`.widgets`: the ipywidgets controls (:func:`build_explorer`), served as a web app by
  ``influence-kit explore`` (:func:`explorer_app`) and used in ``notebooks/00-explore``.

The state and the figure need no widgets; ``import influence_kit.explorer`` does not import
ipywidgets, nor matplotlib until :func:`explore_figure` is asked for.
"""

from typing import Any

from .state import ExploreState, explore, explored_overrides, readers_curve, rescaled_panel


def __getattr__(name: str) -> Any:
    # the report figure needs matplotlib and seaborn, which the web app never draws with:
    # imported when first asked for
    if name == "explore_figure":
        from .figure import explore_figure

        return explore_figure
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ExploreState",
    "explore",
    "explore_figure",
    "explored_overrides",
    "readers_curve",
    "rescaled_panel",
]
