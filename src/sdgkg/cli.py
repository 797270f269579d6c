"""The ``sdgkg`` command: parse arguments, call the library, map errors to exit codes.

Heavy modules (pyoxigraph, rdflib, pyshacl, rich, pydantic) are imported inside the commands so
that ``sdgkg --help`` answers at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from sdgkg import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from sdgkg.config import Settings
    from sdgkg.errors import SdgkgError
    from sdgkg.store.base import GraphStore

EXIT_INTERRUPTED = 130


class _SdgkgGroup(click.Group):
    """Turns every ``SdgkgError`` into a one-line message and its exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from sdgkg.errors import SdgkgError

        try:
            return super().invoke(ctx)
        except SdgkgError as error:
            _fail(error)
        except KeyboardInterrupt:
            _stderr().print("[yellow]interrupted: nothing was changed by an unfinished load[/]")
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_SdgkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdgkg")
@click.option(
    "--store",
    envvar="SDGKG_STORE",
    metavar="PATH|URL",
    help="Store directory (default ./.sdgkg/store) or sparql+http://… of a remote engine.",
)
@click.option("--base-iri", envvar="SDGKG_BASE_IRI", help="Base of minted IRIs.")
@click.pass_context
def cli(ctx: click.Context, store: str | None, base_iri: str | None) -> None:
    """sdgkg: a knowledge graph of sustainability partnerships (SDGs), as SPARQL and Linked Data."""
    overrides = {k: v for k, v in {"store": store, "base_iri": base_iri}.items() if v}
    ctx.obj = overrides


