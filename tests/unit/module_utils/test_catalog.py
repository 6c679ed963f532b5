# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Catalog checks and selections.

EXPECTED below is a second, hand-written encoding of the page per product:
(protocol, ports, source classes, destination classes).  The selection must
give exactly these rows, so a change to the catalog or to the selection
logic that drops or adds a flow fails here.
"""

from __future__ import annotations

import copy

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import (
    FLAG_NAMES,
    Catalog,
    SelectOptions,
    load_catalog,
    options_from_mapping,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

W, P, E, B = "workstation", "voip_phone", "edge", "bridge_server"
CLOUD = "purecloud"


DNS_NTP = {
    W: [("udp", "53", W, "dns"), ("tcp", "53", W, "dns")],
    P: [("udp", "53", P, "dns"), ("tcp", "53", P, "dns"), ("udp", "123", P, "nist_time")],
    E: [("udp", "53", E, "dns"), ("tcp", "53", E, "dns"), ("udp", "123", E, "nist_time")],
    B: [("udp", "53", B, "dns"), ("tcp", "53", B, "dns"), ("udp", "123", B, "nist_time")],
}

STUN = [("tcp", "3478", "%s", CLOUD), ("udp", "3478", "%s", CLOUD),
        ("tcp", "19302", "%s", "google_stun"), ("udp", "19302", "%s", "google_stun")]


def stun(source):
    return [(proto, port, source, dst) for proto, port, _s, dst in STUN]


WEBRTC_PHONES = [("tcp", "443", "workstation+edge", CLOUD)] + stun("workstation+edge") + [
    ("udp", "16384-32768", "workstation+edge", "edge+purecloud"),
    ("udp", "49152-65535", "workstation+edge", "edge+purecloud"),
]

EXPECTED = {
    "general": [
        ("udp", "53", "workstation+voip_phone+edge+bridge_server", "dns"),
        ("tcp", "53", "workstation+voip_phone+edge+bridge_server", "dns"),
        ("udp", "123", "voip_phone+edge+bridge_server", "nist_time"),
    ],
    "webrtc_client": DNS_NTP[W] + [("tcp", "443", W, CLOUD)] + stun(W) + [
        ("udp", "49152-65535", W, CLOUD), ("tcp", "443", W, CLOUD), ("tcp", "5222", W, CLOUD)],
    "bridge": DNS_NTP[B] + [("tcp", "443", B, CLOUD), ("tcp", "389", B, "corporate_ad"),
                            ("tcp", "636", B, "corporate_ad")],
    "edge": DNS_NTP[E] + [
        ("tcp", "443", E, CLOUD), ("tcp", "8063", E, E), ("tcp", "5060-5061", E, CLOUD)] + stun(E) + [
        ("udp", "16384-32768", E, "edge+purecloud"), ("udp", "49152-65535", E, "edge+purecloud"),
        ("udp", "5060", E, P), ("tcp", "5060", E, P), ("tcp", "5061", E, P),
        ("udp", "", E, "sip_provider"), ("tcp", "", E, "sip_provider"),
        ("udp", "4000-65535", E, P), ("udp", "", E, "sip_provider")],
    "voice": [
        ("udp", "53", "voip_phone+workstation+edge", "dns"), ("tcp", "53", "voip_phone+workstation+edge", "dns"),
        ("udp", "123", "voip_phone+edge", "nist_time"),
        ("tcp", "443", P, "polycom_ztp"),
        ("tcp", "80", P, "phone_provisioning"), ("tcp", "443", P, "phone_provisioning"),
        ("tcp", "80", P, E), ("tcp", "443", P, E), ("tcp", "8061", P, E),
        ("udp", "16384-32768", P, E)] + WEBRTC_PHONES,
    "byoc_premises": [
        ("udp", "53", "voip_phone+workstation+edge", "dns"), ("tcp", "53", "voip_phone+workstation+edge", "dns"),
        ("udp", "123", "voip_phone+edge", "nist_time"),
        ("tcp", "443", P, "polycom_ztp"),
        ("tcp", "80", P, "phone_provisioning"), ("tcp", "443", P, "phone_provisioning"),
        ("tcp", "8088", P, E), ("tcp", "8089", P, E), ("tcp", "80", P, E), ("tcp", "443", P, E),
        ("udp", "8060", P, E), ("tcp", "8060", P, E), ("tcp", "8061", P, E),
        ("udp", "16384-32768", P, E)] + WEBRTC_PHONES + [
        ("udp", "5060", "sip_provider+pbx", E), ("tcp", "5060", "sip_provider+pbx", E),
        ("tcp", "5061", "sip_provider+pbx", E), ("udp", "16384-32768", "sip_provider+pbx", E)],
    "byoc_cloud": [
        ("udp", "", "pbx+sip_provider", "byoc_cloud"), ("tcp", "", "pbx+sip_provider", "byoc_cloud"),
        ("udp", "", "byoc_cloud", "pbx+sip_provider"), ("tcp", "", "byoc_cloud", "pbx+sip_provider")],
}


def _classes(joined):
    return "+".join(sorted(joined.split("+")))


def flows(selected):
    return sorted((r.protocol, ",".join(r.ports), _classes("+".join(r.source)),
                   _classes("+".join(r.destination))) for r in selected)


def expected(product):
    return sorted((proto, ports, _classes(src), _classes(dst)) for proto, ports, src, dst in EXPECTED[product])


@pytest.fixture(scope="module")
def catalog():
    """The page's own edition: EXPECTED is written from the page."""
    return load_catalog(edition="2018-11-21")


