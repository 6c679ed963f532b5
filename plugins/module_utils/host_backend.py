# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run every host firewall module makes, whatever the firewall behind it.

A backend (nftables, firewalld) says how its state is wanted, read,
compared, applied and saved; :class:`HostBackend` runs those steps in one
order and keeps, once for every backend, the promises a host module makes:

- the SSH session Ansible rides on is never cut: a state that would refuse
  it is refused before anything on the host changes, unless the management
  allowance covers the session;
- the management allowance (the ``management`` option, SSH sources and port)
  is always kept open, accepted ahead of the collection's own rules;
- with ``rollback_timeout``, a restore timer is armed before the change and
  puts the previous state back unless ``confirm_rollback`` cancels it;
- check mode reports the change and makes none; the result always has
  ``changed``, the backend's own values, ``diff`` when the backend gives one
  and ``rollback`` when a timer was armed.

Runs on the managed host (Python 3.9 and later), so it uses only the
standard library and what AnsibleModule gives.
"""

from __future__ import annotations

import abc
import os
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Type

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import IPNetwork, contains, network
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

# Where pending rollbacks are recorded: a tmpfs, so a reboot forgets them (the persisted state is restored too).
ROLLBACK_ROOT = "/run/purecloud-firewall"

# The options every module that applies a host state shares (nft_table, firewalld_state; apply has management).
MANAGEMENT_OPTION: Dict[str, Any] = dict(type="dict", options=dict(
    sources=dict(type="list", elements="str", default=[]),
    port=dict(type="int", default=22),
))
ROLLBACK_OPTIONS: Dict[str, Dict[str, Any]] = dict(
    rollback_timeout=dict(type="int", default=0),
    confirm_rollback=dict(type="bool", default=False),
)


class SshSession(NamedTuple):
    """The SSH connection the module runs in: the client's address and the server's port."""

    client: str
    port: int


def ssh_session(environ: Mapping[str, str]) -> Optional[SshSession]:
    """(client address, server port) of the SSH session the module runs in, if any."""
    parts = environ.get("SSH_CONNECTION", "").split()
    if len(parts) != 4:
        return None
    try:
        return SshSession(str(network(parts[0].split("%")[0]).network_address), int(parts[3]))
    except (PurecloudFirewallError, ValueError):
        return None


def ssh_server_address(environ: Mapping[str, str]) -> Optional[str]:
    """The host's own address the SSH session arrived at, as sshd gives it."""
    parts = environ.get("SSH_CONNECTION", "").split()
    return parts[2] if len(parts) == 4 else None


class Management:
    """The management allowance: SSH from ``sources`` to ``port`` is always let in.

    Built from the module's ``management`` option (or None); a source that is
    not a network fails here, naming it, before anything else is decided.
    """

    def __init__(self, option: Optional[Mapping[str, Any]], where: str = "management") -> None:
        self.given = bool(option)
        option = option or {}
        port = option.get("port", 22)
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise PurecloudFirewallError("%s.port is %r: the SSH port, 1 to 65535" % (where, port))
        self.port = port
        self.sources: List[str] = [str(source) for source in option.get("sources") or []]
        self.networks: List[IPNetwork] = []
        for source in self.sources:
            try:
                self.networks.append(network(source))
            except PurecloudFirewallError:
                raise PurecloudFirewallError("%s.sources: bad CIDR %r; a network such as 198.51.100.0/25"
                                             % (where, source)) from None

    def covers(self, session: SshSession) -> bool:
        """Whether the allowance lets ``session`` in whatever the rest of the state says."""
        return session.port == self.port and any(contains(source, session.client) for source in self.networks)

    def networks_of(self, version: int) -> List[str]:
        """The sources of one IP version, normalised, in the order given."""
        return [str(source) for source in self.networks if source.version == version]

    def describe(self) -> str:
        if not self.given:
            return "none given"
        return "sources %s, port %s" % (", ".join(self.sources) or "none", self.port)