def _remember_setting(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.find_root().obj[param.name] = value


F = TypeVar("F", bound=Callable[..., Any])


def store_options(command: F) -> F:
    """``--store`` and ``--base-iri`` after the command name too (``sdgkg stats --store X``);
    given there, they win over the same option before it and over the environment."""
    for name, metavar, about in (
        ("--base-iri", "IRI", "Base of minted IRIs (as before the command)."),
        ("--store", "PATH|URL", "Store directory or sparql+http://… (as before the command)."),
    ):
        command = click.option(
            name, metavar=metavar, help=about, expose_value=False, callback=_remember_setting
        )(command)
    return command


def _settings(ctx: click.Context, **overrides: object) -> Settings:
    """The settings, with a command's own options (``overrides`` that are not None) validated
    with the rest: a policy such as "public metrics need a token" sees the final host."""
    from pydantic import ValidationError

    from sdgkg.config import Settings
    from sdgkg.errors import ConfigError

    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        return Settings(**{**ctx.find_root().obj, **given})
    except ValidationError as error:
        problems = "; ".join(_setting_problem(e) for e in error.errors())
        raise ConfigError(problems) from None


def _setting_problem(error: Any) -> str:
    """One bad setting, named as the user set it (``SDGKG_<NAME>``, or its option) with the
    value given, unless the setting is a secret."""
    from sdgkg.config import Settings

    name = "_".join(map(str, error["loc"]))
    if not name:
        return str(error["msg"])
    field = Settings.model_fields.get(name)
    secret = field is not None and "SecretStr" in str(field.annotation)
    given = "" if secret else f"={error['input']!r}"
    return f"SDGKG_{name.upper()}{given}: {error['msg']}"


def _open(ctx: click.Context) -> GraphStore:
    """Open the store for writing; it is closed when the command ends, even on error.

    Reads go through ``_reading`` instead: read-only, so they work beside `sdgkg serve`.
    """
    from sdgkg.store import open_store

    store = open_store(_settings(ctx), exclusive=True)
    ctx.call_on_close(store.close)
    return store


def _store_or_server(ctx: click.Context, settings: Settings) -> GraphStore | str:
    """The store opened for writing; or, while `sdgkg serve` holds it, that server's URL."""
    from sdgkg.errors import StoreLocked
    from sdgkg.serving import read_serving_note

    try:
        return _open(ctx)
    except StoreLocked:
        note = read_serving_note(settings.store_path)
        if note is None:
            raise
        return note.url


def _token_for(settings: Settings, server: str) -> str:
    from sdgkg.errors import StoreError

    if settings.update_token is None:
        raise StoreError(
            f"the store is in use by `sdgkg serve` at {server}; to load through it, set "
            "SDGKG_UPDATE_TOKEN to the token the server was started with, or stop the server "
            "and load again",
            where=str(settings.store_path),
        )
    return settings.update_token.get_secret_value()


READ_ATTEMPTS = 3
T = TypeVar("T")


def _reading(ctx: click.Context, work: Callable[[GraphStore], T]) -> T:
    """``work`` on a read-only handle of the store, done whole before anything is printed.

    Beside a `sdgkg serve` that writes, the server may compact away a file that a read-only
    handle still expects (seen in 2 of 17 reads under continuous writes, never a wrong answer:
    benchmarks/read_only_beside_server.py); a fresh handle sees the new files, so the read is
    done again on one.
    """
    from sdgkg.errors import StoreError
    from sdgkg.store import open_store

    settings = _settings(ctx)
    for _ in range(READ_ATTEMPTS):
        store: GraphStore | None = None
        try:
            # Opening races the server's compaction too: the manifest may name a file it has
            # just removed (seen once in CI, 2026-12-04).
            store = open_store(settings, read_only=True, exclusive=True)
            return work(store)
        except (RuntimeError, OSError) as error:
            if "No such file" not in str(error):
                raise
        finally:
            if store is not None:
                store.close()
    raise StoreError(
        f"the running server rewrote the store's files during {READ_ATTEMPTS} reads in a row; "
        "run the command again",
        where=str(settings.store),
    )


@cli.command()
@store_options
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Replace graphs of files loaded before.")
@click.pass_context
def load(ctx: click.Context, paths: tuple[Path, ...], replace: bool) -> None:
    """Load RDF files, each into its own named graph (no paths: the bundled data).

    Every file is parsed and validated before anything is written; the load is all or nothing.
    """
    from sdgkg import resources
    from sdgkg.load import load_bundled, load_files, load_through_server

    settings = _settings(ctx)
    store = _store_or_server(ctx, settings)
    if isinstance(store, str):
        files = list(paths) or resources.bundled_load_files()
        summary = load_through_server(store, _token_for(settings, store), files, settings,
                                      replace=replace or not paths)  # fmt: skip
    else:
        with _progress() as progress:
            if paths:
                summary = load_files(
                    store, list(paths), settings, replace=replace, on_progress=progress
                )
            else:
                summary = load_bundled(store, settings)
    console = _stdout()
    for loaded in summary.files:
        console.print(
            f"loaded {loaded.triples:>8,} triples from {loaded.path} into <{loaded.graph}>"
        )
    console.print(f"[green]{summary.triples:,} triples in {len(summary.files)} graph(s)[/]")


@cli.command()
@store_options
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--against-store", is_flag=True, help="Resolve references against the store's records."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "tsv", "turtle"]),
    default="text",
    help="text: one line per problem; tsv: columns with a header line.",
)
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], against_store: bool, fmt: str) -> None:
    """Check records against the shapes. Exit 0 conforms, 1 violations, 2 unreadable input."""
    from sdgkg.validate import validate_against_store, validate_files

    base_iri = _settings(ctx).base_iri
    if against_store:
        report = _reading(
            ctx, lambda store: validate_against_store(list(files), store, base_iri=base_iri)
        )
    else:
        report = validate_files(list(files), base_iri=base_iri)
    if fmt == "json":
        click.echo(report.to_json())
    elif fmt == "turtle":
        click.echo(report.to_turtle())
    elif fmt == "tsv":
        _print_tsv(VIOLATION_COLUMNS, [_violation_row(v) for v in report.violations])
    else:
        _print_violations(report.violations)
        verdict = "[green]conforms[/]" if report.conforms else "[red]does not conform[/]"
        _stdout().print(f"{len(files)} file(s): {verdict}")
    ctx.exit(0 if report.conforms else 1)


@cli.command()
@store_options
@click.argument("source", required=False)
@click.option("-e", "--expression", help="The SPARQL query text.")
@click.option(
    "--format", "fmt", default="table", help="table, json, csv, tsv, xml, turtle, ntriples, …"
)
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=TERM", help="Bind a parameter."
)
@click.pass_context
def query(
    ctx: click.Context,
    source: str | None,
    expression: str | None,
    fmt: str,
    params: tuple[str, ...],
) -> None:
    """Run a query: a .rq file, -e TEXT, or the NAME of a curated query."""
    from sdgkg.iris import rebase_text
    from sdgkg.queries import bind_parameters, run_query

    text, origin = _query_text(source, expression)
    text = bind_parameters(rebase_text(text, _settings(ctx).base_iri), _parse_params(params))
    _write_result(
        _reading(ctx, lambda store: _read_result(run_query(store, text, source=origin), fmt)), fmt
    )


