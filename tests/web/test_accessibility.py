"""axe-core in Chromium on every page kind, in Danish and English, at 1280 and 390 px wide:
WCAG 2.1 AA (issue 21). axe-core comes from ``.ci/axe`` (``npm ci``, pinned by its lock file).

The same pages are loaded 390 px wide to check that nothing but a table's own scroll region
scrolls sideways (WCAG 1.4.10 Reflow).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.data import REPO_DIR

pytestmark = pytest.mark.e2e

AXE = REPO_DIR / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 390)
PAGES = {
    "home": "/",
    "search": "/search?q=kl",
    "editor": "/query",
    "coverage": "/coverage",
    "coverage-list": "/coverage/list?goal=4",
    "partners": "/coverage/partners",
    "check": "/check",
    "ontology": "/ontology",
    "sparql": "/sparql",
    "dumps": "/dumps/",
    "docs": "/docs",
    "list": "/id/partnership",
    "partnership": "/id/partnership/baeredygtig-herning",
    "partner": "/id/partner/kl",
    "person": "/id/person/anne-kristine-hundahl-mikkelsen",
    "goal": "/id/goal/4",
    "target": "/id/target/4.7",
    "municipality": "/id/municipality/soenderborg",
    "error": "/id/partnership/does-not-exist",
    # Every other kind of record and list, where long names and IRIs hide.
    "initiative": "/id/initiative/klimaambassadoerer-aarhus",
    "event": "/id/initiative/kl-webinar-verdensmaal-2022-05-17",
    "place": "/id/place/dokk1",
    "membership": "/id/membership/soenderborg-gnlc--soenderborg",
    "fact": "/id/fact/man-energy-solutions-naturomraade-areal",
    "source": "/id/source/seed-001#L22",  # with a quotation highlighted (issue 21 item 5)
    "indicator": "/id/indicator/9.5.1",
    "post": "/id/post/sofia-braad-riis--norddjurs",
    "list-partners": "/id/partner",
    "list-facts": "/id/fact",
    "list-sources": "/id/source",
    "coverage-cell": "/coverage/list?goal=13&municipality=aarhus",
    "ontology-term": "/ontology#Partnership",
    "reconcile-preview": "/reconcile/preview?id=https://w3id.org/sdgkg/id/target/4.7",
    "search-empty": "/search?q=zzzzzz",
}


@pytest.fixture
def tab(browser_context: Any, live_server: str) -> Iterator[Any]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: npm ci --prefix .ci/axe")
    page = browser_context.new_page()
    page.base_url = live_server
    yield page
    page.close()


def axe_violations(
    tab: Any, path: str, width: int, *, open_: str = "", ready: str = ""
) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 AA violations on ``path`` at ``width`` px, after scripts have run
    (once an element matching ``ready`` is there, and after clicking the first three elements
    matching ``open_``, if given)."""
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(tab.base_url + path, wait_until="networkidle")
    if ready:
        tab.locator(ready).first.wait_for()
    if open_:
        for control in tab.locator(open_).all()[:3]:
            control.click()
        tab.wait_for_load_state("networkidle")
    tab.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")  # DevTools evaluation: CSP allows it
    result: dict[str, Any] = tab.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_editor_with_results_has_no_violations(tab: Any, lang: str, width: int) -> None:
    """The result table YASGUI draws once a query ran: its controls have names too."""
    path = f"/query?cq=CQ02&lang={lang}"
    assert axe_violations(tab, path, width, ready=".yasr table tbody tr") == []


def _with_lang(path: str, lang: str) -> str:
    fragment = ""
    if "#" in path:
        path, fragment = path.split("#", 1)
        fragment = "#" + fragment
    sep = "&" if "?" in path else "?"
    return f"{path}{sep}lang={lang}{fragment}"


def _cases() -> list[Any]:
    return [
        pytest.param(_with_lang(path, lang), width, id=f"{name}-{lang}-{width}")
        for name, path in PAGES.items()
        for lang in ("da", "en")
        for width in WIDTHS
    ]


@pytest.mark.parametrize(("path", "width"), _cases())
def test_no_wcag_21_aa_violations(tab: Any, path: str, width: int) -> None:
    assert axe_violations(tab, path, width) == []


def test_swagger_ui_opened_operations_have_no_violations(tab: Any) -> None:
    """Swagger UI's parameter tables, shown once an operation is opened, meet AA too (our CSS
    overrides its colours)."""
    assert axe_violations(tab, "/docs?lang=da", 1280, open_=".opblock-summary-control") == []


# Boxes that scroll sideways on their own (what a wide table may do) without a name or focus.
UNNAMED_SCROLLERS = """() => [...document.querySelectorAll('main *')].filter(e => {
  const x = getComputedStyle(e).overflowX;
  return (x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1
    && !e.closest('.yasgui, #swagger-ui')
    && !(e.tabIndex >= 0 && (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')));
}).map(e => e.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(_with_lang(path, lang), id=f"{name}-{lang}")
        for name, path in PAGES.items()
        for lang in ("da", "en")
    ],
)
def test_no_horizontal_overflow_at_390(tab: Any, path: str) -> None:
    """Nothing wider than a phone (WCAG 1.4.10 Reflow): the page scrolls down, not sideways; a
    wide table scrolls inside its own region, which a keyboard can reach and which has a name."""
    tab.set_viewport_size({"width": 390, "height": 900})
    tab.goto(tab.base_url + path, wait_until="networkidle")
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert tab.evaluate(UNNAMED_SCROLLERS) == []


@pytest.mark.parametrize("lang", ["da", "en"])
def test_run_button_is_on_screen_at_390(tab: Any, lang: str) -> None:
    tab.set_viewport_size({"width": 390, "height": 900})
    tab.goto(f"{tab.base_url}/query?lang={lang}", wait_until="networkidle")
    box = tab.locator(".yasqe_queryButton").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390


# The highlighted passage: in view, outlined in a colour of at least 3:1 against the page.
TARGET_HIGHLIGHT = """() => {
  const t = document.querySelector('tbody:target');
  const box = t.getBoundingClientRect();
  const style = getComputedStyle(t);
  return {id: t.id, style: style.outlineStyle, width: style.outlineWidth,
          colour: style.outlineColor, inView: Math.round(box.top) >= 0 && box.top < innerHeight};
}"""


def test_quotation_link_lands_on_its_highlighted_lines_at_390(tab: Any) -> None:
    tab.set_viewport_size({"width": 390, "height": 900})
    tab.goto(tab.base_url + "/id/source/seed-001?lang=da#L22", wait_until="networkidle")
    found = tab.evaluate(TARGET_HIGHLIGHT)
    # --accent #00689d: 6.2:1 against white, 5.8:1 against the highlight's tint #fff4d6
    assert found == {
        "id": "L22",
        "style": "solid",
        "width": "3px",
        "colour": "rgb(0, 104, 157)",
        "inView": True,
    }
