"""GraphStore over an on-disk pyoxigraph Store.

Small loads go through one RocksDB transaction. Big files go through ``bulk_load``, which is not
transactional, so they are written under a durable "loading" marker: queries leave the graph out
until its checks pass, and a store reopened after a crash removes any graph still marked.
Replacing a graph that is a large share of the store rebuilds the store beside the live one and
swaps it in instead (``_rebuild_is_cheaper``, store_swap.py): deleting a graph costs more than
loading it.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

from sdgkg.errors import GraphExists, StoreClosed, StoreError, StoreLocked
from sdgkg.rdfio import ProgressCallback, ProgressReader, syntax_error
from sdgkg.store import _oxigraph_cli, store_swap
from sdgkg.store.base import (
    CATALOG_GRAPH,
    LOAD_STATE,
    GraphCheck,
    QueryResult,
    update_conflict,
)
from sdgkg.store.replace_update import graphs_replaced_by
from sdgkg.store.stamp import DataStamp

log = logging.getLogger(__name__)

_CATALOG = NamedNode(CATALOG_GRAPH)
_LOAD_STATE = NamedNode(LOAD_STATE)
_LOADING = Literal("loading")
_QUAD_FORMATS = (RdfFormat.N_QUADS, RdfFormat.TRIG)
FLUSH_EVERY_S = 2.0


class EmbeddedStore:
    """The default store: one directory, one writer process, queries over the union graph."""

    names_changed_graphs = True  # every write goes through this process (changed_graphs_since)

    def __init__(
        self,
        path: Path | None,
        *,
        read_only: bool = False,
        exclusive: bool = False,
        stamped: bool = True,
    ) -> None:
        """Open the store at ``path``; ``None`` gives a temporary in-memory store.

        ``exclusive`` promises that nothing else in this process uses the store (the CLI), so a
        bulk load may hand it to the ``oxigraph load`` command for a moment. A server must not.
        ``stamped=False`` leaves the data stamp alone: a store being rebuilt beside the live one
        (``_replace_by_rebuild``) has none of its own; it takes the live one's when swapped in.
        """
        self.path = path
        self.description = (
            f"embedded Oxigraph store at {path}" if path else "in-memory Oxigraph store"
        )
        self._pending: set[str] = set()  # graphs being bulk-loaded by this process
        # Moves on before and after every write: what caches answers keys on it
        # (execution/state.py).
        self.writes = 0
        self._write_numbers = itertools.count(1)
        self._changes = _ChangedGraphs()
        self._read_only = read_only
        self._exclusive = exclusive
        self._flushed_at = time.monotonic()
        # One write at a time: a replace that rebuilds the store must not lose a write made
        # meanwhile (``_replace_by_rebuild``).
        self._write_lock = threading.RLock()
        if path is not None and not read_only:
            store_swap.restore_missing(path)
        self._store = _open(path, read_only=read_only)
        # The data stamp derived values are kept under (store/stamp.py); a writable store only.
        self.stamp = (
            DataStamp(path, self.flush) if stamped and not read_only and path is not None else None
        )
        if not read_only:
            self._recover_interrupted_loads()
            if path is not None:
                store_swap.clean_leftovers(path)
        elif path is not None and self._has_interrupted_loads():
            self._recover_then_reopen(path)

    if not TYPE_CHECKING:  # hidden from mypy, which would take any attribute as valid

        def __getattr__(self, name: str) -> Any:
            """Only for a missing attribute: the handle, once the store is closed. Work still
            running then (a background build when the server stops) gets a StoreClosed to stop
            on, rather than an AttributeError."""
            if name == "_store":
                raise StoreClosed("the store is closed", where=str(self.path or "memory"))
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def oxigraph(self) -> Store:
        """The underlying pyoxigraph Store, for code that must stay in Rust (serving, dumps).
        Writes through it bypass the data stamp (store/stamp.py): write through the methods."""
        return self._store

    def checkpoint(self, target: Path) -> None:
        """A RocksDB checkpoint of the store in the new directory ``target`` (hard links where
        it can): taken between writes, so that a replace which rebuilds the store and swaps its
        directory (``_replace_by_rebuild``) never runs under it; the checkpoint holds the data
        before the replace or after it, whole."""
        with self._write_lock:
            self._store.backup(str(target))

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
        options: dict[str, object] = {}
        hide_pending = bool(self._pending) and not include_pending
        if base_iri is not None:
            options["base_iri"] = base_iri
        if default_graphs is not None:
            options["default_graph"] = [NamedNode(g) for g in default_graphs]
        elif hide_pending:
            options["default_graph"] = [NamedNode(g) for g in self.graph_names()]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [NamedNode(g) for g in named_graphs]
        elif hide_pending:
            options["named_graphs"] = [NamedNode(g) for g in self.graph_names()]
        if substitutions:
            options["substitutions"] = {Variable(k): v for k, v in substitutions.items()}
        return self._store.query(sparql, **options)  # type: ignore[arg-type]

    @contextmanager
    def _writing(self, graphs: Iterable[str] | None = None) -> Iterator[None]:
        """One write at a time (a replace that rebuilds the store must not lose a write made
        meanwhile); ``writes`` moves on around it, the data stamp is dirty during it, and once it
        succeeds the named graphs it changed are noted (``None``: any graph, as an arbitrary
        SPARQL update may)."""
        with self._write_lock:
            self.writes = next(self._write_numbers)
            if self.stamp is not None:
                self.stamp.begin_write()  # dirty on disk before the data change (store/stamp.py)
            succeeded = False
            try:
                yield
                succeeded = True
            finally:
                number = next(self._write_numbers)
                if succeeded:  # noted first: whoever sees the new ``writes`` can ask what changed
                    self._changes.note(number, graphs)
                self.writes = number
                flushed = self._flush_now_and_then()
                if self.stamp is not None:
                    self.stamp.end_write(flushed=flushed)

    def changed_graphs_since(self, mark: int) -> set[str] | None:
        """The named graphs that writes finished after ``writes`` was ``mark`` changed, or None
        when that is not known (an arbitrary update, or too long ago): then rebuild everything.
        A write that failed changed nothing and is not named."""
        return self._changes.since(mark)

    def _flush_now_and_then(self) -> bool:
        """Write the log of recent writes into the store's files, at most every FLUSH_EVERY_S.

        A read-only handle (a CLI read beside `sdgkg serve`) replays the unflushed log when it
        opens: after 150k triples written in 1,500 updates, opening took 21-27 s without a flush
        and 0.45 s with one after each update (which made updates 5x slower; hence the interval).
        """
        now = time.monotonic()
        reopened = "_store" in vars(self)  # a failed bulk load may have left it closed
        if self.path is not None and reopened and now - self._flushed_at >= FLUSH_EVERY_S:
            self._store.flush()
            self._flushed_at = now
            return True
        return False

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        # The graphs a load beside the server replaces are named; any other update may change any.
        with self._writing(graphs=graphs_replaced_by(sparql)):
            try:
                self._store.update(sparql, base_iri=base_iri)
            except RuntimeError as error:  # pyoxigraph's evaluation errors
                conflict = update_conflict(str(error))
                if conflict is None:
                    raise
                raise conflict from None

    def graph_names(self) -> list[str]:
        hidden = {CATALOG_GRAPH, *self._pending}
        names = (g.value for g in self._store.named_graphs() if isinstance(g, NamedNode))
        return sorted(name for name in names if name not in hidden)

    def contains_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(NamedNode(graph))

    def replace_graphs(self, graphs: Mapping[str, Sequence[Triple]]) -> None:
        with self._writing(graphs=list(graphs)):
            existing = [g for g in graphs if self.contains_graph(g)]
            if not existing:
                self._store.extend(_quads(graphs))
                return
            # One SPARQL update is one transaction: old graphs go and new ones come together.
            drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in existing)
            inserts = "".join(
                f"GRAPH <{g}> {{\n{_ntriples(triples)}}}\n" for g, triples in graphs.items()
            )
            self._store.update(f"{drops}INSERT DATA {{\n{inserts}}}")

    def bulk_load_graph(
        self,
        graph: str,
        path: Path,
        fmt: RdfFormat,
        *,
        check: GraphCheck,
        replace: bool,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        with self._writing(graphs=[graph]):
            exists = self.contains_graph(graph)
            if exists and not replace:
                raise GraphExists(f"graph <{graph}> is already loaded; use --replace to replace it")
            if exists and self._rebuild_is_cheaper(graph):
                self._replace_by_rebuild(graph, path, fmt, check, on_progress)
                return
            target = f"{graph}#staging" if exists else graph
            marker = Quad(NamedNode(target), _LOAD_STATE, _LOADING, _CATALOG)
            # First: from now on queries name their graphs, the catalog excluded.
            self._pending.add(target)
            self._store.add(marker)
            try:
                self._bulk_load(path, fmt, target, on_progress)
                check(self, target)
                if exists:
                    self._store.update(f"MOVE <{target}> TO <{graph}>")
            except SyntaxError as error:
                self._store.remove_graph(NamedNode(target))
                raise syntax_error(error, path) from None
            except BaseException:
                self._store.remove_graph(NamedNode(target))
                raise
            finally:
                self._store.remove(marker)
                self._pending.discard(target)
                self._store.flush()

    def _bulk_load(
        self, path: Path, fmt: RdfFormat, graph: str, on_progress: ProgressCallback | None
    ) -> None:
        """The fastest loader at hand: the ``oxigraph`` command for a store we own, else ours."""
        if self._exclusive and self.path is not None and _oxigraph_cli.available(fmt):
            self._store.flush()
            del self._store  # release the lock for the loader process
            try:
                _oxigraph_cli.load_graph_file(self.path, path, fmt, graph)
            finally:
                self._store = _open(self.path, read_only=False)
            if on_progress:
                on_progress(path.stat().st_size)
            return
        with path.open("rb") as raw:
            source = ProgressReader(raw, on_progress) if on_progress else raw
            # pyoxigraph reads any object with read(); its stub asks for IO[bytes]
            self._store.bulk_load(source, format=fmt, to_graph=NamedNode(graph))  # type: ignore[arg-type]

    def dump(self, out: BinaryIO, fmt: RdfFormat, *, graph: str | None = None) -> None:
        if graph is not None:
            self._store.dump(out, fmt, from_graph=NamedNode(graph))
        elif fmt in _QUAD_FORMATS:
            visible = set(self.graph_names())
            quads = (q for q in self._store if _graph_value(q) in visible)
            serialize(quads, out, fmt)
        else:
            union = self.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
            )
            if not isinstance(union, QueryTriples):
                raise TypeError("a CONSTRUCT query answered with no triples")
            union.serialize(out, fmt)

    def flush(self) -> None:
        self._store.flush()
        if self.stamp is not None:
            self.stamp.settle()

    def close(self) -> None:
        if not self._read_only:
            self.flush()
        del self._store

    # -- replace by rebuilding the store beside it (issue 18; store_swap.py) ---------------------

    def _rebuild_is_cheaper(self, graph: str) -> bool:
        """Whether replacing ``graph`` should rebuild the whole store rather than delete it.

        A transactional replace deletes the graph's old quads, about 25 s per million on the
        issue 18 machine, and MOVEs the new ones in, which deletes and writes them once more: a
        1M-triple graph took 175 s against 15 s for a fresh load. A rebuild copies every other
        graph into a new store instead (about 13 s per million: read here, bulk-written there)
        and loads the file there as fresh. So: rebuild when the other graphs hold at most
        ``REBUILD_OTHERS_PER_REPLACED`` times the replaced graph's triples; a small graph in a big
        store keeps the transactional path, whose cost follows the graph. Both counts are cheap
        (0.1-0.2 s at 1M).
        """
        if self.path is None:
            return False
        replaced = _graph_size(self._store, graph)
        others = len(self._store) - replaced
        return replaced > 0 and others <= REBUILD_OTHERS_PER_REPLACED * replaced

    def _replace_by_rebuild(
        self,
        graph: str,
        path: Path,
        fmt: RdfFormat,
        check: GraphCheck,
        on_progress: ProgressCallback | None,
    ) -> None:
        """Load ``path`` as ``graph`` into a new store with every other graph, check it there,
        then swap it in for the live one. Nothing here touches the live store before the swap,
        so a failure leaves it as it was; readers see the old store until the swap."""
        assert self.path is not None
        started = time.monotonic()
        built = store_swap.fresh_next_location(self.path)
        try:
            # The loader a fresh load would use here (``_bulk_load``): so a replace costs what a
            # fresh load costs, plus copying the other graphs.
            by_command = self._exclusive and _oxigraph_cli.available(fmt)
            if by_command:
                _oxigraph_cli.load_graph_file(built, path, fmt, graph)
                if on_progress:
                    on_progress(path.stat().st_size)
            builder = EmbeddedStore(built, stamped=False)
            try:
                if not by_command:
                    builder._bulk_load(path, fmt, graph, on_progress)
                # Quads keep their blank nodes: the other graphs come over exactly as they are.
                builder._store.bulk_extend(self._quads_except(graph))
                check(builder, graph)
            finally:
                builder.close()
        except SyntaxError as error:
            store_swap.discard_next(self.path)
            raise syntax_error(error, path) from None
        except BaseException:
            store_swap.discard_next(self.path)
            raise
        store_swap.mark_complete(built)
        swapping = time.monotonic()
        if self._exclusive:
            self._swap_closed()
        else:
            self._swap_under_readers()
        log.info(
            "replaced <%s> by rebuilding the store: built and checked in %.2f s, swapped in %.2f s",
            graph,
            swapping - started,
            time.monotonic() - swapping,
        )

    def _quads_except(self, graph: str) -> Iterator[Quad]:
        """Every quad a reader can see, in the default graph or a named graph, but ``graph``'s."""
        yield from self._store.quads_for_pattern(None, None, None, DefaultGraph())
        for name in self.graph_names():
            if name != graph:
                yield from self._store.quads_for_pattern(None, None, None, NamedNode(name))

    def _swap_closed(self) -> None:
        """The CLI owns the store: close it, swap, reopen."""
        assert self.path is not None
        self._store.flush()
        del self._store
        try:
            _wait_until_closed(self.path)  # a result still held would keep the handle open
            store_swap.swap_in(self.path)
        except BaseException:
            store_swap.discard_next(self.path)  # the replace failed: the old store stays
            raise
        finally:
            self._store = _open(self.path, read_only=False)
        store_swap.discard_old(self.path, background=False)

    def _swap_under_readers(self) -> None:
        """A server keeps answering during the swap: first from a read-only handle on the new
        store, while queries still running on the old handle finish and RocksDB closes it (it
        writes files by path, so its directory may not move before); then from a handle for
        writing on the new store in its place. A reader gets the old data or the new, whole."""
        assert self.path is not None
        self._store.flush()
        self._store = _open_read_only(store_swap.next_location(self.path))
        try:
            _wait_until_closed(self.path)
            store_swap.swap_in(self.path)
        except BaseException:
            # The replace failed: back to the old store, as it was, for reads and writes.
            self._store = _open(self.path, read_only=False)
            store_swap.discard_next(self.path)
            raise
        self._store = _open(self.path, read_only=False)
        store_swap.discard_old(self.path, background=True)

    def _has_interrupted_loads(self) -> bool:
        return any(True for _ in self._store.quads_for_pattern(None, _LOAD_STATE, None, _CATALOG))

    def _recover_then_reopen(self, path: Path) -> None:
        """A read-only handle cannot remove what a killed bulk load left, and would count it: the
        store is opened for writing once to recover, then read-only again. If a running server
        holds it, the load is the server's own and still under way: the read sees it as it is."""
        del self._store
        with suppress(StoreLocked):
            EmbeddedStore(path).close()
        self._store = _open(path, read_only=True)

    def _recover_interrupted_loads(self) -> None:
        markers = list(self._store.quads_for_pattern(None, _LOAD_STATE, None, _CATALOG))
        if markers:  # a load was killed: a write, so the data stamp moves on
            with self._writing():
                self._remove_interrupted_loads(markers)
        if self._store.contains_named_graph(_CATALOG):  # empty and hidden: no change of data
            self._store.remove_graph(_CATALOG)

    def _remove_interrupted_loads(self, markers: list[Quad]) -> None:
        for marker in markers:
            graph = marker.subject
            log.warning("removing graph %s left by an interrupted load", graph)
            if isinstance(graph, NamedNode):
                self._store.remove_graph(graph)
            self._store.remove(marker)


