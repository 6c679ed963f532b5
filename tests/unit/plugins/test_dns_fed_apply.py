# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""apply with DNS-fed destinations: what runs on the host, in which order, and what stops it before a change.

The host is a stand-in that answers each module as a host would; the real
runs are the lab's (tests/functional/test_gateway_matrix.py).
"""

from __future__ import annotations

from apply_harness import Host, run_apply

NETWORKS = {"edge": ["198.51.100.128/28"], "bridge_server": ["198.51.100.144/28"],
            "corporate_ad": ["198.51.100.160/28"], "voip_phone": ["198.51.100.192/27"],
            "workstation": ["198.51.100.224/27"]}
SITE = {"purecloud_region": "us-east-1", "purecloud_networks": NETWORKS, "purecloud_cloud_destinations": "domains",
        "purecloud_internal_dns": True, "purecloud_dns_upstream": ["198.51.100.53"],
        "purecloud_firewall_backend": "nftables"}
FIREWALLS = ("purecloud.firewall.nft_table", "purecloud.firewall.firewalld_state")


def apply(host, check_mode=False, **variables):
    return run_apply(host, dict(SITE, **variables), check_mode=check_mode)


def missing_until_installed(programs):
    state = {"installed": False}

    def dropin(args):
        if args.get("validate_only") and not state["installed"]:
            return {"failed": True, "msg": "dnsmasq not installed on this host", "missing": programs}
        return {"changed": not args.get("validate_only")}

    def installer(args):
        state["installed"] = True
        return {"changed": True}
    return dropin, installer


def test_dnsmasq_is_checked_before_the_firewall_and_restarted_after_its_drop_in_changed():
    host = Host(dnsmasq_dropin=lambda args: {"changed": not args.get("validate_only")}, nft_table={"changed": True},
                service={"changed": True})
    result = apply(host)
    assert not result.get("failed"), result.get("msg")
    assert host.modules == ["dnsmasq_dropin", "nft_table", "dnsmasq_dropin", "service"]
    checked, written = host.calls[0][1], host.calls[2][1]
    assert checked["validate_only"] and checked["content"] == written["content"]
    assert "nftset=/cloudfront.net/mypurecloud.com/" in written["content"]
    assert host.calls[3][1] == {"name": "dnsmasq", "state": "restarted", "enabled": True}
    assert result["dnsmasq"]["service"] == "restarted" and result["changed"]


def test_dnsmasq_is_reloaded_only_when_the_sets_were_made_anew_and_else_only_kept_running():
    created = Host(nft_table={"changed": True, "created": True})
    assert apply(created)["dnsmasq"]["service"] == "reloaded"
    replaced = Host(nft_table={"changed": True})  # the replaced table kept its elements: the cache stays
    assert apply(replaced)["dnsmasq"]["service"] == "started"
    assert replaced.calls[-1][1] == {"name": "dnsmasq", "state": "started", "enabled": True}


def test_a_missing_dnsmasq_is_installed_before_anything_changes():
    dropin, installer = missing_until_installed(["dnsmasq"])
    host = Host(dnsmasq_dropin=dropin, setup={"ansible_facts": {"ansible_pkg_mgr": "apt"}}, apt=installer)
    result = apply(host)
    assert not result.get("failed"), result.get("msg")
    assert host.modules[:5] == ["dnsmasq_dropin", "setup", "apt", "dnsmasq_dropin", "nft_table"]
    assert host.calls[2][1] == {"name": ["dnsmasq"], "state": "present"}


def test_dnsmasq_that_cannot_be_installed_stops_the_run_before_the_firewall():
    dropin, _installer = missing_until_installed(["dnsmasq"])
    failing = Host(dnsmasq_dropin=dropin, setup={"ansible_facts": {"ansible_pkg_mgr": "apt"}},
                   apt={"failed": True, "msg": "No package matching 'dnsmasq' is available"})
    result = apply(failing)
    assert result["failed"] and result["msg"] == (
        "purecloud.firewall.apply: dnsmasq not installed on this host and apt could not install dnsmasq: "
        "No package matching 'dnsmasq' is available")
    assert not [name for name, _args in failing.calls if name in FIREWALLS]
    unknown = Host(dnsmasq_dropin=dropin, setup={"ansible_facts": {"ansible_pkg_mgr": "pacman"}})
    result = apply(unknown)
    assert "its package manager (pacman) is none this collection installs with (apt, dnf, dnf5): install dnsmasq" \
        in result["msg"]
    assert not [name for name, _args in unknown.calls if name in FIREWALLS]


def test_bad_settings_fail_on_the_controller_before_any_module_runs():
    host = Host()
    result = apply(host, purecloud_dns_upstream=[])
    assert result["failed"] and "purecloud_dns_upstream: the resolvers dnsmasq forwards to" in result["msg"]
    result = apply(host, purecloud_cloud_destinations="domain")
    assert result["failed"] and "purecloud_cloud_destinations" in result["msg"] and "domains" in result["msg"]
    result = apply(host, purecloud_dns_ttl=0)
    assert result["failed"] and "purecloud_dns_ttl is 0" in result["msg"]
    assert host.calls == []


def test_firewalld_gets_its_guard_table_first_and_nft_is_required_for_it():
    host = Host(firewalld_state={"changed": True, "reloaded": True}, nft_table={"changed": False})
    result = apply(host, purecloud_firewall_backend="firewalld")
    assert not result.get("failed"), result.get("msg")
    # The guard holds the flows to the lookups before firewalld opens them to any address.
    assert host.modules == ["dnsmasq_dropin", "nft_table", "firewalld_state", "dnsmasq_dropin", "service"]
    assert host.calls[0][1]["programs"] == ["nft"]
    guard = host.calls[1][1]
    assert guard["name"] == "purecloud_dns" and guard["persist_with"] == "firewalld"
    assert "#inet#purecloud_dns#purecloud_dns_v4" in host.calls[3][1]["content"]
    # firewalld's reload emptied its own sets, not the guard's: the guard was not made anew.
    assert result["dnsmasq"]["service"] == "started"
    failing = Host(nft_table={"failed": True, "msg": "nft refuses the table"})
    result = apply(failing, purecloud_firewall_backend="firewalld")
    assert result["failed"] and "firewalld is unchanged" in result["msg"]
    assert "firewalld_state" not in failing.modules


def test_a_plan_without_dns_fed_sets_removes_what_an_earlier_one_made():
    guard_gone = {"changed": True, "timeout_sets": ["purecloud_dns_v4"]}  # the guard was there, with its sets
    removal = Host(nft_table=guard_gone)
    apply(removal, purecloud_firewall_backend="firewalld", purecloud_firewall_state="absent")
    assert removal.calls[1:] == [("purecloud.firewall.nft_table", {"name": "purecloud_dns", "state": "absent",
                                                                   "persist_with": "firewalld"}),
                                 ("purecloud.firewall.dnsmasq_dropin", {"state": "absent"})]
    # Back to any address: the guard and the drop-in go; dnsmasq is restarted without them, left enabled as it was.
    back = Host(nft_table=guard_gone, dnsmasq_dropin={"changed": True})
    result = apply(back, purecloud_firewall_backend="firewalld", purecloud_cloud_destinations="any")
    assert not result.get("failed"), result.get("msg")
    assert back.modules == ["firewalld_state", "nft_table", "dnsmasq_dropin", "service"]
    assert back.calls[1][1] == {"name": "purecloud_dns", "state": "absent", "persist_with": "firewalld"}
    assert back.calls[3][1] == {"name": "dnsmasq", "state": "restarted"}
    # On nftables the table itself had the sets: their drop-in goes with them.
    table_had_them = Host(nft_table={"changed": True, "timeout_sets": ["purecloud_dns_v4"]})
    apply(table_had_them, purecloud_cloud_destinations="any")
    assert table_had_them.modules == ["nft_table", "dnsmasq_dropin"]
    # No DNS-fed sets anywhere: nothing else runs on the host.
    nothing = Host()
    apply(nothing, purecloud_cloud_destinations="any")
    assert nothing.modules == ["nft_table"]
    firewalld = Host()
    apply(firewalld, purecloud_firewall_backend="firewalld", purecloud_cloud_destinations="any")
    assert firewalld.modules == ["firewalld_state", "nft_table"]  # the guard table's absence, checked


def test_a_dnsmasq_that_does_not_start_with_the_new_drop_in_gets_the_old_one_back():
    services = []

    def service(args):
        services.append(args)
        return {"failed": True, "msg": "Job for dnsmasq.service failed"} if len(services) == 1 else {"changed": True}

    writes = []

    def dropin(args):
        writes.append(args)
        return {"changed": True, "diff": {"before": "server=198.51.100.9\n", "after": args.get("content", "")}}
    host = Host(dnsmasq_dropin=dropin, service=service)
    result = apply(host)
    assert result["failed"] and "dnsmasq did not start with the new drop-in (Job for dnsmasq.service failed); " \
        "the previous one is back" in result["msg"]
    assert writes[-1] == {"content": "server=198.51.100.9\n"}
    assert services[-1] == {"name": "dnsmasq", "state": "restarted"}


def test_check_mode_writes_nothing_and_restarts_nothing():
    dropin, _installer = missing_until_installed(["dnsmasq"])
    host = Host(dnsmasq_dropin=dropin)
    result = apply(host, check_mode=True)
    assert not result.get("failed"), result.get("msg")
    assert host.modules == ["dnsmasq_dropin", "nft_table", "dnsmasq_dropin"]  # no install, no service
    assert "dnsmasq would be installed" in result["warnings"]
    dropin, _installer = missing_until_installed(["dnsmasq", "nft"])
    firewalld = Host(dnsmasq_dropin=dropin)
    result = apply(firewalld, check_mode=True, purecloud_firewall_backend="firewalld")
    assert not result.get("failed"), result.get("msg")
    assert firewalld.modules == ["dnsmasq_dropin", "firewalld_state", "dnsmasq_dropin"]
    assert "the table purecloud_dns would be created once nft is installed" in result["warnings"]
