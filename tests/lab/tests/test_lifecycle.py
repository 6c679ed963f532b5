# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Labs build, answer Ansible over SSH, carry real traffic and leave nothing behind."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from labhelpers import LAB_CLI, ansible, needs_lab
from labkit import build, probe

pytestmark = needs_lab

DNS_QUERY = """
import socket, struct, sys
server, name = sys.argv[1], sys.argv[2]
query = struct.pack("!HHHHHH", 7, 0x0100, 1, 0, 0, 0)
query += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\\0\\0\\1\\0\\1"
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(2)
sock.sendto(query, (server, 53))
reply = sock.recv(512)
print(socket.inet_ntoa(reply[-4:]) if struct.unpack("!H", reply[6:8])[0] else "no answer")
"""

GATEWAY_443_ONLY = """
table inet lab_test {
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    oifname "wan" tcp dport 443 accept
  }
}
"""


def test_single_lab_answers_ansible_and_keeps_the_proxy_in_its_inventory(make_lab):
    lab, state = make_lab("single", "tsingle")
    with open(lab.inventory_path) as handle:
        inventory = yaml.safe_load(handle)
    assert 'ProxyCommand="ip netns exec tsingle-ctl nc %h %p"' in inventory["all"]["vars"]["ansible_ssh_common_args"]
    pong = ansible(lab.inventory_path, "all", "-m", "ansible.builtin.ping", "-o")
    assert pong.returncode == 0, pong.stdout + pong.stderr
    assert pong.stdout.count("SUCCESS") == 2
    firewalld = ansible(lab.inventory_path, "fw1", "-m", "ansible.builtin.command", "-a", "firewall-cmd --state")
    assert "running" in firewalld.stdout
    # The root namespace gained no lab address or route.
    assert "198.51.100." not in subprocess.run(["ip", "addr"], capture_output=True, text=True, check=True).stdout
    assert "198.51.100." not in subprocess.run(["ip", "route"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("topology", ["single", "systemd"])
def test_lab_hosts_start_with_a_fresh_root_home_not_the_machines(make_lab, topology):
    # A file only the machine's /root has must not show through; a new install's start-up files must.
    marker = os.path.join(os.path.expanduser("~root"), ".purecloud-lab-marker-%d" % os.getpid())
    open(marker, "w").close()
    try:
        lab, state = make_lab(topology, "thome")
        listing = ansible(lab.inventory_path, "all", "-m", "ansible.builtin.command", "-o", "-a", "ls -A /root")
    finally:
        os.unlink(marker)
    assert listing.returncode == 0, listing.stdout + listing.stderr
    assert os.path.basename(marker) not in listing.stdout
    assert listing.stdout.count(".bashrc") == listing.stdout.count(".profile") == len(state["hosts"])


def test_teardown_twice_is_harmless(make_lab):
    lab, _state = make_lab("single", "ttwice")
    assert lab.down()
    assert build.leftovers(lab) == []
    assert lab.down() == []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_build_killed_halfway_is_cleaned_up(sig):
    lab = build.Lab("tkill")
    lab.down()
    proc = subprocess.Popen([sys.executable, LAB_CLI, "up", "site", "--id", "tkill"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len([e for e in lab.journal() if e["op"] == "host"]) < 3:
        time.sleep(0.02)
    assert lab.journal(), "the build did not start"
    proc.send_signal(sig)
    proc.wait(timeout=30)
    lab.down()
    assert build.leftovers(lab) == []


def test_probes_judge_allowed_and_refused_flows_with_real_packets(make_lab):
    lab, state = make_lab("site", "tprobe")
    gateway = state["hosts"]["gateway"]["ns"]
    subprocess.run(["ip", "netns", "exec", gateway, "nft", "-f", "-"], input=GATEWAY_443_ONLY, text=True, check=True)
    rows = []
    sources = ["edge1", "edge2", "bridge1", "ad1", "phone1", "workstation1"]
    for source in sources:
        for target in ("purecloud", "google", "provisioning", "sipprovider"):
            for proto, port in (("tcp", 443), ("tcp", 8443), ("udp", 443), ("udp", 5000), ("tcp", 80),
                                ("udp", 3478), ("tcp", 5061), ("udp", 16384)):
                rows.append({"from": source, "to": target, "proto": proto, "port": port,
                             "expect": "allow" if (proto, port) == ("tcp", 443) else "deny"})
    rows.append({"from": "phone1", "to": "edge1", "proto": "tcp", "port": 8061, "expect": "deny"})
    rows.append({"from": "purecloud", "to": "edge1", "proto": "tcp", "port": 443, "expect": "deny"})
    assert len(rows) == 194
    started = time.monotonic()
    results = probe.run(state, rows, timeout=0.5)
    elapsed = time.monotonic() - started
    print("%d probes in %.1fs" % (len(rows), elapsed))
    assert [r for r in results if not r["ok"]] == []
    # The harness can disagree: the same flows with a wrong expectation are mismatches.
    wrong = [dict(rows[0], expect="deny"), dict(rows[1], expect="allow")]
    checked = probe.run(state, wrong, timeout=0.5)
    assert [r["ok"] for r in checked] == [False, False]
    # The expected flow that timed out was tried once more before it was called a mismatch.
    assert [r.get("retried", False) for r in checked] == [False, True]


def test_probe_cli_exits_non_zero_on_a_mismatch(make_lab, tmp_path):
    lab, _state = make_lab("site", "tcli")
    rows = tmp_path / "rows.yml"
    rows.write_text(yaml.safe_dump([{"from": "edge1", "to": "purecloud", "proto": "tcp", "port": 443,
                                     "expect": "deny"}]))
    done = subprocess.run([sys.executable, LAB_CLI, "probe", "tcli", str(rows)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 1 and "MISMATCH" in done.stdout


def test_fake_internet_runs_real_servers_for_the_chosen_region(make_lab):
    lab, state = make_lab("site", "tnet", region="eu-central-1")
    rows = [{"from": "edge1", "to": "nist", "proto": "udp", "port": 123, "expect": "allow"},
            {"from": "edge1", "to": "dns", "proto": "udp", "port": 53, "expect": "allow"},
            {"from": "workstation1", "to": "purecloud", "proto": "udp", "port": 3478, "expect": "allow"},
            {"from": "workstation1", "to": "google", "proto": "udp", "port": 19302, "expect": "allow"}]
    assert all(r["ok"] for r in probe.run(state, rows))
    # dnsmasq answers the page's domains of the region with the lab's addresses.
    for name, expected in (("apps.mypurecloud.de", "purecloud"), ("stun.l.google.com", "google"),
                           ("time.nist.gov", "nist"), ("x.s3.eu-central-1.amazonaws.com", "purecloud"),
                           ("lb01.byoc.eu-central-1.mypurecloud.de", "purecloud"),
                           ("x.ztp.polycom.com", "polycom")):
        answer = subprocess.run(["ip", "netns", "exec", state["hosts"]["edge1"]["ns"], sys.executable, "-c",
                                 DNS_QUERY, state["internet"]["dns"]["addresses"][0], name],
                                capture_output=True, text=True, check=True).stdout.strip()
        assert answer == state["internet"][expected]["addresses"][0], (name, answer)
    with open(os.path.join(lab.dir, "ip-ranges.json")) as handle:
        feed = json.load(handle)
    assert {p["region"] for p in feed["prefixes"]} == {"eu-central-1"}
    assert {p["ip_prefix"] for p in feed["prefixes"]} == {"%s/32" % a for a in state["internet"]["purecloud"]["addresses"]
                                                          + state["internet"]["provisioning"]["addresses"]}
    # Each service is the real Debian server, in the internet host's namespace.
    for name, binary in (("nist", "chronyd"), ("dns", "dnsmasq"), ("purecloud", "turnserver")):
        pid = build.Lab("tnet").outer_pid(name)
        children = subprocess.run(["ps", "--ppid", str(pid), "-o", "comm="], capture_output=True, text=True,
                                  check=True).stdout
        assert binary in children, (name, children)


@pytest.mark.parametrize("count", [20])
def test_fleet_builds_answers_ping_and_tears_down(make_lab, count):
    started = time.monotonic()
    lab, state = make_lab("fleet", "tfleet", count=str(count))
    built = time.monotonic() - started
    pong = ansible(lab.inventory_path, "all", "-f", str(count), "-m", "ansible.builtin.ping", "-o")
    assert pong.stdout.count("SUCCESS") == count, pong.stdout + pong.stderr
    pinged = time.monotonic() - started - built
    started = time.monotonic()
    lab.down()
    print("fleet of %d: up %.1fs, ping %.1fs, down %.1fs" % (count, built, pinged, time.monotonic() - started))
    assert build.leftovers(lab) == []


def test_systemd_hosts_boot_and_restart_their_firewall_units(make_lab):
    lab, state = make_lab("systemd", "tsysd")
    restart = ansible(lab.inventory_path, "all", "-m", "ansible.builtin.command", "-a",
                      "systemctl restart {{ 'nftables' if lab_kind == 'systemd-nftables' else 'firewalld' }}")
    assert restart.returncode == 0, restart.stdout + restart.stderr
    active = ansible(lab.inventory_path, "all", "-m", "ansible.builtin.command", "-o", "-a",
                     "systemctl is-active {{ 'nftables' if lab_kind == 'systemd-nftables' else 'firewalld' }}")
    assert active.stdout.count("active") == 2, active.stdout


def test_a_molecule_scenario_killed_halfway_is_cleaned_up_by_teardown(tmp_path):
    # Molecule finds the scenarios' shared config (extensions/molecule/config.yml) from the collection's root.
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(LAB_CLI))))
    lab = build.Lab("mgn")  # the lab id of the lab_gateway_nftables scenario
    lab.down()
    venv_bin = os.path.dirname(sys.executable)
    log = open(tmp_path / "molecule.log", "w")
    scenario = subprocess.Popen([os.path.join(venv_bin, "molecule"), "test", "-s", "lab_gateway_nftables"],
                                cwd=root, start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
                                env=dict(os.environ, PATH=venv_bin + os.pathsep + os.environ["PATH"]))
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not os.path.exists(lab.inventory_path):
            time.sleep(0.1)
        assert os.path.exists(lab.inventory_path), (tmp_path / "molecule.log").read_text()[-3000:]
        time.sleep(2)  # into converge: SSH masters and ProxyCommands are running
    finally:
        os.killpg(scenario.pid, signal.SIGKILL)
        scenario.wait(timeout=30)
        log.close()
    assert build.leftovers(lab), "the killed scenario should have left its lab behind"
    done = subprocess.run([sys.executable, LAB_CLI, "down", "mgn"], capture_output=True, text=True, check=True)
    assert "namespaces removed" in done.stdout
    assert build.leftovers(lab) == []
