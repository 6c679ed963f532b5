# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Applying the same rules three ways, on lab hosts over SSH, in one run.

    .venv/bin/python bench/bench_apply.py [--repeat 3] [--feed ../shared/data/aws-ip-ranges-2026-08-22.json]
                                          [--plot docs/apply-vs-set-size.png]

The rules: the edge, voice and webrtc_client rows of the catalog, one item
per source class, port and protocol (55 items, overlapping as on the page).
  - this collection: purecloud.firewall.firewalld_state / nft_table, one task;
  - ansible.posix.firewalld in a loop, one task per item, as users write today;
  - a templated nftables file and a reload handler.
First converge and no-change run, medians over --repeat rounds, wall time of
ansible-playbook (pipelining and SSH reuse on for all).  Then strict mode:
every us-east-1 prefix of the real feed (IPv4 and IPv6, aggregated) as sets,
applied by each module (the task's own time).  Needs root (the lab).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "lab"))
from labkit import build, topology  # noqa: E402

VENV_BIN = os.path.dirname(sys.executable)
DEFAULT_FEED = os.path.join(os.path.dirname(REPO), "shared", "data", "aws-ip-ranges-2026-08-22.json")
ZONE_OF = {"edge": "purecloud_edge", "voip_phone": "purecloud_phone", "workstation": "purecloud_ws"}
SOURCES = {"edge": "198.51.100.128/28", "voip_phone": "198.51.100.192/27", "workstation": "198.51.100.224/27"}


def catalog_items():
    """(source class, port, protocol) for every row, source and port of the three products."""
    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader([os.path.join(REPO, ".build", "collections")])
    from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog

    # The page's edition: the items the figures in docs/PERFORMANCE.md were measured with.
    rows = load_catalog(edition="2018-11-21").select(["edge", "voice", "webrtc_client"])
    return [(src, port, row.protocol) for row in rows for src in row.source for port in row.ports]


def playbooks(items):
    zones = sorted(set(ZONE_OF[s] for s, _p, _proto in items))
    posix_loop = [{"name": "ansible.posix.firewalld, one task per item", "hosts": "fw1", "gather_facts": False,
                   "tasks": [
                       {"name": "Zones", "ansible.posix.firewalld": {"zone": "{{ item }}", "state": "present",
                                                                     "permanent": True},
                        "loop": zones, "notify": "Reload"},
                       {"name": "Zone sources", "ansible.posix.firewalld": {
                           "zone": "{{ item.zone }}", "source": "{{ item.source }}", "state": "enabled",
                           "permanent": True}, "loop": [{"zone": ZONE_OF[c], "source": s} for c, s in SOURCES.items()],
                        "notify": "Reload"},
                       {"name": "Zones active before their ports", "ansible.builtin.meta": "flush_handlers"},
                       {"name": "Ports", "ansible.posix.firewalld": {
                           "zone": "{{ item.0 }}", "port": "{{ item.1 }}", "state": "enabled", "permanent": True,
                           "immediate": True},
                        "loop": [[ZONE_OF[s], "%s/%s" % (p, proto)] for s, p, proto in items]}],
                   "handlers": [{"name": "Reload", "ansible.builtin.command": "firewall-cmd --reload"}]}]
    by_zone = {}
    for source, port, proto in items:
        by_zone.setdefault(ZONE_OF[source], []).append("%s/%s" % (port, proto))
    ours_firewalld = [{"name": "purecloud.firewall.firewalld_state", "hosts": "fw1", "gather_facts": False,
                       "tasks": [{"name": "Apply", "purecloud.firewall.firewalld_state": {
                           "zones": [{"name": zone, "sources": [SOURCES[c] for c, z in ZONE_OF.items() if z == zone],
                                      "ports": ports} for zone, ports in sorted(by_zone.items())]}}]}]
    by_class = {}
    for source, port, proto in items:
        by_class.setdefault((source, proto), []).append(port)
    rules = [{"chain": "forward", "rule": "ip saddr %s %s dport { %s } accept" % (
        SOURCES[src], proto, ", ".join(sorted(set(ports), key=lambda p: int(p.split("-")[0]))))}
        for (src, proto), ports in sorted(by_class.items())]
    nft_args = {"chains": [{"name": "forward", "hook": "forward", "policy": "drop"}],
                "rules": [{"chain": "forward", "rule": "ct state established,related accept"}] + rules}
    ours_nft = [{"name": "purecloud.firewall.nft_table", "hosts": "nft1", "gather_facts": False,
                 "tasks": [{"name": "Apply", "purecloud.firewall.nft_table": nft_args}]}]
    template_text = "table inet bench\ndelete table inet bench\ntable inet bench {\n chain forward {\n" \
        "  type filter hook forward priority filter; policy drop;\n  ct state established,related accept\n" + \
        "".join("  %s\n" % r["rule"].replace("ip saddr", "ip saddr", 1) for r in rules) + " }\n}\n"
    templated = [{"name": "templated nftables file and a reload", "hosts": "nft1", "gather_facts": False,
                  "tasks": [{"name": "Rule set file", "ansible.builtin.copy": {
                      "dest": "/etc/bench.nft", "content": template_text, "mode": "0600"}, "notify": "Reload"}],
                  "handlers": [{"name": "Reload", "ansible.builtin.command": "nft -f /etc/bench.nft"}]}]
    # What a user's site playbook runs: the roles' one task, planned from the catalog on the controller.
    site = {"products": ["edge", "voice", "webrtc_client"], "region": "us-east-1", "networks": dict(
        (cls, [cidr]) for cls, cidr in SOURCES.items())}
    roles = dict(("roles_%s" % backend, [{"name": "purecloud.firewall.apply", "hosts": host, "gather_facts": False,
                                          "tasks": [{"name": "Apply", "purecloud.firewall.apply": dict(
                                              site, backend=backend)}]}])
                 for backend, host in (("firewalld", "fw1"), ("nftables", "nft1")))
    return dict(roles, posix_loop=posix_loop, ours_firewalld=ours_firewalld, ours_nft=ours_nft, templated=templated)


class Runner:
    def __init__(self, lab, workdir):
        self.lab, self.workdir = lab, workdir
        self.env = dict(os.environ, ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json",
                        ANSIBLE_PIPELINING="1", ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
                        PATH=VENV_BIN + os.pathsep + os.environ["PATH"])

    def play(self, name, plays):
        path = os.path.join(self.workdir, name + ".yml")
        with open(path, "w") as handle:
            json.dump(plays, handle)
        started = time.perf_counter()
        done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", self.lab.inventory_path, path],
                              capture_output=True, text=True, env=self.env, timeout=1800, check=False)
        wall = time.perf_counter() - started
        result = json.loads(done.stdout)
        if done.returncode != 0:
            raise SystemExit("%s failed: %s" % (name, done.stdout[-3000:]))
        changed = sum(s["changed"] for s in result["stats"].values())
        return wall, changed, result

    def task_seconds(self, result, task_name):
        for play in result["plays"]:
            for task in play["tasks"]:
                if task["task"]["name"] == task_name:
                    duration = task["task"]["duration"]
                    return _seconds(duration["end"]) - _seconds(duration["start"])
        raise KeyError(task_name)

    def shell(self, host, command):
        info = self.lab.state()["hosts"][host]
        subprocess.run(["nsenter", "-t", str(self.lab.init_pid(info)), "-a", "/bin/sh", "-c", command],
                       check=True, capture_output=True)


