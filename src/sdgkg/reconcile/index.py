"""The label index reconciliation reads: every reconcilable record, its names, codes and values.

Built from the store in a handful of SPARQL queries (any ``GraphStore``: embedded or remote) and
kept in memory until the service's data version moves on. A batch of 1,000 rows then costs
dictionary look-ups and string comparisons, never REGEX over the store's literals (prez#153).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, QuerySolutions

from sdgkg.iris import ontology_ns
from sdgkg.labels import pick_label
from sdgkg.names import abbreviations, name_keys
from sdgkg.reconcile.catalogue import DCTERMS, SCHEMA, SKOS, TYPE_NAMES, PropertySpec
from sdgkg.reconcile.catalogue import property_specs as catalogue_properties
from sdgkg.reconcile.normalise import canonical_outside_iri
from sdgkg.store.base import GraphStore
from sdgkg.web.graph import PREFIXES, ontology_prefix, solutions

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_NAME_PREDICATES = (RDFS_LABEL, f"{SKOS}prefLabel", f"{SKOS}altLabel")
_DESCRIPTION_PREDICATES = (f"{DCTERMS}description", f"{DCTERMS}title")
_OUTSIDE_PREDICATES = (
    f"{SCHEMA}sameAs",
    f"{SKOS}exactMatch",
    "http://www.w3.org/2002/07/owl#sameAs",
)
_NOTATION = f"{SKOS}notation"
_RETRIEVAL_PREFIX = 4  # a misspelt word still shares its first letters with the label's


@dataclass
class Record:
    """One reconcilable resource as the index keeps it."""

    iri: str
    types: set[str] = field(default_factory=set)  # names from TYPE_NAMES, with supertypes
    labels: dict[str, str] = field(default_factory=dict)  # {lang: preferred label}
    alt_labels: list[str] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    notations: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # kommunekode, regionskode
    outside: list[str] = field(default_factory=list)  # Wikidata and UN SDG IRIs
    values: dict[str, list[str]] = field(default_factory=dict)  # property id -> IRIs or texts
    keys: set[str] = field(default_factory=set)  # every folded form of every name

    def name(self, lang: str) -> str:
        return pick_label(self.labels, lang, self.iri)

    def description(self, lang: str) -> str:
        return pick_label(self.descriptions, lang) if self.descriptions else ""


@dataclass
class ReconcileIndex:
    """Records by IRI and by every way a sheet may name them."""

    base_iri: str
    records: dict[str, Record]
    type_labels: dict[str, dict[str, str]]  # type name -> {lang: label}
    properties: tuple[PropertySpec, ...]
    by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_abbreviation: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_notation: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_code: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_outside: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_token: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_stem: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sorted_names: list[tuple[str, str]] = field(default_factory=list)  # (key, iri)
    sorted_words: list[tuple[str, str]] = field(default_factory=list)  # (later word, iri)

    def type_iri(self, name: str) -> str:
        return ontology_ns(self.base_iri) + name

    def type_name(self, type_iri: str) -> str | None:
        """The catalogue name of a type IRI (or of a bare name), None if not offered."""
        name = type_iri.removeprefix(ontology_ns(self.base_iri))
        return name if name in TYPE_NAMES else None

    def type_label(self, name: str, lang: str) -> str:
        return pick_label(self.type_labels.get(name, {}), lang, name)

    def property(self, pid: str) -> PropertySpec | None:
        """A property by its short id or by its predicate's IRI."""
        return next((p for p in self.properties if pid in (p.id, p.predicate)), None)

    def starting_with(self, prefix: str, *, limit: int) -> list[str]:
        """IRIs of records whose name starts with ``prefix`` (folded), then those with a later
        word of a name that does."""
        found: dict[str, None] = {}
        for keys in (self.sorted_names, self.sorted_words):
            start = bisect.bisect_left(keys, (prefix, ""))
            for key, iri in keys[start:]:
                if not key.startswith(prefix) or len(found) >= limit:
                    break
                found.setdefault(iri, None)
        return list(found)

    def add(self, record: Record) -> None:
        """File a finished record under every key it can be found by."""
        self.records[record.iri] = record
        for label in [*record.labels.values(), *record.alt_labels]:
            record.keys |= name_keys(label)
            for short in abbreviations(label):
                self.by_abbreviation[short].add(record.iri)
        for key in record.keys:
            self.by_key[key].add(record.iri)
            for word in key.split():
                self.by_token[word].add(record.iri)
                self.by_stem[word[:_RETRIEVAL_PREFIX]].add(record.iri)
        for notation in record.notations:
            self.by_notation[notation].add(record.iri)
        for code in record.codes:
            self.by_code[code].add(record.iri)
        for outside in record.outside:
            self.by_outside[outside].add(record.iri)

    def finish(self) -> None:
        """Sort the keys for prefix search, once every record is in."""
        entries = {(key, iri) for iri, record in self.records.items() for key in record.keys}
        self.sorted_names = sorted(entries)
        self.sorted_words = sorted(
            {(word, iri) for key, iri in entries for word in key.split()[1:]}
        )


