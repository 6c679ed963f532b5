# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendor's data today, on the lab: regions the 2018 page did not have, the Genesys media blocks in strict
mode, a catalog overlay, a stale feed refused, and the vendor's own feed read from a local HTTPS API.

Every expectation here is written from the vendor's material (the SDKs' region table, the CIDR article, the
2024 notice), not taken from the catalog: a wrong catalog fails these tests.
"""

import json
import os
import shutil
import subprocess
import time

import pytest
import yaml

from conftest import REPO, VENV_BIN, _lab, collections_path

NETWORKS = {"edge": ["198.51.100.128/28"], "bridge_server": ["198.51.100.144/28"],
            "corporate_ad": ["198.51.100.160/28"], "voip_phone": ["198.51.100.192/27"],
            "workstation": ["198.51.100.224/27"]}
MANAGEMENT = {"sources": ["198.51.100.0/25"]}
# The SDKs' region table (PureCloudRegionHosts): two regions the 2018 page did not have.
NEW_REGIONS = {"us-west-2": "usw2.pure.cloud", "eusc-de-east-1": "edee1.eusc-pure.cloud"}
# The commercial media range since 2024-12-07 (the "2024 Genesys CIDR expansion" notice).
MEDIA_FIRST, MEDIA_LAST = 16384, 65535
# The lab's stand-in for the Genesys media blocks: the real ones lie outside the lab's ranges.
LAB_MEDIA_BLOCK = "203.0.113.96/28"


def role_play(role, region, **variables):
    return {"hosts": "gateway", "gather_facts": False, "roles": [{"role": "purecloud.firewall.%s" % role}],
            "vars": dict({"purecloud_region": region, "purecloud_networks": NETWORKS,
                          "purecloud_management": MANAGEMENT}, **variables)}


def preflight_play(host, product, dest):
    return {"hosts": host, "gather_facts": False, "tasks": [
        {"purecloud.firewall.connectivity_check": {"products": [product], "fail_on_error": False,
                                                   "dns_servers": ["203.0.113.53"]},
         "register": "preflight"},
        {"ansible.builtin.copy": {"content": "{{ preflight | to_json }}", "dest": dest, "mode": "0600"},
         "delegate_to": "localhost"}]}


def probe(site, rows):
    from labkit import probe as lab_probe

    results = lab_probe.run(site.state, rows, timeout=0.7)
    return ["%(from)s -> %(to)s %(proto)s/%(port)s expected %(expect)s, got %(outcome)s (%(detail)s)" % r
            for r in results if not r["ok"]]


def owned_state(site):
    if site.backend == "nftables":
        return site.shell("gateway", "nft list ruleset")
    return site.shell("gateway", "firewall-cmd --get-policies; firewall-cmd --get-zones; firewall-cmd --get-ipsets")


# ----------------------------------------------------------------- regions
@pytest.fixture(scope="module", params=sorted(NEW_REGIONS))
def region_site(request):
    """The site topology whose DNS answers the region's domains and whose feed maps the cloud hosts to it."""
    for hosts in _lab("site", "freg" + request.param[:2], region=request.param):
        hosts.region = request.param
        yield hosts


def test_a_region_the_page_lacked_runs_end_to_end(region_site):
    """The role applies for the region, and from a workstation the region's own hosts resolve and connect."""
    lab, region = region_site, region_site.region
    result_path = os.path.join(lab.lab.dir, "preflight.json")
    done = lab.playbook([role_play("webrtc_client", region), preflight_play("workstation1", "webrtc_client",
                                                                            result_path)],
                        "-e", json.dumps({"purecloud_region": region, "purecloud_networks": NETWORKS}))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    with open(result_path) as handle:
        preflight = json.load(handle)
    assert preflight["failed_flows"] == [], "\n".join(preflight["table"])
    api = "api.%s" % NEW_REGIONS[region]
    https = [r for r in preflight["results"] if r["target"] == api and r["protocol"] == "tcp" and r["port"] == 443]
    assert https and https[0]["ok"], "\n".join(preflight["table"])
    # The lab's DNS answered the region's API host with the fake cloud's address.
    assert any(r["kind"] == "dns_udp" and r["ok"] for r in preflight["results"]), "\n".join(preflight["table"])
    assert https[0]["address"] in ("203.0.113.10", "203.0.113.11"), https


