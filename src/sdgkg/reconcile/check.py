"""Checks a curator's Turtle file or CSV sheet against the live graph, and never writes.

What ``sdgkg validate --against-store`` and ``sdgkg import`` would say, gathered for the check
page: each problem with its line (Turtle) or row and column (CSV), the record's label, the
property, the value, what to fix and the shape; which existing records the file links to; which
names or IRIs did not resolve, with reconciliation candidates; and the Turtle a CSV became.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pyoxigraph import Literal as RdfLiteral
from pyoxigraph import NamedNode

from sdgkg.csvimport import ImportedRecords, KnownRecords, map_csv
from sdgkg.errors import CsvImportError, InputError, LimitExceeded, RdfSyntaxError, UnresolvedName
from sdgkg.iris import ID_PATH
from sdgkg.labels import pick_label
from sdgkg.neighbourhood import store_neighbourhood
from sdgkg.rdfio import ParsedFile, parse_file
from sdgkg.reconcile.index import ReconcileIndex
from sdgkg.reconcile.matching import name_scores
from sdgkg.reconcile.sheet import TYPES_BY_KIND, matching_known
from sdgkg.store.base import GraphStore
from sdgkg.validate import ValidationReport, Violation, referenced_iris, validate_parsed

MAX_RECORDS_TRIPLES = 20_000  # a curator's batch, not a dump: pySHACL's time grows with it
CANDIDATES = 3
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_CSV_WHERE = re.compile(r":row (?P<row>\d+)(?:, column (?P<column>\w+))?$")


# The CSV template's column behind each property that `sdgkg import` writes (csvimport.py).
_COLUMNS_BY_PROPERTY = {
    "rdfs:label": "name_da",
    "dcterms:description": "description_en",
    "org:hasMember": "members",
    "org:member": "members",
    "org:role": "members",
    "sdgkg:municipality": "municipality",
    "sdgkg:statedSDG": "stated_sdgs",
    "sdgkg:assignedSDG": "assigned_sdgs",
    "sdgkg:partnershipType": "partnership_type",
    "sdgkg:unescoDomain": "unesco_domains",
    "schema:startDate": "start_date",
    "prov:wasDerivedFrom": "source",
    "sdgkg:lineStart": "line_start",
    "sdgkg:lineEnd": "line_end",
    "sdgkg:keyPhrase": "key_phrase",
}


@dataclass(frozen=True)
class Problem:
    """One thing to fix, located as precisely as the input allows."""

    message: str
    line: int | None = None
    row: int | None = None
    column: str | None = None
    record: str | None = None
    label: str | None = None
    path: str | None = None
    value: str | None = None
    shape_id: str | None = None
    severity: str = "Violation"


@dataclass(frozen=True)
class Candidate:
    iri: str
    name: str
    score: float


@dataclass(frozen=True)
class Unresolved:
    """A name or IRI the file refers to that the graph does not hold."""

    text: str
    candidates: tuple[Candidate, ...]
    line: int | None = None
    row: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class Link:
    iri: str
    name: str


@dataclass
class CheckReport:
    kind: Literal["turtle", "csv"]
    conforms: bool
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    turtle: bytes | None = None  # what a CSV became (its rows that mapped)


def sheet_kind(filename: str, content: bytes) -> Literal["turtle", "csv"]:
    """CSV by name, or by the template's header; Turtle otherwise.

    >>> sheet_kind("", b"id,name_da,name_en")
    'csv'
    >>> sheet_kind("records.ttl", b"@prefix ex: <http://ex/> .")
    'turtle'
    """
    if filename.lower().endswith(".csv"):
        return "csv"
    first_line = content.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return "csv" if first_line.startswith(b"id,") else "turtle"


def check_records(
    content: bytes,
    filename: str,
    store: GraphStore,
    index: ReconcileIndex,
    known: KnownRecords,
    *,
    lang: str,
    max_bytes: int,
) -> CheckReport:
    """The report on ``content``; reads the store, never writes to it."""
    if not content.strip():
        raise InputError("nothing to check: paste a Turtle file or CSV sheet, or choose a file")
    if len(content) > max_bytes:
        raise LimitExceeded(f"the file is {len(content)} bytes; at most {max_bytes} are checked")
    kind = sheet_kind(filename, content)
    shown = Path(filename).name or ("records.csv" if kind == "csv" else "records.ttl")
    with tempfile.TemporaryDirectory(prefix="sdgkg-check-") as folder:
        path = Path(folder) / ("upload.csv" if kind == "csv" else "upload.ttl")
        path.write_bytes(content)
        checker = _Checker(path, shown, store, index, lang)
        if kind == "turtle":
            return checker.turtle()
        return checker.csv(matching_known(known, index, lang))


class _Checker:
    def __init__(
        self, path: Path, shown: str, store: GraphStore, index: ReconcileIndex, lang: str
    ) -> None:
        self.path, self.shown, self.store, self.index, self.lang = path, shown, store, index, lang
        self.base = index.base_iri
        self.labels: dict[str, dict[str, str]] = {}  # the context's labels, by IRI and language

    def turtle(self) -> CheckReport:
        try:
            parsed = parse_file(self.path, base_iri=self.base)
        except RdfSyntaxError as error:
            return CheckReport("turtle", False, problems=[self._syntax_problem(error)])
        except InputError as error:
            return CheckReport("turtle", False, problems=[Problem(error.message)])
        report, known_iris = self._validate(parsed)
        problems = [self._violation(v, line=v.line) for v in report.violations]
        subjects = _subjects(parsed)
        unresolved = [
            Unresolved(
                iri, self._candidates(_words_of(iri), _kind_of(iri)), line=self._line_of(iri)
            )
            for iri in sorted(referenced_iris([parsed]))
            if iri.startswith(self.base + ID_PATH) and iri not in known_iris | subjects
        ]
        return CheckReport(
            "turtle",
            report.conforms,
            records=len(subjects),
            problems=problems,
            links=self._links(known_iris - subjects),
            unresolved=unresolved,
        )

    def csv(self, known: KnownRecords) -> CheckReport:
        try:
            records, failures = map_csv(self.path, known, self.base)
        except CsvImportError as error:
            return CheckReport("csv", False, problems=[self._csv_problem(error)])
        problems = [self._csv_problem(failure) for failure in failures]
        unresolved = [u for u in map(self._unresolved_name, failures) if u is not None]
        report, known_iris = self._validate(records.as_parsed())
        problems += [
            self._violation(v, row=_row_of(v.record, records), column=_column_of(v.path))
            for v in report.violations
        ]
        problems.sort(key=lambda p: (p.row or 0, p.column or "", p.message))
        return CheckReport(
            "csv",
            report.conforms and not failures,
            records=len(set(records.rows_by_iri.values())),
            problems=problems,
            links=self._links(known_iris - set(records.rows_by_iri)),
            unresolved=unresolved,
            turtle=records.to_turtle() if records.triples else None,
        )

    def _validate(self, parsed: ParsedFile) -> tuple[ValidationReport, set[str]]:
        if parsed.triple_count > MAX_RECORDS_TRIPLES:
            raise LimitExceeded(
                f"{parsed.triple_count} triples; the page checks at most {MAX_RECORDS_TRIPLES}: "
                "use `sdgkg validate --against-store` for larger files"
            )
        context = store_neighbourhood(self.store, referenced_iris([parsed]))
        known_iris = {t.subject.value for t in context if isinstance(t.subject, NamedNode)}
        for triple in context:
            subject, value = triple.subject, triple.object
            if (
                triple.predicate.value == RDFS_LABEL
                and isinstance(subject, NamedNode)
                and isinstance(value, RdfLiteral)
            ):
                labels = self.labels.setdefault(subject.value, {})
                labels.setdefault(value.language or "", value.value)
        return validate_parsed([parsed], context=context, base_iri=self.base), known_iris

    def _violation(
        self,
        violation: Violation,
        *,
        line: int | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> Problem:
        return Problem(
            message=violation.message,
            line=line,
            row=row,
            column=column,
            record=violation.focus_node,
            label=violation.focus_label,
            path=violation.path,
            value=violation.value,
            shape_id=violation.shape_id,
            severity=violation.severity,
        )

    def _syntax_problem(self, error: RdfSyntaxError) -> Problem:
        found = re.search(r":(\d+)(?::\d+)?$", error.where)
        return Problem(error.message, line=int(found.group(1)) if found else None)

    def _csv_problem(self, error: CsvImportError) -> Problem:
        found = _CSV_WHERE.search(error.where)
        if found is None:
            return Problem(error.message)
        return Problem(error.message, row=int(found["row"]), column=found["column"])

    def _unresolved_name(self, error: CsvImportError) -> Unresolved | None:
        """A name the import could not resolve, with the candidates reconciliation gave it."""
        if not isinstance(error, UnresolvedName):
            return None
        where = self._csv_problem(error)
        candidates = tuple(Candidate(iri, name, score) for iri, name, score in error.candidates)
        return Unresolved(error.text, candidates, row=where.row, column=where.column)

    def _candidates(self, text: str, type_name: str | None) -> tuple[Candidate, ...]:
        types = (type_name,) if type_name else ()
        scores = name_scores(self.index, text, types)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATES]
        return tuple(
            Candidate(iri, self.index.records[iri].name(self.lang), round(score, 1))
            for iri, score in best
        )

    def _links(self, iris: set[str]) -> list[Link]:
        """The graph's records the file refers to (not ontology terms), by name."""
        links = [
            Link(iri, pick_label(self.labels.get(iri, {}), self.lang, iri))
            for iri in iris
            if iri.startswith(self.base + ID_PATH)
        ]
        return sorted(links, key=lambda link: (link.name.casefold(), link.iri))

    def _line_of(self, iri: str) -> int | None:
        for number, line in enumerate(self.path.read_text("utf-8", "replace").splitlines(), 1):
            if iri in line or _prefixed_mention(line, iri):
                return number
        return None


def _prefixed_mention(line: str, iri: str) -> bool:
    local = iri.rsplit("/", 1)[-1]
    kind = iri.rsplit("/", 2)[-2] if iri.count("/") >= 2 else ""
    return f"{kind}:{local}" in line


def _subjects(parsed: ParsedFile) -> set[str]:
    return {t.subject.value for t in parsed.all_triples() if isinstance(t.subject, NamedNode)}


def _column_of(path: str | None) -> str | None:
    """The template column a violated property comes from (docs/curating.md)."""
    return _COLUMNS_BY_PROPERTY.get(path or "")


def _row_of(record: str, records: ImportedRecords) -> int | None:
    return records.rows_by_iri.get(record)


def _words_of(iri: str) -> str:
    """The words a record IRI's slug spells: ``…/partner/red-barnett`` -> "red barnett"."""
    return iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")


def _kind_of(iri: str) -> str | None:
    parts = iri.rstrip("/").rsplit("/", 2)
    return TYPES_BY_KIND.get(parts[-2]) if len(parts) == 3 else None
