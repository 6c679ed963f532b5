# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The firewalld objects the collection owns, as data: check, normalise, plan.

Pure Python (the module does the D-Bus calls), so unit tests cover the
decisions.  Everything is compared in one normal form: ports merged per
protocol (firewalld merges overlapping ranges itself, so a desired state
compared unmerged never converges), lists sorted, ipset entries collapsed
(firewalld refuses overlapping entries in hash:net).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import PROTOCOLS, normalize_ports

KINDS = ("ipsets", "services", "zones", "policies")
ZONE_TARGETS = ("default", "ACCEPT", "DROP", "%%REJECT%%")
POLICY_TARGETS = ("CONTINUE", "ACCEPT", "DROP", "REJECT")
SPECIAL_ZONES = ("HOST", "ANY")
IPSET_FAMILIES = ("inet", "inet6")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,17}$")  # firewalld limits zone names to 17 characters


def normal_ports(ports: Sequence[Any], where: str) -> List[Tuple[str, str]]:
    """``["5060/tcp", "5061/tcp", ("16384-32768", "udp")]`` -> merged ``[(port, protocol)]``, sorted."""
    by_protocol: Dict[str, List[str]] = {}
    for item in ports or []:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            port, protocol = item
        else:
            port, _sep, protocol = str(item).partition("/")
        if protocol not in PROTOCOLS:
            raise PurecloudFirewallError("%s: bad port %r; expected PORT/PROTOCOL with tcp or udp, e.g. '443/tcp'"
                                         % (where, item))
        try:
            by_protocol.setdefault(protocol, []).append(str(port))
        except PurecloudFirewallError as exc:
            raise PurecloudFirewallError("%s: %s" % (where, exc)) from None
    result = []
    for protocol in sorted(by_protocol):
        try:
            merged = normalize_ports(by_protocol[protocol])
        except PurecloudFirewallError as exc:
            raise PurecloudFirewallError("%s: %s" % (where, exc)) from None
        result.extend((port, protocol) for port in merged)
    return result


def _names(values: Any, where: str) -> List[str]:
    if values is None:
        return []
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) and v for v in values):
        raise PurecloudFirewallError("%s must be a list of names, got %r" % (where, values))
    return sorted(set(values))


def _networks(values: Any, where: str, family: Optional[int] = None) -> List[str]:
    networks = []
    for value in values or []:
        try:
            network = ipaddress.ip_network(str(value), strict=False)
        except ValueError:
            raise PurecloudFirewallError("%s: bad address or network %r" % (where, value)) from None
        if family and network.version != family:
            raise PurecloudFirewallError("%s: %s is IPv%d, the ipset is IPv%d" % (where, value, network.version, family))
        networks.append(network)
    collapsed = []
    for version in (4, 6):
        collapsed.extend(ipaddress.collapse_addresses(n for n in networks if n.version == version))
    return [str(n) for n in collapsed]


def _owned(name: Any, prefix: str, kind: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name) or not name.startswith(prefix):
        raise PurecloudFirewallError("%s name %r: must start with %r (the objects this collection owns) and use at "
                                     "most 17 letters, digits, - or _" % (kind, name, prefix))
    return name


