# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build and tear down a lab: namespaces, links, hosts, inventory.

Everything the builder creates is written to the lab's journal *before* it
is created, so ``down`` removes exactly what this lab made, also after a
failed or interrupted ``up``, and a second ``down`` finds nothing to do.
The root namespace gets no lab address, route or interface: every veth is
created inside the lab's switch namespace, and Ansible reaches hosts through
``ip netns exec ID-ctl nc`` as its ProxyCommand.
"""

import ipaddress
import json
import os
import re
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import yaml

from . import internet, topology

LABKIT = os.path.dirname(os.path.abspath(__file__))
HOSTINIT = os.path.join(LABKIT, "hostinit.py")
DEFAULT_BASE = os.environ.get("PURECLOUD_LAB_DIR", "/tmp/purecloud-lab")
SYSTEM_PYTHON = "/usr/bin/python3"
READY_TIMEOUT = 30.0


class LabError(RuntimeError):
    pass


def sh(*argv, check=True, capture=False):
    result = subprocess.run(argv, check=False, text=True,
                            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    if check and result.returncode != 0:
        raise LabError("%s failed: %s" % (" ".join(argv), result.stderr.strip()))
    return result.stdout if capture else result.returncode


class Lab:
    """One lab, known by its id; its files live in BASE/ID."""

    def __init__(self, lab_id, base=DEFAULT_BASE):
        if not lab_id.isalnum() or not lab_id.islower() or len(lab_id) > 8:
            raise LabError("lab id %r: lower-case letters and digits, at most 8" % lab_id)
        self.id = lab_id
        self.dir = os.path.join(base, lab_id)
        self.journal_path = os.path.join(self.dir, "journal")
        self.switch = "%s-ctl" % lab_id

    # ------------------------------------------------------------ naming
    def ns(self, host_name):
        return "%s-%s" % (self.id, host_name)

    def hostdir(self, host_name):
        return os.path.join(self.dir, "hosts", host_name)

    @property
    def inventory_path(self):
        return os.path.join(self.dir, "inventory.yml")

    @property
    def state_path(self):
        return os.path.join(self.dir, "lab.json")

    def _record(self, op, **fields):
        fields["op"] = op
        with open(self.journal_path, "a") as handle:
            handle.write(json.dumps(fields) + "\n")

    def journal(self):
        if not os.path.exists(self.journal_path):
            return []
        with open(self.journal_path) as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def state(self):
        with open(self.state_path) as handle:
            return json.load(handle)

    # ---------------------------------------------------------------- up
    def up(self, topo):
        if self.journal():
            raise LabError("lab %s exists (%s); run 'down %s' first" % (self.id, self.dir, self.id))
        os.makedirs(self.dir, exist_ok=True)
        started = time.monotonic()
        self._record("dir", path=self.dir)
        key = os.path.join(self.dir, "id_ed25519")
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "purecloud-lab-%s" % self.id, "-f", key)
        segments = dict((name, ipaddress.ip_network(cidr)) for name, cidr in topo["segments"].items())
        self._make_switch(segments)
        gateway = next((h for h in topo["hosts"] if h.get("forward")), None)
        state = {"id": self.id, "topology": topo["name"], "params": topo["params"], "dir": self.dir,
                 "switch": self.switch, "segments": topo["segments"], "hosts": {}, "internet": {}}
        for index, host in enumerate(topo["hosts"]):
            state["hosts"][host["name"]] = self._make_host(index, host, segments, gateway, key + ".pub")
        for index, host in enumerate(topo["internet"]):
            state["internet"][host["name"]] = self._make_internet_host(
                len(topo["hosts"]) + index, host, segments, gateway, topo)
        self._wait_ready(state)
        with open(self.state_path, "w") as handle:
            json.dump(state, handle, indent=2)
        self._write_inventory(state)
        internet.write_ip_ranges(state, os.path.join(self.dir, "ip-ranges.json"))
        state["seconds"] = round(time.monotonic() - started, 2)
        with open(self.state_path, "w") as handle:
            json.dump(state, handle, indent=2)
        return state

    def _netns(self, name):
        self._record("netns", name=name)
        sh("ip", "netns", "add", name)
        sh("ip", "-n", name, "link", "set", "lo", "up")

    def _make_switch(self, segments):
        self._netns(self.switch)
        for bridge, address in [("mgmt", "%s/%d" % (topology.SWITCH_ADDRESS, topology.MANAGEMENT.prefixlen))] + \
                [(name, None) for name in segments]:
            sh("ip", "-n", self.switch, "link", "add", "br-" + bridge, "type", "bridge")
            if address:
                sh("ip", "-n", self.switch, "addr", "add", address, "dev", "br-" + bridge)
            sh("ip", "-n", self.switch, "link", "set", "br-" + bridge, "up")

    def _link(self, index, slot, ns, inner, bridge, addresses):
        """A veth from the switch's bridge to interface ``inner`` of ``ns``."""
        outer = "h%d%s" % (index, slot)
        self._record("veth", ns=self.switch, name=outer)
        sh("ip", "-n", self.switch, "link", "add", outer, "type", "veth", "peer", "name", inner, "netns", ns)
        sh("ip", "-n", self.switch, "link", "set", outer, "master", "br-" + bridge, "up")
        for address in addresses:
            sh("ip", "-n", ns, "addr", "add", address, "dev", inner)
        sh("ip", "-n", ns, "link", "set", inner, "up")

    def _make_host(self, index, host, segments, gateway, authorized_keys):
        ns = self.ns(host["name"])
        self._netns(ns)
        self._link(index, "m", ns, "eth0", "mgmt", ["%s/%d" % (host["address"], topology.MANAGEMENT.prefixlen)])
        interfaces = host.get("interfaces") or {}
        for slot, (segment, address) in enumerate(sorted(interfaces.items())):
            self._link(index, "s%d" % slot, ns, segment, segment,
                       ["%s/%d" % (address, segments[segment].prefixlen)])
        if host.get("forward"):
            sh("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
        elif gateway and interfaces:
            segment = sorted(interfaces)[0]
            via = gateway["interfaces"].get(segment)
            if via:
                sh("ip", "-n", ns, "route", "add", "default", "via", via)
        info = {"name": host["name"], "kind": host["kind"], "ns": ns, "address": host["address"],
                "interfaces": interfaces, "groups": host.get("groups", []), "forward": bool(host.get("forward"))}
        if host["kind"].startswith("systemd-"):
            self._start_systemd(host, authorized_keys)
        else:
            self._start_init(host["name"], {"name": host["name"], "kind": host["kind"],
                                            "address": host["address"], "authorized_keys": authorized_keys,
                                            "ssh": True})
        return info

    def _make_internet_host(self, index, host, segments, gateway, topo):
        ns = self.ns(host["name"])
        self._netns(ns)
        prefix = segments["wan"].prefixlen
        self._link(index, "w", ns, "eth0", "wan", ["%s/%d" % (a, prefix) for a in host["addresses"]])
        if gateway:
            via = gateway["interfaces"]["wan"]
            for name, cidr in topo["segments"].items():
                if name != "wan":
                    sh("ip", "-n", ns, "route", "add", cidr, "via", via)
        hostdir = self.hostdir(host["name"])
        os.makedirs(hostdir, exist_ok=True)
        services = internet.service_commands(host, topo, hostdir, LABKIT)
        self._start_init(host["name"], {"name": host["name"], "kind": "internet", "address": host["addresses"][0],
                                        "ssh": False, "services": services})
        return {"name": host["name"], "class": host.get("class"), "ns": ns, "addresses": host["addresses"],
                "services": host.get("services", [])}

    def _start_init(self, name, spec):
        hostdir = self.hostdir(name)
        os.makedirs(hostdir, exist_ok=True)
        with open(os.path.join(hostdir, "host.json"), "w") as handle:
            json.dump(spec, handle)
        self._record("host", name=name, pidfile=os.path.join(hostdir, "outer.pid"))
        subprocess.Popen(
            ["setsid", "-f", "ip", "netns", "exec", self.ns(name), "unshare", "--mount", "--pid", "--uts",
             "--ipc", "--fork", "--kill-child", SYSTEM_PYTHON, HOSTINIT, hostdir],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(hostdir, "init.log"), "a"), close_fds=True)

    def _start_systemd(self, host, authorized_keys):
        """Boot systemd in the host's namespace: systemd-nspawn over an overlay of /.

        The overlay is mounted in a private mount namespace of the starter, so
        it vanishes with it; units that must not run in a lab host are masked
        in the upper dir before boot, and the chosen firewall's unit enabled.
        """
        name = host["name"]
        hostdir = self.hostdir(name)
        upper, work, root = (os.path.join(hostdir, d) for d in ("upper", "work", "root"))
        for path in (upper, work, root):
            os.makedirs(path, exist_ok=True)
        firewall = host["kind"].split("-", 1)[1]
        units = os.path.join(upper, "etc", "systemd", "system")
        wants = "/etc/systemd/system/multi-user.target.wants"
        for unit in sorted(os.listdir(wants)) if os.path.isdir(wants) else []:
            if unit.endswith(".service"):
                _symlink("/dev/null", os.path.join(units, unit))
        other = "firewalld" if firewall == "nftables" else "nftables"
        _symlink("/dev/null", os.path.join(units, "%s.service" % other))
        for unit in ("ssh.service", "%s.service" % firewall):
            if os.path.lexists(os.path.join(units, unit)):
                os.unlink(os.path.join(units, unit))
            _symlink("/lib/systemd/system/" + unit, os.path.join(units, "multi-user.target.wants", unit))
        _write(os.path.join(upper, "etc", "hostname"), name + "\n")
        _write(os.path.join(upper, "etc", "machine-id"), os.urandom(16).hex() + "\n")
        key = os.path.join(upper, "etc", "ssh", "ssh_host_ed25519_key")
        os.makedirs(os.path.dirname(key), exist_ok=True)
        for old in os.listdir("/etc/ssh"):
            if old.startswith("ssh_host_"):
                _symlink("/dev/null", os.path.join(upper, "etc", "ssh", old))  # hide the machine's own keys
        os.unlink(key) if os.path.islink(key) else None
        os.unlink(key + ".pub") if os.path.islink(key + ".pub") else None
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
        shutil.copy(key + ".pub", os.path.join(hostdir, "host_key.pub"))
        _write(os.path.join(upper, "etc", "ssh", "sshd_config.d", "00-lab.conf"), "\n".join([
            "ListenAddress %s" % host["address"], "HostKey /etc/ssh/ssh_host_ed25519_key",
            "PermitRootLogin prohibit-password", "PasswordAuthentication no", "UseDNS no", ""]))
        # A new account's home, as on a freshly installed host: the opaque upper
        # dir hides the machine's own /root (shell start-up files, ~/.ansible).
        home = os.path.join(upper, "root")
        shutil.copytree("/etc/skel", home, dirs_exist_ok=True)
        os.chmod(home, 0o700)
        os.setxattr(home, "trusted.overlay.opaque", b"y")
        with open(authorized_keys) as handle:
            _write(os.path.join(home, ".ssh", "authorized_keys"), handle.read(), mode=0o600)
        script = (
            "mount -t overlay overlay -o lowerdir=/,upperdir={upper},workdir={work} {root} && "
            "echo $$ > {hostdir}/outer.pid && "
            "exec env SYSTEMD_NSPAWN_API_VFS_WRITABLE=network systemd-nspawn --boot --keep-unit "
            "--register=no --quiet --console=passive --network-namespace-path=/run/netns/{ns} "
            "--capability=CAP_NET_ADMIN,CAP_NET_RAW --machine={ns} -D {root}"
        ).format(upper=upper, work=work, root=root, hostdir=hostdir, ns=self.ns(name))
        self._record("host", name=name, pidfile=os.path.join(hostdir, "outer.pid"))
        subprocess.Popen(["setsid", "-f", "unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(hostdir, "init.log"), "a"), close_fds=True)

    def init_pid(self, host):
        """PID (in the root namespace) of the host's own init."""
        if not host["kind"].startswith("systemd-"):
            return self.outer_pid(host["name"])
        inode = _netns_inode(host["ns"])
        for pid in _pids():
            try:
                if os.stat("/proc/%d/ns/net" % pid).st_ino == inode:
                    with open("/proc/%d/comm" % pid) as handle:
                        if handle.read().strip() == "systemd":
                            return pid
            except OSError:
                continue
        return None

    def _wait_ready(self, state):
        def wait(name, host):
            hostdir = self.hostdir(name)
            deadline = time.monotonic() + READY_TIMEOUT
            while time.monotonic() < deadline:
                started = os.path.exists(os.path.join(hostdir, "ready")) or host.get("kind", "").startswith("systemd-")
                if started and self._answers(host):
                    return
                time.sleep(0.05)
            raise LabError("host %s not ready after %ds; see %s" % (name, READY_TIMEOUT, hostdir))

        everything = list(state["hosts"].items()) + list(state["internet"].items())
        with ThreadPoolExecutor(max_workers=16) as pool:
            for future in [pool.submit(wait, name, host) for name, host in everything]:
                future.result()

    def _internet_answers(self, host):
        """Its init started the services; they answer once they hold their ports (and the responder says so)."""
        if "responder" in host.get("services", []) and \
                not os.path.exists(os.path.join(self.hostdir(host["name"]), internet.RESPONDER_READY)):
            return False
        wanted = internet.listening_ports(host)
        if not wanted:
            return True
        listed = subprocess.run(["ip", "netns", "exec", host["ns"], "ss", "-Hlntu"], capture_output=True, text=True,
                                check=False).stdout
        held = set()
        for line in listed.splitlines():
            fields = line.split()
            if len(fields) >= 5 and fields[4].rpartition(":")[2].isdigit():
                held.add((fields[0], int(fields[4].rpartition(":")[2])))
        return wanted <= held

    def _answers(self, host):
        if "address" not in host:
            return self._internet_answers(host)
        if sh("ip", "netns", "exec", self.switch, "nc", "-z", "-w", "1", host["address"], "22", check=False) != 0:
            return False
        pid = self.init_pid(host)
        if pid is None:
            return False
        if host["kind"].startswith("systemd-"):
            booted = subprocess.run(["nsenter", "-t", str(pid), "-a", "/usr/bin/systemctl", "is-system-running"],
                                    capture_output=True, text=True, check=False)
            if booted.stdout.strip() not in ("running", "degraded"):
                return False
        if host["kind"].endswith("firewalld"):
            state = subprocess.run(["nsenter", "-t", str(pid), "-a", "/usr/bin/firewall-cmd", "--state"],
                                   capture_output=True, text=True, check=False)
            return state.stdout.strip() == "running"
        return True

    def outer_pid(self, name):
        try:
            with open(os.path.join(self.hostdir(name), "outer.pid")) as handle:
                return int(handle.read())
        except (OSError, ValueError):
            return None

    def _write_inventory(self, state):
        known_hosts = []
        for name, host in state["hosts"].items():
            with open(os.path.join(self.hostdir(name), "host_key.pub")) as handle:
                known_hosts.append("%s %s" % (host["address"], " ".join(handle.read().split()[:2])))
        with open(os.path.join(self.dir, "known_hosts"), "w") as handle:
            handle.write("\n".join(known_hosts) + "\n")
        os.makedirs(os.path.join(self.dir, "cp"), exist_ok=True)
        groups = {}
        hosts = {}
        for name, host in state["hosts"].items():
            hosts[name] = {"ansible_host": host["address"], "lab_kind": host["kind"],
                           "lab_interfaces": host["interfaces"], "lab_namespace": host["ns"]}
            for group in host["groups"] + ["%s_hosts" % host["kind"].replace("-", "_")]:
                groups.setdefault(group, {"hosts": {}})["hosts"][name] = None
        inventory = {"all": {
            "vars": {
                "ansible_user": "root",
                "ansible_ssh_private_key_file": os.path.join(self.dir, "id_ed25519"),
                # The ProxyCommand lives in the inventory itself, so no run can
                # reach a lab address through the root namespace's real uplink.
                "ansible_ssh_common_args": proxy_ssh_args(self),
                "ansible_python_interpreter": SYSTEM_PYTHON,
                "ansible_control_path_dir": os.path.join(self.dir, "cp"),
                "purecloud_lab_id": self.id,
                "purecloud_lab_dir": self.dir,
                "purecloud_lab_internet": dict((n, h["addresses"]) for n, h in state["internet"].items()),
            },
            "hosts": hosts,
            "children": groups,
        }}
        with open(self.inventory_path, "w") as handle:
            yaml.safe_dump(inventory, handle, default_flow_style=False, sort_keys=False)

    # -------------------------------------------------------------- down
    def down(self):
        """Remove everything this lab made; harmless when there is nothing."""
        entries = self.journal()
        namespaces = [e["name"] for e in entries if e["op"] == "netns"]
        namespaces += [n for n in list_netns() if n.startswith(self.id + "-") and n not in namespaces]
        for entry in reversed(entries):
            if entry["op"] == "host":
                _terminate(_read_pid(entry["pidfile"]))
        _kill_in_namespaces(namespaces)
        _kill_matching(self.dir)
        for entry in reversed(entries):
            if entry["op"] == "veth" and entry["ns"] in list_netns():
                sh("ip", "-n", entry["ns"], "link", "del", entry["name"], check=False)
        for name in reversed(namespaces):
            if name in list_netns():
                sh("ip", "netns", "del", name, check=False)
        if os.path.isdir(self.dir):
            shutil.rmtree(self.dir, ignore_errors=True)
        return namespaces


def leftovers(lab):
    """What of the lab is still on the machine: namespaces, mounts, processes, links, files."""
    found = ["netns %s" % n for n in list_netns() if n.startswith(lab.id + "-")]
    with open("/proc/self/mountinfo") as handle:
        found += ["mount %s" % line.split()[4] for line in handle
                  if lab.dir in line or "/run/netns/%s-" % lab.id in line]
    markers = (lab.dir, "netns exec %s-" % lab.id)
    for pid, cmdline in _cmdlines():
        if any(marker in cmdline for marker in markers):
            found.append("process %d: %s" % (pid, cmdline[:120]))
    links = sh("ip", "-o", "link", "show", capture=True, check=False) or ""
    for line in links.splitlines():
        name = line.split(":")[1].strip().split("@")[0]
        if re.match(r"^h\d+(m|w|s\d+)$", name):
            found.append("link %s in the root namespace" % name)
    if os.path.exists(lab.dir):
        found.append("directory %s" % lab.dir)
    return found


def _cmdlines():
    me = os.getpid()
    for pid in _pids():
        if pid == me:
            continue
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as handle:
                yield pid, handle.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue


def proxy_ssh_args(lab):
    return ('-o ProxyCommand="ip netns exec %s nc %%h %%p" -o UserKnownHostsFile=%s '
            '-o StrictHostKeyChecking=yes -o ConnectTimeout=10' % (lab.switch, os.path.join(lab.dir, "known_hosts")))


def _symlink(target, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        os.unlink(path)
    os.symlink(target, path)


def _write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, mode)


def list_netns():
    out = sh("ip", "netns", "list", capture=True, check=False) or ""
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def _read_pid(path):
    try:
        with open(path) as handle:
            return int(handle.read())
    except (OSError, ValueError):
        return None


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _terminate(pid, grace=5.0):
    if not pid or not _alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def _netns_inode(name):
    try:
        return os.stat("/run/netns/%s" % name).st_ino
    except OSError:
        return None


def _kill_in_namespaces(namespaces):
    """Kill every process whose network namespace is one of the lab's."""
    inodes = set(filter(None, (_netns_inode(n) for n in namespaces)))
    if not inodes:
        return
    for pid in _pids():
        try:
            if os.stat("/proc/%d/ns/net" % pid).st_ino in inodes:
                os.kill(pid, signal.SIGKILL)
        except (OSError, ProcessLookupError):
            continue


def _kill_matching(text):
    """Kill processes whose command line names this lab (ssh masters, ProxyCommands)."""
    for pid, cmdline in _cmdlines():
        if text in cmdline and ("ssh" in cmdline or " nc " in cmdline):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]
