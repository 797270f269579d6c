"""Resource pages: title in the chosen language, members and roles, SDGs, provenance, alternates."""

from __future__ import annotations

import time

import pytest

from sdgkg.config import Settings
from sdgkg.errors import NotFound
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.resource import render_resource_page
from tests.web.conftest import XSS_PARTNERSHIP

BASE = "https://w3id.org/sdgkg/"
PARTNERSHIP = f"{BASE}id/partnership/frederikshavn-man-energy-solutions"


def test_title_follows_the_chosen_language(
    web_store: EmbeddedStore, web_settings: Settings
) -> None:
    goal = f"{BASE}id/goal/13"
    assert "<title>Klimaindsats" in render_resource_page(web_store, goal, "da", web_settings)
    assert "<title>Climate action" in render_resource_page(web_store, goal, "en", web_settings)


def test_partnership_shows_members_roles_goals_and_provenance(
    web_store: EmbeddedStore, web_settings: Settings
) -> None:
    html = render_resource_page(web_store, PARTNERSHIP, "en", web_settings)
    assert 'id="members"' in html and "MAN Energy Solutions" in html
    assert 'href="/id/role/host"' in html  # the role links to its concept
    assert 'class="sdg sdg-17"' in html  # stated goal, filled
    assert 'class="sdg sdg-15 assigned"' in html  # curator-assigned goal, outlined
    assert 'href="/id/target/17.17"' in html
    assert "001_a527dabb071c4689.txt" in html  # the source file of the quotation
    assert "line 22" in html
    assert "I Frederikshavn Kommune har man indgået" in html  # the key phrase, verbatim


def test_inbound_links_and_rdf_alternates(web_store: EmbeddedStore, web_settings: Settings) -> None:
    html = render_resource_page(web_store, f"{BASE}id/goal/17", "en", web_settings)
    assert 'id="inbound"' in html and 'href="/id/partnership/' in html
    assert '<link rel="alternate" type="text/turtle" href="/id/goal/17.ttl">' in html


def test_partner_page_lists_goals_through_partnerships(
    web_store: EmbeddedStore, web_settings: Settings
) -> None:
    html = render_resource_page(
        web_store, f"{BASE}id/partner/man-energy-solutions", "da", web_settings
    )
    assert 'id="partner-goals"' in html
    assert "Partnerskab om biodiversitet" in html


def test_hostile_labels_are_text(web_store: EmbeddedStore, web_settings: Settings) -> None:
    html = render_resource_page(web_store, XSS_PARTNERSHIP, "en", web_settings)
    assert (
        "<script>window" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    )
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;Script partnership &amp; co" in html


def test_unknown_iri_is_not_found(web_store: EmbeddedStore, web_settings: Settings) -> None:
    with pytest.raises(NotFound):
        render_resource_page(web_store, f"{BASE}id/partner/nobody", "en", web_settings)


def test_page_renders_fast(web_store: EmbeddedStore, web_settings: Settings) -> None:
    render_resource_page(web_store, PARTNERSHIP, "en", web_settings)  # warm the store's caches
    started = time.perf_counter()
    render_resource_page(web_store, f"{BASE}id/source/seed-001", "en", web_settings)
    assert time.perf_counter() - started < 0.2


def test_learning_city_features_get_no_sdg_badge(
    web_store: EmbeddedStore, web_settings: Settings
) -> None:
    """Focus area 2.6 has a notation like a target's, but it is not SDG 2."""
    html = render_resource_page(
        web_store, f"{BASE}id/partnership/soenderborg-gnlc", "en", web_settings
    )
    feature = html.index('href="/id/learning-city/2.6"')
    assert 'class="sdg sdg-2"' not in html[feature - 120 : feature + 200]


def test_issue_16_equal_labels_are_one_value_with_their_languages(
    web_store: EmbeddedStore, web_settings: Settings
) -> None:
    """https://github.com/sdgkg/sdgkg/issues/16: "label: Sønderborg, Sønderborg" without tags."""
    html = render_resource_page(web_store, f"{BASE}id/municipality/soenderborg", "en", web_settings)
    properties = html[html.index('id="properties"') :]
    assert '<li><span>Sønderborg</span> <span class="lang-tag">da, en</span></li>' in properties
    assert properties.count(">Sønderborg</span>") == 1
    goal = render_resource_page(web_store, f"{BASE}id/goal/13", "en", web_settings)
    assert '<span lang="en">Climate action</span> <span class="lang-tag">en</span>' in goal
    assert '<span lang="da">Klimaindsats</span> <span class="lang-tag">da</span>' in goal


def test_a_record_with_hundreds_of_links_pages_through_them(make_client: object) -> None:
    """Issue 18: the records pointing at a goal are shown INBOUND_LIMIT at a time."""
    from sdgkg.web.resource import INBOUND_LIMIT

    client = make_client(update_token="t")  # type: ignore[operator]
    many = INBOUND_LIMIT + 50
    triples = "".join(
        f"<{BASE}id/partnership/many-{i}> <{BASE}ontology#statedSDG> <{BASE}id/goal/4> .\n"
        for i in range(many)
    )
    response = client.post(
        "/update",
        content=f"INSERT DATA {{ GRAPH <{BASE}graph/upload/many> {{ {triples} }} }}",
        headers={"content-type": "application/sparql-update", "authorization": "Bearer t"},
    )
    assert response.status_code == 204
    first = client.get("/id/goal/4", headers={"accept": "text/html"}).text
    second = client.get("/id/goal/4?links=2", headers={"accept": "text/html"}).text
    shown = [page.count("/id/partnership/many-") for page in (first, second)]
    assert shown[0] <= INBOUND_LIMIT and sum(shown) >= many
    assert 'href="/id/goal/4?links=2"' in first
    assert 'href="/id/goal/4?links=1"' in second
    bad = client.get("/id/goal/4?links=x", headers={"accept": "text/html"})
    assert bad.status_code == 400
