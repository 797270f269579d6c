"""A diagram of the sdgkg ontology as SVG: docs/model.svg and the figure on /ontology.

Classes are boxes listing their external superclasses and datatype properties; an open triangle
marks rdfs:subClassOf between sdgkg classes; a labelled arrow goes from each domain class to each
range class of the sdgkg object properties (rdfs:domain/range, else schema:domainIncludes/
rangeIncludes, else those of the super-property). Properties with the same ends share one arrow.
Reused ORG, schema.org and PROV properties are described in docs/model.md, not drawn.

The SVG is written by hand-made code, not graphviz, so that it needs nothing beyond rdflib and is
byte-for-byte the same on every machine; tests/test_model_diagram.py regenerates and compares.

``scripts/gen_model_diagram.py`` writes docs/model.svg with it; the service draws the same figure
at ``/ontology/model.svg``.

SVG 1.1: https://www.w3.org/TR/SVG11/
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

SDGKG = Namespace("https://w3id.org/sdgkg/ontology#")
SCHEMA = Namespace("https://schema.org/")

log = logging.getLogger("gen_model_diagram")

# Layout: which column each tree of classes goes in, by its root. A root not named here goes to
# the shortest column, so a new class is drawn without editing this table.
COLUMNS: tuple[tuple[str, ...], ...] = (
    ("Person", "Post", "JobTitle", "Place", "Country", "Source", "Quotation", "Fact"),
    ("Partner",),
    ("Partnership", "Membership", "Initiative"),
    ("PartnershipType", "PartnershipCharacteristic", "Role", "SDGConcept", "UNESCODomain",
     "SustainabilityDimension", "LearningCityConcept"),
)  # fmt: skip
BOX_WIDTH = 250
COLUMN_GAP = 170
INDENT = 22
TITLE_HEIGHT = 22
LINE_HEIGHT = 14
BOX_GAP = 12
TREE_GAP = 26
MARGIN = 30
TOP = 70


# --- reading the ontology ---------------------------------------------------------------------


@dataclass
class ClassInfo:
    name: str  # local name in the sdgkg namespace
    supers: list[str] = field(default_factory=list)  # sdgkg superclasses
    external: list[str] = field(default_factory=list)  # other superclasses, as CURIEs
    attributes: list[str] = field(default_factory=list)  # datatype properties with this domain


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class Model:
    classes: dict[str, ClassInfo]
    edges: list[Edge]
    families: dict[str, list[str]]  # a super-property drawn for its sub-properties


def read_model(graph: Graph) -> Model:
    """The sdgkg classes with their superclasses and attributes, and the object-property edges."""
    classes = {
        _local(c): ClassInfo(_local(c))
        for c in graph.subjects(RDF.type, OWL.Class)
        if _is_sdgkg(c) and not graph.value(c, OWL.deprecated)
    }
    for info in classes.values():
        for parent in graph.objects(SDGKG[info.name], RDFS.subClassOf):
            if _is_sdgkg(parent) and _local(parent) in classes:
                info.supers.append(_local(parent))
            elif isinstance(parent, URIRef):
                info.external.append(graph.namespace_manager.normalizeUri(parent))
        info.supers.sort()
        info.external.sort()
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        for domain in _ends(graph, prop, RDFS.domain, SCHEMA.domainIncludes):
            if domain in classes:
                classes[domain].attributes.append(_local(prop))
    for info in classes.values():
        info.attributes.sort()
    edges, families = _edges(graph, classes)
    return Model(classes, edges, families)


def _edges(graph: Graph, classes: dict[str, ClassInfo]) -> tuple[list[Edge], dict[str, list[str]]]:
    """One edge per (domain, range) pair. Where a super-property already joins the two classes
    (or classes above them), a sub-property is named on the super-property's edges instead."""
    ends: dict[str, tuple[list[str], list[str]]] = {}
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if _is_sdgkg(prop):
            domains = _ends(graph, prop, RDFS.domain, SCHEMA.domainIncludes)
            ranges = _ends(graph, prop, RDFS.range, SCHEMA.rangeIncludes)
            ends[_local(prop)] = ([d for d in domains if d in classes],
                                  [r for r in ranges if r in classes])  # fmt: skip
    own: dict[tuple[str, str], set[str]] = defaultdict(set)
    folded: dict[str, set[str]] = defaultdict(set)
    for name, (domains, ranges) in ends.items():
        for domain in domains:
            for range_ in ranges:
                owner = _owner(graph, name, (domain, range_), ends, classes)
                if owner == name:
                    own[domain, range_].add(name)
                else:
                    folded[owner].add(name)
    edges = [
        Edge(source, target, ", ".join(n + ("*" if folded[n] else "") for n in sorted(names)))
        for (source, target), names in sorted(own.items())
    ]
    return edges, {name: sorted(subs) for name, subs in sorted(folded.items()) if subs}


