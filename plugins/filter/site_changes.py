# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: site_changes
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: What changed between two AWS feeds or two catalogs, and which of a site's rules it touches
description:
  - With O(old_feed) and O(new_feed), the prefixes of the site's region (service AMAZON) added and removed, as
    lines like C(us-east-1 AMAZON IPv4 +N / -M prefixes since 2025-08-21); when the site is strict
    (C(cloud_destinations=aws_ip_ranges)), each rule whose destinations move and by how many prefixes.
  - With O(old_catalog) and O(new_catalog), the requirement rows added, removed or changed, and each of the
    site's rules whose ports or rows differ.
  - Feeds are read as P(purecloud.firewall.ip_ranges#lookup) reads them (a path, or a URL through its cache).
options:
  _input:
    description: The site's settings, as for P(purecloud.firewall.site_report#filter).
    type: dict
    required: true
  old_feed:
    description: The older AWS C(ip-ranges.json), a path or an http(s) URL.
    type: str
  new_feed:
    description: The newer AWS C(ip-ranges.json), a path or an http(s) URL.
    type: str
  old_catalog:
    description: The older catalog file.
    type: path
  new_catalog:
    description: The newer catalog file; defaults to the collection's own when O(old_catalog) is given.
    type: path
"""

EXAMPLES = r"""
- name: What a year of AWS changes means for a strict site
  ansible.builtin.debug:
    msg: >-
      {{ {'products': ['edge'], 'region': 'us-east-1', 'cloud_destinations': 'aws_ip_ranges',
          'networks': {'edge': ['10.10.0.0/28'], 'voip_phone': ['10.20.0.0/22']}}
         | purecloud.firewall.site_changes(old_feed='feeds/2025.json', new_feed='feeds/2026.json') }}
"""

RETURN = r"""
_value:
  description: C(lines) (what to read), and C(feed) and C(catalog) with the details (prefix lists, rows, rules).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.changes import site_changes as compare
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import load_feed


def site_changes(settings, old_feed=None, new_feed=None, old_catalog=None, new_catalog=None):
    if not isinstance(settings, dict):
        raise AnsibleFilterError("purecloud.firewall.site_changes: expects the site's settings as a mapping")
    if bool(old_feed) != bool(new_feed):
        raise AnsibleFilterError("purecloud.firewall.site_changes: give both old_feed and new_feed, or neither")
    if not (old_feed or old_catalog):
        raise AnsibleFilterError("purecloud.firewall.site_changes: nothing to compare; give old_feed and new_feed, "
                                 "or old_catalog")
    try:
        settings = dict((k, v) for k, v in settings.items() if v is not None)
        return compare(settings,
                       old_feed=load_feed(old_feed) if old_feed else None,
                       new_feed=load_feed(new_feed) if new_feed else None,
                       old_catalog=load_catalog(old_catalog) if old_catalog else None,
                       new_catalog=(load_catalog(new_catalog) if new_catalog else load_catalog())
                       if old_catalog else None)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.site_changes: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"site_changes": site_changes}
