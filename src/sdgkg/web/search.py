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
import hashlib
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from sdgkg.names import core_name, fold_words, read_notation
from sdgkg.names import fold as fold
from sdgkg.web.i18n import pick_label

# Result groups, most specific first: a municipality is also a partner, but is listed as such.
GROUPS = ("Municipality", "Region", "Partnership", "Initiative", "Goal", "Target", "Partner")

_EXACT_NOTATION, _EXACT_NAME, _EXACT_ALT = 1000, 900, 850
_NAME_PREFIX, _NAME_WORDS, _ALT_WORDS, _TEXT_WORDS = 700, 600, 500, 300
_CANDIDATES = 400  # text-index hits ranked further, at most
_MIN_SIMILARITY = 0.75  # of a corrected word to the typed one (difflib's ratio)
_ROW_NUMBER_BITS = 32  # enough to keep collisions rare, few enough to keep FTS5 doclists small
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

    Each record's row in the table is numbered from a hash of its IRI (``_row_number``), not from
    its position: so ``updated`` changes the rows of the records a load touched in a copy of the
    index, and the copy equals an index built whole from the same records (the order in which
    FTS5 gives its candidates follows the numbers). Picklable: the FTS5 table goes as the bytes of
    its database.
    """

    def __init__(
        self,
        records: Iterable[IndexedRecord],
        group_labels: dict[str, dict[str, str]],
        classes: str = "",
    ) -> None:
        self.records: dict[str, IndexedRecord] = {}  # by IRI
        self.group_labels = group_labels
        self.classes = classes  # the searchable classes' VALUES block it was read with
        self._numbers: dict[str, int] = {}  # IRI -> row number in the text index
        self._entries: dict[int, Entry] = {}  # row number -> entry
        self._exact: dict[str, dict[int, int]] = {}  # key -> {row number: score}
        self._by_notation: dict[str, frozenset[int]] = {}
        self._spellings = _Spellings()
        self._db = _words_table()
        self._lock = threading.Lock()
        self._add(sorted(records, key=lambda record: record.entry.iri))

    @property
    def entries(self) -> list[Entry]:
        """Every record's entry, in IRI order."""
        return [self.records[iri].entry for iri in sorted(self.records)]

    def updated(
        self,
        removed: Iterable[str],
        added: Iterable[IndexedRecord],
        group_labels: dict[str, dict[str, str]],
    ) -> LabelIndex:
        """A new index: this one without the records ``removed`` names, with those ``added``
        (a record in both is replaced). This one is left as it is, to be served meanwhile; the
        new one shares what did not change with it."""
        copy = LabelIndex.__new__(LabelIndex)
        copy.records = dict(self.records)
        copy.group_labels = group_labels
        copy.classes = self.classes
        copy._numbers = dict(self._numbers)
        copy._entries = dict(self._entries)
        copy._exact = dict(self._exact)  # each changed key gets a new dict of its own
        copy._by_notation = dict(self._by_notation)
        copy._spellings = self._spellings.copy()
        copy._db = sqlite3.connect(":memory:", check_same_thread=False)
        with self._lock:
            copy._db.deserialize(self._db.serialize())
        copy._lock = threading.Lock()
        copy._remove([iri for iri in removed if iri in copy.records])
        copy._add(sorted(added, key=lambda record: record.entry.iri))
        return copy

    def _add(self, records: list[IndexedRecord]) -> None:
        """Add ``records`` (sorted by IRI); one the index holds already is replaced."""
        self._remove([r.entry.iri for r in records if r.entry.iri in self.records])
        exact: dict[str, dict[int, int]] = defaultdict(dict)
        notations: dict[str, set[int]] = defaultdict(set)
        rows = []
        for record in records:
            iri = record.entry.iri
            number = _row_number(iri, self._entries)
            self.records[iri] = record
            self._numbers[iri] = number
            self._entries[number] = record.entry
            for key, score in record.exact:
                exact[key][number] = score
            if record.entry.notation:
                notations[record.entry.notation.lower()].add(number)
            rows.append((number, *record.words))
        # One new mapping per key changed: the index this one was copied from keeps its own.
        for key, scores in exact.items():
            self._exact[key] = {**self._exact.get(key, {}), **scores}
        for code, numbers in notations.items():
            self._by_notation[code] = self._by_notation.get(code, frozenset()) | numbers
        rows.sort()  # in row order: FTS5 appends to its doclists rather than merging into them
        self._db.executemany("INSERT INTO words(rowid, names, alts, text) VALUES (?,?,?,?)", rows)
        self._db.commit()  # else serialize() gives the table as it was before the rows
        self._spellings.add(records)

    def _remove(self, iris: list[str]) -> None:
        if not iris:
            return
        gone = [self.records.pop(iri) for iri in iris]
        numbers = [self._numbers.pop(iri) for iri in iris]
        keys: dict[str, set[int]] = defaultdict(set)
        notations: dict[str, set[int]] = defaultdict(set)
        for record, number in zip(gone, numbers, strict=True):
            del self._entries[number]
            for key, _ in record.exact:
                keys[key].add(number)
            if record.entry.notation:
                notations[record.entry.notation.lower()].add(number)
        for key, out in keys.items():
            rest = {n: score for n, score in self._exact[key].items() if n not in out}
            _set_or_drop(self._exact, key, rest)
        for code, out in notations.items():
            _set_or_drop(self._by_notation, code, self._by_notation[code] - out)
        self._db.executemany("DELETE FROM words WHERE rowid = ?", [(n,) for n in numbers])
        self._db.commit()
        self._spellings.remove(gone)

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
            for number in self._by_notation.get(notation.code.lower(), ()):
                if self._entries[number].group == notation.kind:
                    scores[number] = _EXACT_NOTATION
        for key in {fold_words(query), fold_words(query, loose=True), core_name(query)} - {""}:
            for number, score in self._exact.get(key, {}).items():
                scores[number] = max(scores.get(number, 0), score)
        for number, score in self._matches(query):
            scores[number] = max(scores.get(number, 0), score)
        hits = [Hit(self._entries[n], s) for n, s in scores.items()]
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
            nearby = self._spellings.by_start.get(word[:1], frozenset())
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


