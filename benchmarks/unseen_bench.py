"""Throughput of queries the server has not seen (issue 18): `sdgkg serve` beside its floors.

In one run, over copies of one store: `oxigraph serve` (``--union-default-graph``), the thinnest
FastAPI route over pyoxigraph (``thin_route.py``), that route plus only the guarantees sdgkg must
keep (``guarded_route.py``: row limit, deadline, answers streamed with back-pressure) and
`sdgkg serve` with its result cache off
(``SDGKG_RESULT_CACHE_BYTES=0``), plus any other sdgkg source tree given with ``--sdgkg-src``
or environment given with ``--sdgkg-env`` (an A/B of a change). Each server's peak resident
memory (VmHWM, summed over its processes) is recorded at the end, so that a change bought with
memory shows its price in the same run. Every request is a query none of them has seen
(``endpoint_bench.unseen``: another subject, or a literal in a FILTER that removes nothing),
sent by 1 and by 8 client processes running whole passes over endpoint_bench.py's mix
(``measure_throughput``). Servers take turns in a shuffled order within each repetition; the
load average is recorded before each measurement, since the machine is shared.

The servers start together and the run waits until each is idle: `sdgkg serve` builds VoID,
dumps, search and coverage in the background after start-up, which must not be measured.

    sdgkg --store /tmp/thru/s1m load && sdgkg --store /tmp/thru/s1m load /tmp/s7/syn-1m.nt
    python benchmarks/unseen_bench.py --store /tmp/thru/s1m --work /tmp/thru/unseen \\
        --reps 3 --out benchmarks/results/unseen-1m.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from endpoint_bench import (  # noqa: E402
    QUERIES,
    Server,
    cpu_seconds,
    free_port,
    measure_throughput,
    thin_route_command,
    wait_until_idle,
)

OXIGRAPH = "oxigraph serve"
THIN = "thin route"
GUARDED = "guarded route"
SDGKG = "sdgkg serve (no cache)"
MIXES = {
    "full": list(QUERIES.values()),
    "small": [v for k, v in QUERIES.items() if k != "100k-rows"],
}


def store_copy(store: Path, work: Path, name: str) -> Path:
    """A copy of ``store`` for one server: RocksDB lets one process open a store."""
    copy = work / f"store-{name}"
    if not copy.exists():
        shutil.copytree(store, copy)
    return copy


def sdgkg_server(
    name: str, store: Path, src: Path | None, extra_env: dict[str, str] | None = None
) -> Server:
    env = {"SDGKG_RESULT_CACHE_BYTES": "0", **(extra_env or {})}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    port = free_port()
    command = [sys.executable, "-c", "from sdgkg.cli import main; main()", "--store", str(store)]
    return Server(name, [*command, "serve", "--port", str(port)], port, "/sparql", env)


def servers_for(args: argparse.Namespace) -> list[Server]:
    work: Path = args.work
    oxigraph_port, thin_port, guarded_port = free_port(), free_port(), free_port()
    servers = [
        Server(
            OXIGRAPH,
            [
                "oxigraph",
                "serve",
                "--location",
                str(store_copy(args.store, work, "oxigraph")),
                "--union-default-graph",
                "--bind",
                f"127.0.0.1:{oxigraph_port}",
            ],
            oxigraph_port,
            "/query",
        ),
        Server(
            THIN,
            thin_route_command(thin_port),
            thin_port,
            "/sparql",
            {"THIN_STORE": str(store_copy(args.store, work, "thin"))},
        ),
        Server(
            GUARDED,
            thin_route_command(guarded_port, "guarded_route"),
            guarded_port,
            "/sparql",
            {"THIN_STORE": str(store_copy(args.store, work, "guarded"))},
        ),
        sdgkg_server(SDGKG, store_copy(args.store, work, "sdgkg"), None),
    ]
    for spec in args.sdgkg_src:
        name, _, src = spec.partition("=")
        label = f"sdgkg serve (no cache, {name})"
        servers.append(sdgkg_server(label, store_copy(args.store, work, name), Path(src)))
    for spec in args.sdgkg_env:
        name, _, assignment = spec.partition("=")
        variable, _, value = assignment.partition("=")
        label = f"sdgkg serve (no cache, {name})"
        copy = store_copy(args.store, work, name)
        servers.append(sdgkg_server(label, copy, None, {variable: value}))
    return servers


def main_thread_cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid``'s main thread: the event loop of the two
    Python servers (uvicorn runs it there), where sdgkg reads, meters and sends answers; the
    rest of the process is the query workers, in Oxigraph almost all the time."""
    for thread in psutil.Process(pid).threads():
        if thread.id == pid:
            return thread.user_time + thread.system_time
    return 0.0


def peak_rss(pid: int) -> int:
    """The peak resident memory (VmHWM) of process ``pid`` and its children, in bytes."""
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(OSError, psutil.Error):
            status = Path(f"/proc/{process.pid}/status").read_text()
            kib = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
            total += int(kib.split()[1]) * 1024
    return total


