"""The forked worker process that reads and parses a large import's rows while the importer writes.

The parent (:class:`fairspot.core.importing.Importer`) iterates :class:`InWorker`; the worker owns the
open table from the fork on, never touches the database, and dies with its parent.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import queue as queue_module
import signal
import sys
import traceback
from collections.abc import Iterator
from typing import Any, Protocol

from django.db import connections
from django.utils import translation

from fairspot.lib.tabular import TableError

CHUNK_ROWS = 10_000  # rows per message from the parsing worker
QUEUE_CHUNKS = 8  # chunks the worker may read ahead of the writer


class EntryParser(Protocol):
    """What the worker parses with (core.importing's row parser): rows' cells → entries, in order."""

    def entries(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, Any, Any]]: ...


class WorkerFailed(RuntimeError):
    """The parsing worker process failed unexpectedly (its traceback is the message)."""


PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies
_inherited_connections: list[Any] = []  # a worker keeps its parent's DB handles alive, unused


def _no_database(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("an import worker process must not use the database")


def _detach_databases() -> None:
    """In a forked worker: never use (nor close) the parent's database connections."""
    for conn in connections.all(initialized_only=True):
        _inherited_connections.append(conn.connection)  # closing it here would end the parent's session
        conn.connection = None
        conn.ensure_connection = _no_database
        conn.connect = _no_database


class InWorker:
    """Rows read and parsed by a forked worker process, received in chunks, in order.

    The worker owns the open table from the fork on (this process never reads it again); it sends
    ``("rows", percent, entries)`` messages, then ``("done",)``, or ``("table_error", message, row,
    column)`` after the rows before a damaged one, or ``("failed", traceback)``.
    """

    def __init__(self, table, parser: EntryParser):
        self.table = table
        self.parser = parser
        self.percent = 0
        self.process: Any = None
        self.queue: Any = None

    def __enter__(self) -> InWorker:
        context = multiprocessing.get_context("fork")
        self.queue = context.Queue(maxsize=QUEUE_CHUNKS)
        self.process = context.Process(
            target=_worker_main,
            args=(self.table, self.parser, self.queue, translation.get_language(), os.getpid()),
            name="fairspot-import-parser",
            daemon=True,
        )
        self.process.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.is_alive():  # stopped early (an exception here): it may be blocked on a full queue
            process.kill()
        process.join()
        self.queue.close()
        self.queue.cancel_join_thread()

    def _get(self) -> tuple:
        while True:
            try:
                return self.queue.get(timeout=1.0)
            except queue_module.Empty:
                if not self.process.is_alive():
                    try:  # it may have sent its last message just before it exited
                        return self.queue.get(timeout=1.0)
                    except queue_module.Empty:
                        raise WorkerFailed(
                            f"the import worker exited with code {self.process.exitcode}"
                        ) from None

    def __iter__(self) -> Iterator[tuple[int, Any, Any]]:
        while True:
            message = self._get()
            kind = message[0]
            if kind == "rows":
                self.percent = message[1]
                yield from message[2]
            elif kind == "done":
                return
            elif kind == "table_error":
                raise TableError(message[1], row=message[2], column=message[3])
            else:
                raise WorkerFailed(message[1])

    def percent_read(self) -> int:
        return self.percent


def _die_with_parent(parent_pid: int) -> None:
    """The worker holds copies of the parent's database sockets: if the parent dies (even by SIGKILL),
    the worker must die at once, or the server keeps the parent's transaction and its locks open."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the parent check below and in _worker_main remains
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _worker_main(table, parser: EntryParser, out, language: str | None, parent_pid: int = 0) -> None:
    if parent_pid:
        _die_with_parent(parent_pid)
    gc.disable()  # a short-lived process that makes no garbage cycles: spare it the collections
    _detach_databases()
    if language:
        translation.activate(language)
    entries: list[tuple[int, Any, Any]] = []
    chunk = min(1000, CHUNK_ROWS)  # small chunks first, so that the writer can start at once
    try:
        try:
            for entry in parser.entries(table.rows()):
                entries.append(entry)
                if len(entries) >= chunk:
                    out.put(("rows", table.percent_read(), entries))
                    entries = []
                    chunk = min(2 * chunk, CHUNK_ROWS)
        except TableError as exc:
            out.put(("rows", table.percent_read(), entries))
            out.put(("table_error", str(exc.message), exc.row, exc.column))
        else:
            out.put(("rows", table.percent_read(), entries))
            out.put(("done",))
    except BaseException:  # report anything else to the parent, which raises it
        out.put(("failed", traceback.format_exc()))
    finally:
        out.close()
        out.join_thread()
