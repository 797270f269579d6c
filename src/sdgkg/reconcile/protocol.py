"""Reconciliation query batches in and result batches out, in both versions of the protocol.

0.2 (OpenRefine 3.x): https://reconciliation-api.github.io/specs/0.2/#sending-reconciliation-queries-to-a-service
  a JSON object of queries by key, each with ``query``, ``type``, ``limit`` and ``properties``;
  results by the same keys under ``result``.
1.0 draft: https://reconciliation-api.github.io/specs/draft/#match-service
  ``{"queries": [...]}`` with ``conditions``; ``{"results": [{"candidates": [...]}]}`` in order.
Malformed input raises ``InputError`` naming the query and field, so the edge answers 400.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sdgkg.errors import InputError, LimitExceeded
from sdgkg.reconcile.index import ReconcileIndex, Record
from sdgkg.reconcile.matching import Candidate, Condition, MatchType, Query, reconcile

MAX_BATCH = 5_000  # queries per batch; OpenRefine sends 10 at a time by default
MAX_LIMIT = 100  # candidates per query
DEFAULT_LIMIT = 10
_QUANTIFIERS = ("any", "all", "none")
_MATCH_TYPES = ("name", "id", "property")
_BROAD_TYPES = ("Partner", "Initiative")  # listed after the kind a record also has


def read_json(text: str, field: str) -> Any:
    """A form field's JSON, or an ``InputError`` saying where it does not parse."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{field} is not JSON: {error.msg}", where=f"{field}:{error.lineno}:{error.colno}"
        ) from error


def parse_v02_batch(raw: Any, index: ReconcileIndex) -> dict[str, Query]:
    """A 0.2 query batch: ``{"q0": {"query": ..., "type": ..., "properties": [...]}, ...}``."""
    if not isinstance(raw, dict):
        raise InputError("queries must be a JSON object of queries by key", where="queries")
    _check_size(len(raw))
    return {str(key): _v02_query(value, index, f"queries.{key}") for key, value in raw.items()}


def _v02_query(raw: Any, index: ReconcileIndex, where: str) -> Query:
    if not isinstance(raw, dict):
        raise InputError("a query must be a JSON object", where=where)
    conditions: list[Condition] = []
    text = raw.get("query")
    if text is not None:
        if not isinstance(text, str):
            raise InputError("query must be a string", where=f"{where}.query")
        if text.strip():
            conditions.append(Condition("name", (text,)))
    for position, item in enumerate(_list(raw.get("properties", []), f"{where}.properties")):
        at = f"{where}.properties[{position}]"
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise InputError("each property needs pid and v", where=at)
        pid = _property_id(item["pid"], index, f"{at}.pid")
        conditions.append(Condition("property", _values(item["v"], f"{at}.v"), pid))
    if not conditions:
        raise InputError("a query needs a non-empty query or properties", where=where)
    types = _types(raw.get("type"), index, f"{where}.type")
    return Query(types, tuple(conditions), _limit(raw.get("limit"), f"{where}.limit"))


def parse_v1_batch(raw: Any, index: ReconcileIndex) -> list[Query]:
    """A 1.0-draft query batch: ``{"queries": [{"type": ..., "conditions": [...]}]}``."""
    if not isinstance(raw, dict) or not isinstance(raw.get("queries"), list):
        raise InputError('the body must be {"queries": [...]}', where="queries")
    queries = cast(list[Any], raw["queries"])
    _check_size(len(queries))
    return [_v1_query(query, index, f"queries[{n}]") for n, query in enumerate(queries)]


def _v1_query(raw: Any, index: ReconcileIndex, where: str) -> Query:
    if not isinstance(raw, dict):
        raise InputError("a query must be a JSON object", where=where)
    conditions = _list(raw.get("conditions"), f"{where}.conditions")
    if not conditions:
        raise InputError("a query needs at least one condition", where=f"{where}.conditions")
    parsed = tuple(
        _v1_condition(item, index, f"{where}.conditions[{n}]") for n, item in enumerate(conditions)
    )
    types = _types(raw.get("type"), index, f"{where}.type")
    return Query(types, parsed, _limit(raw.get("limit"), f"{where}.limit"))


