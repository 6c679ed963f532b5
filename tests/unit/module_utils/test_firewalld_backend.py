# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""firewalld_state's decisions, run for real against a fake firewalld D-Bus client.

What is created, updated and removed and in which order, when firewalld is
reloaded, what runtime drift is put back, which bindings are taken, what
check mode, the SSH guard and the rollback do.  Only the client is fake.
"""

from __future__ import annotations

import copy
import os
import subprocess
import time

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.firewalld_state import FirewalldState
from ansible_collections.purecloud.firewall.plugins.modules.firewalld_state import ARGUMENT_SPEC
from host_fakes import FakeFirewalld, FakeModule

STATE = {
    "ipsets": [{"name": "purecloud_sites", "entries": ["198.51.100.128/26", "198.51.100.192/26"]}],
    "services": [{"name": "purecloud-edge", "ports": ["5060-5061/tcp", "16384-32768/udp"], "description": "Edge"}],
    "zones": [{"name": "purecloud_site", "sources": ["ipset:purecloud_sites"], "services": ["purecloud-edge"]}],
    "policies": [{"name": "purecloud_out", "ingress_zones": ["purecloud_site"], "egress_zones": ["ANY"],
                  "target": "REJECT", "ports": ["443/tcp"]}],
}

# What the host has besides the collection's objects; none of it may be touched.
FOREIGN = {
    "ipsets": {"office": {"type": "hash:net", "options": {"family": "inet"}, "entries": ["203.0.113.64/26"]}},
    "services": {"office-app": {"ports": [("8080", "tcp")], "description": "theirs"}},
    "zones": {"public": {"target": "default", "interfaces": ["eth0"], "sources": [], "services": ["ssh"],
                         "ports": [], "rules_str": []},
              "branch": {"target": "default", "interfaces": [], "sources": ["203.0.113.0/26"],
                         "services": [], "ports": [("8080", "tcp")], "rules_str": []}},
    "policies": {"office_out": {"target": "CONTINUE", "priority": -1, "ingress_zones": ["branch"],
                                "egress_zones": ["ANY"], "services": [], "ports": [], "rich_rules": []}},
}

SSH_FROM_MANAGEMENT = {"SSH_CONNECTION": "198.51.100.1 50123 198.51.100.12 22"}
IP_ADDR = ("1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n"
           "2: mgmt0    inet 198.51.100.12/24 brd 198.51.100.255 scope global mgmt0\\       valid_lft forever\n")


def answer_ip_addr(argv, _data):
    return (0, IP_ADDR, "") if argv[:2] == ["ip", "-o"] else (0, "", "")


class Host:
    """A fake firewalld with the state of a host, and the module run against it."""

    def __init__(self, tmp_path, permanent=None):
        self.firewalld = FakeFirewalld(copy.deepcopy(permanent if permanent is not None else FOREIGN))
        self.config_dir = str(tmp_path / "etc-firewalld")
        self.rollback_root = str(tmp_path / "run")
        self.module = None

    def run(self, args, check_mode=False, environ=None):
        self.firewalld.log.clear()
        self.module = FakeModule(ARGUMENT_SPEC, args, check_mode=check_mode, log=self.firewalld.log,
                                 answer=answer_ip_addr)
        backend = FirewalldState(self.module, client=self.firewalld, environ=environ or {},
                                 config_dir=self.config_dir, rollback_root=self.rollback_root)
        return backend.run()

    def writes(self):
        return self.firewalld.writes()

    def converged(self, args=None):
        """Bring the host to ``args`` (STATE by default) and forget the log."""
        self.run(args or STATE)
        assert self.run(args or STATE)["changed"] is False
        self.firewalld.log.clear()
        return self


@pytest.fixture
def host(tmp_path):
    return Host(tmp_path)


def edited(state, **edits):
    """A copy of ``state`` with ``edits`` applied: ``policies__0__ports=[...]`` sets the first policy's ports."""
    new = copy.deepcopy(state)
    for path, value in edits.items():
        kind, index, key = path.split("__")
        new[kind][int(index)][key] = value
    return new


# ------------------------------------------------------------------ order and reloads
def test_first_run_creates_what_others_use_first_and_reloads_once(host):
    result = host.run(STATE)
    assert result["changed"] is True and result["reloaded"] is True
    assert result["plan"] == {"create": ["ipsets/purecloud_sites", "services/purecloud-edge", "zones/purecloud_site",
                                         "policies/purecloud_out"], "update": [], "remove": []}
    # The zone names the ipset and the service, the policy the zone: each exists before it is named.
    assert host.writes() == [("create", "ipsets", "purecloud_sites"), ("create", "services", "purecloud-edge"),
                             ("create", "zones", "purecloud_site"), ("create", "policies", "purecloud_out"),
                             ("reload",)]
    assert host.firewalld.runtime["policies"]["purecloud_out"]["ports"] == [("443", "tcp")]


