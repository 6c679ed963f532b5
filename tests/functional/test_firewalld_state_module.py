# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""purecloud.firewall.firewalld_state on a real firewalld (own D-Bus) in a lab host, over SSH."""

import json
import os
import time

import pytest

from feeds import SHARED_FEED, us_east_1_prefixes

EDGE_PORTS = ["5060/tcp", "5061/tcp", "5060-5061/tcp", "19302/udp", "16384-32768/udp"]  # overlapping, as on the page
STATE = {
    "ipsets": [{"name": "purecloud_sites", "entries": ["198.51.100.128/26", "198.51.100.192/26", "203.0.113.5"]}],
    "services": [{"name": "purecloud-edge", "ports": EDGE_PORTS, "description": "PureCloud Edge"}],
    "zones": [{"name": "purecloud_site", "sources": ["198.51.100.128/25"], "services": ["purecloud-edge"]}],
    "policies": [{"name": "purecloud_out", "ingress_zones": ["purecloud_site"], "egress_zones": ["ANY"],
                  "target": "REJECT", "ports": ["443/tcp"] + EDGE_PORTS}],
}


def reset(hosts):
    hosts.module("fw1", "purecloud.firewall.firewalld_state", {"purge": True})


def info(hosts, what, permanent=False):
    return hosts.shell("fw1", "firewall-cmd %s--info-%s" % ("--permanent " if permanent else "", what))


def test_first_run_creates_second_run_changes_nothing(single):
    reset(single)
    check = single.module("fw1", "purecloud.firewall.firewalld_state", STATE, check=True)
    assert check["changed"] and "purecloud_out" not in single.shell("fw1", "firewall-cmd --get-policies")
    first = single.module("fw1", "purecloud.firewall.firewalld_state", STATE, diff=True)
    assert first["changed"] and first["reloaded"]
    assert sorted(first["plan"]["create"]) == ["ipsets/purecloud_sites", "policies/purecloud_out",
                                               "services/purecloud-edge", "zones/purecloud_site"]
    assert "ports: 443/tcp, 5060-5061/tcp, 16384-32768/udp" in first["diff"]["after"]
    for permanent in (False, True):
        assert "ports: 443/tcp 5060-5061/tcp 16384-32768/udp" in info(single, "policy=purecloud_out", permanent)
        assert "entries: 198.51.100.128/25 203.0.113.5/32" in info(single, "ipset=purecloud_sites", permanent)
    second = single.module("fw1", "purecloud.firewall.firewalld_state", STATE)
    assert second["changed"] is False, second["plan"]


def test_an_update_reaches_runtime_without_a_reload(single):
    single.module("fw1", "purecloud.firewall.firewalld_state", STATE)
    single.shell("fw1", "firewall-cmd --add-port=9999/tcp")  # a runtime-only change of someone else's
    more = json.loads(json.dumps(STATE))
    more["policies"][0]["ports"].append("5222/tcp")
    more["ipsets"][0]["entries"].append("203.0.113.77")
    result = single.module("fw1", "purecloud.firewall.firewalld_state", more)
    assert result["changed"] and result["reloaded"] is False
    assert sorted(result["plan"]["update"]) == ["ipsets/purecloud_sites", "policies/purecloud_out"]
    for permanent in (False, True):
        assert "5222/tcp" in info(single, "policy=purecloud_out", permanent)
        assert "203.0.113.77" in info(single, "ipset=purecloud_sites", permanent)
    assert "9999/tcp" in single.shell("fw1", "firewall-cmd --list-ports")  # not lost to a reload
    single.shell("fw1", "firewall-cmd --remove-port=9999/tcp")


def test_runtime_drift_is_put_back(single):
    single.module("fw1", "purecloud.firewall.firewalld_state", STATE)
    single.shell("fw1", "firewall-cmd --policy=purecloud_out --add-port=8443/tcp")
    result = single.module("fw1", "purecloud.firewall.firewalld_state", STATE)
    assert result["changed"] and "8443" not in info(single, "policy=purecloud_out")