@dataclass
class Change:
    """What one run would change; a backend's plan extends it with what its apply needs.

    ``risky`` says the change could lose the SSH session (the live firewall
    gets stricter, or may): only such a change is worth a rollback timer.
    """

    changed: bool
    risky: bool
    result: Dict[str, Any] = field(default_factory=dict)
    diff: Optional[Dict[str, str]] = None


class HostBackend(abc.ABC):
    """One run of a host firewall module; subclasses say how their firewall does each step.

    :meth:`run` is the whole run: confirm a pending rollback, or else want,
    guard, open management, read, plan, stop in check mode, arm the
    rollback, apply.  Hooks a backend implements: :meth:`desired_state`,
    :meth:`session_blocked`, :meth:`allow_management`, :meth:`read_live`,
    :meth:`plan`, :meth:`apply`, :meth:`prepare_rollback` and the rollback's
    names (:attr:`rollback_marker`, :meth:`rollback_info`, :attr:`scope`,
    :attr:`whole`).
    """

    def __init__(self, module: Any, environ: Optional[Mapping[str, str]] = None,
                 rollback_root: str = ROLLBACK_ROOT) -> None:
        self.module = module
        self.params: Mapping[str, Any] = module.params
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.rollback_root = rollback_root

    # ----------------------------------------------------------- the run
    def run(self) -> Dict[str, Any]:
        """The module's result; a refusal raises PurecloudFirewallError before the host changes."""
        if self.params["confirm_rollback"]:
            return self.confirm_rollback()
        try:
            return self._reconcile()
        finally:
            self.close()

    def _reconcile(self) -> Dict[str, Any]:
        desired = self.desired_state()
        if desired is not None:
            management = Management(self.params.get("management"))
            self.refuse_cutting_ssh(desired, management)
            if management.networks:
                desired = self.allow_management(desired, management)
        change = self.plan(desired, self.read_live())
        result = dict(change.result, changed=change.changed)
        if change.diff is not None:
            result["diff"] = change.diff
        if self.module.check_mode or not change.changed:
            return result
        if change.risky and self.params["rollback_timeout"] > 0:
            result["rollback"] = self.arm_rollback(change)  # before the change: it must survive losing us
        result.update(self.apply(change))
        return result

    # ------------------------------------------------- the SSH-session guard
    def session_cut_reason(self, desired: Any, management: Management) -> str:
        """Why applying ``desired`` could cut the SSH session the module runs in, or "" when it cannot."""
        session = ssh_session(self.environ)
        if session is None or management.covers(session):
            return ""  # not over SSH (a local run), or the allowance lets the session in first
        return self.session_blocked(desired, session, management)

    def refuse_cutting_ssh(self, desired: Any, management: Management) -> None:
        reason = self.session_cut_reason(desired, management)
        if reason:
            raise PurecloudFirewallError("refusing to apply: %s" % reason)

    # ------------------------------------------------------------ rollback
    def arm_rollback(self, change: Change) -> Dict[str, Any]:
        """Save what ``change`` replaces; a detached timer restores it unless confirmed in time."""
        timeout = self.params["rollback_timeout"]
        marker = self.rollback_marker
        if os.path.exists(marker + ".done"):
            os.unlink(marker + ".done")  # an earlier timer's restore; this one supersedes it
        restore = self.prepare_rollback(change, timeout)
        # Detached in its own session; it lets go of our pipes at once, so the module returns.
        script = ('exec </dev/null >/dev/null 2>&1; sleep %d; if [ -e "%s" ]; then %s; mv "%s" "%s.done"; fi'
                  % (timeout, marker, restore, marker, marker))
        self.run_command([self.module.get_bin_path("setsid", required=True), "-f", "/bin/sh", "-c", script])
        armed: Dict[str, Any] = {"deadline": int(time.time()) + timeout}
        armed.update(self.rollback_info())
        return armed

    def confirm_rollback(self) -> Dict[str, Any]:
        """Cancel the pending rollback: the timer then finds no marker and restores nothing."""
        marker = self.rollback_marker
        if os.path.exists(marker):
            if not self.module.check_mode:
                os.unlink(marker)
            return {"changed": True, "msg": "rollback%s cancelled" % (" of " + self.scope if self.scope else "")}
        if os.path.exists(marker + ".done"):
            raise PurecloudFirewallError("too late: the host already restored the previous %s (no confirmation in "
                                         "time)" % self.whole)
        return {"changed": False, "msg": "no rollback pending%s" % (" for " + self.scope if self.scope else "")}

    # ------------------------------------------------------------- helpers
    def run_command(self, args: Sequence[str], data: Optional[str] = None, check: bool = True,
                    ) -> Tuple[int, str, str]:
        rc, out, err = self.module.run_command(list(args), data=data, binary_data=data is not None)
        if check and rc != 0:
            raise PurecloudFirewallError("%s failed: %s" % (" ".join(args), (err or out).strip()))
        return rc, out, err

    @staticmethod
    def read_file(path: str) -> Optional[str]:
        try:
            with open(path) as handle:
                return handle.read()
        except OSError:
            return None

    @staticmethod
    def write_file(path: str, text: str, mode: int = 0o600) -> None:
        """Write ``path`` whole or not at all: a reader never sees half a file."""
        directory = os.path.dirname(path)
        os.makedirs(directory, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=directory, prefix=".purecloud-")
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.chmod(partial, mode)
        os.rename(partial, path)

    def close(self) -> None:
        """Let go of what the run made for itself (temporary files); called after every run."""

    # --------------------------------------------------------------- hooks
    @abc.abstractmethod
    def desired_state(self) -> Any:
        """The state the module's arguments declare, validated; None when they ask to remove all the backend owns."""

    @abc.abstractmethod
    def session_blocked(self, desired: Any, session: SshSession, management: Management) -> str:
        """Why ``desired`` would not let ``session`` reach this host's SSH, or "" when it does.

        Asked only for a session the management allowance does not cover.
        """

    @abc.abstractmethod
    def allow_management(self, desired: Any, management: Management) -> Any:
        """``desired`` with SSH from the management sources accepted ahead of its own rules."""

    @abc.abstractmethod
    def read_live(self) -> Any:
        """The live state of what the backend owns, in the form :meth:`plan` compares."""

    @abc.abstractmethod
    def plan(self, desired: Any, live: Any) -> Change:
        """What reaching ``desired`` from ``live`` changes; nothing on the host changes here."""

    @abc.abstractmethod
    def apply(self, change: Change) -> Dict[str, Any]:
        """Make ``change``; returns result values that only the apply knows."""

    @abc.abstractmethod
    def prepare_rollback(self, change: Change, timeout: int) -> str:
        """Save what ``change`` replaces and create :attr:`rollback_marker`; the shell commands that restore it."""

    @property
    @abc.abstractmethod
    def rollback_marker(self) -> str:
        """The file that exists while a rollback is pending; the timer renames it to ``<marker>.done``."""

    @abc.abstractmethod
    def rollback_info(self) -> Dict[str, str]:
        """Where the pending rollback lives, for the result's ``rollback`` beside the deadline."""

    @property
    @abc.abstractmethod
    def scope(self) -> str:
        """What a rollback covers in its messages ("inet purecloud"); "" for the backend's whole configuration."""

    @property
    @abc.abstractmethod
    def whole(self) -> str:
        """What the timer restores, in its messages: "inet purecloud table", "firewalld configuration"."""


def run_module(module: Any, backend_class: Type[HostBackend]) -> None:
    """Build the backend for ``module``, run it and end the module with its result or its refusal."""
    try:
        result = backend_class(module).run()
    except PurecloudFirewallError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(**result)
