"""Validates records with pySHACL and reports each violation where a curator can find it.

pySHACL reports no source lines (pySHACL#321), so ``locate_subject`` finds the line where the
focus node is first described. Only the new records are focus nodes; the ontology and the
records they refer to are context, so references to unknown targets or partners fail.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, serialize
from rdflib import RDFS, SH, BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.term import Node

from sdgkg import resources
from sdgkg._prepared_sparql import prepared_sparql
from sdgkg.errors import ConfigError
from sdgkg.iris import DEFAULT_BASE_IRI, rebase_text
from sdgkg.literals import datatype_problem
from sdgkg.rdfio import ParsedFile, parse_file
from sdgkg.results import display_term
from sdgkg.store.base import GraphStore

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE | re.M)


@dataclass(frozen=True)
class Violation:
    """One validation result, in the words a curator needs."""

    focus_node: str  # as displayed: prefixed name or <IRI>
    record: str  # the full IRI of the record the result is about
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str
    severity: str
    file: str | None = None
    line: int | None = None

    @property
    def shape_id(self) -> str:
        return self.shape.rsplit("#", 1)[-1]

    def to_text(self) -> str:
        where = (
            f"{self.file}:{self.line}: "
            if self.file and self.line
            else f"{self.file}: "
            if self.file
            else ""
        )
        label = f" ({self.focus_label})" if self.focus_label else ""
        path = f" {self.path}" if self.path else ""
        value = f" value {self.value}:" if self.value else ""
        about = f"{self.severity} {self.focus_node}{label}{path}:{value}"
        return f"{where}{about} {self.message} [{self.shape_id}]"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    report_graph: Graph | None = None

    def to_json(self) -> str:
        body = {"conforms": self.conforms, "violations": [asdict(v) for v in self.violations]}
        return json.dumps(body, ensure_ascii=False, indent=2)

    def to_turtle(self) -> str:
        return self.report_graph.serialize(format="turtle") if self.report_graph else ""


@cache
def _shapes_graph(base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """The record shapes; their IRI patterns and messages follow the configured base."""
    text = rebase_text(resources.record_shapes_file().read_text(encoding="utf-8"), base_iri)
    return Graph().parse(data=text, format="turtle")


@cache
def _schema_ntriples(base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """Ontology and imports as N-Triples, parsed once per process."""
    triples: list[Triple] = []
    for path in resources.schema_files():
        triples.extend(parse_file(path, base_iri=base_iri).all_triples())
    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""


def bundled_context_files(exclude: Iterable[Path] = ()) -> list[Path]:
    """Reference and curated data that new records may refer to (minus the files under test)."""
    skip = {p.resolve() for p in exclude}
    files = [*resources.reference_data_files(), *resources.curated_data_files()]
    return [p for p in files if p.resolve() not in skip]


def bundled_context_triples(
    exclude: Iterable[Path] = (), *, base_iri: str = DEFAULT_BASE_IRI
) -> list[Triple]:
    """Reference and curated triples: what new records are checked against."""
    files = bundled_context_files(exclude)
    return [t for p in files for t in parse_file(p, base_iri=base_iri).all_triples()]


def referenced_iris(files: Sequence[ParsedFile]) -> set[str]:
    return {
        t.object.value for f in files for t in f.all_triples() if isinstance(t.object, NamedNode)
    }


def neighbourhood_of(files: Sequence[ParsedFile], triples: Iterable[Triple]) -> list[Triple]:
    """The part of ``triples`` that the records in ``files`` refer to (types, labels, broader).

    A file may also extend a record defined elsewhere (the 002 file gives the reference goals
    their Danish definitions); the rest of such a record comes along, or it would look incomplete.
    """
    from sdgkg.neighbourhood import existing_descriptions, store_neighbourhood
    from sdgkg.store.embedded import EmbeddedStore

    memory = EmbeddedStore(None)
    context = NamedNode("urn:x-sdgkg:context")
    memory.oxigraph.extend(Quad(t.subject, t.predicate, t.object, context) for t in triples)
    existing = existing_descriptions(memory, set().union(*(_subjects(f) for f in files)))
    referenced = referenced_iris(files).union(
        t.object.value for t in existing if isinstance(t.object, NamedNode)
    )
    return [*store_neighbourhood(memory, referenced), *existing]


def validate_parsed(
    files: Sequence[ParsedFile],
    *,
    context: Iterable[Triple] = (),
    base_iri: str = DEFAULT_BASE_IRI,
) -> ValidationReport:
    """Validate the records of ``files``; ``context`` holds what they refer to, not whole records.

    pySHACL's own ``focus_nodes`` option also filters the value nodes of nested shapes (so an
    ``sh:or`` of ``sh:class`` never fails); we validate everything and keep the results whose
    focus node belongs to the files instead, which is why the context must stay small.
    """
    import pyshacl

    ill_typed = {f.path: _ill_typed(f.all_triples()) for f in files}
    data = Graph()
    records: set[str] = set()
    with _quiet_literal_warnings():
        data.parse(data=_schema_ntriples(base_iri), format="nt")
        context = list(context)
        unusable = _ill_typed(context)
        data.parse(data=_ntriples(t for t in context if t not in unusable), format="nt")
        for parsed in files:
            bad = ill_typed[parsed.path]
            data.parse(data=_ntriples(t for t in parsed.all_triples() if t not in bad), format="nt")
            records.update(_subjects(parsed))
        if not records:
            return ValidationReport(conforms=True)
        shapes_graph = _shapes_graph(base_iri)
        with prepared_sparql():
            _, report_graph, _ = pyshacl.validate(
                data,
                shacl_graph=shapes_graph,
                inference="none",
                advanced=True,
                allow_warnings=True,
                inplace=True,
            )
    if not isinstance(report_graph, Graph):
        raise ConfigError(
            f"the shapes cannot be evaluated: {report_graph}", see="shapes/sdgkg-shapes.ttl"
        )
    locator = _Locator(files)
    typed = _datatype_violations(files, ill_typed, data, locator, shapes_graph)
    reported = {(v.record, v.path) for v in typed}
    shacl = [
        v
        for v in _violations(report_graph, data, locator, shapes_graph)
        if v.record in records and (v.record, v.path) not in reported
    ]
    violations = _sorted_once([*typed, *shacl])
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms, violations, report_graph)


def validate_files(paths: Sequence[Path], *, base_iri: str = DEFAULT_BASE_IRI) -> ValidationReport:
    """Parse and validate files against the bundled reference and curated data."""
    parsed = [parse_file(p, base_iri=base_iri) for p in paths]
    context = neighbourhood_of(parsed, bundled_context_triples(paths, base_iri=base_iri))
    return validate_parsed(parsed, context=context, base_iri=base_iri)


def validate_against_store(
    paths: Sequence[Path], store: GraphStore, *, base_iri: str = DEFAULT_BASE_IRI
) -> ValidationReport:
    """Validate files with only the store's neighbourhood of what they refer to as context."""
    from sdgkg.neighbourhood import store_neighbourhood

    parsed = [parse_file(p, base_iri=base_iri) for p in paths]
    context = store_neighbourhood(store, referenced_iris(parsed))
    return validate_parsed(parsed, context=context, base_iri=base_iri)


