# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: cidr_aggregate
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Merge networks into the fewest CIDRs covering the same addresses
description:
  - Validates every network or address and merges them with Python's C(ipaddress), IPv4 first, then IPv6, each in numeric
    order; a bare address becomes a V(/32) or V(/128), and a network written with host bits set
    (V(198.51.100.7/24)) means its network (V(198.51.100.0/24)).
  - Shorthand such as V(10/8), netmasks after the slash or octal-looking V(010.0.0.1) is refused, with an
    error naming the value.
  - The same aggregation the collection's compile step and P(purecloud.firewall.ip_ranges#lookup) use, so a
    list aggregated here matches theirs; like C(ansible.utils.cidr_merge), with errors that name the bad value.
positional: _input
options:
  _input:
    description: Networks and addresses (a single string is taken as a list of one).
    type: list
    elements: str
    required: true
seealso:
  - plugin: purecloud.firewall.ip_ranges
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Two halves and an address
  ansible.builtin.debug:
    msg: "{{ ['198.51.100.0/25', '198.51.100.128/25', '203.0.113.7'] | purecloud.firewall.cidr_aggregate }}"
  # => ["198.51.100.0/24", "203.0.113.7/32"]

- name: IPv4 and IPv6 together, duplicates and covered networks dropped
  ansible.builtin.debug:
    msg: "{{ ['2001:db8:8000::/33', '192.0.2.0/24', '2001:db8::/33', '192.0.2.64/26'] | purecloud.firewall.cidr_aggregate }}"
  # => ["192.0.2.0/24", "2001:db8::/32"]
"""

RETURN = r"""
_value:
  description: Aggregated CIDRs, IPv4 first, in numeric order.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError


def cidr_aggregate(cidrs):
    try:
        return aggregate_cidrs(cidrs)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.cidr_aggregate: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"cidr_aggregate": cidr_aggregate}
