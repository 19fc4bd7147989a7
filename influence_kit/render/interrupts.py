"""SIGINT and SIGTERM during a render: kill the kernels, stop publishing, raise
:class:`RenderInterrupted`.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .execute import kill_kernels

logger = logging.getLogger(__name__)


class RenderInterrupted(KeyboardInterrupt):
    """A render stopped by SIGINT or SIGTERM; ``signum`` is the signal's number.

    Kernels were killed and nothing more was published; what was published before
    is consistent (a report with its ``summary.json`` entry, state and index).
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


class _Cancel:
    """Set by SIGINT/SIGTERM during a render (see :func:`_interrupts`)."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def check(self) -> None:
        """Raise :class:`RenderInterrupted` if a signal arrived."""
        if self.signum is not None:
            raise RenderInterrupted(self.signum)


@contextmanager
def _interrupts() -> Iterator[_Cancel]:
    """Turn SIGINT and SIGTERM into a cancel flag while rendering (main thread only).

    The handler kills the running kernels at once, so workers finish promptly; the
    render then stops publishing and raises :class:`RenderInterrupted`.
    """
    cancel = _Cancel()
    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return

    def handler(signum: int, frame: Any) -> None:
        cancel.signum = signum
        kill_kernels()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield cancel
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
