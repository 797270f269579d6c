"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright
(``tests/browser_fixtures.py``). Each test saves a screenshot into ``test-artifacts/``."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser_fixtures import shot

pytestmark = pytest.mark.e2e


def test_home_page(page: Any) -> None:
    page.goto(page.base_url + "/?lang=en")
    assert page.locator("h1").inner_text() == "Danish SDG partnerships"
    assert page.locator("ol.questions li").count() >= 1
    shot(page, "home")


def test_curated_query_runs_in_the_editor(page: Any) -> None:
    page.goto(page.base_url + "/?lang=en")
    page.locator("ol.questions a.curated").first.click()
    page.wait_for_url(re.compile(r"/query\?"))
    rows = page.locator(".yasr table tbody tr")
    rows.first.wait_for()
    assert rows.count() > 0
    first_link = page.locator(".yasr table tbody a[href^='/id/']").first
    first_link.wait_for()  # result IRIs under the base link to this service's pages
    assert page.locator("#download-csv").get_attribute("href").startswith("/sparql?query=")
    assert "query=" in page.url  # the address bar shares the query
    shot(page, "editor")


def test_example_button_replaces_and_runs_the_query(page: Any) -> None:
    page.goto(page.base_url + "/query?lang=en")
    page.locator("nav.examples a[data-cq='CQ02']").click()
    page.locator(".yasr table tbody tr").first.wait_for()
    assert page.locator(".yasr table tbody tr").count() >= 17  # one row per goal


def test_search_municipality_and_open_its_page(page: Any) -> None:
    page.goto(page.base_url + "/?lang=en")
    page.locator("#q").fill("Sonderborg")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    shot(page, "search")
    page.locator("#g-Municipality ~ ul a").first.click()
    page.wait_for_url(re.compile(r"/id/municipality/soenderborg$"))
    assert "Sønderborg" in page.locator("h1").inner_text()
    shot(page, "municipality")


def test_partnership_links_to_its_sdg_target(page: Any) -> None:
    page.goto(page.base_url + "/id/partnership/frederikshavn-man-energy-solutions?lang=en")
    shot(page, "partnership")
    page.locator("a[href='/id/target/17.17']").first.click()
    page.wait_for_url(re.compile(r"/id/target/17\.17$"))
    assert "17.17" in page.locator("h1").inner_text()
    shot(page, "target")


def test_coverage_matrix_cell_opens_its_list(page: Any) -> None:
    page.goto(page.base_url + "/coverage?lang=en")
    shot(page, "coverage")
    cell = page.locator("table.matrix td.cell a").first
    cell.focus()
    page.keyboard.press("Enter")  # keyboard reachable, not only clickable
    page.wait_for_url(re.compile(r"/coverage/list\?goal=\d+&municipality="))
    assert page.locator("ul.record-list li").count() >= 1
    shot(page, "coverage-list")


def test_hostile_label_renders_as_text(page: Any) -> None:
    page.goto(page.base_url + "/id/partnership/xss-test?lang=en")
    assert (
        "<script>window.__xss = 1</script>Script partnership & co"
        in page.locator("h1").inner_text()
    )
    assert page.evaluate("window.__xss") is None
    page.goto(page.base_url + "/search?q=script+partnership&lang=en")
    assert "<script>" in page.locator("main ul a").first.inner_text()
    page.goto(page.base_url + "/coverage/list?goal=13&municipality=aarhus&lang=en")
    assert page.evaluate("window.__xss") is None
    shot(page, "xss")


def test_swagger_ui_renders_offline(page: Any) -> None:
    page.goto(page.base_url + "/docs?lang=da")
    page.locator("#swagger-ui .opblock").first.wait_for()
    assert page.locator("#swagger-ui .opblock").count() > 3
    assert page.locator("html").get_attribute("lang") == "da"
    shot(page, "docs")


def test_list_page_filters_with_the_keyboard(page: Any) -> None:
    page.goto(page.base_url + "/id/partnership?lang=da")
    page.locator("#filter-goal").select_option("4")
    page.locator("form.filters button").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"goal=4"))
    assert page.locator("table.listing tbody tr").count() >= 1
    shot(page, "list-partnerships")


def test_tab_leaves_the_query_editor(page: Any) -> None:
    """No keyboard trap (WCAG 2.1.2): Tab moves focus out of the editor instead of indenting."""
    page.goto(page.base_url + "/query?lang=da")
    page.locator(".CodeMirror").first.wait_for()
    page.locator(".CodeMirror textarea").first.focus()
    before = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    page.keyboard.press("Tab")  # to the editor's scroll region (focusable for keyboard scrolling)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Del forespørgslen"
    after = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert after == before  # no tab character typed
    assert page.locator(".CodeMirror textarea").first.get_attribute("aria-label") == (
        "SPARQL-forespørgsel"
    )


def tab_to(page: Any, selector: str, limit: int = 150) -> None:
    """Press Tab until the focus is on an element matching ``selector``; fail after ``limit``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_keyboard_only_search_query_and_coverage(page: Any) -> None:
    """Issue 21: with the keyboard alone, a person searches, runs a curated question and opens a
    coverage cell (no mouse, no focus() from the test)."""
    page.goto(page.base_url + "/?lang=da")
    tab_to(page, "#q")
    page.keyboard.type("Sønderborg")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    tab_to(page, "main a[href='/id/municipality/soenderborg']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/id/municipality/soenderborg"))

    page.goto(page.base_url + "/?lang=da")
    tab_to(page, "ol.questions a.curated")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/query\?"))
    page.locator(".yasr table tbody tr").first.wait_for()

    tab_to(page, "header.site a[href^='/coverage']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/coverage"))
    tab_to(page, "table.matrix td.cell a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/coverage/list\?goal=\d+&municipality="))
    assert page.locator("ul.record-list li").count() >= 1