def build_index(store: GraphStore, base_iri: str) -> ReconcileIndex:
    """Read every reconcilable record from ``store`` in a few queries."""
    specs = catalogue_properties(base_iri)
    records = _typed_records(store, base_iri)
    _read_texts(store, records, base_iri)
    for spec in specs:
        _read_values(store, records, spec, base_iri)
    index = ReconcileIndex(base_iri, {}, _type_labels(store, base_iri), specs)
    for record in records.values():
        index.add(record)
    index.finish()
    return index


def _query(store: GraphStore, base_iri: str, body: str) -> QuerySolutions:
    return solutions(store.query(PREFIXES + ontology_prefix(base_iri) + body))


def _type_values(names: Iterable[str]) -> str:
    return " ".join(f"sdgkg:{name}" for name in names)


def _typed_records(store: GraphStore, base_iri: str) -> dict[str, Record]:
    records: dict[str, Record] = {}
    body = f"""SELECT DISTINCT ?x ?type WHERE {{
  VALUES ?type {{ {_type_values(TYPE_NAMES)} }}
  ?x a/rdfs:subClassOf* ?type .
  FILTER(isIRI(?x))
}}"""
    prefix = ontology_ns(base_iri)
    for row in _query(store, base_iri, body):
        iri = _text(row["x"])
        records.setdefault(iri, Record(iri)).types.add(_text(row["type"]).removeprefix(prefix))
    return records


def _read_texts(store: GraphStore, records: dict[str, Record], base_iri: str) -> None:
    """Names, descriptions, notations, codes and outside IRIs, in one query."""
    ont = ontology_ns(base_iri)
    predicates = (
        *_NAME_PREDICATES,
        *_DESCRIPTION_PREDICATES,
        *_OUTSIDE_PREDICATES,
        _NOTATION,
        f"{ont}kommunekode",
        f"{ont}regionskode",
    )
    listed = " ".join(f"<{p}>" for p in predicates)
    body = f"SELECT ?x ?p ?text WHERE {{ VALUES ?p {{ {listed} }} ?x ?p ?text FILTER(isIRI(?x)) }}"
    for row in _query(store, base_iri, body):
        record = records.get(_text(row["x"]))
        if record is not None:
            _file_text(record, _text(row["p"]), row["text"], ont)


def _file_text(record: Record, predicate: str, term: object, ont: str) -> None:
    value = _text(term)
    lang = term.language or "" if isinstance(term, Literal) else ""
    if predicate in _NAME_PREDICATES and value in (*record.labels.values(), *record.alt_labels):
        return
    if predicate == RDFS_LABEL or (predicate == f"{SKOS}prefLabel" and lang not in record.labels):
        if lang in record.labels and record.labels[lang] != value:
            record.alt_labels.append(value)
        else:
            record.labels[lang] = value
    elif predicate in _NAME_PREDICATES:
        record.alt_labels.append(value)
    elif predicate in _DESCRIPTION_PREDICATES:
        if predicate == f"{DCTERMS}description" or lang not in record.descriptions:
            record.descriptions[lang] = value
    elif predicate in _OUTSIDE_PREDICATES:
        record.outside.append(canonical_outside_iri(value))
    elif predicate == _NOTATION:
        record.notations.append(value)
    elif predicate.startswith(ont):
        record.codes.append(value)


def _read_values(
    store: GraphStore, records: dict[str, Record], spec: PropertySpec, base_iri: str
) -> None:
    """The values of one property; domains are checked here, not in the query: Virtuoso 7
    answers nothing when a type path such as ``a/rdfs:subClassOf*`` is joined with another."""
    branches = " UNION ".join(f"{{ ?x {path} ?value }}" for path in spec.paths)
    body = f"SELECT DISTINCT ?x ?value WHERE {{ {branches} FILTER(isIRI(?x)) }}"
    domains = set(spec.domains)
    for row in _query(store, base_iri, body):
        record = records.get(_text(row["x"]))
        if record is None or not record.types & domains:
            continue
        value = _text(row["value"])
        if spec.value_type is not None and spec.value_type not in _types_of(records, value):
            continue
        if not spec.entity and spec.id == "sameAs":
            value = canonical_outside_iri(value)
        _append_once(record.values.setdefault(spec.id, []), value)
    if spec.own_value_type is not None:
        for record in records.values():
            if spec.own_value_type in record.types:
                _append_once(record.values.setdefault(spec.id, []), record.iri)


def _types_of(records: dict[str, Record], iri: str) -> set[str]:
    record = records.get(iri)
    return record.types if record is not None else set()


def _append_once(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)


def _type_labels(store: GraphStore, base_iri: str) -> dict[str, dict[str, str]]:
    types = _type_values(TYPE_NAMES)
    body = f"SELECT ?x ?text WHERE {{ VALUES ?x {{ {types} }} ?x rdfs:label ?text }}"
    labels: dict[str, dict[str, str]] = {}
    prefix = ontology_ns(base_iri)
    for row in _query(store, base_iri, body):
        term = row["text"]
        lang = term.language or "" if isinstance(term, Literal) else ""
        labels.setdefault(_text(row["x"]).removeprefix(prefix), {}).setdefault(lang, _text(term))
    return labels


def _text(term: object) -> str:
    if isinstance(term, NamedNode | Literal):
        return term.value
    return str(term)
