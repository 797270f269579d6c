"""Safe HTML building: plain strings are always escaped, attributes too."""

from __future__ import annotations

from sdgkg.web.markup import Html, element, join, render


def test_text_children_are_escaped() -> None:
    assert element("p", None, "<script>x</script>") == "<p>&lt;script&gt;x&lt;/script&gt;</p>"


def test_attribute_values_are_escaped() -> None:
    html = element("a", {"href": '"><script>', "title": "a&b"}, "x")
    assert html == '<a href="&quot;&gt;&lt;script&gt;" title="a&amp;b">x</a>'


def test_html_fragments_pass_unchanged() -> None:
    assert render([Html("<b>"), "<i>"]) == "<b>&lt;i&gt;"


def test_boolean_and_missing_attributes() -> None:
    assert element("input", {"hidden": True, "disabled": False, "value": None}) == "<input hidden>"


def test_join_escapes_parts() -> None:
    assert join(["<a>", Html("<b/>")], " | ") == "&lt;a&gt; | <b/>"
