# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change request for the example site (conftest.report): four formats, and the HTML as a browser shows it."""

import csv
import json
import re
import shutil
import struct
import subprocess

import pytest

CHROMIUM = shutil.which("chromium")


def test_four_formats_hold_the_same_flows(report):
    data = json.loads((report / "purecloud-firewall.json").read_text())
    flows = data["flows"]
    assert data["products"] == ["edge", "voice", "bridge", "webrtc_client"] and len(flows) > 30
    assert {"edge.https", "bridge.ad.ldap", "webrtc_client.messaging.xmpp"} <= set(
        rid for flow in flows for rid in flow["requirements"].split(", "))
    with open(report / "purecloud-firewall.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == flows
    markdown = (report / "purecloud-firewall.md").read_text()
    assert "```mermaid\nflowchart LR\n" in markdown
    # The current edition: media on udp/16384-65535 since 2024-12-07 (the 2024 CIDR expansion notice).
    assert '  edge -- "tcp 443, 3478, 5060-5061; udp 3478, 16384-65535" --> purecloud' in markdown
    assert "catalog edition current (catalog 1.1.0" in markdown and data["edition"] == "current"
    assert data["overlays"] == []
    media = [f for f in flows if "edge.media.srtp_turn" in f["requirements"].split(", ")]
    assert media and all("cidr-expansion-2024" in f["sources"] for f in media)
    assert {"cidr-expansion-2024", "page-2018-11-21"} <= set(source["id"] for source in data["sources"])
    assert len(re.findall(r"^\| (edge|voice|bridge|webrtc_client) \|", markdown, re.M)) == len(flows)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make deps installs it)")
def test_the_html_shows_the_diagram_and_the_tables_in_a_browser(report, tmp_path):
    page = "file://%s" % (report / "purecloud-firewall.html")
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             "--user-data-dir=%s" % (tmp_path / "profile")]
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM] + flags + ["--window-size=1200,1600", "--screenshot=%s" % shot, page],
                   capture_output=True, text=True, timeout=120, check=True)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1200, 1600)
    assert len(png) > 30000, "a near-empty page compresses to a few kilobytes"
    dom = subprocess.run([CHROMIUM] + flags + ["--dump-dom", page], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    flows = json.loads((report / "purecloud-firewall.json").read_text())["flows"]
    edges = set((f["from"], f["to"]) for f in flows)
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="flow-diagram"' in dom
    assert dom.count('class="flow"') == len(edges)
    assert dom.count('class="node site"') == len(set(f["from"] for f in flows))
    body = dom.split('<table id="flows">', 1)[1].split("</table>", 1)[0]
    assert body.count("<tr>") == len(flows) + 1  # the header row and one row per flow
