"""Issue 21 item 5: a source's page lists its quotations with line anchors, and a record's
quotation links to them."""

from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode

from sdgkg.config import Settings
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.web.markup import Html
from sdgkg.web.resource import render_resource_page
from sdgkg.web.source_quotes import SourceQuotation, source_quotations_section

BASE = "https://w3id.org/sdgkg/"
SOURCE = f"{BASE}id/source/seed-001"
PARTNERSHIP = f"{BASE}id/partnership/frederikshavn-man-energy-solutions"


def _row_anchors(html: str) -> list[str]:
    section = html[html.index('id="quotations"') :]
    section = section[: section.index("</section>")]
    return re.findall(r'<tbody id="(L[0-9-]+)"', section)


def test_source_page_lists_its_quotations_in_line_order_with_anchors(
    web_store: EmbeddedStore, web_settings: Settings
) -> None:
    html = render_resource_page(web_store, SOURCE, "da", web_settings)
    assert "Citater fra kilden" in html
    anchors = _row_anchors(html)
    assert "L22" in anchors, anchors  # the Frederikshavn partnership's passage
    assert len(set(anchors)) == len(anchors)  # ids are unique: one group per line (range)
    starts = [int(a[1:].split("-")[0]) for a in anchors]
    assert starts == sorted(starts) and len(starts) > 5
    row = html[html.index('<tbody id="L22"') :]
    row = row[: row.index("</tbody>")]
    assert 'lang="da"' in row and "I Frederikshavn Kommune har man indgået" in row
    assert 'href="/id/partnership/' in row  # the record the passage supports
    assert "fordi vi ikke kender dens licens" in html  # why the text itself is not here


def test_source_page_says_in_english_why_the_text_is_missing(
    web_store: EmbeddedStore, web_settings: Settings
) -> None:
    html = render_resource_page(web_store, SOURCE, "en", web_settings)
    assert "Quotations from the source" in html
    assert "because its licence is not known" in html


def test_licensed_source_without_quotations_has_no_section(
    web_store: EmbeddedStore, web_settings: Settings
) -> None:
    html = render_resource_page(web_store, f"{BASE}id/source/sdg-goals", "en", web_settings)
    assert 'id="quotations"' not in html and "licence is not known" not in html


def test_record_quotation_links_to_its_lines_on_the_source_page(
    web_store: EmbeddedStore, web_settings: Settings
) -> None:
    html = render_resource_page(web_store, PARTNERSHIP, "da", web_settings)
    assert '<a href="/id/source/seed-001#L22" class="lines">linje 22</a>' in html
    source = render_resource_page(web_store, SOURCE, "da", web_settings)
    assert '<tbody id="L22"' in source  # the anchor it points at exists


def test_section_gives_the_source_address_and_no_note_when_licensed() -> None:
    """No seed source states an address yet; a source that does shows it as a link."""

    quotation = [SourceQuotation(f"{BASE}id/partner/x", 3, 4, Literal("tekst", language="da"))]
    url = NamedNode("https://example.org/tekst")
    licence = NamedNode("https://creativecommons.org/licenses/by/4.0/")
    html = source_quotations_section(
        [("https://schema.org/url", url), ("http://purl.org/dc/terms/license", licence)],
        quotation,
        lambda iri: Html(iri),
        "da",
    )
    assert html is not None
    assert 'Kildens egen adresse: <a href="https://example.org/tekst">' in html
    assert "licens" not in html and '<tbody id="L3-4">' in html and "linjer 3\u20134" in html
