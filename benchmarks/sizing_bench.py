"""Sizing: `sdgkg load` time and query-mix latency at 1M and 5M triples per engine (issue 7).

For each size, on benchmarks/synthetic_data.py's standalone data (cached in ``--work``):

* **load**: ``sdgkg load`` of the file (bulk path: the graph hidden while it loads, reference
  check, swap in one update) into the embedded store, into ``oxigraph serve`` through
  ``--store sparql+http://…``, and into Virtuoso through sdgkg; each engine fresh;
* **latency**: the ten-query mix of benchmarks/endpoint_bench.py against each engine *directly*
  (Oxigraph server at ``/query`` with ``--union-default-graph``, Virtuoso at ``/sparql``), and
  the embedded store through ``sdgkg serve`` (the only way to query it over HTTP); engines
  interleaved in shuffled order for every query and repetition; the median per query and the
  geometric mean of the medians;
* with ``--replace-max N``, for sizes up to N, a second ``sdgkg load --replace`` of the same
  file into each store: a staging graph moved over the old one (MOVE copies every triple);
* with ``--native``, for context, each engine's own loader on a fresh store: ``oxigraph load
  --graph`` and Virtuoso's ``ld_dir`` + ``rdf_loader_run`` + ``checkpoint`` (through isql); these
  skip sdgkg's reference check and atomic swap.

The machine's load average is recorded before and after each step: on a shared machine, say so
next to the figures.

    python benchmarks/sizing_bench.py --sizes 1000000 5000000 --native --replace-max 1000000 \\
        --out benchmarks/results-sizing.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from endpoint_bench import GRAPH, QUERIES, Server, free_port, geo_mean, measure_latency  # noqa: E402
from remote_bench import sdgkg_load  # noqa: E402
from synthetic_data import write as write_synthetic  # noqa: E402
from tests.remote.engines import (  # noqa: E402
    VIRTUOSO_PASSWORD,
    VIRTUOSO_USER,
    Engine,
    start_oxigraph,
    start_virtuoso,
)

SDGKG = [sys.executable, "-m", "sdgkg"]
BUNDLE_ENV = {"SDGKG_BASE_IRI": "https://w3id.org/sdgkg/"}
VIRTUOSO_ENV = {
    **BUNDLE_ENV,
    "SDGKG_REMOTE_USER": VIRTUOSO_USER,
    "SDGKG_REMOTE_PASSWORD": VIRTUOSO_PASSWORD,
}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def port_of(engine: Engine) -> int:
    return int(engine.url.rsplit(":", 1)[1])


def run_size(size: int, work: Path, args: argparse.Namespace, log: dict[str, object]) -> None:
    data = work / f"synthetic-{size}.nt"
    if not data.exists():
        write_synthetic(data, size, standalone=True)
    folder = Path(tempfile.mkdtemp(prefix=f"sizing-{size}-", dir=work))
    loads: dict[str, float] = {}
    errors: dict[str, str] = {}
    load_avg: dict[str, list[float]] = {"start": loadavg()}
    log.update(
        triples=size,
        file_bytes=data.stat().st_size,
        started=time.strftime("%Y-%m-%d %H:%M:%S"),
        load_s=loads,
        step_errors=errors,
        loadavg=load_avg,
        folder=str(folder),
    )

    def step(name: str, seconds: float) -> None:
        loads[name] = seconds
        load_avg[name] = loadavg()
        print(f"{size:>9} {name}: {seconds:.1f} s (load average {load_avg[name]})", flush=True)

    def load(name: str, store: str, env: dict[str, str]) -> None:
        step(name, sdgkg_load(store, data, env))
        if size <= args.replace_max:  # the same file again: staging graph, MOVE over the old one
            try:
                step(f"{name}, --replace", sdgkg_load(store, data, env, "--replace"))
            except subprocess.CalledProcessError as error:  # say so, measure the rest
                errors[f"{name}, --replace"] = error.stderr.decode(errors="replace")[-600:]
                print(f"{size:>9} {name}, --replace FAILED", flush=True)

    load("embedded", str(folder / "embedded"), BUNDLE_ENV)
    oxigraph = start_oxigraph(folder / "oxigraph", union_default_graph=True)
    virtuoso: Engine | None = None
    front: Server | None = None
    try:
        load("oxigraph server", oxigraph.url, BUNDLE_ENV)
        virtuoso = start_virtuoso(folder / "virtuoso")
        load("virtuoso", virtuoso.url, VIRTUOSO_ENV)
        front_port = free_port()
        front = Server(
            "embedded (sdgkg serve)",
            [*SDGKG, "--store", str(folder / "embedded"), "serve", "--port", str(front_port)],
            front_port,
            env={"SDGKG_MAX_RESULT_ROWS": "10000000", "SDGKG_QUERY_TIMEOUT_S": "600"},
        )
        front.start(folder / "serve.log")
        servers = [
            front,
            Server("oxigraph server (direct)", [], port_of(oxigraph), path="/query"),
            Server("virtuoso (direct)", [], port_of(virtuoso), path="/sparql"),
        ]
        started = time.perf_counter()
        medians = measure_latency(servers, {s.name: args.reps for s in servers})
        log["latency_median_s"] = medians
        log["latency_geo_mean_s"] = {
            name: geo_mean(list(m.values())) for name, m in medians.items()
        }
        log["latency_wall_s"] = round(time.perf_counter() - started, 1)
        load_avg["latency"] = loadavg()
        print(f"{size:>9} latency: {log['latency_geo_mean_s']} ({load_avg['latency']})", flush=True)
    finally:
        if front is not None:
            front.stop()
        if virtuoso is not None:
            virtuoso.stop()
        oxigraph.stop()
    if args.native:
        log["native_load_s"] = {
            "oxigraph load --graph": oxigraph_load(data, folder / "oxigraph-native"),
            "virtuoso ld_dir + rdf_loader_run": virtuoso_bulk_load(
                data, folder / "virtuoso-native"
            ),
        }
        load_avg["native"] = loadavg()
        print(f"{size:>9} native loaders: {log['native_load_s']}", flush=True)


def oxigraph_load(data: Path, location: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["oxigraph", "load", "--location", str(location), "--file", str(data), "--graph", GRAPH],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def virtuoso_bulk_load(data: Path, folder: Path) -> float:
    """Virtuoso's bulk loader on a fresh database, through isql; the file is linked into the
    folder that ``DirsAllowed`` names. Includes the checkpoint that makes the load durable."""
    engine = start_virtuoso(folder)
    try:
        os.link(data, folder / data.name)
        ini = (folder / "virtuoso.ini").read_text()
        sql_port = re.search(r"ServerPort = 127\.0\.0\.1:(\d+)", ini)
        assert sql_port
        script = folder / "load.sql"
        script.write_text(
            f"ld_dir('{folder}', '{data.name}', '{GRAPH}');\n"
            "rdf_loader_run();\n"
            "checkpoint;\n"
            "SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;\n"
        )
        started = time.perf_counter()
        out = subprocess.run(
            ["isql-vt", sql_port[1], VIRTUOSO_USER, VIRTUOSO_PASSWORD, str(script)],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if "Error" in out.stdout or "\n0\n" not in out.stdout.replace(" ", ""):
            raise RuntimeError(f"Virtuoso's bulk loader failed: {out.stdout[-2000:]}")
        return seconds
    finally:
        engine.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--reps", type=int, default=5, help="latency repetitions per query")
    parser.add_argument("--native", action="store_true", help="also time each engine's loader")
    parser.add_argument(
        "--replace-max",
        type=int,
        default=0,
        help="up to this size, also time `sdgkg load --replace` of the same file (MOVE)",
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sdgkg-sizing")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    versions = subprocess.run(["oxigraph", "--version"], capture_output=True, text=True).stdout
    result: dict[str, object] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "oxigraph": versions.strip(),
        },
        "reps": args.reps,
        "queries": list(QUERIES),
        "sizes": {},
    }
    if args.out and args.out.exists():  # other sizes measured earlier stay; each says when
        result["sizes"] = json.loads(args.out.read_text()).get("sizes", {})
    sizes: dict[str, object] = result["sizes"]  # type: ignore[assignment]
    for size in args.sizes:
        entry: dict[str, object] = {}
        sizes[str(size)] = entry
        started = time.perf_counter()
        try:
            run_size(size, args.work, args, entry)
        except Exception as error:  # keep what was measured; say what failed
            entry["error"] = f"{type(error).__name__}: {error}"
            print(f"{size}: {entry['error']}", flush=True)
        entry["wall_s"] = round(time.perf_counter() - started, 1)
        if args.out:
            args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
