"""The floor for sdgkg's pages and endpoint: the thinnest FastAPI route over pyoxigraph.

One ``def`` route that calls ``store.query`` and lets pyoxigraph serialise the answer (solutions
and booleans as SPARQL JSON, triples as Turtle); no negotiation, limits, deadline, cache or HTML.
Not part of sdgkg: benchmarks run it beside ``sdgkg serve`` over a copy of the same store
(RocksDB opens a store once).

    THIN_STORE=/tmp/perf/store-1m python -m uvicorn thin_route:app --app-dir benchmarks \\
        --port 8002 --no-access-log
"""

from __future__ import annotations

import os

from fastapi import FastAPI, Response
from pyoxigraph import QueryResultsFormat, QueryTriples, RdfFormat, Store

store = Store(os.environ["THIN_STORE"])
app = FastAPI()


@app.get("/sparql")
def sparql(query: str) -> Response:
    results = store.query(query, use_default_graph_as_union=True)
    if isinstance(results, QueryTriples):
        return Response(results.serialize(format=RdfFormat.TURTLE), media_type="text/turtle")
    body = results.serialize(format=QueryResultsFormat.JSON)
    return Response(body, media_type="application/sparql-results+json")
