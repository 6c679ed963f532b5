# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A site planned with the current edition: the widened media range, the media blocks in strict mode, the
vendor's feed, stale feeds refused, and what changed since the page, each with its source.

Expectations are written from the vendor's material (the 2024 notice, the CIDR article), not from the catalog.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils import site
from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.changes import catalog_changes
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.genesys_feed import (
    genesys_prefixes, parse_ipranges, select_genesys, token_url_for)
from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import check_age, strict_feeds

NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"], "workstation": ["198.51.100.224/27"]}
MEDIA = "16384-65535"  # the commercial RTP range since 2024-12-07
# The CIDR article's four commercial blocks, in address order (as the compiled rules hold them).
MEDIA_BLOCKS = ["52.129.96.0/20", "136.245.64.0/18", "167.234.48.0/20", "169.150.104.0/21"]
AWS = ["203.0.113.0/28", "2001:db8::/48"]


def plan(**settings):
    settings.setdefault("region", "us-east-1")
    settings.setdefault("networks", NETWORKS)
    return site.plan_site(settings, aws_prefixes=settings.pop("aws", None)).as_dict()  # as apply returns it


def by_destination(result, cls):
    return dict((r["protocol"], r) for r in result["rules"] if r["destination_class"] == cls)


def test_with_the_cloud_anywhere_the_edge_media_range_is_the_widened_one():
    result = plan(products=["edge"])
    cloud = by_destination(result, "purecloud")
    assert cloud["udp"]["ports"] == ["3478", MEDIA] and cloud["udp"]["destinations"] == "any"
    assert "edge.media.srtp_turn" in cloud["udp"]["ids"]
    # One flow to any address: the media blocks add no rule beside it.
    assert by_destination(result, "genesys_media") == {}
    assert by_destination(result, "edge")["udp"]["ports"] == [MEDIA]
    assert result["catalog"] == {"edition": "current", "overlays": [], "catalog_version": "1.1.0"}
    assert result["excluded"] == []  # the backward-compatibility range is deprecated, inside the media range


def test_strict_mode_adds_the_media_blocks_to_the_regions_aws_prefixes():
    result = plan(products=["edge"], cloud_destinations="aws_ip_ranges", aws=AWS, region="us-west-2")
    cloud, blocks = by_destination(result, "purecloud"), by_destination(result, "genesys_media")
    assert cloud["udp"]["destinations"] == AWS and cloud["tcp"]["destinations"] == AWS
    assert blocks["udp"]["destinations"] == MEDIA_BLOCKS
    assert blocks["udp"]["ports"] == ["3478", MEDIA] and blocks["tcp"]["ports"] == ["3478"]
    assert blocks["udp"]["ids"] == ["edge.stun.purecloud.udp", "edge.media.srtp_turn"]
    # HTTPS and SIP do not go to the media blocks.
    assert cloud["tcp"]["ports"] == ["443", "3478", "5060-5061"]


@pytest.mark.parametrize("region, kind", [("us-east-2", "fedramp"), ("eusc-de-east-1", "sovereign")])
def test_strict_mode_refuses_to_guess_a_regions_media_blocks(region, kind):
    with pytest.raises(PurecloudFirewallError) as info:
        plan(products=["webrtc_client"], region=region, cloud_destinations="aws_ip_ranges", aws=AWS)
    message = str(info.value)
    assert "no addresses of genesys_media for region %s (%s)" % (region, kind) in message
    assert "purecloud_catalog_overlays" in message and "purecloud_networks.genesys_media" in message
    # Given by the user, it plans; and with the cloud anywhere there is nothing to guess.
    given = plan(products=["webrtc_client"], region=region, cloud_destinations="aws_ip_ranges", aws=AWS,
                 networks=dict(NETWORKS, genesys_media=["198.51.100.0/26"]))
    assert by_destination(given, "genesys_media")["udp"]["destinations"] == ["198.51.100.0/26"]
    assert plan(products=["webrtc_client"], region=region)["rules"]


