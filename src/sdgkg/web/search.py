"""Search over partners, partnerships, initiatives, municipalities, regions, SDG goals and targets.

A text index (SQLite FTS5, in the standard library) built from the store in one query, in the
background for every new data version (``web/state.py``). Names are folded as everywhere in
sdgkg (``sdgkg.names``: case, accents, æ/ø/å as ae/oe/aa or loosely o/a), so "Soenderborg",
"sønderborg" and "SØNDERBORG" find the same municipality; the last word of a query is a prefix.

Ranking, best first: an SDG notation ("mål 4", "SDG 13", "4.7"); an exact name, altLabel or
abbreviation ("KL", "Sønderborg Kommune"); a name that starts with the query; every word in a
name; every word in an altLabel; every word in a description. So the record itself comes before
the records that mention it. A query that finds nothing is spelt again from the index's own words
("sønderbrog" → "Sønderborg"): the page shows those hits under "did you mean".
"""

from __future__ import annotations

import difflib
import sqlite3
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal

from sdgkg.names import core_name, fold_words, name_keys, read_notation, written_abbreviations
from sdgkg.names import fold as fold
from sdgkg.store.base import GraphStore
from sdgkg.web.graph import PREFIXES, ontology_prefix, solutions, subclass_values
from sdgkg.web.i18n import pick_label

# Result groups, most specific first: a municipality is also a partner, but is listed as such.
GROUPS = ("Municipality", "Region", "Partnership", "Initiative", "Goal", "Target", "Partner")

_EXACT_NOTATION, _EXACT_NAME, _EXACT_ALT = 1000, 900, 850
_NAME_PREFIX, _NAME_WORDS, _ALT_WORDS, _TEXT_WORDS = 700, 600, 500, 300
_CANDIDATES = 400  # text-index hits ranked further, at most
_MIN_SIMILARITY = 0.75  # of a corrected word to the typed one (difflib's ratio)
_KEYS = " | "  # between a record's keys in the text index: a separator to its tokenizer


@dataclass(frozen=True)
class Entry:
    iri: str
    group: str  # one of GROUPS
    labels: dict[str, str]  # {lang: label}
    keys: tuple[str, ...]  # folded names, altLabels, abbreviations and notations
    notation: str | None = None  # "13.2" for an SDG target
    texts: dict[str, str] = field(default_factory=dict)  # {lang: description}, a target's text


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: int

    def label(self, lang: str) -> str:
        return pick_label(self.entry.labels, lang, self.entry.iri)

    def text(self, lang: str) -> str | None:
        """The record's description (a target's text), in ``lang`` if it has one."""
        return pick_label(self.entry.texts, lang, "") or None


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    did_you_mean: str | None = None  # the query spelt from the index's words, when it found none


class LabelIndex:
    """The records, their exact keys, and an FTS5 table of their folded words."""

    def __init__(
        self, entries: list[Entry], group_labels: dict[str, dict[str, str]], alts: list[str]
    ) -> None:
        self.entries = entries
        self.group_labels = group_labels
        self._exact: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._by_notation: dict[str, list[int]] = defaultdict(list)
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE VIRTUAL TABLE words USING fts5("
            "names, alts, text, tokenize = \"unicode61 remove_diacritics 2 tokenchars '.'\","
            " prefix = '2 3')"
        )
        rows = []
        for number, entry in enumerate(entries):
            alt_keys = set(alts[number].split("\n")) - {""}
            for key in entry.keys:
                self._exact[key].append((number, _EXACT_ALT if key in alt_keys else _EXACT_NAME))
            if entry.notation:
                self._by_notation[entry.notation.lower()].append(number)
            names = _KEYS.join(k for k in entry.keys if k not in alt_keys)
            rows.append(
                (number, names, _KEYS.join(alt_keys), fold_words(" ".join(entry.texts.values())))
            )
        self._db.executemany("INSERT INTO words(rowid, names, alts, text) VALUES (?,?,?,?)", rows)
        self._spellings = _spellings(entries)

    def search(self, query: str, *, limit: int = 50) -> list[Hit]:
        """Best hits first (see the module's docstring)."""
        scores: dict[int, int] = {}
        notation = read_notation(query)
        if notation is not None:
            for number in self._by_notation.get(notation.code.lower(), []):
                if self.entries[number].group == notation.kind:
                    scores[number] = _EXACT_NOTATION
        for key in {fold_words(query), fold_words(query, loose=True), core_name(query)} - {""}:
            for number, score in self._exact.get(key, []):
                scores[number] = max(scores.get(number, 0), score)
        for number, score in self._matches(query):
            scores[number] = max(scores.get(number, 0), score)
        hits = [Hit(self.entries[n], s) for n, s in scores.items()]
        hits.sort(key=lambda h: (-h.score, len(h.label("en")), h.label("en"), h.entry.iri))
        return hits[:limit]

    def lookup(self, query: str, *, limit: int = 50) -> Results:
        """``search``, or when it finds nothing, the search for the query spelt from known words."""
        hits = self.search(query, limit=limit)
        if hits:
            return Results(hits)
        respelt = self.respell(query)
        if respelt is None:
            return Results([])
        return Results(self.search(respelt, limit=limit), respelt)

    def respell(self, query: str) -> str | None:
        """The query with each unknown word replaced by the closest word of a name, if any."""
        words = fold_words(query).split()
        changed = False
        spelt: list[str] = []
        for word in words:
            if word in self._spellings.known:
                spelt.append(self._spellings.known[word])
                continue
            nearby = self._spellings.by_start.get(word[:1], [])
            close = difflib.get_close_matches(word, nearby, n=1, cutoff=_MIN_SIMILARITY)
            if not close:
                return None
            spelt.append(self._spellings.known[close[0]])
            changed = True
        return " ".join(spelt) if changed else None

    def group_label(self, group: str, lang: str) -> str:
        return pick_label(self.group_labels.get(group, {}), lang, group)

    def _matches(self, query: str) -> list[tuple[int, int]]:
        tokens = fold_words(query).split()
        if not tokens:
            return []
        # Every word must appear; the last may be the start of a word, the user still typing.
        terms = [f'"{t}"' for t in tokens[:-1]] + [f'"{tokens[-1]}"*']
        match = " AND ".join(terms)
        rows: dict[int, tuple[str, str]] = {}
        # Names first, then every column: a common word stops at _CANDIDATES records with it in
        # their names, never ranking every record that mentions it.
        with self._lock:
            for where in (f"{{names}} : ({match})", match):
                found = self._db.execute(
                    "SELECT rowid, names, alts FROM words WHERE words MATCH ? LIMIT ?",
                    (where, _CANDIDATES),
                )
                for number, names, alts in found:
                    rows.setdefault(number, (names, alts))
                if len(rows) >= _CANDIDATES:
                    break
        wanted = " ".join(tokens)
        return [(n, _tier(wanted, tokens, names, alts)) for n, (names, alts) in rows.items()]


