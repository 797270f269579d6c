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
        rec.add("rdfs:label", da(row["name_da"]), en(row["name_en"]))
        rec.add("sdgkg:kommunekode", Lit(row["kommunekode"]))
        rec.add("sdgkg:inRegion", Iri(regions[row["regionskode"]].subject))
        rec.add("schema:sameAs", _wikidata(row["wikidata"]))
        municipalities.append(rec.add("prov:wasDerivedFrom", Iri.of(municipality_source)))
    _require_unique(municipalities)
    return [*sorted_records(regions.values()), *sorted_records(municipalities)]


def _wikidata(qid: str) -> Iri | None:
    return Iri.of(f"wd:{qid}") if qid else None


def _require_unique(records: list[Record]) -> None:
    seen: set[str] = set()
    for rec in records:
        if rec.subject in seen:
            raise ValueError(f"two records would share the IRI {rec.subject}")
        seen.add(rec.subject)


# --- UNESCO domains and the learning-city framework -------------------------------------------


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
        domains.append(labelled(rec, row["label_en"], row["label_da"]))
    link_top_concepts(scheme, domains)
    return [scheme, *sorted_records(domains)]


LEARNING_CITY_GAP = (
    "Known gap: the framework has 42 key features (ids 1.1.1 …), but their wording is not in the "
    "reference CSV (unesco_learning_cities_key_features.csv), so no LearningCityKeyFeature "
    "concept is given here; none was invented. To complete it, add the 42 rows from UIL's "
    "'UNESCO Global Network of Learning Cities – Guiding Documents' (2015) and rebuild."  # noqa: RUF001
)


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
        en("The source gives the wording in English only; there are no Danish labels."),
    )
    areas: dict[str, Record] = {}
    focus_areas = []
    for row in read_csv(csv_dir, "unesco_learning_cities_key_features.csv"):
        area_number, _ = row["id"].split(".", 1)
        if area_number not in areas:
            area = concept(
                f"learning-city:{area_number}", "LearningCityArea",
                "scheme:learning-city-framework", source, top=True,
            )  # fmt: skip
            area.add("skos:notation", Lit(area_number))
            areas[area_number] = labelled(area, row["area"])
        focus = concept(
            f"learning-city:{row['id']}", "LearningCityFocusArea",
            "scheme:learning-city-framework", source,
        )  # fmt: skip
        focus.add("skos:notation", Lit(row["id"]))
        labelled(focus, row["focus"])
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
    definition_da: str = ""  # the Danish definition: says the same as the English one


PARTNERSHIP_TYPES = [
    Curated(
        "value-based", "Value-based partnership", "Det værdibaserede partnerskab",
        "Cooperation resting on values the partners share (religious, political or personal) "
        "rather than on projects or grants, which only supplement it; long-term, with no "
        "planned end.",
        "004", (20, 22), "Det værdibaserede partnerskab",
    ),
    Curated(
        "value-based-project", "Value-based project partnership",
        "Det værdibaserede projekt partnerskab",
        "A value-based partnership in which grants have come to weigh heavily, so that it "
        "balances shared values against a donor-funded relationship; long-term, with concrete "
        "projects as its current frame.",
        "004", (26, 28), "Det værdibaserede projekt partnerskab",
    ),
    Curated(
        "professionally-founded", "Professionally founded partnership",
        "Det fagligt funderede partnerskab",
        "Cooperation built around a professional theme such as renewable energy, health or "
        "human rights, where projects are central and there is some donor relationship; often "
        "time-limited, phased out gradually after a close initial project.",
        "004", (32, 34), "Det fagligt funderede partnerskab",
    ),
    Curated(
        "part-of-an-international-organisation",
        "Partnership as part of an international organisation",
        "Partnerskab som del af en international organisation",
        "Cooperation in which the Danish and/or the local organisation belongs to an "
        "international network and draws on its capacity and knowledge; often time-limited.",
        "004", (38, 40), "Partnerskab som del af en international organisation",
    ),
    Curated(
        "alliance-partner", "Alliance partner", "Alliancepartner",
        "Cooperation centred on exchanging experience and information about a shared "
        "professional or political agenda, rather than on joint projects or money; lasts as "
        "long as the common interest does.",
        "004", (44, 46), "Alliancepartner",
    ),
]  # fmt: skip

