# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compiled rules as the vendors' ACL resource module config (the vendors' own modules check it in tests/network)."""

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import (
    ios_group_changes, nxos_block_changes, vyos_group_changes)
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import backend_for_network_os, renderer_for
from ansible_collections.purecloud.firewall.plugins.module_utils.site import render_network_site


def rule(src, dst, proto, ports, sources, destinations="any", ids=("x.y",)):
    return Rule(source_class=src, destination_class=dst, protocol=proto, ports=tuple(ports),
                sources=tuple(sources), destinations=destinations if destinations == "any" else tuple(destinations),
                ids=tuple(ids))


def render_network(rules, platform, product, default_policy="drop", site_classes=()):
    return renderer_for(platform).render(rules, product, default_policy, site_classes).as_dict()


# The site's own classes, as the catalog has them: a rule from one goes out.
SITE_CLASSES = ("workstation", "voip_phone", "edge", "bridge_server", "corporate_ad", "pbx")

RULES = [
    rule("edge", "purecloud", "tcp", ["443", "5060-5061"], ["198.51.100.128/28", "2001:db8:1::/64"],
         ids=("edge.https", "edge.webrtc.sip")),
    rule("sip_provider", "edge", "udp", ["5060"], ["203.0.113.60/32"], ["198.51.100.128/28"],
         ids=("byoc_premises.trunk.sip.udp",)),
]


@pytest.mark.parametrize("network_os, backend", [
    ("cisco.ios.ios", "cisco_ios"), ("ios", "cisco_ios"), ("cisco.nxos.nxos", "cisco_nxos"),
    ("arista.eos.eos", "arista_eos"), ("junipernetworks.junos.junos", "junos"), ("vyos.vyos.vyos", "vyos"),
    ("cisco.asa.asa", None), (None, None)])
def test_backend_follows_ansible_network_os(network_os, backend):
    assert backend_for_network_os(network_os) == backend


def test_one_acl_per_direction_and_family_with_remarks_first():
    ios = render_network(RULES, "cisco_ios", "byoc_premises", site_classes=SITE_CLASSES)
    assert ios["module"] == "cisco.ios.ios_acls"
    assert ios["acls"] == [("ipv4", "PURECLOUD-BYOC-PREMISES-OUT"), ("ipv4", "PURECLOUD-BYOC-PREMISES-IN"),
                           ("ipv6", "PURECLOUD-BYOC-PREMISES-OUT-V6")]
    out = ios["config"][0]["acls"][0]
    assert out["acl_type"] == "extended"
    assert out["aces"][0] == {"sequence": 10, "remarks": ["edge.https edge.webrtc.sip"]}
    assert out["aces"][1] == {"sequence": 20, "grant": "permit", "protocol": "tcp",
                              "source": {"address": "198.51.100.128", "wildcard_bits": "0.0.0.15"},
                              "destination": {"any": True, "port_protocol": {"eq": "443"}}}
    assert out["aces"][2]["destination"]["port_protocol"] == {"range": {"start": 5060, "end": 5061}}
    inbound = ios["config"][0]["acls"][1]["aces"][1]
    assert inbound["source"] == {"host": "203.0.113.60"}
    assert render_network(RULES, "arista_eos", "edge", site_classes=SITE_CLASSES)["config"][0]["acls"][0]["aces"][2]["destination"] == \
        {"any": True, "port_protocol": {"range": "5060 5061"}}


def test_junos_terms_and_vyos_rules_carry_the_ids():
    junos = render_network(RULES, "junos", "edge", site_classes=SITE_CLASSES)
    terms = junos["config"][0]["acls"][0]["aces"]
    assert terms[0] == {"name": "t1-edge-https", "grant": "permit", "protocol": "tcp",
                        "source": {"address": "198.51.100.128/28"}, "destination": {"port_protocol": {"eq": "443"}}}
    assert terms[-1] == {"name": "t3-purecloud-default", "grant": "deny"}
    assert renderer_for("junos").acl_name("webrtc_client", "in", 6) == "purecloud-webrtc-client-in"
    vyos = render_network(RULES, "vyos", "edge", default_policy="accept", site_classes=SITE_CLASSES)
    rule_set = vyos["config"][0]["rule_sets"][0]
    assert rule_set["default_action"] == "accept"
    assert rule_set["rules"][0]["destination"] == {"port": "443,5060-5061"}
    assert "set firewall name PURECLOUD-EDGE-OUT rule 10 destination port '443,5060-5061'" in vyos["commands"]
    assert "set firewall ipv6-name PURECLOUD-EDGE-OUT-V6 default-action 'accept'" in vyos["commands"]


