"""The row meter counts rows in serialised bytes: never fewer than there are, across any split."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, RdfFormat, Store

from sdgkg.errors import LimitExceeded
from sdgkg.execution.row_meter import RowMeter

_TEXT = st.text(alphabet=st.sampled_from(list(' .;,\n\t"abc{}[]<>\\')), max_size=12)


def _store(objects: list[str]) -> Store:
    store = Store()
    for i, text in enumerate(objects):
        subject = NamedNode(f"http://example.org/s{i % 3}")
        predicate = NamedNode(f"http://example.org/p{i % 2}")
        store.add(Quad(subject, predicate, Literal(f"{text}{i}")))
    return store


def _rows_counted(data: bytes, fmt: object, cuts: list[int]) -> int:
    meter = RowMeter(fmt, 10**9, "/dumps/")
    start = 0
    for cut in [*sorted({min(c, len(data)) for c in cuts}), len(data)]:
        meter.count(data[start:cut])
        start = cut
    return meter._rows


@settings(max_examples=60, deadline=None)
@given(
    objects=st.lists(_TEXT, min_size=1, max_size=12),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=6),
    fmt=st.sampled_from([RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.N_TRIPLES]),
)
def test_triples_are_never_undercounted(
    objects: list[str], cuts: list[int], fmt: RdfFormat
) -> None:
    out = io.BytesIO()
    store = _store(objects)
    store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize(out, fmt)  # type: ignore[union-attr]
    counted = _rows_counted(out.getvalue(), fmt, cuts)
    assert counted >= len(store)
    if fmt is RdfFormat.N_TRIPLES:
        assert counted == len(store)


@settings(max_examples=40, deadline=None)
@given(
    objects=st.lists(_TEXT, min_size=1, max_size=12),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=6),
    fmt=st.sampled_from([QueryResultsFormat.JSON, QueryResultsFormat.XML, QueryResultsFormat.TSV]),
)
def test_solutions_are_never_undercounted(
    objects: list[str], cuts: list[int], fmt: QueryResultsFormat
) -> None:
    out = io.BytesIO()
    store = _store(objects)
    store.query("SELECT ?o WHERE { ?s ?p ?o }").serialize(out, fmt)  # type: ignore[union-attr]
    assert _rows_counted(out.getvalue(), fmt, cuts) >= len(store)


def test_turtle_without_separators_in_literals_is_counted_exactly() -> None:
    out = io.BytesIO()
    store = _store(["plain", "text", "more", "words", "here"])
    store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize(out, RdfFormat.TURTLE)  # type: ignore[union-attr]
    assert _rows_counted(out.getvalue(), RdfFormat.TURTLE, [7, 30]) == 5


def test_the_limit_names_itself_and_the_dumps() -> None:
    meter = RowMeter(RdfFormat.TURTLE, 2, "/dumps/")
    with pytest.raises(LimitExceeded, match=r"more than 2 rows.*/dumps/"):
        meter.count(b"<a> <b> <c> , <d> ;\n\t<e> <f> .\n")


@settings(max_examples=60, deadline=None)
@given(
    objects=st.lists(_TEXT, min_size=1, max_size=12),
    cuts=st.lists(st.integers(min_value=0, max_value=600), max_size=40),
    fmt=st.sampled_from([QueryResultsFormat.JSON, RdfFormat.TURTLE, QueryResultsFormat.XML]),
)
def test_a_split_answer_counts_as_the_whole(
    objects: list[str], cuts: list[int], fmt: QueryResultsFormat | RdfFormat
) -> None:
    """Markers across the seams of the pipe's reads, down to one byte, count once each."""
    out = io.BytesIO()
    query = "SELECT ?o WHERE { ?s ?p ?o }"
    if isinstance(fmt, RdfFormat):
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    _store(objects).query(query).serialize(out, fmt)  # type: ignore[union-attr]
    data = out.getvalue()
    assert _rows_counted(data, fmt, cuts) == _rows_counted(data, fmt, [])
    assert _rows_counted(data, fmt, list(range(len(data)))) == _rows_counted(data, fmt, [])
