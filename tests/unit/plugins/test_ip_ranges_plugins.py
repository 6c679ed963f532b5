# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ip_ranges lookup and the cidr_aggregate and ip_ranges_diff filters, loaded by Ansible."""

from __future__ import annotations

import json

import pytest
from ansible.errors import AnsibleError

FEED = {"syncToken": "7", "createDate": "2026-01-02-03-04-05",
        "prefixes": [{"ip_prefix": "198.51.100.0/25", "region": "us-east-1", "service": "AMAZON",
                      "network_border_group": "us-east-1"},
                     {"ip_prefix": "198.51.100.128/25", "region": "us-east-1", "service": "AMAZON",
                      "network_border_group": "us-east-1"}],
        "ipv6_prefixes": [{"ipv6_prefix": "2001:db8::/32", "region": "eu-west-1", "service": "AMAZON",
                           "network_border_group": "eu-west-1"}]}


@pytest.fixture
def feed_file(tmp_path):
    path = tmp_path / "ip-ranges.json"
    path.write_text(json.dumps(FEED))
    return str(path)


def test_ip_ranges_lookup(lookup, feed_file):
    assert lookup("ip_ranges", src=feed_file, region="us-east-1", aggregate=True) == ["198.51.100.0/24"]
    assert lookup("ip_ranges", src=feed_file, family="ipv6") == ["2001:db8::/32"]
    meta = lookup("ip_ranges", src=feed_file, output="metadata")[0]
    assert (meta["sync_token"], meta["create_date"]) == ("7", "2026-01-02-03-04-05")


@pytest.mark.parametrize("options, message", [
    ({"region": "ap-south-9"}, "purecloud.firewall.ip_ranges: region 'ap-south-9' is not in the feed"),
    ({"family": "ipv5"}, "family"),
    ({"regoin": "us-east-1"}, "unknown option 'regoin'"),
    ({"aggregate": "maybe"}, "aggregate must be true or false"),
])
def test_ip_ranges_lookup_errors(lookup, feed_file, options, message):
    with pytest.raises(AnsibleError, match=message):
        lookup("ip_ranges", src=feed_file, **options)


def test_cidr_aggregate_filter(jinja_filter):
    cidr_aggregate = jinja_filter("cidr_aggregate")
    assert cidr_aggregate(["198.51.100.0/25", "198.51.100.128/25", "203.0.113.7"]) == [
        "198.51.100.0/24", "203.0.113.7/32"]
    with pytest.raises(AnsibleError, match="purecloud.firewall.cidr_aggregate: bad CIDR 'nope'"):
        cidr_aggregate(["nope"])


def test_ip_ranges_diff_filter_accepts_documents_or_json(jinja_filter):
    diff = jinja_filter("ip_ranges_diff")
    newer = dict(FEED, prefixes=FEED["prefixes"][:1])
    result = diff(json.dumps(FEED), newer, region="us-east-1")
    assert result["removed"] == ["198.51.100.128/25"] and result["added"] == []
    with pytest.raises(AnsibleError, match="purecloud.firewall.ip_ranges_diff: old feed is not JSON"):
        diff("{", newer)