def test_objects_it_does_not_own_are_left_alone(single):
    single.shell("fw1", "firewall-cmd --permanent --new-zone=office 2>/dev/null; "
                        "firewall-cmd --permanent --zone=office --add-port=8080/tcp; "
                        "firewall-cmd --permanent --new-policy=office_out 2>/dev/null; "
                        "firewall-cmd --permanent --policy=office_out --add-ingress-zone=office; "
                        "firewall-cmd --permanent --policy=office_out --add-egress-zone=ANY; firewall-cmd --reload")
    before = info(single, "zone=office", True) + info(single, "policy=office_out", True)
    single.module("fw1", "purecloud.firewall.firewalld_state", STATE)
    single.module("fw1", "purecloud.firewall.firewalld_state", {"purge": True})
    assert info(single, "zone=office", True) + info(single, "policy=office_out", True) == before
    assert "office" in single.shell("fw1", "firewall-cmd --get-zones")


def test_purge_removes_only_owned_objects(single):
    single.module("fw1", "purecloud.firewall.firewalld_state", STATE)
    fewer = dict(STATE, policies=[], services=[], zones=[])
    result = single.module("fw1", "purecloud.firewall.firewalld_state", fewer)
    assert sorted(result["plan"]["remove"]) == ["policies/purecloud_out", "services/purecloud-edge",
                                                "zones/purecloud_site"]
    assert "purecloud_out" not in single.shell("fw1", "firewall-cmd --permanent --get-policies")
    assert "purecloud_sites" in single.shell("fw1", "firewall-cmd --permanent --get-ipsets")


def test_state_survives_a_firewalld_reload(single):
    single.module("fw1", "purecloud.firewall.firewalld_state", STATE)
    before = info(single, "policy=purecloud_out")
    single.shell("fw1", "firewall-cmd --reload")
    assert info(single, "policy=purecloud_out") == before
    assert single.module("fw1", "purecloud.firewall.firewalld_state", STATE)["changed"] is False


@pytest.mark.parametrize("args, message", [
    ({"zones": [{"name": "office"}]}, "zone name 'office': must start with 'purecloud'"),
    ({"policies": [{"name": "purecloud_x", "ingress_zones": [], "egress_zones": ["ANY"]}]},
     "needs ingress_zones and egress_zones"),
    ({"services": [{"name": "purecloud-x", "ports": ["5060/sctp"]}]}, "bad port '5060/sctp'"),
    ({"ipsets": [{"name": "purecloud_v4", "entries": ["2001:db8::/32"]}]}, "2001:db8::/32 is IPv6, the ipset is IPv4"),
])
def test_bad_input_is_refused_before_any_change(single, args, message):
    single.module("fw1", "purecloud.firewall.firewalld_state", STATE)
    before = single.shell("fw1", "firewall-cmd --permanent --list-all-policies")
    result = single.module("fw1", "purecloud.firewall.firewalld_state", args)
    assert result.get("failed") and message in result["msg"], result
    assert single.shell("fw1", "firewall-cmd --permanent --list-all-policies") == before


def test_a_clear_error_when_firewalld_is_not_running(single):
    result = single.module("nft1", "purecloud.firewall.firewalld_state", STATE)
    assert result.get("failed")
    assert result["msg"].startswith("firewalld is not running"), result["msg"]


@pytest.mark.skipif(not os.path.exists(SHARED_FEED), reason="the real AWS feed (../shared/data) is not present")
def test_large_ipsets_from_the_real_feed(single):
    v4, v6 = us_east_1_prefixes()
    large = [{"name": "purecloud_aws4", "entries": v4}, {"name": "purecloud_aws6", "family": "inet6", "entries": v6}]
    strict = dict(STATE, ipsets=STATE["ipsets"] + large)
    assert single.module("fw1", "purecloud.firewall.firewalld_state", strict)["changed"] is True
    entries = single.shell("fw1", "firewall-cmd --ipset=purecloud_aws4 --get-entries").split()
    assert len(entries) == len(v4)
    assert single.module("fw1", "purecloud.firewall.firewalld_state", strict)["changed"] is False


