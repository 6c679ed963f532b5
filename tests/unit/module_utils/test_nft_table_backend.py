# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nft_table backend's run against a fake nft: what it lists, loads, arms and applies, and when."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.nft import NftTable
from ansible_collections.purecloud.firewall.plugins.modules.nft_table import ARGUMENT_SPEC
from host_fakes import FakeModule

HOST = {"chains": [{"name": "input", "hook": "input", "policy": "drop"}],
        "rules": [{"chain": "input", "rule": "ct state established,related accept"}],
        "persist": False}
SSH = {"SSH_CONNECTION": "198.51.100.1 50123 198.51.100.12 22"}


def listing(*rules):
    """nft's JSON listing of the table with ``rules`` (stand-ins for rule expressions) in its input chain."""
    items = [{"metainfo": {"version": "1.0.6"}}, {"table": {"family": "inet", "name": "purecloud", "handle": 3}}]
    items += [{"rule": {"chain": "input", "handle": 9 + n, "expr": rule}} for n, rule in enumerate(rules)]
    return json.dumps({"nftables": items})


class FakeNft:
    """nft's answers: the live table, as JSON and as text, and the throw-away namespace's listing of a load."""

    def __init__(self, live=None, live_text="table inet purecloud { live }\n", loaded=None, refuse=""):
        self.live, self.live_text = live, live_text  # live None: no such table
        self.loaded = loaded if loaded is not None else listing("wanted")
        self.refuse = refuse
        self.transactions, self.paths = [], []

    def __call__(self, argv, _data):
        program = os.path.basename(argv[0])
        if program == "unshare":
            self.paths.append(argv[-1])
            with open(argv[-1]) as handle:
                self.transactions.append(handle.read())
            if self.refuse:
                return 1, "", self.refuse
            text = "\n@@purecloud@@\ntable inet purecloud { wanted }\n" if "@@purecloud@@" in argv[5] else ""
            return 0, self.loaded + text, ""
        if program == "nft" and argv[1:3] == ["-j", "list"]:
            if self.live is None:
                return 1, "", "Error: No such file or directory; did you mean table 'purecloud' in family inet?"
            return 0, self.live, ""
        if program == "nft" and argv[1] == "list":
            return 0, self.live_text, ""
        return 0, "", ""


def run(tmp_path, args, nft, check_mode=False, diff=False, environ=None):
    module = FakeModule(ARGUMENT_SPEC, args, check_mode=check_mode, diff=diff, answer=nft)
    backend = NftTable(module, environ=environ or {}, rollback_root=str(tmp_path / "run"))
    return module, backend.run()


def nft_runs(module, first):
    """The nft commands of the run whose first argument is ``first`` (-f, list, delete)."""
    return [argv for argv in module.commands("nft") if argv[1] == first]


def test_the_same_table_changes_nothing_and_lists_no_text(tmp_path):
    nft = FakeNft(live=listing("wanted"))
    module, result = run(tmp_path, dict(HOST, rollback_timeout=30), nft)
    assert result["changed"] is False and "diff" not in result
    assert nft_runs(module, "-f") == [] and nft_runs(module, "list") == [] and module.commands("setsid") == []


def test_a_change_is_armed_before_it_is_loaded_and_the_rollback_holds_the_previous_table(tmp_path):
    nft = FakeNft(live=listing("old"))
    module, result = run(tmp_path, dict(HOST, rollback_timeout=30), nft)
    assert result["changed"] is True
    order = [("setsid" if entry[1] == "setsid" else entry[2][1]) for entry in module.log if entry[1] in ("setsid", "nft")]
    assert order == ["-j", "list", "setsid", "-f"]  # live JSON, live text for the rollback, arm, load
    assert not os.path.exists(nft.paths[0])  # the transaction file goes with the run
    rollback_file = str(tmp_path / "run" / "inet-purecloud.rollback.nft")
    assert result["rollback"]["file"] == rollback_file
    with open(rollback_file) as handle:
        assert handle.read() == "table inet purecloud\ndelete table inet purecloud\ntable inet purecloud { live }\n"
    script = module.commands("setsid")[0][-1]
    assert '/usr/bin/nft -f "%s" && rm -f "/etc/nftables.d/inet-purecloud.nft"' % rollback_file in script


