# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How site.yml's wall time grows with the fleet: 1, 5, 10, 20 lab hosts, one run.

    .venv/bin/python bench/bench_fleet.py [--sizes 1 5 10 20] [--repeat 3] [--json out.json]

Each size gets a fresh lab fleet (nftables hosts over SSH), and a playbook
that only runs ansible.builtin.ping on it, as the floor of the same SSH path.  Every host is a
Linux workstation in host mode with egress filtering (webrtc_client), as
examples/inventory describes; purecloud.firewall.site runs with its default
rollout (one host, then the rest), forks as large as the fleet, pipelining
and SSH reuse.  Measured: the first converge, then a no-change run, medians
over --repeat rounds (the rules are removed between rounds, over the same
SSH connections' control sockets), and where the CPU time of a converge
goes: the controller (ansible-playbook and its workers) and the rest of the
machine (the lab hosts' sshd, Python and nft, and the SSH masters).  Needs root.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "lab"))
from labkit import build, topology  # noqa: E402

VENV_BIN = os.path.dirname(sys.executable)


def machine_cpu():
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    with open("/proc/stat") as handle:
        ticks = [int(value) for value in handle.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(inventory, extra, playbook, forks, *args):
    """(wall seconds, changed count, controller CPU seconds, rest of the machine's CPU seconds)."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
               ANSIBLE_PIPELINING="true", ANSIBLE_FORKS=str(forks), PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    machine, controller = machine_cpu(), children_cpu()
    started = time.monotonic()
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", inventory, "-i", extra, playbook]
                          + list(args), capture_output=True, text=True, env=env, timeout=900, check=False)
    elapsed = time.monotonic() - started
    controller = children_cpu() - controller
    machine = machine_cpu() - machine
    if done.returncode != 0:
        raise SystemExit("%s failed:\n%s" % (playbook, done.stdout[-3000:]))
    changed = sum(int(part.split("=")[1]) for line in done.stdout.splitlines() if "changed=" in line
                  for part in line.split() if part.startswith("changed="))
    return elapsed, changed, controller, max(machine - controller, 0.0)


def measure(size, repeat, workdir):
    lab = build.Lab("bfleet")
    lab.down()
    lab.up(topology.load("fleet", {"count": str(size)}))
    extra = os.path.join(workdir, "site.yml")
    with open(extra, "w") as handle:
        handle.write(topology.FLEET_SITE_INVENTORY)
    site = os.path.join(REPO, "playbooks", "site.yml")
    ping = os.path.join(workdir, "ping.yml")
    with open(ping, "w") as handle:
        handle.write("- hosts: fleet\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n")
    converge, no_change, changed, floor, controller, hosts = [], [], [], [], [], []
    try:
        for _round in range(repeat):
            # The floor, in the same lab: one module run per host over the same SSH path.
            floor.append(run(lab.inventory_path, extra, ping, max(size, 5))[0])
            seconds, count, on_controller, elsewhere = run(lab.inventory_path, extra, site, max(size, 5))
            converge.append(seconds)
            changed.append(count)
            controller.append(on_controller)
            hosts.append(elsewhere)
            seconds, count, _on_controller, _elsewhere = run(lab.inventory_path, extra, site, max(size, 5))
            no_change.append(seconds)
            if count:
                raise SystemExit("the no-change run changed %d things on %d hosts" % (count, size))
            run(lab.inventory_path, extra, site, max(size, 5), "-e", "purecloud_firewall_state=absent")
    finally:
        lab.down()
    return {"hosts": size, "converge": statistics.median(converge), "no_change": statistics.median(no_change),
            "ping": statistics.median(floor), "controller_cpu": statistics.median(controller),
            "hosts_cpu": statistics.median(hosts), "converge_runs": converge, "no_change_runs": no_change,
            "ping_runs": floor, "changed_on_converge": changed}


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    hosts = [r["hosts"] for r in results]
    figure, axis = plt.subplots(figsize=(6, 3.6), dpi=100)
    axis.plot(hosts, [r["converge"] for r in results], "o-", label="first converge")
    axis.plot(hosts, [r["no_change"] for r in results], "s-", label="no-change run")
    axis.plot(hosts, [r["ping"] for r in results], "^--", color="grey", label="ansible.builtin.ping (floor)")
    axis.plot(hosts, [results[0]["converge"] * 3] * len(hosts), ":", color="grey", label="3 x one host")
    axis.set_xlabel("lab hosts (forks = hosts)")
    axis.set_ylabel("site.yml wall time (s)")
    axis.set_xticks(hosts)
    axis.set_ylim(bottom=0)
    axis.grid(alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--plot", help="write a PNG plot here (needs matplotlib)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        results = [measure(size, args.repeat, workdir) for size in args.sizes]
    print("| hosts | first converge | no-change run | converge / one host's | ping playbook | ping / one host's "
          "| converge CPU: controller | converge CPU: lab hosts and SSH |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print("| %d | %.2f s | %.2f s | %.2f | %.2f s | %.2f | %.2f s | %.2f s |" % (
            r["hosts"], r["converge"], r["no_change"], r["converge"] / results[0]["converge"], r["ping"],
            r["ping"] / results[0]["ping"], r["controller_cpu"], r["hosts_cpu"]))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1)
    if args.plot:
        plot(results, args.plot)


if __name__ == "__main__":
    main()
