"""For harvesters: a VoID + DCAT description and full dumps.

VoID: https://www.w3.org/TR/void/ (served at ``/.well-known/void``, §7.2); DCAT 3:
https://www.w3.org/TR/vocab-dcat-3/ ; checksums with SPDX as DCAT 3 recommends.

The dumps hold exactly what a query over the default graph sees (the distinct triples of the
union graph), so ``void:triples`` and a downloaded dump agree with ``sdgkg stats``. They are
rebuilt in the background as soon as the data change (server start, a load, an update through
``/update``), each version in a folder of its own beside the store; the last complete version is
served until the next is ready, then its folder is removed. VoID's counts are built apart from
them, in seconds, so VoID never waits for a dump.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, RdfFormat, Triple

from sdgkg.config import Settings
from sdgkg.errors import NotFound, NotReadyYet
from sdgkg.execution.background import SLOW_LANE, BuiltInBackground, derived_value, served
from sdgkg.execution.deps import PublicRootDep, ServiceState, StateDep
from sdgkg.execution.kept import kept_value
from sdgkg.protocol.conditional import STALE, file_is_current, honour_if_range, http_date
from sdgkg.protocol.conneg import ResultKind, negotiate
from sdgkg.publishing.documents import render_rdf
from sdgkg.scratch_folder import own_folder
from sdgkg.store.base import GraphStore, StoreStats, store_stats, union_triples_count
from sdgkg.vocab import (
    DCAT,
    DCTERMS,
    FOAF,
    LICENSE,
    RDF_TYPE,
    SKOS,
    SPDX,
    VOID,
    XSD,
    prefixes_for,
)
from sdgkg.web.i18n import choose_language
from sdgkg.web.layout import context_for
from sdgkg.web.service_pages import render_dumps_page, render_turtle_page

router = APIRouter(tags=["harvesting"])

UN_SDG = "http://metadata.un.org/sdg/"
WIKIDATA = "http://www.wikidata.org/entity/"
_IANA = "https://www.iana.org/assignments/media-types/"
RETIRED_DUMPS_KEPT_S = 10.0  # an older version's dumps stay this long after a newer one is served
_DOCUMENTS_KEPT = 32  # VoID documents kept: a few addresses x representations x languages


@dataclass(frozen=True)
class DumpFormat:
    name: str
    fmt: RdfFormat
    media_type: str


DUMP_FORMATS = (
    DumpFormat("sdgkg.nt.gz", RdfFormat.N_TRIPLES, "application/n-triples"),
    DumpFormat("sdgkg.ttl.gz", RdfFormat.TURTLE, "text/turtle"),
)


@dataclass(frozen=True)
class DumpFile:
    name: str
    path: Path
    media_type: str  # of the content; the file itself is application/gzip
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Statistics:
    """What VoID counts about one version of the data: a few COUNT queries, seconds at 1M."""

    version: int
    modified: datetime
    stats: StoreStats
    linksets: dict[str, int]  # target namespace -> links


@dataclass(frozen=True)
class Dumps:
    """The dump files of one version of the data: minutes at 1M, so built on their own."""

    version: int
    modified: datetime
    triples: int
    files: list[DumpFile]
    folder: Path  # this version's own, removed once a newer version's dumps replace it


class HarvestCache:
    """VoID's counts and the dumps, per data version, each built in the background and the last
    complete one served meanwhile. The counts do not wait for the dumps (issue 18): after start-up
    or a load, VoID is ready in seconds and lists the dumps once they are written."""

    def __init__(
        self,
        folder: Path,
        store: GraphStore,
        *,
        exclusive: bool = False,
        first_wait_s: float | None = None,
    ) -> None:
        """``exclusive``: only this process writes ``folder`` (beside an embedded store), so the
        folders of versions a stopped process left behind can go, but for the one kept beside
        the store (``execution/kept.py``): a restart serves it, with the same SHA-256 ETags."""
        self.folder = folder
        self._store = store
        self._modified = datetime.now(UTC)
        self._version = 0
        self._first_wait_s = first_wait_s
        self.statistics = derived_value(
            self._count, name="VoID statistics", store=store, first_wait_s=first_wait_s
        )
        self.dumps = derived_value(
            self._write_dumps,
            name="dumps",
            store=store,
            first_wait_s=first_wait_s,
            retire=_remove,
            lane=SLOW_LANE,
            usable=_files_intact,
        )
        # VoID documents as sent, per counts, dumps, address and representation: a harvester's
        # request costs a look-up, not rendering a few hundred triples again.
        self._documents: dict[tuple[object, ...], bytes] = {}
        if exclusive:
            kept = kept_value(store, "dumps", _files_intact)
            read_back = kept.load() if kept is not None else None
            keep = read_back.value.folder if read_back is not None else None
            for stale in folder.glob("v*-*"):
                if stale != keep:
                    shutil.rmtree(stale, ignore_errors=True)

    def derived_values(self) -> list[BuiltInBackground[Any]]:
        """What this cache derives from the data: the counts, then the dumps."""
        return [self.statistics, self.dumps]

    def refresh(self, state: ServiceState) -> None:
        """Start building what describes ``state``'s data version unless it is built."""
        self._version, self._modified = state.data_version, state.modified
        self.statistics.refresh(self._version)
        self.dumps.refresh(self._version)

    def counted(self, state: ServiceState, scope: MutableMapping[str, Any]) -> Statistics | None:
        """VoID's counts; None (and the answer marked stale) while the first are counted: VoID
        then answers at once without them (issue 18)."""
        self._notice(state)
        try:
            return served(self.statistics, scope, self._version)
        except NotReadyYet:
            scope[STALE] = True
            return None

    def written(self, state: ServiceState, scope: MutableMapping[str, Any]) -> Dumps:
        """The latest dumps; waits only when none have been written since start-up."""
        self._notice(state)
        return served(self.dumps, scope, self._version)

    def written_if_any(self, state: ServiceState, scope: MutableMapping[str, Any]) -> Dumps | None:
        """The latest dumps, or None while the first are still being written: never waits."""
        self._notice(state)
        dumps = self.dumps.latest(self._version)
        if dumps is not None and self.dumps.version != self._version:
            scope[STALE] = True
        return dumps

    def document(self, key: tuple[object, ...], render: Callable[[], bytes]) -> bytes:
        """The VoID document ``key`` names, rendered once (``key`` holds the versions of the
        counts and dumps it shows, so a new version is a new key; old ones are dropped)."""
        body = self._documents.get(key)
        if body is None:
            if len(self._documents) >= _DOCUMENTS_KEPT:
                self._documents.clear()
            body = self._documents[key] = render()
        return body

    def _notice(self, state: ServiceState) -> None:
        # Over a remote engine, asking for the graphs is what notices a load by another process
        # (a changed data stamp moves data_version on); the embedded store answers from memory.
        state.store.graph_names()
        self._version, self._modified = state.data_version, state.modified

    def _count(self) -> Statistics:
        version, modified, store = self._version, self._modified, self._store
        linksets = {
            UN_SDG: _count_links(store, SKOS("exactMatch").value, UN_SDG),
            WIKIDATA: _count_links(store, "https://schema.org/sameAs", WIKIDATA),
        }
        return Statistics(version, modified, store_stats(store), linksets)

    def _write_dumps(self) -> Dumps:
        version, modified, store = self._version, self._modified, self._store
        self.folder.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=self.folder, prefix=f"v{version}-"))
        try:
            triples = union_triples_count(store)
            files = [write_dump(store, folder, dump) for dump in DUMP_FORMATS]
            return Dumps(version, modified, triples, files, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise


def _files_intact(dumps: Dumps) -> bool:
    """Whether dumps read back from disk still have every file, at its size."""
    return all(f.path.is_file() and f.path.stat().st_size == f.bytes for f in dumps.files)


def _remove(dumps: Dumps) -> None:
    """An older version's dumps, once ``RETIRED_DUMPS_KEPT_S`` have passed. A download under way
    keeps reading its open file; the grace is for a request that chose the old version and has
    not opened its file yet (Starlette's FileResponse opens it by path when it sends): removed
    at once, that request found no file and answered 500."""
    timer = threading.Timer(
        RETIRED_DUMPS_KEPT_S, shutil.rmtree, args=(dumps.folder,), kwargs={"ignore_errors": True}
    )
    timer.daemon = True  # a restart's clean-up removes what a stop leaves (``HarvestCache``)
    timer.start()


def dumps_folder(settings: Settings) -> Path:
    """Beside an embedded store (``.sdgkg/store`` → ``.sdgkg/store-dumps``), else this process's
    own folder under a temporary one that other servers share (``scratch_folder.py``)."""
    if settings.store_is_remote:
        return own_folder(Path(tempfile.gettempdir()) / "sdgkg-dumps")
    path = settings.store_path
    return path.parent / f"{path.name}-dumps"


def write_dump(store: GraphStore, folder: Path, dump: DumpFormat) -> DumpFile:
    """Write one gzip dump atomically and return its size and checksum."""
    target = folder / dump.name
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{dump.name}.")
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as out,
        ):
            store.dump(out, dump.fmt)  # type: ignore[arg-type]
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return DumpFile(dump.name, target, dump.media_type, target.stat().st_size, _sha256(target))


