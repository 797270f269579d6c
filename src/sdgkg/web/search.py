"""Search over partners, partnerships, initiatives, municipalities, regions, SDG goals and targets.

A text index (SQLite FTS5, in the standard library) read from the store in one query, in the
background for every new data version (``web/state.py``), and after a load updated for the graphs
it changed only (``web/search_index.py``). Names are folded as everywhere in
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

from sdgkg.names import core_name, fold_words, read_notation
from sdgkg.names import fold as fold
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


@dataclass(frozen=True)
class IndexedRecord:
    """One record as the index keeps it: what it shows, and what a full build derives from it
    (so that an update derives again only what the records a load touched give)."""

    entry: Entry
    graphs: frozenset[str]  # the named graphs holding its type, names or descriptions
    exact: tuple[tuple[str, int], ...]  # (key, score) of its exact names and altLabels
    words: tuple[str, str, str]  # its text-index columns: names, altLabels, descriptions
    spellings: tuple[tuple[str, str], ...]  # (folded word, as written) of its labels' words


def indexed_record(entry: Entry, alts: frozenset[str], graphs: frozenset[str]) -> IndexedRecord:
    """``alts``: the keys from altLabels and abbreviations that are no name."""
    exact = tuple((key, _EXACT_ALT if key in alts else _EXACT_NAME) for key in entry.keys)
    names = _KEYS.join(key for key in entry.keys if key not in alts)
    texts = fold_words(" ".join(entry.texts.values()))
    spellings = []
    for label in entry.labels.values():
        for word in label.split():
            folded = fold_words(word)
            if len(folded) > 2 and " " not in folded:
                written = word.strip(",.;:()")
                spellings += [(folded, written), (fold_words(word, loose=True), written)]
    words = (names, _KEYS.join(sorted(alts)), texts)
    return IndexedRecord(entry, graphs, exact, words, tuple(spellings))


class LabelIndex:
    """The records, their exact keys, and an FTS5 table of their folded words.

    Built from the records sorted by IRI (``web/search_index.py``), whether read whole or updated
    for the graphs a load changed, so both give the same index. Picklable: the FTS5 table goes
    as the bytes of its database.
    """

    def __init__(
        self,
        records: list[IndexedRecord],
        group_labels: dict[str, dict[str, str]],
        classes: str = "",
    ) -> None:
        self.records = records
        self.entries = [record.entry for record in records]
        self.group_labels = group_labels
        self.classes = classes  # the searchable classes' VALUES block it was read with
        self._exact: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._by_notation: dict[str, list[int]] = defaultdict(list)
        self._db = _words_table()
        self._lock = threading.Lock()
        rows = []
        for number, record in enumerate(records):
            for key, score in record.exact:
                self._exact[key].append((number, score))
            if record.entry.notation:
                self._by_notation[record.entry.notation.lower()].append(number)
            rows.append((number, *record.words))
        self._db.executemany("INSERT INTO words(rowid, names, alts, text) VALUES (?,?,?,?)", rows)
        self._db.commit()  # else serialize() gives the table as it was before the rows
        self._spellings = _spellings(records)

    def __getstate__(self) -> dict[str, object]:
        state = {k: v for k, v in vars(self).items() if k not in ("_db", "_lock")}
        with self._lock:
            state["_db"] = self._db.serialize()
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        words = state.pop("_db")
        assert isinstance(words, bytes)
        vars(self).update(state)
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.deserialize(words)
        self._lock = threading.Lock()

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


def _spellings(records: list[IndexedRecord]) -> _Spellings:
    spellings = _Spellings()
    for record in records:
        for folded, written in record.spellings:
            spellings.known.setdefault(folded, written)
    grouped: dict[str, list[str]] = defaultdict(list)
    for folded in spellings.known:
        grouped[folded[:1]].append(folded)
    spellings.by_start = dict(grouped)
    return spellings


def _words_table() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(
        "CREATE VIRTUAL TABLE words USING fts5("
        "names, alts, text, tokenize = \"unicode61 remove_diacritics 2 tokenchars '.'\","
        " prefix = '2 3')"
    )
    return db
