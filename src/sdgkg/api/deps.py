"""What handlers may ask for: the service state, its settings and its store, declared once.

Tests swap any of them through ``app.dependency_overrides``; nothing here is built at import.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from sdgkg.api.runner import QueryRunner
from sdgkg.config import Settings
from sdgkg.store.base import GraphStore


@dataclass
class ServiceState:
    """Everything one running service shares between requests."""

    settings: Settings
    store: GraphStore
    runner: QueryRunner
    data_version: int = 0  # bumped by every update: dumps and VoID are rebuilt for a new version
    modified: datetime = field(default_factory=lambda: datetime.now(UTC))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def data_changed(self) -> None:
        with self._lock:
            self.data_version += 1
            self.modified = datetime.now(UTC)


def public_root(settings: Settings, scheme: str, host: str | None) -> str:
    """The URL the service is reached at, with a trailing slash.

    ``SDGKG_PUBLIC_URL`` when set; otherwise the request's own scheme and Host, so the Service
    Description names the very endpoint the client called.
    """
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/"
    return f"{scheme}://{host or f'{settings.host}:{settings.port}'}/"


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
