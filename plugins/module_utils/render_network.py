# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render compiled rules as the vendors' ACL resource modules' config.

The same compiled rules the Linux backends apply become, per product and
direction, one named ACL (Cisco IOS/IOS-XE, NX-OS, Arista EOS), firewall
filter (Junos) or rule set (VyOS):

* ``OUT``: flows whose source is a site class (site -> internet, and the
  flows inside the site), for the interfaces facing the site;
* ``IN``: flows whose source is remote (a SIP provider's trunk, the BYOC
  Cloud endpoints), for the interface facing the internet.

Each flow becomes one entry per source CIDR, destination CIDR and port
range (CIDRs are already aggregated and ports merged, which keeps the count
small), preceded by a remark naming its requirement ids where the platform
has remarks (Junos term names and VyOS rule descriptions carry them
instead).  IPv6 flows get their own ACL.  These are stateless filters of
new flows: return traffic is the platform's stateful inspection's (see
docs/NETWORK.md).  Only the ACLs named here are ever replaced.

``DeviceRenderer`` does what every platform shares; each platform is one
subclass that overrides only where its module differs, registered in
``platforms.PLATFORMS`` with the perimeter firewalls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Type

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import ip_version, network
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError, choices_error
from ansible_collections.purecloud.firewall.plugins.module_utils.objects import direction_of
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Addresses, Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import parse_port_spec
from ansible_collections.purecloud.firewall.plugins.module_utils.render_nft import comment_for

REMARK_MAX = 100  # IOS's limit, the shortest of the three platforms with remarks
DESCRIPTION_MAX = 255  # VyOS's rule descriptions
DIRECTIONS = ("out", "in")
FAMILIES = (4, 6)
POLICIES = ("drop", "accept")

# The vendor module's ``config``: plain data, as the module's argument spec takes it.
ModuleConfig = List[Dict[str, Any]]
# An object a config owns on the device: where it lives (an afi) and its name.
Owned = Tuple[str, str]


def family_afi(family: int) -> str:
    """The modules' name of an address family: ``ipv4``, ``ipv6``."""
    return "ipv%d" % family


class Entry(NamedTuple):
    """One permitted flow of one source, one destination (None: any address) and one port range."""

    source: Optional[str]
    destination: Optional[str]
    protocol: str
    first: int
    last: int

    @property
    def ports(self) -> str:
        """``443`` or ``5060-5061``."""
        return str(self.first) if self.first == self.last else "%d-%d" % (self.first, self.last)


class Flow(NamedTuple):
    """One rule's entries in one list, and the requirement ids that asked for them."""

    ids: Tuple[str, ...]
    entries: Tuple[Entry, ...]


class AclKey(NamedTuple):
    """One list a product has on a device: a direction (``out``, ``in``) and an address family."""

    direction: str
    family: int

    @property
    def afi(self) -> str:
        return family_afi(self.family)

    @property
    def order(self) -> Tuple[int, int]:
        """IPv4 before IPv6, and within a family out before in."""
        return self.family, DIRECTIONS.index(self.direction)


@dataclass(frozen=True)
class DeviceConfig:
    """One resource-module run's config and the objects in it the collection owns.

    ``owned`` is exactly what a ``replaced`` run may touch and what a
    ``deleted`` run removes.  ``commands`` are the device's own commands where
    the collection writes them itself (None where the module renders).
    """

    module: str
    config: ModuleConfig
    owned: Tuple[Owned, ...]
    commands: Optional[Tuple[str, ...]] = None
    # What the platform could not write as planned, and what it wrote instead: the run's warnings.
    warnings: Tuple[str, ...] = ()

    def as_dict(self) -> Dict[str, Any]:
        result: Dict[str, Any] = {"module": self.module, "config": self.config, "acls": list(self.owned)}
        if self.commands is not None:
            result["commands"] = list(self.commands)
        return result


def _family_cidrs(value: Addresses, family: int) -> Optional[List[Optional[str]]]:
    """The CIDRs of one family ([None] for any address); None when the side has none of that family."""
    if value == ANY:
        return [None]
    chosen: List[Optional[str]] = [c for c in value if ip_version(c) == family]
    return chosen or None


