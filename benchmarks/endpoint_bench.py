"""`sdgkg serve` beside `oxigraph serve` and rdflib-endpoint, on the same synthetic data.

For each size: generate the data (benchmarks/synthetic_data.py, standalone), load it into each
server's store
(one named graph; both Oxigraph-based servers query the union as default graph), start the servers
on 127.0.0.1, then

* latency: a fixed mix of ten queries, repeated, with the servers interleaved in a shuffled order
  for each query and repetition; the median per (server, query), and the geometric mean over the
  mix of each server's ratio to `oxigraph serve`;
* throughput: 8 client processes on keep-alive connections, each running whole passes over the
  mix (from a different starting query) until a fixed time has passed, servers taking turns,
  rounds alternating the order; requests per second over the time until the last pass ends.
  Whole passes keep the query composition the same for every server: a slow server is not
  credited with cheap queries it happened to finish inside the window. Two mixes: the full one,
  and the small queries without the 100k-row result (which measures result serialisation, not
  the endpoint);
* `sdgkg serve` runs twice: as configured by default, with its result cache (the mix repeats
  each query, so after the first pass its answers come from memory: the figures of repeated
  queries), and with the cache off (``SDGKG_RESULT_CACHE_BYTES=0``: queries it has not seen);
* peak RSS of each server's process tree, sampled while the latency and throughput runs go on;
  for `sdgkg serve` also, separately, the RSS after its first non-SPARQL request (/health),
  which loads the FastAPI app (Linked Data pages, which `oxigraph serve` has not got).

Targets (issue 5): latency geo-mean <= 1.10x oxigraph serve; throughput >= 0.9x oxigraph serve and
>= 10x rdflib-endpoint; peak RSS <= 1.5x oxigraph serve.

    python benchmarks/endpoint_bench.py --sizes 100000 1000000 --rounds 3 \\
        --out benchmarks/results/endpoint.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_data import write as write_synthetic

ID = "https://w3id.org/sdgkg/id/"
GRAPH = "https://w3id.org/sdgkg/graph/upload/synthetic"
PREFIXES = """PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
JSON_RESULTS = "application/sparql-results+json"
UNCACHED = "sdgkg serve, no result cache"
TURTLE = "text/turtle"

# The mix, over the records of synthetic_data.py (its --standalone file).
QUERIES: dict[str, tuple[str, str]] = {
    "lookup": (
        f"SELECT ?p ?o WHERE {{ <{ID}partnership/synthetic-partnership-42> ?p ?o }}",
        JSON_RESULTS,
    ),
    "target-goal": (
        PREFIXES + "SELECT ?ps ?target WHERE { ?ps sdgkg:assignedSDG ?target . "
        '?target skos:broader ?goal . ?goal skos:notation "13" }',
        JSON_RESULTS,
    ),
    "group-count": (
        PREFIXES + "SELECT ?goal (COUNT(DISTINCT ?ps) AS ?n) WHERE { "
        "?ps sdgkg:assignedSDG ?target . ?target skos:broader ?goal } "
        "GROUP BY ?goal ORDER BY DESC(?n)",
        JSON_RESULTS,
    ),
    "optional-lang": (
        PREFIXES + "SELECT ?partner ?en ?da WHERE { ?partner a sdgkg:Company . "
        'OPTIONAL { ?partner rdfs:label ?en FILTER(LANG(?en) = "en") } '
        'OPTIONAL { ?partner rdfs:label ?da FILTER(LANG(?da) = "da") } } LIMIT 1000',
        JSON_RESULTS,
    ),
    "text-filter": (
        PREFIXES + "SELECT ?ps ?label WHERE { ?ps a sdgkg:Partnership ; rdfs:label ?label "
        'FILTER(CONTAINS(LCASE(STR(?label)), "klima partnerskab 7")) }',
        JSON_RESULTS,
    ),
    "having": (
        PREFIXES + "SELECT ?partner (COUNT(?m) AS ?n) WHERE { ?m org:member ?partner } "
        "GROUP BY ?partner HAVING (COUNT(?m) > 12)",
        JSON_RESULTS,
    ),
    "not-exists": (
        PREFIXES + "SELECT ?partner WHERE { ?partner a sdgkg:Company "
        "FILTER NOT EXISTS { ?m org:member ?partner } } LIMIT 500",
        JSON_RESULTS,
    ),
    "construct": (
        PREFIXES + "CONSTRUCT { ?ps rdfs:label ?label ; org:hasMember ?partner } WHERE { "
        f"?ps sdgkg:municipality <{ID}municipality/aarhus> ; rdfs:label ?label ; "
        "org:hasMember ?partner } LIMIT 2000",
        TURTLE,
    ),
    "100k-rows": ("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100000", JSON_RESULTS),
    "ask": (PREFIXES + f"ASK {{ ?ps sdgkg:assignedSDG <{ID}target/13.2> }}", JSON_RESULTS),
}


