# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run every host backend shares: its order, check mode, the SSH guard, management, rollback, the result."""

from __future__ import annotations

import os

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.host_backend import (
    MANAGEMENT_OPTION,
    ROLLBACK_OPTIONS,
    Change,
    HostBackend,
    Management,
    SshSession,
    run_module,
    ssh_server_address,
)
from host_fakes import FakeModule

TOY_SPEC = dict(words=dict(type="list", elements="str", default=[]),
                state=dict(type="str", default="present", choices=["present", "absent"]),
                management=MANAGEMENT_OPTION, **ROLLBACK_OPTIONS)
SSH = {"SSH_CONNECTION": "198.51.100.1 50123 198.51.100.12 22"}


class Toy(HostBackend):
    """A firewall that is a set of words: enough to watch the base run its steps, in order."""

    def __init__(self, module, live=(), blocked="", **kwargs):
        super().__init__(module, **kwargs)
        self.live, self.blocked = set(live), blocked

    def note(self, *entry):
        self.module.log.append(entry)

    def desired_state(self):
        self.note("desired")
        return None if self.params["state"] == "absent" else set(self.params["words"])

    def session_blocked(self, desired, session, management):
        self.note("guard", session)
        return self.blocked

    def allow_management(self, desired, management):
        self.note("management", management.port)
        return desired | set("ssh from %s" % source for source in management.sources)

    def read_live(self):
        self.note("read")
        return set(self.live)

    def plan(self, desired, live):
        self.note("plan")
        after = desired if desired is not None else set()
        return Change(changed=after != live, risky=bool(after - live), result={"words": sorted(after)},
                      diff={"before": " ".join(sorted(live)), "after": " ".join(sorted(after))})

    def apply(self, change):
        self.note("apply")
        self.live = set(change.result["words"])
        return {"applied": True}

    def prepare_rollback(self, change, timeout):
        self.note("save", timeout)
        self.write_file(self.rollback_marker, "restore me")
        return "restore the words"

    @property
    def rollback_marker(self):
        return os.path.join(self.rollback_root, "toy.pending")

    def rollback_info(self):
        return {"file": self.rollback_marker}

    scope = "toy"
    whole = "toy table"

    def close(self):
        self.note("close")


@pytest.fixture
def toy(tmp_path):
    def make(args, check_mode=False, environ=None, **kwargs):
        module = FakeModule(TOY_SPEC, args, check_mode=check_mode)
        return Toy(module, environ=environ if environ is not None else {}, rollback_root=str(tmp_path), **kwargs)
    return make


def steps(backend):
    return [entry[0] if entry[0] != "run" else entry[1] for entry in backend.module.log]


def test_a_change_runs_every_step_in_order_and_arms_the_rollback_before_applying(toy):
    backend = toy({"words": ["a", "b"], "rollback_timeout": 30, "management": {"sources": ["198.51.100.0/25"]}},
                  environ={"SSH_CONNECTION": "203.0.113.9 50123 198.51.100.12 22"})
    result = backend.run()
    assert steps(backend) == ["desired", "guard", "management", "read", "plan", "save", "setsid", "apply", "close"]
    assert result["changed"] is True and result["applied"] is True
    assert result["words"] == ["a", "b", "ssh from 198.51.100.0/25"]
    assert result["diff"] == {"before": "", "after": "a b ssh from 198.51.100.0/25"}
    assert set(result["rollback"]) == {"deadline", "file"}


def test_check_mode_stops_after_the_plan(toy):
    backend = toy({"words": ["a"], "rollback_timeout": 30}, check_mode=True)
    result = backend.run()
    assert steps(backend) == ["desired", "read", "plan", "close"]
    assert result == {"changed": True, "words": ["a"], "diff": {"before": "", "after": "a"}}


def test_nothing_to_change_is_neither_armed_nor_applied(toy):
    backend = toy({"words": ["a"], "rollback_timeout": 30}, live=["a"])
    assert backend.run()["changed"] is False
    assert "apply" not in steps(backend) and "setsid" not in steps(backend)


def test_a_change_that_cannot_cut_the_session_gets_no_rollback(toy):
    backend = toy({"words": ["a"], "rollback_timeout": 30}, live=["a", "b"])  # only takes a word away
    result = backend.run()
    assert result["changed"] is True and "rollback" not in result
    assert steps(backend)[-2:] == ["apply", "close"] and "setsid" not in steps(backend)


def test_no_rollback_without_a_timeout(toy):
    backend = toy({"words": ["a"]})
    assert "rollback" not in backend.run() and "setsid" not in steps(backend)


# ------------------------------------------------------------------ the SSH guard
def test_a_state_that_would_cut_the_session_is_refused_before_the_live_state_is_read(toy):
    backend = toy({"words": ["a"], "rollback_timeout": 30}, environ=SSH, blocked="zone x drops it")
    with pytest.raises(PurecloudFirewallError, match="^refusing to apply: zone x drops it$"):
        backend.run()
    assert steps(backend) == ["desired", "guard", "close"]
    assert backend.module.log[1] == ("guard", SshSession("198.51.100.1", 22))


def test_a_session_the_management_covers_is_never_in_question(toy):
    backend = toy({"words": ["a"], "management": {"sources": ["198.51.100.0/25"]}}, environ=SSH, blocked="cut")
    assert backend.run()["changed"] is True
    assert "guard" not in steps(backend)


def test_a_local_run_has_no_session_to_guard(toy):
    backend = toy({"words": ["a"]}, blocked="cut")
    assert backend.run()["changed"] is True
    assert "guard" not in steps(backend)


