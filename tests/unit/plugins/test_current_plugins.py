# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lookups and filters with editions and overlays, loaded by Ansible as a playbook loads them."""

from __future__ import annotations

import json

import pytest
import yaml
from ansible.errors import AnsibleError

from conftest import SDK_REGIONS

NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"], "workstation": ["198.51.100.224/27"]}


@pytest.mark.parametrize("region", sorted(SDK_REGIONS))
def test_the_domains_lookup_knows_every_region(lookup, region):
    domains = [row["domain"] for row in lookup("domains", region)]
    assert "*." + SDK_REGIONS[region] in domains
    assert "*.s3.%s.amazonaws.com" % region in domains and "*.cloudfront.net" in domains


def test_the_domains_lookup_reads_the_edition_and_overlays(lookup, tmp_path):
    with pytest.raises(AnsibleError, match=r"purecloud.firewall.domains: unknown region 'us-west-2'.*expected one "
                                           r"of: ap-northeast-1, ap-southeast-2, eu-central-1, eu-west-1, us-east-1"):
        lookup("domains", "us-west-2", edition="2018-11-21")
    overlay = tmp_path / "lab.yml"
    overlay.write_text(yaml.safe_dump({"regions": {"eu-lab-1": {"domain": "lab.example.test"}}}))
    assert "*.lab.example.test" in [r["domain"] for r in lookup("domains", "eu-lab-1", overlays=[str(overlay)])]


def test_the_requirements_lookup_reads_the_edition(lookup):
    today = dict((r["id"], r) for r in lookup("requirements", "edge"))
    page = dict((r["id"], r) for r in lookup("requirements", "edge", edition="2018-11-21"))
    assert today["edge.media.srtp_turn"]["ports"] == ["16384-65535"]
    assert page["edge.media.srtp_turn"]["ports"] == ["16384-32768"]
    assert "edge.media.srtp_turn.backward_compat" in page and "edge.media.srtp_turn.backward_compat" not in today
    assert today["edge.media.srtp_turn"]["provenance"]["effective"] == "2024-12-07"
    assert "ko-help.mypurecloud.com" in today["edge.media.srtp_turn"]["provenance"]["sources"][0]["where"]
    with pytest.raises(AnsibleError, match="edition"):
        lookup("requirements", "edge", edition="2025")
    kept = dict((r["id"], r) for r in lookup("requirements", "edge", include_deprecated=True))
    assert kept["edge.media.srtp_turn.backward_compat"]["deprecated"]["date"] == "2024-12-07"


def test_the_genesys_lookup_reads_a_saved_answer(lookup, tmp_path):
    saved = tmp_path / "ipranges.json"
    saved.write_text(json.dumps({"entities": [
        {"cidr": "203.0.113.70/32", "service": "api", "direction": "inbound"},
        {"cidr": "203.0.113.71/32", "service": "api", "direction": "inbound"},
        {"cidr": "203.0.113.80/29", "service": "smtp", "direction": "outbound"}]}))
    assert lookup("genesys_ip_ranges", src=str(saved), service=["api"], aggregate=True) == ["203.0.113.70/31"]
    meta = lookup("genesys_ip_ranges", src=str(saved), output="metadata")[0]
    assert meta["services"] == ["api", "smtp"] and meta["count"] == 3 and meta["age_seconds"] >= 0
    with pytest.raises(AnsibleError, match="no region: give region"):
        lookup("genesys_ip_ranges")
    with pytest.raises(AnsibleError, match=r"unknown region 'us-west2' \(did you mean 'us-west-2'\?\)"):
        lookup("genesys_ip_ranges", region="us-west2")


def test_the_genesys_lookup_wants_credentials(lookup, monkeypatch, tmp_path):
    for name in ("GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET", "GENESYSCLOUD_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(AnsibleError, match="region us-west-2: no credentials: give an OAuth client .*"
                                           "GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET"):
        lookup("genesys_ip_ranges", region="us-west-2", cache_dir=str(tmp_path))


