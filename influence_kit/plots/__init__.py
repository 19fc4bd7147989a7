"""Plots of results objects (seaborn/matplotlib): one module per area.

Plots draw; they compute nothing new. Every function takes a results object (or any
object with the attributes it draws, stated as a :class:`typing.Protocol`), draws on an
optional ``ax`` with titles, labelled axes and units, and returns the matplotlib
``Axes`` or ``Figure``.

* :mod:`.accounting`: the headline decomposition by channel;
* :mod:`.sensitivity`: sweeps, break-evens, tornado, spider, Monte Carlo, Sobol;
* :mod:`.fitting`: CCDFs with fitted laws and fit diagnostics;
* :mod:`.concentration`: Lorenz curves, headline calibration, segment bounds;
* :mod:`.segments`: segment sizes and comparisons with published figures;
* the explorer's dashboard figure lives with the explorer (:mod:`influence_kit.explorer.figure`).

Text that comes from data or scenarios (scenario, network and post-type names, labels of
results) goes into a chart through :func:`literal`, so a ``$`` in it is shown as typed
rather than read as matplotlib mathtext (which fails on an unpaired ``$``).
"""

from __future__ import annotations


def literal(text: object) -> str:
    """``text`` as a matplotlib label shows it literally: every ``$`` escaped.

    Parameters
    ----------
    text : object
        A name or label from data or a scenario (converted with ``str``).

    Returns
    -------
    str
        The text with ``$`` written ``\\$``, so mathtext never parses it.
    """
    return str(text).replace("$", r"\$")
