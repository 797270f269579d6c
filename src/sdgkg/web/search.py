"""Label search over partners, partnerships, initiatives, municipalities, regions, SDG targets.

A small in-memory index built from the store in one query, and rebuilt when the service's data
version changes. Matching never runs REGEX over the store's literals (prez#153: > 30 s); it
compares folded strings: case-insensitive, accents dropped, and æ/ø/å spelt ae/oe/aa, so
"Soenderborg", "sønderborg" and "SØNDERBORG" find the same municipality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal

from sdgkg.names import fold as fold
from sdgkg.store.base import GraphStore
from sdgkg.web.graph import PREFIXES, ontology_prefix, solutions
from sdgkg.web.i18n import pick_label

# Result groups, most specific first: a municipality is also a partner, but is listed as such.
GROUPS = ("Municipality", "Region", "Partnership", "Initiative", "Goal", "Target", "Partner")


@dataclass(frozen=True)
class Entry:
    iri: str
    group: str  # one of GROUPS
    labels: dict[str, str]  # {lang: label}
    keys: tuple[str, ...]  # folded labels and notations
    notation: str | None = None  # "13.2" for an SDG target


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: int

    def label(self, lang: str) -> str:
        return pick_label(self.entry.labels, lang, self.entry.iri)


@dataclass
class LabelIndex:
    entries: list[Entry] = field(default_factory=list)
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # group -> {lang: label}

    def search(self, query: str, *, limit: int = 50) -> list[Hit]:
        """Best hits first: exact, then prefix, then word prefix, then anywhere."""
        wanted = {fold(query), fold(query, loose=True)} - {""}
        if not wanted:
            return []
        hits = [
            Hit(e, s) for e in self.entries if (s := max(_score(e.keys, w) for w in wanted)) > 0
        ]
        hits.sort(key=lambda h: (-h.score, len(h.label("en")), h.label("en")))
        return hits[:limit]

    def group_label(self, group: str, lang: str) -> str:
        return pick_label(self.group_labels.get(group, {}), lang, group)


def _score(keys: tuple[str, ...], wanted: str) -> int:
    best = 0
    tokens = wanted.split()
    for key in keys:
        if key == wanted:
            return 100
        if key.startswith(wanted):
            best = max(best, 80)
        elif f" {wanted}" in f" {key}":
            best = max(best, 60)
        elif wanted in key:
            best = max(best, 40)
        elif len(tokens) > 1 and all(token in key for token in tokens):
            best = max(best, 20)
    return best


def build_index(store: GraphStore, base_iri: str) -> LabelIndex:
    """Read every searchable record's labels and notations in one query."""
    groups = " ".join(f"sdgkg:{group}" for group in GROUPS)
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + f"""SELECT ?x ?group ?text ?isNotation WHERE {{
  VALUES ?group {{ {groups} }}
  ?x a/rdfs:subClassOf* ?group .
  FILTER(isIRI(?x))
  {{ ?x rdfs:label|skos:prefLabel|skos:altLabel ?text BIND(false AS ?isNotation) }}
  UNION {{ ?x skos:notation ?text BIND(true AS ?isNotation) }}
}}"""
    )
    found: dict[str, _Found] = {}
    for row in solutions(store.query(query)):
        record = found.setdefault(row["x"].value, _Found())
        record.groups.add(row["group"].value.rsplit("#", 1)[-1])
        text = row["text"]
        record.keys.update((fold(text.value), fold(text.value, loose=True)))
        if row["isNotation"].value == "true":
            record.notation = record.notation or text.value
        elif isinstance(text, Literal):
            record.labels.setdefault((text.language or "").lower(), text.value)
    entries = [
        Entry(
            iri,
            next(g for g in GROUPS if g in r.groups),
            r.labels,
            tuple(sorted(r.keys)),
            r.notation,
        )
        for iri, r in sorted(found.items())
    ]
    return LabelIndex(entries, _group_labels(store, base_iri))


@dataclass
class _Found:
    groups: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    notation: str | None = None


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
