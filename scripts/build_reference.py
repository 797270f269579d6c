"""Build the reference RDF in ``data/reference/`` from the CSVs in ``data/reference/csv/``.

Usage::

    python scripts/build_reference.py            # (re)write the Turtle files
    python scripts/build_reference.py --check    # exit 1 if a committed file differs
    python scripts/build_reference.py --seeds-dir DIR   # also verify the quoted key phrases

The CSVs (and their provenance notes ``SOURCES*.md``) are the editable inputs; the Turtle files are
derived and committed, so the bundle loads without a build step (STYLE.md, habit 13). The output is
byte-for-byte deterministic: records are written in natural order of their IRIs, predicates in a
fixed order, objects sorted, and only the prefixes a file uses are declared.

A few small vocabularies are not in any CSV; they were read from the source texts and are kept
here as tables with the lines they come from: CISU's partnership types (seed 004), Sønderborg's
four dimensions of sustainability (seed 002), the membership roles, and the seed documents
themselves. Their key phrases are verbatim; ``--seeds-dir`` checks that against the texts.

Data model: docs/model.md. Turtle 1.1: https://www.w3.org/TR/turtle/
"""

from __future__ import annotations

import argparse
import csv
import logging
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSV_DIR = ROOT / "data" / "reference" / "csv"
OUT_DIR = ROOT / "data" / "reference"

try:  # the one slug rule of the project (sdgkg.iris); the package need not be installed
    from sdgkg.iris import slugify
except ImportError:  # pragma: no cover - running from a plain checkout
    sys.path.insert(0, str(ROOT / "src"))
    from sdgkg.iris import slugify

log = logging.getLogger("build_reference")

BASE = "https://w3id.org/sdgkg/"
PREFIXES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sdgkg": BASE + "ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
    "unsdg": "http://metadata.un.org/sdg/",
    # One prefix per kind of record: `id:goal/13` is not a valid Turtle prefixed name.
    **{
        kind: f"{BASE}id/{kind}/"
        for kind in (
            "scheme", "goal", "target", "indicator", "region", "municipality", "unesco-domain",
            "learning-city", "partnership-type", "dimension", "role", "source", "job-title",
            "country", "partnership-characteristic",
        )
    },
}  # fmt: skip

# Predicates are written in this order; any other predicate follows, alphabetically.
PREDICATE_ORDER = [
    "rdf:type", "skos:notation", "rdfs:label", "skos:prefLabel", "skos:altLabel", "dcterms:title",
    "skos:definition", "dcterms:description", "skos:editorialNote", "skos:inScheme",
    "skos:topConceptOf", "skos:hasTopConcept", "skos:broader", "skos:exactMatch",
    "sdgkg:kommunekode", "sdgkg:regionskode", "sdgkg:inRegion", "schema:sameAs",
    "dcterms:publisher", "dcterms:issued", "dcterms:language", "dcterms:license", "dcterms:rights",
    "dcterms:source", "sdgkg:fileName", "prov:wasDerivedFrom", "prov:qualifiedDerivation",
    "prov:entity", "sdgkg:lineStart", "sdgkg:lineEnd", "sdgkg:keyPhrase",
]  # fmt: skip
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


# --- terms and records ------------------------------------------------------------------------


def expand(curie: str) -> str:
    """Full IRI of ``prefix:local``; a string that is already an IRI passes unchanged."""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return curie


@dataclass(frozen=True, order=True)
class Iri:
    value: str

    @classmethod
    def of(cls, curie_or_iri: str) -> Iri:
        return cls(expand(curie_or_iri))


@dataclass(frozen=True)
class Lit:
    value: str
    lang: str = ""
    datatype: str = ""  # a CURIE such as "xsd:date"; empty for xsd:string


@dataclass
class Node:
    """A blank node written inline (``[ … ]``), e.g. a qualified derivation."""

    props: dict[str, list[Term]] = field(default_factory=dict)


Term = Iri | Lit | Node


@dataclass
class Record:
    subject: str  # a full IRI
    props: dict[str, list[Term]] = field(default_factory=dict)

    def add(self, predicate: str, *objects: Term | None) -> Record:
        """Append the objects that are not None; an empty literal is a gap, not a value."""
        kept = [o for o in objects if o is not None and not (isinstance(o, Lit) and not o.value)]
        if kept:
            self.props.setdefault(predicate, []).extend(kept)
        return self


def record(curie: str, *types: str) -> Record:
    return Record(expand(curie)).add("rdf:type", *(Iri.of(t) for t in types))


def en(text: str) -> Lit:
    return Lit(text, "en")


def da(text: str) -> Lit:
    return Lit(text, "da")


def quotation(source: str, line_start: int, line_end: int, key_phrase: Lit) -> Node:
    """A ``sdgkg:Quotation``: the passage of a source a curated record was read from."""
    node = Node()
    for predicate, value in (
        ("rdf:type", Iri.of("sdgkg:Quotation")),
        ("prov:entity", Iri.of(source)),
        ("sdgkg:lineStart", Lit(str(line_start), datatype="xsd:positiveInteger")),
        ("sdgkg:lineEnd", Lit(str(line_end), datatype="xsd:positiveInteger")),
        ("sdgkg:keyPhrase", key_phrase),
    ):
        node.props[predicate] = [value]
    return node


def natural_key(text: str) -> tuple[str | int, ...]:
    """Sort key putting ``goal/2`` before ``goal/10`` and ``target/1.9`` before ``target/1.a``."""
    return tuple(int(p) if i % 2 else p for i, p in enumerate(re.split(r"(\d+)", text)))


# --- Turtle writer ----------------------------------------------------------------------------


