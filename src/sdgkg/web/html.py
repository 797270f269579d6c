"""HTML for people: resource pages, ontology documentation, the endpoint's front page.

Deliberately plain, built from small functions with ``html.escape`` and no template engine; the
rich pages of issue 6 replace these functions one by one. Every page links its RDF alternates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from pyoxigraph import BlankNode, Literal, NamedNode

from sdgkg.protocol.conneg import CANDIDATES, ResultKind

Term = NamedNode | BlankNode | Literal
LinkFor = Callable[[str], str | None]  # an IRI to a local URL, or None if served elsewhere

_STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.45}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;
padding:.3rem .5rem;text-align:left;vertical-align:top}code,textarea{font-family:ui-monospace,
monospace}textarea{width:100%}.iri{color:#555;font-size:.9em}nav a{margin-right:1rem}"""


@dataclass(frozen=True)
class Row:
    """One property and its values, as a table row."""

    property: str
    property_label: str | None
    values: Sequence[Term]


def page(title: str, body: str, *, alternates: Mapping[str, str] | None = None) -> str:
    """A whole HTML document; ``alternates`` maps media types to URLs of the same content."""
    links = "".join(
        f'<link rel="alternate" type="{escape(media)}" href="{escape(url)}">'
        for media, url in (alternates or {}).items()
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{links}<style>{_STYLE}</style></head><body>"
        '<nav><a href="/">sdgkg</a><a href="/sparql">SPARQL</a><a href="/ontology">ontology</a>'
        '<a href="/.well-known/void">VoID</a><a href="/dumps/">dumps</a><a href="/docs">API</a>'
        f"</nav>{body}</body></html>"
    )


def iri_link(iri: str, label: str | None, link_for: LinkFor) -> str:
    href = link_for(iri) or iri
    text = escape(label) if label else f"<code>{escape(iri)}</code>"
    return f'<a href="{escape(href)}">{text}</a>'


def term_html(term: Term, labels: Mapping[str, str], link_for: LinkFor) -> str:
    if isinstance(term, NamedNode):
        return iri_link(term.value, labels.get(term.value), link_for)
    if isinstance(term, BlankNode):
        return f"<code>_:{escape(term.value)}</code>"
    suffix = f" <small>@{escape(term.language)}</small>" if term.language else ""
    return f"{escape(term.value)}{suffix}"


def rows_table(rows: Iterable[Row], labels: Mapping[str, str], link_for: LinkFor) -> str:
    body = "".join(
        f"<tr><th>{iri_link(row.property, row.property_label, link_for)}</th><td>"
        + "<br>".join(term_html(value, labels, link_for) for value in row.values)
        + "</td></tr>"
        for row in rows
    )
    return f"<table>{body}</table>" if body else "<p>None.</p>"


def format_links(path: str) -> str:
    items = " ".join(
        f'<a href="{escape(path)}.{r.suffix}">{escape(r.name)}</a>'
        for r in CANDIDATES[ResultKind.PAGE]
        if not r.is_html
    )
    return f"<p>Also as: {items}</p>"


def service_page(endpoint_url: str, union_note: str, graph_names: Sequence[str]) -> str:
    """The endpoint's page for browsers: a query form and what the default graph is."""
    graphs = "".join(f"<li><code>{escape(g)}</code></li>" for g in graph_names)
    body = (
        "<h1>sdgkg SPARQL endpoint</h1>"
        f"<p>Endpoint: <code>{escape(endpoint_url)}</code>. {escape(union_note)}</p>"
        '<form method="get" action="/sparql"><textarea name="query" rows="10">'
        "SELECT ?partnership ?label WHERE {\n  ?partnership a "
        "&lt;https://w3id.org/sdgkg/ontology#Partnership&gt; ;\n    "
        "&lt;http://www.w3.org/2000/01/rdf-schema#label&gt; ?label .\n} LIMIT 20</textarea>"
        '<p><select name="format"><option>json</option><option>xml</option><option>csv</option>'
        "<option>tsv</option><option>turtle</option></select> <button>Run</button></p></form>"
        f"<h2>Named graphs</h2><ul>{graphs}</ul>"
        '<p>Machine-readable description: <a href="/sparql?format=turtle">Turtle</a>.</p>'
    )
    return page("sdgkg SPARQL endpoint", body, alternates={"text/turtle": "/sparql?format=turtle"})


@dataclass(frozen=True)
class TermDoc:
    """One ontology term, as the documentation shows it."""

    iri: str
    fragment: str
    labels: Sequence[str]
    definition: str | None
    rows: Sequence[Row]


def ontology_page(
    title: str,
    description: str | None,
    header: Sequence[Row],
    sections: Mapping[str, Sequence[TermDoc]],
    labels: Mapping[str, str],
    link_for: LinkFor,
) -> str:
    """Documentation of the ontology: one anchor per term, so ``ontology#Term`` lands on it."""
    toc = "".join(
        f"<h3>{escape(name)}</h3><p>"
        + ", ".join(f'<a href="#{escape(t.fragment)}">{escape(t.fragment)}</a>' for t in terms)
        + "</p>"
        for name, terms in sections.items()
    )
    docs = "".join(
        f"<h2>{escape(name)}</h2>" + "".join(_term_doc(t, labels, link_for) for t in terms)
        for name, terms in sections.items()
    )
    body = (
        f"<h1>{escape(title)}</h1><p>{escape(description or '')}</p>"
        f"{rows_table(header, labels, link_for)}{toc}{docs}{format_links('/ontology')}"
    )
    return page(title, body, alternates=_alternates("/ontology"))


def _term_doc(term: TermDoc, labels: Mapping[str, str], link_for: LinkFor) -> str:
    names = " / ".join(escape(label) for label in term.labels)
    return (
        f'<section id="{escape(term.fragment)}"><h3>{escape(term.fragment)}'
        f" <small>{names}</small></h3><p class=iri><code>{escape(term.iri)}</code></p>"
        f"<p>{escape(term.definition or '')}</p>{rows_table(term.rows, labels, link_for)}</section>"
    )


def dumps_page(dumps: Sequence[Mapping[str, object]]) -> str:
    items = "".join(
        f'<tr><td><a href="{escape(str(d["url"]))}">{escape(str(d["name"]))}</a></td>'
        f"<td>{d['bytes']}</td><td>{d['triples']}</td><td><code>{escape(str(d['sha256']))}"
        "</code></td></tr>"
        for d in dumps
    )
    body = (
        "<h1>Data dumps</h1><table><tr><th>file</th><th>bytes</th><th>triples</th>"
        f"<th>SHA-256</th></tr>{items}</table>"
    )
    return page("sdgkg data dumps", body)


def _alternates(path: str) -> dict[str, str]:
    return {
        r.media_type: f"{path}.{r.suffix}" for r in CANDIDATES[ResultKind.PAGE] if not r.is_html
    }
