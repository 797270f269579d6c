"""Counts result rows in serialised output, so the row limit holds without rows in Python."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from pyoxigraph import QueryResultsFormat, RdfFormat

from sdgkg.errors import LimitExceeded

if TYPE_CHECKING:
    from sdgkg.protocol.conneg import Representation


class RowMeter:
    """Counts result rows in serialised output, to enforce ``max_result_rows`` without Python rows.

    Counting is a ``bytes.count`` of each marker per 8 KiB write. Exact for TSV, CSV without
    multi-line literals, SPARQL XML and line-based RDF. For SPARQL JSON it counts the ``},{``
    between solutions, and for Turtle/TriG the `` .``, `` ;`` at line ends and the `` , ``
    between objects (Oxigraph's writer escapes line breaks in literals, so only `` , `` can occur
    inside one): a literal can inflate these counts, so the limit may trip early, never late.
    Triples in RDF/XML and JSON-LD are counted one by one.
    """

    _MARKERS: ClassVar[dict[object, tuple[bytes, ...]]] = {
        QueryResultsFormat.JSON: (b"},{",),
        QueryResultsFormat.XML: (b"<result>",),
        QueryResultsFormat.TSV: (b"\n",),
        QueryResultsFormat.CSV: (b"\n",),
        RdfFormat.N_TRIPLES: (b"\n",),
        RdfFormat.N_QUADS: (b"\n",),
        RdfFormat.TURTLE: (b" .\n", b" ;\n", b" , "),
        RdfFormat.TRIG: (b" .\n", b" ;\n", b" , "),
    }
    _HEADER_LINES: ClassVar[dict[object, int]] = {
        QueryResultsFormat.TSV: 1,
        QueryResultsFormat.CSV: 1,
    }
    _JSON_FIRST_ROW = b'"bindings":[{'

    def __init__(self, fmt: object, max_rows: int, dumps_url: str) -> None:
        self.format = fmt  # None for a boolean
        self._markers = self._MARKERS.get(fmt, ())
        # Bytes at a write's end that may hold the start of a marker.
        self._marker_tail = max(map(len, self._markers), default=1) - 1
        self._json = fmt == QueryResultsFormat.JSON
        self._rows = -self._HEADER_LINES.get(fmt, 0)
        self._max_rows = max_rows
        self._dumps_url = dumps_url
        self._tail = b""

    @property
    def rows(self) -> int:
        """The rows counted so far: what the access log and metrics report as sent."""
        return max(0, self._rows)

    @classmethod
    def counts_bytes(cls, fmt: object) -> bool:
        return fmt in cls._MARKERS

    def count(self, data: bytes) -> None:
        markers = self._markers
        if not markers:
            return
        if markers == (b"\n",):
            self.add(data.count(b"\n"))
            return
        # A marker may straddle two writes: count those across the seam with the previous
        # write's tail, and the rest in this write alone, without copying it (a 25 MB answer
        # costs a copy per 256 KiB read otherwise).
        tail = self._tail
        head = data[: len(tail)]
        seam = tail + head
        found = sum(data.count(m) + seam.count(m) - tail.count(m) - head.count(m) for m in markers)
        if self._json and (self._JSON_FIRST_ROW in seam or self._JSON_FIRST_ROW in data):
            found += 1  # the first solution has no "},{" before it
            self._json = False
        keep = len(self._JSON_FIRST_ROW) - 1 if self._json else self._marker_tail
        self._tail = data[-keep:] if len(data) >= keep else (tail + data)[-keep:]
        self.add(found)

    def add(self, rows: int) -> None:
        self._rows += rows
        if self._rows > self._max_rows:
            raise LimitExceeded(
                f"the result has more than {self._max_rows} rows, the limit of this endpoint; "
                f"add a LIMIT, page with OFFSET, or download the full dump from {self._dumps_url}",
                see="SDGKG_MAX_RESULT_ROWS",
            )

    def counted(self, items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            self.add(1)
            yield item


def count_rows(representation: Representation, body: bytes) -> int | None:
    """Rows in a whole serialised answer (one kept by the result cache); None for the formats
    whose rows are not counted in bytes (RDF/XML, JSON-LD)."""
    if not RowMeter.counts_bytes(representation.format):
        return None
    meter = RowMeter(representation.format, sys.maxsize, "")
    meter.count(body)
    return meter.rows
