# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift on network devices: a device's config read back against apply's rendering, owned lists only.

The desired sides are written here as apply returns them (``network``); the
device sides as the vendors' modules show them (their ``gathered`` and
``parsed`` configs) or as the devices print them.  tests/network runs the
vendors' own parsers on edited running configs.
"""

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.device_drift import device_drift
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

OUT, IN = "PURECLOUD-EDGE-OUT", "PURECLOUD-EDGE-IN"
EDGE = {"address": "198.51.100.128", "wildcard_bits": "0.0.0.15"}


def ios_network(*acls, **extra):
    """apply's rendering for an IOS router: ``acls`` are (afi, name, aces)."""
    config = {}
    for afi, name, aces in acls:
        config.setdefault(afi, []).append(dict({"name": name, "aces": aces},
                                               **({"acl_type": "extended"} if afi == "ipv4" else {})))
    return dict({"backend": "cisco_ios", "module": "cisco.ios.ios_acls", "state": "replaced", "render_only": False,
                 "config": [{"afi": afi, "acls": items} for afi, items in sorted(config.items())],
                 "acls": [[afi, name] for afi, name, _aces in acls]}, **extra)


DESIRED_OUT = [
    {"sequence": 10, "remarks": ["general.dns.udp"]},
    {"sequence": 20, "grant": "permit", "protocol": "udp", "source": dict(EDGE),
     "destination": {"any": True, "port_protocol": {"eq": "53"}}},
    {"sequence": 30, "grant": "permit", "protocol": "udp", "source": dict(EDGE),
     "destination": {"any": True, "port_protocol": {"range": {"start": 16384, "end": 65535}}}},
    {"sequence": 40, "grant": "permit", "protocol": "tcp", "source": dict(EDGE),
     "destination": {"host": "203.0.113.60", "port_protocol": {"eq": "5061"}}},
]
DESIRED_IN = [{"sequence": 10, "grant": "permit", "protocol": "udp", "source": {"host": "203.0.113.60"},
               "destination": dict(EDGE, port_protocol={"eq": "5060"})}]


def parsed(*acls):
    """ios_acls' parsed or gathered config: sections by afi, lists in its order (sorted), IPv4's extended."""
    sections = {}
    for afi, name, aces in acls:
        sections.setdefault(afi, []).append(dict({"name": name, "aces": aces},
                                                 **({"acl_type": "extended"} if afi == "ipv4" else {})))
    return [{"afi": afi, "acls": sorted(items, key=lambda item: item["name"])}
            for afi, items in sorted(sections.items())]


# As ios_acls' parser shows the desired lists: keys sorted, ports by name, numbers as strings.
SHOWN_OUT = [
    {"remarks": ["general.dns.udp"], "sequence": "10"},
    {"destination": {"any": True, "port_protocol": {"eq": "domain"}}, "grant": "permit", "protocol": "udp",
     "sequence": 20, "source": {"address": "198.51.100.128", "wildcard_bits": "0.0.0.15"}},
    {"destination": {"any": True, "port_protocol": {"range": {"end": "65535", "start": "16384"}}}, "grant": "permit",
     "protocol": "udp", "sequence": 30, "source": {"address": "198.51.100.128", "wildcard_bits": "0.0.0.15"}},
    {"destination": {"host": "203.0.113.60", "port_protocol": {"eq": "5061"}}, "grant": "permit", "protocol": "tcp",
     "sequence": 40, "source": {"address": "198.51.100.128", "wildcard_bits": "0.0.0.15"}},
]
SHOWN_IN = [{"destination": {"address": "198.51.100.128", "port_protocol": {"eq": "5060"}, "wildcard_bits": "0.0.0.15"},
             "grant": "permit", "protocol": "udp", "sequence": 10, "source": {"host": "203.0.113.60"}}]
FOREIGN = ("ipv4", "CORP-MGMT", [{"sequence": 10, "grant": "permit", "protocol": "tcp", "source": {"any": True},
                                  "destination": {"any": True, "port_protocol": {"eq": "22"}}}])


def keys(items):
    return sorted(item["key"] for item in items)


