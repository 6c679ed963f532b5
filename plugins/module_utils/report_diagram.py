# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change request's flow diagram as inline SVG, laid out so that no text covers other text or a box.

Four columns, left to right: the labels of the flows within the site (a class to itself or to another of the
site's classes), the site's classes, the labels of the flows that leave the site, their destinations.  Each
label has a row of its own in its column, so no two labels meet, and the columns do not overlap, so no label
meets a box.  Lines run in the gutters between the columns and reach a label along its own row.  A flow
within the site leaves its class on the left, turns at its label and comes back, arrow first, to the class it
goes to: a class to itself is a loop, and two classes that talk both ways get a loop each.

Sizes come from the text: names and labels are set in a monospaced font, so a line is as wide as its
characters, and a label takes one line per protocol (a long port list wraps after a comma).  The canvas
grows with what it holds.  Nothing is random and nothing is fetched: the same flows give the same SVG.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
# A character's advance in a monospaced font, in em: DejaVu Sans Mono 0.602, Liberation and Courier 0.600.
ADVANCE = 0.62
LABEL_SIZE = 10
NODE_SIZE = 12
LINE = 13  # label line height, px
MAX_CHARS = 28  # a label line wraps after a comma past this many characters
PAD_X, PAD_Y = 4, 2  # inside a label's box
ROW_GAP = 4  # between two label boxes of a column
NODE_W_PAD, NODE_H, NODE_GAP = 10, 28, 10
PORT_STEP = 7  # between two lines that meet a box on the same side
MARGIN, GUTTER, INNER_GUTTER = 16, 64, 48


@dataclass(frozen=True)
class Edge:
    """One arrow: the ports from one class to another, ``"tcp 80, 443; udp 53"``."""

    source: str
    destination: str
    label: str

    @property
    def lines(self) -> Tuple[Tuple[int, str], ...]:
        return label_lines(self.label)


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h


def text_width(text: str, size: float) -> float:
    """How wide a line is in the monospaced font: wide (East Asian) characters take two cells."""
    cells = sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
                for ch in text)
    return cells * ADVANCE * size


def label_lines(label: str) -> Tuple[Tuple[int, str], ...]:
    """``"tcp 80, 443; udp 53"`` -> one line per protocol; a long port list goes on under its first port."""
    lines: List[Tuple[int, str]] = []
    for segment in (part.strip() for part in label.split(";")):
        head, _sep, rest = segment.partition(" ")
        indent, line = 0, head
        for number, item in enumerate(part.strip() for part in rest.split(",") if part.strip()):
            piece = (" " if number == 0 else ", ") + item
            if number and indent + len(line) + len(piece) > MAX_CHARS:
                lines.append((indent, line + ","))
                indent, line = len(head) + 1, item
            else:
                line += piece
        lines.append((indent, line))
    return tuple(lines)


def _label_box(edge: Edge) -> Box:
    width = max(text_width(" " * indent + text, LABEL_SIZE) for indent, text in edge.lines)
    return Box(0, 0, width + 2 * PAD_X, len(edge.lines) * LINE + 2 * PAD_Y)


def _stack(boxes: List[Box], wanted: List[float], gap: float) -> None:
    """Put each box as near its wanted centre as the ones above it allow (boxes in order of wanted centre)."""
    floor = float(MARGIN)
    for box, centre in zip(boxes, wanted):
        box.y = max(centre - box.h / 2, floor)
        floor = box.bottom + gap


def _ports(box: Box, count: int) -> List[float]:
    return [box.y + box.h * (i + 1) / (count + 1) for i in range(count)]


def _n(value: float) -> str:
    return ("%.1f" % value).rstrip("0").rstrip(".")


