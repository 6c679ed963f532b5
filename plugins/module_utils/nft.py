# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One nftables table the collection owns: check, render, compare, persist, apply.

Runs on the managed host (the nft_table module's backend, :class:`NftTable`),
so it uses only the standard library.  The table is applied as one ``nft -f``
transaction that creates, deletes and re-creates it, so nothing outside it
is ever touched and there is no moment with half a rule set.  Desired and
live state are compared in nft's own canonical JSON (the desired table is
loaded into a throw-away network namespace to get it), so a second run
with the same input changes nothing.

A set with a ``timeout`` is filled at run time (by dnsmasq, from the
answers it gives): its elements are not part of the desired state, and a
change of the table carries the live ones over with the time they had left.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs, network
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.host_backend import (
    Change,
    HostBackend,
    Management,
    SshSession,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import normalize_ports, parse_port_spec

FAMILIES = ("inet", "ip", "ip6")
HOOKS = ("prerouting", "input", "forward", "output", "postrouting")
CHAIN_TYPES = ("filter", "nat", "route")
POLICIES = ("accept", "drop")
SET_TYPES = ("ipv4_addr", "ipv6_addr", "inet_service")
SET_FLAGS = ("interval", "constant", "dynamic", "timeout")
PRIORITY_NAMES = ("raw", "mangle", "dstnat", "filter", "security", "srcnat")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
_PRIORITY = re.compile(r"^(-?\d+|(%s)(\s*[-+]\s*\d+)?)$" % "|".join(PRIORITY_NAMES))
_COMMENT = re.compile(r'^[^"\\\n]{0,128}$')


def _name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise PurecloudFirewallError("bad %s name %r: letters, digits and _ (starting with a letter)" % (what, value))
    return value


def _choice(value: Any, what: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise PurecloudFirewallError("bad %s %r; expected one of: %s" % (what, value, ", ".join(allowed)))
    return value


def _comment(value: Any, where: str) -> str:
    text = "" if value is None else str(value)
    if not _COMMENT.match(text):
        raise PurecloudFirewallError('%s: comment %r must be at most 128 characters without " or \\' % (where, text))
    return text


def set_elements(set_type: str, elements: Sequence[Any], interval: bool, where: str) -> List[str]:
    """Validate and normalise set elements; interval sets are merged (nft refuses overlaps)."""
    if set_type == "inet_service":
        if interval:
            return normalize_ports(elements)
        ranges = [parse_port_spec(e) for e in elements]
        if any(first != last for first, last in ranges):
            raise PurecloudFirewallError("%s: port ranges need flags: [interval]" % where)
        return [str(port) for port in sorted(set(first for first, _last in ranges))]
    version = 4 if set_type == "ipv4_addr" else 6
    networks = []
    for element in elements:
        try:
            parsed = network(element)
        except PurecloudFirewallError:
            raise PurecloudFirewallError("%s: bad address %r for a set of type %s" % (where, element, set_type)) from None
        if parsed.version != version:
            raise PurecloudFirewallError("%s: %s is IPv%d; the set holds %s" % (where, element, parsed.version, set_type))
        if not interval and parsed.num_addresses != 1:
            raise PurecloudFirewallError("%s: %s is a network; a set without 'interval' holds addresses" % (where, element))
        networks.append(parsed)
    # nft lists a single address without its /32 or /128; compare in that form.
    single = "/32" if version == 4 else "/128"
    return [cidr[:-len(single)] if cidr.endswith(single) else cidr for cidr in aggregate_cidrs(networks)]


def _set_timeout(value: Any, flags: Sequence[str], elements: Any, where: str) -> Optional[int]:
    """Seconds a run-time element lives; only with flags ``timeout``, whose elements are never given."""
    if value is None:
        if "timeout" in flags:
            raise PurecloudFirewallError("%s: flags timeout needs the set's timeout (seconds)" % where)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 86400 * 30:
        raise PurecloudFirewallError("%s: bad timeout %r; seconds, 1 to %d" % (where, value, 86400 * 30))
    if "timeout" not in flags:
        raise PurecloudFirewallError("%s: a timeout needs flags: [timeout]" % where)
    if elements:
        raise PurecloudFirewallError("%s: a set with a timeout is filled at run time; give it no elements" % where)
    return value


def check_spec(spec: Mapping[str, Any]) -> Dict[str, Any]:
    """Validate the module's table spec; returns a normalised copy.  Errors name the bad value."""
    family = _choice(spec.get("family", "inet"), "family", FAMILIES)
    table = _name(spec.get("name", "purecloud"), "table")
    sets, chains, rules = [], [], []
    set_names = set()
    for index, item in enumerate(spec.get("sets") or []):
        where = "sets[%d]" % index
        name = _name(item.get("name"), "set")
        if name in set_names:
            raise PurecloudFirewallError("%s: duplicate set %r" % (where, name))
        set_names.add(name)
        set_type = _choice(item.get("type"), "set type", SET_TYPES)
        flags = sorted(_choice(f, "set flag", SET_FLAGS) for f in item.get("flags") or [])
        timeout = _set_timeout(item.get("timeout"), flags, item.get("elements"), "%s (%s)" % (where, name))
        elements = set_elements(set_type, item.get("elements") or [], "interval" in flags, "%s (%s)" % (where, name))
        sets.append({"name": name, "type": set_type, "flags": flags, "timeout": timeout, "elements": elements,
                     "comment": _comment(item.get("comment"), where)})
    chain_names = set()
    for index, item in enumerate(spec.get("chains") or []):
        where = "chains[%d]" % index
        name = _name(item.get("name"), "chain")
        if name in chain_names:
            raise PurecloudFirewallError("%s: duplicate chain %r" % (where, name))
        chain_names.add(name)
        chain = {"name": name, "hook": None}
        if item.get("hook") is not None:
            priority = str(item.get("priority", "filter"))
            if not _PRIORITY.match(priority):
                raise PurecloudFirewallError("%s: bad priority %r; a number or one of: %s"
                                             % (where, priority, ", ".join(PRIORITY_NAMES)))
            chain.update(hook=_choice(item["hook"], "hook", HOOKS),
                         type=_choice(item.get("type", "filter"), "chain type", CHAIN_TYPES),
                         priority=priority, policy=_choice(item.get("policy", "accept"), "policy", POLICIES))
        chains.append(chain)
    for index, item in enumerate(spec.get("rules") or []):
        where = "rules[%d]" % index
        chain = item.get("chain")
        if chain not in chain_names:
            raise PurecloudFirewallError("%s: unknown chain %r; the table has: %s"
                                         % (where, chain, ", ".join(sorted(chain_names)) or "(none)"))
        statement = item.get("rule")
        if not isinstance(statement, str) or not statement.strip() or "\n" in statement or ";" in statement:
            raise PurecloudFirewallError("%s: rule must be one nft statement on one line, got %r" % (where, statement))
        rules.append({"chain": chain, "rule": statement.strip(), "comment": _comment(item.get("comment"), where)})
    return {"family": family, "name": table, "sets": sets, "chains": chains, "rules": rules}


def render_table(spec: Mapping[str, Any]) -> str:
    """The table in nft syntax (``spec`` from :func:`check_spec`)."""
    lines = ["table %s %s {" % (spec["family"], spec["name"])]
    for item in spec["sets"]:
        lines.append("\tset %s {" % item["name"])
        lines.append("\t\ttype %s" % item["type"])
        if item["flags"]:
            lines.append("\t\tflags %s" % ",".join(item["flags"]))
        if item.get("timeout"):
            lines.append("\t\ttimeout %ds" % item["timeout"])
        if item["comment"]:
            lines.append('\t\tcomment "%s"' % item["comment"])
        if item["elements"]:
            lines.append("\t\telements = { %s }" % ", ".join(item["elements"]))
        lines.append("\t}")
    for chain in spec["chains"]:
        lines.append("\tchain %s {" % chain["name"])
        if chain["hook"]:
            lines.append("\t\ttype %s hook %s priority %s; policy %s;"
                         % (chain["type"], chain["hook"], chain["priority"], chain["policy"]))
        for rule in spec["rules"]:
            if rule["chain"] == chain["name"]:
                comment = ' comment "%s"' % rule["comment"] if rule["comment"] else ""
                lines.append("\t\t%s%s" % (rule["rule"], comment))
        lines.append("\t}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def replace_transaction(spec: Mapping[str, Any], carried: Optional[Mapping[str, Sequence[str]]] = None) -> str:
    """One transaction that replaces the table whole (and creates it the first time).

    ``carried`` (set name -> elements with their expiry) puts the run-time
    elements of the live table back into the new one, in the same transaction.
    """
    head = "table %s %s\ndelete table %s %s\n" % (spec["family"], spec["name"], spec["family"], spec["name"])
    text = "#!/usr/sbin/nft -f\n# Managed by purecloud.firewall: this table is replaced whole on every change.\n" \
        + head + render_table(spec)
    for name, elements in sorted((carried or {}).items()):
        if elements:
            text += "add element %s %s %s { %s }\n" % (spec["family"], spec["name"], name, ", ".join(elements))
    return text


def run_time_elements(listing: str, spec: Mapping[str, Any]) -> Dict[str, List[str]]:
    """The live elements of ``spec``'s timeout sets, each with the time it has left (rounded up, at most the
    new timeout), from ``nft -j list table``; a set whose type changed starts empty."""
    wanted = dict((s["name"], s) for s in spec["sets"] if s.get("timeout"))
    carried: Dict[str, List[str]] = {}
    for item in json.loads(listing or '{"nftables": []}')["nftables"]:
        live = item.get("set")
        if not live or live.get("name") not in wanted or live.get("type") != wanted[live["name"]]["type"]:
            continue
        timeout = wanted[live["name"]]["timeout"]
        for element in live.get("elem") or []:
            value = element.get("elem", {}) if isinstance(element, dict) else {}
            if isinstance(value.get("val"), str) and isinstance(value.get("expires"), int):
                left = min(value["expires"] + 1, timeout)
                element = "%s timeout %ds expires %ds" % (value["val"], timeout, left)
                carried.setdefault(live["name"], []).append(element)
    return carried


def canonical(listing: str) -> List[Dict[str, Any]]:
    """``nft -j list table`` output without handles and metainfo: comparable across loads."""
    if not listing.strip():
        return []
    try:
        items = json.loads(listing)["nftables"]
    except (ValueError, KeyError, TypeError):
        raise PurecloudFirewallError("cannot read nft's JSON listing: %r" % listing[:200]) from None
    return [_strip(_without_run_time_elements(item)) for item in items if "metainfo" not in item]


def _without_run_time_elements(item: Any) -> Any:
    """A timeout set's elements come and go at run time: they are no part of the table's state."""
    if isinstance(item, dict) and isinstance(item.get("set"), dict) and "timeout" in (item["set"].get("flags") or []):
        return {"set": dict((k, v) for k, v in item["set"].items() if k != "elem")}
    return item


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return dict((k, _strip(v)) for k, v in value.items() if k != "handle")
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def session_blocked(spec: Mapping[str, Any], session: SshSession, management: Management) -> str:
    """Why applying ``spec`` would cut ``session``, which ``management`` does not cover, or "".

    An input-hook chain with policy drop decides new connections to this
    host (and an output-hook one the session's replies); only the management
    allowance, accepted at the top of those chains, would let the session in.
    """
    dropping = [c["name"] for c in spec["chains"] if c["hook"] in ("input", "output") and c["policy"] == "drop"]
    if not dropping:
        return ""
    return ("the chain %s drops by default and the management allowance (%s) does not cover this "
            "SSH session from %s to port %d; add its source to management.sources"
            % (dropping[0], management.describe(), session.client, session.port))


def with_management(spec: Dict[str, Any], management: Management) -> Dict[str, Any]:
    """Accept the management sources' SSH at the top of every input-hook chain, and its replies on output.

    The output rule matters when the table is first loaded: conntrack may
    pick the running session up mid-stream, and its first reply would be
    "new" to an output chain that drops.
    """
    if not management.networks:
        return spec
    first = []
    for chain in spec["chains"]:
        if chain["hook"] not in ("input", "output"):
            continue
        address, direction = ("saddr", "dport") if chain["hook"] == "input" else ("daddr", "sport")
        for version, keyword in ((4, "ip"), (6, "ip6")):
            sources = management.networks_of(version)
            if sources and (spec["family"] == "inet" or spec["family"] == keyword):
                first.append({"chain": chain["name"], "comment": "purecloud.management",
                              "rule": "%s %s { %s } tcp %s %d accept"
                                      % (keyword, address, ", ".join(sources), direction, management.port)})
    return dict(spec, rules=first + list(spec["rules"]))


def add_include(conf_text: str, path: str) -> str:
    """``conf_text`` with an include of ``path`` at its end (unchanged if present)."""
    line = 'include "%s"' % path
    if any(existing.strip() == line for existing in conf_text.splitlines()):
        return conf_text
    return conf_text + ("" if conf_text.endswith("\n") or not conf_text else "\n") + line + "\n"


def remove_include(conf_text: str, path: str) -> str:
    line = 'include "%s"' % path
    return "".join(existing for existing in conf_text.splitlines(True) if existing.strip() != line)


@dataclass
class TableChange(Change):
    """The plan of one run: the table's transaction, the listings it needs, the persisted files."""

    transaction_path: Optional[str] = None  # None: the table goes
    table_changed: bool = False
    live_exists: bool = False
    live_text: Optional[str] = None  # listed only for a diff or a rollback
    persist: Optional["Persist"] = None


@dataclass
class Persist:
    """The files that bring the table back at boot, as they must be written."""

    table: Optional[str]  # the table file; None removes it
    conf: Optional[str] = None  # the distribution's nftables configuration with the include; None leaves it
    unit: Optional[str] = None  # the boot unit that loads it after firewalld; None removes it (with unit_changed)
    unit_changed: bool = False


def boot_unit(nft: str, family: str, name: str, path: str) -> str:
    """A systemd unit that loads the table after firewalld starts, and goes with it."""
    return ("# Managed by purecloud.firewall: loads the table %s %s beside firewalld's own.\n"
            "[Unit]\nDescription=purecloud.firewall table %s %s\nAfter=firewalld.service\n"
            "PartOf=firewalld.service\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=%s -f %s\n"
            "ExecStop=-%s delete table %s %s\n\n[Install]\nWantedBy=firewalld.service\n"
            % (family, name, family, name, nft, path, nft, family, name))


class NftTable(HostBackend):
    """The nft_table module's backend: one table, read, compared, applied whole and persisted."""

    def __init__(self, module: Any, **kwargs: Any) -> None:
        super().__init__(module, **kwargs)
        # Nothing to remove without nft: no table of the collection's was ever loaded there.
        self.nft = module.get_bin_path("nft", required=self.params["state"] == "present")
        self.family, self.name = self.params["family"], self.params["name"]
        self.ident = "%s-%s" % (self.family, self.name)
        self.unit_path = "/etc/systemd/system/purecloud-firewall-%s.service" % self.ident
        self.unit_link = "/etc/systemd/system/firewalld.service.wants/%s" % os.path.basename(self.unit_path)
        rhel = os.path.exists("/etc/sysconfig/nftables.conf")
        self.main_conf = "/etc/sysconfig/nftables.conf" if rhel else "/etc/nftables.conf"
        self.persist_path = self.params["persist_path"] or os.path.join(
            "/etc/nftables" if rhel else "/etc/nftables.d", "%s.nft" % self.ident)
        self.rollback_file = os.path.join(self.rollback_root, "%s.rollback.nft" % self.ident)
        self._transaction_path: Optional[str] = None
        self._live_listing = ""

    # ------------------------------------------------------------ reading
    def live_json(self) -> List[Dict[str, Any]]:
        """Canonical JSON of the live table, or [] when it does not exist."""
        if self.nft is None:
            return []
        rc, out, err = self.run_command([self.nft, "-j", "list", "table", self.family, self.name], check=False)
        if rc != 0:
            if "No such file or directory" in err or "does not exist" in err:
                return []
            raise PurecloudFirewallError("nft list table %s %s failed: %s" % (self.family, self.name, err.strip()))
        self._live_listing = out
        return canonical(out)

    def live_text(self, exists: bool) -> str:
        """The live table as nft prints it, or "" when it does not exist."""
        return self.run_command([self.nft, "list", "table", self.family, self.name])[1] if exists else ""

    def scratch(self, path: str, text: bool = False) -> Tuple[List[Dict[str, Any]], Optional[str]]:
        """(canonical JSON, text or None) of the desired table, loaded in a throw-away network namespace.

        Loading it there is also the syntax check: a bad transaction fails here, before the live table is touched.
        """
        script = 'nft -f "$1" && nft -j list table %s %s' % (self.family, self.name)
        if text:
            script += ' && echo @@purecloud@@ && nft list table %s %s' % (self.family, self.name)
        unshare = self.module.get_bin_path("unshare", required=True)
        rc, out, err = self.run_command([unshare, "--net", "--", "/bin/sh", "-c", script, "sh", path], check=False)
        if rc != 0:
            raise PurecloudFirewallError("nft refuses the table %s %s: %s" % (self.family, self.name,
                                                                              (err or out).strip()))
        listing, _sep, listed = out.partition("@@purecloud@@\n")
        return canonical(listing), (listed if text else None)

    # ------------------------------------------------------------ persist
    def persist_changes(self, content: Optional[str]) -> Optional[Persist]:
        """What to write for the table to come back at boot (None: everything is right already).

        ``content`` None: the table goes, and so does what loads it.  With
        ``persist_with: firewalld`` a unit of the collection's own loads it
        after firewalld (which conflicts with nftables.service), and the
        distribution's nftables configuration is left alone.
        """
        if not self.params["persist"]:
            return None
        table_right = self.read_file(self.persist_path) == content
        if self.params["persist_with"] == "firewalld":
            unit = boot_unit(self.nft or "/usr/sbin/nft", self.family, self.name, self.persist_path) \
                if content is not None else None
            unit_right = self.read_file(self.unit_path) == unit and os.path.islink(self.unit_link) == (unit is not None)
            return None if table_right and unit_right else Persist(content, unit=unit, unit_changed=not unit_right)
        conf = self.read_file(self.main_conf)
        if content is None:
            new_conf = remove_include(conf, self.persist_path) if conf is not None else None
        else:
            new_conf = add_include(conf if conf is not None else "#!/usr/sbin/nft -f\n", self.persist_path)
        if table_right and new_conf == conf:
            return None
        return Persist(content, conf=new_conf)

    def apply_persist(self, changes: Persist) -> None:
        if changes.table is None:
            if os.path.exists(self.persist_path):
                os.unlink(self.persist_path)
        else:
            self.write_file(self.persist_path, changes.table)
        if changes.conf is not None:
            self.write_file(self.main_conf, changes.conf, mode=0o755 if changes.conf.startswith("#!") else 0o644)
        if changes.unit_changed:
            for path in (self.unit_link, self.unit_path):
                if os.path.lexists(path):
                    os.unlink(path)
            if changes.unit is not None:
                self.write_file(self.unit_path, changes.unit, mode=0o644)
                os.makedirs(os.path.dirname(self.unit_link), exist_ok=True)
                os.symlink(self.unit_path, self.unit_link)
            if os.path.isdir("/run/systemd/system"):  # systemd runs here: let it see the unit now
                self.run_command([self.module.get_bin_path("systemctl", required=True), "daemon-reload"])

    # -------------------------------------------------------------- hooks
    def desired_state(self) -> Optional[Dict[str, Any]]:
        if self.params["state"] == "absent":
            return None
        return check_spec(dict((k, self.params[k]) for k in ("family", "name", "chains", "sets", "rules")))

    def session_blocked(self, desired: Dict[str, Any], session: SshSession, management: Management) -> str:
        return session_blocked(desired, session, management)

    def allow_management(self, desired: Dict[str, Any], management: Management) -> Dict[str, Any]:
        return with_management(desired, management)

    def read_live(self) -> List[Dict[str, Any]]:
        return self.live_json()

    def plan(self, desired: Optional[Dict[str, Any]], live: List[Dict[str, Any]]) -> TableChange:
        change = self._plan(desired, live)
        # What filled the live table's timeout sets (dnsmasq) may need telling when they go.
        timeout_sets = [item["set"]["name"] for item in live
                        if "set" in item and "timeout" in (item["set"].get("flags") or [])]
        if timeout_sets:
            change.result["timeout_sets"] = timeout_sets
        return change

    def _plan(self, desired: Optional[Dict[str, Any]], live: List[Dict[str, Any]]) -> TableChange:
        if desired is None:
            # Removing the table only ever lets more through: no guard, no rollback.
            persist = self.persist_changes(None)
            return TableChange(changed=bool(live) or persist is not None, risky=False, live_exists=bool(live),
                               table_changed=bool(live), persist=persist,
                               diff={"before": self.live_text(bool(live)), "after": ""})
        # An element dnsmasq adds between this listing and the load is not carried; its next lookup adds it again.
        transaction = replace_transaction(desired, run_time_elements(self._live_listing, desired) if live else None)
        handle, self._transaction_path = tempfile.mkstemp(prefix="purecloud-nft-", suffix=".nft")
        with os.fdopen(handle, "w") as out:
            out.write(transaction)
        # The listings as text only serve a diff and a rollback: a no-change run without --diff skips them.
        want_diff = self.module._diff
        desired_json, desired_text = self.scratch(self._transaction_path, text=want_diff)
        table_changed = desired_json != live
        persist = self.persist_changes(replace_transaction(desired))  # at boot the sets start empty
        change = TableChange(changed=table_changed or persist is not None, risky=table_changed,
                             result={"table": render_table(desired)}, transaction_path=self._transaction_path,
                             table_changed=table_changed, live_exists=bool(live), persist=persist)
        if want_diff:
            change.live_text = self.live_text(change.live_exists)
            change.diff = {"before": change.live_text, "after": desired_text or ""}
        if self.params["persist"]:
            change.result["persist_path"] = self.persist_path
        return change

    def apply(self, change: TableChange) -> Dict[str, Any]:  # type: ignore[override]
        if change.table_changed:
            if change.transaction_path is None:
                self.run_command([self.nft, "delete", "table", self.family, self.name])
            else:
                self.run_command([self.nft, "-f", change.transaction_path])
        if change.persist is not None:
            self.apply_persist(change.persist)
        # A table made anew has empty sets; a replaced one kept its run-time elements.
        return {"created": True} if change.table_changed and not change.live_exists else {}

    def prepare_rollback(self, change: TableChange, timeout: int) -> str:  # type: ignore[override]
        """The previous table as a transaction that replaces whatever is there, and the persisted file saved."""
        live_text = change.live_text if change.live_text is not None else self.live_text(change.live_exists)
        head = "table %s %s\ndelete table %s %s\n" % (self.family, self.name, self.family, self.name)
        self.write_file(self.rollback_file, head + live_text)
        saved = self.read_file(self.persist_path)
        backup = self.rollback_file + ".persisted"
        if saved is None:
            restore_persist = 'rm -f "%s"' % self.persist_path
            if os.path.exists(backup):
                os.unlink(backup)
        else:
            self.write_file(backup, saved)
            restore_persist = 'cp "%s" "%s"' % (backup, self.persist_path)
        return '%s -f "%s" && %s' % (self.nft, self.rollback_file, restore_persist)

    @property
    def rollback_marker(self) -> str:
        return self.rollback_file  # the restore transaction itself: confirming deletes it

    def rollback_info(self) -> Dict[str, str]:
        return {"file": self.rollback_file}

    @property
    def scope(self) -> str:
        return "%s %s" % (self.family, self.name)

    @property
    def whole(self) -> str:
        return "%s %s table" % (self.family, self.name)

    def close(self) -> None:
        if self._transaction_path is not None:
            os.unlink(self._transaction_path)
            self._transaction_path = None