def test_a_device_as_rendered_in_the_vendors_spelling_has_not_drifted():
    network = ios_network(("ipv4", OUT, DESIRED_OUT), ("ipv4", IN, DESIRED_IN))
    device = parsed(("ipv4", OUT, SHOWN_OUT), ("ipv4", IN, SHOWN_IN), FOREIGN)
    drift = device_drift(network, {"lists": device})
    assert drift.checked is True and drift.drifted is False and drift.lists == ()
    assert drift.compared == (("acl", "ipv4", OUT), ("acl", "ipv4", IN))  # the foreign list is not compared
    assert "CORP-MGMT" not in str(drift.as_dict())


def test_an_entry_removed_a_port_changed_and_a_foreign_entry_are_each_reported_once():
    network = ios_network(("ipv4", OUT, DESIRED_OUT), ("ipv4", IN, DESIRED_IN))
    foreign = {"sequence": 25, "grant": "permit", "protocol": "tcp", "source": {"any": True},
               "destination": {"any": True, "port_protocol": {"eq": "22"}}}
    changed = dict(SHOWN_IN[0], destination=dict(SHOWN_IN[0]["destination"], port_protocol={"eq": "5062"}))
    device = parsed(("ipv4", OUT, [SHOWN_OUT[0], SHOWN_OUT[1], foreign, SHOWN_OUT[3]]),  # 30 removed, 25 added
                    ("ipv4", IN, [changed]), FOREIGN)
    drift = device_drift(network, {"lists": device}).as_dict()
    assert drift["drifted"] is True
    lists = dict((item["name"], item) for item in drift["lists"])
    assert sorted(lists) == [IN, OUT]
    assert keys(lists[OUT]["added"]) == ["25"] and lists[OUT]["added"][0]["entry"] == foreign
    assert keys(lists[OUT]["removed"]) == ["30"] and lists[OUT]["removed"][0]["entry"] == DESIRED_OUT[2]
    assert lists[OUT]["changed"] == [] and lists[IN]["added"] == lists[IN]["removed"] == []
    assert lists[IN]["changed"] == [{"key": "10", "device": changed, "desired": DESIRED_IN[0]}]
    assert lists[IN]["changed"][0]["device"]["destination"]["port_protocol"] == {"eq": "5062"}
    assert "CORP-MGMT" not in str(drift)


def test_an_owned_list_the_device_lacks_is_missing_with_every_entry_removed():
    network = ios_network(("ipv4", OUT, DESIRED_OUT), ("ipv4", IN, DESIRED_IN))
    drift = device_drift(network, {"lists": parsed(("ipv4", OUT, SHOWN_OUT))})
    assert [(item.name, item.missing, [e.key for e in item.removed]) for item in drift.lists] == [(IN, True, ["10"])]
    assert "DRIFT on cisco_ios" in drift.summary() and "%s (ipv4): missing" % IN in drift.summary()
    assert device_drift(network, {"lists": []}).drifted is True  # a device with no ACL at all


def test_entries_the_device_shows_without_their_key_are_matched_by_what_they_permit():
    """IOS shows an IPv6 entry's sequence number after it, and ios_acls' parser drops it."""
    desired = [{"sequence": 10, "remarks": ["general.dns.udp"]},
               {"sequence": 20, "grant": "permit", "protocol": "udp", "source": {"address": "2001:db8:30::/48"},
                "destination": {"any": True, "port_protocol": {"eq": "53"}}},
               {"sequence": 30, "grant": "permit", "protocol": "tcp", "source": {"address": "2001:db8:30::/48"},
                "destination": {"any": True, "port_protocol": {"eq": "443"}}}]
    network = ios_network(("ipv6", OUT + "-V6", desired))
    shown = [{"remarks": ["general.dns.udp"], "sequence": 10},
             {"destination": {"any": True, "port_protocol": {"eq": "443"}}, "grant": "permit", "protocol": "tcp",
              "source": {"address": "2001:DB8:30::/48"}},
             {"destination": {"any": True, "port_protocol": {"eq": "domain"}}, "grant": "permit", "protocol": "udp",
              "source": {"address": "2001:DB8:30::/48"}}]
    assert device_drift(network, {"lists": parsed(("ipv6", OUT + "-V6", shown))}).drifted is False
    # Its port changed: with no key to pair them, the planned entry is removed and the device's added.
    edited = shown[:2] + [dict(shown[2], destination={"any": True, "port_protocol": {"eq": "54"}})]
    drift = device_drift(network, {"lists": parsed(("ipv6", OUT + "-V6", edited))}).lists[0]
    assert [e.entry for e in drift.removed] == [desired[1]]
    assert [(e.key, e.entry) for e in drift.added] == [(None, edited[2])]
    assert drift.changed == ()


