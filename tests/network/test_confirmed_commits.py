# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Confirmed commits on devices (purecloud_rollback_timeout), offline, as far as the vendors' code goes.

No Junos or IOS device runs here, so three views, none of them from the code under test:

* the vendors' own code turns what the role's tasks give it into what the device is sent: junipernetworks.junos's
  NETCONF plugin into Junos's ``<commit-configuration><confirmed/><confirm-timeout>`` (minutes, Juniper's "Commit
  the Candidate Configuration Only After Confirmation Using the Junos XML Protocol"), cisco.ios's cliconf into
  ``configure terminal revert timer N`` after its archive checks (its documented commit confirm);
* the role's own tasks, walked by ansible-playbook with the vendors' module names answered by recording stand-ins:
  the order of the calls, the load handed on, the confirm over a fresh connection, what a failure says;
* every recorded call passes the vendor module's own argument spec.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import yaml
from lxml import etree
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import cliconf_loader, netconf_loader
from ansible.template import Templar, trust_as_template

from test_regions_and_overlays import NETWORKS
from vendor_specs import module_spec

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ROLE_TASKS = os.path.join(ROOT, "roles", "edge", "tasks", "network", "cisco_ios.yml")
MINUTES = 3  # purecloud_rollback_timeout 150 s, in the devices' whole minutes
LOAD = '<nc:firewall xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><nc:family/></nc:firewall>'


# ------------------------------------------------------------ the vendors' own code
def local_xml(element):
    """An element as XML without namespaces (ncclient qualifies each tag with NETCONF's)."""
    tag = etree.QName(element).localname
    inner = (element.text or "") + "".join(local_xml(child) for child in element)
    return "<%s>%s</%s>" % (tag, inner, tag) if inner else "<%s/>" % tag


class Recorded:
    """What a vendor plugin sends through its connection."""

    def __init__(self, answers=None):
        self.sent, self.answers = [], answers or {}

    def rpc(self, element):  # an ncclient manager's generic rpc()
        self.sent.append(local_xml(element))
        return type("Reply", (), {"data_xml": "<ok/>"})()

    def send(self, command, **_kwargs):  # network_cli's send, as cliconf's send_command calls it
        command = command.decode() if isinstance(command, bytes) else command
        self.sent.append(command)
        return self.answers.get(command, "")

    def get_prompt(self):
        return b"router#"

    def get_option(self, name):
        return {"persistent_command_timeout": 30}[name]


def test_junos_netconf_commits_confirmed_in_the_minutes_junos_config_passes():
    """junos_config's confirm N becomes commit_configuration(confirm=True, confirm_timeout=str(N)) (its main())."""
    connection = Recorded()
    plugin = netconf_loader.get("junipernetworks.junos.junos", type("Conn", (), {"manager": connection})())
    plugin.commit(confirmed=True, timeout=str(MINUTES))
    assert connection.sent == ["<commit-configuration><confirmed/><confirm-timeout>%d</confirm-timeout>"
                               "</commit-configuration>" % MINUTES]
    plugin.commit()  # confirm_commit: a plain commit confirms the pending one
    assert connection.sent[-1] == "<commit-configuration/>"


def ios_cliconf(timeout):
    connection = Recorded({"show archive": "The maximum archive configurations allowed is 10.",
                           "show archive config rollback timer": "%No Rollback Confirmed Change pending"})
    plugin = cliconf_loader.get("cisco.ios.ios", connection)
    plugin.set_options(var_options={"ansible_ios_commit_confirm_timeout": timeout})
    return plugin, connection


def role_task(name):
    """A task of the Edge role's IOS tasks, by name, wherever a block holds it."""
    def walk(tasks):
        for task in tasks:
            if task.get("name") == name and "block" not in task:
                return task
            found = walk(task.get("block", []) + task.get("rescue", []) + task.get("always", []))
            if found:
                return found
        return None
    with open(ROLE_TASKS) as handle:
        task = walk(yaml.safe_load(handle))
    assert task, name
    return task


