"""`sdgkg serve` in front of a remote Oxigraph server vs querying that server directly (issue 7).

Same run, same data, interleaved: the ten-query mix of benchmarks/endpoint_bench.py (imported,
not copied), on benchmarks/synthetic_data.py's data against ``oxigraph serve`` directly and
through ``sdgkg serve --store sparql+http://…`` on the same server. Reports the median latency
per query and the geometric mean of the ratios (target: <= 1.15x), and how long ``sdgkg load``
took to put the data into the engine through sdgkg (staging graph, check, swap) beside the
embedded store's bulk load.

    python benchmarks/remote_bench.py --size 100000 --out benchmarks/results-remote.json

A third server runs the same mix beside them: benchmarks/relay_floor.py, the least a relay written
in Python costs (uvicorn and sdgkg's upstream client, none of sdgkg's checks). Its ratio to the
engine is the floor of the second HTTP hop; sdgkg's ratio to it is what sdgkg itself adds. A
fourth runs sdgkg with ``SDGKG_REMOTE_WRITERS=sdgkg`` (answers cached until the data stamp moves):
the mix repeats each query, so its figures are those of repeated queries, reported apart.

Optionally ``--virtuoso`` also loads the data into a Virtuoso started here and times the mix
directly against it (load time and latency for docs/deploy.md's sizing table).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from endpoint_bench import QUERIES, Server, free_port, geo_mean, measure_latency  # noqa: E402
from synthetic_data import write as write_synthetic  # noqa: E402
from tests.remote.engines import (  # noqa: E402
    VIRTUOSO_PASSWORD,
    VIRTUOSO_USER,
    start_oxigraph,
    start_virtuoso,
)

FLOOR = "minimal Python relay"
CACHED = "sdgkg serve (remote, SDGKG_REMOTE_WRITERS=sdgkg)"


def _sdgkg_front(name: str, store_url: str, env: dict[str, str]) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "sdgkg", "--store", store_url, "serve", "--port", str(port)]
    return Server(name, command, port, env={"SDGKG_MAX_RESULT_ROWS": "10000000", **env})


def sdgkg_load(store_url: str, data: Path, env: dict[str, str], *options: str) -> float:
    """``sdgkg load [options]`` of the data file (bulk path) into the store; seconds.

    A failed load raises CalledProcessError with sdgkg's message in ``stderr`` (also printed).
    """
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sdgkg", "--store", store_url, "load", *options, str(data)],
        env={**os.environ, **env, "SDGKG_BULK_THRESHOLD_BYTES": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if done.returncode:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        done.check_returncode()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--virtuoso", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="remote-bench-"))
    data = work / "synthetic.nt"
    write_synthetic(data, args.size, standalone=True)  # its own reference data: refs resolve
    bundle_env = {"SDGKG_BASE_IRI": "https://w3id.org/sdgkg/"}
    result: dict[str, object] = {"triples": args.size, "load_s": {}}
    loads: dict[str, float] = result["load_s"]  # type: ignore[assignment]

    embedded = work / "embedded"
    loads["embedded"] = sdgkg_load(str(embedded), data, bundle_env)

    # Direct clients get the union default graph from the server flag; sdgkg asks per request.
    engine = start_oxigraph(work / "oxigraph", union_default_graph=True)
    servers: list[Server] = []
    try:
        loads["oxigraph server"] = sdgkg_load(engine.url, data, bundle_env)
        port = int(engine.url.rsplit(":", 1)[1])
        direct = Server("oxigraph serve", [], port, path="/query")
        front = _sdgkg_front("sdgkg serve (remote)", engine.url, {})
        front.start(work / "front.log")
        servers.append(front)
        # Only sdgkg writes here: answers are cached until the data stamp moves. The mix repeats
        # each query, so these are figures of repeated queries, not the relay's own cost.
        cached = _sdgkg_front(CACHED, engine.url, {"SDGKG_REMOTE_WRITERS": "sdgkg"})
        cached.start(work / "cached.log")
        servers.append(cached)
        floor_port = free_port()
        floor = Server(
            FLOOR,
            [
                sys.executable,
                "-m",
                "uvicorn",
                "relay_floor:app",
                "--app-dir",
                str(HERE),
                "--port",
                str(floor_port),
                "--loop",
                "uvloop",
                "--http",
                "httptools",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            floor_port,
            env={"RELAY_FLOOR_ENGINE": f"http://127.0.0.1:{port}/query"},
        )
        floor.start(work / "floor.log")
        servers.append(floor)
        everyone = [direct, front, floor, cached]
        medians = measure_latency(everyone, {s.name: args.reps for s in everyone})
        ratios = {q: medians[front.name][q] / medians[direct.name][q] for q in QUERIES}
        floor_ratios = {q: medians[FLOOR][q] / medians[direct.name][q] for q in QUERIES}
        result["latency_median_s"] = medians
        result["ratio_per_query"] = ratios
        result["geo_mean_ratio"] = geo_mean(list(ratios.values()))
        result["floor_ratio_per_query"] = floor_ratios
        result["floor_geo_mean_ratio"] = geo_mean(list(floor_ratios.values()))
        result["sdgkg_over_floor_geo_mean"] = geo_mean(
            [ratios[q] / floor_ratios[q] for q in QUERIES]
        )
        result["cached_geo_mean_ratio"] = geo_mean(
            [medians[CACHED][q] / medians[direct.name][q] for q in QUERIES]
        )
    finally:
        for server in servers:
            server.stop()
        engine.stop()

    print(json.dumps(result, indent=2), flush=True)
    if args.virtuoso:
        virtuoso = start_virtuoso(work / "virtuoso")
        try:
            env = {
                **bundle_env,
                "SDGKG_REMOTE_USER": VIRTUOSO_USER,
                "SDGKG_REMOTE_PASSWORD": VIRTUOSO_PASSWORD,
            }
            loads["virtuoso"] = sdgkg_load(virtuoso.url, data, env)
            port = int(virtuoso.url.rsplit(":", 1)[1])
            vserver = Server("virtuoso", [], port, path="/sparql")
            vmed = measure_latency([vserver], {"virtuoso": max(3, args.reps // 3)})
            result.setdefault("latency_median_s", {})["virtuoso (direct)"] = vmed["virtuoso"]  # type: ignore[union-attr]
        finally:
            virtuoso.stop()

    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
