# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of the nftables module: checking, rendering, comparing, the SSH guard."""

from __future__ import annotations

import json

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.host_backend import Management, ssh_session
from ansible_collections.purecloud.firewall.plugins.module_utils.nft import (
    NftTable,
    add_include,
    canonical,
    check_spec,
    remove_include,
    render_table,
    replace_transaction,
    set_elements,
)
from ansible_collections.purecloud.firewall.plugins.modules.nft_table import ARGUMENT_SPEC
from host_fakes import FakeModule

SPEC = {
    "chains": [{"name": "input", "hook": "input", "policy": "drop"}, {"name": "forward", "hook": "forward"},
               {"name": "media"}],
    "sets": [{"name": "sites", "type": "ipv4_addr", "flags": ["interval"], "elements": ["198.51.100.0/25", "198.51.100.128/25"]}],
    "rules": [{"chain": "forward", "rule": "ip saddr @sites jump media", "comment": "edge.https"},
              {"chain": "media", "rule": "udp dport 16384-32768 accept"}],
}


def test_render_table():
    assert render_table(check_spec(SPEC)) == (
        "table inet purecloud {\n"
        "\tset sites {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 198.51.100.0/24 }\n\t}\n"
        "\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n"
        "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n"
        "\t\tip saddr @sites jump media comment \"edge.https\"\n\t}\n"
        "\tchain media {\n\t\tudp dport 16384-32768 accept\n\t}\n"
        "}\n")


def test_replace_transaction_creates_deletes_and_recreates_the_table_only():
    text = replace_transaction(check_spec(SPEC))
    assert "table inet purecloud\ndelete table inet purecloud\ntable inet purecloud {" in text
    assert "flush ruleset" not in text


@pytest.mark.parametrize("set_type, elements, interval, expected", [
    ("ipv4_addr", ["198.51.100.0/25", "198.51.100.128/25", "198.51.100.7"], True, ["198.51.100.0/24"]),
    ("ipv4_addr", ["203.0.113.9", "203.0.113.9/32", "198.51.100.1"], False, ["198.51.100.1", "203.0.113.9"]),
    ("ipv6_addr", ["2001:db8::/33", "2001:db8:8000::/33"], True, ["2001:db8::/32"]),
    ("inet_service", ["5060", "5061", "19302", "16384-32768"], True, ["5060-5061", "16384-32768"]),
    ("inet_service", ["443", "80", "443"], False, ["80", "443"]),
])
def test_set_elements_are_normalised(set_type, elements, interval, expected):
    assert set_elements(set_type, elements, interval, "sets[0]") == expected


