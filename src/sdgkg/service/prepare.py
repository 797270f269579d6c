"""``sdgkg prepare``: build every value the service derives from the data, and keep it beside the
store, so that the first ``sdgkg serve`` after a load answers every page at once (issue 18).

It builds them exactly as the service does, by making the service's app over the store and
waiting for its background builds; a value already kept under the store's current data stamp is
read back, not built again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sdgkg.config import Settings
from sdgkg.errors import ConfigError
from sdgkg.execution.background import BuiltInBackground
from sdgkg.store.base import GraphStore

BUILD_LIMIT_S = 24 * 3600.0  # a build that takes longer has hung


@dataclass(frozen=True)
class Prepared:
    name: str
    seconds: float
    built: bool  # False: read back from beside the store
    kept: bool  # on disk for the next start; False: it does not pickle (served from memory)


def prepare_derived(
    settings: Settings, store: GraphStore, on_done: Callable[[Prepared], None] | None = None
) -> list[Prepared]:
    """Build (or read back) each derived value of ``store``, in the order the service would."""
    if getattr(store, "stamp", None) is None:
        raise ConfigError(
            "only a writable embedded store keeps derived values; a server over a remote engine "
            "builds them in the background after it starts",
            where=settings.store,
        )
    from sdgkg.reconcile.check_page import known_cache
    from sdgkg.reconcile.routes import index_cache
    from sdgkg.service.app import create_app

    app = create_app(settings, store=store)
    state = app.state.sdgkg
    version = state.data_version
    values: list[BuiltInBackground[Any]] = [
        *app.state.harvest.derived_values(),
        *app.state.web.derived_values(),
        index_cache(app.state, state),  # made on the first /reconcile or /check otherwise
        known_cache(app.state, state),
    ]
    prepared = []
    for value in values:
        started = time.monotonic()
        value.wait(version, timeout_s=BUILD_LIMIT_S)
        built = value.stats.succeeded > 0
        # builds run beside each other: a build's own time, not how long this one was waited for
        took = value.stats.last_duration_s if built else None
        seconds = took if took is not None else time.monotonic() - started
        done = Prepared(value.name, seconds, built, bool(value.stats.kept) or not built)
        prepared.append(done)
        if on_done is not None:
            on_done(done)
    return prepared
