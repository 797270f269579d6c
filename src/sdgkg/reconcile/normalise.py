"""How names, SDG notations and outside identifiers in a curator's sheet are read.

Names and notations are read as everywhere in sdgkg (``sdgkg.names``: the folding search shares);
this module adds the outside identifiers a sheet may give (Wikidata items, UN SDG concepts).
"""

from __future__ import annotations

import re

_WIKIDATA = re.compile(
    r"^(?:https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/)?(?P<qid>Q[1-9][0-9]*)$", re.I
)
_UN_SDG = re.compile(
    r"^https?://metadata\.un\.org/sdg/(?P<code>[0-9]{1,2}(?:\.[0-9a-z]{1,2}){0,2})"
    r"(?:\?.*)?$"
)
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
UN_SDG = "http://metadata.un.org/sdg/"


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
