"""The embedded store: atomic replacement, invisible bulk loads, recovery after a crash."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple

from sdgkg.errors import GraphExists, RdfSyntaxError, StoreError
from sdgkg.store.base import CATALOG_GRAPH, LOAD_STATE, store_stats
from sdgkg.store.embedded import EmbeddedStore

EX = "http://example.org/"
G1, G2 = EX + "g1", EX + "g2"


def triple(s: str, o: str) -> Triple:
    return Triple(NamedNode(EX + s), NamedNode(EX + "p"), Literal(o))


def nquads(store: EmbeddedStore) -> bytes:
    out = io.BytesIO()
    store.dump(out, RdfFormat.N_QUADS)
    return out.getvalue()


@pytest.fixture(params=["oxigraph-command", "pyoxigraph-bulk-load"])
def empty(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> EmbeddedStore:
    """An empty store; bulk loads go through the `oxigraph` command or pyoxigraph's own loader."""
    from sdgkg.store import _oxigraph_cli

    if request.param == "pyoxigraph-bulk-load":
        monkeypatch.setattr(_oxigraph_cli, "available", lambda fmt: False)
    else:
        assert _oxigraph_cli.available(RdfFormat.N_TRIPLES), "the oxigraph command is a dependency"
    return EmbeddedStore(tmp_path / "store", exclusive=True)


def test_replace_graphs_sets_each_graph_exactly(empty: EmbeddedStore) -> None:
    empty.replace_graphs({G1: [triple("a", "1")], G2: [triple("b", "2")]})
    empty.replace_graphs({G1: [triple("c", "3")]})
    assert empty.graph_names() == [G1, G2]
    rows = list(empty.query(f"SELECT ?s WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"))
    assert [r["s"].value for r in rows] == [EX + "c"]


def test_queries_see_the_union_of_named_graphs(empty: EmbeddedStore) -> None:
    empty.replace_graphs({G1: [triple("a", "1")], G2: [triple("b", "2")]})
    rows = list(empty.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"))
    assert [r["s"].value for r in rows] == [EX + "a", EX + "b"]


def test_second_writer_gets_a_clear_error(empty: EmbeddedStore) -> None:
    with pytest.raises(StoreError, match="in use by another process"):
        EmbeddedStore(empty.path)


def write_nt(path: Path, count: int, *, broken_at: int | None = None) -> Path:
    lines = [f'<{EX}s{i}> <{EX}p> "{i}" .' for i in range(count)]
    if broken_at is not None:
        lines[broken_at] = f'<{EX}s{broken_at}> <{EX}p> "unterminated .'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bulk_load_is_visible_only_after_its_check(empty: EmbeddedStore, tmp_path: Path) -> None:
    seen_during_check: list[int] = []

    def check(_store: object, graph: str) -> None:
        seen_during_check.append(len(list(empty.query("SELECT * WHERE { ?s ?p ?o }"))))

    empty.bulk_load_graph(
        G1, write_nt(tmp_path / "a.nt", 500), RdfFormat.N_TRIPLES, check=check, replace=False
    )
    assert seen_during_check == [0]
    assert len(list(empty.query("SELECT * WHERE { ?s ?p ?o }"))) == 500


def test_failed_bulk_check_leaves_store_unchanged(empty: EmbeddedStore, tmp_path: Path) -> None:
    empty.replace_graphs({G2: [triple("keep", "me")]})
    before = nquads(empty)

    def reject(_store: object, graph: str) -> None:
        raise ValueError("no")

    with pytest.raises(ValueError):
        empty.bulk_load_graph(
            G1, write_nt(tmp_path / "a.nt", 300), RdfFormat.N_TRIPLES, check=reject, replace=False
        )
    assert nquads(empty) == before


def test_bulk_syntax_error_names_line_and_changes_nothing(
    empty: EmbeddedStore, tmp_path: Path
) -> None:
    before = nquads(empty)
    path = write_nt(tmp_path / "bad.nt", 2000, broken_at=1500)
    with pytest.raises(RdfSyntaxError) as caught:
        empty.bulk_load_graph(G1, path, RdfFormat.N_TRIPLES, check=lambda s, g: None, replace=False)
    assert caught.value.where.startswith(f"{path}:1501:")
    assert nquads(empty) == before


def test_bulk_load_refuses_existing_graph_without_replace(
    empty: EmbeddedStore, tmp_path: Path
) -> None:
    empty.replace_graphs({G1: [triple("a", "1")]})
    with pytest.raises(GraphExists):
        empty.bulk_load_graph(
            G1,
            write_nt(tmp_path / "a.nt", 10),
            RdfFormat.N_TRIPLES,
            check=lambda s, g: None,
            replace=False,
        )
    empty.bulk_load_graph(
        G1,
        write_nt(tmp_path / "a.nt", 10),
        RdfFormat.N_TRIPLES,
        check=lambda s, g: None,
        replace=True,
    )
    assert store_stats(empty).graphs[0].triples == 10


def test_reopening_removes_a_graph_left_by_an_interrupted_load(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs({G2: [triple("keep", "me")]})
    before = nquads(store)
    # What a kill -9 in the middle of a bulk load leaves behind: the marker and part of the data.
    store.oxigraph.add(
        Quad(NamedNode(G1), NamedNode(LOAD_STATE), Literal("loading"), NamedNode(CATALOG_GRAPH))
    )
    store.oxigraph.add(
        Quad(NamedNode(EX + "half"), NamedNode(EX + "p"), Literal("x"), NamedNode(G1))
    )
    store.close()
    reopened = EmbeddedStore(tmp_path / "store")
    assert reopened.graph_names() == [G2]
    assert nquads(reopened) == before


def test_a_shared_store_never_hands_itself_to_the_oxigraph_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server's store is used by other threads: it must bulk-load in process."""
    from sdgkg.store import _oxigraph_cli

    def refuse(*args: object) -> None:
        raise AssertionError("the oxigraph command was used on a shared store")

    monkeypatch.setattr(_oxigraph_cli, "load_graph_file", refuse)
    shared = EmbeddedStore(tmp_path / "store")
    path = write_nt(tmp_path / "a.nt", 100)
    shared.bulk_load_graph(G1, path, RdfFormat.N_TRIPLES, check=lambda s, g: None, replace=False)
    assert len(list(shared.query("SELECT * WHERE { ?s ?p ?o }"))) == 100
