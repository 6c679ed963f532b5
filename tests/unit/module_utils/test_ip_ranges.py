# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWS feed: parsing, selection, aggregation, diffs and loading, on a small feed and on the two real ones.

Results on the real feeds are checked against answers computed here
independently: the standard library's ipaddress for aggregation, plain set
differences for the diff.
"""

from __future__ import annotations

import bisect
import copy
import functools
import http.server
import ipaddress
import json
import os
import threading
import time

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import (
    AWS_FEED_URL,
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
real_feeds = pytest.mark.skipif(not (os.path.exists(NEW_FEED) and os.path.exists(OLD_FEED)),
                                reason="the real feeds (../shared/data) are not present")


def entry(prefix, region, service="AMAZON", group=None):
    key = "ipv6_prefix" if ":" in prefix else "ip_prefix"
    return {key: prefix, "region": region, "service": service, "network_border_group": group or region}


def feed(*entries, date="2026-01-02-03-04-05", token="1"):
    return {"syncToken": token, "createDate": date,
            "prefixes": [e for e in entries if "ip_prefix" in e],
            "ipv6_prefixes": [e for e in entries if "ipv6_prefix" in e]}


def feed_of(doc):
    """The feed itself, without load_feed's notes (_age, _stale, _cache_error), which are not part of it."""
    return dict((key, value) for key, value in doc.items() if not key.startswith("_"))


SMALL = feed(
    entry("198.51.100.0/25", "us-east-1"), entry("198.51.100.128/25", "us-east-1"),
    entry("198.51.100.0/25", "us-east-1", "EC2"), entry("203.0.113.0/24", "eu-west-1"),
    entry("203.0.113.64/26", "us-east-1", "S3", "us-east-1-wl1"), entry("2001:db8::/33", "us-east-1"),
    entry("2001:db8:8000::/33", "us-east-1"), entry("2001:db8:1::/48", "eu-west-1", "EC2"),
)


# ---------------------------------------------------------------- select
@pytest.mark.parametrize("kwargs, expected", [
    ({}, ["198.51.100.0/25", "198.51.100.128/25", "203.0.113.0/24", "2001:db8::/33", "2001:db8:8000::/33"]),
    ({"region": "us-east-1"}, ["198.51.100.0/25", "198.51.100.128/25", "2001:db8::/33", "2001:db8:8000::/33"]),
    ({"region": "us-east-1", "aggregate": True}, ["198.51.100.0/24", "2001:db8::/32"]),
    ({"region": "us-east-1", "family": "ipv4", "aggregate": True}, ["198.51.100.0/24"]),
    ({"region": "us-east-1", "family": "ipv6"}, ["2001:db8::/33", "2001:db8:8000::/33"]),
    ({"region": ["us-east-1", "eu-west-1"], "family": "ipv4", "aggregate": True},
     ["198.51.100.0/24", "203.0.113.0/24"]),
    ({"region": ("eu-west-1",), "family": "ipv4"}, ["203.0.113.0/24"]),
    ({"service": "EC2"}, ["198.51.100.0/25", "2001:db8:1::/48"]),
    ({"service": ["EC2", "S3"], "family": "ipv4"}, ["198.51.100.0/25", "203.0.113.64/26"]),
    ({"service": None, "region": "us-east-1", "family": "ipv4"},  # duplicates across services kept once
     ["198.51.100.0/25", "198.51.100.128/25", "203.0.113.64/26"]),
    ({"service": None, "network_border_group": "us-east-1-wl1"}, ["203.0.113.64/26"]),
    ({"service": [], "region": "eu-west-1"}, ["203.0.113.0/24", "2001:db8:1::/48"]),
    ({"service": "", "region": "eu-west-1", "aggregate": True}, ["203.0.113.0/24", "2001:db8:1::/48"]),
    ({"service": None, "region": "eu-west-1", "family": "ipv4", "aggregate": True}, ["203.0.113.0/24"]),
    ({"region": "eu-west-1", "service": "S3"}, []),  # both exist, no entry has both
])
def test_select_prefixes(kwargs, expected):
    assert select_prefixes(SMALL, **kwargs) == expected


