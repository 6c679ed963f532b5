# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a plan's rules as the nft_table module's input.

One named set per endpoint class and address family, one rule per
compiled rule and family, the requirement ids in each rule's comment.
Gateway mode filters the forward hook; host mode the input hook (and the
output hook with egress filtering).  Stateful: established and related
return traffic is accepted first.

With DNS-fed destinations (a ``DnsPlan``), a TCP rule to a class whose
names dnsmasq resolves matches that class's timeout sets instead of any
address, and each new connection refreshes the element it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import by_family
from ansible_collections.purecloud.firewall.plugins.module_utils.dns_sets import DnsPlan, Upstream, dns_fed, nft_set_name
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Addresses, Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import normalize_ports, parse_port_spec

MODES = ("gateway", "host")
COMMENT_MAX = 120


def _split(cidrs: Addresses) -> Dict[int, List[str]]:
    """{4: [...], 6: [...]} of a CIDR list; ``any`` gives {}."""
    return {} if cidrs == ANY else by_family(cidrs)


def comment_for(ids: Sequence[str], limit: int = COMMENT_MAX) -> str:
    """The requirement ids, shortened to fit a comment limit (nft's by default)."""
    text = " ".join(ids)
    if len(text) <= limit:
        return text
    kept: List[str] = []
    for rid in ids:
        if len(" ".join(kept + [rid])) + len(" +99 more") > limit:
            break
        kept.append(rid)
    return "%s +%d more" % (" ".join(kept), len(ids) - len(kept))


def class_set_name(cls: str, version: int) -> str:
    return "%s_v%d" % (cls, version)


class _Sets:
    def __init__(self) -> None:
        self.sets: Dict[str, Dict[str, Any]] = {}

    def ref(self, cls: str, version: int, cidrs: List[str]) -> str:
        name = class_set_name(cls, version)
        self.sets.setdefault(name, {"name": name, "type": "ipv4_addr" if version == 4 else "ipv6_addr",
                                    "flags": ["interval"], "elements": list(cidrs),
                                    "comment": "purecloud.firewall class %s" % cls})
        return "@" + name

    def dns_ref(self, cls: str, version: int, timeout: int) -> str:
        name = nft_set_name(cls, version)
        self.sets.setdefault(name, {"name": name, "type": "ipv4_addr" if version == 4 else "ipv6_addr",
                                    "flags": ["dynamic", "timeout"], "timeout": timeout, "elements": [],
                                    "comment": "purecloud.firewall class %s, filled by dnsmasq" % cls})
        return "@" + name


@dataclass(frozen=True)
class _Match:
    """The address matches of a rule for one family, and the set its connections refresh (DNS-fed)."""

    addresses: str
    update: str = ""


def _dns_matches(rule: Rule, sets: _Sets, match_source: bool, timeout: int) -> List[_Match]:
    """Per family: the sources (if matched) and the class's DNS-fed set, refreshed by the connection."""
    sources = _split(rule.sources) if match_source else {}
    result = []
    for version in (4, 6):
        if sources and not sources.get(version):
            continue
        keyword = "ip" if version == 4 else "ip6"
        dns_set = sets.dns_ref(rule.destination_class, version, timeout)
        parts = ["%s saddr %s" % (keyword, sets.ref(rule.source_class, version, sources[version]))] if sources else []
        parts.append("%s daddr %s" % (keyword, dns_set))
        result.append(_Match(" ".join(parts), "update %s { %s daddr }" % (dns_set, keyword)))
    return result


def _matches(rule: Rule, sets: _Sets, match_source: bool, match_destination: bool,
             dns: Optional[DnsPlan] = None) -> List[_Match]:
    """The address matches per address family the rule needs (one empty match when neither side has any)."""
    if match_destination and dns is not None and dns_fed(rule, dns.classes):
        return _dns_matches(rule, sets, match_source, dns.ttl)
    sources = _split(rule.sources) if match_source else {}
    destinations = _split(rule.destinations) if match_destination else {}
    families = sorted(set(v for v in (4, 6) if sources.get(v)) | set(v for v in (4, 6) if destinations.get(v)))
    if not families:
        return [_Match("")]
    result = []
    for version in families:
        keyword = "ip" if version == 4 else "ip6"
        if (sources and not sources.get(version)) or (destinations and not destinations.get(version)):
            continue  # one side has no address of this family: no packet can match
        parts = []
        if sources.get(version):
            parts.append("%s saddr %s" % (keyword, sets.ref(rule.source_class, version, sources[version])))
        if destinations.get(version):
            destination_set = sets.ref(rule.destination_class, version, destinations[version])
            parts.append("%s daddr %s" % (keyword, destination_set))
        result.append(_Match(" ".join(parts)))
    return result


def _resolver_rules(upstreams: Sequence[Upstream]) -> List[str]:
    """Each resolver of the host's dnsmasq on its port, TCP and UDP."""
    rules = []
    for server in upstreams:
        keyword = "ip6" if ":" in server.address else "ip"
        rules.append("%s daddr %s meta l4proto { tcp, udp } th dport %d accept" % (keyword, server.address, server.port))
    return rules


def _statement(rule: Rule, match: _Match) -> str:
    ports = rule.ports
    dport = ports[0] if len(ports) == 1 else "{ %s }" % ", ".join(ports)
    return " ".join(p for p in (match.addresses, "%s dport %s" % (rule.protocol, dport), match.update, "accept")
                    if p)


