"""The reconciliation preview card framed by another origin, as OpenRefine frames it (Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser_fixtures import page_on_another_origin

pytestmark = pytest.mark.e2e


@pytest.fixture
def openrefine_page(live_server: str) -> Iterator[str]:
    """A page on another port of 127.0.0.1 (another origin, as OpenRefine's :3333 is) that
    frames the card the manifest's preview URL names."""
    card = live_server + "/reconcile/preview?id=https://w3id.org/sdgkg/id/target/4.7&lang=da"
    body = f'<!DOCTYPE html><iframe id="card" src="{card}" width="400"></iframe>'.encode()

    with page_on_another_origin(body) as url:
        yield url


def test_another_origin_can_frame_the_preview_card(page: Any, openrefine_page: str) -> None:
    page.goto(openrefine_page)
    assert "Delmål 4.7" in page.frame_locator("#card").locator("h1").inner_text()