def test_a_rule_sets_own_fields_are_compared_and_the_terms_keys_are_the_platforms():
    """VyOS rules are keyed by number, a rule set's default action is its own field."""
    rules = [{"number": 10, "action": "accept", "description": "edge.https", "protocol": "tcp",
              "destination": {"port": "443,3478"}, "source": {"address": "198.51.100.128/28"}}]
    network = {"backend": "vyos", "module": "vyos.vyos.vyos_firewall_rules", "state": "replaced", "render_only": False,
               "acls": [["ipv4", OUT]],
               "config": [{"afi": "ipv4", "rule_sets": [{"name": OUT, "description": "purecloud.firewall edge out",
                                                         "default_action": "drop", "rules": rules}]}]}
    shown = [{"action": "accept", "description": "edge.https", "destination": {"port": "3478,443"}, "number": 10,
              "protocol": "tcp", "source": {"address": "198.51.100.128/28"}}]

    def device(default_action):
        return {"lists": [{"afi": "ipv4", "rule_sets": [{"default_action": default_action, "name": OUT,
                                                         "description": "purecloud.firewall edge out",
                                                         "rules": shown}]}]}

    assert device_drift(network, device("drop")).drifted is False
    found = device_drift(network, device("accept")).lists[0]
    assert found.attributes == (("default_action", "accept", "drop"),)
    assert found.added == found.removed == found.changed == ()
    assert "default_action changed" in found.counts()


def test_junos_terms_by_name_in_each_family_and_prefix_lists_by_their_prefixes():
    term = {"name": "t1-edge-https", "grant": "permit", "protocol": "tcp", "source": {"address": "198.51.100.128/28"},
            "destination": {"prefix_list": [{"name": "PURECLOUD-AWS-A"}, {"name": "PURECLOUD-AWS-B"}],
                            "port_protocol": {"eq": "443"}}}
    network = {"backend": "junos", "module": "junipernetworks.junos.junos_acls", "state": "replaced",
               "render_only": False, "acls": [["ipv4", "purecloud-edge-out"]],
               "config": [{"afi": "ipv4", "acls": [{"name": "purecloud-edge-out", "aces": [term]}]}],
               "groups": {"module": "junipernetworks.junos.junos_prefix_lists", "state": "replaced",
                          "acls": [["ipv4", "PURECLOUD-AWS-A"], ["ipv4", "PURECLOUD-AWS-B"]],
                          "config": [{"name": "PURECLOUD-AWS-A", "address_prefixes": ["15.230.221.0/24"]},
                                     {"name": "PURECLOUD-AWS-B", "address_prefixes": ["52.94.152.9/32"]}]}}
    # The same filter in the other family is not this one (Junos names a filter once per family).
    lists = [{"afi": "ipv4", "acls": [{"name": "purecloud-edge-out", "aces": [dict(term)]}]},
             {"afi": "ipv6", "acls": [{"name": "purecloud-edge-out", "aces": []}]}]
    groups = [{"name": "CORP", "address_prefixes": ["10.0.0.0/8"]},
              {"name": "PURECLOUD-AWS-A", "address_prefixes": ["15.230.221.0/24"]},
              {"name": "PURECLOUD-AWS-B", "address_prefixes": ["52.94.152.9/32"]}]
    assert device_drift(network, {"lists": lists, "groups": groups}).drifted is False
    groups[2] = {"name": "PURECLOUD-AWS-B", "address_prefixes": ["52.94.152.9/32", "3.3.3.3/32"]}
    del groups[1]
    drift = device_drift(network, {"lists": lists, "groups": groups})
    assert [(item.kind, item.name, item.missing, [e.entry for e in item.added], [e.entry for e in item.removed])
            for item in drift.lists] == [("group", "PURECLOUD-AWS-A", True, [], ["15.230.221.0/24"]),
                                         ("group", "PURECLOUD-AWS-B", False, ["3.3.3.3/32"], [])]


