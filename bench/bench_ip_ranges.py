# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parse + filter + aggregate of AWS's ip-ranges.json: this collection against its peers, in one run.

    .venv/bin/python bench/bench_ip_ranges.py [--feed PATH] [--repeat N] [--region us-east-1]

Peers measured in the same run on the same feed:
  - stdlib: json.load + a comprehension + ipaddress.collapse_addresses;
  - ansible.utils: the same selection, aggregated with its cidr_merge filter.
Prints a Markdown table of medians (and minimums) with ratios to this collection.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FEED = os.path.join(os.path.dirname(REPO), "shared", "data", "aws-ip-ranges-2026-08-22.json")


def collection_importable():
    """Make ansible_collections.purecloud.firewall importable through Ansible's collection loader."""
    from ansible.plugins.loader import init_plugin_loader

    root = tempfile.mkdtemp(prefix="pcf-bench-")
    os.makedirs(os.path.join(root, "ansible_collections", "purecloud"))
    os.symlink(REPO, os.path.join(root, "ansible_collections", "purecloud", "firewall"))
    init_plugin_loader([root])
    return root


def timed(func, repeat):
    times = []
    result = None
    for _repetition in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return times, result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feed", default=DEFAULT_FEED)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()
    collection_importable()
    from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import load_feed, select_prefixes

    region = args.region

    def ours_parse():
        return load_feed(args.feed)

    def ours_total():
        return select_prefixes(load_feed(args.feed), region=region, family="ipv4", aggregate=True)

    doc = load_feed(args.feed)

    def ours_filter():
        return select_prefixes(doc, region=region, family="ipv4")

    def ours_filter_aggregate():
        return select_prefixes(doc, region=region, family="ipv4", aggregate=True)

    def stdlib_total():
        import ipaddress

        with open(args.feed) as handle:
            raw = json.load(handle)
        nets = [ipaddress.ip_network(p["ip_prefix"]) for p in raw["prefixes"]
                if p["region"] == region and p["service"] == "AMAZON"]
        return [str(n) for n in ipaddress.collapse_addresses(nets)]

    rows = [("this collection: parse (load_feed)", ours_parse),
            ("this collection: filter %s IPv4" % region, ours_filter),
            ("this collection: filter + aggregate", ours_filter_aggregate),
            ("this collection: parse + filter + aggregate", ours_total),
            ("stdlib json + ipaddress.collapse_addresses", stdlib_total)]
    try:
        from ansible_collections.ansible.utils.plugins.filter.cidr_merge import cidr_merge

        def utils_total():
            with open(args.feed) as handle:
                raw = json.load(handle)
            return cidr_merge([p["ip_prefix"] for p in raw["prefixes"]
                               if p["region"] == region and p["service"] == "AMAZON"], "merge")

        rows.append(("ansible.utils cidr_merge (json.load + filter + merge)", utils_total))
    except ImportError:
        pass

    results = {}
    for name, func in rows:
        func()  # warm up
        results[name] = timed(func, args.repeat)
    ours = statistics.median(results["this collection: parse + filter + aggregate"][0])
    expected = results["this collection: parse + filter + aggregate"][1]
    print("Feed: %s (%.1f MB), %d repetitions, Python %s, %d cores" % (
        os.path.basename(args.feed), os.path.getsize(args.feed) / 1e6, args.repeat,
        platform.python_version(), os.cpu_count()))
    print()
    print("| what | median | min | time relative to this collection's total |")
    print("|---|---|---|---|")
    for name, (times, result) in results.items():
        median = statistics.median(times)
        ratio = "%.2f×" % (median / ours) if "parse" in name or "json" in name else ""
        print("| %s | %.1f ms | %.1f ms | %s |" % (name, median * 1000, min(times) * 1000, ratio))
        if name.startswith(("stdlib", "ansible.utils")) and sorted(result) != sorted(expected):
            print("| (warning: %s gave %d prefixes, ours %d) | | | |" % (name, len(result), len(expected)))
    print()
    print("Result: %d aggregated prefixes from %d raw for %s IPv4 (service AMAZON)." % (
        len(expected), len(ours_filter()), region))
    return 0


if __name__ == "__main__":
    sys.exit(main())
