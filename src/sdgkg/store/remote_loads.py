"""Loads and updates on a remote engine, atomic for every reader that goes through sdgkg.

Triples are uploaded into graphs that are marked as loading in the catalog graph and hidden from
every query (``store/graph_catalogue.py``), and after the checks pass one update makes them
visible. A graph that does not exist yet is uploaded into directly (as the embedded store does);
one that is replaced gets a staging graph (``urn:x-sdgkg:staging:…``) that the update moves over
it (MOVE copies every triple, so replacing a big graph costs a second pass). A failure drops what
was uploaded, so the engine's data is as it was. Every write also replaces the data stamp, by
which other sdgkg processes notice it.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO

from pyoxigraph import BlankNode, RdfFormat, Triple, parse, serialize

from sdgkg.errors import GraphExists, SdgkgError
from sdgkg.rdfio import ProgressCallback, ProgressReader, syntax_error
from sdgkg.store.base import CATALOG_GRAPH, DATA_STAMP, LOAD_STATE
from sdgkg.store.graph_catalogue import STAMP_GRAPH, GraphCatalogue, Select
from sdgkg.store.sparql_client import WriteClient

log = logging.getLogger(__name__)

CHUNK_BYTES = 12 * 1024 * 1024  # N-Triples per upload request: about 100 000 triples
BULK_CHUNK_BYTES = 64 * 1024 * 1024  # the same into Oxigraph's bulk loader, which likes big batches
_SERIALISE_BATCH = 10_000  # triples serialised at a time into a request body
_STAGING = "urn:x-sdgkg:staging:"


class RemoteLoader:
    """Writes to one engine: updates, graph replacements and bulk loads, all or nothing."""

    def __init__(
        self, flavour: str, write: WriteClient, catalogue: GraphCatalogue, select: Select
    ) -> None:
        self.flavour = flavour
        self._write = write
        self._catalogue = catalogue
        self._select = select

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        prefix = f"BASE <{base_iri}> " if base_iri else ""
        try:
            self._write.update(prefix + sparql)
            # A second request, not appended to the client's update (whose text may end in a
            # way that would swallow it): the stamp only tells other processes to look again.
            self._write.update(self._restamp())
        finally:
            self._catalogue.forget()

    def replace_graphs(self, graphs: Mapping[str, Sequence[Triple]]) -> None:
        targets: dict[str, str] = {}
        try:
            for graph in graphs:
                targets[graph] = self._claim(graph) or self._new_staging()
            sent = {graph: self._upload(targets[graph], data) for graph, data in graphs.items()}
            self._swap(targets, sent)
        except BaseException:
            self._drop_staging(targets.values())
            raise

    def bulk_load_graph(
        self,
        graph: str,
        path: Path,
        fmt: RdfFormat,
        *,
        check: Callable[[str], None],
        replace: bool,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        target = self._claim(graph)
        if target is None:
            if not replace:
                raise GraphExists(
                    f"graph <{graph}> is already loaded (or being loaded by another process); "
                    "use --replace to replace it"
                )
            target = self._new_staging()
        try:
            with path.open("rb") as raw:
                source = ProgressReader(raw, on_progress) if on_progress else raw
                quads = parse(source, format=fmt, base_iri=path.resolve().as_uri())  # type: ignore[arg-type]
                sent = self._upload(target, (quad.triple for quad in quads), bulk=True)
            self._catalogue.forget()
            check(target)
            self._swap({graph: target}, {graph: sent})
        except SyntaxError as error:
            self._drop_staging([target])
            raise syntax_error(error, path) from None
        except BaseException:
            self._drop_staging([target])
            raise

    def _claim(self, graph: str) -> str | None:
        """Mark a graph that does not exist yet as loading, so that its triples are uploaded into
        it directly: hidden from every sdgkg until the swap, as a staging graph is, and no MOVE
        (which copies every triple: 150 s for 1M on Oxigraph server) is needed. None if the graph
        holds triples or another load has marked it; two loads that mark it at once both back off.
        """
        # Not one conditional INSERT … WHERE { FILTER NOT EXISTS … }: Virtuoso inserts anyway.
        if self._select(f"SELECT ?p WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1"):
            return None
        mark = f'<{graph}> <{LOAD_STATE}> "loading {uuid.uuid4().hex}" .'
        self._write.update(f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {mark} }} }}")
        states = f"SELECT ?s WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{LOAD_STATE}> ?s }} }}"
        marks = {f'<{graph}> <{LOAD_STATE}> "{row[0].value}" .' for row in self._select(states)}
        if marks == {mark}:
            self._catalogue.pending.add(graph)
            self._catalogue.forget()
            return graph
        self._write.update(f"DELETE DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {mark} }} }}")
        return None

    def _new_staging(self) -> str:
        """A fresh staging graph, marked as loading in the engine so every sdgkg hides it."""
        staging = f"{_STAGING}{uuid.uuid4().hex}"
        self._catalogue.pending.add(staging)
        self._write.update(f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {_marker(staging)} }} }}")
        self._catalogue.forget()
        return staging

    def _upload(self, graph: str, triples: Iterable[Triple], *, bulk: bool = False) -> bool:
        """Send triples in chunks, one request on the wire while the next chunk is serialised;
        triples with blank nodes go together in the last request. True if any triple was sent.

        ``bulk``: Oxigraph server writes each chunk with its bulk loader, outside a transaction
        (``no_transaction``): the graph is hidden until the swap and dropped on failure anyway.
        """
        bulk = bulk and self.flavour == "oxigraph"
        limit = BULK_CHUNK_BYTES if bulk else CHUNK_BYTES
        sent = False
        with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as held:
            with ThreadPoolExecutor(max_workers=1) as sender:
                in_flight: Future[None] | None = None
                for body in _chunks(triples, held, limit):
                    if in_flight is not None:
                        in_flight.result()  # at most one request on the wire while parsing on
                    in_flight = sender.submit(self._write.post_triples, graph, body, bulk=bulk)
                    sent = True
                if in_flight is not None:
                    in_flight.result()
            if held.tell():
                held.seek(0)
                # Bytes, not a stream: digest auth sends the body twice (challenge, then answer).
                self._write.post_triples(graph, held.read(), bulk=bulk)
                sent = True
        return sent

    def _swap(self, targets: Mapping[str, str], sent: Mapping[str, bool]) -> None:
        """One update: every target graph is replaced and every mark removed, or none is.

        A graph uploaded into directly (``_claim``) only loses its mark; a staging graph is moved
        over its target, whose marks (a load that never finished) go too. An empty upload leaves
        no graph to move (Oxigraph refuses to MOVE a missing graph): the target is just dropped.
        """
        steps = []
        for graph, source in targets.items():
            if source != graph:
                steps.append(f"DROP SILENT GRAPH <{graph}>")
                if sent.get(graph):
                    steps.append(f"MOVE <{source}> TO <{graph}>")
                steps.append(_unmark(graph))
            steps.append(_unmark(source))
        steps.append(self._restamp())
        try:
            self._write.update(" ;\n".join(steps))
        finally:
            self._catalogue.pending.difference_update(targets.values())
            self._catalogue.forget()

    def _restamp(self) -> str:
        """The update that gives the data a new stamp (see the module doc)."""
        new = uuid.uuid4().hex
        if self.flavour == "oxigraph":
            # Two writers at once may leave two stamps: harmless, the next write drops both.
            old = [g for g in self._catalogue.list_graphs() if g.startswith(STAMP_GRAPH)]
            drops = [f"DROP SILENT GRAPH <{g}> ;\n" for g in old]
            return "".join(drops) + f"CREATE SILENT GRAPH <{STAMP_GRAPH}{new}>"
        stamp = f"<{CATALOG_GRAPH}> <{DATA_STAMP}>"
        return (
            f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ {stamp} ?old }} }} ;\n"
            f'INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {stamp} "{new}" }} }}'
        )

    def _drop_staging(self, graphs: Iterable[str]) -> None:
        """Drop staging graphs (or graphs this load claimed) and their marks."""
        names = list(graphs)
        if not names:
            return
        steps = [f"DROP SILENT GRAPH <{g}>" for g in names] + [_unmark(g) for g in names]
        try:
            self._write.update(" ;\n".join(steps))
        except SdgkgError:
            log.exception("could not drop the staging graphs %s; sdgkg keeps hiding them", names)
        finally:
            self._catalogue.pending.difference_update(names)
            self._catalogue.forget()


# -- helpers --------------------------------------------------------------------------------------
def _chunks(triples: Iterable[Triple], held: IO[bytes], limit: int) -> Iterator[bytes]:
    """N-Triples bodies of about ``limit`` bytes of the blank-node-free triples; the others are
    written to ``held`` (a blank node's triples must all go in one request)."""
    body = bytearray()
    batch: list[Triple] = []
    blank: list[Triple] = []
    for triple in triples:
        if isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode):
            blank.append(triple)
            if len(blank) >= _SERIALISE_BATCH:
                held.write(serialize(blank, format=RdfFormat.N_TRIPLES) or b"")
                blank = []
            continue
        batch.append(triple)
        if len(batch) >= _SERIALISE_BATCH:
            body += serialize(batch, format=RdfFormat.N_TRIPLES) or b""
            batch = []
            if len(body) >= limit:
                yield bytes(body)
                body = bytearray()
    if blank:
        held.write(serialize(blank, format=RdfFormat.N_TRIPLES) or b"")
    if batch:
        body += serialize(batch, format=RdfFormat.N_TRIPLES) or b""
    if body:
        yield bytes(body)


def _marker(graph: str) -> str:
    return f'<{graph}> <{LOAD_STATE}> "loading" .'


def _unmark(graph: str) -> str:
    """The update that removes every load mark of a graph (this load's, or a stale one)."""
    return f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{LOAD_STATE}> ?state }} }}"
