# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render compiled rules (compile.compile_rules) as the firewalld_state module's input.

Gateway mode: one owned zone per source class, bound by its networks (so
firewalld classifies forwarded packets by source address); one owned
policy per source zone towards ANY zone, whose rich rules accept the
class's flows, to destination ipsets where the destination class has
networks and to any address where it has none.  The policy's target is the
default policy for everything else the zone forwards.  firewalld limits
zone and policy names to 17 characters, hence the short class names.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, List, Mapping

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

ANY = "any"
SHORT = {"workstation": "ws", "voip_phone": "phone", "edge": "edge", "bridge_server": "bridge",
         "corporate_ad": "ad", "pbx": "pbx", "sip_provider": "sip", "purecloud": "cloud",
         "phone_provisioning": "prov", "google_stun": "gstun", "nist_time": "ntp", "polycom_ztp": "ztp",
         "dns": "dns", "byoc_cloud": "byoc"}
TARGETS = {"drop": "REJECT", "accept": "CONTINUE"}


def short(cls: str) -> str:
    try:
        return SHORT[cls]
    except KeyError:
        raise PurecloudFirewallError("no firewalld name for endpoint class %r" % cls) from None


def _by_family(cidrs: Any) -> Dict[int, List[str]]:
    result: Dict[int, List[str]] = {4: [], 6: []}
    for cidr in cidrs:
        result[ipaddress.ip_network(cidr).version].append(cidr)
    return result


def render_state(compiled: Mapping[str, Any], default_policy: str = "drop",
                 prefix: str = "purecloud") -> Dict[str, Any]:
    """The firewalld_state arguments for a gateway forwarding ``compiled``."""
    if default_policy not in TARGETS:
        raise PurecloudFirewallError("bad default policy %r; expected drop or accept" % (default_policy,))
    zones: Dict[str, Dict[str, Any]] = {}
    ipsets: Dict[str, Dict[str, Any]] = {}
    policies: Dict[str, Dict[str, Any]] = {}
    for rule in compiled["rules"]:
        if rule["sources"] == ANY:
            raise PurecloudFirewallError("rule from %s: a gateway needs the source class's networks"
                                         % rule["source_class"])
        zone = "%s_%s" % (prefix, short(rule["source_class"]))
        zones.setdefault(zone, {"name": zone, "sources": list(rule["sources"])})
        # A policy may not share its zone's name: purecloud_edge (zone), purecloud-edge (policy).
        name = "%s-%s" % (prefix, short(rule["source_class"]))
        policy = policies.setdefault(name, {"name": name, "ingress_zones": [zone], "egress_zones": ["ANY"],
                                            "target": TARGETS[default_policy], "rich_rules": []})
        source_families = _by_family(rule["sources"])
        if rule["destinations"] == ANY:
            targets = [(family, "") for family in (4, 6) if source_families[family]]
        else:
            targets = []
            for family, cidrs in _by_family(rule["destinations"]).items():
                if cidrs and source_families[family]:
                    name = "%s_%s%d" % (prefix, short(rule["destination_class"]), family)
                    ipsets.setdefault(name, {"name": name, "family": "inet" if family == 4 else "inet6",
                                             "entries": cidrs})
                    targets.append((family, ' destination ipset="%s"' % name))
        for family, destination in targets:
            for port in rule["ports"]:
                # Flows to several "any" destinations can share a rule; firewalld keeps one.
                policy["rich_rules"].append('rule family="%s"%s port port="%s" protocol="%s" accept'
                                            % ("ipv4" if family == 4 else "ipv6", destination, port,
                                               rule["protocol"]))
    for policy in policies.values():
        policy["rich_rules"] = list(dict.fromkeys(policy["rich_rules"]))
    return {"prefix": prefix, "zones": sorted(zones.values(), key=lambda z: z["name"]),
            "ipsets": sorted(ipsets.values(), key=lambda s: s["name"]),
            "policies": sorted(policies.values(), key=lambda p: p["name"])}