IOS_GROUPS = {"module": "cisco.ios.ios_config", "state": "replaced",
              "acls": [["ipv4", "PURECLOUD-AWS"], ["ipv6", "PURECLOUD-AWS-V6"]],
              "config": [{"parents": ["object-group network PURECLOUD-AWS"],
                          "lines": ["15.230.221.0 255.255.255.0", "host 52.94.152.9"]},
                         {"parents": ["object-group v6-network PURECLOUD-AWS-V6"], "lines": ["2600:f0f0:2::/48"]}]}


def test_ios_object_groups_on_the_devices_text_members_as_addresses():
    network = ios_network(("ipv4", OUT, DESIRED_OUT), groups=IOS_GROUPS)
    lists = {"lists": parsed(("ipv4", OUT, SHOWN_OUT))}
    shown = "\n".join(["object-group network CORP", " host 10.0.0.1",
                       "object-group network PURECLOUD-AWS", " description by hand", " host 52.94.152.9",
                       " 15.230.221.0 255.255.255.0", "object-group v6-network PURECLOUD-AWS-V6", " 2600:F0F0:2::/48"])
    assert device_drift(network, dict(lists, running=shown)).drifted is False
    edited = shown.replace(" host 52.94.152.9", " host 3.3.3.3").replace("object-group v6-network PURECLOUD-AWS-V6\n"
                                                                         " 2600:F0F0:2::/48", "")
    drift = device_drift(network, dict(lists, running=edited))
    assert [(item.name, item.missing, [e.entry for e in item.added], [e.entry for e in item.removed])
            for item in drift.lists] == [("PURECLOUD-AWS", False, ["host 3.3.3.3"], ["host 52.94.152.9"]),
                                         ("PURECLOUD-AWS-V6", True, [], ["2600:f0f0:2::/48"])]
    with pytest.raises(PurecloudFirewallError, match="running config .running. must be text"):
        device_drift(network, lists)


def test_nxos_blocks_by_sequence_number_on_the_devices_text():
    """NX-OS lists naming object-groups are the collection's blocks (nxos_acls cannot read them)."""
    blocks = [{"parents": ["ip access-list PURECLOUD-EDGE-OUT"],
               "lines": ["10 remark edge.https", "20 permit tcp 198.51.100.128/28 addrgroup PURECLOUD-AWS eq 443",
                         "30 permit udp 198.51.100.128/28 any eq 53"]}]
    groups = {"module": "cisco.nxos.nxos_config", "state": "replaced", "acls": [["ipv4", "PURECLOUD-AWS"]],
              "config": [{"parents": ["object-group ip address PURECLOUD-AWS"],
                          "lines": ["10 15.230.221.0/24", "20 host 52.94.152.9"]}]}
    network = {"backend": "cisco_nxos", "module": "cisco.nxos.nxos_config", "state": "replaced", "render_only": False,
               "acls": [["ipv4", "PURECLOUD-EDGE-OUT"]], "config": blocks, "groups": groups}
    shown = ["object-group ip address PURECLOUD-AWS", "  10 15.230.221.0/24", "  20 52.94.152.9/32",
             "ip access-list CORP", "  10 permit ip any any",
             "ip access-list PURECLOUD-EDGE-OUT", "  statistics per-entry", "  10 remark edge.https",
             "  20 permit tcp 198.51.100.128/28 addrgroup PURECLOUD-AWS eq 443",
             "  30 permit udp 198.51.100.128/28 any eq domain"]
    assert device_drift(network, {"running": "\n".join(shown)}).drifted is False
    shown[-1] = "  30 permit udp 198.51.100.128/28 any eq 54"
    shown.append("  25 permit tcp any any eq 22")
    shown[2] = "  30 3.3.3.3/32"
    found = dict((item.name, item) for item in device_drift(network, {"running": "\n".join(shown)}).lists)
    acl, group = found["PURECLOUD-EDGE-OUT"], found["PURECLOUD-AWS"]
    assert acl.kind == "acl" and group.kind == "group"
    assert [(c.key, c.device, c.desired) for c in acl.changed] == [
        ("30", "30 permit udp 198.51.100.128/28 any eq 54", "30 permit udp 198.51.100.128/28 any eq 53")]
    assert [(e.key, e.entry) for e in acl.added] == [("25", "25 permit tcp any any eq 22")] and acl.removed == ()
    assert [(e.key, e.entry) for e in group.added] == [("30", "30 3.3.3.3/32")]
    assert [(e.key, e.entry) for e in group.removed] == [("20", "20 host 52.94.152.9")]


