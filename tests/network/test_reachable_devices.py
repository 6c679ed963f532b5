# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A network device that does not answer is not the canary: reachable.yml asks its port first.

The run happens in a network namespace of its own with only loopback in it:
one router's port is listened on there, the others' are closed, so "does it
answer" is decided by real TCP, and nothing leaves the namespace.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from vendor_run import ROOT, VENV_BIN, playbook_env

LISTENED = 2201
CLOSED = 2202
ANSWER_SECONDS = 2

ROUTER = {"ansible_connection": "ansible.netcommon.network_cli", "ansible_network_os": "cisco.ios.ios",
          "ansible_host": "127.0.0.1", "purecloud_firewall_backend": "cisco_ios"}
INVENTORY = {"all": {"children": {"purecloud_edge": {"hosts": {
    "live_router": dict(ROUTER, ansible_port=LISTENED),
    "dead_router": dict(ROUTER, ansible_port=CLOSED),
    # Neither is asked: one contacts nothing, the other is reached through a jump host the controller cannot see past.
    "render_only_router": dict(ROUTER, ansible_port=CLOSED, purecloud_network_render_only=True),
    "proxied_router": dict(ROUTER, ansible_port=CLOSED, ansible_paramiko_proxy_command="ssh -W %h:%p jump"),
}}}}}

SORTED = """
- ansible.builtin.import_playbook: purecloud.firewall.reachable
- name: What was sorted where
  hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.debug:
        msg: "sorted reachable={{ groups['purecloud_reachable'] | default([]) | sort | join(',') }}
          unreachable={{ groups['purecloud_unreachable'] | default([]) | sort | join(',') }}"
- ansible.builtin.import_playbook: purecloud.firewall.unreachable
"""

LISTENER = "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', %d)); s.listen(); time.sleep(60)" % LISTENED


# Also in check mode, where a --check --diff run must name the same dead router before it shows any diff.
@pytest.fixture(scope="module", params=[[], ["--check"]], ids=["run", "check-mode"])
def sorted_run(request, tmp_path_factory):
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("a network namespace of its own needs root and unshare")
    folder = tmp_path_factory.mktemp("reachable_devices")
    (folder / "inventory.yml").write_text(yaml.safe_dump(INVENTORY))
    (folder / "sorted.yml").write_text(SORTED)
    playbook = " ".join([os.path.join(VENV_BIN, "ansible-playbook"), "-i", str(folder / "inventory.yml"),
                         str(folder / "sorted.yml"), "-e", "purecloud_reachable_timeout=%d" % ANSWER_SECONDS]
                        + request.param)
    # The listener is bounded by its own sleep and killed as soon as the run ends.
    script = ('ip link set lo up && { %s -c "%s" & listener=$!; sleep 0.5; %s; status=$?; kill $listener; '
              'exit $status; }' % (sys.executable, LISTENER, playbook))
    env = dict(playbook_env(), ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_LOAD_CALLBACK_PLUGINS="0")
    done = subprocess.run(["unshare", "--net", "sh", "-c", script], capture_output=True, text=True, env=env,
                          timeout=180, check=False, cwd=ROOT)
    return done.returncode, done.stdout + done.stderr


def test_only_the_router_whose_port_is_closed_is_unreachable(sorted_run):
    _rc, out = sorted_run
    found = re.search(r"sorted reachable=(\S*)\s+unreachable=(\S*)\"", out)
    assert found, out[-3000:]
    assert found.group(1).split(",") == ["live_router", "proxied_router", "render_only_router"], out[-3000:]
    assert found.group(2) == "dead_router", out[-3000:]


def test_the_dead_router_is_named_before_any_host_changes_and_fails_the_run(sorted_run):
    rc, out = sorted_run
    assert rc == 2, out[-3000:]
    before, _sep, after = out.partition("PLAY [What was sorted where]")
    assert re.search(r"1 host\(s\) did not answer and get no change: dead_router \(Timeout when waiting for "
                     r"127\.0\.0\.1:%d\)" % CLOSED, before), out[-3000:]
    assert re.search(r"fatal: \[dead_router\]: FAILED! .*dead_router did not answer and got no change: "
                     r"Timeout when waiting for 127\.0\.0\.1:%d" % CLOSED, after), out[-3000:]
    assert not re.search(r"fatal: \[(live|proxied|render_only)_router\]", out), out[-3000:]
