"""`load --replace` of a big graph: the store is rebuilt beside the live one, then swapped in.

Issue 18.

Real stores on disk, the real CLI in subprocesses, the real service in process. Each test holds one
promise: readers see the old graph or the new one; a failed replace changes nothing, byte for byte;
a killed one leaves the old store or the new one, whole, and no leftover directory.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat

from sdgkg.config import Settings
from sdgkg.errors import StoreError
from sdgkg.load import graph_for_file, load_files
from sdgkg.store import store_swap
from sdgkg.store.embedded import EmbeddedStore
from tests.data import write_synthetic
from tests.reliability.conftest import SDGKG, sdgkg
from tests.service_fixtures import TestClient

pytestmark = pytest.mark.slow

OLD_TRIPLES, NEW_TRIPLES = 119_961, 89_984  # what synthetic_data writes for 120k and 90k
BULK = {"SDGKG_BULK_THRESHOLD_BYTES": "1024"}


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two versions of one file (same name, so the same graph), of different sizes and seeds."""
    folder = tmp_path_factory.mktemp("versions")
    old, new = folder / "a" / "members.nt", folder / "b" / "members.nt"
    assert write_synthetic(old, 120_000, seed=3) == OLD_TRIPLES
    assert write_synthetic(new, 90_000, seed=4) == NEW_TRIPLES
    return old, new


@pytest.fixture
def loaded(store_path: Path, versions: tuple[Path, Path]) -> Path:
    """The bundle and the old version, loaded by the CLI."""
    done = sdgkg(store_path, "load", str(versions[0]), env=BULK)
    assert done.returncode == 0, done.stderr.decode()
    return store_path


def graph_of(path: Path) -> str:
    return graph_for_file(path, Settings().base_iri)


def graph_count(store: EmbeddedStore, graph: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))[0].value)  # type: ignore[index, arg-type, union-attr]


def sorted_dump(store_path: Path) -> list[bytes]:
    store = EmbeddedStore(store_path, read_only=True)
    try:
        out = io.BytesIO()
        store.dump(out, RdfFormat.N_QUADS)
    finally:
        store.close()
    return sorted(out.getvalue().splitlines())


def leftovers(store_path: Path) -> list[Path]:
    return [
        p
        for p in (store_swap.next_location(store_path), store_swap.old_location(store_path))
        if p.exists()
    ]


def identity(path: Path) -> int:
    return path.stat().st_ino


# -- readers ----------------------------------------------------------------------------------


def test_readers_through_the_service_see_the_old_graph_or_the_new(
    loaded: Path, versions: tuple[Path, Path]
) -> None:
    """The server's own path (``PUT /store`` calls the same store method): the store is rebuilt
    beside the live one and swapped in while the service answers COUNTs of the graph."""
    from sdgkg.service.app import create_app

    settings = Settings(store=str(loaded), bulk_threshold_bytes=1024)
    graph = graph_of(versions[0])
    others_before = [q for q in sorted_dump(loaded) if graph.encode() not in q]
    directory = identity(loaded)
    store = EmbeddedStore(loaded)
    counts: list[int] = []
    try:
        with TestClient(create_app(settings, store=store)) as client:
            writes_before = store.writes
            loader = threading.Thread(
                target=load_files, args=(store, [versions[1]], settings), kwargs={"replace": True}
            )
            loader.start()
            while loader.is_alive():
                counts.append(_count(client, graph))
            loader.join()
            after = _count(client, graph)
            assert store.writes > writes_before  # caches key on it: VoID, search... rebuild
    finally:
        store.close()
    assert after == NEW_TRIPLES
    assert set(counts) <= {OLD_TRIPLES, NEW_TRIPLES}, sorted(set(counts))
    assert counts.count(OLD_TRIPLES) >= 5, "too few queries ran during the replace"
    assert identity(loaded) != directory, "the store was not rebuilt"
    _wait_for(lambda: not leftovers(loaded))
    # Every other graph came over exactly, blank nodes and all.
    assert [q for q in sorted_dump(loaded) if graph.encode() not in q] == others_before


