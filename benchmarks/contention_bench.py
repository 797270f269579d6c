"""A big result while other clients keep the server busy: `sdgkg serve` beside `oxigraph serve`.

A harvester pulls a 100k-row result while researchers send small queries. In a Python server the
small queries keep the GIL busy, and a result serialised through a Python writer must take the
GIL back for every 8 KiB it writes (see src/sdgkg/execution/piped.py). This benchmark measures, for each
server in one run, interleaved:

* the 100k-row query alone, and while ``--clients`` processes loop over the small queries of the
  endpoint mix;
* the small queries' throughput meanwhile.

sdgkg runs with its result cache off (``SDGKG_RESULT_CACHE_BYTES=0``): the small queries repeat,
and what is measured is serving them, not remembering them.

``--baseline-src DIR`` adds a second sdgkg server running the code in DIR (e.g. a `git worktree`
of an earlier commit), for A/B comparisons of a change.

    python benchmarks/contention_bench.py --work /tmp/bench --rounds 5
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))

from endpoint_bench import _CONNECTIONS, QUERIES, UNCACHED, Server, free_port, prepare, request

BIG = "100k-rows"
SMALL = ["lookup", "target-goal", "not-exists", "ask", "having"]


def _hammer(port: int, path: str, stop: Any, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    _CONNECTIONS.clear()  # a forked child must not share the parent's sockets
    done = 0
    while not stop.is_set():
        for name in SMALL:
            query, accept = QUERIES[name]
            status, _ = request(port, path, query, accept)
            done += status == 200
    out.put(done)


def big_query_s(server: Server) -> float:
    query, accept = QUERIES[BIG]
    started = time.perf_counter()
    status, _ = request(server.port, server.path, query, accept)
    if status != 200:
        raise RuntimeError(f"{server.name} answered {status}")
    return time.perf_counter() - started


def under_load(server: Server, clients: int) -> tuple[float, float]:
    """(seconds for the big query, small queries per second) with ``clients`` hammering."""
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    stop = multiprocessing.Event()
    workers = [
        multiprocessing.Process(target=_hammer, args=(server.port, server.path, stop, results))
        for _ in range(clients)
    ]
    for worker in workers:
        worker.start()
    time.sleep(0.5)  # the clients are up and running
    started = time.perf_counter()
    elapsed = big_query_s(server)
    stop.set()
    small = sum(results.get(timeout=60) for _ in workers)
    window = time.perf_counter() - started + 0.5
    for worker in workers:
        worker.join()
    return elapsed, small / window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/contention.json"))
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sdgkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    prepared = prepare(args.size, work, with_rdflib=False)
    # sdgkg without its result cache: the small queries repeat, and this measures serving them.
    servers = [s for s in prepared if s.name in ("oxigraph serve", UNCACHED)]
    if args.baseline_src is not None:
        servers.append(_baseline(prepared, work, args.size, args.baseline_src))
    alone: dict[str, list[float]] = {s.name: [] for s in servers}
    loaded: dict[str, list[float]] = {s.name: [] for s in servers}
    small_rps: dict[str, list[float]] = {s.name: [] for s in servers}
    try:
        for server in servers:
            server.start(work / f"{server.name.replace(' ', '-')}-contention.log")
            big_query_s(server)  # warm
        for round_number in range(args.rounds):
            order = servers if round_number % 2 == 0 else list(reversed(servers))
            for server in order:
                alone[server.name].append(big_query_s(server))
                elapsed, rps = under_load(server, args.clients)
                loaded[server.name].append(elapsed)
                small_rps[server.name].append(rps)
    finally:
        for server in servers:
            server.stop()
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    reference = servers[0].name
    summary = {
        name: {
            "big_alone_s": statistics.median(alone[name]),
            "big_under_load_s": statistics.median(loaded[name]),
            "slowdown": statistics.median(loaded[name]) / statistics.median(alone[name]),
            "big_under_load_ratio": statistics.median(loaded[name])
            / statistics.median(loaded[reference]),
            "small_rps_meanwhile": statistics.median(small_rps[name]),
        }
        for name in alone
    }
    table = Table(
        title=f"{BIG} with {args.clients} clients sending small queries ({args.size:,} triples)"
    )
    for column in ("server", "alone s", "under load s", "slowdown", f"vs {reference}", "small q/s"):
        table.add_column(column, justify="right")
    for name, row in summary.items():
        table.add_row(
            name,
            f"{row['big_alone_s']:.2f}",
            f"{row['big_under_load_s']:.2f}",
            f"{row['slowdown']:.2f}",
            f"{row['big_under_load_ratio']:.2f}",
            f"{row['small_rps_meanwhile']:.0f}",
        )
    Console().print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"clients": args.clients, "results": summary}, indent=2))


def _baseline(servers: list[Server], work: Path, size: int, source: Path) -> Server:
    """Another sdgkg server over a copy of the store, running the code in ``source``."""
    sdgkg = next(s for s in servers if s.name == "sdgkg serve")
    store = work / f"sdgkg-{size}"
    copy = work / f"sdgkg-baseline-{size}"
    if not copy.exists():
        shutil.copytree(store, copy)
    port = free_port()
    command = [str(copy) if part == str(store) else part for part in sdgkg.command[:-1]]
    env = {**sdgkg.env, "PYTHONPATH": str(source)}
    return Server("sdgkg baseline", [*command, str(port)], port, sdgkg.path, env)


if __name__ == "__main__":
    main()
