"""The HTTP service: the app factory, the ASGI front ``sdgkg serve`` runs, and the ``/sparql``
endpoint that wires protocol, execution and publishing. The only part that knows all the others
(docs/architecture.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sdgkg.service.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from sdgkg.service.app import create_app

        return create_app
    raise AttributeError(name)