class _ChangedGraphs:
    """The graphs each of the last writes changed, by the write's number (issue 18: derived values
    such as the search index are updated for those graphs only)."""

    KEPT = 1000

    def __init__(self) -> None:
        self._log: deque[tuple[int, frozenset[str] | None]] = deque()
        self._forgotten = 0  # the number of the newest write no longer in the log
        self._lock = threading.Lock()

    def note(self, number: int, graphs: Iterable[str] | None) -> None:
        with self._lock:
            if len(self._log) >= self.KEPT:
                self._forgotten = self._log.popleft()[0]
            self._log.append((number, None if graphs is None else frozenset(graphs)))

    def since(self, mark: int) -> set[str] | None:
        with self._lock:
            forgotten, log = self._forgotten, list(self._log)
        if mark < forgotten:
            return None
        changed: set[str] = set()
        for number, graphs in log:
            if number > mark:
                if graphs is None:
                    return None
                changed |= graphs
        return changed


def _open(path: Path | None, *, read_only: bool) -> Store:
    if path is None:
        return Store()
    try:
        if read_only:
            if not path.is_dir():
                raise StoreError(
                    f"there is no store at {path} yet; load data with `sdgkg load`",
                    where=str(path),
                )
            # Beside a running `sdgkg serve`, a read-only handle is what a CLI read needs: it sees
            # what the server had committed when it opened (benchmarks/read_only_beside_server.py).
            return _open_read_only(path)
        path.mkdir(parents=True, exist_ok=True)
        return Store(str(path))
    except OSError as error:
        if "lock" in str(error).lower():
            raise StoreLocked(
                f"the store at {path} is in use by another process (a running `sdgkg serve`?); "
                "stop it, or load through its /update endpoint",
                where=str(path),
            ) from None
        raise StoreError(f"cannot open the store at {path}: {error}", where=str(path)) from None


