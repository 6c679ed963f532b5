# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input is named on the controller before any host is contacted; a failure is one short message; a run
says in one line what the host enforces."""

from __future__ import annotations

import json

import pytest

from apply_harness import Host, run_apply

NETWORKS = {"edge": ["198.51.100.128/28"], "bridge_server": ["198.51.100.144/28"],
            "corporate_ad": ["198.51.100.160/28"], "voip_phone": ["198.51.100.192/27"],
            "workstation": ["198.51.100.224/27"]}
SITE = {"purecloud_region": "us-east-1", "purecloud_networks": NETWORKS, "purecloud_firewall_backend": "nftables"}


def apply(host, products=("webrtc_client",), **variables):
    return run_apply(host, dict(SITE, **variables), products=products)


@pytest.mark.parametrize("variables, message", [
    ({"purecloud_management": {"sources": ["198.51.100.0/25"], "port": 0}},
     "purecloud_management.port is 0: the SSH port, 1 to 65535"),
    ({"purecloud_management": {"sources": ["198.51.100.0/25"], "port": 70000}},
     "purecloud_management.port is 70000: the SSH port, 1 to 65535"),
    ({"purecloud_management": {"sources": ["198.51.100.300/25"]}},
     "purecloud_management.sources: bad CIDR '198.51.100.300/25'; a network such as 198.51.100.0/25"),
    ({"purecloud_phone_rtp_ports": ["udp/70000"]},
     "purecloud_phone_rtp_ports: bad port '70000': 70000 is outside 1-65535"),
    ({"purecloud_port_overrides": {"edge.phones.sips": ["5061-5060"]}},
     "purecloud_port_overrides.edge.phones.sips: bad port range '5061-5060': start 5061 is greater than end 5060"),
    ({"purecloud_cloud_destinations": "aws_iprange"},
     "unknown purecloud_cloud_destinations 'aws_iprange' (did you mean 'aws_ip_ranges'?); expected one of: "
     "<a list of CIDRs>, any, aws_ip_ranges, domains"),
], ids=["management-port-0", "management-port-70000", "management-source", "port-variable", "port-override",
        "cloud-destinations"])
def test_bad_input_is_named_before_any_host_is_contacted(variables, message):
    host = Host()
    result = apply(host, products=("edge", "webrtc_client"), **variables)
    assert result["failed"] and result["msg"] == "purecloud.firewall.apply: " + message
    assert host.calls == []


def test_a_typo_in_a_variable_name_is_warned_about_with_the_name_meant():
    result = apply(Host(), purecloud_ldpa=True, purecloud_netwroks={}, purecloud_lab_dir="/tmp/lab")
    assert "purecloud_ldpa is no variable of purecloud.firewall and is ignored; did you mean purecloud_ldap?" \
        in result["warnings"]
    assert "purecloud_netwroks is no variable of purecloud.firewall and is ignored; did you mean purecloud_networks?" \
        in result["warnings"]
    # A name of one's own, close to none of the collection's, is none of its business.
    assert not [w for w in result["warnings"] if "purecloud_lab_dir" in w]


def test_a_network_with_host_bits_is_read_as_its_network_and_said_so():
    result = apply(Host(), purecloud_networks=dict(NETWORKS, workstation=["198.51.100.225/27"]))
    assert not result.get("failed"), result.get("msg")
    assert "purecloud_networks.workstation has 198.51.100.225/27, which has host bits set: it is read as " \
        "198.51.100.224/27" in result["warnings"]
    assert apply(Host()).get("warnings") is None  # written as networks, nothing to say


def test_a_failure_is_its_message_not_the_arguments_and_the_plan():
    invocation = {"module_args": {"rules": ["ip saddr @workstation_v4 tcp dport 443 accept"] * 500}}
    host = Host(nft_table={"failed": True, "msg": "nft refuses the table inet purecloud: Error: syntax error",
                           "invocation": invocation, "changed": False})
    result = apply(host)
    assert result == {"failed": True, "changed": False, "backend": "nftables",
                      "msg": "nft refuses the table inet purecloud: Error: syntax error"}
    assert len(json.dumps(result)) < 300


def test_the_run_says_in_one_line_what_the_host_enforces():
    result = apply(Host(), products=("edge", "voice"))
    # The SIP provider's ports are the site's to give: those rows wait for them.
    assert result["summary"].startswith("nftables inet purecloud: ")
    assert " flows of edge, voice, " in result["summary"] and result["summary"].endswith(", edition current")
    assert " rows skipped (no purecloud_sip_provider_sip_ports; no purecloud_sip_provider_rtp_ports), " \
        in result["summary"]
    firewalld = apply(Host(), purecloud_firewall_backend="firewalld")
    rich_rules = sum(len(p["rich_rules"]) for p in firewalld["module_args"]["policies"])
    assert firewalld["summary"].startswith("firewalld purecloud-* policies: %d rules for " % rich_rules)


HOST_MODE = {"purecloud_firewall_mode": "host", "purecloud_host_class": "workstation",
             "purecloud_default_policy": "drop", "purecloud_management": {"sources": ["198.51.100.0/25"]}}


def test_a_change_that_could_cut_the_session_is_armed_and_confirmed_over_a_fresh_connection():
    armed = {"deadline": 2000000000, "file": "/run/purecloud-firewall/inet-purecloud.rollback.nft"}
    host = Host(nft_table=lambda args: {"changed": True, "rollback": armed} if "rollback_timeout" in args
                else {"changed": True, "msg": "rollback of inet purecloud cancelled"})
    result = apply(host, **HOST_MODE)
    assert not result.get("failed"), result.get("msg")
    assert host.calls[0] == ("purecloud.firewall.nft_table", dict(host.calls[0][1], rollback_timeout=120))
    assert [name for name, _args in host.calls[1:3]] == ["connection.reset", "purecloud.firewall.nft_table"]
    assert host.calls[2][1] == {"name": "purecloud", "family": "inet", "confirm_rollback": True}
    assert result["rollback"] == dict(armed, confirmed=True)


def test_a_host_not_reached_again_fails_saying_it_restores_itself():
    armed = {"deadline": 2000000000, "file": "/run/purecloud-firewall/inet-purecloud.rollback.nft"}
    host = Host(nft_table=lambda args: {"changed": True, "rollback": armed} if "rollback_timeout" in args
                else {"failed": True, "unreachable": True, "msg": "ssh: connect to host 198.51.100.12 port 22: timed out"})
    result = apply(host, **HOST_MODE)
    assert result["failed"] and result["changed"] and result["rollback"]["confirmed"] is False
    assert result["msg"].startswith("purecloud.firewall.apply: the change is applied, but the host was not reached "
                                    "again over a fresh connection (ssh: connect to host 198.51.100.12 port 22: "
                                    "timed out); it restores its previous rules by itself at ")


@pytest.mark.parametrize("variables, backend, timer", [
    ({}, "nftables", None),  # a gateway's rules filter only what it forwards
    ({}, "firewalld", 120),  # its zones by source filter what reaches the gateway too
    (dict(HOST_MODE, purecloud_default_policy="accept"), "nftables", None),
    (HOST_MODE, "nftables", 120),
    (dict(HOST_MODE, purecloud_rollback_timeout=0), "nftables", None),
    (dict(HOST_MODE, purecloud_rollback_timeout=30), "firewalld", 30),
])
def test_the_rollback_timer_is_on_where_the_change_could_cut_the_session(variables, backend, timer):
    host = Host()
    result = apply(host, purecloud_firewall_backend=backend, **variables)
    assert not result.get("failed"), result.get("msg")
    assert host.calls[0][1].get("rollback_timeout") == timer


def test_a_bad_rollback_timeout_is_named():
    result = apply(Host(), purecloud_rollback_timeout=-1)
    assert result["msg"] == ("purecloud.firewall.apply: purecloud_rollback_timeout is -1: seconds until the host "
                             "restores its previous rules unless the run confirms, 1 to 3600, or 0 for none")
