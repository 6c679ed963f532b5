# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The FortiGate renderer: names, its options' errors, FQDN objects, removal order and the sweep of stale objects."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.filter.fortios_sweep import FilterModule as SweepFilters
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.objects import AddressGroup, ObjectSet
from ansible_collections.purecloud.firewall.plugins.module_utils.render_fortios import FortiOs, sweep
from ansible_collections.purecloud.firewall.plugins.module_utils.site import render_network_site

INTERFACES = {"inside": ["port1"], "outside": ["wan1"]}
NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"],
            "workstation": ["198.51.100.224/27", "2001:db8:30::/48"]}


def site(**extra):
    return dict({"products": ["edge"], "region": "us-east-1", "networks": NETWORKS,
                 "fortios_interfaces": INTERFACES}, **extra)


def entries(result, module, state="present"):
    table = module[len("fortios_"):]
    return [e["args"][table] for e in result["config"] if e["module"] == module and e["args"]["state"] == state]


def test_addresses_groups_services_and_policies_are_named_with_the_prefix():
    result = render_network_site(site(), "fortios")
    assert result["backend"] == "fortios" and result["render_suffix"] == "conf" and result["state"] == "replaced"
    addresses = entries(result, "fortios_firewall_address")
    assert {"name": "PURECLOUD-198.51.100.128/28", "subnet": "198.51.100.128 255.255.255.240"} in addresses
    groups = dict((g["name"], [m["name"] for m in g["member"]]) for g in entries(result, "fortios_firewall_addrgrp"))
    assert groups["PURECLOUD-EDGE"] == ["PURECLOUD-198.51.100.128/28"]
    services = entries(result, "fortios_firewall_service_custom")
    assert {"name": "PURECLOUD-TCP-53", "tcp_portrange": "53"} in services
    assert {"name": "PURECLOUD-UDP-3478-16384-65535", "udp_portrange": "3478 16384-65535"} in services
    policies = entries(result, "fortios_firewall_policy")
    first = policies[0]
    assert first["policyid"] == 10001 and first["name"] == "PURECLOUD-EDGE-OUT-1"
    assert first["srcaddr"] == [{"name": "PURECLOUD-EDGE"}] and first["action"] == "accept"
    assert first["comments"].startswith("PureCloud requirements ")
    assert all(name.startswith("PURECLOUD-") for _table, name in result["acls"])
    assert all(len(p["name"]) <= 35 for p in policies)


def test_flows_inside_the_site_stay_on_the_inside_interfaces():
    result = render_network_site(site(products=["voice"]), "fortios")
    inside = [p for p in entries(result, "fortios_firewall_policy") if p["dstintf"] == [{"name": "port1"}]]
    assert inside and all(p["srcintf"] == [{"name": "port1"}] for p in inside)


def test_plain_domains_are_fqdn_and_star_domains_wildcard_fqdn():
    result = render_network_site(site(products=["webrtc_client", "byoc_cloud"], cloud_destinations="domains",
                                      sip_provider_sip_ports=["udp/5060", "tcp/5061"],
                                      byoc_cloud_sip_ports=["udp/5060", "tcp/5061"],
                                      networks=dict(NETWORKS, sip_provider=["203.0.113.60/31"], pbx=["198.51.100.170/32"],
                                                    byoc_cloud=["203.0.113.10/31"])), "fortios")
    addresses = dict((a["name"], a) for a in entries(result, "fortios_firewall_address"))
    assert addresses["PURECLOUD-WILDCARD-mypurecloud.com"] == {
        "name": "PURECLOUD-WILDCARD-mypurecloud.com", "type": "wildcard-fqdn", "wildcard_fqdn": "*.mypurecloud.com"}
    assert addresses["PURECLOUD-FQDN-byoc.mypurecloud.com"]["type"] == "fqdn"
    assert addresses["PURECLOUD-FQDN-byoc.mypurecloud.com"]["fqdn"] == "byoc.mypurecloud.com"
    six = dict((a["name"], a) for a in entries(result, "fortios_firewall_address6"))
    # address6 has fqdn but no wildcard-fqdn type: only plain names have an IPv6 object.
    assert six["PURECLOUD-FQDN6-byoc.mypurecloud.com"]["type"] == "fqdn"
    assert not any("WILDCARD" in name for name in six)


@pytest.mark.parametrize("option, value, words", [
    ("fortios_interfaces", None, ["purecloud_fortios_interfaces is required", "{inside: [port1], outside: [wan1]}"]),
    ("fortios_interfaces", ["port1"], ["purecloud_fortios_interfaces must be a mapping", "['port1']"]),
    ("fortios_interfaces", {"inside": ["port1"]}, ["exactly the keys inside and outside", "{'inside': ['port1']}"]),
    ("fortios_interfaces", {"inside": [], "outside": ["wan1"]}, ["purecloud_fortios_interfaces.inside", "[]"]),
    ("fortios_vdom", "my vdom", ["purecloud_fortios_vdom", "'my vdom'", "like root"]),
    ("fortios_vdom", "", ["purecloud_fortios_vdom", "''"]),
    ("fortios_policy_id_base", 0, ["purecloud_fortios_policy_id_base", "from 1 to", "got 0"]),
    ("fortios_policy_id_base", "10000", ["purecloud_fortios_policy_id_base", "'10000'"]),
    ("fortios_policy_id_base", True, ["purecloud_fortios_policy_id_base", "True"]),
    ("fortios_nat", "yes", ["purecloud_fortios_nat must be true or false", "'yes'"]),
])
def test_a_bad_option_names_its_variable_the_value_and_what_is_allowed(option, value, words):
    settings = site(**{option: value})
    with pytest.raises(PurecloudFirewallError) as caught:
        render_network_site(settings, "fortios")
    for word in words:
        assert word in str(caught.value)


