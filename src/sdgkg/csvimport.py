"""Maps the curators' spreadsheet template to RDF records, one partnership per row.

The template is ``data/templates/partnerships.csv`` and ``docs/curating.md`` documents it.
Every problem names the CSV row and column; nothing is written unless every row maps and the
records validate. Names resolve by IRI, slug or exact label; given a ``NameMatcher`` (the
reconciliation service's matching, ``sdgkg.reconcile.sheet``), also as OpenRefine would match
them, and a name that matches no record, or several, is reported with its candidates. A column's
``<column>_iri`` twin, as OpenRefine writes reconciled IRIs back, wins over its names.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from sdgkg.errors import CsvImportError, UnresolvedName, UnresolvedNames
from sdgkg.iris import record_iri, slugify
from sdgkg.names import read_notation
from sdgkg.rdfio import ParsedFile, read_bytes
from sdgkg.results import DISPLAY_PREFIXES

COLUMNS = (
    "id",
    "name_da",
    "name_en",
    "description_en",
    "members",
    "municipality",
    "stated_sdgs",
    "assigned_sdgs",
    "partnership_type",
    "unesco_domains",
    "start_date",
    "source",
    "line_start",
    "line_end",
    "key_phrase",
)
REQUIRED = ("members", "source", "line_start", "line_end", "key_phrase")
# A column's reconciled twin, ``<column>_iri``, gives the IRIs of its names in the same order.
IRI_SUFFIX = "_iri"
_MANY_VALUED = ("members", "stated_sdgs", "assigned_sdgs", "unesco_domains")
_MEMBER = re.compile(r"^\s*(?P<partner>[^()]+?)\s*(?:\((?P<role>[^()]+)\))?\s*$")
_UNRESOLVED = NamedNode("urn:x-sdgkg:unresolved")  # stands in until the row is refused
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$")

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class NameMatch:
    """What a name resolved to: one record's IRI, or none and the candidates, best first."""

    iri: str | None
    candidates: tuple[tuple[str, str, float], ...] = ()  # (iri, name, score)
    ambiguous: bool = False  # several candidates are near certain


class NameMatcher(Protocol):
    """Matches a sheet's name among records of the kinds (IRI path segments: ``partner``)."""

    def match(self, text: str, kinds: tuple[str, ...]) -> NameMatch: ...


@dataclass
class KnownRecords:
    """IRIs and labels the rows may refer to by slug, IRI, kommunekode or label."""

    iris: set[str] = field(default_factory=set)
    by_label: dict[str, str] = field(default_factory=dict)
    matcher: NameMatcher | None = None

    @classmethod
    def from_triples(cls, triples: Iterable[Triple]) -> KnownRecords:
        known = cls()
        for t in triples:
            if t.predicate.value == RDF_TYPE.value and isinstance(t.subject, NamedNode):
                known.iris.add(t.subject.value)
            elif (
                t.predicate.value in (RDFS + "label", "https://w3id.org/sdgkg/ontology#kommunekode")
                and isinstance(t.subject, NamedNode)
                and isinstance(t.object, Literal)
            ):
                known.by_label.setdefault(_fold(t.object.value), t.subject.value)
        return known


@dataclass
class ImportedRecords:
    path: Path
    triples: list[Triple]
    rows_by_iri: dict[str, int]

    def as_parsed(self) -> ParsedFile:
        return ParsedFile(self.path, {None: self.triples})

    def to_turtle(self) -> bytes:
        prefixes = DISPLAY_PREFIXES | _PREFIXES
        return serialize(self.triples, format=RdfFormat.TURTLE, prefixes=prefixes) or b""


_PREFIXES = {"org": ORG, "prov": PROV, "xsd": XSD, "sdgkg": "https://w3id.org/sdgkg/ontology#"}


