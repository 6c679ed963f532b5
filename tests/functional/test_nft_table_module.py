# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""purecloud.firewall.nft_table on real nftables in lab hosts, over SSH."""

import json
import os
import time

import pytest

from feeds import SHARED_FEED, us_east_1_prefixes

GATEWAY = {
    "chains": [{"name": "input", "hook": "input", "policy": "drop"},
               {"name": "forward", "hook": "forward", "policy": "drop"}],
    "sets": [{"name": "sites", "type": "ipv4_addr", "flags": ["interval"],
              "elements": ["198.51.100.128/26", "198.51.100.192/26", "203.0.113.5"]},
             {"name": "media", "type": "inet_service", "flags": ["interval"],
              "elements": ["5060", "5061", "16384-32768", "19302"]}],
    "rules": [{"chain": "input", "rule": "ct state established,related accept"},
              {"chain": "input", "rule": "iif lo accept"},
              {"chain": "forward", "rule": "ct state established,related accept"},
              {"chain": "forward", "rule": "ip saddr @sites udp dport @media accept", "comment": "edge.media.srtp_turn"}],
    "management": {"sources": ["198.51.100.0/25"]},
}
FOREIGN = """table ip other {
  chain input {
    type filter hook input priority 10; policy accept;
    tcp dport 9999 counter accept
  }
}"""


def fresh(hosts, host):
    hosts.shell(host, "nft delete table inet purecloud 2>/dev/null; rm -f /etc/nftables.d/inet-purecloud.nft; true")


def test_apply_then_nothing_to_change_and_check_mode_changes_nothing(single):
    fresh(single, "nft1")
    check = single.module("nft1", "purecloud.firewall.nft_table", GATEWAY, check=True)
    assert check["changed"] is True
    assert "purecloud" not in single.shell("nft1", "nft list tables")  # check mode touched nothing
    first = single.module("nft1", "purecloud.firewall.nft_table", GATEWAY, diff=True)
    assert first["changed"] is True, first
    assert first["diff"]["before"] == ""
    assert "elements = { 198.51.100.128/25, 203.0.113.5 }" in first["diff"]["after"]  # merged by the module
    live = single.shell("nft1", "nft list table inet purecloud")
    assert 'ip saddr @sites udp dport @media accept comment "edge.media.srtp_turn"' in live
    assert "5060-5061, 16384-32768" in live
    second = single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    assert second["changed"] is False, second
    again_check = single.module("nft1", "purecloud.firewall.nft_table", GATEWAY, check=True)
    assert again_check["changed"] is False


def test_a_change_is_reported_with_a_readable_diff(single):
    single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    extra = {"chain": "forward", "rule": "tcp dport 443 accept", "comment": "edge.https"}
    changed = dict(GATEWAY, rules=GATEWAY["rules"] + [extra])
    result = single.module("nft1", "purecloud.firewall.nft_table", changed, diff=True)
    assert result["changed"] is True
    assert 'tcp dport 443 accept comment "edge.https"' not in result["diff"]["before"]
    assert 'tcp dport 443 accept comment "edge.https"' in result["diff"]["after"]


def test_drift_made_by_hand_is_put_back(single):
    single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    single.shell("nft1", "nft add rule inet purecloud forward tcp dport 8443 accept")
    result = single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    assert result["changed"] is True
    assert "8443" not in single.shell("nft1", "nft list table inet purecloud")


def test_other_tables_are_never_touched(single):
    single.shell("nft1", "nft delete table ip other 2>/dev/null; nft -f - <<'EOF'\n%s\nEOF" % FOREIGN)
    before = single.shell("nft1", "nft list table ip other")
    single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    single.module("nft1", "purecloud.firewall.nft_table", dict(GATEWAY, sets=GATEWAY["sets"][:1], rules=[]))
    single.module("nft1", "purecloud.firewall.nft_table", {"state": "absent"})
    assert single.shell("nft1", "nft list table ip other") == before


def test_absent_removes_the_table_and_its_persisted_file(single):
    single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    assert "inet-purecloud.nft" in single.shell("nft1", "cat /etc/nftables.conf")
    gone = single.module("nft1", "purecloud.firewall.nft_table", {"state": "absent"}, diff=True)
    assert gone["changed"] is True and "table inet purecloud" in gone["diff"]["before"]
    assert "purecloud" not in single.shell("nft1", "nft list tables")
    assert "inet-purecloud.nft" not in single.shell("nft1", "cat /etc/nftables.conf; ls /etc/nftables.d")
    assert single.module("nft1", "purecloud.firewall.nft_table", {"state": "absent"})["changed"] is False


