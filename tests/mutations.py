"""Mutants of real curated records: one curator's mistake at a time (issue 20).

Nothing here is written by hand per case. For each record kind the generator takes a real record
from data/curated and derives its mistakes from the ontology (rdfs:domain, rdfs:range, the
properties it defines), from the record shapes (which properties a kind carries, which allow one
value) and from the rest of the bundle (what a goal, a partner or a target looks like):

- a property used outside its domain (one another kind carries);
- an object of the wrong class, a literal where an IRI belongs, an IRI where a literal belongs;
- an ill-typed or out-of-range literal;
- a second value where one is allowed;
- a misspelt property in the sdgkg namespace;
- a missing source or quotation;
- a link to a goal, target or partner that does not exist;
- a cycle (a record that is its own member, unit, place).

A mutant knows the property its mistake is about; a caught mutant fails validation with a
violation that names that property.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from sdgkg import resources

SDGKG = Namespace("https://w3id.org/sdgkg/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
ID = "https://w3id.org/sdgkg/id/"
Triple = tuple[Node, Node, Node]

# One real record of each kind; partners of every kind found in the curated data are added.
RECORD_KINDS = (
    SDGKG.Partnership,
    SDGKG.Membership,
    SDGKG.Initiative,
    SDGKG.Event,
    SDGKG.Policy,
    SDGKG.Fact,
    SDGKG.Person,
    SDGKG.Post,
    SDGKG.Place,
)
# Ill-typed or out-of-range lexical forms, per datatype.
BAD_LEXICAL = {
    XSD.gYear: "20x7",
    XSD.gYearMonth: "2017-13",
    XSD.date: "2017-02-30",
    XSD.positiveInteger: "-3",
    XSD.nonNegativeInteger: "-1",
    XSD.integer: "many",
    XSD.decimal: "1,5",
    XSD.boolean: "yes",
    XSD.anyURI: "not a uri",
}
# What a misplaced object is: a partner where an SDG concept belongs, else a target.
PARTNER_STANDIN = URIRef(ID + "partner/unesco")
TARGET_STANDIN = URIRef(ID + "target/13.2")
MISSING = {
    "goal": URIRef(ID + "goal/99"),
    "target": URIRef(ID + "target/18.1"),
    "partner": URIRef(ID + "partner/no-such-partner"),
}


@dataclass(frozen=True)
class Mutant:
    """A real record with one mistake in it."""

    id: str  # <kind>--<mistake>--<property>: stable, used as the test id
    record: URIRef
    mistake: str
    property: URIRef  # what a violation must name
    triples: tuple[Triple, ...]

    def turtle(self) -> str:
        return to_turtle(self.triples)


def to_turtle(triples: Iterable[Triple]) -> str:
    graph = Graph()
    for prefix, namespace in _bundle().namespaces():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # rdflib on the ill-typed literals we made
        return graph.serialize(format="turtle")


@cache
def _bundle() -> Graph:
    graph = Graph()
    for path in [
        *resources.schema_files(),
        *resources.reference_data_files(),
        *resources.curated_data_files(),
    ]:
        graph.parse(path)
    return graph


@cache
def _curated() -> Graph:
    graph = Graph()
    for path in resources.curated_data_files():
        graph.parse(path)
    return graph


@cache
def _shapes() -> Graph:
    return Graph().parse(resources.record_shapes_file())


def _classes_of(node: Node) -> set[Node]:
    """Asserted classes and their superclasses."""
    bundle = _bundle()
    found: set[Node] = set()
    for asserted in bundle.objects(node, RDF.type):
        found.update(bundle.transitive_objects(asserted, RDFS.subClassOf))
    return found


def _record_triples(record: URIRef) -> list[Triple]:
    """The record's own triples and those of the blank nodes it holds (its quotations)."""
    curated = _curated()
    found: list[Triple] = []
    todo: list[Node] = [record]
    while todo:
        subject = todo.pop()
        for _, predicate, obj in sorted(curated.triples((subject, None, None))):
            found.append((subject, predicate, obj))
            if isinstance(obj, BNode):
                todo.append(obj)
    return found


