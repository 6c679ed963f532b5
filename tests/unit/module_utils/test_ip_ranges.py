# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWS feed: parsing, selection, aggregation and diffs, on a small feed and on the two real ones."""

from __future__ import annotations

import functools
import http.server
import ipaddress
import json
import os
import threading

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import (
    diff_feeds,
    feed_metadata,
    load_feed,
    parse_feed,
    select_prefixes,
)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DATA = os.path.join(os.path.dirname(REPO), "shared", "data")
NEW_FEED = os.path.join(DATA, "aws-ip-ranges-2026-08-22.json")
OLD_FEED = os.path.join(DATA, "aws-ip-ranges-2025-08-21.json")
real_feeds = pytest.mark.skipif(not os.path.exists(NEW_FEED), reason="the real feeds (../shared/data) are not present")


def entry(prefix, region, service="AMAZON", group=None):
    key = "ipv6_prefix" if ":" in prefix else "ip_prefix"
    return {key: prefix, "region": region, "service": service, "network_border_group": group or region}


def feed(*entries, date="2026-01-02-03-04-05", token="1"):
    return {"syncToken": token, "createDate": date,
            "prefixes": [e for e in entries if "ip_prefix" in e],
            "ipv6_prefixes": [e for e in entries if "ipv6_prefix" in e]}


SMALL = feed(
    entry("198.51.100.0/25", "us-east-1"), entry("198.51.100.128/25", "us-east-1"),
    entry("198.51.100.0/25", "us-east-1", "EC2"), entry("203.0.113.0/24", "eu-west-1"),
    entry("203.0.113.64/26", "us-east-1", "S3", "us-east-1-wl1"), entry("2001:db8::/33", "us-east-1"),
    entry("2001:db8:8000::/33", "us-east-1"), entry("2001:db8:1::/48", "eu-west-1", "EC2"),
)


@pytest.mark.parametrize("kwargs, expected", [
    ({"region": "us-east-1"}, ["198.51.100.0/25", "198.51.100.128/25", "2001:db8::/33", "2001:db8:8000::/33"]),
    ({"region": "us-east-1", "aggregate": True}, ["198.51.100.0/24", "2001:db8::/32"]),
    ({"region": "us-east-1", "family": "ipv4", "aggregate": True}, ["198.51.100.0/24"]),
    ({"region": "us-east-1", "family": "ipv6"}, ["2001:db8::/33", "2001:db8:8000::/33"]),
    ({"region": ["us-east-1", "eu-west-1"], "family": "ipv4", "aggregate": True},
     ["198.51.100.0/24", "203.0.113.0/24"]),
    ({"service": "EC2"}, ["198.51.100.0/25", "2001:db8:1::/48"]),
    ({"service": None, "network_border_group": "us-east-1-wl1"}, ["203.0.113.64/26"]),
    ({"service": [], "region": "eu-west-1"}, ["203.0.113.0/24", "2001:db8:1::/48"]),
])
def test_select_prefixes(kwargs, expected):
    assert select_prefixes(SMALL, **kwargs) == expected