def void_description(
    root: str, settings: Settings, counted: Statistics | None, dumps: Dumps | None
) -> list[Triple]:
    """The VoID + DCAT triples of the dataset served at ``root``; the counts once counted and
    the dumps once written."""
    document = NamedNode(root + ".well-known/void")
    dataset = NamedNode(root + ".well-known/void#dataset")
    endpoint = NamedNode(root + "sparql")
    publisher = BlankNode()
    t = [
        Triple(document, RDF_TYPE, VOID("DatasetDescription")),
        Triple(document, DCTERMS("title"), Literal("VoID description of sdgkg", language="en")),
        Triple(document, FOAF("primaryTopic"), dataset),
        Triple(dataset, RDF_TYPE, VOID("Dataset")),
        Triple(dataset, RDF_TYPE, DCAT("Dataset")),
        Triple(
            dataset,
            DCTERMS("title"),
            Literal("sdgkg: Danish sustainability partnerships", language="en"),
        ),
        Triple(
            dataset,
            DCTERMS("title"),
            Literal("sdgkg: danske partnerskaber for bæredygtighed", language="da"),
        ),
        Triple(
            dataset,
            DCTERMS("description"),
            Literal(
                "A knowledge graph of Danish sustainability partnerships: partners, memberships, "
                "initiatives, the SDG goals and targets they address, and the sources of every "
                "curated statement.",
                language="en",
            ),
        ),
        Triple(dataset, DCTERMS("license"), NamedNode(LICENSE)),
        Triple(dataset, DCTERMS("publisher"), publisher),
        Triple(publisher, RDF_TYPE, FOAF("Organization")),
        Triple(publisher, FOAF("name"), Literal("sdgkg contributors")),
        Triple(dataset, VOID("sparqlEndpoint"), endpoint),
        Triple(dataset, VOID("uriSpace"), Literal(settings.base_iri + "id/")),
        Triple(dataset, DCAT("landingPage"), NamedNode(root + "sparql")),
    ]
    t += _distributions(dataset, root, dumps.files if dumps else [], endpoint)
    if counted is not None:
        t += _counts(dataset, root, counted, settings.base_iri)
    return t