# -------------------------------------------------- strict mode and media
def overlay_file(site, name, content):
    path = os.path.join(site.lab.dir, name)
    with open(path, "w") as handle:
        yaml.safe_dump(content, handle)
    return path


def test_strict_mode_lets_the_media_blocks_through_and_nothing_else(site):
    """cloud_destinations aws_ip_ranges, current edition: media, STUN and TURN also reach the Genesys blocks."""
    lab_blocks = overlay_file(site, "lab-media.yml", {
        "overlay": "the lab's stand-in for the Genesys media blocks",
        "cidr_sets": {"genesys_media.commercial": {"cidrs": [LAB_MEDIA_BLOCK]}}})
    args = {"products": ["webrtc_client"], "region": "us-east-1", "networks": NETWORKS,
            "cloud_destinations": "aws_ip_ranges", "aws_ip_ranges_src": os.path.join(site.lab.dir, "ip-ranges.json"),
            "catalog_overlays": [lab_blocks], "management": MANAGEMENT}
    result = site.module("gateway", "purecloud.firewall.apply", args)
    assert not result.get("failed"), result.get("msg")
    assert result["catalog"] == {"edition": "current", "overlays": [lab_blocks], "catalog_version": "1.1.0"}
    media = [r for r in result["rules"] if r["destinations"] == [LAB_MEDIA_BLOCK]]
    assert sorted((r["protocol"], tuple(r["ports"])) for r in media) == [
        ("tcp", ("3478",)), ("udp", ("3478", "%d-%d" % (MEDIA_FIRST, MEDIA_LAST)))]
    assert site.module("gateway", "purecloud.firewall.apply", args)["changed"] is False
    wrong = probe(site, [
        {"from": "workstation1", "to": "gmedia", "proto": "udp", "port": MEDIA_FIRST, "expect": "allow"},
        {"from": "workstation1", "to": "gmedia", "proto": "udp", "port": MEDIA_LAST, "expect": "allow"},
        {"from": "workstation1", "to": "gmedia", "proto": "udp", "port": 40000, "expect": "allow"},
        {"from": "workstation1", "to": "gmedia", "proto": "tcp", "port": 3478, "expect": "allow"},
        {"from": "workstation1", "to": "gmedia", "proto": "udp", "port": MEDIA_FIRST - 1, "expect": "deny"},
        # HTTPS and XMPP are not served from the media blocks.
        {"from": "workstation1", "to": "gmedia", "proto": "tcp", "port": 443, "expect": "deny"},
        {"from": "workstation1", "to": "gmedia", "proto": "tcp", "port": 5222, "expect": "deny"},
        # The region's AWS prefixes still carry media: some media regions run there.
        {"from": "workstation1", "to": "purecloud", "proto": "udp", "port": MEDIA_FIRST, "expect": "allow"},
        {"from": "workstation1", "to": "purecloud", "proto": "tcp", "port": 443, "expect": "allow"},
        # Any other address: refused.
        {"from": "workstation1", "to": "polycom", "proto": "udp", "port": MEDIA_FIRST, "expect": "deny"},
        {"from": "workstation1", "to": "sipprovider", "proto": "tcp", "port": 3478, "expect": "deny"},
    ])
    assert wrong == [], "\n".join(wrong)


