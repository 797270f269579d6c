"""The service manifest, in the form each version of the protocol asks for.

0.2: https://reconciliation-api.github.io/specs/0.2/#service-manifest (OpenRefine 3.x reads it
at ``/reconcile``). 1.0 draft: https://reconciliation-api.github.io/specs/draft/#service-manifest
(at ``/reconcile/draft``; its routes ``/match``, ``/suggest/...``, ``/extend`` sit under it).
The two cannot share one document: 0.2 describes each suggest service as an object, the draft
as a boolean.
"""

from __future__ import annotations

from typing import Any

from sdgkg import __version__
from sdgkg.iris import ID_PATH, ontology_ns
from sdgkg.reconcile.catalogue import DEFAULT_TYPE_NAMES
from sdgkg.reconcile.index import ReconcileIndex
from sdgkg.reconcile.preview import PREVIEW_HEIGHT, PREVIEW_WIDTH

SERVICE_NAME = "sdgkg: Danish sustainability partnerships"


def manifest_v02(index: ReconcileIndex, root: str, lang: str) -> dict[str, Any]:
    """``root`` is the service's own URL, ending in ``/reconcile``."""
    suffix = f"&lang={lang}"
    return {
        **_common(index, lang),
        "versions": ["0.1", "0.2"],
        "view": {"url": "{{id}}"},
        "preview": {
            "url": f"{root}/preview?id={{{{id}}}}{suffix}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "suggest": {
            "entity": {
                "service_url": root,
                "service_path": "/suggest/entity",
                "flyout_service_url": root,
                "flyout_service_path": "/flyout/entity?id=${id}",
            },
            "type": {"service_url": root, "service_path": "/suggest/type"},
            "property": {"service_url": root, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": root, "service_path": "/extend/propose"},
            "property_settings": [],
        },
    }


def manifest_v1(index: ReconcileIndex, lang: str) -> dict[str, Any]:
    return {
        **_common(index, lang),
        "versions": ["1.0-draft"],
        "lang": lang,
        "view": {"url": "{id}"},
        "preview": {"width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT},
        "suggest": {"entity": True, "type": True, "property": True},
        "extend": {"proposeProperties": True, "propertySettings": []},
        "batchSize": 50,
    }


def _common(index: ReconcileIndex, lang: str) -> dict[str, Any]:
    return {
        "name": SERVICE_NAME,
        "identifierSpace": index.base_iri + ID_PATH,
        "schemaSpace": ontology_ns(index.base_iri),
        "serviceVersion": __version__,
        "defaultTypes": [
            {"id": index.type_iri(name), "name": index.type_label(name, lang)}
            for name in DEFAULT_TYPE_NAMES
        ],
    }