def _v1_condition(raw: Any, index: ReconcileIndex, where: str) -> Condition:
    if not isinstance(raw, dict) or raw.get("matchType") not in _MATCH_TYPES:
        raise InputError("matchType must be name, id or property", where=f"{where}.matchType")
    if "propertyValue" not in raw:
        raise InputError("a condition needs propertyValue", where=f"{where}.propertyValue")
    kind = cast(MatchType, raw["matchType"])
    quantifier = raw.get("matchQuantifier", "any")
    if quantifier not in _QUANTIFIERS:
        raise InputError("matchQuantifier must be any, all or none", where=where)
    pid = ""
    if kind == "property":
        pid = _property_id(raw.get("propertyId"), index, f"{where}.propertyId")
    values = _values(raw["propertyValue"], f"{where}.propertyValue")
    return Condition(kind, values, pid, bool(raw.get("required", False)), quantifier)


def _check_size(count: int) -> None:
    if count > MAX_BATCH:
        raise LimitExceeded(f"{count} queries in one batch; at most {MAX_BATCH}")


def _list(raw: Any, where: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError("must be a JSON array", where=where)
    return raw


def _types(raw: Any, index: ReconcileIndex, where: str) -> tuple[str, ...]:
    given = [raw] if isinstance(raw, str) else _list(raw, where)
    names = []
    for type_id in given:
        name = index.type_name(str(type_id))
        if name is None:
            raise InputError(
                f"unknown type {type_id!r}; /reconcile/suggest/type lists the types", where=where
            )
        names.append(name)
    return tuple(names)


def _property_id(raw: Any, index: ReconcileIndex, where: str) -> str:
    spec = index.property(str(raw)) if isinstance(raw, str) else None
    if spec is None:
        raise InputError(
            f"unknown property {raw!r}; /reconcile/suggest/property lists them", where=where
        )
    return spec.id


def _values(raw: Any, where: str) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else [raw]
    values = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            values.append(item["id"])
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            values.append(str(item))
        elif isinstance(item, bool):
            values.append("true" if item else "false")
        else:
            raise InputError('a value must be a string, number, boolean or {"id"}', where=where)
    return tuple(values)


def _limit(raw: Any, where: str) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not isinstance(raw, int | float) or isinstance(raw, bool) or raw < 1:
        raise InputError("limit must be a positive number", where=where)
    return min(int(raw), MAX_LIMIT)


def v02_results(index: ReconcileIndex, queries: Mapping[str, Query], lang: str) -> dict[str, Any]:
    return {
        key: {"result": [candidate_json(index, c, lang) for c in reconcile(index, query)]}
        for key, query in queries.items()
    }


def v1_results(index: ReconcileIndex, queries: Sequence[Query], lang: str) -> dict[str, Any]:
    results = [
        {"candidates": [candidate_json(index, c, lang, draft=True) for c in reconcile(index, q)]}
        for q in queries
    ]
    return {"results": results}


def candidate_json(
    index: ReconcileIndex, candidate: Candidate, lang: str, *, draft: bool = False
) -> dict[str, Any]:
    record = candidate.record
    features = [
        {"id": key, "value": value} | ({"name": _feature_name(key)} if draft else {})
        for key, value in candidate.features.items()
    ]
    answer: dict[str, Any] = {
        "id": record.iri,
        "name": record.name(lang),
        "score": candidate.score,
        "match": candidate.match,
        "type": types_json(index, record, lang),
        "features": features,
    }
    description = record_description(record, lang)
    if description:
        answer["description"] = description
    return answer


def types_json(index: ReconcileIndex, record: Record, lang: str) -> list[dict[str, str]]:
    """The record's most specific types first (a municipality before a partner)."""
    ordered = sorted(record.types, key=lambda name: (name in _BROAD_TYPES, name))
    return [{"id": index.type_iri(name), "name": index.type_label(name, lang)} for name in ordered]


def record_description(record: Record, lang: str) -> str:
    """The description, else the other language's name: what tells namesakes apart."""
    description = record.description(lang)
    if description:
        return description
    other = {value for value in record.labels.values() if value != record.name(lang)}
    return " / ".join(sorted(other))


def _feature_name(key: str) -> str:
    if key == "name":
        return "name similarity (0-100)"
    return "property " + key.split("_", 2)[-1] + " agrees (100), unknown (50), disagrees (0)"
