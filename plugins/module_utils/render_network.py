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
"""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError, choices_error
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Addresses, Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import parse_port_spec
from ansible_collections.purecloud.firewall.plugins.module_utils.render_nft import comment_for

# backend -> the resource module and the ansible_network_os values that select it.
PLATFORMS: Dict[str, Dict[str, Any]] = {
    "cisco_ios": {"module": "cisco.ios.ios_acls", "network_os": ("cisco.ios.ios", "ios")},
    "cisco_nxos": {"module": "cisco.nxos.nxos_acls", "network_os": ("cisco.nxos.nxos", "nxos")},
    "arista_eos": {"module": "arista.eos.eos_acls", "network_os": ("arista.eos.eos", "eos")},
    "junos": {"module": "junipernetworks.junos.junos_acls", "network_os": ("junipernetworks.junos.junos", "junos")},
    "vyos": {"module": "vyos.vyos.vyos_firewall_rules", "network_os": ("vyos.vyos.vyos", "vyos")},
}
REMARK_MAX = 100  # IOS's limit, the shortest of the three platforms with remarks
DIRECTIONS = ("out", "in")


def backend_for_network_os(network_os: Optional[str]) -> Optional[str]:
    """The backend for an ``ansible_network_os`` value, or None when it is not a network device we know."""
    for backend, platform in PLATFORMS.items():
        if network_os in platform["network_os"]:
            return backend
    return None


def acl_name(product: str, direction: str, family: int, platform: str) -> str:
    """``PURECLOUD-EDGE-OUT`` (``-V6`` for IPv6); Junos, whose families have their own filters, in lower case."""
    if platform == "junos":
        return "purecloud-%s-%s" % (product.replace("_", "-"), direction)
    return "PURECLOUD-%s-%s%s" % (product.upper().replace("_", "-"), direction.upper(), "-V6" if family == 6 else "")


def _family_cidrs(value: Addresses, family: int) -> Optional[List[Optional[str]]]:
    """The CIDRs of one family ([None] for any address); None when the side has none of that family."""
    if value == ANY:
        return [None]
    chosen: List[Optional[str]] = [c for c in value if ipaddress.ip_network(c).version == family]
    return chosen or None


Entry = Tuple[Optional[str], Optional[str], str, int, int]  # source, destination, protocol, first, last


def flows(rules: Sequence[Rule], site_classes: Sequence[str]
          ) -> Dict[Tuple[str, int], List[Tuple[List[str], List[Entry]]]]:
    """{(direction, family): [(ids, entries)]}: the rules split by direction (out: from a site class) and
    family, expanded."""
    result: Dict[Tuple[str, int], List[Tuple[List[str], List[Entry]]]] = {}
    for rule in rules:
        direction = "out" if rule.source_class in site_classes else "in"
        for family in (4, 6):
            sources = _family_cidrs(rule.sources, family)
            destinations = _family_cidrs(rule.destinations, family)
            if sources is None or destinations is None:
                continue
            entries = [(src, dst, rule.protocol) + parse_port_spec(port)
                       for src in sources for dst in destinations for port in rule.ports]
            result.setdefault((direction, family), []).append((list(rule.ids), entries))
    return result


# ------------------------------------------------------------------ Cisco IOS
def _ios_address(cidr: Optional[str]) -> Dict[str, Any]:
    if cidr is None:
        return {"any": True}
    network = ipaddress.ip_network(cidr)
    if network.version == 6:
        return {"address": cidr}
    if network.prefixlen == 32:
        return {"host": str(network.network_address)}
    return {"address": str(network.network_address), "wildcard_bits": str(network.hostmask)}


# How each module writes an address and a port range (its parser reads back the same form).
_ADDRESS = {"cisco_ios": _ios_address,
            "cisco_nxos": lambda cidr: {"any": True} if cidr is None else {"prefix": cidr},
            "arista_eos": lambda cidr: {"any": True} if cidr is None else {"subnet_address": cidr}}
_RANGE = {"cisco_ios": lambda first, last: {"start": first, "end": last},
          "cisco_nxos": lambda first, last: {"start": str(first), "end": str(last)},
          "arista_eos": lambda first, last: "%d %d" % (first, last)}


def _ace_list(groups: Sequence[Tuple[List[str], List[Entry]]], platform: str, family: int,
              default_policy: str) -> List[Dict[str, Any]]:
    """Numbered entries (10, 20, ...) for IOS, NX-OS and EOS: a remark, then the flow's entries."""
    aces: List[Dict[str, Any]] = []
    address = _ADDRESS[platform]

    def number() -> int:
        return 10 * (len(aces) + 1)

    for ids, entries in groups:
        remark = comment_for(ids, REMARK_MAX)
        aces.append({"sequence": number(), "remarks": [remark]} if platform == "cisco_ios"
                    else {"sequence": number(), "remark": remark})
        for src, dst, protocol, first, last in entries:
            ports = {"eq": str(first)} if first == last else {"range": _RANGE[platform](first, last)}
            aces.append({"sequence": number(), "grant": "permit", "protocol": protocol,
                         "source": address(src), "destination": dict(address(dst), port_protocol=ports)})
    if default_policy == "accept":
        aces.append({"sequence": number(), "grant": "permit", "protocol": "ip" if family == 4 else "ipv6",
                     "source": {"any": True}, "destination": {"any": True}})
    return aces


