"""Pages about the service itself: the SPARQL endpoint's front page, the dumps, and documents shown
as Turtle (the shapes, VoID), in the same frame as every other page.

``/sparql`` renders its page without FastAPI (``service/front.py``): this module, like the frame
it uses, imports none of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sdgkg.web.i18n import format_number, message
from sdgkg.web.layout import PageContext, page, section, table
from sdgkg.web.markup import element

EXAMPLE_QUERY = """SELECT ?partnership ?label WHERE {
  ?partnership a <https://w3id.org/sdgkg/ontology#Partnership> ;
    <http://www.w3.org/2000/01/rdf-schema#label> ?label .
} LIMIT 20"""
RESULT_FORMATS = ("json", "xml", "csv", "tsv", "turtle")


def render_endpoint_page(
    context: PageContext, endpoint_url: str, graph_names: Sequence[str]
) -> str:
    """The endpoint's page for browsers: a query form and what the default graph is."""
    lang = context.lang
    title = message("endpoint_title", lang)
    form = element(
        "form",
        {"method": "get", "action": "/sparql"},
        element("label", {"for": "sparql-query"}, message("query", lang)),
        element("textarea", {"id": "sparql-query", "name": "query", "rows": 10}, EXAMPLE_QUERY),
        element(
            "p",
            None,
            element(
                "select",
                {"name": "format", "aria-label": message("format", lang)},
                [element("option", None, name) for name in RESULT_FORMATS],
            ),
            " ",
            element("button", None, message("run", lang)),
        ),
    )
    body = [
        element("h1", None, title),
        element(
            "p",
            None,
            f"{message('endpoint', lang)}: ",
            element("code", None, endpoint_url),
            f". {message('union_note', lang)}",
        ),
        form,
        section(
            message("named_graphs", lang),
            element(
                "ul", None, [element("li", None, element("code", None, g)) for g in graph_names]
            ),
        ),
        element(
            "p",
            None,
            f"{message('machine_readable', lang)}: ",
            element("a", {"href": "/sparql?format=turtle"}, "Turtle"),
            ".",
        ),
    ]
    return page(context, title, body, alternates={"text/turtle": "/sparql?format=turtle"})


def render_dumps_page(context: PageContext, dumps: Sequence[Mapping[str, object]]) -> str:
    """The dumps with their sizes and checksums, for people; the JSON listing says the same."""
    lang = context.lang
    rows = [
        element(
            "tr",
            None,
            element("td", None, element("a", {"href": str(d["url"])}, str(d["name"]))),
            element("td", {"class_": "number"}, _number(d["bytes"], lang)),
            element("td", {"class_": "number"}, _number(d["triples"], lang)),
            element("td", None, element("code", None, str(d["sha256"]))),
        )
        for d in dumps
    ]
    triples = message("triples", lang).capitalize()
    columns = (message("file", lang), message("bytes", lang), triples, "SHA-256")
    title = message("dumps", lang)
    return page(context, title, [element("h1", None, title), table(columns, rows, name=title)])


def _number(value: object, lang: str) -> str:
    return format_number(value, lang) if isinstance(value, int) else str(value)


def render_turtle_page(context: PageContext, title: str, turtle: str) -> str:
    """A document shown as its Turtle (the shapes, VoID): readable, and copyable as it is."""
    return page(context, title, [element("h1", None, title), element("pre", None, turtle)])