def test_a_list_of_cidrs_is_exactly_those_for_every_cloud_class():
    result = plan(products=["webrtc_client"], cloud_destinations=["203.0.113.10/31"])
    assert set(tuple(r["destinations"]) for r in result["rules"]
               if r["destination_class"] in ("purecloud", "genesys_media")) == {("203.0.113.10/31",)}
    assert by_destination(result, "genesys_media") == {}  # the same addresses as the cloud: one flow


def test_cloud_destinations_that_is_neither_names_the_choices():
    with pytest.raises(PurecloudFirewallError,
                       match=r"unknown purecloud_cloud_destinations 'aws_iprange' \(did you mean 'aws_ip_ranges'\?\); "
                             r"expected one of: <a list of CIDRs>, any, aws_ip_ranges"):
        plan(products=["webrtc_client"], cloud_destinations="aws_iprange")


def test_voice_phones_send_media_to_the_blocks_and_the_pbx_too():
    voice = plan(products=["voice"], cloud_destinations="aws_ip_ranges", aws=AWS)
    phones = [r for r in voice["rules"] if (r["source_class"], r["destination_class"]) == ("voip_phone",
                                                                                           "genesys_media")]
    assert [(r["protocol"], r["ports"]) for r in phones] == [("udp", [MEDIA])]
    byoc = plan(products=["byoc_cloud"], byoc_cloud_sip_ports=["udp/5060"],
                networks=dict(NETWORKS, pbx=["198.51.100.170/32"], byoc_cloud=["203.0.113.10/31"]),
                cloud_destinations="aws_ip_ranges", aws=AWS)
    assert [(r["source_class"], r["protocol"], r["ports"], r["destinations"]) for r in byoc["rules"]
            if r["destination_class"] == "genesys_media"] == [("pbx", "udp", [MEDIA], MEDIA_BLOCKS)]


def test_every_region_plans_every_product():
    catalog = load_catalog()
    assert len(catalog.regions) == 18
    for region in catalog.regions:
        for product in catalog.role_products():
            result = plan(products=[product], region=region, ldap=True,
                          networks=dict(NETWORKS, bridge_server=["198.51.100.144/28"],
                                        corporate_ad=["198.51.100.160/28"], pbx=["198.51.100.170/32"]))
            assert result["region"] == region and (result["rules"] or result["warnings"]), (region, product)


# ------------------------------------------------------------------- feeds
def aws_feed(path, region="us-east-1", age=0.0):
    now = time.time() - age
    path.write_text(json.dumps({"syncToken": "1", "createDate": time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime(now)),
                                "prefixes": [{"ip_prefix": "203.0.113.10/32", "region": region, "service": "AMAZON",
                                              "network_border_group": region}], "ipv6_prefixes": []}))
    os.utime(path, (now, now))
    return str(path)


def test_strict_feeds_refuse_a_copy_older_than_the_limit_and_say_how_old(tmp_path):
    settings = {"region": "us-east-1", "cloud_destinations": "aws_ip_ranges",
                "aws_ip_ranges_src": aws_feed(tmp_path / "aws.json", age=8 * 86400)}
    with pytest.raises(PurecloudFirewallError, match=r"the AWS feed .*aws.json is 8.0 days old, older than "
                                                     r"purecloud_feed_max_age \(7 days\): refresh it, or set "
                                                     r"purecloud_feed_allow_stale"):
        strict_feeds(settings, [])
    warnings = []
    assert strict_feeds(dict(settings, feed_allow_stale=True), warnings)["aws_prefixes"] == ["203.0.113.10/32"]
    assert warnings == ["the AWS feed %s is 8.0 days old, older than purecloud_feed_max_age (7 days); used because "
                        "purecloud_feed_allow_stale is set" % settings["aws_ip_ranges_src"]]
    assert strict_feeds(dict(settings, feed_max_age=10), [])["aws_prefixes"]
    assert strict_feeds(dict(settings, feed_max_age=0), [])["aws_prefixes"]  # 0: any age
    assert strict_feeds(dict(settings, cloud_destinations="any"), []) == {}


