# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Named objects from compiled rules: groups shared, services shared, one policy per flow."""

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.objects import (
    AddressGroup, build_objects, object_name)
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Rule

SITE = ("edge", "voip_phone")
EDGE = ("198.51.100.128/28", "2001:db8:1::/64")
CLOUD = ("203.0.113.0/26", "203.0.113.64/26")


def rule(src, dst, sources, destinations, protocol, ports, ids):
    return Rule(src, dst, sources, destinations, protocol, tuple(ports), tuple(ids))


EDGE_RULES = [
    rule("edge", "purecloud", EDGE, CLOUD, "tcp", ["443"], ["edge.https"]),
    rule("edge", "purecloud", EDGE, CLOUD, "udp", ["16384-65535"], ["edge.media"]),
    rule("edge", "purecloud", EDGE, ANY, "tcp", ["443"], ["edge.other"]),
    rule("sip_provider", "edge", ("203.0.113.60/31",), EDGE, "udp", ["5060"], ["edge.sip.in"]),
]


def test_groups_services_and_policies_are_named_and_shared():
    objects = build_objects([("edge", EDGE_RULES)], SITE)
    assert [g.name for g in objects.addresses] == ["PURECLOUD-EDGE", "PURECLOUD-PURECLOUD", "PURECLOUD-SIP-PROVIDER"]
    assert objects.address("PURECLOUD-EDGE") == AddressGroup("PURECLOUD-EDGE", "edge", EDGE)
    assert [(s.name, s.protocol, s.ports) for s in objects.services] == [
        ("PURECLOUD-TCP-443", "tcp", ("443",)), ("PURECLOUD-UDP-16384-65535", "udp", ("16384-65535",)),
        ("PURECLOUD-UDP-5060", "udp", ("5060",))]
    got = [(p.name, p.direction, p.source, p.destination, p.service, p.ids) for p in objects.policies]
    assert got == [
        ("PURECLOUD-EDGE-OUT-1", "out", "PURECLOUD-EDGE", "PURECLOUD-PURECLOUD", "PURECLOUD-TCP-443", ("edge.https",)),
        ("PURECLOUD-EDGE-OUT-2", "out", "PURECLOUD-EDGE", "PURECLOUD-PURECLOUD", "PURECLOUD-UDP-16384-65535",
         ("edge.media",)),
        ("PURECLOUD-EDGE-OUT-3", "out", "PURECLOUD-EDGE", None, "PURECLOUD-TCP-443", ("edge.other",)),
        ("PURECLOUD-EDGE-IN-1", "in", "PURECLOUD-SIP-PROVIDER", "PURECLOUD-EDGE", "PURECLOUD-UDP-5060",
         ("edge.sip.in",)),
    ]
    # 2 + 2 + 1 prefixes, 3 services, 4 flows
    assert objects.size == 12
    assert objects.address("PURECLOUD-EDGE").families == (4, 6)
    assert objects.address("PURECLOUD-EDGE").of_family(6) == ("2001:db8:1::/64",)


def test_a_class_with_two_address_sets_gets_two_groups():
    rules = [rule("edge", "purecloud", EDGE, CLOUD, "tcp", ["443"], ["a"]),
             rule("edge", "purecloud", EDGE, ("203.0.113.128/25",), "tcp", ["8443"], ["b"])]
    objects = build_objects([("edge", rules)], SITE)
    assert [(g.name, g.cidrs) for g in objects.addresses] == [
        ("PURECLOUD-EDGE", EDGE), ("PURECLOUD-PURECLOUD", CLOUD), ("PURECLOUD-PURECLOUD-2", ("203.0.113.128/25",))]


def test_products_share_objects_and_number_their_own_policies():
    voice = [rule("voip_phone", "edge", ("198.51.100.192/27",), EDGE, "udp", ["5060"], ["voice.sip"])]
    objects = build_objects([("edge", EDGE_RULES[:1]), ("voice", voice)], SITE)
    assert [p.name for p in objects.policies] == ["PURECLOUD-EDGE-OUT-1", "PURECLOUD-VOICE-OUT-1"]
    assert [g.name for g in objects.addresses] == ["PURECLOUD-EDGE", "PURECLOUD-PURECLOUD", "PURECLOUD-VOIP-PHONE"]


def test_domains_stand_for_a_class_on_tcp_only():
    objects = build_objects([("edge", EDGE_RULES[:2])], SITE, domains={"purecloud": ("*.mypurecloud.com",)})
    https, media = objects.policies
    assert objects.address(https.destination).fqdns == ("*.mypurecloud.com",)
    assert objects.address(https.destination).cidrs == ()
    assert https.destination == "PURECLOUD-PURECLOUD-FQDN"
    assert objects.address(media.destination).cidrs == CLOUD


def test_long_names_keep_a_digest_and_stay_distinct():
    long_ports = ["%d" % port for port in range(10000, 10040, 2)]
    name = object_name("PURECLOUD", "tcp", *long_ports)
    assert len(name) == 63 and name.startswith("PURECLOUD-TCP-10000-10002")
    assert name != object_name("PURECLOUD", "tcp", *long_ports[:-1] + ["20000"])
    assert object_name("PURECLOUD", "sip_provider", "in") == "PURECLOUD-SIP-PROVIDER-IN"


def test_the_prefix_is_letters_and_digits():
    with pytest.raises(PurecloudFirewallError, match="object prefix 'PURE CLOUD'"):
        build_objects([], SITE, prefix="PURE CLOUD")
