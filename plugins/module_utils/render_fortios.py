# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FortiGate through fortinet.fortios: the object set as the vendor modules' inputs and as FortiOS CLI.

Each CIDR becomes a ``firewall address`` (IPv4) or ``firewall address6``
object, each domain a ``fqdn`` (or, for ``*.x`` names, ``wildcard-fqdn``)
address; an endpoint class's addresses are one ``addrgrp`` (and one
``addrgrp6``); a protocol and its ports one ``service custom``; a compiled
flow one ``firewall policy`` with its requirement ids in its comments.  A
policy carries both families (``srcaddr``/``dstaddr`` and
``srcaddr6``/``dstaddr6``, FortiOS 6.4 and later) where both of its ends
have addresses of that family.

Policy ids are fixed per product and direction (``base + 1000 x product +
500 x direction + n``), so a flow's id and name always go together and a
flow added to one product never renumbers another's.

Everything is named ``PURECLOUD-...``: ``sweep`` turns what
``fortios_configuration_fact`` reads back into the deletions of the
prefixed objects today's config no longer has, and nothing else.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog_names import PRODUCTS
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.objects import AddressGroup, ObjectSet, Policy
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import DeviceConfig
from ansible_collections.purecloud.firewall.plugins.module_utils.render_nft import comment_for
from ansible_collections.purecloud.firewall.plugins.module_utils.render_perimeter import ObjectRenderer, ProductRules

VARIABLE = "purecloud_%s"
# The tables the collection writes, in the order objects depend on each other, and each one's key.
ADDRESS, ADDRESS6 = "firewall_address", "firewall_address6"
ADDRGRP, ADDRGRP6 = "firewall_addrgrp", "firewall_addrgrp6"
SERVICE, POLICY = "firewall_service_custom", "firewall_policy"
FACT = "fortios_configuration_fact"
TABLES = (ADDRESS, ADDRESS6, ADDRGRP, ADDRGRP6, SERVICE, POLICY)
REMOVAL_ORDER = (POLICY, ADDRGRP, ADDRGRP6, ADDRESS, ADDRESS6, SERVICE)
# The fact module's selector of a table: its path and name split at the last underscore.
SELECTOR = {SERVICE: "firewall.service_custom"}
MKEY = dict((table, "policyid" if table == POLICY else "name") for table in TABLES)
CLI_TABLE = dict((table, table.replace("_", " ")) for table in TABLES)  # firewall service custom
# The FortiOS limits: object names 63 characters (address groups' size since 6.0; addresses take 79), policy
# names 35, comments 1023.
OBJECT_NAME_MAX = 63
POLICY_NAME_MAX = 35
COMMENTS_MAX = 1023
COMMENTS_LEAD = "PureCloud requirements "
# Policy ids: a block per product, half of it per direction.
PRODUCT_BLOCK = 1000
DIRECTION_BLOCK = 500
POLICY_ID_MAX = 4294967294
DEFAULT_POLICY_ID_BASE = 10000
# Fields the CLI writes in quotes: names and free text; the others are keywords and addresses.
QUOTED = ("name", "comments", "schedule", "fqdn", "wildcard_fqdn")
INTERFACE_ROLES = ("inside", "outside")
INTERFACES_SHAPE = "{inside: [port1], outside: [wan1]}"

Record = Dict[str, Any]
Invocation = Dict[str, Any]


def _limited(name: str, limit: int = OBJECT_NAME_MAX) -> str:
    """A name over FortiOS's limit keeps its start and a digest of the whole."""
    if len(name) <= limit:
        return name
    return "%s-%s" % (name[:limit - 9], hashlib.sha256(name.encode()).hexdigest()[:8])


def _members(names: Sequence[str]) -> List[Dict[str, str]]:
    return [{"name": name} for name in names]


def _subnet(cidr: str) -> str:
    """FortiOS's own form of an IPv4 subnet, as the device shows it back: ``198.51.100.128 255.255.255.240``."""
    parsed = ipaddress.ip_network(cidr)
    return "%s %s" % (parsed.network_address, parsed.netmask)


