"""Recent small answers, kept until the data change: a repeated query is answered from memory.

Public endpoints see the same queries again and again: a dashboard polls its counts, a YASGUI
tab is re-run, the curated queries' links are shared, harvesters repeat their requests.
Validators (``protocol/conditional.py``) spare a client that kept its copy; this cache spares the
engine for clients that did not (SPARQLWrapper, rdflib, R and curl send no If-None-Match).

An answer is only valid for the data it was computed from, so every entry carries the data
version (``ServiceState.data_version``) and the cache empties itself when that changes. That is
only sound when every write moves the data version on: over the embedded store (this process is
its only writer), and over a remote engine only when ``SDGKG_REMOTE_WRITERS=sdgkg`` says that
every writer is an sdgkg process, whose data stamp the service watches (like the validators). It
keeps complete answers only (at most ``max_bytes // 16`` each; a streamed one is collected while
it is sent, up to that size, and kept once it has ended well), errors never, and evicts the least
recently used past ``max_bytes``. It lives on the event loop thread: no locks.

``SDGKG_RESULT_CACHE_BYTES=0`` turns it off.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from sdgkg.execution.runner import QueryJob
from sdgkg.protocol.conneg import Representation

Key = tuple[Hashable, ...]
_SHARE = 16  # no single answer takes more than 1/16 of the cache


def cache_key(job: QueryJob) -> Key:
    """Everything the answer depends on besides the data: the query, dataset, format, base."""
    return (
        job.query,
        None if job.default_graphs is None else tuple(job.default_graphs),
        None if job.named_graphs is None else tuple(job.named_graphs),
        job.accept,
        job.format_name,
        job.base_iri,
        job.dumps_url,
    )


class ResultCache:
    """A byte-bounded LRU of complete answers, valid for one data version."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.hits = 0
        self._entries: OrderedDict[Key, tuple[Representation, bytes]] = OrderedDict()
        self._bytes = 0
        self._version = 0

    def get(self, key: Key, version: int) -> tuple[Representation, bytes] | None:
        if version != self._version:
            self._reset(version)
            return None
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return entry

    @property
    def max_answer_bytes(self) -> int:
        """The biggest answer kept: a streamed one is collected only up to this."""
        return self.max_bytes // _SHARE

    def put(self, key: Key, version: int, representation: Representation, body: bytes) -> None:
        size = self._size(key, body)
        if size > self.max_answer_bytes or version < self._version:
            return  # too big, or computed before the data changed
        if version > self._version:
            self._reset(version)
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._bytes -= self._size(key, previous[1])
        self._entries[key] = (representation, body)
        self._bytes += size
        while self._bytes > self.max_bytes:
            old_key, (_, old_body) = self._entries.popitem(last=False)
            self._bytes -= self._size(old_key, old_body)

    def stats(self) -> dict[str, int]:
        """For /health: what the cache holds and how often it answered."""
        return {
            "entries": len(self._entries),
            "bytes": self._bytes,
            "max_bytes": self.max_bytes,
            "hits": self.hits,
        }

    def _reset(self, version: int) -> None:
        self._entries.clear()
        self._bytes = 0
        self._version = version

    @staticmethod
    def _size(key: Key, body: bytes) -> int:
        return len(body) + len(str(key[0])) + 200  # the query text and the entry's own overhead
