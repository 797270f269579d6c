"""SERVICE and LOAD refusal on the parsed request, and the dataset a query declares."""

from __future__ import annotations

import pytest

from sdgkg.errors import QueryNotAllowed
from sdgkg.protocol.safety import check_query, check_update, looks_like_update, syntax_error

ALLOWED = "https://query.wikidata.org/sparql"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://10.0.0.1/> { ?s ?p ?o } }",
        "PREFIX ex: <http://internal/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "BASE <http://internal/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?q ?r } } }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o  ",  # unparsable: refused too
    ],
    ids=[
        "plain",
        "lower-case-silent",
        "prefixed",
        "relative",
        "variable",
        "escaped",
        "nested",
        "broken",
    ],
)
def test_service_to_unlisted_endpoint_is_refused(query: str) -> None:
    with pytest.raises(QueryNotAllowed):
        check_query(query, [ALLOWED])


def test_service_to_allowlisted_endpoint_passes() -> None:
    assert (
        check_query(f"SELECT * WHERE {{ SERVICE <{ALLOWED}> {{ ?s ?p ?o }} }}", [ALLOWED]) is None
    )


def test_word_service_in_a_literal_is_not_a_clause() -> None:
    query = 'SELECT * WHERE { ?s ?p "public service" }'
    assert check_query(query, []) is None


def test_query_dataset_is_read_from_from_clauses() -> None:
    dataset = check_query(
        "PREFIX g: <http://g/> SELECT * FROM g:a FROM NAMED <http://g/b> WHERE { ?s ?p ?o }", []
    )
    assert dataset is not None
    assert dataset.default_graphs == ["http://g/a"]
    assert dataset.named_graphs == ["http://g/b"]


def test_from_in_a_literal_declares_nothing() -> None:
    assert check_query('SELECT * WHERE { ?s ?p "from <x>" }', []) is None


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ],
)
def test_update_remote_calls_are_refused(update: str) -> None:
    with pytest.raises(QueryNotAllowed):
        check_update(update, [])


def test_plain_update_passes() -> None:
    check_update("INSERT DATA { <http://a> <http://b> <http://c> }", [])


def test_updates_are_recognised() -> None:
    assert looks_like_update("PREFIX a: <http://a/> INSERT DATA { a:x a:y a:z }")
    assert not looks_like_update("SELECT * WHERE { ?s ?p ?o }")


def test_syntax_error_keeps_line_and_column() -> None:
    error = syntax_error(SyntaxError("error at 3:14: expected WHERE"))
    assert error.where == "3:14"
    assert "line 3, column 14" in error.message
