"""The GraphStore protocol: everything the rest of sdgkg may ask of a store.

Any engine that can answer SPARQL 1.1 and replace whole named graphs atomically can stand behind
it: the embedded Oxigraph store (``embedded.py``) or a remote SPARQL endpoint (``remote.py``).
Results are pyoxigraph result objects in both cases, so callers serialise them the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from pyoxigraph import QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Triple

from sdgkg.errors import UpdateConflict

QueryResult = QuerySolutions | QueryTriples | QueryBoolean

# Marks a graph whose bulk load has begun but not finished; recovery removes such graphs.
CATALOG_GRAPH = "urn:x-sdgkg:catalog"
LOAD_STATE = "urn:x-sdgkg:loadState"
# On a remote engine: changed by every write sdgkg makes, so that other sdgkg processes see it.
DATA_STAMP = "urn:x-sdgkg:dataStamp"

# How engines word an update that the data do not allow (see errors.UpdateConflict): Oxigraph
# (embedded and server) and Virtuoso; both answer HTTP 500 for it, so the wording is all there is.
_GRAPH_CONFLICT = re.compile(
    r"graph <[^>]*> (?:does not exist|already exists)"
    r"|has not been explicitly created before|SPARUL_(?:CREATE|DROP|CLEAR)\(\) failed"
)


def update_conflict(engine_message: str) -> UpdateConflict | None:
    """The conflict an engine's refusal of an update reports, if that is what it reports."""
    if _GRAPH_CONFLICT.search(engine_message) is None:
        return None
    first_line = engine_message.strip().splitlines()[0] if engine_message.strip() else ""
    return UpdateConflict(
        f"{first_line}; add SILENT (DROP SILENT GRAPH, CREATE SILENT GRAPH) to go on regardless",
        see="https://www.w3.org/TR/sparql11-update/#graphManagement",
    )


GraphCheck = Callable[["GraphStore", str], None]
"""Called with the store that holds a freshly bulk-loaded graph (a store being rebuilt beside the
live one, for a replace: ``embedded.py``) and the graph's IRI, before readers see it; raises to
undo it."""


@dataclass(frozen=True)
class GraphStats:
    graph: str
    triples: int


@dataclass(frozen=True)
class StoreStats:
    """What ``sdgkg stats`` reports and VoID publishes."""

    triples: int  # distinct triples in the union of all graphs
    graphs: list[GraphStats] = field(default_factory=list)
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> instances
    properties: dict[str, int] = field(default_factory=dict)  # property IRI -> triples


@runtime_checkable
class GraphStore(Protocol):
    """A quad store whose default graph, for queries, is the union of its named graphs."""

    description: str
    names_changed_graphs: bool  # whether changed_graphs_since can ever name the graphs

    @property
    def writes(self) -> int:
        """Moves on whenever the data may have changed: this process's writes to an embedded
        store, the changes a remote engine was seen to make. Caches and validators key on it
        (``execution/state.py``)."""
        ...

    def changed_graphs_since(self, mark: int) -> set[str] | None:
        """The named graphs changed by the writes that finished since ``writes`` was ``mark``;
        None when that is not known (then derived values, such as the search index, are rebuilt
        whole rather than for those graphs only)."""
        ...

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        substitutions: Mapping[str, object] | None = None,
        base_iri: str | None = None,
        include_pending: bool = False,
    ) -> QueryResult:
        """Evaluate a SPARQL 1.1 query; ``SyntaxError`` if it does not parse.

        ``base_iri`` resolves relative IRIs in the query (the HTTP service passes its endpoint).
        ``include_pending`` lets a bulk load's own checks see the graph it is still loading.
        """
        ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL 1.1 update atomically."""
        ...

    def graph_names(self) -> list[str]:
        """The visible named graphs, sorted."""
        ...

    def replace_graphs(self, graphs: Mapping[str, Sequence[Triple]]) -> None:
        """Set each named graph to exactly the given triples, all in one transaction."""
        ...

    def bulk_load_graph(
        self,
        graph: str,
        path: Path,
        fmt: RdfFormat,
        *,
        check: GraphCheck,
        replace: bool,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        """Stream a big file into ``graph``: visible only after ``check`` passes, else undone."""
        ...

    def dump(self, out: BinaryIO, fmt: RdfFormat, *, graph: str | None = None) -> None:
        """Write all graphs (quad formats), their union, or one graph (triple formats)."""
        ...

    def close(self) -> None: ...


def union_triples_count(store: GraphStore) -> int:
    """Distinct triples over the union graph: what a triple-format dump holds."""
    result = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    )
    return _single_int(result)


def store_stats(store: GraphStore) -> StoreStats:
    """Counts that every store can answer with plain SPARQL."""
    graphs = [
        GraphStats(str(row["g"].value), int(row["n"].value))
        for row in _solutions(
            store.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
            )
        )
    ]
    classes = _counts(
        store.query("SELECT ?k (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?k } GROUP BY ?k")
    )
    properties = _counts(store.query("SELECT ?k (COUNT(*) AS ?n) WHERE { ?s ?k ?o } GROUP BY ?k"))
    return StoreStats(union_triples_count(store), graphs, classes, properties)


def _solutions(result: QueryResult) -> QuerySolutions:
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected a SELECT result")
    return result


def _counts(result: QueryResult) -> dict[str, int]:
    counts = {str(row["k"].value): int(row["n"].value) for row in _solutions(result)}
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _single_int(result: QueryResult) -> int:
    for row in _solutions(result):
        return int(row[0].value)
    return 0


def as_iterable(result: QueryResult) -> Iterable[object]:
    """Rows or triples of a result, for callers that only iterate."""
    if isinstance(result, QueryBoolean):
        return [bool(result)]
    return result