def test_accept_policy_ends_cisco_lists_with_a_permit_of_the_rest():
    aces = render_network(RULES, "cisco_nxos", "edge", default_policy="accept", site_classes=SITE_CLASSES)["config"][0]["acls"][0]["aces"]
    assert aces[-1] == {"sequence": 40, "grant": "permit", "protocol": "ip", "source": {"any": True},
                        "destination": {"any": True}}
    with pytest.raises(PurecloudFirewallError, match="unknown network backend 'cisco_pix'"):
        render_network(RULES, "cisco_pix", "edge", site_classes=SITE_CLASSES)


def test_site_settings_render_per_product_and_delete_by_name():
    settings = {"products": ["edge", "bridge"], "region": "us-east-1",
                "networks": {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"],
                             "bridge_server": ["198.51.100.144/28"]}}
    rendered = render_network_site(settings, "cisco_ios")
    assert [name for _afi, name in rendered["acls"]] == ["PURECLOUD-EDGE-OUT", "PURECLOUD-BRIDGE-OUT"]
    assert rendered["state"] == "replaced" and rendered["warnings"]  # the SIP provider rows wait for their ports
    assert render_network_site(dict(settings, network_render_only=True), "cisco_ios")["state"] == "rendered"
    gone = render_network_site(dict(settings, state="absent"), "vyos")
    assert gone["state"] == "deleted"
    assert gone["config"][0] == {"afi": "ipv4", "rule_sets": [
        {"name": "PURECLOUD-EDGE-OUT"}, {"name": "PURECLOUD-EDGE-IN"},
        {"name": "PURECLOUD-BRIDGE-OUT"}, {"name": "PURECLOUD-BRIDGE-IN"}]}
    with pytest.raises(PurecloudFirewallError, match="purecloud_firewall_mode must be gateway on a network device"):
        render_network_site(dict(settings, mode="host"), "junos")


# ------------------------------------------------------------- address groups
AWS = ("15.230.221.0/24", "52.94.152.9/32", "2600:f0f0:2::/48", "2600:f0fb:e000::/40")
STRICT_RULES = [
    rule("edge", "purecloud", "tcp", ["443"], ["198.51.100.128/28", "2001:db8:1::/64"], AWS, ids=("edge.https",)),
    rule("edge", "purecloud", "udp", ["3478"], ["198.51.100.128/28"], AWS, ids=("edge.stun",)),
]
VOICE_RULES = [rule("voip_phone", "purecloud", "tcp", ["443"], ["198.51.100.192/27"], AWS, ids=("voice.https",))]


