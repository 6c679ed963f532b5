# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan's records: what a playbook hands back is checked, and the dicts round-trip."""

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Requirement, load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import (
    NO_NETWORKS, NO_PORTS, Rule, Skip, all_ids, rules_from)
from ansible_collections.purecloud.firewall.plugins.module_utils.site import plan_site

RULE = {"source_class": "edge", "destination_class": "purecloud", "sources": ["198.51.100.128/28"],
        "destinations": "any", "protocol": "tcp", "ports": ["443"], "ids": ["edge.https"], "applications": ["HTTPS"]}


def test_a_rule_round_trips_through_its_dict():
    rule = Rule.from_mapping(RULE)
    assert rule.sources == ("198.51.100.128/28",) and rule.destinations == "any"
    assert rule.as_dict() == RULE
    assert rules_from([RULE, rule]) == (rule, rule)


@pytest.mark.parametrize("change, message", [
    ({"ports": []}, r"rule\[0\].ports must be a list of strings, got \[\]"),
    ({"sources": []}, r"rule\[0\].sources must be 'any' or a non-empty list of CIDRs, got \[\]"),
    ({"destinations": 7}, r"rule\[0\].destinations must be 'any'"),
    ({"protocol": None}, r"rule\[0\].protocol must be a string, got None"),
    ({"ids": "edge.https"}, r"rule\[0\].ids must be a list of strings"),
])
def test_a_bad_rule_is_named_with_its_field(change, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        rules_from([dict(RULE, **change)], "rule")


def test_a_rule_without_its_fields_names_them():
    with pytest.raises(PurecloudFirewallError, match="rules has no destinations, protocol"):
        Rule.from_mapping(dict((k, v) for k, v in RULE.items() if k not in ("destinations", "protocol")), "rules")
    with pytest.raises(PurecloudFirewallError, match="rules must be a list of rules"):
        rules_from({"rules": []})


def test_a_skip_says_what_would_bring_the_row_in():
    ports = Skip("edge.sip_provider.rtp", NO_PORTS, "sip_provider_rtp_ports")
    networks = Skip("bridge.ad.ldap", NO_NETWORKS, "corporate_ad")
    assert ports.reason == "no ports: set port variable 'sip_provider_rtp_ports'"
    assert networks.reason == "no networks given for class 'corporate_ad'"
    assert Skip.from_mapping(ports.as_dict()) == ports
    with pytest.raises(PurecloudFirewallError, match=r"skipped.kind 'no_luck'; expected one of: no_ports, no_networks"):
        Skip.from_mapping(dict(ports.as_dict(), kind="no_luck"))
    with pytest.raises(PurecloudFirewallError, match="must be a mapping with id, kind and missing"):
        Skip.from_mapping({"id": "x", "reason": "because"})


def test_a_requirement_row_from_the_lookup_comes_back_as_the_record():
    catalog = load_catalog()
    row = catalog.select(["edge"])[0]
    again = Requirement.from_row(row.as_dict(catalog.sources))
    assert (again.id, again.protocol, again.ports, again.source, again.destination, again.flags) == (
        row.id, row.protocol, row.ports, row.source, row.destination, row.flags)


@pytest.mark.parametrize("row, message", [
    ({"id": "site.x", "protocol": "sctp", "ports": ["1"], "source": ["edge"], "destination": ["purecloud"]},
     r"requirement \(site.x\): bad protocol 'sctp'"),
    ({"id": "site.x", "protocol": "tcp", "ports": ["70000"], "source": ["edge"], "destination": ["purecloud"]},
     r"requirement \(site.x\): bad port '70000'"),
    ({"id": "site.x", "protocol": "tcp", "ports": ["1"], "source": [], "destination": ["purecloud"]},
     r"requirement \(site.x\): source must be a list of endpoint classes, got \[\]"),
    ({"id": "site.x", "protocol": "tcp", "source": ["edge"]}, r"requirement \(site.x\) has no ports, destination"),
])
def test_a_bad_requirement_row_is_named(row, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        Requirement.from_row(row)


def test_a_plan_as_apply_returns_it():
    plan = plan_site({"products": ["edge"], "region": "us-east-1", "catalog_edition": "2018-11-21",
                      "networks": {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"]}})
    result = plan.as_dict()
    assert result["catalog"] == {"edition": "2018-11-21", "overlays": [], "catalog_version": "1.1.0"}
    assert [Rule.from_mapping(r) for r in result["rules"]] == list(plan.rules)
    assert [s["kind"] for s in result["skipped"]] == [NO_PORTS] * 3
    # The rows carry their sources' titles, as the requirements lookup gives them.
    assert result["requirements"][0]["provenance"]["sources"][0]["title"].startswith("Ports and services")
    assert "edge.https" in all_ids(plan.rules)
