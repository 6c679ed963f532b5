# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From the catalog to real packets: compile, render, apply on the lab gateway (nftables or firewalld), probe."""

import os

import pytest

# The site topology's segments, as a user's purecloud_networks would say them.
NETWORKS = {"edge": ["198.51.100.128/28"], "bridge_server": ["198.51.100.144/28"],
            "corporate_ad": ["198.51.100.160/28"], "voip_phone": ["198.51.100.192/27"],
            "workstation": ["198.51.100.224/27"]}
# Who plays each endpoint class in the lab.
ENDPOINTS = {"edge": ["edge1", "edge2"], "bridge_server": ["bridge1"], "corporate_ad": ["ad1"],
             "voip_phone": ["phone1"], "workstation": ["workstation1"], "purecloud": ["purecloud"],
             "google_stun": ["google"], "nist_time": ["nist"], "dns": ["dns"], "polycom_ztp": ["polycom"],
             "phone_provisioning": ["provisioning"]}


def _owned(site):
    """What the collection owns on the gateway right now, as the backend lists it."""
    if site.backend == "nftables":
        return [line for line in site.shell("gateway", "nft list tables").splitlines() if "purecloud" in line]
    return [name for name in site.shell("gateway", "firewall-cmd --get-policies").split() if "purecloud" in name]


def test_apply_refuses_bad_input_before_touching_the_gateway(site):
    edge_site = {"products": ["edge"], "region": "us-east-1", "networks": NETWORKS}
    bad_cidr = site.module("gateway", "purecloud.firewall.apply",
                           dict(edge_site, networks=dict(NETWORKS, edge=["198.51.100.300/28"])))
    assert bad_cidr["failed"] and "198.51.100.300/28" in bad_cidr["msg"], bad_cidr
    bad_region = site.module("gateway", "purecloud.firewall.apply", dict(edge_site, region="us-west2"))
    assert "unknown purecloud_region 'us-west2' (did you mean 'us-west-2'?); expected one of: " in bad_region["msg"], \
        bad_region
    missing = site.module("gateway", "purecloud.firewall.apply", dict(edge_site, networks={"edge": NETWORKS["edge"]}))
    assert "purecloud_networks has no voip_phone" in missing["msg"], missing
    # Named on the controller, not by nft on the host ("Service out of range"); the failure is its message.
    port = site.module("gateway", "purecloud.firewall.apply",
                       dict(edge_site, management={"sources": ["198.51.100.0/25"], "port": 70000}))
    assert port["msg"] == "purecloud.firewall.apply: purecloud_management.port is 70000: the SSH port, 1 to 65535"
    assert "module_args" not in port and "rules" not in port, sorted(port)
    # Check mode finds the backend by itself, reports the change, and creates nothing.
    preview = site.module("gateway", "purecloud.firewall.apply", edge_site, check=True)
    assert not preview.get("failed") and preview["changed"] and preview["backend"] == site.backend, preview
    assert _owned(site) == []


@pytest.mark.parametrize("products", [["edge"], ["edge", "voice", "webrtc_client", "bridge"]],
                         ids=["edge", "edge+voice+webrtc_client+bridge"])
def test_the_gateway_allows_exactly_the_compiled_flows(site, collection, products):
    from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import SelectOptions, load_catalog
    from ansible_collections.purecloud.firewall.plugins.module_utils.compile import compile_rules
    from ansible_collections.purecloud.firewall.plugins.module_utils.matrix import probe_matrix
    from ansible_collections.purecloud.firewall.plugins.module_utils.render_firewalld import render_state
    from ansible_collections.purecloud.firewall.plugins.module_utils.render_nft import render_table

    from labkit import probe

    # The page's edition: the backward-compatibility range is a row of its own there, and left out.
    page = load_catalog(edition="2018-11-21")
    rows = page.select(products, SelectOptions(include_backward_compat=False))
    compiled = compile_rules(rows, NETWORKS, required=page.required_classes)
    if site.backend == "nftables":
        module, args = "purecloud.firewall.nft_table", render_table(compiled.rules, mode="gateway")
    else:
        module, args = "purecloud.firewall.firewalld_state", render_state(compiled.rules, short_names=page.short_names())
    result = site.module("gateway", module, args)
    assert not result.get("failed"), result.get("msg")
    assert site.module("gateway", module, args)["changed"] is False
    matrix = probe_matrix(compiled.rules, ENDPOINTS, deny_sources=["bridge_server", "corporate_ad"])
    expected = [dict((k, r[k]) for k in ("from", "to", "proto", "port", "expect")) for r in matrix]
    allow = sum(1 for r in expected if r["expect"] == "allow")
    assert allow > 10 and len(expected) - allow > 10
    results = probe.run(site.state, expected, timeout=0.7)
    wrong = ["%(from)s -> %(to)s %(proto)s/%(port)s expected %(expect)s, got %(outcome)s (%(detail)s)" % r
             for r in results if not r["ok"]]
    assert wrong == [], "\n".join(wrong)
    # The backward-compatibility range is off: refused from the Edge.
    off = probe.run(site.state, [{"from": "edge1", "to": "purecloud", "proto": "udp", "port": 50000,
                                  "expect": "deny"}], timeout=0.7)
    assert off[0]["ok"], off


