# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The path every role shares: the public settings -> the rules one host enforces -> module input."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils import site
from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.firewalld_state import check_state
from ansible_collections.purecloud.firewall.plugins.module_utils.matrix import probe_matrix
from ansible_collections.purecloud.firewall.plugins.module_utils.nft import check_spec

NETWORKS = {"edge": ["198.51.100.128/28"], "bridge_server": ["198.51.100.144/28"],
            "corporate_ad": ["198.51.100.160/28"], "voip_phone": ["198.51.100.192/27"],
            "workstation": ["198.51.100.224/27"]}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


PAGE = "2018-11-21"  # the tests below are written from the page; the current edition's follow them


def plan(**settings):
    settings.setdefault("region", "us-east-1")
    settings.setdefault("networks", NETWORKS)
    settings.setdefault("catalog_edition", PAGE)
    return site.plan_site(settings)


def flows(result):
    return sorted((r.source_class, r.destination_class, r.protocol, tuple(r.ports))
                  for r in result.rules)


def test_the_module_choices_are_the_catalogs():
    catalog = load_catalog()
    assert site.ARGUMENT_SPEC["products"]["choices"] == catalog.role_products()
    assert site.ARGUMENT_SPEC["catalog_edition"]["choices"] == ["2018-11-21", "current"]
    assert site.ARGUMENT_SPEC["catalog_edition"]["default"] == catalog.edition == "current"
    assert "choices" not in site.ARGUMENT_SPEC["region"]  # an overlay may add regions; the plan checks them


def test_gateway_plan_holds_every_flow_of_the_products():
    result = plan(products=["edge"])
    assert result.mode == "gateway" and result.default_policy == "drop" and result.host_class is None
    assert ("edge", "edge", "tcp", ("8063",)) in flows(result)
    assert ("edge", "voip_phone", "udp", ("4000-65535",)) in flows(result)  # SIP's 5060 merged into RTP's range
    assert ("edge", "voip_phone", "tcp", ("5060-5061",)) in flows(result)
    # The options leave the backward-compatibility range out; it is kept aside for deny samples.
    assert [list(r.ids) for r in result.excluded] == [["edge.media.srtp_turn.backward_compat"]] * 2
    assert list(result.warnings) == [
        "requirement edge.sip_provider.rtp skipped: no ports: set purecloud_sip_provider_rtp_ports",
        "requirement edge.sip_provider.sip.tcp skipped: no ports: set purecloud_sip_provider_sip_ports",
        "requirement edge.sip_provider.sip.udp skipped: no ports: set purecloud_sip_provider_sip_ports",
    ]


def test_options_bring_rows_in():
    off = flows(plan(products=["edge", "bridge"]))
    on = flows(plan(products=["edge", "bridge"], ldap=True, turn_backward_compat=True,
                    sip_provider_sip_ports=["udp/5060"], networks=dict(NETWORKS, sip_provider=["203.0.113.60/32"])))
    added = sorted(set(on) - set(off))
    assert ("bridge_server", "corporate_ad", "tcp", ("389", "636")) in added
    assert ("edge", "purecloud", "udp", ("3478", "16384-32768", "49152-65535")) in added
    assert ("edge", "sip_provider", "udp", ("5060",)) in added
    dns = [f for f in off if f[1] == "dns"]
    assert dns and not [f for f in flows(plan(products=["edge"], internal_dns=True)) if f[1] == "dns"]


def test_legacy_provisioning_and_port_overrides():
    base = flows(plan(products=["byoc_premises"]))
    legacy = flows(plan(products=["byoc_premises"], legacy_provisioning=True))
    assert ("voip_phone", "edge", "tcp", ("80", "443", "8060-8061", "8088-8089")) in legacy
    assert ("voip_phone", "edge", "tcp", ("80", "443", "8060-8061")) in base
    moved = flows(plan(products=["edge"], port_overrides={"edge.phones.sips": ["5071"]}))
    assert ("edge", "voip_phone", "tcp", ("5060", "5071")) in moved
    with pytest.raises(PurecloudFirewallError, match="requirement 'edge.https' has no configurable port"):
        plan(products=["edge"], port_overrides={"edge.https": ["444"]})


