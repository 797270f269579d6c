"""Every request as an operator sees it: Prometheus metrics (``metrics.py``) and the access log
(``access_log.py``), both off unless a setting turns them on (``SDGKG_METRICS``,
``SDGKG_ACCESS_LOG``).

``RequestObserver`` wraps ``ServiceState.respond``, the one door every HTTP request passes, in
``sdgkg serve``'s front and in ``create_app`` alike. It times the request, notes its status and
the body bytes sent (after gzip), and reads what the handler noted in the request's scope
(``RequestFacts``): the query, rows sent, a cache hit, a timeout, an operation such as a load.
``/metrics`` is answered here, before validators and gzip: a scrape is never a 304.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from sdgkg.errors import QueryTimeout
from sdgkg.service.access_log import AccessLog
from sdgkg.service.request_facts import FACTS, AnsweredRequest, RequestFacts

if TYPE_CHECKING:
    from sdgkg.execution.state import ServiceState
    from sdgkg.service.metrics import ServiceMetrics

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

METRICS_PATH = "/metrics"
# Answered outside FastAPI's routing: their path is their route.
_OWN_ROUTES = {"/sparql": "/sparql", "/sparql/": "/sparql", "/update": "/update"}
_OWN_ROUTES |= {"/update/": "/update", METRICS_PATH: METRICS_PATH}


def install_observer(state: ServiceState) -> None:
    """Observe ``state``'s requests if metrics or the access log are on; else cost nothing."""
    settings = state.settings
    if state.observe is None and (settings.metrics or settings.access_log != "off"):
        state.observe = RequestObserver(state)


def attach_app(state: ServiceState, app_state: object) -> None:
    """Let the metrics see the values an app builds in the background (``app.state``)."""
    observer = state.observe
    if isinstance(observer, RequestObserver) and observer.metrics is not None:
        observer.metrics.watch_builds(app_state)


class RequestObserver:
    """Times each request and hands what it learnt to the metrics and the access log."""

    def __init__(self, state: ServiceState) -> None:
        settings = state.settings
        self.metrics: ServiceMetrics | None = None
        if settings.metrics:
            from sdgkg.service.metrics import ServiceMetrics  # prometheus_client only if on

            self.metrics = ServiceMetrics(state)
        self.access_log = AccessLog.open(settings) if settings.access_log == "json" else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send, app: App) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if self.metrics is not None and scope["path"] == METRICS_PATH:
            app = self.metrics.serve
        facts = scope[FACTS] = RequestFacts()
        started = time.perf_counter()
        status, sent = 500, 0  # what the server answers if the app raises before it starts

        async def observed(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        aborted = False
        try:
            await app(scope, receive, observed)
        except BaseException as error:
            aborted = True
            facts.timed_out = facts.timed_out or _caused_by_timeout(error)
            raise
        finally:
            self._record(scope, facts, status, sent, time.perf_counter() - started, aborted)

    def _record(
        self,
        scope: Scope,
        facts: RequestFacts,
        status: int,
        sent: int,
        duration_s: float,
        aborted: bool,
    ) -> None:
        rows = facts.rows() if facts.rows is not None else None
        answered = AnsweredRequest(
            scope, route_template(scope), status, duration_s, sent, rows, facts, aborted
        )
        if self.metrics is not None:
            self.metrics.record(answered)
        if self.access_log is not None:
            self.access_log.write(answered)


def route_template(scope: Scope) -> str:
    """The route a request matched, as written in the app (``/id/{path:path}``), not its path:
    a label with a bounded number of values. Paths nothing matched share one label."""
    own = _OWN_ROUTES.get(scope["path"])
    if own is not None:
        return own
    template = getattr(scope.get("route"), "path", None)
    if isinstance(template, str):
        return template
    mounted = str(scope.get("root_path", ""))  # a mounted app (the static files) moves it on
    if mounted and mounted != scope.get("app_root_path", ""):
        return mounted + "/{path}"
    return "unmatched"


def _caused_by_timeout(error: BaseException) -> bool:
    """A streamed answer stopped at its deadline ends the response with an error whose cause
    is the timeout."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, QueryTimeout):
            return True
        seen = seen.__cause__
    return False
