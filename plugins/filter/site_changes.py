# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: site_changes
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: What changed between two AWS feeds or two catalog editions, and which of a site's rules it touches
description:
  - With O(old_feed) and O(new_feed), the prefixes of the site's region (service AMAZON) added and removed, as
    lines like C(us-east-1 AMAZON IPv4 +N / -M prefixes since 2025-08-21); when the site is strict
    (C(cloud_destinations=aws_ip_ranges)), each rule whose destinations move and by how many prefixes.
  - With O(old_edition) (or O(old_overlays), or O(old_catalog)), two catalogs compared by id in every section,
    requirement rows, regions, domains, CIDR sets and endpoint classes, added, removed or changed (old -> new),
    each with its sources; and each of the site's rules whose ports, rows or destinations differ. The new side is
    the site's own catalog (its C(catalog_edition) and C(catalog_overlays)) unless O(new_edition),
    O(new_overlays) or O(new_catalog) say otherwise.
  - Feeds are read as P(purecloud.firewall.ip_ranges#lookup) reads them (a path, or a URL through its cache).
  - Given the hosts of the site (P(purecloud.firewall.site_settings#lookup) with C(scope=hosts)), each host's
    rules are planned with its own settings, as M(purecloud.firewall.apply) plans them, and compared with its own
    catalog edition and overlays; a line or a touched rule that holds for only some of the hosts names them.
options:
  _input:
    description:
      - The site's settings, or the hosts (P(purecloud.firewall.site_settings#lookup) with C(scope=hosts)), as
        for P(purecloud.firewall.site_report#filter).
    type: dict
    required: true
  old_feed:
    description: The older AWS C(ip-ranges.json), a path or an http(s) URL.
    type: str
  new_feed:
    description: The newer AWS C(ip-ranges.json), a path or an http(s) URL.
    type: str
  old_edition:
    description: The older edition, for example V(2018-11-21).
    type: str
  new_edition:
    description: The newer edition; by default the site's C(catalog_edition), else the default edition.
    type: str
  old_overlays:
    description: Overlays over the older edition (none by default).
    type: list
    elements: path
  new_overlays:
    description: Overlays over the newer edition; by default the site's C(catalog_overlays).
    type: list
    elements: path
  old_catalog:
    description: An older catalog file (with its own editions) in place of the collection's.
    type: path
  new_catalog:
    description: A newer catalog file in place of the collection's.
    type: path
"""

EXAMPLES = r"""
- name: What the vendor changed since the 2018 page, for this site
  ansible.builtin.debug:
    msg: >-
      {{ {'products': ['edge'], 'region': 'us-east-1',
          'networks': {'edge': ['10.10.0.0/28'], 'voip_phone': ['10.20.0.0/22']}}
         | purecloud.firewall.site_changes(old_edition='2018-11-21') }}

- name: What a site's overlay changes
  ansible.builtin.debug:
    msg: >-
      {{ {'products': ['edge'], 'region': 'us-east-1', 'catalog_overlays': ['overlays/site.yml'],
          'networks': {'edge': ['10.10.0.0/28'], 'voip_phone': ['10.20.0.0/22']}}
         | purecloud.firewall.site_changes(old_edition='current') }}

- name: What the vendor changed since the 2018 page, for each host of the inventory's product groups
  ansible.builtin.debug:
    msg: "{{ lookup('purecloud.firewall.site_settings', scope='hosts') | purecloud.firewall.site_changes(old_edition='2018-11-21') }}"

- name: What a year of AWS changes means for a strict site
  ansible.builtin.debug:
    msg: >-
      {{ {'products': ['edge'], 'region': 'us-east-1', 'cloud_destinations': 'aws_ip_ranges',
          'networks': {'edge': ['10.10.0.0/28'], 'voip_phone': ['10.20.0.0/22']}}
         | purecloud.firewall.site_changes(old_feed='feeds/2025.json', new_feed='feeds/2026.json') }}
"""

RETURN = r"""
_value:
  description:
    - C(lines) (what to read), and C(feed) and C(catalog) with the details (prefix lists, C(sections) by id with
      their sources, the touched rules, and C(old) and C(new), the editions and overlays compared).
    - Given hosts, also C(hosts), the hosts compared; each touched rule names the C(hosts) it moves on, and the
      hosts that compared another region's feed or other catalogs follow under C(others) in C(feed) or
      C(catalog).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.changes import hosts_changes
from ansible_collections.purecloud.firewall.plugins.module_utils.changes import site_changes as compare
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.host_plans import hosts_of
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import load_feed


def site_changes(settings, old_feed=None, new_feed=None, old_edition=None, new_edition=None, old_overlays=None,
                 new_overlays=None, old_catalog=None, new_catalog=None):
    if not isinstance(settings, dict):
        raise AnsibleFilterError("purecloud.firewall.site_changes: expects the site's settings, or the hosts "
                                 "(site_settings with scope hosts), as a mapping")
    if bool(old_feed) != bool(new_feed):
        raise AnsibleFilterError("purecloud.firewall.site_changes: give both old_feed and new_feed, or neither")
    catalogs = bool(old_edition or old_overlays or old_catalog)
    if not (old_feed or catalogs):
        raise AnsibleFilterError("purecloud.firewall.site_changes: nothing to compare; give old_feed and new_feed, "
                                 "or old_edition (old_overlays, old_catalog)")

    def compared(settings):
        """The old and new catalog for one site's or host's settings: its edition and overlays unless given."""
        return (load_catalog(old_catalog, edition=old_edition or settings.get("catalog_edition"),
                             overlays=old_overlays or []),
                load_catalog(new_catalog, edition=new_edition or settings.get("catalog_edition"),
                             overlays=settings.get("catalog_overlays") if new_overlays is None else new_overlays))

    try:
        feeds = {"old_feed": load_feed(old_feed) if old_feed else None,
                 "new_feed": load_feed(new_feed) if new_feed else None}
        hosts = hosts_of(settings)
        if hosts is not None:
            return hosts_changes(hosts, catalogs=compared if catalogs else None, **feeds)
        settings = dict((k, v) for k, v in settings.items() if v is not None)
        old, new = compared(settings) if catalogs else (None, None)
        return compare(settings, old_catalog=old, new_catalog=new, **feeds)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.site_changes: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"site_changes": site_changes}