def test_a_second_run_with_the_same_input_changes_nothing(host):
    host.run(STATE)
    again = host.run(STATE)
    assert again["changed"] is False and again["reloaded"] is False
    assert again["plan"] == {"create": [], "update": [], "remove": []}
    assert host.writes() == []


def test_updates_reach_permanent_and_runtime_without_a_reload(host):
    host.converged()
    host.firewalld.runtime["zones"]["public"]["ports"].append(("9999", "tcp"))  # someone's runtime-only change
    more = edited(STATE, ipsets__0__entries=STATE["ipsets"][0]["entries"] + ["203.0.113.77"],
                  policies__0__ports=["443/tcp", "5222/tcp"])
    result = host.run(more)
    assert result["changed"] is True and result["reloaded"] is False
    assert result["plan"]["update"] == ["ipsets/purecloud_sites", "policies/purecloud_out"]
    assert host.writes() == [("update", "ipsets", "purecloud_sites"), ("update", "policies", "purecloud_out"),
                             ("set_runtime", "ipsets", "purecloud_sites"), ("set_runtime", "policies", "purecloud_out")]
    assert "203.0.113.77/32" in host.firewalld.runtime["ipsets"]["purecloud_sites"]["entries"]
    assert ("9999", "tcp") in host.firewalld.runtime["zones"]["public"]["ports"]  # not lost to a reload


def test_a_changed_service_is_brought_to_runtime_by_a_reload(host):
    host.converged()
    result = host.run(edited(STATE, services__0__ports=["5060-5061/tcp"]))
    assert result["reloaded"] is True
    assert host.writes() == [("update", "services", "purecloud-edge"), ("reload",)]


def test_a_removed_object_is_taken_out_of_runtime_by_a_reload(host):
    host.converged()
    result = host.run(dict(STATE, policies=[]))
    assert result["plan"]["remove"] == ["policies/purecloud_out"] and result["reloaded"] is True
    assert host.writes() == [("remove", "policies", "purecloud_out"), ("reload",)]


# ------------------------------------------------------------------ runtime drift
def test_runtime_drift_is_put_back_at_runtime_only(host):
    host.converged()
    host.firewalld.runtime["policies"]["purecloud_out"]["ports"].append(("8443", "tcp"))
    result = host.run(STATE)
    assert result["changed"] is True and result["reloaded"] is False
    assert result["plan"] == {"create": [], "update": [], "remove": []}  # permanent is right
    assert host.writes() == [("set_runtime", "policies", "purecloud_out")]
    assert host.firewalld.runtime["policies"]["purecloud_out"]["ports"] == [("443", "tcp")]


def test_runtime_drift_of_a_service_is_put_back_by_a_reload(host):
    host.converged()
    host.firewalld.runtime["services"]["purecloud-edge"]["ports"] = [("5060", "tcp")]
    result = host.run(STATE)
    assert result["reloaded"] is True
    assert host.writes() == [("reload",)]


def test_an_owned_object_missing_from_runtime_is_brought_in_by_a_reload(host):
    # Created permanently by a run that failed before its reload: runtime cannot be set, only reloaded.
    host.converged()
    del host.firewalld.runtime["zones"]["purecloud_site"]
    result = host.run(STATE)
    assert result["changed"] is True and result["reloaded"] is True
    assert host.writes() == [("reload",)]
    assert host.run(STATE)["changed"] is False


# ------------------------------------------------------------------ ownership
def test_purge_removes_undeclared_owned_objects_users_first(host):
    host.converged()
    leftovers = {"ipsets": {"purecloud_old": {"type": "hash:net", "options": {"family": "inet"}, "entries": []}},
                 "services": {"purecloud-old": {"ports": [], "description": ""}},
                 "zones": {"purecloud_old": {"target": "default", "interfaces": [], "sources": ["ipset:purecloud_old"],
                                             "services": ["purecloud-old"], "ports": [], "rules_str": []}},
                 "policies": {"purecloud_old": {"target": "CONTINUE", "priority": -1, "ingress_zones": ["purecloud_old"],
                                                "egress_zones": ["ANY"], "services": [], "ports": [], "rich_rules": []}}}
    for kind, objects in leftovers.items():
        host.firewalld.permanent[kind].update(copy.deepcopy(objects))
        host.firewalld.runtime[kind].update(copy.deepcopy(objects))
    result = host.run(STATE)
    assert sorted(result["plan"]["remove"]) == ["ipsets/purecloud_old", "policies/purecloud_old",
                                                "services/purecloud-old", "zones/purecloud_old"]
    # The policy names the zone, the zone the ipset and the service: each goes before what it names.
    assert host.writes() == [("remove", "policies", "purecloud_old"), ("remove", "zones", "purecloud_old"),
                             ("remove", "services", "purecloud-old"), ("remove", "ipsets", "purecloud_old"),
                             ("reload",)]
    for kind, objects in FOREIGN.items():
        assert {name: host.firewalld.permanent[kind][name] for name in objects} == objects


