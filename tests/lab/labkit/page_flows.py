# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The page's flows, written by hand, as probe rows for the hosts of one lab run.

The list (extensions/molecule/shared/page_flows.yml) says what the vendor's
page requires, product by product; it never comes from the compiled rules or
the catalog, so a compile error shows as a flow the host refuses.  For each
host the verify describes (a context: its products, mode, class, the
scenario's options, networks and lab endpoints), every listed flow of its
products becomes rows of the probe harness (probe.py): expected to pass,
expected refused where a scenario option leaves the page's row out, or
skipped with the reason where the lab cannot hold the host to it.
"""

import ipaddress

import yaml

PROTOCOLS = ("tcp", "udp")
SOURCES = ("page", "current")
FLOW_KEYS = {"from", "to", "proto", "ports", "row", "source", "change", "only_with", "left_out_by", "configurable"}
NOT_PROBED_KEYS = {"row", "why", "source"}
CONTEXT_KEYS = {"host", "products", "mode", "host_class", "edition", "networks", "endpoints", "options",
                "port_overrides"}
SET_NAME = "page flows"


class PageFlowError(ValueError):
    pass


def load(path):
    with open(path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    check(document, path)
    return document


def check(document, where="page flows"):
    """Refuse a malformed list, naming every problem with the product and entry."""
    problems = []
    if not isinstance(document, dict):
        raise PageFlowError("%s: expected a mapping" % where)
    classes = document.get("classes")
    if not isinstance(classes, dict) or not classes:
        problems.append("classes: expected a mapping of endpoint class to the page's name for it")
        classes = {}
    if not isinstance(document.get("edition"), str):
        problems.append("edition: expected the catalog edition the list is written for")
    for cls in document.get("any_address") or []:
        if cls not in classes:
            problems.append("any_address: unknown class %r" % cls)
    flows = document.get("flows")
    if not isinstance(flows, dict) or not flows:
        problems.append("flows: expected a mapping of product to its flows")
        flows = {}
    for product, entries in flows.items():
        if not isinstance(entries, list) or not entries:
            problems.append("flows.%s: expected a list of flows" % product)
            continue
        for index, flow in enumerate(entries):
            problems.extend("flows.%s[%d]: %s" % (product, index, p) for p in _flow_problems(flow, classes))
    for product, entries in (document.get("not_probed") or {}).items():
        if product not in flows:
            problems.append("not_probed.%s: no such product in flows" % product)
        for index, entry in enumerate(entries or []):
            if not isinstance(entry, dict) or set(entry) - NOT_PROBED_KEYS or not entry.get("row") \
                    or not entry.get("why"):
                problems.append("not_probed.%s[%d]: expected row and why (and source)" % (product, index))
    if problems:
        raise PageFlowError("%s:\n  %s" % (where, "\n  ".join(problems)))


def _flow_problems(flow, classes):
    if not isinstance(flow, dict):
        return ["expected a mapping"]
    problems = ["unknown key %r" % key for key in sorted(set(flow) - FLOW_KEYS)]
    for key in ("from", "to"):
        value = flow.get(key)
        names = value if isinstance(value, list) else [value]
        if not names or any(name not in classes for name in names):
            problems.append("%s: %r; expected classes from: %s" % (key, value, ", ".join(sorted(classes))))
    if flow.get("proto") not in PROTOCOLS:
        problems.append("proto: %r; expected tcp or udp" % flow.get("proto"))
    ports = flow.get("ports")
    if not isinstance(ports, list) or not ports or \
            any(not isinstance(p, int) or isinstance(p, bool) or not 1 <= p <= 65535 for p in ports):
        problems.append("ports: %r; expected a list of ports 1-65535" % (ports,))
    if not isinstance(flow.get("row"), str) or not flow["row"].strip():
        problems.append("row: expected where the flow is read")
    if flow.get("source", "page") not in SOURCES:
        problems.append("source: %r; expected page or current" % flow.get("source"))
    if flow.get("source") == "current" and not flow.get("change"):
        problems.append("change: a flow of the current edition says what changed")
    if "only_with" in flow and "left_out_by" in flow:
        problems.append("only_with and left_out_by: at most one")
    return problems


def as_list(value):
    return value if isinstance(value, list) else [value]


def segments_of(state, name):
    """The lab segments an endpoint sits on (an internet host: the WAN)."""
    if name in state["hosts"]:
        addresses = state["hosts"][name]["interfaces"].values()
    elif name in state["internet"]:
        addresses = state["internet"][name]["addresses"]
    else:
        raise PageFlowError("endpoint %r is not a host of lab %s" % (name, state.get("id")))
    networks = dict((seg, ipaddress.ip_network(cidr)) for seg, cidr in state["segments"].items())
    return set(seg for seg, net in networks.items() for a in addresses if ipaddress.ip_address(a) in net)


def draw(document, contexts, state):
    """Probe rows for every host context, and a report of what is probed, what not and why."""
    rows, report = [], []
    for context in contexts:
        host_rows, host_report = _draw_host(document, context, state)
        rows.extend(host_rows)
        report.extend(host_report)
    _refuse_conflicts(rows)
    return rows, report


def _check_context(document, context):
    missing = CONTEXT_KEYS - set(context)
    if missing:
        raise PageFlowError("host context lacks %s" % ", ".join(sorted(missing)))
    host = context["host"]
    if context["edition"] != document["edition"]:
        raise PageFlowError("%s plans catalog edition %r; the page flows are written for %r: hold it to flows"
                            " written for its edition" % (host, context["edition"], document["edition"]))
    for product in context["products"]:
        if product not in document["flows"]:
            raise PageFlowError("%s serves %r, for which the page flows list nothing" % (host, product))
    named = set(f[k] for fs in document["flows"].values() for f in fs for k in ("only_with", "left_out_by") if k in f)
    missing = named - set(context["options"])
    if missing:
        raise PageFlowError("host context of %s lacks the options %s" % (host, ", ".join(sorted(missing))))
    if context["mode"] == "host" and not context["host_class"]:
        raise PageFlowError("%s filters in host mode but its class is not given" % host)


def _draw_host(document, context, state):
    _check_context(document, context)
    drawn = dict((product, _draw_product(document, context, state, product)) for product in context["products"])
    rows = [row for product_rows, _skipped, _elsewhere in drawn.values() for row in product_rows]
    # A row left out is not expected refused where another listed flow of the host needs the same packet.
    allowed = set(_packet(row) for row in rows if row["expect"] == "allow")
    covered = [row for row in rows if row["expect"] == "deny" and _packet(row) in allowed]
    rows = [row for row in rows if row not in covered]
    report = ["%s (%s mode; %s):" % (context["host"], context["mode"], ", ".join(context["products"]))]
    for product, (product_rows, skipped, elsewhere) in drawn.items():
        probed = [row for row in product_rows if row not in covered]
        report.append("  %s: %d flows listed, %d probes (%d expected refused)%s"
                      % (product, len(document["flows"][product]), len(probed),
                         sum(1 for row in probed if row["expect"] == "deny"),
                         "; %d from/to pairs not to or from this host" % elsewhere if elsewhere else ""))
        for src, dst, flow, reason in skipped:
            report.append("    skipped %s -> %s %s/%s (%s): %s"
                          % (src, dst, flow["proto"], ",".join(map(str, flow["ports"])), flow["row"], reason))
        for row in covered:
            if row in product_rows:
                report.append("    not expected refused, another listed flow needs it: %s" % row["why"])
        for entry in (document.get("not_probed") or {}).get(product, []):
            report.append("    not probed (%s): %s" % (entry["row"], " ".join(entry["why"].split())))
    if not any(row["expect"] == "allow" for row in rows):
        raise PageFlowError("%s: no page flow of %s is probed; the check would hold it to nothing"
                            % (context["host"], ", ".join(context["products"])))
    return rows, report


def _draw_product(document, context, state, product):
    rows, skipped, elsewhere = [], [], 0
    for flow in document["flows"][product]:
        for src in as_list(flow["from"]):
            for dst in as_list(flow["to"]):
                if context["mode"] == "host" and context["host_class"] not in (src, dst):
                    elsewhere += 1  # nothing else crosses a host's own firewall
                    continue
                pairs, reason = _endpoints(document, context, src, dst)
                reasons = [reason] if reason else []
                for source, target in pairs:
                    reason = _unprobeable(context, state, source, target, flow)
                    if reason:
                        reasons.append(reason)
                    else:
                        rows.extend(_rows(context, product, src, dst, source, target, flow))
                skipped.extend((src, dst, flow, reason) for reason in reasons)
    return rows, skipped, elsewhere


def _endpoints(document, context, src, dst):
    """The (source, target) probe endpoints of a flow, or none and the reason."""
    for cls in (src, dst):
        if cls not in document.get("any_address", []) and cls not in context["networks"]:
            return [], "the scenario gives no networks for %s" % cls
    ends = context["endpoints"]
    for cls in (src, dst):
        if not ends.get(cls):
            return [], "no lab endpoint plays %s" % cls
    if context["mode"] != "host":
        return [(ends[src][0], ends[dst][-1])], ""
    host, own = context["host"], context["host_class"]
    if src == own and dst == own:
        peers = [name for name in ends[own] if name != host]
        if not peers:
            return [], "no other lab endpoint plays %s" % own
        return [(host, peers[0]), (peers[0], host)], ""
    if src == own:
        return [(host, ends[dst][-1])], ""
    return [(ends[src][0], host)], ""


def _unprobeable(context, state, source, target, flow):
    if source == target:
        return "one lab endpoint, %s, plays both ends" % source
    if context["mode"] != "host":
        shared = segments_of(state, source) & segments_of(state, target)
        if shared:
            return "%s and %s share the lab's %s segment: the flow never crosses the gateway" \
                % (source, target, ", ".join(sorted(shared)))
    if flow.get("configurable") and context["port_overrides"]:
        return "purecloud_port_overrides may move the page's default ports"
    return ""


def _rows(context, product, src, dst, source, target, flow):
    left_out = ""
    if "only_with" in flow and not context["options"][flow["only_with"]]:
        left_out = "left out without %s" % flow["only_with"]
    if "left_out_by" in flow and context["options"][flow["left_out_by"]]:
        left_out = "left out by %s" % flow["left_out_by"]
    rows = []
    for port in flow["ports"]:
        name = "%s -> %s %s/%d" % (src, dst, flow["proto"], port)
        why = "page flow of %s%s: %s; row: %s%s" % (
            product, " (%s)" % left_out if left_out else "", name, flow["row"],
            "; current edition: %s" % flow["change"] if flow.get("change") else "")
        rows.append({"from": source, "to": target, "proto": flow["proto"], "port": port,
                     "expect": "deny" if left_out else "allow", "why": why, "set": SET_NAME,
                     "flow": "%s: %s -> %s" % (product, src, dst), "host": context["host"]})
    return rows


def _packet(row):
    return row["from"], row["to"], row["proto"], row["port"]


def _refuse_conflicts(rows):
    expected = {}
    for row in rows:
        expected.setdefault(_packet(row), {}).setdefault(row["expect"], row)
    conflicts = [found for found in expected.values() if len(found) == 2]
    if conflicts:
        raise PageFlowError("the hosts expect opposite outcomes of one packet: " + "; ".join(
            "%s: allow for %s, deny for %s" % (found["allow"]["why"], found["allow"]["host"], found["deny"]["host"])
            for found in conflicts))
