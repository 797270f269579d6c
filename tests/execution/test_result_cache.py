"""The result cache: repeated answers from memory, never across a data change, within its bytes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from sdgkg.execution.result_cache import ResultCache
from sdgkg.protocol.conneg import ResultKind, negotiate

JSON = negotiate(ResultKind.SOLUTIONS, "application/sparql-results+json", None)
GOALS = "SELECT ?g WHERE { ?g a <https://w3id.org/sdgkg/ontology#Goal> } ORDER BY ?g"
PARTNER = "<https://w3id.org/sdgkg/id/partner/cache-test>"
INSERT = (
    "INSERT DATA { GRAPH <https://w3id.org/sdgkg/graph/upload/cache> { "
    f'{PARTNER} <http://www.w3.org/2000/01/rdf-schema#label> "Cache"@en }} }}'
)


def key(n: int) -> tuple[str, ...]:
    return (f"query {n}",)


def test_least_recently_used_answers_go_first_when_the_bytes_run_out() -> None:
    cache = ResultCache(max_bytes=16 * 1000)
    for n in range(40):  # 40 answers of ~960 bytes each in a 16 kB cache
        cache.put(key(n), 0, JSON, b"x" * 750)
        if n >= 1:
            assert cache.get(key(0), 0) is not None  # kept in use: stays
    assert cache.stats()["bytes"] <= 16 * 1000
    assert cache.get(key(1), 0) is None  # the oldest unused went
    assert cache.get(key(39), 0) == (JSON, b"x" * 750)


def test_an_answer_never_outlives_its_data_version() -> None:
    cache = ResultCache(max_bytes=10**6)
    cache.put(key(1), 3, JSON, b"old")
    assert cache.get(key(1), 3) == (JSON, b"old")
    assert cache.get(key(1), 4) is None
    assert cache.stats()["entries"] == 0
    cache.put(key(1), 3, JSON, b"computed before the change")  # late: ignored
    assert cache.get(key(1), 4) is None


def test_one_big_answer_cannot_crowd_out_the_rest() -> None:
    cache = ResultCache(max_bytes=16 * 1000)
    cache.put(key(1), 0, JSON, b"x" * 500)
    cache.put(key(2), 0, JSON, b"x" * 2000)  # over 1/16 of the cache
    assert cache.get(key(2), 0) is None and cache.get(key(1), 0) is not None


def health_cache(client: TestClient) -> dict[str, Any]:
    cache = client.get("/health").json()["result_cache"]
    assert cache is not None
    return dict(cache)


def test_a_repeated_query_is_answered_from_the_cache(make_client: Any) -> None:
    client = make_client()
    first = client.get("/sparql", params={"query": GOALS})
    assert len(first.json()["results"]["bindings"]) == 17
    hits = health_cache(client)["hits"]
    again = client.get("/sparql", params={"query": GOALS})
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    assert health_cache(client)["hits"] == hits + 1
    as_csv = client.get("/sparql", params={"query": GOALS}, headers={"accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")  # its own entry, not the JSON
    assert health_cache(client)["hits"] == hits + 1


def test_an_update_is_seen_at_once(make_client: Any) -> None:
    client = make_client(update_token="s3cret")
    query = f"SELECT ?label WHERE {{ {PARTNER} ?p ?label . ?x ?y ?z }} LIMIT 1"
    before = client.get("/sparql", params={"query": query})
    assert before.json()["results"]["bindings"] == []
    assert client.get("/sparql", params={"query": query}).content == before.content  # cached
    done = client.post(
        "/update",
        content=INSERT,
        headers={"content-type": "application/sparql-update", "authorization": "Bearer s3cret"},
    )
    assert done.status_code == 204
    after = client.get("/sparql", params={"query": query})
    assert after.json()["results"]["bindings"][0]["label"]["value"] == "Cache"


def test_errors_are_not_cached_and_the_cache_can_be_turned_off(make_client: Any) -> None:
    client = make_client(max_result_rows=2)
    too_many = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
    assert client.get("/sparql", params={"query": too_many}).status_code == 413
    assert health_cache(client)["entries"] == 0
    off = make_client(result_cache_bytes=0)
    off.get("/sparql", params={"query": GOALS})
    assert off.get("/health").json()["result_cache"] is None


def test_a_write_that_bypasses_the_service_is_seen_at_once(tmp_path: Any) -> None:
    """An application embedding the app writes to the store itself: no stale answer, no 304."""
    from sdgkg.config import Settings
    from sdgkg.service.app import create_app
    from tests.service_fixtures import build_bundle_store

    settings = Settings(store=str(tmp_path / "store"))
    store = build_bundle_store(settings.store_path, settings)
    query = f"SELECT ?label WHERE {{ {PARTNER} ?p ?label . ?x ?y ?z }} LIMIT 1"
    try:
        with TestClient(create_app(settings, store=store)) as client:
            before = client.get("/sparql", params={"query": query})
            assert client.get("/sparql", params={"query": query}).content == before.content
            store.update(INSERT)
            revalidated = client.get(
                "/sparql",
                params={"query": query},
                headers={"if-none-match": before.headers["etag"]},
            )
            assert revalidated.status_code == 200
            assert revalidated.json()["results"]["bindings"][0]["label"]["value"] == "Cache"
    finally:
        store.close()


EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
MIB = 1024 * 1024


def test_a_streamed_answer_is_kept_once_it_has_all_been_sent(make_client: Any) -> None:
    client = make_client(result_cache_bytes=64 * MIB)  # answers of up to 4 MiB are kept
    first = client.get("/sparql", params={"query": EVERYTHING})
    assert "content-length" not in first.headers  # streamed: more than the pipe holds
    assert MIB < len(first.content) < 4 * MIB
    hits = health_cache(client)["hits"]
    again = client.get("/sparql", params={"query": EVERYTHING})
    assert again.content == first.content and again.headers["content-length"]
    assert health_cache(client)["hits"] == hits + 1
    small = make_client()  # 16 MiB: answers of up to 1 MiB
    assert len(small.get("/sparql", params={"query": EVERYTHING}).content) > MIB
    assert health_cache(small)["entries"] == 0


def test_a_streamed_answer_is_kept_only_if_whole_and_small_enough() -> None:
    import asyncio
    from collections.abc import AsyncIterator

    import pytest

    from sdgkg.errors import SdgkgError
    from sdgkg.service.sparql import _kept

    async def chunks(*parts: bytes, fail: bool = False) -> AsyncIterator[bytes]:
        for part in parts:
            yield part
        if fail:
            raise SdgkgError("the row limit")

    async def read(stream: AsyncIterator[bytes], stop_after: int | None = None) -> bytes:
        got = b""
        async for chunk in stream:
            got += chunk
            if stop_after is not None and len(got) >= stop_after:
                await stream.aclose()  # type: ignore[attr-defined]  # the client went away
                break
        return got

    kept: list[bytes] = []
    assert asyncio.run(read(_kept(chunks(b"bb", b"cc"), b"aa", 6, kept.append))) == b"bbcc"
    assert kept == [b"aabbcc"]
    kept.clear()
    asyncio.run(read(_kept(chunks(b"bb", b"cc"), b"aa", 5, kept.append)))  # one byte too many
    asyncio.run(read(_kept(chunks(b"bb", b"cc"), b"aa", 6, kept.append), stop_after=2))
    with pytest.raises(SdgkgError):
        asyncio.run(read(_kept(chunks(b"bb", fail=True), b"aa", 6, kept.append)))
    assert kept == []
