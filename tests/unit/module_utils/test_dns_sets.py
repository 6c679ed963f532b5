# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS-fed destinations: the plan, the dnsmasq drop-in, the nftables rules and sets, firewalld's guard table."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.dns_sets import (
    DnsPlan, Upstream, check_ttl, nftset_lines, upstreams)
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.nft import (
    canonical, check_spec, replace_transaction, run_time_elements)
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.render_nft import render_dns_guard, render_table
from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
    check_destinations, dns_guard, dnsmasq_dropin, plan_site, render_site)

NETWORKS = {"edge": ["198.51.100.128/28"], "bridge_server": ["198.51.100.144/28"],
            "corporate_ad": ["198.51.100.160/28"], "voip_phone": ["198.51.100.192/27"],
            "workstation": ["198.51.100.224/27"]}
DOMAINS = dict(cloud_destinations="domains", internal_dns=True, dns_upstream=["198.51.100.53"], dns_ttl=60)
# The page's "Domains and IP Addresses" for PureCloud in us-east-1 (North America) and Amazon AWS, written
# as dnsmasq matches them: a domain and every name under it.
US_EAST_1 = "cloudfront.net/mypurecloud.com/s3.amazonaws.com/s3.us-east-1.amazonaws.com"


def webrtc(**settings):
    return plan_site(dict(dict(products=["webrtc_client"], region="us-east-1", networks=NETWORKS, **DOMAINS),
                          **settings))


def test_the_drop_in_resolves_the_regions_web_domains_into_the_classes_sets():
    plan = webrtc()
    args = render_site(plan, "nftables")
    assert dnsmasq_dropin(plan, args).splitlines()[2:] == [
        "no-resolv", "server=198.51.100.53", "max-cache-ttl=60", "max-ttl=60",
        # The site's clients have IPv4 networks only: only IPv4 sets are made, and filled.
        "nftset=/%s/4#inet#purecloud#purecloud_dns_v4" % US_EAST_1,
        "nftset=/l.google.com/4#inet#purecloud#google_stun_dns_v4"]
    frankfurt = webrtc(region="eu-central-1")
    assert "nftset=/cloudfront.net/mypurecloud.de/s3.amazonaws.com/s3.eu-central-1.amazonaws.com/4#" in \
        dnsmasq_dropin(frankfurt, render_site(frankfurt, "nftables"))


def test_a_name_several_classes_cover_carries_all_their_sets():
    """dnsmasq takes the one longest matching domain of a query: that line must name every covering class's set."""
    lines = nftset_lines({"purecloud": ("*.mypurecloud.com",), "byoc_cloud": ("byoc.mypurecloud.com",)},
                         {"purecloud": ["4#inet#t#p4"], "byoc_cloud": ["4#inet#t#b4"]})
    assert lines == ["nftset=/byoc.mypurecloud.com/4#inet#t#b4,4#inet#t#p4", "nftset=/mypurecloud.com/4#inet#t#p4"]


@pytest.mark.skipif(not shutil.which("dnsmasq", path="/usr/sbin:/usr/bin"), reason="dnsmasq is not installed")
def test_dnsmasq_itself_accepts_the_drop_in_and_refuses_a_broken_one(tmp_path):
    plan = webrtc()
    dropin = tmp_path / "purecloud-firewall.conf"
    dropin.write_text(dnsmasq_dropin(plan, render_site(plan, "nftables")))
    dnsmasq = shutil.which("dnsmasq", path="/usr/sbin:/usr/bin")
    good = subprocess.run([dnsmasq, "--test", "--conf-file=%s" % dropin], capture_output=True, text=True,
                          check=False)
    assert good.returncode == 0, good.stderr
    dropin.write_text(dropin.read_text().replace("max-ttl=60", "max-ttl=sixty"))
    bad = subprocess.run([dnsmasq, "--test", "--conf-file=%s" % dropin], capture_output=True, text=True, check=False)
    assert bad.returncode != 0 and "error at line 6 of" in bad.stderr


def test_the_tcp_rows_to_a_class_with_domains_match_its_set_and_refresh_it():
    table = render_site(webrtc(), "nftables")
    rules = [r["rule"] for r in table["rules"]]
    assert ("ip saddr @workstation_v4 ip daddr @purecloud_dns_v4 tcp dport { 443, 3478, 5222 } "
            "update @purecloud_dns_v4 { ip daddr } accept") in rules
    # Media and STUN over UDP keep their destinations: any address.
    assert "ip saddr @workstation_v4 udp dport { 3478, 16384-65535 } accept" in rules
    # DNS to any resolver is gone with the page's DNS rows: the clients ask this host's dnsmasq.
    assert not [r for r in rules if "dport 53" in r]
    dns_set = [s for s in check_spec(table)["sets"] if s["name"] == "purecloud_dns_v4"][0]
    assert dns_set == {"name": "purecloud_dns_v4", "type": "ipv4_addr", "flags": ["dynamic", "timeout"],
                       "timeout": 60, "elements": [], "comment": "purecloud.firewall class purecloud, filled by dnsmasq"}


