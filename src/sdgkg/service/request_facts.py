"""What a handler learns about its request for the operator, kept in the request's scope.

The observer (``observe.py``) puts a ``RequestFacts`` in the scope of each request when metrics or
the access log are on; handlers fill in what only they know. When both are off there is none, and
``facts_of`` tells the handler so: nothing is noted.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

FACTS = "sdgkg.facts"
Scope = MutableMapping[str, Any]


@dataclass
class RequestFacts:
    """What a handler knows about its request that the observer cannot see from outside."""

    query: str | None = None  # a SPARQL query's text: hashed for the log, never kept
    rows: Callable[[], int | None] | None = None  # rows sent, asked once the answer has ended
    cache: str | None = None  # "hit" or "miss" of the result cache
    timed_out: bool = False
    operation: str | None = None  # "update", "load" or "backup": the operator's history


def facts_of(scope: Scope) -> RequestFacts | None:
    """The request's facts to fill in, or None when nothing observes requests."""
    facts: RequestFacts | None = scope.get(FACTS)
    return facts


@dataclass(frozen=True)
class AnsweredRequest:
    """One request once answered, as the metrics and the access log record it."""

    scope: Scope
    route: str  # the route template it matched (``observe.route_template``)
    status: int
    duration_s: float
    sent: int  # body bytes, after compression
    rows: int | None
    facts: RequestFacts
    aborted: bool  # the response ended without its last chunk