@pytest.mark.parametrize("kwargs, message", [
    ({"region": "us-east-2"}, "unknown region 'us-east-2' (not in the feed); expected one of: eu-west-1, us-east-1"),
    ({"region": ["us-east-1", "mars-1"]}, "unknown region 'mars-1' (not in the feed); expected one of: eu-west-1, "
                                          "us-east-1"),
    ({"service": "CLOUDFRONT"}, "unknown service 'CLOUDFRONT' (not in the feed); expected one of: AMAZON, EC2, S3"),
    ({"network_border_group": "us-east-1-bos-1"}, "unknown network border group 'us-east-1-bos-1' (not in the "
                                                  "feed); expected one of: eu-west-1, us-east-1, us-east-1-wl1"),
    ({"family": "ipv5"}, "unknown family 'ipv5'; expected one of: ipv4, ipv6, both"),
    ({"family": "IPv4"}, "unknown family 'IPv4'; expected one of: ipv4, ipv6, both"),
    ({"region": 5}, "region must be a string or a list of strings, got 5"),
    ({"service": ["AMAZON", 7]}, r"service must be a string or a list of strings, got \['AMAZON', 7\]"),
])
def test_select_prefixes_errors_name_the_value_and_the_choices(kwargs, message):
    with pytest.raises(PurecloudFirewallError) as info:
        select_prefixes(SMALL, **kwargs)
    assert str(info.value) == message.replace("\\", "")


@pytest.mark.parametrize("bad_prefix, message", [
    ("198.51.100.0/33", "bad CIDR '198.51.100.0/33'"),
    ("2001:db8::/32", r"bad CIDR '2001:db8::/32' in prefixes: expected an IPv4 network"),
])
def test_a_bad_prefix_in_the_feed_is_named_when_selected(bad_prefix, message):
    bad = {"ip_prefix": bad_prefix, "region": "eu-west-1", "service": "AMAZON", "network_border_group": "eu-west-1"}
    doc = feed(entry("192.0.2.0/24", "us-east-1"), bad)
    assert select_prefixes(doc, region="us-east-1") == ["192.0.2.0/24"]  # only selected prefixes are parsed
    for aggregate in (False, True):
        with pytest.raises(PurecloudFirewallError, match=message if not aggregate else "bad CIDR"):
            select_prefixes(doc, region="eu-west-1", aggregate=aggregate)


# ----------------------------------------------------------------- parse
def _broken(path, value):
    """SMALL with one key replaced (path: tuple of keys and indexes) or deleted (value: KeyError)."""
    doc = copy.deepcopy(SMALL)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(doc)