def sample_records() -> dict[str, URIRef]:
    """One real curated record per kind, the first by IRI: kind name -> record."""
    curated = _curated()
    kinds = list(RECORD_KINDS)
    partner_kinds = sorted(
        {
            c
            for c in curated.objects(None, RDF.type)
            if SDGKG.Partner in _bundle().transitive_objects(c, RDFS.subClassOf)
        }
    )
    samples: dict[str, URIRef] = {}
    for kind in [*kinds, *partner_kinds]:
        if kind == SDGKG.Partnership and (partnership := _sample_partnership()):
            samples["Partnership"] = partnership
            continue
        if kind == SDGKG.Membership and (partnership := _sample_partnership()):
            samples["Membership"] = min(_curated().subjects(ORG.organization, partnership))
            continue
        # A record tied to a partnership by sdgkg:partOfPartnership is validated with that
        # partnership's sdgkg:hasInitiative, which the store's neighbourhood does not carry.
        records = sorted(
            (
                s
                for s in curated.subjects(RDF.type, kind)
                if isinstance(s, URIRef) and (s, PROV.wasDerivedFrom, None) in curated
            ),
            key=lambda s: ((s, SDGKG.partOfPartnership, None) in curated, s),
        )
        if records:
            samples[str(kind).rsplit("#", 1)[-1]] = records[0]
    return samples


def _shape_paths(classes: set[Node]) -> dict[Node, set[Node]]:
    """property -> the constraint kinds (sh:maxCount values) of shapes targeting ``classes``."""
    shapes = _shapes()
    paths: dict[Node, set[Node]] = {}
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        if not set(shapes.objects(node_shape, SH.targetClass)) & classes:
            continue
        for prop_shape in shapes.objects(node_shape, SH.property):
            path = shapes.value(prop_shape, SH.path)
            if isinstance(path, URIRef):
                paths.setdefault(path, set()).update(shapes.objects(prop_shape, SH.maxCount))
    return paths


def _all_shape_paths() -> set[URIRef]:
    shapes = _shapes()
    return {p for p in shapes.objects(None, SH.path) if isinstance(p, URIRef)}


def _sample_value(prop: URIRef) -> Node | None:
    """A real value of ``prop`` from the bundle (the first by sort order)."""
    values = sorted(o for o in _bundle().objects(None, prop) if not isinstance(o, BNode))
    return values[0] if values else None


def _local(prop: Node) -> str:
    text = str(prop)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _short(node: Node) -> str:
    return _bundle().namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else "?"


def _replace(triples: list[Triple], old: Triple, new: Triple | None) -> tuple[Triple, ...]:
    kept = [t for t in triples if t != old]
    return tuple([*kept, new] if new else kept)


def _first_per_property(triples: list[Triple], subject: Node) -> dict[Node, Triple]:
    found: dict[Node, Triple] = {}
    for triple in triples:
        if triple[0] == subject and triple[1] != RDF.type:
            found.setdefault(triple[1], triple)
    return found


def _focus_nodes(record: URIRef, triples: list[Triple]) -> list[Node]:
    """The record and its first quotation: both are what curators write."""
    quotations = sorted(o for s, p, o in triples if s == record and p == PROV.qualifiedDerivation)
    return [record, *quotations[:1]]


Operator = Callable[[URIRef, Node, list[Triple]], Iterator[tuple[str, URIRef, tuple[Triple, ...]]]]


