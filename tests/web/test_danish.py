"""The Danish site speaks Danish: every page kind, walked for English interface words left over.

Text marked ``lang="en"`` (a goal's UN text, an English-only label) is allowed; an unmarked
English word is not, apart from the names in ``danish_text.ALLOWED``.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from sdgkg.queries import find_curated, list_curated
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.editor import prefer_language
from sdgkg.web.graph import solutions
from sdgkg.web.i18n import format_date, format_number
from tests.web.danish_text import english_left

PAGES = [
    "/",
    "/query",
    "/query?cq=CQ12",
    "/search?q=kl",
    "/search?q=s%C3%B8nderborg",
    "/coverage",
    "/coverage/list?goal=4",
    "/coverage/partners",
    "/check",
    "/ontology",
    "/sparql",
    "/dumps/",
    "/id/partnership",
    "/id/topic",
    "/id/partner?sort=kind&page=2",
    "/id/partnership/baeredygtig-herning",
    "/id/person/anne-kristine-hundahl-mikkelsen",
    "/id/post/anne-kristine-hundahl-mikkelsen--herning",
    "/id/goal/4",
    "/id/target/4.7",
    "/id/partner/aalborg-universitet",
    "/id/partner/kl",
    "/id/municipality/soenderborg",
    "/id/place/beijing",
    "/id/source/dk-municipalities",
    "/id/source/seed-001",
    "/id/membership/baeredygtig-herning--baeredygtig-herning",
    "/id/initiative/aarhus-bibliotekerne-de-fire-h",
    "/id/fact/andel-kommuner-vil-arbejde-med-verdensmaal",
    "/id/fact/dyrk-ditbibliotek-foerste-projekt-paa-landsplan",
    "/id/topic/politisk-forankring-af-verdensmaalene",
    "/id/initiative/kl-undersoegelse-verdensmaal-2021",
    "/id/person/jannik-egelund",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_english_left_on_danish_page(web_client: TestClient, path: str) -> None:
    danish = path + ("&" if "?" in path else "?") + "lang=da"
    response = web_client.get(danish, headers={"accept": "text/html"})
    assert response.status_code == 200
    assert '<html lang="da">' in response.text
    assert english_left(response.text) == []


def test_the_walker_finds_english() -> None:
    page = (
        '<html lang="da"><body><p>Medlemmer</p><th>wasDerivedFrom</th>'
        '<p lang="en">Target 4.7</p><code>startDate</code><button aria-label="Run">▶</button>'
        "</body></html>"
    )
    assert english_left(page) == ["wasDerivedFrom", "Run"]


def test_property_names_are_danish(web_client: TestClient) -> None:
    page = web_client.get("/id/partnership/baeredygtig-herning?lang=da").text
    for english in (">label<", ">wasDerivedFrom<", ">has member<", ">startDate<", ">is in scheme<"):
        assert english not in page


def test_numbers_and_dates_in_danish() -> None:
    assert format_number(11214, "da") == "11.214"
    assert format_number(11214, "en") == "11,214"
    assert format_number(5000000, "da") == "5.000.000"
    assert [format_date(d, "da") for d in ("2016-07", "2022-05-17", "2013")] == [
        "juli 2016",
        "17. maj 2022",
        "2013",
    ]


def test_home_counts_in_danish(web_client: TestClient) -> None:
    page = web_client.get("/?lang=da").text
    triples = page.split("<dd>", 1)[1].split("</dd>", 1)[0]
    assert "." in triples and "," not in triples


# The editor's own words after a query ran: the query text and the result table's cells and
# column names (SPARQL variables, data) are left out; everything YASGUI says around them counts.
EDITOR_WORDS = """() => {
  const copy = document.getElementById('yasgui').cloneNode(true);
  copy.querySelectorAll('.CodeMirror, .yasr table.dataTable').forEach((e) => e.remove());
  return copy.outerHTML;
}"""


@pytest.mark.e2e
def test_editor_speaks_danish_after_a_query(page: Any) -> None:
    """Issue 21: YASGUI's table, controls and counts in Danish, and the curated query's goal
    names in Danish on the Danish site."""
    page.goto(page.base_url + "/query?cq=CQ02&lang=da")
    page.locator(".yasr table tbody tr").first.wait_for()
    page.get_by_text("Viser 1 til 17 af 17 rækker").wait_for()
    assert "Kvalitetsuddannelse" in page.locator(".yasr table tbody").inner_text()
    assert page.locator(".yasr .tableFilter").get_attribute("placeholder") == (
        "Filtrér resultaterne"
    )
    assert english_left(f'<html lang="da"><body>{page.evaluate(EDITOR_WORDS)}</body></html>') == []


def test_curated_queries_prefer_danish_labels_on_the_danish_site(web_store: EmbeddedStore) -> None:
    """The editor's Danish reading of each curated query runs, and returns as many rows."""
    changed = 0
    for query in list_curated():
        danish = prefer_language(query.text, "da")
        if danish != query.text:
            changed += 1
            english_rows = list(solutions(web_store.query(query.text)))
            assert len(list(solutions(web_store.query(danish)))) == len(english_rows), query.number
    assert changed > 30
    goals = prefer_language(find_curated("CQ02").text, "da")
    labels = {row["goalLabel"].value for row in solutions(web_store.query(goals))}
    assert {"Kvalitetsuddannelse", "Klimaindsats"} <= labels


def test_the_walker_knows_line_as_a_danish_name_only() -> None:
    page = '<html lang="da"><body><p>Kontakt Line Vind</p><p>se line 22</p></body></html>'
    assert english_left(page) == ["se line 22"]
