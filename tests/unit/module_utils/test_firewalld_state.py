# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure decisions of firewalld_state: normal form and plan."""

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.firewalld_state import (
    FirewalldState,
    check_state,
    describe,
    normal_live,
    normal_ports,
    plan,
    session_zone,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.host_backend import Management
from ansible_collections.purecloud.firewall.plugins.modules.firewalld_state import ARGUMENT_SPEC
from host_fakes import FakeFirewalld, FakeModule


@pytest.mark.parametrize("ports, expected", [
    # The page's own Edge rows overlap; firewalld merges them, so must we.
    (["5060/tcp", "5061/tcp", "5060-5061/tcp"], [("5060-5061", "tcp")]),
    (["19302/udp", "16384-32768/udp", "3478/udp"], [("3478", "udp"), ("16384-32768", "udp")]),
    ([("443", "tcp"), ["53", "udp"], "53/tcp"], [("53", "tcp"), ("443", "tcp"), ("53", "udp")]),
    ([], []),
])
def test_normal_ports(ports, expected):
    assert normal_ports(ports, "x") == expected


@pytest.mark.parametrize("ports, message", [
    (["443"], "bad port '443'; expected PORT/PROTOCOL"),
    (["443/sctp"], "bad port '443/sctp'"),
    (["70000/tcp"], "70000 is outside 1-65535"),
])
def test_normal_ports_errors(ports, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        normal_ports(ports, "x")


def test_desired_and_live_meet_in_the_same_normal_form():
    desired = check_state({"zones": [{"name": "purecloud_site", "sources": ["198.51.100.129/25", "ipset:purecloud_x"],
                                      "ports": ["443/tcp"]}],
                           "ipsets": [{"name": "purecloud_x", "entries": ["203.0.113.0/25", "203.0.113.128/25"]}]})
    live_zone = normal_live("zones", {"target": "default", "sources": ["ipset:purecloud_x", "198.51.100.128/25"],
                                      "interfaces": [], "services": [], "ports": [("443", "tcp")]})
    live_ipset = normal_live("ipsets", {"type": "hash:net", "options": {"family": "inet"},
                                        "entries": ["203.0.113.0/24"]})
    assert desired["zones"]["purecloud_site"] == live_zone
    assert desired["ipsets"]["purecloud_x"] == live_ipset


def test_plan_creates_updates_and_purges_owned_objects_only():
    desired = check_state({"zones": [{"name": "purecloud_a"}, {"name": "purecloud_b", "target": "DROP"}]})
    live = {"zones": {"purecloud_b": dict(desired["zones"]["purecloud_b"], target="default"),
                      "purecloud_old": desired["zones"]["purecloud_a"]},
            "policies": {}, "ipsets": {}, "services": {}}
    assert plan(desired, live) == {"create": ["zones/purecloud_a"], "update": ["zones/purecloud_b"],
                                   "remove": ["zones/purecloud_old"]}
    assert plan(desired, live, purge=False)["remove"] == []


@pytest.mark.parametrize("spec, message", [
    ({"zones": [{"name": "public"}]}, "zone name 'public': must start with 'purecloud'"),
    ({"zones": [{"name": "purecloud_a_very_long_name"}]}, "at most 17"),
    ({"zones": [{"name": "purecloud_a", "target": "REJECT"}]}, "bad target 'REJECT'"),
    ({"policies": [{"name": "purecloud_p", "ingress_zones": ["HOST"], "egress_zones": ["ANY"], "priority": 0}]},
     "priority must be a non-zero whole number"),
    ({"ipsets": [{"name": "purecloud_s", "family": "inet6", "entries": ["198.51.100.0/24"]}]}, "is IPv4, the ipset is IPv6"),
    ({"zones": [{"name": "purecloud_a", "sources": ["nope"]}]}, "bad address or network 'nope'"),
])
def test_bad_state_names_the_value(spec, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        check_state(spec)


def test_describe_is_readable():
    text = describe(check_state({"services": [{"name": "purecloud-edge", "ports": ["5060/tcp", "5061/tcp"]}]}))
    assert text == "service purecloud-edge\n  description: \n  ports: 5060-5061/tcp\n"


def session_cut_reason(desired, client, port, zone, management):
    """The firewalld backend's SSH guard on ``desired``, for a session from ``client`` that firewalld puts in ``zone``.

    Run locally (no SSH) when ``client`` is None.
    """
    environ = {"SSH_CONNECTION": "%s 50123 198.51.100.12 %d" % (client, port)} if client else {}
    firewalld = FakeFirewalld(runtime_source_zones={client: zone} if client else {})
    backend = FirewalldState(FakeModule(ARGUMENT_SPEC, {}), client=firewalld, environ=environ)
    return backend.session_cut_reason(desired, Management(management))


def with_management(desired, management):
    return FirewalldState(FakeModule(ARGUMENT_SPEC, {}), client=FakeFirewalld()).allow_management(
        desired, Management(management))


def test_session_guard_and_management():
    desired = check_state({"zones": [{"name": "purecloud_mgmt", "sources": ["198.51.100.0/25"], "target": "DROP"},
                                     {"name": "purecloud_wan", "interfaces": ["wan"], "services": ["ssh"]}],
                           "policies": [{"name": "purecloud_in", "ingress_zones": ["ANY"], "egress_zones": ["HOST"],
                                         "target": "REJECT"}]})
    assert session_zone(desired, "198.51.100.1", "eth0", "public") == "purecloud_mgmt"
    assert session_zone(desired, "203.0.113.9", "wan", "public") == "purecloud_wan"
    assert session_zone(desired, "203.0.113.9", "eth0", "public") == "public"
    assert "would arrive in zone purecloud_mgmt" in session_cut_reason(desired, "198.51.100.1", 22, "purecloud_mgmt", None)
    assert "policy purecloud_in would reject" in session_cut_reason(desired, "203.0.113.9", 22, "purecloud_wan", None)
    management = {"sources": ["198.51.100.0/25"], "port": 22}
    assert session_cut_reason(desired, "198.51.100.1", 22, "purecloud_mgmt", management) == ""
    assert session_cut_reason(desired, None, 22, None, None) == ""
    opened = with_management(desired, management)
    rule = 'rule family="ipv4" source address="198.51.100.0/25" port port="22" protocol="tcp" accept'
    assert opened["zones"]["purecloud_mgmt"]["rich_rules"] == [rule]
    assert opened["zones"]["purecloud_wan"]["rich_rules"] == []  # it allows ssh already
    assert opened["policies"]["purecloud_in"]["rich_rules"] == [rule]
    assert desired["zones"]["purecloud_mgmt"]["rich_rules"] == []  # the input is not modified
