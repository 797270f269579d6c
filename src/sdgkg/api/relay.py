"""Relays a query to a remote engine and its serialised answer to the client, unre-encoded.

Over a remote Oxigraph server the engine's output is byte for byte what sdgkg would write (the
same serialisers), so ``sdgkg serve`` passes it through: the row meter, the deadline checks and the
chunking of ``runner.py`` apply to the bytes as they arrive, and the engine's time limit is the
service's (``SDGKG_QUERY_TIMEOUT_S``, as the socket timeout). CONSTRUCT answers come as N-Triples
and are re-encoded only when the client asked for another format, counting triples as they go.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results, serialize

from sdgkg.api.conneg import ResultKind, negotiate
from sdgkg.api.runner import QueryJob, ResultStream, _ChunkWriter, _RowMeter
from sdgkg.api.safety import syntax_error

if TYPE_CHECKING:
    from sdgkg.store.remote import RemoteStore

_READ_BYTES = 64 * 1024
_KINDS = {
    "SELECT": ResultKind.SOLUTIONS,
    "ASK": ResultKind.BOOLEAN,
    "CONSTRUCT": ResultKind.TRIPLES,
    "DESCRIBE": ResultKind.TRIPLES,
}


def relay_query(store: RemoteStore, job: QueryJob, stream: ResultStream, max_rows: int) -> bool:
    """Answer ``job`` from the engine's own output; False if this engine or query cannot be."""
    from sdgkg.store.remote import query_form

    kind = _KINDS.get(query_form(job.query) or "")
    if kind is None:
        return False
    representation = negotiate(kind, job.accept, job.format_name)
    asked = "application/n-triples" if kind is ResultKind.TRIPLES else representation.media_type
    try:
        with store.proxy_query(
            job.query,
            accept=asked,
            default_graphs=job.default_graphs,
            named_graphs=job.named_graphs,
            base_iri=job.base_iri,
            timeout_s=max(0.001, stream.remaining()),
        ) as answer:
            if answer is None:
                return False
            stream.check()
            meter_format = representation.format if kind is not ResultKind.BOOLEAN else None
            meter = _RowMeter(meter_format, max_rows, job.dumps_url)
            writer = _ChunkWriter(stream, representation, meter)
            if answer.media_type == representation.media_type:
                try:
                    while chunk := answer.body.read(_READ_BYTES):
                        writer.write(chunk)
                except TimeoutError:
                    raise stream.timeout_error() from None
            elif kind is ResultKind.TRIPLES:
                triples = parse(answer.body, format=RdfFormat.N_TRIPLES)
                serialize(meter.counted(triples), writer, representation.format)  # type: ignore[arg-type]
            else:
                fmt = _result_format(answer.media_type)
                results = parse_query_results(answer.body.read(), format=fmt)
                results.serialize(writer, representation.format)  # type: ignore[arg-type]
            writer.finish()
    except SyntaxError as error:
        raise syntax_error(error) from None
    return True


def _result_format(media_type: str) -> QueryResultsFormat:
    from sdgkg.store.remote import _RESULT_FORMATS

    return _RESULT_FORMATS[media_type]