def _owner(
    graph: Graph, name: str, pair: tuple[str, str], ends: dict[str, tuple[list[str], list[str]]],
    classes: dict[str, ClassInfo],
) -> str:  # fmt: skip
    """The highest sdgkg super-property that joins the pair's classes, or the property itself."""
    for parent in sorted(graph.objects(SDGKG[name], RDFS.subPropertyOf), key=str):
        parent_name = _local(parent)
        if not (_is_sdgkg(parent) and parent_name in ends):
            continue
        domains, ranges = ends[parent_name]
        if any(_is_subclass(pair[0], d, classes) for d in domains) and any(
            _is_subclass(pair[1], r, classes) for r in ranges
        ):
            return _owner(graph, parent_name, pair, ends, classes)
    return name


def _is_subclass(name: str, ancestor: str, classes: dict[str, ClassInfo]) -> bool:
    if name == ancestor:
        return True
    return any(_is_subclass(parent, ancestor, classes) for parent in classes[name].supers)


def _ends(graph: Graph, prop: Node, strict: URIRef, loose: URIRef) -> list[str]:
    """Local names of a property's domain (or range), inherited from a super-property if unset."""
    for predicate in (strict, loose):
        found = [m for value in graph.objects(prop, predicate) for m in _members(graph, value)]
        if found:
            return sorted({_local(m) for m in found if _is_sdgkg(m)})
    for parent in graph.objects(prop, RDFS.subPropertyOf):
        if _is_sdgkg(parent):
            return _ends(graph, parent, strict, loose)
    return []


def _members(graph: Graph, value: Node) -> list[Node]:
    if isinstance(value, BNode):
        union = graph.value(value, OWL.unionOf)
        return list(Collection(graph, union)) if union is not None else []
    return [value]


def _is_sdgkg(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(SDGKG))


def _local(term: Node) -> str:
    return str(term)[len(str(SDGKG)) :]


# --- layout -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    name: str
    x: int
    y: int
    width: int
    height: int
    parent: str  # the sdgkg superclass it is drawn under ("" for a root)


def layout(classes: dict[str, ClassInfo]) -> dict[str, Box]:
    """Each tree of classes as an indented outline, the trees stacked in columns."""
    children: dict[str, list[str]] = defaultdict(list)
    for info in classes.values():
        if info.supers:
            children[info.supers[0]].append(info.name)
    roots = sorted(name for name, info in classes.items() if not info.supers)
    columns: list[list[str]] = [[r for r in column if r in roots] for column in COLUMNS]
    placed = {root for column in columns for root in column}
    heights = [sum(_tree_height(r, classes, children) for r in column) for column in columns]
    for root in roots:
        if root not in placed:
            shortest = heights.index(min(heights))
            columns[shortest].append(root)
            heights[shortest] += _tree_height(root, classes, children)
    boxes: dict[str, Box] = {}
    for index, column in enumerate(columns):
        y = TOP
        for root in column:
            y = _place_tree(root, "", 0, MARGIN + index * (BOX_WIDTH + COLUMN_GAP), y, classes,
                            children, boxes) + TREE_GAP  # fmt: skip
    return boxes


def _box_height(info: ClassInfo) -> int:
    lines = (1 if info.external else 0) + len(info.attributes)
    return TITLE_HEIGHT + lines * LINE_HEIGHT + (6 if lines else 0)


def _tree_height(root: str, classes: dict[str, ClassInfo], children: dict[str, list[str]]) -> int:
    below = sum(_tree_height(c, classes, children) for c in children.get(root, []))
    return _box_height(classes[root]) + BOX_GAP + below + TREE_GAP


def _place_tree(
    name: str, parent: str, depth: int, column_x: int, y: int,
    classes: dict[str, ClassInfo], children: dict[str, list[str]], boxes: dict[str, Box],
) -> int:  # fmt: skip
    height = _box_height(classes[name])
    x = column_x + depth * INDENT
    boxes[name] = Box(name, x, y, BOX_WIDTH - depth * INDENT, height, parent)
    y += height + BOX_GAP
    for child in sorted(children.get(name, [])):
        y = _place_tree(child, name, depth + 1, column_x, y, classes, children, boxes)
    return y


# --- SVG --------------------------------------------------------------------------------------