def test_ios_enters_config_mode_with_the_revert_timer_the_role_sets():
    task = role_task("Cisco IOS / IOS-XE ACLs")
    assert "cisco.ios.ios_acls" in task
    expression = trust_as_template(task["vars"]["ansible_ios_commit_confirm_timeout"])
    templar = Templar(loader=DataLoader(), variables={
        "purecloud_firewall_applied": {"network": {"confirm": {"minutes": MINUTES}}}})
    timeout = templar.template(expression)
    plugin, connection = ios_cliconf(timeout)
    plugin.edit_config(candidate=["ip access-list extended PURECLOUD-EDGE-OUT"])
    assert connection.sent[:4] == ["show archive", "show archive config rollback timer",
                                   "configure terminal revert timer %d" % MINUTES,
                                   "ip access-list extended PURECLOUD-EDGE-OUT"]
    # Without a confirm, none: plain configure terminal.
    plain = Templar(loader=DataLoader(), variables={"purecloud_firewall_applied": {"network": {}}})
    plugin, connection = ios_cliconf(plain.template(expression))
    plugin.edit_config(candidate=["ip access-list extended PURECLOUD-EDGE-OUT"])
    assert connection.sent[0] == "configure terminal"


def test_ios_refuses_the_timer_on_a_device_without_archive():
    """What the docs tell the site to configure first, as cisco.ios's cliconf checks it."""
    plugin, connection = ios_cliconf(MINUTES)
    connection.answers["show archive"] = "Archive feature not enabled"
    with pytest.raises(ValueError, match="archiving not enabled on device"):
        plugin.edit_config(candidate=["ip access-list extended PURECLOUD-EDGE-OUT"])


# ------------------------------------------------------------ the role's tasks, walked
STAND_IN = textwrap.dedent('''\
    #!/usr/bin/python
    # A vendor module's name answered by a recording stand-in: its arguments, and a canned answer.
    import json
    import os

    from ansible.module_utils.basic import AnsibleModule, _load_params

    NAME = os.path.splitext(os.path.basename(__file__))[0]


    def main():
        params = _load_params()
        module = AnsibleModule(argument_spec=dict((key, {"type": "raw"}) for key in params
                                                  if not key.startswith("_ansible")), supports_check_mode=True)
        args = dict((key, value) for key, value in params.items() if not key.startswith("_ansible"))
        call = {"module": NAME, "args": args, "check_mode": module.check_mode}
        if args.get("src"):
            with open(args["src"]) as handle:
                call["src_text"] = handle.read()
        with open(os.environ["PURECLOUD_STAND_IN_LOG"], "a") as log:
            log.write(json.dumps(call) + "\\n")
        failing = os.environ.get("PURECLOUD_STAND_IN_FAIL", "")
        if failing and failing == NAME + ":" + ",".join(sorted(key for key, v in args.items() if v is True)):
            module.fail_json(msg="%s: the device did not answer" % NAME)
        if os.environ.get("PURECLOUD_STAND_IN_UNCHANGED"):
            module.exit_json(changed=False, commands=[])
        module.exit_json(changed=True, commands=[os.environ["PURECLOUD_STAND_IN_LOAD"]])


    if __name__ == "__main__":
        main()
    ''')
STAND_INS = {"junipernetworks/junos": ("junos_acls", "junos_config", "junos_prefix_lists"),
             "cisco/ios": ("ios_acls", "ios_command", "ios_config")}


@pytest.fixture(scope="module")
def stand_ins(tmp_path_factory):
    """A collections path whose junipernetworks.junos and cisco.ios are the stand-ins, before the real ones."""
    top = tmp_path_factory.mktemp("stand-ins")
    for collection, modules in STAND_INS.items():
        folder = top / "ansible_collections" / collection / "plugins" / "modules"
        folder.mkdir(parents=True)
        for module in modules:
            (folder / ("%s.py" % module)).write_text(STAND_IN)
    return top


def walk_role(tmp_path, stand_ins, failing="", unchanged=False):
    """The Edge role on Junos and IOS devices, a 150 s rollback timeout: (run, the calls by vendor)."""
    log = tmp_path / "calls.jsonl"
    log.write_text("")
    # junos2 removes its filters with no timer: nothing of the confirm's may reach it.
    hosts = {"junos1": {"ansible_network_os": "junipernetworks.junos.junos"},
             "ios1": {"ansible_network_os": "cisco.ios.ios"},
             "junos2": {"ansible_network_os": "junipernetworks.junos.junos", "purecloud_rollback_timeout": 0,
                        "purecloud_firewall_state": "absent"}}
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": hosts, "vars": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
        "purecloud_networks": NETWORKS, "purecloud_region": "us-east-1", "purecloud_rollback_timeout": 150}}}))
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "all", "gather_facts": False,
                                         "roles": [{"role": "purecloud.firewall.edge"}]}]))
    paths = os.pathsep.join([str(stand_ins), os.path.join(ROOT, ".build", "collections"),
                             os.path.join(ROOT, ".venv", "lib", "python3.11", "site-packages")])
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=paths, ANSIBLE_DEPRECATION_WARNINGS="false",
               PURECLOUD_STAND_IN_LOG=str(log), PURECLOUD_STAND_IN_LOAD=LOAD, PURECLOUD_STAND_IN_FAIL=failing,
               PURECLOUD_STAND_IN_UNCHANGED="1" if unchanged else "")
    done = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", str(inventory),
                           str(playbook), "-vv"], capture_output=True, text=True, env=env, timeout=300, check=False)
    calls = {}
    for line in log.read_text().splitlines():
        call = json.loads(line)
        calls.setdefault("junos" if call["module"].startswith("junos") else "ios", []).append(call)
    return done, calls