def _cisco_config(by_acl: Mapping[Tuple[str, int], Sequence[Tuple[List[str], List[Entry]]]], platform: str,
                  product: str, default_policy: str) -> List[Dict[str, Any]]:
    config: Dict[int, List[Dict[str, Any]]] = {}
    for (direction, family), groups in sorted(by_acl.items(), key=lambda kv: (kv[0][1], DIRECTIONS.index(kv[0][0]))):
        acl: Dict[str, Any] = {"name": acl_name(product, direction, family, platform),
                               "aces": _ace_list(groups, platform, family, default_policy)}
        if platform == "cisco_ios" and family == 4:
            acl["acl_type"] = "extended"
        config.setdefault(family, []).append(acl)
    return [{"afi": "ipv%d" % family, "acls": acls} for family, acls in sorted(config.items())]


# ---------------------------------------------------------------------- Junos
def _junos_config(by_acl: Mapping[Tuple[str, int], Sequence[Tuple[List[str], List[Entry]]]], product: str,
                  default_policy: str) -> List[Dict[str, Any]]:
    """One term per flow and port range, with every source and destination CIDR of the flow in it."""
    config: Dict[int, List[Dict[str, Any]]] = {}
    for (direction, family), groups in sorted(by_acl.items(), key=lambda kv: (kv[0][1], DIRECTIONS.index(kv[0][0]))):
        terms: List[Dict[str, Any]] = []
        for ids, entries in groups:
            by_port: Dict[Tuple[str, int, int], Tuple[List[str], List[str]]] = {}
            for src, dst, protocol, first, last in entries:
                sources, destinations = by_port.setdefault((protocol, first, last), ([], []))
                if src is not None and src not in sources:
                    sources.append(src)
                if dst is not None and dst not in destinations:
                    destinations.append(dst)
            for (protocol, first, last), (sources, destinations) in by_port.items():
                term: Dict[str, Any] = {"name": "t%d-%s" % (len(terms) + 1, ids[0].replace(".", "-")), "grant": "permit",
                                        "protocol": protocol}
                if sources:
                    term["source"] = {"address": sources if len(sources) > 1 else sources[0]}
                port = str(first) if first == last else "%d-%d" % (first, last)
                term["destination"] = {"port_protocol": {"eq": port}}
                if destinations:
                    term["destination"]["address"] = destinations if len(destinations) > 1 else destinations[0]
                terms.append(term)
        terms.append({"name": "t%d-purecloud-default" % (len(terms) + 1),
                      "grant": "permit" if default_policy == "accept" else "deny"})
        config.setdefault(family, []).append({"name": acl_name(product, direction, family, "junos"), "aces": terms})
    return [{"afi": "ipv%d" % family, "acls": acls} for family, acls in sorted(config.items())]