def test_a_host_that_filters_its_egress_asks_only_its_dnsmasqs_resolvers():
    plan = webrtc(mode="host", host_class="workstation", egress_filtering=True, default_policy="drop")
    rules = [r["rule"] for r in render_site(plan, "nftables")["rules"] if r["chain"] == "output"]
    assert "ip daddr 198.51.100.53 meta l4proto { tcp, udp } th dport 53 accept" in rules
    # Its own flows have no source to match: both families, each with its own set.
    assert "ip daddr @purecloud_dns_v4 tcp dport { 443, 3478, 5222 } update @purecloud_dns_v4 { ip daddr } accept" \
        in rules
    assert "ip6 daddr @purecloud_dns_v6 tcp dport { 443, 3478, 5222 } update @purecloud_dns_v6 { ip6 daddr } accept" \
        in rules


def test_the_mode_needs_its_dnsmasq_and_says_what_is_missing():
    settings = dict(products=["webrtc_client"], region="us-east-1", networks=NETWORKS, cloud_destinations="domains",
                    mode="host", host_class="workstation")
    with pytest.raises(PurecloudFirewallError) as error:
        check_destinations(settings, "nftables", plan_site(settings))
    message = str(error.value)
    for needed in ("purecloud_egress_filtering: true", "purecloud_internal_dns: true", "purecloud_default_policy: drop",
                   "purecloud_dns_upstream"):
        assert needed in message
    check_destinations(DOMAINS, "firewalld", webrtc())
    check_destinations({}, "nftables", webrtc(cloud_destinations="any"))
    with pytest.raises(PurecloudFirewallError, match="purecloud_dns_upstream has '198.51.100.300'"):
        webrtc(dns_upstream=["198.51.100.300"])
    with pytest.raises(PurecloudFirewallError, match="purecloud_dns_upstream has '198.51.100.53#0'"):
        upstreams(["198.51.100.53#0"])
    assert upstreams(["198.51.100.53#5353", "2001:db8::53"]) == (Upstream("198.51.100.53", 5353),
                                                                 Upstream("2001:db8::53"))
    assert upstreams(["198.51.100.53#5353"])[0].server == "198.51.100.53#5353"
    for bad in (0, 3601, True, "60"):
        with pytest.raises(PurecloudFirewallError, match="purecloud_dns_ttl is"):
            check_ttl(bad)


def test_a_resolver_on_another_port_is_let_out_on_that_port():
    host = dict(mode="host", host_class="workstation", egress_filtering=True, default_policy="drop",
                dns_upstream=["198.51.100.53#5353", "2001:db8::53"])
    nft_rules = [r["rule"] for r in render_site(webrtc(**host), "nftables")["rules"]]
    assert "ip daddr 198.51.100.53 meta l4proto { tcp, udp } th dport 5353 accept" in nft_rules
    assert "ip6 daddr 2001:db8::53 meta l4proto { tcp, udp } th dport 53 accept" in nft_rules
    out = [p for p in render_site(webrtc(**host), "firewalld")["policies"] if p["name"] == "purecloud-out"][0]
    assert 'rule family="ipv4" destination address="198.51.100.53" port port="5353" protocol="udp" accept' \
        in out["rich_rules"]
    assert 'rule family="ipv6" destination address="2001:db8::53" port port="53" protocol="tcp" accept' \
        in out["rich_rules"]


def test_a_product_with_no_flow_to_resolve_is_warned_about():
    plan = plan_site(dict(products=["byoc_cloud"], region="us-east-1", **DOMAINS,
                          networks={"pbx": ["198.51.100.170/32"], "byoc_cloud": ["203.0.113.10/31"]}))
    assert plan.dns is not None and plan.dns.names == ()
    assert any("no address is held to a lookup" in warning for warning in plan.warnings)


def test_a_timeout_set_is_filled_at_run_time_only():
    base = {"name": "s", "type": "ipv4_addr"}
    with pytest.raises(PurecloudFirewallError, match="flags timeout needs the set's timeout"):
        check_spec({"sets": [dict(base, flags=["timeout"])]})
    with pytest.raises(PurecloudFirewallError, match="a timeout needs flags: \\[timeout\\]"):
        check_spec({"sets": [dict(base, timeout=60)]})
    with pytest.raises(PurecloudFirewallError, match="give it no elements"):
        check_spec({"sets": [dict(base, flags=["timeout"], timeout=60, elements=["198.51.100.1"])]})
    with pytest.raises(PurecloudFirewallError, match="bad timeout 0"):
        check_spec({"sets": [dict(base, flags=["timeout"], timeout=0)]})


