# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preflight planning and the wire formats it speaks (the lab tests send them for real)."""

from __future__ import annotations

import socket
import struct

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.preflight import (
    STUN_MAGIC, dns_query, dns_records, parse_stun_response, plan_checks, table)
from ansible_collections.purecloud.firewall.plugins.module_utils.site import plan_site

NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"], "workstation": ["198.51.100.224/27"]}


def test_checks_follow_the_flows_the_host_sends_with_their_own_ids():
    plan = plan_site({"products": ["edge"], "region": "eu-central-1", "networks": NETWORKS, "mode": "host",
                      "egress_filtering": True, "catalog_edition": "2018-11-21"})
    checks = plan_checks(plan.rules, "edge", "mypurecloud.de", peers={"edge": ["198.51.100.131"]},
                         requirements=plan.requirements, names=load_catalog().probe_names())
    by_flow = dict(((c["target"], c["protocol"], c["port"]), c) for c in checks)
    assert by_flow[("api.mypurecloud.de", "tcp", 443)]["ids"] == ["edge.https"]
    assert by_flow[("api.mypurecloud.de", "tcp", 5061)]["ids"] == ["edge.webrtc.sip"]  # both ends of 5060-5061
    assert by_flow[("api.mypurecloud.de", "udp", 3478)]["kind"] == "stun_udp"
    assert by_flow[("stun.l.google.com", "tcp", 19302)]["kind"] == "stun_tcp"
    assert by_flow[("time.nist.gov", "udp", 123)]["kind"] == "ntp"
    assert by_flow[("@dns", "udp", 53)]["kind"] == "dns_udp"
    assert by_flow[("198.51.100.131", "tcp", 8063)]["ids"] == ["edge.edge_group.tls"]
    assert by_flow[("api.mypurecloud.de", "udp", 16384)]["kind"] is None  # media: not judged
    assert by_flow[("(no target)", "tcp", 5060)]["destination"] == "voip_phone"  # no phone peer given


def test_dns_query_and_answer():
    ident, query = dns_query("api.mypurecloud.com")
    assert query[12:] == b"\x03api\x0bmypurecloud\x03com\x00\x00\x01\x00\x01"
    answer = (struct.pack(">HHHHHH", ident, 0x8180, 1, 1, 0, 0) + query[12:]
              + b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton("203.0.113.10"))
    assert dns_records(answer, ident) == [("203.0.113.10", 60)]
    with pytest.raises(ValueError, match="not an answer to our query"):
        dns_records(answer, ident ^ 1)
    refused = struct.pack(">HHHHHH", ident, 0x8183, 1, 0, 0, 0) + query[12:]
    with pytest.raises(ValueError, match="DNS error code 3"):
        dns_records(refused, ident)


def test_stun_xor_mapped_address():
    transaction = b"123456789012"
    port = 54321 ^ (STUN_MAGIC >> 16)
    address = bytes(b ^ m for b, m in zip(socket.inet_aton("198.51.100.130"), struct.pack(">I", STUN_MAGIC)))
    attribute = struct.pack(">HHBBH", 0x0020, 8, 0, 1, port) + address
    response = struct.pack(">HHI", 0x0101, len(attribute), STUN_MAGIC) + transaction + attribute
    assert parse_stun_response(response, transaction) == "198.51.100.130:54321"
    with pytest.raises(OSError, match="not a STUN Binding success response"):
        parse_stun_response(response, b"x" * 12)


def test_table_marks_pass_fail_and_skip():
    rows = table([{"ok": True, "protocol": "tcp", "port": 443, "kind": "tcp", "target": "api.mypurecloud.com",
                   "address": "203.0.113.10", "detail": "connected", "ids": ["edge.https"]},
                  {"ok": False, "protocol": "tcp", "port": 5222, "kind": "tcp", "target": "api.mypurecloud.com",
                   "address": "203.0.113.10", "detail": "timed out", "ids": ["webrtc_client.messaging.xmpp"]},
                  {"ok": None, "protocol": "udp", "port": 16384, "kind": None, "target": "x", "address": "",
                   "detail": "not checked", "ids": ["edge.media.srtp_turn"]}])
    assert [line.split()[0] for line in rows] == ["RESULT", "pass", "FAIL", "skip"]
    assert rows[2].endswith("webrtc_client.messaging.xmpp")