@pytest.mark.parametrize("data, message", [
    (b"{not json", r"^feed is not JSON: Expecting property name"),
    (b"\xff\xfe", r"^feed is not JSON"),
    ("", r"^feed is not JSON"),
    (b"[]", r"^feed: expected a JSON object with syncToken, createDate, prefixes and ipv6_prefixes, got list"),
    (5, r"^feed: expected an ip-ranges.json document \(JSON text or a mapping\), got int"),
    (_broken(("syncToken",), KeyError), r"^feed: missing 'syncToken' \(not an AWS ip-ranges.json document\?\)"),
    (_broken(("createDate",), KeyError), r"^feed: missing 'createDate'"),
    (_broken(("syncToken",), 17), r"^feed: 'syncToken' must be a string, got 17"),
    (_broken(("createDate",), "2026-01-02"),
     r"^feed: createDate '2026-01-02' is not in the feed's YYYY-MM-DD-hh-mm-ss form"),
    (_broken(("prefixes",), KeyError), r"^feed: missing list 'prefixes'"),
    (_broken(("ipv6_prefixes",), KeyError), r"^feed: missing list 'ipv6_prefixes'"),
    (_broken(("prefixes",), {"a": 1}), r"^feed: 'prefixes' must be a list, got dict"),
    (_broken(("prefixes", 2), "198.51.100.0/25"), r"^feed: prefixes\[2\] must be an object with string values "
                                                  r"for ip_prefix, region, service, network_border_group; "
                                                  r"got '198.51.100.0/25'"),
    (_broken(("prefixes", 1, "region"), None), r"^feed: prefixes\[1\] must be an object"),
    (_broken(("prefixes", 0, "network_border_group"), KeyError), r"^feed: prefixes\[0\] must be an object"),
    (_broken(("ipv6_prefixes", 2, "ipv6_prefix"), KeyError), r"^feed: ipv6_prefixes\[2\] must be an object "
                                                             r"with string values for ipv6_prefix"),
    (_broken(("ipv6_prefixes", 0, "service"), ["AMAZON"]), r"^feed: ipv6_prefixes\[0\] must be an object"),
])
def test_malformed_feeds_are_refused_saying_what_is_wrong(data, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        parse_feed(data)


def test_parse_feed_accepts_bytes_text_and_mappings():
    text = json.dumps(SMALL)
    assert parse_feed(text) == parse_feed(text.encode()) == parse_feed(SMALL) == SMALL
    assert parse_feed(SMALL) is not SMALL  # a copy: load_feed's notes never land in the caller's document
    with pytest.raises(PurecloudFirewallError, match="^old feed is not JSON"):
        parse_feed("{", origin="old feed")


def test_feed_metadata():
    assert feed_metadata(SMALL) == {
        "sync_token": "1", "create_date": "2026-01-02-03-04-05", "ipv4_count": 5, "ipv6_count": 3,
        "regions": ["eu-west-1", "us-east-1"], "services": ["AMAZON", "EC2", "S3"]}


# ------------------------------------------------------------------ diff
OLD = feed(entry("198.51.100.0/25", "us-east-1"), entry("2001:db8::/33", "us-east-1"),
           entry("192.0.2.0/24", "us-east-1", "EC2"), entry("10.0.0.0/8", "ap-south-1"),
           date="2025-08-21-00-00-00", token="100")
NEW = feed(entry("198.51.100.128/25", "us-east-1"), entry("9.0.0.0/8", "us-east-1"),
           entry("2001:db8::/33", "us-east-1"), entry("192.0.2.0/24", "us-east-1"),
           entry("203.0.113.0/24", "eu-west-1"), entry("2001:db8:1::/48", "eu-west-1"), token="200")


def test_diff_feeds_per_region_service_and_family_and_in_total():
    diff = diff_feeds(OLD, NEW)
    assert diff["old"] == {"sync_token": "100", "create_date": "2025-08-21-00-00-00"}
    assert diff["new"] == {"sync_token": "200", "create_date": "2026-01-02-03-04-05"}
    # 192.0.2.0/24 moved from EC2 to AMAZON: a change for both keys, but not in the totals.
    assert diff["added"] == ["9.0.0.0/8", "198.51.100.128/25", "203.0.113.0/24", "2001:db8:1::/48"]
    assert diff["removed"] == ["10.0.0.0/8", "198.51.100.0/25"]
    assert (diff["added_count"], diff["removed_count"]) == (4, 2)
    assert diff["summary"] == [
        "ap-south-1 AMAZON IPv4: +0 / -1 prefixes since 2025-08-21",
        "eu-west-1 AMAZON IPv4: +1 / -0 prefixes since 2025-08-21",
        "eu-west-1 AMAZON IPv6: +1 / -0 prefixes since 2025-08-21",
        "us-east-1 AMAZON IPv4: +3 / -1 prefixes since 2025-08-21",
        "us-east-1 EC2 IPv4: +0 / -1 prefixes since 2025-08-21",
    ]
    change = [c for c in diff["changes"] if (c["region"], c["service"], c["family"]) == ("us-east-1", "AMAZON", "ipv4")]
    assert change == [{
        "region": "us-east-1", "service": "AMAZON", "family": "ipv4",
        "added": ["9.0.0.0/8", "192.0.2.0/24", "198.51.100.128/25"], "removed": ["198.51.100.0/25"],
        "added_count": 3, "removed_count": 1, "before_count": 1, "after_count": 3,
        "summary": "us-east-1 AMAZON IPv4: +3 / -1 prefixes since 2025-08-21"}]


@pytest.mark.parametrize("kwargs, summary", [
    ({"region": "us-east-1", "service": "AMAZON"}, ["us-east-1 AMAZON IPv4: +3 / -1 prefixes since 2025-08-21"]),
    ({"region": "us-east-1", "family": "ipv6"}, []),
    ({"region": "ap-south-1"}, ["ap-south-1 AMAZON IPv4: +0 / -1 prefixes since 2025-08-21"]),  # only in the old
    ({"region": "eu-west-1", "family": "ipv6"}, ["eu-west-1 AMAZON IPv6: +1 / -0 prefixes since 2025-08-21"]),
    ({"service": ["EC2"]}, ["us-east-1 EC2 IPv4: +0 / -1 prefixes since 2025-08-21"]),
])
def test_diff_feeds_selection(kwargs, summary):
    assert diff_feeds(OLD, NEW, **kwargs)["summary"] == summary


@pytest.mark.parametrize("kwargs, message", [
    ({"region": "mars-1"}, "unknown region 'mars-1' (not in the feed); expected one of: ap-south-1, eu-west-1, "
                           "us-east-1"),
    ({"service": "S3"}, "unknown service 'S3' (not in the feed); expected one of: AMAZON, EC2"),
    ({"family": "all"}, "unknown family 'all'; expected one of: ipv4, ipv6, both"),
])
def test_diff_feeds_errors(kwargs, message):
    with pytest.raises(PurecloudFirewallError) as info:
        diff_feeds(OLD, NEW, **kwargs)
    assert str(info.value) == message


def test_diff_of_a_feed_with_itself_is_empty():
    diff = diff_feeds(SMALL, SMALL)
    assert (diff["added"], diff["removed"], diff["changes"], diff["summary"]) == ([], [], [], [])


# --------------------------------------------------------------- loading
def test_load_feed_from_a_file(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(SMALL))
    os.utime(path, (time.time() - 3600, time.time() - 3600))
    assert 3590 < load_feed(str(path))["_age"] < 3700  # a file is as old as its last write
    assert feed_of(load_feed(str(path))) == SMALL
    assert feed_of(load_feed("file://%s" % path)) == SMALL
    with pytest.raises(PurecloudFirewallError, match="cannot read feed .*missing.json: No such file"):
        load_feed(str(tmp_path / "missing.json"))
    (tmp_path / "broken.json").write_text('{"syncToken": "1"}')
    with pytest.raises(PurecloudFirewallError, match="broken.json: missing 'createDate'"):
        load_feed(str(tmp_path / "broken.json"))


@pytest.mark.parametrize("src", [None, "", "  ", 5])
def test_load_feed_wants_a_source(src):
    with pytest.raises(PurecloudFirewallError, match="src must be a path or an http\\(s\\) URL"):
        load_feed(src)


class FeedServer:
    """A real HTTP server on 127.0.0.1 serving files from a directory, counting requests."""

    def __init__(self, root):
        self.requests = 0
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server name
                server.requests += 1
                super().do_GET()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.base = "http://127.0.0.1:%d/" % self.httpd.server_address[1]
        self.running = True

    def stop(self):
        if self.running:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.running = False


@pytest.fixture
def www(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    (root / "ip-ranges.json").write_text(json.dumps(SMALL))
    (root / "not-a-feed.json").write_text('{"hello": "world"}')
    server = FeedServer(str(root))
    server.root = root
    yield server
    server.stop()


def test_load_feed_from_a_url_caches_and_survives_the_server_going_away(www, tmp_path):
    cache = str(tmp_path / "cache")
    url = www.base + "ip-ranges.json"
    fresh = load_feed(url, cache_dir=cache, timeout=5)
    assert feed_of(fresh) == SMALL and fresh["_age"] == 0.0
    assert www.requests == 1 and len(os.listdir(cache)) == 1
    # A fresh cache is used without asking the network.
    assert feed_of(load_feed(url, cache_dir=cache, timeout=5)) == SMALL
    assert www.requests == 1
    # An expired cache is refreshed from the server.
    (www.root / "ip-ranges.json").write_text(json.dumps(dict(SMALL, syncToken="2")))
    assert load_feed(url, cache_dir=cache, cache_ttl=0, timeout=5)["syncToken"] == "2"
    assert www.requests == 2
    www.stop()
    # Fresh cache, no server: no network needed at all.
    assert load_feed(url, cache_dir=cache, timeout=1)["syncToken"] == "2"
    # Expired cache and no server: the cached copy stands in, and says so.
    stale = load_feed(url, cache_dir=cache, cache_ttl=0, timeout=1)
    assert stale["syncToken"] == "2"
    assert stale["_stale"].startswith("download failed, using the cached copy of %s from " % url)
    assert "cannot download %s" % url in stale["_stale"]
    assert feed_metadata(stale)["stale"] == stale["_stale"]


def test_the_cache_is_keyed_by_url(www, tmp_path):
    cache = str(tmp_path / "cache")
    (www.root / "other.json").write_text(json.dumps(dict(SMALL, syncToken="other")))
    assert load_feed(www.base + "ip-ranges.json", cache_dir=cache)["syncToken"] == "1"
    assert load_feed(www.base + "other.json", cache_dir=cache)["syncToken"] == "other"
    assert len(os.listdir(cache)) == 2


def test_a_download_that_is_not_a_feed_falls_back_to_the_cache_or_fails(www, tmp_path):
    cache = str(tmp_path / "cache")
    url = www.base + "not-a-feed.json"
    with pytest.raises(PurecloudFirewallError, match=r"^%s: missing 'syncToken'" % url):
        load_feed(url, cache_dir=cache)
    assert not os.path.exists(cache)  # nothing bad is cached
    with pytest.raises(PurecloudFirewallError, match=r"^cannot download %s.*404" % (www.base + "gone.json")):
        load_feed(www.base + "gone.json", cache_dir=cache)
    # With a good copy cached, a bad download (here: no longer a feed) leaves it in use, and says so.
    url = www.base + "ip-ranges.json"
    assert feed_of(load_feed(url, cache_dir=cache)) == SMALL
    (www.root / "ip-ranges.json").write_text("<html>maintenance</html>")
    stale = load_feed(url, cache_dir=cache, cache_ttl=0)
    assert feed_of(stale) == SMALL and stale["_stale"]
    assert stale["_stale"].endswith("%s is not JSON: Expecting value: line 1 column 1 (char 0)" % url)


def test_a_damaged_cache_is_replaced_by_a_download(www, tmp_path):
    cache = tmp_path / "cache"
    url = www.base + "ip-ranges.json"
    load_feed(url, cache_dir=str(cache))
    (cached,) = cache.iterdir()
    cached.write_text("{truncated")
    assert feed_of(load_feed(url, cache_dir=str(cache))) == SMALL
    assert www.requests == 2 and json.loads(cached.read_text()) == SMALL
    cached.write_text("{truncated")
    www.stop()
    with pytest.raises(PurecloudFirewallError, match="cannot download .*; and the cached copy is unusable: .*not JSON"):
        load_feed(url, cache_dir=str(cache), cache_ttl=0, timeout=1)


def test_an_unwritable_cache_is_reported_not_fatal(www, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    doc = load_feed(www.base + "ip-ranges.json", cache_dir=str(blocker / "cache"))
    assert doc["syncToken"] == "1" and doc["_cache_error"].startswith("could not cache the feed in")


def test_load_feed_without_cache_or_server_fails_naming_the_url(tmp_path):
    with pytest.raises(PurecloudFirewallError, match="^cannot download http://127.0.0.1:9/ip-ranges.json"):
        load_feed("http://127.0.0.1:9/ip-ranges.json", cache_dir=str(tmp_path), timeout=1)


def test_the_default_source_is_aws():
    assert AWS_FEED_URL == "https://ip-ranges.amazonaws.com/ip-ranges.json"


# ------------------------------------------------------------ real feeds
@pytest.fixture(scope="module")
def raw_new():
    with open(NEW_FEED) as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def raw_old():
    with open(OLD_FEED) as handle:
        return json.load(handle)


def _union_size(networks):
    """Addresses in the union of ``networks``, by merging integer intervals (no ipaddress.collapse)."""
    total, end = 0, -1
    for first, last in sorted((int(n.network_address), int(n.broadcast_address)) for n in networks):
        if first > end:
            total += last - first + 1
            end = last
        elif last > end:
            total += last - end
            end = last
    return total


@real_feeds
@pytest.mark.parametrize("region, family", [("us-east-1", "ipv4"), ("us-east-1", "ipv6"), ("eu-west-1", "ipv4"),
                                            ("ap-southeast-2", "ipv6")])
def test_real_feed_aggregation_is_exact(raw_new, region, family):
    list_key, prefix_key = ("prefixes", "ip_prefix") if family == "ipv4" else ("ipv6_prefixes", "ipv6_prefix")
    raw = [ipaddress.ip_network(p[prefix_key]) for p in raw_new[list_key]
           if p["region"] == region and p["service"] == "AMAZON"]
    got = [ipaddress.ip_network(p) for p in select_prefixes(load_feed(NEW_FEED), region=region, family=family,
                                                            aggregate=True)]
    # An independent aggregation (the standard library) gives the same networks, in the same order.
    assert got == list(ipaddress.collapse_addresses(raw))
    assert 0 < len(got) < len(set(raw))
    # Coverage: every raw prefix lies inside one aggregated network.
    firsts = [int(n.network_address) for n in got]
    for net in raw:
        index = bisect.bisect_right(firsts, int(net.network_address)) - 1
        assert index >= 0 and net.subnet_of(got[index]), net
    # Nothing extra: the aggregated networks hold exactly as many addresses as the raw union.
    assert sum(n.num_addresses for n in got) == _union_size(raw)
    assert all(a.broadcast_address < b.network_address for a, b in zip(got, got[1:]))


@real_feeds
def test_real_feed_us_east_1_ipv4(raw_new):
    doc = load_feed(NEW_FEED)
    plain = select_prefixes(doc, region="us-east-1", family="ipv4")
    assert plain == list(dict.fromkeys(p["ip_prefix"] for p in raw_new["prefixes"]
                                       if p["region"] == "us-east-1" and p["service"] == "AMAZON"))
    assert (len(plain), len(select_prefixes(doc, region="us-east-1", family="ipv4", aggregate=True))) == (845, 509)


@real_feeds
def test_real_feed_metadata(raw_new):
    meta = feed_metadata(load_feed(NEW_FEED))
    assert (meta["ipv4_count"], meta["ipv6_count"]) == (len(raw_new["prefixes"]), len(raw_new["ipv6_prefixes"]))
    assert (meta["sync_token"], meta["create_date"]) == (raw_new["syncToken"], raw_new["createDate"])
    assert meta["create_date"] == "2026-08-22-21-17-05"
    assert meta["regions"] == sorted({p["region"] for p in raw_new["prefixes"] + raw_new["ipv6_prefixes"]})
    assert "us-east-1" in meta["regions"] and "AMAZON" in meta["services"]


def _by_key(raw, family):
    list_key, prefix_key = ("prefixes", "ip_prefix") if family == "ipv4" else ("ipv6_prefixes", "ipv6_prefix")
    keyed = {}
    for p in raw[list_key]:
        keyed.setdefault((p["region"], p["service"], family), set()).add(p[prefix_key])
    return keyed


@real_feeds
def test_real_feeds_diff_matches_plain_set_difference(raw_old, raw_new):
    diff = diff_feeds(load_feed(OLD_FEED), load_feed(NEW_FEED))
    expected = {}
    for family in ("ipv4", "ipv6"):
        before, after = _by_key(raw_old, family), _by_key(raw_new, family)
        for key in set(before) | set(after):
            added, removed = after.get(key, set()) - before.get(key, set()), before.get(key, set()) - after.get(key, set())
            if added or removed:
                expected[key] = (added, removed)
    got = {(c["region"], c["service"], c["family"]): (set(c["added"]), set(c["removed"])) for c in diff["changes"]}
    assert got == expected
    for change in diff["changes"]:
        assert (change["added_count"], change["removed_count"]) == (len(change["added"]), len(change["removed"]))
    every_old = {p["ip_prefix"] for p in raw_old["prefixes"]} | {p["ipv6_prefix"] for p in raw_old["ipv6_prefixes"]}
    every_new = {p["ip_prefix"] for p in raw_new["prefixes"]} | {p["ipv6_prefix"] for p in raw_new["ipv6_prefixes"]}
    assert set(diff["added"]) == every_new - every_old and set(diff["removed"]) == every_old - every_new
    assert diff["added_count"] == len(every_new - every_old) > 0
    assert (diff["old"]["create_date"], diff["new"]["create_date"]) == (raw_old["createDate"], raw_new["createDate"])


@real_feeds
def test_real_feeds_us_east_1_report_line(raw_old, raw_new):
    diff = diff_feeds(load_feed(OLD_FEED), load_feed(NEW_FEED), region="us-east-1", service="AMAZON", family="ipv4")
    before, after = (_by_key(raw, "ipv4")[("us-east-1", "AMAZON", "ipv4")] for raw in (raw_old, raw_new))
    assert diff["summary"] == ["us-east-1 AMAZON IPv4: +%d / -%d prefixes since 2025-08-21"
                               % (len(after - before), len(before - after))]
    assert sorted(diff["added"], key=ipaddress.ip_network) == diff["added"]  # numeric order


@real_feeds
def test_real_feed_parse_filter_aggregate_is_well_under_half_a_second():
    timings = []
    for _attempt in range(3):
        started = time.perf_counter()
        select_prefixes(load_feed(NEW_FEED), region="us-east-1", family="ipv4", aggregate=True)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.5, timings