def outside_domain(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    """A property that shapes or rdfs:domain give to other kinds only."""
    if focus != record:
        return
    classes = _classes_of(record)
    own = set(_shape_paths(classes))
    candidates = sorted(
        p
        for p in _all_shape_paths()
        if p not in own and str(p).startswith(str(SDGKG)) and _sample_value(p) is not None
    )
    candidates += sorted(
        p
        for p, domain in _bundle().subject_objects(RDFS.domain)
        if isinstance(p, URIRef)
        and isinstance(domain, URIRef)
        and domain not in classes
        and p not in own
        and p not in candidates
        and _sample_value(p) is not None
    )
    for prop in candidates[:3]:
        value = _sample_value(prop)
        assert value is not None
        yield "outside its domain", prop, (*triples, (record, prop, value))


def wrong_class_object(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    """An existing record of the wrong class: a partner for a goal, a target for the rest."""
    for prop, triple in _first_per_property(triples, focus).items():
        obj = triple[2]
        if not isinstance(obj, URIRef) or not isinstance(prop, URIRef):
            continue
        is_sdg = SDGKG.SDGConcept in _classes_of(obj)
        standin = PARTNER_STANDIN if is_sdg else TARGET_STANDIN
        if standin == obj or (prop == SCHEMA.sameAs or prop == SCHEMA.url):
            continue
        yield "object of the wrong class", prop, _replace(triples, triple, (focus, prop, standin))


def literal_for_iri(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    for prop, triple in _first_per_property(triples, focus).items():
        if isinstance(triple[2], URIRef) and isinstance(prop, URIRef):
            new = (focus, prop, Literal(_local(triple[2])))
            yield "a literal where an IRI belongs", prop, _replace(triples, triple, new)


def iri_for_literal(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    for prop, triple in _first_per_property(triples, focus).items():
        if isinstance(triple[2], Literal) and isinstance(prop, URIRef):
            new = (focus, prop, TARGET_STANDIN)
            yield "an IRI where a literal belongs", prop, _replace(triples, triple, new)


def ill_typed_literal(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    """An ill-typed lexical form, and the plain string a spreadsheet would give."""
    for prop, triple in _first_per_property(triples, focus).items():
        obj = triple[2]
        if not isinstance(obj, Literal) or not isinstance(prop, URIRef):
            continue
        if obj.datatype in BAD_LEXICAL:
            bad = Literal(BAD_LEXICAL[obj.datatype], datatype=obj.datatype)
            yield "an ill-typed literal", prop, _replace(triples, triple, (focus, prop, bad))
            plain = Literal(str(obj))
            yield (
                "a plain string for a typed value",
                prop,
                _replace(triples, triple, (focus, prop, plain)),
            )
        elif obj.language:
            untagged = Literal(str(obj))
            yield (
                "a literal without language tag",
                prop,
                _replace(triples, triple, (focus, prop, untagged)),
            )


def second_value(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    """A second value for a property the shapes allow once (sh:maxCount 1, or one per language)."""
    classes = _classes_of(focus) | ({SDGKG.Quotation} if isinstance(focus, BNode) else set())
    single = {p for p, counts in _shape_paths(classes).items() if Literal(1) in counts}
    for prop, triple in _first_per_property(triples, focus).items():
        obj = triple[2]
        if prop not in single or not isinstance(prop, URIRef):
            continue
        other: Node
        if isinstance(obj, Literal):
            lexical = str(obj) + "1" if obj.datatype else str(obj) + " (second)"
            other = Literal(lexical, lang=obj.language, datatype=obj.datatype)
        else:
            same_class = sorted(
                s
                for s in _bundle().subjects(RDF.type, _bundle().value(obj, RDF.type))
                if isinstance(s, URIRef) and s != obj
            )
            if not same_class:
                continue
            other = same_class[0]
        yield "a second value where one is allowed", prop, (*triples, (focus, prop, other))
    label = next((t for t in triples if t[0] == focus and t[1] == RDFS.label), None)
    if label is not None and isinstance(label[2], Literal) and label[2].language:
        other = Literal(str(label[2]) + " (second)", lang=label[2].language)
        yield "a second label in one language", RDFS.label, (*triples, (focus, RDFS.label, other))


def misspelt_property(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    """An sdgkg: property with two letters swapped (``sdgkg:keyPhrase`` -> ``sdgkg:keyPhrsae``)."""
    for prop, triple in _first_per_property(triples, focus).items():
        if not str(prop).startswith(str(SDGKG)):
            continue
        name = _local(prop)
        wrong = URIRef(str(SDGKG) + name[:-2] + name[-1] + name[-2])
        if (wrong, None, None) in _bundle():
            continue
        yield "a misspelt property", wrong, _replace(triples, triple, (focus, wrong, triple[2]))


def missing_provenance(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    if focus != record:
        return
    sources = [t for t in triples if t[0] == record and t[1] == PROV.wasDerivedFrom]
    if sources:
        kept = tuple(t for t in triples if t not in sources)
        yield "no source", PROV.wasDerivedFrom, kept
    quotations = {t[2] for t in triples if t[0] == record and t[1] == PROV.qualifiedDerivation}
    if quotations:
        kept = tuple(t for t in triples if t[0] not in quotations and t[2] not in quotations)
        yield "no quotation", PROV.qualifiedDerivation, kept


def dangling_link(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    """A link to a goal, target or partner that does not exist."""
    for prop, triple in _first_per_property(triples, focus).items():
        obj = triple[2]
        if not isinstance(obj, URIRef) or not isinstance(prop, URIRef):
            continue
        for kind, missing in MISSING.items():
            if str(obj).startswith(ID + kind + "/") or (
                kind == "partner" and SDGKG.Partner in _classes_of(obj)
            ):
                new = (focus, prop, missing)
                yield f"a {kind} that does not exist", prop, _replace(triples, triple, new)
                break


CYCLE_PROPERTIES = {
    SDGKG.Partnership: ORG.hasMember,
    SDGKG.Membership: ORG.member,
    SDGKG.Partner: ORG.subOrganizationOf,
    SDGKG.OrganisationalUnit: ORG.unitOf,
    SDGKG.Place: SCHEMA.containedInPlace,
}


def cycle(
    record: URIRef, focus: Node, triples: list[Triple]
) -> Iterator[tuple[str, URIRef, tuple[Triple, ...]]]:
    """The record as its own member, parent, unit or place."""
    if focus != record:
        return
    for kind, prop in CYCLE_PROPERTIES.items():
        if kind in _classes_of(record):
            target = record
            if kind == SDGKG.Membership:
                target = _curated().value(record, ORG.organization) or record
            yield "a cycle", prop, (*triples, (record, prop, target))


OPERATORS: tuple[Operator, ...] = (
    outside_domain,
    wrong_class_object,
    literal_for_iri,
    iri_for_literal,
    ill_typed_literal,
    second_value,
    misspelt_property,
    missing_provenance,
    dangling_link,
    cycle,
)


def _companions(record: URIRef) -> list[URIRef]:
    """Records validated with ``record``: a partnership and its memberships belong together."""
    curated = _curated()
    partnership = curated.value(record, ORG.organization) or record
    memberships = sorted(m for m in curated.subjects(ORG.organization, partnership))
    group = [partnership, *memberships] if memberships else [record]
    return [r for r in group if isinstance(r, URIRef) and r != record]


def _sample_partnership() -> URIRef | None:
    """The partnership with the fewest memberships (at least one): a small group to mutate."""
    curated = _curated()
    sizes = sorted(
        (len(set(curated.subjects(ORG.organization, p))), str(p))
        for p in curated.subjects(RDF.type, SDGKG.Partnership)
    )
    return next((URIRef(iri) for size, iri in sizes if size > 0), None)


def generate_mutants(*, per_mistake: int = 2) -> list[Mutant]:
    """Mutants of every sample record, at most ``per_mistake`` of each kind of mistake.

    The quotation is mutated inside the first sample only: a quotation is the same kind of
    record wherever it sits.
    """
    mutants: dict[str, Mutant] = {}
    counts: dict[tuple[str, str], int] = {}
    for index, (kind, record) in enumerate(sample_records().items()):
        triples = _record_triples(record)
        companions = tuple(t for c in _companions(record) for t in _record_triples(c))
        foci = _focus_nodes(record, triples) if index == 0 else [record]
        for focus in foci:
            where = kind if focus == record else "Quotation"
            for operator in OPERATORS:
                for mistake, prop, mutated in operator(record, focus, triples):
                    slug = mistake.replace(" ", "-")
                    mutant_id = f"{where}--{slug}--{_short(prop)}"
                    seen = counts.get((where, mistake), 0)
                    if mutant_id in mutants or set(mutated) == set(triples) or seen >= per_mistake:
                        continue
                    counts[(where, mistake)] = seen + 1
                    mutants[mutant_id] = Mutant(
                        mutant_id, record, mistake, prop, (*mutated, *companions)
                    )
    return list(mutants.values())


def baselines() -> list[Mutant]:
    """Each sample record unmutated, with its companions: these must conform."""
    found = []
    for kind, record in sample_records().items():
        triples = (
            *_record_triples(record),
            *(t for c in _companions(record) for t in _record_triples(c)),
        )
        found.append(Mutant(f"{kind}--unchanged", record, "none", RDF.type, triples))
    return found


def renamed(mutant: Mutant, number: int) -> tuple[URIRef, tuple[Triple, ...]]:
    """The mutant with its records under fresh IRIs, so many mutants fit in one file."""
    records = {s for s, _, _ in mutant.triples if isinstance(s, URIRef)}
    fresh: dict[Node, Node] = {r: URIRef(f"{r}-mutant-{number}") for r in records}

    def rename(node: Node) -> Node:
        if isinstance(node, BNode):
            return fresh.setdefault(node, BNode())
        return fresh.get(node, node)

    triples = tuple((rename(s), rename(p), rename(o)) for s, p, o in mutant.triples)
    focus = fresh[mutant.record]
    assert isinstance(focus, URIRef)
    return focus, triples


# The CSV path (sdgkg import): the same mistakes, where a column can express them.
CSV_LINK_COLUMNS = (
    "members",
    "municipality",
    "stated_sdgs",
    "assigned_sdgs",
    "partnership_type",
    "unesco_domains",
    "source",
)
CSV_TYPED_COLUMNS = {"start_date": "2017-13", "line_start": "-3", "line_end": "first"}
CSV_SINGLE_COLUMNS = ("municipality", "partnership_type", "start_date", "source", "line_start")
CSV_NONEXISTENT = {"stated_sdgs": "18.1", "assigned_sdgs": "99"}


@dataclass(frozen=True)
class CsvMutant:
    """The template row with one cell changed."""

    id: str
    column: str
    value: str


def csv_mutants(template_row: dict[str, str], required: Iterable[str]) -> list[CsvMutant]:
    """Missing required cells, unknown links, links of the wrong kind, ill-typed and second values.

    A wrong kind of link is another link column's value: a goal number among the members, a
    UNESCO domain as the partnership type, and so on around the columns.
    """
    found = [CsvMutant(f"{c}--missing", c, "") for c in required]
    for index, column in enumerate(CSV_LINK_COLUMNS):
        missing = CSV_NONEXISTENT.get(column, f"no-such-{column.replace('_', '-')}")
        found.append(CsvMutant(f"{column}--does-not-exist", column, missing))
        other = CSV_LINK_COLUMNS[(index + 2) % len(CSV_LINK_COLUMNS)]
        wrong = template_row[other].split(";")[0].split("(")[0].strip()
        found.append(CsvMutant(f"{column}--wrong-kind-{other}", column, wrong))
    found += [CsvMutant(f"{c}--ill-typed", c, v) for c, v in CSV_TYPED_COLUMNS.items()]
    for column in CSV_SINGLE_COLUMNS:
        value = template_row[column]
        second = _other_real_value(column, value)
        found.append(CsvMutant(f"{column}--second-value", column, f"{value}; {second}"))
    return found


def _other_real_value(column: str, value: str) -> str:
    """A second value that exists: the next number, or another record of the column's kind."""
    if value.isdigit():
        return str(int(value) + 1)
    kinds = {"municipality": "dk-admin", "partnership_type": "partnership-types"}
    kinds |= {"source": "sources"}
    reference = resources.bundle_root() / "data" / "reference" / f"{kinds[column]}.ttl"
    kind = {"municipality": "municipality", "partnership_type": "partnership-type"}
    kind |= {"source": "source"}
    slugs = sorted(
        set(
            re.findall(
                rf"^{kind[column]}:([a-z0-9-]+)\s", reference.read_text(encoding="utf-8"), re.M
            )
        )
    )
    return next(s for s in slugs if s != value.lower())
