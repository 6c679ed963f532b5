# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hand-written page flows: each quotes its source, and becomes the right probe rows per host.

No lab is built: the site topology gives the segments, probing.yml the
endpoints, as the molecule verify and the demo use them.
"""

import copy
import os
import re

import pytest
import yaml

from labkit import page_flows, topology

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SHARED = os.path.join(REPO, "extensions", "molecule", "shared")
FLOWS = os.path.join(SHARED, "page_flows.yml")
REFERENCE = os.path.join(os.path.dirname(REPO), "shared", "reference")
PAGE = os.path.join(REFERENCE, "purecloud-firewall-ports-and-services.txt")
CURRENT = os.path.join(REFERENCE, "genesys-cloud-current.md")
# The page's section headers, in its order (the last two hold no port rows).
SECTIONS = ["General", "Co-browse, chat, video chat, screen share, screen recording", "Bridge Server",
            "PureCloud Edge", "PureCloud Voice", "BYOC Premises", "BYOC Cloud", "Domains and IP Addresses"]
OPTIONS = {"purecloud_ldap": False, "purecloud_legacy_provisioning": False, "purecloud_internal_dns": False}


@pytest.fixture(scope="module")
def document():
    return page_flows.load(FLOWS)


@pytest.fixture(scope="module")
def state():
    """The site lab's segments and addresses, shaped like a built lab's state."""
    topo = topology.load("site", {})
    return {"id": "test", "segments": topo["segments"],
            "hosts": dict((h["name"], {"interfaces": h.get("interfaces") or {}}) for h in topo["hosts"]),
            "internet": dict((h["name"], {"addresses": h["addresses"]}) for h in topo["internet"])}


def context(products, mode="gateway", host="gateway", host_class=None, **changes):
    with open(os.path.join(SHARED, "probing.yml")) as handle:
        endpoints = dict(yaml.safe_load(handle)["lab_site_endpoints"], genesys_media=["gmedia"])
    with open(os.path.join(SHARED, "site.yml")) as handle:
        networks = list(yaml.safe_load(handle)["lab_site_networks"])
    found = {"host": host, "products": products, "mode": mode, "host_class": host_class, "edition": "current",
             "networks": networks + ["sip_provider"], "endpoints": endpoints, "port_overrides": {},
             "options": dict(OPTIONS)}
    found.update(copy.deepcopy(changes))
    return found


def rows_of(document, state, *contexts):
    rows, _report = page_flows.draw(document, list(contexts), state)
    return rows


def packets(rows, expect="allow"):
    return set((r["from"], r["to"], r["proto"], r["port"]) for r in rows if r["expect"] == expect)


def normalized(text):
    return " ".join(text.split())


def test_every_product_of_the_collection_has_flows(document):
    assert set(document["flows"]) == {"edge", "voice", "byoc_premises", "bridge", "webrtc_client", "byoc_cloud"}


# Read by hand from the page, never from the catalog: which section holds each
# product's rows, who sends in each section, and which endpoint classes each
# of the page's destination cells names.
PRODUCT_SECTIONS = {"edge": "PureCloud Edge", "voice": "PureCloud Voice", "byoc_premises": "BYOC Premises",
                    "bridge": "Bridge Server", "byoc_cloud": "BYOC Cloud",
                    "webrtc_client": "Co-browse, chat, video chat, screen share, screen recording"}
SECTION_SOURCES = {
    "Co-browse, chat, video chat, screen share, screen recording": {"workstation"},
    "Bridge Server": {"bridge_server"},
    "PureCloud Edge": {"edge"},
    # Phones; WebRTC phones (the client, and Edges for STUN).
    "PureCloud Voice": {"voip_phone", "workstation", "edge"},
    # The same, and the SIP trunk into the Edges (the carrier, or a premises PBX).
    "BYOC Premises": {"voip_phone", "workstation", "edge", "sip_provider", "pbx"},
}
DESTINATIONS = {
    "PureCloud, Amazon AWS": {"purecloud"},
    "Google": {"google_stun"},
    "Google*": {"google_stun"},
    "Edge devices in the same Edge Group": {"edge"},
    "PureCloud Edge devices (premise), PureCloud, and Amazon AWS": {"edge", "purecloud"},
    "PureCloud Edge devices, PureCloud, Amazon AWS": {"edge", "purecloud"},
    "PureCloud Edge devices, PureCloud, and Amazon AWS": {"edge", "purecloud"},
    "PureCloud Edge devices": {"edge"},
    "Edge devices (LDM/premise)": {"edge"},
    "VoIP phones": {"voip_phone"},
    "Polycom ZTP": {"polycom_ztp"},
    "PureCloud Global Phone Provisioning (AWS)": {"phone_provisioning"},
    "Corporate Active Directory environment": {"corporate_ad"},
    "time.nist.gov*": {"nist_time"},
    "\u2020": {"dns"},  # a third-party service: the DNS servers the site uses
}
# The devices of "These settings apply to" (General), by class; mobiles are not a class of the lab.
DEVICES = {"Workstations / PureCloud client (browser or desktop app)": "workstation",
           "Mobile / PureCloud mobile app (iOS and Android)": None,
           "VoIP phones": "voip_phone", "Edge devices": "edge", "Bridge Servers": "bridge_server"}
HEADER = "Transport/Port (Application) Destination Description"
PORT_LINE = re.compile(r"^(?:(?:tcp|udp|tls)/\d|vendor specified)")


def page_tables():
    """Section -> its tables, each the list of its lines (blank lines dropped; words normalized, as the
    page has no-break spaces in places)."""
    with open(PAGE, encoding="utf-8") as handle:
        lines = [line.strip() for line in handle]
    starts = [lines.index(header) for header in SECTIONS]
    found = {}
    for header, start, end in zip(SECTIONS, starts, starts[1:] + [len(lines)]):
        tables = [[]]
        for line in lines[start + 1:end]:
            if line == HEADER:
                tables.append([])
            elif normalized(line):
                tables[-1].append(normalized(line))
        found[header] = tables
    return found


def begins_with_cell(line, cell):
    """A line is the cell, or the cell and the next cells of its row."""
    return line == cell or line.startswith(cell + " ")


def cited_tables(tables, port, destination):
    """The tables that have the port cell and, on a line of its own or after the port, the destination."""
    return [index for index, table in enumerate(tables)
            if any(PORT_LINE.match(line) and begins_with_cell(line, port) and (
                begins_with_cell(line, port + " " + destination)
                or any(begins_with_cell(other, destination) for other in table)) for line in table)]


def page_entries(document):
    """(product, entry) for every flow and not-probed row read from the page itself."""
    for product, flows in document["flows"].items():
        for flow in flows:
            if flow.get("source", "page") == "page":
                yield product, flow
    for product, entries in document["not_probed"].items():
        for entry in entries:
            if entry.get("source", "page") == "page":
                yield product, entry


@pytest.mark.skipif(not os.path.exists(PAGE), reason="the vendor page (../shared) is not present")
def test_every_page_row_is_one_row_of_a_table_of_its_products_section(document):
    """Port and destination cells quoted from one table of the product's section (or General),
    the destination classes the ones its cell names, the sources the section's devices."""
    tables = page_tables()
    entries = list(page_entries(document))
    assert entries
    for product, entry in entries:
        section, *cells = entry["row"].split(" | ")
        assert section in (PRODUCT_SECTIONS[product], "General"), entry["row"]
        if len(cells) == 1:  # a sentence of the section, for a row without ports
            assert "from" not in entry and any(normalized(cells[0]) in line for line in
                                               (li for table in tables[section] for li in table)), entry["row"]
            continue
        port, destination = (normalized(cell) for cell in cells)
        assert cited_tables(tables[section], port, destination), \
            "%r and %r are not one row of a table of the page's %s section" % (port, destination, section)
        if "from" not in entry:
            continue
        assert set(page_flows.as_list(entry["to"])) == DESTINATIONS[destination], entry["row"]
        if section != "General":
            assert set(page_flows.as_list(entry["from"])) <= SECTION_SOURCES[section], entry["row"]