def test_a_gateway_needs_the_site_classes_the_products_use():
    with pytest.raises(PurecloudFirewallError,
                       match=r"purecloud_networks has no edge, voip_phone: gateway mode needs the networks"):
        plan(products=["voice"], networks={"workstation": ["198.51.100.224/27"]})
    # corporate_ad only once LDAP brings its flows in.
    assert plan(products=["bridge"], networks={"bridge_server": ["198.51.100.144/28"]}).rules
    with pytest.raises(PurecloudFirewallError, match="has no corporate_ad"):
        plan(products=["bridge"], ldap=True, networks={"bridge_server": ["198.51.100.144/28"]})


def test_provider_classes_wait_with_one_warning_per_row():
    result = plan(products=["byoc_premises"])
    trunk = [w for w in result.warnings if "trunk" in w]
    assert trunk[0] == ("requirement byoc_premises.trunk.rtp skipped: no networks for sip_provider or pbx; "
                        "set purecloud_networks.sip_provider or purecloud_networks.pbx")
    with_pbx = plan(products=["byoc_premises"], networks=dict(NETWORKS, pbx=["198.51.100.170/32"]))
    assert not [w for w in with_pbx.warnings if "trunk" in w]  # the PBX alone is enough
    assert ("pbx", "edge", "udp", ("5060", "16384-32768")) in flows(with_pbx)


def test_nothing_to_apply_is_refused_on_a_gateway():
    result = plan(products=["byoc_cloud"])
    assert result.rules == ()
    with pytest.raises(PurecloudFirewallError, match="nothing to apply for byoc_cloud: every flow was skipped"):
        site.render_site(result, "nftables")
    ready = plan(products=["byoc_cloud"], byoc_cloud_sip_ports=["udp/5060", "tcp/5061"],
                 networks=dict(NETWORKS, pbx=["198.51.100.170/32"], byoc_cloud=["203.0.113.10/31"]))
    assert ("byoc_cloud", "pbx", "tcp", ("5061",)) in flows(ready)
    assert ("pbx", "byoc_cloud", "udp", ("5060",)) in flows(ready)


def test_host_mode_keeps_the_hosts_flows():
    bridge = plan(products=["bridge"], mode="host", egress_filtering=True, ldap=True)
    assert bridge.host_class == "bridge_server" and bridge.default_policy == "accept"
    assert {r.source_class for r in bridge.rules} == {"bridge_server"}
    # Without egress filtering a host keeps only what reaches it: a Bridge Server receives nothing.
    assert plan(products=["bridge"], mode="host").rules == ()
    edge = plan(products=["edge"], mode="host", networks={"voip_phone": ["198.51.100.192/27"]})
    assert {r.destination_class for r in edge.rules} == {"edge"}
    assert ("voip_phone", "edge", "udp", ("16384-32768",)) not in flows(edge)  # that is the voice product's
    with pytest.raises(PurecloudFirewallError, match="host mode needs purecloud_host_class for products voice"):
        plan(products=["voice"], mode="host")
    with pytest.raises(PurecloudFirewallError, match="unknown purecloud_host_class for products bridge 'edge'"):
        plan(products=["bridge"], mode="host", host_class="edge")


def test_cloud_destinations():
    settings = {"products": ["webrtc_client"], "region": "us-east-1", "networks": NETWORKS,
                "cloud_destinations": "aws_ip_ranges"}
    strict = site.plan_site(dict(settings, catalog_edition=PAGE), aws_prefixes=["203.0.113.0/28", "2001:db8::/48"])
    https = [r for r in strict.rules if r.destination_class == "purecloud" and r.protocol == "tcp"][0]
    assert https.destinations == ("203.0.113.0/28", "2001:db8::/48")
    google = [r for r in strict.rules if r.destination_class == "google_stun"][0]
    assert google.destinations == "any"  # Google publishes no ranges
    listed = plan(products=["webrtc_client"], cloud_destinations=["203.0.113.10/31"])
    assert {tuple(r.destinations) for r in listed.rules if r.destination_class == "purecloud"} == \
        {("203.0.113.10/31",)}
    with pytest.raises(PurecloudFirewallError, match="the feed gave no prefixes"):
        plan(products=["webrtc_client"], cloud_destinations="aws_ip_ranges")
    with pytest.raises(PurecloudFirewallError, match="must be 'any', 'aws_ip_ranges' or a list of CIDRs"):
        plan(products=["webrtc_client"], cloud_destinations={"a": 1})