def test_diff_mode_shows_both_tables_as_nft_prints_them(tmp_path):
    nft = FakeNft(live=listing("old"))
    _module, result = run(tmp_path, HOST, nft, diff=True)
    assert result["diff"] == {"before": "table inet purecloud { live }\n", "after": "table inet purecloud { wanted }\n"}


def test_check_mode_loads_only_into_the_throw_away_namespace(tmp_path):
    nft = FakeNft(live=None)
    module, result = run(tmp_path, dict(HOST, rollback_timeout=30), nft, check_mode=True)
    assert result["changed"] is True and "rollback" not in result
    assert nft_runs(module, "-f") == [] and module.commands("setsid") == []
    assert len(module.commands("unshare")) == 1


def test_management_is_accepted_first_in_the_input_chain(tmp_path):
    nft = FakeNft(live=None)
    run(tmp_path, dict(HOST, management={"sources": ["198.51.100.0/25"]}), nft, environ=SSH)
    chain = nft.transactions[0].split("chain input {", 1)[1]
    assert chain.split("\n")[2].strip() == 'ip saddr { 198.51.100.0/25 } tcp dport 22 accept comment "purecloud.management"'


def test_a_table_that_would_cut_the_session_is_refused_before_nft_is_asked(tmp_path):
    nft = FakeNft(live=None)
    with pytest.raises(PurecloudFirewallError, match="^refusing to apply: the chain input drops by default and the "
                                                     r"management allowance \(none given\) does not cover this SSH "
                                                     "session from 198.51.100.1 to port 22"):
        run(tmp_path, dict(HOST, rollback_timeout=30), nft, environ=SSH)
    assert nft.transactions == []


def test_a_table_nft_refuses_fails_naming_nft_s_words_and_leaves_no_file(tmp_path):
    nft = FakeNft(live=listing("old"), refuse="/tmp/x.nft:4:20-24: Error: syntax error")
    with pytest.raises(PurecloudFirewallError, match="^nft refuses the table inet purecloud: .*syntax error"):
        run(tmp_path, HOST, nft)
    assert len(nft.paths) == 1 and not os.path.exists(nft.paths[0])


def test_absent_deletes_the_table_without_a_rollback(tmp_path):
    nft = FakeNft(live=listing("old"))
    module, result = run(tmp_path, {"state": "absent", "persist": False, "rollback_timeout": 30}, nft)
    assert result == {"changed": True, "diff": {"before": "table inet purecloud { live }\n", "after": ""}}
    assert nft_runs(module, "delete") == [["/usr/bin/nft", "delete", "table", "inet", "purecloud"]]
    assert module.commands("setsid") == []
    _module, again = run(tmp_path, {"state": "absent", "persist": False}, FakeNft(live=None))
    assert again == {"changed": False, "diff": {"before": "", "after": ""}}


def test_a_persisted_file_out_of_date_is_rewritten_without_touching_the_live_table(tmp_path):
    persist_path = str(tmp_path / "etc" / "inet-purecloud.nft")
    nft = FakeNft(live=listing("wanted"))
    module = FakeModule(ARGUMENT_SPEC, dict(HOST, persist=True, persist_path=persist_path, rollback_timeout=30),
                        answer=nft)
    backend = NftTable(module, environ={}, rollback_root=str(tmp_path / "run"))
    backend.main_conf = str(tmp_path / "etc" / "nftables.conf")
    result = backend.run()
    assert result["changed"] is True and result["persist_path"] == persist_path and "rollback" not in result
    assert nft_runs(module, "-f") == [] and module.commands("setsid") == []
    with open(persist_path) as handle:
        assert handle.read() == nft.transactions[0]
    with open(backend.main_conf) as handle:
        assert handle.read() == '#!/usr/sbin/nft -f\ninclude "%s"\n' % persist_path


