"""Values derived from the data (VoID, dumps, search index, coverage) built off the request path.

Issue 18: no request pays for work a load can do. A ``BuiltInBackground`` keeps the last complete
value and serves it while the value for a newer data version is built on a background thread;
only the very first request of a process, with nothing built yet, waits (and ``refresh`` at
start-up and on every new data version makes even that rare). A build that fails keeps the old
value: the store is atomic per load, so the old value still describes what readers see, and the
next version (or the next request) tries again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from sdgkg.errors import NotReadyYet, StoreClosed
from sdgkg.execution.kept import KeptValue, kept_value
from sdgkg.protocol.conditional import STALE

log = logging.getLogger(__name__)

T = TypeVar("T")

_OLDER = -1  # the data version of a value read back from disk that an older stamp keyed


class Lane:
    """Builds one at a time, strictly in the order they asked (a plain Lock wakes its waiters in
    any order: VoID's counts, asked for first, came out after every table)."""

    def __init__(self) -> None:
        self._turns = threading.Condition()
        self._next_ticket = 0
        self._serving = 0
        self._passed: set[int] = set()  # tickets done or given up, out of turn

    def take(self) -> int:
        """A place in the queue, taken when a build is asked for."""
        with self._turns:
            ticket = self._next_ticket
            self._next_ticket += 1
            return ticket

    @contextmanager
    def turn(self, ticket: int) -> Iterator[None]:
        """Wait for ``ticket``'s turn, build, and let the next one go."""
        with self._turns:
            self._turns.wait_for(lambda: self._serving == ticket)
        try:
            yield
        finally:
            self._pass(ticket)

    def skip(self, ticket: int) -> None:
        """Give up ``ticket`` without waiting for its turn (a value read back from disk)."""
        self._pass(ticket)

    def _pass(self, ticket: int) -> None:
        with self._turns:
            self._passed.add(ticket)
            while self._serving in self._passed:
                self._passed.discard(self._serving)
                self._serving += 1
            self._turns.notify_all()


# On a small machine, five builds at once made every one of them (and the requests) wait; one by
# one, in the order asked, the quick ones are ready first.
QUICK_LANE = Lane()
# Builds that take minutes at size (the dumps) go one at a time in a lane of their own, so that
# VoID's counts, the search index and the tables never queue behind them (issue 18).
SLOW_LANE = Lane()


class BuildStats:
    """How a value's builds went, for the operator (``/metrics``): counts and the last duration,
    and how often it was read back from disk instead (``restored``: current, ``restored_stale``:
    an older version's, served while the current one builds)."""

    def __init__(self) -> None:
        self.succeeded = 0
        self.failed = 0
        self.restored = 0
        self.restored_stale = 0
        self.kept: bool | None = None  # whether the last build was kept on disk; None: not tried
        self.running = False
        self.last_duration_s: float | None = None

    @contextmanager
    def timed(self) -> Iterator[None]:
        started, self.running = time.monotonic(), True
        try:
            yield
        except BaseException:
            self.failed += 1
            raise
        else:
            self.succeeded += 1
        finally:
            self.running = False
            self.last_duration_s = time.monotonic() - started


class BuiltInBackground(Generic[T]):
    """One value per data version; the last complete one is served until the next is ready."""

    def __init__(
        self,
        build: Callable[[], T],
        *,
        name: str,
        retire: Callable[[T], None] | None = None,
        lane: Lane = QUICK_LANE,
        update: Callable[[T], T] | None = None,
        kept: KeptValue[T] | None = None,
        first_wait_s: float | None = None,
        restored: Callable[[T], None] | None = None,
    ) -> None:
        """``update``, if given, makes the next value from the last one (say, for the part of the
        data that changed) instead of ``build`` making it from nothing. ``kept``: where the value
        is kept on disk under the store's data stamp, read back on the first build (a restart)
        and written after each. ``first_wait_s``: how long ``get`` waits when nothing was ever
        built, then raises ``NotReadyYet``; None waits for it. ``restored`` is told of a kept
        value read back as current (so that ``update`` may follow it)."""
        self._restored = restored
        self._build = build
        self._update = update
        self._lane = lane
        self._kept = kept
        # The kept value is read once, on the first build; until then ``get`` waits for it.
        self._unread = kept is not None
        self._first_wait_s = first_wait_s
        self._retire = retire  # called with a value once a newer one has replaced it
        self.name = name
        self._ready = threading.Condition()
        self._version: int | None = None
        self._value: T | None = None
        self._wanted = -1
        self._building = False
        self._error: BaseException | None = None
        self.stats = BuildStats()

    def get(self, version: int) -> T:
        """The value for ``version`` if built, else the last one while ``version``'s is built;
        waits only when nothing has been built yet."""
        with self._ready:
            if self._value is not None:
                if self._version != version:
                    self._start(version)
                return self._value
            self._start(version)
            deadline = None if self._first_wait_s is None else time.monotonic() + self._first_wait_s
            while self._value is None and self._building:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    if not self._unread:  # reading back a kept value takes seconds: wait for it
                        raise NotReadyYet(f"the {self.name} is being built for the first time")
                    left = 0.05
                self._ready.wait(left)
            if self._value is None:
                error, self._error = self._error, None
                assert error is not None
                raise error
            return self._value

    def latest(self, version: int) -> T | None:
        """Like ``get`` but never waits: None while nothing is built yet, for callers that can
        do without (more slowly)."""
        with self._ready:
            if self._version != version:
                self._start(version)
            return self._value

    def refresh(self, version: int) -> None:
        """Start building ``version``'s value unless it is built or being built."""
        with self._ready:
            if self._version != version:
                self._start(version)

    def wait(self, version: int, timeout_s: float = 60.0) -> T:
        """The value for ``version`` or later, waiting for it: for tests and the CLI."""
        with self._ready:
            self._start(version)
            if not self._ready.wait_for(
                lambda: (
                    not self._building
                    and (
                        self._error is not None
                        or (self._version is not None and self._version >= version)
                    )
                ),
                timeout_s,
            ):
                raise TimeoutError(f"{self.name}: version {version} not built in {timeout_s} s")
            if self._value is None or self._version is None or self._version < version:
                error, self._error = self._error, None
                raise error or RuntimeError(f"{self.name}: version {version} not built")
            return self._value

    def _read_kept(self) -> bool:
        """Read the value kept on disk, if any: True if it is current (nothing to build); an
        older version's is served meanwhile, marked stale, while the current one builds."""
        assert self._kept is not None
        try:
            kept = self._kept.load()
        except Exception:  # reading back is an optimisation: build instead
            log.exception("reading back %s failed", self.name)
            kept = None
        with self._ready:  # a write that began since sets the stamp to None: not current
            self._unread = False
            if kept is None:
                self._ready.notify_all()
                return False
            version, done = self._wanted, kept.stamp == self._kept.stamp
            self._value = kept.value
            self._version = version if done else _OLDER
            if done:
                self.stats.restored += 1
                self._building = False
                if self._restored is not None:
                    self._restored(kept.value)
            else:
                self.stats.restored_stale += 1
            self._ready.notify_all()
        return done

    @property
    def version(self) -> int | None:
        """The data version of the value served now."""
        return self._version

    def _start(self, version: int) -> None:
        self._wanted = max(self._wanted, version)
        if self._building or self._version == self._wanted:
            return
        self._building = True
        ticket = self._lane.take()
        threading.Thread(
            target=self._run, args=(ticket,), name=f"build-{self.name}", daemon=True
        ).start()

    def _run(self, ticket: int) -> None:
        if self._unread and self._read_kept():
            self._lane.skip(ticket)
            return
        while True:
            with self._ready:
                version, last = self._wanted, self._value
            try:
                with self._lane.turn(ticket), self.stats.timed():
                    stamp = self._kept.stamp if self._kept is not None else None
                    update = self._update
                    value = self._build() if update is None or last is None else update(last)
                if self._kept is not None and stamp is not None:
                    # skipped if the data changed meanwhile or the value does not pickle
                    self.stats.kept = self._kept.save(stamp, value)
            except Exception as error:  # the old value stays; the next request tries again
                if isinstance(error, StoreClosed):  # the server is stopping: nothing went wrong
                    log.info("stopped building %s: the store closed", self.name)
                else:
                    log.exception("building %s for data version %s failed", self.name, version)
                with self._ready:
                    self._error = error
                    self._building = False
                    self._ready.notify_all()
                return
            with self._ready:
                old, self._value, self._version = self._value, value, version
                self._error = None
                done = self._wanted == version
                if done:
                    self._building = False
                self._ready.notify_all()
            if old is not None and old is not value and self._retire is not None:
                self._retire(old)
            if done:
                return
            ticket = self._lane.take()  # a newer version was asked for meanwhile: queue again


def derived_value(
    build: Callable[[], T],
    *,
    name: str,
    store: object,
    first_wait_s: float | None,
    retire: Callable[[T], None] | None = None,
    lane: Lane = QUICK_LANE,
    usable: Callable[[T], bool] | None = None,
    update: Callable[[T], T] | None = None,
    restored: Callable[[T], None] | None = None,
) -> BuiltInBackground[T]:
    """A ``BuiltInBackground`` kept on disk beside ``store`` when it is a writable embedded one
    (``execution/kept.py``): a restart serves it at once; elsewhere it lives in memory only."""
    return BuiltInBackground(
        build,
        name=name,
        retire=retire,
        lane=lane,
        kept=kept_value(store, name, usable),
        first_wait_s=first_wait_s,
        update=update,
        restored=restored,
    )


def served(cache: BuiltInBackground[T], scope: MutableMapping[str, Any], version: int) -> T:
    """``cache``'s value for a request at data ``version``; marks the request's scope when the
    value is an older version's, so that it is not validated as the current one."""
    value = cache.get(version)
    if cache.version != version:
        scope[STALE] = True
    return value
