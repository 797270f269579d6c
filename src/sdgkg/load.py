"""Parse, validate, then commit atomically, or change nothing.

Every file goes into its own named graph, so it can be replaced later. Small files are parsed
into memory, validated together, and written in one transaction. Files of at least
``settings.bulk_threshold_bytes`` stream through Oxigraph's bulk loader instead; the store keeps
them invisible until their reference checks pass, and removes them if anything fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from pyoxigraph import NamedNode, QuerySolutions, RdfFormat, Triple

from sdgkg import resources
from sdgkg.config import Settings
from sdgkg.errors import GraphExists, StoreError, ValidationFailed
from sdgkg.iris import graph_iri, upload_graph_name
from sdgkg.rdfio import ParsedFile, ProgressCallback, parse_file, rdf_format_for
from sdgkg.store.base import GraphStore
from sdgkg.store.replace_update import replace_graphs_update

SCHEMA_FOLDERS = ("ontology/", "shapes/")


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    graph: str
    triples: int
    bulk: bool = False


@dataclass
class LoadSummary:
    files: list[LoadedFile] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(f.triples for f in self.files)


def graph_for_file(path: Path, base_iri: str) -> str:
    """Bundled files keep their place in the bundle; other files go under ``graph/upload/``."""
    name = resources.bundle_relative_name(path) or upload_graph_name(path.stem)
    return graph_iri(base_iri, name)


def is_schema_file(path: Path) -> bool:
    """The ontology and the shapes are context for validation, not records to validate."""
    name = resources.bundle_relative_name(path)
    return name is not None and name.startswith(SCHEMA_FOLDERS)


def load_bundled(store: GraphStore, settings: Settings) -> LoadSummary:
    """Load (or reload) the bundled ontology, shapes, reference and curated data."""
    return load_files(store, resources.bundled_load_files(), settings, replace=True)


def bundled_memory_store(settings: Settings) -> GraphStore:
    """The bundled files in a temporary in-memory store, unvalidated: what a command reads
    when there is no store yet (the bundle's own tests validate it)."""
    from sdgkg.store.embedded import EmbeddedStore

    store = EmbeddedStore(None)
    load_files(store, resources.bundled_load_files(), settings, validate=False)
    return store


def load_files(
    store: GraphStore,
    paths: Sequence[Path],
    settings: Settings,
    *,
    replace: bool = False,
    validate: bool = True,
    on_progress: Callable[[Path, int, int], None] | None = None,
) -> LoadSummary:
    """Load files all or nothing; raises before writing if any file fails to parse or validate."""
    small = [p for p in paths if not _is_bulk(p, settings)]
    bulk = [p for p in paths if _is_bulk(p, settings)]
    graphs = {p: graph_for_file(p, settings.base_iri) for p in paths}
    _refuse_existing(store, graphs, replace)
    summary = _load_small(store, small, graphs, settings, validate=validate)
    for path in bulk:
        summary.files.append(
            _load_bulk(
                store, path, graphs[path], settings, replace=replace, on_progress=on_progress
            )
        )
    return summary


def _is_bulk(path: Path, settings: Settings) -> bool:
    return path.is_file() and path.stat().st_size >= settings.bulk_threshold_bytes


def _refuse_existing(store: GraphStore, graphs: dict[Path, str], replace: bool) -> None:
    if replace:
        return
    loaded = set(store.graph_names())
    for path, graph in graphs.items():
        if graph in loaded:
            raise GraphExists(
                f"this file is already loaded as graph <{graph}>; use --replace to replace it",
                where=str(path),
            )


def _load_small(
    store: GraphStore,
    paths: Sequence[Path],
    graphs: dict[Path, str],
    settings: Settings,
    *,
    validate: bool,
) -> LoadSummary:
    parsed, batch = _checked_batch(store, paths, graphs, settings, validate=validate)
    if batch:
        store.replace_graphs(batch)
    return LoadSummary([LoadedFile(f.path, graphs[f.path], f.triple_count) for f in parsed])


def _checked_batch(
    store: GraphStore,
    paths: Sequence[Path],
    graphs: dict[Path, str],
    settings: Settings,
    *,
    validate: bool,
) -> tuple[list[ParsedFile], dict[str, list[Triple]]]:
    """The files parsed and validated against ``store``, as the graphs a load writes."""
    parsed = [parse_file(p, base_iri=settings.base_iri) for p in paths]
    if validate:
        _validate_or_raise(
            [f for f in parsed if not is_schema_file(f.path)], store, parsed, settings.base_iri
        )
    batch: dict[str, list[Triple]] = {}
    for file in parsed:
        for graph, triples in file.graphs.items():
            batch.setdefault(graph or graphs[file.path], []).extend(triples)
    return parsed, batch


def load_through_server(
    url: str, token: str, paths: Sequence[Path], settings: Settings, *, replace: bool = False
) -> LoadSummary:
    """Load while ``sdgkg serve`` holds the store, as ``load_files`` would without it.

    Small files are parsed and validated here, against a read-only view of the store, and sent
    as one SPARQL update, which the server applies all or nothing. Big files (at least
    ``bulk_threshold_bytes``) are streamed to the server's Graph Store Protocol endpoint
    (``PUT /store``), which bulk-loads each out of readers' sight and shows it whole once its
    references resolve (``load_graph_file``): no request body cap of /update stops them.
    """
    from sdgkg.store.embedded import EmbeddedStore

    small = [p for p in paths if not _is_bulk(p, settings)]
    bulk = [p for p in paths if _is_bulk(p, settings)]
    graphs = {p: graph_for_file(p, settings.base_iri) for p in paths}
    view = EmbeddedStore(settings.store_path, read_only=True)
    try:
        _refuse_existing(view, graphs, replace)
        parsed, batch = _checked_batch(view, small, graphs, settings, validate=True)
    finally:
        view.close()
    summary = LoadSummary([LoadedFile(f.path, graphs[f.path], f.triple_count) for f in parsed])
    if batch:
        _send(url, "update", token, settings, content=replace_graphs_update(batch).encode(),
              content_type="application/sparql-update")  # fmt: skip
    for path in bulk:
        with path.open("rb") as body:
            answer = _send(url, "store", token, settings, content=body,
                           content_type=rdf_format_for(path).media_type,
                           params={"graph": graphs[path]})  # fmt: skip
        summary.files.append(LoadedFile(path, graphs[path], int(answer["triples"]), bulk=True))
    return summary


def _send(
    url: str,
    endpoint: str,
    token: str,
    settings: Settings,
    *,
    content: bytes | BinaryIO,
    content_type: str,
    params: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One write to the server at ``url``: its JSON answer, or ``StoreError`` naming why not."""
    import httpx

    method = "PUT" if endpoint == "store" else "POST"
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {token}"}
    timeout = httpx.Timeout(settings.query_timeout_s + 60, read=None)  # a big load takes long
    try:
        response = httpx.request(
            method, url + endpoint, content=content, headers=headers, params=params,
            timeout=timeout,
        )  # fmt: skip
    except httpx.HTTPError as error:
        raise StoreError(f"the server at {url} did not take the load: {error}") from None
    answer = _json_or_empty(response)
    if response.status_code >= 300:
        message = answer.get("message", response.text)
        raise StoreError(
            f"the server at {url} refused the load ({response.status_code}): {message}"
        )
    return answer


def _json_or_empty(response: Any) -> dict[str, Any]:
    try:
        answer = response.json() if response.content else {}
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def load_graph_file(store: GraphStore, path: Path, graph: str, settings: Settings) -> LoadedFile:
    """Replace ``graph`` with a file's triples, as the Graph Store Protocol's PUT does: through
    the bulk loader, unseen by readers until the file's references resolve, then all at once."""
    return _load_bulk(store, path, graph, settings, replace=True, on_progress=None)


def _validate_or_raise(
    records: Sequence[ParsedFile], store: GraphStore, batch: Sequence[ParsedFile], base_iri: str
) -> None:
    from sdgkg.neighbourhood import existing_descriptions, iri_objects, store_neighbourhood
    from sdgkg.validate import neighbourhood_of, referenced_iris, validate_parsed

    if not records:
        return
    others = [t for f in batch if f not in records for t in f.all_triples()]
    triples = [t for f in records for t in f.all_triples()]
    subjects = {t.subject.value for t in triples if isinstance(t.subject, NamedNode)}
    replaced = [g or graph_for_file(f.path, base_iri) for f in batch for g in f.graphs]
    existing = existing_descriptions(store, subjects, replaced_graphs=replaced)
    context = [
        *neighbourhood_of(records, others),
        *store_neighbourhood(store, referenced_iris(records) | iri_objects(existing)),
        *existing,
    ]
    report = validate_parsed(records, context=context, base_iri=base_iri)
    if not report.conforms:
        raise ValidationFailed(_summary(report.violations), report=report)


def _summary(violations: Iterable[object]) -> str:
    items = list(violations)
    errors = [v for v in items if getattr(v, "severity", "") == "Violation"]
    return f"{len(errors)} violation(s); nothing was loaded"


def _load_bulk(
    store: GraphStore,
    path: Path,
    graph: str,
    settings: Settings,
    *,
    replace: bool,
    on_progress: Callable[[Path, int, int], None] | None,
) -> LoadedFile:
    fmt = rdf_format_for(path)
    total = path.stat().st_size
    progress: ProgressCallback | None = (
        (lambda done: on_progress(path, done, total)) if on_progress else None
    )
    store.bulk_load_graph(
        graph,
        path,
        fmt,
        check=lambda view, g: _check_bulk_graph(view, g, path, settings),
        replace=replace,
        on_progress=progress,
    )
    return LoadedFile(path, graph, _statement_count(store, path, fmt, graph), bulk=True)


def _statement_count(store: GraphStore, path: Path, fmt: RdfFormat, graph: str) -> int:
    """Statements in a bulk-loaded file: its lines for N-Triples (0.1 s where COUNT takes 1-3 s)."""
    if fmt == RdfFormat.N_TRIPLES:
        return count_statement_lines(path)
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    if not isinstance(result, QuerySolutions):
        raise TypeError("a SELECT query answered with no solutions")
    return int(next(iter(result))[0].value)


def count_statement_lines(path: Path) -> int:
    """Lines holding a statement: not blank, not a comment (N-Triples has one triple a line)."""
    count = 0
    with path.open("rb") as data:
        for line in data:
            stripped = line.strip()
            if stripped and not stripped.startswith(b"#"):
                count += 1
    return count


def _check_bulk_graph(store: GraphStore, graph: str, path: Path, settings: Settings) -> None:
    """The checks a bulk graph must pass before it becomes visible: references resolve."""
    from sdgkg.neighbourhood import unresolved_references

    missing = unresolved_references(store, graph, settings.base_iri)
    if missing:
        sample = ", ".join(f"<{iri}>" for iri in missing[:5])
        raise ValidationFailed(
            f"{len(missing)} referenced record(s) are not defined anywhere, e.g. {sample}; "
            "nothing was loaded",
            where=str(path),
        )


def load_turtle_bytes(
    store: GraphStore | tuple[str, str],
    turtle: bytes,
    origin: Path,
    settings: Settings,
    *,
    replace: bool = False,
) -> LoadSummary:
    """Load generated Turtle (e.g. from a CSV import) as if it were ``<origin stem>.ttl``;
    ``store`` may be a running server's URL and update token (``load_through_server``)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{origin.stem}.ttl"
        path.write_bytes(turtle)
        if isinstance(store, tuple):
            url, token = store
            return load_through_server(url, token, [path], settings, replace=replace)
        return load_files(store, [path], settings, replace=replace)
