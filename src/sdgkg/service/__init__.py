"""The HTTP service: SPARQL 1.1 Protocol, Linked Data pages, VoID and dumps."""

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