def import_csv(path: Path, known: KnownRecords, base_iri: str) -> ImportedRecords:
    """Map every row; raises ``CsvImportError`` naming the first bad row and column, or, when
    names are all that is wrong, ``UnresolvedNames`` naming each with its candidates."""
    records, problems = map_csv(path, known, base_iri)
    unreadable = [p for p in problems if not isinstance(p, UnresolvedName)]
    if unreadable:
        raise unreadable[0]
    if problems:
        raise UnresolvedNames(
            [p for p in problems if isinstance(p, UnresolvedName)], where=str(path)
        )
    return records


def map_csv(
    path: Path, known: KnownRecords, base_iri: str
) -> tuple[ImportedRecords, list[CsvImportError]]:
    """Map the rows that map, and name the first problem of each row that does not.

    The check page reports every bad row at once; ``import_csv`` stops at the first.
    """
    text = _decode(path)
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CsvImportError(
            f"the header lacks column(s) {', '.join(missing)}", where=f"{path}:row 1"
        )
    records = ImportedRecords(path, [], {})
    problems: list[CsvImportError] = []
    for number, row in enumerate(reader, start=2):
        try:
            _map_row(_RowMapper(path, number, row, known, base_iri), records)
        except _RowRefused as refused:
            problems.extend(refused.problems)
        except CsvImportError as problem:
            problems.append(problem)
    if not records.rows_by_iri and not problems:
        raise CsvImportError("the file has a header but no rows", where=str(path))
    return records, problems


