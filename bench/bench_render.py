# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Config size and render time per network platform, for the Edge in strict mode: one run.

    .venv/bin/python bench/bench_render.py [--feed PATH] [--repeat 7] [--platforms junos panos ...]

The site is tests/network/site.yml's (IPv4 and IPv6 networks) with the Edge
in strict mode: the feed's us-east-1 AMAZON prefixes, IPv4 and IPv6,
aggregated.  For each platform registered in platforms.PLATFORMS it renders
the site --repeat times (planning included, as apply pays it) and reports
the median and minimum, the config lines (the review text the platform
writes, else one line per entry of the vendor module's config), the
budget 2 x (prefixes + services + flows) of the plan's object set, and the
expanded form measured in the same run: one entry per source CIDR x
destination CIDR x port range, as an ACL without groups would list them.
For a platform that applies through its vendor's modules and writes a
review text besides (FortiGate, Check Point), "module inputs" counts the
module invocations the device is given.  A platform that filters one host
(Windows) renders a workstation with the WebRTC client and egress
filtering instead, against that host's own budget.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

sys.dont_write_bytecode = True

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FEED = os.path.join(os.path.dirname(REPO), "shared", "data", "aws-ip-ranges-2026-08-22.json")
sys.path.insert(0, os.path.join(REPO, "bench"))

from bench_ip_ranges import machine, make_collection_importable  # noqa: E402


def config_lines(result):
    """The review text's lines where the platform writes one, else a line per item of the module config's lists.

    A list item is what a device's configuration writes on a line of its own:
    an ACE, a term's source or destination prefix, a group's member.  The
    address groups the lists name count too: their own text where the
    collection writes it (IOS object-groups; VyOS's is in its commands), else
    their module config's items (Junos prefix-lists).
    """
    if result.get("commands") is not None:
        return len(result["commands"])

    def items(value):
        if isinstance(value, dict):
            return sum(items(v) for v in value.values())
        if isinstance(value, list):
            return sum(1 + items(v) for v in value)
        return 0

    groups = result.get("groups") or {}
    return items(result["config"]) + (len(groups["commands"]) if groups.get("commands") is not None
                                      else items(groups.get("config", [])))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feed", default=DEFAULT_FEED)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--platforms", nargs="*")
    args = parser.parse_args()
    if not os.path.isfile(args.feed):
        parser.error("no feed at %s; give one with --feed" % args.feed)

    make_collection_importable()
    import yaml

    from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
    from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import ip_version
    from ansible_collections.purecloud.firewall.plugins.module_utils.objects import build_objects
    from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import PLATFORMS
    from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
        plan_products, plan_site, render_network_site)
    from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import strict_feeds

    with open(os.path.join(REPO, "tests", "network", "site.yml")) as handle:
        site = yaml.safe_load(handle)
    settings = dict(site, products=["edge"], cloud_destinations="aws_ip_ranges", aws_ip_ranges_src=args.feed,
                    feed_allow_stale=True)  # a fixed, dated feed: its age is not the point here
    catalog = load_catalog()
    warnings = []
    feeds = strict_feeds(settings, warnings, catalog)
    plans = plan_products(settings, catalog=catalog, **feeds)
    objects = build_objects([(product, plan.rules) for product, plan in plans], catalog.site_classes)
    budget = 2 * objects.size

    def expanded_entries(rule):
        """Entries of one rule listed without groups: per family, sources x destinations x port ranges."""
        total = 0
        for family in (4, 6):
            sides = []
            for value in (rule.sources, rule.destinations):
                sides.append(1 if value == "any" else len([c for c in value if ip_version(c) == family]))
            total += sides[0] * sides[1] * len(rule.ports)
        return total

    expanded = sum(expanded_entries(rule) for _product, plan in plans for rule in plan.rules)
    prefixes = sum(len(group.cidrs) for group in objects.addresses)

    print("Site: tests/network/site.yml, edge, strict (%s, us-east-1): %d prefixes in %d groups, %d services, "
          "%d flows; budget 2 x %d = %d lines; expanded form %d entries"
          % (os.path.basename(args.feed), prefixes, len(objects.addresses), len(objects.services),
             len(objects.policies), objects.size, budget, expanded))
    print("Machine: %s; %d repetitions; median (min)" % (machine(), args.repeat))
    print()
    # A platform that filters one host (Windows) renders a host, not the Edge's gateway: a workstation running
    # the WebRTC client, with egress filtering, strict, against its own budget.
    host_settings = dict(settings, products=["webrtc_client"], host_class="workstation", egress_filtering=True)
    host_plan = plan_site(dict(host_settings, mode="host"), catalog=catalog, **feeds)
    host_budget = 2 * build_objects([("webrtc_client", host_plan.rules)], ("workstation",)).size
    print("Host-mode platforms: a workstation (webrtc_client, egress filtering, strict): budget %d lines"
          % host_budget)
    print()
    print("| platform | render | config lines | budget | lines / budget | expanded / lines | module inputs |")
    print("|---|---|---|---|---|---|---|")
    rows = {}
    for name in args.platforms or sorted(PLATFORMS):
        host = PLATFORMS[name].mode == "host"
        times = []
        result = None
        for _repetition in range(args.repeat):
            started = time.perf_counter()
            result = render_network_site(host_settings if host else settings, name, **feeds)
            times.append(time.perf_counter() - started)
        lines = config_lines(result)
        # Where the collection applies through the vendor's modules and writes a review text too, the module
        # inputs (one per object or list) are what the device is given; the text is for the reviewer.
        invocations = [step for step in result["config"] if isinstance(step, dict) and "module" in step]
        inputs = len(invocations) if PLATFORMS[name].applies and invocations else None
        limit = host_budget if host else budget
        rows[name] = {"median_s": statistics.median(times), "min_s": min(times), "lines": lines,
                      "budget": limit, "module_inputs": inputs}
        print("| %s | %.0f ms (%.0f) | %d | %d | %.2f | %s | %s |" % (
            name, statistics.median(times) * 1000, min(times) * 1000, lines, limit, lines / limit,
            "" if host else "%.1f" % (expanded / lines), "" if inputs is None else inputs))
    print()
    print(json.dumps({"budget": budget, "expanded": expanded, "platforms": rows}, sort_keys=True))


if __name__ == "__main__":
    main()
