# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each role README's example, as written, on lab hosts in check mode.

The play text is the README's; an inventory of the test's own puts the lab's
nftables and firewalld hosts into the play's group, and the lab's inventory
gives only how to reach them.  Each host would change (its firewall has none
of the collection's rules), fails nothing, is warned of nothing, and the role
prints the summary of what it would enforce; check mode leaves the host as it
was.
"""

import json
import os
import re
import subprocess

import pytest
import yaml

from conftest import REPO, VENV_BIN

ROLES = sorted(os.listdir(os.path.join(REPO, "roles")))
EXAMPLE = re.compile(r"^## Example\n.*?^```yaml\n(.*?)^```$", re.S | re.M)
# The single topology's hosts: their firewall, and how the summary names it.
HOSTS = {"nft1": ("nftables", "nftables inet purecloud: "), "fw1": ("firewalld", "firewalld purecloud-* policies: ")}
APPLY = "Apply the %s flows to this host's firewall"
SUMMARY = "Say what this host's firewall enforces"


def readme_example(role):
    with open(os.path.join(REPO, "roles", role, "README.md")) as handle:
        found = EXAMPLE.search(handle.read())
    assert found, "roles/%s/README.md has no yaml example" % role
    return found.group(1)


def owned(lab, host):
    """What the collection owns on the host right now, as its firewall lists it."""
    if HOSTS[host][0] == "nftables":
        return [line for line in lab.shell(host, "nft list tables").splitlines() if "purecloud" in line]
    return [name for name in lab.shell(host, "firewall-cmd --get-policies").split() if "purecloud" in name]


@pytest.mark.parametrize("role", ROLES)
def test_the_readme_example_runs_as_written_in_check_mode(single, role, tmp_path):
    text = readme_example(role)
    play = yaml.safe_load(text)[0]
    (tmp_path / "example.yml").write_text(text)
    groups = {"all": {"children": {play["hosts"]: {"hosts": dict((host, None) for host in HOSTS)}}}}
    (tmp_path / "groups.yml").write_text(yaml.safe_dump(groups))
    done = subprocess.run(
        [os.path.join(VENV_BIN, "ansible-playbook"), "-i", single.lab.inventory_path, "-i", str(tmp_path / "groups.yml"),
         str(tmp_path / "example.yml"), "--check"],
        capture_output=True, text=True, env=single.env, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    output = json.loads(done.stdout)
    for host in HOSTS:
        stats = output["stats"][host]
        assert stats["failures"] == 0 and stats["unreachable"] == 0 and stats["changed"] >= 1, stats

    # A role's task is named "<role> : <task>" in the output.
    tasks = dict((task["task"]["name"].rsplit(" : ", 1)[-1], task["hosts"]) for task in output["plays"][0]["tasks"])
    title = APPLY % play["name"]
    for host, (backend, says) in HOSTS.items():
        applied = tasks[title][host]
        assert applied["changed"] is True and not applied.get("failed"), applied.get("msg")
        assert applied["backend"] == backend and applied["products"] == [role], (applied["backend"], applied["products"])
        assert not applied.get("warnings"), applied["warnings"]
        # A row skipped for one of its classes (a trunk from "pbx or sip_provider") is enforced for the other.
        enforced = set(rid for rule in applied["rules"] for rid in rule["ids"])
        assert applied["rules"] and [s for s in applied["unresolved"] if s["id"] not in enforced] == []
        assert applied["summary"].startswith(says) and " of %s, " % role in applied["summary"], applied["summary"]
        assert tasks[SUMMARY][host]["msg"] == applied["summary"]
        assert owned(single, host) == [], "check mode changed %s" % host
