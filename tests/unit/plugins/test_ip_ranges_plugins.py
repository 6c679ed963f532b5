# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ip_ranges lookup and the cidr_aggregate and ip_ranges_diff filters.

Called as classes (``LookupModule().run(...)``, ``FilterModule().filters()``)
and, once each, through Ansible's plugin loaders as a playbook would.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading

import pytest
from ansible.errors import AnsibleError, AnsibleFilterError, AnsibleLookupError

from ansible_collections.purecloud.firewall.plugins.filter.cidr_aggregate import FilterModule as CidrAggregateFilters
from ansible_collections.purecloud.firewall.plugins.filter.ip_ranges_diff import FilterModule as IpRangesDiffFilters
from ansible_collections.purecloud.firewall.plugins.lookup.ip_ranges import LookupModule

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DATA = os.path.join(os.path.dirname(REPO), "shared", "data")
NEW_FEED = os.path.join(DATA, "aws-ip-ranges-2026-08-22.json")
OLD_FEED = os.path.join(DATA, "aws-ip-ranges-2025-08-21.json")
real_feeds = pytest.mark.skipif(not (os.path.exists(NEW_FEED) and os.path.exists(OLD_FEED)),
                                reason="the real feeds (../shared/data) are not present")


def _entry(prefix, region, service="AMAZON"):
    key = "ipv6_prefix" if ":" in prefix else "ip_prefix"
    return {key: prefix, "region": region, "service": service, "network_border_group": region}


FEED = {"syncToken": "7", "createDate": "2026-01-02-03-04-05",
        "prefixes": [_entry("198.51.100.0/25", "us-east-1"), _entry("198.51.100.128/25", "us-east-1"),
                     _entry("192.0.2.0/24", "us-east-1", "EC2"), _entry("203.0.113.0/24", "eu-west-1")],
        "ipv6_prefixes": [_entry("2001:db8::/32", "eu-west-1")]}
OTHER = {"syncToken": "8", "createDate": "2026-02-01-00-00-00",
         "prefixes": [_entry("198.51.100.0/24", "us-east-1"), _entry("203.0.113.0/24", "eu-west-1")],
         "ipv6_prefixes": [_entry("2001:db8:1::/48", "us-east-1")]}


@pytest.fixture
def feed_file(tmp_path):
    path = tmp_path / "ip-ranges.json"
    path.write_text(json.dumps(FEED))
    return str(path)


@pytest.fixture
def other_file(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps(OTHER))
    return str(path)


def run(*terms, **options):
    return LookupModule().run(list(terms), variables={}, **options)


# ---------------------------------------------------------------- lookup
@pytest.mark.parametrize("options, expected", [
    ({}, ["198.51.100.0/25", "198.51.100.128/25", "203.0.113.0/24", "2001:db8::/32"]),
    ({"region": "us-east-1"}, ["198.51.100.0/25", "198.51.100.128/25"]),
    ({"region": "us-east-1", "aggregate": True}, ["198.51.100.0/24"]),
    ({"region": "us-east-1", "aggregate": "yes"}, ["198.51.100.0/24"]),
    ({"region": ["us-east-1", "eu-west-1"], "family": "ipv4", "aggregate": True},
     ["198.51.100.0/24", "203.0.113.0/24"]),
    ({"family": "ipv6"}, ["2001:db8::/32"]),
    ({"service": "EC2"}, ["192.0.2.0/24"]),
    ({"service": [], "region": "us-east-1", "family": "ipv4", "aggregate": True}, ["192.0.2.0/24", "198.51.100.0/24"]),
    ({"network_border_group": "eu-west-1", "family": "ipv4"}, ["203.0.113.0/24"]),
])
def test_lookup_selects(feed_file, options, expected):
    assert run(src=feed_file, **options) == expected
    assert run(feed_file, **options) == expected  # the feed as a term


def test_lookup_metadata(feed_file, other_file):
    assert run(src=feed_file, output="metadata") == [{
        "sync_token": "7", "create_date": "2026-01-02-03-04-05", "ipv4_count": 4, "ipv6_count": 1,
        "regions": ["eu-west-1", "us-east-1"], "services": ["AMAZON", "EC2"]}]
    metas = run(feed_file, other_file, output="metadata")
    assert [(m["sync_token"], m["create_date"]) for m in metas] == [("7", "2026-01-02-03-04-05"),
                                                                    ("8", "2026-02-01-00-00-00")]


