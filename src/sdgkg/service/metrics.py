"""``/metrics`` in the Prometheus exposition format, with the official ``prometheus_client``.

Off unless ``SDGKG_METRICS=1``; with ``SDGKG_METRICS_TOKEN`` a scrape must send it as a bearer
token (``config.py`` refuses metrics on a host others can reach without one). Each service has
its own ``CollectorRegistry``, never the library's global one, so several apps in one process
(tests, embedders) keep their counts apart.

What is counted, and where it is learnt (``observe.py`` hands over each request):

* requests by method, route template and status; their duration by route; body bytes sent;
* SPARQL queries at ``/sparql``: duration by query form, rows sent, timeouts, result-cache hits
  and misses;
* loads (``PUT /store``), updates and backups: how many by outcome, the last one's duration and
  the time of the last success;
* at scrape time: the store's size (triples in named graphs, graphs) and data version, counted
  on a worker thread once per data version; the values built in the background (VoID and dumps,
  search, coverage): builds by outcome, the last duration, whether one is running; and the
  process (memory, CPU, open files) from the library's ``ProcessCollector``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric
from pyoxigraph import QuerySolutions

from sdgkg.errors import SdgkgError
from sdgkg.execution.background import BuiltInBackground
from sdgkg.service.sparql import (
    MethodNotAllowed,
    Receive,
    Scope,
    Send,
    check_bearer,
    request_header,
    send_bytes,
    send_error,
)

if TYPE_CHECKING:
    from sdgkg.execution.state import ServiceState
    from sdgkg.service.request_facts import AnsweredRequest

# From a lookup answered inline (about a millisecond) to the default 30 s query timeout.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
OPERATIONS = ("load", "update", "backup")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
# IRIs, strings and comments, which may hold any of those words.
_NOT_KEYWORDS = re.compile(r"<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")


def query_form(query: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``: a label for latency and rows.

    >>> query_form("PREFIX s: <http://x/#ask> # a CONSTRUCT later\\nSELECT * { ?s ?p ?o }")
    'select'
    """
    found = _FORM.search(_NOT_KEYWORDS.sub(" ", query[:20_000]))
    return found.group(1).lower() if found else "unknown"


