# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The current edition against the vendor's material, and overlays merged by id.

The expectations below are written from the sources the edition cites (the
SDKs' region table, the CIDR article and the 2024 notice), by hand, so a
catalog that drifts from them fails here.
"""

from __future__ import annotations

import copy
import os
import re

import pytest
import yaml

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import (
    SelectOptions, editions, load_catalog)
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

from conftest import SDK_REGIONS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

PAGE_REGIONS = ("us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1")
# "CIDR IP address range for Cloud Media Services": the commercial core and satellite regions' blocks.
MEDIA_BLOCKS = ["52.129.96.0/20", "169.150.104.0/21", "167.234.48.0/20", "136.245.64.0/18"]
# The 2024 notice: udp/16384-32768 widened to udp/16384-65535, effective 2024-12-07.
WIDENED = ["16384-65535"]


@pytest.fixture(scope="module")
def current():
    return load_catalog(edition="current")


@pytest.fixture(scope="module")
def page():
    return load_catalog(edition="2018-11-21")


def test_the_editions_and_the_default():
    known = editions()
    assert known["default"] == "current"
    assert sorted(known["names"]) == ["2018-11-21", "current"]
    assert load_catalog().edition == "current"
    with pytest.raises(PurecloudFirewallError, match=r"unknown catalog edition 'curent' \(did you mean 'current'\?\)"):
        load_catalog(edition="curent")


def test_every_region_of_the_vendors_table_with_its_domain_and_kind(current, page):
    assert dict((code, r.domain) for code, r in current.regions.items()) == SDK_REGIONS
    assert sorted(page.regions) == sorted(PAGE_REGIONS)
    assert current.region("us-east-2").kind == "fedramp"
    assert current.region("eusc-de-east-1").kind == "sovereign"
    assert set(r.kind for c, r in current.regions.items() if c not in ("us-east-2", "eusc-de-east-1")) == {"core"}
    assert current.region("us-west-2").hosts == {
        "api": "api.usw2.pure.cloud", "login": "login.usw2.pure.cloud", "apps": "apps.usw2.pure.cloud"}
    # The page's BYOC Cloud servers stay with its five regions; no source gives the others'.
    assert len(current.region("eu-west-1").byoc_cloud_servers) == 4
    assert current.region("us-west-2").byoc_cloud_servers == ()


@pytest.mark.parametrize("code, near", [("us-west2", "us-west-2"), ("eu-centrl-1", "eu-central-1"),
                                        ("US-WEST-2", "us-west-2")])
def test_an_unknown_region_names_the_near_miss_and_every_region(current, code, near):
    with pytest.raises(PurecloudFirewallError) as info:
        current.region(code, "purecloud_region")
    message = str(info.value)
    assert message.startswith("unknown purecloud_region %r (did you mean %r?); expected one of: " % (code, near))
    assert all(region in message for region in SDK_REGIONS)


def test_every_row_of_current_carries_its_source_and_date(current):
    for row in current.requirements:
        assert row.provenance.sources and row.provenance.effective, row.id
        for source in row.provenance.sources:
            assert current.sources[source].title and current.sources[source].where, (row.id, source)
    for entry in list(current.regions.values()) + list(current.cidr_sets.values()):
        assert entry.provenance.sources and entry.provenance.effective


def test_the_media_rows_widen_and_go_to_the_genesys_blocks(current, page):
    for rid in ("edge.media.srtp_turn", "voice.webrtc.media.srtp_turn", "byoc_premises.webrtc.media.srtp_turn"):
        before, after = page.requirement(rid), current.requirement(rid)
        assert list(before.ports) == ["16384-32768"] and list(after.ports) == WIDENED, rid
        assert "genesys_media" in after.destination and "genesys_media" not in before.destination
        assert after.provenance.effective == "2024-12-07"
        assert "cidr-expansion-2024" in after.provenance.sources
    assert list(current.requirement("webrtc_client.media.srtp").ports) == WIDENED
    for rid in ("edge.stun.purecloud.udp", "webrtc_client.media.stun.purecloud.tcp"):
        assert current.requirement(rid).destination == ("purecloud", "genesys_media")
    assert current.cidrs_for("genesys_media", current.region("us-west-2")) == MEDIA_BLOCKS
    assert current.cidrs_for("genesys_media", current.region("us-east-2")) == []  # FedRAMP: not readable


def test_dropped_rows_are_deprecated_not_deleted(current, page):
    assert set(r.id for r in page.requirements) <= set(r.id for r in current.requirements)
    deprecated = dict((r.id, r.deprecated) for r in current.requirements if r.deprecated)
    assert sorted(deprecated) == ["byoc_premises.webrtc.media.srtp_turn.backward_compat",
                                  "edge.media.srtp_turn.backward_compat",
                                  "voice.webrtc.media.srtp_turn.backward_compat"]
    assert all(d.date == "2024-12-07" and d.reason and d.sources for d in deprecated.values())
    ids = [r.id for r in current.select(["edge"])]
    assert "edge.media.srtp_turn.backward_compat" not in ids
    kept = current.select(["edge"], SelectOptions(include_deprecated=True))
    row = [r for r in kept if r.id == "edge.media.srtp_turn.backward_compat"][0]
    assert row.as_dict()["deprecated"]["date"] == "2024-12-07"


def test_the_page_edition_rows_are_the_pages_own(page):
    assert all(r.provenance.sources == ("page-2018-11-21",) and r.provenance.effective == "2018-11-21"
               for r in page.requirements)
    assert not page.cidr_sets and "genesys_media" not in page.endpoint_classes


def test_every_region_has_its_own_domain_in_the_domains(current):
    for code, domain in SDK_REGIONS.items():
        found = [d for d in current.domains(code) if d.owner == "PureCloud" and not d.legacy]
        assert [d.domain for d in found][:1] == ["*." + domain], code
        assert found[0].provenance.sources, code


# ------------------------------------------------------------------ overlays
def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return str(path)


REGION = {"domain": "lab.example.test", "kind": "core"}
ROW = {"id": "site.syslog", "product": "edge", "protocol": "udp", "ports": ["514"], "source": ["edge"],
       "destination": ["corporate_ad"]}


def test_an_overlay_adds_replaces_and_drops_by_id(tmp_path):
    overlay = write(tmp_path, "site.yml", {
        "overlay": "test", "regions": {"eu-lab-1": REGION, "us-west-2": {"drop": True}},
        "cidr_sets": {"genesys_media.lab": {"class": "genesys_media", "regions": ["eu-lab-1"],
                                            "cidrs": ["203.0.113.96/28"]}},
        "requirements": [ROW, {"id": "edge.media.srtp_turn", "ports": ["16384-32768"]},
                         {"id": "edge.edge_group.tls", "drop": True}],
        "domains": [{"id": "google.analytics", "drop": True}]})
    catalog = load_catalog(overlays=[overlay])
    assert catalog.overlays == (os.path.abspath(overlay),)
    assert catalog.describe() == {"edition": "current", "overlays": [os.path.abspath(overlay)],
                                  "catalog_version": catalog.version}
    assert "eu-lab-1" in catalog.regions and "us-west-2" not in catalog.regions
    assert "*.lab.example.test" in [d.domain for d in catalog.domains("eu-lab-1")]
    assert catalog.cidrs_for("genesys_media", catalog.region("eu-lab-1")) == MEDIA_BLOCKS + ["203.0.113.96/28"]
    syslog = catalog.requirement("site.syslog")
    assert syslog.section == "site-specific (user defined)" and list(syslog.ports) == ["514"]
    assert syslog.provenance.sources == ("overlay %s" % os.path.abspath(overlay),)
    media = catalog.requirement("edge.media.srtp_turn")
    assert list(media.ports) == ["16384-32768"] and "genesys_media" in media.destination  # the rest kept
    assert media.provenance.sources == ("overlay %s" % os.path.abspath(overlay),)
    assert "edge.edge_group.tls" not in [r.id for r in catalog.requirements]
    assert "google.analytics" not in [d.id for d in catalog.domains("us-east-1")]
    # Overlays layer in order, and the plain edition is untouched.
    later = write(tmp_path, "later.yml", {"requirements": [{"id": "site.syslog", "ports": ["6514"]}]})
    assert list(load_catalog(overlays=[overlay, later]).requirement("site.syslog").ports) == ["6514"]
    assert "site.syslog" not in [r.id for r in load_catalog().requirements]


@pytest.mark.parametrize("data, problem", [
    ({"requirements": [dict(ROW, protocol="sctp")]},
     "requirements[0] (site.syslog): protocol 'sctp'; expected one of: tcp, udp"),
    ({"requirements": [dict(ROW, destination=["printer"])]},
     "requirements[0] (site.syslog): destination class 'printer'"),
    ({"requirements": [{"id": "edge.nope", "drop": True}]},
     "requirements[0] (edge.nope): drop: there is no requirements row 'edge.nope' to drop"),
    ({"regions": {"eu-lab-1": {"domain": "Lab Example"}}},
     "regions.eu-lab-1: domain must be the organisation's domain"),
    ({"regions": {"eu-lab-1": dict(REGION, colour="red")}}, "regions.eu-lab-1: unknown field 'colour'"),
    ({"cidr_sets": {"x.y": {"class": "purecloud", "regions": ["us-east-1"], "cidrs": ["203.0.113.0/24"]}}},
     "cidr_sets.x.y: class 'purecloud' must be an endpoint class whose ip_ranges is cidr_sets: genesys_media"),
    ({"cidr_sets": {"genesys_media.commercial": {"cidrs": ["203.0.113.7/24"]}}},
     "cidr_sets.genesys_media.commercial: CIDR '203.0.113.7/24' has host bits set; write '203.0.113.0/24'"),
    ({"endpoint_classes": {"printer": {"location": "site"}}}, "unknown key 'endpoint_classes'"),
    ({"requirements": {"id": "x"}}, "requirements: must be a list"),
])
def test_a_broken_overlay_names_the_file_the_entry_and_the_field(tmp_path, data, problem):
    overlay = write(tmp_path, "broken.yml", data)
    with pytest.raises(PurecloudFirewallError) as info:
        load_catalog(overlays=[overlay])
    assert "overlay %s: %s" % (os.path.abspath(overlay), problem) in str(info.value)


def test_overlay_files_that_are_not_there_or_not_yaml(tmp_path):
    with pytest.raises(PurecloudFirewallError, match="cannot read catalog overlay .*missing.yml"):
        load_catalog(overlays=[str(tmp_path / "missing.yml")])
    bad = tmp_path / "bad.yml"
    bad.write_text("requirements: [\n")
    with pytest.raises(PurecloudFirewallError, match="catalog overlay .*bad.yml is not valid YAML"):
        load_catalog(overlays=[str(bad)])
    with pytest.raises(PurecloudFirewallError, match="catalog overlays must be a list of YAML file paths"):
        load_catalog(overlays=[5])


def test_an_edition_must_cite_a_source_and_a_date_for_each_change(tmp_path):
    root = tmp_path / "vars"
    (root / "editions").mkdir(parents=True)
    with open(os.path.join(ROOT, "vars", "catalog.yml")) as handle:
        base = yaml.safe_load(handle)
    base["editions"]["list"] = [{"name": "next", "file": "editions/next.yml", "base": "2018-11-21"}]
    base["editions"]["default"] = "next"
    (root / "catalog.yml").write_text(yaml.safe_dump(base))
    (root / "editions" / "next.yml").write_text(yaml.safe_dump({
        "edition": "next", "base": "2018-11-21",
        "requirements": [{"id": "edge.https", "ports": ["8443"]},
                         {"id": "edge.webrtc.sip", "ports": ["5062"], "provenance": {"source": "page-2018-11-21"}},
                         {"id": "edge.stun.purecloud.tcp", "ports": ["3479"],
                          "provenance": {"source": "a-rumour", "effective": "2026-01-01"}}]}))
    with pytest.raises(PurecloudFirewallError) as info:
        load_catalog(str(root / "catalog.yml"))
    message = str(info.value)
    assert "edition next: requirements[0] (edge.https): an edition's entry must give its provenance" in message
    assert "edition next: requirements[1] (edge.webrtc.sip): provenance.effective: an edition's entry must give " \
           "the date it takes effect" in message
    assert "edition next: requirements[2] (edge.stun.purecloud.tcp): provenance.source 'a-rumour' is not in " \
           "sources" in message


def test_the_example_overlay_loads_and_changes_what_it_says():
    catalog = load_catalog(overlays=[os.path.join(ROOT, "examples", "catalog-overlay.yml")])
    assert list(catalog.requirement("edge.media.srtp_turn").ports) == ["16384-32768"]
    assert catalog.cidrs_for("genesys_media", catalog.region("us-east-2"))  # FedRAMP now has blocks
    assert catalog.requirement("site.syslog").product == "edge"


def test_loading_is_cached_per_file_version(tmp_path):
    overlay = write(tmp_path, "site.yml", {"requirements": [ROW]})
    first = load_catalog(overlays=[overlay])
    assert load_catalog(overlays=[overlay]) is first
    later = copy.deepcopy(ROW)
    later["ports"] = ["515"]
    path = tmp_path / "site.yml"
    path.write_text(yaml.safe_dump({"requirements": [later]}))
    os.utime(path, (os.path.getmtime(path) + 5, os.path.getmtime(path) + 5))
    assert list(load_catalog(overlays=[overlay]).requirement("site.syslog").ports) == ["515"]


def test_a_field_given_as_null_is_removed_so_a_row_can_change_its_kind(tmp_path):
    overlay = write(tmp_path, "site.yml", {"requirements": [
        {"id": "edge.media.srtp_turn", "ports": None, "ports_from": "phone_rtp_ports"}]})
    row = load_catalog(overlays=[overlay]).requirement("edge.media.srtp_turn")
    assert row.ports == () and row.ports_from == "phone_rtp_ports"


def test_an_id_given_twice_in_one_overlay_is_refused(tmp_path):
    overlay = write(tmp_path, "twice.yml", {"requirements": [ROW, dict(ROW, ports=["515"])]})
    with pytest.raises(PurecloudFirewallError, match=r"twice.yml: requirements\[1\] \(site.syslog\): 'site.syslog' "
                                                     r"is given twice in this file"):
        load_catalog(overlays=[overlay])


def test_a_problem_names_every_file_that_shaped_the_entry(tmp_path):
    first = write(tmp_path, "first.yml", {"requirements": [dict(ROW, protocol="sctp")]})
    second = write(tmp_path, "second.yml", {"requirements": [{"id": "site.syslog", "description": "Syslog."}]})
    with pytest.raises(PurecloudFirewallError) as info:
        load_catalog(overlays=[first, second])
    assert ("overlay %s: requirements[0]; overlay %s: requirements[0] (site.syslog): protocol 'sctp'"
            % (os.path.abspath(first), os.path.abspath(second))) in str(info.value)


@pytest.mark.parametrize("data, problem", [
    ({"regions": {"us-west-2": {1: "x"}}}, "regions.us-west-2: expected a mapping of field names"),
    ({"regions": {5: REGION}}, "regions.5: the name must be a string"),
])
def test_odd_keys_are_problems_not_crashes(tmp_path, data, problem):
    overlay = write(tmp_path, "odd.yml", data)
    with pytest.raises(PurecloudFirewallError, match=re.escape("overlay %s: %s" % (os.path.abspath(overlay), problem))):
        load_catalog(overlays=[overlay])


@pytest.mark.parametrize("registry, problem", [
    ({"default": "next", "list": [{"name": "next", "file": "n.yml"}]}, "editions.list[0] needs a name, a file and a base"),
    ({"default": "next", "list": [{"name": "next", "file": "n.yml", "base": "1999"}]},
     "edition next is built on '1999', which is not an edition of it"),
    ({"default": "a", "list": [{"name": "a", "file": "a.yml", "base": "b"}, {"name": "b", "file": "b.yml", "base": "a"}]},
     "is built on it"),
    ({"default": "later", "list": []}, "the default edition 'later' is not one of its editions"),
])
def test_a_catalog_whose_editions_do_not_chain_to_it_is_refused(tmp_path, registry, problem):
    with open(os.path.join(ROOT, "vars", "catalog.yml")) as handle:
        base = yaml.safe_load(handle)
    base["editions"] = registry
    path = tmp_path / "catalog.yml"
    path.write_text(yaml.safe_dump(base))
    with pytest.raises(PurecloudFirewallError, match=re.escape(problem)):
        load_catalog(str(path))


def test_the_collections_files_are_kept_parsed_and_a_change_is_read_again(tmp_path, monkeypatch):
    from ansible_collections.purecloud.firewall.plugins.module_utils import catalog as module

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(module, "_RAW", {})
    monkeypatch.setattr(module, "_CACHE", {})
    first = module.load_catalog()
    copies = sorted(os.listdir(tmp_path / ".cache" / "purecloud.firewall" / "catalog"))
    assert len(copies) == 2  # the page and the current edition; an overlay is never kept
    monkeypatch.setattr(module, "_RAW", {})
    monkeypatch.setattr(module, "_CACHE", {})
    monkeypatch.setattr(module, "_parse_yaml", lambda path, what: pytest.fail("parsed %s again" % path))
    again = module.load_catalog()
    assert [r.id for r in again.requirements] == [r.id for r in first.requirements]
    # A copy never hides the file: another version of it is another copy, and the old one goes.
    key = (module.default_catalog_path(), 1, 2)
    module._write_parsed_copy(module._parsed_copy(key), {"edition": "x"})
    assert module._read_parsed_copy(module._parsed_copy(key)) == {"edition": "x"}
    assert len(os.listdir(tmp_path / ".cache" / "purecloud.firewall" / "catalog")) == 2
    module._write_parsed_copy(module._parsed_copy((key[0], 3, 4)), {1: "a number as a key"})
    assert not os.path.exists(module._parsed_copy((key[0], 3, 4)))  # JSON would change it: not kept
