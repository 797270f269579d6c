"""Safe HTML building: text is escaped unless it is already ``Html``.

Every page is built from ``element()`` calls and ``Html`` fragments, never by pasting strings, so
a literal from the graph (a label such as ``<script>…``) can only ever reach the page as text.
Escaping follows the HTML Living Standard's rules for text and double-quoted attribute values:
https://html.spec.whatwg.org/multipage/syntax.html#escapingString
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Union

Child = Union["Html", str, int, float, None, Iterable["Child"]]

# Elements that have no end tag: https://html.spec.whatwg.org/multipage/syntax.html#void-elements
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
)


class Html(str):
    """A fragment that is already markup; everything else is text and gets escaped."""

    __slots__ = ()


def text(value: object) -> Html:
    """Escape one value as text.

    >>> text("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    if isinstance(value, Html):
        return value
    return Html(escape(str(value), quote=True))


def render(children: Child) -> Html:
    """Join children into markup, escaping every plain string."""
    if children is None:
        return Html("")
    if isinstance(children, str | int | float):
        return text(children)
    return Html("".join(render(child) for child in children))


def attributes(attrs: Mapping[str, object]) -> str:
    """``True`` writes a bare attribute; ``None`` and ``False`` leave it out."""
    parts = []
    for name, value in attrs.items():
        name = name.rstrip("_").replace("_", "-")
        if value is None or value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{text(value)}"')
    return "".join(parts)


def element(tag: str, attrs: Mapping[str, object] | None = None, *children: Child) -> Html:
    """One element: ``element("a", {"href": url}, label)``.

    >>> element("a", {"href": "/x?a=1&b=2", "class_": "k"}, "<b>")
    '<a href="/x?a=1&amp;b=2" class="k">&lt;b&gt;</a>'
    """
    opening = f"<{tag}{attributes(attrs or {})}>"
    if tag in _VOID:
        return Html(opening)
    return Html(f"{opening}{render(children)}</{tag}>")


def join(parts: Iterable[Child], separator: Child = ", ") -> Html:
    sep = render(separator)
    return Html(sep.join(render(part) for part in parts))
