"""Is ``Store.read_only`` safe for CLI reads beside a ``sdgkg serve`` that writes? (issue 16.4)

pyoxigraph calls reading while another process writes "undefined behaviour". This run measures
what happens: a real ``sdgkg serve`` over a copy of the bundle takes updates as fast as it can
(graphs of ``--triples`` triples inserted, and every fifth one dropped again, so RocksDB flushes
and compacts), while this process opens ``Store.read_only`` handles again and again, each for what
one CLI command does (count, query, export), and checks that every handle sees each graph either
whole or not at all. Afterwards the store must open read-write and hold what the server acked.

    python benchmarks/read_only_beside_server.py --seconds 60 --triples 2000
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from pyoxigraph import RdfFormat, Store

TOKEN = "bench-token"
GRAPH = "https://w3id.org/sdgkg/graph/upload/bench-{}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--triples", type=int, default=2000)
    parser.add_argument("--store", type=Path, help="a loaded store to copy (default: load one)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ro-bench-"))
    store = work / "store"
    if args.store:
        shutil.copytree(args.store, store)
    else:
        env = {**os.environ, "SDGKG_STORE": str(store)}
        subprocess.run([sys.executable, "-m", "sdgkg", "load"], env=env, check=True)
    port = _free_port()
    env = {**os.environ, "SDGKG_UPDATE_TOKEN": TOKEN}
    server = subprocess.Popen(
        [sys.executable, "-m", "sdgkg", "--store", str(store), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait(url)
        report = _run(store, url, args.seconds, args.triples)
    finally:
        server.terminate()
        server.wait(timeout=30)
    after = Store(str(store))
    report["graphs_after_restart"] = sum(
        1 for g in after.named_graphs() if "bench-" in g.value  # type: ignore[attr-defined]
    )
    report["consistent_after_restart"] = report["graphs_after_restart"] == report["kept_graphs"]
    del after
    print(json.dumps(report, indent=2))
    shutil.rmtree(work)


def _run(store: Path, url: str, seconds: float, triples: int) -> dict[str, object]:
    stop = threading.Event()
    acked: list[int] = []
    dropped: list[int] = []
    writer = threading.Thread(target=_write, args=(url, triples, stop, acked, dropped))
    writer.start()
    reads = errors = partial = 0
    open_ms: list[float] = []
    read_ms: list[float] = []
    messages: set[str] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            handle = Store.read_only(str(store))
            opened = time.perf_counter()
            sizes = _graph_sizes(handle)
            partial += sum(1 for size in sizes.values() if size not in (0, triples))
            out = io.BytesIO()
            handle.dump(out, format=RdfFormat.N_QUADS)
            del handle
            reads += 1
            open_ms.append((opened - started) * 1000)
            read_ms.append((time.perf_counter() - opened) * 1000)
        except Exception as error:  # what breaks is what we measure
            errors += 1
            messages.add(f"{type(error).__name__}: {error}"[:200])
    stop.set()
    writer.join()
    return {
        "seconds": seconds,
        "triples_per_update": triples,
        "updates_acked": len(acked),
        "drops_acked": len(dropped),
        "kept_graphs": len(set(acked) - set(dropped)),
        "read_only_handles": reads,
        "read_errors": errors,
        "error_messages": sorted(messages),
        "partial_graphs_seen": partial,
        "open_ms_median": _median(open_ms),
        "read_ms_median": _median(read_ms),
    }


def _write(
    url: str, triples: int, stop: threading.Event, acked: list[int], dropped: list[int]
) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(timeout=60) as client:
        number = 0
        while not stop.is_set():
            body = "\n".join(
                f'<https://w3id.org/sdgkg/id/partner/b{number}-{i}> '
                f'<http://www.w3.org/2000/01/rdf-schema#label> "p {number} {i}" .'
                for i in range(triples)
            )
            update = f"INSERT DATA {{ GRAPH <{GRAPH.format(number)}> {{ {body} }} }}"
            response = client.post(url + "update", data={"update": update}, headers=headers)
            response.raise_for_status()
            acked.append(number)
            if number % 5 == 4:
                drop = f"DROP GRAPH <{GRAPH.format(number - 2)}>"
                client.post(url + "update", data={"update": drop}, headers=headers)
                dropped.append(number - 2)
            number += 1


def _graph_sizes(handle: Store) -> dict[str, int]:
    query = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/sdgkg/graph/upload/bench-')) } GROUP BY ?g"
    )
    return {row["g"].value: int(row["n"].value) for row in handle.query(query)}  # type: ignore[union-attr, index]


def _median(values: list[float]) -> float | None:
    return round(sorted(values)[len(values) // 2], 1) if values else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("sdgkg serve did not start")


if __name__ == "__main__":
    main()