def test_without_purge_undeclared_owned_objects_stay(host):
    host.converged()
    result = host.run(dict(STATE, policies=[], purge=False))
    assert result["changed"] is False and result["plan"]["remove"] == []
    assert "purecloud_out" in host.firewalld.permanent["policies"]


def test_objects_the_collection_does_not_own_are_neither_read_nor_written(host):
    host.run(STATE)
    host.run({"purge": True})  # everything owned goes
    foreign = [name for objects in FOREIGN.values() for name in objects]
    touched = [entry for entry in host.firewalld.log if entry[0] in ("permanent_settings", "runtime_settings")
               or entry[0] in ("create", "update", "remove", "set_runtime")]
    assert all(entry[-1] not in foreign for entry in touched), touched
    assert host.firewalld.permanent == dict(FOREIGN)


def test_another_prefix_owns_other_objects(host):
    host.run(STATE)
    theirs = {"prefix": "lab", "zones": [{"name": "lab_one"}]}
    result = host.run(theirs)
    assert result["plan"] == {"create": ["zones/lab_one"], "update": [], "remove": []}  # purecloud* are not lab's
    assert "purecloud_site" in host.firewalld.permanent["zones"]


# ------------------------------------------------------------------ bindings
def test_a_binding_is_taken_from_the_foreign_zone_holding_it_before_the_owned_zone_is_written(host):
    wanted = {"zones": [{"name": "purecloud_branch", "sources": ["203.0.113.0/26"], "interfaces": ["eth0"],
                         "ports": ["443/tcp"]}]}
    result = host.run(wanted)
    assert result["changed"] is True and result["reloaded"] is True
    writes = host.writes()
    assert sorted(writes[:2]) == [("unbind", "branch", "203.0.113.0/26", False), ("unbind", "public", "eth0", True)]
    assert writes[2:] == [("create", "zones", "purecloud_branch"), ("reload",)]
    # The foreign zones lose the binding and nothing else.
    assert host.firewalld.permanent["zones"]["branch"] == dict(FOREIGN["zones"]["branch"], sources=[])
    assert host.firewalld.permanent["zones"]["public"] == dict(FOREIGN["zones"]["public"], interfaces=[])
    assert host.run(wanted)["changed"] is False


def test_a_binding_already_in_the_owned_zone_is_left_alone(host):
    wanted = {"zones": [{"name": "purecloud_branch", "sources": ["203.0.113.0/26"]}]}
    host.run(wanted)
    host.firewalld.log.clear()
    assert host.run(wanted)["changed"] is False
    assert host.writes() == []


def test_a_binding_moving_between_owned_zones_moves_by_their_own_settings(host):
    # Owned zones are declared whole: the one losing the interface is updated, not unbound behind its back.
    host.run({"zones": [{"name": "purecloud_a", "interfaces": ["eth1"]}]})
    result = host.run({"zones": [{"name": "purecloud_a"}, {"name": "purecloud_b", "interfaces": ["eth1"]}]})
    assert result["plan"] == {"create": ["zones/purecloud_b"], "update": ["zones/purecloud_a"], "remove": []}
    assert host.writes() == [("update", "zones", "purecloud_a"), ("create", "zones", "purecloud_b"), ("reload",)]


# ------------------------------------------------------------------ check mode, diff
def test_check_mode_reports_the_plan_and_changes_nothing(host):
    before = copy.deepcopy(host.firewalld.permanent)
    result = host.run(dict(STATE, zones=[dict(STATE["zones"][0], interfaces=["eth0"])], rollback_timeout=30),
                      check_mode=True)
    assert result["changed"] is True and result["reloaded"] is False
    assert result["plan"]["create"] == ["ipsets/purecloud_sites", "services/purecloud-edge", "zones/purecloud_site",
                                        "policies/purecloud_out"]
    assert host.writes() == [] and host.module.commands("setsid") == []
    assert "rollback" not in result
    assert host.firewalld.permanent == before