@pytest.mark.parametrize("product", sorted(EXPECTED))
def test_each_product_returns_exactly_the_pages_rows(catalog, product):
    selected = catalog.select([product])
    assert flows(selected) == expected(product)
    assert all(r.product == product for r in selected)
    assert len(set(r.id for r in selected)) == len(selected)


def test_all_returns_every_row_once_under_its_own_product(catalog):
    selected = catalog.select(["all"])
    assert len(selected) == len(catalog.requirements) == 70
    assert [r.id for r in selected] == [r.id for r in catalog.requirements]
    assert [r.product for r in selected] == [r.product for r in catalog.requirements]


def test_returned_items_carry_every_documented_field(catalog):
    item = catalog.select(["edge"])[0].as_dict(catalog.sources)  # as the requirements lookup returns it
    for key in ("id", "product", "source", "destination", "protocol", "ports", "application",
                "description", "flags", "section"):
        assert key in item
    assert set(item["flags"]) == set(FLAG_NAMES)
    assert item["section"] == "General"
    assert catalog.select(["edge"])[-1].section == "PureCloud Edge"


@pytest.mark.parametrize("option, product, dropped", [
    ("include_legacy", "byoc_premises", {"byoc_premises.provisioning.edge.http_legacy",
                                         "byoc_premises.provisioning.edge.https_legacy"}),
    ("include_backward_compat", "edge", {"edge.media.srtp_turn.backward_compat"}),
    ("include_backward_compat", "voice", {"voice.webrtc.media.srtp_turn.backward_compat"}),
    ("include_backward_compat", "webrtc_client", set()),  # the client's own SRTP range is required
    ("include_conditional_ldap", "bridge", {"bridge.ad.ldap", "bridge.ad.ldaps"}),
    ("include_internal_dns_exempt", "edge", {"general.dns.udp", "general.dns.tcp"}),
    ("include_vendor_specified", "edge", {"edge.sip_provider.sip.udp", "edge.sip_provider.sip.tcp",
                                          "edge.sip_provider.rtp"}),
])
def test_options_drop_rows_by_flag(catalog, option, product, dropped):
    everything = set(r.id for r in catalog.select([product]))
    narrowed = set(r.id for r in catalog.select([product], SelectOptions(**{option: False})))
    assert everything - narrowed == dropped


def test_port_variables_fill_vendor_rows_by_protocol(catalog):
    options = SelectOptions(port_variables={
        "sip_provider_sip_ports": ["udp/5060", "tcp/5061", "5080"],
        "sip_provider_rtp_ports": ["10000-20000"],
        "phone_rtp_ports": ["4000-4999", "4500-5100"],
    })
    by_id = dict((r.id, r) for r in catalog.select(["edge"], options))
    assert by_id["edge.sip_provider.sip.udp"].ports == ("5060", "5080")
    assert by_id["edge.sip_provider.sip.tcp"].ports == ("5061", "5080")
    assert by_id["edge.sip_provider.rtp"].ports == ("10000-20000",)
    assert by_id["edge.phones.rtp"].ports == ("4000-5100",)