def test_vyos_groups_on_the_devices_commands():
    rules = {"afi": "ipv4", "rule_sets": [{"name": OUT, "default_action": "drop", "rules": []}]}
    group = "firewall group network-group PURECLOUD-AWS"
    commands = ["set %s description 'purecloud.firewall aws'" % group, "set %s network '15.230.221.0/24'" % group,
                "set %s network '52.94.152.9/32'" % group]
    network = {"backend": "vyos", "module": "vyos.vyos.vyos_firewall_rules", "state": "replaced", "render_only": False,
               "acls": [["ipv4", OUT]], "config": [rules],
               "groups": {"module": "vyos.vyos.vyos_config", "acls": [["ipv4", "PURECLOUD-AWS"]],
                          "config": [], "commands": commands, "state": "replaced"}}
    lists = [{"afi": "ipv4", "rule_sets": [{"name": OUT, "default_action": "drop"}]}]
    shown = ["set firewall group network-group CORP network '10.0.0.0/8'",
             "set %s description 'purecloud.firewall aws'" % group, "set %s network 15.230.221.0/24" % group,
             "set %s network '52.94.152.9/32'" % group]
    assert device_drift(network, {"lists": lists, "running": "\n".join(shown)}).drifted is False
    shown[-1] = "set %s network '3.3.3.3/32'" % group
    found = device_drift(network, {"lists": lists, "running": "\n".join(shown)}).lists
    assert [(item.name, [e.entry for e in item.added], [e.entry for e in item.removed]) for item in found] == [
        ("PURECLOUD-AWS", [shown[-1]], [commands[2]])]


@pytest.mark.parametrize("network, device, reason", [
    ({"backend": "fortios", "state": "replaced", "render_only": False}, {"lists": []},
     "FortiGate (FortiOS): its vendor's modules have no gathered or parsed state"),
    ({"backend": "checkpoint", "state": "replaced", "render_only": False}, {"lists": []},
     "no gathered or parsed state"),
    ({"backend": "panos", "state": "rendered", "render_only": True}, None, "render-only"),
    ({"backend": "cisco_ios", "state": "rendered", "render_only": True}, None,
     "purecloud_network_render_only: the device is not contacted; give its running config in "
     "purecloud_drift_running_config"),
    ({"backend": "cisco_ios", "state": "replaced", "render_only": False}, None, "the device's config was not read"),
    ({"backend": "junos", "state": "deleted", "render_only": False}, {"lists": []},
     "purecloud_firewall_state is absent"),
])
def test_what_cannot_be_compared_is_not_checked_never_as_desired(network, device, reason):
    drift = device_drift(network, device)
    assert drift.checked is False and drift.drifted is None
    assert reason in drift.reason and drift.summary().startswith("not checked on %s: " % network["backend"])


def test_bad_input_names_what_was_expected():
    network = ios_network(("ipv4", OUT, DESIRED_OUT))
    with pytest.raises(PurecloudFirewallError, match="the device's lists must be its module's gathered or parsed "
                                                     "config .a list., got 'oops'"):
        device_drift(network, {"lists": "oops"})
    with pytest.raises(PurecloudFirewallError, match="must be a mapping with lists, groups and running"):
        device_drift(network, ["lists"])
    with pytest.raises(PurecloudFirewallError, match="rendering of a network device .with a backend among"):
        device_drift({"backend": "nftables"}, {})
