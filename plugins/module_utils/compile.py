# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compile: selected requirements + a site's networks -> abstract rules.

A requirement is a flow between endpoint classes; a site says which CIDRs
each class is.  The compiled rule set is what every renderer (nftables,
firewalld, network devices, reports) starts from: one rule per (source
class, destination class, protocol), ports merged, CIDRs aggregated, the
requirement ids kept for comments.  Rows that cannot be resolved (a site
class without networks, a vendor-specified row without ports) are returned
as ``skipped`` with the reason, never guessed.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import normalize_ports

ANY = "any"


def resolve_networks(networks: Mapping[str, Any]) -> Dict[str, Any]:
    """Check a site's class -> CIDRs map; values are a list of CIDRs or ``any``."""
    if not isinstance(networks, Mapping):
        raise PurecloudFirewallError("networks must be a mapping of endpoint class to a list of CIDRs or 'any'")
    resolved: Dict[str, Any] = {}
    for cls, value in networks.items():
        if value == ANY:
            resolved[cls] = ANY
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not value:
            raise PurecloudFirewallError(
                "networks.%s must be a non-empty list of CIDRs or 'any', got %r" % (cls, value))
        try:
            resolved[cls] = aggregate_cidrs(value)
        except PurecloudFirewallError as exc:
            raise PurecloudFirewallError("networks.%s: %s" % (cls, exc)) from None
    return resolved


def compile_rules(requirements: Sequence[Mapping[str, Any]], networks: Mapping[str, Any],
                  required: Sequence[str]) -> Dict[str, Any]:
    """Compile selected requirements (lookup ``requirements`` output) for a site.

    A row touching a ``required`` class (the site's own, and those only the
    user can know) without networks is skipped with the reason; other classes
    without networks mean any address.  Two destinations of one row that are
    not required classes and resolve to the same addresses are one flow,
    under the first: with the cloud at any address, the Genesys media blocks
    add no rule beside the cloud's.

    Returns ``{"rules": [...], "skipped": [...]}``.  Each rule has
    ``source_class``, ``destination_class``, ``sources`` and
    ``destinations`` (CIDR lists, or ``any``), ``protocol``, ``ports``,
    ``ids`` and ``applications``.
    """
    resolved = resolve_networks(networks)
    groups: Dict[Tuple[str, str, str], Dict[str, Any]] = {}
    skipped: List[Dict[str, str]] = []
    for req in requirements:
        rid = req.get("id", "?")
        if not req.get("ports"):
            skipped.append({"id": rid, "reason": "no ports: set port variable %r" % req.get("ports_from")})
            continue
        destinations = _distinct_destinations(req["destination"], resolved, required)
        for src in req["source"]:
            for dst in destinations:
                reason = _unresolved(resolved, src, required) or _unresolved(resolved, dst, required)
                if reason:
                    skipped.append({"id": rid, "reason": reason})
                    continue
                key = (src, dst, req["protocol"])
                group = groups.setdefault(key, {"ports": [], "ids": [], "applications": []})
                group["ports"].extend(req["ports"])
                _append_once(group["ids"], rid)
                _append_once(group["applications"], req.get("application", ""))
    rules = []
    for (src, dst, protocol), group in sorted(groups.items()):
        rules.append({
            "source_class": src,
            "destination_class": dst,
            "sources": resolved.get(src, ANY),
            "destinations": resolved.get(dst, ANY),
            "protocol": protocol,
            "ports": normalize_ports(group["ports"]),
            "ids": group["ids"],
            "applications": [a for a in group["applications"] if a],
        })
    return {"rules": rules, "skipped": _unique(skipped)}


def rules_as_text(compiled: Mapping[str, Any]) -> List[str]:
    """A fixed-width table of compiled rules, one line each, for a terminal."""
    header = ("FROM", "TO", "PROTO", "PORTS", "REQUIREMENTS")
    lines = [header]
    for rule in compiled.get("rules", []):
        lines.append((
            "%s %s" % (rule["source_class"], _cidrs(rule["sources"])),
            "%s %s" % (rule["destination_class"], _cidrs(rule["destinations"])),
            rule["protocol"],
            ",".join(rule["ports"]),
            ", ".join(rule["ids"]),
        ))
    widths = [max(len(row[i]) for row in lines) for i in range(len(header) - 1)]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] for row in lines]
    for skip in compiled.get("skipped", []):
        text.append("skipped %s: %s" % (skip["id"], skip["reason"]))
    return text


def _cidrs(value: Any) -> str:
    return "(any)" if value == ANY else "(%s)" % ", ".join(value)


def _distinct_destinations(classes: Sequence[str], resolved: Mapping[str, Any],
                           required: Sequence[str]) -> List[str]:
    kept: List[str] = []
    seen = []
    for cls in classes:
        if cls not in required:
            addresses = resolved.get(cls, ANY)
            if addresses in seen:
                continue
            seen.append(addresses)
        kept.append(cls)
    return kept


def _unresolved(resolved: Mapping[str, Any], cls: str, required: Sequence[str]) -> str:
    if cls in required and cls not in resolved:
        return "no networks given for class %r" % cls
    return ""


def _append_once(items: List[str], value: str) -> None:
    if value not in items:
        items.append(value)


def _unique(rows: List[Dict[str, str]]) -> List[Dict[str, str]]:
    seen = set()  # type: set
    result = []
    for row in rows:
        key = (row["id"], row["reason"])
        if key not in seen:
            seen.add(key)
            result.append(row)
    return result
