"""The ontology's documentation page, generated from the ontology itself, its one editable source.

One anchor per term, so ``…/ontology#Partnership`` lands on it. The page is a resource page like
any record's: the same frame, the same property table (``resource.property_rows``), labels in the
reader's language and the same links to the document in every RDF format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import NamedNode

from sdgkg.store.base import GraphStore
from sdgkg.web.components import formats_section, rdf_alternates
from sdgkg.web.graph import Described, Term, describe_iris
from sdgkg.web.i18n import message, pick_label
from sdgkg.web.layout import PageContext, page, section, table
from sdgkg.web.markup import Html, element, join
from sdgkg.web.resource import property_rows

PATH = "/ontology"
Properties = Mapping[str, Sequence[Term]]  # property IRI -> its values


@dataclass(frozen=True)
class TermDoc:
    """One ontology term, as the documentation shows it."""

    iri: str
    labels: Sequence[str]  # every label with its language, "Partnership @en"
    definitions: Mapping[str, str]  # language -> skos:definition
    properties: Properties  # the rest of what the ontology says about it

    @property
    def fragment(self) -> str:
        return self.iri.rpartition("#")[2]


@dataclass(frozen=True)
class OntologyDoc:
    """What the page shows: the header's titles, descriptions and properties, and the terms
    by section (``classes``, ``object_properties``, … as ``i18n`` message keys)."""

    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    header: Properties
    sections: Mapping[str, Sequence[TermDoc]]


def render_ontology_page(
    store: GraphStore, context: PageContext, doc: OntologyDoc, base_iri: str
) -> str:
    """The whole documentation page in ``context.lang``."""
    lang = context.lang
    described = describe_iris(store, _shown_iris(doc))
    title = pick_label(doc.titles, lang, "") or "sdgkg ontology"
    body = [
        element("h1", {"lang": _language_of(doc.titles, title)}, title),
        _in_language("p", doc.descriptions, lang),
        _table(property_rows(doc.header, described, lang, base_iri), lang, title),
        element("nav", {"aria-label": message("contents", lang)}, _contents(doc, lang)),
        _diagram_figure(lang),
        [
            section(
                message(key, lang),
                [_term(term, described, lang, base_iri) for term in terms],
            )
            for key, terms in doc.sections.items()
        ],
        formats_section(PATH, lang),
    ]
    return page(context, title, body, alternates=rdf_alternates(PATH))


def _diagram_figure(lang: str) -> Html:
    """The model at a glance, drawn from the ontology by sdgkg.diagram; a click opens it."""
    src = PATH + "/model.svg"
    image = element("img", {"src": src, "alt": message("model_diagram_alt", lang), "width": "100%"})
    return element(
        "figure",
        {"class_": "model-diagram"},
        element("a", {"href": src}, image),
        element("figcaption", None, message("model_diagram", lang)),
    )


def _contents(doc: OntologyDoc, lang: str) -> list[Html]:
    return [
        element(
            "p",
            None,
            element("strong", None, message(key, lang)),
            ": ",
            join(
                element("a", {"href": f"#{t.fragment}"}, element("code", None, t.fragment))
                for t in terms
            ),
        )
        for key, terms in doc.sections.items()
    ]


def _term(term: TermDoc, described: Described, lang: str, base_iri: str) -> Html:
    labels = [_tagged_label(label) for label in term.labels]
    by_language = {tag: value for value, _, tag in (x.rpartition(" @") for x in term.labels)}
    return element(
        "section",
        {"id": term.fragment},
        element(
            "h3",
            None,
            element("code", None, term.fragment),
            " ",
            element("small", None, join(labels, " / ")),
        ),
        element("p", {"class_": "iri"}, element("code", None, term.iri)),
        _in_language("p", term.definitions, lang),
        _table(
            property_rows(term.properties, described, lang, base_iri),
            lang,
            pick_label(by_language, lang, term.iri),
        ),
    )


def _language_of(texts: Mapping[str, str], chosen: str) -> str | None:
    """The language tag of ``chosen`` among ``texts``, for a ``lang`` attribute."""
    return next((tag for tag, text in texts.items() if text == chosen and tag), None)


def _in_language(tag: str, texts: Mapping[str, str], lang: str) -> Html | None:
    """The text of ``texts`` in ``lang`` by the fallback rule, marked with its own language."""
    chosen = pick_label(texts, lang, "")
    return element(tag, {"lang": _language_of(texts, chosen)}, chosen) if chosen else None


def _tagged_label(label: str) -> Html:
    """``verdensmål @da`` as the label in its language, with the tag after it."""
    value, _, tag = label.rpartition(" @")
    return element("span", {"lang": tag or None}, value, element("small", None, f" ({tag})"))


def _table(rows: list[Html], lang: str, name: str) -> Html | None:
    columns = (message("property", lang), message("value", lang))
    return table(columns, rows, name=name) if rows else None


def _shown_iris(doc: OntologyDoc) -> list[str]:
    """Every property and linked IRI on the page, to label in one query."""
    groups = [doc.header, *(t.properties for terms in doc.sections.values() for t in terms)]
    return [
        iri
        for properties in groups
        for predicate, values in properties.items()
        for iri in (predicate, *(v.value for v in values if isinstance(v, NamedNode)))
    ]