def test_a_side_of_several_cidrs_is_one_group_per_family_named_after_its_class():
    device = renderer_for("junos").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    assert device.groups.module == "junipernetworks.junos.junos_prefix_lists"
    # Junos: each group is two prefix-lists, both named by the term (junos_acls cannot read a term naming one).
    assert device.groups.config == [
        {"name": "PURECLOUD-PURECLOUD-A", "address_prefixes": ["15.230.221.0/24"]},
        {"name": "PURECLOUD-PURECLOUD-B", "address_prefixes": ["52.94.152.9/32"]},
        {"name": "PURECLOUD-PURECLOUD-V6-A", "address_prefixes": ["2600:f0f0:2::/48"]},
        {"name": "PURECLOUD-PURECLOUD-V6-B", "address_prefixes": ["2600:f0fb:e000::/40"]}]
    assert device.groups.owned == (("ipv4", "PURECLOUD-PURECLOUD-A"), ("ipv4", "PURECLOUD-PURECLOUD-B"),
                                   ("ipv6", "PURECLOUD-PURECLOUD-V6-A"), ("ipv6", "PURECLOUD-PURECLOUD-V6-B"))
    terms = dict((section["afi"], section["acls"][0]["aces"]) for section in device.config)
    # The Edge's one network per family stays inline; the cloud's prefixes are the group.
    assert terms["ipv4"][0]["source"] == {"address": "198.51.100.128/28"}
    assert terms["ipv4"][0]["destination"] == {
        "prefix_list": [{"name": "PURECLOUD-PURECLOUD-A"}, {"name": "PURECLOUD-PURECLOUD-B"}],
        "port_protocol": {"eq": "443"}}
    assert terms["ipv6"][0]["destination"]["prefix_list"] == [{"name": "PURECLOUD-PURECLOUD-V6-A"},
                                                              {"name": "PURECLOUD-PURECLOUD-V6-B"}]


def test_products_with_the_same_cidrs_share_one_group():
    device = renderer_for("cisco_ios").render_products([("edge", STRICT_RULES), ("voice", VOICE_RULES)],
                                                       site_classes=SITE_CLASSES)
    assert [block["parents"] for block in device.groups.config] == [
        ["object-group network PURECLOUD-PURECLOUD"], ["object-group v6-network PURECLOUD-PURECLOUD-V6"]]
    named = [ace["destination"].get("object_group") for section in device.config for acl in section["acls"]
             for ace in acl["aces"] if ace.get("grant")]
    assert named == ["PURECLOUD-PURECLOUD", "PURECLOUD-PURECLOUD", "PURECLOUD-PURECLOUD",
                     "PURECLOUD-PURECLOUD-V6"]
    assert device.groups.commands == (
        "object-group network PURECLOUD-PURECLOUD", " 15.230.221.0 255.255.255.0", " host 52.94.152.9",
        "object-group v6-network PURECLOUD-PURECLOUD-V6", " 2600:f0f0:2::/48", " 2600:f0fb:e000::/40")


def test_no_group_for_a_family_without_flows_nor_for_single_cidrs():
    rules = [rule("edge", "purecloud", "udp", ["3478"], ["198.51.100.128/28"], AWS)]  # the Edge has no IPv6
    device = renderer_for("vyos").render_products([("edge", rules)], site_classes=SITE_CLASSES)
    assert [group["name"] for group in device.groups.config] == ["PURECLOUD-PURECLOUD"]
    single = renderer_for("vyos").render_products([("edge", RULES)], site_classes=SITE_CLASSES)
    assert single.groups is None and "group" not in " ".join(single.commands)


def test_vyos_sets_exactly_its_groups_before_the_rules_that_name_them():
    device = renderer_for("vyos").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    assert device.groups.module == "vyos.vyos.vyos_config"
    group = "firewall group network-group PURECLOUD-PURECLOUD"
    assert device.commands[:3] == (
        "set %s description 'purecloud.firewall purecloud'" % group,
        "set %s network '15.230.221.0/24'" % group, "set %s network '52.94.152.9/32'" % group)
    assert "set firewall name PURECLOUD-EDGE-OUT rule 10 destination group network-group 'PURECLOUD-PURECLOUD'" \
        in device.commands
    assert "set firewall ipv6-name PURECLOUD-EDGE-OUT-V6 rule 10 destination group network-group " \
        "'PURECLOUD-PURECLOUD-V6'" in device.commands


