"""Reconciling a 1,000-row sheet against the bundle plus synthetic records (issue 17).

The rows are what curators send from OpenRefine: partner names as sheets spell them (folded
Danish letters, upper case, an "A/S", a dropped letter), municipalities as "<name> Kommune" with
their region, and targets as "delmål 4.7" with their goal, each typed. Measured:

- the label index's build (the first batch after a change of the data pays it);
- the batch through the library, and through the HTTP service (POST /reconcile, form-encoded);
- how many rows' best candidate is the right record, and how many are marked a match;
- for comparison, SPARQL REGEX over labels per row, timed on a sample and scaled to the batch.

    python benchmarks/reconcile_bench.py --triples 100000 \
        --out benchmarks/results/reconcile-100k.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, RdfFormat
from synthetic_data import write as write_synthetic

from sdgkg import resources
from sdgkg.config import Settings
from sdgkg.load import graph_for_file
from sdgkg.rdfio import rdf_format_for
from sdgkg.reconcile import ReconcileIndex, build_index
from sdgkg.reconcile.protocol import parse_v02_batch, v02_results
from sdgkg.store.embedded import EmbeddedStore

ONT = "https://w3id.org/sdgkg/ontology#"
ROWS = 1_000
REGEX_SAMPLE = 20


def load_store(folder: Path, triples: int) -> EmbeddedStore:
    """The bundle, each file in its graph, and ``triples`` synthetic triples bulk-loaded."""
    settings = Settings(store=str(folder / "store"))
    store = EmbeddedStore(settings.store_path)
    for file in resources.bundled_load_files():
        store.oxigraph.load(
            path=str(file),
            format=rdf_format_for(file),
            to_graph=NamedNode(graph_for_file(file, settings.base_iri)),
        )
    synthetic = folder / "synthetic.nt"
    write_synthetic(synthetic, triples)
    store.oxigraph.bulk_load(
        path=str(synthetic),
        format=RdfFormat.N_TRIPLES,
        to_graph=NamedNode("urn:x-bench:synthetic"),
    )
    store.flush()
    return store


def open_or_load_store(folder: Path, triples: int) -> EmbeddedStore:
    """The store a previous run with the same ``--workdir`` left, or a new one."""
    if (folder / "store").is_dir():
        return EmbeddedStore(folder / "store")
    folder.mkdir(parents=True, exist_ok=True)
    return load_store(folder, triples)


def sheet_rows(index: ReconcileIndex, rows: int, seed: int) -> tuple[dict[str, Any], list[str]]:
    """A 0.2 query batch and the IRI each row should find."""
    rng = random.Random(seed)
    partners = [r for r in index.records.values() if "/partner/synthetic-partner-" in r.iri]
    municipalities = [r for r in index.records.values() if "Municipality" in r.types]
    targets = [r for r in index.records.values() if "Target" in r.types]
    queries: dict[str, Any] = {}
    expected = []
    for n in range(rows):
        pick = rng.random()
        if pick < 0.6:
            record = rng.choice(partners)
            cell = _as_a_sheet_spells_it(record.name("da"), rng)
            queries[f"q{n}"] = {"query": cell, "type": ONT + "Partner"}
        elif pick < 0.8:
            record = rng.choice(municipalities)
            region = index.records[record.values["region"][0]].name("da")
            queries[f"q{n}"] = {
                "query": f"{record.name('da')} Kommune",
                "type": ONT + "Municipality",
                "properties": [{"pid": "region", "v": region}],
            }
        else:
            record = rng.choice(targets)
            goal = record.notations[0].split(".")[0]
            queries[f"q{n}"] = {
                "query": f"delmål {record.notations[0]}",
                "type": ONT + "Target",
                "properties": [{"pid": "goal", "v": f"mål {goal}"}],
            }
        expected.append(record.iri)
    return queries, expected


def _as_a_sheet_spells_it(name: str, rng: random.Random) -> str:
    variant = rng.randrange(4)
    if variant == 0:
        return name.upper()
    if variant == 1:
        return name.replace("ø", "oe").replace("æ", "ae").replace("å", "aa") + " A/S"
    if variant == 2 and len(name) > 8:
        cut = rng.randrange(1, 5)
        return name[:cut] + name[cut + 1 :]  # a dropped letter
    return name


def time_library(index: ReconcileIndex, queries: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    results = v02_results(index, parse_v02_batch(queries, index), "da")
    return time.perf_counter() - started, results


def time_http(store: EmbeddedStore, settings: Settings, queries: dict[str, Any]) -> float:
    """POST /reconcile as OpenRefine sends it, through the whole app (in process, no socket)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from sdgkg.service.app import create_app

    with TestClient(create_app(settings, store=store)) as client:
        client.post("/reconcile", data={"queries": json.dumps({"q0": {"query": "x"}})})
        started = time.perf_counter()
        response = client.post("/reconcile", data={"queries": json.dumps(queries)})
        took = time.perf_counter() - started
    assert response.status_code == 200, response.text[:300]
    return took


def time_regex(store: EmbeddedStore, queries: dict[str, Any]) -> float:
    """Seconds per row for the approach the index replaces: REGEX over every label."""
    sample = list(queries.values())[:REGEX_SAMPLE]
    started = time.perf_counter()
    for query in sample:
        pattern = re.escape(query["query"].split(" Kommune")[0]).replace("\\", "\\\\")
        list(
            store.query(
                "SELECT ?x WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label "
                f'FILTER(REGEX(STR(?label), "{pattern}", "i")) }}'
            )
        )
    return (time.perf_counter() - started) / len(sample)


def accuracy(results: dict[str, Any], expected: list[str]) -> dict[str, int]:
    top = matched = wrong_match = 0
    for n, iri in enumerate(expected):
        candidates = results[f"q{n}"]["result"]
        best = candidates[0] if candidates else None
        top += best is not None and best["id"] == iri
        matched += best is not None and best["match"] and best["id"] == iri
        wrong_match += best is not None and best["match"] and best["id"] != iri
    return {"top_candidate_right": top, "matched_right": matched, "matched_wrong": wrong_match}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--workdir", type=Path, help="Keep the store here and reuse it on the next run."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = args.workdir or Path(work)
        store = open_or_load_store(folder, args.triples)
        settings = Settings(store=str(folder / "store"))
        triples = len(store.oxigraph)
        started, started_cpu = time.perf_counter(), time.process_time()
        index = build_index(store, settings.base_iri)
        build_s = time.perf_counter() - started
        build_cpu_s = time.process_time() - started_cpu  # apart from waiting on a busy machine
        queries, expected = sheet_rows(index, args.rows, args.seed)
        library_s, results = time_library(index, queries)
        http_s = time_http(store, settings, queries)
        regex_row_s = time_regex(store, queries)
        store.close()
    summary = {
        "quads": triples,
        "records_indexed": len(index.records),
        "rows": args.rows,
        "index_build_s": round(build_s, 2),
        "index_build_cpu_s": round(build_cpu_s, 2),
        "batch_library_s": round(library_s, 2),
        "batch_http_s_warm_index": round(http_s, 2),
        "regex_per_row_s": round(regex_row_s, 3),
        "regex_batch_s_estimated": round(regex_row_s * args.rows, 1),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **accuracy(results, expected),
    }
    text = json.dumps(summary, indent=2)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
