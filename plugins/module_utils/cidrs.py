# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CIDR validation and aggregation (netaddr), shared by compile, feeds and filters."""

from __future__ import annotations

from typing import Iterable, List

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

try:
    import netaddr

    HAS_NETADDR = True
except ImportError:  # pragma: no cover - exercised only without netaddr
    HAS_NETADDR = False


def require_netaddr() -> None:
    if not HAS_NETADDR:
        raise PurecloudFirewallError(
            "the Python library netaddr is required on the controller (pip install netaddr)")


def validate_cidr(value: object) -> "netaddr.IPNetwork":
    """A CIDR or a bare address (taken as /32 or /128); errors name the value."""
    require_netaddr()
    text = str(value).strip()
    try:
        if not text or any(c.isspace() for c in text):
            raise ValueError(text)
        network = netaddr.IPNetwork(text)
        # netaddr accepts legacy shorthand like "10/8" or "1.2.3"; refuse it.
        if network.version == 4 and text.split("/", maxsplit=1)[0].count(".") != 3:
            raise ValueError(text)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise PurecloudFirewallError(
            "bad CIDR %r: expected an IPv4 or IPv6 network like '198.51.100.0/24' or '2001:db8::/32'" % (value,)
        ) from None
    return network


def ip_version(value: object) -> int:
    return validate_cidr(value).version


def aggregate_cidrs(cidrs: Iterable[object]) -> List[str]:
    """Merge networks into the fewest CIDRs covering exactly the same addresses, IPv4 first."""
    if isinstance(cidrs, (str, bytes)):
        cidrs = [cidrs]
    networks = [validate_cidr(c) for c in cidrs]
    merged = netaddr.cidr_merge(networks)
    return [str(n) for n in sorted(merged, key=lambda n: (n.version, n))]
