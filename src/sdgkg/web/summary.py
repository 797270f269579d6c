"""A record told in a few plain sentences at the top of its page, before the tables.

What a person would say first about a partnership, an initiative or an event: what it is and
where, since when, who takes part in it and in which roles, which goals it works on (as its
source states them, and as a curator assigned them), and how much source text it rests on.
Every number and name is also on the page below, so the sentences add no claim of their own.
Names may come as ``Html`` (a link, a span with its ``lang``); any other value is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sdgkg.web.i18n import format_date, format_number, message
from sdgkg.web.markup import Html, text


@dataclass(frozen=True)
class RecordFacts:
    """The facts the sentences tell, already in the reader's language (names) or ISO (dates)."""

    kind: str
    one_day: bool = False  # an event: its start date is the day it happens
    places: Sequence[str] = ()  # names, or Html links
    run_by: Sequence[str] = ()
    start: str | None = None
    end: str | None = None
    members: Sequence[tuple[str, Sequence[str]]] = ()  # name (or Html link), its roles
    stated: int = 0
    assigned: int = 0
    passages: int = 0
    sources: int = 0
    # What points at the record, by the local name of the property: ("speaker", [events]).
    linked_from: Sequence[tuple[str, Sequence[str]]] = ()


# Properties whose pointing records are worth a sentence on the page they point at.
LINKED_FROM = (
    "speaker",
    "facilitator",
    "participant",
    "involvesPerson",
    "contactPerson",
    "spokesperson",
    "runBy",
    "municipality",
    "location",
)
_NAMED = 6  # names in one sentence before "and N more"


def record_summary(facts: RecordFacts, lang: str) -> list[Html]:
    """The sentences, in ``lang``; a fact the record lacks is left out, not written as zero.

    >>> facts = RecordFacts("Partnerskab", places=["Sønderborg"], start="2016-07",
    ...     members=[("Sønderborg Kommune", ["medlem", "koordinator"]), ("UNESCO", [])],
    ...     stated=17, assigned=2, passages=12, sources=2)
    >>> for sentence in record_summary(facts, "da"):
    ...     print(sentence)
    Partnerskab i Sønderborg.
    Siden juli 2016.
    Medlemmer: Sønderborg Kommune (medlem, koordinator), UNESCO.
    Arbejder med 19 verdensmål og delmål: 17 nævnt i kilden, 2 tilføjet af en redaktør.
    Bygger på 12 tekststeder i 2 kilder.
    >>> print(record_summary(RecordFacts("Person", linked_from=[("speaker", "ABCDEFGH")]), "en")[1])
    Speaker at A, B, C, D, E, F and 2 more.
    """
    said = [
        _say(
            "kind_in" if facts.places else "kind",
            lang,
            kind=facts.kind,
            places=_and(facts.places, lang),
        )
    ]
    said.extend(_when(facts, lang))
    if facts.members:
        members = Html(
            ", ".join(
                text(name) + (f" ({text(', '.join(roles))})" if roles else "")
                for name, roles in facts.members
            )
        )
        said.append(_say("members", lang, members=members))
    if facts.run_by:
        said.append(_say("run_by", lang, who=_and(facts.run_by, lang)))
    said.extend(_goals(facts, lang))
    for name, records in facts.linked_from:
        said.append(_say(f"by_{name}", lang, records=_some(records, lang)))
    said.extend(_based_on(facts, lang))
    return said


def _goals(facts: RecordFacts, lang: str) -> list[Html]:
    """How many goals and targets, and how many of them the source states or a curator added."""
    total = facts.stated + facts.assigned
    if not total:
        return []
    if not facts.assigned or not facts.stated:
        which = "assigned" if facts.assigned else "stated"
        how = _say(f"{'one' if total == 1 else 'all'}_{which}", lang)
    else:
        how = Html(
            _say("stated", lang, count=facts.stated)
            + ", "
            + _say("assigned", lang, count=facts.assigned)
        )
    return [_say("goal" if total == 1 else "goals", lang, total=total, how=how)]


def _when(facts: RecordFacts, lang: str) -> list[Html]:
    if not facts.start:
        return []
    start = format_date(facts.start, lang)
    if facts.end and facts.end != facts.start:
        return [_say("from_to", lang, start=start, end=format_date(facts.end, lang))]
    return [_say("on" if facts.one_day else "since", lang, start=start)]


def _based_on(facts: RecordFacts, lang: str) -> list[Html]:
    if not facts.passages:
        return []
    if facts.passages == 1:
        return [_say("passage", lang)]
    key = "source" if facts.sources <= 1 else "sources"
    return [_say(key, lang, passages=facts.passages, sources=facts.sources)]


def _say(key: str, lang: str, **fields: object) -> Html:
    """One sentence: our own template (markup) with its fields escaped into it."""
    shown = {
        k: format_number(v, lang) if isinstance(v, int) else text(v) for k, v in fields.items()
    }
    return Html(message(f"summary_{key}", lang).format(**shown))


def _some(names: Sequence[str], lang: str) -> Html:
    """The first names, and how many more (the page's folded table lists them all)."""
    if len(names) <= _NAMED:
        return _and(names, lang)
    return _say(
        "more",
        lang,
        shown=Html(", ".join(text(n) for n in names[:_NAMED])),
        more=len(names) - _NAMED,
    )


def _and(names: Sequence[str], lang: str) -> Html:
    """``A, B og C`` / ``A, B and C``."""
    escaped = [text(name) for name in names]
    if len(escaped) < 2:
        return Html("".join(escaped))
    word = " og " if lang == "da" else " and "
    return Html(", ".join(escaped[:-1]) + word + escaped[-1])