READ_ONLY_OPEN_ATTEMPTS = 5


def _open_read_only(path: Path) -> Store:
    """A read-only handle, opened again when the server beside it compacted away a file that the
    manifest just read still named (seen in CI twice, 2026-12-04: ``Corruption: … .sst: No such
    file or directory``, a RuntimeError; and on 2026-12-06 as an OSError, ``IO error: No such file
    or directory: while stat a file for size``); a later open reads the new manifest. Also opened
    again when a replace swapped the directory during the open (``store_swap.py``): the handle
    might have read files of both stores."""
    for attempt in range(READ_ONLY_OPEN_ATTEMPTS):
        directory = _directory_identity(path)
        try:
            store = Store.read_only(str(path))
        except (RuntimeError, OSError) as error:
            swapped = _directory_identity(path) != directory
            if "No such file" not in str(error) and not swapped:
                raise StoreError(
                    f"cannot open the store at {path} read-only: {error}", where=str(path)
                ) from None
        else:
            if _directory_identity(path) == directory:
                return store
            del store
        time.sleep(0.05 * (attempt + 1))
    raise StoreError(
        f"the running server rewrote the store's files during {READ_ONLY_OPEN_ATTEMPTS} opens in "
        "a row; run the command again",
        where=str(path),
    )


def _directory_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


