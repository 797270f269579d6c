"""The language-fallback rule for labels, one for the whole project (FACTS.md: a decade of
fallback bugs in Skosmos came from several rules): the reader's language, then the other of
Danish and English, then any tag, then the IRI's last segment."""

from __future__ import annotations

from collections.abc import Mapping


def other_language(lang: str) -> str:
    return "en" if lang == "da" else "da"


def local_name(iri: str) -> str:
    """The last segment of an IRI, the label of last resort.

    >>> local_name("https://w3id.org/sdgkg/ontology#Partnership")
    'Partnership'
    >>> local_name("https://w3id.org/sdgkg/id/goal/13")
    '13'
    """
    trimmed = iri.rstrip("/#")
    for separator in ("#", "/", ":"):
        if separator in trimmed:
            trimmed = trimmed.rsplit(separator, 1)[1]
            break
    return trimmed or iri


def pick_label(labels: Mapping[str, str], lang: str, iri: str = "") -> str:
    """Apply the fallback rule to ``{language tag: label}`` ("" for an untagged label).

    >>> pick_label({"da": "Verdensmål", "en": "Goal"}, "da")
    'Verdensmål'
    >>> pick_label({"en": "Goal"}, "da")
    'Goal'
    >>> pick_label({"de": "Ziel"}, "da")
    'Ziel'
    >>> pick_label({}, "da", "https://w3id.org/sdgkg/id/goal/13")
    '13'
    """
    for wanted in (lang, other_language(lang)):
        if wanted in labels:
            return labels[wanted]
    for tag in sorted(labels):
        if tag.split("-")[0] in (lang, other_language(lang)):
            return labels[tag]
    if labels:
        return labels[min(labels)]
    return local_name(iri) if iri else ""
