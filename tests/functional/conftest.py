# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Functional tests: the collection's modules on lab hosts, over SSH, as in production."""

import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "lab"))

from labkit import build, topology  # noqa: E402

VENV_BIN = os.path.dirname(sys.executable)


def lab_unavailable():
    if os.geteuid() != 0:
        return "the lab needs root"
    missing = [t for t in ("/usr/sbin/nft", "/usr/sbin/sshd", "/usr/sbin/firewalld", "/usr/bin/systemd-nspawn")
               if not os.path.exists(t)]
    return "missing: %s" % ", ".join(missing) if missing else ""


pytestmark = pytest.mark.skipif(bool(lab_unavailable()), reason=lab_unavailable() or "lab available")


class LabHosts:
    """A built lab and a way to run the collection's modules on its hosts."""

    def __init__(self, lab, state):
        self.lab, self.state = lab, state
        self.env = dict(os.environ, ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json",
                        ANSIBLE_COLLECTIONS_PATH=collections_path(), PATH=VENV_BIN + os.pathsep + os.environ["PATH"])

    def module(self, host, name, args, check=False, diff=False):
        """Run ``purecloud.firewall.NAME`` on ``host``; returns the module's result."""
        argv = [os.path.join(VENV_BIN, "ansible"), "-i", self.lab.inventory_path, host, "-m", name,
                "-a", json.dumps(args)] + (["--check"] if check else []) + (["--diff"] if diff else [])
        done = subprocess.run(argv, capture_output=True, text=True, env=self.env, timeout=600, check=False)
        try:
            return json.loads(done.stdout)["plays"][0]["tasks"][0]["hosts"][host]
        except (ValueError, KeyError, IndexError):
            raise AssertionError("no result from %s: %s %s" % (name, done.stdout[-2000:], done.stderr[-2000:]))

    def playbook(self, plays, *extra):
        """Run ``plays`` (a list of plays, as data) with the lab's inventory; returns the finished process."""
        self.plays = getattr(self, "plays", 0) + 1
        path = os.path.join(self.lab.dir, "play-%d.yml" % self.plays)
        with open(path, "w") as handle:
            json.dump(plays, handle)
        env = dict(self.env, ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_LOAD_CALLBACK_PLUGINS="0")
        return subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", self.lab.inventory_path, path]
                              + list(extra), capture_output=True, text=True, env=env, timeout=600, check=False)

    def shell(self, host, command):
        """Run a command inside the host (as root, through its namespaces); returns stdout."""
        info = self.state["hosts"][host]
        pid = self.lab.init_pid(info)
        done = subprocess.run(["nsenter", "-t", str(pid), "-a", "/bin/sh", "-c", command],
                              capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            raise AssertionError("%s on %s failed: %s" % (command, host, done.stderr))
        return done.stdout


def collections_path():
    root = os.path.join(REPO, ".build", "collections")
    link = os.path.join(root, "ansible_collections", "purecloud", "firewall")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath(REPO, os.path.dirname(link)), link)
    return root


@pytest.fixture(scope="session")
def collection():
    """Ansible's collection loader over this repository, so tests can use module_utils directly."""
    from ansible.plugins.loader import init_plugin_loader
    from ansible.utils.collection_loader import AnsibleCollectionConfig

    if not AnsibleCollectionConfig.collection_finder:  # the lab may have set it up already, reading the catalog
        init_plugin_loader([collections_path()])


def _lab(topology_name, lab_id, **params):
    """Build a lab (after removing what an earlier run left), hand it over, then prove it is all gone."""
    lab = build.Lab(lab_id)
    lab.down()
    hosts = LabHosts(lab, lab.up(topology.load(topology_name, params)))
    yield hosts
    lab.down()
    assert build.leftovers(lab) == []


@pytest.fixture(scope="module")
def single():
    yield from _lab("single", "fsingle")


@pytest.fixture(scope="module", params=["nftables", "firewalld"])
def site(request):
    """The site topology with an nftables or a firewalld gateway."""
    for hosts in _lab("site", "fsite" + request.param[:2], gateway_kind=request.param):
        hosts.backend = request.param
        yield hosts


@pytest.fixture(scope="module")
def systemd_hosts():
    yield from _lab("systemd", "fsysd")


@pytest.fixture(scope="module")
def preflight_site():
    """The site topology with an nftables gateway, for preflight checks."""
    yield from _lab("site", "fpre")
