# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS-fed destinations on Linux (``purecloud_cloud_destinations: domains``).

The HTTPS flows to a cloud class go only to addresses a lookup of the
class's names returned: dnsmasq resolves for the site's clients and adds
every answer for those names to the class's set (``nftset=``), where it
lives for the set's timeout.  dnsmasq adds an element without a timeout of
its own and the kernel does not refresh one that exists, so the collection
makes the cache and the set agree instead: dnsmasq keeps no answer, and
hands out none, for longer than the set keeps an element
(``max-cache-ttl``, ``max-ttl``), and on nftables each new connection
refreshes the element it used.

dnsmasq picks one ``nftset`` line per query, the longest matching domain,
so a name covered by several classes' domains carries all their sets on
its own line.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Rule

DROPIN = "/etc/dnsmasq.d/purecloud-firewall.conf"
DEFAULT_TTL = 300
MAX_TTL = 3600  # dnsmasq's own ceiling for a cache ttl


def nft_set_name(cls: str, version: int) -> str:
    return "%s_dns_v%d" % (cls, version)


def dns_fed(rule: Rule, dns_names: Optional[Mapping[str, Sequence[str]]]) -> bool:
    """Whether the rule's destinations are a DNS-fed set: TCP to a class with names, at any address."""
    return bool(dns_names) and rule.protocol == "tcp" and rule.destinations == ANY \
        and rule.destination_class in (dns_names or {})


def dns_classes(rules: Sequence[Rule], domains: Mapping[str, Sequence[str]]) -> Dict[str, Tuple[str, ...]]:
    """The classes some rule reaches through a DNS-fed set, with their names."""
    return dict((cls, tuple(domains[cls])) for cls in dict.fromkeys(
        rule.destination_class for rule in rules if dns_fed(rule, domains)))


def dnsmasq_domain(name: str) -> str:
    """The page's ``*.example.com`` as dnsmasq matches it (the domain and every name under it)."""
    domain = name[2:] if name.startswith("*.") else name
    if not domain or "*" in domain or "/" in domain or "#" in domain or " " in domain:
        raise PurecloudFirewallError("domain %r cannot be resolved into a set: dnsmasq matches a domain and "
                                     "the names under it, written example.com or *.example.com" % (name,))
    return domain.lower().rstrip(".")


@dataclass(frozen=True)
class Upstream:
    """A resolver dnsmasq forwards to: an address, and a port other than 53 if given as ``address#port``."""

    address: str
    port: int = 53

    @property
    def server(self) -> str:
        return self.address if self.port == 53 else "%s#%d" % (self.address, self.port)


def upstreams(value: object, variable: str = "purecloud_dns_upstream") -> Tuple[Upstream, ...]:
    """The resolvers dnsmasq asks: a non-empty list of IP addresses (``address#port`` for another port)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise PurecloudFirewallError(
            "%s is %r: with purecloud_cloud_destinations: domains, dnsmasq needs the resolvers it forwards to, "
            "a list of IP addresses such as ['198.51.100.53'] (address#port for a port other than 53)"
            % (variable, value))
    found = []
    for item in value:
        text = str(item)
        address, _sep, port = text.partition("#")
        try:
            parsed = ipaddress.ip_address(address)
            number = int(port) if port else 53
        except ValueError:
            parsed, number = None, 0
        if parsed is None or not 1 <= number <= 65535:
            raise PurecloudFirewallError("%s has %r: an IP address (address#port for a port other than 53) is "
                                         "expected" % (variable, item))
        found.append(Upstream(str(parsed), number))
    return tuple(dict.fromkeys(found))


def check_ttl(value: object, variable: str = "purecloud_dns_ttl") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TTL:
        raise PurecloudFirewallError("%s is %r: the seconds an answer and its set element live, 1 to %d"
                                     % (variable, value, MAX_TTL))
    return value


@dataclass(frozen=True)
class DnsPlan:
    """What a host needs to resolve its DNS-fed destinations: each class's names, the resolvers, the ttl."""

    names: Tuple[Tuple[str, Tuple[str, ...]], ...]
    upstreams: Tuple[Upstream, ...]
    ttl: int

    @property
    def classes(self) -> Dict[str, Tuple[str, ...]]:
        return dict(self.names)

    def as_dict(self) -> Dict[str, Any]:
        return {"classes": dict((cls, list(names)) for cls, names in self.names),
                "upstream": [server.server for server in self.upstreams], "ttl": self.ttl}


def dns_plan(rules: Sequence[Rule], domains: Mapping[str, Sequence[str]], upstream: object, ttl: object
             ) -> DnsPlan:
    """The DNS plan of ``rules``; the resolvers are checked if given (a Linux backend requires them)."""
    servers = upstreams(upstream) if upstream else ()
    return DnsPlan(tuple(dns_classes(rules, domains).items()), servers, check_ttl(ttl))


def nftset_lines(dns_names: Mapping[str, Sequence[str]], targets: Mapping[str, Sequence[str]]) -> List[str]:
    """``nftset=`` lines: each domain with the sets of every class whose domains cover it.

    ``targets`` maps a class to its sets as dnsmasq names them (``4#inet#purecloud#purecloud_dns_v4``).
    Domains with the same sets share a line.
    """
    own: Dict[str, List[str]] = {}
    for cls, names in dns_names.items():
        for name in names:
            own.setdefault(dnsmasq_domain(name), []).append(cls)
    by_sets: Dict[Tuple[str, ...], List[str]] = {}
    for domain in sorted(own):
        covering = [cls for other, classes in own.items() if domain == other or domain.endswith("." + other)
                    for cls in classes]
        sets = tuple(dict.fromkeys(target for cls in sorted(set(covering)) for target in targets[cls]))
        if sets:
            by_sets.setdefault(sets, []).append(domain)
    return ["nftset=/%s/%s" % ("/".join(domains), ",".join(sets)) for sets, domains in by_sets.items()]


def dnsmasq_conf(dns_names: Mapping[str, Sequence[str]], targets: Mapping[str, Sequence[str]],
                 servers: Sequence[Upstream], ttl: int, region: str) -> str:
    """The collection's dnsmasq drop-in."""
    lines = ["# Managed by purecloud.firewall: the names of %s, each answer added to its class's set." % region,
             "# The sets keep an element %d s; no answer is kept or handed out for longer." % ttl,
             "no-resolv"]
    lines += ["server=%s" % server.server for server in servers]
    lines += ["max-cache-ttl=%d" % ttl, "max-ttl=%d" % ttl]
    lines += nftset_lines(dns_names, targets)
    return "\n".join(lines) + "\n"