def confirm(tmp_path, check_mode=False):
    module = FakeModule(ARGUMENT_SPEC, {"confirm_rollback": True}, check_mode=check_mode)
    return NftTable(module, environ={}, rollback_root=str(tmp_path / "run")).run()


def test_confirming_names_the_table(tmp_path):
    run(tmp_path, dict(HOST, rollback_timeout=30), FakeNft(live=listing("old")))
    assert confirm(tmp_path, check_mode=True) == {"changed": True, "msg": "rollback of inet purecloud cancelled"}
    assert confirm(tmp_path) == {"changed": True, "msg": "rollback of inet purecloud cancelled"}
    assert confirm(tmp_path) == {"changed": False, "msg": "no rollback pending for inet purecloud"}
    (tmp_path / "run" / "inet-purecloud.rollback.nft.done").write_text("restored")  # what the timer leaves
    with pytest.raises(PurecloudFirewallError, match=r"^too late: the host already restored the previous inet "
                                                     r"purecloud table \(no confirmation in time\)$"):
        confirm(tmp_path)


def test_a_table_beside_firewalld_comes_back_at_boot_by_a_unit_of_its_own(tmp_path):
    """nftables.service conflicts with firewalld: its configuration is left alone, a unit firewalld wants loads it."""
    persist_path = str(tmp_path / "etc" / "inet-purecloud_dns.nft")

    def backend_for(args, nft):
        module = FakeModule(ARGUMENT_SPEC, args, answer=nft)
        backend = NftTable(module, environ={}, rollback_root=str(tmp_path / "run"))
        backend.main_conf = str(tmp_path / "etc" / "nftables.conf")
        backend.unit_path = str(tmp_path / "systemd" / "purecloud-firewall-inet-purecloud_dns.service")
        backend.unit_link = str(tmp_path / "systemd" / "firewalld.service.wants" / os.path.basename(backend.unit_path))
        return backend

    args = dict(HOST, name="purecloud_dns", persist=True, persist_with="firewalld", persist_path=persist_path)
    backend = backend_for(args, FakeNft(live=None))
    assert backend.run()["changed"] is True
    with open(backend.unit_path) as handle:
        unit = handle.read()
    assert "After=firewalld.service\n" in unit and "WantedBy=firewalld.service\n" in unit
    assert "ExecStart=%s -f %s\n" % (backend.nft, persist_path) in unit
    assert os.readlink(backend.unit_link) == backend.unit_path
    assert not os.path.exists(backend.main_conf)
    with open(persist_path) as handle:
        assert handle.read().startswith("#!/usr/sbin/nft -f\n")
    gone = backend_for({"state": "absent", "name": "purecloud_dns", "persist_with": "firewalld",
                        "persist_path": persist_path}, FakeNft(live=None))
    assert gone.run()["changed"] is True
    assert not os.path.lexists(backend.unit_link) and not os.path.exists(backend.unit_path)
    assert not os.path.exists(persist_path)


def test_the_live_tables_timeout_sets_are_named_when_it_goes(tmp_path):
    """What filled them (dnsmasq) is told only where there were any: apply removes its drop-in then."""
    live = json.dumps({"nftables": [{"metainfo": {"version": "1.0.6"}},
                                    {"table": {"family": "inet", "name": "purecloud", "handle": 3}},
                                    {"set": {"family": "inet", "name": "purecloud_dns_v4", "table": "purecloud",
                                             "type": "ipv4_addr", "handle": 4, "flags": ["timeout"], "timeout": 60}}]})
    _module, result = run(tmp_path, {"state": "absent", "persist": False}, FakeNft(live=live))
    assert result["changed"] is True and result["timeout_sets"] == ["purecloud_dns_v4"]
    _module, plain = run(tmp_path, {"state": "absent", "persist": False}, FakeNft(live=listing("old")))
    assert "timeout_sets" not in plain
