# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: group_changes
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: What makes a router's address groups exactly the collection's, from the device's own config
description:
  - Takes the C(groups) of an apply result for a device whose groups go through a config module (Cisco IOS
    object-groups through M(cisco.ios.ios_config), NX-OS object-groups and ACLs through
    M(cisco.nxos.nxos_config), VyOS firewall groups through M(vyos.vyos.vyos_config)) and
    the device's configuration, and returns only what changes it, members the plan no longer has removed and
    missing ones added.
  - For IOS, C(parents), C(lines) pairs (the C(no) line of a stale member, then the missing members); for VyOS,
    C(delete) and C(set) commands.
  - For NX-OS (object-groups and the ACLs naming them, both through M(cisco.nxos.nxos_config)), C(parents), C(lines)
    pairs compared by sequence number (C(no N) for a line the plan does not have or has otherwise, then the
    planned line); it takes the groups or the lists of the apply result, each a run of its own.
  - Only the collection's groups are looked at; a device already as planned gets nothing to send.
options:
  _input:
    description: The C(groups) of the apply result (its C(module), C(config) and C(commands)).
    type: dict
    required: true
  running:
    description: The device's C(show running-config | section ^object-group) (IOS), its object-groups and
      ACLs from C(show running-config) (NX-OS) or C(show configuration commands) (VyOS).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Set the collection's object-groups, nothing else
  cisco.ios.ios_config:
    parents: "{{ item.parents }}"
    lines: "{{ item.lines }}"
    match: none
  loop: "{{ purecloud_firewall_applied.network.groups | purecloud.firewall.group_changes(running.stdout[0]) }}"
"""

RETURN = r"""
_value:
  description: IOS and NX-OS, the C(parents), C(lines) pairs to send; VyOS, the commands to send; in the groups' order.
  type: list
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import (
    ios_group_changes, nxos_block_changes, vyos_group_changes)


def group_changes(groups, running):
    module = groups.get("module") if isinstance(groups, dict) else None
    if module == "cisco.ios.ios_config":
        return ios_group_changes(groups["config"], running or "")
    if module == "cisco.nxos.nxos_config":
        return nxos_block_changes(groups["config"], running or "")
    if module == "vyos.vyos.vyos_config":
        return vyos_group_changes(groups["commands"], running or "")
    raise AnsibleFilterError("purecloud.firewall.group_changes: expects the groups of an apply result for cisco_ios, "
                             "cisco_nxos or vyos (or NX-OS's lists), got %r" % (groups,))


class FilterModule(object):
    def filters(self):
        return {"group_changes": group_changes}
