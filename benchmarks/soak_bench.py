"""Soak: 8 clients run the endpoint benchmark's query mix against `sdgkg serve` for a long time.

Issue 8, item 5. On a generated store (default 1M triples, benchmarks/synthetic_data.py), start
`sdgkg serve` on 127.0.0.1, then 8 client processes run the mix of benchmarks/endpoint_bench.py
(imported, not copied) on keep-alive connections for ``--minutes`` (default 10). Reported: requests,
errors (any status but 200, or a broken connection), p50/p99/max latency per query and overall,
and the server's RSS after warm-up (the first ``--warmup-s``) and at the end.

Pass: zero errors and end RSS within 10 % of warm-up RSS.

    python benchmarks/soak_bench.py [--triples 1000000] [--minutes 10] \
        [--out benchmarks/results-soak.json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import endpoint_bench as bench

CLIENTS = 8


def prepare_store(triples: int, work: Path) -> Path:
    data = work / f"synthetic-{triples}.nt"
    store = work / f"sdgkg-{triples}"
    if not data.exists():
        bench.write_synthetic(data, triples, standalone=True)
    if not store.exists():
        from pyoxigraph import NamedNode, RdfFormat, Store

        loaded = Store(str(store))
        loaded.bulk_load(
            path=str(data), format=RdfFormat.N_TRIPLES, to_graph=NamedNode(bench.GRAPH)
        )
        loaded.flush()
        del loaded
    return store


def client(port: int, offset: int, deadline: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """Run the mix until ``deadline``; put (per-query latencies, errors) on ``out``."""
    bench._CONNECTIONS.clear()  # a forked child must not share the parent's sockets
    names = list(bench.QUERIES)
    latencies: dict[str, list[float]] = {name: [] for name in names}
    errors: list[str] = []
    index = offset
    while time.time() < deadline:
        name = names[index % len(names)]
        query, accept = bench.QUERIES[name]
        started = time.perf_counter()
        try:
            status, _ = bench.request(port, "/sparql", query, accept, timeout=120)
        except Exception as error:  # a broken connection is an error, and the soak goes on
            errors.append(f"{name}: {type(error).__name__}: {error}")
        else:
            if status != 200:
                errors.append(f"{name}: HTTP {status}")
            latencies[name].append(time.perf_counter() - started)
        index += 1
    out.put((latencies, errors))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def soak(store: Path, seconds: float, warmup_s: float) -> dict[str, object]:
    port = bench.free_port()
    server = bench.Server(
        "sdgkg serve",
        [
            sys.executable,
            "-c",
            "from sdgkg.cli import main; main()",
            "--store",
            str(store),
            "serve",
            "--port",
            str(port),
        ],
        port,
        env={"SDGKG_QUERY_TIMEOUT_S": "120"},
    )
    server.start(store.parent / "soak-server.log")
    rss_samples: list[tuple[float, int]] = []
    stop = threading.Event()
    started = time.time()

    def sample() -> None:
        while not stop.is_set():
            rss_samples.append((time.time() - started, server.rss()))
            stop.wait(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    deadline = started + warmup_s + seconds
    clients = [
        multiprocessing.Process(target=client, args=(port, i, deadline, results))
        for i in range(CLIENTS)
    ]
    try:
        for process in clients:
            process.start()
        gathered = [results.get(timeout=warmup_s + seconds + 600) for _ in clients]
        for process in clients:
            process.join()
        server_alive = server.process is not None and server.process.poll() is None
    finally:
        stop.set()
        sampler.join()
        server.stop()
    latencies: dict[str, list[float]] = {name: [] for name in bench.QUERIES}
    errors: list[str] = []
    for per_query, client_errors in gathered:
        for name, values in per_query.items():
            latencies[name].extend(values)
        errors.extend(client_errors)
    every = [v for values in latencies.values() for v in values]
    after_warmup = [rss for t, rss in rss_samples if t >= warmup_s]
    rss_warm = after_warmup[0] if after_warmup else 0
    rss_end = rss_samples[-1][1] if rss_samples else 0
    return {
        "seconds": seconds,
        "warmup_s": warmup_s,
        "clients": CLIENTS,
        "requests": len(every) + len(errors),
        "errors": len(errors),
        "error_samples": errors[:20],
        "server_alive_at_end": server_alive,
        "throughput_rps": len(every) / (warmup_s + seconds),
        "latency_s": {
            "all": {
                "p50": percentile(every, 0.5),
                "p99": percentile(every, 0.99),
                "max": max(every, default=0),
            },
            **{
                name: {
                    "n": len(v),
                    "p50": percentile(v, 0.5),
                    "p99": percentile(v, 0.99),
                    "mean": statistics.fmean(v) if v else 0.0,
                }
                for name, v in latencies.items()
            },
        },
        "rss_bytes": {
            "after_warmup": rss_warm,
            "end": rss_end,
            "peak": max((r for _, r in rss_samples), default=0),
        },
        "rss_end_over_warmup": rss_end / rss_warm if rss_warm else None,
        "rss_timeline_mib": [
            (round(t), round(r / 2**20)) for t, r in rss_samples[:: max(1, len(rss_samples) // 60)]
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--warmup-s", type=float, default=60.0)
    parser.add_argument(
        "--work", type=Path, default=None, help="data and store folder (default: temporary)"
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results-soak.json"))
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sdgkg-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        store = prepare_store(args.triples, work)
        result = {
            "triples": args.triples,
            "machine": {"cpus": os.cpu_count()},
            **soak(store, args.minutes * 60, args.warmup_s),
        }
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    latency = result["latency_s"]["all"]  # type: ignore[index]
    ratio = result["rss_end_over_warmup"]
    print(
        f"{result['requests']} requests, {result['errors']} errors, {result['throughput_rps']:.1f} req/s; "  # noqa: E501
        f"p50 {latency['p50'] * 1000:.1f} ms, p99 {latency['p99'] * 1000:.1f} ms; "
        f"RSS after warm-up {result['rss_bytes']['after_warmup'] / 2**20:.0f} MiB, "  # type: ignore[index]
        f"end {result['rss_bytes']['end'] / 2**20:.0f} MiB ({ratio:.3f}x)"
    )
    ok = result["errors"] == 0 and ratio is not None and ratio <= 1.10
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
