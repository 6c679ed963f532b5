# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ip_ranges
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Prefixes from AWS's ip-ranges.json feed, by region, service and family
description:
  - Reads an AWS C(ip-ranges.json) document, the feed the PureCloud page names for the addresses its
    cloud side may use, from a file or an http(s) URL, and returns the prefixes of the chosen regions,
    services, border groups and address families, optionally aggregated.
  - URLs go through an on-disk cache (O(cache_dir), O(cache_ttl)); when a download fails and a cached copy
    exists, the cached copy is used and a warning says so. A file needs no network at all.
  - With O(output=metadata) it returns the feed's C(syncToken), C(createDate) and counts instead.
  - Bad input (a region or service the feed does not have, a malformed feed, an unknown family) fails with
    a message naming the value and what the feed offers.
options:
  _terms:
    description: Not used; give the feed with O(src).
    type: list
    elements: str
    required: false
  src:
    description: Path or http(s) URL of the feed.
    type: str
    default: https://ip-ranges.amazonaws.com/ip-ranges.json
  region:
    description: Keep prefixes of these regions (all regions when empty), e.g. V(us-east-1).
    type: list
    elements: str
    default: []
  service:
    description: Keep prefixes of these services (all services when empty).
    type: list
    elements: str
    default: [AMAZON]
  network_border_group:
    description: Keep prefixes of these network border groups (all when empty).
    type: list
    elements: str
    default: []
  family:
    description: Address family.
    type: str
    choices: [ipv4, ipv6, both]
    default: both
  aggregate:
    description: Merge the prefixes into the fewest CIDRs covering the same addresses (netaddr).
    type: bool
    default: false
  output:
    description: V(prefixes) returns the prefixes; V(metadata) returns one mapping describing the feed.
    type: str
    choices: [prefixes, metadata]
    default: prefixes
  timeout:
    description: Seconds to wait for a download.
    type: float
    default: 10
  cache_dir:
    description: Where downloaded feeds are kept.
    type: path
    default: ~/.cache/purecloud.firewall
  cache_ttl:
    description: Seconds a downloaded feed is used before it is fetched again.
    type: int
    default: 86400
  validate_certs:
    description: Check the server's TLS certificate.
    type: bool
    default: true
notes:
  - The vendor recommends allowing its cloud destinations to any address, as they change; use these prefixes
    for an opt-in strict mode only, and refresh them.
seealso:
  - plugin: purecloud.firewall.ip_ranges_diff
    plugin_type: filter
  - plugin: purecloud.firewall.cidr_aggregate
    plugin_type: filter
"""

EXAMPLES = r"""
- name: The us-east-1 IPv4 prefixes of a downloaded feed, aggregated
  ansible.builtin.debug:
    msg: "{{ query('purecloud.firewall.ip_ranges', src='/srv/feeds/ip-ranges.json', region='us-east-1',
             family='ipv4', aggregate=true) | length }} prefixes"

- name: Which version of the feed is this?
  ansible.builtin.debug:
    msg: "{{ lookup('purecloud.firewall.ip_ranges', src='/srv/feeds/ip-ranges.json', output='metadata') }}"

- name: Straight from AWS, cached for a day
  ansible.builtin.set_fact:
    strict_destinations: "{{ query('purecloud.firewall.ip_ranges', region=['us-east-1'], aggregate=true) }}"
"""

RETURN = r"""
_raw:
  description:
    - With O(output=prefixes), the prefixes as strings, IPv4 first.
    - With O(output=metadata), one mapping with C(sync_token), C(create_date), C(ipv4_count), C(ipv6_count),
      C(regions), C(services) (and C(stale) when a cached copy stood in for a failed download).
  type: list
  elements: raw
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import (
    feed_metadata,
    load_feed,
    select_prefixes,
)
from ansible_collections.purecloud.firewall.plugins.plugin_utils.lookup_options import set_checked_options

display = Display()


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        set_checked_options(self, variables, kwargs, "purecloud.firewall.ip_ranges")
        try:
            doc = load_feed(self.get_option("src"), timeout=self.get_option("timeout"),
                            cache_dir=self.get_option("cache_dir"), cache_ttl=self.get_option("cache_ttl"),
                            validate_certs=self.get_option("validate_certs"))
            if doc.get("_stale"):
                display.warning("purecloud.firewall.ip_ranges: %s" % doc["_stale"])
            if self.get_option("output") == "metadata":
                return [feed_metadata(doc)]
            return select_prefixes(doc, region=self.get_option("region"), service=self.get_option("service"),
                                   network_border_group=self.get_option("network_border_group"),
                                   family=self.get_option("family"), aggregate=self.get_option("aggregate"))
        except PurecloudFirewallError as exc:
            raise AnsibleLookupError("purecloud.firewall.ip_ranges: %s" % exc) from None