class ServiceMetrics:
    """One service's metrics, in a registry of its own."""

    def __init__(self, state: ServiceState) -> None:
        self.state = state
        self.registry = registry = CollectorRegistry()
        self.requests = Counter(
            "sdgkg_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=registry,
        )
        self.request_seconds = Histogram(
            "sdgkg_http_request_duration_seconds",
            "Time from a request's arrival to its answer's last byte, by route template",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.response_bytes = Counter(
            "sdgkg_http_response_bytes",
            "Body bytes sent (after compression), by route template",
            ["route"],
            registry=registry,
        )
        self.query_seconds = Histogram(
            "sdgkg_query_duration_seconds",
            "SPARQL queries at /sparql, from arrival to the last byte sent, by query form",
            ["form"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.query_rows = Counter(
            "sdgkg_query_rows", "Result rows (or triples) sent, by query form", ["form"],
            registry=registry,
        )  # fmt: skip
        self.query_timeouts = Counter(
            "sdgkg_query_timeouts",
            "Queries stopped at their deadline (SDGKG_QUERY_TIMEOUT_S)",
            registry=registry,
        )
        self.cache_hits = Counter(
            "sdgkg_result_cache_hits", "Queries answered from the result cache",
            registry=registry,
        )  # fmt: skip
        self.cache_misses = Counter(
            "sdgkg_result_cache_misses", "Queries the result cache could not answer",
            registry=registry,
        )  # fmt: skip
        self.operations = Counter(
            "sdgkg_operations",
            "Loads (PUT /store), updates and backups, by outcome",
            ["operation", "outcome"],
            registry=registry,
        )
        self.operation_seconds = Gauge(
            "sdgkg_operation_last_duration_seconds",
            "How long the last load, update or backup took (success or not)",
            ["operation"],
            registry=registry,
        )
        self.operation_success = Gauge(
            "sdgkg_operation_last_success_timestamp_seconds",
            "When the last successful load, update or backup ended (Unix time)",
            ["operation"],
            registry=registry,
        )
        for operation in OPERATIONS:  # present at 0 from the start, so alerts can use them
            for outcome in ("success", "failure"):
                self.operations.labels(operation, outcome)
        self.store_size = _StoreSize(state)
        self.builds = _Builds()
        registry.register(self.store_size)
        registry.register(self.builds)
        ProcessCollector(registry=registry)

    def watch_builds(self, app_state: object) -> None:
        self.builds.holders.append(app_state)

    def record(self, answered: AnsweredRequest) -> None:
        """Count one answered request."""
        route, facts, duration_s = answered.route, answered.facts, answered.duration_s
        self.requests.labels(answered.scope["method"], route, str(answered.status)).inc()
        self.request_seconds.labels(route).observe(duration_s)
        self.response_bytes.labels(route).inc(answered.sent)
        if facts.query is not None:
            form = query_form(facts.query)
            self.query_seconds.labels(form).observe(duration_s)
            if answered.rows:
                self.query_rows.labels(form).inc(answered.rows)
        if facts.timed_out:
            self.query_timeouts.inc()
        if facts.cache == "hit":
            self.cache_hits.inc()
        elif facts.cache == "miss":
            self.cache_misses.inc()
        if facts.operation is not None:
            self._operation(facts.operation, answered.status < 400, duration_s)

    def _operation(self, operation: str, succeeded: bool, duration_s: float) -> None:
        self.operations.labels(operation, "success" if succeeded else "failure").inc()
        self.operation_seconds.labels(operation).set(duration_s)
        if succeeded:
            self.operation_success.labels(operation).set(time.time())

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """``GET /metrics``: the exposition, in the format the scraper's Accept asks for."""
        try:
            self._check(scope)
        except SdgkgError as error:
            await send_error(send, error, realm=b"sdgkg metrics", allow=b"GET, HEAD")
            return
        encoder, content_type = choose_encoder(request_header(scope, b"accept") or "")
        body = await self.state.runner.call(lambda: self._exposition(encoder))
        if scope["method"] == "HEAD":
            body = b""
        headers = [(b"cache-control", b"no-store")]
        await send_bytes(send, 200, body, content_type, headers)

    def _exposition(self, encoder: Any) -> bytes:
        self.store_size.refresh()
        exposition: bytes = encoder(self.registry)
        return exposition

    def _check(self, scope: Scope) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            raise MethodNotAllowed("/metrics answers GET only")
        token = self.state.settings.metrics_token
        if token is not None:
            authorization = request_header(scope, b"authorization")
            check_bearer(token, authorization, "/metrics", "SDGKG_METRICS_TOKEN")


class _StoreSize:
    """The store's size, counted once per data version (a count scans the store)."""

    def __init__(self, state: ServiceState) -> None:
        self._state = state
        self._counted: tuple[int, int, int] | None = None  # version, triples, graphs

    def refresh(self) -> None:
        version = self._state.data_version
        if self._counted is not None and self._counted[0] == version:
            return
        store = self._state.store
        graphs = store.graph_names()
        result = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        triples = 0
        if isinstance(result, QuerySolutions):
            for row in result:
                triples = int(row[0].value)
        self._counted = (version, triples, len(graphs))

    def collect(self) -> Iterator[Metric]:
        counted = self._counted
        if counted is None:
            return
        version, triples, graphs = counted
        yield GaugeMetricFamily(
            "sdgkg_store_triples",
            "Triples in the store's named graphs (one in two graphs counts twice)",
            value=triples,
        )
        yield GaugeMetricFamily("sdgkg_store_graphs", "Named graphs in the store", value=graphs)
        yield GaugeMetricFamily(
            "sdgkg_data_version", "Moves on with every change of the data", value=version
        )


class _Builds:
    """The values an app builds in the background (``execution/background.py``), found on its
    ``app.state`` and one level below it (the web pages' state, the harvest cache)."""

    def __init__(self) -> None:
        self.holders: list[object] = []

    def collect(self) -> Iterator[Metric]:
        builds = CounterMetricFamily(
            "sdgkg_background_builds",
            "Builds of values derived from the data (VoID statistics, dumps, search, coverage)",
            labels=["name", "outcome"],
        )
        seconds = GaugeMetricFamily(
            "sdgkg_background_build_last_duration_seconds",
            "How long the last build of each value took",
            labels=["name"],
        )
        running = GaugeMetricFamily(
            "sdgkg_background_build_running", "1 while a value is being built", labels=["name"]
        )
        read_back = CounterMetricFamily(
            "sdgkg_background_read_back",
            "Values read back from beside the store at start-up instead of built (issue 18): "
            "current, or stale (served while the current one builds)",
            labels=["name", "state"],
        )
        for value in self._found():
            stats = value.stats
            builds.add_metric([value.name, "success"], stats.succeeded)
            builds.add_metric([value.name, "failure"], stats.failed)
            read_back.add_metric([value.name, "current"], stats.restored)
            read_back.add_metric([value.name, "stale"], stats.restored_stale)
            running.add_metric([value.name], 1 if stats.running else 0)
            if stats.last_duration_s is not None:
                seconds.add_metric([value.name], stats.last_duration_s)
        yield from (builds, seconds, running, read_back)

    def _found(self) -> list[BuiltInBackground[Any]]:
        found: dict[str, BuiltInBackground[Any]] = {}
        for holder in self.holders:
            for item in _attributes(holder):
                # the web pages' state and the harvest cache list theirs (list pages included)
                derived = getattr(item, "derived_values", None)
                below = derived() if callable(derived) else _attributes(item)
                for candidate in (item, *below):
                    if isinstance(candidate, BuiltInBackground):
                        found.setdefault(candidate.name, candidate)
        return list(found.values())


def _attributes(holder: object) -> list[object]:
    """The values an object (or Starlette's ``State``) holds as attributes."""
    values = getattr(holder, "_state", None)
    if not isinstance(values, dict):
        values = getattr(holder, "__dict__", {})
    return list(values.values())