LIVE = json.dumps({"nftables": [
    {"metainfo": {"version": "1.0.6"}},
    {"set": {"family": "inet", "name": "purecloud_dns_v4", "table": "purecloud", "type": "ipv4_addr", "handle": 2,
             "flags": ["timeout"], "timeout": 60,
             "elem": [{"elem": {"val": "203.0.113.10", "expires": 41}}, {"elem": {"val": "203.0.113.11", "expires": 0}}]}},
    {"set": {"family": "inet", "name": "workstation_v4", "table": "purecloud", "type": "ipv4_addr", "handle": 3,
             "flags": ["interval"], "elem": [{"prefix": {"addr": "198.51.100.224", "len": 27}}]}}]})


def test_run_time_elements_are_no_part_of_the_state_and_survive_a_change():
    listed = canonical(LIVE)
    assert "elem" not in listed[0]["set"] and listed[1]["set"]["elem"]  # a static set keeps its elements
    spec = check_spec({"sets": [{"name": "purecloud_dns_v4", "type": "ipv4_addr", "flags": ["dynamic", "timeout"],
                                 "timeout": 30}]})
    carried = run_time_elements(LIVE, spec)
    # The time left, rounded up and at most the new timeout.
    assert carried == {"purecloud_dns_v4": ["203.0.113.10 timeout 30s expires 30s",
                                            "203.0.113.11 timeout 30s expires 1s"]}
    transaction = replace_transaction(spec, carried)
    assert transaction.endswith("add element inet purecloud purecloud_dns_v4 { 203.0.113.10 timeout 30s expires 30s, "
                                "203.0.113.11 timeout 30s expires 1s }\n")
    assert "\t\ttimeout 30s\n" in transaction
    # A set whose type changed starts empty.
    other = check_spec({"sets": [{"name": "purecloud_dns_v4", "type": "ipv6_addr", "flags": ["timeout"],
                                  "timeout": 30}]})
    assert run_time_elements(LIVE, other) == {}


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("nft", path="/usr/sbin:/usr/bin"),
                    reason="loading a table needs root and nft")
def test_nft_loads_the_transaction_with_its_carried_elements():
    spec = check_spec(render_site(webrtc(), "nftables"))
    carried = {"purecloud_dns_v4": ["203.0.113.10 timeout 60s expires 20s"]}
    script = "nft -f - && nft -j list set inet purecloud purecloud_dns_v4"
    done = subprocess.run(["unshare", "--net", "sh", "-c", script], input=replace_transaction(spec, carried),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)["nftables"][1]["set"]
    assert [e["elem"]["val"] for e in listed["elem"]] == ["203.0.113.10"] and 15 <= listed["elem"][0]["elem"]["expires"] <= 20


def test_firewalld_keeps_its_flows_and_a_table_of_its_own_holds_them_to_the_lookups():
    plan = plan_site(dict(products=["webrtc_client", "edge"], region="us-east-1", networks=NETWORKS, **DOMAINS))
    state = render_site(plan, "firewalld")
    assert all(zone["services"] == ["dns"] for zone in state["zones"])  # the clients' DNS reaches this dnsmasq
    assert 'rule family="ipv4" port port="443" protocol="tcp" accept' in state["policies"][-1]["rich_rules"]
    guard = dns_guard(plan, "firewalld")
    assert guard["name"] == "purecloud_dns" and [c["policy"] for c in guard["chains"]] == ["accept"]
    rules = [r["rule"] for r in guard["rules"]]
    # The Edge's SIP to the phones goes to their networks on the port it shares with its DNS-fed SIP to the cloud.
    assert "ip saddr @edge_v4 ip daddr @voip_phone_v4 tcp dport 5060-5061 accept" in rules
    assert rules[-2:] == ["ip saddr @edge_v4 tcp dport { 443, 3478, 5060-5061, 19302 } drop",
                          "ip saddr @workstation_v4 tcp dport { 443, 3478, 5222, 19302 } drop"]
    assert dnsmasq_dropin(plan, guard).splitlines()[-2] == "nftset=/%s/4#inet#purecloud_dns#purecloud_dns_v4" % US_EAST_1
    assert dns_guard(plan, "nftables") is None


def test_the_guard_leaves_a_port_another_flow_opens_to_any_address():
    fed = Rule("workstation", "purecloud", ("198.51.100.224/27",), "any", "tcp", ("443", "8443"), ("a",))
    open_any = Rule("workstation", "polycom_ztp", ("198.51.100.224/27",), "any", "tcp", ("8443",), ("b",))
    dns = DnsPlan((("purecloud", ("*.mypurecloud.com",)),), (), 5)
    guard = render_dns_guard([fed, open_any], dns)
    assert [r["rule"] for r in guard["rules"]][-1] == "ip saddr @workstation_v4 tcp dport 443 drop"
    table = render_table([fed], dns=dns)
    assert [s["timeout"] for s in table["sets"] if s.get("timeout")] == [5]