class TurtleWriter:
    """Writes records as Turtle with prefixed names, declaring only the prefixes it used."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def iri(self, value: str) -> str:
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
            local = value[len(namespace) :]
            if value.startswith(namespace) and _LOCAL_NAME.fullmatch(local):
                self.used.add(prefix)
                return f"{prefix}:{local}"
        return f"<{value}>"

    def literal(self, lit: Lit) -> str:
        text = (
            lit.value.replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        )  # fmt: skip
        if lit.lang:
            return f'"{text}"@{lit.lang}'
        if lit.datatype:
            return f'"{text}"^^{self.iri(expand(lit.datatype))}'
        return f'"{text}"'

    def term(self, term: Term, indent: str) -> str:
        if isinstance(term, Iri):
            return self.iri(term.value)
        if isinstance(term, Lit):
            return self.literal(term)
        inner = indent + "    "
        return "[\n" + self.predicate_list(term.props, inner) + f"\n{indent}]"

    def predicate_list(self, props: dict[str, list[Term]], indent: str) -> str:
        lines = []
        for predicate in sorted(props, key=_predicate_rank):
            verb = "a" if predicate == "rdf:type" else self.iri(expand(predicate))
            objects = [self.term(o, indent) for o in sorted(props[predicate], key=_object_key)]
            if any("\n" in obj for obj in objects):  # blank nodes: `], [` between them
                lines.append(f"{indent}{verb} " + ", ".join(objects))
                continue
            lines.append(f"{indent}{verb} " + _wrap(objects, len(indent) + len(verb) + 1, indent))
        return " ;\n".join(lines)

    def record(self, rec: Record) -> str:
        props = dict(rec.props)
        head = self.iri(rec.subject)
        types = props.pop("rdf:type", [])
        first = head + (" a " + ", ".join(self.term(t, "") for t in sorted(types, key=_object_key)))
        if not props:
            return first + " ."
        return first + " ;\n" + self.predicate_list(props, "    ") + " ."

    def document(self, header: Iterable[str], records: Iterable[Record]) -> str:
        body = "\n\n".join(self.record(r) for r in records)
        prefixes = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(self.used))
        comments = "".join(f"# {line}".rstrip() + "\n" for line in header)
        return f"{comments}\n{prefixes}\n{body}\n"


def _wrap(objects: list[str], column: int, indent: str, width: int = 100) -> str:
    """An object list, as many objects to a line as fit in ``width`` columns."""
    lines: list[list[str]] = [[]]
    for obj in objects:
        if lines[-1] and column + len(", ".join([*lines[-1], obj])) + 2 > width:
            lines.append([])
            column = len(indent) + 4
        lines[-1].append(obj)
    return (",\n" + indent + "    ").join(", ".join(line) for line in lines)


def _predicate_rank(predicate: str) -> tuple[int, str]:
    if predicate in PREDICATE_ORDER:
        return PREDICATE_ORDER.index(predicate), ""
    return len(PREDICATE_ORDER), predicate


def _object_key(term: Term) -> tuple[int, str, tuple[str | int, ...]]:
    if isinstance(term, Iri):
        return 0, "", natural_key(_abbreviated(term.value))
    if isinstance(term, Lit):
        return 1, term.lang + term.datatype, natural_key(term.value)
    return 2, "", ()


def _abbreviated(value: str) -> str:
    return TurtleWriter().iri(value)


# --- reading the CSVs -------------------------------------------------------------------------


def read_csv(csv_dir: Path, name: str) -> list[dict[str, str]]:
    with (csv_dir / name).open(encoding="utf-8", newline="") as f:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(f)]


def source_curie(csv_name: str) -> str:
    """``id:source/<csv-stem-with-dashes>``, e.g. ``sdg_goals.csv`` -> ``source:sdg-goals``."""
    return "source:" + Path(csv_name).stem.replace("_", "-")


def concept_scheme(
    curie: str, labels: tuple[str, str], description: str, sources: list[str]
) -> Record:
    scheme = record(curie, "skos:ConceptScheme")
    scheme.add("rdfs:label", en(labels[0]), da(labels[1]))
    scheme.add("skos:prefLabel", en(labels[0]), da(labels[1]))
    scheme.add("dcterms:description", en(description))
    scheme.add("prov:wasDerivedFrom", *(Iri.of(s) for s in sources))
    return scheme


def concept(curie: str, kind: str, scheme: str, source: str, *, top: bool = False) -> Record:
    """A SKOS concept of an ``sdgkg:`` class, in its scheme, derived from its source."""
    rec = record(curie, f"sdgkg:{kind}", "skos:Concept")
    rec.add("skos:inScheme", Iri.of(scheme))
    if top:
        rec.add("skos:topConceptOf", Iri.of(scheme))
    return rec.add("prov:wasDerivedFrom", Iri.of(source))


def labelled(rec: Record, label_en: str, label_da: str = "") -> Record:
    """rdfs:label and skos:prefLabel in each language the source gives."""
    for predicate in ("rdfs:label", "skos:prefLabel"):
        rec.add(predicate, en(label_en), da(label_da))
    return rec


def link_top_concepts(scheme: Record, concepts: Iterable[Record]) -> None:
    for rec in concepts:
        if "skos:topConceptOf" in rec.props:
            scheme.add("skos:hasTopConcept", Iri(rec.subject))


def sorted_records(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: natural_key(_abbreviated(r.subject)))


# --- SDG: goals, targets, indicators ----------------------------------------------------------


def build_sdg(csv_dir: Path) -> list[Record]:
    sources = [source_curie(n) for n in ("sdg_goals.csv", "sdg_targets.csv", "sdg_indicators.csv")]
    scheme = concept_scheme(
        "scheme:sdg",
        ("UN Sustainable Development Goals", "FN's verdensmål for bæredygtig udvikling"),
        "The 17 goals, 169 targets and the indicators of the UN 2030 Agenda (A/RES/70/1), each "
        "matched to its IRI in the UN SDG Knowledge Organization System.",
        sources,
    )
    scheme.add("dcterms:source", Iri("http://metadata.un.org/sdg/"))
    scheme.add(
        "skos:editorialNote",
        en(
            "Known gaps: Danish full titles of goals, targets and indicators are not included (no "
            "authoritative Danish text was found; only the 17 Danish short titles are). The "
            "indicators are the framework as of 30 November 2022; the 2025 comprehensive review "
            "is not yet reflected. See data/reference/csv/SOURCES-sdg.md."
        ),
    )
    goals = [goal_record(row, sources[0]) for row in read_csv(csv_dir, "sdg_goals.csv")]
    targets = [target_record(row, sources[1]) for row in read_csv(csv_dir, "sdg_targets.csv")]
    indicators = indicator_records(read_csv(csv_dir, "sdg_indicators.csv"), sources[2])
    link_top_concepts(scheme, goals)
    return [scheme, *sorted_records(goals), *sorted_records(targets), *indicators]


def goal_record(row: dict[str, str], source: str) -> Record:
    rec = concept(f"goal:{row['goal']}", "Goal", "scheme:sdg", source, top=True)
    rec.add("skos:notation", Lit(row["goal"]))
    labelled(rec, row["short_title_en"], row["short_title_da"])
    rec.add("dcterms:title", en(row["title_en"]), da(row["title_da"]))
    return rec.add("skos:exactMatch", Iri(row["un_iri"]))


def target_record(row: dict[str, str], source: str) -> Record:
    notation = row["target"]
    rec = concept(f"target:{notation}", "Target", "scheme:sdg", source)
    rec.add("skos:notation", Lit(notation))
    labelled(rec, f"Target {notation}", f"Delmål {notation}")
    rec.add("dcterms:title", en(row["title_en"]), da(row["title_da"]))
    rec.add("skos:broader", Iri.of(f"goal:{row['goal']}"))
    return rec.add("skos:exactMatch", Iri(row["un_iri"]))


def indicator_records(rows: list[dict[str, str]], source: str) -> list[Record]:
    """One Indicator per distinct UN code; a repeated indicator has several targets.

    The UN lists some indicators under two or three targets, each time with its own number
    (1.5.1 = 11.5.1 = 13.1.1, one code C200303). The record takes its IRI, rdfs:label and
    skos:prefLabel from the lowest number; the others are extra notations and skos:altLabels.
    """
    by_code: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_code[row["un_iri"]].append(row)
    records = [_indicator(sorted(group, key=_by_indicator), source) for group in by_code.values()]
    return sorted_records(records)


def _by_indicator(row: dict[str, str]) -> tuple[str | int, ...]:
    return natural_key(row["indicator"])


def _indicator(group: list[dict[str, str]], source: str) -> Record:
    first = group[0]
    titles = {row["title_en"] for row in group}
    if len(titles) != 1:
        raise ValueError(f"{first['un_iri']}: repeated indicator with different texts {titles}")
    rec = concept(f"indicator:{first['indicator']}", "Indicator", "scheme:sdg", source)
    rec.add("skos:notation", *(Lit(row["indicator"]) for row in group))
    labelled(rec, f"Indicator {first['indicator']}", f"Indikator {first['indicator']}")
    for row in group[1:]:
        rec.add("skos:altLabel", en(f"Indicator {row['indicator']}"))
        rec.add("skos:altLabel", da(f"Indikator {row['indicator']}"))
    rec.add("dcterms:title", en(first["title_en"]))
    rec.add("skos:broader", *(Iri.of(f"target:{row['target']}") for row in group))
    return rec.add("skos:exactMatch", Iri(first["un_iri"]))


# --- Danish regions and municipalities --------------------------------------------------------


def build_dk_admin(csv_dir: Path) -> list[Record]:
    region_source = source_curie("dk_regions.csv")
    municipality_source = source_curie("dk_municipalities.csv")
    regions: dict[str, Record] = {}
    for row in read_csv(csv_dir, "dk_regions.csv"):
        rec = record(f"region:{slugify(row['name_da'])}", "sdgkg:Region")
        rec.add("rdfs:label", da(row["name_da"]), en(row["name_en"]))
        rec.add("sdgkg:regionskode", Lit(row["regionskode"]))
        rec.add("schema:sameAs", _wikidata(row["wikidata"]))
        regions[row["regionskode"]] = rec.add("prov:wasDerivedFrom", Iri.of(region_source))
    municipalities = []
    for row in read_csv(csv_dir, "dk_municipalities.csv"):
        rec = record(f"municipality:{slugify(row['name_da'])}", "sdgkg:Municipality")
        labels = [da(row["name_da"]), en(row["name_en"])]
        rec.add("rdfs:label", *labels)
        rec.add("skos:altLabel", *(n for n in municipality_names(row) if n not in labels))
        rec.add("sdgkg:kommunekode", Lit(row["kommunekode"]))
        rec.add("sdgkg:inRegion", Iri(regions[row["regionskode"]].subject))
        rec.add("schema:sameAs", _wikidata(row["wikidata"]))
        municipalities.append(rec.add("prov:wasDerivedFrom", Iri.of(municipality_source)))
    _require_unique(municipalities)
    return [*sorted_records(regions.values()), *sorted_records(municipalities)]


# Two municipalities are not called "<name> Kommune": their official names (kommunekode: Danish,
# English) replace the generated forms.
OFFICIAL_MUNICIPALITY_NAMES = {
    "101": ("Københavns Kommune", "Copenhagen Municipality"),
    "400": ("Bornholms Regionskommune", "Bornholm Regional Municipality"),
}


def municipality_names(row: dict[str, str]) -> list[Lit]:
    """The names people write: "X Kommune", "X Municipality" and the bare name "X"."""
    name_da, name_en = OFFICIAL_MUNICIPALITY_NAMES.get(
        row["kommunekode"], (f"{row['name_da']} Kommune", f"{row['name_en']} Municipality")
    )
    return [da(name_da), en(name_en), da(row["name_da"])]


def _wikidata(qid: str) -> Iri | None:
    return Iri.of(f"wd:{qid}") if qid else None


def _require_unique(records: list[Record]) -> None:
    seen: set[str] = set()
    for rec in records:
        if rec.subject in seen:
            raise ValueError(f"two records would share the IRI {rec.subject}")
        seen.add(rec.subject)


# --- UNESCO domains and the learning-city framework -------------------------------------------


# What each sector concerns, as a phrase for its definition (English, Danish). The definitions are
# the project's, made from the sector names; the CSV gives labels only.
UNESCO_SECTORS = {
    "education": ("education", "uddannelse"),
    "natural-sciences": ("the natural sciences", "naturvidenskab"),
    "social-and-human-sciences": ("the social and human sciences", "samfunds- og humanvidenskab"),
    "culture": ("culture", "kultur"),
    "communication-and-information": ("communication and information",
                                      "kommunikation og information"),
}  # fmt: skip


def build_unesco_domains(csv_dir: Path) -> list[Record]:
    source = source_curie("unesco_domains.csv")
    scheme = concept_scheme(
        "scheme:unesco-domains",
        ("UNESCO domains", "UNESCO's kerneområder"),
        "UNESCO's five programme sectors, used to say which part of UNESCO's mandate a "
        "partnership, initiative or partner works in.",
        [source],
    )
    scheme.add("dcterms:source", Lit("UNESCO's programme sectors; see SOURCES-dk-unesco.md"))
    scheme.add(
        "skos:editorialNote",
        en(
            "Danish official usage names four mandate areas (science as one); the split into "
            "Naturvidenskab and Samfundsvidenskab follows the Danish Ministry of Children and "
            "Education. The ids are descriptive slugs made for this project, not UNESCO codes."
        ),
    )
    domains = []
    for row in read_csv(csv_dir, "unesco_domains.csv"):
        rec = concept(
            f"unesco-domain:{row['id']}", "UNESCODomain", "scheme:unesco-domains", source, top=True
        )
        labelled(rec, row["label_en"], row["label_da"])
        sector_en, sector_da = UNESCO_SECTORS[row["id"]]
        rec.add(
            "skos:definition",
            en(f"The part of UNESCO's mandate that concerns {sector_en}: UNESCO's "
               f"{row['label_en']} Sector."),
            da(f"Den del af UNESCO's mandat, der angår {sector_da}: UNESCO's sektor for "
               f"{sector_da}."),
        )  # fmt: skip
        domains.append(rec)
    link_top_concepts(scheme, domains)
    return [scheme, *sorted_records(domains)]


LEARNING_CITY_GAP = (
    "Known gap: the framework has 42 key features (ids 1.1.1 …), but their wording is not in the "
    "reference CSV (unesco_learning_cities_key_features.csv), so no LearningCityKeyFeature "
    "concept is given here; none was invented. To complete it, add the 42 rows from UIL's "
    "'UNESCO Global Network of Learning Cities – Guiding Documents' (2015) and rebuild."  # noqa: RUF001
)


# The project's Danish translation of the framework's English labels (by notation).
LEARNING_CITY_DANISH = {
    "1": "Bredere fordele ved at opbygge en læringsby",
    "2": "En læringsbys vigtigste byggesten",
    "3": "Grundlæggende betingelser for at opbygge en læringsby",
    "1.1": "Styrkelse af den enkelte og social sammenhængskraft",
    "1.2": "Økonomisk udvikling og kulturel opblomstring",
    "1.3": "Bæredygtig udvikling",
    "2.1": "Inkluderende læring i uddannelsessystemet",
    "2.2": "Fornyet læring i familier og lokalsamfund",
    "2.3": "Effektiv læring til og på arbejdspladsen",
    "2.4": "Udvidet brug af moderne læringsteknologier",
    "2.5": "Højere kvalitet i læring",
    "2.6": "En levende kultur for livslang læring",
    "3.1": "Stærk politisk vilje og forpligtelse",
    "3.2": "Styring og deltagelse af alle interessenter",
    "3.3": "Mobilisering og udnyttelse af ressourcer",
}


def learning_city_area(number: str, label_en: str, source: str) -> Record:
    area = concept(
        f"learning-city:{number}", "LearningCityArea", "scheme:learning-city-framework", source,
        top=True,
    )  # fmt: skip
    area.add("skos:notation", Lit(number))
    labelled(area, label_en, LEARNING_CITY_DANISH[number])
    return area.add("skos:definition", *learning_city_definitions(number, label_en))


def learning_city_definitions(notation: str, label_en: str) -> tuple[Lit, Lit]:
    """Definitions made from the labels: what part of the framework the concept is."""
    label_da = LEARNING_CITY_DANISH[notation]
    if "." not in notation:
        return (
            en(f"Area {notation} of UNESCO's Key Features of Learning Cities: "
               f"{_lower_first(label_en)}."),
            da(f"Område {notation} i UNESCO's Key Features of Learning Cities: "
               f"{_lower_first(label_da)}."),
        )  # fmt: skip
    area = notation.split(".")[0]
    return (
        en(f"Area of focus {notation} of UNESCO's Key Features of Learning Cities, in area "
           f"{area}: {_lower_first(label_en)}."),
        da(f"Fokusområde {notation} i UNESCO's Key Features of Learning Cities, i område "
           f"{area}: {_lower_first(label_da)}."),
    )  # fmt: skip


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def build_learning_city(csv_dir: Path) -> list[Record]:
    source = source_curie("unesco_learning_cities_key_features.csv")
    scheme = concept_scheme(
        "scheme:learning-city-framework",
        ("UNESCO Key Features of Learning Cities", "UNESCO's Key Features for læringsbyer"),
        "The framework of the UNESCO Global Network of Learning Cities (Beijing, 2013): three "
        "areas (wider benefits, major building blocks, fundamental conditions) and their twelve "
        "areas of focus.",
        [source],
    )
    scheme.add("dcterms:source", Lit("UIL, Key Features of Learning Cities (2013/2015)"))
    scheme.add(
        "skos:editorialNote",
        en(LEARNING_CITY_GAP),
        en("The source gives the wording in English only: the Danish labels are the project's "
           "translation, and the definitions (both languages) are the project's, made from the "
           "labels."),
    )  # fmt: skip
    areas: dict[str, Record] = {}
    focus_areas = []
    for row in read_csv(csv_dir, "unesco_learning_cities_key_features.csv"):
        area_number, _ = row["id"].split(".", 1)
        if area_number not in areas:
            areas[area_number] = learning_city_area(area_number, row["area"], source)
        focus = concept(
            f"learning-city:{row['id']}", "LearningCityFocusArea",
            "scheme:learning-city-framework", source,
        )  # fmt: skip
        focus.add("skos:notation", Lit(row["id"]))
        labelled(focus, row["focus"], LEARNING_CITY_DANISH[row["id"]])
        focus.add("skos:definition", *learning_city_definitions(row["id"], row["focus"]))
        focus_areas.append(focus.add("skos:broader", Iri(areas[area_number].subject)))
        if row["key_feature_en"]:
            raise ValueError("key features are in the CSV now: add LearningCityKeyFeature records")
    link_top_concepts(scheme, areas.values())
    return [scheme, *sorted_records([*areas.values(), *focus_areas])]


# --- vocabularies read from the seed texts ----------------------------------------------------


@dataclass(frozen=True)
class Curated:
    """A concept read from a seed text: labels, own-words definition, and where it was read."""

    slug: str
    label_en: str
    label_da: str
    definition: str
    seed: str  # "004"
    lines: tuple[int, int]
    key_phrase: str  # verbatim, Danish, at most 12 words
    definition_da: str = field(kw_only=True)  # says the same as the English one
    alt_labels: tuple[Lit, ...] = field(default=(), kw_only=True)


PARTNERSHIP_TYPES = [
    Curated(
        "value-based", "Value-based partnership", "Det værdibaserede partnerskab",
        "Cooperation resting on values the partners share (religious, political or personal) "
        "rather than on projects or grants, which only supplement it; long-term, with no "
        "planned end.",
        "004", (20, 22), "Det værdibaserede partnerskab",
        definition_da="Et samarbejde, der hviler på værdier, som partnerne deler "
        "(religiøse, politiske eller personlige), snarere end på projekter eller "
        "bevillinger, som kun supplerer det; langsigtet og uden planlagt ophør.",
    ),
    Curated(
        "value-based-project", "Value-based project partnership",
        "Det værdibaserede projekt partnerskab",
        "A value-based partnership in which grants have come to weigh heavily, so that it "
        "balances shared values against a donor-funded relationship; long-term, with concrete "
        "projects as its current frame.",
        "004", (26, 28), "Det værdibaserede projekt partnerskab",
        definition_da="Et værdibaseret partnerskab, hvor bevillinger er kommet til at fylde "
        "meget, så det må balancere mellem fælles værdier og et donorstøttet samarbejde; "
        "langsigtet, med konkrete projekter som den foreløbige ramme.",
    ),
    Curated(
        "professionally-founded", "Professionally founded partnership",
        "Det fagligt funderede partnerskab",
        "Cooperation built around a professional theme such as renewable energy, health or "
        "human rights, where projects are central and there is some donor relationship; often "
        "time-limited, phased out gradually after a close initial project.",
        "004", (32, 34), "Det fagligt funderede partnerskab",
        definition_da="Et samarbejde bygget op om et fagligt tema som vedvarende energi, "
        "sundhed eller menneskerettigheder, hvor projekter står centralt og der er en vis "
        "donorrelation; ofte tidsafgrænset og udfaset gradvist efter et tæt indledende "
        "projekt.",
    ),
    Curated(
        "part-of-an-international-organisation",
        "Partnership as part of an international organisation",
        "Partnerskab som del af en international organisation",
        "Cooperation in which the Danish and/or the local organisation belongs to an "
        "international network and draws on its capacity and knowledge; often time-limited.",
        "004", (38, 40), "Partnerskab som del af en international organisation",
        definition_da="Et samarbejde, hvor den danske og/eller den lokale organisation "
        "hører til et internationalt netværk og trækker på dets kapacitet og viden; ofte "
        "tidsafgrænset.",
    ),
    Curated(
        "alliance-partner", "Alliance partner", "Alliancepartner",
        "Cooperation centred on exchanging experience and information about a shared "
        "professional or political agenda, rather than on joint projects or money; lasts as "
        "long as the common interest does.",
        "004", (44, 46), "Alliancepartner",
        definition_da="Et samarbejde centreret om udveksling af erfaringer og information "
        "om en fælles faglig eller politisk dagsorden snarere end om fælles projekter eller "
        "penge; varer, så længe den fælles interesse gør.",
    ),
]  # fmt: skip

SUSTAINABILITY_DIMENSIONS = [
    Curated(
        "environmental", "Environmental sustainability", "Miljømæssig bæredygtighed",
        "Sustainability with regard to the environment and resources. Sønderborg's example: "
        "reusing the soil removed when a new road is built, turning a waste product into a "
        "resource.",
        "002", (97, 99), "Miljømæssig bæredygtighed",
        definition_da="Bæredygtighed med hensyn til miljø og ressourcer. Sønderborgs "
        "eksempel: at genbruge den jord, der fjernes, når en ny vej anlægges, så et "
        "affaldsprodukt bliver til en ressource.",
    ),
    Curated(
        "cultural", "Cultural sustainability", "Kulturel bæredygtighed",
        "Sustainability with regard to culture. Sønderborg's example: the area's ethnic-minority "
        "kindergartens are part of the municipal organisation on an equal footing with other "
        "day care.",
        "002", (101, 102), "Kulturel bæredygtighed",
        definition_da="Bæredygtighed med hensyn til kultur. Sønderborgs eksempel: områdets "
        "etniske mindretalsbørnehaver indgår i den kommunale organisation på lige fod med "
        "øvrige dagtilbud.",
    ),
    Curated(
        "economic", "Economic sustainability", "Økonomisk bæredygtighed",
        "Sustainability with regard to the economy, seen for instance in the sharing economy. "
        "Sønderborg's example: shared cars and village buses developed with local village "
        "communities.",
        "002", (104, 106), "Økonomisk bæredygtighed",
        definition_da="Bæredygtighed med hensyn til økonomien, som den for eksempel ses i "
        "deleøkonomien. Sønderborgs eksempel: delebiler og landsbybusser udviklet sammen "
        "med de lokale landsbysamfund.",
    ),
    Curated(
        "social", "Social sustainability", "Social bæredygtighed",
        "Sustainability with regard to people's living conditions. Sønderborg's example: "
        "anonymous advice for young parents that improves their child's chances of a good life.",
        "002", (108, 110), "Social bæredygtighed",
        definition_da="Bæredygtighed med hensyn til menneskers levevilkår. Sønderborgs "
        "eksempel: anonym rådgivning til unge forældre, som forbedrer deres barns "
        "muligheder for et godt liv.",
    ),
]  # fmt: skip

ROLES = [
    Curated(
        "member", "Member", "Medlem",
        "A partner that belongs to a partnership or membership organisation as one of its "
        "members.",
        "001", (66, 66), "Bæredygtig Herning, som fungerer som en medlemsorganisation",
        definition_da="En partner, der hører til et partnerskab eller en "
        "medlemsorganisation som et af dets medlemmer.",
    ),
    Curated(
        "lead", "Lead partner (coordinator)", "Ledende partner (koordinator)",
        "The partner that initiates, leads or coordinates a partnership or initiative.",
        "000", (12, 12), "Være en igangsætter og inspirator som fremmer processer",
        definition_da="Den partner, der tager initiativ til, leder eller koordinerer et "
        "partnerskab eller et initiativ.",
    ),
    Curated(
        "co-organiser", "Co-organiser", "Medarrangør",
        "A partner that organises an event or activity together with others.",
        "000", (34, 34), "markerer vi World Press Freedom Day",
        definition_da="En partner, der arrangerer en begivenhed eller aktivitet sammen med "
        "andre.",
    ),
    Curated(
        "funder", "Funder", "Bevillingsgiver",
        "A partner that contributes money, such as a grant or a donation.",
        "001", (122, 122), "med en mindre donation fra Salling Fondene",
        definition_da="En partner, der bidrager med penge, for eksempel en bevilling eller "
        "en donation.",
    ),
    Curated(
        "knowledge-partner", "Knowledge partner", "Videnspartner",
        "A partner that contributes expertise or research, such as a university researcher.",
        "000", (33, 33), "Poul Duedahl, Professor, Institut for Politik og Samfund på Aalborg "
        "Universitet",
        definition_da="En partner, der bidrager med ekspertise eller forskning, for "
        "eksempel en forsker på et universitet.",
    ),
    Curated(
        "network-member", "Network member", "Netværksmedlem",
        "A partner that takes part through its membership of a wider network, such as a city "
        "in the UNESCO Global Network of Learning Cities.",
        "002", (26, 28), "Sønderborg er den første danske kommune, der er optaget i netværket",
        definition_da="En partner, der deltager gennem sit medlemskab af et bredere "
        "netværk, for eksempel en by i UNESCO's globale netværk af læringsbyer.",
    ),
    Curated(
        "host", "Host", "Vært",
        "A partner that provides the place or facilities where an initiative happens.",
        "001", (106, 106), "DOKK1 i Aarhus er blevet hjemsted for Verdensrummet",
        definition_da="En partner, der stiller stedet eller faciliteterne til rådighed, "
        "hvor et initiativ finder sted.",
    ),
    Curated(
        "award-partner", "Award partner", "Prispartner",
        "A partner that gives an award or prize together with others.",
        "000", (29, 29), "uddeler vi en pris til unge kvindelige forskere",
        definition_da="En partner, der uddeler en pris sammen med andre.",
    ),
]  # fmt: skip


# CISU's typology as data (seed 004): the values of each facet, one scheme per facet, and which
# value the text gives each type. Only what the text states for a type is recorded; a facet it is
# silent on for a type is left out.


@dataclass(frozen=True)
class Facet:
    """A scheme of characteristics and the sdgkg: property that points to them from a type."""

    scheme_slug: str
    property: str
    labels: tuple[str, str]  # English, Danish
    description: str
    values: list[Curated]


FACETS = [
    Facet("partnership-bases", "sdgkg:basis",
          ("Bases of partnerships", "Partnerskabers grundlag"),
          "What a partnership is based on, as CISU's typology describes it.", [
        Curated(
            "shared-values", "Shared values", "Fælles værdigrundlag",
            "The partners share a set of values, for instance religious, political or personal, "
            "and that community of values is the starting point of the collaboration.",
            "004", (22, 22), "Et samarbejde baseret på et fælles værdigrundlag",
            definition_da="Partnerne deler et værdigrundlag, for eksempel religiøst, politisk "
            "eller personligt, og det værdifællesskab er udgangspunktet for samarbejdet.",
        ),
        Curated(
            "professional-theme", "Professional theme", "Fagligt tema",
            "The collaboration is based on a professional theme, such as renewable energy, "
            "health, education, conflict resolution or human rights.",
            "004", (34, 34), "Et samarbejde, som er baseret på et fagligt tema",
            definition_da="Samarbejdet er baseret på et fagligt tema, for eksempel vedvarende "
            "energi, sundhed, uddannelse, konfliktløsning eller menneskerettigheder.",
        ),
        Curated(
            "international-network", "Part of an international network",
            "Del af et internationalt netværk",
            "The Danish and/or the local organisation is part of an international network, "
            "whose capacity and knowledge the organisations benefit from.",
            "004", (40, 40), "er en del af et internationalt netværk",
            definition_da="Den danske og/eller den lokale organisation er en del af et "
            "internationalt netværk, hvis kapacitet og viden organisationerne drager fordel af.",
        ),
        Curated(
            "shared-agenda", "Shared professional or political agenda",
            "Fælles faglig eller politisk dagsorden",
            "The partners are not close to each other's daily work but share a particular "
            "professional or political agenda.",
            "004", (46, 46), "fælles om en bestemt faglig eller politisk dagsorden",
            definition_da="Partnerne er ikke tæt på hinandens daglige arbejde, men er fælles om "
            "en bestemt faglig eller politisk dagsorden.",
        ),
    ]),
    Facet("partnership-focuses", "sdgkg:focus",
          ("Focuses of partnerships", "Partnerskabers fokus"),
          "What a partnership concentrates on, as CISU's typology describes it.", [
        Curated(
            "projects", "Concrete projects", "Konkrete projekter",
            "Concrete projects frame the collaboration or play a central part in the reason for "
            "the partnership.",
            "004", (34, 34), "projekter spiller en central rolle i begrundelsen for partnerskabet",
            definition_da="Konkrete projekter er rammen om samarbejdet eller spiller en central "
            "rolle i begrundelsen for partnerskabet.",
        ),
        Curated(
            "exchange-of-experience-and-information", "Exchange of experience and information",
            "Erfarings- og informationsudveksling",
            "The collaboration centres on exchanging experience and information rather than on "
            "joint projects.",
            "004", (46, 46), "hvor fokus er på erfarings- og informationsudveksling",
            definition_da="Samarbejdet har fokus på at udveksle erfaringer og information "
            "snarere end på fælles projekter.",
        ),
    ]),
    Facet("funding-roles", "sdgkg:fundingRole",
          ("Roles of funding in partnerships", "Bevillingers rolle i partnerskaber"),
          "The place grants and donor funding take in a partnership, as CISU's typology "
          "describes it.", [
        Curated(
            "supplementary", "Grants are supplementary", "Bevillinger er supplerende",
            "Projects and grants are not the starting point of the collaboration; they are seen "
            "as supplementary to the partnership.",
            "004", (22, 22), "Disse betragtes som supplerende til partnerskabet.",
            definition_da="Projekter og bevillinger er ikke udgangspunktet for samarbejdet; de "
            "betragtes som supplerende til partnerskabet.",
        ),
        Curated(
            "substantial", "Grants weigh relatively heavily", "Bevillinger fylder relativt meget",
            "Grants have come to weigh relatively heavily, so that the partnership must balance "
            "between a value-based and a donor-funded collaboration.",
            "004", (28, 28), "bevillinger er kommet til at fylde relativt meget",
            definition_da="Bevillinger er kommet til at fylde relativt meget, så partnerskabet "
            "må balancere mellem et værdibaseret og et donorstøttet samarbejde.",
        ),
        Curated(
            "element-of-donor-relationship", "An element of donor relationship",
            "Et element af donorrelation",
            "There is an element of donor relationship, since projects play a central part in "
            "the reason for the partnership.",
            "004", (34, 34), "Der vil være et element af donorrelation",
            definition_da="Der er et element af donorrelation, idet projekter spiller en "
            "central rolle i begrundelsen for partnerskabet.",
        ),
        Curated(
            "more-information-than-money", "More exchange of information than money",
            "Mere informationsudveksling end penge",
            "More exchange of information than money is involved in the collaboration.",
            "004", (46, 46), "Der er mere informationsudveksling end penge involve ret",
            definition_da="Der er mere informationsudveksling end penge involveret i "
            "samarbejdet.",
        ),
    ]),
    Facet("time-perspectives", "sdgkg:timePerspective",
          ("Time perspectives of partnerships", "Partnerskabers tidsperspektiv"),
          "How long a partnership is meant to last, as CISU's typology describes it.", [
        Curated(
            "long-term", "Long-term", "Langsigtet",
            "The collaboration is meant to last for a long time.",
            "004", (22, 22), "Tidsperspektivet er langsigtet",
            definition_da="Samarbejdet er tænkt til at vare længe.",
        ),
        Curated(
            "often-limited", "Often limited", "Ofte afgrænset",
            "The collaboration is often limited in time, based on a close initial project "
            "collaboration.",
            "004", (34, 34), "Tidsperspektivet er ofte afgrænset",
            definition_da="Samarbejdet er ofte afgrænset i tid, baseret på et tæt, indledende "
            "projektsamarbejde.",
        ),
        Curated(
            "while-shared-interest-lasts", "As long as a shared interest lasts",
            "Så længe der er et interessefællesskab",
            "The collaboration lasts as long as the partners share a political interest or "
            "another common interest.",
            "004", (46, 46), "så længe der er et politisk/interesse fællesskab",
            definition_da="Samarbejdet varer, så længe partnerne har et politisk fællesskab "
            "eller et andet interessefællesskab.",
        ),
    ]),
    Facet("phase-outs", "sdgkg:phaseOut",
          ("Phase-outs of partnerships", "Partnerskabers udfasning"),
          "How a partnership ends, as CISU's typology describes it.", [
        Curated(
            "not-planned", "End not planned", "Ophør ikke planlagt",
            "No end of the collaboration is planned.",
            "004", (22, 22), "ophør af samarbejdet er ikke planlagt",
            definition_da="Der er ikke planlagt noget ophør af samarbejdet.",
        ),
        Curated(
            "gradual", "Gradual phase-out", "Gradvis udfasning",
            "After a close initial project collaboration, the collaboration is phased out "
            "gradually.",
            "004", (34, 34), "indledende projektsamarbejde med gradvis udfasning",
            definition_da="Efter et tæt, indledende projektsamarbejde udfases samarbejdet "
            "gradvist.",
        ),
    ]),
    Facet("agreement-forms", "sdgkg:recommendedAgreement",
          ("Forms of agreement in partnerships", "Aftaleformer i partnerskaber"),
          "Forms of written agreement between partners that CISU's guidance names.", [
        Curated(
            "partnership-agreement", "Partnership agreement", "Partnerskabsaftale",
            "A written agreement between partners, also called a Memorandum of Understanding "
            "(MoU), that gives the partnership a basis beyond any single grant.",
            "004", (56, 56), "en partnerskabsaftale eller en såkaldt Memorandum of Understanding",
            definition_da="En skriftlig aftale mellem partnerne, også kaldet et Memorandum of "
            "Understanding (MoU), der giver partnerskabet et grundlag ud over den enkelte "
            "bevilling.",
            alt_labels=(da("Memorandum of Understanding (MoU)"),
                        en("Memorandum of Understanding (MoU)"), da("MoU"), en("MoU")),
        ),
        Curated(
            "grant-cooperation-agreement", "Cooperation agreement on a specific grant",
            "Samarbejdsaftale om en konkret bevilling",
            "An agreement between partners about a specific grant, such as one from the "
            "Civilsamfundspuljen; CISU names it to set the partnership agreement apart from it.",
            "004", (56, 56), "en samarbejdsaftale om en konkret bevilling",
            definition_da="En aftale mellem partnerne om en konkret bevilling, for eksempel fra "
            "Civilsamfundspuljen; CISU nævner den for at skelne partnerskabsaftalen fra den.",
        ),
    ]),
]  # fmt: skip


@dataclass(frozen=True)
class FacetValue:
    """One facet of one partnership type, as the line of seed 004 that states it."""

    type_slug: str
    property: str
    value_slug: str
    line: int
    key_phrase: str  # verbatim, at most 12 words


_AGREEMENT = "en partnerskabsaftale eller en såkaldt Memorandum of Understanding"
TYPE_FACETS = [
    FacetValue("value-based", "sdgkg:basis", "shared-values", 22,
               "Et samarbejde baseret på et fælles værdigrundlag"),
    FacetValue("value-based", "sdgkg:fundingRole", "supplementary", 22,
               "Disse betragtes som supplerende til partnerskabet."),
    FacetValue("value-based", "sdgkg:timePerspective", "long-term", 22,
               "Tidsperspektivet er langsigtet"),
    FacetValue("value-based", "sdgkg:phaseOut", "not-planned", 22,
               "ophør af samarbejdet er ikke planlagt"),
    FacetValue("value-based-project", "sdgkg:basis", "shared-values", 28,
               "Et samarbejde baseret på det værdibaserede partner skab"),
    FacetValue("value-based-project", "sdgkg:focus", "projects", 28,
               "konkrete projekter er blevet en foreløbig ramme"),
    FacetValue("value-based-project", "sdgkg:fundingRole", "substantial", 28,
               "bevillinger er kommet til at fylde relativt meget"),
    FacetValue("value-based-project", "sdgkg:timePerspective", "long-term", 28,
               "Tidsperspektivet er langsigtet"),
    FacetValue("professionally-founded", "sdgkg:basis", "professional-theme", 34,
               "Et samarbejde, som er baseret på et fagligt tema"),
    FacetValue("professionally-founded", "sdgkg:focus", "projects", 34,
               "projekter spiller en central rolle i begrundelsen for partnerskabet"),
    FacetValue("professionally-founded", "sdgkg:fundingRole", "element-of-donor-relationship",
               34, "Der vil være et element af donorrelation"),
    FacetValue("professionally-founded", "sdgkg:timePerspective", "often-limited", 34,
               "Tidsperspektivet er ofte afgrænset"),
    FacetValue("professionally-founded", "sdgkg:phaseOut", "gradual", 34,
               "indledende projektsamarbejde med gradvis udfasning"),
    FacetValue("part-of-an-international-organisation", "sdgkg:basis", "international-network",
               40, "er en del af et internationalt netværk"),
    FacetValue("part-of-an-international-organisation", "sdgkg:timePerspective",
               "often-limited", 40, "tidsperspektivet ofte afgrænset"),
    FacetValue("part-of-an-international-organisation", "sdgkg:phaseOut", "gradual", 40,
               "indledende projektsamarbejde med gradvis udfasning"),
    FacetValue("alliance-partner", "sdgkg:basis", "shared-agenda", 46,
               "fælles om en bestemt faglig eller politisk dagsorden"),
    FacetValue("alliance-partner", "sdgkg:focus", "exchange-of-experience-and-information", 46,
               "hvor fokus er på erfarings- og informationsudveksling"),
    FacetValue("alliance-partner", "sdgkg:fundingRole", "more-information-than-money", 46,
               "Der er mere informationsudveksling end penge involve ret"),
    FacetValue("alliance-partner", "sdgkg:timePerspective", "long-term", 46,
               "Tidsperspektivet er langsigtet"),
    FacetValue("alliance-partner", "sdgkg:timePerspective", "while-shared-interest-lasts", 46,
               "så længe der er et politisk/interesse fællesskab"),
    # The advice on an agreement (line 56) is given for every new partnership, whatever its type.
    *(FacetValue(slug, "sdgkg:recommendedAgreement", "partnership-agreement", 56, _AGREEMENT)
      for slug in ("value-based", "value-based-project", "professionally-founded",
                   "part-of-an-international-organisation", "alliance-partner")),
]  # fmt: skip


JOB_TITLES = [
    Curated(
        "borgmester", "Mayor", "Borgmester",
        "The elected head of a Danish municipality, who chairs its municipal council.",
        "002", (14, 14), "borgmester i Sønderborg Kommune",
        definition_da="Den folkevalgte leder af en dansk kommune, som er formand for "
        "kommunalbestyrelsen.",
    ),
    Curated(
        "kommunaldirektoer", "Municipal chief executive", "Kommunaldirektør",
        "The highest-ranking civil servant of a Danish municipality, at the head of its "
        "administration.",
        "001", (50, 50), "ifølge kommunaldirektør Christian Bertelsen",
        definition_da="Den øverste embedsmand i en dansk kommune, som står i spidsen for "
        "kommunens administration.",
    ),
    Curated(
        "vicekommunaldirektoer", "Deputy municipal chief executive", "Vicekommunaldirektør",
        "A civil servant directly below the municipal chief executive, often heading one of "
        "the municipality's administrations.",
        "002", (236, 236), "Vicekommunaldirektør Carsten Lund, Børn og Uddannelse",
        definition_da="En embedsmand lige under kommunaldirektøren, ofte leder af en af "
        "kommunens forvaltninger.",
    ),
    Curated(
        "afdelingsdirektoer", "Head of department", "Afdelingsdirektør",
        "A director at the head of a department of an organisation, such as a national "
        "authority.",
        "003", (15, 15), "af afdelingsdirektør, Niels Ploug",
        definition_da="En direktør i spidsen for en afdeling i en organisation, for "
        "eksempel en statslig myndighed.",
    ),
    Curated(
        "chefkonsulent", "Chief consultant", "Chefkonsulent",
        "A senior specialist post in a public or private organisation, above a consultant, "
        "usually without staff to manage.",
        "001", (38, 38), "Kontakt chefkonsulent Bente Bundgård Jokumsen",
        definition_da="En stilling som erfaren specialist i en offentlig eller privat "
        "organisation, over en konsulent, som regel uden personaleansvar.",
    ),
    Curated(
        "udviklingskonsulent", "Development consultant", "Udviklingskonsulent",
        "A specialist post whose work is developing an organisation's activities, such as a "
        "municipality's work with the SDGs.",
        "001", (62, 62), "Kontakt udviklingskonsulent Sofia Braad Riis",
        definition_da="En stilling som specialist, hvis arbejde er at udvikle en "
        "organisations aktiviteter, for eksempel en kommunes arbejde med verdensmålene.",
    ),
    Curated(
        "professor", "Professor", "Professor",
        "The highest academic post at a university, holding a chair in research and teaching.",
        "000", (33, 33), "Poul Duedahl, Professor, Institut for Politik og Samfund",
        definition_da="Den højeste akademiske stilling på et universitet, med ansvar for "
        "forskning og undervisning i et fag.",
    ),
    Curated(
        "phd-studerende", "PhD student", "Ph.d.-studerende",
        "A researcher in training who is writing a PhD thesis.",
        "003", (15, 15), "faciliteres af ph.d. studerende Jannik Egelund",
        definition_da="En forsker under uddannelse, som skriver en ph.d.-afhandling.",
    ),
]  # fmt: skip


def curated_concepts(items: list[Curated], curie_kind: str, kind: str, scheme: str) -> list[Record]:
    records = []
    for item in items:
        source = f"source:seed-{item.seed}"
        rec = concept(f"{curie_kind}:{item.slug}", kind, scheme, source, top=True)
        labelled(rec, item.label_en, item.label_da)
        rec.add("skos:altLabel", *item.alt_labels)
        rec.add("skos:definition", en(item.definition), da(item.definition_da))
        rec.add("prov:qualifiedDerivation", quotation(source, *item.lines, da(item.key_phrase)))
        records.append(rec)
    return records


def build_curated_scheme(
    items: list[Curated], curie_kind: str, kind: str, scheme: Record
) -> list[Record]:
    concepts = curated_concepts(items, curie_kind, kind, _abbreviated(scheme.subject))
    scheme.add("dcterms:source", *scheme.props["prov:wasDerivedFrom"])  # the seed texts
    link_top_concepts(scheme, concepts)
    return [scheme, *sorted_records(concepts)]


def build_partnership_types(_: Path) -> list[Record]:
    scheme = concept_scheme(
        "scheme:partnership-types",
        ("CISU partnership types", "CISU's typer af partnerskaber"),
        "The five types of partnership CISU (Civil Society in Development) describes in its "
        "guidance on partnerships; a partnership may combine elements of several types.",
        ["source:seed-004"],
    )
    records = build_curated_scheme(PARTNERSHIP_TYPES, "partnership-type", "PartnershipType", scheme)
    by_iri = {rec.subject: rec for rec in records}
    for facet in TYPE_FACETS:
        rec = by_iri[expand(f"partnership-type:{facet.type_slug}")]
        rec.add(facet.property, Iri.of(f"partnership-characteristic:{facet.value_slug}"))
        passage = quotation("source:seed-004", facet.line, facet.line, da(facet.key_phrase))
        if passage not in rec.props["prov:qualifiedDerivation"]:
            rec.add("prov:qualifiedDerivation", passage)
    return records


def build_partnership_characteristics(_: Path) -> list[Record]:
    records = []
    for facet in FACETS:
        scheme = concept_scheme(
            f"scheme:{facet.scheme_slug}", facet.labels, facet.description, ["source:seed-004"]
        )
        records += build_curated_scheme(
            facet.values, "partnership-characteristic", "PartnershipCharacteristic", scheme
        )
    _require_unique(records)
    return records


def build_dimensions(_: Path) -> list[Record]:
    scheme = concept_scheme(
        "scheme:sustainability-dimensions",
        ("Sønderborg's four dimensions of sustainability", "Fire dimensioner af bæredygtighed"),
        "The four dimensions of sustainability Sønderborg Municipality works with as a member "
        "of the UNESCO Global Network of Learning Cities.",
        ["source:seed-002"],
    )
    return build_curated_scheme(
        SUSTAINABILITY_DIMENSIONS, "dimension", "SustainabilityDimension", scheme
    )


def build_roles(_: Path) -> list[Record]:
    seeds = sorted({f"source:seed-{role.seed}" for role in ROLES})
    scheme = concept_scheme(
        "scheme:roles",
        ("Roles in partnerships", "Roller i partnerskaber"),
        "The roles a partner can play in a partnership or initiative (org:role of a "
        "membership). A project vocabulary: each role is one the source texts show a partner "
        "playing, cited by the passage that shows it.",
        seeds,
    )
    return build_curated_scheme(ROLES, "role", "Role", scheme)


def build_job_titles(_: Path) -> list[Record]:
    seeds = sorted({f"source:seed-{title.seed}" for title in JOB_TITLES})
    scheme = concept_scheme(
        "scheme:job-titles",
        ("Job titles", "Stillingsbetegnelser"),
        "Kinds of post the source texts name (sdgkg:jobTitle of a post), so that posts can be "
        "compared across organisations. A project vocabulary: each title is cited by a passage "
        "of a seed text that uses it.",
        seeds,
    )
    return build_curated_scheme(JOB_TITLES, "job-title", "JobTitle", scheme)


# --- countries --------------------------------------------------------------------------------

EU_COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"


def build_countries(csv_dir: Path) -> list[Record]:
    """The countries the texts need, by ISO 3166-1 alpha-2 code, matched to the EU authority."""
    source = source_curie("iso_3166_1.csv")
    countries = []
    for row in read_csv(csv_dir, "iso_3166_1.csv"):
        rec = record(f"country:{row['alpha2'].lower()}", "sdgkg:Country")
        rec.add("skos:notation", Lit(row["alpha2"]))
        rec.add("rdfs:label", da(row["name_da"]), en(row["name_en"]))
        rec.add("skos:exactMatch", Iri(EU_COUNTRY_AUTHORITY + row["alpha3"]))
        countries.append(rec.add("prov:wasDerivedFrom", Iri.of(source)))
    _require_unique(countries)
    return sorted_records(countries)


# --- sources ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvSource:
    file_name: str
    title: str
    label_da: str
    description: str
    origins: tuple[str, ...]  # IRIs (http…) or plain-text references
    license: str = ""
    rights: str = ""


CSV_SOURCES = [
    CsvSource(
        "sdg_goals.csv", "UN SDG goals (reference CSV)", "FN's verdensmål: mål (reference-CSV)",
        "The 17 goals with their UN SDG KOS IRIs. English full and short titles from "
        "open-sdg/sdg-translations (translations/en/global_goals.yml, commit 0cda585851a5), "
        "identical to the KOS labels; Danish short titles from globalis.dk (FN-forbundet) and "
        "a Kristeligt Dagblad fact box citing Finansministeriet. Danish full titles are left "
        "empty (no authoritative source). Details: SOURCES-sdg.md.",
        ("https://github.com/open-sdg/sdg-translations", "http://metadata.un.org/sdg/",
         "https://globalis.dk/tema/verdensmaal",
         "https://www.kristeligt-dagblad.dk/danmark/fakta-fns-17-verdensmaal"),
        license="https://opensource.org/licenses/MIT",
        rights="The English titles come from Open SDG's sdg-translations (MIT licence).",
    ),
    CsvSource(
        "sdg_targets.csv", "UN SDG targets (reference CSV)",
        "FN's verdensmål: delmål (reference-CSV)",
        "The 169 targets with their UN SDG KOS IRIs and English texts from "
        "open-sdg/sdg-translations (translations/en/global_targets.yml), compared with the KOS "
        "dump and the UN tier-classification file (all agree). Hyphens and whitespace "
        "normalised. No Danish target texts. Details: SOURCES-sdg.md.",
        ("https://github.com/open-sdg/sdg-translations", "http://metadata.un.org/sdg/"),
        license="https://opensource.org/licenses/MIT",
        rights="The English texts come from Open SDG's sdg-translations (MIT licence).",
    ),
    CsvSource(
        "sdg_indicators.csv", "UN SDG indicators (reference CSV)",
        "FN's verdensmål: indikatorer (reference-CSV)",
        "One row per (indicator, target) pair, 248 rows and 232 distinct UNSD indicator codes, "
        "from the UN IAEG-SDGs Tier Classification of 30 November 2022 as cleaned in "
        "lnoe10/sdg_tier_classifications (commit 45d33880ecdd). Indicator IRIs are "
        "http://metadata.un.org/sdg/ plus the UNSD code; 35 of them are newer than the KOS copy "
        "they were checked against. The 2025 review is not included. Details: SOURCES-sdg.md.",
        ("https://github.com/lnoe10/sdg_tier_classifications",
         "https://unstats.un.org/sdgs/iaeg-sdgs/tier-classification/"),
        license="https://www.un.org/en/about-us/terms-of-use",
        rights="UN data under the UN terms of use; the repository has no licence file.",
    ),
    CsvSource(
        "dk_regions.csv", "Danish regions (reference CSV)", "Danske regioner (reference-CSV)",
        "The five regions with regionskode 1081-1085 and Danish names from Dataforsyningen "
        "(DAWA /regioner), identical in the DAGI region layer of Neogeografen/dagi; English "
        "names from HL7 Denmark DK Core; Wikidata QIDs from two public code files that agree. "
        "Details: SOURCES-dk-unesco.md.",
        ("https://api.dataforsyningen.dk/regioner", "https://github.com/Neogeografen/dagi",
         "HL7 Denmark DK Core, CodeSystem dk-core-regional-subdivision-codes (English names)"),
        rights="Danish public open data (Dataforsyningen/DAGI): free use with attribution to "
        "Styrelsen for Dataforsyning og Infrastruktur.",
    ),
    CsvSource(
        "dk_municipalities.csv", "Danish municipalities (reference CSV)",
        "Danske kommuner (reference-CSV)",
        "The 98 municipalities (Christiansø left out) with kommunekode, Danish name and region "
        "from Dataforsyningen (DAWA /kommuner), cross-checked with the DAGI geometry, "
        "KimTholstorf/mxmap-dk and the DAWA test data; English name differs only for "
        "Copenhagen; Wikidata QID only for Copenhagen. Details: SOURCES-dk-unesco.md.",
        ("https://api.dataforsyningen.dk/kommuner", "https://github.com/Neogeografen/dagi",
         "https://github.com/KimTholstorf/mxmap-dk",
         "https://github.com/magnuslarsen/geoJSON-Danish-Municipalities"),
        rights="Danish public open data (Dataforsyningen/DAGI): free use with attribution to "
        "Styrelsen for Dataforsyning og Infrastruktur.",
    ),
    CsvSource(
        "unesco_domains.csv", "UNESCO domains (reference CSV)",
        "UNESCO's kerneområder (reference-CSV)",
        "UNESCO's five programme sectors in English (UNESCO Santiago office 'Areas of Action') "
        "with Danish labels from the Danish Ministry of Children and Education (uvm.dk, "
        "'UNESCO's mandatområder'). Details: SOURCES-dk-unesco.md.",
        ("UNESCO Santiago office, 'Areas of Action' (unesco.org/new/en/santiago/areas-of-action)",
         "Børne- og Undervisningsministeriet, uvm.dk: 'UNESCO's mandatområder', 'Fakta om "
         "UNESCO'"),
    ),
    CsvSource(
        "unesco_learning_cities_key_features.csv",
        "UNESCO Learning Cities framework, areas and areas of focus (reference CSV)",
        "UNESCO's læringsbyer: områder og fokusområder (reference-CSV)",
        "The 3 areas and 12 areas of focus of UIL's Key Features of Learning Cities (Beijing, "
        "2013; republished in the GNLC Guiding Documents, UIL 2015). PARTIAL: the 42 key "
        "features themselves are not included. Details: SOURCES-dk-unesco.md.",
        ("UIL, 'Key Features of Learning Cities' "
         "(learningcities.uil.unesco.org/key-features/key-features-of-learning-cities)",
         "UIL, 'UNESCO Global Network of Learning Cities – Guiding Documents', 2015, "  # noqa: RUF001
         "UIL/2015/ME/H/5"),
        license="https://creativecommons.org/licenses/by-sa/3.0/igo/",
        rights="The Guiding Documents are Open Access under CC BY-SA 3.0 IGO.",
    ),
    CsvSource(
        "iso_3166_1.csv", "ISO 3166-1 country codes (reference CSV)",
        "ISO 3166-1 landekoder (reference-CSV)",
        "The five countries the seed texts need (Denmark, Sweden, Ireland, China, the United "
        "Kingdom) with their ISO 3166-1 alpha-2 and alpha-3 codes; the alpha-3 code names the "
        "country in the EU Publications Office country authority table. English short names "
        "('United Kingdom' for ISO's long form), Danish names in common Danish use. Details: "
        "SOURCES-countries.md.",
        ("ISO 3166-1:2020, Codes for the representation of names of countries and their "
         "subdivisions - Part 1: Country code",
         "http://publications.europa.eu/resource/authority/country"),
    ),
]  # fmt: skip


@dataclass(frozen=True)
class SeedSource:
    number: str
    file_name: str
    title_da: str
    label_en: str
    description: str
    publisher: str = ""
    issued: str = ""


SEED_SOURCES = [
    SeedSource(
        "000", "000_cc43f94540771403.txt", "Hvad kan UNESCO i Danmark konkret tilbyde?",
        "What can UNESCO in Denmark offer?",
        "Web page of UNESCO Denmark (the Danish National Commission for UNESCO): what the "
        "commission offers partners, and examples of its Danish partnerships. The text has no "
        "title line; its first heading (line 5) serves as title. It states 'Sidst opdateret: "
        "4. november 2020'.",
        publisher="UNESCO Danmark (Nationalkommissionen)", issued="2020-11-04",
    ),
    SeedSource(
        "001", "001_a527dabb071c4689.txt", "Partnerskaber for handling",
        "Partnerships for action",
        "Theme page on SDG 17 with cases of partnerships from the municipalities of "
        "Frederikshavn, Norddjurs, Herning, Gladsaxe and Aarhus. The text names neither its "
        "publisher nor its date, so neither is given.",
    ),
    SeedSource(
        "002", "002_12c4846b7189bdc9.txt", "Hvad er UNESCO Sustainable Learning Cities?",
        "What are UNESCO Sustainable Learning Cities?",
        "Sønderborg Municipality's leaflet (version 1.1) on its membership of the UNESCO "
        "Global Network of Learning Cities since July 2016: four dimensions of sustainability, "
        "the 17 SDGs and the 42 key features. The text has no title line; its first section "
        "heading (line 33) serves as title. No date of publication is stated.",
        publisher="Sønderborg Kommune",
    ),
    SeedSource(
        "003", "003_34f5f60229aee578.txt",
        "Webinar: Få inspiration til at arbejde med FN's Verdensmål",
        "Webinar: get inspiration for working with the UN Sustainable Development Goals",
        "KL's announcement of a webinar on 17 May 2022 on municipalities' work with the SDGs; "
        "it reports that 76 municipalities have decided to work with the goals. Dated 7 April "
        "2022 in its first line.",
        publisher="KL", issued="2022-04-07",
    ),
    SeedSource(
        "004", "004_2534bcb2f8d7a1c1.txt", "Partnerskab", "Partnership",
        "CISU's guidance page on partnerships (titled by the last step of its breadcrumb line "
        "'ForsideVærktøjerPartnerskab'): five types of partnership and advice on memoranda of "
        "understanding. No date is stated.",
        publisher="CISU",
    ),
]  # fmt: skip


def build_sources(_: Path) -> list[Record]:
    records = []
    for src in CSV_SOURCES:
        rec = record(source_curie(src.file_name), "sdgkg:Source")
        rec.add("rdfs:label", en(src.title), da(src.label_da))
        rec.add("dcterms:title", en(src.title))
        rec.add("dcterms:description", en(src.description))
        rec.add("dcterms:license", Iri(src.license) if src.license else None)
        rec.add("dcterms:rights", en(src.rights))
        rec.add("dcterms:source", *(_iri_or_text(o) for o in src.origins))
        records.append(rec.add("sdgkg:fileName", Lit(src.file_name)))
    for seed in SEED_SOURCES:
        rec = record(f"source:seed-{seed.number}", "sdgkg:Source")
        rec.add("rdfs:label", da(seed.title_da), en(seed.label_en))
        rec.add("dcterms:title", da(seed.title_da))
        rec.add("dcterms:description", en(seed.description))
        rec.add("dcterms:publisher", Lit(seed.publisher))
        rec.add("dcterms:issued", Lit(seed.issued, datatype="xsd:date"))
        rec.add("dcterms:language", Lit("da"))
        records.append(rec.add("sdgkg:fileName", Lit(seed.file_name)))
    return sorted_records(records)


def _iri_or_text(origin: str) -> Term:
    return Iri(origin) if origin.startswith(("http://", "https://")) else Lit(origin)


# --- the files --------------------------------------------------------------------------------

GENERATED = "Generated by scripts/build_reference.py from data/reference/csv/; do not edit."


@dataclass(frozen=True)
class Output:
    name: str
    build: Callable[[Path], list[Record]]
    header: tuple[str, ...]


OUTPUTS = [
    Output("sdg.ttl", build_sdg, (
        "UN Sustainable Development Goals: 17 goals, 169 targets, 232 indicators (scheme:sdg).",
        "Inputs: sdg_goals.csv, sdg_targets.csv, sdg_indicators.csv; see SOURCES-sdg.md.",
        "One Indicator per UN indicator code. Twelve indicators are listed by the UN under two or",
        "three targets (e.g. 1.5.1 = 11.5.1 = 13.1.1): they carry every number as skos:notation,",
        "a skos:broader link to each target, and take their IRI from the lowest number.",
        "Danish full titles are a known gap: only the goals' Danish short titles are given.",
    )),
    Output("dk-admin.ttl", build_dk_admin, (
        "Danish regions (5) and municipalities (98), with the region each lies in.",
        "Inputs: dk_regions.csv, dk_municipalities.csv; see SOURCES-dk-unesco.md.",
        "schema:sameAs only where the CSV gives a Wikidata QID (5 regions and Copenhagen).",
        "Each municipality has the names people write as skos:altLabel, generated:",
        "\"X Kommune\"@da, \"X Municipality\"@en (the official Københavns Kommune and Bornholms",
        "Regionskommune where those differ) and the bare name \"X\"@da where it is not already",
        "the rdfs:label.",
    )),
    Output("unesco-domains.ttl", build_unesco_domains, (
        "UNESCO's five programme sectors (scheme:unesco-domains).",
        "Input: unesco_domains.csv; see SOURCES-dk-unesco.md. The definitions, in English and",
        "Danish, are the project's, made from the sector names (the CSV gives labels only).",
    )),
    Output("learning-city-framework.ttl", build_learning_city, (
        "UNESCO Key Features of Learning Cities: 3 areas and 12 areas of focus.",
        "Input: unesco_learning_cities_key_features.csv; see SOURCES-dk-unesco.md.",
        "KNOWN GAP: the 42 key features (learning-city:1.1.1 …) are not in the CSV and are NOT",
        "given here; nothing was invented. Add them to the CSV from UIL's Guiding Documents.",
        "The CSV gives English labels only: the Danish labels are the project's translation, and",
        "the definitions, in English and Danish, are the project's, made from the labels.",
    )),
    Output("partnership-types.ttl", build_partnership_types, (
        "CISU's five types of partnership (scheme:partnership-types), read from seed 004.",
        "Danish labels are the headings as the text writes them; definitions are our own words.",
        "Each type links to the characteristics the text states for it (sdgkg:basis, sdgkg:focus,",
        "sdgkg:fundingRole, sdgkg:timePerspective, sdgkg:phaseOut, sdgkg:recommendedAgreement;",
        "partnership-characteristics.ttl), each with a quotation of the line that states it.",
        "A facet the text does not state for a type is left out.",
    )),
    Output("partnership-characteristics.ttl", build_partnership_characteristics, (
        "The values of the facets of CISU's partnership typology, read from seed 004: one",
        "scheme per facet (bases, focuses, funding roles, time perspectives, phase-outs and",
        "agreement forms).",
        "partnership-types.ttl links each type to the values the text states for it (sdgkg:basis,",
        "sdgkg:focus, ...). Labels and definitions, @da and @en, are our own words for the text's.",
    )),
    Output("sustainability-dimensions.ttl", build_dimensions, (
        "Sønderborg's four dimensions of sustainability, read from seed 002 (lines 93-122).",
    )),
    Output("roles.ttl", build_roles, (
        "Roles a partner plays in a partnership (scheme:roles), for org:role on memberships.",
        "Each role cites a passage of a seed text where a partner is seen playing it.",
    )),
    Output("job-titles.ttl", build_job_titles, (
        "Job titles of the posts the seed texts name (scheme:job-titles), for sdgkg:jobTitle.",
        "Each title cites a passage of a seed text that uses it. Labels are the titles as the",
        "texts write them (Danish) and their usual English equivalents; definitions are our own.",
    )),
    Output("countries.ttl", build_countries, (
        "The countries the seed texts need, by ISO 3166-1 alpha-2 code (country:<code>), each",
        "matched to the EU Publications Office country authority. Input: iso_3166_1.csv.",
    )),
    Output("sources.ttl", build_sources, (
        "The sources of the reference data: one per reference CSV (source:<csv-stem>) and the",
        "five seed documents (source:seed-000 … seed-004).",
    )),
]  # fmt: skip


def render(output: Output, csv_dir: Path) -> str:
    records = output.build(csv_dir)
    return TurtleWriter().document((GENERATED, "", *output.header), records)


def render_all(csv_dir: Path) -> Iterator[tuple[str, str]]:
    for output in OUTPUTS:
        yield output.name, render(output, csv_dir)


def quoted_passages() -> Iterator[tuple[str, str, tuple[int, int], str]]:
    """Every key phrase this script writes: (what, seed, lines, phrase)."""
    facet_values = [value for facet in FACETS for value in facet.values]
    for item in [*PARTNERSHIP_TYPES, *SUSTAINABILITY_DIMENSIONS, *ROLES, *JOB_TITLES,
                 *facet_values]:  # fmt: skip
        yield item.slug, item.seed, item.lines, item.key_phrase
    for value in TYPE_FACETS:
        what = f"{value.type_slug} {value.property}"
        yield what, "004", (value.line, value.line), value.key_phrase


def check_key_phrases(seeds_dir: Path) -> list[str]:
    """Every curated key phrase must occur in its lines of the seed (whitespace normalised)."""
    problems = []
    for what, seed_number, (first, last), key_phrase in quoted_passages():
        seed = next(s for s in SEED_SOURCES if s.number == seed_number)
        lines = (seeds_dir / seed.file_name).read_text(encoding="utf-8").splitlines()
        passage = " ".join(" ".join(lines[first - 1 : last]).split())
        if " ".join(key_phrase.split()) not in passage:
            problems.append(f"{seed.file_name}:{first}: {key_phrase!r} not found")
        if len(key_phrase.split()) > 12:
            problems.append(f"{what}: key phrase longer than 12 words")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    parser.add_argument("--csv-dir", type=Path, default=CSV_DIR)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--seeds-dir", type=Path, help="verify key phrases against the seeds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    problems = check_key_phrases(args.seeds_dir) if args.seeds_dir else []
    for name, text in render_all(args.csv_dir):
        path = args.out_dir / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if args.check:
            problems.append(f"{path}: differs from what scripts/build_reference.py would write")
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
            log.info("wrote %s", path)
    for problem in problems:
        log.error("%s", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