def test_an_overlay_adds_a_region_a_row_and_a_cidr_set_seen_by_a_role(site):
    """By overlay alone: region eu-lab-1, a syslog row, media blocks for it; the role enforces all three."""
    overlay = overlay_file(site, "lab-region.yml", {
        "overlay": "a lab region",
        "sources": {"lab-notes": {"title": "the lab's own notes", "where": "tests/functional"}},
        "regions": {"eu-lab-1": {"domain": "lab.example.test", "kind": "core",
                                 "provenance": {"source": "lab-notes", "effective": "2026-12-01"}}},
        "cidr_sets": {"genesys_media.lab": {"class": "genesys_media", "regions": ["eu-lab-1"],
                                            "cidrs": [LAB_MEDIA_BLOCK]}},
        "requirements": [{"id": "site.syslog", "product": "webrtc_client", "table": 0, "page_port": "udp/514",
                          "application": "syslog", "protocol": "udp", "ports": ["514"], "source": ["workstation"],
                          "destination": ["corporate_ad"], "description": "The agents' desktops log centrally.",
                          "flags": []}]})
    with open(os.path.join(site.lab.dir, "ip-ranges.json")) as handle:
        feed = json.load(handle)
    for entry in feed["prefixes"]:
        entry.update(region="eu-lab-1", network_border_group="eu-lab-1")
    feed_path = os.path.join(site.lab.dir, "ip-ranges-eu-lab-1.json")
    with open(feed_path, "w") as handle:
        json.dump(feed, handle)
    done = site.playbook([role_play("webrtc_client", "eu-lab-1", purecloud_catalog_overlays=[overlay],
                                    purecloud_cloud_destinations="aws_ip_ranges",
                                    purecloud_aws_ip_ranges_src=feed_path,
                                    purecloud_firewall_backend=site.backend)])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    wrong = probe(site, [
        {"from": "workstation1", "to": "ad1", "proto": "udp", "port": 514, "expect": "allow"},
        {"from": "workstation1", "to": "ad1", "proto": "udp", "port": 515, "expect": "deny"},
        {"from": "workstation1", "to": "gmedia", "proto": "udp", "port": MEDIA_FIRST, "expect": "allow"},
        {"from": "workstation1", "to": "purecloud", "proto": "tcp", "port": 443, "expect": "allow"},
        {"from": "workstation1", "to": "polycom", "proto": "tcp", "port": 443, "expect": "deny"},
    ])
    assert wrong == [], "\n".join(wrong)


def test_a_broken_overlay_is_refused_before_the_gateway_changes(site):
    before = owned_state(site)
    broken = overlay_file(site, "broken.yml", {"requirements": [
        {"id": "site.fax", "product": "webrtc_client", "protocol": "sctp", "ports": ["9100"],
         "source": ["workstation"], "destination": ["corporate_ad"]}]})
    result = site.module("gateway", "purecloud.firewall.apply",
                         {"products": ["webrtc_client"], "region": "us-east-1", "networks": NETWORKS,
                          "catalog_overlays": [broken], "management": MANAGEMENT})
    assert result["failed"], result
    assert "overlay %s: requirements[0] (site.fax): protocol 'sctp'; expected one of: tcp, udp" % broken \
        in result["msg"], result["msg"]
    assert owned_state(site) == before


def test_a_stale_feed_is_refused_through_a_role(site):
    if site.backend != "nftables":
        pytest.skip("the age check happens on the controller, the same for both backends")
    stale = os.path.join(site.lab.dir, "ip-ranges-stale.json")
    shutil.copy(os.path.join(site.lab.dir, "ip-ranges.json"), stale)
    eight_days = time.time() - 8 * 86400
    os.utime(stale, (eight_days, eight_days))
    strict = dict(purecloud_cloud_destinations="aws_ip_ranges", purecloud_aws_ip_ranges_src=stale)
    before = owned_state(site)
    refused = site.playbook([role_play("webrtc_client", "us-east-1", **strict)])
    assert refused.returncode != 0
    assert "the AWS feed %s is 8.0 days old, older than purecloud_feed_max_age (7 days)" % stale in refused.stdout, \
        refused.stdout[-3000:]
    assert owned_state(site) == before
    allowed = site.playbook([role_play("webrtc_client", "us-east-1", purecloud_feed_allow_stale=True, **strict)])
    assert allowed.returncode == 0, allowed.stdout[-3000:]
    assert "used because purecloud_feed_allow_stale is set" in allowed.stdout + allowed.stderr
    longer = site.playbook([role_play("webrtc_client", "us-east-1", purecloud_feed_max_age=10, **strict)])
    assert longer.returncode == 0, longer.stdout[-3000:]