def test_removing_everything_needs_neither_guard_nor_management(toy):
    backend = toy({"state": "absent", "management": {"sources": ["not a network"]}}, environ=SSH, blocked="cut",
                  live=["a"])
    assert backend.run()["changed"] is True
    assert steps(backend) == ["desired", "read", "plan", "apply", "close"]


def test_management_without_sources_adds_nothing(toy):
    backend = toy({"words": ["a"], "management": {"port": 2222}})
    backend.run()
    assert "management" not in steps(backend)


def test_the_backend_closes_what_it_opened_even_when_it_fails(toy):
    backend = toy({"words": ["a"]})

    def failing_plan(desired, live):
        raise PurecloudFirewallError("no")

    backend.plan = failing_plan
    with pytest.raises(PurecloudFirewallError):
        backend.run()
    assert steps(backend)[-1] == "close"


# ------------------------------------------------------------------ management
@pytest.mark.parametrize("option, session, covered", [
    ({"sources": ["198.51.100.0/25"], "port": 22}, SshSession("198.51.100.1", 22), True),
    ({"sources": ["198.51.100.0/25"], "port": 22}, SshSession("198.51.100.200", 22), False),
    ({"sources": ["198.51.100.0/25"], "port": 2222}, SshSession("198.51.100.1", 22), False),
    ({"sources": ["198.51.100.1"]}, SshSession("198.51.100.1", 22), True),  # an address is a /32
    ({"sources": ["2001:db8::/64"]}, SshSession("2001:db8::7", 22), True),
    ({"sources": ["2001:db8::/64"]}, SshSession("198.51.100.1", 22), False),
    (None, SshSession("198.51.100.1", 22), False),
])
def test_management_covers_its_sources_on_its_port(option, session, covered):
    assert Management(option).covers(session) is covered


def test_management_sources_by_version_and_described():
    management = Management({"sources": ["198.51.100.7/25", "2001:db8::/64", "203.0.113.0/24"], "port": 2222})
    assert management.networks_of(4) == ["198.51.100.0/25", "203.0.113.0/24"]
    assert management.networks_of(6) == ["2001:db8::/64"]
    assert management.describe() == "sources 198.51.100.7/25, 2001:db8::/64, 203.0.113.0/24, port 2222"
    assert Management(None).describe() == "none given"
    assert Management({"sources": [], "port": 22}).describe() == "sources none, port 22"


def test_a_bad_management_source_is_named():
    with pytest.raises(PurecloudFirewallError, match="^management.sources: bad CIDR '198.51.100.0/33'; a network such as 198.51.100.0/25$"):
        Management({"sources": ["198.51.100.0/33"]})


def test_the_server_address_of_the_session():
    assert ssh_server_address(SSH) == "198.51.100.12"
    assert ssh_server_address({}) is None


# ------------------------------------------------------------------ rollback
def test_the_timer_restores_unless_the_marker_is_gone(toy, tmp_path):
    backend = toy({"words": ["a"], "rollback_timeout": 45})
    result = backend.run()
    marker = str(tmp_path / "toy.pending")
    argv = backend.module.commands("setsid")[0]
    assert argv[:4] == ["/usr/bin/setsid", "-f", "/bin/sh", "-c"]
    assert argv[4] == ('exec </dev/null >/dev/null 2>&1; sleep 45; if [ -e "%s" ]; then restore the words; '
                       'mv "%s" "%s.done"; fi' % (marker, marker, marker))
    assert result["rollback"]["file"] == marker and os.path.exists(marker)


def test_confirming(toy, tmp_path):
    toy({"words": ["a"], "rollback_timeout": 45}).run()
    assert toy({"confirm_rollback": True}, check_mode=True).run() == {"changed": True, "msg": "rollback of toy cancelled"}
    assert os.path.exists(str(tmp_path / "toy.pending"))
    confirmed = toy({"confirm_rollback": True})
    assert confirmed.run() == {"changed": True, "msg": "rollback of toy cancelled"}
    assert steps(confirmed) == []  # nothing read, planned or applied
    assert toy({"confirm_rollback": True}).run() == {"changed": False, "msg": "no rollback pending for toy"}


def test_confirming_after_the_timer_ran_is_too_late_until_a_new_rollback_is_armed(toy, tmp_path):
    (tmp_path / "toy.pending.done").write_text("restored")
    with pytest.raises(PurecloudFirewallError, match=r"^too late: the host already restored the previous toy table "
                                                     r"\(no confirmation in time\)$"):
        toy({"confirm_rollback": True}).run()
    toy({"words": ["a"], "rollback_timeout": 45}).run()
    assert toy({"confirm_rollback": True}).run()["changed"] is True
    assert toy({"confirm_rollback": True}).run() == {"changed": False, "msg": "no rollback pending for toy"}


# ------------------------------------------------------------------ the module's end
class Ended(Exception):
    pass


class EndingModule(FakeModule):
    def exit_json(self, **result):
        raise Ended("exit", result)

    def fail_json(self, **result):
        raise Ended("fail", result)


def test_run_module_ends_with_the_result_or_the_refusal(tmp_path):
    class Local(Toy):
        environ = {}

        def __init__(self, module):
            super().__init__(module, environ=self.environ, rollback_root=str(tmp_path), blocked="cut")

    with pytest.raises(Ended) as ended:
        run_module(EndingModule(TOY_SPEC, {"words": ["a"]}), Local)
    assert ended.value.args == ("exit", {"changed": True, "words": ["a"], "diff": {"before": "", "after": "a"},
                                         "applied": True})

    class Remote(Local):
        environ = SSH

    with pytest.raises(Ended) as ended:
        run_module(EndingModule(TOY_SPEC, {"words": ["a"]}), Remote)
    assert ended.value.args == ("fail", {"msg": "refusing to apply: cut"})
