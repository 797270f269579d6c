"""A source's page lists every quotation the graph holds from it, one anchored row per passage,
so that a quotation on a record's page links to its lines (issue 21 item 5).

The seed texts themselves are not shipped (their licence is not known), so the rows stand in for
the numbered text: ``/id/source/seed-001#L44`` lands on, and highlights, the row for line 44.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from sdgkg.store.base import GraphStore
from sdgkg.web.graph import DCTERMS, PREFIXES, SCHEMA, Term, link_target, ontology_prefix, solutions
from sdgkg.web.i18n import message
from sdgkg.web.layout import section, table
from sdgkg.web.markup import Html, element, join

EN_DASH = "\u2013"
QUOTATION_LIMIT = 2000  # a source has hundreds at most; the limit keeps a page bounded anyway
FOAF_HOMEPAGE = "http://xmlns.com/foaf/0.1/homepage"
_ADDRESS_PREDICATES = (f"{SCHEMA}url", FOAF_HOMEPAGE, f"{DCTERMS}source")


@dataclass(frozen=True)
class SourceQuotation:
    """One passage of a source that supports ``record``."""

    record: str
    line_start: int | None
    line_end: int | None
    key_phrase: Literal | None


def line_anchor(start: int | None, end: int | None) -> str | None:
    """The id of a passage's row on its source's page: ``L44``, or ``L3-4`` for a range.

    >>> line_anchor(44, None), line_anchor(3, 4), line_anchor(7, 7), line_anchor(None, None)
    ('L44', 'L3-4', 'L7', None)
    """
    if start is None:
        return None
    return f"L{start}" if end is None or end == start else f"L{start}-{end}"


def line_range(start: int | None, end: int | None, lang: str) -> str:
    """``line 22`` or ``lines 3-4`` (with an en dash), the locator of a passage in its source."""
    if start is None:
        return ""
    if end is None or end == start:
        return f"{message('line', lang)} {start}"
    return f"{message('lines', lang)} {start}{EN_DASH}{end}"


def quotation_href(source: str, start: int | None, end: int | None, base_iri: str) -> str | None:
    """Where a quotation's lines are shown: its source's page at the passage's anchor."""
    page = link_target(source, base_iri)
    anchor = line_anchor(start, end)
    if page is None or anchor is None:
        return page
    return f"{page}#{anchor}"


def read_source_quotations(store: GraphStore, source: str, base_iri: str) -> list[SourceQuotation]:
    """Every passage quoted from ``source``, in line order. Starts from the source (the store's
    object index), so it reads only this source's derivations, never all records."""
    query = (
        PREFIXES
        + ontology_prefix(base_iri)
        + "SELECT ?record ?start ?end ?phrase WHERE { "
        + f"?q prov:entity {NamedNode(source)} . ?record prov:qualifiedDerivation ?q . "
        "OPTIONAL { ?q sdgkg:lineStart ?start } OPTIONAL { ?q sdgkg:lineEnd ?end } "
        "OPTIONAL { ?q sdgkg:keyPhrase ?phrase } }"
        f" ORDER BY ?start ?end ?record LIMIT {QUOTATION_LIMIT}"
    )
    return [
        SourceQuotation(
            row["record"].value,
            int_value(row["start"]),
            int_value(row["end"]),
            row["phrase"] if isinstance(row["phrase"], Literal) else None,
        )
        for row in solutions(store.query(query))
    ]


def source_quotations_section(
    outgoing: Sequence[tuple[str, Term]],
    quotations: Sequence[SourceQuotation],
    link: Callable[[str], Html],
    lang: str,
) -> Html | None:
    """The "Quotations from the source" section: a note on the unpublished text (when the
    source states no licence), the source's own address if known, and one row per passage."""
    if not quotations:
        return None
    licensed = any(p == f"{DCTERMS}license" for p, _ in outgoing)
    addresses = sorted(
        {o.value for p, o in outgoing if p in _ADDRESS_PREDICATES and isinstance(o, NamedNode)}
    )
    notes = [
        None
        if licensed
        else element("p", {"class_": "note"}, message("source_text_unpublished", lang)),
        element(
            "p",
            None,
            message("source_address", lang),
            " ",
            join((element("a", {"href": a}, a) for a in addresses), ", "),
        )
        if addresses
        else None,
    ]
    groups: dict[str | None, list[SourceQuotation]] = {}
    for q in quotations:  # in line order; passages on the same lines share one anchor
        groups.setdefault(line_anchor(q.line_start, q.line_end), []).append(q)
    bodies = [_group(anchor, group, link, lang) for anchor, group in groups.items()]
    title = message("source_quotations", lang)
    columns = (
        message("lines", lang).capitalize(),
        message("quotation", lang),
        message("supports", lang),
    )
    return section(
        title,
        notes,
        table(columns, bodies, name=title, class_="source-quotations", grouped=True),
        id_="quotations",
    )


def _group(
    anchor: str | None, group: Sequence[SourceQuotation], link: Callable[[str], Html], lang: str
) -> Html:
    """The rows of the passages on one line (range): a ``tbody`` with the anchor, so ``#L22``
    highlights them all, and the line named once."""
    first = group[0]
    lines = line_range(first.line_start, first.line_end, lang) or "—"
    rows = []
    for index, q in enumerate(group):
        phrase = (
            element(
                "q",
                {"lang": q.key_phrase.language or None, "class_": "key-phrase"},
                q.key_phrase.value,
            )
            if q.key_phrase is not None
            else "—"
        )
        head = (
            element("th", {"scope": "rowgroup", "rowspan": len(group), "class_": "lines"}, lines)
            if index == 0
            else None
        )
        rows.append(
            element(
                "tr", None, head, element("td", None, phrase), element("td", None, link(q.record))
            )
        )
    return element("tbody", {"id": anchor}, rows)


def int_value(term: Term | None) -> int | None:
    """An integer literal's value; None when absent or not a number."""
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None
