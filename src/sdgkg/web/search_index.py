"""The search index read from the store: whole, or updated for the graphs a load changed.

A whole read is one query over every searchable record (4-19 s at 1M triples, minutes at 5M).
After a load, only the records whose type, names or descriptions lie in a changed graph are read
again: those the index had from it, and those now in it, in batches with ``VALUES``. A copy of the
index then drops the touched records and takes the re-read ones (``LabelIndex.updated``): the same
records, the same ranking as a whole read. The index served meanwhile stays whole: the copy is a
new object, and ``BuiltInBackground`` serves the old one until it is complete.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal

from sdgkg.names import fold, name_keys, written_abbreviations
from sdgkg.store.base import GraphStore
from sdgkg.web.graph import (
    PREFIXES,
    Term,
    class_values,
    iri_values,
    ontology_prefix,
    solutions,
    subclass_pairs,
)
from sdgkg.web.search import GROUPS, Entry, IndexedRecord, LabelIndex, indexed_record

# The triples a record's entry is made of (besides the classes' own labels and subclasses).
_SEARCHED = (
    "a|rdfs:label|skos:prefLabel|skos:altLabel|skos:notation|dcterms:title|dcterms:description"
)
_BATCH = 500  # records read again per query
_WHOLE_FROM = 0.5  # share of the records touched from which the whole index is read again


class SearchIndexFollower:
    """Builds the search index of a store, then updates it for the graphs each write changed.

    The store's ``writes`` when a build began marks what the index describes (at least): the
    next update asks the store which graphs changed since (``changed_graphs_since``). Only the
    index it built itself is updated; any other (or a store that cannot tell, as a remote one)
    is read whole again.
    """

    def __init__(self, store: GraphStore, base_iri: str) -> None:
        self._store = store
        self._base_iri = base_iri
        self._mark: int | None = None
        self._built: LabelIndex | None = None

    def adopt(self, index: LabelIndex) -> None:
        """Follow ``index`` from now on as the index of the store as it is now: one kept from
        before a restart (unpickled) that describes the store's data, so that the next load
        updates it rather than reading the store whole."""
        self._keep(self._store.writes, index)

    def build(self) -> LabelIndex:
        mark = self._store.writes
        return self._keep(mark, build_index(self._store, self._base_iri))

    def update(self, previous: LabelIndex) -> LabelIndex:
        mark = self._store.writes
        if previous is not self._built or self._mark is None:
            return self._keep(mark, build_index(self._store, self._base_iri))
        changed = self._store.changed_graphs_since(self._mark)
        if changed is None:
            return self._keep(mark, build_index(self._store, self._base_iri))
        return self._keep(mark, update_index(self._store, self._base_iri, previous, changed))

    def _keep(self, mark: int, index: LabelIndex) -> LabelIndex:
        self._mark, self._built = mark, index
        return index


def build_index(store: GraphStore, base_iri: str) -> LabelIndex:
    """Read every searchable record's names, notations and descriptions in one query."""
    classes = _Classes(subclass_pairs(store, base_iri, GROUPS))
    records = _read_all(store, base_iri, classes, with_graphs=store.names_changed_graphs)
    return LabelIndex(records.values(), _group_labels(store, base_iri), classes.values)


def update_index(
    store: GraphStore, base_iri: str, previous: LabelIndex, changed: set[str]
) -> LabelIndex:
    """``previous`` with the records in the ``changed`` graphs read again: equal to
    ``build_index`` of the store as it is now."""
    if not changed:
        return previous
    classes = _Classes(subclass_pairs(store, base_iri, GROUPS))
    if classes.values != previous.classes:  # the ontology's classes changed: any record may have
        return build_index(store, base_iri)
    most = max(_BATCH, int(_WHOLE_FROM * len(previous.records)))
    before = {iri for iri, record in previous.records.items() if record.graphs & changed}
    now = _subjects_in(store, changed, most - len(before))
    if now is None:  # a big load: one query reads every record faster than batches of them
        return build_index(store, base_iri)
    touched = before | now
    read: dict[str, IndexedRecord] = {}
    for batch in _batches(sorted(touched)):
        read.update(_read_some(store, classes, batch))
    return previous.updated(touched, read.values(), _group_labels(store, base_iri))


def _subjects_in(store: GraphStore, graphs: set[str], most: int) -> set[str] | None:
    """The subjects of searched triples in ``graphs``; None if there are more than ``most``
    (the limit stops the query early: 1 s for 20,000 of a 1M graph's 118,417, against 11 s)."""
    if most <= 0:
        return None
    query = (
        PREFIXES
        + f"""SELECT DISTINCT ?x WHERE {{
  VALUES ?g {{ {iri_values(graphs)} }}
  GRAPH ?g {{ ?x {_SEARCHED} ?o }}
  FILTER(isIRI(?x))
}} LIMIT {most + 1}"""
    )
    found = {row["x"].value for row in solutions(store.query(query))}
    return found if len(found) <= most else None


def _batches(iris: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(iris), _BATCH):
        yield iris[start : start + _BATCH]


