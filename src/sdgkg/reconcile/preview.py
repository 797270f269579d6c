"""The preview card OpenRefine shows in an iframe beside each candidate.

https://reconciliation-api.github.io/specs/0.2/#preview-service : a small HTML document per id.
Every text is escaped; the card loads nothing and runs no script, and its own policy lets any
page frame it (the site's other pages refuse framing). The site's middleware still adds
``X-Frame-Options: DENY``; browsers ignore it where a CSP ``frame-ancestors`` is present
(CSP Level 3, section 6.4.2), so OpenRefine's iframe shows the card.
"""

from __future__ import annotations

from html import escape

from sdgkg.reconcile.catalogue import PropertySpec
from sdgkg.reconcile.index import ReconcileIndex, Record
from sdgkg.reconcile.protocol import types_json

PREVIEW_WIDTH = 400
PREVIEW_HEIGHT = 180
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors *"
)
_STYLE = (
    "body{font:13px/1.4 system-ui,sans-serif;margin:6px;color:#222}"
    "h1{font-size:15px;margin:0 0 2px}p{margin:2px 0}.k{color:#666}"
)


def preview_html(index: ReconcileIndex, record: Record, lang: str) -> str:
    """A card with the record's names, types, description and key values."""
    other = sorted({v for v in record.labels.values() if v != record.name(lang)})
    kinds = ", ".join(t["name"] for t in types_json(index, record, lang))
    lines = [
        f"<h1>{escape(record.name(lang))}</h1>",
        *(f"<p>{escape(name)}</p>" for name in other),
        f'<p class="k">{escape(kinds)}</p>',
    ]
    description = record.description(lang)
    if description:
        lines.append(f"<p>{escape(_shorten(description))}</p>")
    lines += [_value_line(index, record, spec, lang) for spec in index.properties]
    lines.append(f'<p><a href="{escape(record.iri)}" target="_blank">{escape(record.iri)}</a></p>')
    body = "".join(line for line in lines if line)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(record.name(lang))}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )


def _value_line(index: ReconcileIndex, record: Record, spec: PropertySpec, lang: str) -> str:
    values = [value for value in record.values.get(spec.id, []) if value != record.iri]
    if not values or spec.id == "notation":
        return ""
    shown = [index.records[v].name(lang) if v in index.records else v for v in values[:5]]
    more = " …" if len(values) > 5 else ""
    label = spec.names.get(lang, spec.names["en"])
    return f'<p><span class="k">{escape(label)}:</span> {escape(", ".join(shown))}{more}</p>'


def _shorten(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
