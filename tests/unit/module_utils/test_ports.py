# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import (
    normalize_ports,
    parse_port_spec,
    ports_contain,
    split_protocol_port,
)


@pytest.mark.parametrize("spec, expected", [
    ("443", (443, 443)),
    (443, (443, 443)),
    ("16384-32768", (16384, 32768)),
    ("49152\u201365535", (49152, 65535)),  # the page's en dash
    (" 5060 - 5061 ", (5060, 5061)),
    ("8000:8010", (8000, 8010)),  # firewalld/iptables style
    ("1", (1, 1)),
    ("65535", (65535, 65535)),
])
def test_parse_port_spec(spec, expected):
    assert parse_port_spec(spec) == expected


@pytest.mark.parametrize("spec, message", [
    ("0", "0 is outside 1-65535"),
    ("65536", "65536 is outside 1-65535"),
    ("5061-5060", "start 5061 is greater than end 5060"),
    ("https", "bad port 'https'"),
    ("4000+", "bad port '4000\\+'"),
    ("", "bad port ''"),
    (True, "bad port True"),
    (None, "bad port None"),
])
def test_parse_port_spec_errors_name_the_value(spec, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        parse_port_spec(spec)


@pytest.mark.parametrize("specs, expected", [
    (["5060", "5061"], ["5060-5061"]),
    (["5061", "5060", "5060-5061"], ["5060-5061"]),
    (["19302", "16384-32768"], ["16384-32768"]),
    (["443", "80", "443"], ["80", "443"]),
    (["3478", "3479", "3481"], ["3478-3479", "3481"]),
    (["49152-65535", "16384-32768", "60000"], ["16384-32768", "49152-65535"]),
    (["100-200", "150-300", "301"], ["100-301"]),
    ([], []),
    ("443", ["443"]),
    (8063, ["8063"]),
])
def test_normalize_ports_merges_overlaps_and_neighbours(specs, expected):
    assert normalize_ports(specs) == expected


def test_ports_contain():
    assert ports_contain(["16384-32768"], 19302)
    assert not ports_contain(["16384-32768"], 32769)


@pytest.mark.parametrize("spec, expected", [
    ("udp/5060", ("udp", "5060")),
    ("TCP/5060-5061", ("tcp", "5060-5061")),
    ("5060", (None, "5060")),
    (5060, (None, "5060")),
])
def test_split_protocol_port(spec, expected):
    assert split_protocol_port(spec) == expected


def test_split_protocol_port_refuses_other_protocols():
    with pytest.raises(PurecloudFirewallError, match="bad protocol 'sctp': expected one of: tcp, udp"):
        split_protocol_port("sctp/5060")
