# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A site's reports from each host's own plan: hosts that agree, hosts that differ, a host that cannot resolve."""

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils import host_plans
from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.changes import hosts_changes
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import normalize_ports
from ansible_collections.purecloud.firewall.plugins.module_utils.report import hosts_flows
from ansible_collections.purecloud.firewall.plugins.module_utils.site import host_product_plans, plan_site

NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"], "workstation": ["198.51.100.224/27"],
            "bridge_server": ["198.51.100.144/28"], "corporate_ad": ["198.51.100.160/28"],
            "sip_provider": ["203.0.113.60/31"]}
EDGE = {"products": ["edge"], "region": "us-east-1", "networks": NETWORKS}
MEDIA = ["udp/10000-20000"]
# Two gateways whose carriers gave different SIP ports, and a third whose carrier gave none yet.
GATEWAYS = {"gwa": dict(EDGE, sip_provider_sip_ports=["udp/5060", "tcp/5061"], sip_provider_rtp_ports=MEDIA),
            "gwb": dict(EDGE, sip_provider_sip_ports=["udp/5070", "tcp/5061"], sip_provider_rtp_ports=MEDIA),
            "gwc": dict(EDGE)}
SIP_ROWS = ("edge.sip_provider.sip.udp", "edge.sip_provider.sip.tcp", "edge.sip_provider.rtp")


def flows_to(report, destination):
    return dict((flow.protocol, flow) for flow in report.flows if flow.destination_class == destination)


def test_hosts_that_differ_are_each_shown_with_their_own_ports():
    report = hosts_flows(GATEWAYS)
    sip = flows_to(report, "sip_provider")
    assert sorted(sip) == ["tcp", "udp"]  # each flow once
    assert sip["udp"].ports == "5060, 5070, 10000-20000"
    assert sip["udp"].hosts == "gwa (ports 5060, 10000-20000); gwb (ports 5070, 10000-20000)"
    assert sip["tcp"].ports == "5061" and sip["tcp"].hosts == "gwa, gwb"  # they agree: named once
    assert sip["udp"].destination == "203.0.113.60/31" and sip["udp"].source_networks == "198.51.100.128/28"
    assert set(sip["udp"].requirements.split(", ")) == {"edge.sip_provider.sip.udp", "edge.sip_provider.rtp"}
    # A flow every gateway enforces alike names all three.
    assert flows_to(report, "purecloud")["tcp"].hosts == "gwa, gwb, gwc"
    assert report.hosts == {"gwa": {"products": ["edge"], "mode": "gateway"},
                            "gwb": {"products": ["edge"], "mode": "gateway"},
                            "gwc": {"products": ["edge"], "mode": "gateway"}}


def test_a_row_is_unresolved_only_on_the_host_that_cannot_resolve_it():
    report = hosts_flows(GATEWAYS)
    unresolved = [w for w in report.warnings if any(rid in w for rid in SIP_ROWS)]
    assert len(unresolved) == len(SIP_ROWS)
    assert all(w.endswith("(on gwc)") for w in unresolved), unresolved
    assert not any("gwa" in w or "gwb" in w for w in report.warnings)
    # Resolved on every host: nothing to list.
    assert hosts_flows(dict((h, s) for h, s in GATEWAYS.items() if h != "gwc")).warnings == ()


def test_hosts_that_differ_in_networks_show_the_union_and_each_hosts_own():
    other = dict(NETWORKS, edge=["198.51.100.0/28"])
    report = hosts_flows({"gwa": GATEWAYS["gwa"], "gwd": dict(GATEWAYS["gwa"], networks=other)})
    flow = flows_to(report, "sip_provider")["tcp"]
    assert flow.source_networks == "198.51.100.128/28, 198.51.100.0/28"
    assert flow.hosts == "gwa (from 198.51.100.128/28); gwd (from 198.51.100.0/28)"


def test_a_host_in_host_mode_adds_its_name_to_the_flows_it_enforces_itself():
    bridge = {"products": ["bridge"], "region": "us-east-1", "networks": NETWORKS, "ldap": True, "mode": "host",
              "egress_filtering": True}
    report = hosts_flows({"gw": dict(EDGE, products=["edge", "bridge"], ldap=True), "bridge1": bridge})
    bridge_flows = [flow for flow in report.flows if flow.product == "bridge"]
    assert bridge_flows and all(flow.hosts == "gw, bridge1" for flow in bridge_flows)
    assert all(flow.hosts == "gw" for flow in report.flows if flow.product == "edge")
    assert report.hosts["bridge1"] == {"products": ["bridge"], "mode": "host"}


