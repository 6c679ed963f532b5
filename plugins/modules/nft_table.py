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
  - With O(rollback_timeout), a change of the table arms a timer that restores the previous table and its
    persisted file unless a later task confirms (O(confirm_rollback)) over a fresh connection, like
    C(community.general.iptables_state).
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
        description:
          - Set flags; V(interval) for networks and port ranges.
          - V(timeout) (with O(sets[].timeout)) for a set filled at run time, such as by dnsmasq's C(nftset), and
            V(dynamic) for one a rule updates (C(update @set { ip daddr })).
        type: list
        elements: str
        choices: [interval, constant, dynamic, timeout]
        default: []
      timeout:
        description:
          - Seconds an element added at run time lives; needs V(timeout) in O(sets[].flags).
          - Such a set is given no O(sets[].elements). Its live elements are no part of the compared state, and
            a change of the table keeps them with the time they have left.
        type: int
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
  persist:
    description: Write the table to O(persist_path) and have it loaded at boot (O(persist_with)).
    type: bool
    default: true
  persist_with:
    description:
      - What loads the persisted table at boot. V(nftables), an include in the distribution's nftables
        configuration, which nftables.service loads.
      - V(firewalld), for a table beside firewalld's (which conflicts with nftables.service), a systemd unit of the
        collection's own, C(purecloud-firewall-<family>-<name>.service), that firewalld.service wants, ordered after
        it; the nftables configuration is left alone.
    type: str
    choices: [nftables, firewalld]
    default: nftables
  persist_path:
    description:
      - File holding the table. Default C(/etc/nftables.d/<family>-<name>.nft) on Debian layouts,
        C(/etc/nftables/<family>-<name>.nft) on RHEL layouts.
    type: path
extends_documentation_fragment:
  - purecloud.firewall.management
  - purecloud.firewall.rollback
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
timeout_sets:
  description: The sets with a timeout the live table had before the run (filled at run time, by dnsmasq).
  returned: when the live table had such sets
  type: list
  elements: str
created:
  description: True when the table did not exist before, so its timeout sets start empty.
  returned: when the table was created
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.purecloud.firewall.plugins.module_utils.host_backend import (
    MANAGEMENT_OPTION,
    ROLLBACK_OPTIONS,
    run_module,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.nft import NftTable

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
        flags=dict(type="list", elements="str", default=[], choices=["interval", "constant", "dynamic", "timeout"]),
        timeout=dict(type="int"),
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
    persist_with=dict(type="str", default="nftables", choices=["nftables", "firewalld"]),
    persist_path=dict(type="path"),
    **ROLLBACK_OPTIONS
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    run_module(module, NftTable)


if __name__ == "__main__":
    main()