# ----------------------------------------------------------------------- VyOS
def _vyos_config(by_acl: Mapping[Tuple[str, int], Sequence[Tuple[List[str], List[Entry]]]], product: str,
                 default_policy: str) -> List[Dict[str, Any]]:
    """One rule per flow, source and destination; VyOS takes a port list in one rule."""
    config: Dict[int, List[Dict[str, Any]]] = {}
    for (direction, family), groups in sorted(by_acl.items(), key=lambda kv: (kv[0][1], DIRECTIONS.index(kv[0][0]))):
        rules: List[Dict[str, Any]] = []
        for ids, entries in groups:
            by_pair: Dict[Tuple[Optional[str], Optional[str], str], List[str]] = {}
            for src, dst, protocol, first, last in entries:
                by_pair.setdefault((src, dst, protocol), []).append(
                    str(first) if first == last else "%d-%d" % (first, last))
            for (src, dst, protocol), ports in by_pair.items():
                rule: Dict[str, Any] = {"number": 10 * (len(rules) + 1), "action": "accept",
                                        "description": comment_for(ids, 255), "protocol": protocol,
                                        "destination": {"port": ",".join(ports)}}
                if src is not None:
                    rule["source"] = {"address": src}
                if dst is not None:
                    rule["destination"]["address"] = dst
                rules.append(rule)
        config.setdefault(family, []).append({
            "name": acl_name(product, direction, family, "vyos"),
            "description": "purecloud.firewall %s %s" % (product, direction),
            "default_action": "accept" if default_policy == "accept" else "drop", "rules": rules})
    return [{"afi": "ipv%d" % family, "rule_sets": sets} for family, sets in sorted(config.items())]


def vyos_commands(config: Sequence[Mapping[str, Any]]) -> List[str]:
    """The ``set firewall`` commands of a vyos_firewall_rules config (VyOS 1.3 syntax).

    The vendor module renders only with a live device (it asks the device's
    version); these commands are what it would send to a 1.3 device, and the
    module's own ``parsed`` state reads them back in the tests.
    """
    commands = []
    for afi in config:
        keyword = "name" if afi["afi"] == "ipv4" else "ipv6-name"
        for rule_set in afi["rule_sets"]:
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


def render_network(rules: Sequence[Rule], platform: str, product: str,
                   default_policy: str = "drop", site_classes: Sequence[str] = ()) -> Dict[str, Any]:
    """``{"module", "config", "acls"}`` for one product's compiled gateway rules on ``platform``.

    ``site_classes`` are the catalog's site classes: a rule from one goes out.  ``acls`` lists the (afi, name) pairs the config owns: exactly what a
    ``replaced`` run may touch, and what ``deleted`` removes.
    """
    if platform not in PLATFORMS:
        raise choices_error("network backend", platform, PLATFORMS)
    if default_policy not in ("drop", "accept"):
        raise PurecloudFirewallError("bad default policy %r; expected drop or accept" % (default_policy,))
    by_acl = flows(rules, site_classes)
    if platform == "junos":
        config = _junos_config(by_acl, product, default_policy)
    elif platform == "vyos":
        config = _vyos_config(by_acl, product, default_policy)
    else:
        config = _cisco_config(by_acl, platform, product, default_policy)
    key = "rule_sets" if platform == "vyos" else "acls"
    owned = [(afi["afi"], acl["name"]) for afi in config for acl in afi[key]]
    result = {"module": PLATFORMS[platform]["module"], "config": config, "acls": owned}
    if platform == "vyos":
        result["commands"] = vyos_commands(config)
    return result


def merge_configs(configs: Sequence[Mapping[str, Any]], platform: str) -> List[Dict[str, Any]]:
    """Several products' configs as one module config (their ACLs side by side, per afi)."""
    key = "rule_sets" if platform == "vyos" else "acls"
    merged: Dict[str, List[Dict[str, Any]]] = {}
    for config in configs:
        for afi in config["config"]:
            merged.setdefault(afi["afi"], []).extend(afi[key])
    return [{"afi": afi, key: items} for afi, items in sorted(merged.items())]