def test_unset_vendor_rows_come_back_without_ports(catalog):
    by_id = dict((r.id, r) for r in catalog.select(["edge"]))
    assert by_id["edge.sip_provider.sip.udp"].ports == ()
    assert by_id["edge.sip_provider.sip.udp"].has("vendor_specified") is True
    assert by_id["edge.sip_provider.sip.udp"].ports_from == "sip_provider_sip_ports"


def test_port_overrides_move_configurable_defaults_only(catalog):
    options = SelectOptions(port_overrides={"voice.phones.sips": ["5071"]})
    by_id = dict((r.id, r) for r in catalog.select(["voice"], options))
    assert by_id["voice.phones.sips"].ports == ("5071",)
    with pytest.raises(PurecloudFirewallError, match=r"'edge.https' has no configurable port.*edge.phones.sip.udp"):
        catalog.select(["edge"], SelectOptions(port_overrides={"edge.https": ["8443"]}))


def test_extra_requirements_join_their_product(catalog):
    extra = [{"id": "site.syslog", "product": "edge", "protocol": "udp", "ports": ["514"],
              "source": ["edge"], "destination": ["corporate_ad"]}]
    selected = catalog.select(["edge"], SelectOptions(extra_requirements=extra))
    mine = [r for r in selected if r.id == "site.syslog"][0]
    assert mine.ports == ("514",) and mine.section == "site-specific (user defined)"
    assert not mine.flags