SUSTAINABILITY_DIMENSIONS = [
    Curated(
        "environmental", "Environmental sustainability", "Miljømæssig bæredygtighed",
        "Sustainability with regard to the environment and resources. Sønderborg's example: "
        "reusing the soil removed when a new road is built, turning a waste product into a "
        "resource.",
        "002", (97, 99), "Miljømæssig bæredygtighed",
    ),
    Curated(
        "cultural", "Cultural sustainability", "Kulturel bæredygtighed",
        "Sustainability with regard to culture. Sønderborg's example: the area's ethnic-minority "
        "kindergartens are part of the municipal organisation on an equal footing with other "
        "day care.",
        "002", (101, 102), "Kulturel bæredygtighed",
    ),
    Curated(
        "economic", "Economic sustainability", "Økonomisk bæredygtighed",
        "Sustainability with regard to the economy, seen for instance in the sharing economy. "
        "Sønderborg's example: shared cars and village buses developed with local village "
        "communities.",
        "002", (104, 106), "Økonomisk bæredygtighed",
    ),
    Curated(
        "social", "Social sustainability", "Social bæredygtighed",
        "Sustainability with regard to people's living conditions. Sønderborg's example: "
        "anonymous advice for young parents that improves their child's chances of a good life.",
        "002", (108, 110), "Social bæredygtighed",
    ),
]  # fmt: skip

ROLES = [
    Curated(
        "member", "Member", "Medlem",
        "A partner that belongs to a partnership or membership organisation as one of its "
        "members.",
        "001", (66, 66), "Bæredygtig Herning, som fungerer som en medlemsorganisation",
    ),
    Curated(
        "lead", "Lead partner (coordinator)", "Ledende partner (koordinator)",
        "The partner that initiates, leads or coordinates a partnership or initiative.",
        "000", (12, 12), "Være en igangsætter og inspirator som fremmer processer",
    ),
    Curated(
        "co-organiser", "Co-organiser", "Medarrangør",
        "A partner that organises an event or activity together with others.",
        "000", (34, 34), "markerer vi World Press Freedom Day",
    ),
    Curated(
        "funder", "Funder", "Bevillingsgiver",
        "A partner that contributes money, such as a grant or a donation.",
        "001", (122, 122), "med en mindre donation fra Salling Fondene",
    ),
    Curated(
        "knowledge-partner", "Knowledge partner", "Videnspartner",
        "A partner that contributes expertise or research, such as a university researcher.",
        "000", (33, 33), "Poul Duedahl, Professor, Institut for Politik og Samfund på Aalborg "
        "Universitet",
    ),
    Curated(
        "network-member", "Network member", "Netværksmedlem",
        "A partner that takes part through its membership of a wider network, such as a city "
        "in the UNESCO Global Network of Learning Cities.",
        "002", (26, 28), "Sønderborg er den første danske kommune, der er optaget i netværket",
    ),
    Curated(
        "host", "Host", "Vært",
        "A partner that provides the place or facilities where an initiative happens.",
        "001", (106, 106), "DOKK1 i Aarhus er blevet hjemsted for Verdensrummet",
    ),
    Curated(
        "award-partner", "Award partner", "Prispartner",
        "A partner that gives an award or prize together with others.",
        "000", (29, 29), "uddeler vi en pris til unge kvindelige forskere",
    ),
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
        definition_da="En direktør i spidsen for en afdeling i en organisation, for eksempel en "
        "statslig myndighed.",
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
        definition_da="En stilling som specialist, hvis arbejde er at udvikle en organisations "
        "aktiviteter, for eksempel en kommunes arbejde med verdensmålene.",
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
    return build_curated_scheme(PARTNERSHIP_TYPES, "partnership-type", "PartnershipType", scheme)


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
    )),
    Output("unesco-domains.ttl", build_unesco_domains, (
        "UNESCO's five programme sectors (scheme:unesco-domains).",
        "Input: unesco_domains.csv; see SOURCES-dk-unesco.md.",
    )),
    Output("learning-city-framework.ttl", build_learning_city, (
        "UNESCO Key Features of Learning Cities: 3 areas and 12 areas of focus.",
        "Input: unesco_learning_cities_key_features.csv; see SOURCES-dk-unesco.md.",
        "KNOWN GAP: the 42 key features (learning-city:1.1.1 …) are not in the CSV and are NOT",
        "given here; nothing was invented. Add them to the CSV from UIL's Guiding Documents.",
    )),
    Output("partnership-types.ttl", build_partnership_types, (
        "CISU's five types of partnership (scheme:partnership-types), read from seed 004.",
        "Danish labels are the headings as the text writes them; definitions are our own words.",
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


def check_key_phrases(seeds_dir: Path) -> list[str]:
    """Every curated key phrase must occur in its lines of the seed (whitespace normalised)."""
    problems = []
    for item in [*PARTNERSHIP_TYPES, *SUSTAINABILITY_DIMENSIONS, *ROLES, *JOB_TITLES]:
        seed = next(s for s in SEED_SOURCES if s.number == item.seed)
        lines = (seeds_dir / seed.file_name).read_text(encoding="utf-8").splitlines()
        passage = " ".join(" ".join(lines[item.lines[0] - 1 : item.lines[1]]).split())
        if " ".join(item.key_phrase.split()) not in passage:
            problems.append(f"{seed.file_name}:{item.lines[0]}: {item.key_phrase!r} not found")
        if len(item.key_phrase.split()) > 12:
            problems.append(f"{item.slug}: key phrase longer than 12 words")
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
