# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check Point's invocations: hosts and networks, dns-domains, the section's place, options, removal, stale objects."""

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.filter.checkpoint_removals import checkpoint_removals
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import PLATFORMS, renderer_for
from ansible_collections.purecloud.firewall.plugins.module_utils.render_checkpoint import (
    CheckPoint, answers, cidr_object_name, dns_domain, removals, stale_removals)
from ansible_collections.purecloud.firewall.plugins.module_utils.site import ARGUMENT_SPEC, render_network_site

SITE = ("edge",)
CP = "check_point.mgmt.cp_mgmt_"


def rule(src, dst, sources, destinations, protocol, ports, ids):
    return Rule(src, dst, sources, destinations, protocol, tuple(ports), tuple(ids))


RULES = (
    rule("edge", "purecloud", ("198.51.100.128/28", "198.51.100.9/32", "2001:db8:1::/64", "2001:db8:2::1/128"),
         ("52.94.152.9/32", "15.230.221.0/24"), "tcp", ["443", "5060-5061"], ["edge.https", "edge.sip"]),
    rule("edge", "purecloud", ("198.51.100.128/28",), ANY, "udp", ["16384-65535"], ["edge.media"]),
    rule("sip_provider", "edge", ("203.0.113.60/31",), ("198.51.100.128/28",), "tcp", ["5060-5061"], ["edge.sip.in"]),
)


def config(rules=RULES, domains=None, **settings):
    return CheckPoint(settings).render_products([("edge", rules)], site_classes=SITE, domains=domains)


def of(device, short):
    return [step["args"] for step in device.config if step["module"] == CP + short]


def test_registered_with_its_network_os_fqdn_and_options():
    assert PLATFORMS["checkpoint"] is CheckPoint
    assert CheckPoint.fqdn and CheckPoint.applies and CheckPoint.network_os == ("check_point.mgmt.checkpoint",)
    for option in ("checkpoint_layer", "checkpoint_position", "checkpoint_publish"):
        assert ARGUMENT_SPEC[option] == CheckPoint.options[option]


def test_a_slash_32_or_128_is_a_host_and_a_wider_prefix_a_network():
    device = config()
    assert of(device, "host") == [
        {"name": "PURECLOUD-HOST-198.51.100.9", "ip_address": "198.51.100.9", "ignore_warnings": True,
         "state": "present"},
        {"name": "PURECLOUD-HOST-2001_db8_2__1", "ip_address": "2001:db8:2::1", "ignore_warnings": True,
         "state": "present"},
        {"name": "PURECLOUD-HOST-52.94.152.9", "ip_address": "52.94.152.9", "ignore_warnings": True,
         "state": "present"}]
    networks = dict((args["name"], (args["subnet"], args["mask_length"])) for args in of(device, "network"))
    assert networks == {"PURECLOUD-NET-198.51.100.128-28": ("198.51.100.128", 28),
                        "PURECLOUD-NET-2001_db8_1__-64": ("2001:db8:1::", 64),
                        "PURECLOUD-NET-15.230.221.0-24": ("15.230.221.0", 24),
                        "PURECLOUD-NET-203.0.113.60-31": ("203.0.113.60", 31)}
    # One object per address however many groups name it; a group lists its members.
    groups = dict((args["name"], args["members"]) for args in of(device, "group"))
    assert groups["PURECLOUD-EDGE-2"] == ["PURECLOUD-NET-198.51.100.128-28"]
    assert groups["PURECLOUD-PURECLOUD"] == ["PURECLOUD-HOST-52.94.152.9", "PURECLOUD-NET-15.230.221.0-24"]
    assert cidr_object_name("PURECLOUD", "2001:db8::/32") == "PURECLOUD-NET-2001_db8__-32"


