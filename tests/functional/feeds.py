# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real AWS feed for the functional tests, computed independently of the collection's code."""

import ipaddress
import json
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED_FEED = os.path.join(os.path.dirname(REPO), "shared", "data", "aws-ip-ranges-2026-08-22.json")


def us_east_1_prefixes():
    """Every us-east-1 prefix of the real feed, all services, aggregated: (IPv4, IPv6) lists."""
    with open(SHARED_FEED) as handle:
        feed = json.load(handle)
    return tuple([str(n) for n in ipaddress.collapse_addresses(
        ipaddress.ip_network(p[key]) for p in feed[list_key] if p["region"] == "us-east-1")]
        for list_key, key in (("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")))
