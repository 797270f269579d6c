"""The coverage views as markup: a goal-by-municipality table and a per-goal bar chart in SVG.

Both print legibly: numbers are written out, and assigned-only counts are set apart by a pattern
*and* by parentheses, so the distinction survives black-and-white printing.
"""

from __future__ import annotations

from collections.abc import Mapping

from sdgkg.web.components import record_link, sdg_badge
from sdgkg.web.coverage import GOALS, goal_iri, list_href
from sdgkg.web.graph import Described
from sdgkg.web.i18n import message
from sdgkg.web.markup import Html, element

_BAR_HEIGHT = 22
_BAR_GAP = 8
_LABEL_WIDTH = 290
_CHART_WIDTH = 420


def municipality_param(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def matrix_table(
    cells: Mapping[str, Mapping[str, Mapping[str, bool]]],
    described: Described,
    lang: str,
    base_iri: str,
) -> Html:
    """Rows are municipalities (by label), columns the 17 goals; each count links to its list."""
    municipalities = sorted(cells, key=lambda m: described.label(m, lang).casefold())
    head = element(
        "tr",
        None,
        element("th", {"scope": "col"}, message("municipality", lang)),
        [
            element(
                "th",
                {"scope": "col", "class_": "goal-col"},
                element(
                    "a",
                    {
                        "href": list_href(goal=g),
                        "title": described.label(goal_iri(base_iri, g), lang),
                    },
                    sdg_badge(g),
                    element(
                        "span",
                        {"class_": "visually-hidden"},
                        f" {message('goal', lang)} {g}: "
                        + described.label(goal_iri(base_iri, g), lang),
                    ),
                ),
            )
            for g in GOALS
        ],
    )
    rows = [
        element(
            "tr",
            None,
            element("th", {"scope": "row"}, record_link(m, described, lang, base_iri)),
            [_cell(cells[m].get(g, {}), m, g, described, lang) for g in GOALS],
        )
        for m in municipalities
    ]
    return element(
        "table",
        {"class_": "matrix"},
        element("caption", {"class_": "visually-hidden"}, message("matrix_title", lang)),
        element("thead", None, head),
        element("tbody", None, rows),
    )


def _cell(
    records: Mapping[str, bool], municipality: str, goal: str, described: Described, lang: str
) -> Html:
    if not records:
        return element("td", {"class_": "empty"})
    count = len(records)
    stated = any(records.values())
    how = message("stated" if stated else "assigned", lang)
    place = described.label(municipality, lang)
    return element(
        "td",
        {"class_": f"cell sdg-cell-{goal} " + ("stated" if stated else "assigned")},
        element(
            "a",
            {
                "href": list_href(goal, municipality_param(municipality)),
                "aria-label": f"{place}, {message('goal', lang)} {goal}: {count} ({how})",
                "data-goal": goal,
            },
            str(count) if stated else f"({count})",
        ),
    )


def bar_chart(
    per_goal: Mapping[str, tuple[int, int]], described: Described, lang: str, base_iri: str
) -> Html:
    """Horizontal stacked bars: solid for stated, hatched for assigned-only; each bar is a link."""
    top = max((s + a for s, a in per_goal.values()), default=0) or 1
    scale = _CHART_WIDTH / top
    height = len(GOALS) * (_BAR_HEIGHT + _BAR_GAP) + 30
    width = _LABEL_WIDTH + _CHART_WIDTH + 60
    bars = []
    for index, goal in enumerate(GOALS):
        stated, assigned = per_goal.get(goal, (0, 0))
        y = index * (_BAR_HEIGHT + _BAR_GAP)
        label = f"{goal}. {described.label(goal_iri(base_iri, goal), lang)}"
        total = stated + assigned
        shown = _shorten(label, 34)
        value = f"{stated} + ({assigned})" if assigned else str(stated)
        # The name starts with the bar's visible text (WCAG 2.5.3), then says what the numbers are.
        summary = (
            f"{shown} {value}: {total} — {stated} {message('stated_short', lang)}, "
            f"{assigned} {message('assigned_short', lang)}"
        )
        bars.append(
            element(
                "a",
                {"href": list_href(goal=goal), "aria-label": summary, "class_": "bar"},
                element(
                    "text",
                    {
                        "x": _LABEL_WIDTH - 8,
                        "y": y + 16,
                        "text-anchor": "end",
                        "class_": "bar-label",
                    },
                    shown,
                ),
                _bar_rect(_LABEL_WIDTH, y, stated * scale, {"class_": f"sdg-fill-{goal}"}),
                _bar_rect(
                    _LABEL_WIDTH + round(stated * scale, 1),
                    y,
                    assigned * scale,
                    {"class_": f"sdg-fill-{goal} hatched-base"},
                ),
                _bar_rect(
                    _LABEL_WIDTH + round(stated * scale, 1),
                    y,
                    assigned * scale,
                    {"fill": "url(#hatch)"},
                ),
                element(
                    "text",
                    {
                        "x": _LABEL_WIDTH + total * scale + 6,
                        "y": y + 16,
                        "class_": "bar-value",
                    },
                    value,
                ),
            )
        )
    defs = element(
        "defs",
        None,
        element(
            "pattern",
            {
                "id": "hatch",
                "width": 6,
                "height": 6,
                "patternUnits": "userSpaceOnUse",
                "patternTransform": "rotate(45)",
            },
            element("rect", {"width": 3, "height": 6, "fill": "#fff", "fill-opacity": "0.75"}),
        ),
    )
    return element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "class_": "bar-chart",
            "role": "group",  # not "img": an image may not hold the bars' 17 links
            "aria-labelledby": "bars-h",
        },
        defs,
        bars,
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def legend(lang: str) -> Html:
    return element(
        "p",
        {"class_": "legend"},
        element("span", {"class_": "swatch stated"}, "3"),
        " ",
        message("stated", lang),
        " ",
        element("span", {"class_": "swatch assigned"}, element("span", None, "(3)")),
        " ",
        message("assigned", lang),
    )


def _bar_rect(x: float, y: float, width: float, style: dict[str, str]) -> Html:
    """One segment of a goal's bar: stated (filled) or assigned (its colour, then the hatch)."""
    return element(
        "rect", {"x": x, "y": y, "width": round(width, 1), "height": _BAR_HEIGHT, **style}
    )