LOCKOUT = {"zones": [{"name": "purecloud_mgmt", "sources": ["198.51.100.0/25"], "target": "%%REJECT%%"}]}


def test_a_state_that_would_cut_ssh_is_refused_and_management_keeps_it_open(single):
    reset(single)
    refused = single.module("fw1", "purecloud.firewall.firewalld_state", LOCKOUT)
    assert refused.get("failed"), refused
    assert "SSH session from 198.51.100.1 to port 22 would arrive in zone purecloud_mgmt" in refused["msg"]
    assert "purecloud_mgmt" not in single.shell("fw1", "firewall-cmd --permanent --get-zones")
    allowed = dict(LOCKOUT, management={"sources": ["198.51.100.0/25"]})
    assert single.module("fw1", "purecloud.firewall.firewalld_state", allowed)["changed"] is True
    assert 'source address="198.51.100.0/25" port port="22" protocol="tcp" accept' in info(single, "zone=purecloud_mgmt")
    # A new SSH connection still gets in, and the state has settled.
    assert single.module("fw1", "purecloud.firewall.firewalld_state", allowed)["changed"] is False
    reset(single)


def test_rollback_restores_the_previous_configuration_unless_confirmed(single):
    single.module("fw1", "purecloud.firewall.firewalld_state", STATE)
    before = info(single, "policy=purecloud_out", True)
    risky = json.loads(json.dumps(STATE))
    risky["policies"][0]["ports"].append("5000/udp")
    risky["zones"].append({"name": "purecloud_extra", "sources": ["203.0.113.0/26"]})
    # 8 s: room to look at the change on a busy machine before the timer fires.
    applied = single.module("fw1", "purecloud.firewall.firewalld_state", dict(risky, rollback_timeout=8))
    assert applied["changed"] and "5000/udp" in info(single, "policy=purecloud_out")
    # Nobody confirms (the controller is "lost"): the host restores by itself once the timer fires.
    deadline = applied["rollback"]["deadline"] + 20
    while info(single, "policy=purecloud_out", True) != before and time.time() < deadline:
        time.sleep(0.5)
    assert info(single, "policy=purecloud_out", True) == before
    assert "5000/udp" not in info(single, "policy=purecloud_out")
    assert "purecloud_extra" not in single.shell("fw1", "firewall-cmd --get-zones")
    late = single.module("fw1", "purecloud.firewall.firewalld_state", {"confirm_rollback": True})
    assert late.get("failed") and "too late" in late["msg"]
    # Long enough that a busy controller still confirms in time; the timer is then waited out.
    applied = single.module("fw1", "purecloud.firewall.firewalld_state", dict(risky, rollback_timeout=8))
    confirmed = single.module("fw1", "purecloud.firewall.firewalld_state", {"confirm_rollback": True})
    assert confirmed["changed"] is True, confirmed
    time.sleep(10)
    assert "5000/udp" in info(single, "policy=purecloud_out")


def test_a_binding_the_user_asks_for_is_taken_from_the_zone_holding_it(single):
    reset(single)
    single.shell("fw1", "firewall-cmd --permanent --new-zone=branch 2>/dev/null; "
                        "firewall-cmd --permanent --zone=branch --add-source=203.0.113.0/26; "
                        "firewall-cmd --permanent --zone=branch --add-port=8080/tcp; firewall-cmd --reload")
    wanted = {"zones": [{"name": "purecloud_branch", "sources": ["203.0.113.0/26"], "ports": ["443/tcp"]}]}
    result = single.module("fw1", "purecloud.firewall.firewalld_state", wanted)
    assert result["changed"], result
    assert "purecloud_branch" == single.shell("fw1", "firewall-cmd --get-zone-of-source=203.0.113.0/26").strip()
    branch = info(single, "zone=branch", True)
    assert "203.0.113.0/26" not in branch
    assert "8080/tcp" in branch  # the rest of the foreign zone is left alone
    assert single.module("fw1", "purecloud.firewall.firewalld_state", wanted)["changed"] is False
    reset(single)