@pytest.mark.parametrize("extra, message", [
    ([{"id": "edge.https", "product": "edge", "protocol": "tcp", "ports": ["1"], "source": ["edge"],
       "destination": ["purecloud"]}], "duplicate id 'edge.https'"),
    ([{"id": "site.x", "product": "edge", "protocol": "icmp", "ports": ["1"], "source": ["edge"],
       "destination": ["purecloud"]}], "protocol 'icmp'; expected one of: tcp, udp"),
    ([{"id": "site.x", "product": "edge", "protocol": "tcp", "ports": ["70000"], "source": ["edge"],
       "destination": ["purecloud"]}], "70000 is outside 1-65535"),
    ([{"id": "site.x", "product": "edge", "protocol": "tcp", "ports": ["1"], "source": ["printer"],
       "destination": ["purecloud"]}], "source class 'printer'; expected one of: .*workstation"),
    ([{"id": "site.x", "product": "phones", "protocol": "tcp", "ports": ["1"], "source": ["edge"],
       "destination": ["purecloud"]}], "product 'phones'"),
])
def test_bad_extra_requirements_are_refused_by_name(catalog, extra, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        catalog.select(["edge"], SelectOptions(extra_requirements=extra))


@pytest.mark.parametrize("products, options, message", [
    (["edgy"], {}, r"unknown product 'edgy' \(did you mean 'edge'\?\); expected one of: all, bridge, byoc_cloud"),
    ([], {}, "no product given"),
    (["edge"], {"port_variables": {"rtp": ["1"]}}, "unknown port variable 'rtp'; expected one of: .*phone_rtp_ports"),
    (["edge"], {"port_variables": {"phone_rtp_ports": ["sctp/1"]}}, "bad protocol 'sctp'"),
    (["edge"], {"port_overrides": {"edge.nope": ["1"]}}, "'edge.nope' has no configurable port"),
])
def test_bad_selection_input_names_the_value(catalog, products, options, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        catalog.select(products, SelectOptions(**options))


def test_options_from_mapping_refuses_unknown_names():
    with pytest.raises(PurecloudFirewallError, match="unknown option 'include_fax'"):
        options_from_mapping({"include_fax": True})
    with pytest.raises(PurecloudFirewallError, match="include_legacy must be true or false"):
        options_from_mapping({"include_legacy": "no"})


# ----------------------------------------------------------------- schema
def broken(mutate):
    data = copy.deepcopy(load_catalog(edition="2018-11-21").data)
    mutate(data)
    return data


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["requirements"].append(copy.deepcopy(d["requirements"][0])), "duplicate id 'general.dns.udp'"),
    (lambda d: d["requirements"][0].update(protocol="sctp"), r"general.dns.udp\): protocol 'sctp'"),
    (lambda d: d["requirements"][0].update(ports=["53-52"]), "start 53 is greater than end 52"),
    (lambda d: d["requirements"][0].update(flags=["legacyy"]), "flag 'legacyy'"),
    (lambda d: d["requirements"][0].update(destination=["moon"]), "destination class 'moon'"),
    (lambda d: d["requirements"][0].update(ports_from="phone_rtp_ports"), "exactly one of 'ports' or 'ports_from'"),
    (lambda d: d["requirements"][0].pop("description"), "missing 'description'"),
    (lambda d: d["requirements"][0].update(colour="red"), "unknown field 'colour'"),
    (lambda d: d["requirements"][3].update(id="edge.misfiled"), "id must start with its product 'webrtc_client'"),
    (lambda d: d["flags"].pop("legacy"), "flags: must document exactly"),
    (lambda d: d["changelog"][0].update(version="0.9.0"), "the first entry must be catalog_version"),
    (lambda d: d["regions"]["eu-west-1"]["byoc_cloud_servers"].append("lb05.byoc.eu-west-1.example.com"),
     r"regions.eu-west-1: byoc_cloud_servers must be host names under the region's domain 'mypurecloud.ie'"),
    (lambda d: d["regions"]["eu-west-1"].update(domain="Mypurecloud"), "regions.eu-west-1: domain must be"),
    (lambda d: d["regions"]["eu-west-1"].update(kind="colony"), "kind 'colony'; expected one of: core, fedramp"),
    (lambda d: d["endpoint_classes"]["dns"].update(short="cloud"), "short 'cloud' is already purecloud's"),
    (lambda d: d["domains"][0].update(regions=["mars-1"]), "regions must be 'all' or a list"),
    (lambda d: d.pop("products"), "products: missing or not a dict"),
])
def test_schema_problems_are_reported_with_the_row(mutate, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        Catalog(broken(mutate), origin="test catalog")


def test_schema_reports_every_problem_at_once():
    def two(d):
        d["requirements"][0]["protocol"] = "sctp"
        d["requirements"][1]["ports"] = ["0"]

    with pytest.raises(PurecloudFirewallError, match=r"\(2 problems\)"):
        Catalog(broken(two))


def test_load_catalog_errors_name_the_file(tmp_path):
    bad = tmp_path / "catalog.yml"
    bad.write_text("requirements: [\n")
    with pytest.raises(PurecloudFirewallError, match="is not valid YAML"):
        load_catalog(str(bad))
    with pytest.raises(PurecloudFirewallError, match="cannot read catalog"):
        load_catalog(str(tmp_path / "missing.yml"))


# ---------------------------------------------------------------- domains
def test_domains_of_a_region(catalog):
    got = dict((d.id, d.domain) for d in catalog.domains("eu-central-1"))
    assert got["purecloud.app.eu-central-1"] == "*.mypurecloud.de"
    assert got["aws.s3.regional"] == "*.s3.eu-central-1.amazonaws.com"
    assert "purecloud.app.us-east-1" not in got and "purecloud.voice.ininpcv" not in got
    assert len(got) == 12  # 1 regional PureCloud + 11 "All" rows


def test_domains_filters(catalog):
    us = catalog.domains("us-east-1")
    assert [d.domain for d in us if d.legacy] == ["*.ininpcv.com"]
    assert not [d for d in catalog.domains("us-east-1", include_legacy=False) if d.legacy]
    owners = set(d.owner for d in catalog.domains("us-east-1", include_third_party=False))
    assert owners == {"PureCloud", "Amazon AWS"}
    assert [d.domain for d in catalog.domains("ap-northeast-1", owners=["Polycom"])] == ["*.ztp.polycom.com"]


def test_byoc_cloud_domains_for_a_region(catalog):
    got = [d.domain for d in catalog.domains("eu-west-1", owners=["PureCloud"], include_byoc_cloud=True)]
    assert got[-4:] == ["lb0%d.byoc.eu-west-1.mypurecloud.ie" % n for n in range(1, 5)]
    assert "byoc.mypurecloud.com" in got and "<customer prefix>.byoc.mypurecloud.com" in got


@pytest.mark.parametrize("kwargs, message", [
    ({"region": "us-west-2"}, "unknown region 'us-west-2'; expected one of: ap-northeast-1, ap-southeast-2"),
    ({"region": "us-east-1", "owners": ["Amazon"]}, "unknown owner 'Amazon'"),
])
def test_bad_domain_queries(catalog, kwargs, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        catalog.domains(**kwargs)