class FortiOs(ObjectRenderer):
    """FortiGate (FortiOS 6.4 and later): address, group, service and policy objects, one module each."""

    name = "fortios"
    label = "FortiGate (FortiOS)"
    module = "fortinet.fortios.fortios_firewall_policy"  # the flows' module; each config entry names its own
    network_os = ("fortinet.fortios.fortios",)
    fqdn = True
    review_suffix = "conf"
    options = {
        "fortios_vdom": dict(type="str", default="root"),
        "fortios_interfaces": dict(type="dict"),
        "fortios_policy_id_base": dict(type="int", default=DEFAULT_POLICY_ID_BASE),
        "fortios_nat": dict(type="bool", default=False),
    }

    def configure(self, settings: Mapping[str, Any]) -> None:
        vdom = settings.get("fortios_vdom")
        vdom = "root" if vdom is None else vdom
        if not isinstance(vdom, str) or not vdom or any(ch.isspace() or ch in "\"'" for ch in vdom):
            raise PurecloudFirewallError("%s must be the name of a VDOM (one word, like root), got %r"
                                         % (VARIABLE % "fortios_vdom", vdom))
        self.vdom = vdom
        self.interfaces = self._interfaces(settings.get("fortios_interfaces"))
        base = settings.get("fortios_policy_id_base")
        base = DEFAULT_POLICY_ID_BASE if base is None else base
        highest = POLICY_ID_MAX - len(PRODUCTS) * PRODUCT_BLOCK
        if isinstance(base, bool) or not isinstance(base, int) or not 1 <= base <= highest:
            raise PurecloudFirewallError(
                "%s must be a whole number from 1 to %d (the first policy id the collection owns; it uses "
                "%d ids from there), got %r" % (VARIABLE % "fortios_policy_id_base", highest,
                                                len(PRODUCTS) * PRODUCT_BLOCK, base))
        self.policy_id_base = base
        nat = settings.get("fortios_nat")
        nat = False if nat is None else nat
        if not isinstance(nat, bool):
            raise PurecloudFirewallError("%s must be true or false (NAT on the outbound policies), got %r"
                                         % (VARIABLE % "fortios_nat", nat))
        self.nat = nat
        self.site_classes: Tuple[str, ...] = ()

    @staticmethod
    def _interfaces(value: Any) -> Dict[str, List[str]]:
        option = VARIABLE % "fortios_interfaces"
        if value is None:
            raise PurecloudFirewallError(
                "%s is required for a FortiGate: the interfaces (or zones) facing the site and the internet, "
                "like %s" % (option, INTERFACES_SHAPE))
        if not isinstance(value, Mapping) or sorted(value) != sorted(INTERFACE_ROLES):
            raise PurecloudFirewallError("%s must be a mapping with exactly the keys inside and outside, like %s; got %r"
                                         % (option, INTERFACES_SHAPE, value))
        interfaces = {}
        for role in INTERFACE_ROLES:
            names = value[role]
            if isinstance(names, str):
                names = [names]
            if (not isinstance(names, (list, tuple)) or not names
                    or not all(isinstance(n, str) and n and '"' not in n for n in names)):
                raise PurecloudFirewallError("%s.%s must be a list of interface or zone names, like %s; got %r"
                                             % (option, role, INTERFACES_SHAPE, names))
            interfaces[role] = list(names)
        return interfaces

    def render_products(self, product_rules: ProductRules, default_policy: str = "drop",
                        site_classes: Sequence[str] = (),
                        domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> DeviceConfig:
        self.site_classes = tuple(site_classes)  # a flow between two site classes stays inside
        return super().render_products(product_rules, default_policy, site_classes, domains)

    # ------------------------------------------------------------- the objects
    def objects_config(self, objects: ObjectSet, default_policy: str) -> DeviceConfig:
        """Every object in dependency order; FortiOS's implicit deny is the drop (``accept`` adds nothing)."""
        records = self.records(objects)
        config = [self.invocation(table, record, "present") for table, record in records]
        config.append(self.fact_invocation())
        owned = tuple((table, str(record["name"])) for table, record in records)
        return DeviceConfig(self.module, config, owned, tuple(cli(records)), tuple(dict.fromkeys(self.notes)))

    def objects_removal(self, objects: ObjectSet) -> DeviceConfig:
        """Every object the plan creates, absent: policies, then groups, then addresses and services."""
        records = sorted(self.records(objects), key=lambda item: REMOVAL_ORDER.index(item[0]))
        config = [self.invocation(table, {MKEY[table]: record[MKEY[table]]}, "absent") for table, record in records]
        config.append(self.fact_invocation())
        owned = tuple((table, str(record["name"])) for table, record in records)
        return DeviceConfig(self.module, config, owned, tuple(cli_removal(records)))

    def invocation(self, table: str, record: Record, state: str) -> Invocation:
        return {"module": "fortios_" + table, "args": {"vdom": self.vdom, "state": state, table: record}}

    def fact_invocation(self) -> Invocation:
        """The read-back of every prefixed object, for the sweep of those today's config no longer has."""
        found = ["name=@%s-" % self.prefix]
        # Every policy in the collection's id block, whatever its name: one of the site's own there is refused.
        block = ["policyid>=%d" % self.policy_id_base, "policyid<%d" % self.policy_id_end]
        return {"module": FACT, "args": {"vdom": self.vdom, "selectors": [
            {"selector": SELECTOR.get(table, table), "filters": list(found)}
            for table in REMOVAL_ORDER] + [{"selector": SELECTOR.get(POLICY, POLICY), "filters": block}]},
            "sweep": {"prefix": self.prefix, "policy_id_base": self.policy_id_base,
                      "policy_id_end": self.policy_id_end}}

    @property
    def policy_id_end(self) -> int:
        """The first policy id after the collection's block."""
        return self.policy_id_base + len(PRODUCTS) * PRODUCT_BLOCK

    def records(self, objects: ObjectSet) -> List[Tuple[str, Record]]:
        """(table, the module's record) for every object, addresses first, policies last."""
        tables: Dict[str, Dict[Any, Record]] = dict((table, {}) for table in TABLES)
        families: Dict[str, Dict[int, str]] = {}
        self.notes: List[str] = []
        for group in objects.addresses:
            families[group.name] = self._group(group, tables)
        for service in objects.services:
            field = {"tcp": "tcp_portrange", "udp": "udp_portrange"}.get(service.protocol)
            if field is None:
                raise PurecloudFirewallError("%s has no custom service for protocol %r (service %s); tcp and udp only"
                                             % (self.label, service.protocol, service.name))
            tables[SERVICE][service.name] = {"name": service.name, field: " ".join(service.ports)}
        numbers: Dict[Tuple[str, str], int] = {}
        for policy in objects.policies:
            key = (policy.product, policy.direction)
            numbers[key] = numbers.get(key, 0) + 1
            record = self._policy(policy, numbers[key], families)
            if record is not None:
                tables[POLICY][record["policyid"]] = record
        return [(table, record) for table in TABLES for record in tables[table].values()]

    def _group(self, group: AddressGroup, tables: Dict[str, Dict[Any, Record]]) -> Dict[int, str]:
        """The group's address objects and its group per family; family -> the group's name."""
        members: Dict[int, List[str]] = {4: [], 6: []}
        for cidr in group.cidrs:
            family = ipaddress.ip_network(cidr).version
            name = _limited("%s-%s" % (self.prefix, cidr))
            members[family].append(name)
            if family == 4:
                tables[ADDRESS].setdefault(name, {"name": name, "subnet": _subnet(cidr)})
            else:
                tables[ADDRESS6].setdefault(name, {"name": name, "ip6": cidr})
        wildcards = [domain for domain in group.fqdns if domain.startswith("*.")]
        for domain in group.fqdns:
            if domain in wildcards:
                name = _limited("%s-WILDCARD-%s" % (self.prefix, domain[2:]))
                tables[ADDRESS].setdefault(name, {"name": name, "type": "wildcard-fqdn", "wildcard_fqdn": domain})
                members[4].append(name)
                continue
            name = _limited("%s-FQDN-%s" % (self.prefix, domain))
            tables[ADDRESS].setdefault(name, {"name": name, "type": "fqdn", "fqdn": domain})
            members[4].append(name)
            if not wildcards:
                name6 = _limited("%s-FQDN6-%s" % (self.prefix, domain))
                tables[ADDRESS6].setdefault(name6, {"name": name6, "type": "fqdn", "fqdn": domain})
                members[6].append(name6)
        names = {}
        for family, table, suffix in ((4, ADDRGRP, ""), (6, ADDRGRP6, "-V6")):
            if members[family]:
                names[family] = _limited(group.name + suffix)
                tables[table][names[family]] = {"name": names[family], "member": _members(members[family])}
        if wildcards:
            # FortiOS's address6 has no wildcard-fqdn type: rather than lose the IPv6 flows, they go to any
            # IPv6 address, as the page itself advises, and the run says so.
            names[6] = "all"
            self.notes.append("%s has no IPv6 wildcard FQDN objects: IPv6 flows to %s (%s) go to all IPv6 "
                              "addresses" % (self.label, group.endpoint_class, ", ".join(wildcards)))
        return names

    def policy_id(self, policy: Policy, number: int) -> int:
        if number >= DIRECTION_BLOCK:
            raise PurecloudFirewallError("%s: product %s has more than %d %s flows, more than its policy id block"
                                         % (self.label, policy.product, DIRECTION_BLOCK - 1, policy.direction))
        return (self.policy_id_base + PRODUCT_BLOCK * PRODUCTS.index(policy.product)
                + DIRECTION_BLOCK * ("out", "in").index(policy.direction) + number)

    def _policy(self, policy: Policy, number: int, families: Mapping[str, Mapping[int, str]]) -> Optional[Record]:
        """One flow's policy; None when its ends share no address family (it then permits nothing)."""
        if len(policy.name) > POLICY_NAME_MAX:
            raise PurecloudFirewallError("%s: policy name %s is over FortiOS's %d characters"
                                         % (self.label, policy.name, POLICY_NAME_MAX))
        sides = {}
        for side, group in (("src", policy.source), ("dst", policy.destination)):
            sides[side] = dict((family, ["all"] if group is None else [families[group][family]] if family in
                                families[group] else []) for family in (4, 6))
        for family in (4, 6):
            if not (sides["src"][family] and sides["dst"][family]):
                sides["src"][family] = sides["dst"][family] = []
        if not any(sides["src"].values()):
            return None
        source = "inside" if policy.direction == "out" else "outside"
        destination = "inside" if policy.rule.destination_class in self.site_classes else "outside"
        return {
            "policyid": self.policy_id(policy, number), "name": policy.name,
            "srcintf": _members(self.interfaces[source]), "dstintf": _members(self.interfaces[destination]),
            "srcaddr": _members(sides["src"][4]), "dstaddr": _members(sides["dst"][4]),
            "srcaddr6": _members(sides["src"][6]), "dstaddr6": _members(sides["dst"][6]),
            "service": _members([policy.service]), "action": "accept", "schedule": "always",
            "logtraffic": "all", "nat": "enable" if self.nat and (source, destination) == ("inside", "outside") else "disable",
            "status": "enable",
            "comments": COMMENTS_LEAD + comment_for(policy.ids, COMMENTS_MAX - len(COMMENTS_LEAD)),
        }


# --------------------------------------------------------------------- the CLI
def _cli_value(field: str, value: Any) -> str:
    if isinstance(value, list):
        return " ".join('"%s"' % item["name"] for item in value)
    if field in QUOTED:
        return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')
    return str(value)


def cli(records: Sequence[Tuple[str, Record]]) -> List[str]:
    """The FortiOS CLI of the records, table by table: what a reviewer reads and a change window pastes."""
    lines: List[str] = []
    for table, group in _by_table(records):
        lines.append("config %s" % CLI_TABLE[table])
        for record in group:
            key = MKEY[table]
            lines.append("    edit %s" % (record[key] if key == "policyid" else '"%s"' % record[key]))
            lines.extend("        set %s %s" % (field.replace("_", "-"), _cli_value(field, value))
                         for field, value in record.items() if field != key and value != [])
            lines.append("    next")
        lines.append("end")
    return lines


def cli_removal(records: Sequence[Tuple[str, Record]]) -> List[str]:
    lines: List[str] = []
    for table, group in _by_table(records):
        key = MKEY[table]
        lines.append("config %s" % CLI_TABLE[table])
        lines.extend("    delete %s" % (record[key] if key == "policyid" else '"%s"' % record[key]) for record in group)
        lines.append("end")
    return lines


def _by_table(records: Sequence[Tuple[str, Record]]) -> List[Tuple[str, List[Record]]]:
    grouped: List[Tuple[str, List[Record]]] = []
    for table, record in records:
        if not grouped or grouped[-1][0] != table:
            grouped.append((table, []))
        grouped[-1][1].append(record)
    return grouped


# ------------------------------------------------------------------- the sweep
def _selector_table(response: Mapping[str, Any], asked: str) -> str:
    """The table of a fact response: its path and name (``firewall.service`` + ``custom``), else the selector asked."""
    if response.get("path") and response.get("name"):
        return ("%s_%s" % (response["path"], response["name"])).replace(".", "_")
    return asked.replace(".", "_")


def sweep(found: Any, config: Sequence[Mapping[str, Any]]) -> List[Invocation]:
    """The deletions of the prefixed objects the device has and ``config`` does not name, policies first.

    ``found`` is what ``fortios_configuration_fact`` answered to the config's
    own read-back (its ``meta``: one response per table); ``config`` is the
    rendered config, whose read-back entry gives the prefix, the collection's
    policy id block and the VDOM.  A policy is the collection's when its name
    has the prefix and its id is in the block; any other object when its
    name has the prefix.  Nothing else is ever named: a policy of the site's
    own at an id the config would write or delete is an error, raised before
    the role's tasks change anything.
    """
    fact = next((entry for entry in config if entry.get("module") == FACT), None)
    if fact is None:
        raise PurecloudFirewallError("the config has no %s entry; give the sweep the rendered config" % FACT)
    prefix = "%s-" % fact["sweep"]["prefix"]
    base = int(fact["sweep"]["policy_id_base"])
    end = int(fact["sweep"].get("policy_id_end") or base + len(PRODUCTS) * PRODUCT_BLOCK)
    vdom = fact["args"]["vdom"]
    named = set()
    for entry in config:
        table = entry.get("module", "")[len("fortios_"):]
        if table in TABLES:
            named.add((table, str(entry["args"][table][MKEY[table]])))
    if isinstance(found, Mapping):
        found = [found]
    if not isinstance(found, (list, tuple)):
        raise PurecloudFirewallError("expected the fact module's meta (a list of responses), got %r"
                                     % (found,))
    stale: Dict[str, List[str]] = dict((table, []) for table in REMOVAL_ORDER)
    foreign: List[str] = []
    asked = [selector.get("selector", "") for selector in fact["args"].get("selectors", [])]
    for number, response in enumerate(found):
        table = _selector_table(response, asked[number] if number < len(asked) else "")
        if table not in stale:
            continue
        for item in response.get("results") or []:
            name = str(item.get("name") or "")
            if table == POLICY and not name.startswith(prefix) and (POLICY, str(item.get("policyid"))) in named:
                foreign.append("%s %r" % (item.get("policyid"), name))
            if not name.startswith(prefix):
                continue
            if table == POLICY:
                policy_id = item.get("policyid")
                if not isinstance(policy_id, int) or not base <= policy_id < end:
                    continue
                key = str(policy_id)
            else:
                key = name
            if (table, key) not in named and key not in stale[table]:
                stale[table].append(key)
    if foreign:
        raise PurecloudFirewallError(
            "the FortiGate has policies of its own at ids the config would write or delete: %s; nothing was "
            "changed. Set purecloud_fortios_policy_id_base to the start of a free block of %d ids"
            % (", ".join(dict.fromkeys(foreign)), end - base))
    return [{"module": "fortios_" + table, "args": {"vdom": vdom, "state": "absent",
                                                    table: {MKEY[table]: int(key) if table == POLICY else key}}}
            for table in REMOVAL_ORDER for key in stale[table]]
