"""Suggest services: entities, types and properties for typing ahead.

https://reconciliation-api.github.io/specs/0.2/#suggest-services (the same answers serve the 1.0
draft). An entity is suggested when a name, or a word of one, starts with the prefix (folded),
or when the prefix names it exactly (an IRI, an SDG number, a kommunekode).
"""

from __future__ import annotations

from typing import Any

from sdgkg.names import fold_words
from sdgkg.reconcile.catalogue import TYPE_NAMES, PropertySpec
from sdgkg.reconcile.index import ReconcileIndex
from sdgkg.reconcile.matching import name_scores
from sdgkg.reconcile.protocol import record_description, types_json

MAX_SUGGESTIONS = 50


def suggest_entities(
    index: ReconcileIndex,
    prefix: str,
    lang: str,
    *,
    types: tuple[str, ...],
    limit: int,
    offset: int,
) -> dict[str, Any]:
    wanted = fold_words(prefix)
    exact = [iri for iri, score in name_scores(index, prefix).items() if score == 100.0]
    found = dict.fromkeys(sorted(exact))
    if wanted:
        found.update(dict.fromkeys(index.starting_with(wanted, limit=offset + limit + 200)))
    records = [index.records[iri] for iri in found]
    if types:
        records = [record for record in records if record.types & set(types)]
    page = records[offset : offset + min(limit, MAX_SUGGESTIONS)]
    return {
        "result": [
            {
                "id": record.iri,
                "name": record.name(lang),
                "description": record_description(record, lang),
                "notable": types_json(index, record, lang),
            }
            for record in page
        ]
    }


def suggest_types(index: ReconcileIndex, prefix: str, lang: str, *, limit: int) -> dict[str, Any]:
    wanted = fold_words(prefix)
    names = [
        name
        for name in TYPE_NAMES
        if not wanted
        or any(
            fold_words(label).startswith(wanted) or f" {wanted}" in f" {fold_words(label)}"
            for label in (name, *index.type_labels.get(name, {}).values())
        )
    ]
    return {
        "result": [
            {"id": index.type_iri(name), "name": index.type_label(name, lang)}
            for name in names[:limit]
        ]
    }


def suggest_properties(
    index: ReconcileIndex, prefix: str, lang: str, *, type_name: str | None, limit: int
) -> dict[str, Any]:
    wanted = fold_words(prefix)
    found = [
        spec
        for spec in applicable_properties(index, type_name)
        if not wanted
        or any(fold_words(text).startswith(wanted) for text in (spec.id, *spec.names.values()))
    ]
    return {
        "result": [
            {
                "id": spec.id,
                "name": spec.names.get(lang, spec.names["en"]),
                "description": spec.predicate,
            }
            for spec in found[:limit]
        ]
    }


def applicable_properties(index: ReconcileIndex, type_name: str | None) -> list[PropertySpec]:
    """The catalogue's properties that records of the type (or of its supertypes) have."""
    if type_name is None:
        return list(index.properties)
    kinds = _type_and_supertypes(index, type_name)
    return [spec for spec in index.properties if kinds & set(spec.domains)]


def _type_and_supertypes(index: ReconcileIndex, type_name: str) -> set[str]:
    """A type with the catalogue types every record of it also has (Municipality: Partner)."""
    common: set[str] | None = None
    for record in index.records.values():
        if type_name in record.types:
            common = set(record.types) if common is None else common & record.types
    return common if common is not None else {type_name}