def _subjects(parsed: ParsedFile) -> set[str]:
    return {t.subject.value for t in parsed.all_triples() if isinstance(t.subject, NamedNode)}


def _ntriples(triples: Iterable[Triple]) -> bytes:
    return serialize(list(triples), format=RdfFormat.N_TRIPLES) or b""


def _ill_typed(triples: Iterable[Triple]) -> dict[Triple, str]:
    """Triples whose literal does not fit its datatype, each with what to write instead."""
    found = {}
    for triple in triples:
        value = triple.object
        if isinstance(value, Literal):
            problem = datatype_problem(value.value, value.datatype.value)
            if problem:
                found[triple] = problem
    return found


class _QuietLiteralWarnings(logging.Filter):
    """Drops rdflib's "Failed to convert Literal" warnings (with their traceback) in one thread,
    while validation reports those values itself or leaves context values it cannot use."""

    def __init__(self) -> None:
        super().__init__()
        self._thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        converting = str(record.msg).startswith("Failed to convert Literal")
        return not (converting and record.thread == self._thread)


@contextmanager
def _quiet_literal_warnings() -> Iterator[None]:
    quiet = _QuietLiteralWarnings()
    logger = logging.getLogger("rdflib.term")
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def _datatype_violations(
    files: Sequence[ParsedFile],
    ill_typed: dict[Path, dict[Triple, str]],
    data: Graph,
    locator: _Locator,
    shapes: Graph,
) -> list[Violation]:
    """One violation per value that does not fit its datatype, at the line that holds it,
    named by the property shape that constrains it (else by the datatype)."""
    results = []
    for parsed in files:
        owners = {
            t.object: t.subject for t in parsed.all_triples() if isinstance(t.object, BlankNode)
        }
        types: dict[object, set[URIRef]] = {}
        for t in parsed.all_triples():
            if t.predicate.value == _RDF_TYPE and isinstance(t.object, NamedNode):
                types.setdefault(t.subject, set()).add(URIRef(t.object.value))
        for triple, problem in ill_typed[parsed.path].items():
            owner = triple.subject
            while isinstance(owner, BlankNode) and owner in owners:
                owner = owners.pop(owner)
            record = owner.value if isinstance(owner, NamedNode) else "[blank node]"
            literal = triple.object
            assert isinstance(literal, Literal)
            file, line = locator.locate_value(record, literal.value)
            results.append(
                Violation(
                    focus_node=display_term(owner) if isinstance(owner, NamedNode) else record,
                    record=record,
                    focus_label=_label(data, URIRef(record)),
                    path=display_term(triple.predicate),
                    value=f'"{literal.value}"^^{display_term(literal.datatype)}',
                    message=problem,
                    shape=_property_shape(
                        shapes, triple.predicate.value, _with_superclasses(data, types, triple)
                    )
                    or literal.datatype.value,
                    severity="Violation",
                    file=file,
                    line=line,
                )
            )
    return results


