"""The pages over HTTP: status, headers, language switch, escaping, coverage lists, speed."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.coverage import Coverage, CoverageChoice, Link, PartnerRow
from sdgkg.web.layout import PageContext
from sdgkg.web.security import CONTENT_SECURITY_POLICY
from sdgkg.web.views import PAGE_ROWS, coverage_list_page, partners_page

PAGES = [
    "/",
    "/search?q=aarhus",
    "/query",
    "/query?cq=CQ02",
    "/coverage",
    "/coverage/list?goal=17",
    "/coverage/list?goal=13&municipality=aarhus",
    "/coverage/partners",
]


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_is_html_with_security_headers(web_client: TestClient, path: str) -> None:
    response = web_client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "<main" in response.text and '<html lang="' in response.text


@pytest.mark.parametrize("path", PAGES, ids=PAGES)
def test_page_is_served_under_200_ms(web_client: TestClient, path: str) -> None:
    web_client.get(path)  # caches are built once per data version
    started = time.perf_counter()
    web_client.get(path)
    assert time.perf_counter() - started < 0.2


def test_no_inline_script(web_client: TestClient) -> None:
    """CSP forbids inline scripts; the only inline block is the editor's JSON data."""
    html = web_client.get("/query").text
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="editor-config"']


def test_language_switch_sets_cookie(web_client: TestClient) -> None:
    response = web_client.get("/?lang=da")
    assert '<html lang="da">' in response.text
    assert "sdgkg_lang=da" in response.headers["set-cookie"]
    assert '<html lang="da">' in web_client.get("/coverage").text  # the cookie carries it
    web_client.get("/?lang=en")


def test_home_counts_and_curated_questions(web_client: TestClient) -> None:
    html = web_client.get("/?lang=en").text
    assert 'href="/query?cq=CQ01"' in html
    assert "creativecommons.org/licenses/by/4.0" in html
    assert re.search(r"SDG goal(</a>)?</th><td class=\"num\">17<", html)
    for kind in ("person", "post", "place", "event", "organisational unit"):  # issue 15
        assert re.search(rf">{kind}(</a>)?</th><td class=\"num\">[0-9,]+<", html), kind


def test_search_groups_results_by_kind(web_client: TestClient) -> None:
    html = web_client.get("/search", params={"q": "soenderborg", "lang": "en"}).text
    assert 'id="g-Municipality"' in html and 'href="/id/municipality/soenderborg"' in html
    assert html.index('id="g-Municipality"') < html.index('id="g-Partnership"')


def test_search_shows_hostile_labels_as_text(web_client: TestClient) -> None:
    html = web_client.get("/search", params={"q": "script partnership"}).text
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html
    assert "<script>window" not in html


