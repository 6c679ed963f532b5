# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parse, filter and aggregate AWS's ip-ranges.json: this collection against its peers, in one run.

    python bench/bench_ip_ranges.py [--feed PATH] [--repeat N] [--region us-east-1]

Steps, each timed over N repetitions (median and minimum), contenders
interleaved within each repetition so that a busy machine slows all alike:

  parse      read and decode the feed (ours also checks every entry)
  filter     the region's IPv4 prefixes of service AMAZON
  aggregate  merge them into the fewest covering CIDRs
  total      all three from the file, as a playbook would pay them

Peers: the standard library (json + ipaddress.collapse_addresses) and, when
importable, ansible.utils' cidr_merge filter (its filter entry point, with
the argument validation a playbook runs) over the same stdlib selection.
Prints a Markdown table of medians (minimums in brackets) and time ratios.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib.util
import ipaddress
import json
import os
import platform
import statistics
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the repository

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FEED = os.path.join(os.path.dirname(REPO), "shared", "data", "aws-ip-ranges-2026-08-22.json")
SERVICE = "AMAZON"


def _importable(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def make_collection_importable():
    """Import path for ansible_collections.purecloud.firewall; a temporary symlink only when needed.

    When the collection is not already importable (no collections path on
    sys.path), a temporary directory holding ansible_collections/purecloud/
    firewall -> this repository goes on sys.path, and is removed at exit.
    Nothing is created inside the repository.
    """
    if _importable("ansible_collections.purecloud.firewall"):
        return
    top = tempfile.mkdtemp(prefix="purecloud-firewall-bench-")
    namespace = os.path.join(top, "ansible_collections", "purecloud")
    os.makedirs(namespace)
    link = os.path.join(namespace, "firewall")
    os.symlink(REPO, link)

    def remove():
        # Unlink the symlink itself, then the empty directories: never walk into the repository.
        os.unlink(link)
        os.rmdir(namespace)
        os.rmdir(os.path.dirname(namespace))
        os.rmdir(top)

    atexit.register(remove)
    sys.path.insert(0, top)
    importlib.invalidate_caches()


def machine():
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            model = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return "%s, nproc %d, Python %s" % (model, cores, platform.python_version())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feed", default=DEFAULT_FEED, help="an ip-ranges.json file (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=21, help="repetitions per step (default: %(default)s)")
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not os.path.isfile(args.feed):
        parser.error("no feed at %s; give one with --feed" % args.feed)

    make_collection_importable()
    from ansible_collections.purecloud.firewall.plugins.module_utils import ip_ranges as ours_module
    from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs
    from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import load_feed, select_prefixes

    feed, region = args.feed, args.region

    # ---------------------------------------------------------- contenders
    def std_parse():
        with open(feed, "rb") as handle:
            return json.load(handle)

    def std_filter(raw):
        return [p["ip_prefix"] for p in raw["prefixes"] if p["region"] == region and p["service"] == SERVICE]

    def std_aggregate(prefixes):
        return [str(n) for n in ipaddress.collapse_addresses(ipaddress.ip_network(p) for p in prefixes)]

    def ours_total():
        return select_prefixes(load_feed(feed), region=region, service=SERVICE, family="ipv4", aggregate=True)

    doc, raw = load_feed(feed), std_parse()
    selected = select_prefixes(doc, region=region, service=SERVICE, family="ipv4")
    std_selected = std_filter(raw)
    contenders = {
        "ours": {
            "parse": lambda: load_feed(feed),
            "filter": lambda: select_prefixes(doc, region=region, service=SERVICE, family="ipv4"),
            "aggregate": lambda: aggregate_cidrs(selected),
            "total": ours_total,
        },
        "stdlib": {
            "parse": std_parse,
            "filter": lambda: std_filter(raw),
            "aggregate": lambda: std_aggregate(std_selected),
            "total": lambda: std_aggregate(std_filter(std_parse())),
        },
    }
    utils_version = None
    if _importable("ansible_collections.ansible.utils.plugins.filter.cidr_merge"):
        from ansible_collections.ansible.utils.plugins.filter.cidr_merge import FilterModule as UtilsFilters

        utils_merge = UtilsFilters().filters()["cidr_merge"]  # what {{ x | ansible.utils.cidr_merge }} calls
        contenders["ansible.utils"] = {
            "aggregate": lambda: utils_merge(None, std_selected),
            "total": lambda: utils_merge(None, std_filter(std_parse())),
        }
        try:
            import ansible_collections.ansible.utils as utils_package

            with open(os.path.join(list(utils_package.__path__)[0], "MANIFEST.json")) as handle:
                utils_version = json.load(handle)["collection_info"]["version"]
        except (OSError, ValueError, KeyError, IndexError):
            utils_version = "?"

    # Same answer from everyone, or the timings mean nothing.
    reference = contenders["ours"]["total"]()
    for name, steps in contenders.items():
        answer = steps["total"]()
        if sorted(map(ipaddress.ip_network, answer)) != sorted(map(ipaddress.ip_network, reference)):
            sys.exit("%s disagrees: %d prefixes against our %d" % (name, len(answer), len(reference)))

    # -------------------------------------------------------------- timing
    steps = ("parse", "filter", "aggregate", "total")
    times = {(name, step): [] for name, table in contenders.items() for step in table}
    for name, table in contenders.items():  # warm up
        for func in table.values():
            func()
    for _repetition in range(args.repeat):
        for step in steps:
            for name, table in contenders.items():
                if step in table:
                    gc.collect()
                    started = time.perf_counter()
                    table[step]()
                    times[(name, step)].append(time.perf_counter() - started)

    # ------------------------------------------------------------- report
    def cell(name, step):
        if (name, step) not in times:
            return "—"
        series = times[(name, step)]
        return "%.1f ms (%.1f)" % (statistics.median(series) * 1000, min(series) * 1000)

    def ratio(name, step):
        if (name, step) not in times:
            return "—"
        return "%.2f" % (statistics.median(times[(name, step)]) / statistics.median(times[("ours", step)]))

    peers = [name for name in contenders if name != "ours"]
    labels = {"stdlib": "stdlib json + ipaddress", "ansible.utils": "ansible.utils cidr_merge %s" % utils_version}
    print("Feed: %s (%.1f MB, %d IPv4 + %d IPv6 entries); %s IPv4, service %s: %d prefixes -> %d aggregated"
          % (os.path.basename(feed), os.path.getsize(feed) / 1e6, len(raw["prefixes"]), len(raw["ipv6_prefixes"]),
             region, SERVICE, len(selected), len(reference)))
    print("Machine: %s; %d repetitions; median (min) per step" % (machine(), args.repeat))
    print("Code measured: %s" % os.path.dirname(os.path.realpath(ours_module.__file__)))
    print()
    header = ["step", "this collection"] + [labels[p] for p in peers] + ["%s / ours" % labels[p].split()[0] for p in peers]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for step in steps:
        row = [step, cell("ours", step)] + [cell(p, step) for p in peers] + [ratio(p, step) for p in peers]
        print("| " + " | ".join(row) + " |")
    print()
    print("Ratios are time ratios of medians: above 1, the peer takes longer than this collection.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
