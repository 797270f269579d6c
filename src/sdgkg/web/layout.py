"""The frame every page shares: head, skip link, navigation, language switch, search, footer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from sdgkg.web.i18n import LANGUAGES, message
from sdgkg.web.markup import Child, Html, element, render

if TYPE_CHECKING:  # only a type: /sparql renders its page without loading FastAPI
    from fastapi import Request

ASSETS = "/assets"
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}


@dataclass(frozen=True)
class PageContext:
    """What the frame needs to know about the request."""

    lang: str
    path: str  # the current path, for the language switch
    query: Mapping[str, str] = field(default_factory=dict)  # the current query, without lang

    def switch_href(self, lang: str) -> str:
        return f"{self.path}?{urlencode({**self.query, 'lang': lang})}"


def context_for(request: Request, lang: str) -> PageContext:
    """The frame's view of a Starlette request: its path, and its query without ``lang``."""
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    return PageContext(lang, request.url.path, query)


def asset(name: str) -> str:
    return f"{ASSETS}/{name}"


def page(
    context: PageContext,
    title: str,
    body: Child,
    *,
    alternates: Mapping[str, str] | None = None,
    scripts: tuple[str, ...] = (),
    styles: tuple[str, ...] = (),
    title_lang: str | None = None,
) -> str:
    """A whole HTML document; ``alternates`` maps media types to URLs of the same content."""
    lang = context.lang
    head = [
        Html('<meta charset="utf-8">'),
        element("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
        element("title", None, f"{title} · {message('site_title', lang)}"),
        [element("link", {"rel": "stylesheet", "href": href}) for href in styles],
        element("link", {"rel": "stylesheet", "href": asset("site.css")}),
        element("link", {"rel": "icon", "href": asset("favicon.svg"), "type": "image/svg+xml"}),
        [
            element("link", {"rel": "alternate", "type": media, "href": href})
            for media, href in (alternates or {}).items()
        ],
        [element("script", {"src": src, "defer": True}) for src in scripts],
    ]
    document = element(
        "html",
        {"lang": lang},
        element("head", None, head),
        element(
            "body",
            None,
            element("a", {"class_": "skip", "href": "#main"}, message("skip", lang)),
            _header(context),
            element("main", {"id": "main", "tabindex": "-1"}, body),
            _footer(lang),
        ),
    )
    return "<!DOCTYPE html>\n" + document


def _header(context: PageContext) -> Html:
    lang = context.lang
    links = [
        ("/", message("home", lang)),
        ("/query", message("query_editor", lang)),
        ("/coverage", message("coverage", lang)),
        ("/check", message("check", lang)),
        ("/ontology", message("ontology", lang)),
    ]
    nav = element(
        "nav",
        {"aria-label": "main"},
        element("ul", None, [element("li", None, element("a", {"href": h}, t)) for h, t in links]),
    )
    switch = element(
        "ul",
        {"class_": "lang-switch", "aria-label": message("language", lang)},
        [
            element(
                "li",
                None,
                element(
                    "a",
                    {
                        "href": context.switch_href(code),
                        "hreflang": code,
                        "lang": code,
                        "aria-current": "true" if code == lang else None,
                    },
                    LANGUAGE_NAMES[code],
                ),
            )
            for code in LANGUAGES
        ],
    )
    return element(
        "header",
        {"class_": "site"},
        element("a", {"class_": "brand", "href": "/"}, message("site_title", lang)),
        nav,
        search_form(lang, compact=True),
        switch,
    )


def search_form(lang: str, *, value: str = "", compact: bool = False) -> Html:
    field_id = "q-header" if compact else "q"
    return element(
        "form",
        {
            "class_": "search" + (" compact" if compact else ""),
            "action": "/search",
            "role": "search",
        },
        element(
            "label",
            {"for": field_id, "class_": "visually-hidden" if compact else None},
            message("search", lang),
        ),
        element(
            "input",
            {
                "id": field_id,
                "type": "search",
                "name": "q",
                "value": value,
                "placeholder": message("search_placeholder", lang),
                "autocomplete": "off",
            },
        ),
        element("input", {"type": "hidden", "name": "lang", "value": lang}),
        element("button", {"type": "submit"}, message("search", lang)),
    )


def _footer(lang: str) -> Html:
    links = [
        ("/sparql", message("sparql_endpoint", lang)),
        ("/.well-known/void", message("void", lang)),
        ("/dumps/", message("dumps", lang)),
        ("/ontology", message("ontology", lang)),
    ]
    return element(
        "footer",
        {"class_": "site"},
        element("ul", None, [element("li", None, element("a", {"href": h}, t)) for h, t in links]),
    )


def table(
    columns: Sequence[str],
    rows: Child,
    *,
    name: str,
    class_: str | None = None,
    grouped: bool = False,
) -> Html:
    """A table with a header row of column names, in a scroll region called ``name``. With
    ``grouped``, ``rows`` are already ``tbody`` groups (one anchor for several rows)."""
    head = element("tr", None, *(element("th", {"scope": "col"}, column) for column in columns))
    body = rows if grouped else element("tbody", None, rows)
    return scroll_region(
        name, element("table", {"class_": class_}, element("thead", None, head), body)
    )


def scroll_region(name: str, content: Child) -> Html:
    """A box that scrolls sideways on its own, so a wide table does not widen a 390 px page.

    It takes focus (a keyboard user can scroll it: axe's scrollable-region-focusable) and has a
    name, so a screen reader says what the tab stop is.
    """
    attrs = {"class_": "scroll", "tabindex": "0", "role": "region", "aria-label": name}
    return element("div", attrs, content)


def section(heading: str, *children: Child, id_: str | None = None) -> Html:
    heading_id = f"{id_}-h" if id_ else None
    return element(
        "section",
        {"id": id_, "aria-labelledby": heading_id},
        element("h2", {"id": heading_id}, heading),
        render(children),
    )
