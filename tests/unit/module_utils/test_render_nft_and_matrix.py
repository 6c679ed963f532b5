# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compiled rules rendered for nft_table, and the traffic matrix drawn from them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.matrix import allowed, probe_matrix
from ansible_collections.purecloud.firewall.plugins.module_utils.nft import check_spec
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.render_firewalld import render_state as _render_state
from ansible_collections.purecloud.firewall.plugins.module_utils.render_nft import comment_for, render_table


def rule(src, dst, proto, ports, sources, destinations="any", ids=("x.y",)):
    return Rule.from_mapping({"source_class": src, "destination_class": dst, "protocol": proto, "ports": ports,
                              "sources": sources, "destinations": destinations, "ids": list(ids), "applications": []})


def render_state(compiled, **options):
    """firewalld_state's arguments, with the catalog's short names for the classes."""
    return _render_state(compiled, short_names=load_catalog().short_names(), **options)


COMPILED = [
    rule("edge", "purecloud", "tcp", ["443", "5060-5061"], ["198.51.100.128/28", "2001:db8:1::/64"],
         ids=("edge.https", "edge.webrtc.sip")),
    rule("edge", "edge", "tcp", ["8063"], ["198.51.100.128/28"], ["198.51.100.128/28"], ids=("edge.edge_group.tls",)),
    rule("voip_phone", "edge", "udp", ["16384-32768"], ["198.51.100.192/27"], ["198.51.100.128/28"]),
]


def test_gateway_table_has_class_sets_and_one_rule_per_family():
    spec = render_table(COMPILED)
    assert [c["name"] for c in spec["chains"]] == ["forward"] and spec["chains"][0]["policy"] == "drop"
    assert [s["name"] for s in spec["sets"]] == ["edge_v4", "edge_v6", "voip_phone_v4"]
    statements = [r["rule"] for r in spec["rules"]]
    assert statements == [
        "ct state established,related accept",
        "ip saddr @edge_v4 tcp dport { 443, 5060-5061 } accept",
        "ip6 saddr @edge_v6 tcp dport { 443, 5060-5061 } accept",
        "ip saddr @edge_v4 ip daddr @edge_v4 tcp dport 8063 accept",
        "ip saddr @voip_phone_v4 ip daddr @edge_v4 udp dport 16384-32768 accept",
    ]
    assert spec["rules"][1]["comment"] == "edge.https edge.webrtc.sip"
    check_spec(spec)  # what nft_table will accept


def test_host_mode_filters_input_to_the_host_class_and_optionally_output():
    spec = render_table(COMPILED, mode="host", host_class="edge", egress_filtering=True,
                        management={"sources": ["198.51.100.0/25"]})
    inputs = [r["rule"] for r in spec["rules"] if r["chain"] == "input"]
    outputs = [r["rule"] for r in spec["rules"] if r["chain"] == "output"]
    assert "ip saddr @voip_phone_v4 udp dport 16384-32768 accept" in inputs
    assert "ip saddr @edge_v4 tcp dport 8063 accept" in inputs
    assert "tcp dport { 443, 5060-5061 } accept" in outputs  # to any cloud address
    assert spec["management"] == {"sources": ["198.51.100.0/25"]}
    with pytest.raises(PurecloudFirewallError, match="host mode needs the host's endpoint class"):
        render_table(COMPILED, mode="host")
    with pytest.raises(PurecloudFirewallError, match="bad mode 'router'"):
        render_table(COMPILED, mode="router")


def test_long_comments_are_shortened_within_the_limit():
    ids = ["voice.webrtc.stun.purecloud.udp.%d" % n for n in range(10)]
    text = comment_for(ids)
    assert len(text) <= 120 and text.endswith("more") and text.startswith(ids[0])


def test_allowed_honours_any_destinations():
    rules = COMPILED
    assert allowed(rules, "edge", "google_stun", "tcp", 443)  # destination any: every address
    assert not allowed(rules, "edge", "purecloud", "tcp", 444)
    assert not allowed(rules, "voip_phone", "purecloud", "udp", 16384)  # destination is the edge set only