def _with_superclasses(data: Graph, types: dict[object, set[URIRef]], triple: Triple) -> set[Node]:
    """The classes of the triple's subject, with their superclasses in the ontology."""
    found: set[Node] = set()
    for cls in types.get(triple.subject, ()):
        found.update(c for c in data.transitive_objects(cls, RDFS.subClassOf) if c is not None)
    return found


def _property_shape(shapes: Graph, predicate: str, classes: set[Node]) -> str | None:
    """The named property shape for ``predicate`` on a node of one of ``classes``, if any."""
    for prop in shapes.subjects(SH.path, URIRef(predicate)):
        owner = next(shapes.subjects(SH.property, prop), None)
        targets = set(shapes.objects(owner, SH.targetClass)) if owner is not None else set()
        if isinstance(prop, URIRef) and targets & classes:
            return str(prop)
    return None


def _sorted_once(violations: Iterable[Violation]) -> list[Violation]:
    """Each result once (pySHACL can report one problem by two routes), in file order."""
    return sorted(
        set(violations), key=lambda v: (v.file or "", v.line or 0, v.focus_node, v.shape, v.message)
    )


def _violations(report: Graph, data: Graph, locator: _Locator, shapes: Graph) -> list[Violation]:
    results = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        owner = _record_of(data, focus)
        file, line = locator.locate(str(owner))
        results.append(
            Violation(
                focus_node=_n3(owner, data) or "",
                record=str(owner),
                focus_label=_label(data, owner),
                path=_n3(report.value(result, SH.resultPath), data),
                value=_n3(report.value(result, SH.value), data),
                message=_message(report, result, shapes) + _did_you_mean(report, result, shapes),
                shape=_shape_iri(report, result, shapes),
                severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                file=file,
                line=line,
            )
        )
    return results


def _record_of(data: Graph, node: Node | None) -> Node | None:
    """A blank node's owning record (e.g. the record a quotation belongs to), else the node."""
    seen = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        owner = next(data.subjects(None, node), None)
        if owner is None:
            break
        node = owner
    return node


def _label(data: Graph, node: Node | None) -> str | None:
    labels = {
        lit.language: str(lit)
        for lit in data.objects(node, RDFS.label)
        if isinstance(lit, RdfLiteral)
    }
    return labels.get("en") or labels.get("da") or next(iter(labels.values()), None)


def _message(report: Graph, result: Node, shapes: Graph) -> str:
    """The English message of the constraint that failed, with its variables filled in.

    pySHACL gives a SPARQL constraint's result its shape's messages besides its own, and drops
    the language tag when it fills in ``{$this}`` and ``{?value}``; so the English template is
    matched against the filled-in messages.
    """
    given = [str(m) for m in report.objects(result, SH.resultMessage)]
    constraint = report.value(result, SH.sourceConstraint)
    shape = report.value(result, SH.sourceShape)
    for owner in (constraint, shape):
        for template in shapes.objects(owner, SH.message) if owner is not None else ():
            if getattr(template, "language", None) in ("en", None):
                parts = re.split(r"\{[$?]\w+\}", str(template))
                pattern = ".*?".join(re.escape(part) for part in parts)
                found = next((m for m in given if re.fullmatch(pattern, m, re.S)), None)
                if found:
                    return found
    return given[0] if given else "does not conform"


