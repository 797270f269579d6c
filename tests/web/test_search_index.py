"""The search index follows loads graph by graph, and equals a whole build after each (issue 18).

A real on-disk store of the bundle; graphs are loaded, replaced, dropped, and loads fail. After
every step the index the follower updated must equal ``build_index`` over the store from scratch:
the same records, the same group labels, the same hits in the same order.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple

from sdgkg.config import Settings
from sdgkg.errors import InputError, RdfSyntaxError, ValidationFailed
from sdgkg.execution.background import BuiltInBackground
from sdgkg.load import load_files
from sdgkg.store.base import GraphStore
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.search import IndexedRecord, LabelIndex
from sdgkg.web.search_index import SearchIndexFollower, build_index, update_index
from tests.service_fixtures import build_bundle_store

BASE = "https://w3id.org/sdgkg/"
ONT = f"{BASE}ontology#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
SUBCLASS = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
GRAPHS = [f"urn:test:graph:{n}" for n in range(3)]
WORDS = ["Sønderborg", "Æblegården", "Kommune", "Klima", "Aarhus", "Fjord", "Grøn", "Skole"]
QUERIES = ["sønderborg", "soenderborg", "kommune", "klima", "grøn skole", "aarh", "fj", "mål 4",
           "KL", "æble", "partnerskab", "sønderbrog"]  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    path = tmp_path_factory.mktemp("search-index") / "store"
    bundle = build_bundle_store(path, Settings(store=str(path)))
    yield bundle
    bundle.close()


def contents(index: LabelIndex) -> dict[str, object]:
    """Everything the index answers from: its text table's rows and its maps (an update that
    left a stale row or key behind would answer some query differently from a whole build)."""
    with index._lock:
        rows = index._db.execute("SELECT rowid, names, alts, text FROM words ORDER BY rowid")
        table = rows.fetchall()
    spellings = index._spellings
    return {
        "table": table,
        "numbers": index._numbers,
        "entries": index._entries,
        "exact": index._exact,
        "notations": index._by_notation,
        "spellings": (spellings.known, spellings.by_start),
    }


def assert_same(index: LabelIndex, whole: LabelIndex) -> None:
    assert index.records == whole.records
    assert index.group_labels == whole.group_labels
    assert contents(index) == contents(whole)
    for query in QUERIES:
        assert index.lookup(query) == whole.lookup(query), query


def records(seed: int, *, subclass: bool = False) -> list[Triple]:
    """A few partners, some of them shared with the other graphs' records (same IRIs)."""
    triples = []
    for n in range(seed % 3 + 1):
        record = NamedNode(f"{BASE}id/partner/test-{(seed + n) % 5}")
        name = f"{WORDS[(seed + n) % len(WORDS)]} {WORDS[(seed * 3 + n) % len(WORDS)]}"
        triples.append(Triple(record, LABEL, Literal(name, language="da")))
        if (seed + n) % 2:
            triples.append(Triple(record, RDF_TYPE, NamedNode(f"{ONT}Partner")))
        if (seed + n) % 3 == 0:
            triples.append(Triple(record, ALT, Literal(WORDS[n % len(WORDS)][:3].upper())))
    if subclass:  # a new class under Partner: every record may be searchable now
        kind = NamedNode(f"{ONT}TestPartnerKind")
        triples.append(Triple(kind, SUBCLASS, NamedNode(f"{ONT}Partner")))
        triples.append(Triple(NamedNode(f"{BASE}id/partner/test-4"), RDF_TYPE, kind))
    return triples


def bulk_load(store: EmbeddedStore, tmp: Path, graph: str, triples: list[Triple]) -> None:
    from pyoxigraph import serialize

    path = tmp / "graph.nt"
    path.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES) or b"")
    store.bulk_load_graph(graph, path, RdfFormat.N_TRIPLES, check=lambda s, g: None, replace=True)


def failing_check(store: GraphStore, graph: str) -> None:
    raise InputError(f"graph <{graph}> refused by its check")


STEP = st.tuples(
    st.sampled_from(["replace", "bulk", "drop", "fail", "update", "subclass"]),
    st.sampled_from(GRAPHS),
    st.integers(0, 40),
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(STEP, min_size=1, max_size=5))
def test_updated_index_equals_a_whole_build(
    store: EmbeddedStore, tmp_path: Path, steps: list[tuple[str, str, int]]
) -> None:
    follower = SearchIndexFollower(store, BASE)
    index = follower.build()
    try:
        for action, graph, seed in steps:
            if action == "replace":
                store.replace_graphs({graph: records(seed)})
            elif action == "bulk":
                bulk_load(store, tmp_path, graph, records(seed))
            elif action == "drop":
                store.replace_graphs({graph: []})
            elif action == "subclass":
                store.replace_graphs({graph: records(seed, subclass=True)})
            elif action == "update":  # an arbitrary update: the follower reads everything again
                store.update(f"DROP SILENT GRAPH <{graph}>")
            else:
                with pytest.raises(InputError):
                    path = tmp_path / "refused.nt"
                    path.write_text(f'<{BASE}id/partner/refused> <{LABEL.value}> "Refused" .\n')
                    store.bulk_load_graph(
                        graph, path, RdfFormat.N_TRIPLES, check=failing_check, replace=True
                    )
            index = follower.update(index)
            assert_same(index, build_index(store, BASE))
    finally:
        store.replace_graphs({graph: [] for graph in GRAPHS})


