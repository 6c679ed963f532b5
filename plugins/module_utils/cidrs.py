# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's one CIDR parser: validation, address families, containment and aggregation.

Built on the standard library's ``ipaddress`` rather than netaddr: this
module also runs on the managed hosts (nft_table, firewalld_state check
their input there), where the host's own Python has ipaddress and may not
have netaddr, and ``summarize_address_range`` writes merged spans as
CIDRs as netaddr's ``cidr_merge`` does.

A network is accepted as ``198.51.100.0/24``, ``2001:db8::/32`` or a bare
address (a /32 or /128).  Shorthand that some parsers take (``10/8``,
``1.2.3``, octal-looking ``010.0.0.1``, netmasks or ``/08`` after the
slash, an IPv6 zone) is refused: on a firewall a guess is worse than an
error.  A network written with host bits set (``198.51.100.7/24``) means
its network, ``198.51.100.0/24``, as it does to iptables and firewalld.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import Dict, Iterable, List, Mapping, Tuple, Union

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
# (version, first address as an integer, prefix length): a sort key and a compact form.
Network = Tuple[int, int, int]

_PREFIX_LENGTH = re.compile(r"0|[1-9][0-9]{0,2}")
# The feeds' common case, a canonical IPv4 CIDR, in one regex: a fast path before the full parse
# (about eight times quicker on a feed's 800 prefixes).
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4_CIDR = re.compile(r"(%s(?:\.%s){3})/(3[0-2]|[12]?[0-9])" % (_OCTET, _OCTET))


def _bad(value: object) -> PurecloudFirewallError:
    return PurecloudFirewallError(
        "bad CIDR %r: expected an IPv4 or IPv6 network like '198.51.100.0/24' or '2001:db8::/32', "
        "or a bare address" % (value,))


def _text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (bool, int, float, bytes)) or value is None:
        raise _bad(value)
    return str(value).strip()  # address objects (ipaddress, netaddr) print as CIDRs


def network(value: object) -> IPNetwork:
    """``"198.51.100.7/24"`` -> IPv4Network('198.51.100.0/24'); errors name the value."""
    if isinstance(value, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return value
    text = _text(value)
    quick = _IPV4_CIDR.fullmatch(text)
    if quick is not None:
        number = int.from_bytes(socket.inet_aton(quick.group(1)), "big")
        return ipaddress.IPv4Network((number, int(quick.group(2))), strict=False)
    address, slash, length = text.partition("/")
    if (slash and _PREFIX_LENGTH.fullmatch(length) is None) or "%" in address or not address.isascii():
        raise _bad(value)
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise _bad(value) from None


def parse_cidr(value: object) -> Network:
    """``"198.51.100.7/24"`` -> (4, <198.51.100.0 as int>, 24).

    The integer form is what aggregation works on: a feed's thousands of
    prefixes are merged as integer spans, not as network objects.
    """
    if isinstance(value, str):
        quick = _IPV4_CIDR.fullmatch(value.strip())
        if quick is not None:
            length = int(quick.group(2))
            number = int.from_bytes(socket.inet_aton(quick.group(1)), "big")
            return 4, number & ~((1 << (32 - length)) - 1), length
        address, slash, length_text = value.strip().partition("/")
        if slash and ":" in address and "%" not in address and address.isascii() \
                and _PREFIX_LENGTH.fullmatch(length_text) and int(length_text) <= 128:
            try:
                number = int.from_bytes(socket.inet_pton(socket.AF_INET6, address), "big")
            except OSError:
                raise _bad(value) from None
            length = int(length_text)
            return 6, number & ~((1 << (128 - length)) - 1), length
    parsed = network(value)
    return parsed.version, int(parsed.network_address), parsed.prefixlen


def format_cidr(parsed: Union[Network, IPNetwork]) -> str:
    """The CIDR as text; IPv6 in RFC 5952's form, IPv4-mapped addresses dotted, whichever the Python."""
    if not isinstance(parsed, tuple):
        parsed = (parsed.version, int(parsed.network_address), parsed.prefixlen)
    version, number, prefix_length = parsed
    if version == 4:
        return "%s/%d" % (ipaddress.IPv4Address(number), prefix_length)
    return "%s/%d" % (socket.inet_ntop(socket.AF_INET6, number.to_bytes(16, "big")), prefix_length)


def validate_cidr(value: object) -> str:
    """The canonical form of a CIDR or bare address: ``" 203.0.113.7 "`` -> ``"203.0.113.7/32"``."""
    return format_cidr(network(value))


def ip_version(value: object) -> int:
    """4 or 6."""
    if isinstance(value, str) and _IPV4_CIDR.fullmatch(value.strip()) is not None:
        return 4
    return network(value).version


def cidr_sort_key(value: object) -> Network:
    """Sort key putting IPv4 before IPv6, then numeric order (not text order: 9.x before 10.x)."""
    return parse_cidr(value)


def by_family(cidrs: Iterable[object]) -> Dict[int, List[str]]:
    """``{4: [...], 6: [...]}``: the CIDRs of each address family, as given, in order."""
    families: Dict[int, List[str]] = {4: [], 6: []}
    for cidr in cidrs:
        families[ip_version(cidr)].append(str(cidr))
    return families


def contains(cidr: object, address: object) -> bool:
    """Whether the network ``cidr`` holds ``address`` (an address of the other family is not held)."""
    held = network(address)
    outer = network(cidr)
    return held.version == outer.version and held.subnet_of(outer)  # type: ignore[arg-type]


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
    # A set first: the feed repeats a prefix once per service.
    parsed = set(parse_cidr(c) for c in _as_items(cidrs))
    merged: List[str] = []
    for version, bits, address in ((4, 32, ipaddress.IPv4Address), (6, 128, ipaddress.IPv6Address)):
        # Overlapping and adjacent networks become one span of integers; the standard library then
        # writes each span as its fewest CIDRs.  The same answer as collapse_addresses, several times
        # quicker on a whole feed, since only the merged spans become address objects.
        spans: List[List[int]] = []
        for first, last in sorted((number, number | ((1 << (bits - length)) - 1))
                                  for family, number, length in parsed if family == version):
            if spans and first <= spans[-1][1] + 1:
                spans[-1][1] = max(spans[-1][1], last)
            else:
                spans.append([first, last])
        for first, last in spans:
            merged.extend(format_cidr(n) for n in ipaddress.summarize_address_range(address(first), address(last)))
    return merged