def test_search_query_is_escaped(web_client: TestClient) -> None:
    html = web_client.get("/search", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in html


def test_resource_page_escapes_hostile_labels(web_client: TestClient) -> None:
    response = web_client.get("/id/partnership/xss-test", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "<script>window" not in response.text and "<img src=x" not in response.text


def test_editor_config_cannot_close_its_script(web_client: TestClient) -> None:
    html = web_client.get("/query", params={"cq": "CQ01"}).text
    config = html.split('id="editor-config">', 1)[1].split("</script>", 1)[0]
    assert "<" not in config
    assert "CQ01" in config and "/sparql" in config


def test_unknown_curated_query_is_404(web_client: TestClient) -> None:
    assert web_client.get("/query", params={"cq": "CQ99"}).status_code == 404


def test_coverage_cell_lists_the_records_behind_it(web_client: TestClient) -> None:
    coverage = web_client.get("/coverage?lang=en").text
    cell = re.search(
        r'href="(/coverage/list\?goal=13&amp;municipality=aarhus)"[^>]*>(\(?\d+\)?)<', coverage
    )
    assert cell, "the cell of Aarhus and goal 13 links to its list"
    count = int(cell[2].strip("()"))
    listing = web_client.get(cell[1].replace("&amp;", "&")).text
    assert listing.count('<li><a href="/id/') == count
    assert "/id/partnership/xss-test" in listing


def test_coverage_list_rejects_bad_parameters(web_client: TestClient) -> None:
    assert web_client.get("/coverage/list", params={"goal": "18"}).status_code == 422
    assert web_client.get("/coverage/list", params={"municipality": "../x"}).status_code == 422


def test_static_assets_are_bundled(web_client: TestClient) -> None:
    for path in (
        "/assets/site.css",
        "/assets/editor.js",
        "/assets/vendor/yasgui/yasgui.min.js",
        "/assets/vendor/yasgui/yasgui.min.css",
        "/assets/vendor/yasgui/LICENSE",
    ):
        assert web_client.get(path).status_code == 200, path


def test_non_html_responses_get_no_csp(web_client: TestClient) -> None:
    response = web_client.get("/assets/site.css")
    assert "content-security-policy" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


def test_vendored_yasgui_matches_the_pinned_version() -> None:
    """scripts/vendor_yasgui.sh reproduces the vendored build; both name the same version."""
    from tests.data import REPO_DIR

    script = (REPO_DIR / "scripts" / "vendor_yasgui.sh").read_text(encoding="utf-8")
    pinned = re.search(r'VERSION="\$\{1:-([0-9.]+)\}"', script)
    vendored = REPO_DIR / "src" / "sdgkg" / "web" / "static" / "vendor" / "yasgui" / "VERSION"
    assert pinned and vendored.read_text(encoding="utf-8").startswith(
        f"@zazuko/yasgui@{pinned[1]}\n"
    )


def test_partners_table_pages_through_its_rows(web_store: EmbeddedStore) -> None:
    """Issue 18: a page shows PAGE_ROWS rows and links on, whatever the number of partners."""
    base = "https://w3id.org/sdgkg/"
    rows = [PartnerRow(f"{base}id/partner/p{i}", 1, {"4": True}) for i in range(250)]
    context = PageContext(lang="en", path="/coverage/partners")
    second = partners_page(context, web_store, rows, base, 2)
    assert second.count("<tr>") == PAGE_ROWS + 1  # and the heading row
    assert "/id/partner/p100" in second
    assert '/id/partner/p99"' not in second and "/id/partner/p200" not in second
    assert 'href="/coverage/partners?page=1"' in second
    assert 'href="/coverage/partners?page=3"' in second
    assert "101\u2013200 / 250" in second


def test_coverage_list_pages_through_its_records() -> None:
    """Issue 18: a coverage list shows PAGE_ROWS records, in label order, and links on."""
    base = "https://w3id.org/sdgkg/"
    aarhus = f"{base}id/municipality/aarhus"
    links = [Link(f"{base}id/partnership/p{i:03}", "4", i % 2 == 0, aarhus) for i in range(250)]
    coverage = Coverage(links)
    context = PageContext(lang="en", path="/coverage/list")
    second = coverage_list_page(context, coverage, base, CoverageChoice("4", aarhus), 2)
    assert second.count('<li><a href="/id/partnership/') == PAGE_ROWS
    assert "/id/partnership/p100" in second and "/id/partnership/p199" in second
    assert '/id/partnership/p099"' not in second and "/id/partnership/p200" not in second
    assert 'href="/coverage/list?goal=4&amp;municipality=aarhus&amp;page=3"' in second
    assert "101\u2013200 / 250" in second
    last = coverage_list_page(context, coverage, base, CoverageChoice("4", aarhus), 3)
    assert last.count('<li><a href="/id/partnership/') == 50


def test_coverage_list_page_number_is_checked(web_client: TestClient) -> None:
    assert web_client.get("/coverage/list?goal=4&page=0").status_code == 422
    assert web_client.get("/coverage/list?goal=4&page=99").status_code == 200


def test_partners_page_number_is_checked(web_client: TestClient) -> None:
    assert web_client.get("/coverage/partners?page=0").status_code in (400, 422)
    assert web_client.get("/coverage/partners?page=2").status_code == 200


def test_coverage_indexes_give_the_records_a_scan_gives(web_store: EmbeddedStore) -> None:
    """Issue 18: the lists read the background indexes; they must agree with the links."""
    from sdgkg.web.coverage import GOALS, read_coverage

    coverage = read_coverage(web_store, "https://w3id.org/sdgkg/")

    def scanned(goal: str | None, municipality: str | None) -> dict[str, bool]:
        found: dict[str, bool] = {}
        for link in coverage.links:
            if (goal is None or link.goal == goal) and (
                municipality is None or link.municipality == municipality
            ):
                found[link.record] = found.get(link.record, False) or link.stated
        return found

    for municipality in [None, *sorted(coverage.municipalities)]:
        for goal in [None, *GOALS]:
            assert coverage.records(goal, municipality) == scanned(goal, municipality)


def test_coverage_lists_are_sorted_in_the_background() -> None:
    """Issue 18: every list behind a number of the coverage table is sorted once, with the
    aggregate; it holds what filtering the links would give, in label order."""
    base = "https://w3id.org/sdgkg/"
    places = [f"{base}id/municipality/aarhus", f"{base}id/municipality/herning", None]
    links = [
        Link(f"{base}id/partnership/p{i % 37:03}", str(1 + i % 5), i % 3 == 0, places[i % 3])
        for i in range(200)
    ]
    coverage = Coverage(links)
    for lang in ("da", "en"):
        rank = coverage.rank(lang)
        for goal in (None, "1", "4", "9"):
            for municipality in (None, *places[:2], f"{base}id/municipality/none"):
                for how in (None, "stated", "assigned"):
                    found = coverage.records(goal, municipality, how)
                    expected = sorted(found.items(), key=lambda pair: rank.get(pair[0], 0))
                    chosen = CoverageChoice(goal, municipality, how)
                    assert coverage.listed(chosen, lang) == expected
    assert coverage.listed(CoverageChoice("4", places[0], "stated"), "en")