@pytest.mark.skipif(not os.path.exists(PAGE), reason="the vendor page (../shared) is not present")
def test_every_port_row_of_the_page_is_listed(document):
    """Each port line of each table of a product's section is a flow of that product, or not probed and why."""
    tables = page_tables()
    cited = {}
    for product, entry in page_entries(document):
        section, *cells = entry["row"].split(" | ")
        if len(cells) == 2:
            port, destination = (normalized(cell) for cell in cells)
            for index in cited_tables(tables[section], port, destination):
                cited.setdefault((section, index), []).append((product, port))
    missing = []
    for product, section in list(PRODUCT_SECTIONS.items()) + [(None, "General")]:
        for index, table in enumerate(tables[section]):
            for line in (li for li in table if PORT_LINE.match(li)):
                if not any(begins_with_cell(line, port) and (product is None or product == by)
                           for by, port in cited.get((section, index), [])):
                    missing.append("%s, table %d: %s" % (section, index, line))
    assert not missing, "page rows listed nowhere:\n" + "\n".join(missing)


@pytest.mark.skipif(not os.path.exists(PAGE), reason="the vendor page (../shared) is not present")
def test_the_general_rows_hold_for_the_devices_the_page_names(document):
    """DNS and NTP, for each product, from exactly those of its devices that "These settings apply to" names."""
    applies = {}
    for table in page_tables()["General"]:
        devices = set(DEVICES[line.lstrip("\u2022 ")] for line in table if line.startswith("\u2022"))
        for line in (li for li in table if PORT_LINE.match(li)):
            applies[line] = devices - {None}
    assert len(applies) == 3
    for product, flows in document["flows"].items():
        own = [f for f in flows if f.get("source", "page") == "page"]
        devices = set(c for f in own if not f["row"].startswith("General | ") for c in page_flows.as_list(f["from"]))
        for line, names in applies.items():
            sources = set(c for f in own if f["row"].startswith("General | ")
                          and begins_with_cell(line, normalized(f["row"].split(" | ")[1]))
                          for c in page_flows.as_list(f["from"]))
            assert sources == devices & names, "%s: %s from %s, expected %s" % (
                product, line, sorted(sources), sorted(devices & names))