def test_the_diff_lists_owned_objects_only(host):
    host.converged()
    result = host.run(edited(STATE, policies__0__ports=["443/tcp", "5222/tcp"]))
    assert "policy purecloud_out" in result["diff"]["before"] and "office_out" not in result["diff"]["before"]
    assert "ports: 443/tcp, 5222/tcp" in result["diff"]["after"]
    assert "ports: 443/tcp\n" in result["diff"]["before"]


# ------------------------------------------------------------------ the SSH guard
LOCKOUT = {"zones": [{"name": "purecloud_mgmt", "sources": ["198.51.100.0/25"], "target": "%%REJECT%%"}]}


def test_a_state_that_would_cut_the_ssh_session_is_refused_before_anything_changes(host):
    with pytest.raises(PurecloudFirewallError, match="^refusing to apply: the SSH session from 198.51.100.1 to port "
                                                     "22 would arrive in zone purecloud_mgmt, which does not allow it"):
        host.run(dict(LOCKOUT, rollback_timeout=30), environ=SSH_FROM_MANAGEMENT)
    assert host.writes() == [] and host.module.commands("setsid") == []


def test_the_guard_follows_the_interface_the_session_arrives_on(host):
    # The session's source is in no zone; it arrives on mgmt0, which the owned zone takes.
    wanted = {"zones": [{"name": "purecloud_lan", "interfaces": ["mgmt0"], "target": "DROP"}]}
    with pytest.raises(PurecloudFirewallError, match="would arrive in zone purecloud_lan"):
        host.run(wanted, environ=SSH_FROM_MANAGEMENT)
    allowed = {"zones": [dict(wanted["zones"][0], services=["ssh"])]}
    assert host.run(allowed, environ=SSH_FROM_MANAGEMENT)["changed"] is True


def test_a_policy_to_the_host_that_would_reject_the_session_is_refused(host):
    # The session stays in the foreign default zone; an owned policy from ANY to HOST would reject it.
    wanted = {"policies": [{"name": "purecloud_in", "ingress_zones": ["ANY"], "egress_zones": ["HOST"],
                            "target": "REJECT", "ports": ["443/tcp"]}]}
    with pytest.raises(PurecloudFirewallError, match="policy purecloud_in would reject the SSH session from "
                                                     "198.51.100.1 to port 22"):
        host.run(wanted, environ=SSH_FROM_MANAGEMENT)
    assert host.writes() == []
    assert host.run(wanted)["changed"] is True  # a local run has no session to cut


def test_management_covering_the_session_lets_the_state_through_and_keeps_ssh_open(host):
    allowed = dict(LOCKOUT, management={"sources": ["198.51.100.0/25"]})
    result = host.run(allowed, environ=SSH_FROM_MANAGEMENT)
    assert result["changed"] is True
    assert host.firewalld.runtime["zones"]["purecloud_mgmt"]["rules_str"] == [
        'rule family="ipv4" source address="198.51.100.0/25" port port="22" protocol="tcp" accept']
    assert host.run(allowed, environ=SSH_FROM_MANAGEMENT)["changed"] is False


def test_management_on_another_port_does_not_cover_the_session(host):
    with pytest.raises(PurecloudFirewallError, match="would arrive in zone purecloud_mgmt"):
        host.run(dict(LOCKOUT, management={"sources": ["198.51.100.0/25"], "port": 2222}),
                 environ=SSH_FROM_MANAGEMENT)


def test_a_bad_management_source_is_named(host):
    with pytest.raises(PurecloudFirewallError, match="management.sources: bad CIDR 'lan'"):
        host.run(dict(LOCKOUT, management={"sources": ["lan"]}), environ=SSH_FROM_MANAGEMENT)
    assert host.writes() == []


# ------------------------------------------------------------------ rollback
def xml(host, kind, name, text="<x/>"):
    path = os.path.join(host.config_dir, kind, name + ".xml")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    return path


