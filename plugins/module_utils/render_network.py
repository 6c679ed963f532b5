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

Each flow becomes one entry per source, destination and port range,
preceded by a remark naming its requirement ids where the platform has
remarks (Junos term names and VyOS rule descriptions carry them instead).
A side with several CIDRs of a family (strict mode's AWS prefixes) is, on
the platforms whose ACLs name address groups (``uses_groups``), one group
of the device (an IOS or NX-OS object-group, a Junos prefix-list, a VyOS
network group), shared by every product that has the same CIDRs, so a config grows
with prefixes + flows rather than their product; a single CIDR stays
inline.  The groups are a second module run (``DeviceConfig.groups``):
before the lists on apply, after them on removal.  IPv6 flows get their own ACL.  These are stateless filters of
new flows: return traffic is the platform's stateful inspection's (see
docs/NETWORK.md).  Only the ACLs named here are ever replaced.

``DeviceRenderer`` does what every platform shares; each platform is one
subclass that overrides only where its module differs, registered in
``platforms.PLATFORMS`` with the perimeter firewalls.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import (
    Any, Callable, ClassVar, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Type, Union)

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import ip_version, network
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError, choices_error
from ansible_collections.purecloud.firewall.plugins.module_utils.objects import (
    DEFAULT_PREFIX, NAME_MAX, AddressGroup, _Names, direction_of)
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
# One side of an entry: a CIDR, the address group standing for several, or None for any address.
Side = Union[None, str, AddressGroup]
# The device's address groups by what they hold: (family, CIDRs) -> group.
Groups = Mapping[Tuple[int, Tuple[str, ...]], AddressGroup]


def family_afi(family: int) -> str:
    """The modules' name of an address family: ``ipv4``, ``ipv6``."""
    return "ipv%d" % family


class Entry(NamedTuple):
    """One permitted flow of one source, one destination (None: any address) and one port range."""

    source: Side
    destination: Side
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
    groups: Optional["DeviceConfig"] = None  # the address groups the lists name: a module run of their own

    def as_dict(self) -> Dict[str, Any]:
        result: Dict[str, Any] = {"module": self.module, "config": self.config, "acls": list(self.owned)}
        if self.commands is not None:
            result["commands"] = list(self.commands)
        if self.groups is not None:
            result["groups"] = self.groups.as_dict()
        return result


def _family_cidrs(value: Addresses, family: int) -> Optional[List[Optional[str]]]:
    """The CIDRs of one family ([None] for any address); None when the side has none of that family."""
    if value == ANY:
        return [None]
    chosen: List[Optional[str]] = [c for c in value if ip_version(c) == family]
    return chosen or None


def address_groups(product_rules: Sequence[Tuple[str, Sequence[Rule]]], prefix: str = DEFAULT_PREFIX,
                   limit: int = NAME_MAX) -> Dict[Tuple[int, Tuple[str, ...]], AddressGroup]:
    """One group per distinct set of several CIDRs of one family on a side of a flow, for every product.

    A group is named after the first endpoint class that has its CIDRs
    (``PURECLOUD-AWS-CLOUD``, ``-V6`` for IPv6); a product with the same
    CIDRs names the same group.  A single CIDR needs no group.
    """
    names = _Names(limit)
    groups: Dict[Tuple[int, Tuple[str, ...]], AddressGroup] = {}
    for _product, rules in product_rules:
        for rule in rules:
            for cls, value, other in ((rule.source_class, rule.sources, rule.destinations),
                                      (rule.destination_class, rule.destinations, rule.sources)):
                for family in FAMILIES:
                    cidrs = _family_cidrs(value, family)
                    if cidrs is None or len(cidrs) < 2 or _family_cidrs(other, family) is None:
                        continue  # one CIDR stays inline; a family the other side lacks has no flow
                    key = (family, tuple(str(cidr) for cidr in cidrs))
                    if key not in groups:
                        name, _new = names.name(("address",) + key, prefix, cls, "v6" if family == 6 else "")
                        groups[key] = AddressGroup(name, cls, key[1])
    return groups


def _sides(value: Addresses, family: int, groups: Optional[Groups]) -> Optional[List[Side]]:
    """A side's entries in one family: its group where it has one, else its CIDRs (None: the family is absent)."""
    cidrs = _family_cidrs(value, family)
    if cidrs is not None and groups and (family, tuple(cidrs)) in groups:
        return [groups[(family, tuple(cidrs))]]  # type: ignore[arg-type]
    return cidrs  # type: ignore[return-value]


def split_flows(rules: Sequence[Rule], site_classes: Sequence[str],
                groups: Optional[Groups] = None) -> Dict[AclKey, List[Flow]]:
    """The rules split by direction (out: from a site class) and family, each expanded to its entries.

    A side ``groups`` holds is one entry side, the group; every other side is its CIDRs.
    """
    result: Dict[AclKey, List[Flow]] = {}
    for rule in rules:
        direction = direction_of(rule, site_classes)
        for family in FAMILIES:
            sources = _sides(rule.sources, family, groups)
            destinations = _sides(rule.destinations, family, groups)
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
    # True: a side with several CIDRs of a family is an address group of the device (groups_config).
    uses_groups: ClassVar[bool] = False
    group_name_max: ClassVar[int] = NAME_MAX  # the platform's limit on a group's name
    # "host": the platform filters one host (its own flows, purecloud_host_class), not a gateway's.
    mode: ClassVar[str] = "gateway"
    # How drift reads a list back (device_drift): where a list holds its entries, and the field naming each.
    entries_key: ClassVar[str] = "aces"
    entry_key: ClassVar[str] = "sequence"
    # Why drift cannot read this platform's config back ("" where its module's gathered state can).
    drift_unchecked: ClassVar[str] = ""
    # How the device takes a change back by itself unless the run confirms it over a fresh connection
    # (purecloud_rollback_timeout), as the vendor's module asks for it; "" where the module cannot.
    confirms: ClassVar[str] = ""

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
        with FQDN objects; the others refuse it, naming the platform.  The
        address groups are the device's, shared by the products' lists.
        """
        self.check_domains(domains)
        if default_policy not in POLICIES:
            raise choices_error("default policy", default_policy, POLICIES)
        groups = self.groups_of(product_rules)
        configs = [self.config(split_flows(rules, site_classes, groups), product, default_policy)
                   for product, rules in product_rules]
        lists = self.merge([DeviceConfig(self.module, config, self.owned(config)) for config in configs])
        return self.with_groups(lists, self.groups_config(tuple(groups.values())) if groups else None)

    def check_domains(self, domains: Optional[Mapping[str, Tuple[str, ...]]]) -> None:
        if domains and not self.fqdn:
            raise PurecloudFirewallError(
                "purecloud_cloud_destinations: domains needs FQDN address objects, which %s (%s) does not have; "
                "use any, aws_ip_ranges or a list of CIDRs" % (self.label or self.name, self.name))

    def removal(self, products: Sequence[str], plan: Callable[[], Sequence[Tuple[str, Sequence[Rule]]]],
                site_classes: Sequence[str] = (),
                domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> "DeviceConfig":
        """What ``state: absent`` runs: every list name the products can have, and the plan's groups after them.

        ``domains`` are those of ``render_products``: a platform that removes what the plan created needs them
        to name the same domain groups.
        """
        lists = self.deleted(products)
        groups = self.groups_of(plan()) if self.uses_groups else {}
        return self.with_groups(lists, self.groups_removal(tuple(groups.values())) if groups else None)

    def render(self, rules: Sequence[Rule], product: str, default_policy: str = "drop",
               site_classes: Sequence[str] = ()) -> DeviceConfig:
        """One product's config; ``site_classes`` are the catalog's, and a rule from one goes out."""
        return self.render_products([(product, rules)], default_policy, site_classes)

    def groups_of(self, product_rules: Sequence[Tuple[str, Sequence[Rule]]]) -> Groups:
        """The device's address groups, on a platform whose lists name them; none elsewhere."""
        return address_groups(product_rules, limit=self.group_name_max) if self.uses_groups else {}

    def with_groups(self, lists: DeviceConfig, groups: Optional[DeviceConfig]) -> DeviceConfig:
        """The lists' run with the groups' run beside it; where the collection writes the commands, groups first."""
        if groups is None:
            return lists
        commands = lists.commands
        if commands is not None and groups.commands is not None:
            commands = groups.commands + commands
        return DeviceConfig(lists.module, lists.config, lists.owned, commands, lists.warnings + groups.warnings,
                            groups)

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

    def groups_config(self, groups: Sequence[AddressGroup]) -> DeviceConfig:
        """The run that sets exactly these groups (their members, nothing else), before the lists naming them."""
        raise NotImplementedError("%s has no address groups" % type(self).__name__)

    def groups_removal(self, groups: Sequence[AddressGroup]) -> DeviceConfig:
        """The run that removes these groups, after the lists that named them."""
        raise NotImplementedError("%s has no address groups" % type(self).__name__)


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

    def address(self, cidr: Side) -> Dict[str, Any]:
        return {"any": True} if cidr is None else {self.prefix_key: cidr}

    def port_range(self, first: int, last: int) -> Any:
        raise NotImplementedError("%s writes no port ranges" % type(self).__name__)

    def acl_options(self, family: int) -> Dict[str, Any]:
        """Fields the list itself takes besides its name and entries."""
        return {}

    @staticmethod
    def group_header(group: AddressGroup) -> str:
        """The line that opens a group's block (IOS and NX-OS each spell it their way)."""
        raise NotImplementedError("this platform has no object-groups")

    def groups_removal(self, groups: Sequence[AddressGroup]) -> DeviceConfig:
        """``no`` of each group's header, run after the lists that named them."""
        lines = ["no %s" % self.group_header(group) for group in groups]
        return DeviceConfig(self.groups_module, [{"lines": lines}], _group_names(groups), tuple(lines))


class CiscoIos(NumberedAcl):
    """Cisco IOS and IOS-XE: extended IPv4 lists, wildcard masks, remarks as a list."""

    name = "cisco_ios"
    label = "Cisco IOS / IOS-XE"
    module = "cisco.ios.ios_acls"
    network_os = ("cisco.ios.ios", "ios")
    uses_groups = True
    plans_removal = True  # the groups state absent removes are the plan's
    groups_module = "cisco.ios.ios_config"  # cisco.ios has no object-group resource module
    # cisco.ios's cliconf (ansible_ios_commit_confirm_timeout; the device needs archive configured).
    confirms = "configure terminal revert timer"

    def remark(self, text: str) -> Dict[str, Any]:
        return {"remarks": [text]}

    def address(self, cidr: Side) -> Dict[str, Any]:
        if cidr is None:
            return {"any": True}
        if isinstance(cidr, AddressGroup):
            return {"object_group": cidr.name}
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

    @staticmethod
    def group_header(group: AddressGroup) -> str:
        """``object-group network NAME``; IPv6 groups are IOS-XE's ``object-group v6-network``."""
        return "object-group %s %s" % ("network" if _family(group) == 4 else "v6-network", group.name)

    @staticmethod
    def group_member(cidr: str) -> str:
        """A member line: ``host A`` for one address, else IPv4's address and netmask, IPv6's prefix."""
        parsed = network(cidr)
        if parsed.prefixlen == parsed.max_prefixlen:
            return "host %s" % parsed.network_address
        return cidr if parsed.version == 6 else "%s %s" % (parsed.network_address, parsed.netmask)

    def groups_config(self, groups: Sequence[AddressGroup]) -> DeviceConfig:
        """One ios_config run per group (its header as parents, its members as lines), and the same as text."""
        blocks = [{"parents": [self.group_header(group)], "lines": [self.group_member(c) for c in group.cidrs]}
                  for group in groups]
        commands = [line for block in blocks for line in block["parents"] + [" " + m for m in block["lines"]]]
        return DeviceConfig(self.groups_module, blocks, _group_names(groups), tuple(commands))


def ios_group_changes(blocks: Sequence[Mapping[str, Any]], running: str) -> List[Dict[str, Any]]:
    """The lines that make the device's object-groups exactly ``blocks`` (``CiscoIos.groups_config``).

    ``running`` is the device's ``show running-config | section ^object-group``.
    ios_config only adds lines, so a member the plan no longer has would stay
    permitted: it gets its ``no`` line here, and a member the device already
    has (IPv6 shown in capitals) is not sent again.  Groups other than
    ``blocks``' are never read into the result; a block with nothing to
    change is left out, so an unchanged device is an unchanged run.
    """
    current = running_blocks(running, [block["parents"][0] for block in blocks])
    changes = []
    for block in blocks:
        wanted = dict((_member_key(line), line) for line in block["lines"])
        have = dict((_member_key(line), line) for line in current[block["parents"][0]]
                    if not line.startswith("description "))
        lines = ["no %s" % line for key, line in have.items() if key not in wanted]
        lines += [line for key, line in wanted.items() if key not in have]
        if lines:
            changes.append({"parents": list(block["parents"]), "lines": lines})
    return changes


def running_blocks(running: str, headers: Sequence[str]) -> Dict[str, List[str]]:
    """The indented lines under each of ``headers`` in a device's running config, spaces normalized.

    A header the device does not have has no lines; the device's other blocks are never read.
    """
    current: Dict[str, List[str]] = dict((header, []) for header in headers)
    header: Optional[str] = None
    for line in running.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            header = " ".join(line.split())
        elif header in current:
            current[header].append(" ".join(line.split()))
    return current


def _member_key(line: str) -> str:
    """An object-group member compared as an address (``host A``, ``A MASK``, ``X::/N`` in any case)."""
    words = line.split()
    try:
        return str(ipaddress.ip_network(words[1] if words[0] == "host" else "/".join(words), strict=False))
    except (ValueError, IndexError):
        return line.lower()


def _family(group: AddressGroup) -> int:
    """A router's group holds one family (``address_groups``): its first CIDR's."""
    return ip_version(group.cidrs[0])


def _group_names(groups: Sequence[AddressGroup]) -> Tuple[Owned, ...]:
    """What a groups run owns: each group's family and name."""
    return tuple((family_afi(_family(group)), group.name) for group in groups)


class CiscoNxos(NumberedAcl):
    """Cisco NX-OS: CIDR prefixes, a port range's ends as strings; strict mode's sides as object-groups.

    nxos_acls can neither write nor read an entry naming an object-group
    (``addrgroup``), and cisco.nxos has no object-group module.  A device
    with groups therefore gets the collection's own CLI, applied with
    nxos_config: the groups' blocks, then the lists' blocks, each sent as
    only the lines that change it (``nxos_block_changes``).  A device
    without groups keeps nxos_acls; removal is nxos_acls' ``deleted`` by
    name either way, the groups after it.
    """

    name = "cisco_nxos"
    label = "Cisco NX-OS"
    module = "cisco.nxos.nxos_acls"
    network_os = ("cisco.nxos.nxos", "nxos")
    prefix_key = "prefix"
    uses_groups = True
    plans_removal = True  # the groups state absent removes are the plan's
    groups_module = "cisco.nxos.nxos_config"

    def address(self, cidr: Side) -> Dict[str, Any]:
        if isinstance(cidr, AddressGroup):
            return {"addrgroup": cidr.name}  # only ever written as CLI (acl_blocks)
        return super().address(cidr)

    def port_range(self, first: int, last: int) -> Any:
        return {"start": str(first), "end": str(last)}

    def render_products(self, product_rules: Sequence[Tuple[str, Sequence[Rule]]], default_policy: str = "drop",
                        site_classes: Sequence[str] = (),
                        domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> "DeviceConfig":
        """nxos_acls' config where no list names a group; else the lists as nxos_config blocks after the groups."""
        device = super().render_products(product_rules, default_policy, site_classes, domains)
        if device.groups is None:
            return device
        blocks = self.acl_blocks(device.config)
        commands = (device.groups.commands or ()) + _block_text(blocks)
        return DeviceConfig(self.groups_module, blocks, device.owned, commands, device.warnings, device.groups)

    @staticmethod
    def acl_blocks(config: ModuleConfig) -> List[Dict[str, Any]]:
        """nxos_acls-shaped lists as nxos_config blocks: ``ip access-list NAME`` and its numbered entries."""
        blocks = []
        for section in config:
            keyword = "ip" if section["afi"] == "ipv4" else "ipv6"
            for acl in section["acls"]:
                lines = []
                for ace in acl["aces"]:
                    if "remark" in ace:
                        lines.append("%d remark %s" % (ace["sequence"], ace["remark"]))
                        continue
                    words = [str(ace["sequence"]), ace["grant"], ace["protocol"], _nxos_side(ace["source"]),
                             _nxos_side(ace["destination"])]
                    ports = ace["destination"].get("port_protocol") or {}
                    if "eq" in ports:
                        words += ["eq", ports["eq"]]
                    elif "range" in ports:
                        words += ["range", ports["range"]["start"], ports["range"]["end"]]
                    lines.append(" ".join(words))
                blocks.append({"parents": ["%s access-list %s" % (keyword, acl["name"])], "lines": lines})
        return blocks

    @staticmethod
    def group_header(group: AddressGroup) -> str:
        """``object-group ip address NAME`` (``ipv6`` for IPv6)."""
        return "object-group %s address %s" % ("ip" if _family(group) == 4 else "ipv6", group.name)

    def groups_config(self, groups: Sequence[AddressGroup]) -> DeviceConfig:
        """One nxos_config block per group: its header as parents, its members numbered 10, 20, ..."""
        blocks = [{"parents": [self.group_header(group)],
                   "lines": ["%d %s" % (10 * (index + 1), _nxos_member(cidr)) for index, cidr in enumerate(group.cidrs)]}
                  for group in groups]
        return DeviceConfig(self.groups_module, blocks, _group_names(groups), _block_text(blocks))


def _nxos_side(side: Mapping[str, Any]) -> str:
    if side.get("any"):
        return "any"
    if side.get("addrgroup"):
        return "addrgroup %s" % side["addrgroup"]
    return side["prefix"]


def _nxos_member(cidr: str) -> str:
    """``host A`` for one address, else the prefix."""
    parsed = network(cidr)
    return "host %s" % parsed.network_address if parsed.prefixlen == parsed.max_prefixlen else cidr


def _block_text(blocks: Sequence[Mapping[str, Any]]) -> Tuple[str, ...]:
    """nxos_config blocks as the device shows them: each header, then its lines indented."""
    return tuple(line for block in blocks for line in block["parents"] + ["  " + item for item in block["lines"]])


# NX-OS shows some well-known ports by name (``eq domain``); compared as their numbers.
NXOS_PORT_NAMES = {
    "bgp": 179, "biff": 512, "bootpc": 68, "bootps": 67, "chargen": 19, "cmd": 514, "daytime": 13, "discard": 9,
    "dnsix": 195, "domain": 53, "drip": 3949, "echo": 7, "exec": 512, "finger": 79, "ftp": 21, "ftp-data": 20,
    "gopher": 70, "hostname": 101, "ident": 113, "irc": 194, "isakmp": 500, "klogin": 543, "kshell": 544,
    "login": 513, "lpd": 515, "mobile-ip": 434, "nameserver": 42, "netbios-dgm": 138, "netbios-ns": 137,
    "netbios-ss": 139, "nntp": 119, "non500-isakmp": 4500, "ntp": 123, "pim-auto-rp": 496, "pop2": 109,
    "pop3": 110, "rip": 520, "smtp": 25, "snmp": 161, "snmptrap": 162, "sunrpc": 111, "syslog": 514,
    "tacacs": 49, "talk": 517, "telnet": 23, "tftp": 69, "time": 37, "uucp": 540, "who": 513, "whois": 43,
    "www": 80, "xdmcp": 177}


def nxos_block_changes(blocks: Sequence[Mapping[str, Any]], running: str) -> List[Dict[str, Any]]:
    """The lines that make the device's blocks exactly ``blocks`` (NX-OS object-groups or ACLs, numbered lines).

    ``running`` is the device's object-groups and ACLs as ``show
    running-config`` shows them.  Lines are compared by sequence number: one
    the plan does not have, or has otherwise, gets its ``no N`` first (NX-OS
    refuses a sequence number twice), then the planned line.  Ports NX-OS
    shows by name, ``host A`` and addresses in any case compare as the same
    line.  Blocks other than ``blocks``' are never read into the result; a
    block with nothing to change is left out, so an unchanged device is an
    unchanged run.
    """
    current = running_blocks(running, [block["parents"][0] for block in blocks])
    changes = []
    for block in blocks:
        wanted = _numbered(block["lines"])
        have = _numbered(current[block["parents"][0]])
        lines = ["no %d" % number for number, line in have.items() if wanted.get(number, (None,))[0] != line[0]]
        lines += [line[1] for number, line in wanted.items() if have.get(number, (None,))[0] != line[0]]
        if lines:
            changes.append({"parents": list(block["parents"]), "lines": lines})
    return changes


def _numbered(lines: Iterable[str]) -> Dict[int, Tuple[str, str]]:
    """Numbered lines by their number: (the line compared, the line); lines without a number are ignored."""
    result = {}
    for line in lines:
        number, _space, rest = line.partition(" ")
        if number.isdigit():
            result[int(number)] = (_nxos_key(rest), line)
    return result


def _nxos_key(text: str) -> str:
    """An entry or member in one form: remarks as written, else lower case, ports as numbers, addresses as networks."""
    if text.startswith("remark "):
        return " ".join(text.split())
    words = text.lower().split()
    result: List[str] = []
    ports = 0  # how many of the next words are ports
    while words:
        word = words.pop(0)
        if word == "host" and words:
            address = words.pop(0)
            word = "%s/%d" % (address, 128 if ":" in address else 32)
        if "/" in word:
            try:
                word = str(ipaddress.ip_network(word, strict=False))
            except ValueError:
                pass
        elif ports:
            word = str(NXOS_PORT_NAMES.get(word, word))
        ports = 2 if word == "range" else 1 if word in ("eq", "neq", "lt", "gt") else max(ports - 1, 0)
        result.append(word)
    return " ".join(result)


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
JUNOS_HALVES = ("-A", "-B")  # a group's two prefix-lists (_junos_halves)


class Junos(DeviceRenderer):
    """Junos firewall filters: one term per flow and port range, with every CIDR of the flow in it."""

    name = "junos"
    label = "Junos"
    review_suffix = "xml"
    entry_key = "name"  # a term is named, not numbered
    module = "junipernetworks.junos.junos_acls"
    network_os = ("junipernetworks.junos.junos", "junos")
    uses_groups = True
    plans_removal = True  # the prefix-lists state absent removes are the plan's
    groups_module = "junipernetworks.junos.junos_prefix_lists"
    confirms = "commit confirmed"  # junos_config's confirm, then its confirm_commit
    group_name_max = NAME_MAX - len(JUNOS_HALVES[0])  # room for a half's suffix

    def acl_name(self, product: str, direction: str, family: int) -> str:
        """``purecloud-edge-out``: each family has filters of its own, so one name serves both."""
        return "purecloud-%s-%s" % (product.replace("_", "-"), direction)

    def acl(self, key: AclKey, flows: Sequence[Flow], product: str, default_policy: str) -> Dict[str, Any]:
        terms: List[Dict[str, Any]] = []
        for flow in flows:
            by_port: Dict[Tuple[str, str], Tuple[List[Side], List[Side]]] = {}
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
                    term["source"] = _junos_side(sources)
                term["destination"] = dict(_junos_side(destinations), port_protocol={"eq": ports})
                terms.append(term)
        terms.append({"name": "t%d-purecloud-default" % (len(terms) + 1),
                      "grant": "permit" if default_policy == "accept" else "deny"})
        return {"name": self.acl_name(product, key.direction, key.family), "aces": terms}

    def groups_config(self, groups: Sequence[AddressGroup]) -> DeviceConfig:
        """Two prefix-lists per group under policy-options (``_junos_halves``): ``replaced`` sets exactly their prefixes."""
        config = [{"name": name, "address_prefixes": list(cidrs)} for group in groups
                  for name, cidrs in _junos_halves(group)]
        return DeviceConfig(self.groups_module, config, _junos_list_names(groups))

    def groups_removal(self, groups: Sequence[AddressGroup]) -> DeviceConfig:
        return DeviceConfig(self.groups_module, [{"name": name} for _afi, name in _junos_list_names(groups)],
                            _junos_list_names(groups))


def _junos_halves(group: AddressGroup) -> List[Tuple[str, Tuple[str, ...]]]:
    """A group as two prefix-lists, ``NAME-A`` (its first half of CIDRs) and ``NAME-B`` (the rest).

    junos_acls reads the device's filters back on every run (its facts, and
    ``parsed``): a term naming a single ``source-prefix-list`` parses as a
    mapping where its argument spec wants a list of them, and the run fails.
    A term naming two parses as that list.  A group has at least two CIDRs,
    so neither half is empty.
    """
    middle = (len(group.cidrs) + 1) // 2
    return [(group.name + JUNOS_HALVES[0], group.cidrs[:middle]), (group.name + JUNOS_HALVES[1], group.cidrs[middle:])]


def _junos_list_names(groups: Sequence[AddressGroup]) -> Tuple[Owned, ...]:
    """What the prefix-lists run owns: both halves of each group, with the group's family."""
    return tuple((afi, name + suffix) for afi, name in _group_names(groups) for suffix in JUNOS_HALVES)


def _junos_side(sides: List[Side]) -> Dict[str, Any]:
    """A term's side: its addresses (one as a string, several as a list) and both prefix-lists of each group."""
    result: Dict[str, Any] = {}
    addresses = [side for side in sides if isinstance(side, str)]
    if addresses:
        result["address"] = addresses if len(addresses) > 1 else addresses[0]
    lists = [{"name": name} for side in sides if isinstance(side, AddressGroup) for name, _cidrs in _junos_halves(side)]
    if lists:
        result["prefix_list"] = lists
    return result


# ----------------------------------------------------------------------- VyOS
class Vyos(DeviceRenderer):
    """VyOS rule sets: one rule per flow, source and destination, with the flow's ports as one list."""

    name = "vyos"
    label = "VyOS"
    module = "vyos.vyos.vyos_firewall_rules"
    network_os = ("vyos.vyos.vyos", "vyos")
    config_key = "rule_sets"
    entries_key = "rules"
    entry_key = "number"
    uses_groups = True
    plans_removal = True  # the groups state absent removes are the plan's
    # vyos_firewall_global would replace every group of the device: the groups are set commands.
    groups_module = "vyos.vyos.vyos_config"
    group_name_max = 31  # a VyOS group is an ipset, whose names have at most 31 characters

    def acl(self, key: AclKey, flows: Sequence[Flow], product: str, default_policy: str) -> Dict[str, Any]:
        rules: List[Dict[str, Any]] = []
        for flow in flows:
            by_pair: Dict[Tuple[Side, Side, str], List[str]] = {}
            for entry in flow.entries:
                by_pair.setdefault((entry.source, entry.destination, entry.protocol), []).append(entry.ports)
            for (src, dst, protocol), ports in by_pair.items():
                rule: Dict[str, Any] = {"number": 10 * (len(rules) + 1), "action": "accept",
                                        "description": comment_for(flow.ids, DESCRIPTION_MAX), "protocol": protocol,
                                        "destination": {"port": ",".join(ports)}}
                if src is not None:
                    rule["source"] = _vyos_side(src)
                if dst is not None:
                    rule["destination"].update(_vyos_side(dst))
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
                    for side in ("source", "destination"):
                        if (rule.get(side) or {}).get("address"):
                            commands.append("%s %s address '%s'" % (prefix, side, rule[side]["address"]))
                        if (rule.get(side) or {}).get("group"):
                            commands.append("%s %s group network-group '%s'"
                                            % (prefix, side, rule[side]["group"]["network_group"]))
                    commands.append("%s destination port '%s'" % (prefix, rule["destination"]["port"]))
        return commands

    @staticmethod
    def group_path(group: AddressGroup) -> str:
        """``firewall group network-group NAME`` (``ipv6-network-group`` for IPv6)."""
        return "firewall group %snetwork-group %s" % ("" if _family(group) == 4 else "ipv6-", group.name)

    def groups_config(self, groups: Sequence[AddressGroup]) -> DeviceConfig:
        """The groups as vyos_firewall_global has them, and the ``set`` commands that make them.

        On apply, ``vyos_group_changes`` turns them into the commands a
        device needs (its stale members deleted): vyos_firewall_global would
        replace every group of the device, the collection's or not.
        """
        config = [{"afi": family_afi(_family(group)), "name": group.name, "description": _group_description(group),
                   "members": [{"address": cidr} for cidr in group.cidrs]} for group in groups]
        commands = []
        for group in groups:
            commands.append("set %s description '%s'" % (self.group_path(group), _group_description(group)))
            commands += ["set %s network '%s'" % (self.group_path(group), cidr) for cidr in group.cidrs]
        return DeviceConfig(self.groups_module, config, _group_names(groups), tuple(commands))

    def groups_removal(self, groups: Sequence[AddressGroup]) -> DeviceConfig:
        """Each group deleted; vyos_config sends a ``delete`` only for what the device has."""
        config = [{"afi": family_afi(_family(group)), "name": group.name} for group in groups]
        commands = tuple("delete %s" % self.group_path(group) for group in groups)
        return DeviceConfig(self.groups_module, config, _group_names(groups), commands)


def vyos_group_changes(commands: Sequence[str], running: str) -> List[str]:
    """The commands that make the device's firewall groups exactly ``commands``' (``Vyos.groups_config``).

    ``running`` is the device's ``show configuration commands``.  A member or
    description of one of these groups the plan does not have is deleted, a
    missing one set; other groups are never touched, and a device already
    as planned gets no command, so its run is unchanged.
    """
    wanted = [command for command in commands if command.startswith("set ")]
    paths = dict.fromkeys(" ".join(command.split()[1:5]) for command in wanted)  # firewall group KIND NAME
    have = [line.strip() for line in running.splitlines() if line.strip().startswith("set firewall group ")]
    same = set(_vyos_key(line) for line in wanted)
    stale = ["delete " + line[len("set "):] for line in have
             if " ".join(line.split()[1:5]) in paths and _vyos_key(line) not in same]
    present = set(_vyos_key(line) for line in have)
    return stale + [command for command in wanted if _vyos_key(command) not in present]


def _vyos_key(command: str) -> str:
    """A ``set firewall group`` command compared without its quotes, an address as a network."""
    words = command.replace("'", "").split()
    if len(words) == 7 and words[5] == "network":
        try:
            words[6] = str(ipaddress.ip_network(words[6], strict=False))
        except ValueError:
            pass
    return " ".join(words)


def _vyos_side(side: Side) -> Dict[str, Any]:
    if isinstance(side, AddressGroup):
        return {"group": {"network_group": side.name}}
    return {"address": side}


def _group_description(group: AddressGroup) -> str:
    return "purecloud.firewall %s" % group.endpoint_class


# The routers' ACL platforms; platforms.PLATFORMS registers them with the perimeter firewalls.
ROUTERS: Tuple[Type[DeviceRenderer], ...] = (CiscoIos, CiscoNxos, AristaEos, Junos, Vyos)
