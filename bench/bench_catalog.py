# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What editions and overlays cost the planning of a site, against the planning before them, in one run.

    .venv/bin/python bench/bench_catalog.py [--repeat 21] [--peer fc785d8]

The peer is the collection as it was before editions (a git revision,
unpacked to a temporary folder); both plan the same site, the sample site's
four products on a gateway, the way the roles plan a host:
  - peer:         the revision before editions, its one catalog;
  - 2018-11-21:   this tree, the page's edition;
  - current:      this tree, the default edition (the page plus its changes);
  - + overlay:    current with examples/catalog-overlay.yml merged over it.
Each case runs in --repeat fresh processes: "first plan" is the first
plan_site of a process (reading and checking the catalog included), "next
plans" the median of 50 more in it (the catalog cached).  This tree keeps
its own catalog files parsed, as JSON, in the cache folder: the "no parsed
copy" cases run each process with an empty home, as the first run after an
install does (later processes, one per host, read the copy).  Medians over
the processes, in milliseconds; the difference and the ratio are against the
peer.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OVERLAY = os.path.join(REPO, "examples", "catalog-overlay.yml")
SITE = {"products": ["edge", "voice", "webrtc_client", "bridge"], "region": "us-east-1", "ldap": True,
        "networks": {"edge": ["198.51.100.130/31"], "voip_phone": ["198.51.100.192/27"],
                     "workstation": ["198.51.100.224/27"], "bridge_server": ["198.51.100.140/32"],
                     "corporate_ad": ["198.51.100.150/32"]}}

DRIVER = r"""
import json, statistics, sys, time
root, settings = sys.argv[1], json.loads(sys.argv[2])
from ansible.plugins.loader import init_plugin_loader
init_plugin_loader([root])
from ansible_collections.purecloud.firewall.plugins.module_utils import site
started = time.perf_counter()
site.plan_site(settings)
first = time.perf_counter() - started
times = []
for _ in range(50):
    started = time.perf_counter()
    site.plan_site(settings)
    times.append(time.perf_counter() - started)
print(json.dumps({"first": first, "next": statistics.median(times)}))
"""


def unpack(revision, folder):
    """The collection at ``revision``, as a collections root under ``folder``."""
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=REPO, capture_output=True, check=True)
    target = os.path.join(folder, "ansible_collections", "purecloud", "firewall")
    os.makedirs(target)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target)  # our own history: trusted
    return folder


def measure(root, settings, repeat, cold=False):
    firsts, nexts = [], []
    for _round in range(repeat):
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, HOME=home) if cold else None
            done = subprocess.run([sys.executable, "-c", DRIVER, root, json.dumps(settings)], capture_output=True,
                                  text=True, check=True, env=env)
        result = json.loads(done.stdout)
        firsts.append(result["first"] * 1000)
        nexts.append(result["next"] * 1000)
    return statistics.median(firsts), statistics.median(nexts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--peer", default="fc785d8", help="the revision before editions")
    args = parser.parse_args()
    this_tree = os.path.join(REPO, ".build", "collections")
    with tempfile.TemporaryDirectory() as folder:
        peer_root = unpack(args.peer, folder)
        page, current = dict(SITE, catalog_edition="2018-11-21"), dict(SITE, catalog_edition="current")
        overlaid = dict(current, catalog_overlays=[OVERLAY])
        cases = [("peer (%s, before editions)" % args.peer, peer_root, SITE, False),
                 ("2018-11-21", this_tree, page, False),
                 ("current", this_tree, current, False),
                 ("current + overlay", this_tree, overlaid, False),
                 ("2018-11-21, no parsed copy", this_tree, page, True),
                 ("current, no parsed copy", this_tree, current, True),
                 ("current + overlay, no parsed copy", this_tree, overlaid, True)]
        measure(this_tree, current, 1)  # the parsed copies exist before the warm cases
        results = [(name,) + measure(root, settings, args.repeat, cold) for name, root, settings, cold in cases]
    peer_first, peer_next = results[0][1], results[0][2]
    print("Planning the sample site (4 products, gateway), medians of %d processes, ms\n" % args.repeat)
    print("| catalog | first plan | vs peer | next plans | vs peer |")
    print("|---|---|---|---|---|")
    for name, first, following in results:
        print("| %s | %.1f | %+.1f ms (%.2fx) | %.2f | %+.2f ms (%.2fx) |" % (
            name, first, first - peer_first, first / peer_first, following, following - peer_next,
            following / peer_next))


if __name__ == "__main__":
    main()