@dataclass
class Server:
    name: str
    command: list[str]
    port: int
    path: str = "/sparql"
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    peak_rss: int = 0

    def start(self, log: Path) -> None:
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                self.command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **self.env}
            )
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {log.read_text()[-2000:]}")
            try:
                status, _ = request(self.port, self.path, "ASK {}", JSON_RESULTS)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{self.name} did not start")

    def rss(self) -> int:
        if self.process is None or self.process.poll() is not None:
            return 0
        try:
            root = psutil.Process(self.process.pid)
            return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
        except psutil.Error:
            return 0

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_CONNECTIONS: dict[int, http.client.HTTPConnection] = {}


def request(port: int, path: str, query: str, accept: str, timeout: float = 300) -> tuple[int, int]:
    """GET a query on a keep-alive connection; (status, body bytes).

    A connection the server closed while idle (keep-alive timeout) is reopened once.
    """
    for attempt in (1, 2):
        connection = _CONNECTIONS.get(port)
        reused = connection is not None
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            _CONNECTIONS[port] = connection
        url = f"{path}?{urlencode({'query': query})}"
        try:
            connection.request("GET", url, headers={"Accept": accept})
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            _CONNECTIONS.pop(port, None)
            if reused and attempt == 1:
                continue
            raise
        return response.status, len(body)
    raise AssertionError("unreachable")


def measure_latency(servers: list[Server], reps: dict[str, int]) -> dict[str, dict[str, float]]:
    """Median seconds per (server, query), servers interleaved in shuffled order."""
    rng = random.Random(7)
    samples: dict[str, dict[str, list[float]]] = {s.name: {q: [] for q in QUERIES} for s in servers}
    for server in servers:  # warm-up: caches and JIT-free paths, once per query
        for query, accept in QUERIES.values():
            request(server.port, server.path, query, accept)
    max_reps = max(reps.values())
    for rep in range(max_reps):
        for name, (query, accept) in QUERIES.items():
            order = [s for s in servers if rep < reps[s.name]]
            rng.shuffle(order)
            for server in order:
                started = time.perf_counter()
                status, _ = request(server.port, server.path, query, accept)
                elapsed = time.perf_counter() - started
                if status != 200:
                    raise RuntimeError(f"{server.name} answered {status} to {name}")
                samples[server.name][name].append(elapsed)
    return {s: {q: statistics.median(v) for q, v in per.items()} for s, per in samples.items()}


_LOOKUP_SUBJECT = f"<{ID}partnership/synthetic-partnership-42>"
_UNSEEN = "<urn:sdgkg-bench:unseen:{n}>"
_FIRST_VARIABLE = re.compile(r"\bWHERE\s*\{[^?]*(\?\w+)", re.IGNORECASE)


def unseen(query: str, n: int) -> str:
    """``query`` as no earlier request sent it, ``n`` being a number unique to this request, so
    that no cache (of answers, parses or plans) can help, at the cost of the query it was.

    The one-pattern queries (the lookup, the ASK) ask about another partnership, and keep their
    shape; every other query gets ``FILTER(?v != <urn:…:n>)`` on its first variable, a comparison
    per row that the engine must evaluate and that removes nothing.
    """
    if _LOOKUP_SUBJECT in query or query.rstrip().endswith(f"<{ID}target/13.2> }}"):
        subject = f"<{ID}partnership/synthetic-partnership-{(n * 7919) % 20000}>"
        if _LOOKUP_SUBJECT in query:
            return query.replace(_LOOKUP_SUBJECT, subject)
        return query[: query.index("ASK")] + f"ASK {{ {subject} sdgkg:assignedSDG ?target }}"
    match = _FIRST_VARIABLE.search(query)
    if match is None:
        raise ValueError(f"no variable to vary in {query!r}")
    end = query.rindex("}")
    nonce = _UNSEEN.format(n=n)
    return query[:end] + f" FILTER({match.group(1)} != {nonce}) " + query[end:]


