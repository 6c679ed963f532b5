# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A dead host and a hung one in a rollout: the others converge, the run ends bounded, failed, naming both.

Four lab hosts, in inventory order node1..node4, the PureCloud client's
group.  node1's sshd is stopped, so the canary is not the inventory's first
host but the first that answers.  node2's sshd is frozen (SIGSTOP) after a
first connection, so a new session is taken and never answered: only a
timeout ends it.
"""

import os
import re
import subprocess

import pytest

from conftest import REPO, VENV_BIN, _lab
from labkit import topology

# Far below the subprocess's own bound: a run that hangs fails the test by that bound.
ANSWER_SECONDS = 8
BOUND = 240


@pytest.fixture(scope="module")
def fleet():
    yield from _lab("fleet", "funr", count="4")


@pytest.fixture(scope="module")
def site_inventory(fleet, tmp_path_factory):
    path = tmp_path_factory.mktemp("unreachable") / "site.yml"
    path.write_text(topology.FLEET_SITE_INVENTORY)
    return str(path)


def sshd(fleet, host, signal):
    fleet.shell(host, "pkill -%s -x sshd" % signal)  # the listener and every session


def tables(fleet, host):
    return fleet.shell(host, "nft list tables")


def run(fleet, site_inventory, playbook, *extra):
    env = dict(fleet.env, ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_LOAD_CALLBACK_PLUGINS="0")
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", fleet.lab.inventory_path,
                           "-i", site_inventory, playbook] + list(extra),
                          capture_output=True, text=True, env=env, timeout=BOUND, check=False)
    return done.returncode, done.stdout + done.stderr


def assert_named_before_any_change(out, *hosts):
    """The hosts that did not answer are named, each with why, before the first product play."""
    before = out.split("PLAY [PureCloud client")[0]
    named = re.search(r"%d host\(s\) did not answer and get no change: (.*)\"" % len(hosts), before)
    assert named, out[-3000:]
    reasons = dict(re.findall(r"(node\d) \((.*?)\)(?:; |$)", named.group(1)))
    assert sorted(reasons) == sorted(hosts), named.group(0)
    expected = {"node1": "Failed to connect", "node2": "Timed out after %d second" % ANSWER_SECONDS}
    for host in hosts:
        assert expected[host] in reasons[host], named.group(0)


def role_play(tmp_path, hosts):
    play = tmp_path / "role.yml"
    play.write_text("- hosts: %s\n  gather_facts: false\n  roles:\n"
                    "    - purecloud.firewall.webrtc_client\n" % hosts)
    return str(play)


@pytest.fixture(scope="module")
def dead_and_hung(fleet):
    ping = fleet.module("node2", "ansible.builtin.ping", {"data": "pong"})  # the first connection, which the freeze keeps
    assert ping.get("ping") == "pong", ping.get("msg")
    fleet.shell("node1", "pkill -x sshd")
    sshd(fleet, "node2", "STOP")
    yield
    sshd(fleet, "node2", "CONT")


def test_stop_on_unreachable_ends_the_run_before_any_host_changes(fleet, site_inventory, dead_and_hung):
    rc, out = run(fleet, site_inventory, os.path.join(REPO, "playbooks", "site.yml"),
                  "-e", "purecloud_reachable_timeout=%d" % ANSWER_SECONDS, "-e", "purecloud_stop_on_unreachable=true")
    assert rc != 0, out[-3000:]
    assert re.search(r"node1, node2 did not answer; nothing was changed", out), out[-3000:]
    for host in ("node3", "node4"):
        assert "purecloud" not in tables(fleet, host), "%s changed though the run stopped first" % host


def test_site_converges_the_hosts_that_answer_and_names_the_dead_and_the_hung(fleet, site_inventory, dead_and_hung):
    rc, out = run(fleet, site_inventory, os.path.join(REPO, "playbooks", "site.yml"),
                  "-e", "purecloud_reachable_timeout=%d" % ANSWER_SECONDS)
    assert rc == 2, out[-3000:]
    for host in ("node3", "node4"):
        assert "table inet purecloud" in tables(fleet, host), out[-3000:]
    for host in ("node1", "node2"):
        assert "purecloud" not in tables(fleet, host), out[-3000:]
    assert_named_before_any_change(out, "node1", "node2")
    # The run ends failed on each of them, with why.
    assert re.search(r"fatal: \[node1\]: FAILED! .*node1 did not answer and got no change: Failed to connect", out)
    assert re.search(r"fatal: \[node2\]: FAILED! .*node2 did not answer and got no change: Timed out after %d second"
                     % ANSWER_SECONDS, out), out[-3000:]
    # The canary is the first host that answered, alone in the first batch of the client's play.
    batches = [re.findall(r"changed: \[(node\d)\]", part) for part in out.split("PLAY [PureCloud client")[1:]]
    assert [batch for batch in batches if batch] == [["node3"], ["node4"]], out[-3000:]


def test_a_host_that_hangs_in_the_apply_task_fails_within_purecloud_task_timeout(fleet, site_inventory,
                                                                                 dead_and_hung, tmp_path):
    play = role_play(tmp_path, "node3:node4")
    rc, out = run(fleet, site_inventory, play)  # both hold the table, whatever ran before
    assert rc == 0 and "table inet purecloud" in tables(fleet, "node4"), out[-3000:]
    ping = fleet.module("node3", "ansible.builtin.ping", {"data": "pong"})
    assert ping.get("ping") == "pong", ping.get("msg")
    sshd(fleet, "node3", "STOP")
    try:
        rc, out = run(fleet, site_inventory, play, "-e", "purecloud_task_timeout=%d" % ANSWER_SECONDS,
                      "-e", "purecloud_firewall_state=absent")
    finally:
        sshd(fleet, "node3", "CONT")
    assert rc == 2, out[-3000:]
    assert re.search(r"fatal: \[node3\]: FAILED! .*Timed out after %d second" % ANSWER_SECONDS, out), out[-3000:]
    assert "purecloud" not in tables(fleet, "node4"), out[-3000:]


def test_a_limited_run_over_a_list_of_hosts_still_fails_on_the_host_that_is_down(
        fleet, site_inventory, dead_and_hung, tmp_path):
    rc, out = run(fleet, site_inventory, role_play(tmp_path, "node3:node4"))
    assert rc == 0 and "table inet purecloud" in tables(fleet, "node3"), out[-3000:]
    # The product's hosts as a list, and a re-run narrowed with --limit (which leaves the controller out).
    rc, out = run(fleet, site_inventory, os.path.join(REPO, "playbooks", "webrtc_client.yml"),
                  "-e", '{"purecloud_webrtc_client_hosts": ["node1", "node4"]}', "-e", "purecloud_firewall_state=absent",
                  "-e", "purecloud_reachable_timeout=%d" % ANSWER_SECONDS, "--limit", "node1,node4")
    assert rc == 2, out[-3000:]
    assert_named_before_any_change(out, "node1")  # node2, outside the limit, is not asked
    assert re.search(r"fatal: \[node1\]: FAILED! .*node1 did not answer and got no change: Failed to connect", out)
    assert "purecloud" not in tables(fleet, "node4"), out[-3000:]
    assert "table inet purecloud" in tables(fleet, "node3"), "node3 is in neither the list nor the limit"


def test_a_failed_canary_ends_the_run_with_the_hosts_that_did_not_answer_already_named(
        fleet, site_inventory, dead_and_hung, tmp_path):
    rc, out = run(fleet, site_inventory, role_play(tmp_path, "node4"), "-e", "purecloud_firewall_state=absent")
    assert rc == 0 and "purecloud" not in tables(fleet, "node4"), out[-3000:]
    # The canary, node3, is told to use firewalld, which its host does not run: its apply fails on the host.
    canary = tmp_path / "canary.yml"
    canary.write_text("all:\n  hosts:\n    node3:\n      purecloud_firewall_backend: firewalld\n")
    rc, out = run(fleet, site_inventory, os.path.join(REPO, "playbooks", "site.yml"), "-i", str(canary),
                  "-e", "purecloud_reachable_timeout=%d" % ANSWER_SECONDS)
    assert rc == 2, out[-3000:]
    assert re.search(r"fatal: \[node3\]: FAILED!", out), out[-3000:]
    assert "NO MORE HOSTS LEFT" in out and "did not answer and got no change" not in out, \
        "the canary's failure ends the run before its end"
    assert_named_before_any_change(out, "node1", "node2")
    assert "purecloud" not in tables(fleet, "node4"), "the rollout went on past a failed canary"