def check_state(spec: Mapping[str, Any], prefix: str = "purecloud") -> Dict[str, Dict[str, Dict[str, Any]]]:
    """Validate the module's input; returns {kind: {name: normal settings}}."""
    state: Dict[str, Dict[str, Dict[str, Any]]] = dict((kind, {}) for kind in KINDS)
    for index, item in enumerate(spec.get("ipsets") or []):
        where = "ipsets[%d]" % index
        name = _owned(item.get("name"), prefix, "ipset")
        family = item.get("family", "inet")
        if family not in IPSET_FAMILIES:
            raise PurecloudFirewallError("%s: bad family %r; expected inet or inet6" % (where, family))
        state["ipsets"][name] = {"type": "hash:net", "family": family,
                                 "entries": _networks(item.get("entries"), where, 4 if family == "inet" else 6)}
    for index, item in enumerate(spec.get("services") or []):
        where = "services[%d]" % index
        name = _owned(item.get("name"), prefix, "service")
        state["services"][name] = {"ports": normal_ports(item.get("ports"), where),
                                   "description": str(item.get("description") or "")}
    for index, item in enumerate(spec.get("zones") or []):
        where = "zones[%d]" % index
        name = _owned(item.get("name"), prefix, "zone")
        target = item.get("target", "default")
        if target not in ZONE_TARGETS:
            raise PurecloudFirewallError("%s: bad target %r; expected one of: %s" % (where, target, ", ".join(ZONE_TARGETS)))
        sources = list(item.get("sources") or [])
        plain = [s for s in sources if not str(s).startswith("ipset:")]
        state["zones"][name] = {"target": target, "interfaces": _names(item.get("interfaces"), where + ".interfaces"),
                                "sources": sorted(_networks(plain, where + ".sources")
                                                  + [s for s in sources if str(s).startswith("ipset:")]),
                                "services": _names(item.get("services"), where + ".services"),
                                "ports": normal_ports(item.get("ports"), where),
                                "rich_rules": sorted(set(item.get("rich_rules") or []))}
    for index, item in enumerate(spec.get("policies") or []):
        where = "policies[%d]" % index
        name = _owned(item.get("name"), prefix, "policy")
        target = item.get("target", "CONTINUE")
        if target not in POLICY_TARGETS:
            raise PurecloudFirewallError("%s: bad target %r; expected one of: %s" % (where, target, ", ".join(POLICY_TARGETS)))
        priority = item.get("priority", -1)
        if not isinstance(priority, int) or isinstance(priority, bool) or priority == 0:
            raise PurecloudFirewallError("%s: priority must be a non-zero whole number, got %r" % (where, priority))
        policy = {"target": target, "priority": priority,
                  "ingress_zones": _names(item.get("ingress_zones"), where + ".ingress_zones"),
                  "egress_zones": _names(item.get("egress_zones"), where + ".egress_zones"),
                  "services": _names(item.get("services"), where + ".services"),
                  "ports": normal_ports(item.get("ports"), where),
                  "rich_rules": sorted(set(item.get("rich_rules") or []))}
        if not policy["ingress_zones"] or not policy["egress_zones"]:
            raise PurecloudFirewallError("%s: a policy needs ingress_zones and egress_zones (zones, HOST or ANY)" % where)
        state["policies"][name] = policy
    return state


def normal_live(kind: str, settings: Mapping[str, Any]) -> Dict[str, Any]:
    """The same normal form, from firewalld's settings dict of one object."""
    if kind == "ipsets":
        family = dict(settings.get("options") or {}).get("family", "inet")
        return {"type": settings.get("type", "hash:net"), "family": family,
                "entries": _networks(settings.get("entries") or [], "live ipset")}
    if kind == "services":
        return {"ports": normal_ports(settings.get("ports") or [], "live service"),
                "description": str(settings.get("description") or "")}
    ports = normal_ports(settings.get("ports") or [], "live %s" % kind)
    if kind == "zones":
        sources = settings.get("sources") or []
        return {"target": _zone_target(settings.get("target", "default")),
                "interfaces": sorted(settings.get("interfaces") or []),
                "sources": sorted(_networks([s for s in sources if not s.startswith("ipset:")], "live zone")
                                  + [s for s in sources if s.startswith("ipset:")]),
                "services": sorted(settings.get("services") or []), "ports": ports,
                # firewalld's zone settings call them rules_str; its policy settings rich_rules.
                "rich_rules": sorted(settings.get("rules_str") or settings.get("rich_rules") or [])}
    return {"target": settings.get("target", "CONTINUE"), "priority": int(settings.get("priority", -1)),
            "ingress_zones": sorted(settings.get("ingress_zones") or []),
            "egress_zones": sorted(settings.get("egress_zones") or []),
            "services": sorted(settings.get("services") or []), "ports": ports,
            "rich_rules": sorted(settings.get("rich_rules") or [])}


def _zone_target(target: str) -> str:
    # firewalld stores a zone's REJECT target as %%REJECT%%.
    return "%%REJECT%%" if target == "REJECT" else target


def plan(desired: Mapping[str, Mapping[str, Any]], live: Mapping[str, Mapping[str, Any]], purge: bool = True,
         prefix: str = "purecloud") -> Dict[str, List[str]]:
    """What to create, update and remove, kind by kind (``live`` holds owned objects only)."""
    steps: Dict[str, List[str]] = {"create": [], "update": [], "remove": []}
    for kind in KINDS:
        for name, settings in sorted(desired[kind].items()):
            if name not in live.get(kind, {}):
                steps["create"].append("%s/%s" % (kind, name))
            elif live[kind][name] != settings:
                steps["update"].append("%s/%s" % (kind, name))
        if purge:
            for name in sorted(live.get(kind, {})):
                if name.startswith(prefix) and name not in desired[kind]:
                    steps["remove"].append("%s/%s" % (kind, name))
    return steps


