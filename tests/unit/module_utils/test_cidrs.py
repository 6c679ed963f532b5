# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CIDR validation and aggregation, checked against the standard library's ipaddress."""

from __future__ import annotations

import ipaddress
import json
import os
import random

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils import cidrs
from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import (
    aggregate_cidrs,
    cidr_sort_key,
    format_cidr,
    ip_version,
    parse_cidr,
    validate_cidr,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
NEW_FEED = os.path.join(os.path.dirname(REPO), "shared", "data", "aws-ip-ranges-2026-08-22.json")
real_feed = pytest.mark.skipif(not os.path.exists(NEW_FEED), reason="the real feeds (../shared/data) are not present")


@pytest.mark.parametrize("value, canonical, version", [
    ("198.51.100.0/24", "198.51.100.0/24", 4),
    ("203.0.113.7", "203.0.113.7/32", 4),
    (" 203.0.113.7/32\n", "203.0.113.7/32", 4),
    ("198.51.100.7/24", "198.51.100.0/24", 4),  # host bits: the network is meant
    ("0.0.0.0/0", "0.0.0.0/0", 4),
    ("255.255.255.255", "255.255.255.255/32", 4),
    ("2001:DB8::/32", "2001:db8::/32", 6),
    ("2001:db8:0:0:0:0:0:1", "2001:db8::1/128", 6),
    ("2001:db8::1/64", "2001:db8::/64", 6),
    ("::/0", "::/0", 6),
    ("::ffff:192.0.2.1", "::ffff:192.0.2.1/128", 6),
    (ipaddress.ip_network("192.0.2.0/24"), "192.0.2.0/24", 4),
    (ipaddress.ip_address("2001:db8::5"), "2001:db8::5/128", 6),
])
def test_validate_cidr_and_ip_version(value, canonical, version):
    assert validate_cidr(value) == canonical
    assert ip_version(value) == version
    # The standard library agrees on the network (it writes IPv4-mapped addresses in hex, netaddr and RFC 5952 not).
    assert ipaddress.ip_network(canonical) == ipaddress.ip_network(str(value).strip(), strict=False)


@pytest.mark.parametrize("bad", [
    "", " ", "any", "198.51.100.300/24", "256.0.0.0", "198.51.100.0/33", "198.51.100.0/", "/24",
    "10/8", "10.1/16", "1.2.3", "010.0.0.1", "1.2.3.04", "198.51.100.0/08", "198.51.100.0/255.255.255.0",
    "198.51.100.0/ 24", "198.51.100.0 /24", "1.2.3.4.5", "0x1.2.3.4", "\u0661.2.3.4", "1.2.3.4/\u0662",
    "2001:db8::/129", "2001:db8:::/32", "2001:db8::g/64", "fe80::1%eth0", "2001:db8::/32/1", ":::",
    None, 5, 3.5, True, b"198.51.100.0/24", ["198.51.100.0/24"],
])
def test_bad_values_are_refused_by_name(bad):
    with pytest.raises(PurecloudFirewallError) as info:
        validate_cidr(bad)
    assert str(info.value).startswith("bad CIDR %r: expected an IPv4 or IPv6 network" % (bad,))
    with pytest.raises(PurecloudFirewallError, match="bad CIDR"):
        aggregate_cidrs(["198.51.100.0/24", bad])


@pytest.mark.parametrize("given, expected", [
    (["198.51.100.0/25", "198.51.100.128/25"], ["198.51.100.0/24"]),
    (["203.0.113.7", "198.51.100.0/24", "198.51.100.7/32"], ["198.51.100.0/24", "203.0.113.7/32"]),
    (["2001:db8::/33", "198.51.100.0/24", "2001:db8:8000::/33"], ["198.51.100.0/24", "2001:db8::/32"]),
    (["2001:db8::1", "2001:db8::"], ["2001:db8::/127"]),
    (["10.0.0.1/8"], ["10.0.0.0/8"]),
    (["10.0.0.0/8", "10.0.0.0/8", "10.1.0.0/16"], ["10.0.0.0/8"]),
    (["192.0.2.1", "192.0.2.2"], ["192.0.2.1/32", "192.0.2.2/32"]),  # adjacent but not one CIDR
    (["192.0.2.0/25", "192.0.2.128/26", "192.0.2.192/26"], ["192.0.2.0/24"]),
    (["10.0.0.0/8", "9.0.0.0/8", "2001:db8::/32", "1.0.0.0/8"], ["1.0.0.0/8", "9.0.0.0/8", "10.0.0.0/8", "2001:db8::/32"]),
    (["0.0.0.0/1", "128.0.0.0/1"], ["0.0.0.0/0"]),
    ("192.0.2.9", ["192.0.2.9/32"]),  # a single string is a list of one
    ((c for c in ["192.0.2.0/25", "192.0.2.128/25"]), ["192.0.2.0/24"]),  # any iterable
    ([], []),
])
def test_aggregate_cidrs(given, expected):
    assert aggregate_cidrs(given) == expected


@pytest.mark.parametrize("given", [None, {"192.0.2.0/24": 1}, 5])
def test_aggregate_cidrs_wants_a_list(given):
    with pytest.raises(PurecloudFirewallError, match="expected a list of CIDRs or addresses, got"):
        aggregate_cidrs(given)


def test_families_and_containment():
    assert cidrs.by_family(["198.51.100.0/24", "2001:db8::/32", "203.0.113.7/32"]) == {
        4: ["198.51.100.0/24", "203.0.113.7/32"], 6: ["2001:db8::/32"]}
    assert cidrs.contains("198.51.100.0/24", "198.51.100.77")
    assert not cidrs.contains("198.51.100.0/24", "203.0.113.1")
    assert not cidrs.contains("::/0", "198.51.100.1")  # another family is never held
    with pytest.raises(PurecloudFirewallError, match="bad CIDR '10/8'"):
        cidrs.contains("10/8", "10.0.0.1")


def test_parse_and_format_round_trip():
    assert parse_cidr("198.51.100.7/24") == (4, int(ipaddress.ip_address("198.51.100.0")), 24)
    assert format_cidr(parse_cidr("2001:db8:0:1::/64")) == "2001:db8:0:1::/64"
    assert sorted(["10.0.0.0/8", "2001:db8::/32", "9.0.0.0/8", "9.0.0.0/16"], key=cidr_sort_key) == [
        "9.0.0.0/8", "9.0.0.0/16", "10.0.0.0/8", "2001:db8::/32"]


def _random_networks(rng, count):
    items = []
    for _item in range(count):
        if rng.random() < 0.6:
            items.append("10.%d.%d.%d/%d" % (rng.randint(0, 3), rng.randint(0, 255), rng.randint(0, 255),
                                             rng.randint(14, 32)))
        else:
            items.append("2001:db8:%x::%x/%d" % (rng.randint(0, 3), rng.randint(0, 0xFFFF), rng.randint(40, 128)))
    return items


@pytest.mark.parametrize("seed", range(25))
def test_aggregation_matches_the_standard_library(seed):
    # Random, overlapping, with host bits set: the standard library (strict=False) is the reference.
    items = _random_networks(random.Random(seed), 60)
    networks = [ipaddress.ip_network(i, strict=False) for i in items]
    expected = [str(n) for version in (4, 6)
                for n in ipaddress.collapse_addresses(n for n in networks if n.version == version)]
    assert aggregate_cidrs(items) == expected
    assert [validate_cidr(i) for i in items] == [str(n) for n in networks]


@real_feed
def test_every_prefix_of_the_real_feed_aggregates_like_the_standard_library():
    with open(NEW_FEED) as handle:
        raw = json.load(handle)
    prefixes = [p["ip_prefix"] for p in raw["prefixes"]] + [p["ipv6_prefix"] for p in raw["ipv6_prefixes"]]
    expected = [str(n) for version in (4, 6) for n in ipaddress.collapse_addresses(
        ipaddress.ip_network(p) for p in prefixes if ipaddress.ip_network(p).version == version)]
    assert aggregate_cidrs(prefixes) == expected
    assert len(prefixes) > 16000 and len(expected) < len(prefixes)
