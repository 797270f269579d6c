"""List pages per kind (issue 21, item 6): reachable from the home page, filterable, sortable,
paged, and downloadable as CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.browse import (
    BROWSABLE,
    FILTERS,
    PAGE_SIZE,
    SORTS,
    _matches,
    read_catalogue,
    select,
)

HTML = {"accept": "text/html"}


@pytest.mark.parametrize("kind", sorted(BROWSABLE))
def test_every_kind_has_a_list_page(web_client: TestClient, kind: str) -> None:
    response = web_client.get(f"/id/{kind}?lang=da", headers=HTML)
    assert response.status_code == 200
    assert "<table" in response.text or "Intet fundet." in response.text


def test_home_counts_link_to_list_pages(web_client: TestClient) -> None:
    page = web_client.get("/?lang=da").text
    for kind in ("partnership", "partner", "initiative", "person", "place"):
        assert f'href="/id/{kind}"' in page


def _csv(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get(f"/id/partnership?{query}&format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_goal_filter_keeps_only_records_on_that_goal(web_client: TestClient) -> None:
    everything = _csv(web_client, "lang=da")
    on_goal_4 = _csv(web_client, "lang=da&goal=4")
    assert 0 < len(on_goal_4) < len(everything)
    for row in on_goal_4:
        assert "4" in row["goals"].replace("(", " ").replace(")", " ").split()


def test_municipality_filter(web_client: TestClient) -> None:
    rows = _csv(web_client, "lang=da&municipality=https://w3id.org/sdgkg/id/municipality/herning")
    assert rows and all(row["municipalities"] == "Herning" for row in rows)


def test_sorted_by_name(web_client: TestClient) -> None:
    names = [row["label"].casefold() for row in _csv(web_client, "lang=da")]
    assert names == sorted(names)


def test_partners_are_paged(web_client: TestClient) -> None:
    first = web_client.get("/id/partner?lang=da", headers=HTML).text
    second = web_client.get("/id/partner?lang=da&page=2", headers=HTML).text
    assert first.count("<tr>") - 1 == PAGE_SIZE
    assert 'aria-current="page" aria-label="Side 2"' in second
    links = r'<a href="(/id/partner/[^"]+)" class="record"'
    assert not set(re.findall(links, first)) & set(re.findall(links, second))


def test_bad_filter_is_a_client_error(web_client: TestClient) -> None:
    assert web_client.get("/id/partnership?goal=99").status_code == 422


def test_pager_links_are_bounded_however_many_pages() -> None:
    """Issue 18: first, last and the pages near the current one, not one link per page."""
    from sdgkg.web.browse import _pager
    from sdgkg.web.markup import render

    html = render(_pager("/id/partnership", {}, 200, 400, "en"))
    assert html.count("<a ") == 2 + 7
    for n in (1, 197, 200, 203, 400):
        assert f'href="/id/partnership?page={n}"' in html
    assert 'href="/id/partnership?page=196"' not in html and html.count("…") == 2


def test_filters_slice_lists_built_in_the_background(web_store: EmbeddedStore) -> None:
    """Issue 18: a filtered list comes from per-filter lists made with the catalogue, and holds
    exactly the records a check of every record against the filters would keep, in order."""
    catalogue = read_catalogue(web_store, "https://w3id.org/sdgkg/", "partnership")
    goals, municipalities = catalogue.options["goal"], catalogue.options["municipality"]
    kinds = catalogue.options["kind"]
    choices = [{"goal": g} for g in goals] + [{"municipality": m} for m in municipalities]
    choices += [
        {"goal": g, "municipality": m, "kind": k}
        for g in goals[:4]
        for m in municipalities[:4]
        for k in kinds[:2]
    ]
    choices.append({"goal": "17", "municipality": "https://w3id.org/sdgkg/id/municipality/none"})
    checked = 0
    for sort in SORTS:
        for chosen in choices:
            full = {name: chosen.get(name, "") for name in FILTERS}
            expected = [r for r in catalogue.ordered[sort] if _matches(r, full)]
            assert select(catalogue, full, sort).records == expected
            checked += len(expected)
    assert checked > 0
    assert (
        select(catalogue, dict.fromkeys(FILTERS, ""), "kind").records == (catalogue.ordered["kind"])
    )
