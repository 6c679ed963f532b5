# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sites every perimeter platform renders, the flows a rendering must permit, and golden files.

A case is an edition, a product and a destination mode:

* ``any``: the page's destinations, any address on the internet;
* ``strict``: ``purecloud_cloud_destinations: aws_ip_ranges`` with a fixed
  handful of the region's AWS prefixes (IPv4 and IPv6, copied by hand from
  the 2026-08-22 feed), plus the catalog's media blocks;
* ``domains``: the region's domains as FQDN objects for the TCP rows to the
  classes that have domains (only platforms with FQDN objects).

``wanted`` is what a platform's parsed-back rendering must permit, atom for
atom: the plan's rules expanded, never the rendering itself.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any, Dict, FrozenSet, Iterable, NamedTuple, Optional, Tuple, Union

import yaml

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import parse_port_spec
from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
    catalog_for, cloud_domains, plan_products, render_network_site)

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
EDITIONS = ("2018-11-21", "current")
PRODUCTS = load_catalog().role_products()
MODES = ("any", "strict", "domains")
CASES = tuple("%s/%s" % (edition, product) for edition in EDITIONS for product in PRODUCTS)

# us-east-1 prefixes of the AWS feed of 2026-08-22 (service AMAZON), typed here, not read from a feed.
STRICT_AWS_PREFIXES = ("15.230.221.0/24", "52.94.152.9/32", "32.192.0.0/13", "150.222.24.37/32",
                       "2600:f0f0:2::/48", "2600:f0fb:e000::/40")

# An address: a network, a domain name (``*.mypurecloud.com``), or None for any address.
Address = Union[ipaddress.IPv4Network, ipaddress.IPv6Network, str, None]


class Atom(NamedTuple):
    """One permitted flow from one address to one address on one port range."""

    source: Address
    destination: Address
    protocol: str
    first: int
    last: int


def site_settings(case: str, mode: str = "any", **options: Any) -> Dict[str, Any]:
    """The site of tests/network/site.yml for one case and destination mode, with a platform's options."""
    edition, product = case.split("/")
    with open(os.path.join(HERE, "site.yml")) as handle:
        settings = yaml.safe_load(handle)
    settings.update(products=[product], catalog_edition=edition, **options)
    if mode == "strict":
        settings["cloud_destinations"] = "aws_ip_ranges"
    elif mode == "domains":
        settings["cloud_destinations"] = "domains"
    return settings


def render(backend: str, case: str, mode: str = "any", **options: Any) -> Dict[str, Any]:
    """What apply hands the role's network tasks for one case: ``render_network_site``'s result."""
    settings = site_settings(case, mode, **options)
    settings.setdefault("state", "present")
    prefixes = list(STRICT_AWS_PREFIXES) if mode == "strict" else None
    return render_network_site(settings, backend, aws_prefixes=prefixes)


def address(value: Optional[str]) -> Address:
    """A parsed side: None or ``any`` for any address, a CIDR or address as a network, else a domain name."""
    if value is None or value in ("any", "all", "0.0.0.0/0", "::/0"):
        return None
    try:
        return ipaddress.ip_network(value)
    except ValueError:
        return value


def wanted(case: str, mode: str = "any") -> FrozenSet[Atom]:
    """Every atom the case's plan permits: each rule's sources x destinations x port ranges, per family."""
    settings = site_settings(case, mode)
    prefixes = list(STRICT_AWS_PREFIXES) if mode == "strict" else None
    domains = cloud_domains(catalog_for(settings), settings["region"]) if mode == "domains" else {}
    atoms = set()
    for _product, plan in plan_products(settings, aws_prefixes=prefixes):
        for rule in plan.rules:
            # TCP to a class with domains (its https rows, and the rows merged with them) goes to the names.
            names = domains.get(rule.destination_class, ()) if rule.protocol == "tcp" else ()
            pairs: Iterable[Tuple[Address, Address]]
            sources = [None] if rule.sources == "any" else [address(c) for c in rule.sources]
            if names:
                pairs = [(s, name) for s in sources for name in names]
            else:
                targets = [None] if rule.destinations == "any" else [address(c) for c in rule.destinations]
                pairs = [(s, d) for s in sources for d in targets if _same_family(s, d)]
            for source, destination in pairs:
                for port in rule.ports:
                    atoms.add(Atom(source, destination, rule.protocol, *parse_port_spec(port)))
    return frozenset(atoms)


def _same_family(source: Address, destination: Address) -> bool:
    """A flow between two networks exists only within one address family."""
    if not isinstance(source, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return True
    if not isinstance(destination, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return True
    return source.version == destination.version


def golden_path(edition: str, platform: str, name: str) -> str:
    return os.path.join(GOLDEN, edition, platform, name)


def check_golden(path: str, text: str) -> None:
    """``text`` equals the golden file at ``path``; ``UPDATE_GOLDEN=1`` rewrites it, for review in the diff."""
    if os.environ.get("UPDATE_GOLDEN"):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
    with open(path) as handle:
        assert text == handle.read(), "%s differs; UPDATE_GOLDEN=1 rewrites it for review" % path