def test_objects_come_before_what_names_them_and_rules_keep_the_plan_order():
    modules = [step["module"][len(CP):] for step in config().config]
    last = dict((module, index) for index, module in enumerate(modules))
    first = dict((module, modules.index(module)) for module in set(modules))
    assert last["network"] < first["group"] and last["host"] < first["group"]
    assert last["service_tcp"] < first["service_group"] < first["access_section"] < first["access_rule"]
    assert modules[-1] == "publish"
    rules = of(config(), "access_rule")
    assert [r["name"] for r in rules] == ["PURECLOUD-EDGE-OUT-1", "PURECLOUD-EDGE-OUT-2", "PURECLOUD-EDGE-IN-1"]
    assert rules[0]["service"] == ["PURECLOUD-TCP-443-5060-5061"] and rules[0]["comments"] == "edge.https edge.sip"
    assert rules[1]["destination"] == ["Any"] and rules[1]["action"] == "Accept"
    assert rules[1]["track"] == {"type": "Log"}


def test_a_flow_with_several_port_ranges_names_a_service_group_that_shares_the_single_range_services():
    device = config()
    assert of(device, "service_group") == [{"name": "PURECLOUD-TCP-443-5060-5061", "state": "present",
                                            "members": ["PURECLOUD-TCP-443", "PURECLOUD-TCP-5060-5061"]}]
    ports = sorted((args["name"], args["port"]) for args in of(device, "service_tcp"))
    assert ports == [("PURECLOUD-TCP-443", "443"), ("PURECLOUD-TCP-5060-5061", "5060-5061")]
    assert [args["port"] for args in of(device, "service_udp")] == ["16384-65535"]


def test_a_port_range_named_like_a_service_group_gets_its_own_name():
    rules = [rule("edge", "purecloud", ("198.51.100.128/28",), ANY, "tcp", ["443", "5060"], ["a"]),
             rule("edge", "purecloud", ("198.51.100.128/28",), ANY, "tcp", ["443-5060"], ["b"])]
    device = config(rules)
    names = [args["name"] for args in of(device, "service_tcp") + of(device, "service_group")]
    assert len(names) == len(set(names))
    ranges = dict((args["port"], args["name"]) for args in of(device, "service_tcp"))
    assert set(ranges) == {"443", "5060", "443-5060"}


def test_domains_are_dns_domain_objects_sub_domains_for_a_wildcard():
    assert dns_domain("*.mypurecloud.com") == (".mypurecloud.com", True)
    assert dns_domain("time.nist.gov") == (".time.nist.gov", False)
    device = config(domains={"purecloud": ("*.mypurecloud.com", "byoc.mypurecloud.com")})
    assert of(device, "dns_domain") == [
        {"name": ".mypurecloud.com", "is_sub_domain": True, "state": "present"},
        {"name": ".byoc.mypurecloud.com", "is_sub_domain": False, "state": "present"}]
    groups = dict((args["name"], args["members"]) for args in of(device, "group"))
    assert groups["PURECLOUD-PURECLOUD-FQDN"] == [".mypurecloud.com", ".byoc.mypurecloud.com"]
    # TCP goes to the names; UDP (to any address here) keeps its addresses.
    rules = of(device, "access_rule")
    assert rules[0]["destination"] == ["PURECLOUD-PURECLOUD-FQDN"] and rules[1]["destination"] == ["Any"]
    with pytest.raises(PurecloudFirewallError, match=r"one dns-domain object \.x\.com for both"):
        config(domains={"purecloud": ("*.x.com", "x.com")})


@pytest.mark.parametrize("position,args", [
    (None, {"position": "top"}), ("bottom", {"position": "bottom"}),
    ("above Cleanup rule", {"relative_position": {"above": "Cleanup rule"}}),
    ("below  Stealth", {"relative_position": {"below": "Stealth"}})])
def test_the_section_goes_where_the_position_option_says(position, args):
    section = of(config(checkpoint_position=position, checkpoint_layer="Policy A"), "access_section")
    assert section == [dict(layer="Policy A", name="PURECLOUD", state="present", **args)]
    rules = of(config(checkpoint_position=position), "access_rule")
    assert all(r["layer"] == "Network" for r in rules)
    # The option places the section only: the rules stay a chain inside it, whatever the section's place.
    assert [r["relative_position"] for r in rules] == [
        {"top": "PURECLOUD"}, {"below": "PURECLOUD-EDGE-OUT-1"}, {"below": "PURECLOUD-EDGE-OUT-2"}]