def _did_you_mean(report: Graph, result: Node, shapes: Graph) -> str:
    """For a property a closed shape does not know, the nearest one it does (issue 20)."""
    if report.value(result, SH.sourceConstraintComponent) != SH.ClosedConstraintComponent:
        return ""
    path = report.value(result, SH.resultPath)
    if not isinstance(path, URIRef) or str(path) in _known_properties(shapes).values():
        return ""  # a known property of another kind of record: its S28 shape says whose
    nearest = difflib.get_close_matches(
        _local_name(path), list(_known_properties(shapes)), n=1, cutoff=0.6
    )
    if not nearest:
        return ""
    known = _known_properties(shapes)[nearest[0]]
    return f" Did you mean {display_term(NamedNode(known))}?"


@cache
def _known_properties(shapes: Graph) -> dict[str, str]:
    """Local name -> IRI of every property a shape names (paths and allowed properties)."""
    known = [o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)]
    for allowed in shapes.objects(None, SH.ignoredProperties):
        known.extend(o for o in Collection(shapes, allowed) if isinstance(o, URIRef))
    return {_local_name(iri): str(iri) for iri in sorted(known)}


def _local_name(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _shape_iri(report: Graph, result: Node, shapes: Graph) -> str:
    """The named SPARQL constraint, property shape or node shape that failed."""
    constraint = report.value(result, SH.sourceConstraint)
    if isinstance(constraint, URIRef):
        return str(constraint)
    shape = report.value(result, SH.sourceShape)
    if isinstance(shape, BNode):
        parent = next(shapes.subjects(SH.property, shape), None)
        return str(parent) if parent is not None else "(anonymous shape)"
    return str(shape)


def _n3(term: object, data: Graph) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return "[blank node]"
    if isinstance(term, URIRef):
        return display_term(NamedNode(str(term)))
    return term.n3() if hasattr(term, "n3") else str(term)


class _Locator:
    """Finds the line where a record is first described in the file it came from."""

    def __init__(self, files: Sequence[ParsedFile]) -> None:
        self._file_of: dict[str, ParsedFile] = {}
        for parsed in reversed(files):
            for iri in _subjects(parsed):
                self._file_of[iri] = parsed
        self._lines: dict[Path, list[str]] = {}
        self._found: dict[str, tuple[str | None, int | None]] = {}

    def locate(self, iri: str) -> tuple[str | None, int | None]:
        if iri not in self._found:
            parsed = self._file_of.get(iri)
            if parsed is None:
                self._found[iri] = (None, None)
            else:
                self._found[iri] = (str(parsed.path), locate_subject(self._text(parsed.path), iri))
        return self._found[iri]

    def locate_value(self, record: str, lexical: str) -> tuple[str | None, int | None]:
        """The first line from the record's own on that holds ``"lexical"``."""
        file, start = self.locate(record)
        if file is None or start is None:
            return file, start
        lines = self._text(Path(file))
        quoted = (f'"{lexical}"', f"'{lexical}'")
        for number in range(start, len(lines) + 1):
            if any(q in lines[number - 1] for q in quoted):
                return file, number
        return file, start

    def _text(self, path: Path) -> list[str]:
        if path not in self._lines:
            self._lines[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
        return self._lines[path]


def locate_subject(lines: list[str], iri: str) -> int | None:
    """1-based line where ``iri`` (full or prefixed) starts a statement, else first appears.

    >>> locate_subject(["@prefix ex: <http://ex/> .", "", "ex:a ex:p ex:b ."], "http://ex/a")
    3
    """
    spellings = [f"<{iri}>"]
    for prefix, namespace in _PREFIX_LINE.findall("\n".join(lines)):
        if iri.startswith(namespace) and namespace:
            spellings.append(f"{prefix}:{iri[len(namespace) :]}")
    first_mention = None
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        for spelling in spellings:
            if stripped.startswith(spelling) and _ends_term(stripped, len(spelling)):
                return number
            if first_mention is None and spelling in line:
                first_mention = number
    return first_mention


def _ends_term(text: str, index: int) -> bool:
    return index >= len(text) or text[index] in " \t;,.)"
