# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CIDR validation and aggregation, shared by compile, the feed code and the filters.

Validation is plain string and integer work (no netaddr), so checking the
~17,000 prefixes of AWS's feed stays cheap; only aggregation needs netaddr,
and it is given integer networks rather than text to parse a second time.

A network is accepted as ``198.51.100.0/24``, ``2001:db8::/32`` or a bare
address (a /32 or /128).  Shorthand that some parsers take (``10/8``,
``1.2.3``, octal-looking ``010.0.0.1``, netmasks after the slash) is refused:
on a firewall a guess is worse than an error.  A network written with host
bits set (``198.51.100.7/24``) means its network, ``198.51.100.0/24``, as it
does to iptables and firewalld.
"""

from __future__ import annotations

import re
import socket
import sys
from typing import Iterable, List, Mapping, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

try:
    import netaddr

    HAS_NETADDR = True
except ImportError:  # pragma: no cover - exercised only without netaddr
    HAS_NETADDR = False

# (version, first address as an integer, prefix length)
Network = Tuple[int, int, int]

_OCTET = r"(0|[1-9][0-9]{0,2})"
_IPV4 = re.compile(r"\.".join([_OCTET] * 4))
_PREFIX_LENGTH = re.compile(r"0|[1-9][0-9]{0,2}")
_BITS = {4: 32, 6: 128}


def require_netaddr() -> None:
    """Fail the way ansible.utils does when netaddr is missing, naming the Python that lacks it."""
    if not HAS_NETADDR:
        raise PurecloudFirewallError(
            "Failed to import the required Python library (netaddr) on the controller's Python %s; "
            "install it there (pip install netaddr)" % sys.executable)


def _bad(value: object) -> PurecloudFirewallError:
    return PurecloudFirewallError(
        "bad CIDR %r: expected an IPv4 or IPv6 network like '198.51.100.0/24' or '2001:db8::/32', "
        "or a bare address" % (value,))


def parse_cidr(value: object) -> Network:
    """``"198.51.100.7/24"`` -> (4, <198.51.100.0 as int>, 24); errors name the value.

    Bare addresses get the full length (/32, /128); host bits are cleared.
    """
    if not isinstance(value, str):
        # Address objects (ipaddress, netaddr) print as CIDRs; other types do not pass the checks below.
        if isinstance(value, (bool, int, float, bytes)) or value is None:
            raise _bad(value)
        text = str(value).strip()
    else:
        text = value.strip()
    address, slash, length = text.partition("/")
    if ":" in address:
        version = 6
        try:
            number = int.from_bytes(socket.inet_pton(socket.AF_INET6, address), "big")
        except (OSError, ValueError):
            raise _bad(value) from None
    else:
        version = 4
        match = _IPV4.fullmatch(address)
        if match is None:
            raise _bad(value)
        number = 0
        for octet in match.groups():
            part = int(octet)
            if part > 255:
                raise _bad(value)
            number = (number << 8) | part
    bits = _BITS[version]
    if slash:
        if _PREFIX_LENGTH.fullmatch(length) is None or int(length) > bits:
            raise _bad(value)
        prefix_length = int(length)
    else:
        prefix_length = bits
    host_mask = (1 << (bits - prefix_length)) - 1
    return version, number & ~host_mask, prefix_length


def format_cidr(network: Network) -> str:
    """(4, <int>, 24) -> ``"198.51.100.0/24"``; IPv6 in its compressed form (RFC 5952)."""
    version, number, prefix_length = network
    if version == 4:
        return "%d.%d.%d.%d/%d" % (number >> 24, (number >> 16) & 255, (number >> 8) & 255, number & 255,
                                   prefix_length)
    return "%s/%d" % (socket.inet_ntop(socket.AF_INET6, number.to_bytes(16, "big")), prefix_length)


def validate_cidr(value: object) -> str:
    """The canonical form of a CIDR or bare address: ``" 203.0.113.7 "`` -> ``"203.0.113.7/32"``."""
    return format_cidr(parse_cidr(value))


def ip_version(value: object) -> int:
    """4 or 6."""
    return parse_cidr(value)[0]


def cidr_sort_key(value: object) -> Network:
    """Sort key putting IPv4 before IPv6, then numeric order (not text order: 9.x before 10.x)."""
    return parse_cidr(value)


def _as_items(cidrs: object) -> Iterable[object]:
    if isinstance(cidrs, (str, bytes)):
        return [cidrs]
    if cidrs is None or isinstance(cidrs, Mapping) or not hasattr(cidrs, "__iter__"):
        raise PurecloudFirewallError("expected a list of CIDRs or addresses, got %r" % (cidrs,))
    return cidrs  # type: ignore[return-value]


def aggregate_cidrs(cidrs: Iterable[object]) -> List[str]:
    """Merge networks into the fewest CIDRs covering exactly the same addresses, IPv4 first.

    >>> aggregate_cidrs(["198.51.100.128/25", "198.51.100.0/25", "203.0.113.7", "2001:db8::/32"])
    ['198.51.100.0/24', '203.0.113.7/32', '2001:db8::/32']
    """
    require_netaddr()
    # A set first: the feed repeats a prefix once per service, and netaddr need not see it twice.
    parsed = {parse_cidr(c) for c in _as_items(cidrs)}
    merged = netaddr.cidr_merge([netaddr.IPNetwork((number, length), version=version)
                                 for version, number, length in parsed])
    merged.sort(key=lambda n: (n.version, n.first))
    return [str(n) for n in merged]
