"""Write tests/golden/CQnn-*.srj: the SPARQL JSON results of each curated query.

The queries run over the union of ontology/sdgkg.ttl, data/reference/*.ttl and data/curated/*.ttl,
each file loaded into its own named graph (docs/model.md, "Named graphs"). The loading part is a
stand-in until the project's library offers it.
"""

from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
BASE_IRI = "https://w3id.org/sdgkg/"
DATA_GLOBS = ("ontology/sdgkg.ttl", "data/reference/*.ttl", "data/curated/*.ttl")


def load_store() -> ox.Store:
    """Load every bundled data file into its own named graph of an in-memory store."""
    store = ox.Store()
    for pattern in DATA_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            graph_name = path.relative_to(ROOT).with_suffix("").as_posix()
            graph = ox.NamedNode(f"{BASE_IRI}graph/{graph_name}")
            store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    return store


def write_golden_results(store: ox.Store) -> list[Path]:
    """Run each competency query and write its JSON results next to the tests."""
    golden_dir = ROOT / "tests" / "golden"
    golden_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for query_path in sorted((ROOT / "queries" / "competency").glob("CQ*.rq")):
        results = store.query(query_path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
        golden_path = golden_dir / f"{query_path.stem}.srj"
        golden_path.write_bytes(results.serialize(format=ox.QueryResultsFormat.JSON))
        written.append(golden_path)
    return written


if __name__ == "__main__":
    for path in write_golden_results(load_store()):
        print(path.relative_to(ROOT))