def _counts(dataset: NamedNode, root: str, counted: Statistics, base_iri: str) -> list[Triple]:
    return [
        Triple(dataset, DCTERMS("modified"), _datetime(counted.modified)),
        Triple(dataset, VOID("triples"), _integer(counted.stats.triples)),
        Triple(dataset, VOID("classes"), _integer(len(counted.stats.classes))),
        Triple(dataset, VOID("properties"), _integer(len(counted.stats.properties))),
        *_vocabularies(dataset, counted.stats, base_iri),
        *_partitions(dataset, counted.stats),
        *_linksets(dataset, root, counted.linksets),
    ]


@router.get(
    "/.well-known/void",
    summary="VoID + DCAT description: counts, partitions, linksets, dumps, endpoint",
    response_class=Response,
)
def void(request: Request, state: StateDep, root: PublicRootDep) -> Response:
    representation = negotiate(
        ResultKind.PAGE, request.headers.get("accept"), request.query_params.get("format")
    )
    cache = _cache(request)
    counted = cache.counted(state, request.scope)
    dumps = cache.written_if_any(state, request.scope)
    # A page is in the reader's language and links its own address's query.
    lang = choose_language(request) if representation.is_html else None
    page_query = request.url.query if representation.is_html else None

    def render() -> bytes:
        triples = void_description(root, state.settings, counted, dumps)
        prefixes = prefixes_for(state.settings.base_iri)
        if representation.is_html:
            turtle = render_rdf(triples, negotiate(ResultKind.PAGE, "text/turtle"), prefixes, "")
            context = context_for(request, lang or "en")
            return render_turtle_page(context, "VoID", turtle.decode()).encode()
        return render_rdf(triples, representation, prefixes, root + "context.jsonld")

    key = (
        counted and counted.version,
        counted and counted.modified,
        dumps and dumps.folder,
        root,
        representation,
        lang,
        page_query,
    )
    body = cache.document(key, render)
    return Response(body, media_type=representation.content_type, headers={"Vary": "Accept"})