# ------------------------------------------------ the vendor's own feed
@pytest.fixture(scope="module")
def feed_lab():
    """A client beside the fake Genesys Cloud API (HTTPS, the lab's CA), its DNS the lab's, region us-west-2."""
    for hosts in _lab("feed", "ffeed"):
        hosts.shell("client", "echo nameserver 203.0.113.53 > /etc/resolv.conf")
        hosts.ca = os.path.join(hosts.lab.hostdir("genesys"), "genesys-ca.pem")
        hosts.log = os.path.join(hosts.lab.hostdir("genesys"), "genesys-api.log")
        yield hosts


def lookups(lab, cases):
    """Run the lookup inside the lab's client host, once per case; the outcomes."""
    path = os.path.join(lab.lab.dir, "cases.json")
    with open(path, "w") as handle:
        json.dump(cases, handle)
    pid = lab.lab.init_pid(lab.state["hosts"]["client"])
    done = subprocess.run(["nsenter", "-t", str(pid), "-a", os.path.join(VENV_BIN, "python"),
                           os.path.join(REPO, "tests", "functional", "genesys_lookup.py"), path, collections_path()],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def case(lab, client, secret="lab-secret", cache="cache", **options):
    return {"env": {"GENESYSCLOUD_OAUTHCLIENT_ID": client, "GENESYSCLOUD_OAUTHCLIENT_SECRET": secret},
            "options": dict({"region": "us-west-2", "ca_path": lab.ca,
                             "cache_dir": os.path.join(lab.lab.dir, cache)}, **options)}


def test_the_genesys_feed_is_read_from_the_regions_api(feed_lab):
    lab = feed_lab
    api, entries, meta, cached = lookups(lab, [
        case(lab, "lab-client", service=["api"]),
        case(lab, "lab-client", cache="cache-2", output="entries", direction=["outbound"]),
        case(lab, "lab-client", cache="cache-3", output="metadata"),
        case(lab, "lab-client", service=["api"]),  # again: from the cache, no request
    ])
    assert api["result"] == ["203.0.113.70/32", "203.0.113.71/32"], api
    # Outbound entries, and the one without a direction (older answers have none).
    assert [(e["cidr"], e["service"], e["direction"]) for e in entries["result"]] == [
        ("203.0.113.80/29", "data-actions", "outbound"), ("203.0.113.88/30", "smtp", "outbound"),
        ("203.0.113.90/31", "bot-connector", None)], entries
    assert meta["result"][0]["count"] == 6 and meta["result"][0]["regions"] == ["us-west-2"], meta
    assert cached["result"] == api["result"]
    with open(lab.log) as handle:
        requests = [json.loads(line) for line in handle]
    # Three fetches (the fourth came from the cache), each a token then the listing, by the region's hosts.
    assert [(r["method"], r["path"], r["client"]) for r in requests] == [
        ("POST", "/oauth/token", "lab-client"), ("GET", "/api/v2/ipranges", "lab-client")] * 3
    for folder in ("cache", "cache-2", "cache-3"):
        for name in os.listdir(os.path.join(lab.lab.dir, folder)):
            with open(os.path.join(lab.lab.dir, folder, name)) as handle:
                kept = handle.read()
            assert "lab-secret" not in kept and "token-lab-client" not in kept and "203.0.113.70/32" in kept


def test_every_failure_names_the_region_and_the_step_and_never_the_secret(feed_lab):
    lab = feed_lab
    bad_secret, unavailable, slow, truncated, stale = lookups(lab, [
        case(lab, "lab-client", secret="not-the-secret", cache="fail-1"),
        case(lab, "lab-5xx", cache="fail-2"),
        case(lab, "lab-slow", cache="fail-3", timeout=1),
        case(lab, "lab-truncated", cache="fail-4"),
        # With a good copy cached and expired, a failed fetch uses it and says so.
        case(lab, "lab-5xx", cache="cache", cache_ttl=0, output="metadata"),
    ])
    prefix = "purecloud.firewall.genesys_ip_ranges: Genesys Cloud ipranges for region us-west-2: "
    assert bad_secret["error"] == prefix + ("getting a token (https://login.usw2.pure.cloud/oauth/token): "
                                            "HTTP 401 Unauthorized: invalid_client; authentication failed")
    assert unavailable["error"].startswith(prefix + "getting the ip ranges (https://api.usw2.pure.cloud/api/v2/"
                                                    "ipranges): HTTP 503"), unavailable
    assert slow["error"].startswith(prefix + "getting the ip ranges (https://api.usw2.pure.cloud/api/v2/ipranges): "
                                             "no answer within 1 s"), slow
    assert slow["seconds"] < 4  # bounded by the timeout, not the server's 5 s
    assert truncated["error"].startswith(prefix + "getting the ip ranges (https://api.usw2.pure.cloud/api/v2/"
                                                  "ipranges): the answer was cut short"), truncated
    assert stale["result"][0]["stale"].startswith("download failed, using the cached copy of "
                                                  "https://api.usw2.pure.cloud/api/v2/ipranges from "), stale
    for outcome in (bad_secret, unavailable, slow, truncated, stale):
        assert "not-the-secret" not in json.dumps(outcome) and "lab-secret" not in json.dumps(outcome)
    for folder in ("fail-1", "fail-2", "fail-3", "fail-4"):
        assert not os.path.exists(os.path.join(lab.lab.dir, folder)), "nothing is cached from a failed fetch"


def test_strict_mode_adds_the_feeds_prefixes_of_the_asked_services(site):
    """A saved answer of the vendor's feed (offline file mode): its api prefixes join the cloud's destinations."""
    saved = os.path.join(site.lab.dir, "genesys-ipranges.json")
    with open(saved, "w") as handle:
        json.dump({"entities": [
            {"cidr": "203.0.113.40/32", "service": "api", "region": "us-east-1", "direction": "inbound"},
            {"cidr": "203.0.113.60/32", "service": "data-actions", "region": "us-east-1", "direction": "outbound"}]},
            handle)
    args = {"products": ["webrtc_client"], "region": "us-east-1", "networks": NETWORKS,
            "cloud_destinations": "aws_ip_ranges", "aws_ip_ranges_src": os.path.join(site.lab.dir, "ip-ranges.json"),
            "genesys_ip_ranges_services": ["api"], "genesys_ip_ranges_src": saved, "management": MANAGEMENT}
    result = site.module("gateway", "purecloud.firewall.apply", args)
    assert not result.get("failed"), result.get("msg")
    wrong = probe(site, [
        # polycom's address is listed as a Genesys api range here: allowed on 443 now.
        {"from": "workstation1", "to": "polycom", "proto": "tcp", "port": 443, "expect": "allow"},
        # The data-actions range is outbound from Genesys: not a destination of the site's flows.
        {"from": "workstation1", "to": "sipprovider", "proto": "tcp", "port": 443, "expect": "deny"},
        {"from": "workstation1", "to": "purecloud", "proto": "tcp", "port": 443, "expect": "allow"},
    ])
    assert wrong == [], "\n".join(wrong)
