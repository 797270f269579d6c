"""SQLite FTS5 against tantivy for the search index: build time, query time, memory (issue 18).

Issue 18 asks for a real text index, "SQLite FTS5 from the standard library, or tantivy; measure
and choose". Both engines get the same rows: every searchable record's folded names, altLabels
and descriptions as ``sdgkg.web.search.build_index`` reads them from the store (folding is ours,
so Danish æ/ø/å, accents and case behave alike in both), and answer the same candidate query:
every word must appear, the last one as a prefix, names first. What differs is only the engine,
so the figures say which one to keep. Ranking and exact keys happen after the engine, in Python,
and are left out of both.

tantivy is not a dependency of sdgkg; install it for this run only:

    pip install tantivy
    sdgkg --store /tmp/s7/store-1m load && sdgkg --store /tmp/s7/store-1m load synthetic-1m.nt
    python benchmarks/search_engines_bench.py --store /tmp/s7/store-1m --reps 200 --out r.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sdgkg.names import fold_words
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.search import Entry, build_index

BASE = "https://w3id.org/sdgkg/"
QUERIES = ("sonderborg", "sønderborg kom", "aarhus univ", "partner 4711", "kvalitet", "kl")
CANDIDATES = 400  # as web/search.py: at most this many hits go on to be ranked
Rows = list[tuple[int, str, str]]  # number, folded names, folded descriptions


def rows_of(entries: Sequence[Entry]) -> Rows:
    return [
        (n, " | ".join(e.keys), fold_words(" ".join(e.texts.values())))
        for n, e in enumerate(entries)
    ]


class Fts5:
    name = "sqlite-fts5"

    def __init__(self, rows: Rows) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.execute(
            "CREATE VIRTUAL TABLE words USING fts5(names, text, tokenize = "
            "\"unicode61 remove_diacritics 2 tokenchars '.'\", prefix = '2 3')"
        )
        self.db.executemany("INSERT INTO words(rowid, names, text) VALUES (?,?,?)", rows)

    def candidates(self, query: str) -> list[int]:
        tokens = fold_words(query).split()
        match = " AND ".join([f'"{t}"' for t in tokens[:-1]] + [f'"{tokens[-1]}"*'])
        found: list[int] = []
        for where in (f"{{names}} : ({match})", match):
            sql = "SELECT rowid FROM words WHERE words MATCH ? LIMIT ?"
            found += [r for (r,) in self.db.execute(sql, (where, CANDIDATES))]
            if len(found) >= CANDIDATES:
                break
        return found


class Tantivy:
    name = "tantivy"

    def __init__(self, rows: Rows) -> None:
        import tantivy

        schema = tantivy.SchemaBuilder()
        schema.add_integer_field("n", stored=True, indexed=True)
        schema.add_text_field("names", tokenizer_name="default")
        schema.add_text_field("text", tokenizer_name="default")
        self.index = tantivy.Index(schema.build())
        writer = self.index.writer(heap_size=100_000_000, num_threads=1)
        for number, names, text in rows:
            writer.add_document(tantivy.Document(n=number, names=names, text=text))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def candidates(self, query: str) -> list[int]:
        import tantivy

        tokens = fold_words(query).split()
        found: list[int] = []
        for fields in (["names"], ["names", "text"]):
            # Every word required; the last as a prefix (a regex on the term dictionary).
            required = [
                (tantivy.Occur.Must, self._in_fields(fields, word, prefix=i == len(tokens) - 1))
                for i, word in enumerate(tokens)
            ]
            hits = self.searcher.search(tantivy.Query.boolean_query(required), CANDIDATES).hits
            found += [self.searcher.doc(address)["n"][0] for _, address in hits]
            if len(found) >= CANDIDATES:
                break
        return found

    def _in_fields(self, fields: list[str], word: str, *, prefix: bool) -> Any:
        import tantivy

        schema = self.index.schema
        each = [
            tantivy.Query.regex_query(schema, f, re.escape(word) + ".*")
            if prefix
            else tantivy.Query.term_query(schema, f, word)
            for f in fields
        ]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in each])


def rss_mb() -> float:
    """This process's resident memory now (Linux): both engines keep their index outside
    Python's allocator, so tracemalloc would not see it."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed_build(engine: Callable[[Rows], Any], rows: Rows) -> tuple[Any, float, float]:
    before = rss_mb()
    started = time.perf_counter()
    built = engine(rows)
    return built, time.perf_counter() - started, rss_mb() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    store = EmbeddedStore(args.store, read_only=True)
    started = time.perf_counter()
    entries = build_index(store, BASE).entries
    read_s = time.perf_counter() - started
    rows = rows_of(entries)
    report: dict[str, Any] = {
        "records": len(rows),
        "read_from_store_s": round(read_s, 2),
        "load_average": os.getloadavg()[0],
        "engines": {},
    }
    print(f"{len(rows):,} records read from the store in {read_s:.1f} s")
    engines: list[type[Fts5] | type[Tantivy]] = [Fts5, Tantivy]
    built = {}
    for engine in engines:
        index, took, grew = timed_build(engine, rows)
        built[engine.name] = index
        report["engines"][engine.name] = {
            "build_s": round(took, 2),
            "rss_growth_mb": round(grew),
            "queries": {},
        }
        print(f"{engine.name}: built in {took:.2f} s, resident memory +{grew:.0f} MB")
    for query in QUERIES:
        answers = {name: set(index.candidates(query)) for name, index in built.items()}
        for name, index in built.items():  # interleaved: each engine in turn, same queries
            times = []
            for _ in range(args.reps):
                t0 = time.perf_counter()
                index.candidates(query)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            figures = {
                "median_ms": round(statistics.median(times), 3),
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
                "hits": len(answers[name]),
            }
            report["engines"][name]["queries"][query] = figures
            print(f"  {query!r:22} {name:12} {figures}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