class _Layout:
    """Where every box, label and line goes; see the module's docstring for the plan."""

    def __init__(self, edges: Sequence[Edge]):
        self.edges = list(edges)
        self.site = list(dict.fromkeys(e.source for e in self.edges))
        inside = set(self.site)
        self.within = [e for e in self.edges if e.destination in inside]
        self.out = [e for e in self.edges if e.destination not in inside]
        self.remote = list(dict.fromkeys(e.destination for e in self.out)) or ([] if self.edges else ["(none)"])
        self.labels: Dict[Tuple[str, str], Box] = dict(((e.source, e.destination), _label_box(e))
                                                       for e in self.edges)
        self.nodes: Dict[str, Box] = {}
        self._columns()
        self._rows_out()
        self._remote_nodes()
        self._rows_within()
        self.width = (self.x_remote + self.w_remote if self.remote else self.x_site + self.w_site) + MARGIN
        self.height = max([b.bottom for b in list(self.nodes.values()) + list(self.labels.values())] +
                          [MARGIN]) + MARGIN

    def _node_width(self, names: Sequence[str]) -> float:
        return max([text_width(n, NODE_SIZE) for n in names] + [4 * NODE_SIZE]) + 2 * NODE_W_PAD

    def _columns(self) -> None:
        self.w_within = max([self.labels[e.source, e.destination].w for e in self.within] + [0])
        self.x_site = MARGIN + (self.w_within + INNER_GUTTER if self.within else 0)
        self.w_site = self._node_width(self.site) if self.site else 0
        self.x_out = self.x_site + self.w_site + GUTTER if self.site else MARGIN
        self.w_out = max([self.labels[e.source, e.destination].w for e in self.out] + [0])
        self.x_remote = self.x_out + self.w_out + GUTTER if self.out else self.x_out
        self.w_remote = self._node_width(self.remote) if self.remote else 0
        for edge in self.within:
            box = self.labels[edge.source, edge.destination]
            box.x = MARGIN + self.w_within - box.w  # flush with the gutter, where its lines come in
        for edge in self.out:
            self.labels[edge.source, edge.destination].x = self.x_out

    def _height(self, name: str) -> float:
        sides = (sum(e.source == name for e in self.out) + sum(e.destination == name for e in self.out),
                 sum(e.source == name for e in self.within) + sum(e.destination == name for e in self.within))
        return max(NODE_H, PORT_STEP * (max(sides) + 1))

    def _rows_out(self) -> None:
        """The site's classes top to bottom, each beside the block of rows of its flows out."""
        order = dict((name, i) for i, name in enumerate(self.site))
        # Destinations in the order of the classes that reach them, so that lines cross as little as can be.
        mean = dict((r, sum(order[e.source] for e in self.out if e.destination == r) /
                     max(1, sum(1 for e in self.out if e.destination == r))) for r in self.remote)
        self.remote.sort(key=lambda r: (mean[r], r))
        rank = dict((name, i) for i, name in enumerate(self.remote))
        self.out.sort(key=lambda e: (order[e.source], rank[e.destination]))
        rows_floor = node_floor = float(MARGIN)
        for name in self.site:
            boxes = [self.labels[e.source, e.destination] for e in self.out if e.source == name]
            node = self.nodes[name] = Box(self.x_site, 0, self.w_site, self._height(name))
            start = max(rows_floor, node_floor)
            block = sum(b.h for b in boxes) + ROW_GAP * max(0, len(boxes) - 1)
            node.y = start + max(0.0, (block - node.h) / 2)
            y = start + max(0.0, (node.h - block) / 2)
            for box in boxes:
                box.y, y = y, y + box.h + ROW_GAP
            rows_floor = max(y, node.bottom + ROW_GAP)
            node_floor = node.bottom + NODE_GAP

    def _remote_nodes(self) -> None:
        boxes = [Box(self.x_remote, 0, self.w_remote, self._height(name)) for name in self.remote]
        wanted = []
        for name in self.remote:
            centres = [self.labels[e.source, e.destination].cy for e in self.out if e.destination == name]
            wanted.append(sum(centres) / len(centres) if centres else 0.0)
        ordered = sorted(range(len(boxes)), key=lambda i: (wanted[i], i))
        _stack([boxes[i] for i in ordered], [wanted[i] for i in ordered], NODE_GAP)
        self.nodes.update(zip(self.remote, boxes))

    def _rows_within(self) -> None:
        """Each label between the two classes it joins, pushed down where the one above needs the room."""
        order = dict((name, i) for i, name in enumerate(self.site))
        wanted = dict(((e.source, e.destination), (self.nodes[e.source].cy + self.nodes[e.destination].cy) / 2)
                      for e in self.within)
        self.within.sort(key=lambda e: (wanted[e.source, e.destination], order[e.source], order[e.destination]))
        _stack([self.labels[e.source, e.destination] for e in self.within],
               [wanted[e.source, e.destination] for e in self.within], ROW_GAP)

    def port_ys(self) -> Dict[Tuple[str, str, str], float]:
        """Where each line meets a box: (edge source, edge destination, 'from' or 'to') -> y.

        Lines meet a side of a box spread out, in the order of the labels they come from, so they do not cross
        next to the box.
        """
        sides: Dict[Tuple[str, str], List[Tuple[float, int, Tuple[str, str, str]]]] = {}

        def end(name: str, side: str, edge: Edge, rank: int, which: str) -> None:
            centre = self.labels[edge.source, edge.destination].cy
            sides.setdefault((name, side), []).append((centre, rank, (edge.source, edge.destination, which)))

        for edge in self.out:
            end(edge.source, "right", edge, 0, "from")
            end(edge.destination, "left", edge, 0, "to")
        for edge in self.within:  # a loop leaves above the point where it comes back
            end(edge.source, "left", edge, 0, "from")
            end(edge.destination, "left", edge, 1, "to")
        ports: Dict[Tuple[str, str, str], float] = {}
        for (name, _side), ends in sides.items():
            ends.sort()
            for (_centre, _rank, key), y in zip(ends, _ports(self.nodes[name], len(ends))):
                ports[key] = y
        return ports


