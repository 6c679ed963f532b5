# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The routers: the collection's renderers (vendor resource modules' config) vs Aerleon's generators, one run.

    .venv/bin/python bench/bench_aerleon_routers.py [--feed PATH] [--repeat 7]

The site is bench_render.py's: tests/network/site.yml with the Edge in
strict mode (the feed's us-east-1 prefixes, IPv4 and IPv6).  For each router
platform it measures, --repeat times (median and minimum), planning
included: the collection's render_network_site and its config lines (as
bench_render counts them), and Aerleon 1.18 rendering the same object set
through its generator for that platform (cisco, cisconx, arista, juniper;
Aerleon has no VyOS generator), in-process as render_aerleon does, counting
the non-blank lines of its text.  For IOS both of Aerleon's forms: mixed
(expanded IPv4 and IPv6 entries) and object-group (its object-groups are
IPv4 only, so IPv6 stays expanded in an inet6 filter).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time

sys.dont_write_bytecode = True

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))

from bench_ip_ranges import machine, make_collection_importable  # noqa: E402
from bench_render import DEFAULT_FEED, config_lines  # noqa: E402

# Collection backend -> (Aerleon generator module, its target, the filter options of each form).
ROUTERS = {
    "cisco_ios": ("cisco", "cisco", {"mixed": ["mixed"], "object-group": ["object-group", "inet6"]}),
    "cisco_nxos": ("cisconx", "cisconx", {"mixed": ["mixed"]}),
    "arista_eos": ("arista", "arista", {"mixed": ["mixed"]}),
    "junos": ("juniper", "juniper", {"mixed": ["mixed"]}),
}


def timed(repeat, call):
    times, result = [], None
    for _repetition in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times), min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feed", default=DEFAULT_FEED)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not os.path.isfile(args.feed):
        parser.error("no feed at %s; give one with --feed" % args.feed)

    make_collection_importable()
    logging.getLogger("absl").setLevel(logging.ERROR)  # Aerleon's "LARGE TERM" notices, not results
    import importlib

    import yaml

    from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
    from ansible_collections.purecloud.firewall.plugins.module_utils.objects import DIRECTIONS, build_objects
    from ansible_collections.purecloud.firewall.plugins.module_utils.render_aerleon import AerleonRenderer
    from ansible_collections.purecloud.firewall.plugins.module_utils.site import plan_products, render_network_site
    from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import strict_feeds

    with open(os.path.join(REPO, "tests", "network", "site.yml")) as handle:
        site = yaml.safe_load(handle)
    settings = dict(site, products=["edge"], cloud_destinations="aws_ip_ranges", aws_ip_ranges_src=args.feed,
                    feed_allow_stale=True)
    catalog = load_catalog()
    feeds = strict_feeds(settings, [], catalog)

    class AerleonRouter(AerleonRenderer):
        """Aerleon's generator of one router platform, fed the plan's objects like the perimeter platforms."""

        name = "aerleon_router"
        label = "Aerleon router"

        def __init__(self, module, target, filter_types):
            self.generator, self.target, self.filter_types = module, target, filter_types
            AerleonRenderer.__init__(self, {})

        def generator_class(self, aerleon):
            generators = importlib.import_module("aerleon.lib.%s" % self.generator)
            aerleon = dict(aerleon, **{self.generator: generators})
            return AerleonRenderer.generator_class(self, aerleon)

        def filters(self, objects):
            found = []
            for direction in DIRECTIONS:
                terms = [self.term(objects, p) for p in objects.policies if p.direction == direction]
                for kind in self.filter_types if terms else ():
                    found.append({"header": {"targets": {self.target: "PURECLOUD-EDGE-%s-%s %s" % (
                        direction.upper(), kind.upper().replace("-", ""), kind)}}, "terms": terms})
            return found

    def aerleon_render(renderer):
        plans = plan_products(settings, catalog=catalog, **feeds)
        objects = build_objects([(product, plan.rules) for product, plan in plans], catalog.site_classes)
        return [line for line in renderer.review_lines(renderer.generate(objects), objects) if line.strip()]

    print("Site: tests/network/site.yml, edge, strict (%s, us-east-1); machine: %s; %d repetitions; median (min)"
          % (os.path.basename(args.feed), machine(), args.repeat))
    print()
    print("| platform | collection lines | collection render | Aerleon form | Aerleon lines | Aerleon render |")
    print("|---|---|---|---|---|---|")
    rows = {}
    for backend, (module, target, forms) in ROUTERS.items():
        result, median, least = timed(args.repeat, lambda: render_network_site(settings, backend, **feeds))
        rows[backend] = {"collection": {"lines": config_lines(result), "median_s": median, "min_s": least}}
        for form, filter_types in forms.items():
            renderer = AerleonRouter(module, target, filter_types)
            lines, a_median, a_least = timed(args.repeat, lambda: aerleon_render(renderer))
            rows[backend]["aerleon " + form] = {"lines": len(lines), "median_s": a_median, "min_s": a_least}
            print("| %s | %d | %.0f ms (%.0f) | %s %s | %d | %.0f ms (%.0f) |" % (
                backend, config_lines(result), median * 1000, least * 1000, module, form, len(lines),
                a_median * 1000, a_least * 1000))
    print()
    print(json.dumps(rows, sort_keys=True))


if __name__ == "__main__":
    main()