def test_strict_mode_reads_the_feed_and_lets_only_its_prefixes_through(site):
    """cloud_destinations: aws_ip_ranges, with the lab's own ip-ranges.json: the cloud's hosts, and no other."""
    from labkit import probe

    feed = os.path.join(site.lab.dir, "ip-ranges.json")  # the lab maps its PureCloud hosts to us-east-1
    args = {"products": ["webrtc_client"], "region": "us-east-1", "networks": NETWORKS,
            "cloud_destinations": "aws_ip_ranges", "aws_ip_ranges_src": feed}
    result = site.module("gateway", "purecloud.firewall.apply", args)
    assert not result.get("failed"), result.get("msg")
    https = [r for r in result["rules"] if r["destination_class"] == "purecloud" and r["protocol"] == "tcp"][0]
    # Every AWS prefix of the region: the PureCloud hosts .10 and .11 (aggregated) and phone provisioning.
    assert https["destinations"] == ["203.0.113.10/31", "203.0.113.41/32"]
    assert site.module("gateway", "purecloud.firewall.apply", args)["changed"] is False
    rows = [{"from": "workstation1", "to": "purecloud", "proto": "tcp", "port": 443, "expect": "allow"},
            {"from": "workstation1", "to": "purecloud", "proto": "tcp", "port": 5222, "expect": "allow"},
            # Port 443 to an address outside the feed: open with "any", closed in strict mode.
            {"from": "workstation1", "to": "polycom", "proto": "tcp", "port": 443, "expect": "deny"},
            {"from": "workstation1", "to": "sipprovider", "proto": "tcp", "port": 5222, "expect": "deny"},
            # Google publishes no ranges: its STUN stays open to any address.
            {"from": "workstation1", "to": "google", "proto": "udp", "port": 19302, "expect": "allow"}]
    results = probe.run(site.state, rows, timeout=0.7)
    assert [r for r in results if not r["ok"]] == []
    missing = site.module("gateway", "purecloud.firewall.apply", dict(args, aws_ip_ranges_src=feed + ".missing"))
    assert missing["failed"] and "ip-ranges.json.missing" in missing["msg"], missing


DNSQUERY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lab", "labkit", "dnsquery.py")


def test_dns_fed_sets_let_through_only_what_a_lookup_through_the_gateway_returned(site):
    """cloud_destinations: domains: the gateway's dnsmasq resolves the page's domains into the firewall's sets."""
    import json
    import time

    from labkit import probe

    ttl = 3
    args = {"products": ["webrtc_client"], "region": "us-east-1", "networks": NETWORKS,
            "cloud_destinations": "domains", "internal_dns": True, "dns_upstream": ["203.0.113.53"], "dns_ttl": ttl}
    result = site.module("gateway", "purecloud.firewall.apply", args)
    assert not result.get("failed"), result.get("msg")
    assert result["dnsmasq"]["service"] == "restarted", result["dnsmasq"]
    gateway = site.state["hosts"]["gateway"]["interfaces"]["clients"]

    def lookup(server, name, port=None):
        command = "python3 %s %s %s 1 %s" % (DNSQUERY, server, name, port or "")
        return json.loads(site.shell("workstation1", command))

    def connect(address):
        return probe.run(site.state, [{"from": "workstation1", "to": address, "proto": "tcp", "port": 443,
                                       "expect": "allow"}], timeout=0.7)[0]["outcome"]

    # The page's web domains, before any lookup: refused.
    assert connect("203.0.113.10") == "deny"
    answer = lookup(gateway, "apps.mypurecloud.com", 443)
    assert answer["addresses"] == ["203.0.113.10"] and answer["ttl"] <= ttl, answer
    assert answer["connect"] == "allow"  # the set held the address before the answer reached the client
    # Another PureCloud address no lookup returned, and the address of a name outside the web list.
    assert connect("203.0.113.11") == "deny"
    nist = lookup(gateway, "time.nist.gov", 443)
    assert nist["addresses"] == ["203.0.113.30"] and nist["connect"] == "deny", nist
    # A lookup through another resolver gets no answer: DNS goes to the gateway's dnsmasq only.
    assert "error" in lookup("203.0.113.53", "apps.mypurecloud.com"), "DNS to another resolver got through"
    # Untouched for longer than the ttl: the address is gone from the set again.
    time.sleep(ttl + 1.5)
    assert connect("203.0.113.10") == "deny"
    # Media keeps its own destinations: any address, with no lookup.
    media = probe.run(site.state, [{"from": "workstation1", "to": "purecloud", "proto": "udp", "port": 3478,
                                    "expect": "allow"}], timeout=0.7)
    assert media[0]["ok"], media
    again = site.module("gateway", "purecloud.firewall.apply", args)
    assert again["changed"] is False and again["dnsmasq"]["service"] == "started", again.get("dnsmasq")
    gone = site.module("gateway", "purecloud.firewall.apply", dict(args, state="absent"))
    assert not gone.get("failed") and gone["dnsmasq"]["service"] == "restarted", gone.get("msg")
    assert "purecloud" not in site.shell("gateway", "ls /etc/dnsmasq.d")