def _query_text(source: str | None, expression: str | None) -> tuple[str, str]:
    from sdgkg.errors import InputError
    from sdgkg.queries import find_curated
    from sdgkg.rdfio import read_bytes

    if expression is not None and source is None:
        return expression, "query"
    if source is None or expression is not None:
        raise InputError("give exactly one of: a .rq file, -e TEXT, or a curated query NAME")
    if source == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(source)
    if path.suffix == ".rq" or path.exists():
        return read_bytes(path).decode("utf-8", errors="replace"), str(path)
    curated = find_curated(source)
    return curated.text, str(curated.path)


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    from sdgkg.errors import InputError

    bound = {}
    for item in params:
        name, sep, term = item.partition("=")
        if not sep or not name:
            raise InputError(f"parameter {item!r} is not NAME=TERM")
        bound[name.lstrip("?")] = term
    return bound


def _read_result(result: Any, fmt: str) -> bytes | tuple[list[str], list[list[str]]]:
    """The whole result: serialised in ``fmt``, or as table rows."""
    import io

    from sdgkg.results import table_rows, write_result

    if fmt == "table":
        return table_rows(result)
    out = io.BytesIO()
    write_result(result, out, fmt)
    return out.getvalue()


def _write_result(result: bytes | tuple[list[str], list[list[str]]], fmt: str) -> None:
    from rich.table import Table

    if isinstance(result, bytes):
        sys.stdout.buffer.write(result)
        sys.stdout.buffer.flush()
        return
    columns, rows = result
    if not _to_terminal():
        _print_tsv(columns, rows)
        return
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*row)
    console = _stdout()
    console.print(table)
    console.print(f"{len(rows)} row(s)")


@cli.command("queries")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "tsv"]),
    help="Default: a table on a terminal, else plain lines (name, tab, question), as ls does.",
)
def list_queries(fmt: str | None) -> None:
    """List the curated queries and the question each answers."""
    import json

    from rich.table import Table

    from sdgkg.queries import list_curated

    curated = list_curated()
    if fmt == "json":
        keys = ("name", "question_en", "question_da", "parameters")
        click.echo(
            json.dumps(
                [{k: getattr(q, k) for k in keys} for q in curated], ensure_ascii=False, indent=2
            )
        )
        return
    if fmt == "tsv" or (fmt is None and not _to_terminal()):
        rows = [[q.name, q.question_en, q.parameters] for q in curated]
        _print_tsv(["name", "question", "parameters"], rows, header=fmt == "tsv")
        return
    table = Table("name", "question", "parameters")
    for q in curated:
        table.add_row(q.name, f"{q.question_en}\n[dim]{q.question_da}[/]", q.parameters)
    _stdout().print(table)


@cli.command()
@store_options
@click.option(
    "--format", "fmt", default="turtle", help="turtle, ntriples, nquads, trig, jsonld, rdfxml."
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="File to write (default stdout)."
)
@click.option("--graph", help="Export one named graph only.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None, graph: str | None) -> None:
    """Write the store's graphs (quad formats) or their union (triple formats)."""
    import shutil
    import tempfile

    from sdgkg.export import export_format, export_store

    export_format(fmt)
    folder = output.resolve().parent if output else None
    with tempfile.TemporaryFile(dir=folder) as written:

        def write(store: GraphStore) -> None:
            written.seek(0)
            written.truncate()
            export_store(store, written, fmt, graph=graph)

        _reading(ctx, write)
        written.seek(0)
        if output is None:
            shutil.copyfileobj(written, sys.stdout.buffer)
        else:
            with output.open("wb") as out:
                shutil.copyfileobj(written, out)


@cli.command()
@store_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "tsv"]),
    help="Default: tables on a terminal, else plain lines (kind, name, count).",
)
@click.pass_context
def stats(ctx: click.Context, fmt: str | None) -> None:
    """Triples, graphs, records per kind (as on the home page) and instances per class."""
    import dataclasses
    import json

    from pyoxigraph import NamedNode
    from rich.table import Table

    from sdgkg.kinds import count_kinds
    from sdgkg.results import display_term
    from sdgkg.store import store_stats

    base_iri = _settings(ctx).base_iri
    summary, kinds = _reading(ctx, lambda store: (store_stats(store), count_kinds(store, base_iri)))
    if fmt == "json":
        click.echo(json.dumps({**dataclasses.asdict(summary), "kinds": kinds}, indent=2))
        return
    if fmt == "tsv" or (fmt is None and not _to_terminal()):
        rows = [
            ["triples", "", str(summary.triples)],
            *(["graph", g.graph, str(g.triples)] for g in summary.graphs),
            *(["records", f"sdgkg:{kind}", str(count)] for kind, count in kinds.items()),
            *(["class", iri, str(count)] for iri, count in summary.classes.items()),
        ]
        _print_tsv(["kind", "name", "count"], rows, header=fmt == "tsv")
        return
    console = _stdout()
    console.print(f"[bold]{summary.triples:,}[/] triples in {len(summary.graphs)} graph(s)")
    graphs = Table("graph", "triples")
    for g in summary.graphs:
        graphs.add_row(g.graph, f"{g.triples:,}")
    records = Table("kind (with subclasses)", "records")
    for kind, count in kinds.items():
        records.add_row(f"sdgkg:{kind}", f"{count:,}")
    classes = Table("class", "instances")
    for iri, count in summary.classes.items():
        classes.add_row(display_term(NamedNode(iri)), f"{count:,}")
    console.print(graphs, records, classes)


