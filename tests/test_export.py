"""`sdgkg export`: every format writes RDF that parses back."""

from __future__ import annotations

import io

from pyoxigraph import parse

from sdgkg.export import EXPORT_FORMATS, export_format, export_store
from sdgkg.store.embedded import EmbeddedStore


def test_every_export_format_writes_parseable_rdf(store: EmbeddedStore) -> None:
    for name in EXPORT_FORMATS:
        out = io.BytesIO()
        export_store(store, out, name)
        assert list(parse(out.getvalue(), format=export_format(name))), name