def describe(state: Mapping[str, Mapping[str, Any]]) -> str:
    """A readable listing of owned objects, for --diff."""
    lines = []
    for kind in KINDS:
        for name, settings in sorted(state.get(kind, {}).items()):
            lines.append("%s %s" % (kind[:-1] if kind != "policies" else "policy", name))
            for key in sorted(settings):
                value = settings[key]
                if key == "ports":
                    value = ", ".join("%s/%s" % p for p in value)
                elif key == "entries":
                    value = "%d entries: %s%s" % (len(value), ", ".join(value[:5]), ", ..." if len(value) > 5 else "")
                elif isinstance(value, list):
                    value = ", ".join(value)
                lines.append("  %s: %s" % (key, value))
    return "\n".join(lines) + ("\n" if lines else "")


def _allows(settings: Mapping[str, Any], port: int) -> bool:
    if settings.get("target") == "ACCEPT":
        return True
    if port == 22 and "ssh" in settings.get("services", []):
        return True
    for spec, protocol in settings.get("ports", []):
        first, _sep, last = spec.partition("-")
        if protocol == "tcp" and int(first) <= port <= int(last or first):
            return True
    return False


def session_cut_reason(desired: Mapping[str, Mapping[str, Any]], client: Optional[str], port: int,
                       zone: Optional[str], management: Optional[Mapping[str, Any]]) -> str:
    """Why the desired state could cut the SSH session from ``client`` to ``port``, or "".

    ``zone`` is the zone the session arrives in after the change (the owned
    zone holding its source or interface, else the zone firewalld uses now).
    The management allowance covers the session when it names its source
    and port; the module then accepts it in every owned zone and HOST policy.
    """
    if client is None:
        return ""
    if management and port == int(management.get("port", 22)) and any(
            ipaddress.ip_address(client) in ipaddress.ip_network(str(src), strict=False)
            for src in management.get("sources") or []):
        return ""
    if zone in desired["zones"] and not _allows(desired["zones"][zone], port):
        return ("the SSH session from %s to port %d would arrive in zone %s, which does not allow it; allow the "
                "port there or add the source to management.sources" % (client, port, zone))
    for name, policy in desired["policies"].items():
        if "HOST" in policy["egress_zones"] and policy["target"] in ("DROP", "REJECT") and \
                ("ANY" in policy["ingress_zones"] or zone in policy["ingress_zones"]) and not _allows(policy, port):
            return ("policy %s would %s the SSH session from %s to port %d on this host; allow the port there or add "
                    "the source to management.sources" % (name, policy["target"].lower(), client, port))
    return ""


def session_zone(desired: Mapping[str, Mapping[str, Any]], client: str, interface: Optional[str],
                 current: Optional[str]) -> Optional[str]:
    """The zone a session from ``client`` on ``interface`` lands in once ``desired`` is applied."""
    address = ipaddress.ip_address(client)
    for name, zone in desired["zones"].items():
        if any(not s.startswith("ipset:") and address in ipaddress.ip_network(s) for s in zone["sources"]):
            return name
    for name, zone in desired["zones"].items():
        if interface and interface in zone["interfaces"]:
            return name
    return current


def with_management(desired: Mapping[str, Mapping[str, Any]], management: Optional[Mapping[str, Any]],
                    ) -> Dict[str, Dict[str, Dict[str, Any]]]:
    """Accept the management sources' SSH in every owned zone and HOST policy that would not."""
    state = dict((kind, dict((name, dict(settings)) for name, settings in desired[kind].items())) for kind in KINDS)
    if not management or not management.get("sources"):
        return state
    port = int(management.get("port", 22))
    rules = []
    for source in management["sources"]:
        try:
            network = ipaddress.ip_network(str(source), strict=False)
        except ValueError:
            raise PurecloudFirewallError("management.sources: bad CIDR %r" % (source,)) from None
        rules.append('rule family="%s" source address="%s" port port="%d" protocol="tcp" accept'
                     % ("ipv4" if network.version == 4 else "ipv6", network, port))
    for name, zone in state["zones"].items():
        if not _allows(zone, port):
            zone["rich_rules"] = sorted(set(zone["rich_rules"]) | set(rules))
    for name, policy in state["policies"].items():
        if "HOST" in policy["egress_zones"] and policy["target"] in ("DROP", "REJECT") and not _allows(policy, port):
            policy["rich_rules"] = sorted(set(policy["rich_rules"]) | set(rules))
    return state