@pytest.mark.skipif(not os.path.exists(CURRENT), reason="genesys-cloud-current.md (../shared) is not present")
def test_every_current_row_is_quoted_from_the_documented_changes(document):
    with open(CURRENT, encoding="utf-8") as handle:
        text = normalized(handle.read())
    rows = [f for fs in document["flows"].values() for f in fs if f.get("source") == "current"]
    rows += [e for es in document["not_probed"].values() for e in es if e.get("source") == "current"]
    assert rows
    for entry in rows:
        heading, words = entry["row"].split(" | ")
        assert "## " + heading in text and normalized(words) in text, entry["row"]


def test_the_ports_probed_lie_in_the_port_cell_they_quote(document):
    """A typo in a probed port shows here, not only as a refused packet on the lab."""
    for flows in document["flows"].values():
        for flow in (f for f in flows if f.get("source", "page") == "page"):
            cell = flow["row"].split(" | ")[1]
            found = re.match(r"(tcp|udp|tls)/(\d+)(?:[-\u2013](\d+)|(\+))?", cell)
            first = int(found.group(2))
            last = 65535 if found.group(4) else int(found.group(3) or first)
            assert found.group(1).replace("tls", "tcp") == flow["proto"], flow["row"]
            assert all(first <= port <= last for port in flow["ports"]), flow["row"]


