"""A small in-process LRU cache for computed rankings and statistics.

Keys carry a fingerprint read from the database (see queries.ranking_fingerprint), so
an entry is never served after a review changed: the changed review makes a new key and
the old entry simply ages out. Each web process keeps its own cache; values are
immutable dataclasses, shared safely between threads.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class LruCache:
    """At most `maxsize` values, least recently used dropped first; counts hits and misses."""

    def __init__(self, maxsize: int = 16):
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]  # type: ignore[return-value]
            self.misses += 1
        value = compute()  # outside the lock: two requests may compute once each, harmlessly
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def get(self, key: Hashable, default=None):
        """The value when present (a hit), else `default` (a miss); computes nothing."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
            return default

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        """Drop every value and reset the counters."""
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


RANKINGS = LruCache(maxsize=16)