def _label_svg(edge: Edge, box: Box) -> str:
    x = box.x + PAD_X
    tspans = "".join('<tspan x="%s" y="%s">%s</tspan>' % (
        _n(x + text_width(" " * indent, LABEL_SIZE)), _n(box.y + PAD_Y + k * LINE + LABEL_SIZE),
        html.escape(text)) for k, (indent, text) in enumerate(edge.lines))
    return ('<rect class="label" x="%s" y="%s" width="%s" height="%s" rx="3" fill="#fff" stroke="#cbd5e1"/>'
            '<text class="label" font-family="%s" font-size="%d" fill="#234">%s</text>'
            % (_n(box.x), _n(box.y), _n(box.w), _n(box.h), FONT, LABEL_SIZE, tspans))


def _node_svg(name: str, box: Box, kind: str) -> str:
    fill, stroke = {"site": ("#dbeafe", "#1e40af"), "remote": ("#fef3c7", "#92400e")}[kind]
    return ('<rect class="node %s" x="%s" y="%s" width="%s" height="%s" rx="5" fill="%s" stroke="%s"/>'
            '<text x="%s" y="%s" font-family="%s" font-size="%d" text-anchor="middle">%s</text>'
            % (kind, _n(box.x), _n(box.y), _n(box.w), _n(box.h), fill, stroke, _n(box.x + box.w / 2),
               _n(box.cy + NODE_SIZE * 0.35), FONT, NODE_SIZE, html.escape(name)))


def flow_svg(edges: Sequence[Edge]) -> str:
    """The diagram of these edges (sorted as given), one ``<path class="flow">`` per edge."""
    layout = _Layout(edges)
    ports = layout.port_ys()
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" id="flow-diagram" width="%s" height="%s" '
             'viewBox="0 0 %s %s" role="img" aria-label="flow diagram">'
             % (_n(layout.width), _n(layout.height), _n(layout.width), _n(layout.height)),
             '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">'
             '<path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>']
    site_right = layout.x_site + layout.w_site
    within = set((e.source, e.destination) for e in layout.within)
    labels = []
    for edge in layout.edges:
        key = (edge.source, edge.destination)
        box = layout.labels[key]
        y_from, y_to = ports[key + ("from",)], ports[key + ("to",)]
        if key in within:
            # Out of the class's left side to the label's right end, and back under it to the other class.
            x0, x1, mid = layout.x_site, box.x + box.w, (layout.x_site + box.x + box.w) / 2
            d = "M%s,%s C%s,%s %s,%s %s,%s M%s,%s C%s,%s %s,%s %s,%s" % tuple(_n(v) for v in (
                x0, y_from, mid, y_from, mid, box.cy - 3, x1, box.cy - 3,
                x1, box.cy + 3, mid, box.cy + 3, mid, y_to, x0 - 1, y_to))
        else:
            # Into the label's left end along its row, out of its right end, to the destination.
            column_end = layout.x_out + layout.w_out
            mid_in, mid_out = (site_right + box.x) / 2, (column_end + layout.x_remote) / 2
            d = "M%s,%s C%s,%s %s,%s %s,%s M%s,%s L%s,%s C%s,%s %s,%s %s,%s" % tuple(_n(v) for v in (
                site_right, y_from, mid_in, y_from, mid_in, box.cy, box.x, box.cy,
                box.x + box.w, box.cy, column_end, box.cy, mid_out, box.cy, mid_out, y_to, layout.x_remote - 1, y_to))
        title = "<title>%s</title>" % html.escape("%s to %s: %s" % (edge.source, edge.destination, edge.label))
        parts.append('<path class="flow" d="%s" stroke="#555" fill="none" marker-end="url(#arrow)">%s</path>'
                     % (d, title))
        labels.append('<g class="edge-label">%s%s</g>' % (title, _label_svg(edge, box)))
    parts.extend(labels)
    for name in layout.site:
        parts.append(_node_svg(name, layout.nodes[name], "site"))
    for name in layout.remote:
        parts.append(_node_svg(name, layout.nodes[name], "remote"))
    parts.append("</svg>")
    return "\n".join(parts)