def test_a_copy_that_stood_in_for_a_failed_download_is_a_warning():
    warnings = []
    check_age({"_age": 60.0, "_stale": "download failed, using the cached copy of X"}, "the AWS feed X", {}, warnings)
    assert warnings == ["download failed, using the cached copy of X"]


def genesys_answer(path):
    path.write_text(json.dumps({"entities": [
        {"cidr": "203.0.113.70/32", "service": "api", "region": "us-west-2", "direction": "inbound"},
        {"cidr": "203.0.113.80/29", "service": "data-actions", "region": "us-west-2", "direction": "outbound"},
        {"cidr": "2001:db8:70::/48", "service": "audiohook", "region": "us-west-2", "direction": "both"},
        {"cidr": "203.0.113.90/31", "service": "api", "region": "us-west-2"}]}))
    return str(path)


def test_the_vendor_feeds_prefixes_join_the_cloud_in_strict_mode(tmp_path):
    settings = {"products": ["webrtc_client"], "region": "us-west-2", "networks": NETWORKS,
                "cloud_destinations": "aws_ip_ranges",
                "aws_ip_ranges_src": aws_feed(tmp_path / "aws.json", region="us-west-2"),
                "genesys_ip_ranges_services": ["api", "data-actions"],
                "genesys_ip_ranges_src": genesys_answer(tmp_path / "genesys.json")}
    feeds = strict_feeds(settings, [])
    # Towards Genesys Cloud only: the outbound data-actions range is where it comes from, not a destination.
    assert feeds["genesys_prefixes"] == ["203.0.113.70/32", "203.0.113.90/31"]
    result = site.plan_site(settings, **feeds).as_dict()
    assert by_destination(result, "purecloud")["tcp"]["destinations"] == [
        "203.0.113.10/32", "203.0.113.70/32", "203.0.113.90/31"]
    with pytest.raises(PurecloudFirewallError, match="unknown service 'apii' .*expected one of: api, audiohook"):
        strict_feeds(dict(settings, genesys_ip_ranges_services=["apii"]), [])


def test_the_ipranges_answer_is_checked_whole():
    with pytest.raises(PurecloudFirewallError, match="the answer is not complete JSON .*truncated"):
        parse_ipranges(b'{"entities": [{"cidr": "203.0.113.0/24"', "the answer")
    with pytest.raises(PurecloudFirewallError, match="expected a JSON object with an 'entities' list"):
        parse_ipranges(b'[]', "the answer")
    with pytest.raises(PurecloudFirewallError, match=r"entities\[1\]: bad CIDR '203.0.113.300/24'"):
        parse_ipranges(json.dumps({"entities": [{"cidr": "203.0.113.0/24"}, {"cidr": "203.0.113.300/24"}]}), "the answer")
    feed = parse_ipranges(json.dumps({"entities": [{"cidr": "203.0.113.7/24", "service": "smtp"}]}), "x")
    assert feed["entities"] == [{"cidr": "203.0.113.0/24", "service": "smtp", "region": None, "direction": None}]
    assert select_genesys(feed, direction=["inbound"]) == feed["entities"]  # no direction: kept
    with pytest.raises(PurecloudFirewallError, match="unknown direction 'in'"):
        genesys_prefixes(feed, direction=["in"])


@pytest.mark.parametrize("api, token", [
    ("https://api.usw2.pure.cloud/api/v2/ipranges", "https://login.usw2.pure.cloud/oauth/token"),
    ("https://api.mypurecloud.com:8443/api/v2/ipranges", "https://login.mypurecloud.com:8443/oauth/token"),
])
def test_the_token_url_is_the_sdks(api, token):
    assert token_url_for(api) == token


