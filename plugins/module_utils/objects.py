# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compiled rules as named objects: address groups, services and one policy per flow.

Perimeter firewalls (FortiGate, Check Point, PAN-OS, ASA, SRX) and the
routers' object groups filter with objects rather than expanded entries: a
flow names its source group, its destination group and its service, so a
config grows with prefixes + services + flows, not with their product.

``build_objects`` turns each product's rules into one ``ObjectSet`` for the
device: an address group per endpoint class (and per distinct set of
addresses a class takes), a service per protocol and port list, and a
policy per rule, in the plan's order, carrying the requirement ids.  Names
are the collection's (``PURECLOUD-`` by default), so everything the
collection owns on a device is recognisable and nothing else is touched.
The platform renderers read these records; none of them re-plans.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import ip_version
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Rule

DEFAULT_PREFIX = "PURECLOUD"
# The shortest name limit of the platforms that take these objects (PAN-OS: 63 characters).
NAME_MAX = 63
DIRECTIONS = ("out", "in")
_NAME_PART = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True)
class AddressGroup:
    """The addresses of one endpoint class, under one name: CIDRs (IPv4 first) or domain names."""

    name: str
    endpoint_class: str
    cidrs: Tuple[str, ...] = ()
    fqdns: Tuple[str, ...] = ()

    def of_family(self, family: int) -> Tuple[str, ...]:
        return tuple(cidr for cidr in self.cidrs if ip_version(cidr) == family)

    @property
    def families(self) -> Tuple[int, ...]:
        """The address families the group has CIDRs of (a domain group has none)."""
        return tuple(family for family in (4, 6) if self.of_family(family))


@dataclass(frozen=True)
class Service:
    """One protocol and its merged port ranges (``443``, ``5060-5061``)."""

    name: str
    protocol: str
    ports: Tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    """One compiled flow: from a group (None: any address) to a group on a service, and why."""

    name: str
    product: str
    direction: str  # "out": from a site class; "in": from a remote one
    source: Optional[str]
    destination: Optional[str]
    service: str
    rule: Rule

    @property
    def ids(self) -> Tuple[str, ...]:
        return self.rule.ids


@dataclass(frozen=True)
class ObjectSet:
    """Everything one device gets: the groups and services the policies name, and the policies in order."""

    prefix: str
    addresses: Tuple[AddressGroup, ...]
    services: Tuple[Service, ...]
    policies: Tuple[Policy, ...]

    def address(self, name: Optional[str]) -> Optional[AddressGroup]:
        """The group a policy names; None for any address."""
        if name is None:
            return None
        return next(group for group in self.addresses if group.name == name)

    def service(self, name: str) -> Service:
        return next(service for service in self.services if service.name == name)

    @property
    def size(self) -> int:
        """Prefixes (and domain names) + services + flows: what a config's length should follow."""
        return (sum(len(group.cidrs) + len(group.fqdns) for group in self.addresses)
                + len(self.services) + len(self.policies))

    def owned_names(self) -> Tuple[str, ...]:
        return tuple(item.name for item in self.addresses + self.services + self.policies)  # type: ignore[operator]


def direction_of(rule: Rule, site_classes: Sequence[str]) -> str:
    """``out`` for a flow from a site class (to the internet, or inside the site), ``in`` for one from outside."""
    return "out" if rule.source_class in site_classes else "in"


def object_name(prefix: str, *parts: str, limit: int = NAME_MAX) -> str:
    """``PURECLOUD-EDGE-OUT``: upper case, one hyphen between words; a name over ``limit`` keeps a digest."""
    words = [prefix] + [_NAME_PART.sub("-", part).strip("-").upper() for part in parts]
    name = "-".join(word for word in words if word)
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return "%s-%s" % (name[:limit - 9].rstrip("-"), digest)


class _Names:
    """Deterministic, distinct names: the same key always gets the same name within one device."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.by_key: Dict[Tuple[object, ...], str] = {}
        self.taken: Dict[str, Tuple[object, ...]] = {}

    def name(self, key: Tuple[object, ...], prefix: str, *parts: str) -> Tuple[str, bool]:
        """(name, new) for ``key``; a second key that would take the same name gets ``-2``, ``-3``, ..."""
        if key in self.by_key:
            return self.by_key[key], False
        base = object_name(prefix, *parts, limit=self.limit - 3)
        name, count = base, 1
        while name in self.taken:
            count += 1
            name = "%s-%d" % (base, count)
        self.by_key[key] = name
        self.taken[name] = key
        return name, True


def build_objects(product_rules: Sequence[Tuple[str, Sequence[Rule]]], site_classes: Sequence[str],
                  prefix: str = DEFAULT_PREFIX, limit: int = NAME_MAX,
                  domains: Optional[Dict[str, Tuple[str, ...]]] = None) -> ObjectSet:
    """The products' rules as one device's objects.

    ``domains`` maps a destination class to the domain names that stand for
    it (``purecloud_cloud_destinations: domains``): a rule to that class on
    TCP then names a group of those domains in place of its addresses.
    """
    if not prefix or _NAME_PART.sub("", prefix) != prefix:
        raise PurecloudFirewallError("object prefix %r: expected letters and digits only, like %r"
                                     % (prefix, DEFAULT_PREFIX))
    names = _Names(limit)
    addresses: List[AddressGroup] = []
    services: List[Service] = []
    policies: List[Policy] = []
    numbers: Dict[Tuple[str, str], int] = {}

    def group(cls: str, value: object, fqdns: Tuple[str, ...] = ()) -> Optional[str]:
        if value == ANY and not fqdns:
            return None
        cidrs: Tuple[str, ...] = () if fqdns else tuple(value)  # type: ignore[arg-type]
        name, new = names.name(("address", cls, cidrs, fqdns), prefix, cls, "fqdn" if fqdns else "")
        if new:
            addresses.append(AddressGroup(name, cls, cidrs, fqdns))
        return name

    for product, rules in product_rules:
        for rule in rules:
            direction = direction_of(rule, site_classes)
            fqdns = (domains or {}).get(rule.destination_class, ()) if rule.protocol == "tcp" else ()
            source = group(rule.source_class, rule.sources)
            destination = group(rule.destination_class, rule.destinations, fqdns)
            service, new = names.name(("service", rule.protocol, rule.ports), prefix, rule.protocol, *rule.ports)
            if new:
                services.append(Service(service, rule.protocol, rule.ports))
            number = numbers[(product, direction)] = numbers.get((product, direction), 0) + 1
            policy, _new = names.name(("policy", product, direction, number), prefix, product, direction,
                                      str(number))
            policies.append(Policy(policy, product, direction, source, destination, service, rule))
    return ObjectSet(prefix, tuple(addresses), tuple(services), tuple(policies))
