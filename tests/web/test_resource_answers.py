"""Resource pages answer a reader's questions before they show RDF (issue 21, items 3 and 4)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from sdgkg.config import Settings
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.coverage import read_coverage

HTML = {"accept": "text/html"}


def _section(page: str, id_: str) -> str:
    match = re.search(rf'<section[^>]*id="{id_}".*?</section>', page, re.S)
    assert match, f"no section {id_}"
    return match.group(0)


def test_goal_page_lists_what_coverage_counts(
    web_client: TestClient, web_store: EmbeddedStore, web_settings: Settings
) -> None:
    expected = read_coverage(web_store, web_settings.base_iri).records(goal="4")
    page = web_client.get("/id/goal/4?lang=da", headers=HTML).text
    listed = _section(page, "addressing")
    for record in expected:
        assert f'href="/{record.removeprefix(web_settings.base_iri)}"' in listed
    assert f"({len(expected)})" in listed


def test_goal_page_shows_target_text(web_client: TestClient) -> None:
    targets = _section(web_client.get("/id/goal/4?lang=da", headers=HTML).text, "targets")
    assert '<span lang="en">By 2030, ensure that all learners acquire' in targets
    assert "FN udgiver delmålenes tekst på engelsk." in targets


def test_person_page_shows_posts(web_client: TestClient) -> None:
    posts = _section(
        web_client.get("/id/person/anne-kristine-hundahl-mikkelsen?lang=da", headers=HTML).text,
        "posts",
    )
    assert "udviklingskonsulent i Herning Kommune" in posts
    assert "Stilling" in posts


def test_key_facts_come_first_and_the_table_is_folded(web_client: TestClient) -> None:
    page = web_client.get("/id/partnership/baeredygtig-herning?lang=da", headers=HTML).text
    facts = re.search(r'<dl class="key-facts">.*?</dl>', page, re.S)
    assert facts and "<dt>Finder sted i kommune</dt>" in facts.group(0)
    assert page.index("key-facts") < page.index('<details class="all-properties"')
    assert page.index('<details class="all-properties"') < page.index('id="properties"')


def _summary(page: str) -> str:
    match = re.search(r'<p class="summary">(.*?)</p>', page, re.S)
    assert match, "no summary"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_partnership_in_sentences(web_client: TestClient) -> None:
    """Where, since when, who in which roles, which goals (stated vs assigned), on what sources."""
    da = _summary(web_client.get("/id/partnership/baeredygtig-herning?lang=da", headers=HTML).text)
    assert da.startswith("Partnerskab i Herning.")
    assert "Medlemmer: Bæredygtig Herning (vært), Herning (ledende partner" in da
    assert "Arbejder med 3 verdensmål og delmål: 1 nævnt i kilden, 2 tilføjet af en redaktør." in da
    assert da.endswith("Bygger på 3 tekststeder i én kilde.")
    en = _summary(web_client.get("/id/partnership/soenderborg-gnlc?lang=en", headers=HTML).text)
    assert "Since July 2016." in en
    assert "Works on 17 goals and targets: all stated in the source." in en


def test_event_in_sentences_with_its_speakers(web_client: TestClient) -> None:
    page = web_client.get("/id/initiative/kl-webinar-verdensmaal-2022-05-17?lang=da", headers=HTML)
    summary = _summary(page.text)
    assert summary.startswith("Arrangement. Den 17. maj 2022. Drives af KL.")
    facts = re.search(r'<dl class="key-facts">.*?</dl>', page.text, re.S)
    assert facts and "<dt>Oplægsholder</dt>" in facts.group(0) and "Line Vind" in facts.group(0)


def test_a_member_with_two_roles_is_one_row(web_client: TestClient) -> None:
    members = _section(
        web_client.get("/id/partnership/soenderborg-gnlc?lang=da", headers=HTML).text, "members"
    )
    names = re.findall(r"<tr><td><a href=\"(/id/[^\"]+)\"", members)
    assert names and len(names) == len(set(names))


def test_people_and_places_say_what_points_at_them(web_client: TestClient) -> None:
    person = _summary(web_client.get("/id/person/line-vind?lang=da", headers=HTML).text)
    assert "Oplægsholder ved Webinar: Få inspiration til at arbejde med FN's Verdensmål." in person
    place = _summary(web_client.get("/id/municipality/soenderborg?lang=en", headers=HTML).text)
    assert place.startswith("Municipality in Region of Southern Denmark.")
    assert "Partnerships and initiatives here: " in place and " more." in place