STYLE = """
text { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 11px; fill: #1b1b1b; }
.title { font-size: 12px; font-weight: bold; }
.external { font-size: 10px; fill: #555555; font-style: italic; }
.attribute { font-size: 10px; fill: #234; }
.box { fill: #f4f7fb; stroke: #3d5a80; stroke-width: 1.2; }
.root { fill: #e0ebf6; }
.subclass { fill: none; stroke: #3d5a80; stroke-width: 1; }
.property { fill: none; stroke: #b5651d; stroke-width: 1; opacity: 0.85; }
.label { font-size: 10px; fill: #8a4a12; paint-order: stroke; stroke: #ffffff;
         stroke-width: 3px; stroke-linejoin: round; }
.heading { font-size: 16px; font-weight: bold; }
""".strip()


def render_svg(model: Model, boxes: dict[str, Box]) -> str:
    bottom = max(b.y + b.height for b in boxes.values()) + 30
    edges, labels = _property_edges(model.edges, boxes)
    legend = _legend(model.families, bottom)
    right = max([b.x + b.width for b in boxes.values()] + [lb.x + lb.width for lb in labels])
    width = right + MARGIN
    height = bottom + LINE_HEIGHT * (len(model.families) + 1) + MARGIN
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title">',
        '<title id="title">The sdgkg ontology: classes, subclasses and object properties</title>',
        "<!-- Generated by scripts/gen_model_diagram.py from ontology/sdgkg.ttl; do not edit. -->",
        f"<style>\n{STYLE}\n</style>",
        _markers(),
        f'<text class="heading" x="{MARGIN}" y="28">sdgkg ontology: classes (boxes), '
        "subclass of (open triangle), object properties (arrows, domain to range)</text>",
        f'<text class="external" x="{MARGIN}" y="46">In italics: superclasses outside sdgkg. '
        "Below: datatype properties. Reused ORG, schema.org and PROV properties: see "
        "docs/model.md.</text>",
        *_subclass_lines(boxes),
        *edges,
        *(_box_svg(model.classes[name], box) for name, box in sorted(boxes.items())),
        *(label.svg() for label in labels),
        *legend,
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _legend(families: dict[str, list[str]], top: int) -> list[str]:
    lines = [f'<text class="title" x="{MARGIN}" y="{top}">* stands for its sub-properties:</text>']
    for number, (name, subs) in enumerate(families.items(), start=1):
        text = escape(f"{name}: {', '.join(subs)}")
        lines.append(f'<text x="{MARGIN}" y="{top + number * LINE_HEIGHT}">{text}</text>')
    return lines


def _markers() -> str:
    return (
        "<defs>"
        '<marker id="triangle" viewBox="0 0 12 12" refX="6" refY="1" markerWidth="10" '
        'markerHeight="10" orient="auto-start-reverse">'
        '<path d="M 6 1 L 11 11 L 1 11 Z" fill="#ffffff" stroke="#3d5a80"/></marker>'
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#b5651d"/>'
        "</marker></defs>"
    )


def _subclass_lines(boxes: dict[str, Box]) -> Iterator[str]:
    """An elbow from a child's left side up to the bottom of its parent (triangle at the parent)."""
    for _, box in sorted(boxes.items()):
        if not box.parent:
            continue
        parent = boxes[box.parent]
        x = parent.x + INDENT // 2
        mid = box.y + box.height // 2
        yield (
            f'<path class="subclass" d="M {box.x} {mid} H {x} V {parent.y + parent.height}" '
            'marker-end="url(#triangle)"/>'
        )


# --- property arrows --------------------------------------------------------------------------

Point = tuple[float, float]


@dataclass(frozen=True)
class Label:
    text: str
    x: int
    y: int  # baseline

    @property
    def width(self) -> int:
        return int(len(self.text) * 5.6) + 4

    def overlaps(self, left: int, top: int, right: int, bottom: int) -> bool:
        return not (
            self.x + self.width <= left or right <= self.x or self.y <= top or bottom <= self.y - 11
        )

    def svg(self) -> str:
        return f'<text class="label" x="{self.x}" y="{self.y}">{escape(self.text)}</text>'


def _property_edges(edges: list[Edge], boxes: dict[str, Box]) -> tuple[list[str], list[Label]]:
    """Arrows between the boxes' sides, their ends spread along each side, labels placed where
    they cover no box and no other label."""
    ports = _ports(edges, boxes)
    paths: list[str] = []
    labels: list[Label] = []
    for number, edge in enumerate(edges):
        start, end = ports[number, "source"], ports[number, "target"]
        curve = _curve(start, end, boxes[edge.source], boxes[edge.target])
        paths.append(
            f'<path class="property" d="M {_xy(curve[0])} C {_xy(curve[1])}, {_xy(curve[2])}, '
            f'{_xy(curve[3])}" marker-end="url(#arrow)"/>'
        )
        labels.append(_place_label(edge.label, curve, boxes, labels))
    return paths, labels


