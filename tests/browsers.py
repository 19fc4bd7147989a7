"""Chromium for the browser tests: where it is, how it is launched, and the CI/skip rule.

``.ci/run`` installs Debian's ``chromium``. Outside CI a browser test is skipped when no
Chromium-family browser is installed; in CI it must run.
"""

from __future__ import annotations

import os
import shutil

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_browser() -> str | None:
    """The path of the first Chromium-family browser on ``PATH``, if any."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def browser_or_skip() -> str:
    """The browser's path; skip the test outside CI (fail in CI) when there is none."""
    path = find_browser()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("no Chromium-family browser installed; .ci/run should install chromium")
        pytest.skip("no Chromium-family browser installed")
    return path


def launch(playwright, executable: str):
    """Headless Chromium driven by Playwright."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
