# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: port_merge
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Normalise a list of ports and merge overlapping or adjacent ranges
description:
  - Takes ports and ranges (V(443), V(5060-5061), the page's V(49152–65535) with an en dash, or integers)
    and returns them validated, sorted and merged, e.g. V(["5060", "5061"]) becomes V(["5060-5061"]).
  - Firewalls merge overlapping ranges themselves (firewalld does), so a desired state compared before
    merging never matches the live one; merge first.
  - A bad port raises an error naming it and the allowed form.
options:
  _input:
    description: Ports and ranges, as strings or integers.
    type: list
    elements: raw
    required: true
"""

EXAMPLES = r"""
- name: Merge the SIP rows of an Edge
  ansible.builtin.debug:
    msg: "{{ ['5060', '5061', '5060-5061'] | purecloud.firewall.port_merge }}"
  # => ["5060-5061"]

- name: Ports of all UDP rows of the edge product, merged
  ansible.builtin.debug:
    msg: >-
      {{ query('purecloud.firewall.requirements', 'edge')
         | selectattr('protocol', 'eq', 'udp') | map(attribute='ports') | flatten
         | purecloud.firewall.port_merge }}
"""

RETURN = r"""
_value:
  description: Sorted, merged ports and ranges as strings.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import normalize_ports


def port_merge(ports):
    try:
        return normalize_ports(ports)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.port_merge: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"port_merge": port_merge}