K = TypeVar("K")
V = TypeVar("V")


def _set_or_drop(mapping: dict[K, V], key: K, value: V) -> None:
    """``mapping[key] = value``, or no ``key`` at all when ``value`` is empty: a copied index
    gets new values for the keys it changes and keeps no empty ones."""
    if value:
        mapping[key] = value
    else:
        mapping.pop(key, None)


def _row_number(iri: str, taken: dict[int, Entry]) -> int:
    """The record's row number in the text index: 32 bits of a hash of its IRI, the same in every
    index that holds it (the next free number in the rare case that another IRI has it)."""
    digest = hashlib.blake2b(iri.encode(), digest_size=_ROW_NUMBER_BITS // 8).digest()
    number = int.from_bytes(digest, "big")
    while number in taken:
        number = (number + 1) % 2**_ROW_NUMBER_BITS
    return number


class _Spellings:
    """The words of the records' labels, to spell a query that found nothing again: each folded
    word with how names write it, counted by record, so that records can come and go; a word is
    spelt as the first of its spellings in code-point order ("Sønderborg" before "sønderborg"),
    whatever order the records came in."""

    def __init__(self) -> None:
        self._counts: dict[str, dict[str, int]] = {}  # folded word -> {as written: records}
        self.known: dict[str, str] = {}  # folded word -> a name's own spelling
        self.by_start: dict[str, frozenset[str]] = {}  # first letter -> folded words

    def copy(self) -> _Spellings:
        """A copy that the index it belongs to may change: it shares what it does not change."""
        copy = _Spellings()
        copy._counts, copy.known = dict(self._counts), dict(self.known)
        copy.by_start = dict(self.by_start)
        return copy

    def add(self, records: list[IndexedRecord]) -> None:
        self._count(records, 1)

    def remove(self, records: list[IndexedRecord]) -> None:
        self._count(records, -1)

    def _count(self, records: list[IndexedRecord], step: int) -> None:
        changes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for record in records:
            for folded, written in set(record.spellings):
                changes[folded][written] += step
        new: dict[str, set[str]] = defaultdict(set)  # first letter -> words, new or gone
        for folded, change in changes.items():
            counts = dict(self._counts.get(folded, {}))  # a new mapping: the copy's own
            for written, step_sum in change.items():
                left = counts.get(written, 0) + step_sum
                if left:
                    counts[written] = left
                else:
                    del counts[written]
            if counts:
                if folded not in self._counts:
                    new[folded[:1]].add(folded)
                self._counts[folded] = counts
                self.known[folded] = min(counts)
            elif self._counts.pop(folded, None) is not None:
                new[folded[:1]].add(folded)
                del self.known[folded]
        for start, words in new.items():  # one new set per letter, not one per word
            _set_or_drop(self.by_start, start, self.by_start.get(start, frozenset()) ^ words)


def _words_table() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(
        "CREATE VIRTUAL TABLE words USING fts5("
        "names, alts, text, tokenize = \"unicode61 remove_diacritics 2 tokenchars '.'\","
        " prefix = '2 3')"
    )
    return db