def render_table(rules: Sequence[Rule], mode: str = "gateway", host_class: Optional[str] = None,
                 default_policy: str = "drop", egress_filtering: bool = False,
                 management: Optional[Mapping[str, Any]] = None, name: str = "purecloud",
                 dns: Optional[DnsPlan] = None) -> Dict[str, Any]:
    """The nft_table arguments for a plan's ``rules``.

    ``dns`` turns the TCP rules to its classes into matches of DNS-fed sets whose elements live its ttl; a
    host that filters its egress then lets DNS out only to its upstreams, the resolvers of its own dnsmasq.
    """
    if mode not in MODES:
        raise PurecloudFirewallError("bad mode %r; expected one of: %s" % (mode, ", ".join(MODES)))
    if default_policy not in ("drop", "accept"):
        raise PurecloudFirewallError("bad default policy %r; expected drop or accept" % (default_policy,))
    if mode == "host" and not host_class:
        raise PurecloudFirewallError("host mode needs the host's endpoint class (host_class)")
    sets = _Sets()
    chains, statements = [], []
    if mode == "gateway":
        wanted = [("forward", "forward", list(rules), True, True)]
    else:
        wanted = [("input", "input", [r for r in rules if r.destination_class == host_class], True, False)]
        if egress_filtering:
            wanted.append(("output", "output", [r for r in rules if r.source_class == host_class], False, True))
    for chain, hook, selected, match_source, match_destination in wanted:
        chains.append({"name": chain, "hook": hook, "policy": default_policy})
        statements.append({"chain": chain, "rule": "ct state established,related accept",
                           "comment": "return traffic"})
        if hook in ("input", "output"):
            statements.append({"chain": chain, "rule": "%s lo accept" % ("iif" if hook == "input" else "oif"),
                               "comment": "loopback"})
        if hook == "output" and dns is not None:
            statements.extend({"chain": chain, "rule": rule, "comment": "dnsmasq's resolvers"}
                              for rule in _resolver_rules(dns.upstreams))
        for rule in selected:
            for match in _matches(rule, sets, match_source, match_destination, dns):
                statements.append({"chain": chain, "rule": _statement(rule, match),
                                   "comment": comment_for(rule.ids)})
    spec: Dict[str, Any] = {"name": name, "family": "inet", "chains": chains,
                            "sets": sorted(sets.sets.values(), key=lambda s: s["name"]), "rules": statements}
    if management:
        spec["management"] = dict(management)
    return spec


def _overlaps(spec: str, others: Sequence[str]) -> bool:
    first, last = parse_port_spec(spec)
    return any(o_first <= last and first <= o_last for o_first, o_last in (parse_port_spec(o) for o in others))


def _source_matches(cls: str, sources: Addresses) -> List[str]:
    """The source match per family of a class's networks (its sets, as render_table names them)."""
    if sources == ANY:
        return [""]
    return ["%s saddr @%s" % ("ip" if version == 4 else "ip6", class_set_name(cls, version))
            for version, cidrs in sorted(by_family(sources).items()) if cidrs]


def render_dns_guard(rules: Sequence[Rule], dns: DnsPlan, mode: str = "gateway", host_class: Optional[str] = None,
                     egress_filtering: bool = False, name: str = "purecloud_dns") -> Dict[str, Any]:
    """A table of its own that holds the DNS-fed flows to their lookups beside a firewall that cannot.

    firewalld accepts those flows to any address; this table, in the same
    hook, drops a new connection on their ports unless the destination is
    in the class's DNS-fed set or in the destinations of another of the
    source's flows on that port.  A port some flow of the source opens to
    any address is left alone, as the firewall lets it through anyway.
    """
    if mode == "gateway":
        relevant = [r for r in rules if r.protocol == "tcp"]
    else:
        relevant = [r for r in rules if r.protocol == "tcp" and egress_filtering and r.source_class == host_class]
    guarded: Dict[str, List[str]] = {}
    for source in dict.fromkeys(r.source_class for r in relevant):
        own = [r for r in relevant if r.source_class == source]
        fed = [port for r in own if dns_fed(r, dns.classes) for port in r.ports]
        open_ports = [port for r in own if not dns_fed(r, dns.classes) and r.destinations == ANY for port in r.ports]
        ports = [port for port in dict.fromkeys(fed) if not _overlaps(port, open_ports)]
        if ports:
            guarded[source] = normalize_ports(ports)
    kept = [r for r in relevant
            if r.source_class in guarded and any(_overlaps(p, guarded[r.source_class]) for p in r.ports)]
    spec = render_table(kept, mode=mode, host_class=host_class, default_policy="accept",
                        egress_filtering=egress_filtering, name=name, dns=dns)
    chain = "forward" if mode == "gateway" else "output"
    spec["chains"] = [c for c in spec["chains"] if c["name"] == chain]
    spec["rules"] = [r for r in spec["rules"] if r["chain"] == chain]
    for source, ports in guarded.items():
        dport = ports[0] if len(ports) == 1 else "{ %s }" % ", ".join(ports)
        networks = next(r.sources for r in kept if r.source_class == source) if mode == "gateway" else ANY
        for match in _source_matches(source, networks):
            statement = " ".join(p for p in (match, "tcp dport %s" % dport, "drop") if p)
            spec["rules"].append({"chain": chain, "rule": statement,
                                  "comment": "%s: only to a looked-up address" % source})
    return spec
