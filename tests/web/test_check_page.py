"""The check records page over HTTP and in headless Chromium, in both languages (issue 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, parse

from sdgkg.store.embedded import EmbeddedStore
from tests.browser_fixtures import shot
from tests.data import CASES_DIR, REPO_DIR

TEMPLATE = REPO_DIR / "data" / "templates" / "partnerships.csv"
BAD_ROW = "bad-member,Grøn skole,Green school,,Red Barn (lead),Sønderborg,4,,,,,seed-002,1,1,x\n"
NO_FILE = {"file": ("", b"", "application/octet-stream")}


@pytest.mark.parametrize(("lang", "heading"), [("en", "Check records"), ("da", "Tjek poster")])
def test_the_form_in_both_languages(web_client: TestClient, lang: str, heading: str) -> None:
    response = web_client.get("/check", params={"lang": lang})
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert 'href="/check"' in web_client.get("/", params={"lang": lang}).text  # linked


def test_an_uploaded_csv_is_checked_and_offers_its_turtle(web_client: TestClient) -> None:
    upload = {"file": ("partnerships.csv", TEMPLATE.read_bytes(), "text/csv")}
    response = web_client.post("/check", params={"lang": "en"}, files=upload)
    assert response.status_code == 200
    assert "No problems: the records conform." in response.text
    assert 'action="/check/turtle?lang=en"' in response.text
    turtle = web_client.post(
        "/check/turtle", data={"text": TEMPLATE.read_text(encoding="utf-8")}, files=NO_FILE
    )
    assert turtle.status_code == 200
    assert turtle.headers["content-disposition"] == 'attachment; filename="records.ttl"'
    assert len(list(parse(turtle.content, format=RdfFormat.TURTLE))) > 10


def test_a_pasted_bad_row_shows_row_column_and_candidates(web_client: TestClient) -> None:
    text = TEMPLATE.read_text(encoding="utf-8") + BAD_ROW
    response = web_client.post("/check", params={"lang": "da"}, data={"text": text}, files=NO_FILE)
    assert response.status_code == 200
    assert "række 3, kolonne members" in response.text
    assert "Red Barn" in response.text and 'href="/id/partner/red-barnet"' in response.text


def test_a_turtle_violation_shows_line_and_shape(web_client: TestClient) -> None:
    text = (CASES_DIR / "unknown-target.ttl").read_text(encoding="utf-8")
    response = web_client.post("/check", params={"lang": "en"}, data={"text": text}, files=NO_FILE)
    assert 'class="problem"' in response.text and "line " in response.text
    assert "S0" in response.text  # the shape id


@pytest.mark.parametrize(
    ("fields", "status"),
    [({"text": ""}, 400), ({"text": "x" * 1_100_000}, 413)],
    ids=["empty", "too-large"],
)
def test_bad_input_is_a_page_with_a_message(
    web_client: TestClient, fields: dict[str, str], status: int
) -> None:
    response = web_client.post("/check", data=fields, files=NO_FILE)
    assert response.status_code == status
    assert 'class="check-error"' in response.text


def test_a_malformed_form_is_a_400(web_client: TestClient) -> None:
    response = web_client.post(
        "/check", content=b"garbage", headers={"content-type": "multipart/form-data; boundary=z"}
    )
    assert response.status_code == 400


def test_checking_writes_nothing(web_client: TestClient, web_store: EmbeddedStore) -> None:
    before = (len(web_store.oxigraph), web_store.writes)
    text = (CASES_DIR / "partnership-valid.ttl").read_text(encoding="utf-8")
    web_client.post("/check", data={"text": text}, files=NO_FILE)
    assert (len(web_store.oxigraph), web_store.writes) == before


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["en", "da"])
def test_check_in_chromium_valid_and_invalid_files(page: Any, lang: str, tmp_path: Path) -> None:
    valid = tmp_path / "partnerships.csv"
    valid.write_bytes(TEMPLATE.read_bytes())
    page.goto(page.base_url + f"/?lang={lang}")
    page.locator("header nav a[href='/check']").click()
    page.wait_for_url("**/check")
    page.locator("#check-file").set_input_files(str(valid))
    page.locator("form.check button[type=submit]").click()
    page.locator("#report").wait_for()
    assert page.locator(".check-ok").count() == 1
    shot(page, f"check-valid-{lang}")
    with page.expect_download() as download:
        page.locator("#download").click()
    assert download.value.suggested_filename == "records.ttl"
    invalid = tmp_path / "records.ttl"
    invalid.write_bytes((CASES_DIR / "unknown-partner.ttl").read_bytes())
    page.locator("#check-file").set_input_files(str(invalid))
    page.locator("form.check button[type=submit]").click()
    page.locator("#report").wait_for()
    assert page.locator("tr.problem").count() >= 1
    assert page.locator("li.unresolved code").first.inner_text().endswith("no-such-partner")
    shot(page, f"check-invalid-{lang}")
    page.set_viewport_size({"width": 390, "height": 900})  # the report fits a phone (issue 21)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
