# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a plan's rules as the nft_table module's input.

One named set per endpoint class and address family, one rule per
compiled rule and family, the requirement ids in each rule's comment.
Gateway mode filters the forward hook; host mode the input hook (and the
output hook with egress filtering).  Stateful: established and related
return traffic is accepted first.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import by_family
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Addresses, Rule

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


class _Sets:
    def __init__(self) -> None:
        self.sets: Dict[str, Dict[str, Any]] = {}

    def ref(self, cls: str, version: int, cidrs: List[str]) -> str:
        name = "%s_v%d" % (cls, version)
        self.sets.setdefault(name, {"name": name, "type": "ipv4_addr" if version == 4 else "ipv6_addr",
                                    "flags": ["interval"], "elements": list(cidrs),
                                    "comment": "purecloud.firewall class %s" % cls})
        return "@" + name


def _matches(rule: Rule, sets: _Sets, match_source: bool, match_destination: bool) -> List[Tuple[str, str]]:
    """(family keyword or "", address matches) per address family the rule needs."""
    sources = _split(rule.sources) if match_source else {}
    destinations = _split(rule.destinations) if match_destination else {}
    families = sorted(set(v for v in (4, 6) if sources.get(v)) | set(v for v in (4, 6) if destinations.get(v)))
    if not families:
        return [("", "")]
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
        result.append((keyword, " ".join(parts)))
    return result


def _statement(rule: Rule, addresses: str) -> str:
    ports = rule.ports
    dport = ports[0] if len(ports) == 1 else "{ %s }" % ", ".join(ports)
    return " ".join(p for p in (addresses, "%s dport %s" % (rule.protocol, dport), "accept") if p)


def render_table(rules: Sequence[Rule], mode: str = "gateway", host_class: Optional[str] = None,
                 default_policy: str = "drop", egress_filtering: bool = False,
                 management: Optional[Mapping[str, Any]] = None, name: str = "purecloud") -> Dict[str, Any]:
    """The nft_table arguments for a plan's ``rules``."""
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
        for rule in selected:
            for _family, addresses in _matches(rule, sets, match_source, match_destination):
                statements.append({"chain": chain, "rule": _statement(rule, addresses),
                                   "comment": comment_for(rule.ids)})
    spec: Dict[str, Any] = {"name": name, "family": "inet", "chains": chains,
                            "sets": sorted(sets.sets.values(), key=lambda s: s["name"]), "rules": statements}
    if management:
        spec["management"] = dict(management)
    return spec
