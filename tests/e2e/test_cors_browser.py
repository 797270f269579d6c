"""A page on another origin queries ``/sparql`` from headless Chromium (Debian's, via Playwright).

Issue 16, item 2: a POST of ``application/sparql-query`` is not a "simple" request, so the browser
first sends a CORS preflight; a doubled ``Access-Control-Allow-Origin: *, *`` made it refuse the
POST. The page is served by a second server on 127.0.0.1 (another port: another origin).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser_fixtures import page_on_another_origin
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>notebook</title></head><body>
<p id="rows">waiting</p>
<script>
fetch(%(endpoint)r, {
  method: "POST",
  headers: {"Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json"},
  body: "SELECT ?goal WHERE { ?goal a <https://w3id.org/sdgkg/ontology#Goal> }",
}).then(r => r.json())
  .then(j => { document.getElementById("rows").textContent = "rows:" + j.results.bindings.length; })
  .catch(e => { document.getElementById("rows").textContent = "failed:" + e; });
</script></body></html>"""


@pytest.fixture
def other_origin(live_server: LiveServer) -> Iterator[str]:
    """A second local origin serving one page that POSTs a query to the live server."""
    body = (PAGE % {"endpoint": live_server.endpoint}).encode()

    with page_on_another_origin(body) as url:
        yield url


def test_issue_16_preflight_names_one_origin(live_server: LiveServer) -> None:
    response = httpx.options(
        live_server.endpoint,
        headers={
            "Origin": "http://127.0.0.1:1",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert response.status_code == 204
    assert response.headers.get_list("access-control-allow-origin") == ["*"]
    assert "content-type" in response.headers["access-control-allow-headers"]


def test_issue_16_page_on_another_origin_reads_the_rows(
    live_server: LiveServer, other_origin: str, browser_context: Any
) -> None:
    """https://github.com/sdgkg/sdgkg/issues/16: the browser sends the preflight, then the POST."""
    page = browser_context.new_page()
    methods: list[str] = []
    page.on("request", lambda request: methods.append(request.method))
    page.goto(other_origin)
    page.wait_for_function("!document.getElementById('rows').textContent.startsWith('wait')")
    text = page.locator("#rows").inner_text()
    page.close()
    assert text == "rows:17"
    assert "POST" in methods
