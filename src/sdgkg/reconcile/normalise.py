"""How names, SDG notations and outside identifiers in a curator's sheet are read.

Names are compared folded (``sdgkg.web.search.fold``: case, accents, æ/ø/å as ae/oe/aa), with
punctuation as spaces and a trailing legal or municipal word ("Kommune", "Municipality", "A/S")
dropped, so "Sønderborg Kommune" and "SOENDERBORG" compare equal to the municipality's label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sdgkg.web.search import fold

# Words a sheet adds to a name that the graph's labels leave out: compared without them.
_SUFFIXES = (
    "kommune",
    "kommunes",
    "municipality",
    "a s",
    "aps",
    "i s",
    "amba",
    "a m b a",
    "fmba",
    "smba",
)
_PREFIXES = ("municipality of", "the")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_PARENTHESISED = re.compile(r"\(([^()]{2,12})\)")

# "4.7", "mål 4", "delmål 4.7", "SDG 4", "verdensmål 17", "goal 13", "target 4.7", "4.7.1" ...
_NOTATION = re.compile(
    r"^(?:(?P<word>sdgs?|fn s verdensmaal|verdensmaal|maal|delmaal|goal|target|indicator|"
    r"indikator|verdensmaal nr|maal nr)\s*)?(?:nr\s*)?(?P<code>[0-9]{1,2}(?:\.[0-9a-z]{1,2}){0,2})$"
)
_WIKIDATA = re.compile(
    r"^(?:https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/)?(?P<qid>Q[1-9][0-9]*)$", re.I
)
_UN_SDG = re.compile(
    r"^https?://metadata\.un\.org/sdg/(?P<code>[0-9]{1,2}(?:\.[0-9a-z]{1,2}){0,2})"
    r"(?:\?.*)?$"
)
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
UN_SDG = "http://metadata.un.org/sdg/"


def fold_words(text: str, *, loose: bool = False) -> str:
    """Folded, with every run of punctuation read as one space.

    >>> fold_words("Save the Children (Denmark)")
    'save the children denmark'
    >>> fold_words("L'Oréal Danmark A/S")
    'l oreal danmark a s'
    """
    return " ".join(_NON_WORD.sub(" ", fold(text, loose=loose)).split())


def core_name(text: str) -> str:
    """The words that identify: folded, without a trailing "Kommune", "A/S" and the like.

    >>> core_name("Sønderborg Kommune")
    'soenderborg'
    >>> core_name("Municipality of Aarhus")
    'aarhus'
    >>> core_name("MAN Energy Solutions A/S")
    'man energy solutions'
    >>> core_name("Kommune")
    'kommune'
    """
    return _strip_affixes(fold_words(text))


def _strip_affixes(words: str) -> str:
    for suffix in _SUFFIXES:
        if words.endswith(" " + suffix):
            words = words[: -len(suffix) - 1]
            break
    for prefix in _PREFIXES:
        if words.startswith(prefix + " "):
            return words[len(prefix) + 1 :]
    return words


def name_keys(text: str) -> set[str]:
    """Every form a label is found under: folded, core, and loosely folded (ø as o).

    >>> sorted(name_keys("Sønderborg Kommune"))
    ['soenderborg', 'soenderborg kommune', 'sonderborg', 'sonderborg kommune']
    """
    strict, loose = fold_words(text), fold_words(text, loose=True)
    keys = {strict, _strip_affixes(strict), loose, _strip_affixes(loose)}
    return keys - {""}


def abbreviations(text: str) -> set[str]:
    """Short forms a label implies: one in parentheses, and the initials of a name of 2-5 words.

    >>> sorted(abbreviations("Local Government Denmark (KL)"))
    ['kl', 'lgd']
    >>> sorted(abbreviations("Danske Handicaporganisationer"))
    ['dh']
    """
    explicit: set[str] = set()
    if "(" in text:
        explicit = {fold_words(found) for found in _PARENTHESISED.findall(text)}
        explicit = {short for short in explicit if " " not in short}
        text = _PARENTHESISED.sub(" ", text)
    words = [word for word in core_name(text).split() if word.isalpha()]
    initials = "".join(word[0] for word in words) if 2 <= len(words) <= 5 else ""
    return explicit | ({initials} if initials else set())


@dataclass(frozen=True)
class Notation:
    """An SDG number read from a cell: ``kind`` is Goal, Target or Indicator."""

    code: str
    kind: str


def read_notation(text: str) -> Notation | None:
    """The SDG goal, target or indicator a cell names by number, if it does.

    >>> read_notation("mål 4")
    Notation(code='4', kind='Goal')
    >>> read_notation("SDG 4.7")
    Notation(code='4.7', kind='Target')
    >>> read_notation("Verdensmål 17")
    Notation(code='17', kind='Goal')
    >>> read_notation("4.7.1")
    Notation(code='4.7.1', kind='Indicator')
    >>> read_notation("Aarhus") is None
    True
    """
    folded = " ".join(fold(text).replace("'", " ").replace(":", " ").split())
    found = _NOTATION.match(folded)
    if found is None:
        return None
    code = found["code"]
    return Notation(code, ("Goal", "Target", "Indicator")[code.count(".")])


def outside_identifier(text: str) -> str | None:
    """The canonical IRI of a Wikidata item or UN SDG concept given as a query, if it is one.

    >>> outside_identifier("https://www.wikidata.org/wiki/Q26073")
    'http://www.wikidata.org/entity/Q26073'
    >>> outside_identifier("q26073")
    'http://www.wikidata.org/entity/Q26073'
    >>> outside_identifier("https://metadata.un.org/sdg/4.7?lang=en")
    'http://metadata.un.org/sdg/4.7'
    """
    value = text.strip()
    wikidata = _WIKIDATA.match(value)
    if wikidata is not None:
        return WIKIDATA_ENTITY + wikidata["qid"].upper()
    un_sdg = _UN_SDG.match(value)
    if un_sdg is not None:
        return UN_SDG + un_sdg["code"]
    return None


def canonical_outside_iri(iri: str) -> str:
    """An outside IRI as the index keeps it: https and http forms of the same item agree."""
    return outside_identifier(iri) or iri