@pytest.mark.parametrize("kwargs, message", [
    ({"region": "us-east-2"}, "region 'us-east-2' is not in the feed; it has: eu-west-1, us-east-1"),
    ({"service": "CLOUDFRONT"}, "service 'CLOUDFRONT' is not in the feed; it has: AMAZON, EC2, S3"),
    ({"family": "ipv5"}, "unknown family 'ipv5'; expected one of: ipv4, ipv6, both"),
    ({"region": 5}, "region must be a string or a list of strings, got 5"),
])
def test_select_prefixes_errors_name_the_value(kwargs, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        select_prefixes(SMALL, **kwargs)


@pytest.mark.parametrize("data, message", [
    (b"{not json", "feed is not JSON"),
    (b"[]", "expected a JSON object"),
    (json.dumps({"createDate": "x", "prefixes": [], "ipv6_prefixes": []}), "missing or malformed 'syncToken'"),
    (json.dumps({"syncToken": "1", "createDate": "x", "ipv6_prefixes": []}), "missing list 'prefixes'"),
    (json.dumps(feed(dict(entry("198.51.100.0/24", "us-east-1"), region=None))), r"prefixes\[0\] must have ip_prefix"),
])
def test_malformed_feeds_are_refused(data, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        parse_feed(data)


def test_feed_metadata():
    meta = feed_metadata(SMALL)
    assert meta == {"sync_token": "1", "create_date": "2026-01-02-03-04-05", "ipv4_count": 5, "ipv6_count": 3,
                    "regions": ["eu-west-1", "us-east-1"], "services": ["AMAZON", "EC2", "S3"]}


def test_diff_feeds_per_region_service_and_family():
    old = feed(entry("198.51.100.0/25", "us-east-1"), entry("2001:db8::/33", "us-east-1"), date="2025-08-21-00-00-00")
    new = feed(entry("198.51.100.128/25", "us-east-1"), entry("2001:db8::/33", "us-east-1"),
               entry("203.0.113.0/24", "eu-west-1"))
    diff = diff_feeds(old, new)
    assert diff["added"] == ["198.51.100.128/25", "203.0.113.0/24"] and diff["removed"] == ["198.51.100.0/25"]
    assert diff["summary"] == ["eu-west-1 AMAZON IPv4: +1 / -0 prefixes since 2025-08-21",
                               "us-east-1 AMAZON IPv4: +1 / -1 prefixes since 2025-08-21"]
    assert diff_feeds(old, new, region="us-east-1", family="ipv6")["changes"] == []
    with pytest.raises(PurecloudFirewallError, match="region 'mars-1' is not in the feed"):
        diff_feeds(old, new, region="mars-1")


@pytest.mark.parametrize("cidrs, expected", [
    (["198.51.100.0/25", "198.51.100.128/25"], ["198.51.100.0/24"]),
    (["203.0.113.7", "198.51.100.0/24", "198.51.100.7/32"], ["198.51.100.0/24", "203.0.113.7/32"]),
    (["2001:db8::/33", "198.51.100.0/24", "2001:db8:8000::/33"], ["198.51.100.0/24", "2001:db8::/32"]),
    ([], []),
])
def test_aggregate_cidrs(cidrs, expected):
    assert aggregate_cidrs(cidrs) == expected


@pytest.mark.parametrize("bad", ["198.51.100.300/24", "10/8", "198.51.100.0/33", "any", "", "2001:db8::/129"])
def test_aggregate_cidrs_refuses_bad_values_by_name(bad):
    with pytest.raises(PurecloudFirewallError, match="bad CIDR %r" % bad):
        aggregate_cidrs(["198.51.100.0/24", bad])


# --------------------------------------------------------------- loading
def test_load_feed_from_a_file(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(SMALL))
    assert load_feed(str(path)) == SMALL
    assert load_feed("file://%s" % path) == SMALL
    with pytest.raises(PurecloudFirewallError, match="cannot read feed .*missing.json"):
        load_feed(str(tmp_path / "missing.json"))


@pytest.fixture
def feed_server(tmp_path):
    """A real HTTP server on 127.0.0.1 serving SMALL as /ip-ranges.json; .stop() takes it away."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "ip-ranges.json").write_text(json.dumps(SMALL))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = "http://127.0.0.1:%d/ip-ranges.json" % server.server_address[1]

    def stop():
        server.shutdown()
        server.server_close()

    server.stop = stop
    yield server
    if thread.is_alive():
        stop()


def test_load_feed_from_a_url_caches_and_survives_the_server_going_away(feed_server, tmp_path):
    cache = str(tmp_path / "cache")
    assert load_feed(feed_server.url, cache_dir=cache, timeout=5) == SMALL
    assert len(os.listdir(cache)) == 1
    feed_server.stop()
    # Fresh cache: no network needed at all.
    assert load_feed(feed_server.url, cache_dir=cache, timeout=1) == SMALL
    # Expired cache and no server: the cached copy stands in, and says so.
    stale = load_feed(feed_server.url, cache_dir=cache, cache_ttl=0, timeout=1)
    assert stale["_stale"].startswith("download failed, using the cached copy")
    assert feed_metadata(stale)["stale"] == stale["_stale"]


def test_load_feed_without_cache_or_server_fails_naming_the_url(tmp_path):
    with pytest.raises(PurecloudFirewallError, match="cannot download http://127.0.0.1:9/ip-ranges.json"):
        load_feed("http://127.0.0.1:9/ip-ranges.json", cache_dir=str(tmp_path), timeout=1)


# ------------------------------------------------------------ real feeds
@pytest.fixture(scope="module")
def new_feed():
    return load_feed(NEW_FEED)


@real_feeds
def test_real_feed_us_east_1_ipv4_aggregated_is_exact(new_feed):
    with open(NEW_FEED) as handle:
        raw = json.load(handle)
    wanted = [ipaddress.ip_network(p["ip_prefix"]) for p in raw["prefixes"]
              if p["region"] == "us-east-1" and p["service"] == "AMAZON"]
    selected = select_prefixes(new_feed, region="us-east-1", family="ipv4", aggregate=True)
    got = [ipaddress.ip_network(p) for p in selected]
    # An independent aggregation (the standard library) gives the same networks.
    assert got == list(ipaddress.collapse_addresses(wanted))
    assert len(got) == 509 and len(set(wanted)) == 845
    # Nothing lost, nothing added: every raw prefix is covered and the address counts agree.
    assert all(any(net.subnet_of(agg) for agg in got) for net in wanted)
    assert sum(n.num_addresses for n in got) == sum(n.num_addresses for n in ipaddress.collapse_addresses(wanted))
    assert all(not a.overlaps(b) for a, b in zip(got, got[1:]))


@real_feeds
def test_real_feed_metadata(new_feed):
    meta = feed_metadata(new_feed)
    assert (meta["ipv4_count"], meta["ipv6_count"]) == (10666, 6160)
    assert meta["create_date"] == "2026-08-22-21-17-05"
    assert "us-east-1" in meta["regions"] and "AMAZON" in meta["services"]


@real_feeds
def test_real_feeds_diff_matches_plain_set_difference(new_feed):
    old_feed = load_feed(OLD_FEED)
    diff = diff_feeds(old_feed, new_feed, region="us-east-1", service="AMAZON")

    def prefixes(doc, family):
        key, list_key = ("ip_prefix", "prefixes") if family == "ipv4" else ("ipv6_prefix", "ipv6_prefixes")
        return {p[key] for p in doc[list_key] if p["region"] == "us-east-1" and p["service"] == "AMAZON"}

    for family, label in (("ipv4", "IPv4"), ("ipv6", "IPv6")):
        added = prefixes(new_feed, family) - prefixes(old_feed, family)
        removed = prefixes(old_feed, family) - prefixes(new_feed, family)
        change = [c for c in diff["changes"] if c["family"] == family][0]
        assert (set(change["added"]), set(change["removed"])) == (added, removed)
        assert change["summary"] == "us-east-1 AMAZON %s: +%d / -%d prefixes since 2025-08-21" % (
            label, len(added), len(removed))
    assert diff["added_count"] == len(set(diff["added"]))
