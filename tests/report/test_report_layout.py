# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change request as a person reads it: in the flow diagram no text covers other text or a box, and the
HTML fits the width of a printed page (A4 and US Letter at 96 dpi) without losing a value.

Text boxes are measured twice: by headless Chromium (getBBox of each text of the SVG, as drawn), and from the
SVG alone with the standard library, from each line's position, its length and its font size, with a bound
on how wide a character of the font can be.
"""

import itertools
import json
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT

try:
    from ansible_collections.purecloud.firewall.plugins.module_utils import report as report_module
except ImportError:  # pytest run without the collection loader of tests/unit
    import sys

    sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))
    from ansible_collections.purecloud.firewall.plugins.module_utils import report as report_module

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make deps installs it)")
SVG = "{http://www.w3.org/2000/svg}"
# Page widths in CSS px at 96 dpi: A4 is 210 mm, US Letter 8.5 in.
PAGE_WIDTHS = {"a4": 794, "letter": 816}
# The widest a character can be, in em: DejaVu Sans Mono's advance is 1233/2048 = 0.602 (every character);
# in a proportional font no Latin character is wider than the em square.  Ascent and descent of DejaVu Sans
# (Mono) are 0.928 and 0.236 em.
MONO_ADVANCE, ANY_ADVANCE, ASCENT, DESCENT = 0.61, 1.0, 0.95, 0.25

# getBBox() of every text and every node box of the diagram, and the page's widths, written into the page
# for --dump-dom to hand back.
MEASURE = """<script>
window.addEventListener("load", function () {
  var svg = document.getElementById("flow-diagram"), out = {texts: [], nodes: [], entries: []};
  function box(el) { var b = el.getBBox(); return [b.x, b.y, b.width, b.height]; }
  svg.querySelectorAll("text").forEach(function (t) { out.texts.push([t.textContent, box(t)]); });
  svg.querySelectorAll("rect").forEach(function (r) {
    if (/\\bnode\\b/.test(r.getAttribute("class") || "")) { out.nodes.push(box(r)); }
  });
  var flows = document.getElementById("flows");
  if (flows) { flows.querySelectorAll("tbody").forEach(function (b) { out.entries.push(b.textContent); }); }
  out.scrollWidth = document.documentElement.scrollWidth;
  out.clientWidth = document.documentElement.clientWidth;
  var pre = document.createElement("pre");
  pre.id = "measured";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _chromium(page, tmp_path, width, *args):
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             "--user-data-dir=%s" % (tmp_path / "profile"), "--window-size=%d,1100" % width]
    return subprocess.run([CHROMIUM] + flags + list(args) + ["file://%s" % page], capture_output=True, text=True,
                          timeout=120, check=True).stdout


def _measure(html_text, tmp_path, width=1200):
    page = tmp_path / ("measure-%d.html" % width)
    page.write_text(html_text.replace("</body>", MEASURE + "</body>"))
    dom = _chromium(page, tmp_path, width, "--dump-dom")
    measured = dom.split('<pre id="measured">', 1)[1].split("</pre>", 1)[0]
    return json.loads(measured.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                      .replace("&amp;", "&"))


def _intersect(one, two):
    (x1, y1, w1, h1), (x2, y2, w2, h2) = one, two
    return min(x1 + w1, x2 + w2) - max(x1, x2) > 0.01 and min(y1 + h1, y2 + h2) - max(y1, y2) > 0.01


def _assert_apart(labels, nodes):
    """No two labels meet, no label meets a node box, no two node boxes meet."""
    for (one, box1), (two, box2) in itertools.combinations(labels, 2):
        assert not _intersect(box1, box2), "labels %r %r and %r %r overlap" % (one, box1, two, box2)
    for (text, box), node in itertools.product(labels, nodes):
        assert not _intersect(box, node), "label %r %r covers the node box %r" % (text, box, node)
    for one, two in itertools.combinations(nodes, 2):
        assert not _intersect(one, two), "node boxes %r and %r overlap" % (one, two)


def _edge_labels(texts, names):
    """The texts of the diagram that are not a class's name: the labels of its arrows."""
    return [(text, box) for text, box in texts if text.strip() not in names]


def _estimated(svg_text):
    """(texts, node boxes) of an SVG from its markup alone: each line's box from its position, length, size."""
    root = ET.fromstring(svg_text)
    texts = []
    for text in root.iter(SVG + "text"):
        size = float(text.get("font-size", "16"))
        family = text.get("font-family", "").split(",")[0].strip().strip("'\"").lower()
        advance = MONO_ADVANCE if family in ("dejavu sans mono", "monospace") else ANY_ADVANCE
        lines = [(t.text or "", float(t.get("x", text.get("x", "0"))), float(t.get("y", text.get("y", "0"))))
                 for t in text.iter(SVG + "tspan")] or [(text.text or "", float(text.get("x")), float(text.get("y")))]
        anchor = {"start": 0, "middle": 0.5, "end": 1}[text.get("text-anchor", "start")]
        boxes = [(x - anchor * len(line) * advance * size, y - ASCENT * size, len(line) * advance * size,
                  (ASCENT + DESCENT) * size) for line, x, y in lines]
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, bottom = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
        texts.append(("".join(t for t in text.itertext()), (left, top, right - left, bottom - top)))
    nodes = [tuple(float(rect.get(k)) for k in ("x", "y", "width", "height")) for rect in root.iter(SVG + "rect")
             if "node" in rect.get("class", "").split()]
    return texts, nodes


def _pairs(flows):
    """(from, to) -> the protocols of the flows between them, as the JSON and the synthetic flows say."""
    pairs = {}
    for flow in flows:
        pairs.setdefault((flow["from"], flow["to"]), set()).add(flow["protocol"])
    return pairs


def _check_labels(labels, pairs):
    assert len(labels) == len(pairs), "one label per pair of classes: %r" % [text for text, _box in labels]
    wanted = sorted(sorted(protocols) for protocols in pairs.values())
    # A label's lines run together in its text: "tcp 53udp 53".
    assert sorted(sorted(set(re.findall("tcp|udp|sctp", text))) for text, _box in labels) == wanted


def _synthetic_report():
    """Two classes that talk both ways over many ports and products, three classes that talk to themselves,
    long names, and flows out of the site: more on one diagram than the example has."""
    flows = []

    def flow(product, source, destination, protocol, ports):
        flows.append(report_module.ReportFlow(
            product=product, source_class=source, source_networks="10.1.0.0/24", destination_class=destination,
            destination="10.2.0.0/24", protocol=protocol, ports=ports, purpose="p", requirements="r.%d" % len(flows),
            sections="s", flags="", sources=""))

    for i in range(24):
        product = ("edge", "voice", "bridge")[i % 3]
        protocol = ("tcp", "udp", "sctp")[i % 3]
        flow(product, "call_recorders", "media_gateways_of_the_branch_offices", protocol, str(2000 + 11 * i))
        flow(product, "media_gateways_of_the_branch_offices", "call_recorders", protocol, str(3000 + 13 * i))
    for name in ("call_recorders", "media_gateways_of_the_branch_offices", "x"):
        for protocol, ports in (("tcp", "8063"), ("udp", "16384-65535"), ("tcp", "443, 8443"), ("sctp", "9899")):
            flow("edge", name, name, protocol, ports)
    for i, name in enumerate(("x", "call_recorders", "media_gateways_of_the_branch_offices")):
        flow("voice", name, "purecloud", "tcp", ", ".join(str(5000 + 3 * j) for j in range(4 + 9 * i)))
        flow("voice", name, "dns", "udp", "53")
    report = report_module.Report(region="us-east-1", products=("edge",), catalog_version="t", page_revision="t",
                                  edition="current", overlays=(), sources=(), flows=tuple(flows), warnings=())
    pairs = _pairs({"from": f.source_class, "to": f.destination_class, "protocol": f.protocol} for f in flows)
    return report, pairs


def _diagram(case, report):
    """(a page holding the diagram, the pairs of classes it draws) for the example site or the busier one."""
    if case == "example":
        data = json.loads((report / "purecloud-firewall.json").read_text())
        return (report / "purecloud-firewall.html").read_text(), _pairs(data["flows"])
    synthetic, pairs = _synthetic_report()
    return "<!DOCTYPE html><html><body>%s</body></html>" % report_module.to_svg(synthetic), pairs


@pytest.mark.parametrize("case", ["example", "synthetic"])
def test_the_diagrams_labels_leave_room_for_each_other_by_their_markup(report, case):
    """From the SVG alone, with a bound on the width of each character."""
    page, pairs = _diagram(case, report)
    texts, nodes = _estimated(page[page.index("<svg"):page.index("</svg>") + len("</svg>")])
    labels = _edge_labels(texts, set(itertools.chain(*pairs)) | {"(none)"})
    _check_labels(labels, pairs)
    _assert_apart(labels, nodes)


@needs_chromium
@pytest.mark.parametrize("case", ["example", "synthetic"])
def test_the_diagrams_labels_leave_room_for_each_other_as_chromium_draws_them(report, tmp_path, case):
    page, pairs = _diagram(case, report)
    measured = _measure(page, tmp_path)
    labels = _edge_labels(measured["texts"], set(itertools.chain(*pairs)))
    _check_labels(labels, pairs)
    assert len(measured["nodes"]) == len(set(itertools.chain(*pairs)))
    _assert_apart(labels, measured["nodes"])
    _chromium(tmp_path / "measure-1200.html", tmp_path, 1200, "--screenshot=%s" % (tmp_path / "diagram.png"))


@needs_chromium
@pytest.mark.parametrize("paper", sorted(PAGE_WIDTHS))
def test_the_html_fits_a_printed_pages_width_and_keeps_every_value(report, tmp_path, paper):
    width = PAGE_WIDTHS[paper]
    page = report / "purecloud-firewall.html"
    shot = tmp_path / ("report-%s-%d.png" % (paper, width))
    _chromium(page, tmp_path, width, "--screenshot=%s" % shot)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (width, 1100)
    measured = _measure(page.read_text(), tmp_path, width)
    assert measured["clientWidth"] == width
    assert measured["scrollWidth"] <= measured["clientWidth"], "the page scrolls sideways at %d px" % width
    # Every value of every flow is still on the page, with the flow it belongs to.
    flows = json.loads((report / "purecloud-firewall.json").read_text())["flows"]
    entries = measured["entries"]
    assert len(entries) == len(flows), "one group of rows per flow"
    for flow, entry in zip(flows, entries):
        for column, value in flow.items():
            assert value in entry, "%s of flow %r is not in its rows" % (column, flow["requirements"])
