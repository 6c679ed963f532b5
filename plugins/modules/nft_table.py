# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: nft_table
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Manage one nftables table as a whole, atomically and idempotently
description:
  - Declares the complete content of one nftables table the collection owns (default C(inet purecloud)),
    that is base chains (hook, priority, policy), named sets and rules with comments.
  - Reads the live table, compares it with the desired one in nft's own canonical form (the desired table
    is loaded into a throw-away network namespace to get that form, which also checks it), and applies
    the whole table in one C(nft -f) transaction. Other tables are never read or touched.
  - Persists the table to a file included from the distribution's nftables configuration
    (C(/etc/nftables.conf) on Debian, C(/etc/sysconfig/nftables.conf) on RHEL), so it survives a restart
    of C(nftables.service) and a reboot.
  - Refuses, before changing anything, a table whose input or output chain drops by default unless the
    management allowance O(management) covers the SSH session the module runs in; management SSH is accepted
    first in every input chain, and its replies first in every output chain.
  - With O(rollback_timeout), the host restores the previous table by itself unless a later task confirms
    (O(confirm_rollback)) over a fresh connection, like C(community.general.iptables_state).
  - B(nftables evaluates every table on a hook.) An accept here ends evaluation only in this table; a packet
    that another table drops on the same hook is still dropped. If the host has its own rule set with a
    drop policy on the same hook, open the flows there too, or give this table the only filtering role.
options:
  name:
    description: Table name.
    type: str
    default: purecloud
  family:
    description: Table family.
    type: str
    choices: [inet, ip, ip6]
    default: inet
  state:
    description: V(present) makes the table exactly as declared; V(absent) removes it and its persisted file.
    type: str
    choices: [present, absent]
    default: present
  chains:
    description: Chains of the table, in order.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Chain name.
        type: str
        required: true
      hook:
        description: Hook of a base chain; omit for a regular chain (a jump target).
        type: str
        choices: [prerouting, input, forward, output, postrouting]
      type:
        description: Chain type of a base chain.
        type: str
        choices: [filter, nat, route]
        default: filter
      priority:
        description: Priority of a base chain, a number or a name such as V(filter) or V(filter - 10).
        type: str
        default: filter
      policy:
        description: Policy of a base chain.
        type: str
        choices: [accept, drop]
        default: accept
  sets:
    description: Named sets.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Set name, referenced in rules as C(@name).
        type: str
        required: true
      type:
        description: Element type.
        type: str
        required: true
        choices: [ipv4_addr, ipv6_addr, inet_service]
      flags:
        description: Set flags; V(interval) for networks and port ranges.
        type: list
        elements: str
        choices: [interval, constant, timeout]
        default: []
      elements:
        description: Elements; networks of an interval set are merged first, as nft refuses overlaps.
        type: list
        elements: str
        default: []
      comment:
        description: Comment stored with the set.
        type: str
  rules:
    description: Rules, each one nft statement, kept in order within its chain.
    type: list
    elements: dict
    default: []
    suboptions:
      chain:
        description: Chain the rule belongs to.
        type: str
        required: true
      rule:
        description: The statement, e.g. C(ip saddr @sites tcp dport { 443, 5222 } accept).
        type: str
        required: true
      comment:
        description: Comment stored with the rule; the collection puts requirement ids here.
        type: str
  management:
    description:
      - Sources and port of management SSH. Accepted first in every input-hook chain (and its replies in every
        output-hook chain); a table whose input or output chain drops by default is refused unless these cover
        the current SSH session.
    type: dict
    suboptions:
      sources:
        description: Source networks allowed to reach SSH.
        type: list
        elements: str
        default: []
      port:
        description: SSH port.
        type: int
        default: 22
  persist:
    description: Write the table to O(persist_path) and include it from the distribution's nftables configuration.
    type: bool
    default: true
  persist_path:
    description:
      - File holding the table. Default C(/etc/nftables.d/<family>-<name>.nft) on Debian layouts,
        C(/etc/nftables/<family>-<name>.nft) on RHEL layouts.
    type: path
  rollback_timeout:
    description:
      - Seconds after which the host restores the previous table and persisted file by itself, unless
        O(confirm_rollback) is run first. V(0) applies for good.
    type: int
    default: 0
  confirm_rollback:
    description: Cancel the pending rollback of this table; run it over a fresh connection after applying.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports what would change; changes nothing, not even the persisted file.
  diff_mode:
    support: full
    description: The table before and after, as C(nft list table) prints it; without diff mode neither is
      listed as text, so a no-change run is one load in the throw-away namespace and two JSON listings.
