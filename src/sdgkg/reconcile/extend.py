"""Data extension: fetch columns such as a partner's municipality or a target's goal.

0.2: https://reconciliation-api.github.io/specs/0.2/#data-extension-service (rows by id)
1.0 draft: https://reconciliation-api.github.io/specs/draft/#data-extension-service (rows in order)
Values come from the label index, so an extension costs no query and sees the same data as
matching did.
"""

from __future__ import annotations

from typing import Any

from sdgkg.errors import InputError, LimitExceeded
from sdgkg.reconcile.catalogue import PropertySpec
from sdgkg.reconcile.index import ReconcileIndex
from sdgkg.reconcile.suggest import applicable_properties

MAX_IDS = 5_000


def propose_properties(
    index: ReconcileIndex, type_id: str, lang: str, *, limit: int | None
) -> dict[str, Any]:
    """The properties worth fetching for records of ``type_id``."""
    type_name = index.type_name(type_id)
    if type_name is None:
        raise InputError(f"unknown type {type_id!r}", where="type")
    specs = applicable_properties(index, type_name)[:limit]
    answer: dict[str, Any] = {
        "type": type_id,
        "properties": [{"id": s.id, "name": _name(s, lang)} for s in specs],
    }
    if limit is not None:
        answer["limit"] = limit
    return answer


def read_extension_query(raw: Any, index: ReconcileIndex) -> tuple[list[str], list[PropertySpec]]:
    """The ids and properties of an extension query, checked."""
    if not isinstance(raw, dict):
        raise InputError("extend must be a JSON object with ids and properties", where="extend")
    ids, properties = raw.get("ids"), raw.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InputError("ids must be an array of strings", where="extend.ids")
    if len(ids) > MAX_IDS:
        raise LimitExceeded(f"{len(ids)} ids in one extension; at most {MAX_IDS}")
    if not isinstance(properties, list) or not properties:
        raise InputError("properties must be a non-empty array", where="extend.properties")
    specs = []
    for position, item in enumerate(properties):
        pid = item.get("id") if isinstance(item, dict) else None
        spec = index.property(pid) if isinstance(pid, str) else None
        if spec is None:
            raise InputError(f"unknown property {pid!r}", where=f"extend.properties[{position}]")
        specs.append(spec)
    return ids, specs


def extension_v02(index: ReconcileIndex, raw: Any, lang: str) -> dict[str, Any]:
    ids, specs = read_extension_query(raw, index)
    rows = {iri: {s.id: _values(index, iri, s, lang) for s in specs} for iri in ids}
    return {"meta": _meta(index, specs, lang), "rows": rows}


def extension_v1(index: ReconcileIndex, raw: Any, lang: str) -> dict[str, Any]:
    ids, specs = read_extension_query(raw, index)
    rows = [
        {
            "id": iri,
            "properties": [{"id": s.id, "values": _values(index, iri, s, lang)} for s in specs],
        }
        for iri in ids
    ]
    return {"meta": _meta(index, specs, lang), "rows": rows}


def _meta(index: ReconcileIndex, specs: list[PropertySpec], lang: str) -> list[dict[str, Any]]:
    meta = []
    for spec in specs:
        column: dict[str, Any] = {"id": spec.id, "name": _name(spec, lang)}
        if spec.entity and spec.value_type is not None:
            column["type"] = {
                "id": index.type_iri(spec.value_type),
                "name": index.type_label(spec.value_type, lang),
            }
        meta.append(column)
    return meta


def _values(index: ReconcileIndex, iri: str, spec: PropertySpec, lang: str) -> list[dict[str, Any]]:
    record = index.records.get(iri)
    if record is None:
        return []
    values = record.values.get(spec.id, [])
    if not spec.entity:
        return [{"str": value} for value in values]
    found = []
    for value in values:
        target = index.records.get(value)
        found.append({"id": value, "name": target.name(lang) if target else value})
    return found


def _name(spec: PropertySpec, lang: str) -> str:
    return spec.names.get(lang, spec.names["en"])
