"""Load, validation and start-up speed of the curator's CLI, beside `oxigraph load` in one run.

Targets (issue 3): `sdgkg load` of a 1M-triple N-Triples file within 1.3x of `oxigraph load`;
`sdgkg validate --against-store` of a 20-record file against a 1M-triple store under 1 s;
`sdgkg --help` under 0.3 s. Repetitions are interleaved so both tools see the same machine.

    python benchmarks/load_bench.py [--triples 1000000] [--repeat 3] [--json results.json]

``--replace 100000,1000000`` measures issue 18's target instead: `sdgkg load --replace` of a graph
within 1.5x of a fresh load of the same file, beside the bundle. Per size and round, interleaved:
a fresh load, a replace by the same file, a replace by a file of other content (another seed,
same name so the same graph), and the same fresh load and replace through a running
`sdgkg serve` (``PUT /store``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_data import write

HERE = Path(__file__).parent
CASE = HERE.parent / "tests" / "cases" / "partnership-valid.ttl"


def timed(command: list[str], **kwargs: object) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start


def twenty_records(folder: Path) -> Path:
    """A file of 20 records (partners, partnerships, memberships) like the curated ones."""
    text = CASE.read_text(encoding="utf-8")
    path = folder / "twenty.ttl"
    parts = [text.split("\n\n", 1)[0]]  # prefixes
    body = text.split("\n\n", 1)[1]
    for number in range(5):  # 4 records per copy: partner, partnership, 2 memberships
        parts.append(body.replace("test-solar", f"test-solar-{number}"))
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--replace", help="sizes, comma-separated: measure load --replace")
    args = parser.parse_args()
    console = Console()
    if args.replace:
        sizes = [int(size) for size in args.replace.split(",")]
        results = {size: replace_bench(size, args.repeat, console) for size in sizes}
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        return
    work = Path(tempfile.mkdtemp(prefix="sdgkg-load-bench-"))
    try:
        data = work / "synthetic.nt"
        count = write(data, args.triples)
        console.print(f"{count:,} triples, {data.stat().st_size / 1e6:.0f} MB")
        bundled = work / "bundled"
        subprocess.run(["sdgkg", "--store", str(bundled), "load"], check=True, capture_output=True)
        # Two references: `oxigraph load` into the default graph (3 indexes), and into a named
        # graph as sdgkg does for every file (Oxigraph keeps 6 indexes for named graphs: ~1.5x).
        sdgkg_s, oxigraph_s, oxigraph_named_s = [], [], []
        for round_ in range(args.repeat):
            ox_dir, named_dir = work / f"ox{round_}", work / f"oxn{round_}"
            sd_dir = work / f"sd{round_}"
            shutil.copytree(bundled, sd_dir)
            oxigraph_s.append(
                timed(["oxigraph", "load", "--location", str(ox_dir), "--file", str(data)])
            )
            sdgkg_s.append(timed(["sdgkg", "--store", str(sd_dir), "load", str(data)]))
            oxigraph_named_s.append(
                timed(
                    [
                        "oxigraph",
                        "load",
                        "--location",
                        str(named_dir),
                        "--file",
                        str(data),
                        "--graph",
                        "https://w3id.org/sdgkg/graph/upload/synthetic",
                    ]
                )
            )
            console.print(
                f"round {round_ + 1}: oxigraph {oxigraph_s[-1]:.2f} s, "
                f"oxigraph --graph {oxigraph_named_s[-1]:.2f} s, sdgkg {sdgkg_s[-1]:.2f} s"
            )
        loaded = work / f"sd{args.repeat - 1}"
        records = twenty_records(work)
        validate_s = [
            timed(["sdgkg", "--store", str(loaded), "validate", "--against-store", str(records)])
            for _ in range(args.repeat)
        ]
        help_s = [timed(["sdgkg", "--help"]) for _ in range(5)]
        results = {
            "triples": count,
            "oxigraph_load_s": statistics.median(oxigraph_s),
            "sdgkg_load_s": statistics.median(sdgkg_s),
            "oxigraph_load_named_graph_s": statistics.median(oxigraph_named_s),
            "load_ratio": statistics.median(sdgkg_s) / statistics.median(oxigraph_s),
            "load_ratio_same_named_graph": statistics.median(sdgkg_s)
            / statistics.median(oxigraph_named_s),
            "validate_20_records_against_store_s": statistics.median(validate_s),
            "help_s": statistics.median(help_s),
        }
        table = Table("measure", "value", "target")
        table.add_row("oxigraph load (median)", f"{results['oxigraph_load_s']:.2f} s", "")
        table.add_row("sdgkg load (median)", f"{results['sdgkg_load_s']:.2f} s", "")
        table.add_row(
            "oxigraph load --graph (median)", f"{results['oxigraph_load_named_graph_s']:.2f} s", ""
        )
        table.add_row("load ratio sdgkg / oxigraph", f"{results['load_ratio']:.2f}x", "≤ 1.30x")
        table.add_row(
            "load ratio sdgkg / oxigraph --graph (same work)",
            f"{results['load_ratio_same_named_graph']:.2f}x",
            "≤ 1.30x",
        )
        table.add_row(
            "validate 20 records --against-store",
            f"{results['validate_20_records_against_store_s']:.2f} s",
            "< 1 s",
        )
        table.add_row("sdgkg --help", f"{results['help_s']:.3f} s", "< 0.3 s")
        console.print(table)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- load --replace (issue 18) ----------------------------------------------------------------

TOKEN = "bench"


def replace_bench(triples: int, repeat: int, console: Console) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="sdgkg-replace-bench-"))
    try:
        same, other = work / "a" / "synthetic.nt", work / "b" / "synthetic.nt"
        count = write(same, triples)
        write(other, triples, seed=7)
        bundled = work / "bundled"
        subprocess.run(["sdgkg", "--store", str(bundled), "load"], check=True, capture_output=True)
        times: dict[str, list[float]] = {
            "fresh": [], "replace_same": [], "replace_other": [],
            "server_fresh": [], "server_replace": [],
        }  # fmt: skip
        for round_ in range(repeat):
            store = work / f"cli{round_}"
            shutil.copytree(bundled, store)
            times["fresh"].append(timed(["sdgkg", "--store", str(store), "load", str(same)]))
            times["replace_same"].append(
                timed(["sdgkg", "--store", str(store), "load", "--replace", str(same)])
            )
            times["replace_other"].append(
                timed(["sdgkg", "--store", str(store), "load", "--replace", str(other)])
            )
            served = work / f"srv{round_}"
            shutil.copytree(bundled, served)
            fresh_s, replace_s = _through_server(served, same)
            times["server_fresh"].append(fresh_s)
            times["server_replace"].append(replace_s)
            console.print(
                f"{count:,} round {round_ + 1}: "
                + ", ".join(f"{name} {values[-1]:.2f} s" for name, values in times.items())
            )
            shutil.rmtree(store, ignore_errors=True)
            shutil.rmtree(served, ignore_errors=True)
        return _replace_summary(count, times, console)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _through_server(store: Path, data: Path) -> tuple[float, float]:
    """A fresh load and a replace of ``data`` beside a running `sdgkg serve` (``PUT /store``)."""
    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SDGKG_UPDATE_TOKEN": TOKEN}
    server = subprocess.Popen(
        ["sdgkg", "--store", str(store), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        load = ["sdgkg", "--store", str(store), "load"]
        _settle(server.pid)
        fresh_s = timed([*load, str(data)], env=env)
        _settle(server.pid)  # the builds a load starts (VoID, search ...) are not the replace's
        return fresh_s, timed([*load, "--replace", str(data)], env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _settle(pid: int, quiet_s: float = 0.05, timeout_s: float = 300) -> None:
    """Until the server used less than ``quiet_s`` of CPU in a second (/proc/<pid>/stat)."""
    tick = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        before = cpu()
        time.sleep(1.0)
        if cpu() - before < quiet_s:
            return


def _replace_summary(
    count: int, times: dict[str, list[float]], console: Console
) -> dict[str, object]:
    medians = {name: statistics.median(values) for name, values in times.items()}
    table = Table(f"{count:,} triples", "median", "min-max", "ratio to its fresh load")
    fresh_of = {"replace_same": "fresh", "replace_other": "fresh", "server_replace": "server_fresh"}
    for name, values in times.items():
        ratio = medians[name] / medians[fresh_of[name]] if name in fresh_of else None
        table.add_row(
            name, f"{medians[name]:.2f} s", f"{min(values):.2f}-{max(values):.2f} s",
            f"{ratio:.2f}x" if ratio else "",
        )  # fmt: skip
    console.print(table)
    console.print(f"load average: {os.getloadavg()}")
    return {
        "triples": count,
        "seconds": times,
        "medians": medians,
        "ratios": {name: medians[name] / medians[base] for name, base in fresh_of.items()},
        "load_average": os.getloadavg(),
    }


if __name__ == "__main__":
    main()