notes:
  - Needs root and the C(nft) command on the managed host; C(unshare) (util-linux) for the canonical comparison.
seealso:
  - name: nftables wiki, multiple tables on one hook
    description: Why an accept in one table does not override a drop in another.
    link: https://wiki.nftables.org/wiki-nftables/index.php/Configuring_chains
"""

EXAMPLES = r"""
- name: Forward only the Edge's flows to PureCloud
  purecloud.firewall.nft_table:
    chains:
      - {name: forward, hook: forward, policy: drop}
    sets:
      - {name: edges, type: ipv4_addr, flags: [interval], elements: [198.51.100.130/31]}
    rules:
      - {chain: forward, rule: "ct state established,related accept"}
      - {chain: forward, rule: "ip saddr @edges tcp dport { 443, 5060-5061 } accept", comment: "edge.https edge.webrtc.sip"}

- name: Host firewall that keeps management SSH open, with a safety net
  purecloud.firewall.nft_table:
    chains:
      - {name: input, hook: input, policy: drop}
    rules:
      - {chain: input, rule: "ct state established,related accept"}
      - {chain: input, rule: "iif lo accept"}
    management:
      sources: [198.51.100.0/25]
    rollback_timeout: 60
  register: applied

- name: Confirm over a new connection; without it the host rolls back by itself
  when: applied is changed
  block:
    - name: Open a fresh connection
      ansible.builtin.meta: reset_connection
    - name: Confirm
      purecloud.firewall.nft_table:
        confirm_rollback: true

- name: Remove the table and its persisted file
  purecloud.firewall.nft_table:
    state: absent
"""

RETURN = r"""
table:
  description: The table as applied (nft syntax).
  returned: when O(state=present)
  type: str
persist_path:
  description: The file the table is persisted to.
  returned: when O(persist) is true
  type: str
rollback:
  description: The pending rollback, with C(deadline) (seconds since the epoch) and C(file).
  returned: when O(rollback_timeout) is set and the table changed
  type: dict
