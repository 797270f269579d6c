"""The one language-fallback rule and the choice of page language."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from sdgkg.web.i18n import choose_language, pick_label


@pytest.mark.parametrize(
    ("labels", "lang", "expected"),
    [
        ({"da": "kommune", "en": "municipality"}, "da", "kommune"),
        ({"da": "kommune", "en": "municipality"}, "en", "municipality"),
        ({"en": "municipality"}, "da", "municipality"),
        ({"da": "kommune"}, "en", "kommune"),
        ({"en-gb": "colour"}, "en", "colour"),
        ({"de": "Gemeinde"}, "da", "Gemeinde"),
        ({"": "untagged"}, "da", "untagged"),
        ({}, "da", "aarhus"),
    ],
    ids=[
        "chosen-da",
        "chosen-en",
        "other-en",
        "other-da",
        "subtag",
        "any",
        "untagged",
        "local-name",
    ],
)
def test_fallback_rule(labels: dict[str, str], lang: str, expected: str) -> None:
    assert pick_label(labels, lang, "https://w3id.org/sdgkg/id/municipality/aarhus") == expected


def _request(query: str = "", cookie: str = "", accept_language: str = "") -> Request:
    headers = []
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    if accept_language:
        headers.append((b"accept-language", accept_language.encode()))
    return Request({"type": "http", "query_string": query.encode(), "headers": headers})


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (_request("lang=da", "sdgkg_lang=en", "en"), "da"),
        (_request("", "sdgkg_lang=da", "en"), "da"),
        (_request("", "", "da-DK,da;q=0.9,en;q=0.5"), "da"),
        (_request("", "", "fr-FR"), "en"),
        (_request("lang=xx", "", ""), "en"),
    ],
    ids=["parameter", "cookie", "accept-language", "default", "unknown-parameter"],
)
def test_choose_language(request_: Request, expected: str) -> None:
    assert choose_language(request_) == expected
