"""How names and SDG notations are compared: the one folding that search, reconciliation and the
check page share.

Folded: case-insensitive, accents dropped, æ/ø/å spelt ae/oe/aa (or, loosely, ø as o and å as a,
as English texts often write Danish names); punctuation read as spaces; a trailing legal or
municipal word ("Kommune", "Municipality", "A/S") dropped for the core of a name, so "Sønderborg
Kommune", "SOENDERBORG" and "Sonderborg" compare equal to the municipality's label.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ß": "ss"})
# How English texts often write Danish names: Sønderborg as Sonderborg, Århus as Arhus.
_LOOSE = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o"})


def fold(value: str, *, loose: bool = False) -> str:
    """The form labels and queries are compared in; ``loose`` spells ø as o and å as a.

    >>> fold("Sønderborg Kommune") == fold("SOENDERBORG kommune")
    True
    >>> fold("Ærø") == fold("aeroe")
    True
    >>> fold("Sønderborg", loose=True)
    'sonderborg'
    """
    lowered = value.casefold().translate(_LOOSE if loose else _DANISH)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(ascii_only.replace("-", " ").split())


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


def written_abbreviations(text: str) -> set[str]:
    """Short forms a label spells out in capitals in parentheses: a name's own abbreviation, not
    a qualifier ("de lokale landsbysamfund (Sønderborg)").

    >>> sorted(written_abbreviations("Local Government Denmark (KL)"))
    ['kl']
    >>> written_abbreviations("de lokale landsbysamfund (Sønderborg)")
    set()
    """
    found = (short for short in _PARENTHESISED.findall(text) if short.isupper())
    return {fold_words(short) for short in found if " " not in short.strip()}