def _client(
    port: int,
    path: str,
    offset: int,
    seconds: float,
    queries: list[tuple[str, str]],
    out: multiprocessing.Queue,  # type: ignore[type-arg]
    first_nonce: int | None = None,
) -> None:
    """Run whole passes over the mix (from ``offset``) until ``seconds`` have passed; with
    ``first_nonce``, every request is a query the server has not seen (``unseen``)."""
    _CONNECTIONS.clear()  # a forked child must not share the parent's sockets
    done = 0
    nonce = first_nonce
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for step in range(len(queries)):  # a whole pass: every server gets the same mix
            query, accept = queries[(offset + step) % len(queries)]
            if nonce is not None:
                query, nonce = unseen(query, nonce), nonce + 1
            status, _ = request(port, path, query, accept)
            if status == 200:
                done += 1
    out.put(done)


_NONCES_PER_CLIENT = 1_000_000
_next_nonce = 0


def measure_throughput(
    server: Server,
    seconds: float,
    queries: list[tuple[str, str]],
    clients: int = 8,
    unseen_queries: bool = False,
) -> float:
    """Requests per second of ``clients`` processes running whole passes over ``queries``; with
    ``unseen_queries``, no request repeats any other of this process's runs."""
    global _next_nonce
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    nonces: list[int | None] = [None] * clients
    if unseen_queries:
        nonces = [_next_nonce + i * _NONCES_PER_CLIENT for i in range(clients)]
        _next_nonce += clients * _NONCES_PER_CLIENT
    processes = [
        multiprocessing.Process(
            target=_client,
            args=(server.port, server.path, i, seconds, queries, results, nonces[i]),
        )
        for i in range(clients)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    total = sum(results.get(timeout=seconds + 600) for _ in processes)
    for process in processes:
        process.join()
    return total / (time.perf_counter() - started)


def thin_route_command(port: int, module: str = "thin_route") -> list[str]:
    """The command that serves ``thin_route.py`` (the floor; its store in ``THIN_STORE``), or
    another floor in benchmarks/ (``guarded_route``)."""
    app_dir = str(Path(__file__).resolve().parent)
    return [
        *(sys.executable, "-m", "uvicorn", f"{module}:app", "--app-dir", app_dir),
        *("--port", str(port), "--no-access-log", "--log-level", "warning"),
    ]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` and its children so far."""
    root = psutil.Process(pid)
    return sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)])


def wait_until_idle(pid: int, limit_s: float, quiet_s: float = 5.0) -> float:
    """Seconds until process ``pid`` and its children used under 5 % of a core for ``quiet_s``:
    `sdgkg serve` builds VoID, dumps, search and tables in the background after start-up, and a
    benchmark must not measure requests beside those builds."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        before = cpu_seconds(pid)
        time.sleep(quiet_s)
        if (cpu_seconds(pid) - before) / quiet_s < 0.05:
            break
    return time.monotonic() - started


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(size: int, work: Path, with_rdflib: bool) -> list[Server]:
    data = work / f"synthetic-{size}.nt"
    if not data.exists():
        write_synthetic(data, size, standalone=True)
    oxigraph_dir = work / f"oxigraph-{size}"
    sdgkg_dir = work / f"sdgkg-{size}"
    if not oxigraph_dir.exists():
        subprocess.run(
            [
                "oxigraph",
                "load",
                "--location",
                str(oxigraph_dir),
                "--file",
                str(data),
                "--graph",
                GRAPH,
            ],
            check=True,
            capture_output=True,
        )
    if not sdgkg_dir.exists():
        from pyoxigraph import NamedNode, RdfFormat, Store

        store = Store(str(sdgkg_dir))
        store.bulk_load(path=str(data), format=RdfFormat.N_TRIPLES, to_graph=NamedNode(GRAPH))
        store.flush()
        del store
    servers = [
        Server(
            "oxigraph serve",
            [
                "oxigraph",
                "serve",
                "--location",
                str(oxigraph_dir),
                "--union-default-graph",
                "--bind",
                f"127.0.0.1:{(p := free_port())}",
            ],
            p,
            "/query",
        ),
        Server(
            "sdgkg serve",
            [
                sys.executable,
                "-c",
                "from sdgkg.cli import main; main()",
                "--store",
                str(sdgkg_dir),
                "serve",
                "--port",
                str(q := free_port()),
            ],
            q,
            "/sparql",
            {"SDGKG_QUERY_TIMEOUT_S": "600"},
        ),
    ]
    # The same server without its result cache: the mix repeats each query, so the cached
    # figures are those of repeated queries, and these of queries it has not seen.
    uncached_dir = work / f"sdgkg-uncached-{size}"
    if not uncached_dir.exists():
        shutil.copytree(sdgkg_dir, uncached_dir)
    servers.append(
        Server(
            UNCACHED,
            [
                sys.executable,
                "-c",
                "from sdgkg.cli import main; main()",
                "--store",
                str(uncached_dir),
                "serve",
                "--port",
                str(u := free_port()),
            ],
            u,
            "/sparql",
            {"SDGKG_QUERY_TIMEOUT_S": "600", "SDGKG_RESULT_CACHE_BYTES": "0"},
        )
    )
    if with_rdflib:
        r = free_port()
        servers.append(
            Server(
                "rdflib-endpoint",
                ["rdflib-endpoint", "serve", str(data), "--host", "127.0.0.1", "--port", str(r)],
                r,
                "/",
            )
        )
    return servers


def geo_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def run_size(size: int, work: Path, args: argparse.Namespace) -> dict[str, object]:
    servers = prepare(size, work, with_rdflib=not args.no_rdflib and size <= args.rdflib_max)
    stop = threading.Event()

    def sample_rss() -> None:
        while not stop.is_set():
            for server in servers:
                server.peak_rss = max(server.peak_rss, server.rss())
            time.sleep(0.1)

    try:
        for server in servers:
            server.start(work / f"{server.name.replace(' ', '-')}-{size}.log")
        sampler = threading.Thread(target=sample_rss, daemon=True)
        sampler.start()
        reps = {
            s.name: (args.rdflib_reps if s.name == "rdflib-endpoint" else args.reps)
            for s in servers
        }
        latency = measure_latency(servers, reps)
        mixes = {
            "full mix": list(QUERIES.values()),
            "small queries": [v for k, v in QUERIES.items() if k != "100k-rows"],
        }
        throughput: dict[str, dict[str, list[float]]] = {
            m: {s.name: [] for s in servers} for m in mixes
        }
        for round_number in range(args.rounds):
            for mix, queries in mixes.items():
                order = servers if round_number % 2 == 0 else list(reversed(servers))
                for server in order:
                    if server.name == "rdflib-endpoint" and round_number > 0:
                        continue
                    throughput[mix][server.name].append(
                        measure_throughput(server, args.seconds, queries)
                    )
        stop.set()  # the peak is the query mix's: /health below loads pages oxigraph has not got
        sampler.join()
        pages_rss = _rss_with_pages(servers)
    finally:
        stop.set()
        for server in servers:
            server.stop()
    result = summarise(size, servers, latency, throughput)
    if pages_rss is not None:
        entry = result["servers"]["sdgkg serve"]  # type: ignore[index]
        entry["rss_with_pages_bytes"] = pages_rss
        ref = result["servers"]["oxigraph serve"]["peak_rss_bytes"]  # type: ignore[index]
        entry["rss_with_pages_ratio"] = pages_rss / ref
    return result


def _rss_with_pages(servers: list[Server]) -> int | None:
    """sdgkg's RSS once its FastAPI app is loaded (first /health), after the SPARQL runs.

    Reported on its own (``rss_with_pages_bytes``): ``peak_rss_bytes`` is sampled while the
    query mix runs, the same load every server gets.
    """
    sdgkg = next((s for s in servers if s.name == "sdgkg serve"), None)
    if sdgkg is None:
        return None
    connection = http.client.HTTPConnection("127.0.0.1", sdgkg.port, timeout=120)
    connection.request("GET", "/health")
    connection.getresponse().read()
    connection.close()
    time.sleep(0.5)
    return max(sdgkg.peak_rss, sdgkg.rss())


def summarise(
    size: int,
    servers: list[Server],
    latency: dict[str, dict[str, float]],
    throughput: dict[str, dict[str, list[float]]],
) -> dict[str, object]:
    reference = "oxigraph serve"
    result: dict[str, object] = {"triples": size, "latency_median_s": latency, "servers": {}}
    for server in servers:
        ratios = [latency[server.name][q] / latency[reference][q] for q in QUERIES]
        result["servers"][server.name] = {  # type: ignore[index]
            "latency_geo_mean_ratio": geo_mean(ratios),
            "per_query_ratio": dict(zip(QUERIES, ratios, strict=True)),
            "throughput_rps": {m: statistics.mean(v[server.name]) for m, v in throughput.items()},
            "peak_rss_bytes": server.peak_rss,
        }
    for server in servers:
        entry = result["servers"][server.name]  # type: ignore[index]
        ref = result["servers"][reference]  # type: ignore[index]
        entry["throughput_ratio"] = {
            m: entry["throughput_rps"][m] / ref["throughput_rps"][m] for m in throughput
        }
        entry["peak_rss_ratio"] = entry["peak_rss_bytes"] / ref["peak_rss_bytes"]
    if "rdflib-endpoint" in result["servers"]:  # type: ignore[operator]
        rdflib = result["servers"]["rdflib-endpoint"]  # type: ignore[index]
        for name in ("sdgkg serve", UNCACHED):
            sdgkg = result["servers"][name]  # type: ignore[index]
            sdgkg["throughput_vs_rdflib"] = {
                m: sdgkg["throughput_rps"][m] / rdflib["throughput_rps"][m] for m in throughput
            }
    return result


def print_table(result: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    servers = result["servers"]  # type: ignore[assignment]
    table = Table(title=f"{result['triples']:,} triples: latency (median ms) per query")
    table.add_column("query")
    for name in servers:  # type: ignore[union-attr]
        table.add_column(name, justify="right")
    for query in QUERIES:
        table.add_row(
            query, *(f"{result['latency_median_s'][name][query] * 1000:.2f}" for name in servers)
        )  # type: ignore[index]
    console.print(table)
    summary = Table(
        title="ratios to oxigraph serve (targets: latency <= 1.10, throughput >= 0.90, RSS <= 1.50)"
    )
    for column in (
        "server",
        "latency geo-mean",
        "throughput (full mix)",
        "throughput (small)",
        "req/s full / small",
        "peak RSS MiB",
        "RSS ratio",
    ):
        summary.add_column(column, justify="right")
    for name, entry in servers.items():  # type: ignore[union-attr]
        summary.add_row(
            name,
            f"{entry['latency_geo_mean_ratio']:.3f}",
            f"{entry['throughput_ratio']['full mix']:.3f}",
            f"{entry['throughput_ratio']['small queries']:.3f}",
            f"{entry['throughput_rps']['full mix']:.1f} / "
            f"{entry['throughput_rps']['small queries']:.1f}",
            f"{entry['peak_rss_bytes'] / 2**20:.0f}",
            f"{entry['peak_rss_ratio']:.2f}",
        )
    console.print(summary)
    sdgkg = servers["sdgkg serve"]  # type: ignore[index]
    if "rss_with_pages_bytes" in sdgkg:
        console.print(
            f"sdgkg serve RSS after its FastAPI app is loaded: "
            f"{sdgkg['rss_with_pages_bytes'] / 2**20:.0f} MiB "
            f"({sdgkg['rss_with_pages_ratio']:.2f}x)"
        )
    for name in ("sdgkg serve", UNCACHED):
        vs = servers[name].get("throughput_vs_rdflib")  # type: ignore[index]
        if vs:
            console.print(
                f"{name} throughput vs rdflib-endpoint: {vs['full mix']:.1f}x (full mix), "
                f"{vs['small queries']:.1f}x (small queries)"
            )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--reps", type=int, default=30, help="latency repetitions per query")
    parser.add_argument("--rdflib-reps", type=int, default=3)
    parser.add_argument(
        "--rdflib-max", type=int, default=1_000_000, help="largest size to run rdflib-endpoint on"
    )
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each throughput run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=None, help="folder for data and stores (default: temporary)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("benchmarks/results") / f"endpoint-{time.strftime('%Y%m%d-%H%M')}.json",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sdgkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    machine: dict[str, object] = {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": os.getloadavg(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }
    results = []
    try:
        for size in args.sizes:
            result = run_size(size, work, args)
            print_table(result)
            results.append(result)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    machine["load_average_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine, "results": results}, indent=2))


if __name__ == "__main__":
    main()
