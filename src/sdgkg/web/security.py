"""Security headers on every HTML response, and the language cookie the switch sets.

A pure ASGI middleware rather than ``BaseHTTPMiddleware``: it only edits the response head, so
streamed RDF and dumps pass through untouched and cost nothing extra.
The policy: https://www.w3.org/TR/CSP3/ . Scripts only from this origin (no inline script; the
editor's configuration is a JSON data block, which CSP does not execute). Styles also allow
'unsafe-inline' because YASGUI's table plugin adds <style> elements at run time.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from sdgkg.web.i18n import LANG_COOKIE, LANGUAGES

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HTML_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
ONE_YEAR_S = 365 * 24 * 3600


class SecurityHeadersMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang = _requested_language(scope)

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if _is_html(headers):
                    headers.extend(h for h in HTML_HEADERS if h[0] not in names)
                    if lang:
                        cookie = f"{LANG_COOKIE}={lang}; Path=/; Max-Age={ONE_YEAR_S}; SameSite=Lax"
                        headers.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _requested_language(scope: Any) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    lang = (query.get("lang") or [None])[0]
    return lang if lang in LANGUAGES else None


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"content-type" and value.startswith(b"text/html")
        for name, value in headers
    )
