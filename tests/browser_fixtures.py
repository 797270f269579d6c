"""Headless Chromium (Debian's, driven by Playwright): the one launch every browser test uses.

Chromium or Playwright missing is a failure, not a skip: CI installs them (``apt-get install
chromium``, ``pip install playwright``; never ``playwright install``, which downloads a browser
build the closed network refuses).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.data import REPO_DIR

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_DIR / "test-artifacts"
# From /work/shared/FACTS.md: without the background-networking flags Chromium opens many
# connections that the closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A browser with a fresh profile, 1280 x 900, per test module (the sync API runs an event
    loop of its own, so it is not kept alive across modules that run asyncio tests)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: pip install playwright (never `playwright install`)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


def shot(page: Any, name: str) -> None:
    """A full-page screenshot into ``test-artifacts/``, for a person to look at after a run."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@contextmanager
def page_on_another_origin(body: bytes) -> Iterator[str]:
    """One HTML page served from another port of 127.0.0.1: another origin to the browser, as a
    notebook or OpenRefine is to the service."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