class _Classes:
    """The searchable classes: each with the group (a class of ``GROUPS``) it is under."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.values = class_values(pairs)  # as a query's VALUES block
        self.groups: dict[str, set[str]] = {}
        for kind, top in pairs:
            self.groups.setdefault(kind, set()).add(top.rsplit("#", 1)[-1])


def _branches(with_graphs: bool) -> str:
    """The patterns of a record's searched triples, each binding ?text and ?kind (and ?g)."""

    def triples(pattern: str) -> str:
        return f"GRAPH ?g {{ {pattern} }}" if with_graphs else pattern

    kinds = [
        ("name", "?x rdfs:label|skos:prefLabel ?text"),
        ("alt", "?x skos:altLabel ?text"),
        ("notation", "?x skos:notation ?text"),
        ("text", "?x dcterms:title|dcterms:description ?text"),
        *([("type", "?x a ?text")] if with_graphs else []),
    ]
    return "\n  UNION ".join(f'{{ {triples(p)} BIND("{kind}" AS ?kind) }}' for kind, p in kinds)


def _read_all(
    store: GraphStore, base_iri: str, classes: _Classes, *, with_graphs: bool
) -> dict[str, IndexedRecord]:
    """Every record, in one query; each with the graphs it is read from if asked."""
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + f"""SELECT ?x ?group ?text ?kind {"?g" if with_graphs else ""} WHERE {{
  {classes.values}
  ?x a ?class . BIND(?top AS ?group)
  FILTER(isIRI(?x))
  {_branches(with_graphs)}
}}"""
    )
    found: dict[str, _Found] = {}
    for row in solutions(store.query(query)):
        record = found.setdefault(row["x"].value, _Found())
        record.groups.add(row["group"].value.rsplit("#", 1)[-1])
        record.add(row["kind"].value, row["text"], row["g"] if with_graphs else None)
    return {iri: r.indexed(iri) for iri, r in found.items() if r.searchable}


def _read_some(store: GraphStore, classes: _Classes, iris: list[str]) -> dict[str, IndexedRecord]:
    """The records among ``iris``, with their graphs: their groups are found here from their
    types (a join with the classes' VALUES made Oxigraph take 7 s for 500 records, not 0.04)."""
    query = (
        PREFIXES
        + f"""SELECT ?x ?text ?kind ?g WHERE {{
  VALUES ?x {{ {iri_values(iris)} }}
  {_branches(with_graphs=True)}
}}"""
    )
    found: dict[str, _Found] = {}
    for row in solutions(store.query(query)):
        record = found.setdefault(row["x"].value, _Found())
        kind, text = row["kind"].value, row["text"]
        if kind == "type":
            record.groups.update(classes.groups.get(text.value, ()))
        record.add(kind, text, row["g"])
    return {iri: r.indexed(iri) for iri, r in found.items() if r.searchable}


@dataclass
class _Found:
    groups: set[str] = field(default_factory=set)
    graphs: set[str] = field(default_factory=set)
    rows: set[tuple[str, str, str]] = field(default_factory=set)  # (kind, language, text)

    @property
    def searchable(self) -> bool:
        """Of a searchable class, and with something to find it by."""
        return bool(self.groups) and any(kind != "type" for kind, _, _ in self.rows)

    def add(self, kind: str, text: Term, graph: Term | None) -> None:
        if graph is not None:
            self.graphs.add(graph.value)
        language = (text.language or "").lower() if isinstance(text, Literal) else ""
        self.rows.add((kind, language, text.value))

    def indexed(self, iri: str) -> IndexedRecord:
        """The record's entry, from its rows in a fixed order (not the order the store gave),
        so that reading it alone or with every other record gives the same entry."""
        labels: dict[str, str] = {}
        keys: set[str] = set()
        names: set[str] = set()  # keys of labels
        alts: set[str] = set()  # keys of altLabels and abbreviations
        texts: dict[str, str] = {}
        notation: str | None = None
        for kind, language, text in sorted(self.rows):
            if kind == "type":
                continue
            if kind == "notation":
                notation = notation or text
                keys.add(fold(text))
            elif kind == "text":
                texts.setdefault(language, text)
            else:
                shorts = written_abbreviations(text)
                found = name_keys(text)
                keys.update(found | shorts)
                alts.update(shorts)
                if kind == "alt":
                    alts.update(found)
                else:
                    names.update(found)
                    labels.setdefault(language, text)
        group = next(g for g in GROUPS if g in self.groups)
        entry = Entry(iri, group, labels, tuple(sorted(keys)), notation, texts)
        # A key that is also a name is a name: "KL" is KL's label and one of its altLabels.
        return indexed_record(entry, frozenset(alts - names), frozenset(self.graphs))


def _group_labels(store: GraphStore, base_iri: str) -> dict[str, dict[str, str]]:
    classes = " ".join(f"sdgkg:{group}" for group in GROUPS)
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + f"SELECT ?c ?l WHERE {{ VALUES ?c {{ {classes} }} ?c rdfs:label ?l }}"
    )
    labels: dict[str, dict[str, str]] = {}
    for row in solutions(store.query(query)):
        group = row["c"].value.rsplit("#", 1)[-1]
        labels.setdefault(group, {}).setdefault(row["l"].language or "", row["l"].value)
    return labels