def test_writes_name_the_graphs_they_changed(store: EmbeddedStore, tmp_path: Path) -> None:
    mark = store.writes
    store.replace_graphs({GRAPHS[0]: records(1)})
    assert store.changed_graphs_since(mark) == {GRAPHS[0]}
    bulk_load(store, tmp_path, GRAPHS[1], records(2))
    assert store.changed_graphs_since(mark) == {GRAPHS[0], GRAPHS[1]}
    after_loads = store.writes
    with pytest.raises(InputError):
        path = tmp_path / "refused.nt"
        path.write_text(f'<{BASE}id/partner/refused> <{LABEL.value}> "Refused" .\n')
        store.bulk_load_graph(
            GRAPHS[2], path, RdfFormat.N_TRIPLES, check=failing_check, replace=True
        )
    assert store.writes != after_loads  # readers are told that something may have changed...
    assert store.changed_graphs_since(after_loads) == set()  # ...but a failed load changed none
    store.update(f"DROP SILENT GRAPH <{GRAPHS[0]}>")
    assert store.changed_graphs_since(after_loads) is None  # any graph: not known
    store.replace_graphs({graph: [] for graph in GRAPHS})


def test_too_old_a_mark_is_not_known(tmp_path: Path) -> None:
    store = EmbeddedStore(None)
    for n in range(1001):
        store.replace_graphs({GRAPHS[n % 3]: records(n)})
    assert store.changed_graphs_since(0) is None
    assert store.changed_graphs_since(store.writes - 2) == {GRAPHS[1000 % 3]}


def test_update_reads_only_the_changed_records(store: EmbeddedStore) -> None:
    index = build_index(store, BASE)
    mark = store.writes
    store.replace_graphs({GRAPHS[0]: records(7)})
    try:
        changed = store.changed_graphs_since(mark)
        assert changed == {GRAPHS[0]}
        updated = update_index(store, BASE, index, changed)
        kept = {id(r) for r in index.records.values()}
        read_again = [iri for iri, r in updated.records.items() if id(r) not in kept]
        assert read_again == [f"{BASE}id/partner/test-2"]  # test-3 has no type: no record
        assert updated.search("skole fjord")[0].entry.iri == f"{BASE}id/partner/test-2"
    finally:
        store.replace_graphs({GRAPHS[0]: []})


def test_an_update_leaves_the_index_served_meanwhile_as_it_was(store: EmbeddedStore) -> None:
    """The updated index is a copy: the one served until it is complete does not change."""
    index = build_index(store, BASE)
    before = pickle.dumps(contents(index))
    hits = index.lookup("skole fjord")
    mark = store.writes
    store.replace_graphs({GRAPHS[0]: records(7)})
    try:
        updated = update_index(store, BASE, index, store.changed_graphs_since(mark) or set())
        assert updated is not index
        assert updated.lookup("skole fjord") != hits
        assert pickle.dumps(contents(index)) == before
        assert index.lookup("skole fjord") == hits
    finally:
        store.replace_graphs({GRAPHS[0]: []})


def test_a_big_load_is_read_whole_and_equals_a_whole_build(store: EmbeddedStore) -> None:
    index = build_index(store, BASE)
    mark = store.writes
    many = [
        Triple(NamedNode(f"{BASE}id/partner/many-{n}"), predicate, value)
        for n in range(600)  # more than half the records, and more than a batch
        for predicate, value in ((RDF_TYPE, NamedNode(f"{ONT}Partner")), (LABEL, Literal(f"M {n}")))
    ]
    store.replace_graphs({GRAPHS[0]: many})
    try:
        updated = update_index(store, BASE, index, store.changed_graphs_since(mark) or set())
        assert not {id(r) for r in updated.records.values()} & {
            id(r) for r in index.records.values()
        }
        assert_same(updated, build_index(store, BASE))
        assert updated.search("M 599")[0].entry.iri == f"{BASE}id/partner/many-599"
    finally:
        store.replace_graphs({GRAPHS[0]: []})


