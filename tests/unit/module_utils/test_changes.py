# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Upstream changes and the site rules they touch, on the two real AWS feeds a year apart."""

from __future__ import annotations

import copy
import ipaddress
import json
import os

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Catalog, load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.changes import catalog_changes, feed_changes
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import load_feed

from conftest import FEEDS

OLD, NEW = (os.path.join(FEEDS, "aws-ip-ranges-%s.json" % day) for day in ("2025-08-21", "2026-08-22"))
SITE = {"products": ["edge", "webrtc_client"], "region": "us-east-1",
        "networks": {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"],
                     "workstation": ["198.51.100.224/27"]}}


def amazon(path, version):
    with open(path) as handle:
        doc = json.load(handle)
    key, prefix = ("prefixes", "ip_prefix") if version == 4 else ("ipv6_prefixes", "ipv6_prefix")
    return set(e[prefix] for e in doc[key] if e["region"] == "us-east-1" and e["service"] == "AMAZON")


@pytest.fixture(scope="module")
def feeds():
    if not os.path.exists(OLD):
        pytest.skip("needs ../shared/data")
    return load_feed(OLD), load_feed(NEW)


def test_the_regions_prefix_changes_match_an_independent_count(feeds):
    result = feed_changes(dict(SITE, cloud_destinations="any"), *feeds)
    for version, label in ((4, "IPv4"), (6, "IPv6")):
        was, now = amazon(OLD, version), amazon(NEW, version)
        line = "us-east-1 AMAZON %s: +%d / -%d prefixes since 2025-08-21" % (label, len(now - was), len(was - now))
        assert line in result["lines"]
    assert result["touched_rules"] == []
    assert "no rule changes" in result["lines"][-1]


def test_a_strict_site_learns_which_rules_move(feeds):
    result = feed_changes(dict(SITE, cloud_destinations="aws_ip_ranges"), *feeds)
    touched = dict((item["rule"], item) for item in result["touched_rules"])
    assert "edge: edge -> purecloud tcp (edge.https, edge.webrtc.sip, edge.stun.purecloud.tcp)" in touched
    assert "webrtc_client: workstation -> purecloud udp (webrtc_client.media.stun.purecloud.udp, " \
           "webrtc_client.media.srtp)" in touched
    assert not [rule for rule in touched if "google_stun" in rule]  # Google publishes no ranges
    moved = touched["edge: edge -> purecloud tcp (edge.https, edge.webrtc.sip, edge.stun.purecloud.tcp)"]
    assert moved["added"] > 0 and moved["removed"] > 0
    # The aggregated sets really differ by that much.
    assert all(isinstance(ipaddress.ip_network(p), (ipaddress.IPv4Network, ipaddress.IPv6Network))
               for p in amazon(NEW, 4))


def test_catalog_changes_name_rows_and_the_site_rules_they_touch():
    old = load_catalog(edition="2018-11-21")
    data = copy.deepcopy(old.data)
    data["catalog_version"] = "1.2.0"
    data["changelog"].insert(0, {"version": "1.2.0", "date": "2026-12-01", "page_revision": "2018-11-21",
                                 "changes": ["Edge group moved to tcp/8064; XMPP row withdrawn (a test catalog)."]})
    row = [r for r in data["requirements"] if r["id"] == "edge.edge_group.tls"][0]
    row["ports"] = ["8064"]
    data["requirements"] = [r for r in data["requirements"] if r["id"] != "webrtc_client.messaging.xmpp"]
    result = catalog_changes(SITE, old, Catalog(data, origin="test"))
    assert result["rows"]["removed"] == ["webrtc_client.messaging.xmpp"]
    assert [c["id"] for c in result["rows"]["changed"]] == ["edge.edge_group.tls"]
    assert result["lines"][0] == ("catalog 2018-11-21 (catalog 1.1.0) -> 2018-11-21 (catalog 1.2.0): "
                                  "requirements +0 / -1 / ~1")
    assert "row edge.edge_group.tls: ports 8063 -> 8064 [Ports and services to configure on your company firewall]" \
        in result["lines"]
    assert "row webrtc_client.messaging.xmpp removed" in result["lines"]
    assert "rule edge: edge -> edge tcp (edge.edge_group.tls): ports 8063 -> 8064" in result["lines"]
    touched = [item["rule"] for item in result["touched_rules"]]
    assert any(rule.startswith("webrtc_client: workstation -> purecloud tcp") for rule in touched)