@pytest.mark.parametrize("settings, message", [
    ({"products": ["edge"], "region": "mars-1"}, "unknown purecloud_region 'mars-1'; expected one of: "
                                                 "ap-northeast-1, ap-southeast-2, eu-central-1"),
    ({"products": ["pbx"], "region": "us-east-1"}, "unknown product 'pbx'"),
    ({"products": [], "region": "us-east-1"}, "no products given"),
    ({"products": ["edge"], "region": "us-east-1", "mode": "router"}, "unknown purecloud_mode 'router'"),
    ({"products": ["edge"], "region": "us-east-1", "ldap": "yes"}, "purecloud_ldap must be true or false, got 'yes'"),
    ({"products": ["edge"], "region": "us-east-1", "egress_filtering": True}, "egress_filtering is for host mode"),
    ({"products": ["edge"], "region": "us-east-1", "networks": {"edges": []}},
     "unknown endpoint class in purecloud_networks 'edges'"),
    ({"products": ["edge"], "region": "us-east-1", "networks": dict(NETWORKS, edge=["198.51.100.300/28"])},
     "198.51.100.300/28"),
])
def test_bad_settings_name_the_variable(settings, message):
    with pytest.raises(PurecloudFirewallError, match=message.replace("(", r"\(").replace(")", r"\)")):
        site.plan_site(dict(settings, catalog_edition=PAGE))


@pytest.mark.parametrize("backend", ["nftables", "firewalld"])
@pytest.mark.parametrize("products", [["edge"], ["voice"], ["byoc_premises"], ["bridge"], ["webrtc_client"]])
def test_every_product_renders_for_both_backends(backend, products):
    args = site.render_site(plan(products=products, ldap=True), backend, management={"sources": ["198.51.100.0/25"]})
    (check_spec if backend == "nftables" else check_state)(args)
    with pytest.raises(PurecloudFirewallError, match="unknown purecloud_firewall_backend 'iptables'"):
        site.render_site(plan(products=products), "iptables")


def test_matrix_in_host_mode_keeps_the_hosts_rows_and_probes_what_is_left_out():
    result = plan(products=["webrtc_client", "voice"], mode="host", host_class="workstation", egress_filtering=True)
    endpoints = {"workstation": ["ws"], "edge": ["e1"], "purecloud": ["cloud"], "google_stun": ["g"], "dns": ["d"],
                 "voip_phone": ["p"]}
    rows = probe_matrix(result.rules, endpoints, deny_sources=["voip_phone"], gateway=False, host="ws",
                        excluded=result.excluded)
    assert rows and all("ws" in (r["from"], r["to"]) for r in rows)
    left_out = [r for r in rows if r["why"].startswith("left out")]
    # voice's backward-compatibility range is left out, but the client's own SRTP row
    # (webrtc_client.media.srtp, required) opens the same ports to any address, the Edge's too:
    # the matrix follows what the firewall does and expects them to pass.
    assert {(r["to"], r["expect"]) for r in left_out} == {("e1", "allow")}
    alone = plan(products=["voice"], mode="host", host_class="workstation", egress_filtering=True)
    refused = [r for r in probe_matrix(alone.rules, endpoints, gateway=False, host="ws", excluded=alone.excluded)
               if r["why"].startswith("left out")]
    assert {(r["to"], r["expect"]) for r in refused} == {("e1", "deny"), ("cloud", "deny")}


def test_role_files_are_generated_from_the_module_documentation():
    done = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "generate.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_gateway_leaves_flows_between_two_remote_ends_alone():
    settings = {"products": ["byoc_cloud"], "region": "us-east-1", "byoc_cloud_sip_ports": ["udp/5060"],
                "networks": dict(NETWORKS, sip_provider=["203.0.113.60/31"], pbx=["198.51.100.170/32"],
                                 byoc_cloud=["203.0.113.10/31"])}
    ends = sorted((r.source_class, r.destination_class)
                  for r in site.plan_site(dict(settings, catalog_edition=PAGE)).rules)
    assert ends == [("byoc_cloud", "pbx"), ("pbx", "byoc_cloud")]  # the carrier <-> BYOC Cloud trunk is not ours