def test_index_survives_pickling(store: EmbeddedStore) -> None:
    index = build_index(store, BASE)
    copy = pickle.loads(pickle.dumps(index))
    assert_same(copy, index)
    assert copy.respell("sønderbrog") == index.respell("sønderbrog") == "Sønderborg"


def test_an_adopted_index_is_updated_not_read_whole(store: EmbeddedStore) -> None:
    kept = pickle.loads(pickle.dumps(build_index(store, BASE)))  # as from before a restart
    follower = SearchIndexFollower(store, BASE)
    follower.adopt(kept)
    store.replace_graphs({GRAPHS[0]: records(7)})
    try:
        updated = follower.update(kept)
        untouched = [r for iri, r in updated.records.items() if iri != f"{BASE}id/partner/test-2"]
        assert all(r is kept.records[r.entry.iri] for r in untouched)
        assert_same(updated, build_index(store, BASE))
    finally:
        store.replace_graphs({GRAPHS[0]: []})


def failed_loads(store: EmbeddedStore, tmp_path: Path) -> Iterator[str]:
    """Loads that fail through the load path a user takes: each yields what it tried."""
    bulk = Settings(store=str(store.path), bulk_threshold_bytes=1024)
    late_error = tmp_path / "late-syntax-error.nt"
    with late_error.open("w") as out:  # a big file, broken near its end
        for n in range(20_000):
            out.write(f'<{BASE}id/partner/late-{n}> <{LABEL.value}> "Sent {n}"@da .\n')
        out.write("<urn:broken> this is not N-Triples .\n")
    with pytest.raises(RdfSyntaxError, match=":20001:"):
        load_files(store, [late_error], bulk, replace=True)
    yield "a syntax error in the last line of a 20,000-line file"
    dangling = tmp_path / "dangling.nt"
    lines = [f"<{BASE}id/partner/dangling-{n}> <{LABEL.value}> \"Dangling {n}\"@da .\n"
             for n in range(50)]  # fmt: skip
    derived = "http://www.w3.org/ns/prov#wasDerivedFrom"
    lines.append(f"<{BASE}id/partner/dangling-0> <{derived}> <{BASE}id/source/none> .\n")
    dangling.write_text("".join(lines))
    with pytest.raises(ValidationFailed, match="source/none"):
        load_files(store, [dangling], bulk, replace=True)
    yield "a bulk file whose reference does not resolve (its check fails)"
    shapes = tmp_path / "bad-shape.ttl"
    shapes.write_text(
        f"@prefix sdgkg: <{ONT}> .\n<{BASE}id/partner/no-name> a sdgkg:Partner ;"
        f" sdgkg:notAProperty 1 .\n"
    )
    with pytest.raises(ValidationFailed, match="violation"):
        load_files(store, [shapes], Settings(store=str(store.path)), replace=True)
    yield "a small file that fails the shape check"


def test_failed_loads_leave_the_index_answering_as_before(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    follower = SearchIndexFollower(store, BASE)
    index = BuiltInBackground(follower.build, update=follower.update, name="search index")
    store.replace_graphs({GRAPHS[0]: records(3)})
    before = index.wait(store.writes)
    answers = {query: before.lookup(query) for query in QUERIES}
    try:
        for tried in failed_loads(store, tmp_path):
            after = index.wait(store.writes)
            assert index.version == store.writes
            assert after is before, tried  # nothing changed, so nothing was read again
            assert after.records == before.records, tried
            assert {query: after.lookup(query) for query in QUERIES} == answers, tried
            assert after.search("Sent 19999") == [], tried
    finally:
        store.replace_graphs({GRAPHS[0]: []})


def test_records_whose_iris_hash_alike_keep_rows_of_their_own() -> None:
    """Two IRIs whose 32-bit hashes meet (found by search): each keeps its own text-index row,
    through a whole build and through updates that drop and bring back either one."""
    from sdgkg.web.search import Entry, fold, indexed_record

    first, second = (f"{BASE}id/partner/p-60150", f"{BASE}id/partner/p-60625")

    def record(iri: str, name: str) -> IndexedRecord:
        entry = Entry(iri, "Partner", {"da": name}, (fold(name),))
        return indexed_record(entry, frozenset(), frozenset({GRAPHS[0]}))

    one, two = record(first, "Havørn"), record(second, "Strandeng")
    index = LabelIndex([one, two], {})
    assert index.search("havørn")[0].entry.iri == first
    assert index.search("strandeng")[0].entry.iri == second
    without_first = index.updated([first], [], {})
    assert without_first.search("havørn") == []
    assert without_first.search("strandeng")[0].entry.iri == second
    back = without_first.updated([], [one], {})
    assert [h.entry.iri for h in back.search("havørn")] == [first]
    assert [h.entry.iri for h in back.search("strandeng")] == [second]
    assert index.search("havørn")[0].entry.iri == first  # the first index is as it was
