"""Checks that a typed literal's text lies in its datatype's lexical space (XML Schema 1.1 Part 2).

rdflib converts each typed literal to a Python value as it parses, and on a value that does not
fit (``"yes"^^xsd:integer``) it logs a warning with a traceback and leaves the value empty, which
later breaks pySHACL's comparisons. Checking the text first lets validation name the value as a
curator's problem and keep it away from rdflib. Only the XSD datatypes whose lexical space is
narrower than "any string" are checked; others always fit.
https://www.w3.org/TR/xmlschema11-2/#built-in-datatypes
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

XSD = "http://www.w3.org/2001/XMLSchema#"

_ZONE = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{3,}|0\d{3})"


@dataclass(frozen=True)
class LexicalSpace:
    """A datatype's lexical form as a pattern, and a hint a curator can act on."""

    pattern: re.Pattern[str]
    hint: str


def _space(pattern: str, hint: str) -> LexicalSpace:
    return LexicalSpace(re.compile(pattern), hint)


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_INTEGER = r"[+-]?\d+"
_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
LEXICAL_SPACES: dict[str, LexicalSpace] = {
    "boolean": _space(r"true|false|1|0", 'true or false, e.g. "true"'),
    "integer": _space(_INTEGER, 'a whole number, e.g. "42"'),
    "positiveInteger": _space(r"\+?0*[1-9]\d*", 'a whole number above 0, e.g. "3"'),
    "nonNegativeInteger": _space(r"\+?\d+|-0+", 'a whole number from 0 up, e.g. "0"'),
    "decimal": _space(_DECIMAL, 'a number with a point for decimals, e.g. "0.8"'),
    "double": _space(
        rf"{_DECIMAL}(?:[eE][+-]?\d+)?|[+-]?INF|NaN", 'a number, e.g. "1.5" or "2.5E3"'
    ),
    "float": _space(rf"{_DECIMAL}(?:[eE][+-]?\d+)?|[+-]?INF|NaN", 'a number, e.g. "1.5"'),
    "date": _space(rf"{_YEAR}-(\d\d)-(\d\d){_ZONE}", 'a date as YYYY-MM-DD, e.g. "2024-05-01"'),
    "gYear": _space(rf"{_YEAR}{_ZONE}", 'a year of four digits, e.g. "2024"'),
    "gYearMonth": _space(rf"{_YEAR}-(?:0[1-9]|1[0-2]){_ZONE}", 'a month, e.g. "2024-05"'),
    "anyURI": _space(r"[^\s<>\"{}|\\^`]*", 'an IRI without spaces, e.g. "https://example.org/"'),
}


def datatype_problem(lexical: str, datatype: str) -> str | None:
    """Why ``lexical`` is no value of ``datatype``, or ``None`` if it fits (or is not checked).

    >>> datatype_problem("yes", XSD + "integer")
    'does not fit xsd:integer: give a whole number, e.g. "42"'
    >>> datatype_problem("2024-02-30", XSD + "date") is None
    False
    >>> datatype_problem("2024", XSD + "gYear") is None
    True
    """
    if not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD) :]
    space = LEXICAL_SPACES.get(name)
    if space is None:
        return None
    match = space.pattern.fullmatch(lexical)
    if match and (name != "date" or _is_calendar_day(lexical, match)):
        return None
    return f"does not fit xsd:{name}: give {space.hint}"


def _is_calendar_day(lexical: str, match: re.Match[str]) -> bool:
    year = int(lexical[: match.start(1) - 1])
    month, day = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return False
    days = 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month - 1]
    return 1 <= day <= days
