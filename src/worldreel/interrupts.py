"""Ctrl-C and SIGTERM, held back while a few lines must not be cut in half.

The CLI turns SIGINT and SIGTERM into exceptions that unwind the run and remove its temporaries.
Raised in the middle of starting a worker process, such an exception leaves a child half-born
that prints a traceback of its own; inside `uninterrupted()` a signal is noted instead, and
raised as soon as the block ends.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

_HELD: list[Callable[[], None]] = []
_DEPTH = [0]


def deliver(interrupt: Callable[[], None]) -> None:
    """Call `interrupt` (which raises) now, or when the outermost `uninterrupted` block ends."""
    if _DEPTH[0] and threading.current_thread() is threading.main_thread():
        _HELD.append(interrupt)
        return
    interrupt()


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold back the CLI's Ctrl-C and SIGTERM until the block ends (keep it short)."""
    _DEPTH[0] += 1
    try:
        yield
    finally:
        _DEPTH[0] -= 1
        if not _DEPTH[0] and _HELD:
            interrupt = _HELD[0]
            _HELD.clear()
            interrupt()
