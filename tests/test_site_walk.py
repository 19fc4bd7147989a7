"""Every page of the rendered report site, walked in headless Chromium at a laptop's and a
phone's width: raw values and code keys in the text, small text, overlapping chart labels,
sideways scrolling, broken links and images, console errors, requests to other hosts and
the report pages' navigation bar. The checks are in ``site_walk.py``; a failure lists every
problem of every page, one paragraph per page.
"""

from __future__ import annotations

import pytest
from site_walk import WIDTHS, walk_site

# Every page of the whole site in a browser: part of `make test-all` (and CI), not `make test`.
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_cleanly(site, browser, width):
    out, _ = site
    found = walk_site(browser, out, width)
    assert found, "the site has no pages"
    failing = {name: problems for name, problems in found.items() if problems}
    report = "\n\n".join(
        f"{name} at {width} px:\n" + "\n".join(f"  - {p}" for p in problems)
        for name, problems in failing.items()
    )
    assert not failing, f"{len(failing)} of {len(found)} pages have problems:\n\n{report}"