REBUILD_OTHERS_PER_REPLACED = 8
CLOSE_POLL_S = 0.05
CLOSE_WARN_EVERY_S = 30.0


def _graph_size(store: Store, graph: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    if not isinstance(result, QuerySolutions):
        raise TypeError("a SELECT query answered with no solutions")
    count = next(iter(result))[0]
    return int(count.value) if isinstance(count, Literal) else 0


def _wait_until_closed(path: Path) -> None:
    """Until nothing in this process holds the store at ``path`` open any more: RocksDB refuses a
    second open by the same process while a query result still holds the first one."""
    waited_since = last_warning = time.monotonic()
    while True:
        try:
            probe = Store(str(path))
        except OSError as error:
            if "lock" not in str(error).lower():
                raise StoreError(f"cannot reopen the store at {path}: {error}") from None
        else:
            del probe
            return
        now = time.monotonic()
        if now - last_warning >= CLOSE_WARN_EVERY_S:
            log.warning(
                "replace of %s waits %.0f s for queries on the old data to finish",
                path,
                now - waited_since,
            )
            last_warning = now
        time.sleep(CLOSE_POLL_S)


def _quads(graphs: Mapping[str, Sequence[Triple]]) -> list[Quad]:
    return [
        Quad(t.subject, t.predicate, t.object, NamedNode(g))
        for g, triples in graphs.items()
        for t in triples
    ]


def _graph_value(quad: Quad) -> str | None:
    graph = quad.graph_name
    return None if isinstance(graph, DefaultGraph) else str(graph.value)


def _ntriples(triples: Iterable[Triple]) -> str:
    return (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
