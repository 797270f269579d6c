"""Conditional GET: ``ETag`` and ``Last-Modified`` on what the service derives from its data, and
``304 Not Modified`` when the client (a harvester, a browser, a caching proxy) already holds it.

Every GET answer of this service is a function of the data and of the request: path, query
string, the negotiating headers (Accept, Accept-Language, the language cookie) and the address the
client used (the Service Description and pages name it). The data only change in ways that move
``ServiceState.data_version`` on (updates, any write to the embedded store, and over a remote
engine written only by sdgkg, the data stamp each write leaves), so a validator made of the
service's instance, the data version and a digest of those request parts is known *before* the
answer is computed: a client that presents it gets a 304 without the query being run again.

Validators are weak (``W/``): two representations with the same validator are equivalent, not
byte-identical (a JSON-LD context URL, a timestamp in a page). They are only given when the data
cannot change behind the service's back: over a remote engine other clients may write, so no
validators are sent there unless ``SDGKG_REMOTE_WRITERS=sdgkg``. ``/health`` reports live state
and is never validated.

Static, byte-identical files (the dumps, under a prefix named in ``Validators.files_under``)
carry their own strong ETag, derived from their content hash, and are left to their handler:
``file_is_current`` answers their If-None-Match and If-Modified-Since, and ``honour_if_range``
lets a download resume (``curl -C -``, wget ``-c``) where RFC 9110 §13.1.5 allows, by a strong
comparison of If-Range with that ETag or an exact one with the Last-Modified date. A weak tag
never matches If-Range, which is why the dumps need a strong one.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

_NEGOTIATING = (b"accept", b"accept-language", b"cookie", b"host")
_NEVER = frozenset({"/health", "/update", "/update/"})
_SPARQL = frozenset({"/sparql", "/sparql/"})
# Set in a request's scope by a handler that answered from a value built for an older data version
# (execution/background.py): that answer gets no validators of the current version.
STALE = "sdgkg.stale"


class Validators:
    """Makes and checks the validators of one running service."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.instance = uuid.uuid4().hex[:12]  # a restart may come with other data
        self._http_dates: dict[datetime, bytes] = {}
        # Path prefixes of files with validators of their own; the prefix itself is not one.
        self.files_under: set[str] = set()

    def http_date(self, moment: datetime) -> bytes:
        """``moment`` as an HTTP date, formatted once per data version."""
        formatted = self._http_dates.get(moment)
        if formatted is None:
            formatted = http_date(moment).encode()
            self._http_dates = {moment: formatted}
        return formatted

    def _is_own_file(self, path: str) -> bool:
        return any(path.startswith(prefix) and path != prefix for prefix in self.files_under)

    def etag(self, scope: Scope, data_version: int) -> bytes:
        digest = hashlib.blake2b(digest_size=12)
        digest.update(scope["path"].encode())
        digest.update(b"?" + scope.get("query_string", b""))
        digest.update(scope.get("scheme", "http").encode())
        for name, value in scope["headers"]:
            if name in _NEGOTIATING:
                digest.update(b"\0" + name + b":" + value)
        return f'W/"{self.instance}-{data_version}-{digest.hexdigest()}"'.encode()

    async def __call__(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        app: App,
        *,
        data_version: int,
        modified: datetime,
    ) -> None:
        """Answer 304 if the client's copy is current; else call ``app``, adding validators."""
        if (
            not self.enabled
            or scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"] in _NEVER
            or self._is_own_file(scope["path"])
        ):
            await app(scope, receive, send)
            return
        etag = self.etag(scope, data_version)
        last_modified = self.http_date(modified)
        vary = b"accept" if scope["path"] in _SPARQL else b"accept, accept-language, cookie"
        if _is_current(scope, etag, modified):
            await _not_modified(send, etag, last_modified, vary)
            return

        answered = False

        async def send_with_validators(message: Message) -> None:
            # Ours replace a file's own validators (Starlette's FileResponse and StaticFiles send
            # theirs), so a client's ETag and date are checked against what it was given. An
            # answer built from an older data version (STALE, issue 18) carries none, so no
            # client keeps it as the new version.
            nonlocal answered
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                if message["status"] == 200 and _matches_any(scope):
                    answered = True  # ``*`` holds once the resource is known to exist
                    await _not_modified(send, etag, last_modified, vary)
                    return
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in (b"etag", b"last-modified")
                ]
                if not scope.get(STALE):
                    headers += [(b"etag", etag), (b"last-modified", last_modified)]
                message = {**message, "headers": headers}
            if not answered:
                await send(message)

        await app(scope, receive, send_with_validators)


def http_date(moment: datetime) -> str:
    """An HTTP date (RFC 9110 §5.6.7), to the second."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def file_is_current(scope: Scope, etag: str, modified: datetime) -> bool:
    """Whether a file's If-None-Match (``*`` included: the file exists) or, without one, its
    If-Modified-Since says that the client's copy is current."""
    return _matches_any(scope) or _is_current(scope, etag.encode(), modified)


def honour_if_range(scope: Scope, etag: str, modified: datetime) -> None:
    """Apply If-Range (RFC 9110 §13.1.5) to the request, for a handler that serves ranges
    whenever a Range is asked for (Starlette's ``FileResponse``): a matching validator leaves
    the Range (206, the rest), any other drops it (200, the whole file)."""
    if_range = _header(scope, b"if-range")
    if if_range is None:
        return
    headers = [(k, v) for k, v in scope["headers"] if k != b"if-range"]
    if not _if_range_matches(if_range.strip(), etag.encode(), modified):
        headers = [(k, v) for k, v in headers if k != b"range"]
    scope["headers"] = headers


def _if_range_matches(validator: bytes, etag: bytes, modified: datetime) -> bool:
    if validator.startswith((b'"', b"W/")):
        return not etag.startswith(b"W/") and validator == etag  # strong comparison
    try:
        since = parsedate_to_datetime(validator.decode("latin-1"))
    except (TypeError, ValueError):
        return False
    return since.tzinfo is not None and since == modified.replace(microsecond=0)


def _matches_any(scope: Scope) -> bool:
    if_none_match = _header(scope, b"if-none-match")
    return if_none_match is not None and if_none_match.strip() == b"*"


def _is_current(scope: Scope, etag: bytes, modified: datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since.

    ``*`` is left to the answer (``_matches_any``): it holds only where a resource exists.
    """
    if_none_match = _header(scope, b"if-none-match")
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(b",")]
        weak = etag.removeprefix(b"W/")
        return any(tag.removeprefix(b"W/") == weak for tag in tags)  # weak comparison
    if_modified_since = _header(scope, b"if-modified-since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored (RFC 9110 §13.1.3)
    if since.tzinfo is None:
        return False
    return modified.replace(microsecond=0) <= since


async def _not_modified(send: Send, etag: bytes, last_modified: bytes, vary: bytes) -> None:
    headers = [
        (b"etag", etag),
        (b"last-modified", last_modified),
        (b"vary", vary),
        (b"access-control-allow-origin", b"*"),
    ]
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None
