"""The reconciliation preview card framed by another origin, as OpenRefine frames it (Chromium)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def openrefine_page(live_server: str) -> Iterator[str]:
    """A page on another port of 127.0.0.1 (another origin, as OpenRefine's :3333 is) that
    frames the card the manifest's preview URL names."""
    card = live_server + "/reconcile/preview?id=https://w3id.org/sdgkg/id/target/4.7&lang=da"
    body = f'<!DOCTYPE html><iframe id="card" src="{card}" width="400"></iframe>'.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_another_origin_can_frame_the_preview_card(page: Any, openrefine_page: str) -> None:
    page.goto(openrefine_page)
    assert "Delmål 4.7" in page.frame_locator("#card").locator("h1").inner_text()
