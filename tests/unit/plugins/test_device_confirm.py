# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""purecloud_rollback_timeout on a network device: the confirmed commit the role's tasks ask the device for.

Junos counts its commit confirmed in minutes (1-65535; Juniper, "Commit the Candidate Configuration Only After
Confirmation Using the Junos XML Protocol"), IOS its "configure terminal revert timer" in minutes too (cisco.ios's
cliconf, ansible_ios_commit_confirm_timeout): the seconds given become whole minutes, rounded up.
"""

from __future__ import annotations

import pytest

from apply_harness import Host, run_apply

NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"]}


def device(network_os, check_mode=False, **variables):
    task_vars = dict({"purecloud_region": "us-east-1", "purecloud_networks": NETWORKS,
                      "ansible_network_os": network_os}, **variables)
    host = Host()
    result = run_apply(host, task_vars, check_mode=check_mode, products=("edge",))
    assert not result.get("failed"), result.get("msg")
    assert host.calls == [], "a device is planned on the controller; its own module runs in the role's tasks"
    return result


@pytest.mark.parametrize("network_os, seconds, minutes, how", [
    ("junipernetworks.junos.junos", 300, 5, "commit confirmed"),
    ("junipernetworks.junos.junos", 61, 2, "commit confirmed"),
    ("cisco.ios.ios", 120, 2, "configure terminal revert timer"),
    ("cisco.ios.ios", 1, 1, "configure terminal revert timer"),
])
def test_a_rollback_timeout_is_the_devices_confirmed_commit_in_whole_minutes(network_os, seconds, minutes, how):
    network = device(network_os, purecloud_rollback_timeout=seconds)["network"]
    assert network["state"] == "replaced"
    assert network["confirm"] == {"minutes": minutes, "seconds": seconds, "how": how}


def test_a_removal_is_confirmed_too():
    network = device("junipernetworks.junos.junos", purecloud_rollback_timeout=180,
                     purecloud_firewall_state="absent")["network"]
    assert network["state"] == "deleted" and network["confirm"]["minutes"] == 3


@pytest.mark.parametrize("variables", [{}, {"purecloud_rollback_timeout": 0}], ids=["default", "zero"])
def test_a_device_commits_for_good_unless_a_timeout_is_given(variables):
    assert "confirm" not in device("junipernetworks.junos.junos", **variables)["network"]


@pytest.mark.parametrize("variables, check_mode", [
    ({"purecloud_network_render_only": True}, False),
    ({}, True),
], ids=["render-only", "check-mode"])
def test_nothing_waits_for_a_confirm_where_nothing_is_committed(variables, check_mode):
    result = device("cisco.ios.ios", check_mode=check_mode, purecloud_rollback_timeout=300, **variables)
    assert "confirm" not in result["network"]
    assert not [w for w in result.get("warnings") or [] if "rollback_timeout" in w]


@pytest.mark.parametrize("network_os, label, own", [
    ("cisco.nxos.nxos", "Cisco NX-OS", {}), ("arista.eos.eos", "Arista EOS", {}), ("vyos.vyos.vyos", "VyOS", {}),
    ("fortinet.fortios.fortios", "FortiGate (FortiOS)",
     {"purecloud_fortios_interfaces": {"inside": ["port1"], "outside": ["wan1"]}}),
])
def test_a_platform_without_a_confirmed_commit_applies_for_good_and_says_so(network_os, label, own):
    result = device(network_os, purecloud_rollback_timeout=300, **own)
    assert "confirm" not in result["network"]
    assert ("purecloud_rollback_timeout is 300, but %s has no confirmed commit its module can ask for: the change "
            "is applied for good (docs/NETWORK.md, confirmed commits)" % label) in result["warnings"]


def test_a_bad_timeout_on_a_device_is_named_before_it_is_contacted():
    host = Host()
    result = run_apply(host, {"purecloud_region": "us-east-1", "purecloud_networks": NETWORKS,
                              "ansible_network_os": "junipernetworks.junos.junos",
                              "purecloud_rollback_timeout": 7200}, products=("edge",))
    assert result["failed"] and host.calls == []
    assert result["msg"] == ("purecloud.firewall.apply: purecloud_rollback_timeout is 7200: seconds until the host "
                             "restores its previous rules unless the run confirms, 1 to 3600, or 0 for none")