def test_a_token_url_cannot_be_guessed_from_another_host():
    with pytest.raises(PurecloudFirewallError, match="give token_url"):
        token_url_for("https://proxy.example.com/ipranges")


# ---------------------------------------------------------------- changes
def test_changes_from_the_page_to_today_name_each_change_with_its_source():
    settings = {"products": ["edge"], "region": "us-east-1", "networks": NETWORKS}
    result = catalog_changes(settings, load_catalog(edition="2018-11-21"), load_catalog())
    lines = result["lines"]
    assert lines[0].startswith("catalog 2018-11-21 (catalog 1.1.0) -> current (catalog 1.1.0): requirements +2 / "
                               "-0 / ~15; regions +13 / -0 / ~5")
    media = [line for line in lines if line.startswith("row edge.media.srtp_turn: ")][0]
    assert "ports 16384-32768 -> 16384-65535" in media
    assert "2024 Genesys CIDR expansion and firewall requirements notification - Commercial" in media
    added = [line for line in lines if line.startswith("region ") and " added [" in line]
    assert len(added) == 13 and all("PureCloudRegionHosts" in line for line in added)
    blocks = [line for line in lines if line.startswith("CIDR set genesys_media.commercial added [")]
    assert blocks and "CIDR IP address range for Cloud Media Services" in blocks[0]
    sections = result["sections"]
    assert [item["entry"]["cidrs"] for item in sections["cidr_sets"]["added"]] == [
        ["52.129.96.0/20", "169.150.104.0/21", "167.234.48.0/20", "136.245.64.0/18"]]
    assert sorted(item["id"] for item in sections["regions"]["added"]) == sorted(
        ["us-west-2", "ca-central-1", "eu-west-2", "ap-northeast-2", "ap-south-1", "sa-east-1", "ap-northeast-3",
         "eu-central-2", "me-central-1", "mx-central-1", "ap-southeast-1", "us-east-2", "eusc-de-east-1"])
    touched = [item["rule"] for item in result["touched_rules"]]
    assert "edge: edge -> purecloud udp (edge.stun.purecloud.udp, edge.media.srtp_turn)" in touched
    assert result["old"]["edition"] == "2018-11-21" and result["new"]["edition"] == "current"


def test_changes_for_a_region_the_old_edition_lacks_say_so():
    settings = {"products": ["edge"], "region": "us-west-2", "networks": NETWORKS}
    lines = catalog_changes(settings, load_catalog(edition="2018-11-21"), load_catalog())["lines"]
    assert "the site cannot be planned with 2018-11-21 (catalog 1.1.0): region us-west-2 is not in edition " \
           "2018-11-21" in lines
    assert any(line.startswith("rule edge: edge -> purecloud tcp") and line.endswith("none -> 443, 3478, 5060-5061")
               for line in lines)


def test_a_cloud_narrowed_by_networks_narrows_its_media_to_the_blocks_too():
    """purecloud_networks.purecloud narrows the cloud; the media rows must not stay open to any address."""
    result = plan(products=["edge"], networks=dict(NETWORKS, purecloud=["203.0.113.0/28"]))
    assert not [r for r in result["rules"] if r["destinations"] == "any" and r["destination_class"] != "edge"
                and r["destination_class"] in ("purecloud", "genesys_media")]
    assert by_destination(result, "genesys_media")["udp"]["destinations"] == MEDIA_BLOCKS
    with pytest.raises(PurecloudFirewallError, match="the cloud's addresses are narrowed .* no addresses of "
                                                     "genesys_media for region us-east-2"):
        plan(products=["edge"], region="us-east-2", networks=dict(NETWORKS, purecloud=["203.0.113.0/28"]))