@router.get("/dumps/", summary="The full dumps, with size, triple count and SHA-256")
def list_dumps(request: Request, state: StateDep, root: PublicRootDep) -> Response:
    dumps = _cache(request).written(state, request.scope)
    items = [_dump_entry(root, d, dumps) for d in dumps.files]
    accept = request.headers.get("accept", "")
    if "text/html" in accept:
        page = render_dumps_page(context_for(request, choose_language(request)), items)
        return Response(page, media_type="text/html; charset=utf-8")
    return JSONResponse({"dumps": items}, headers={"Vary": "Accept"})


@router.get(
    "/dumps/{name}",
    summary="One gzip dump (application/gzip)",
    response_class=FileResponse,
)
def get_dump(name: str, request: Request, state: StateDep) -> Response:
    """A dump is static and byte-identical until the data change: its ETag is its SHA-256, a
    strong validator, so If-Range resumes a download (``protocol/conditional.py``)."""
    snapshot = _cache(request).written(state, request.scope)
    for dump in snapshot.files:
        if dump.name == name:
            validators = {"ETag": f'"{dump.sha256}"', "Last-Modified": http_date(snapshot.modified)}
            if file_is_current(request.scope, validators["ETag"], snapshot.modified):
                return Response(status_code=304, headers=validators)
            honour_if_range(request.scope, validators["ETag"], snapshot.modified)
            return FileResponse(
                dump.path,
                media_type="application/gzip",
                filename=dump.name,
                headers={"X-Checksum-SHA256": dump.sha256, **validators},
            )
    raise NotFound(f"there is no dump named {name!r}; see /dumps/")


def _cache(request: Request) -> HarvestCache:
    cache: HarvestCache = request.app.state.harvest
    return cache


def _dump_entry(root: str, dump: DumpFile, dumps: Dumps) -> dict[str, Any]:
    return {
        "name": dump.name,
        "url": f"{root}dumps/{dump.name}",
        "media_type": dump.media_type,
        "compression": "application/gzip",
        "bytes": dump.bytes,
        "sha256": dump.sha256,
        "triples": dumps.triples,
        "modified": dumps.modified.isoformat(),
    }


def _vocabularies(dataset: NamedNode, stats: StoreStats, base_iri: str) -> list[Triple]:
    namespaces = {_namespace(iri) for iri in [*stats.classes, *stats.properties]}
    namespaces.discard(None)
    return [
        Triple(dataset, VOID("vocabulary"), NamedNode(ns))
        for ns in sorted(n for n in namespaces if n and not n.startswith(base_iri + "id/"))
    ]


def _partitions(dataset: NamedNode, stats: StoreStats) -> list[Triple]:
    triples: list[Triple] = []
    for cls, count in stats.classes.items():
        node = BlankNode()
        triples += [
            Triple(dataset, VOID("classPartition"), node),
            Triple(node, VOID("class"), NamedNode(cls)),
            Triple(node, VOID("entities"), _integer(count)),
        ]
    for prop, count in stats.properties.items():
        node = BlankNode()
        triples += [
            Triple(dataset, VOID("propertyPartition"), node),
            Triple(node, VOID("property"), NamedNode(prop)),
            Triple(node, VOID("triples"), _integer(count)),
        ]
    return triples


