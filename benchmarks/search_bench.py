"""The search index: a whole build against the update after a small load and after its replace.

Issue 18: the index is rebuilt incrementally per loaded graph. Over a store that already holds
the bundle and the synthetic data (``sdgkg --store S load`` and ``sdgkg --store S load syn.nt``),
times ``build_index`` and ``SearchIndexFollower.update`` after loading a graph of 1,000 partner
records and after replacing it with other names, ``--reps`` times each; the graph is dropped
afterwards, so the store ends as it began. Once per run the updated index is checked against a
whole build of the same store.

    python benchmarks/search_bench.py --store /tmp/search/store-1m --label 1m
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.search_index import SearchIndexFollower, build_index

BASE = "https://w3id.org/sdgkg/"
GRAPH = f"{BASE}graph/upload/search-bench"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PARTNER = NamedNode(f"{BASE}ontology#Partner")


def partners(name: str, count: int = 1000) -> list[Triple]:
    triples = []
    for n in range(count):
        record = NamedNode(f"{BASE}id/partner/search-bench-{n}")
        triples += [
            Triple(record, RDF_TYPE, PARTNER),
            Triple(record, LABEL, Literal(f"{name} {n}", language="da")),
            Triple(record, LABEL, Literal(f"{name} {n} (en)", language="en")),
        ]
    return triples


def timed(work: object) -> tuple[float, object]:
    started = time.monotonic()
    value = work()  # type: ignore[operator]
    return time.monotonic() - started, value


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "median_s": round(statistics.median(samples), 3),
        "min_s": round(min(samples), 3),
        "max_s": round(max(samples), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    store = EmbeddedStore(args.store)
    whole: list[float] = []
    after_load: list[float] = []
    after_replace: list[float] = []
    load_average = os.getloadavg()
    try:
        store.replace_graphs({GRAPH: []})
        for rep in range(args.reps):
            follower = SearchIndexFollower(store, BASE)
            took, index = timed(follower.build)
            whole.append(took)
            store.replace_graphs({GRAPH: partners("Vindmøllelaug")})
            took, index = timed(lambda: follower.update(index))  # noqa: B023
            after_load.append(took)
            store.replace_graphs({GRAPH: partners("Solcellefællesskab")})
            took, index = timed(lambda: follower.update(index))  # noqa: B023
            after_replace.append(took)
            if rep == 0:
                fresh = build_index(store, BASE)
                assert index.records == fresh.records, "the update differs from a whole build"
            store.replace_graphs({GRAPH: []})
            print(f"{args.label} rep {rep + 1}: whole {whole[-1]:.2f} s, update after load "
                  f"{after_load[-1]:.2f} s, after replace {after_replace[-1]:.2f} s", flush=True)  # fmt: skip
        records = len(index.records)  # type: ignore[attr-defined]
    finally:
        store.replace_graphs({GRAPH: []})
        store.close()
    result = {
        "label": args.label,
        "records": records,
        "load_average_1_5_15": [round(x, 2) for x in load_average],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "whole_build": summary(whole),
        "update_after_loading_1000_records": summary(after_load),
        "update_after_replacing_them": summary(after_replace),
    }
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
