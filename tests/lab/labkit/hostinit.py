# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PID 1 of a lab host: private /proc, /etc, /var, /root and /run, then sshd
(and D-Bus + firewalld on firewalld hosts), then wait until TERM.

Started by the builder as
``ip netns exec NS unshare --mount --pid --uts --ipc --fork --kill-child
/usr/bin/python3 hostinit.py HOSTDIR``; HOSTDIR/host.json says what to run.
Everything it writes lands in overlay upper dirs under HOSTDIR or in tmpfs
(/root, /run), so module writes (nftables.conf, firewalld XML, sysctl) never
reach the real system.
When this process ends, the kernel kills every process of the host.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time


def run(*argv):
    subprocess.run(argv, check=True)


def outer_pid():
    # Before /proc is remounted it still shows the parent namespace's view.
    with open("/proc/self/stat") as handle:
        return int(handle.read().split()[0])


def overlay(target, hostdir):
    name = target.strip("/").replace("/", "_")
    upper = os.path.join(hostdir, "upper", name)
    work = os.path.join(hostdir, "work", name)
    os.makedirs(upper, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    run("mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=%s,upperdir=%s,workdir=%s" % (target, upper, work), target)


def fresh_root_home():
    # A new account's home, as on a freshly installed host: the machine's own
    # /root (its shell start-up files, ~/.ansible, ~/.ssh) is not the lab's.
    run("mount", "-t", "tmpfs", "-o", "mode=700", "tmpfs", "/root")
    shutil.copytree("/etc/skel", "/root", dirs_exist_ok=True)


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, mode)


def main():
    hostdir = sys.argv[1]
    with open(os.path.join(hostdir, "host.json")) as handle:
        host = json.load(handle)
    write(os.path.join(hostdir, "outer.pid"), "%d\n" % outer_pid())

    run("mount", "--make-rprivate", "/")
    run("mount", "-t", "proc", "proc", "/proc")
    run("hostname", host["name"])
    for target in ("/etc", "/var"):
        overlay(target, hostdir)
    fresh_root_home()
    run("mount", "-t", "tmpfs", "-o", "mode=755", "tmpfs", "/run")
    for path in ("/run/sshd", "/run/dbus", "/run/lock"):
        os.makedirs(path, exist_ok=True)
    os.chmod("/run/sshd", 0o755)

    write("/etc/machine-id", os.urandom(16).hex() + "\n", 0o444)
    write("/etc/hostname", host["name"] + "\n")
    for old in os.listdir("/etc/ssh"):
        if old.startswith("ssh_host_"):
            os.unlink(os.path.join("/etc/ssh", old))
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "/etc/ssh/ssh_host_ed25519_key")
    with open("/etc/ssh/ssh_host_ed25519_key.pub") as src:
        write(os.path.join(hostdir, "host_key.pub"), src.read())
    children = []
    if host.get("ssh", True):
        write("/etc/ssh/sshd_config.d/00-lab.conf", "\n".join([
            "ListenAddress %s" % host["address"],
            "HostKey /etc/ssh/ssh_host_ed25519_key",
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "AuthorizedKeysFile %s" % host["authorized_keys"],
            "UseDNS no",
            # The key lives in the lab folder under /tmp (world-writable parent).
            "StrictModes no",
            "MaxStartups 100:30:200",
            "MaxSessions 100",
            "",
        ]))
        run("/usr/sbin/sshd", "-t")
        children.append(subprocess.Popen(["/usr/sbin/sshd", "-D", "-e"],
                                         stderr=open(os.path.join(hostdir, "sshd.log"), "a")))
    if host["kind"] == "firewalld":
        run("dbus-daemon", "--system", "--fork")
        children.append(subprocess.Popen(["/usr/sbin/firewalld", "--nofork", "--nopid"],
                                         stderr=open(os.path.join(hostdir, "firewalld.log"), "a")))
    for argv in host.get("services", []):
        log = open(os.path.join(hostdir, "%s.log" % os.path.basename(argv[0])), "a")
        children.append(subprocess.Popen(argv, stdout=log, stderr=log))

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    write(os.path.join(hostdir, "ready"), "%d\n" % time.time())
    while not stopping:
        # Reap orphans: as PID 1 every exited process ends up here.
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            pid = 0
        if pid == 0:
            time.sleep(0.2)
    for child in children:
        child.terminate()


if __name__ == "__main__":
    main()
