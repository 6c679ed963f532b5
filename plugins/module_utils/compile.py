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
as ``skipped``, saying what would bring them in, never guessed.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Sequence, Tuple, Union

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Requirement
from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import (
    ANY, NO_NETWORKS, NO_PORTS, Addresses, Compiled, Rule, Skip)
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import normalize_ports

# A site's networks as given: class -> CIDRs (a list, or one), or ``any``.
Networks = Mapping[str, Union[str, Sequence[str]]]


def resolve_networks(networks: Networks) -> Dict[str, Addresses]:
    """Check a site's class -> CIDRs map; values are a list of CIDRs or ``any``."""
    if not isinstance(networks, Mapping):
        raise PurecloudFirewallError("networks must be a mapping of endpoint class to a list of CIDRs or 'any'")
    resolved: Dict[str, Addresses] = {}
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
            resolved[cls] = tuple(aggregate_cidrs(value))
        except PurecloudFirewallError as exc:
            raise PurecloudFirewallError("networks.%s: %s" % (cls, exc)) from None
    return resolved


def compile_rules(requirements: Sequence[Requirement], networks: Networks, required: Sequence[str]) -> Compiled:
    """Compile selected requirements for a site.

    A row touching a ``required`` class (the site's own, and those only the
    user can know) without networks is skipped, saying which; other classes
    without networks mean any address.  Two destinations of one row that are
    not required classes and resolve to the same addresses are one flow,
    under the first: with the cloud at any address, the Genesys media blocks
    add no rule beside the cloud's.  One rule per (source class,
    destination class, protocol), its ports merged, in that order.
    """
    resolved = resolve_networks(networks)
    groups: Dict[Tuple[str, str, str], Tuple[List[str], List[str], List[str]]] = {}
    skipped: List[Skip] = []
    for req in requirements:
        if not req.ports:
            skipped.append(Skip(req.id, NO_PORTS, req.ports_from or ""))
            continue
        destinations = _distinct_destinations(req.destination, resolved, required)
        for src in req.source:
            for dst in destinations:
                missing = [cls for cls in (src, dst) if cls in required and cls not in resolved]
                if missing:
                    skipped.append(Skip(req.id, NO_NETWORKS, missing[0]))
                    continue
                ports, ids, applications = groups.setdefault((src, dst, req.protocol), ([], [], []))
                ports.extend(req.ports)
                _append_once(ids, req.id)
                if req.application:
                    _append_once(applications, req.application)
    rules = tuple(Rule(source_class=src, destination_class=dst, sources=resolved.get(src, ANY),
                       destinations=resolved.get(dst, ANY), protocol=protocol, ports=tuple(normalize_ports(ports)),
                       ids=tuple(ids), applications=tuple(applications))
                  for (src, dst, protocol), (ports, ids, applications) in sorted(groups.items()))
    return Compiled(rules, tuple(dict.fromkeys(skipped)))


def rules_as_text(compiled: Compiled) -> List[str]:
    """A fixed-width table of compiled rules, one line each, for a terminal."""
    header = ("FROM", "TO", "PROTO", "PORTS", "REQUIREMENTS")
    lines = [header]
    for rule in compiled.rules:
        lines.append((
            "%s %s" % (rule.source_class, _cidrs(rule.sources)),
            "%s %s" % (rule.destination_class, _cidrs(rule.destinations)),
            rule.protocol,
            ",".join(rule.ports),
            ", ".join(rule.ids),
        ))
    widths = [max(len(row[i]) for row in lines) for i in range(len(header) - 1)]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] for row in lines]
    for skip in compiled.skipped:
        text.append("skipped %s: %s" % (skip.id, skip.reason))
    return text


def _cidrs(value: Addresses) -> str:
    return "(any)" if value == ANY else "(%s)" % ", ".join(value)


def _distinct_destinations(classes: Sequence[str], resolved: Mapping[str, Addresses],
                           required: Sequence[str]) -> List[str]:
    kept: List[str] = []
    seen: List[Addresses] = []
    for cls in classes:
        if cls not in required:
            addresses = resolved.get(cls, ANY)
            if addresses in seen:
                continue
            seen.append(addresses)
        kept.append(cls)
    return kept


def _append_once(items: List[str], value: str) -> None:
    if value not in items:
        items.append(value)