@cli.command()
@store_options
@click.option("--host", help="Interface to bind (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 8000).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve SPARQL, Linked Data pages, VoID and dumps (loads the bundle into an empty store)."""
    from sdgkg.service.server import serve as run_server

    run_server(_settings(ctx, host=host or None, port=port or None))


@cli.command()
@store_options
@click.pass_context
def prepare(ctx: click.Context) -> None:
    """Build VoID's counts, the dumps, the search index and the pages' tables, and keep them
    beside the store: run it after `sdgkg load` so the first page after a start is instant."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from sdgkg.service.prepare import Prepared, prepare_derived

    settings = _settings(ctx)
    store = _open(ctx)
    console = _stderr()
    with Progress(
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("preparing", total=None)

        def done(item: Prepared) -> None:
            how = "built" if item.built else "read back"
            kept = "" if item.kept else " (not kept on disk)"
            console.print(f"{item.name}: {how} in {item.seconds:.1f} s{kept}")
            progress.advance(task)

        prepared = prepare_derived(settings, store, done)
    console.print(f"[green]{len(prepared)} derived values ready beside the store[/]")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, directory: Path) -> None:
    """Back the store up into DIRECTORY, a new folder with a manifest; while `sdgkg serve` runs,
    the server takes it (with SDGKG_UPDATE_TOKEN)."""
    from sdgkg.backup import backup_store, backup_through_server, store_in_use
    from sdgkg.errors import ConfigError

    settings = _settings(ctx)
    if settings.store_is_remote:
        raise ConfigError("only the embedded store is backed up; use the engine's own backup")
    if store_in_use(settings.store_path):
        token = settings.update_token.get_secret_value() if settings.update_token else None
        manifest = backup_through_server(_server_root(settings), token, directory)
        how = "by the running server"
    else:
        from sdgkg.store.embedded import EmbeddedStore

        if not settings.store_path.is_dir():
            raise ConfigError("there is no store to back up", where=str(settings.store_path))
        store = EmbeddedStore(settings.store_path, exclusive=True)
        ctx.call_on_close(store.close)
        manifest = backup_store(store, directory)
        how = "from the store"
    _stderr().print(
        f"backed up {len(manifest.graphs)} graphs, {manifest.quads:,} quads in "
        f"{manifest.took_s:g} s {how} into {directory}"
    )


@cli.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, directory: Path) -> None:
    """Replace the store with the backup in DIRECTORY, once every checksum in its manifest holds.
    Stop `sdgkg serve` first; the replaced store is kept beside it."""
    from sdgkg.backup import restore_store
    from sdgkg.errors import ConfigError

    settings = _settings(ctx)
    if settings.store_is_remote:
        raise ConfigError("only the embedded store is restored; use the engine's own restore")
    manifest, previous = restore_store(directory, settings.store_path)
    kept = f"; the store it replaced is at {previous}" if previous else ""
    _stderr().print(
        f"restored {len(manifest.graphs)} graphs, {manifest.quads:,} quads "
        f"(backed up {manifest.created}){kept}"
    )


def _server_root(settings: Settings) -> str:
    """Where this machine reaches the running server: the public URL, else host and port."""
    if settings.public_url:
        return settings.public_url
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    return f"http://{host}:{settings.port}/"


def _progress() -> Any:
    """A context manager giving an ``on_progress(path, done, total)`` callback with a rich bar."""
    from contextlib import contextmanager

    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    @contextmanager
    def bar() -> Any:
        with Progress(
            "{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=_stderr(),
            transient=True,
        ) as progress:
            tasks: dict[Path, Any] = {}

            def update(path: Path, done: int, total: int) -> None:
                if path not in tasks:
                    tasks[path] = progress.add_task(f"loading {path.name}", total=total)
                progress.update(tasks[path], completed=done)

            yield update

    return bar()


def _print_violations(violations: list[Any]) -> None:
    from rich.markup import escape  # values and labels are data: "[/]" in one is not markup

    console = _stdout()
    for violation in violations:
        colour = "red" if violation.severity == "Violation" else "yellow"
        console.print(
            f"[{colour}]{escape(violation.to_text())}[/]", highlight=False, soft_wrap=True
        )


def _fail(error: SdgkgError) -> NoReturn:
    from sdgkg.errors import UnresolvedNames, ValidationFailed

    report = getattr(error, "report", None) if isinstance(error, ValidationFailed) else None
    if report is not None:
        _print_violations(report.violations)
    for name in error.names if isinstance(error, UnresolvedNames) else ():
        click.echo(str(name), err=True)
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


VIOLATION_COLUMNS = [
    *("file", "line", "severity", "record", "label", "path", "value", "message", "shape"),
]


def _violation_row(violation: Any) -> list[str]:
    fields = (violation.file, violation.line, violation.severity, violation.focus_node)
    more = (violation.focus_label, violation.path, violation.value, violation.message)
    return [str(v) if v is not None else "" for v in (*fields, *more, violation.shape_id)]


def _to_terminal() -> bool:
    """Whether stdout is a terminal: tables for people there, plain lines for programs else."""
    return sys.stdout.isatty()


def _print_tsv(columns: list[str], rows: list[list[str]], *, header: bool = True) -> None:
    """One line per row, cells split by tabs; a tab or line break inside a cell becomes a space."""
    for row in [columns, *rows] if header else rows:
        click.echo("\t".join(" ".join(cell.split("\t")).replace("\n", " ") for cell in row))


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, emoji=False)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False)


@cli.group()
def provenance() -> None:
    """Check the provenance of curated records against their source documents."""


@provenance.command("check")
@click.argument("sources_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Record files (default: the bundled data).",
)
def provenance_check(sources_dir: Path, data_files: tuple[Path, ...]) -> None:
    """Verify each key phrase occurs verbatim within its locator's lines in SOURCES_DIR."""
    from sdgkg import resources
    from sdgkg.provenance import check_provenance

    files = list(data_files) or [*resources.reference_data_files(), *resources.curated_data_files()]
    report = check_provenance(files, sources_dir)
    for problem in report.problems:
        click.echo(problem.to_text())
    click.echo(f"{report.checked} quotation(s) checked, {len(report.problems)} problem(s)")
    sys.exit(1 if report.problems else 0)


@cli.command("import")
@store_options
@click.argument("csv_file", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write the records as Turtle here."
)
@click.option("--load", "load_into_store", is_flag=True, help="Load the records into the store.")
@click.option(
    "--replace", is_flag=True, help="With --load: replace an earlier import of this file."
)
@click.pass_context
def import_(
    ctx: click.Context, csv_file: Path, output: Path | None, load_into_store: bool, replace: bool
) -> None:
    """Map a partnerships CSV (see data/templates/partnerships.csv) to validated RDF records.

    Names resolve against the store as /reconcile matches them (without a store: against the
    bundled data); a name that matches no record, or several, is listed with its candidates
    and exits 1.
    """
    from sdgkg.reconcile.sheet import import_sheet

    settings = _settings(ctx)
    base_iri = settings.base_iri
    if settings.store_is_remote or settings.store_path.is_dir():
        records = _reading(ctx, lambda store: import_sheet(csv_file, store, base_iri))
    else:
        from sdgkg.load import bundled_memory_store

        click.echo(
            f"no store at {settings.store}: names resolve against the bundled data", err=True
        )
        records = import_sheet(csv_file, bundled_memory_store(settings), base_iri)
    turtle = records.to_turtle()
    if output:
        output.write_bytes(turtle)
    if load_into_store:
        from sdgkg.load import load_turtle_bytes

        store = _store_or_server(ctx, settings)
        target = (store, _token_for(settings, store)) if isinstance(store, str) else store
        load_turtle_bytes(target, turtle, csv_file, settings, replace=replace)
    if not output and not load_into_store:
        sys.stdout.buffer.write(turtle)
    click.echo(f"{len(set(records.rows_by_iri.values()))} row(s) imported", err=True)


def main() -> None:
    """Entry point of the ``sdgkg`` command."""
    cli(prog_name="sdgkg")
