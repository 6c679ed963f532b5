# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a plan's rules as the firewalld_state module's input.

Gateway mode: one owned zone per source class, bound by its networks (so
firewalld classifies forwarded packets by source address); one owned
policy per source zone towards ANY zone, whose rich rules accept the
class's flows, to destination ipsets where the destination class has
networks and to any address where it has none.  The policy's target is the
default policy for everything else the zone forwards.

Host mode: no zone of its own (the host's interfaces stay in the zones
they are in); a policy from ANY zone to HOST accepting the flows towards
the host's class from their source ipsets, and with egress filtering a
policy from HOST to ANY zone accepting the flows the host's class sends.
Policies run before zones, so with the drop default only the listed flows
(and the management SSH the module adds) reach the host.  firewalld limits
zone and policy names to 17 characters, hence the short class names.

With DNS-fed destinations (a ``DnsPlan``), the site's clients resolve
through this host's dnsmasq: a gateway's zones let DNS in to it, and a host
that filters its egress lets DNS out only to dnsmasq's resolvers.  The flows
themselves stay open to any address here; ``render_nft.render_dns_guard``
holds them to the lookups, as firewalld (before 2.0) gives its ipsets no
timeout on the nftables backend.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import by_family
from ansible_collections.purecloud.firewall.plugins.module_utils.dns_sets import DnsPlan
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Addresses, Rule

MODES = ("gateway", "host")
TARGETS = {"drop": "REJECT", "accept": "CONTINUE"}


class _Names:
    """Endpoint class -> its short name in firewalld objects (the catalog's ``short``)."""

    def __init__(self, short_names: Mapping[str, str]) -> None:
        self.short_names = short_names

    def __call__(self, cls: str) -> str:
        try:
            return self.short_names[cls]
        except KeyError:
            raise PurecloudFirewallError("no firewalld name for endpoint class %r" % cls) from None


def _ipset(ipsets: Dict[str, Dict[str, Any]], prefix: str, short: str, family: int, cidrs: List[str]) -> str:
    name = "%s_%s%d" % (prefix, short, family)
    ipsets.setdefault(name, {"name": name, "family": "inet" if family == 4 else "inet6", "entries": cidrs})
    return name


def _rich_rules(rule: Rule, ipsets: Dict[str, Dict[str, Any]], prefix: str, short: _Names,
                match_source: bool, match_destination: bool) -> List[str]:
    """Rich rules accepting ``rule``, per address family, by ipset on the sides that are matched.

    Either side with networks restricts the families, matched or not (a
    flow from IPv4-only networks has no IPv6 rule); two sides of "any" give
    one rule per family.
    """
    sides: List[Tuple[str, str, Addresses]] = []
    if match_source:
        sides.append(("source", rule.source_class, rule.sources))
    if match_destination:
        sides.append(("destination", rule.destination_class, rule.destinations))
    families = [4, 6]
    for cidrs in (rule.sources, rule.destinations):
        if cidrs != ANY:
            present = by_family(cidrs)
            families = [f for f in families if present[f]]
    result = []
    for family in families:
        match = ""
        for side, cls, cidrs in sides:
            if cidrs != ANY:
                match += ' %s ipset="%s"' % (side, _ipset(ipsets, prefix, short(cls), family,
                                                          by_family(cidrs)[family]))
        for port in rule.ports:
            result.append('rule family="%s"%s port port="%s" protocol="%s" accept'
                          % ("ipv4" if family == 4 else "ipv6", match, port, rule.protocol))
    return result


def _policy(name: str, ingress: List[str], egress: List[str], default_policy: str) -> Dict[str, Any]:
    return {"name": name, "ingress_zones": ingress, "egress_zones": egress, "target": TARGETS[default_policy],
            "rich_rules": []}


def render_state(rules: Sequence[Rule], mode: str = "gateway", host_class: Optional[str] = None,
                 default_policy: str = "drop", egress_filtering: bool = False,
                 prefix: str = "purecloud", short_names: Optional[Mapping[str, str]] = None,
                 dns: Optional[DnsPlan] = None) -> Dict[str, Any]:
    """The firewalld_state arguments for a plan's ``rules`` in gateway or host mode.

    ``short_names`` maps each endpoint class to its name in firewalld objects (the catalog's ``short``);
    ``dns`` is render_nft's.
    """
    if mode not in MODES:
        raise PurecloudFirewallError("bad mode %r; expected one of: %s" % (mode, ", ".join(MODES)))
    if default_policy not in TARGETS:
        raise PurecloudFirewallError("bad default policy %r; expected drop or accept" % (default_policy,))
    if mode == "host" and not host_class:
        raise PurecloudFirewallError("host mode needs the host's endpoint class (host_class)")
    short = _Names(short_names or {})
    zones: Dict[str, Dict[str, Any]] = {}
    ipsets: Dict[str, Dict[str, Any]] = {}
    policies: Dict[str, Dict[str, Any]] = {}
    for rule in rules:
        if mode == "gateway":
            if rule.sources == ANY:
                raise PurecloudFirewallError("rule from %s: a gateway needs the source class's networks"
                                             % rule.source_class)
            zone = "%s_%s" % (prefix, short(rule.source_class))
            zones.setdefault(zone, dict({"name": zone, "sources": list(rule.sources)},
                                        **({"services": ["dns"]} if dns is not None else {})))
            # A policy may not share its zone's name: purecloud_edge (zone), purecloud-edge (policy).
            name = "%s-%s" % (prefix, short(rule.source_class))
            policy = policies.setdefault(name, _policy(name, [zone], ["ANY"], default_policy))
            policy["rich_rules"].extend(_rich_rules(rule, ipsets, prefix, short, False, True))
            continue
        if rule.destination_class == host_class:
            policy = policies.setdefault("in", _policy("%s-in" % prefix, ["ANY"], ["HOST"], default_policy))
            policy["rich_rules"].extend(_rich_rules(rule, ipsets, prefix, short, True, False))
        if egress_filtering and rule.source_class == host_class:
            policy = policies.setdefault("out", _policy("%s-out" % prefix, ["HOST"], ["ANY"], default_policy))
            policy["rich_rules"].extend(_rich_rules(rule, ipsets, prefix, short, False, True))
    if mode == "host":
        # A host whose class receives nothing still gets its (empty) inbound policy: drop means drop.
        policies.setdefault("in", _policy("%s-in" % prefix, ["ANY"], ["HOST"], default_policy))
        if egress_filtering:
            out = policies.setdefault("out", _policy("%s-out" % prefix, ["HOST"], ["ANY"], default_policy))
            if dns is not None:  # this host's dnsmasq asks its resolvers, and nobody else is asked
                out["rich_rules"].extend(
                    'rule family="%s" destination address="%s" port port="%d" protocol="%s" accept'
                    % ("ipv6" if ":" in server.address else "ipv4", server.address, server.port, protocol)
                    for server in dns.upstreams for protocol in ("udp", "tcp"))
    for policy in policies.values():
        # Flows to several "any" destinations can share a rule; firewalld keeps one.
        policy["rich_rules"] = list(dict.fromkeys(policy["rich_rules"]))
    return {"prefix": prefix, "zones": sorted(zones.values(), key=lambda z: z["name"]),
            "ipsets": sorted(ipsets.values(), key=lambda s: s["name"]),
            "policies": sorted(policies.values(), key=lambda p: p["name"])}
