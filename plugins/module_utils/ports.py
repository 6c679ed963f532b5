# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Port specs: parse, validate, normalise and merge.

A port spec is a string, ``"443"`` or ``"16384-32768"``; the page writes
ranges with an en dash (``49152–65535``), which is accepted too.  Merging
matters because the page's own rows overlap (5060 and 5061 inside
5060-5061; 19302 inside 16384-32768) and firewalls merge them anyway: a
state compared before merging never converges.
"""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

PROTOCOLS = ("tcp", "udp")
PORT_MIN = 1
PORT_MAX = 65535

_SPEC = re.compile(r"^\s*(\d+)\s*(?:[-\u2013:]\s*(\d+)\s*)?$")
_PROTO_SPEC = re.compile(r"^\s*([A-Za-z]+)\s*/\s*(.+)$")

PortRange = Tuple[int, int]


def parse_port_spec(spec: object) -> PortRange:
    """``"443"`` -> (443, 443); ``"16384-32768"`` -> (16384, 32768).

    Integers are accepted as single ports.  Anything else, a port outside
    1-65535 or a range whose start exceeds its end, raises an error naming
    the value.
    """
    if isinstance(spec, bool):
        raise PurecloudFirewallError("bad port %r: expected a port 1-65535 or a range like '16384-32768'" % (spec,))
    if isinstance(spec, int):
        first = last = spec
    else:
        match = _SPEC.match(str(spec))
        if not match:
            raise PurecloudFirewallError(
                "bad port %r: expected a port 1-65535 or a range like '16384-32768'" % (spec,)
            )
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
    for port in (first, last):
        if not PORT_MIN <= port <= PORT_MAX:
            raise PurecloudFirewallError("bad port %r: %d is outside 1-65535" % (spec, port))
    if first > last:
        raise PurecloudFirewallError("bad port range %r: start %d is greater than end %d" % (spec, first, last))
    return first, last


def format_port_range(port_range: PortRange) -> str:
    first, last = port_range
    return str(first) if first == last else "%d-%d" % (first, last)


def merge_port_ranges(ranges: Iterable[PortRange]) -> List[PortRange]:
    """Sort and merge overlapping or adjacent ranges (5060, 5061 -> 5060-5061)."""
    merged: List[List[int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(pair[0], pair[1]) for pair in merged]


def normalize_ports(specs: Iterable[object]) -> List[str]:
    """Validate, merge and format a list of port specs.

    >>> normalize_ports(["5061", "5060", "5060-5061", "19302", "16384-32768"])
    ['5060-5061', '16384-32768']
    """
    if isinstance(specs, (str, bytes, int)):
        specs = [specs]
    return [format_port_range(r) for r in merge_port_ranges(parse_port_spec(s) for s in specs)]


def ports_contain(specs: Iterable[object], port: int) -> bool:
    """True when ``port`` lies in one of ``specs``."""
    return any(first <= port <= last for first, last in (parse_port_spec(s) for s in specs))


def check_protocol(protocol: object) -> str:
    value = str(protocol).strip().lower()
    if value not in PROTOCOLS:
        raise PurecloudFirewallError("bad protocol %r: expected one of: %s" % (protocol, ", ".join(PROTOCOLS)))
    return value


def split_protocol_port(spec: object) -> Tuple[Optional[str], str]:
    """``"udp/5060"`` -> ('udp', '5060'); ``"5060"`` -> (None, '5060').

    The port part is validated; the protocol, when given, must be tcp or udp.
    """
    text = str(spec)
    match = _PROTO_SPEC.match(text)
    if match:
        protocol, port = check_protocol(match.group(1)), match.group(2).strip()
    else:
        protocol, port = None, text.strip()
    return protocol, format_port_range(parse_port_spec(port))