def test_a_state_that_would_cut_ssh_is_refused_before_anything_changes(single):
    single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    before = single.shell("nft1", "nft list table inet purecloud")
    locked_out = dict(GATEWAY, management={"sources": ["203.0.113.0/24"]})
    result = single.module("nft1", "purecloud.firewall.nft_table", locked_out)
    assert result.get("failed") and "does not cover this SSH session from 198.51.100.1 to port 22" in result["msg"]
    no_allowance = dict(GATEWAY)
    no_allowance.pop("management")
    assert single.module("nft1", "purecloud.firewall.nft_table", no_allowance).get("failed")
    assert single.shell("nft1", "nft list table inet purecloud") == before


@pytest.mark.parametrize("args, message", [
    ({"chains": [{"name": "in put", "hook": "input"}]}, "bad chain name 'in put'"),
    ({"chains": [{"name": "input", "hook": "input"}], "rules": [{"chain": "output", "rule": "accept"}]},
     "unknown chain 'output'; the table has: input"),
    ({"sets": [{"name": "s", "type": "ipv4_addr", "elements": ["2001:db8::1"]}]}, "2001:db8::1 is IPv6"),
    ({"chains": [{"name": "input", "hook": "input"}], "rules": [{"chain": "input", "rule": "tcp dport 22 acept"}]},
     r"nft refuses the table inet purecloud: .*syntax error(.|\n)*tcp dport 22 acept"),
])
def test_bad_input_is_refused_with_the_value_named(single, args, message):
    single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    before = single.shell("nft1", "nft list table inet purecloud")
    result = single.module("nft1", "purecloud.firewall.nft_table", args)
    assert result.get("failed"), result
    assert __import__("re").search(message, result["msg"]), result["msg"]
    assert single.shell("nft1", "nft list table inet purecloud") == before


def wait_until(condition, deadline):
    """Poll ``condition`` every half second until it holds or the deadline (epoch seconds) passes."""
    while not condition() and time.time() < deadline:
        time.sleep(0.5)


def test_rollback_restores_the_previous_table_when_the_controller_never_confirms(single):
    single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    before = single.shell("nft1", "nft list table inet purecloud")
    risky = dict(GATEWAY, rules=GATEWAY["rules"] + [{"chain": "forward", "rule": "udp dport 5000 accept"}],
                 rollback_timeout=8)  # room to look at the change on a busy machine before the timer fires
    applied = single.module("nft1", "purecloud.firewall.nft_table", risky)
    assert applied["changed"] and applied["rollback"]["deadline"] > time.time()
    assert "udp dport 5000 accept" in single.shell("nft1", "nft list table inet purecloud")
    # The controller is "lost": nobody confirms; the host restores by itself once the timer fires.
    wait_until(lambda: single.shell("nft1", "nft list table inet purecloud") == before,
               deadline=applied["rollback"]["deadline"] + 20)
    assert single.shell("nft1", "nft list table inet purecloud") == before
    assert "udp dport 5000" not in single.shell("nft1", "cat /etc/nftables.d/inet-purecloud.nft")
    late = single.module("nft1", "purecloud.firewall.nft_table", {"confirm_rollback": True})
    assert late.get("failed") and "too late" in late["msg"]


def test_a_confirmed_apply_stays(single):
    single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
    # Long enough that a busy controller still confirms in time; the timer is then waited out.
    wanted = dict(GATEWAY, rules=GATEWAY["rules"] + [{"chain": "forward", "rule": "udp dport 5001 accept"}],
                  rollback_timeout=8)
    assert single.module("nft1", "purecloud.firewall.nft_table", wanted)["changed"]
    confirmed = single.module("nft1", "purecloud.firewall.nft_table", {"confirm_rollback": True})
    assert confirmed["changed"] is True, confirmed
    time.sleep(10)
    assert "udp dport 5001 accept" in single.shell("nft1", "nft list table inet purecloud")


def test_the_table_survives_a_restart_of_nftables_service(systemd_hosts):
    result = systemd_hosts.module("sysnft", "purecloud.firewall.nft_table", GATEWAY)
    assert result["changed"] is True
    live = systemd_hosts.shell("sysnft", "nft list table inet purecloud")
    systemd_hosts.shell("sysnft", "systemctl restart nftables.service")  # flush ruleset, then the config
    assert systemd_hosts.shell("sysnft", "nft list table inet purecloud") == live
    assert systemd_hosts.module("sysnft", "purecloud.firewall.nft_table", GATEWAY)["changed"] is False


