"""The explorer's state in the page address: read it on opening, write it on every change.

:class:`PageAddress` is a small widget (anywidget; its script is the string below, shipped
in the package, so no request leaves the page). On showing, it sends the page's query
string to Python (:attr:`PageAddress.opened_with`); whenever Python sets
:attr:`PageAddress.query` it replaces the address's query with it (``history.replaceState``:
no reload, no new history entry). Its "Copy link" button copies the address to the
clipboard, or shows it when the browser refuses.

:func:`encode_state` and :func:`decode_state` turn the explorer's control values into a
query string and back; values are written exactly (``repr`` of the float), so a link
restores the same numbers to the last digit.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

import anywidget
import traitlets

__all__ = ["PageAddress", "decode_state", "encode_state"]

_ESM = r"""
function render({ model, el }) {
  const bar = document.createElement("div");
  bar.className = "ik-page-address";
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "ik-copy-link";
  copy.textContent = "Copy link";
  copy.title = "Copy the address of this page: it opens the explorer with every value shown now";
  const status = document.createElement("span");
  status.className = "ik-copy-status";
  status.setAttribute("role", "status");
  status.style.marginLeft = "0.6em";
  copy.addEventListener("click", async () => {
    const address = window.location.href;
    try {
      await navigator.clipboard.writeText(address);
      status.textContent = "Link copied.";
    } catch (err) {
      status.textContent = address;
    }
  });
  bar.append(copy, status);
  el.append(bar);
  const write = () => {
    const query = model.get("query") || "";
    const address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", address);
  };
  model.on("change:query", write);
  const search = window.location.search.replace(/^\?/, "");
  if (!search) write();  // a plain address shows the state the page opened on
  model.set("opened_with", search);
  model.save_changes();
}
export default { render };
"""


class PageAddress(anywidget.AnyWidget):
    """The page address as a widget: the query the page opened with, the query to show.

    Attributes
    ----------
    opened_with
        The query string the page was opened with (``None`` until the page has shown the
        widget; ``""`` for none).
    query
        The query string to put in the address (set by Python on every change).
    """

    _esm = _ESM
    opened_with = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    query = traitlets.Unicode("").tag(sync=True)


def encode_state(values: Mapping[str, str | float | None]) -> str:
    """The explorer's values as a query string, in the given order.

    Numbers are written exactly (``repr``), text as is; ``None`` leaves the key out.

    Examples
    --------
    >>> encode_state({"scenario": "forrester-us-2009", "readers_per_post": 300.0, "x": None})
    'scenario=forrester-us-2009&readers_per_post=300.0'
    """
    pairs = [
        (key, value if isinstance(value, str) else repr(float(value)))
        for key, value in values.items()
        if value is not None
    ]
    return urlencode(pairs)


def decode_state(query: str) -> dict[str, str]:
    """The key-value pairs of a query string (a leading ``?`` is ignored; the last of a
    repeated key wins).

    Examples
    --------
    >>> decode_state("?scenario=forrester-us-2009&readers_per_post=300.0")
    {'scenario': 'forrester-us-2009', 'readers_per_post': '300.0'}
    """
    return dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
