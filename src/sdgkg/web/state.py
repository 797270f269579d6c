"""What the web pages keep between requests: values derived from one data version.

Each is built in the background when the data change (``ServiceState.on_new_version``), and the
last complete one is served until the next is ready (``execution/background.py``): no page
request pays for rebuilding the search index, the coverage table or the counts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from sdgkg.config import Settings
from sdgkg.execution.background import BuiltInBackground, derived_value
from sdgkg.execution.state import ServiceState
from sdgkg.kinds import RECORD_KINDS, count_kinds
from sdgkg.queries import CuratedQuery, list_curated
from sdgkg.store.base import GraphStore
from sdgkg.web.browse import BROWSABLE, read_catalogue
from sdgkg.web.coverage import read_coverage, read_partner_table
from sdgkg.web.graph import solutions
from sdgkg.web.i18n import LANGUAGES
from sdgkg.web.search_index import SearchIndexFollower

T = TypeVar("T")

# The classes the home page counts, in the order it lists them (the kinds sdgkg stats counts too).
COUNTED_CLASSES = RECORD_KINDS

_CACHES_LOCK = threading.Lock()


def app_cache(
    holder: object, name: str, build: Callable[[], T], state: ServiceState
) -> BuiltInBackground[T]:
    """The ``BuiltInBackground`` kept as attribute ``name`` of ``holder`` (an app's state), made
    on first use and rebuilt on every new data version of ``state`` from then on: for features
    that keep a derived value without a line in the app factory."""
    cache: BuiltInBackground[T] | None = getattr(holder, name, None)
    if cache is None:
        with _CACHES_LOCK:
            cache = getattr(holder, name, None)
            if cache is None:
                cache = derived_value(
                    build,
                    name=name,
                    store=state.store,
                    first_wait_s=state.settings.first_build_wait_s,
                )
                setattr(holder, name, cache)
                state.on_new_version(cache.refresh)
    return cache


@dataclass(frozen=True)
class GraphCounts:
    classes: dict[str, int]  # class local name -> instances (with subclasses)
    triples: int


class WebState:
    """Caches over one store; ``install_web`` puts one on ``app.state.web``."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.settings = settings
        base = settings.base_iri
        # Kept beside an embedded store under its data stamp: a restart serves them at once.
        derived = partial(derived_value, store=store, first_wait_s=settings.first_build_wait_s)
        # After a load, the index is updated for the graphs the load changed, not read whole;
        # an index kept from before a restart is followed the same way (``adopt``).
        self.index_follower = SearchIndexFollower(store, base)
        follower = self.index_follower
        self.index = derived(
            follower.build,
            update=follower.update,
            restored=follower.adopt,
            name="search index",
        )
        self.coverage = derived(lambda: read_coverage(store, base), name="coverage")
        self.counts = derived(lambda: count_graph(store, base), name="counts")
        self.partners = derived(
            lambda: read_partner_table(store, base, LANGUAGES), name="goals per partner"
        )
        self.catalogues = {
            kind: derived(
                partial(read_catalogue, store, base, kind), name=f"list of {kind} records"
            )
            for kind in BROWSABLE
        }
        self._curated: list[CuratedQuery] | None = None

    def refresh(self, version: int) -> None:
        """Start building what is derived from data ``version``, in the background."""
        for cache in self.derived_values():
            cache.refresh(version)

    def derived_values(self) -> list[BuiltInBackground[Any]]:
        """Every value the pages derive from the data, quickest first (builds run one at a time,
        in this order): the home page's counts are a few COUNT queries; at 5M they waited
        minutes behind the search index and the tables. Then the list pages."""
        return [self.counts, self.index, self.coverage, self.partners, *self.catalogues.values()]

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
