"""The data stamp and the derived values kept under it (issue 18: a restart serves what a load
built, and never trusts a value after a write it did not see), on real on-disk stores."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple

from sdgkg.backup import backup_store, restore_store
from sdgkg.errors import NotReadyYet
from sdgkg.execution.background import BuiltInBackground
from sdgkg.execution.kept import KeptValue, kept_value
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.store.stamp import STAMP_FILE, derived_folder
from tests.service_fixtures import TestClient

INSERT = "INSERT DATA {{ GRAPH <urn:g> {{ <urn:a> <urn:p> {n} }} }}"


def on_disk(store_path: Path) -> str:
    stamp: str = json.loads((derived_folder(store_path) / STAMP_FILE).read_text())["stamp"]
    return stamp


def nt_file(tmp_path: Path, name: str, triples: int) -> Path:
    path = tmp_path / name
    path.write_text("".join(f'<urn:s{i}> <urn:p> "{i}" .\n' for i in range(triples)))
    return path


def test_the_stamp_moves_with_every_write_and_not_with_reads(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    assert store.stamp is not None
    seen = [store.stamp.current]
    store.update(INSERT.format(n=1))
    seen.append(store.stamp.current)
    store.replace_graphs({"urn:h": [Triple(NamedNode("urn:a"), NamedNode("urn:p"), Literal("x"))]})
    seen.append(store.stamp.current)
    store.bulk_load_graph(
        "urn:bulk", nt_file(tmp_path, "a.nt", 10), RdfFormat.N_TRIPLES, check=lambda s, g: None,
        replace=False,
    )  # fmt: skip
    seen.append(store.stamp.current)
    assert None not in seen and len(set(seen)) == len(seen)  # four states, four stamps
    store.query("SELECT * WHERE { ?s ?p ?o }")
    store.graph_names()
    backup_store(store, tmp_path / "backup")
    assert store.stamp.current == seen[-1]  # reads and a backup change nothing
    store.close()
    assert on_disk(path) == seen[-1]  # written once the store flushed
    EmbeddedStore(path, read_only=True).close()
    reopened = EmbeddedStore(path)
    assert reopened.stamp is not None and reopened.stamp.current == seen[-1]
    reopened.close()


def test_a_restore_gives_a_new_stamp(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    store.update(INSERT.format(n=1))
    backup_store(store, tmp_path / "backup")
    store.close()
    before = on_disk(path)
    restore_store(tmp_path / "backup", path)
    after = EmbeddedStore(path)
    assert after.stamp is not None and after.stamp.current not in (None, before)
    after.close()


def test_a_stamp_left_dirty_by_a_killed_load_makes_kept_values_stale(tmp_path: Path) -> None:
    """kill -9 in the middle of a bulk load (after the triples went in, before the load ended):
    the stamp on disk says dirty, so what was kept before is served stale and built again."""
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    store.update(INSERT.format(n=1))
    kept: KeptValue[str] | None = kept_value(store, "probe")
    assert kept is not None and store.stamp is not None
    old = store.stamp.current
    assert old is not None and kept.save(old, "before the load")
    store.close()
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_LOAD, str(path), str(nt_file(tmp_path, "big.nt", 5000))],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert killed.returncode == -9, killed.stderr
    assert on_disk(path) == "dirty"
    reopened = EmbeddedStore(path)
    assert reopened.stamp is not None and reopened.stamp.current not in (None, old, "dirty")
    kept = kept_value(reopened, "probe")
    assert kept is not None
    read_back = kept.load()
    assert read_back is not None and read_back.stamp != kept.stamp  # stale, not current
    gate = threading.Event()
    value = BuiltInBackground(lambda: (gate.wait(10), "rebuilt")[1], name="probe", kept=kept)
    try:
        assert value.get(1) == "before the load"  # served at once, as an older version's
        assert value.version != 1 and value.stats.restored_stale == 1
    finally:
        gate.set()
    assert value.wait(1) == "rebuilt" and value.stats.succeeded == 1
    again = kept.load()
    assert again is not None and again.value == "rebuilt" and again.stamp == kept.stamp
    reopened.close()


_KILLED_LOAD = """
import os, signal, sys
from pathlib import Path
from pyoxigraph import RdfFormat
from sdgkg.store.embedded import EmbeddedStore
store = EmbeddedStore(Path(sys.argv[1]))
def die(store, graph):
    os.kill(os.getpid(), signal.SIGKILL)
store.bulk_load_graph("urn:big", Path(sys.argv[2]), RdfFormat.N_TRIPLES, check=die, replace=False)
"""


def test_a_current_kept_value_is_served_without_a_build(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    store.update(INSERT.format(n=1))
    calls: list[int] = []
    first: BuiltInBackground[int] = BuiltInBackground(
        lambda: calls.append(1) or len(calls), name="probe", kept=kept_value(store, "probe")
    )
    assert first.wait(0) == 1 and first.stats.kept is True
    again: BuiltInBackground[int] = BuiltInBackground(
        lambda: calls.append(1) or len(calls), name="probe", kept=kept_value(store, "probe")
    )
    assert again.get(0) == 1 and again.version == 0
    assert again.stats.restored == 1 and again.stats.succeeded == 0 and len(calls) == 1
    store.update(INSERT.format(n=2))
    third: BuiltInBackground[int] = BuiltInBackground(
        lambda: calls.append(1) or len(calls), name="probe", kept=kept_value(store, "probe")
    )
    assert third.wait(0) == 2 and third.stats.restored_stale == 1
    store.close()


def test_a_value_never_built_answers_not_ready_instead_of_waiting() -> None:
    gate = threading.Event()
    value = BuiltInBackground(lambda: gate.wait(10), name="slow table", first_wait_s=0.2)
    try:
        with pytest.raises(NotReadyYet, match="slow table"):
            value.get(1)
    finally:
        gate.set()
    assert value.wait(1) is True


def test_pages_never_built_answer_503_at_once_and_void_answers_without_counts(
    make_client: object,
) -> None:
    """A fresh store whose tables are still being built for the first time: people get a short
    "being prepared" page and a Retry-After, harvesters a VoID without counts, nobody waits."""
    client: TestClient = make_client(first_build_wait_s=0.2)  # type: ignore[operator]
    web, harvest = client.app.state.web, client.app.state.harvest  # type: ignore[attr-defined]
    gate = threading.Event()

    def never_built(name: str) -> BuiltInBackground[object]:
        return BuiltInBackground(lambda: gate.wait(30), name=name, first_wait_s=0.2)

    web.partners = never_built("goals per partner")
    harvest.statistics, harvest.dumps = never_built("VoID statistics"), never_built("dumps")
    try:
        for lang in ("da", "en"):
            page = client.get(
                "/coverage/partners", headers={"accept": "text/html", "accept-language": lang}
            )
            assert page.status_code == 503 and page.headers["retry-after"] == "30"
            assert f'<html lang="{lang}"' in page.text and "<main" in page.text
            title = "Under forberedelse" if lang == "da" else "Being prepared"
            assert f"<h1>{title}</h1>" in page.text and "<title>" in page.text
        dumps = client.get("/dumps/")
        assert dumps.status_code == 503 and dumps.json()["error"] == "being prepared"
        void = client.get("/.well-known/void", headers={"accept": "application/n-triples"})
        assert void.status_code == 200 and "etag" not in void.headers
        assert "sparqlEndpoint" in void.text and "void#triples" not in void.text
    finally:
        gate.set()