def _distributions(
    dataset: NamedNode, root: str, dumps: list[DumpFile], endpoint: NamedNode
) -> list[Triple]:
    triples: list[Triple] = []
    for dump in dumps:
        url = NamedNode(f"{root}dumps/{dump.name}")
        distribution = BlankNode()
        checksum = BlankNode()
        triples += [
            Triple(dataset, VOID("dataDump"), url),
            Triple(dataset, DCAT("distribution"), distribution),
            Triple(distribution, RDF_TYPE, DCAT("Distribution")),
            Triple(distribution, DCAT("downloadURL"), url),
            Triple(distribution, DCAT("accessURL"), url),
            Triple(distribution, DCAT("mediaType"), NamedNode(_IANA + dump.media_type)),
            Triple(distribution, DCAT("compressFormat"), NamedNode(_IANA + "application/gzip")),
            Triple(
                distribution,
                DCAT("byteSize"),
                Literal(str(dump.bytes), datatype=XSD("nonNegativeInteger")),
            ),
            Triple(distribution, DCTERMS("license"), NamedNode(LICENSE)),
            Triple(distribution, SPDX("checksum"), checksum),
            Triple(checksum, RDF_TYPE, SPDX("Checksum")),
            Triple(checksum, SPDX("algorithm"), SPDX("checksumAlgorithm_sha256")),
            Triple(
                checksum, SPDX("checksumValue"), Literal(dump.sha256, datatype=XSD("hexBinary"))
            ),
        ]
    service = BlankNode()
    access = BlankNode()
    triples += [
        Triple(dataset, DCAT("distribution"), access),
        Triple(access, RDF_TYPE, DCAT("Distribution")),
        Triple(access, DCAT("accessURL"), endpoint),
        Triple(access, DCAT("accessService"), service),
        Triple(service, RDF_TYPE, DCAT("DataService")),
        Triple(service, DCAT("endpointURL"), endpoint),
        Triple(service, DCAT("endpointDescription"), endpoint),
        Triple(service, DCAT("servesDataset"), dataset),
        Triple(
            service, DCTERMS("conformsTo"), NamedNode("https://www.w3.org/TR/sparql11-protocol/")
        ),
    ]
    return triples


def _linksets(dataset: NamedNode, root: str, linksets: dict[str, int]) -> list[Triple]:
    names = {
        UN_SDG: ("un-sdg", SKOS("exactMatch")),
        WIKIDATA: ("wikidata", NamedNode("https://schema.org/sameAs")),
    }
    triples: list[Triple] = []
    for target, count in linksets.items():
        name, predicate = names[target]
        linkset = NamedNode(f"{root}.well-known/void#links-{name}")
        target_node = NamedNode(target)
        triples += [
            Triple(dataset, VOID("subset"), linkset),
            Triple(linkset, RDF_TYPE, VOID("Linkset")),
            Triple(linkset, VOID("subjectsTarget"), dataset),
            Triple(linkset, VOID("objectsTarget"), target_node),
            Triple(target_node, RDF_TYPE, VOID("Dataset")),
            Triple(target_node, VOID("uriSpace"), Literal(target)),
            Triple(linkset, VOID("linkPredicate"), predicate),
            Triple(linkset, VOID("triples"), _integer(count)),
        ]
    return triples


def _count_links(store: GraphStore, predicate: str, namespace: str) -> int:
    result = store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o "
        f'FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{namespace}")) }}'
    )
    if isinstance(result, QuerySolutions):
        for row in result:
            count = row[0]
            return int(count.value) if isinstance(count, Literal) else 0
    return 0


def _namespace(iri: str) -> str | None:
    for separator in ("#", "/"):
        head, found, _ = iri.rpartition(separator)
        if found and head and not head.endswith(":/"):
            return head + separator
    return None


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD("integer"))


def _datetime(value: datetime) -> Literal:
    return Literal(value.isoformat(timespec="seconds"), datatype=XSD("dateTime"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