def test_changes_of_a_strict_site_plan_both_sides_with_the_feed(tmp_path):
    settings = {"products": ["webrtc_client"], "region": "us-east-1", "networks": NETWORKS,
                "cloud_destinations": "aws_ip_ranges", "aws_ip_ranges_src": aws_feed(tmp_path / "aws.json")}
    result = catalog_changes(settings, load_catalog(edition="2018-11-21"), load_catalog())
    touched = dict((item["rule"].split(" (")[0], item) for item in result["touched_rules"])
    media = touched["webrtc_client: workstation -> genesys_media udp"]
    assert media["before"] is None and media["after"] == ["3478", MEDIA]
    assert "rule webrtc_client: workstation -> genesys_media udp (webrtc_client.media.stun.purecloud.udp, " \
           "webrtc_client.media.srtp): ports none -> 3478, %s" % MEDIA in result["lines"]
    assert not any("cannot be planned" in line for line in result["lines"])


def test_a_rule_whose_destinations_move_says_so_not_the_same_ports_twice(tmp_path):
    overlay = tmp_path / "lab-blocks.yml"
    overlay.write_text(json.dumps({"cidr_sets": {"genesys_media.commercial": {"cidrs": ["203.0.113.96/28"]}}}))
    settings = {"products": ["edge"], "region": "us-east-1", "networks": dict(NETWORKS, purecloud=["203.0.113.0/28"])}
    lines = catalog_changes(settings, load_catalog(), load_catalog(overlays=[str(overlay)]))["lines"]
    moved = [line for line in lines if line.startswith("rule edge: edge -> genesys_media udp")]
    assert moved == ["rule edge: edge -> genesys_media udp (edge.stun.purecloud.udp, edge.media.srtp_turn): "
                     "destinations %s -> 203.0.113.96/28" % ",".join(MEDIA_BLOCKS)]


@pytest.mark.parametrize("src, message", [
    ("http://api.usw2.pure.cloud/api/v2/ipranges",
     "refusing to send credentials to http://api.usw2.pure.cloud/api/v2/ipranges: it is not https"),
    ("https://user:pw@api.usw2.pure.cloud/api/v2/ipranges", "a URL must not carry credentials"),
])
def test_credentials_go_only_over_https_and_never_in_a_url(tmp_path, src, message):
    from ansible_collections.purecloud.firewall.plugins.module_utils.genesys_feed import load_genesys_feed

    with pytest.raises(PurecloudFirewallError) as info:
        load_genesys_feed("us-west-2", "usw2.pure.cloud", src=src, client_id="id", client_secret="s3cret",
                          cache_dir=str(tmp_path))
    assert message in str(info.value) and "s3cret" not in str(info.value) and "pw@" not in str(info.value)


def test_a_fresh_cached_answer_needs_no_credentials(tmp_path, monkeypatch):
    from ansible_collections.purecloud.firewall.plugins.module_utils.feed_cache import cache_path
    from ansible_collections.purecloud.firewall.plugins.module_utils.genesys_feed import (
        ipranges_url, load_genesys_feed)

    for name in ("GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET", "GENESYSCLOUD_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    cached = cache_path("genesys-ipranges", ipranges_url("usw2.pure.cloud"), str(tmp_path))
    os.makedirs(os.path.dirname(cached), exist_ok=True)
    genesys_answer(__import__("pathlib").Path(cached))
    feed = load_genesys_feed("us-west-2", "usw2.pure.cloud", cache_dir=str(tmp_path))
    assert len(feed["entities"]) == 4 and "_stale" not in feed
    # Expired, and no credentials to fetch a new one: the copy stands in, and says why.
    stale = load_genesys_feed("us-west-2", "usw2.pure.cloud", cache_dir=str(tmp_path), cache_ttl=0)
    assert "no credentials" in stale["_stale"]


def test_a_retry_after_is_held_between_zero_and_the_maximum():
    from ansible_collections.purecloud.firewall.plugins.module_utils.genesys_feed import RETRY_AFTER_MAX, _retry_after

    class Answer:
        def __init__(self, value):
            self.headers = {"Retry-After": value}

    assert [_retry_after(Answer(v)) for v in ("-5", "3", "600", "soon")] == [0.0, 3.0, RETRY_AFTER_MAX, 1.0]
