"""Which graphs a remote engine holds, which of them are being loaded, and its data stamp.

The list is cached for ``GRAPHS_TTL_S``, since other clients may load meanwhile; ``sdgkg serve``
refreshes it in the background (``execution/state.py``), so no query waits for it, and trusts
each state until the watcher's next refresh is due (``trust_for``, at most ``TRUST_MAX_S``): on
a loaded machine the watcher waits longer between refreshes, and queries must not then ask the
engine themselves. The price is freshness: a load that another process starts is seen as
loading (and hidden) only from the next refresh on, within ``GRAPHS_TTL_S`` on a quiet machine
and within ``TRUST_MAX_S`` on a loaded one. Graphs being
loaded are marked in the catalog graph and hidden from every query. Each refresh also reads the
data stamp every sdgkg write replaces (``store/remote_loads.py``) and counts a change of the
graphs or the stamp in ``writes``: that is how a running service sees a load made by another
process (see ``store/remote.py`` for where the stamp lives on each engine).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from pyoxigraph import NamedNode

from sdgkg.store.base import CATALOG_GRAPH, DATA_STAMP, LOAD_STATE

GRAPHS_TTL_S = 1.0  # how long the list of graphs is trusted (other clients may load meanwhile)
TRUST_MAX_S = 3 * GRAPHS_TTL_S  # the longest the watcher may vouch for a list (trust_for)
STAMP_GRAPH = "urn:x-sdgkg:stamp:"  # Oxigraph server: the data stamp, an empty graph's name
_VIRTUOSO_SYSTEM = (
    "http://www.openlinksw.com/schemas/",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "http://localhost:8890/",
    "http://localuriqaserver/",  # the service description graph when no DefaultHost is set
)

GraphState = tuple[list[str], frozenset[str]]  # the data graphs, and those being loaded
Select = Callable[[str], list[Any]]  # a SELECT over all of the engine's graphs: its rows


class GraphCatalogue:
    """The engine's graphs as this process last saw them, and how often they changed."""

    def __init__(self, flavour: str, select: Select) -> None:
        self.flavour = flavour
        self._select = select
        self.pending: set[str] = set()  # graphs this process is loading
        self._lock = threading.Lock()
        self._graphs: tuple[float, list[str], frozenset[str]] | None = None
        self._trusted_until = 0.0  # monotonic time until which the watcher vouches for the state
        self._seen: tuple[list[str], object] | None = None  # graphs and stamp, last asked
        self.writes = 0  # changes of the engine's graphs or stamp seen so far (ServiceState)

    def visible(self) -> list[str]:
        """The data graphs, without those being loaded."""
        names, hidden = self.state()
        return [g for g in names if g not in hidden]

    def all_graphs(self) -> list[str]:
        return self.state()[0]

    def hidden(self) -> frozenset[str]:
        return self.state()[1]

    def cached_state(self) -> GraphState | None:
        """The state if it is younger than ``GRAPHS_TTL_S`` or the watcher vouches for it; None
        if the engine must be asked."""
        with self._lock:
            cached = self._graphs
            now = time.monotonic()
            if cached is not None and (now - cached[0] < GRAPHS_TTL_S or now < self._trusted_until):
                return cached[1], cached[2]
        return None

    def trust_for(self, seconds: float) -> None:
        """Trust the state just refreshed for ``seconds`` from now: the background watcher's
        promise that it asks again before then (``execution/state.py``)."""
        with self._lock:
            if self._graphs is not None:
                self._trusted_until = time.monotonic() + min(seconds, TRUST_MAX_S)

    def age(self) -> float | None:
        """Seconds since the engine was last asked for its graphs; None if never (``/health``)."""
        with self._lock:
            return None if self._graphs is None else time.monotonic() - self._graphs[0]

    def state(self) -> GraphState:
        """All data graphs, and the ones being loaded; cached for ``GRAPHS_TTL_S``."""
        cached = self.cached_state()
        if cached is not None:
            return cached
        return self.refresh()

    def refresh(self) -> GraphState:
        """Ask the engine for its graphs, the ones being loaded and the data stamp (two small
        queries); count a change of the graphs or the stamp in ``writes``.

        The state is dated from before the questions were asked.
        """
        asked = time.monotonic()
        names = self.list_graphs()
        loading, stamp = self._catalog() if CATALOG_GRAPH in names else (set(), None)
        stamps = [n for n in names if n.startswith(STAMP_GRAPH)]
        visible = [n for n in names if n != CATALOG_GRAPH and not n.startswith(STAMP_GRAPH)]
        state = (visible, frozenset({*loading, *self.pending}))
        with self._lock:
            self._graphs = (asked, *state)
            seen = (visible, stamp or stamps)
            if self._seen is not None and self._seen != seen:
                self.writes += 1
            self._seen = seen
        return state

    def forget(self) -> None:
        """Drop the cached state: the next question asks the engine (after a write)."""
        with self._lock:
            self._graphs = None
            self._trusted_until = 0.0

    def list_graphs(self) -> list[str]:
        """Every graph the engine names, catalog and stamps included, without its own."""
        if self.flavour == "oxigraph":
            query = "SELECT ?g WHERE { GRAPH ?g {} }"  # the graph table, without a scan
        elif self.flavour == "virtuoso":
            # Not DISTINCT: Virtuoso answers that with a procedure whose plan, made while the
            # database was empty (a first load), then scans every quad: 77 s at 1M triples.
            query = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        else:
            query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        rows = self._select(query)
        names = {str(row[0].value) for row in rows if isinstance(row[0], NamedNode)}
        if self.flavour == "virtuoso":
            names = {n for n in names if not n.startswith(_VIRTUOSO_SYSTEM)}
        return sorted(names)

    def _catalog(self) -> tuple[set[str], str | None]:
        """The graphs being loaded, and the data stamp."""
        query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?s ?p ?o }} }}"
        loading: set[str] = set()
        stamp = None
        for subject, predicate, value in self._select(query):
            if predicate.value == LOAD_STATE:
                loading.add(str(subject.value))
            elif predicate.value == DATA_STAMP and subject.value == CATALOG_GRAPH:
                stamp = str(value.value)
        return loading, stamp