def test_firewalld_s_dns_guard_table_comes_back_with_firewalld_after_a_reboot(systemd_hosts):
    """DNS-fed sets on firewalld: the guard table is loaded by a unit firewalld.service wants, not nftables.service."""
    args = {"products": ["webrtc_client"], "region": "us-east-1", "mode": "host", "host_class": "workstation",
            "egress_filtering": True, "default_policy": "drop", "cloud_destinations": "domains",
            "internal_dns": True, "dns_upstream": ["198.51.100.53"], "management": {"sources": ["198.51.100.0/25"]}}
    # The lab masks the services the machine itself runs at boot; a host that uses dnsmasq has it unmasked.
    systemd_hosts.shell("sysfw", "systemctl unmask dnsmasq.service")
    result = systemd_hosts.module("sysfw", "purecloud.firewall.apply", args)
    assert not result.get("failed"), result.get("msg")
    assert result["dns_guard"]["changed"] and result["dnsmasq"]["service"] == "restarted"
    unit = "purecloud-firewall-inet-purecloud_dns.service"
    assert systemd_hosts.shell("sysfw", "systemctl is-enabled %s dnsmasq.service" % unit).split() == ["enabled"] * 2
    assert "nftables.d" not in (systemd_hosts.shell("sysfw", "cat /etc/nftables.conf 2>/dev/null || true"))
    # As at boot: no table, then firewalld starts, and the unit it wants loads the table.
    systemd_hosts.shell("sysfw", "nft delete table inet purecloud_dns && systemctl restart firewalld.service")
    # The unit starts once firewalld has: wait for it, 10 s at most.
    listed = systemd_hosts.shell("sysfw", "for i in $(seq 50); do nft list table inet purecloud_dns 2>/dev/null "
                                          "&& break; sleep 0.2; done")
    assert "set purecloud_dns_v4" in listed and "tcp dport { 443, 3478, 5222, 19302 } drop" in listed
    again = systemd_hosts.module("sysfw", "purecloud.firewall.apply", args)
    assert again["changed"] is False, again
    gone = systemd_hosts.module("sysfw", "purecloud.firewall.apply", dict(args, state="absent"))
    assert not gone.get("failed"), gone.get("msg")
    assert systemd_hosts.shell("sysfw", "ls /etc/systemd/system /etc/dnsmasq.d").count("purecloud") == 0


@pytest.mark.skipif(not os.path.exists(SHARED_FEED), reason="the real AWS feed (../shared/data) is not present")
def test_a_large_set_from_the_real_feed(single):
    v4, v6 = us_east_1_prefixes()
    strict = dict(GATEWAY, sets=GATEWAY["sets"] + [
        {"name": "aws4", "type": "ipv4_addr", "flags": ["interval"], "elements": v4},
        {"name": "aws6", "type": "ipv6_addr", "flags": ["interval"], "elements": v6}],
        rules=GATEWAY["rules"] + [{"chain": "forward", "rule": "ip daddr @aws4 tcp dport 443 accept"},
                                  {"chain": "forward", "rule": "ip6 daddr @aws6 tcp dport 443 accept"}])
    assert single.module("nft1", "purecloud.firewall.nft_table", strict)["changed"] is True
    counted = single.shell("nft1", "nft -j list set inet purecloud aws4")
    assert len(json.loads(counted)["nftables"][1]["set"]["elem"]) == len(v4)
    assert single.module("nft1", "purecloud.firewall.nft_table", strict)["changed"] is False


def test_rhel_layout_persists_under_etc_nftables_and_sysconfig(single):
    fresh(single, "nft1")
    single.shell("nft1", "mkdir -p /etc/sysconfig && printf '# RHEL: include files here\\n' > /etc/sysconfig/nftables.conf")
    try:
        result = single.module("nft1", "purecloud.firewall.nft_table", GATEWAY)
        assert result["persist_path"] == "/etc/nftables/inet-purecloud.nft"
        assert 'include "/etc/nftables/inet-purecloud.nft"' in single.shell("nft1", "cat /etc/sysconfig/nftables.conf")
        # What the RHEL unit runs at boot: nft -f /etc/sysconfig/nftables.conf, after a flush.
        single.shell("nft1", "nft flush ruleset && nft -f /etc/sysconfig/nftables.conf")
        assert 'comment "edge.media.srtp_turn"' in single.shell("nft1", "nft list table inet purecloud")
        single.module("nft1", "purecloud.firewall.nft_table", {"state": "absent"})
        assert "inet-purecloud" not in single.shell("nft1", "cat /etc/sysconfig/nftables.conf; ls /etc/nftables")
    finally:
        single.shell("nft1", "rm -rf /etc/sysconfig/nftables.conf /etc/nftables")