def test_a_backup_asked_for_at_the_swap_waits_for_it_then_holds_the_new_graph(
    loaded: Path, versions: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backup (``POST /admin/backup`` calls the same function) asked for while a replace swaps
    the rebuilt store in. RocksDB's checkpoint links the files of the directory the swap renames,
    so a backup must not run under the swap: it waits for the replace, then holds the new graph."""
    from sdgkg.backup import backup_store

    settings = Settings(store=str(loaded), bulk_threshold_bytes=1024)
    graph = graph_of(versions[0])
    store = EmbeddedStore(loaded)
    found: list[int | BaseException] = []
    ran_under_the_swap: list[bool] = []

    def back_up() -> None:
        try:
            found.append(backup_store(store, tmp_path / "backup").graphs[graph])
        except BaseException as error:  # the test reports it
            found.append(error)

    real_swap_in = store_swap.swap_in

    def swap_in_under_a_backup(path: Path) -> None:
        backup = threading.Thread(target=back_up)
        backup.start()
        backup.join(timeout=1.0)  # a backup of this store takes tens of milliseconds
        ran_under_the_swap.append(not backup.is_alive())
        real_swap_in(path)

    monkeypatch.setattr(store_swap, "swap_in", swap_in_under_a_backup)
    try:
        load_files(store, [versions[1]], settings, replace=True)
        deadline = time.monotonic() + 60
        while not found and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        store.close()
    assert ran_under_the_swap == [False]
    assert found == [NEW_TRIPLES]


def _count(client: TestClient, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    answer = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert answer.status_code == 200, answer.text
    return int(answer.text.split()[1])


def test_a_result_still_being_read_keeps_the_old_data_and_the_swap_waits_for_it(
    loaded: Path, versions: tuple[Path, Path]
) -> None:
    """RocksDB may not move under a handle still open: the swap waits until the last result on
    the old store is dropped; that result reads the old data to its end, meanwhile new queries
    read the new store."""
    settings = Settings(store=str(loaded), bulk_threshold_bytes=1024)
    graph = graph_of(versions[0])
    store = EmbeddedStore(loaded)
    try:
        rows = iter(store.query(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
        read = 1 if next(rows) else 0
        loader = threading.Thread(
            target=load_files, args=(store, [versions[1]], settings), kwargs={"replace": True}
        )
        loader.start()
        _wait_for(lambda: graph_count(store, graph) == NEW_TRIPLES)  # served from the new store
        time.sleep(1.0)
        assert loader.is_alive(), "the swap did not wait for the result still open"
        assert (store_swap.next_location(loaded) / store_swap.COMPLETE).exists()  # not swapped
        read += sum(1 for _ in rows)
        del rows
        loader.join(timeout=120)
        assert not loader.is_alive()
        assert read == OLD_TRIPLES
        assert graph_count(store, graph) == NEW_TRIPLES
        store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:s> <urn:x:p> <urn:x:o> }} }}")
        assert graph_count(store, graph) == NEW_TRIPLES + 1  # the new handle takes writes
    finally:
        store.close()


def test_a_cli_replace_is_seen_old_or_new_by_reads_beside_it(
    loaded: Path, versions: tuple[Path, Path]
) -> None:
    """`sdgkg load --replace` with no server: read-only handles opened and closed beside it, as a
    CLI read does, see the old graph or the new one, and never fail."""
    graph = graph_of(versions[0])
    counts: list[int] = []
    errors: list[str] = []
    process = subprocess.Popen(
        [*SDGKG, "--store", str(loaded), "load", "--replace", str(versions[1])],
        env={**os.environ, **BULK},
        stderr=subprocess.PIPE,
    )
    while process.poll() is None:
        try:
            reader = EmbeddedStore(loaded, read_only=True)
            try:
                counts.append(graph_count(reader, graph))
            finally:
                reader.close()
        except Exception as error:  # every failure counts against the test
            errors.append(repr(error))
    _, stderr = process.communicate()
    assert process.returncode == 0, stderr.decode()
    assert not errors, errors[:3]
    assert set(counts) <= {OLD_TRIPLES, NEW_TRIPLES}, sorted(set(counts))
    assert counts.count(OLD_TRIPLES) >= 3, "too few reads ran during the replace"
    assert not leftovers(loaded)


# -- failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("problem", ["syntax", "reference"])
def test_a_failed_replace_leaves_the_store_exactly_as_it_was(
    loaded: Path, versions: tuple[Path, Path], tmp_path: Path, problem: str
) -> None:
    broken = tmp_path / "b" / "members.nt"  # same name: the same graph
    broken.parent.mkdir()
    shutil.copy(versions[1], broken)
    last_line = NEW_TRIPLES + 1
    with broken.open("a", encoding="utf-8") as file:
        if problem == "syntax":
            file.write('<https://w3id.org/sdgkg/id/partner/x> <urn:p> "unterminated .\n')
        else:
            file.write(
                "<https://w3id.org/sdgkg/id/partnership/synthetic-partnership-0> "
                "<https://w3id.org/sdgkg/ontology#statedSDG> "
                "<https://w3id.org/sdgkg/id/goal/99> .\n"
            )
    before = sorted_dump(loaded)
    done = sdgkg(loaded, "load", "--replace", str(broken), env=BULK)
    message = done.stderr.decode()
    assert done.returncode != 0
    assert "Traceback" not in message
    assert str(broken) in message
    if problem == "syntax":
        assert f"{broken}:{last_line}" in message, message
    else:
        assert "goal/99" in message, message
    assert sorted_dump(loaded) == before
    assert not leftovers(loaded)


# -- file systems -----------------------------------------------------------------------------


def _refuse_exchange(monkeypatch: pytest.MonkeyPatch, code: int) -> list[int]:
    """Make ``renameat2(RENAME_EXCHANGE)`` fail with ``code``, as a file system that lacks it
    (EINVAL, on some network and FUSE file systems) or forbids it (EACCES) answers; the codes it
    answered, one per call."""
    calls: list[int] = []

    def refuse(first: Path, second: Path) -> None:
        calls.append(code)
        raise OSError(code, os.strerror(code), str(first))

    monkeypatch.setattr(store_swap, "_exchange", refuse)
    return calls


@pytest.mark.parametrize("exclusive", [True, False], ids=["cli", "server"])
def test_without_rename_exchange_the_swap_is_two_renames_with_the_same_result(
    loaded: Path, versions: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, exclusive: bool
) -> None:
    refused = _refuse_exchange(monkeypatch, errno.EINVAL)
    settings = Settings(store=str(loaded), bulk_threshold_bytes=1024)
    graph = graph_of(versions[0])
    store = EmbeddedStore(loaded, exclusive=exclusive)
    try:
        load_files(store, [versions[1]], settings, replace=True)
        assert graph_count(store, graph) == NEW_TRIPLES
        store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:s> <urn:x:p> <urn:x:o> }} }}")
        assert graph_count(store, graph) == NEW_TRIPLES + 1
    finally:
        store.close()
    assert refused == [errno.EINVAL]
    _wait_for(lambda: not leftovers(loaded))  # the server's old store goes in the background
    reopened = EmbeddedStore(loaded, read_only=True)
    try:
        assert graph_count(reopened, graph) == NEW_TRIPLES + 1
    finally:
        reopened.close()


@pytest.mark.parametrize("refused", ["exchange", "second-rename"])
@pytest.mark.parametrize("exclusive", [True, False], ids=["cli", "server"])
def test_a_swap_the_file_system_refuses_leaves_the_store_as_it_was(
    loaded: Path,
    versions: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    exclusive: bool,
    refused: str,
) -> None:
    """The replace fails with a message that says so; the store keeps the old graph, byte for
    byte, takes writes again at once (a server's too: not left on the rebuilt store's read-only
    handle), and no rebuilt store is left beside it."""
    before = sorted_dump(loaded)
    if refused == "exchange":
        _refuse_exchange(monkeypatch, errno.EACCES)
    else:  # no RENAME_EXCHANGE, and the rename that puts the rebuilt store in place fails
        _refuse_exchange(monkeypatch, errno.EINVAL)
        real_rename, built = os.rename, store_swap.next_location(loaded)

        def rename(source: object, target: object) -> None:
            if Path(str(source)) == built:
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(source))
            real_rename(source, target)  # type: ignore[arg-type]

        monkeypatch.setattr(store_swap.os, "rename", rename)
    settings = Settings(store=str(loaded), bulk_threshold_bytes=1024)
    graph = graph_of(versions[0])
    store = EmbeddedStore(loaded, exclusive=exclusive)
    try:
        with pytest.raises(StoreError, match="the store is unchanged") as raised:
            load_files(store, [versions[1]], settings, replace=True)
        assert str(loaded) in str(raised.value)
        assert graph_count(store, graph) == OLD_TRIPLES
        store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:s> <urn:x:p> <urn:x:o> }} }}")
        store.update(f"DELETE DATA {{ GRAPH <{graph}> {{ <urn:x:s> <urn:x:p> <urn:x:o> }} }}")
    finally:
        store.close()
    monkeypatch.undo()
    assert not leftovers(loaded)
    assert sorted_dump(loaded) == before


# -- kills ------------------------------------------------------------------------------------


def _replace_then_kill(store: Path, new: Path, moment: str) -> bool:
    """Start `sdgkg load --replace`, SIGKILL it at ``moment``, seen on disk: ``build`` once the
    new store's directory exists, ``swap`` once it is marked complete (the moment before the
    swap), ``swapped`` once the old store was moved aside. True if it still ran then."""
    process = subprocess.Popen(
        [*SDGKG, "--store", str(store), "load", "--replace", str(new)],
        env={**os.environ, **BULK},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    built = store_swap.next_location(store)
    sign = {
        "build": built,
        "swap": built / store_swap.COMPLETE,
        "swapped": store_swap.old_location(store),
    }[moment]
    deadline = time.monotonic() + 300
    while not sign.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return running


@pytest.mark.parametrize("moment", ["build", "swap", "swapped"], ids=lambda m: f"kill-at-{m}")
def test_a_killed_replace_leaves_the_old_store_or_the_new_whole(
    loaded: Path, versions: tuple[Path, Path], moment: str
) -> None:
    graph = graph_of(versions[0])
    before = sorted_dump(loaded)
    running = _replace_then_kill(loaded, versions[1], moment)
    assert running, "the replace had finished before the kill: the case proves nothing"
    store = EmbeddedStore(loaded)  # the next open, for writing: recovers and cleans
    try:
        count = graph_count(store, graph)
    finally:
        store.close()
    assert count in (OLD_TRIPLES, NEW_TRIPLES)
    # Before the swap the old store stays; once the old one is aside, the new one is in place.
    expected = {"build": OLD_TRIPLES, "swapped": NEW_TRIPLES}.get(moment, count)
    assert count == expected
    if count == OLD_TRIPLES:
        assert sorted_dump(loaded) == before
    assert not leftovers(loaded)
    # Whatever survived, the replace run again completes.
    assert sdgkg(loaded, "load", "--replace", str(versions[1]), env=BULK).returncode == 0
    store = EmbeddedStore(loaded, read_only=True)
    try:
        assert graph_count(store, graph) == NEW_TRIPLES
    finally:
        store.close()


# -- the recovery rule, state by state ---------------------------------------------------------


@pytest.fixture
def two_stores(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """An old store and a new one, each with one triple that says which it is."""
    made = []
    for name in ("old", "new"):
        path = tmp_path / f"made-{name}"
        store = EmbeddedStore(path)
        store.oxigraph.add(
            Quad(NamedNode("urn:x:store"), NamedNode("urn:x:is"), NamedNode(f"urn:x:{name}"))
        )
        store.close()
        made.append(path)
    yield made[0], made[1]


def _which(path: Path) -> str:
    store = EmbeddedStore(path)
    try:
        quads = list(store.oxigraph.quads_for_pattern(NamedNode("urn:x:store"), None, None))
    finally:
        store.close()
    assert len(quads) == 1
    return str(quads[0].object.value).rsplit(":", 1)[1]


# What each directory holds when the crash strikes: (store, store.next, store.old, marked
# complete), and which store the next open must find.
CRASH_STATES = {
    "build unfinished": (("old", "new", None, None), "old"),
    "build complete, not swapped": (("old", "new", None, "next"), "old"),
    "swapped, old not yet moved aside": (("new", "old", None, "store"), "new"),
    "swapped, old aside": (("new", None, "old", None), "new"),
    "fallback: old aside, new not in place": ((None, "new", "old", "next"), "new"),
    "fallback: old aside, build unfinished": ((None, "new", "old", None), "old"),
}


@pytest.mark.parametrize("state", list(CRASH_STATES))
def test_every_state_a_crash_can_leave_opens_as_one_whole_store(
    tmp_path: Path, two_stores: tuple[Path, Path], state: str
) -> None:
    made = dict(zip(("old", "new"), two_stores, strict=True))
    store = tmp_path / "store"
    places = {
        "store": store,
        "next": store_swap.next_location(store),
        "old": store_swap.old_location(store),
    }
    (in_store, in_next, in_old, marked), survivor = CRASH_STATES[state]
    for place, content in zip(places, (in_store, in_next, in_old), strict=True):
        if content is not None:
            shutil.copytree(made[content], places[place])
    if marked is not None:
        store_swap.mark_complete(places[marked])
    assert _which(store) == survivor
    assert not leftovers(store)
    assert not (store / store_swap.COMPLETE).exists()


def _wait_for(condition: object, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)
    assert condition(), "timed out"  # type: ignore[operator]