def test_a_host_that_filters_its_egress_connects_only_to_what_its_own_dnsmasq_resolved(site):
    """Host mode: the gateway's own outbound flows, as a workstation's, held to lookups through 127.0.0.1."""
    import json

    from labkit import probe

    args = {"products": ["webrtc_client"], "region": "us-east-1", "mode": "host", "host_class": "workstation",
            "egress_filtering": True, "default_policy": "drop", "cloud_destinations": "domains",
            "internal_dns": True, "dns_upstream": ["203.0.113.53"], "dns_ttl": 30,
            "management": {"sources": ["198.51.100.0/25"]}}
    result = site.module("gateway", "purecloud.firewall.apply", args)
    assert not result.get("failed"), result.get("msg")

    def lookup(server, name):
        return json.loads(site.shell("gateway", "python3 %s %s %s 1 443" % (DNSQUERY, server, name)))

    rows = [{"from": "gateway", "to": "203.0.113.10", "proto": "tcp", "port": 443, "expect": "deny"},
            # DNS leaves the host only towards its dnsmasq's resolver.
            {"from": "gateway", "to": "purecloud", "proto": "udp", "port": 53, "expect": "deny"},
            {"from": "gateway", "to": "dns", "proto": "udp", "port": 53, "expect": "allow"}]
    results = probe.run(site.state, rows, timeout=0.7)
    assert [r for r in results if not r["ok"]] == []
    # Asked of the upstream directly, passing dnsmasq by: the answer is in no set.
    assert lookup("203.0.113.53", "api.mypurecloud.com")["connect"] == "deny"
    assert lookup("127.0.0.1", "api.mypurecloud.com")["connect"] == "allow"
    assert lookup("127.0.0.1", "time.nist.gov")["connect"] == "deny"
    gone = site.module("gateway", "purecloud.firewall.apply", dict(args, state="absent"))
    assert not gone.get("failed"), gone.get("msg")


def test_dnsmasq_that_cannot_be_had_stops_the_run_before_the_firewall_changes(site):
    """dnsmasq hidden on the gateway (its package still recorded, so apt installs nothing): a clear error, no change."""
    args = {"products": ["webrtc_client"], "region": "us-east-1", "networks": NETWORKS,
            "cloud_destinations": "domains", "internal_dns": True, "dns_upstream": ["203.0.113.53"]}
    before = site.shell("gateway", "nft list ruleset")
    site.shell("gateway", "mount --bind /dev/null /usr/sbin/dnsmasq")  # the gateway's own mount namespace
    try:
        result = site.module("gateway", "purecloud.firewall.apply", args)
    finally:
        site.shell("gateway", "umount /usr/sbin/dnsmasq")
    assert result["failed"] and "dnsmasq" in result["msg"] and "install" in result["msg"], result.get("msg")
    assert site.shell("gateway", "nft list ruleset") == before
    assert "purecloud" not in site.shell("gateway", "ls /etc/dnsmasq.d")


def test_a_change_that_could_cut_the_session_is_confirmed_over_a_fresh_connection_and_stays(site):
    """purecloud_rollback_timeout from apply: armed before the change, confirmed by the run, so never restored."""
    import time

    args = {"products": ["webrtc_client"], "region": "us-east-1", "mode": "host", "host_class": "workstation",
            "default_policy": "drop", "management": {"sources": ["198.51.100.0/25"]}, "rollback_timeout": 6}
    result = site.module("gateway", "purecloud.firewall.apply", args)
    assert not result.get("failed"), result.get("msg")
    assert result["rollback"]["confirmed"] is True and result["rollback"]["deadline"] > time.time(), result["rollback"]
    owned = _owned(site)
    time.sleep(8)  # past the deadline: a timer nobody confirmed would have put the previous rules back
    assert _owned(site) == owned and owned
    assert site.module("gateway", "purecloud.firewall.apply", args)["changed"] is False
    gone = site.module("gateway", "purecloud.firewall.apply", dict(args, state="absent"))
    assert not gone.get("failed"), gone.get("msg")