def run(args: argparse.Namespace) -> dict[str, Any]:
    args.work.mkdir(parents=True, exist_ok=True)
    servers = servers_for(args)
    samples: dict[str, dict[str, dict[str, list[float]]]] = {}
    cpu_ms: dict[str, dict[str, dict[str, list[float]]]] = {}  # server CPU per request
    loop_ms: dict[str, dict[str, dict[str, list[float]]]] = {}  # its main thread's share
    loads: list[float] = []
    rng = random.Random(18)
    try:
        for server in servers:
            server.start(args.work / f"{server.name.replace(' ', '-')}.log")
        settled = {
            s.name: round(wait_until_idle(s.process.pid, args.settle_limit), 1)  # type: ignore[union-attr]
            for s in servers
        }
        print(f"settled (s): {settled}", flush=True)
        for rep in range(args.reps):
            for mix in args.mixes:
                for clients in args.clients:
                    order = list(servers)
                    rng.shuffle(order)
                    for server in order:
                        loads.append(os.getloadavg()[0])
                        pid = server.process.pid  # type: ignore[union-attr]
                        loop_cpu = main_thread_cpu_seconds(pid)
                        cpu, started = cpu_seconds(pid), time.perf_counter()
                        rps = measure_throughput(
                            server, args.seconds, MIXES[mix], clients, unseen_queries=True
                        )
                        requests = rps * (time.perf_counter() - started)
                        per = samples.setdefault(mix, {}).setdefault(f"c={clients}", {})
                        per.setdefault(server.name, []).append(rps)
                        per_cpu = cpu_ms.setdefault(mix, {}).setdefault(f"c={clients}", {})
                        per_cpu.setdefault(server.name, []).append(
                            1000 * (cpu_seconds(pid) - cpu) / requests
                        )
                        per_loop = loop_ms.setdefault(mix, {}).setdefault(f"c={clients}", {})
                        per_loop.setdefault(server.name, []).append(
                            1000 * (main_thread_cpu_seconds(pid) - loop_cpu) / requests
                        )
                        print(
                            f"rep {rep} {mix} c={clients} {server.name}: {rps:.2f} req/s "
                            f"{per_cpu[server.name][-1]:.1f} ms CPU/request, "
                            f"{per_loop[server.name][-1]:.2f} in the main thread "
                            f"(load {loads[-1]:.1f})",
                            flush=True,
                        )
        peaks = {s.name: peak_rss(s.process.pid) for s in servers}  # type: ignore[union-attr]
        print("peak RSS (MiB): " + ", ".join(f"{k} {v / 2**20:.0f}" for k, v in peaks.items()))
    finally:
        for server in servers:
            server.stop()
    return {
        "peak_rss_bytes": peaks,
        "samples_rps": samples,
        "server_cpu_ms_per_request": cpu_ms,
        "main_thread_cpu_ms_per_request": loop_ms,
        "settled_s": settled,
        "load_average_1m": loads,
    }


def summarise(result: dict[str, Any]) -> list[str]:
    """One line per (mix, clients, server): median req/s and range, server CPU per request, and
    sdgkg's ratios to the floors, median and range over the repetitions."""
    lines = []
    for mix, per_clients in result["samples_rps"].items():
        for clients, per_server in per_clients.items():
            cpu = result["server_cpu_ms_per_request"][mix][clients]
            loop = result.get("main_thread_cpu_ms_per_request", {}).get(mix, {}).get(clients, {})
            for name, values in per_server.items():
                line = (
                    f"{mix:5} {clients:4} {name:26} {statistics.median(values):6.2f} req/s "
                    f"({min(values):.2f}-{max(values):.2f}) "
                    f"{statistics.median(cpu[name]):6.1f} ms CPU/req"
                )
                if name in loop:
                    line += f" ({statistics.median(loop[name]):5.2f} main thread)"
                if name.startswith("sdgkg"):
                    for ref in (THIN, GUARDED, OXIGRAPH):
                        ratios = [a / b for a, b in zip(values, per_server[ref], strict=True)]
                        line += (
                            f"  /{ref.split()[0]} {statistics.median(ratios):.2f}x "
                            f"({min(ratios):.2f}-{max(ratios):.2f})"
                        )
                lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="an sdgkg store to copy")
    parser.add_argument("--work", type=Path, required=True, help="folder for the store copies")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each measurement")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--mixes", nargs="+", choices=sorted(MIXES), default=["full", "small"])
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(QUERIES),
        default=None,
        help="measure one mix of just these queries (say, 100k-rows) instead of --mixes",
    )
    parser.add_argument("--settle-limit", type=float, default=900.0)
    parser.add_argument(
        "--sdgkg-src",
        action="append",
        default=[],
        metavar="NAME=SRC",
        help="also run sdgkg from this source folder (an A/B), e.g. before=/tmp/old/src",
    )
    parser.add_argument(
        "--sdgkg-env",
        action="append",
        default=[],
        metavar="NAME=VAR=VALUE",
        help="also run sdgkg with this variable set (an A/B), e.g. arenas=MALLOC_ARENA_MAX=16",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.only:
        MIXES["only"] = [QUERIES[name] for name in args.only]
        args.mixes = ["only"]
    started = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "load_average": os.getloadavg()}
    result = run(args)
    result.update({"start": started, "end_load_average": os.getloadavg(), "cpus": os.cpu_count()})
    for line in summarise(result):
        print(line)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
