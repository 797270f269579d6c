"""Opens the store that the settings name: embedded on disk, or a remote SPARQL engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdgkg.store.base import GraphStore, QueryResult, StoreStats, store_stats

if TYPE_CHECKING:
    from sdgkg.config import Settings

__all__ = ["GraphStore", "QueryResult", "StoreStats", "open_store", "store_stats"]


def open_store(
    settings: Settings, *, read_only: bool = False, exclusive: bool = False
) -> GraphStore:
    """The store for ``settings.store``: a directory, or ``sparql+http(s)://…`` for a remote one.

    ``exclusive``: only the caller uses the store in this process (a CLI command, not a server).
    """
    if settings.store_is_remote:
        from sdgkg.store.remote import RemoteStore

        return RemoteStore.from_settings(settings)
    from sdgkg.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.store_path, read_only=read_only, exclusive=exclusive)
