"""The access log: one JSON object per line and request (``SDGKG_ACCESS_LOG=json``), on stderr
or appended to ``SDGKG_ACCESS_LOG_FILE``; what log shippers (Vector, Fluent Bit, Loki's
promtail) read without a parsing rule.

A line names the route template beside the path, the status, duration, rows and bytes sent, and a
hash of the query, so that one query's requests can be found without the log holding its text.
It never holds the query string (queries travel in it), a header other than the User-Agent (the
bearer tokens), nor the query text unless ``SDGKG_ACCESS_LOG_QUERIES=1`` asks for it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import MutableMapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from sdgkg.config import Settings
    from sdgkg.service.request_facts import AnsweredRequest

Scope = MutableMapping[str, Any]


def query_hash(query: str) -> str:
    """A short, stable name of a query's text (the first 16 hex digits of its SHA-256).

    >>> query_hash("ASK {}")
    '819ea91ed5f12b38'
    """
    return hashlib.sha256(query.encode()).hexdigest()[:16]


class AccessLog:
    """Writes access log lines to one text stream."""

    def __init__(self, stream: TextIO, *, include_queries: bool, owned: bool) -> None:
        self._stream = stream
        self._include_queries = include_queries
        self._owned = owned

    @classmethod
    def open(cls, settings: Settings) -> AccessLog:
        """The log ``settings`` ask for: appended to a file, or on stderr."""
        include = settings.access_log_queries
        path = settings.access_log_file
        if path is None:
            return cls(sys.stderr, include_queries=include, owned=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        stream = path.open("a", encoding="utf-8", buffering=1)  # a line at a time
        return cls(stream, include_queries=include, owned=True)

    def write(self, answered: AnsweredRequest) -> None:
        line = json.dumps(self.entry(answered), ensure_ascii=False, separators=(",", ":"))
        self._stream.write(line + "\n")
        if not self._owned:
            self._stream.flush()

    def entry(self, answered: AnsweredRequest) -> dict[str, object]:
        """The fields of one line; optional ones only where they apply."""
        scope, facts = answered.scope, answered.facts
        entry: dict[str, object] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": scope["method"],
            "route": answered.route,
            "path": scope["path"],
            "status": answered.status,
            "duration_ms": round(answered.duration_s * 1000, 3),
            "bytes": answered.sent,
            "rows": answered.rows,
            "user_agent": _user_agent(scope),
        }
        client = scope.get("client")
        if client:
            entry["client"] = client[0]
        if facts.query is not None:
            entry["query_hash"] = query_hash(facts.query)
            if self._include_queries:
                entry["query"] = facts.query
        for name in ("cache", "operation"):
            value = getattr(facts, name)
            if value is not None:
                entry[name] = value
        if facts.timed_out:
            entry["timeout"] = True
        if answered.aborted:
            entry["aborted"] = True
        return entry

    def close(self) -> None:
        if self._owned:
            self._stream.close()


def _user_agent(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"user-agent":
            return str(value.decode("latin-1"))
    return None