def test_the_rollback_is_armed_before_the_first_change(host):
    host.converged()
    xml(host, "policies", "purecloud_out", "<policy>before</policy>")
    xml(host, "zones", "public", "<zone>public with eth0</zone>")
    xml(host, "zones", "branch", "<zone>branch</zone>")
    wanted = dict(STATE, zones=[dict(STATE["zones"][0], interfaces=["eth0"])], rollback_timeout=30)
    started = time.time()
    result = host.run(wanted)
    armed = [i for i, entry in enumerate(host.firewalld.log) if entry[:2] == ("run", "setsid")]
    first_write = next(i for i, entry in enumerate(host.firewalld.log) if entry[0] in ("unbind", "update", "create"))
    assert len(armed) == 1 and armed[0] < first_write
    rollback_dir = os.path.join(host.rollback_root, "firewalld-purecloud")
    assert result["rollback"]["dir"] == rollback_dir
    assert started + 30 <= result["rollback"]["deadline"] + 1 <= time.time() + 31
    saved = os.path.join(rollback_dir, "saved")
    # The owned objects' files and the zone losing a binding; no other foreign zone.
    assert sorted(os.path.relpath(os.path.join(d, f), saved) for d, _s, fs in os.walk(saved) for f in fs) == [
        "policies/purecloud_out.xml", "zones/public.xml"]
    assert os.path.exists(os.path.join(rollback_dir, "pending"))


def read_xml(host, kind, name):
    with open(os.path.join(host.config_dir, kind, name + ".xml")) as handle:
        return handle.read()


def test_the_timer_restores_the_previous_files_and_reloads(host, tmp_path):
    # The timer's script, run for real with a short timeout and a firewall-cmd that notes its call.
    host.converged()
    xml(host, "policies", "purecloud_out", "<policy>before</policy>")
    xml(host, "zones", "public", "<zone>public with eth0</zone>")
    result = host.run(dict(STATE, zones=[dict(STATE["zones"][0], interfaces=["eth0"])], rollback_timeout=1))
    script = host.module.commands("setsid")[0][-1]
    # What the run wrote since (firewalld would write these files).
    xml(host, "policies", "purecloud_out", "<policy>after</policy>")
    xml(host, "zones", "public", "<zone>public without eth0</zone>")
    xml(host, "ipsets", "purecloud_new", "<ipset>new</ipset>")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "firewall-cmd").write_text("#!/bin/sh\necho \"$@\" >> %s\n" % (tmp_path / "reloads"))
    (bin_dir / "firewall-cmd").chmod(0o755)
    subprocess.run(["/bin/sh", "-c", script], env={"PATH": "%s:/usr/bin:/bin" % bin_dir}, check=True, timeout=30)
    assert read_xml(host, "policies", "purecloud_out") == "<policy>before</policy>"
    assert read_xml(host, "zones", "public") == "<zone>public with eth0</zone>"
    assert not os.path.exists(os.path.join(host.config_dir, "ipsets", "purecloud_new.xml"))
    assert (tmp_path / "reloads").read_text() == "--reload\n"
    pending = os.path.join(result["rollback"]["dir"], "pending")
    assert not os.path.exists(pending) and os.path.exists(pending + ".done")


def test_no_rollback_is_armed_when_nothing_changes(host):
    host.converged()
    result = host.run(dict(STATE, rollback_timeout=30))
    assert "rollback" not in result and host.module.commands("setsid") == []


def confirm(host, check_mode=False):
    # No client: confirming needs no firewalld, it must not connect.
    module = FakeModule(ARGUMENT_SPEC, {"confirm_rollback": True}, check_mode=check_mode)
    return FirewalldState(module, environ={}, rollback_root=host.rollback_root).run()


def test_confirming_cancels_the_pending_rollback(host):
    host.converged()
    host.run(dict(edited(STATE, policies__0__ports=["443/tcp", "5222/tcp"]), rollback_timeout=30))
    pending = os.path.join(host.rollback_root, "firewalld-purecloud", "pending")
    assert confirm(host, check_mode=True) == {"changed": True, "msg": "rollback cancelled"}
    assert os.path.exists(pending)  # check mode cancels nothing
    assert confirm(host) == {"changed": True, "msg": "rollback cancelled"}
    assert not os.path.exists(pending)
    assert confirm(host) == {"changed": False, "msg": "no rollback pending"}


def test_confirming_after_the_timer_ran_is_too_late(host):
    done = os.path.join(host.rollback_root, "firewalld-purecloud", "pending.done")
    os.makedirs(os.path.dirname(done))
    open(done, "w").close()
    with pytest.raises(PurecloudFirewallError, match=r"^too late: the host already restored the previous firewalld "
                                                     r"configuration \(no confirmation in time\)$"):
        confirm(host)


# ------------------------------------------------------------------ errors
def test_what_firewalld_refuses_is_reported_in_its_words(host):
    host.firewalld.refuse["create"] = RuntimeError("INVALID_ZONE: purecloud_site")
    with pytest.raises(PurecloudFirewallError, match="^firewalld refused the change: INVALID_ZONE: purecloud_site$"):
        host.run(STATE)