@pytest.mark.parametrize("set_type, elements, interval, message", [
    ("ipv4_addr", ["2001:db8::1"], True, "2001:db8::1 is IPv6; the set holds ipv4_addr"),
    ("ipv4_addr", ["198.51.100.0/24"], False, "is a network; a set without 'interval' holds addresses"),
    ("ipv4_addr", ["198.51.100.300"], True, "bad address '198.51.100.300'"),
    ("inet_service", ["5060-5061"], False, "port ranges need flags: \\[interval\\]"),
    ("inet_service", ["70000"], True, "70000 is outside 1-65535"),
])
def test_bad_set_elements(set_type, elements, interval, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        set_elements(set_type, elements, interval, "sets[0]")


@pytest.mark.parametrize("change, message", [
    ({"family": "bridge"}, "bad family 'bridge'"),
    ({"name": "pure-cloud"}, "bad table name 'pure-cloud'"),
    ({"chains": [{"name": "a", "hook": "input"}, {"name": "a"}]}, "duplicate chain 'a'"),
    ({"chains": [{"name": "a", "hook": "ingress"}]}, "bad hook 'ingress'"),
    ({"chains": [{"name": "a", "hook": "input", "priority": "first"}]}, "bad priority 'first'"),
    ({"chains": [{"name": "a", "hook": "input", "policy": "reject"}]}, "bad policy 'reject'"),
    ({"rules": [{"chain": "output", "rule": "accept"}]}, "unknown chain 'output'; the table has: forward, input, media"),
    ({"rules": [{"chain": "media", "rule": "accept; flush ruleset"}]}, "one nft statement on one line"),
    ({"rules": [{"chain": "media", "rule": "accept", "comment": 'say "hi"'}]}, "comment"),
    ({"sets": [{"name": "s", "type": "ether_addr"}]}, "bad set type 'ether_addr'"),
])
def test_bad_specs_name_the_value(change, message):
    with pytest.raises(PurecloudFirewallError, match=message):
        check_spec(dict(SPEC, **change))


def test_canonical_drops_handles_and_metainfo():
    listing = {"nftables": [{"metainfo": {"version": "1.0.6"}},
                            {"table": {"family": "inet", "name": "purecloud", "handle": 7}},
                            {"rule": {"chain": "input", "handle": 3, "expr": [{"accept": None}]}}]}
    assert canonical(json.dumps(listing)) == [{"table": {"family": "inet", "name": "purecloud"}},
                                              {"rule": {"chain": "input", "expr": [{"accept": None}]}}]
    assert canonical("") == []
    with pytest.raises(PurecloudFirewallError, match="cannot read nft's JSON listing"):
        canonical("not json")


@pytest.mark.parametrize("value, expected", [
    ("198.51.100.1 51234 198.51.100.12 22", ("198.51.100.1", 22)),
    ("fe80::1%eth0 51234 fe80::2 2222", ("fe80::1", 2222)),
    ("", None),
    ("garbage", None),
])
def test_ssh_session(value, expected):
    assert ssh_session({"SSH_CONNECTION": value}) == expected


def session_cut_reason(spec, session, management):
    """The nft backend's SSH guard on ``spec``, in a session from ``session`` (client, port) or run locally."""
    environ = {"SSH_CONNECTION": "%s 50123 198.51.100.12 %d" % session} if session else {}
    backend = NftTable(FakeModule(ARGUMENT_SPEC, {"management": management}), environ=environ)
    return backend.session_cut_reason(spec, Management(management))


def with_management(spec, management):
    return NftTable(FakeModule(ARGUMENT_SPEC, {})).allow_management(spec, Management(management))


def test_session_guard():
    spec = check_spec(SPEC)
    session = ("198.51.100.1", 22)
    assert "does not cover this SSH session from 198.51.100.1 to port 22" in session_cut_reason(spec, session, None)
    assert session_cut_reason(spec, session, {"sources": ["198.51.100.0/25"], "port": 22}) == ""
    assert session_cut_reason(spec, session, {"sources": ["198.51.100.0/25"], "port": 2222}) != ""
    assert session_cut_reason(spec, None, None) == ""  # not over SSH (local connection)
    accepting = check_spec(dict(SPEC, chains=[{"name": "input", "hook": "input"}], rules=[], sets=[]))
    assert session_cut_reason(accepting, session, None) == ""
    # An output chain that drops would lose the session's replies just the same.
    egress = check_spec(dict(SPEC, chains=[{"name": "out", "hook": "output", "policy": "drop"}], rules=[], sets=[]))
    assert "the chain out drops by default" in session_cut_reason(egress, session, None)
    assert session_cut_reason(egress, session, {"sources": ["198.51.100.0/25"]}) == ""


def test_with_management_puts_ssh_first_in_input_chains_per_family():
    spec = with_management(check_spec(SPEC), {"sources": ["198.51.100.0/25", "2001:db8::/64"], "port": 22})
    assert spec["rules"][:2] == [
        {"chain": "input", "comment": "purecloud.management", "rule": "ip saddr { 198.51.100.0/25 } tcp dport 22 accept"},
        {"chain": "input", "comment": "purecloud.management", "rule": "ip6 saddr { 2001:db8::/64 } tcp dport 22 accept"}]
    assert with_management(check_spec(SPEC), None) == check_spec(SPEC)
    egress = check_spec(dict(SPEC, chains=[{"name": "out", "hook": "output", "policy": "drop"}], rules=[], sets=[]))
    assert with_management(egress, {"sources": ["198.51.100.0/25"], "port": 2222})["rules"] == [
        {"chain": "out", "comment": "purecloud.management", "rule": "ip daddr { 198.51.100.0/25 } tcp sport 2222 accept"}]
    with pytest.raises(PurecloudFirewallError, match="management.sources: bad CIDR 'x'"):
        with_management(check_spec(SPEC), {"sources": ["x"]})


def test_include_lines():
    conf = "#!/usr/sbin/nft -f\nflush ruleset\n"
    added = add_include(conf, "/etc/nftables.d/inet-purecloud.nft")
    assert added == conf + 'include "/etc/nftables.d/inet-purecloud.nft"\n'
    assert add_include(added, "/etc/nftables.d/inet-purecloud.nft") == added
    assert remove_include(added, "/etc/nftables.d/inet-purecloud.nft") == conf
    assert add_include("flush ruleset", "/x.nft") == 'flush ruleset\ninclude "/x.nft"\n'
