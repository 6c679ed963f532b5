# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A traffic matrix from compiled rules: the flows that must pass and samples that must not.

Generated from the catalog's compiled rules, never copied by hand, so a
verification with real packets follows the page.  ``endpoints`` maps an
endpoint class to the names of probe endpoints playing it (lab hosts for
site classes, fake internet hosts for remote ones).  Allowed rows probe the
edges of every port range; denied samples probe the neighbouring ports, the
other protocol and a source class the flow does not come from, each only
where no rule covers it.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import parse_port_spec

OTHER = {"tcp": "udp", "udp": "tcp"}


# One probe: from and to (endpoint names), proto, port, expect (allow or deny) and why.
Probe = Dict[str, Union[str, int]]


def _ranges(rule: Rule) -> List[Tuple[int, int]]:
    return [parse_port_spec(p) for p in rule.ports]


def allowed(rules: Sequence[Rule], src: str, dst: str, protocol: str, port: int) -> bool:
    """Whether some rule lets ``src`` class reach ``dst`` class on protocol/port.

    A rule whose destinations are ``any`` matches every destination, as the
    firewall will (it does not look at the address).
    """
    for rule in rules:
        if rule.protocol != protocol or rule.source_class != src and rule.sources != ANY:
            continue
        if rule.destination_class != dst and rule.destinations != ANY:
            continue
        if any(first <= port <= last for first, last in _ranges(rule)):
            return True
    return False


def probe_matrix(rules: Sequence[Rule], endpoints: Mapping[str, Sequence[str]],
                 deny_sources: Optional[Sequence[str]] = None, gateway: bool = True, host: Optional[str] = None,
                 excluded: Sequence[Rule] = ()) -> List[Probe]:
    """Rows of {from, to, proto, port, expect, why} for a probe harness.

    ``rules`` are what the host enforces; the ports of the ``excluded``
    rules (the rows the options leave out) are probed too, expected refused
    unless another rule opens them.  With ``gateway``, no deny sample is
    drawn between two endpoints of one class: they share a segment, and
    their traffic never meets the gateway.  With ``host`` (host mode, the
    endpoint name of the filtering host), only rows to or from that host are
    kept, since nothing else crosses its firewall.
    """
    rows: Dict[Tuple[str, str, str, int], Probe] = {}

    def add(src_cls: str, dst_cls: str, protocol: str, port: int, why: str) -> None:
        if not 1 <= port <= 65535 or src_cls not in endpoints or dst_cls not in endpoints:
            return
        source, target = endpoints[src_cls][0], endpoints[dst_cls][-1]
        if source == target or (host and host not in (source, target)):
            return
        expect = "allow" if allowed(rules, src_cls, dst_cls, protocol, port) else "deny"
        if expect == "deny" and gateway and src_cls == dst_cls:
            return
        rows.setdefault((source, target, protocol, port),
                        {"from": source, "to": target, "proto": protocol, "port": port, "expect": expect,
                         "why": why})

    for rule in rules:
        src, dst, protocol = rule.source_class, rule.destination_class, rule.protocol
        ids = " ".join(rule.ids)
        for first, last in _ranges(rule):
            for port in sorted({first, last, (first + last) // 2}):
                add(src, dst, protocol, port, ids)
            add(src, dst, protocol, first - 1, "below " + ids)
            add(src, dst, protocol, last + 1, "above " + ids)
            add(src, dst, OTHER[protocol], first, "other protocol than " + ids)
            for other in deny_sources or []:
                if other != src:
                    add(other, dst, protocol, first, "other source than " + ids)
    for rule in excluded:
        ids = " ".join(rule.ids)
        for first, last in _ranges(rule):
            for port in sorted({first, last, (first + last) // 2}):
                add(rule.source_class, rule.destination_class, rule.protocol, port, "left out: " + ids)
    return sorted(rows.values(), key=lambda r: (r["from"], r["to"], r["proto"], r["port"]))