def test_removal_deletes_the_lists_and_the_plans_groups_by_name():
    for platform in ("cisco_ios", "cisco_nxos", "vyos"):
        device = renderer_for(platform).removal(["edge"], lambda: [("edge", STRICT_RULES)], SITE_CLASSES)
        assert device.groups.owned == (("ipv4", "PURECLOUD-PURECLOUD"), ("ipv6", "PURECLOUD-PURECLOUD-V6")), platform
    junos = renderer_for("junos").removal(["edge"], lambda: [("edge", STRICT_RULES)], SITE_CLASSES)
    halves = ["PURECLOUD-PURECLOUD-A", "PURECLOUD-PURECLOUD-B", "PURECLOUD-PURECLOUD-V6-A", "PURECLOUD-PURECLOUD-V6-B"]
    assert junos.groups.config == [{"name": name} for name in halves]  # both prefix-lists of each group
    assert [name for _afi, name in junos.groups.owned] == halves
    ios = renderer_for("cisco_ios").removal(["edge"], lambda: [("edge", STRICT_RULES)], SITE_CLASSES)
    assert ios.groups.config == [{"lines": ["no object-group network PURECLOUD-PURECLOUD",
                                            "no object-group v6-network PURECLOUD-PURECLOUD-V6"]}]
    nxos = renderer_for("cisco_nxos").removal(["edge"], lambda: [("edge", STRICT_RULES)], SITE_CLASSES)
    assert nxos.module == "cisco.nxos.nxos_acls"  # the lists deleted by name, whatever they hold
    assert nxos.groups.config == [{"lines": ["no object-group ip address PURECLOUD-PURECLOUD",
                                             "no object-group ipv6 address PURECLOUD-PURECLOUD-V6"]}]
    vyos = renderer_for("vyos").removal(["edge"], lambda: [("edge", STRICT_RULES)], SITE_CLASSES)
    assert vyos.groups.commands == ("delete firewall group network-group PURECLOUD-PURECLOUD",
                                    "delete firewall group ipv6-network-group PURECLOUD-PURECLOUD-V6")
    # Without groups the removal needs no plan.
    assert renderer_for("cisco_ios").removal(["edge"], lambda: [("edge", RULES)], SITE_CLASSES).groups is None


def test_eos_lists_keep_every_cidr():
    device = renderer_for("arista_eos").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    assert device.groups is None
    assert len([ace for ace in device.config[0]["acls"][0]["aces"] if ace.get("grant")]) == 4


def test_nxos_writes_its_object_groups_and_the_lists_naming_them_as_cli_blocks():
    device = renderer_for("cisco_nxos").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    assert device.module == device.groups.module == "cisco.nxos.nxos_config"
    assert device.groups.config == [
        {"parents": ["object-group ip address PURECLOUD-PURECLOUD"], "lines": ["10 15.230.221.0/24", "20 host 52.94.152.9"]},
        {"parents": ["object-group ipv6 address PURECLOUD-PURECLOUD-V6"],
         "lines": ["10 2600:f0f0:2::/48", "20 2600:f0fb:e000::/40"]}]
    assert device.config == [
        {"parents": ["ip access-list PURECLOUD-EDGE-OUT"],
         "lines": ["10 remark edge.https", "20 permit tcp 198.51.100.128/28 addrgroup PURECLOUD-PURECLOUD eq 443",
                   "30 remark edge.stun", "40 permit udp 198.51.100.128/28 addrgroup PURECLOUD-PURECLOUD eq 3478"]},
        {"parents": ["ipv6 access-list PURECLOUD-EDGE-OUT-V6"],
         "lines": ["10 remark edge.https", "20 permit tcp 2001:db8:1::/64 addrgroup PURECLOUD-PURECLOUD-V6 eq 443"]}]
    assert device.owned == (("ipv4", "PURECLOUD-EDGE-OUT"), ("ipv6", "PURECLOUD-EDGE-OUT-V6"))
    # The review text: the groups, then the lists, as the device shows them.
    assert device.commands[:3] == ("object-group ip address PURECLOUD-PURECLOUD", "  10 15.230.221.0/24",
                                   "  20 host 52.94.152.9")
    assert device.commands[6:8] == ("ip access-list PURECLOUD-EDGE-OUT", "  10 remark edge.https")
    # A port range, and a device with no group: nxos_acls as before.
    ranged = renderer_for("cisco_nxos").render_products(
        [("edge", [rule("edge", "purecloud", "udp", ["16384-65535"], ["198.51.100.128/28"], AWS[:2])])],
        site_classes=SITE_CLASSES)
    assert ranged.config[0]["lines"][1] == "20 permit udp 198.51.100.128/28 addrgroup PURECLOUD-PURECLOUD range 16384 65535"
    plain = renderer_for("cisco_nxos").render_products([("edge", RULES)], site_classes=SITE_CLASSES)
    assert plain.module == "cisco.nxos.nxos_acls" and plain.groups is None and plain.commands is None


