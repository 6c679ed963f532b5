# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ip_ranges_diff
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Prefixes added and removed between two versions of AWS's ip-ranges.json
description:
  - "Compares two feed documents, each already parsed or as JSON text, and returns what was added and removed,
    per region, service and address family and in total, with one summary line per change, for example
    C(us-east-1 AMAZON IPv4: +121 / -9 prefixes since 2025-08-21) (the date is the older feed's C(createDate))."
  - Both documents are checked first; a malformed one fails naming it (C(old feed) or C(new feed)) and what is
    wrong. A region or service neither feed has fails listing the ones they have.
positional: _input, new
options:
  _input:
    description: The older feed document (a mapping, or its JSON text).
    type: raw
    required: true
  new:
    description: The newer feed document (a mapping, or its JSON text).
    type: raw
    required: true
  region:
    description: Only these regions (a string or a list); every region when omitted.
    type: raw
  service:
    description: Only these services (a string or a list); every service when omitted.
    type: raw
  family:
    description: Address family.
    type: str
    choices: [ipv4, ipv6, both]
    default: both
seealso:
  - plugin: purecloud.firewall.ip_ranges
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: What changed in us-east-1 since the feed applied last time
  ansible.builtin.debug:
    msg: >-
      {{ (lookup('ansible.builtin.file', '/srv/feeds/applied.json') | from_json
          | purecloud.firewall.ip_ranges_diff(lookup('ansible.builtin.file', '/srv/feeds/latest.json'),
                                              region='us-east-1', service='AMAZON')).summary }}
  # => ["us-east-1 AMAZON IPv4: +121 / -9 prefixes since 2025-08-21",
  #     "us-east-1 AMAZON IPv6: +84 / -11 prefixes since 2025-08-21"]

- name: Only the IPv4 prefixes AWS withdrew, every region and service
  ansible.builtin.debug:
    msg: >-
      {{ (lookup('ansible.builtin.file', '/srv/feeds/applied.json')
          | purecloud.firewall.ip_ranges_diff(lookup('ansible.builtin.file', '/srv/feeds/latest.json'),
                                              family='ipv4')).removed }}
"""

RETURN = r"""
_value:
  description: The differences.
  type: dict
  contains:
    old:
      description: C(sync_token) and C(create_date) of the older feed.
      type: dict
    new:
      description: C(sync_token) and C(create_date) of the newer feed.
      type: dict
    added:
      description: Prefixes in the newer feed only (within the selection), IPv4 first, numeric order.
      type: list
      elements: str
    removed:
      description: Prefixes in the older feed only (within the selection).
      type: list
      elements: str
    added_count:
      description: Number of added prefixes.
      type: int
    removed_count:
      description: Number of removed prefixes.
      type: int
    changes:
      description:
        - One entry per region, service and family that changed, with C(region), C(service), C(family),
          C(added), C(removed), C(added_count), C(removed_count), C(before_count), C(after_count) and C(summary).
      type: list
      elements: dict
    summary:
      description: "One line per change, like C(us-east-1 AMAZON IPv4: +121 / -9 prefixes since 2025-08-21)."
      type: list
      elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import diff_feeds, parse_feed


def ip_ranges_diff(old, new, region=None, service=None, family="both"):
    try:
        return diff_feeds(parse_feed(old, "old feed"), parse_feed(new, "new feed"),
                          region=region, service=service, family=family)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.ip_ranges_diff: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"ip_ranges_diff": ip_ranges_diff}