def _tier(wanted: str, tokens: list[str], names: str, alts: str) -> int:
    if any(key.startswith(wanted) for key in names.split(_KEYS)):
        return _NAME_PREFIX
    if _has_words(tokens, names):
        return _NAME_WORDS
    if _has_words(tokens, alts):
        return _ALT_WORDS
    return _TEXT_WORDS


def _has_words(tokens: list[str], text: str) -> bool:
    words = text.split()
    *whole, last = tokens
    return all(t in words for t in whole) and any(w.startswith(last) for w in words)


@dataclass
class _Spellings:
    known: dict[str, str] = field(default_factory=dict)  # folded word -> a name's own spelling
    by_start: dict[str, list[str]] = field(default_factory=dict)  # first letter -> folded words


def _spellings(entries: list[Entry]) -> _Spellings:
    spellings = _Spellings()
    for entry in entries:
        for label in entry.labels.values():
            for word in label.split():
                folded = fold_words(word)
                if len(folded) > 2 and " " not in folded:
                    spellings.known.setdefault(folded, word.strip(",.;:()"))
                    spellings.known.setdefault(fold_words(word, loose=True), word.strip(",.;:()"))
    grouped: dict[str, list[str]] = defaultdict(list)
    for folded in spellings.known:
        grouped[folded[:1]].append(folded)
    spellings.by_start = dict(grouped)
    return spellings


def build_index(store: GraphStore, base_iri: str) -> LabelIndex:
    """Read every searchable record's names, notations and descriptions in one query."""
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + f"""SELECT ?x ?group ?text ?kind WHERE {{
  {subclass_values(store, base_iri, GROUPS)}
  ?x a ?class . BIND(?top AS ?group)
  FILTER(isIRI(?x))
  {{ ?x rdfs:label|skos:prefLabel ?text BIND("name" AS ?kind) }}
  UNION {{ ?x skos:altLabel ?text BIND("alt" AS ?kind) }}
  UNION {{ ?x skos:notation ?text BIND("notation" AS ?kind) }}
  UNION {{ ?x dcterms:title|dcterms:description ?text BIND("text" AS ?kind) }}
}}"""
    )
    found: dict[str, _Found] = {}
    for row in solutions(store.query(query)):
        record = found.setdefault(row["x"].value, _Found())
        record.groups.add(row["group"].value.rsplit("#", 1)[-1])
        text, kind = row["text"], row["kind"].value
        language = (text.language or "").lower() if isinstance(text, Literal) else ""
        if kind == "notation":
            record.notation = record.notation or text.value
            record.keys.add(fold(text.value))
        elif kind == "text":
            record.texts.setdefault(language, text.value)
        else:
            keys = name_keys(text.value)
            shorts = written_abbreviations(text.value)
            record.keys.update(keys | shorts)
            record.alts.update(shorts)
            if kind == "alt":
                record.alts.update(keys)
            else:
                record.names.update(keys)
                record.labels.setdefault(language, text.value)
    entries: list[Entry] = []
    alts: list[str] = []
    for iri, r in sorted(found.items()):
        entries.append(
            Entry(
                iri,
                next(g for g in GROUPS if g in r.groups),
                r.labels,
                tuple(sorted(r.keys)),
                r.notation,
                r.texts,
            )
        )
        # A key that is also a name is a name: "KL" is KL's label and one of its altLabels.
        alts.append("\n".join(sorted(r.alts - r.names)))
    return LabelIndex(entries, _group_labels(store, base_iri), alts)


@dataclass
class _Found:
    groups: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # keys of labels
    alts: set[str] = field(default_factory=set)  # keys of altLabels and abbreviations
    texts: dict[str, str] = field(default_factory=dict)
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