def test_the_role_commits_confirmed_then_confirms_and_sends_nothing_else(tmp_path, stand_ins):
    done, calls = walk_role(tmp_path, stand_ins)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "does not support when" not in done.stdout
    assert done.stdout.count("META: reset connection") == 2, "a fresh connection for junos1 and ios1 only"
    removal = [c for c in calls["junos"] if c["args"].get("state") == "deleted"]
    assert [(c["module"], c["check_mode"]) for c in removal] == [("junos_acls", False)], "junos2, as without a timer"
    junos = [c for c in calls["junos"] if c not in removal]
    assert [(c["module"], c["check_mode"]) for c in junos] == [
        ("junos_acls", True), ("junos_config", False), ("junos_config", False)], junos
    assert junos[0]["args"]["state"] == "replaced" and junos[0]["args"]["config"]
    # The XML junos_acls would load against the device's own filters is what junos_config loads and commits.
    load = junos[1]
    assert load["src_text"] == LOAD and not os.path.exists(load["args"]["src"]), "the load's file is removed"
    assert (load["args"]["src_format"], load["args"]["update"], load["args"]["confirm"]) == ("xml", "merge", MINUTES)
    assert junos[2]["args"] == {"confirm_commit": True}
    ios = calls["ios"]
    assert [c["module"] for c in ios] == ["ios_acls", "ios_command"], ios
    assert ios[0]["args"]["state"] == "replaced" and ios[1]["args"]["commands"] == ["configure confirm"]


def test_a_device_already_as_planned_gets_no_commit_and_nothing_to_confirm(tmp_path, stand_ins):
    done, calls = walk_role(tmp_path, stand_ins, unchanged=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert [(c["module"], c["check_mode"]) for c in calls["junos"]
            if c["args"].get("state") != "deleted"] == [("junos_acls", True)]
    assert [c["module"] for c in calls["ios"]] == ["ios_acls"]
    assert "META: reset connection" not in done.stdout


@pytest.mark.parametrize("failing, host, message", [
    ("junos_config:confirm_commit", "junos1",
     "junos1: junos_config: the device did not answer; the device rolls the filters back by itself within "
     "%d minute(s): the commit was not confirmed" % MINUTES),
    ("junos_config:", "junos1",
     "junos1: junos_config: the device did not answer; the filters were not committed"),
    ("ios_command:", "ios1",
     "ios1: ios_command: the device did not answer; the device restores its archived config by itself within "
     "%d minute(s): the change was not confirmed" % MINUTES),
], ids=["junos-confirm", "junos-commit", "ios-confirm"])
def test_a_failed_commit_or_confirm_says_what_the_device_does_with_the_change(
        tmp_path, stand_ins, failing, host, message):
    done, _calls = walk_role(tmp_path, stand_ins, failing)
    assert done.returncode == 2 and "fatal: [%s]: FAILED!" % host in done.stdout, done.stdout[-3000:]
    assert message in " ".join(done.stdout.split()), done.stdout[-3000:]


def vendor_validator(module, collection):
    """The vendor module's own argument spec and rules between options, as its main() hands AnsibleModule."""
    spec, rules = module_spec("ansible_collections.%s.plugins.modules.%s" % (collection, module))
    return ArgumentSpecValidator(spec, **rules)


def test_every_call_the_role_makes_passes_the_vendor_modules_own_argument_spec(tmp_path, stand_ins):
    _done, calls = walk_role(tmp_path, stand_ins)
    for host, collection in (("junos", "junipernetworks.junos"), ("ios", "cisco.ios")):
        for call in calls[host]:
            checked = vendor_validator(call["module"], collection).validate(call["args"])
            assert checked.error_messages == [], call
    misspelled = vendor_validator("junos_config", "junipernetworks.junos").validate(
        {"confirm_commmit": True})
    assert any("confirm_commmit" in message for message in misspelled.error_messages)
