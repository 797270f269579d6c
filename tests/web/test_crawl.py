"""A crawl of the site as a browser sees it (issue 21): from ``/`` in each language, every
same-site link is followed, breadth first, up to a cap.

Every page answers below 400; what a link leads to is HTML unless the link says it offers a
file (``download``, ``type``, ``rel="alternate"``): no JSON served to a browser. Every HTML page
has a ``lang``, a title, one main landmark and one ``h1``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

PAGE_CAP = 600
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Links that are not pages: big downloads and the query endpoint's results (a file by intent).
NOT_PAGES = ("/dumps/", "/sparql?")
# What a browser shows as it is; anything else (JSON, Turtle …) behind a plain link is a bug.
SHOWN = ("text/html", "image/", "text/plain")


@dataclass
class _Page(HTMLParser):
    """What the crawl checks on one page, and the links it finds there."""

    lang: str | None = None
    title: str = ""
    mains: int = 0
    h1s: int = 0
    pages: list[str] = field(default_factory=list)  # links a browser opens as pages
    files: list[str] = field(default_factory=list)  # links that say they offer a file
    _in_title: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        self._in_title = tag == "title"
        self.mains += tag == "main" or attributes.get("role") == "main"
        self.h1s += tag == "h1"
        href = attributes.get("href")
        if tag == "a" and href:
            offers_file = "download" in attributes or "type" in attributes
            offers_file = offers_file or "alternate" in (attributes.get("rel") or "").split()
            (self.files if offers_file else self.pages).append(href)

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _same_site(href: str, here: str) -> str | None:
    """The path and query of a link on this site, without its fragment; ``None`` elsewhere."""
    url = urldefrag(urljoin("http://testserver" + here, href))[0]
    parts = urlsplit(url)
    if parts.netloc != "testserver" or parts.scheme != "http":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _problems(path: str, page: _Page) -> list[str]:
    problems = []
    if page.lang not in ("da", "en"):
        problems.append(f"lang={page.lang!r}")
    if not page.title.strip():
        problems.append("no title")
    if page.mains != 1:
        problems.append(f"{page.mains} main landmarks")
    if page.h1s != 1:
        problems.append(f"{page.h1s} h1")
    return [f"{path}: {problem}" for problem in problems]


def crawl(client: TestClient, start: str, cap: int) -> tuple[int, list[str]]:
    """Visit up to ``cap`` pages from ``start``; return how many, and every problem found."""
    queue, seen, problems, visited = deque([start]), {start}, [], 0
    files: set[str] = set()
    while queue and visited < cap:
        path = queue.popleft()
        visited += 1
        response = client.get(path, headers={"accept": BROWSER_ACCEPT}, follow_redirects=True)
        kind = response.headers.get("content-type", "")
        if response.status_code >= 400:
            problems.append(f"{path}: {response.status_code}")
            continue
        if not kind.startswith(SHOWN):
            problems.append(f"{path}: {kind} served to a browser following a link")
        if not kind.startswith("text/html"):
            continue
        page = _Page()
        page.feed(response.text)
        problems.extend(_problems(path, page))
        for href in page.pages:
            target = _same_site(href, path)
            if target and target not in seen and not target.startswith(NOT_PAGES):
                seen.add(target)
                queue.append(target)
        files.update(t for t in (_same_site(h, path) for h in page.files) if t)
    for path in sorted(files - seen)[:100]:  # offered files: they exist, whatever their type
        status = client.head(path, headers={"accept": BROWSER_ACCEPT}).status_code
        if status >= 400:
            problems.append(f"{path} (a file link): {status}")
    return visited, problems


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_linked_page_is_a_page(web_client: TestClient, lang: str) -> None:
    visited, problems = crawl(web_client, f"/?lang={lang}", PAGE_CAP // 2)
    assert problems == []
    assert visited == PAGE_CAP // 2  # the site has more pages than the cap: the crawl went deep


def test_the_crawler_reports_what_is_wrong() -> None:
    page = _Page()
    page.feed("<html><head><title> </title></head><body><h1>a</h1><h1>b</h1></body></html>")
    assert _problems("/x", page) == [
        "/x: lang=None",
        "/x: no title",
        "/x: 0 main landmarks",
        "/x: 2 h1",
    ]
