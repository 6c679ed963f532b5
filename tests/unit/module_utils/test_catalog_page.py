# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalog's 2018-11-21 edition against the vendor page itself.

Reads ../shared/reference/purecloud-firewall-ports-and-services.txt when it
is there and proves, section by section, that every Transport/Port token of
the page's tables is a row of the edition and every row is a token of the
page (nothing dropped, nothing invented); likewise the domains, the BYOC
Cloud servers, the IP-range sources and the revision date.
"""

from __future__ import annotations

import collections
import os
import re

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import parse_port_spec

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PAGE = os.path.join(os.path.dirname(REPO), "shared", "reference", "purecloud-firewall-ports-and-services.txt")

pytestmark = pytest.mark.skipif(not os.path.exists(PAGE), reason="the vendor page (../shared) is not present")

SECTIONS = [
    ("general", "General"),
    ("webrtc_client", "Co-browse, chat, video chat, screen share, screen recording"),
    ("bridge", "Bridge Server"),
    ("edge", "PureCloud Edge"),
    ("voice", "PureCloud Voice"),
    ("byoc_premises", "BYOC Premises"),
    ("byoc_cloud", "BYOC Cloud"),
    (None, "Domains and IP Addresses"),
    (None, "Revision history"),
]

TOKEN = re.compile(r"\b(tcp|udp|tls)/(\d+)(?:\s*[-\u2013]\s*(\d+))?(\+)?|vendor specified \((SIP|RTP/SRTP)\)")


@pytest.fixture(scope="module")
def page_sections():
    with open(PAGE, encoding="utf-8") as handle:
        lines = [line.strip() for line in handle]
    starts = []
    for product, header in SECTIONS:
        index = lines.index(header, starts[-1][1] + 1 if starts else 0)
        starts.append((product or header, index))
    sections = {}
    for (name, start), (_next, end) in zip(starts, starts[1:] + [(None, len(lines))]):
        sections[name] = "\n".join(lines[start + 1:end])
    return sections


def _tokens(text):
    """Normalised tokens: ('tcp', '443'), ('udp', '4000+'), ('vendor', 'SIP')."""
    found = []
    for match in TOKEN.finditer(text):
        proto, first, last, open_ended, vendor = match.groups()
        if vendor:
            found.append(("vendor", vendor))
            continue
        spec = first if not last else "%s-%s" % (first, last)
        found.append(("tcp" if proto == "tls" else proto, spec + ("+" if open_ended else "")))
    return found


PAGE_EDITION = "2018-11-21"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(edition=PAGE_EDITION)


@pytest.mark.parametrize("product", [p for p, _header in SECTIONS if p])
def test_every_port_token_of_a_section_is_a_catalog_row_and_back(page_sections, catalog, product):
    page = collections.Counter(_tokens(page_sections[product]))
    rows = [r for r in catalog.requirements if r.product == product]
    # A vendor-specified cell is one token on the page and one row per protocol here.
    cells = dict(((r.table, r.page_port), r) for r in rows)
    encoded = collections.Counter(tok for (_table, page_port) in cells for tok in _tokens(page_port))
    assert encoded == page, "section %r: page tokens %s, catalog tokens %s" % (product, page, encoded)


@pytest.mark.parametrize("row", load_catalog(edition=PAGE_EDITION).requirements, ids=lambda r: r.id)
def test_each_row_agrees_with_its_own_page_cell(catalog, row):
    tokens = _tokens(row.page_port)
    if row.product == "byoc_cloud":
        assert not tokens and row.ports_from and row.has("vendor_specified")
        return
    assert len(tokens) == 1, row.page_port
    proto, spec = tokens[0]
    if proto == "vendor":
        assert row.has("vendor_specified") and row.ports_from and not row.ports
        assert catalog.port_variables[row.ports_from]["default"] == []
        return
    assert row.protocol == proto
    if spec.endswith("+"):
        # The open-ended udp/4000+ becomes an explicit, overridable range.
        default = catalog.port_variables[row.ports_from]["default"]
        assert [parse_port_spec(p) for p in default] == [(int(spec[:-1]), 65535)]
    else:
        assert [parse_port_spec(p) for p in row.ports] == [parse_port_spec(spec)]
    assert row.has("configurable_default") == ("*" in row.page_port and "49152" not in row.page_port)
    assert row.has("legacy") == ("[legacy]" in row.page_port)
    assert row.has("backward_compat") == ("49152" in row.page_port and row.product != "webrtc_client")


def test_domains_table_is_encoded_exactly(page_sections, catalog):
    text = page_sections["Domains and IP Addresses"]
    on_page = set(re.findall(r"\*\.[a-z0-9{}.-]*[a-z}]", text)) | {"time.nist.gov"}
    assert set(row["pattern"] for row in catalog.data["domains"]) == on_page


def test_byoc_cloud_servers_are_encoded_exactly(page_sections, catalog):
    text = page_sections["byoc_cloud"]
    on_page = set(re.findall(r"lb0\d\.byoc\.[a-z0-9-]+\.mypurecloud\.[a-z.]*[a-z]", text))
    encoded = set(s for region in catalog.regions.values() for s in region.byoc_cloud_servers)
    assert encoded == on_page and len(on_page) == 20
    for code, region in catalog.regions.items():
        assert all(".byoc.%s." % code in s for s in region.byoc_cloud_servers)
    assert catalog.data["byoc_cloud"]["domain"] in text
    assert catalog.data["byoc_cloud"]["srv_pattern"] in text


def test_ip_range_sources_match_the_page(page_sections, catalog):
    text = page_sections["Domains and IP Addresses"]
    sources = dict((s["owner"], s) for s in catalog.data["ip_range_sources"])
    assert set(sources) == {"Amazon AWS", "Google", "New Relic", "Polycom"}
    assert sources["Amazon AWS"]["url"] in text
    assert sources["New Relic"]["docs"] in text
    assert "url" not in sources["Google"] and "url" not in sources["Polycom"]


def test_revision_is_the_pages_latest(page_sections, catalog):
    first = page_sections["Revision history"].split("Revision\n", 1)[1].strip().splitlines()[0]
    assert first == "November 21, 2018"
    assert catalog.page_revision == "2018-11-21"
