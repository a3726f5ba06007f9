"""Results kept in this process per data version: the one mechanism behind the reports' caches.

A key starts with what identifies a database's data (its file and ``data_version``, which every
import and delete bumps), so a kept result is never read after its data changed; older versions
fall out of a bounded LRU. Two threads asking for the same key at once compute it once: the second
waits for the first (a just-started server's warm-up and the first page view ask together).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import duckdb

from sales_analytics.db import load_query

T = TypeVar("T")


def version_key(con: duckdb.DuckDBPyConnection, *extra: Hashable) -> tuple | None:
    """(database file, data_version, latest import, *extra): what a kept result is keyed on; None for
    a database without a file (in memory: nothing to key on, so nothing is kept)."""
    ((path, *version),) = con.execute(load_query("forecast_cache_key")).fetchall()
    return (path, *version, *extra) if path is not None else None


class Kept:
    """A bounded, thread-safe LRU of computed results, each computed once per key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._computing: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable | None, compute: Callable[[], T]) -> T:
        """The value kept under ``key``, else ``compute()`` kept under it; ``key`` None (a database
        without a file: nothing to key on) computes every time."""
        if key is None:
            return compute()
        while True:
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key]
                waiting = self._computing.get(key)
                if waiting is None:
                    done = self._computing[key] = threading.Event()
                    break
            waiting.wait()  # then read what the other thread kept (or compute, if it failed)
        try:
            value = compute()
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.size:  # older versions are never read again
                    self._values.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._computing[key]
            done.set()

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
