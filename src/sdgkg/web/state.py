"""What the web pages keep between requests: caches keyed by the service's data version.

The service bumps ``ServiceState.data_version`` on every update; a cache built for an older
version is rebuilt on its next use, so pages never show stale counts or search results.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sdgkg.config import Settings
from sdgkg.kinds import RECORD_KINDS, count_kinds
from sdgkg.queries import CuratedQuery, list_curated
from sdgkg.store.base import GraphStore
from sdgkg.web.coverage import Coverage, read_coverage
from sdgkg.web.graph import solutions
from sdgkg.web.search import LabelIndex, build_index

T = TypeVar("T")

# The classes the home page counts, in the order it lists them (the kinds sdgkg stats counts too).
COUNTED_CLASSES = RECORD_KINDS


class VersionedCache(Generic[T]):
    """One value per data version, built on first use and rebuilt when the version moves on."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._version: int | None = None
        self._value: T | None = None

    def get(self, version: int) -> T:
        with self._lock:
            if self._version != version or self._value is None:
                self._value = self._build()
                self._version = version
            return self._value


@dataclass(frozen=True)
class GraphCounts:
    classes: dict[str, int]  # class local name -> instances (with subclasses)
    triples: int


class WebState:
    """Caches over one store; ``install_web`` puts one on ``app.state.web``."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.settings = settings
        base = settings.base_iri
        self.index: VersionedCache[LabelIndex] = VersionedCache(lambda: build_index(store, base))
        self.coverage: VersionedCache[Coverage] = VersionedCache(lambda: read_coverage(store, base))
        self.counts: VersionedCache[GraphCounts] = VersionedCache(lambda: count_graph(store, base))
        self._curated: list[CuratedQuery] | None = None

    @property
    def curated(self) -> list[CuratedQuery]:
        """The bundled curated queries; files do not change while the service runs."""
        if self._curated is None:
            self._curated = list_curated()
        return self._curated


def count_graph(store: GraphStore, base_iri: str) -> GraphCounts:
    counts = count_kinds(store, base_iri)
    triples = solutions(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    total = next((int(row["n"].value) for row in triples), 0)
    return GraphCounts(counts, total)
