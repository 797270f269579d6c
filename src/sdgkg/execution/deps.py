"""What handlers may ask for: the service state, its settings and its store, declared once.

Tests swap any of them through ``app.dependency_overrides``; nothing here is built at import.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from sdgkg.config import Settings
from sdgkg.execution.state import ServiceState, public_root
from sdgkg.store.base import GraphStore

__all__ = [
    "PublicRootDep",
    "ServiceState",
    "SettingsDep",
    "StateDep",
    "StoreDep",
    "public_root",
]


def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.sdgkg
    return state


def get_settings(state: Annotated[ServiceState, Depends(get_state)]) -> Settings:
    return state.settings


def get_store(state: Annotated[ServiceState, Depends(get_state)]) -> GraphStore:
    return state.store


def get_public_root(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> str:
    return public_root(settings, request.url.scheme, request.headers.get("host"))


StateDep = Annotated[ServiceState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
PublicRootDep = Annotated[str, Depends(get_public_root)]
