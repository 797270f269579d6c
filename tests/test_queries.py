"""Curated queries: each ``CQnn-*.rq`` states its question and has a golden answer.

Answers are compared as multisets of rows, or as lists when the query orders its rows.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import QueryResultsFormat, QuerySolutions, parse_query_results

from sdgkg.queries import bind_parameters, find_curated, list_curated, read_curated
from sdgkg.store.embedded import EmbeddedStore
from tests.data import COMPETENCY_DIR, GOLDEN_DIR

QUERIES = sorted(COMPETENCY_DIR.glob("CQ*.rq"))


def rows(result: object) -> list[tuple[str, ...]]:
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple("" if row[n] is None else str(row[n]) for n in names) for row in result]


def test_at_least_25_curated_queries_with_questions() -> None:
    curated = list_curated(COMPETENCY_DIR)
    assert len(curated) >= 25
    for query in curated:
        assert query.question_en and query.question_da, query.name


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_curated_query_answers_as_golden(path: Path, store: EmbeddedStore) -> None:
    golden = GOLDEN_DIR / f"{path.stem}.srj"
    assert golden.is_file(), f"no golden answer {golden.name}"
    text = path.read_text(encoding="utf-8")
    actual = rows(store.query(text))
    expected = rows(parse_query_results(golden.read_bytes(), format=QueryResultsFormat.JSON))
    if re.search(r"\bORDER\s+BY\b", text, re.I) and not re.search(r"\bLIMIT\b", text, re.I):
        assert actual == expected
    else:
        assert Counter(actual) == Counter(expected)
    assert actual, "a curated query over the bundle should answer something"


def test_find_curated_by_number_and_slug() -> None:
    first = read_curated(QUERIES[0])
    assert find_curated(first.number).path.name == QUERIES[0].name
    assert find_curated(first.name).path.name == QUERIES[0].name


def test_parameter_replaces_values_default(store: EmbeddedStore) -> None:
    with_params = [
        q
        for q in list_curated(COMPETENCY_DIR)
        if "VALUES ?" in q.text and q.parameters.lower() != "none"
    ]
    assert with_params
    query = with_params[0]
    name = re.search(r"VALUES\s+\?(\w+)", query.text)[1]  # type: ignore[index]
    rebound = bind_parameters(query.text, {name: "<https://w3id.org/sdgkg/id/none/such>"})
    assert "none/such" in rebound
    store.query(rebound)  # still a valid query