def test_the_rules_chain_from_the_sections_top_in_the_plans_order():
    """Rule 1 at the section's top, rule k below rule k-1: places an unchanged rule base already satisfies."""
    rules = of(config(), "access_rule")
    assert [r["name"] for r in rules] == ["PURECLOUD-EDGE-OUT-1", "PURECLOUD-EDGE-OUT-2", "PURECLOUD-EDGE-IN-1"]
    assert rules[0]["relative_position"] == {"top": "PURECLOUD"}
    assert [r["relative_position"] for r in rules[1:]] == [{"below": r["name"]} for r in rules[:-1]]
    assert not any("bottom" in r["relative_position"] or "position" in r for r in rules)


@pytest.mark.parametrize("settings,message", [
    ({"checkpoint_layer": ""}, r"purecloud_checkpoint_layer '': expected the name of an access layer"),
    ({"checkpoint_layer": 7}, r"purecloud_checkpoint_layer 7: expected the name of an access layer"),
    ({"checkpoint_position": "middle"}, r"purecloud_checkpoint_position 'middle': expected top, bottom, 'above NAME'"),
    ({"checkpoint_position": "above"}, r"purecloud_checkpoint_position 'above': expected top, bottom"),
    ({"checkpoint_position": "top Cleanup"}, r"purecloud_checkpoint_position 'top Cleanup': expected"),
    ({"checkpoint_position": 1}, r"purecloud_checkpoint_position 1: expected"),
    ({"checkpoint_position": "below PURECLOUD"}, r"'below PURECLOUD': the section is the collection's own PURECLOUD"),
    ({"checkpoint_publish": "yes"}, r"purecloud_checkpoint_publish must be true or false, got 'yes'"),
])
def test_a_bad_option_names_the_variable_before_anything_renders(settings, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        renderer_for("checkpoint", settings=settings)


def test_a_bad_option_fails_the_site_before_it_is_planned():
    site = {"products": ["edge"], "region": "us-east-1", "networks": {"edge": ["198.51.100.128/28"]},
            "checkpoint_position": "under Cleanup"}
    with pytest.raises(PurecloudFirewallError, match=r"purecloud_checkpoint_position 'under Cleanup'"):
        render_network_site(site, "checkpoint")


def test_removal_is_rules_then_the_section_then_groups_objects_and_services():
    renderer = CheckPoint({"checkpoint_layer": "Policy A"})
    gone = renderer.removal(["edge"], lambda: [("edge", RULES)], site_classes=SITE)
    modules = [step["module"][len(CP):] for step in gone.config]
    assert modules == (["access_rule"] * 3 + ["access_section"] + ["group"] * 4 + ["service_group"]
                       + ["network"] * 4 + ["host"] * 3 + ["service_tcp"] * 2 + ["service_udp"] + ["publish"])
    assert gone.config[0]["args"] == {"layer": "Policy A", "name": "PURECLOUD-EDGE-OUT-1", "state": "absent"}
    assert gone.config[4]["args"] == {"name": "PURECLOUD-EDGE", "state": "absent"}
    present = config(checkpoint_layer="Policy A")
    assert sorted(gone.owned) == sorted(present.owned)
    assert gone.commands[1] == 'mgmt_cli delete access-rule layer "Policy A" name "PURECLOUD-EDGE-OUT-1" -s id.txt'
    assert gone.commands[-2:] == ("mgmt_cli publish -s id.txt", "mgmt_cli logout -s id.txt")


def _rulebase(*sections, loose=()):
    entries = [{"type": "access-rule", "name": name} for name in loose]
    for name, rules in sections:
        entries.append({"type": "access-section", "name": name,
                        "rulebase": [{"type": "access-rule", "name": rule_name} for rule_name in rules]})
    return {"name": "Network", "rulebase": entries}


SERVER_RULES = _rulebase(("PURECLOUD", ["PURECLOUD-EDGE-OUT-1", "PURECLOUD-EDGE-OUT-9", "Local exception"]),
                         ("Other", ["PURECLOUD-EDGE-OUT-8"]), loose=["PURECLOUD-EDGE-OUT-7"])
SERVER_OBJECTS = {"objects": [
    {"name": "PURECLOUD-EDGE", "type": "group"},
    {"name": "PURECLOUD-OLD", "type": "group"},
    {"name": "PURECLOUD-NET-192.0.2.0-24", "type": "network"},
    {"name": "PURECLOUD-HOST-192.0.2.1", "type": "host"},
    {"name": "PURECLOUD-TCP-8443", "type": "service-tcp"},
    {"name": "PURECLOUD-UDP-9", "type": "service-udp"},
    {"name": "PURECLOUD-TCP-1-2", "type": "service-group"},
    {"name": "PURECLOUD-GW", "type": "simple-gateway"},
    {"name": "Partner-PURECLOUD-NET", "type": "network"},
    {"name": "PURECLOUDER", "type": "network"},
]}


def test_stale_rules_are_only_the_prefixed_ones_inside_the_owned_section():
    present = config().config
    stale = stale_removals(present, [SERVER_RULES], [SERVER_OBJECTS])
    rules = [step["args"] for step in stale if step["module"] == CP + "access_rule"]
    assert rules == [{"layer": "Network", "name": "PURECLOUD-EDGE-OUT-9", "state": "absent"}]


def test_stale_objects_are_the_prefixed_ones_of_the_created_types_that_the_plan_lacks_groups_first():
    stale = stale_removals(config().config, [SERVER_RULES], [SERVER_OBJECTS])
    picked = [(step["module"][len(CP):], step["args"]["name"]) for step in stale]
    assert picked == [("access_rule", "PURECLOUD-EDGE-OUT-9"), ("group", "PURECLOUD-OLD"),
                      ("service_group", "PURECLOUD-TCP-1-2"), ("network", "PURECLOUD-NET-192.0.2.0-24"),
                      ("host", "PURECLOUD-HOST-192.0.2.1"), ("service_tcp", "PURECLOUD-TCP-8443"),
                      ("service_udp", "PURECLOUD-UDP-9")]
    assert all(step["args"]["state"] == "absent" for step in stale)


def test_with_nothing_on_the_server_or_no_section_nothing_is_stale():
    assert stale_removals(config().config, [], []) == []
    assert stale_removals(config().config, [{}], [{"objects": None}]) == []
    assert stale_removals([], [SERVER_RULES], [SERVER_OBJECTS]) == []


def test_removals_after_apply_are_the_stale_and_with_absent_the_plan_then_leftovers():
    present = config().config
    assert removals(present, "rendered", [SERVER_RULES], [SERVER_OBJECTS]) == []
    assert removals(present, "replaced", [SERVER_RULES], [SERVER_OBJECTS]) == stale_removals(
        present, [SERVER_RULES], [SERVER_OBJECTS])
    absent = CheckPoint().removal(["edge"], lambda: [("edge", RULES)], site_classes=SITE).config
    gone = removals(absent, "deleted", [SERVER_RULES], [SERVER_OBJECTS])
    names = [step["args"]["name"] for step in gone]
    assert len(names) == len(set(names))
    assert "PURECLOUD-EDGE" in names and "PURECLOUD-OLD" in names and "PURECLOUD-EDGE-OUT-9" in names
    assert "Local exception" not in names and "PURECLOUD-EDGE-OUT-8" not in names and "PURECLOUD-GW" not in names
    assert not any(step["module"].endswith("publish") for step in gone)


def test_the_filter_reads_the_facts_modules_registered_loops():
    present = config()
    network = {"config": present.config, "state": "replaced"}
    rules = {"results": [{"ansible_facts": {"access-rulebase": SERVER_RULES}}, {"skipped": True}]}
    objects = {"results": [{"ansible_facts": {"objects": SERVER_OBJECTS}}, {"ansible_facts": {"objects": {}}}]}
    assert answers(rules, "access-rulebase") == [SERVER_RULES]
    assert checkpoint_removals(network, rules, objects) == stale_removals(present.config, [SERVER_RULES],
                                                                          [SERVER_OBJECTS])
    with pytest.raises(Exception, match="expected purecloud_firewall_applied.network"):
        checkpoint_removals("nope", rules, objects)
