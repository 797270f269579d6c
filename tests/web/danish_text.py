"""The text a Danish reader sees on a page, and the English words left in it.

Text counts as Danish where the nearest ``lang`` attribute says ``da``: an English goal name
marked ``lang="en"`` is honest, an unmarked English word on a Danish page is the bug. Accessible
names count too (``aria-label``, ``title``, ``placeholder``, ``alt``), since a screen reader speaks
them. Code (``code``, ``pre``, ``script``, ``style``, ``textarea``) is not prose.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words an English interface uses that no Danish sentence does. Words both languages spell alike
# (under, i, a, for, fin …) are left out on purpose: the list must not cry wolf.
ENGLISH_WORDS = _words(
    """
    the of and with by from is are was were this that these those which what who how
    showing show entries table response filter results result query run page next previous
    search found nothing label labels member members role roles goal goals target targets
    partners partnership partnerships initiative initiatives municipality place
    source sources line lines referenced provenance derived stated assigned property
    properties value values kind kinds types date home language skip content
    count licence license last update download more first all none yes no not found error
    has have wasderivedfrom startdate enddate unittext notation scheme exact match concept
    inscheme exactmatch hasmember narrower broader title description contact
    """
)

# Names a Danish page may show in English: formats, standards and proper names.
ALLOWED = _words(
    """
    sparql rdf turtle json csv tsv xml html void iri iris owl shacl skos prov yasgui
    json-ld n-triples n-quads trig ld sdg sdgs unesco kl cisu dcat http https api
    """
)

# Danish proper names spelt like an English interface word, matched with their capital letter:
# "Line Vind" is a person in the seed texts, quoted on a source's page.
PROPER_NAMES = frozenset({"Line"})

_CODE = {"code", "pre", "script", "style", "textarea", "kbd", "samp"}
_SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
_VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col", "area", "base"}
_WORD = re.compile(r"[A-Za-zÆØÅæøå][A-Za-zÆØÅæøå'-]*")


class _DanishText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, lang, is code)
        self.texts: list[str] = []

    def _lang(self) -> str | None:
        return next((lang for _, lang, _ in reversed(self.stack) if lang is not None), None)

    def _in_code(self) -> bool:
        return any(code for _, _, code in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        lang = attributes.get("lang")
        frame = (tag, lang.lower() if lang is not None else None, tag in _CODE)
        self.stack.append(frame)
        if self._lang() == "da" and not self._in_code():
            self.texts.extend(v for k in _SPOKEN_ATTRIBUTES if (v := attributes.get(k)))
        if tag in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and self._lang() == "da" and not self._in_code():
            self.texts.append(data.strip())


def danish_text(html: str) -> list[str]:
    """Every piece of text on ``html`` that is meant to be read as Danish."""
    parser = _DanishText()
    parser.feed(html)
    return parser.texts


def english_left(html: str) -> list[str]:
    """The Danish texts of ``html`` holding an English interface word, for a failure message."""
    found = []
    for text in danish_text(html):
        prose = " ".join(w for w in text.split() if not _is_code(w))
        words = {w.lower() for w in _WORD.findall(prose) if w not in PROPER_NAMES}
        if words & ENGLISH_WORDS and not words <= ALLOWED:
            found.append(text)
    return found


def _is_code(word: str) -> bool:
    """A URL, a prefixed name (``skos:exactMatch``) or a SPARQL keyword (``FROM``) in prose."""
    bare = word.strip(".,;()'")
    return (
        bare.startswith(("http://", "https://"))
        or ":" in bare
        or (bare.isupper() and len(bare) > 1)
    )