class _RowRefused(Exception):
    """Every name of a row that did not resolve: a curator fixes them all in one go."""

    def __init__(self, problems: list[UnresolvedName]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def _map_row(mapper: _RowMapper, records: ImportedRecords) -> None:
    if mapper.partnership.value in records.rows_by_iri:
        first = records.rows_by_iri[mapper.partnership.value]
        raise CsvImportError(
            f"the same id as row {first}; give each partnership its own id",
            where=f"{mapper.path}:row {mapper.number}, column id",
        )
    triples = list(mapper.triples())  # whole rows only: a bad row adds nothing
    if mapper.unresolved:
        raise _RowRefused(mapper.unresolved)
    records.triples.extend(triples)
    records.rows_by_iri[mapper.partnership.value] = mapper.number
    for iri in mapper.minted:
        records.rows_by_iri[iri] = mapper.number


def _decode(path: Path) -> str:
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CsvImportError(
            "not UTF-8 text; save the sheet as CSV UTF-8", where=f"{path}:row {line}"
        ) from None


def _fold(text: str) -> str:
    return slugify(text)


class _RowMapper:
    def __init__(
        self, path: Path, number: int, row: dict[str, str | None], known: KnownRecords, base: str
    ) -> None:
        self.path, self.number, self.known, self.base = path, number, known, base
        self.row = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if None in row:
            self._fail("id", "the row has more cells than the header")
        slug = self.row["id"] or slugify(self.row["name_en"] or self.row["name_da"])
        if not slug:
            self._fail("id", "give an id or a name")
        self.slug = slugify(slug)
        self.partnership = NamedNode(record_iri(base, "partnership", self.slug))
        self.minted: list[str] = []
        self.unresolved: list[UnresolvedName] = []

    def triples(self) -> Iterator[Triple]:
        for column in REQUIRED:
            if not self.row[column]:
                self._fail(column, "this column is required")
        p = self.partnership
        yield Triple(p, RDF_TYPE, self._term("ontology#Partnership"))
        yield from self._labels(p)
        if self.row["description_en"]:
            yield Triple(
                p,
                NamedNode("http://purl.org/dc/terms/description"),
                Literal(self.row["description_en"], language="en"),
            )
        yield from self._members()
        for column, prop, kind in (
            ("municipality", "municipality", "municipality"),
            ("partnership_type", "partnershipType", "partnership-type"),
            ("unesco_domains", "unescoDomain", "unesco-domain"),
        ):
            for name, iri in self._names(column):
                yield Triple(
                    p, self._term(f"ontology#{prop}"), self._resolve(column, name, kind, iri=iri)
                )
        for column, prop in (("stated_sdgs", "statedSDG"), ("assigned_sdgs", "assignedSDG")):
            for code, iri in self._names(column):
                yield Triple(p, self._term(f"ontology#{prop}"), self._sdg(column, code, iri))
        if self.row["start_date"]:
            yield Triple(p, NamedNode("https://schema.org/startDate"), self._date())
        yield from self._provenance(p)

    def _labels(self, subject: NamedNode) -> Iterator[Triple]:
        if not (self.row["name_da"] or self.row["name_en"]):
            self._fail("name_da", "give a Danish or English name")
        for lang in ("da", "en"):
            if self.row[f"name_{lang}"]:
                yield Triple(
                    subject,
                    NamedNode(RDFS + "label"),
                    Literal(self.row[f"name_{lang}"], language=lang),
                )

    def _members(self) -> Iterator[Triple]:
        for item, iri in self._names("members"):
            match = _MEMBER.match(item)
            if not match:
                self._fail("members", f"{item!r} is not 'partner (role)'")
            partner = self._resolve(
                "members", match["partner"], "partner", "municipality", "region", iri=iri
            )
            role = self._resolve("members", match["role"] or "member", "role")
            membership = NamedNode(
                record_iri(
                    self.base, "membership", f"{self.slug}--{partner.value.rsplit('/', 1)[-1]}"
                )
            )
            self.minted.append(membership.value)
            yield Triple(self.partnership, NamedNode(ORG + "hasMember"), partner)
            yield Triple(membership, RDF_TYPE, self._term("ontology#Membership"))
            yield Triple(membership, NamedNode(ORG + "member"), partner)
            yield Triple(membership, NamedNode(ORG + "organization"), self.partnership)
            yield Triple(membership, NamedNode(ORG + "role"), role)
            yield Triple(membership, NamedNode(PROV + "wasDerivedFrom"), self._source())

    def _provenance(self, subject: NamedNode) -> Iterator[Triple]:
        source = self._source()
        quotation = BlankNode()
        yield Triple(subject, NamedNode(PROV + "wasDerivedFrom"), source)
        yield Triple(subject, NamedNode(PROV + "qualifiedDerivation"), quotation)
        yield Triple(quotation, RDF_TYPE, self._term("ontology#Quotation"))
        yield Triple(quotation, NamedNode(PROV + "entity"), source)
        for column, prop in (("line_start", "lineStart"), ("line_end", "lineEnd")):
            if not self.row[column].isdigit() or int(self.row[column]) < 1:
                self._fail(column, f"{self.row[column]!r} is not a line number (1, 2, …)")
            yield Triple(
                quotation,
                self._term(f"ontology#{prop}"),
                Literal(self.row[column], datatype=NamedNode(XSD + "positiveInteger")),
            )
        yield Triple(
            quotation,
            self._term("ontology#keyPhrase"),
            Literal(self.row["key_phrase"], language="da"),
        )

    def _source(self) -> NamedNode:
        return self._resolve("source", self.row["source"], "source")

    def _names(self, column: str) -> list[tuple[str, str | None]]:
        """A cell's names, each with the IRI its reconciled twin column gives (or None)."""
        cell = self.row[column]
        names = _split(cell) if column in _MANY_VALUED else [cell] if cell else []
        twin = _split(self.row.get(column + IRI_SUFFIX, ""))
        if twin and len(twin) != len(names):
            self._fail(
                column + IRI_SUFFIX,
                f"{len(twin)} IRI(s) for {len(names)} name(s) in column {column}; "
                "give one IRI per name, in the same order, separated by ';'",
            )
        iris: list[str | None] = list(twin) or [None] * len(names)
        return list(zip(names, iris, strict=True))

    def _sdg(self, column: str, code: str, iri: str | None) -> NamedNode:
        """A goal or target by number ("4.7", "mål 4", "SDG 4"), IRI or name."""
        notation = read_notation(code) if iri is None else None
        if notation is None:
            return self._resolve(column, code, "goal", "target", iri=iri)
        if notation.kind == "Indicator":
            self._fail(column, f"{code!r} is an indicator; give an SDG goal (13) or target (13.2)")
        kind = notation.kind.lower()
        found = record_iri(self.base, kind, notation.code)
        if found not in self.known.iris:
            self._fail(column, f"there is no SDG {kind} {notation.code}")
        return NamedNode(found)

    def _date(self) -> Literal:
        value = self.row["start_date"]
        if not _DATE.match(value):
            self._fail("start_date", f"{value!r} is not a date (2021-03-01) or a year (2021)")
        datatype = "date" if "-" in value else "gYear"
        return Literal(value, datatype=NamedNode(XSD + datatype))

    def _resolve(self, column: str, value: str, *kinds: str, iri: str | None = None) -> NamedNode:
        """A record by the reconciled ``iri``, or by full IRI, ``id:`` name or slug within the
        kinds, then as the matcher (reconciliation) finds it, then by its exact label."""
        if iri is not None:
            if iri not in self.known.iris:
                self._fail(column + IRI_SUFFIX, f"{iri!r} is not a record of the graph")
            return NamedNode(iri)
        value = value.strip()
        candidates = [value] if value.startswith("http") else []
        if value.startswith("id:"):
            candidates.append(
                record_iri(self.base, *value[3:].split("/", 1)) if "/" in value else value
            )
        candidates += [record_iri(self.base, kind, slugify(value)) for kind in kinds]
        for candidate in candidates:
            if candidate in self.known.iris:
                return NamedNode(candidate)
        match = self.known.matcher.match(value, kinds) if self.known.matcher else None
        if match is not None and match.iri is not None:
            return NamedNode(match.iri)
        by_label = self.known.by_label.get(_fold(value))
        if by_label and any(f"/id/{kind}/" in by_label for kind in kinds):
            return NamedNode(by_label)
        return self._unresolved(column, value, kinds[0].replace("-", " "), match)

    def _unresolved(self, column: str, value: str, kind: str, match: NameMatch | None) -> NamedNode:
        """Note a name that did not resolve; the row is refused once every cell is read."""
        if match is not None and match.ambiguous:
            message = f"ambiguous {kind} {value!r}: several records match; choose one by its IRI"
        else:
            message = f"unknown {kind} {value!r}: give the slug, IRI or label of a known record"
        self.unresolved.append(
            UnresolvedName(
                message,
                where=f"{self.path}:row {self.number}, column {column}",
                text=value,
                candidates=match.candidates if match else (),
            )
        )
        return _UNRESOLVED

    def _term(self, local: str) -> NamedNode:
        return NamedNode(self.base + local)

    def _fail(self, column: str, problem: str) -> NoReturn:
        raise CsvImportError(problem, where=f"{self.path}:row {self.number}, column {column}")


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|]", cell) if part.strip()]


def validate_imported(
    records: ImportedRecords, base_iri: str, context: list[Triple]
) -> ImportedRecords:
    """Validate mapped records; violations are reported by CSV row."""
    from dataclasses import replace

    from sdgkg.errors import ValidationFailed
    from sdgkg.validate import validate_parsed

    path = records.path
    report = validate_parsed([records.as_parsed()], context=context, base_iri=base_iri)
    if not report.conforms:
        report.violations = [
            replace(
                v,
                file=f"{path}:row {records.rows_by_iri.get(_iri_of(v.focus_node, base_iri), '?')}",
                line=None,
            )
            for v in report.violations
        ]
        raise ValidationFailed(
            f"{len(report.violations)} problem(s); nothing was imported", report=report
        )
    return records


def _iri_of(display: str, base_iri: str) -> str:
    if display.startswith("<"):
        return display.strip("<>")
    prefix, _, local = display.partition(":")
    return DISPLAY_PREFIXES.get(prefix, "") + local
