# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab: throwaway hosts in network namespaces, reached by Ansible over SSH.

  python3 tests/lab/lab.py up site --id demo -p gateway_kind=firewalld   build, print the inventory path
  python3 tests/lab/lab.py probe demo rows.yml                             real packets; exit 1 on a mismatch
  python3 tests/lab/lab.py page-rows demo flows.yml hosts.json --out rows.yml   the page's flows as probe rows
  python3 tests/lab/lab.py down demo                                       remove everything the lab made
  python3 tests/lab/lab.py down --all                                      every lab under the lab directory

Needs root.  Addresses stay in 198.51.100.0/24 and 203.0.113.0/24; the root
namespace gets none of them (see topology.py and build.py).
"""

import argparse
import json
import os
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from labkit import build, page_flows, probe, topology  # noqa: E402


def parse_params(pairs):
    params = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit("-p expects key=value, got %r" % pair)
        params[key] = value
    return params


def cmd_up(args):
    topo = topology.load(args.topology, parse_params(args.param))
    lab = build.Lab(args.id, args.dir)
    try:
        state = lab.up(topo)
    except BaseException:
        # A failed or interrupted build leaves nothing behind (unless asked, to debug it).
        if not args.keep_on_failure:
            lab.down()
        raise
    print(json.dumps({"id": lab.id, "inventory": lab.inventory_path, "hosts": len(state["hosts"]),
                      "internet": len(state["internet"]), "seconds": state["seconds"]}))


def cmd_down(args):
    ids = args.ids
    if args.all:
        ids = sorted(os.listdir(args.dir)) if os.path.isdir(args.dir) else []
    for lab_id in ids:
        started = time.monotonic()
        removed = build.Lab(lab_id, args.dir).down()
        print("lab %s: %d namespaces removed in %.2fs" % (lab_id, len(removed), time.monotonic() - started))


def cmd_probe(args):
    lab = build.Lab(args.id, args.dir)
    with open(args.rows) as handle:
        rows = yaml.safe_load(handle)
    results = probe.run(lab.state(), rows, timeout=args.timeout)
    print(probe.table(results))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1)
    return 0 if all(r["ok"] for r in results) else 1


def cmd_page_rows(args):
    document = page_flows.load(args.flows)
    with open(args.hosts) as handle:
        contexts = json.load(handle)
    rows, report = page_flows.draw(document, contexts, build.Lab(args.id, args.dir).state())
    with open(args.out, "w") as handle:
        yaml.safe_dump(rows, handle, allow_unicode=True, sort_keys=False, width=1000)
    print("\n".join(report))
    print("%d page flow probes (%d expected to pass, %d expected refused) written to %s"
          % (len(rows), sum(1 for r in rows if r["expect"] == "allow"),
             sum(1 for r in rows if r["expect"] == "deny"), args.out))


def cmd_leftovers(args):
    found = build.leftovers(build.Lab(args.id, args.dir))
    print("\n".join(found) if found else "lab %s: nothing left" % args.id)
    return 1 if found else 0


def cmd_status(args):
    lab = build.Lab(args.id, args.dir)
    print(json.dumps(lab.state(), indent=2))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default=build.DEFAULT_BASE, help="where labs keep their files")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="build a lab")
    up.add_argument("topology")
    up.add_argument("--id", default="lab")
    up.add_argument("-p", "--param", action="append", help="topology parameter key=value")
    up.add_argument("--keep-on-failure", action="store_true", help="leave a failed lab in place to debug it")
    up.set_defaults(func=cmd_up)
    down = sub.add_parser("down", help="tear labs down")
    down.add_argument("ids", nargs="*")
    down.add_argument("--all", action="store_true")
    down.set_defaults(func=cmd_down)
    prb = sub.add_parser("probe", help="send probes, compare with expectations")
    prb.add_argument("id")
    prb.add_argument("rows")
    prb.add_argument("--timeout", type=float, default=1.0)
    prb.add_argument("--json", help="also write the results here")
    prb.set_defaults(func=cmd_probe)
    page = sub.add_parser("page-rows", help="draw probe rows from the hand-written page flows for the given hosts")
    page.add_argument("id")
    page.add_argument("flows", help="the page flows (extensions/molecule/shared/page_flows.yml)")
    page.add_argument("hosts", help="JSON list of host contexts: products, mode, class, options, networks, endpoints")
    page.add_argument("--out", required=True, help="where the probe rows go")
    page.set_defaults(func=cmd_page_rows)
    left = sub.add_parser("leftovers", help="list what of a lab is still on the machine; exit 1 if anything")
    left.add_argument("id")
    left.set_defaults(func=cmd_leftovers)
    status = sub.add_parser("status", help="print a lab's state")
    status.add_argument("id")
    status.set_defaults(func=cmd_status)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("the lab needs root (network namespaces)")
    try:
        return args.func(args) or 0
    except (topology.TopologyError, build.LabError, probe.ProbeError, page_flows.PageFlowError) as exc:
        print("lab: %s" % exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
