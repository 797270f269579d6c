"""Starts real SPARQL engines on 127.0.0.1 for the remote-store tests and benchmarks.

* Oxigraph server: ``oxigraph serve`` from the PyPI package ``oxigraph``.
* Virtuoso Open Source 7: ``virtuoso-t`` from the Debian package ``virtuoso-opensource``, in the
  foreground, on a fresh database in a temporary folder with an ini written here. The package
  keeps its binary in /usr/bin and a sample ini in /usr/share/virtuoso-opensource-7/; its HTTP
  server serves /sparql and /sparql-auth (digest, user ``dba``, password ``dba`` on a new
  database) without any VAD package.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"  # the fixed password of a new Virtuoso database; loopback only


@dataclass
class Engine:
    name: str
    url: str  # the sparql+http:// store URL
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_oxigraph(
    folder: Path, *, timeout_s: float | None = None, union_default_graph: bool = False
) -> Engine:
    port = free_port()
    command = [
        "oxigraph",
        "serve",
        "--location",
        str(folder / "data"),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if union_default_graph:
        command.append("--union-default-graph")
    if timeout_s:
        command += ["--timeout-s", f"{timeout_s:g}"]
    engine = _start("oxigraph", command, folder, f"sparql+http://127.0.0.1:{port}")
    _wait(engine, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
    return engine


def start_virtuoso(folder: Path) -> Engine:
    sql_port, http_port = free_port(), free_port()
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    command = ["virtuoso-t", "+foreground", "+configfile", str(ini)]
    engine = _start("virtuoso", command, folder, f"sparql+http://127.0.0.1:{http_port}")
    _wait(engine, f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D")
    return engine


def have(binary: str) -> bool:
    return shutil.which(binary) is not None


def _start(name: str, command: list[str], folder: Path, url: str) -> Engine:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    return Engine(name, url, process, log)


def _wait(engine: Engine, probe: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if engine.process.poll() is not None:
            raise RuntimeError(f"{engine.name} exited: {engine.log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    engine.stop()
    raise RuntimeError(f"{engine.name} did not start in {timeout_s:g} s")


# ResultSetMaxRows: Virtuoso cuts SELECT and CONSTRUCT answers to this many rows *silently*
# (10000 in the packaged ini); sdgkg enforces its own limit, so the engine's is set out of reach.
# TransactionAfterImageLimit (bytes of log one transaction may write): with the default, the one
# update that swaps in a replaced 1M-triple graph (`sdgkg load --replace`) is aborted (SR325).
_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 1G
TransactionAfterImageLimit = 1500000000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 300
MaxSortedTopRows = 100000000
"""