def test_options_are_checked_before_anything_renders_even_for_removal():
    with pytest.raises(PurecloudFirewallError, match="purecloud_fortios_interfaces is required"):
        render_network_site(dict(site(state="absent"), fortios_interfaces=None), "fortios")


def test_removal_goes_policies_then_groups_then_addresses_and_services():
    absent = render_network_site(site(products=["edge", "voice"], state="absent"), "fortios")
    assert absent["state"] == "deleted"
    order = [e["module"] for e in absent["config"] if e["module"] != "fortios_configuration_fact"]
    assert all(e["args"]["state"] == "absent" for e in absent["config"] if e["module"] != "fortios_configuration_fact")
    ranks = {"fortios_firewall_policy": 0, "fortios_firewall_addrgrp": 1, "fortios_firewall_addrgrp6": 1,
             "fortios_firewall_address": 2, "fortios_firewall_address6": 2, "fortios_firewall_service_custom": 2}
    assert [ranks[m] for m in order] == sorted(ranks[m] for m in order)
    assert absent["config"][0]["args"]["firewall_policy"] == {"policyid": 10001}


def test_policy_ids_are_fixed_per_product_and_direction():
    result = render_network_site(site(products=["edge", "byoc_premises", "voice"],
                                      networks=dict(NETWORKS, sip_provider=["203.0.113.60/31"]),
                                      sip_provider_sip_ports=["udp/5060", "tcp/5061"]), "fortios")
    ids = dict((p["name"], p["policyid"]) for p in entries(result, "fortios_firewall_policy"))
    # edge, byoc_premises and voice are the catalog's first three products: blocks of 1000, the in half from 500.
    assert ids["PURECLOUD-EDGE-OUT-1"] == 10001 and ids["PURECLOUD-VOICE-OUT-1"] == 12001
    assert ids["PURECLOUD-BYOC-PREMISES-OUT-1"] == 11001 and ids["PURECLOUD-BYOC-PREMISES-IN-1"] == 11501
    alone = render_network_site(site(products=["voice"]), "fortios")
    assert dict((p["name"], p["policyid"]) for p in entries(alone, "fortios_firewall_policy")) == dict(
        (name, pid) for name, pid in ids.items() if name.startswith("PURECLOUD-VOICE"))


def fact(path, name, results):
    return {"path": path, "name": name, "status": "success", "http_status": 200, "results": results}


def config_with(*entries_):
    read_back = {"module": "fortios_configuration_fact", "args": {"vdom": "vd1", "selectors": []},
                 "sweep": {"prefix": "PURECLOUD", "policy_id_base": 10000}}
    return list(entries_) + [read_back]


def present(table, record):
    return {"module": "fortios_" + table, "args": {"vdom": "vd1", "state": "present", table: record}}


def test_sweep_removes_only_stale_prefixed_objects_policies_first():
    config = config_with(present("firewall_address", {"name": "PURECLOUD-10.0.0.0/24", "subnet": "10.0.0.0 255.255.255.0"}),
                         present("firewall_policy", {"policyid": 10001, "name": "PURECLOUD-EDGE-OUT-1"}))
    found = [
        fact("firewall", "address", [{"name": "PURECLOUD-10.0.0.0/24"}, {"name": "PURECLOUD-10.9.0.0/24"},
                                     {"name": "corp-PURECLOUD-x"}, {"name": "all"}]),
        fact("firewall", "addrgrp", [{"name": "PURECLOUD-OLD"}]),
        fact("firewall.service", "custom", [{"name": "PURECLOUD-TCP-9"}, {"name": "HTTPS"}]),
        fact("firewall", "policy", [{"policyid": 10001, "name": "PURECLOUD-EDGE-OUT-1"},
                                    {"policyid": 10002, "name": "PURECLOUD-EDGE-OUT-2"},
                                    {"policyid": 42, "name": "PURECLOUD-handmade"},
                                    {"policyid": 10003, "name": "site-policy"}]),
    ]
    removed = sweep(found, config)
    assert removed == [
        {"module": "fortios_firewall_policy", "args": {"vdom": "vd1", "state": "absent",
                                                       "firewall_policy": {"policyid": 10002}}},
        {"module": "fortios_firewall_addrgrp", "args": {"vdom": "vd1", "state": "absent",
                                                        "firewall_addrgrp": {"name": "PURECLOUD-OLD"}}},
        {"module": "fortios_firewall_address", "args": {"vdom": "vd1", "state": "absent",
                                                        "firewall_address": {"name": "PURECLOUD-10.9.0.0/24"}}},
        {"module": "fortios_firewall_service_custom", "args": {"vdom": "vd1", "state": "absent",
                                                               "firewall_service_custom": {"name": "PURECLOUD-TCP-9"}}},
    ]