def test_lookup_several_feeds(feed_file, other_file):
    assert run(feed_file, other_file, region="us-east-1") == [
        "198.51.100.0/25", "198.51.100.128/25", "198.51.100.0/24", "2001:db8:1::/48"]
    assert run(feed_file, other_file, region="us-east-1", aggregate=True) == ["198.51.100.0/24", "2001:db8:1::/48"]


@pytest.mark.parametrize("options, message", [
    ({"region": "ap-south-9"}, "purecloud.firewall.ip_ranges: unknown region 'ap-south-9' (not in the feed); "
                               "expected one of: eu-west-1, us-east-1"),
    ({"service": "S3"}, "purecloud.firewall.ip_ranges: unknown service 'S3' (not in the feed); "
                        "expected one of: AMAZON, EC2"),
    ({"network_border_group": "nowhere"}, "unknown network border group 'nowhere'"),
    ({"family": "ipv5"}, "ipv5"),
    ({"output": "both"}, "both"),
    ({"regoin": "us-east-1"}, "purecloud.firewall.ip_ranges: unknown option 'regoin'; expected one of: aggregate"),
    ({"aggregate": "maybe"}, "purecloud.firewall.ip_ranges: option aggregate must be true or false, got 'maybe'"),
])
def test_lookup_errors_name_the_value(feed_file, options, message):
    with pytest.raises(AnsibleError) as info:
        run(src=feed_file, **options)
    assert message in str(info.value)