def test_a_gateway_is_held_to_every_listed_flow_it_can_see(document, state):
    rows = rows_of(document, state, context(["edge"]))
    allowed = packets(rows)
    # The page's edges of the media range and the widening between its two ranges.
    for port in (16384, 32768, 32769, 49151, 49152, 65535):
        assert ("edge1", "purecloud", "udp", port) in allowed
        assert ("edge1", "gmedia", "udp", port) in allowed or port in (49151, 49152)
    assert ("edge1", "purecloud", "tcp", 5061) in allowed
    assert ("edge1", "phone1", "udp", 4000) in allowed and ("edge1", "phone1", "udp", 65535) in allowed
    assert ("edge1", "dns", "udp", 53) in allowed and ("edge1", "nist", "udp", 123) in allowed
    assert all(r["expect"] == "allow" for r in rows)
    # Edges share the lab's edge segment: the gateway never sees their group's flow.
    assert not any(r["to"] == "edge2" for r in rows)
    assert all(r["set"] == "page flows" and r["why"].startswith("page flow of edge: ") for r in rows)


def test_the_report_says_what_is_skipped_and_not_probed_and_why(document, state):
    _rows, report = page_flows.draw(document, [context(["edge", "byoc_cloud"])], state)
    text = "\n".join(report)
    assert "skipped edge -> edge tcp/8063 (PureCloud Edge | tls/8063 | Edge devices in the same Edge Group): " \
           "edge1 and edge2 share the lab's edge segment: the flow never crosses the gateway" in text
    assert "not probed (PureCloud Edge | vendor specified (SIP)* | Telephony SIP Provider (PSTN))" in text
    assert "skipped pbx -> genesys_media udp/16384,65535" in text and "no networks for pbx" in text


def test_a_row_an_option_leaves_out_is_expected_refused(document, state):
    rows = rows_of(document, state, context(["byoc_premises", "bridge"]))
    assert {("phone1", "edge2", "tcp", 8088), ("phone1", "edge2", "tcp", 8089),
            ("bridge1", "ad1", "tcp", 389), ("bridge1", "ad1", "tcp", 636)} == packets(rows, "deny")
    options = dict(OPTIONS, purecloud_ldap=True, purecloud_legacy_provisioning=True)
    rows = rows_of(document, state, context(["byoc_premises", "bridge"], options=options))
    assert not packets(rows, "deny")
    assert ("bridge1", "ad1", "tcp", 636) in packets(rows) and ("phone1", "edge2", "tcp", 8089) in packets(rows)
    rows = rows_of(document, state, context(["bridge"], options=dict(OPTIONS, purecloud_internal_dns=True)))
    assert {("bridge1", "dns", "udp", 53), ("bridge1", "dns", "tcp", 53)} <= packets(rows, "deny")


def test_a_left_out_row_another_flow_needs_is_not_expected_refused(document, state):
    extra = copy.deepcopy(document)
    extra["flows"]["bridge"].append({"from": "bridge_server", "to": "corporate_ad", "proto": "tcp", "ports": [389],
                                     "row": "Bridge Server | tcp/389 (LDAP)* | Corporate Active Directory environment"})
    rows = rows_of(extra, state, context(["bridge"]))
    assert ("bridge1", "ad1", "tcp", 389) in packets(rows)
    assert ("bridge1", "ad1", "tcp", 389) not in packets(rows, "deny")


def test_the_scenarios_carrier_and_pbx_are_probed_only_where_it_gives_their_networks(document, state):
    rows = rows_of(document, state, context(["byoc_premises"]))
    assert ("sipprovider", "edge2", "udp", 5060) in packets(rows)
    assert not any(r["from"] == "ad1" for r in rows)
    rows = rows_of(document, state, context(["byoc_cloud"], networks=["pbx"], endpoints={
        "pbx": ["ad1"], "byoc_cloud": ["purecloud"], "genesys_media": ["gmedia"]}))
    assert packets(rows) == {("ad1", "gmedia", "udp", 16384), ("ad1", "gmedia", "udp", 65535)}