def _seconds(stamp):
    from datetime import datetime

    return datetime.strptime(stamp.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def reset_firewalld(runner):
    runner.shell("fw1", "for z in $(firewall-cmd --permanent --get-zones); do case $z in purecloud*) "
                        "firewall-cmd -q --permanent --delete-zone=$z;; esac; done; firewall-cmd -q --reload")


def reset_nft(runner):
    runner.shell("nft1", "nft delete table inet purecloud 2>/dev/null; nft delete table inet bench 2>/dev/null; "
                         "rm -f /etc/bench.nft /etc/nftables.d/inet-purecloud.nft; true")


def remover(host, backend):
    """A reset that removes what the roles' path applied, by its own state=absent."""
    def reset(runner):
        runner.play("remove", [{"name": "remove", "hosts": host, "gather_facts": False, "tasks": [
            {"name": "Remove", "purecloud.firewall.apply": {"products": ["edge"], "region": "us-east-1",
                                                            "backend": backend, "state": "absent"}}]}])
    return reset


def measure(runner, name, plays, reset, repeat):
    converge, no_change, changes = [], [], []
    for _round in range(repeat):
        reset(runner)
        wall, changed_first, _result = runner.play(name, plays)
        converge.append(wall)
        wall, changed_second, _result = runner.play(name, plays)
        no_change.append(wall)
        changes.append(changed_second)
    return statistics.median(converge), statistics.median(no_change), max(changes)


def strict_sets(feed_path):
    """Every us-east-1 prefix of the feed, all services, aggregated, by the collection's own code."""
    from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import load_feed, select_prefixes

    feed = load_feed(feed_path)
    return tuple(select_prefixes(feed, region="us-east-1", service=None, family=family, aggregate=True)
                 for family in ("ipv4", "ipv6"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--feed", default=DEFAULT_FEED)
    parser.add_argument("--plot", help="write the apply time against set size plot here (needs matplotlib)")
    args = parser.parse_args()
    items = catalog_items()
    books = playbooks(items)
    lab = build.Lab("bench")
    lab.down()
    lab.up(topology.load("single"))
    try:
        with tempfile.TemporaryDirectory() as workdir:
            runner = Runner(lab, workdir)
            contenders = (("this collection: firewalld_state", "ours_firewalld", reset_firewalld),
                          ("ansible.posix.firewalld loop", "posix_loop", reset_firewalld),
                          ("this collection: nft_table", "ours_nft", reset_nft),
                          ("templated nftables file + reload", "templated", reset_nft),
                          ("this collection, the roles' task (apply, firewalld)", "roles_firewalld",
                           remover("fw1", "firewalld")),
                          ("this collection, the roles' task (apply, nftables)", "roles_nftables",
                           remover("nft1", "nftables")))
            rows = [(label, measure(runner, name, books[name], reset, args.repeat))
                    for label, name, reset in contenders]
            report(items, rows, args.repeat)
            if os.path.exists(args.feed):
                strict(runner, args.feed, args.repeat)
                set_sizes(runner, args.feed, args.repeat, args.plot)
    finally:
        lab.down()


def report(items, rows, repeat):
    print("%d items (%d unique source/port/protocol), %d rounds, medians of ansible-playbook wall time\n"
          % (len(items), len(set(items)), repeat))
    print("| how | first converge | no-change run | changed on the no-change run |")
    print("|---|---|---|---|")
    for name, (converge, no_change, changed) in rows:
        print("| %s | %.2f s | %.2f s | %d |" % (name, converge, no_change, changed))
    ours, loop = rows[0][1], rows[1][1]
    print("\nfirewalld_state vs the ansible.posix.firewalld loop: converge %.1f× faster, no-change %.1f× faster"
          % (loop[0] / ours[0], loop[1] / ours[1]))
    nft, templ = rows[2][1], rows[3][1]
    print("nft_table vs the templated file: converge %.2f×, no-change %.2f× (time ratio, template / ours)"
          % (templ[0] / nft[0], templ[1] / nft[1]))
    roles_fw, roles_nft = rows[4][1], rows[5][1]
    print("the roles' task on firewalld vs the ansible.posix.firewalld loop: converge %.1f×, no-change %.1f×"
          % (loop[0] / roles_fw[0], loop[1] / roles_fw[1]))
    print("the roles' task on nftables vs the templated file: converge %.2f×, no-change %.2f×\n"
          % (templ[0] / roles_nft[0], templ[1] / roles_nft[1]))


def strict_compute(feed, repeat):
    """Controller time of strict mode: read the feed, select and aggregate, plan and render a site, per backend."""
    from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import load_feed, select_prefixes
    from ansible_collections.purecloud.firewall.plugins.module_utils.site import plan_site, render_site

    site = {"products": ["edge", "voice", "webrtc_client"], "region": "us-east-1", "cloud_destinations": "aws_ip_ranges",
            "networks": dict((cls, [cidr]) for cls, cidr in SOURCES.items())}
    timings = {"nftables": [], "firewalld": []}
    for _round in range(repeat):
        for backend in timings:
            started = time.perf_counter()
            prefixes = select_prefixes(load_feed(feed), region="us-east-1", aggregate=True)
            render_site(plan_site(site, aws_prefixes=prefixes), backend)
            timings[backend].append(time.perf_counter() - started)
    print("Strict mode, controller side: feed read + us-east-1 prefixes (IPv4 and IPv6, aggregated) + plan + render\n")
    print("| backend | compute (median of %d) |" % repeat)
    print("|---|---|")
    for backend, values in timings.items():
        print("| %s | %.3f s |" % (backend, statistics.median(values)))
    print()


def strict(runner, feed, repeat):
    strict_compute(feed, max(repeat, 5))
    v4, v6 = strict_sets(feed)
    nft_args = {"chains": [{"name": "forward", "hook": "forward", "policy": "drop"}],
                "sets": [{"name": "aws4", "type": "ipv4_addr", "flags": ["interval"], "elements": v4},
                         {"name": "aws6", "type": "ipv6_addr", "flags": ["interval"], "elements": v6}],
                "rules": [{"chain": "forward", "rule": "ip daddr @aws4 tcp dport 443 accept"},
                          {"chain": "forward", "rule": "ip6 daddr @aws6 tcp dport 443 accept"}]}
    fwd_args = {"ipsets": [{"name": "purecloud_aws4", "entries": v4},
                           {"name": "purecloud_aws6", "family": "inet6", "entries": v6}]}
    results = {}
    for name, host, module, task_args, reset in (
            ("nftables (nft_table)", "nft1", "purecloud.firewall.nft_table", nft_args, remover("nft1", "nftables")),
            ("firewalld (firewalld_state)", "fw1", "purecloud.firewall.firewalld_state", fwd_args,
             remover("fw1", "firewalld"))):
        plays = [{"name": "strict", "hosts": host, "gather_facts": False,
                  "tasks": [{"name": "Apply", module: task_args}]}]
        timings = []
        for _round in range(repeat):
            reset(runner)  # everything purecloud* goes, ipsets included
            _wall, _changed, result = runner.play("strict", plays)
            timings.append(runner.task_seconds(result, "Apply"))
        results[name] = statistics.median(timings)
    print("Strict mode: us-east-1, all services, %d IPv4 + %d IPv6 aggregated prefixes as sets\n" % (len(v4), len(v6)))
    print("| backend | apply (module task, median) |")
    print("|---|---|")
    for name, seconds in results.items():
        print("| %s | %.2f s |" % (name, seconds))
    return results


def set_sizes(runner, feed, repeat, plot_path):
    """Apply time against set size: the first N prefixes of every region's aggregated IPv4 list."""
    from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import load_feed, select_prefixes

    everything = select_prefixes(load_feed(feed), region=None, service=None, family="ipv4", aggregate=True)
    sizes = [n for n in (100, 500, 1000, 2000) if n < len(everything)] + [len(everything)]
    series = {"nftables": [], "firewalld": []}
    for size in sizes:
        chosen = everything[:size]
        cases = (("nftables", "nft1", "purecloud.firewall.nft_table",
                  {"chains": [{"name": "forward", "hook": "forward", "policy": "drop"}],
                   "sets": [{"name": "aws4", "type": "ipv4_addr", "flags": ["interval"], "elements": chosen}],
                   "rules": [{"chain": "forward", "rule": "ip daddr @aws4 tcp dport 443 accept"}]}),
                 ("firewalld", "fw1", "purecloud.firewall.firewalld_state",
                  {"ipsets": [{"name": "purecloud_aws4", "entries": chosen}]}))
        for backend, host, module, task_args in cases:
            timings = []
            for _round in range(repeat):
                remover(host, backend)(runner)
                plays = [{"name": "size", "hosts": host, "gather_facts": False,
                          "tasks": [{"name": "Apply", module: task_args}]}]
                _wall, _changed, result = runner.play("size", plays)
                timings.append(runner.task_seconds(result, "Apply"))
            series[backend].append(statistics.median(timings))
    print("Apply time against set size (IPv4 prefixes of every region, aggregated, first N)\n")
    print("| prefixes | nft_table | firewalld_state |")
    print("|---|---|---|")
    for index, size in enumerate(sizes):
        print("| %d | %.2f s | %.2f s |" % (size, series["nftables"][index], series["firewalld"][index]))
    if plot_path:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        figure, axis = plt.subplots(figsize=(6, 3.6), dpi=100)
        axis.plot(sizes, series["nftables"], "o-", label="nft_table (one transaction)")
        axis.plot(sizes, series["firewalld"], "s-", label="firewalld_state (ipset over D-Bus)")
        axis.set_xlabel("prefixes in the set")
        axis.set_ylabel("module task time (s)")
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
        axis.legend()
        figure.tight_layout()
        figure.savefig(plot_path)


if __name__ == "__main__":
    main()
