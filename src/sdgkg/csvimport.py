"""Maps the curators' spreadsheet template to RDF records, one partnership per row.

The template is ``data/templates/partnerships.csv`` and ``docs/curating.md`` documents it.
Every problem names the CSV row and column; nothing is written unless every row maps and the
records validate.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from sdgkg.errors import CsvImportError
from sdgkg.iris import record_iri, slugify
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
_MEMBER = re.compile(r"^\s*(?P<partner>[^()]+?)\s*(?:\((?P<role>[^()]+)\))?\s*$")
_SDG = re.compile(r"^(?P<goal>[0-9]{1,2})(?:\.(?P<rest>[0-9a-z]{1,2}))?$")
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$")

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class KnownRecords:
    """IRIs and labels the rows may refer to by slug, IRI, kommunekode or label."""

    iris: set[str] = field(default_factory=set)
    by_label: dict[str, str] = field(default_factory=dict)

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
    """Map every row; raises ``CsvImportError`` naming the first bad row and column."""
    records, problems = map_csv(path, known, base_iri)
    if problems:
        raise problems[0]
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
        except CsvImportError as problem:
            problems.append(problem)
    if not records.rows_by_iri and not problems:
        raise CsvImportError("the file has a header but no rows", where=str(path))
    return records, problems


def _map_row(mapper: _RowMapper, records: ImportedRecords) -> None:
    if mapper.partnership.value in records.rows_by_iri:
        first = records.rows_by_iri[mapper.partnership.value]
        raise CsvImportError(
            f"the same id as row {first}; give each partnership its own id",
            where=f"{mapper.path}:row {mapper.number}, column id",
        )
    records.triples.extend(list(mapper.triples()))  # whole rows only: a bad row adds nothing
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
        if self.row["municipality"]:
            yield Triple(
                p,
                self._term("ontology#municipality"),
                self._resolve("municipality", self.row["municipality"], "municipality"),
            )
        for column, prop in (("stated_sdgs", "statedSDG"), ("assigned_sdgs", "assignedSDG")):
            for code in _split(self.row[column]):
                yield Triple(p, self._term(f"ontology#{prop}"), self._sdg(column, code))
        if self.row["partnership_type"]:
            yield Triple(
                p,
                self._term("ontology#partnershipType"),
                self._resolve("partnership_type", self.row["partnership_type"], "partnership-type"),
            )
        for domain in _split(self.row["unesco_domains"]):
            yield Triple(
                p,
                self._term("ontology#unescoDomain"),
                self._resolve("unesco_domains", domain, "unesco-domain"),
            )
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
        for item in _split(self.row["members"]):
            match = _MEMBER.match(item)
            if not match:
                self._fail("members", f"{item!r} is not 'partner (role)'")
            partner = self._resolve(
                "members", match["partner"], "partner", "municipality", "region"
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

    def _sdg(self, column: str, code: str) -> NamedNode:
        match = _SDG.match(code.lower().removeprefix("sdg").strip())
        if not match:
            self._fail(column, f"{code!r} is not an SDG goal (13) or target (13.2)")
        kind = "target" if match["rest"] else "goal"
        iri = record_iri(self.base, kind, match.group(0))
        if iri not in self.known.iris:
            self._fail(column, f"there is no SDG {kind} {match.group(0)}")
        return NamedNode(iri)

    def _date(self) -> Literal:
        value = self.row["start_date"]
        if not _DATE.match(value):
            self._fail("start_date", f"{value!r} is not a date (2021-03-01) or a year (2021)")
        datatype = "date" if "-" in value else "gYear"
        return Literal(value, datatype=NamedNode(XSD + datatype))

    def _resolve(self, column: str, value: str, *kinds: str) -> NamedNode:
        """A record by full IRI, ``id:`` name, slug within the kinds, kommunekode, or label."""
        value = value.strip()
        candidates = [value] if value.startswith("http") else []
        if value.startswith("id:"):
            candidates.append(
                record_iri(self.base, *value[3:].split("/", 1)) if "/" in value else value
            )
        candidates += [record_iri(self.base, kind, slugify(value)) for kind in kinds]
        for iri in candidates:
            if iri in self.known.iris:
                return NamedNode(iri)
        by_label = self.known.by_label.get(_fold(value))
        if by_label and any(f"/id/{kind}/" in by_label for kind in kinds):
            return NamedNode(by_label)
        self._fail(
            column,
            f"unknown {kinds[0].replace('-', ' ')} {value!r}: "
            "give the slug, IRI or label of a known record",
        )

    def _term(self, local: str) -> NamedNode:
        return NamedNode(self.base + local)

    def _fail(self, column: str, problem: str) -> NoReturn:
        raise CsvImportError(problem, where=f"{self.path}:row {self.number}, column {column}")


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|]", cell) if part.strip()]


def import_and_validate(path: Path, base_iri: str, context: list[Triple]) -> ImportedRecords:
    """Map the CSV and validate the records; violations are reported by CSV row."""
    from dataclasses import replace

    from sdgkg.errors import ValidationFailed
    from sdgkg.validate import validate_parsed

    records = import_csv(path, KnownRecords.from_triples(context), base_iri)
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