def test_site_products_from_declared_products_and_groups(jinja_filter):
    site_products = jinja_filter("site_products")
    assert site_products(["voice"], ["purecloud_edge", "purecloud_preflight", "site_gateways"]) == ["edge", "voice"]
    assert site_products([], {"purecloud_bridge": ["b1"], "purecloud_byoc_cloud": [], "all": ["b1"]}) == ["bridge"]
    with pytest.raises(AnsibleError, match=r"unknown product 'egde' \(did you mean 'edge'\?\)"):
        site_products(["egde"], [])


def test_site_rules_plans_each_product_with_the_sites_catalog(jinja_filter, tmp_path):
    overlay = tmp_path / "site.yml"
    overlay.write_text(yaml.safe_dump({"requirements": [
        {"id": "site.syslog", "product": "edge", "protocol": "udp", "ports": ["514"], "source": ["edge"],
         "destination": ["voip_phone"]}]}))
    rules = jinja_filter("site_rules")({"products": ["edge"], "region": "us-west-2", "networks": NETWORKS,
                                        "catalog_overlays": [str(overlay)], "ldap": None})
    assert rules["catalog"]["overlays"] == [str(overlay)] and rules["region"] == "us-west-2"
    assert any("site.syslog" in rule["ids"] for rule in rules["products"]["edge"]["rules"])
    assert "edge.sip_provider.rtp" in [skip["id"] for skip in rules["products"]["edge"]["skipped"]]


def test_site_changes_compares_editions_and_overlays(jinja_filter, tmp_path):
    site_changes = jinja_filter("site_changes")
    settings = {"products": ["edge"], "region": "us-east-1", "networks": NETWORKS}
    since_page = site_changes(settings, old_edition="2018-11-21")
    assert since_page["catalog"]["old"]["edition"] == "2018-11-21" and since_page["catalog"]["new"]["edition"] == \
        "current"
    overlay = tmp_path / "narrow.yml"
    overlay.write_text(yaml.safe_dump({"requirements": [{"id": "edge.media.srtp_turn", "ports": ["16384-32768"]}]}))
    mine = site_changes(dict(settings, catalog_overlays=[str(overlay)]), old_edition="current")
    assert mine["lines"][0] == "catalog current (catalog 1.1.0) -> current (catalog 1.1.0) + 1 overlay: " \
                               "requirements +0 / -0 / ~1"
    assert mine["catalog"]["new"]["overlays"] == [str(overlay)]
    with pytest.raises(AnsibleError, match="nothing to compare"):
        site_changes(settings)


def test_the_report_names_the_edition_the_overlays_and_the_sources(jinja_filter, tmp_path):
    overlay = tmp_path / "site.yml"
    overlay.write_text(yaml.safe_dump({
        "sources": {"team": {"title": "Our network team", "where": "https://wiki.example.com/genesys"}},
        "regions": {"eu-lab-1": {"domain": "lab.example.test",
                                 "provenance": {"source": "team", "effective": "2026-12-01"}}},
        "requirements": [{"id": "site.syslog", "product": "edge", "protocol": "udp", "ports": ["514"],
                          "source": ["edge"], "destination": ["voip_phone"], "provenance": {"source": "team"}}]}))
    report = jinja_filter("site_report")({"products": ["edge"], "region": "eu-lab-1", "networks": NETWORKS,
                                          "catalog_overlays": [str(overlay)]})
    data = json.loads(report["json"])
    assert data["edition"] == "current" and data["overlays"] == [str(overlay)]
    syslog = [f for f in data["flows"] if "site.syslog" in f["requirements"]][0]
    assert "team" in syslog["sources"].split(", ") and "site-specific (user defined)" in syslog["sections"]
    assert "*.lab.example.test" in [f for f in data["flows"] if f["to"] == "purecloud"][0]["destination"]
    assert "- `team`: Our network team, https://wiki.example.com/genesys" in report["markdown"]
    assert "overlays %s" % overlay in report["html"]
