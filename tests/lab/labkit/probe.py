# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The probe harness: rows of (from, to, proto, port, expect) -> real packets -> a table.

Rows are grouped by source host; each group runs concurrently inside its
host's network namespace (probe_agent.py), every probe bounded by the
timeout, so a few hundred rows take seconds.  A row's ``to`` is an address
or a lab name: ``edge1`` (the host's first segment address) or an internet
host (``purecloud``).  Lab hosts get real sockets on the probed ports for
the run (probe_agent.py --listen); internet hosts answer every port.
"""

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe_agent.py")
MAX_ROWS = 5000
PROTOCOLS = ("tcp", "udp")
EXPECTS = ("allow", "deny")


class ProbeError(ValueError):
    pass


def resolve_address(state, name):
    if name in state["hosts"]:
        interfaces = state["hosts"][name]["interfaces"]
        return sorted(interfaces.values())[0] if interfaces else state["hosts"][name]["address"]
    if name in state["internet"]:
        return state["internet"][name]["addresses"][0]
    return name


def check_rows(state, rows):
    if len(rows) > MAX_ROWS:
        raise ProbeError("%d rows: at most %d per run" % (len(rows), MAX_ROWS))
    sources = dict(state["hosts"], **state["internet"])
    checked = []
    for index, row in enumerate(rows):
        where = "row %d" % (index + 1)
        if row.get("from") not in sources:
            raise ProbeError("%s: from %r; expected one of: %s" % (where, row.get("from"), ", ".join(sorted(sources))))
        if row.get("proto") not in PROTOCOLS:
            raise ProbeError("%s: proto %r; expected tcp or udp" % (where, row.get("proto")))
        if not isinstance(row.get("port"), int) or not 1 <= row["port"] <= 65535:
            raise ProbeError("%s: port %r; expected 1-65535" % (where, row.get("port")))
        if row.get("expect") not in EXPECTS:
            raise ProbeError("%s: expect %r; expected allow or deny" % (where, row.get("expect")))
        checked.append(dict(row, to=resolve_address(state, str(row["to"])), target=str(row["to"])))
    return checked


def run(state, rows, timeout=1.0):
    """Probe every row; returns the rows with ``outcome``, ``detail``, ``ms`` and ``ok``."""
    rows = check_rows(state, rows)
    by_source = {}
    for index, row in enumerate(rows):
        by_source.setdefault(row["from"], []).append(dict(row, index=index))
    sources = dict(state["hosts"], **state["internet"])

    def run_group(item):
        source, group = item
        request = json.dumps({"timeout": timeout, "probes": group})
        done = subprocess.run(["ip", "netns", "exec", sources[source]["ns"], "/usr/bin/python3", AGENT],
                              input=request, capture_output=True, text=True,
                              timeout=timeout * (len(group) // 64 + 2) + 10, check=True)
        return json.loads(done.stdout)

    results = [None] * len(rows)
    listeners = _start_listeners(state, rows, timeout)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            for group_results in pool.map(run_group, by_source.items()):
                for result in group_results:
                    result["ok"] = result["outcome"] == result["expect"]
                    results[result.pop("index")] = result
            # A reply lost on a busy machine looks like a drop: an expected flow that
            # timed out gets one more try, with twice the time.  A refusal, or a
            # packet that passed where it should not, is never retried.
            retry = {}
            for index, result in enumerate(results):
                if result["expect"] == "allow" and result["detail"] == "timeout":
                    retry.setdefault(result["from"], []).append(dict(rows[index], index=index))
            timeout *= 2
            for group_results in pool.map(run_group, retry.items()):
                for result in group_results:
                    result["ok"] = result["outcome"] == result["expect"]
                    result["retried"] = True
                    results[result.pop("index")] = result
    finally:
        for listener in listeners:
            listener.stdin.close()
            listener.wait(timeout=10)
    return results


def _start_listeners(state, rows, timeout):
    """Real sockets on the probed ports of lab hosts (internet hosts answer every port already)."""
    wanted = {}
    for row in rows:
        if row["target"] in state["hosts"]:
            wanted.setdefault(row["target"], set()).add((row["proto"], row["port"]))
    listeners = []
    for name, ports in wanted.items():
        listener = subprocess.Popen(
            ["ip", "netns", "exec", state["hosts"][name]["ns"], "/usr/bin/python3", AGENT, "--listen"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        listener.stdin.write(json.dumps({"listen": sorted(ports), "seconds": 60 + timeout * len(rows)}) + "\n")
        listener.stdin.flush()
        listeners.append(listener)
    for listener in listeners:
        if not listener.stdout.readline().startswith("ready"):
            raise ProbeError("a listener did not start")
    return listeners


def table(results):
    """A fixed-width table; rows that say why they are probed (traffic_matrix's) get a WHY column."""
    why = any(r.get("why") for r in results)
    header = ("FROM", "TO", "PROTO/PORT", "EXPECT", "GOT", "DETAIL", "") + (("WHY",) if why else ())
    lines = [header]
    for r in results:
        lines.append((r["from"], "%s (%s)" % (r["target"], r["to"]) if r["target"] != r["to"] else r["to"],
                      "%s/%d" % (r["proto"], r["port"]), r["expect"], r["outcome"], r["detail"],
                      "ok" if r["ok"] else "MISMATCH") + ((r.get("why", ""),) if why else ()))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    text = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
    bad = sum(1 for r in results if not r["ok"])
    passed = sum(1 for r in results if r["ok"] and r["expect"] == "allow")
    refused = sum(1 for r in results if r["ok"] and r["expect"] == "deny")
    text.append("%d probes, %d as expected (%d required flows passed, %d denied samples refused), %d mismatched"
                % (len(results), len(results) - bad, passed, refused, bad))
    return "\n".join(text)