def test_a_policy_of_the_sites_own_at_an_id_the_config_writes_stops_the_run_before_any_change():
    config = config_with(present("firewall_policy", {"policyid": 10001, "name": "PURECLOUD-EDGE-OUT-1"}),
                         present("firewall_policy", {"policyid": 10002, "name": "PURECLOUD-EDGE-OUT-2"}))
    # What the read-back of the id block answers: an admin's policy sits at 10002.
    found = [fact("firewall", "policy", [{"policyid": 10001, "name": "PURECLOUD-EDGE-OUT-1"},
                                         {"policyid": 10002, "name": "allow-vpn"}])]
    with pytest.raises(PurecloudFirewallError, match=r"policies of its own at ids the config would write or delete: "
                                                     r"10002 'allow-vpn'; nothing was changed. Set "
                                                     r"purecloud_fortios_policy_id_base"):
        sweep(found, config)
    # Outside the ids the config names, the site's policies are none of the sweep's business.
    assert sweep([fact("firewall", "policy", [{"policyid": 10003, "name": "allow-vpn"}])], config) == []


def test_sweep_leaves_prefixed_policies_outside_the_collections_id_block():
    config = config_with()
    found = [fact("firewall", "policy", [{"policyid": 10000 + 6 * 1000, "name": "PURECLOUD-ELSEWHERE"},
                                         {"policyid": 10000 + 6 * 1000 - 1, "name": "PURECLOUD-OLD"}])]
    assert [e["args"]["firewall_policy"] for e in sweep(found, config)] == [{"policyid": 15999}]


def test_the_read_back_asks_for_every_policy_in_the_id_block():
    fact_entry = FortiOs({"fortios_interfaces": INTERFACES}).fact_invocation()
    assert {"selector": "firewall_policy", "filters": ["policyid>=10000", "policyid<16000"]} \
        in fact_entry["args"]["selectors"]


def test_sweep_of_a_removal_leaves_what_the_removal_deletes_itself():
    absent = render_network_site(site(state="absent"), "fortios")
    policy = next(e for e in absent["config"] if e["module"] == "fortios_firewall_policy")
    found = [fact("firewall", "policy", [{"policyid": policy["args"]["firewall_policy"]["policyid"],
                                          "name": "PURECLOUD-EDGE-OUT-1"}]),
             fact("firewall", "address", [{"name": "PURECLOUD-FQDN-time.nist.gov"}])]
    assert sweep(found, absent["config"]) == [
        {"module": "fortios_firewall_address", "args": {"vdom": "root", "state": "absent",
                                                        "firewall_address": {"name": "PURECLOUD-FQDN-time.nist.gov"}}}]


def test_sweep_refuses_a_config_without_its_read_back():
    with pytest.raises(PurecloudFirewallError, match="no fortios_configuration_fact entry"):
        sweep([], [present("firewall_address", {"name": "PURECLOUD-X"})])


def test_configure_defaults():
    renderer = FortiOs({"fortios_interfaces": INTERFACES})
    assert (renderer.vdom, renderer.policy_id_base, renderer.nat) == ("root", 10000, False)


def test_sweep_falls_back_to_the_order_of_the_selectors_asked():
    config = config_with()
    config[-1]["args"]["selectors"] = [{"selector": "firewall_addrgrp6"}, {"selector": "firewall.service_custom"}]
    found = [{"results": [{"name": "PURECLOUD-OLD-V6"}]}, {"results": [{"name": "PURECLOUD-UDP-9"}]}]
    assert [(e["module"], e["args"]["state"]) for e in sweep(found, config)] == [
        ("fortios_firewall_addrgrp6", "absent"), ("fortios_firewall_service_custom", "absent")]


def test_the_filter_is_the_sweep_and_names_itself_in_errors():
    sweep_filter = SweepFilters().filters()["fortios_sweep"]
    config = config_with()
    found = [fact("firewall", "address6", [{"name": "PURECLOUD-2001:db8::/32"}])]
    assert sweep_filter(found, config) == sweep(found, config)
    with pytest.raises(AnsibleFilterError, match=r"^purecloud.firewall.fortios_sweep: expected the fact module's meta"):
        sweep_filter("not a list", config)


def test_a_name_over_the_address_groups_63_characters_keeps_a_digest():
    long_name = "PURECLOUD-" + "A" * 53  # 63: the IPv6 group's -V6 would make it 66
    objects = ObjectSet("PURECLOUD", (AddressGroup(long_name, "purecloud", ("10.0.0.0/8", "2001:db8::/32")),), (), ())
    records = FortiOs({"fortios_interfaces": INTERFACES}).records(objects)
    groups = [record["name"] for table, record in records if table.startswith("firewall_addrgrp")]
    assert groups[0] == long_name and len(groups[1]) == 63 and groups[1] != long_name[:63]
    assert all(len(record["name"]) <= 63 for _table, record in records)