def test_the_site_result_carries_the_groups_run_in_the_lists_state():
    settings = {"products": ["edge"], "region": "us-east-1", "cloud_destinations": ["52.94.152.9/32", "15.230.221.0/24"],
                "networks": {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"]}}
    rendered = render_network_site(settings, "junos")
    assert rendered["groups"]["state"] == "replaced" and rendered["groups"]["acls"]
    assert render_network_site(dict(settings, network_render_only=True), "junos")["groups"]["state"] == "rendered"
    gone = render_network_site(dict(settings, state="absent"), "junos")
    assert gone["groups"]["state"] == "deleted" and gone["groups"]["acls"] == rendered["groups"]["acls"]


def test_ios_group_changes_remove_stale_members_add_missing_and_leave_other_groups_alone():
    device = renderer_for("cisco_ios").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    blocks = device.groups.config
    running = "\n".join([
        "object-group network CORP-SERVERS", " host 10.0.0.1",
        "object-group network PURECLOUD-PURECLOUD", " description old", " host 52.94.152.9", " host 3.3.3.3",
        "object-group v6-network PURECLOUD-PURECLOUD-V6", " 2600:F0F0:2::/48", " 2600:F0FB:E000::/40"])
    assert ios_group_changes(blocks, running) == [
        {"parents": ["object-group network PURECLOUD-PURECLOUD"],
         "lines": ["no host 3.3.3.3", "15.230.221.0 255.255.255.0"]}]
    assert ios_group_changes(blocks, "") == blocks  # a new device: every group whole
    # As the device shows them once set: IPv6 in capitals, nothing left to send.
    shown = [line.upper().replace("HOST", "host") if line.startswith(" ") else line for line in device.groups.commands]
    settled = "\n".join(shown)
    assert ios_group_changes(blocks, settled) == []


def test_nxos_block_changes_renumber_only_what_differs_and_leave_other_blocks_alone():
    device = renderer_for("cisco_nxos").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    blocks = list(device.groups.config) + list(device.config)
    running = "\n".join([
        "object-group ip address CORP", "  10 10.0.0.0/8",
        "object-group ip address PURECLOUD-PURECLOUD", "  10 15.230.221.0/24", "  20 3.3.3.3/32", "  30 host 4.4.4.4",
        "object-group ipv6 address PURECLOUD-PURECLOUD-V6", "  10 2600:F0F0:2::/48", "  20 2600:f0fb:e000::/40",
        "ip access-list CORP-IN", "  10 permit ip any any",
        "ip access-list PURECLOUD-EDGE-OUT", "  statistics per-entry", "  10 remark edge.https",
        "  20 permit tcp 198.51.100.128/28 addrgroup PURECLOUD-PURECLOUD eq 443",
        "  40 permit udp 198.51.100.128/28 addrgroup PURECLOUD-PURECLOUD eq 53"])
    assert nxos_block_changes(blocks, running) == [
        {"parents": ["object-group ip address PURECLOUD-PURECLOUD"], "lines": ["no 20", "no 30", "20 host 52.94.152.9"]},
        {"parents": ["ip access-list PURECLOUD-EDGE-OUT"],
         "lines": ["no 40", "30 remark edge.stun", "40 permit udp 198.51.100.128/28 addrgroup PURECLOUD-PURECLOUD eq 3478"]},
        {"parents": ["ipv6 access-list PURECLOUD-EDGE-OUT-V6"], "lines": blocks[3]["lines"]}]
    assert nxos_block_changes(blocks, "") == blocks  # a new device: every block whole
    assert nxos_block_changes(blocks, "\n".join(device.commands)) == []  # as planned: nothing to send
    # As NX-OS may show them: ports by name, /32 as host, IPv6 in capitals; the same lines.
    shown = ["object-group ip address PURECLOUD-PURECLOUD", "  10 15.230.221.0/24", "  20 52.94.152.9/32",
             "ip access-list DNS", "  10 permit udp 198.51.100.128/28 any EQ DOMAIN",
             "  20 permit tcp 2001:DB8::/64 any range www 443"]
    dns = [{"parents": ["object-group ip address PURECLOUD-PURECLOUD"], "lines": ["10 15.230.221.0/24", "20 host 52.94.152.9"]},
           {"parents": ["ip access-list DNS"],
            "lines": ["10 permit udp 198.51.100.128/28 any eq 53", "20 permit tcp 2001:db8::/64 any range 80 443"]}]
    assert nxos_block_changes(dns, "\n".join(shown)) == []


def test_vyos_group_changes_delete_stale_members_set_missing_and_leave_other_groups_alone():
    device = renderer_for("vyos").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    group = "firewall group network-group PURECLOUD-PURECLOUD"
    running = "\n".join([
        "set firewall group network-group CORP network '10.0.0.0/8'",
        "set %s description 'purecloud.firewall purecloud'" % group,
        "set %s network '52.94.152.9/32'" % group, "set %s network '3.3.3.3/32'" % group,
        "set firewall group ipv6-network-group PURECLOUD-PURECLOUD-V6 description 'purecloud.firewall purecloud'",
        "set firewall group ipv6-network-group PURECLOUD-PURECLOUD-V6 network '2600:F0F0:2::/48'",
        "set firewall group ipv6-network-group PURECLOUD-PURECLOUD-V6 network '2600:f0fb:e000::/40'",
        "set firewall name PURECLOUD-EDGE-OUT default-action 'drop'"])
    assert vyos_group_changes(device.groups.commands, running) == [
        "delete %s network '3.3.3.3/32'" % group, "set %s network '15.230.221.0/24'" % group]
    assert vyos_group_changes(device.groups.commands, "") == list(device.groups.commands)
    assert vyos_group_changes(device.groups.commands, "\n".join(device.groups.commands)) == []


def test_the_group_changes_filter_picks_the_platform_from_the_groups_module():
    from ansible.errors import AnsibleFilterError
    from ansible_collections.purecloud.firewall.plugins.filter.group_changes import group_changes
    ios = renderer_for("cisco_ios").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    assert group_changes(ios.as_dict()["groups"], "") == ios.groups.config
    vyos = renderer_for("vyos").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    assert group_changes(vyos.as_dict()["groups"], None) == list(vyos.groups.commands)
    nxos = renderer_for("cisco_nxos").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    assert group_changes(nxos.as_dict()["groups"], "") == nxos.groups.config
    assert group_changes(nxos.as_dict(), "") == nxos.config  # the lists' blocks too, a run of their own
    junos = renderer_for("junos").render_products([("edge", STRICT_RULES)], site_classes=SITE_CLASSES)
    with pytest.raises(AnsibleFilterError, match="cisco_ios, cisco_nxos or vyos"):
        group_changes(junos.as_dict()["groups"], "")


def test_vyos_group_names_fit_an_ipset_name():
    rules = [rule("edge", "phone_provisioning", "tcp", ["443"], ["198.51.100.128/28", "2001:db8:1::/64"], AWS)]
    vyos = renderer_for("vyos").render_products([("edge", rules)], site_classes=SITE_CLASSES)
    names = [group["name"] for group in vyos.groups.config]
    assert names[0] == "PURECLOUD-PHONE-PROVISIONING" and all(len(name) <= 31 for name in names), names
    assert names[1] != names[0] and names[1].startswith("PURECLOUD-PHONE-")
    ios = renderer_for("cisco_ios").render_products([("edge", rules)], site_classes=SITE_CLASSES)
    assert [block["parents"][0].split()[-1] for block in ios.groups.config][1] == "PURECLOUD-PHONE-PROVISIONING-V6"
