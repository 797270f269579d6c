"""Fixtures for reconciliation: the label index over the bundle, the vendored JSON Schemas.

The apps and clients are the HTTP tests' own (``tests/service_fixtures.py``), over one read-only
store of the bundle per session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from sdgkg.reconcile import ReconcileIndex, build_index
from sdgkg.store.embedded import EmbeddedStore
from tests.service_fixtures import api_settings, api_store, app, client, make_client

__all__ = ["api_settings", "api_store", "app", "client", "make_client"]

SCHEMAS = Path(__file__).resolve().parent / "schemas"
VERSIONS = ("0.2", "1.0-draft")


def _registry() -> Registry[Any]:
    resources = []
    for path in sorted(SCHEMAS.glob("*/*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(document, default_specification=DRAFT7)
        resources.append((document["$id"], resource))
        resources.append((path.parent.name + "/" + path.name, resource))
    return Registry().with_resources(resources)  # type: ignore[arg-type]


REGISTRY = _registry()


def assert_valid(document: object, version: str, schema_name: str) -> None:
    """Fail with every schema error if ``document`` does not follow the named schema."""
    schema = json.loads((SCHEMAS / version / f"{schema_name}.json").read_text(encoding="utf-8"))
    validator = Draft7Validator(schema, registry=REGISTRY)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors, f"not a valid {version} {schema_name}: {errors}"


@pytest.fixture(scope="session")
def index(api_store: EmbeddedStore, api_settings: Any) -> ReconcileIndex:
    return build_index(api_store, api_settings.base_iri)