def test_host_mode_sees_only_the_flows_to_and_from_the_host(document, state):
    rows = rows_of(document, state, context(["webrtc_client", "voice"], mode="host", host="workstation1",
                                            host_class="workstation"))
    assert rows and all(r["from"] == "workstation1" for r in rows)
    assert ("workstation1", "edge2", "udp", 65535) in packets(rows)
    assert ("workstation1", "purecloud", "tcp", 5222) in packets(rows)
    # Between Edges, an Edge filtering for itself is probed both ways.
    rows = rows_of(document, state, context(["edge"], mode="host", host="edge1", host_class="edge"))
    assert {("edge1", "edge2", "tcp", 8063), ("edge2", "edge1", "tcp", 8063)} <= packets(rows)
    assert all("edge1" in (r["from"], r["to"]) for r in rows)


def test_configurable_rows_step_aside_when_the_scenario_moves_ports(document, state):
    rows = rows_of(document, state, context(["edge"], port_overrides={"edge.phones.sip.udp": [5070]}))
    assert not any(r["to"] == "phone1" for r in rows)
    assert ("edge1", "purecloud", "tcp", 443) in packets(rows)


def test_without_the_media_stand_in_its_flows_are_skipped(document, state):
    plain = context(["webrtc_client"])
    del plain["endpoints"]["genesys_media"]
    _rows, report = page_flows.draw(document, [plain], state)
    assert "skipped workstation -> genesys_media tcp/3478" in "\n".join(report)
    assert "no lab endpoint plays genesys_media" in "\n".join(report)


@pytest.mark.parametrize("changes, message", [
    ({"edition": "2018-11-21"}, "plans catalog edition '2018-11-21'; the page flows are written for 'current'"),
    ({"products": ["edge", "sbc"]}, "serves 'sbc', for which the page flows list nothing"),
    ({"options": {"purecloud_ldap": True}}, "lacks the options"),
    ({"mode": "host", "host_class": None}, "its class is not given"),
    ({"products": ["byoc_cloud"]}, "no page flow of byoc_cloud is probed"),
])
def test_hosts_the_list_cannot_speak_for_are_refused(document, state, changes, message):
    with pytest.raises(page_flows.PageFlowError, match=re.escape(message)):
        page_flows.draw(document, [dict(context(["edge"]), **changes)], state)


def test_hosts_expecting_opposite_outcomes_of_one_packet_are_refused(document, state):
    with_ldap = context(["bridge"], options=dict(OPTIONS, purecloud_ldap=True))
    without = context(["bridge"], host="bridge1", mode="host", host_class="bridge_server")
    with pytest.raises(page_flows.PageFlowError, match="opposite outcomes of one packet"):
        page_flows.draw(document, [with_ldap, without], state)


@pytest.mark.parametrize("flow, message", [
    ({"to": "purecloud_api"}, "to: 'purecloud_api'; expected classes from"),
    ({"ports": [0]}, "ports: [0]; expected a list of ports 1-65535"),
    ({"ports": "443"}, "expected a list of ports"),
    ({"proto": "tls"}, "proto: 'tls'"),
    ({"row": ""}, "row: expected where the flow is read"),
    ({"source": "current"}, "change: a flow of the current edition says what changed"),
    ({"only_with": "purecloud_ldap", "left_out_by": "purecloud_internal_dns"}, "at most one"),
    ({"port": 443}, "unknown key 'port'"),
])
def test_a_malformed_flow_is_refused_naming_it(document, flow, message):
    broken = copy.deepcopy(document)
    broken["flows"]["edge"][0].update(flow)
    with pytest.raises(page_flows.PageFlowError, match=r"flows\.edge\[0\]: .*" + re.escape(message)):
        page_flows.check(broken)