def test_lookup_feed_errors(tmp_path, feed_file):
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(dict(FEED, prefixes=[{"ip_prefix": "198.51.100.0/25"}])))
    with pytest.raises(AnsibleLookupError, match=r"purecloud.firewall.ip_ranges: .*broken.json: prefixes\[0\] must "
                                                 r"be an object with string values"):
        run(str(broken))
    with pytest.raises(AnsibleLookupError, match="purecloud.firewall.ip_ranges: cannot read feed .*missing.json"):
        run(str(tmp_path / "missing.json"))
    with pytest.raises(AnsibleLookupError, match="give the feed either as a term or as src, not both"):
        run(feed_file, src=feed_file)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server(tmp_path):
    """A real HTTP server on 127.0.0.1 serving FEED as /ip-ranges.json; .stop() takes it away."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "ip-ranges.json").write_text(json.dumps(FEED))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    server.url = "http://127.0.0.1:%d/ip-ranges.json" % server.server_address[1]
    state = {"running": True}

    def stop():
        if state["running"]:
            server.shutdown()
            server.server_close()
            state["running"] = False

    server.stop = stop
    yield server
    stop()


def test_lookup_from_a_url_with_cache_and_stale_warning(feed_server, tmp_path, capsys):
    cache = str(tmp_path / "cache")
    options = {"cache_dir": cache, "timeout": 5, "region": "us-east-1", "aggregate": True}
    assert run(src=feed_server.url, **options) == ["198.51.100.0/24"]
    feed_server.stop()
    assert run(feed_server.url, **options) == ["198.51.100.0/24"]  # fresh cache, no server
    assert run(src=feed_server.url, cache_ttl=0, **options) == ["198.51.100.0/24"]  # stale cache stands in
    assert "download failed, using the cached copy of %s" % feed_server.url in capsys.readouterr().err
    meta = run(src=feed_server.url, cache_ttl=0, output="metadata", cache_dir=cache)[0]
    assert meta["stale"].startswith("download failed")
    with pytest.raises(AnsibleLookupError, match="purecloud.firewall.ip_ranges: cannot download %s" % feed_server.url):
        run(src=feed_server.url, cache_dir=str(tmp_path / "empty"), timeout=1)


def test_lookup_through_the_plugin_loader(lookup, feed_file):
    assert lookup("ip_ranges", feed_file, region="us-east-1", aggregate=True) == ["198.51.100.0/24"]


# --------------------------------------------------------------- filters
cidr_aggregate = CidrAggregateFilters().filters()["cidr_aggregate"]
ip_ranges_diff = IpRangesDiffFilters().filters()["ip_ranges_diff"]


@pytest.mark.parametrize("given, expected", [
    (["198.51.100.0/25", "198.51.100.128/25", "203.0.113.7"], ["198.51.100.0/24", "203.0.113.7/32"]),
    (["2001:db8:8000::/33", "192.0.2.0/24", "2001:db8::/33", "192.0.2.64/26"], ["192.0.2.0/24", "2001:db8::/32"]),
    ("2001:db8::1", ["2001:db8::1/128"]),
    ([], []),
])
def test_cidr_aggregate_filter(given, expected):
    assert cidr_aggregate(given) == expected


@pytest.mark.parametrize("given, message", [
    (["nope"], "purecloud.firewall.cidr_aggregate: bad CIDR 'nope'"),
    (["10/8"], "purecloud.firewall.cidr_aggregate: bad CIDR '10/8'"),
    (["198.51.100.0/24", "198.51.100.0/33"], "purecloud.firewall.cidr_aggregate: bad CIDR '198.51.100.0/33'"),
    (None, "purecloud.firewall.cidr_aggregate: expected a list of CIDRs or addresses, got None"),
])
def test_cidr_aggregate_filter_errors(given, message):
    with pytest.raises(AnsibleFilterError) as info:
        cidr_aggregate(given)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("old, new", [
    (FEED, OTHER), (json.dumps(FEED), OTHER), (FEED, json.dumps(OTHER)), (json.dumps(FEED), json.dumps(OTHER).encode()),
])
def test_ip_ranges_diff_filter_accepts_documents_or_json(old, new):
    result = ip_ranges_diff(old, new, region="us-east-1", service="AMAZON")
    assert result["added"] == ["198.51.100.0/24", "2001:db8:1::/48"]
    assert result["removed"] == ["198.51.100.0/25", "198.51.100.128/25"]
    assert result["summary"] == ["us-east-1 AMAZON IPv4: +1 / -2 prefixes since 2026-01-02",
                                 "us-east-1 AMAZON IPv6: +1 / -0 prefixes since 2026-01-02"]
    assert (result["old"]["create_date"], result["new"]["create_date"]) == (FEED["createDate"], OTHER["createDate"])
    assert ip_ranges_diff(old, new, region=["us-east-1"], family="ipv6")["added"] == ["2001:db8:1::/48"]


@pytest.mark.parametrize("old, new, kwargs, message", [
    ("{", OTHER, {}, "purecloud.firewall.ip_ranges_diff: old feed is not JSON"),
    (FEED, {"syncToken": "1"}, {}, "purecloud.firewall.ip_ranges_diff: new feed: missing 'createDate'"),
    (FEED, [], {}, "purecloud.firewall.ip_ranges_diff: new feed: expected an ip-ranges.json document"),
    (FEED, OTHER, {"region": "mars-1"}, "purecloud.firewall.ip_ranges_diff: unknown region 'mars-1' (not in the "
                                        "feed); expected one of: eu-west-1, us-east-1"),
    (FEED, OTHER, {"family": "ipv7"}, "purecloud.firewall.ip_ranges_diff: unknown family 'ipv7'; expected one of: "
                                      "ipv4, ipv6, both"),
])
def test_ip_ranges_diff_filter_errors(old, new, kwargs, message):
    with pytest.raises(AnsibleFilterError) as info:
        ip_ranges_diff(old, new, **kwargs)
    assert str(info.value).startswith(message)


def test_filters_through_the_plugin_loader(jinja_filter):
    assert jinja_filter("cidr_aggregate")(["198.51.100.0/25", "198.51.100.128/25"]) == ["198.51.100.0/24"]
    assert jinja_filter("ip_ranges_diff")(FEED, FEED)["changes"] == []


# ------------------------------------------------------------ real feeds
@real_feeds
def test_real_feeds_through_the_plugins():
    prefixes = run(NEW_FEED, region="us-east-1", family="ipv4")
    aggregated = run(src=NEW_FEED, region="us-east-1", family="ipv4", aggregate=True)
    assert cidr_aggregate(prefixes) == aggregated and len(aggregated) == 509
    with open(OLD_FEED) as old, open(NEW_FEED) as new:
        diff = ip_ranges_diff(old.read(), new.read(), region="us-east-1", service="AMAZON", family="ipv4")
    old_prefixes = set(run(OLD_FEED, region="us-east-1", family="ipv4"))
    assert set(diff["added"]) == set(prefixes) - old_prefixes
    assert set(diff["removed"]) == old_prefixes - set(prefixes)
    assert diff["summary"] == ["us-east-1 AMAZON IPv4: +%d / -%d prefixes since 2025-08-21"
                               % (len(diff["added"]), len(diff["removed"]))]
