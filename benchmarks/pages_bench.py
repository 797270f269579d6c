"""Pages, search, VoID and coverage at size (issue 18): first request and median / p95 of 20.

Starts ``sdgkg serve`` over a store that already holds the data (build it once with
``sdgkg --store S load`` and ``sdgkg --store S load synthetic.nt``), times each page's first
answer and then 20 more, stops it, and does the same for the floor: the thinnest FastAPI route
over pyoxigraph (``thin_route.py``) answering one resource's triples.

    python benchmarks/pages_bench.py --store /tmp/perf/store-100k --label 100k --out r.json

``--cold`` (issue 18, cold start): first ``sdgkg prepare`` (timed), which builds and keeps every
derived value beside the store, then a restart timed with no settling: each page's first answer
is what a visitor meets right after ``sdgkg serve`` starts over a store that was loaded earlier.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from endpoint_bench import thin_route_command, wait_until_idle

PAGES = (  # every kind of page: home, harvesting, coverage, search, list pages, resources
    "/",
    "/.well-known/void",
    "/dumps/",
    "/coverage",
    "/coverage/partners",
    "/coverage/partners?page=5",
    "/coverage/list?goal=4",
    "/coverage/list?goal=4&page=3",
    "/coverage/list?goal=13&municipality=aarhus",
    "/search?q=sonderborg",
    "/search?q=KL",
    "/search?q=m%C3%A5l+4",
    "/search?q=s%C3%B8nderbrog",
    "/search?q=kommune&page=2",
    "/id/partnership",
    "/id/partnership?page=40",
    "/id/partnership?goal=4&sort=municipality",
    "/id/partner",
    "/id/municipality",
    "/id/target",
    "/id/municipality/soenderborg",
    "/id/goal/4",
    "/id/goal/4?links=2",
    "/id/partnership/frederikshavn-man-energy-solutions",
    "/id/partner/man-energy-solutions",
    "/query",
)
FLOOR_QUERY = "SELECT * WHERE { <https://w3id.org/sdgkg/id/municipality/soenderborg> ?p ?o }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not come up in {timeout_s} s")


def timed(client: httpx.Client, path: str, *, preparing_ok: bool = False) -> float:
    """Seconds to answer ``path``; with ``preparing_ok``, a 503 "being prepared" (a value never
    built yet, issue 18) counts as an answer too, returned negative."""
    started = time.perf_counter()
    response = client.get(path, headers={"accept": "text/html"})
    took = time.perf_counter() - started
    if preparing_ok and response.status_code == 503 and "retry-after" in response.headers:
        return -took
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return took


def until_ready(client: httpx.Client, path: str, timeout_s: float = 1800) -> float:
    """Seconds until ``path`` answers 200 after a 503 "being prepared"."""
    started = time.monotonic()
    while timed(client, path, preparing_ok=True) < 0:
        if time.monotonic() - started > timeout_s:
            raise SystemExit(f"{path}: still being prepared after {timeout_s} s")
        time.sleep(1)
    return time.monotonic() - started


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": 1000 * statistics.median(ordered), "p95_ms": 1000 * p95}


def bench_sdgkg(
    store: str, reps: int, settle_s: float, pages: list[str], settle_idle: bool = False
) -> dict[str, object]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sdgkg", "--store", store, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        root = f"http://127.0.0.1:{port}"
        wait_until_up(root + "/health")
        time.sleep(settle_s)  # what the background builds had time for since start-up
        if settle_idle:  # or all of them: no request measured beside a build
            print(f"  idle after {wait_until_idle(server.pid, 1800):.0f} s", flush=True)
        results: dict[str, object] = {}
        with httpx.Client(base_url=root, timeout=300) as client:
            for path in pages:
                first = timed(client, path, preparing_ok=True)
                extra = (
                    {}
                    if first >= 0
                    else {"first_503": True, "ready_after_s": until_ready(client, path)}
                )
                samples = [timed(client, path) for _ in range(reps)]
                results[path] = {"first_ms": 1000 * abs(first), **extra, **summary(samples)}
                print(f"  {path:32} first {1000 * abs(first):8.1f} ms  {results[path]}", flush=True)
        return results
    finally:
        server.terminate()
        server.wait(30)


def bench_floor(store: str, reps: int) -> dict[str, float]:
    port = free_port()
    server = subprocess.Popen(
        thin_route_command(port),
        env={**os.environ, "THIN_STORE": store},
    )
    try:
        root = f"http://127.0.0.1:{port}"
        path = "/sparql?query=" + quote(FLOOR_QUERY)
        wait_until_up(root + path)
        with httpx.Client(base_url=root, timeout=60) as client:
            samples = [timed(client, path) for _ in range(reps)]
        return summary(samples)
    finally:
        server.terminate()
        server.wait(30)


def prepare(store: str) -> float:
    """``sdgkg prepare`` over ``store``: the seconds it took (builds, or reads back if kept)."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "sdgkg", "--store", store, "prepare"], check=True)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--settle", type=float, default=0.0, help="seconds to wait after start")
    parser.add_argument(
        "--settle-idle",
        action="store_true",
        help="then wait until the server is idle: every background build done",
    )
    parser.add_argument("--out", type=Path)
    parser.add_argument("--pages", nargs="*", default=list(PAGES), help="a subset of PAGES")
    parser.add_argument("--cold", action="store_true", help="sdgkg prepare, then a cold start")
    args = parser.parse_args()
    prepare_s = prepare(args.store) if args.cold else None
    load = os.getloadavg()[0]
    print(f"{args.label}: load average {load:.1f}, prepare {prepare_s} s", flush=True)
    result = {
        "label": args.label,
        "load_average": load,
        "prepare_s": prepare_s,
        "settle_s": args.settle,
        "pages": bench_sdgkg(args.store, args.reps, args.settle, args.pages, args.settle_idle),
        "floor_thin_route": bench_floor(args.store, args.reps),
    }
    print(f"  floor (thin FastAPI route, one resource's triples): {result['floor_thin_route']}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
