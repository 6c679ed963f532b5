# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The requirements and domains lookups and the port/compile filters, loaded by Ansible."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleError


def test_requirements_lookup_returns_each_products_rows(lookup):
    edge = lookup("requirements", "edge", edition="2018-11-21")
    assert len(edge) == 19
    assert edge[0]["id"] == "general.dns.udp" and edge[0]["source"] == ["edge"]
    both = lookup("requirements", "edge", "bridge", edition="2018-11-21")
    assert len(both) == 19 + 6


def test_requirements_lookup_options_are_typed_by_its_documentation(lookup):
    # Ansible converts option values by the documented type: "no" is false.
    rows = lookup("requirements", "bridge", include_conditional_ldap="no")
    assert [r["id"] for r in rows if r["flags"]["conditional_ldap"]] == []


def test_requirements_lookup_port_variables(lookup):
    rows = lookup("requirements", "edge", port_variables={"sip_provider_sip_ports": ["udp/5060"]})
    by_id = dict((r["id"], r) for r in rows)
    assert by_id["edge.sip_provider.sip.udp"]["ports"] == ["5060"]
    assert by_id["edge.sip_provider.sip.tcp"]["ports"] == []


@pytest.mark.parametrize("terms, options, message", [
    (["edgy"], {}, r"purecloud.firewall.requirements: unknown product 'edgy' \(did you mean 'edge'\?\); "
                   "expected one of: all, bridge"),
    (["edge"], {"include_legacy": "sometimes"}, "include_legacy"),
    (["edge"], {"include_everything": True}, "include_everything"),
    (["edge"], {"port_overrides": {"edge.https": ["8443"]}}, "'edge.https' has no configurable port"),
])
def test_requirements_lookup_errors(lookup, terms, options, message):
    with pytest.raises(AnsibleError, match=message):
        lookup("requirements", *terms, **options)


def test_domains_lookup(lookup):
    rows = lookup("domains", "ap-southeast-2")
    assert rows[0]["domain"] == "*.mypurecloud.com.au"
    assert "*.s3.ap-southeast-2.amazonaws.com" in [r["domain"] for r in rows]
    assert lookup("domains", region="eu-west-1", owner=["New Relic"])[0]["domain"] == "*.js-agent.newrelic.com"


def test_domains_lookup_refuses_unknown_region(lookup):
    with pytest.raises(AnsibleError, match="unknown region 'eu-north-1'; expected one of"):
        lookup("domains", "eu-north-1")


def test_port_merge_filter(jinja_filter):
    port_merge = jinja_filter("port_merge")
    assert port_merge(["5060", "5061", "19302", "16384-32768"]) == ["5060-5061", "16384-32768"]
    with pytest.raises(AnsibleError, match="purecloud.firewall.port_merge: bad port 'http'"):
        port_merge(["http"])


def test_compile_render_and_matrix_filters_chain(lookup, jinja_filter):
    rows = lookup("requirements", "edge", edition="2018-11-21")
    compiled = jinja_filter("compile_rules")(rows, {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"]})
    nft = jinja_filter("render_rules")(compiled, backend="nftables")
    assert nft["chains"] == [{"name": "forward", "hook": "forward", "policy": "drop"}]
    assert any("edge.https" in r["comment"] for r in nft["rules"])
    firewalld = jinja_filter("render_rules")(compiled, backend="firewalld", management={"sources": ["198.51.100.0/25"]})
    assert [z["name"] for z in firewalld["zones"]] == ["purecloud_edge"] and firewalld["management"]
    with pytest.raises(AnsibleError, match="purecloud.firewall.render_rules: unknown backend 'iptables'"):
        jinja_filter("render_rules")(compiled, backend="iptables")
    host = jinja_filter("render_rules")(compiled, backend="firewalld", mode="host", host_class="edge")
    assert [(p["name"], p["ingress_zones"], p["egress_zones"]) for p in host["policies"]] == \
        [("purecloud-in", ["ANY"], ["HOST"])]
    with pytest.raises(AnsibleError, match="host mode needs the host's endpoint class"):
        jinja_filter("render_rules")(compiled, backend="firewalld", mode="host")
    matrix = jinja_filter("traffic_matrix")(compiled, {"edge": ["edge1"], "purecloud": ["cloud"]})
    assert {"from": "edge1", "to": "cloud", "proto": "tcp", "port": 443, "expect": "allow"}.items() <= matrix[
        [(r["proto"], r["port"]) for r in matrix].index(("tcp", 443))].items()
    with pytest.raises(AnsibleError, match="expects the result of purecloud.firewall.compile_rules"):
        jinja_filter("traffic_matrix")([], {})
