# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report's filters: a Linux host's check-mode apply, a network device read back, every host of the play."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager

ACES = [{"sequence": 10, "grant": "permit", "protocol": "udp", "source": {"any": True},
         "destination": {"any": True, "port_protocol": {"eq": "53"}}}]
NETWORK = {"backend": "arista_eos", "module": "arista.eos.eos_acls", "state": "replaced", "render_only": False,
           "acls": [["ipv4", "PURECLOUD-EDGE-OUT"]],
           "config": [{"afi": "ipv4", "acls": [{"name": "PURECLOUD-EDGE-OUT", "aces": ACES}]}]}
# What apply returns for a device: it changes nothing, whatever the device has.
DEVICE_RESULT = {"changed": False, "backend": "arista_eos", "products": ["edge"], "network": NETWORK,
                 "catalog": {"edition": "current"}}


@pytest.fixture
def drift_summary(jinja_filter):
    return jinja_filter("drift_summary")


def test_a_linux_host_drifts_when_its_check_mode_run_would_change_it(drift_summary):
    found = drift_summary({"changed": True, "backend": "nftables", "products": ["edge"],
                           "diff": {"before": "a", "after": "b"}})
    assert found["drifted"] is True and found["checked"] is True
    assert found["diff"] == [{"before": "a", "after": "b"}] and found["lists"] == []
    assert found["summary"] == "DRIFT on nftables (see the diff above)"
    assert drift_summary({"changed": False, "backend": "firewalld"})["summary"] == "as desired (firewalld)"
    failed = drift_summary({"failed": True, "msg": "no route"})
    assert failed["drifted"] is None and failed["checked"] is False and failed["error"] == "no route"


def test_a_device_not_read_back_is_not_checked_rather_than_as_desired(drift_summary):
    found = drift_summary(DEVICE_RESULT)
    assert found["drifted"] is None and found["checked"] is False
    assert found["summary"] == "not checked on arista_eos: the device's config was not read"


def test_a_device_read_back_reports_its_owned_lists_entries(drift_summary):
    same = [{"afi": "ipv4", "acls": [{"name": "PURECLOUD-EDGE-OUT", "aces": [dict(ACES[0], sequence="10")]},
                                     {"name": "CORP", "aces": []}]}]
    found = drift_summary(DEVICE_RESULT, {"lists": same})
    assert found["drifted"] is False and found["checked"] is True and found["lists"] == []
    assert found["compared"] == [{"kind": "acl", "afi": "ipv4", "name": "PURECLOUD-EDGE-OUT"}]
    extra = {"sequence": 20, "grant": "permit", "protocol": "tcp", "source": {"any": True},
             "destination": {"any": True, "port_protocol": {"eq": "22"}}}
    same[0]["acls"][0]["aces"].append(extra)
    found = drift_summary(DEVICE_RESULT, {"lists": same})
    assert found["drifted"] is True
    assert found["lists"] == [{"afi": "ipv4", "name": "PURECLOUD-EDGE-OUT", "kind": "acl", "missing": False,
                               "added": [{"key": "20", "entry": extra}], "removed": [], "changed": [],
                               "attributes": {}}]
    assert found["summary"] == "DRIFT on arista_eos: PURECLOUD-EDGE-OUT (ipv4): 1 added"
    with pytest.raises(AnsibleFilterError, match="drift_summary: the device's lists must be"):
        drift_summary(DEVICE_RESULT, {"lists": {"afi": "ipv4"}})


def test_the_report_has_every_host_of_the_play_from_ansible_cores_hostvars(jinja_filter, tmp_path):
    """Only each host's summary is read: hostvars template what is read (a pipe here would run)."""
    ran = tmp_path / "ran.log"
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump({"all": {
        "vars": {"unrelated": "{{ lookup('ansible.builtin.pipe', 'echo read >> %s') }}" % ran},
        "hosts": {"gwa": {}, "gwb": {}, "gwc": {}}}}))
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[str(tmp_path / "hosts.yml")])
    manager = VariableManager(loader=loader, inventory=inventory)
    summary = jinja_filter("drift_summary")
    manager.set_nonpersistent_facts("gwa", {"purecloud_drift_summary": summary({"changed": False,
                                                                                "backend": "nftables"})})
    manager.set_nonpersistent_facts("gwb", {"purecloud_drift_summary": summary(
        {"unreachable": True, "msg": "ssh: connect to host 127.0.0.1 port 9: Connection refused"})})
    hostvars = HostVars(inventory=inventory, variable_manager=manager, loader=loader)
    report = jinja_filter("drift_report")(hostvars, ["gwa", "gwb", "gwc"])
    assert list(report) == ["gwa", "gwb", "gwc"]
    assert report["gwa"]["drifted"] is False and report["gwa"]["summary"] == "as desired (nftables)"
    assert report["gwb"]["drifted"] is None and report["gwb"]["reason"] == "unreachable"
    assert "Connection refused" in report["gwb"]["error"]
    assert report["gwc"]["checked"] is False and report["gwc"]["reason"] == "the check did not finish"
    assert not ran.exists(), "a host variable other than the summary was templated"
    with pytest.raises(AnsibleFilterError, match="drift_report: expects the hosts as a list of names"):
        jinja_filter("drift_report")(hostvars, "gwa")
