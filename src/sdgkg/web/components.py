"""Pieces several pages show: links to records, SDG badges, literal values, RDF alternates."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

from sdgkg.protocol.conneg import CANDIDATES, Representation, ResultKind
from sdgkg.web.graph import Described, Term, link_target
from sdgkg.web.i18n import format_date, format_number, message
from sdgkg.web.layout import section
from sdgkg.web.markup import Html, element

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_BOOLEAN = XSD + "boolean"
_NUMBERS = {XSD + t for t in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger")}
_DECIMALS = {XSD + t for t in ("decimal", "double", "float")}
_DATES = {XSD + t for t in ("date", "gYear", "gYearMonth", "dateTime")}
_BOOLEAN_WORDS = {
    ("true", "da"): "ja",
    ("false", "da"): "nej",
    ("true", "en"): "yes",
    ("false", "en"): "no",
}


def sdg_badge(number: str, *, assigned: bool = False, title: str | None = None) -> Html:
    """The goal number on its official colour; an assigned goal is outlined, not filled."""
    classes = f"sdg sdg-{number}" + (" assigned" if assigned else "")
    return element("span", {"class_": classes, "title": title, "aria-hidden": "true"}, number)


def record_link(iri: str, described: Described, lang: str, base_iri: str) -> Html:
    """A link to a record with its label in ``lang`` (by the fallback rule) and SDG badge."""
    label = described.label(iri, lang)
    number = described.goal_number(iri)
    notation = described.notations.get(iri) if number else None
    shown = (
        f"{notation} {label}" if notation and notation not in (number, *label.split()) else label
    )
    href = link_target(iri, base_iri)
    return element(
        "a" if href else "span",
        {"href": href, "class_": "record"},
        sdg_badge(number) if number else None,
        element("span", {"lang": described.label_lang(iri, lang)}, shown),
    )


def term_html(term: Term, described: Described, lang: str, base_iri: str) -> Html:
    if isinstance(term, NamedNode):
        if term.value in described.labels or term.value in described.notations:
            return record_link(term.value, described, lang, base_iri)
        href = link_target(term.value, base_iri)
        return element(
            "a" if href else "span",
            {"href": href, "class_": "iri"},
            element("code", None, term.value),
        )
    if isinstance(term, BlankNode):
        return element("code", None, f"_:{term.value}")
    return literal_html(term, lang)


def literal_html(literal: Literal, lang: str) -> Html:
    if literal.datatype.value == XSD_BOOLEAN:
        return Html(element("span", None, _BOOLEAN_WORDS.get((literal.value, lang), literal.value)))
    shown = _formatted(literal, lang)
    if shown is not None:
        return element("span", {"class_": "number" if shown[0].isdigit() else None}, shown)
    if literal.value.startswith(("http://", "https://")) and " " not in literal.value:
        return element("a", {"href": literal.value, "rel": "nofollow"}, literal.value)
    return element("span", {"lang": literal.language}, literal.value)


def _formatted(literal: Literal, lang: str) -> str | None:
    """A number or date as a reader of ``lang`` writes it; None for any other literal."""
    datatype = literal.datatype.value
    try:
        if datatype in _NUMBERS:
            return format_number(int(literal.value), lang)
        if datatype in _DECIMALS:
            return format_number(float(literal.value), lang)
    except ValueError:
        return None
    if datatype in _DATES:
        return format_date(literal.value.split("T")[0], lang)
    return None


def rdf_representations() -> list[Representation]:
    """Each RDF format a page is also served as, at its path plus the format's suffix."""
    return [r for r in CANDIDATES[ResultKind.PAGE] if not r.is_html]


def rdf_alternates(path: str) -> dict[str, str]:
    """The ``<link rel="alternate">`` targets of the page at ``path``: media type to URL."""
    return {r.media_type: f"{path}.{r.suffix}" for r in rdf_representations()}


def formats_section(path: str, lang: str) -> Html:
    """Links to the page at ``path`` in every RDF format."""
    links = [
        element(
            "li", None, element("a", {"href": f"{path}.{r.suffix}", "type": r.media_type}, r.name)
        )
        for r in rdf_representations()
    ]
    return section(
        message("formats", lang), element("ul", {"class_": "formats"}, links), id_="formats"
    )


PAGE_ROWS = 100  # rows of a paged table


def pages_nav(
    href: str, page_number: int, total: int | None, page_size: int, lang: str
) -> Html | None:
    """Links to the previous and next page (``href`` + number) of a list, and where this one is;
    ``total`` None when only "there is more" is known (a query asked for one row too many)."""
    more = total is None or page_number * page_size < total
    if page_number == 1 and not more:
        return None
    first_row = (page_number - 1) * page_size + 1
    last_row = page_number * page_size if total is None else min(total, page_number * page_size)
    shown = f"{first_row}\u2013{last_row}" + ("" if total is None else f" / {total}")
    links = [
        element(
            "a", {"href": f"{href}{page_number - 1}", "rel": "prev"}, message("previous_page", lang)
        )
        if page_number > 1
        else None,
        element("span", None, shown),
        element(
            "a", {"href": f"{href}{page_number + 1}", "rel": "next"}, message("next_page", lang)
        )
        if more
        else None,
    ]
    return element("nav", {"class_": "pages", "aria-label": message("pages", lang)}, links)
