# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Requirement, SelectOptions, load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.compile import compile_rules as compile_records
from ansible_collections.purecloud.firewall.plugins.module_utils.compile import rules_as_text
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

PAGE = load_catalog(edition="2018-11-21")
# What the roles require networks for: the site's own classes and the ones only the user knows.
REQUIRED = PAGE.required_classes

SITE = {
    "edge": ["198.51.100.131/32", "198.51.100.130/32"],
    "voip_phone": ["198.51.100.192/27"],
    "workstation": ["198.51.100.224/27"],
}


def compile_rules(rows, networks, required):
    """The compiled rules as the filters and apply return them."""
    return compile_records(rows, networks, required).as_dict()


def rule(compiled, src, dst, proto):
    found = [r for r in compiled["rules"]
             if (r["source_class"], r["destination_class"], r["protocol"]) == (src, dst, proto)]
    assert len(found) == 1, (src, dst, proto)
    return found[0]


@pytest.fixture(scope="module")
def edge_rows():
    return PAGE.select(["edge"])


def test_edge_rules_merge_ports_and_aggregate_cidrs(edge_rows):
    compiled = compile_rules(edge_rows, SITE, REQUIRED)
    to_cloud_tcp = rule(compiled, "edge", "purecloud", "tcp")
    assert to_cloud_tcp["ports"] == ["443", "3478", "5060-5061"]
    assert to_cloud_tcp["sources"] == ["198.51.100.130/31"]
    assert to_cloud_tcp["destinations"] == "any"
    assert to_cloud_tcp["ids"] == ["edge.https", "edge.webrtc.sip", "edge.stun.purecloud.tcp"]
    # 16384-32768 and the backward-compatibility range stay apart; nothing overlaps them.
    assert rule(compiled, "edge", "purecloud", "udp")["ports"] == ["3478", "16384-32768", "49152-65535"]
    assert rule(compiled, "edge", "edge", "tcp")["ports"] == ["8063"]
    phones_udp = rule(compiled, "edge", "voip_phone", "udp")
    assert phones_udp["ports"] == ["4000-65535"]  # 5060 lies inside the phones' RTP range
    assert phones_udp["ids"] == ["edge.phones.sip.udp", "edge.phones.rtp"]


def test_vendor_rows_without_ports_are_skipped_with_the_variable_named(edge_rows):
    skipped = compile_rules(edge_rows, SITE, REQUIRED)["skipped"]
    reasons = [(s["id"], s["reason"]) for s in skipped]
    assert ("edge.sip_provider.sip.udp", "no ports: set port variable 'sip_provider_sip_ports'") in reasons
    assert ("edge.sip_provider.rtp", "no ports: set port variable 'sip_provider_rtp_ports'") in reasons


def test_site_classes_without_networks_are_skipped_not_opened_to_any():
    rows = PAGE.select(["bridge"])
    compiled = compile_rules(rows, {"bridge_server": ["198.51.100.140"]}, REQUIRED)
    assert ("bridge.ad.ldap", "no networks given for class 'corporate_ad'") in [
        (s["id"], s["reason"]) for s in compiled["skipped"]]
    assert all(r["destination_class"] != "corporate_ad" for r in compiled["rules"])
    assert rule(compiled, "bridge_server", "purecloud", "tcp")["sources"] == ["198.51.100.140/32"]


def test_remote_classes_can_be_narrowed():
    rows = PAGE.select(["webrtc_client"], SelectOptions(include_internal_dns_exempt=False))
    compiled = compile_rules(rows, {"workstation": ["198.51.100.224/27"], "purecloud": ["203.0.113.0/25"]}, REQUIRED)
    assert rule(compiled, "workstation", "purecloud", "tcp")["destinations"] == ["203.0.113.0/25"]
    assert rule(compiled, "workstation", "google_stun", "udp")["destinations"] == "any"
    assert compiled["skipped"] == []


@pytest.mark.parametrize("networks, message", [
    ({"edge": ["198.51.100.300/32"]}, "networks.edge: .*198.51.100.300/32"),
    ({"edge": []}, "networks.edge must be a non-empty list"),
    (["edge"], "networks must be a mapping"),
])
def test_bad_networks_are_refused_by_name(edge_rows, networks, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        compile_rules(edge_rows, networks, REQUIRED)


def test_rules_as_text_lists_rules_then_skipped(edge_rows):
    lines = rules_as_text(compile_records(edge_rows, SITE, REQUIRED))
    assert lines[0].split() == ["FROM", "TO", "PROTO", "PORTS", "REQUIREMENTS"]
    assert any(line.startswith("edge (198.51.100.130/31)") and "8063" in line for line in lines)
    assert lines[-1].startswith("skipped edge.sip_provider.rtp")


def test_remote_destinations_of_one_row_that_resolve_alike_are_one_flow():
    """The cloud at any address covers the media blocks: one rule; strict addresses apart: two."""
    row = Requirement.from_row({"id": "x.media", "protocol": "udp", "ports": ["16384-65535"], "source": ["edge"],
                                "destination": ["edge", "purecloud", "genesys_media"]})
    edges = {"edge": ["198.51.100.128/28"]}
    anywhere = compile_rules([row], edges, REQUIRED)["rules"]
    assert [(r["destination_class"], r["destinations"]) for r in anywhere] == [
        ("edge", ["198.51.100.128/28"]), ("purecloud", "any")]
    same = compile_rules([row], dict(edges, purecloud=["203.0.113.0/24"], genesys_media=["203.0.113.0/24"]),
                         REQUIRED)["rules"]
    assert [r["destination_class"] for r in same] == ["edge", "purecloud"]
    apart = compile_rules([row], dict(edges, purecloud=["203.0.113.0/25"], genesys_media=["203.0.113.128/25"]),
                          REQUIRED)["rules"]
    assert [(r["destination_class"], r["destinations"]) for r in apart] == [
        ("edge", ["198.51.100.128/28"]), ("genesys_media", ["203.0.113.128/25"]), ("purecloud", ["203.0.113.0/25"])]