def _side(edge: Edge, boxes: dict[str, Box], end: str) -> str:
    source, target = boxes[edge.source], boxes[edge.target]
    if abs(source.x - target.x) < BOX_WIDTH:  # same column: both ends on the right
        return "right"
    rightwards = target.x > source.x
    return "right" if rightwards == (end == "source") else "left"


def _ports(edges: list[Edge], boxes: dict[str, Box]) -> dict[tuple[int, str], Point]:
    """Where each arrow leaves and enters: spread evenly along a side, ordered by the other end."""
    sides: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for number, edge in enumerate(edges):
        for end, name, other in (("source", edge.source, edge.target),
                                 ("target", edge.target, edge.source)):  # fmt: skip
            other_box = boxes[other]
            sides[name, _side(edge, boxes, end)].append(
                (other_box.y + other_box.height // 2, number, end)
            )
    ports: dict[tuple[int, str], Point] = {}
    for (name, side), ends in sides.items():
        box = boxes[name]
        x = box.x + box.width if side == "right" else box.x
        for rank, (_, number, end) in enumerate(sorted(ends)):
            ports[number, end] = (x, box.y + box.height * (rank + 1) / (len(ends) + 1))
    return ports


def _curve(start: Point, end: Point, source: Box, target: Box) -> tuple[Point, ...]:
    """Control points of a cubic Bézier from start to end."""
    (sx, sy), (tx, ty) = start, end
    if abs(source.x - target.x) < BOX_WIDTH:  # same column: bulge out on the right
        bulge = max(sx, tx) + 30 + min(abs(ty - sy) / 6, 70)
        return (sx, sy), (bulge, sy), (bulge, ty), (tx, ty)
    pull = COLUMN_GAP / 2 if tx > sx else -COLUMN_GAP / 2
    return (sx, sy), (sx + pull, sy), (tx - pull, ty), (tx, ty)


def _bezier(curve: tuple[Point, ...], t: float) -> Point:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    u = 1 - t
    x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
    y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
    return x, y


LABEL_POSITIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)


def _place_label(
    text: str, curve: tuple[Point, ...], boxes: dict[str, Box], placed: list[Label]
) -> Label:
    candidates = []
    for t in LABEL_POSITIONS:
        x, y = _bezier(curve, t)
        for dy in (-3, 12, -16):
            candidates.append(Label(text, int(x) - len(text) * 3, int(y) + dy))
    for label in candidates:
        if not _label_collides(label, boxes, placed):
            return label
    return candidates[0]


def _label_collides(label: Label, boxes: dict[str, Box], placed: list[Label]) -> bool:
    on_box = any(label.overlaps(b.x, b.y, b.x + b.width, b.y + b.height) for b in boxes.values())
    return on_box or any(label.overlaps(o.x, o.y - 11, o.x + o.width, o.y) for o in placed)


def _xy(point: Point) -> str:
    return f"{point[0]:.0f} {point[1]:.0f}"


def _box_svg(info: ClassInfo, box: Box) -> str:
    kind = "box root" if not box.parent else "box"
    lines = [
        f'<g id="class-{info.name}">',
        f'<rect class="{kind}" x="{box.x}" y="{box.y}" width="{box.width}" '
        f'height="{box.height}" rx="4"/>',
        f'<text class="title" x="{box.x + 8}" y="{box.y + 15}">{escape(info.name)}</text>',
    ]
    y = box.y + TITLE_HEIGHT + 9
    if info.external:
        external = "⊑ " + ", ".join(info.external)
        lines.append(f'<text class="external" x="{box.x + 8}" y="{y}">{escape(external)}</text>')
        y += LINE_HEIGHT
    for attribute in info.attributes:
        lines.append(f'<text class="attribute" x="{box.x + 8}" y="{y}">{attribute}</text>')
        y += LINE_HEIGHT
    lines.append("</g>")
    return "\n".join(lines)


# --- entry point ------------------------------------------------------------------------------


def render(ontology_path: Path) -> str:
    """The SVG of the ontology in ``ontology_path`` (Turtle), the same bytes on every machine."""
    graph = Graph().parse(ontology_path, format="turtle")
    model = read_model(graph)
    return render_svg(model, layout(model.classes))