"""

import os
import tempfile
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.nft import (
    MANAGEMENT_OPTION,
    add_include,
    canonical,
    check_spec,
    remove_include,
    render_table,
    replace_transaction,
    session_cut_reason,
    ssh_session,
    with_management,
)

ROLLBACK_DIR = "/run/purecloud-firewall"

ARGUMENT_SPEC = dict(
    name=dict(type="str", default="purecloud"),
    family=dict(type="str", default="inet", choices=["inet", "ip", "ip6"]),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    chains=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        hook=dict(type="str", choices=["prerouting", "input", "forward", "output", "postrouting"]),
        type=dict(type="str", default="filter", choices=["filter", "nat", "route"]),
        priority=dict(type="str", default="filter"),
        policy=dict(type="str", default="accept", choices=["accept", "drop"]),
    )),
    sets=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        type=dict(type="str", required=True, choices=["ipv4_addr", "ipv6_addr", "inet_service"]),
        flags=dict(type="list", elements="str", default=[], choices=["interval", "constant", "timeout"]),
        elements=dict(type="list", elements="str", default=[]),
        comment=dict(type="str"),
    )),
    rules=dict(type="list", elements="dict", default=[], options=dict(
        chain=dict(type="str", required=True),
        rule=dict(type="str", required=True),
        comment=dict(type="str"),
    )),
    management=MANAGEMENT_OPTION,
    persist=dict(type="bool", default=True),
    persist_path=dict(type="path"),
    rollback_timeout=dict(type="int", default=0),
    confirm_rollback=dict(type="bool", default=False),
)


class NftTable:
    """Reads, compares, applies and persists one table; the module's driver."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.nft = module.get_bin_path("nft", required=True)
        self.family, self.name = self.params["family"], self.params["name"]
        self.ident = "%s-%s" % (self.family, self.name)
        rhel = os.path.exists("/etc/sysconfig/nftables.conf")
        self.main_conf = "/etc/sysconfig/nftables.conf" if rhel else "/etc/nftables.conf"
        self.persist_path = self.params["persist_path"] or os.path.join(
            "/etc/nftables" if rhel else "/etc/nftables.d", "%s.nft" % self.ident)
        self.rollback_file = os.path.join(ROLLBACK_DIR, "%s.rollback.nft" % self.ident)

    # ------------------------------------------------------------ helpers
    def run(self, args, data=None, check=True):
        rc, out, err = self.module.run_command(args, data=data, binary_data=data is not None)
        if check and rc != 0:
            raise PurecloudFirewallError("%s failed: %s" % (" ".join(args), (err or out).strip()))
        return rc, out, err

    def live_json(self):
        """Canonical JSON of the live table, or [] when it does not exist."""
        rc, out, err = self.run([self.nft, "-j", "list", "table", self.family, self.name], check=False)
        if rc != 0:
            if "No such file or directory" in err or "does not exist" in err:
                return []
            raise PurecloudFirewallError("nft list table %s %s failed: %s" % (self.family, self.name, err.strip()))
        return canonical(out)

    def live_text(self, exists):
        """The live table as nft prints it, or "" when it does not exist."""
        return self.run([self.nft, "list", "table", self.family, self.name])[1] if exists else ""

    def scratch(self, path, text=False):
        """(canonical JSON, text or None) of the desired table, loaded in a throw-away network namespace.

        Loading it there is also the syntax check: a bad transaction fails here, before the live table is touched.
        """
        script = 'nft -f "$1" && nft -j list table %s %s' % (self.family, self.name)
        if text:
            script += ' && echo @@purecloud@@ && nft list table %s %s' % (self.family, self.name)
        unshare = self.module.get_bin_path("unshare", required=True)
        rc, out, err = self.run([unshare, "--net", "--", "/bin/sh", "-c", script, "sh", path], check=False)
        if rc != 0:
            raise PurecloudFirewallError("nft refuses the table %s %s: %s" % (self.family, self.name,
                                                                              (err or out).strip()))
        listing, _sep, listed = out.partition("@@purecloud@@\n")
        return canonical(listing), (listed if text else None)

    def read(self, path):
        try:
            with open(path) as handle:
                return handle.read()
        except OSError:
            return None

    def write(self, path, text, mode=0o600):
        directory = os.path.dirname(path)
        os.makedirs(directory, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=directory, prefix=".purecloud-")
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.chmod(partial, mode)
        os.rename(partial, path)

    # ------------------------------------------------------------- persist
    def persist_changes(self, content):
        """(file text or None to remove, main conf text) to write, or None when both are right."""
        if not self.params["persist"]:
            return None
        conf = self.read(self.main_conf)
        if content is None:
            new_conf = remove_include(conf, self.persist_path) if conf is not None else None
            if self.read(self.persist_path) is None and new_conf == conf:
                return None
            return None, new_conf
        new_conf = add_include(conf if conf is not None else "#!/usr/sbin/nft -f\n", self.persist_path)
        if self.read(self.persist_path) == content and new_conf == conf:
            return None
        return content, new_conf

    def apply_persist(self, changes):
        content, conf = changes
        if content is None:
            if os.path.exists(self.persist_path):
                os.unlink(self.persist_path)
        else:
            self.write(self.persist_path, content)
        if conf is not None:
            self.write(self.main_conf, conf, mode=0o755 if conf.startswith("#!") else 0o644)

    # ------------------------------------------------------------ rollback
    def arm_rollback(self, live_text):
        """Save the previous table and persisted file; restore both after the timeout unless confirmed."""
        timeout = self.params["rollback_timeout"]
        head = "table %s %s\ndelete table %s %s\n" % (self.family, self.name, self.family, self.name)
        self.write(self.rollback_file, head + live_text)
        saved = self.read(self.persist_path)
        backup = self.rollback_file + ".persisted"
        if saved is None:
            restore_persist = 'rm -f "%s"' % self.persist_path
            if os.path.exists(backup):
                os.unlink(backup)
        else:
            self.write(backup, saved)
            restore_persist = 'cp "%s" "%s"' % (backup, self.persist_path)
        # Detached in its own session; it lets go of our pipes at once, so the module returns.
        script = ('exec </dev/null >/dev/null 2>&1; sleep %d; '
                  'if [ -e "{f}" ]; then %s -f "{f}" && %s; mv "{f}" "{f}.done"; fi'
                  % (timeout, self.nft, restore_persist)).replace("{f}", self.rollback_file)
        self.run([self.module.get_bin_path("setsid", required=True), "-f", "/bin/sh", "-c", script])
        return {"deadline": int(time.time()) + timeout, "file": self.rollback_file}

    def confirm(self):
        if os.path.exists(self.rollback_file):
            if not self.module.check_mode:
                os.unlink(self.rollback_file)  # the timer finds nothing to restore
            return {"changed": True, "msg": "rollback of %s %s cancelled" % (self.family, self.name)}
        if os.path.exists(self.rollback_file + ".done"):
            raise PurecloudFirewallError(
                "too late: the host already restored the previous %s %s table (no confirmation in time)"
                % (self.family, self.name))
        return {"changed": False, "msg": "no rollback pending for %s %s" % (self.family, self.name)}

    # --------------------------------------------------------------- main
    def absent(self):
        live_json = self.live_json()
        live_text = self.live_text(bool(live_json))
        persist = self.persist_changes(None)
        changed = bool(live_json) or persist is not None
        if changed and not self.module.check_mode:
            if live_json:
                self.run([self.nft, "delete", "table", self.family, self.name])
            if persist is not None:
                self.apply_persist(persist)
        return {"changed": changed, "diff": {"before": live_text, "after": ""}}

    def present(self):
        raw = dict((k, self.params[k]) for k in ("family", "name", "chains", "sets", "rules"))
        spec = with_management(check_spec(raw), self.params["management"])
        reason = session_cut_reason(spec, ssh_session(os.environ), self.params["management"])
        if reason:
            raise PurecloudFirewallError("refusing to apply: %s" % reason)
        transaction = replace_transaction(spec)
        handle, path = tempfile.mkstemp(prefix="purecloud-nft-", suffix=".nft")
        try:
            with os.fdopen(handle, "w") as out:
                out.write(transaction)
            # The listings as text only serve a diff and a rollback: a no-change run without --diff skips them.
            want_diff = self.module._diff
            desired_json, desired_text = self.scratch(path, text=want_diff)
            live_json = self.live_json()
            table_changed = desired_json != live_json
            rollback = table_changed and self.params["rollback_timeout"] > 0 and not self.module.check_mode
            live_text = self.live_text(bool(live_json)) if want_diff or rollback else None
            persist = self.persist_changes(transaction)
            result = {"changed": table_changed or persist is not None, "table": render_table(spec)}
            if want_diff:
                result["diff"] = {"before": live_text, "after": desired_text}
            if self.params["persist"]:
                result["persist_path"] = self.persist_path
            if self.module.check_mode:
                return result
            if table_changed:
                if rollback:
                    result["rollback"] = self.arm_rollback(live_text)
                self.run([self.nft, "-f", path])
            if persist is not None:
                self.apply_persist(persist)
            return result
        finally:
            os.unlink(path)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    table = NftTable(module)
    try:
        if module.params["confirm_rollback"]:
            result = table.confirm()
        elif module.params["state"] == "absent":
            result = table.absent()
        else:
            result = table.present()
    except PurecloudFirewallError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
