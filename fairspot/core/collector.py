"""Bulk work that builds millions of objects: Python's cyclic garbage collector paused meanwhile.

A province's commit holds ten million row tuples and three and a half million exclusions; each full pass
of the cyclic collector walks every one of them, several times over while they are being built, though
none of them can be part of a cycle. ``collector_paused()`` (a context manager and a decorator) turns the
collector off for the duration and back on afterwards, also after an error; reference counting frees
everything as before. Measured at 10 million targets (``docs/scaling.md`` §7): the commit 3 to 4 s
faster, the reveal 2 to 3 s.
"""

from __future__ import annotations

import gc
import threading
from contextlib import ContextDecorator

_lock = threading.Lock()
_depth = 0  # pauses under way in this process (threads of one web worker, nested calls)
_resume = False  # whether the collector was on before the first of them


class collector_paused(ContextDecorator):  # lower case: used like contextlib's helpers
    """The collector is off while any pause is under way in the process, and back as it was after the
    last one ends."""

    def __enter__(self) -> None:
        global _depth, _resume
        with _lock:
            if _depth == 0:
                _resume = gc.isenabled()
                gc.disable()
            _depth += 1

    def __exit__(self, *exc) -> None:
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
