# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: object_group_changes
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: The ios_config lines that make a Cisco IOS device's object-groups exactly the collection's
description:
  - Takes the C(groups.config) of an apply result for a C(cisco_ios) device (one C(parents), C(lines) pair per
    object-group the ACLs name) and the device's C(show running-config | section ^object-group), and returns
    the pairs for M(cisco.ios.ios_config) that change it, members the plan no longer has removed with their
    C(no) line and missing ones added.
  - Only the given groups are looked at; a group already as planned is left out.
options:
  _input:
    description: The C(config) of the apply result's C(groups).
    type: list
    elements: dict
    required: true
  running:
    description: The device's object-groups as C(show running-config | section ^object-group) prints them.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Set the collection's object-groups, nothing else
  cisco.ios.ios_config:
    parents: "{{ item.parents }}"
    lines: "{{ item.lines }}"
    match: none
  loop: "{{ purecloud_firewall_applied.network.groups.config | purecloud.firewall.object_group_changes(running.stdout[0]) }}"
"""

RETURN = r"""
_value:
  description: The C(parents), C(lines) pairs to send, in the order of the input.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import ios_group_changes


def object_group_changes(blocks, running):
    if not isinstance(blocks, list) or not all(isinstance(b, dict) and b.get("parents") for b in blocks):
        raise AnsibleFilterError("purecloud.firewall.object_group_changes: expects the apply result's groups.config, "
                                 "got %r" % (blocks,))
    return ios_group_changes(blocks, running or "")


class FilterModule(object):
    def filters(self):
        return {"object_group_changes": object_group_changes}