def split_flows(rules: Sequence[Rule], site_classes: Sequence[str]) -> Dict[AclKey, List[Flow]]:
    """The rules split by direction (out: from a site class) and family, each expanded to its entries."""
    result: Dict[AclKey, List[Flow]] = {}
    for rule in rules:
        direction = direction_of(rule, site_classes)
        for family in FAMILIES:
            sources = _family_cidrs(rule.sources, family)
            destinations = _family_cidrs(rule.destinations, family)
            if sources is None or destinations is None:
                continue
            entries = tuple(Entry(src, dst, rule.protocol, *parse_port_spec(port))
                            for src in sources for dst in destinations for port in rule.ports)
            result.setdefault(AclKey(direction, family), []).append(Flow(tuple(rule.ids), entries))
    return result


class DeviceRenderer:
    """A platform: its resource module, and how the rules become that module's config.

    The config is a list of sections, one per address family (``afi``), each
    listing the named objects the collection owns under ``config_key``.  A
    platform implements ``acl`` (one product's list for one direction and
    family) and overrides any other hook where its module differs.  A
    platform whose module takes objects and policy rules rather than lists
    overrides ``config`` (its objects from the split flows) and ``deleted``
    (the names its objects can have); the objects it lists under
    ``config_key`` are then owned and merged by name like ACLs.
    """

    name: ClassVar[str]  # the backend, as purecloud_firewall_backend names it
    label: ClassVar[str] = ""  # how the platform is called in messages and docs
    module: ClassVar[str]  # the vendor's resource module
    network_os: ClassVar[Tuple[str, ...]]  # the ansible_network_os values that pick this platform
    config_key: ClassVar[str] = "acls"  # where a section of the module's config lists its objects
    applies: ClassVar[bool] = True  # False: render-only, a file a security team reviews and loads
    fqdn: ClassVar[bool] = False  # has address objects for domain names (purecloud_cloud_destinations: domains)
    review_suffix: ClassVar[str] = "cfg"  # the extension of the render-only file
    # The platform's own options (argument spec entries, ``fortios_vdom``...): apply takes them, each
    # falling back to its purecloud_* variable, and ``configure`` reads them from the settings.
    options: ClassVar[Dict[str, Dict[str, Any]]] = {}
    # True: state absent removes what the plan would create, so it needs the plan's feeds too.
    plans_removal: ClassVar[bool] = False
    # "host": the platform filters one host (its own flows, purecloud_host_class), not a gateway's.
    mode: ClassVar[str] = "gateway"

    def __init__(self, settings: Optional[Mapping[str, Any]] = None) -> None:
        self.configure(settings or {})

    def configure(self, settings: Mapping[str, Any]) -> None:
        """Read the platform's ``options`` from the site's settings; check them before anything renders."""

    # ------------------------------------------------------ the shared pipeline
    def render_products(self, product_rules: Sequence[Tuple[str, Sequence[Rule]]], default_policy: str = "drop",
                        site_classes: Sequence[str] = (),
                        domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> "DeviceConfig":
        """The device's config for every product: here each product's lists side by side.

        ``domains`` (a destination class -> its domain names) is for platforms
        with FQDN objects; the others refuse it, naming the platform.
        """
        self.check_domains(domains)
        return self.merge([self.render(rules, product, default_policy, site_classes=site_classes)
                           for product, rules in product_rules])

    def check_domains(self, domains: Optional[Mapping[str, Tuple[str, ...]]]) -> None:
        if domains and not self.fqdn:
            raise PurecloudFirewallError(
                "purecloud_cloud_destinations: domains needs FQDN address objects, which %s (%s) does not have; "
                "use any, aws_ip_ranges or a list of CIDRs" % (self.label or self.name, self.name))

    def removal(self, products: Sequence[str], plan: Callable[[], Sequence[Tuple[str, Sequence[Rule]]]],
                site_classes: Sequence[str] = (),
                domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> "DeviceConfig":
        """What ``state: absent`` runs: here every list name the products can have (``plan`` is not needed).

        ``domains`` are those of ``render_products``: a platform that removes what the plan created needs them
        to name the same domain groups.
        """
        return self.deleted(products)

    def render(self, rules: Sequence[Rule], product: str, default_policy: str = "drop",
               site_classes: Sequence[str] = ()) -> DeviceConfig:
        """One product's config; ``site_classes`` are the catalog's, and a rule from one goes out."""
        if default_policy not in POLICIES:
            raise choices_error("default policy", default_policy, POLICIES)
        config = self.config(split_flows(rules, site_classes), product, default_policy)
        return self._device_config(config, self.owned(config))

    def merge(self, parts: Sequence[DeviceConfig]) -> DeviceConfig:
        """Several products' configs as one module run: their objects side by side, per section."""
        config = self._sections((section["afi"], item) for part in parts for section in part.config
                                for item in section[self.config_key])
        return self._device_config(config, tuple(owned for part in parts for owned in part.owned))

    def deleted(self, products: Sequence[str]) -> DeviceConfig:
        """A ``deleted`` run's config: every name the products' objects can have, and nothing else."""
        config = []
        for family in FAMILIES:
            names = dict.fromkeys(self.acl_name(product, direction, family)
                                  for product in products for direction in DIRECTIONS)
            config.append(self.section(family_afi(family), [{"name": name} for name in names]))
        return DeviceConfig(self.module, config, self.owned(config))

    def _sections(self, objects: Iterable[Tuple[str, Dict[str, Any]]]) -> ModuleConfig:
        """(afi, object) pairs as the module's sections: IPv4's first, the objects in the order given."""
        by_afi: Dict[str, List[Dict[str, Any]]] = {}
        for afi, item in objects:
            by_afi.setdefault(afi, []).append(item)
        return [self.section(afi, items) for afi, items in sorted(by_afi.items())]

    def _device_config(self, config: ModuleConfig, owned: Tuple[Owned, ...]) -> DeviceConfig:
        commands = self.commands(config)  # once, on the config the module is given
        return DeviceConfig(self.module, config, owned, None if commands is None else tuple(commands))

    # -------------------------------------------------------------------- hooks
    def config(self, flows: Mapping[AclKey, Sequence[Flow]], product: str, default_policy: str) -> ModuleConfig:
        """The sections: per family, the product's lists, out before in."""
        return self._sections((key.afi, self.acl(key, flows[key], product, default_policy))
                              for key in sorted(flows, key=lambda acl: acl.order))

    def section(self, afi: str, items: List[Dict[str, Any]]) -> Dict[str, Any]:
        return {"afi": afi, self.config_key: items}

    def owned(self, config: ModuleConfig) -> Tuple[Owned, ...]:
        return tuple((section["afi"], item["name"]) for section in config for item in section[self.config_key])

    def acl_name(self, product: str, direction: str, family: int) -> str:
        """``PURECLOUD-EDGE-OUT`` (``-V6`` for IPv6)."""
        return "PURECLOUD-%s-%s%s" % (product.upper().replace("_", "-"), direction.upper(),
                                      "-V6" if family == 6 else "")

    def acl(self, key: AclKey, flows: Sequence[Flow], product: str, default_policy: str) -> Dict[str, Any]:
        """One product's list for one direction and family, as the module takes it."""
        raise NotImplementedError("%s renders no lists" % type(self).__name__)

    def commands(self, config: ModuleConfig) -> Optional[List[str]]:
        """The device's commands for a config, where the vendor module cannot render one offline."""
        return None


# ------------------------------------------------- IOS, NX-OS, EOS: numbered entries
class NumberedAcl(DeviceRenderer):
    """Entries numbered 10, 20, ...: a remark naming the flow's ids, then the flow's entries."""

    prefix_key: ClassVar[str]  # how the module writes a CIDR

    def acl(self, key: AclKey, flows: Sequence[Flow], product: str, default_policy: str) -> Dict[str, Any]:
        aces: List[Dict[str, Any]] = []

        def number() -> int:
            return 10 * (len(aces) + 1)

        for flow in flows:
            aces.append(dict(sequence=number(), **self.remark(comment_for(flow.ids, REMARK_MAX))))
            for entry in flow.entries:
                ports = ({"eq": str(entry.first)} if entry.first == entry.last
                         else {"range": self.port_range(entry.first, entry.last)})
                aces.append({"sequence": number(), "grant": "permit", "protocol": entry.protocol,
                             "source": self.address(entry.source),
                             "destination": dict(self.address(entry.destination), port_protocol=ports)})
        if default_policy == "accept":
            aces.append({"sequence": number(), "grant": "permit", "protocol": "ip" if key.family == 4 else "ipv6",
                         "source": {"any": True}, "destination": {"any": True}})
        return dict({"name": self.acl_name(product, key.direction, key.family), "aces": aces},
                    **self.acl_options(key.family))

    def remark(self, text: str) -> Dict[str, Any]:
        return {"remark": text}

    def address(self, cidr: Optional[str]) -> Dict[str, Any]:
        return {"any": True} if cidr is None else {self.prefix_key: cidr}

    def port_range(self, first: int, last: int) -> Any:
        raise NotImplementedError("%s writes no port ranges" % type(self).__name__)

    def acl_options(self, family: int) -> Dict[str, Any]:
        """Fields the list itself takes besides its name and entries."""
        return {}


class CiscoIos(NumberedAcl):
    """Cisco IOS and IOS-XE: extended IPv4 lists, wildcard masks, remarks as a list."""

    name = "cisco_ios"
    label = "Cisco IOS / IOS-XE"
    module = "cisco.ios.ios_acls"
    network_os = ("cisco.ios.ios", "ios")

    def remark(self, text: str) -> Dict[str, Any]:
        return {"remarks": [text]}

    def address(self, cidr: Optional[str]) -> Dict[str, Any]:
        if cidr is None:
            return {"any": True}
        parsed = network(cidr)
        if parsed.version == 6:
            return {"address": cidr}
        if parsed.prefixlen == 32:
            return {"host": str(parsed.network_address)}
        return {"address": str(parsed.network_address), "wildcard_bits": str(parsed.hostmask)}

    def port_range(self, first: int, last: int) -> Any:
        return {"start": first, "end": last}

    def acl_options(self, family: int) -> Dict[str, Any]:
        return {"acl_type": "extended"} if family == 4 else {}


class CiscoNxos(NumberedAcl):
    """Cisco NX-OS: CIDR prefixes, a port range's ends as strings."""

    name = "cisco_nxos"
    label = "Cisco NX-OS"
    module = "cisco.nxos.nxos_acls"
    network_os = ("cisco.nxos.nxos", "nxos")
    prefix_key = "prefix"

    def port_range(self, first: int, last: int) -> Any:
        return {"start": str(first), "end": str(last)}


class AristaEos(NumberedAcl):
    """Arista EOS: CIDR subnets, a port range as one string."""

    name = "arista_eos"
    label = "Arista EOS"
    module = "arista.eos.eos_acls"
    network_os = ("arista.eos.eos", "eos")
    prefix_key = "subnet_address"

    def port_range(self, first: int, last: int) -> Any:
        return "%d %d" % (first, last)


# ---------------------------------------------------------------------- Junos
class Junos(DeviceRenderer):
    """Junos firewall filters: one term per flow and port range, with every CIDR of the flow in it."""

    name = "junos"
    label = "Junos"
    review_suffix = "xml"
    module = "junipernetworks.junos.junos_acls"
    network_os = ("junipernetworks.junos.junos", "junos")

    def acl_name(self, product: str, direction: str, family: int) -> str:
        """``purecloud-edge-out``: each family has filters of its own, so one name serves both."""
        return "purecloud-%s-%s" % (product.replace("_", "-"), direction)

    def acl(self, key: AclKey, flows: Sequence[Flow], product: str, default_policy: str) -> Dict[str, Any]:
        terms: List[Dict[str, Any]] = []
        for flow in flows:
            by_port: Dict[Tuple[str, str], Tuple[List[str], List[str]]] = {}
            for entry in flow.entries:
                sources, destinations = by_port.setdefault((entry.protocol, entry.ports), ([], []))
                if entry.source is not None and entry.source not in sources:
                    sources.append(entry.source)
                if entry.destination is not None and entry.destination not in destinations:
                    destinations.append(entry.destination)
            for (protocol, ports), (sources, destinations) in by_port.items():
                term: Dict[str, Any] = {"name": "t%d-%s" % (len(terms) + 1, flow.ids[0].replace(".", "-")),
                                        "grant": "permit", "protocol": protocol}
                if sources:
                    term["source"] = {"address": _one_or_all(sources)}
                term["destination"] = {"port_protocol": {"eq": ports}}
                if destinations:
                    term["destination"]["address"] = _one_or_all(destinations)
                terms.append(term)
        terms.append({"name": "t%d-purecloud-default" % (len(terms) + 1),
                      "grant": "permit" if default_policy == "accept" else "deny"})
        return {"name": self.acl_name(product, key.direction, key.family), "aces": terms}


def _one_or_all(addresses: List[str]) -> Any:
    """Junos's module takes one address as a string, several as a list."""
    return addresses if len(addresses) > 1 else addresses[0]


# ----------------------------------------------------------------------- VyOS
class Vyos(DeviceRenderer):
    """VyOS rule sets: one rule per flow, source and destination, with the flow's ports as one list."""

    name = "vyos"
    label = "VyOS"
    module = "vyos.vyos.vyos_firewall_rules"
    network_os = ("vyos.vyos.vyos", "vyos")
    config_key = "rule_sets"

    def acl(self, key: AclKey, flows: Sequence[Flow], product: str, default_policy: str) -> Dict[str, Any]:
        rules: List[Dict[str, Any]] = []
        for flow in flows:
            by_pair: Dict[Tuple[Optional[str], Optional[str], str], List[str]] = {}
            for entry in flow.entries:
                by_pair.setdefault((entry.source, entry.destination, entry.protocol), []).append(entry.ports)
            for (src, dst, protocol), ports in by_pair.items():
                rule: Dict[str, Any] = {"number": 10 * (len(rules) + 1), "action": "accept",
                                        "description": comment_for(flow.ids, DESCRIPTION_MAX), "protocol": protocol,
                                        "destination": {"port": ",".join(ports)}}
                if src is not None:
                    rule["source"] = {"address": src}
                if dst is not None:
                    rule["destination"]["address"] = dst
                rules.append(rule)
        return {"name": self.acl_name(product, key.direction, key.family),
                "description": "purecloud.firewall %s %s" % (product, key.direction),
                "default_action": "accept" if default_policy == "accept" else "drop", "rules": rules}

    def commands(self, config: ModuleConfig) -> Optional[List[str]]:
        """The ``set firewall`` commands of the config (VyOS 1.3 syntax).

        The vendor module renders only with a live device (it asks the
        device's version); these commands are what it would send to a 1.3
        device, and the module's own ``parsed`` state reads them back in the
        tests.
        """
        commands = []
        for section in config:
            keyword = "name" if section["afi"] == "ipv4" else "ipv6-name"
            for rule_set in section[self.config_key]:
                base = "set firewall %s %s" % (keyword, rule_set["name"])
                commands.append("%s default-action '%s'" % (base, rule_set["default_action"]))
                commands.append("%s description '%s'" % (base, rule_set["description"]))
                for rule in rule_set["rules"]:
                    prefix = "%s rule %d" % (base, rule["number"])
                    commands.append("%s action '%s'" % (prefix, rule["action"]))
                    commands.append("%s description '%s'" % (prefix, rule["description"]))
                    commands.append("%s protocol '%s'" % (prefix, rule["protocol"]))
                    if rule.get("source"):
                        commands.append("%s source address '%s'" % (prefix, rule["source"]["address"]))
                    if rule["destination"].get("address"):
                        commands.append("%s destination address '%s'" % (prefix, rule["destination"]["address"]))
                    commands.append("%s destination port '%s'" % (prefix, rule["destination"]["port"]))
        return commands


# The routers' ACL platforms; platforms.PLATFORMS registers them with the perimeter firewalls.
ROUTERS: Tuple[Type[DeviceRenderer], ...] = (CiscoIos, CiscoNxos, AristaEos, Junos, Vyos)
