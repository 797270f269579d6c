"""The query editor in the page's language: YASGUI's own words, and labels in that language.

YASGUI (YASR's result views and the DataTables table inside them) speaks English and takes no
language option for most of its words, so the page sends a dictionary of them and ``editor.js``
puts the Danish word wherever YASGUI writes the English one. DataTables does take a ``language``
option: https://datatables.net/reference/option/language

The curated queries prefer English labels (``COALESCE(?goalEn, ?goalDa, …)``); the golden
results promise that. On the Danish site the editor shows the same question preferring Danish,
so what runs is what is shown.
"""

from __future__ import annotations

import re
from typing import Any

# YASR's English words (text, titles, aria-labels, placeholders) -> the Danish a reader expects.
YASR_DANISH = {
    "Query": "Forespørgsel",
    "Table": "Tabel",
    "Response": "Svar",
    "Shows Table view": "Vis som tabel",
    "Shows Response view": "Vis svar som tekst",
    "Filter query results": "Filtrér resultaterne",
    "Page size:": "Rækker pr. side:",
    "All": "Alle",
    "Simple view": "Enkel visning",
    "Ellipse": "Forkort lange værdier",
    "Download result": "Hent resultatet",
    "Download Results": "Hent resultatet",
    "Show all": "Vis alle",
    "View documentation of Table": "Vejledning til tabellen (engelsk)",
    "View documentation of Response": "Vejledning til svaret (engelsk)",
    "Clear endpoint": "Ryd endpoint",
    "Close tab": "Luk fanen",
    "Add tab": "Ny fane",
    "Add a new tab": "Ny fane",
    "pagination": "sider",
    "Run query": "Kør forespørgslen",
    "Share query": "Del forespørgslen",
    "Unable to get response from endpoint. Possible reasons:": (
        "Endpointet svarede ikke. Mulige årsager:"
    ),
}
# "17 results in 0.05 seconds" -> "17 resultater på 0,05 sekunder" (YASR's response chip).
RESULT_COUNT_DANISH = {
    "one": "{count} resultat",
    "other": "{count} resultater",
    "response": "Svar",
    "seconds": "på {seconds} sekunder",
}
# DataTables 2's words for the result table.
DATATABLES_DANISH = {
    "decimal": ",",
    "thousands": ".",
    "emptyTable": "Ingen rækker i svaret",
    "info": "Viser _START_ til _END_ af _TOTAL_ _ENTRIES-TOTAL_",
    "infoEmpty": "Viser 0 til 0 af 0 _ENTRIES-TOTAL_",
    "infoFiltered": "(filtreret fra _MAX_ _ENTRIES-MAX_)",
    "entries": {"_": "rækker", "1": "række"},
    "lengthLabels": {"-1": "Alle"},
    "loadingRecords": "Henter …",
    "zeroRecords": "Ingen rækker passer til filteret",
    "search": "Søg:",
    "aria": {
        # DataTables puts these after the column's name.
        "orderable": ": Aktivér for at sortere",
        "orderableReverse": ": Aktivér for at vende sorteringen",
        "orderableRemove": ": Aktivér for at fjerne sorteringen",
        "paginate": {
            "first": "Første side",
            "last": "Sidste side",
            "next": "Næste side",
            "previous": "Forrige side",
        },
    },
}

# ``COALESCE(?goalEn, ?goalDa`` : the same stem, English first.
_ENGLISH_FIRST = re.compile(r"COALESCE\(\s*\?(\w+)En\s*,\s*\?\1Da\b")
# ``?kindLabel FILTER(LANG(?kindLabel) = "en")``: a label required in English.
_ENGLISH_ONLY = re.compile(r'FILTER\s*\(\s*LANG\(\s*\?(\w+)\s*\)\s*=\s*"en"\s*\)')


def yasgui_words(lang: str) -> dict[str, Any]:
    """What ``editor.js`` needs to make YASGUI speak ``lang`` (nothing for English)."""
    if lang != "da":
        return {}
    return {"texts": YASR_DANISH, "counts": RESULT_COUNT_DANISH, "dataTables": DATATABLES_DANISH}


def prefer_language(query: str, lang: str) -> str:
    """The curated query asking for labels in ``lang`` first (the other one still the fallback).

    >>> q = 'BIND(COALESCE(?goalEn, ?goalDa, STR(?goal)) AS ?l) ?k rdfs:label ?kindLabel '
    >>> q += 'FILTER(LANG(?kindLabel) = "en") FILTER(LANG(?goalEn) = "en")'
    >>> print(prefer_language(q, "da"))
    BIND(COALESCE(?goalDa, ?goalEn, STR(?goal)) AS ?l) ?k rdfs:label ?kindLabel FILTER(LANG(?kindLabel) = "da") FILTER(LANG(?goalEn) = "en")
    """  # noqa: E501
    if lang != "da":
        return query
    query = _ENGLISH_FIRST.sub(lambda m: f"COALESCE(?{m[1]}Da, ?{m[1]}En", query)
    return _ENGLISH_ONLY.sub(
        lambda m: m[0] if m[1].endswith("En") else m[0].replace('"en"', '"da"'), query
    )