def test_matrix_probes_range_edges_and_denies_neighbours():
    endpoints = {"edge": ["edge1", "edge2"], "purecloud": ["cloud"], "voip_phone": ["phone1"], "bridge_server": ["b1"]}
    rows = probe_matrix(COMPILED, endpoints, deny_sources=["bridge_server"])
    by_key = dict(((r["from"], r["to"], r["proto"], r["port"]), r["expect"]) for r in rows)
    assert by_key[("edge1", "cloud", "tcp", 5060)] == "allow" and by_key[("edge1", "cloud", "tcp", 5061)] == "allow"
    assert by_key[("edge1", "cloud", "tcp", 5062)] == "deny" and by_key[("edge1", "cloud", "tcp", 442)] == "deny"
    assert by_key[("edge1", "cloud", "udp", 443)] == "deny"
    assert by_key[("b1", "cloud", "tcp", 443)] == "deny"
    assert by_key[("phone1", "edge2", "udp", 24576)] == "allow"
    assert ("edge1", "edge2", "tcp", 8062) not in by_key  # same segment: never meets the gateway
    assert probe_matrix(COMPILED, endpoints, gateway=False)


def test_firewalld_gateway_state_zones_by_source_and_policies_to_any():
    from ansible_collections.purecloud.firewall.plugins.module_utils.firewalld_state import check_state

    state = render_state(COMPILED)
    assert [z["name"] for z in state["zones"]] == ["purecloud_edge", "purecloud_phone"]
    assert state["zones"][0]["sources"] == ["198.51.100.128/28", "2001:db8:1::/64"]
    assert [s["name"] for s in state["ipsets"]] == ["purecloud_edge4"]
    edge = state["policies"][0]
    assert edge["name"] == "purecloud-edge"
    assert (edge["ingress_zones"], edge["egress_zones"], edge["target"]) == (["purecloud_edge"], ["ANY"], "REJECT")
    assert edge["rich_rules"] == [
        'rule family="ipv4" port port="443" protocol="tcp" accept',
        'rule family="ipv4" port port="5060-5061" protocol="tcp" accept',
        'rule family="ipv6" port port="443" protocol="tcp" accept',
        'rule family="ipv6" port port="5060-5061" protocol="tcp" accept',
        'rule family="ipv4" destination ipset="purecloud_edge4" port port="8063" protocol="tcp" accept',
    ]
    assert render_state(COMPILED, default_policy="accept")["policies"][0]["target"] == "CONTINUE"
    check_state(state)  # what firewalld_state will accept
    with pytest.raises(PurecloudFirewallError, match="a gateway needs the source class's networks"):
        render_state([replace(COMPILED[0], sources="any")])


def test_firewalld_host_state_policies_to_and_from_the_host():
    from ansible_collections.purecloud.firewall.plugins.module_utils.firewalld_state import check_state

    state = render_state(COMPILED, mode="host", host_class="edge", egress_filtering=True)
    assert state["zones"] == []  # the host's interfaces stay in the zones they are in
    inbound, outbound = state["policies"]
    assert (inbound["name"], inbound["ingress_zones"], inbound["egress_zones"], inbound["target"]) == \
        ("purecloud-in", ["ANY"], ["HOST"], "REJECT")
    assert inbound["rich_rules"] == [
        'rule family="ipv4" source ipset="purecloud_edge4" port port="8063" protocol="tcp" accept',
        'rule family="ipv4" source ipset="purecloud_phone4" port port="16384-32768" protocol="udp" accept',
    ]
    assert (outbound["name"], outbound["ingress_zones"], outbound["egress_zones"]) == \
        ("purecloud-out", ["HOST"], ["ANY"])
    assert outbound["rich_rules"] == [
        'rule family="ipv4" port port="443" protocol="tcp" accept',
        'rule family="ipv4" port port="5060-5061" protocol="tcp" accept',
        'rule family="ipv6" port port="443" protocol="tcp" accept',
        'rule family="ipv6" port port="5060-5061" protocol="tcp" accept',
        'rule family="ipv4" destination ipset="purecloud_edge4" port port="8063" protocol="tcp" accept',
    ]
    assert [s["name"] for s in state["ipsets"]] == ["purecloud_edge4", "purecloud_phone4"]
    check_state(state)
    # Without egress filtering only the inbound policy; a class nothing flows to still gets it, empty.
    quiet = render_state(COMPILED, mode="host", host_class="workstation", default_policy="accept")
    assert [(p["name"], p["target"], p["rich_rules"]) for p in quiet["policies"]] == [("purecloud-in", "CONTINUE", [])]
    with pytest.raises(PurecloudFirewallError, match="host mode needs the host's endpoint class"):
        render_state(COMPILED, mode="host")