def test_hosts_with_the_same_settings_are_planned_once(monkeypatch):
    calls = []

    def counted(settings, **kwargs):
        calls.append(settings)
        return host_product_plans(settings, **kwargs)

    monkeypatch.setattr(host_plans, "host_product_plans", counted)
    report = hosts_flows({"gwa": GATEWAYS["gwa"], "gwa2": dict(GATEWAYS["gwa"]), "gwc": GATEWAYS["gwc"]})
    assert len(calls) == 2
    assert flows_to(report, "purecloud")["tcp"].hosts == "gwa, gwa2, gwc"


@pytest.mark.parametrize("settings", [
    dict(GATEWAYS["gwa"], products=["edge", "voice", "bridge", "webrtc_client"], ldap=True),
    {"products": ["bridge"], "region": "us-east-1", "networks": NETWORKS, "ldap": True, "mode": "host",
     "egress_filtering": True},
    {"products": ["voice", "webrtc_client"], "region": "us-east-1", "networks": NETWORKS, "mode": "host",
     "host_class": "workstation", "egress_filtering": True},
], ids=["gateway", "bridge-host", "workstation-host"])
def test_product_by_product_a_host_holds_what_apply_plans_for_it(settings):
    whole = plan_site(settings)
    united = {}
    for _product, plan in host_product_plans(settings):
        for rule in plan.rules:
            ports, ids, sources, destinations = united.setdefault(
                (rule.source_class, rule.destination_class, rule.protocol), ([], set(), rule.sources,
                                                                             rule.destinations))
            ports.extend(rule.ports)
            ids.update(rule.ids)
    assert dict((key, (normalize_ports(ports), ids, sources, destinations))
                for key, (ports, ids, sources, destinations) in united.items()) == dict(
        ((r.source_class, r.destination_class, r.protocol), (list(r.ports), set(r.ids), r.sources, r.destinations))
        for r in whole.rules)


def test_changes_name_the_hosts_a_rule_moves_on_and_keep_apart_those_on_other_catalogs():
    page, current = load_catalog(edition="2018-11-21"), load_catalog()
    hosts = {"gwa": GATEWAYS["gwa"], "gwc": GATEWAYS["gwc"],
             "gwp": dict(GATEWAYS["gwc"], catalog_edition="2018-11-21")}

    def catalogs(settings):  # the old edition, and the host's own (the playbook's default)
        return page, (page if settings.get("catalog_edition") == "2018-11-21" else current)

    result = hosts_changes(hosts, catalogs=catalogs)
    assert result["hosts"] == ["gwa", "gwc", "gwp"]
    touched = dict((item["rule"], item["hosts"]) for item in result["catalog"]["touched_rules"])
    # The Edge's media widened in the current edition: on both hosts that run it, not on the one kept on the page.
    assert touched["edge: edge -> edge udp (edge.media.srtp_turn)"] == ["gwa", "gwc"]
    assert "rule edge: edge -> edge udp (edge.media.srtp_turn): ports 16384-32768 -> 16384-65535 (on gwa, gwc)" \
        in result["lines"]
    assert "catalog 2018-11-21 (catalog 1.1.0) -> 2018-11-21 (catalog 1.1.0): no differences (on gwp)" \
        in result["lines"]
    assert "none of the rules of gwp changes" in result["lines"]
    others = result["catalog"]["others"]
    assert [other["hosts"] for other in others] == [["gwp"]] and others[0]["new"]["edition"] == "2018-11-21"


def test_settings_or_hosts_and_what_is_refused():
    assert host_plans.hosts_of(EDGE) is None
    assert host_plans.hosts_of(host_plans.hosts_record({"gwa": dict(EDGE, ldap=None)})) == {"gwa": EDGE}
    with pytest.raises(PurecloudFirewallError, match="no hosts"):
        host_plans.hosts_of(host_plans.hosts_record({}))
    with pytest.raises(PurecloudFirewallError, match="got 'edge' for gw"):
        host_plans.hosts_of(host_plans.hosts_record({"gw": "edge"}))
    with pytest.raises(PurecloudFirewallError, match="^host gwx: .*purecloud_region"):
        hosts_flows({"gwx": dict(EDGE, region="mars-1")})


def test_hosts_named_like_settings_are_hosts_and_settings_are_never_hosts():
    # Inventory names are free: a host may be called products, region or networks, or kind.
    named = {"products": dict(EDGE), "region": dict(EDGE, ldap=None), "networks": dict(EDGE), "kind": dict(EDGE)}
    assert host_plans.hosts_of(host_plans.hosts_record(named)) == dict((host, EDGE) for host in named)
    report = hosts_flows(host_plans.hosts_of(host_plans.hosts_record(named)))
    assert sorted(report.hosts) == ["kind", "networks", "products", "region"]
    # One site's settings, whatever their values, are never taken for hosts: not even those that name none.
    assert host_plans.hosts_of(dict(EDGE, region=dict(EDGE))) is None
    assert host_plans.hosts_of({"region": "us-east-1", "networks": NETWORKS}) is None
