# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ip_ranges
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Prefixes from AWS's ip-ranges.json feed, by region, service, border group and family
description:
  - Reads an AWS C(ip-ranges.json) document, the feed the PureCloud page names for the addresses its
    cloud side may use, from a file or an http(s) URL, and returns the prefixes of the chosen regions,
    services, network border groups and address families, optionally aggregated.
  - URLs go through an on-disk cache (O(cache_dir), O(cache_ttl)); when a download fails and a cached copy
    exists, the cached copy is used and a warning says so. A file needs no network at all.
  - With O(output=metadata) it returns the feed's C(syncToken), C(createDate), counts, regions and services instead.
  - Bad input (a region, service or border group the feed does not have, a malformed feed, an unknown family)
    fails with a message naming the value and listing what the feed or the option offers.
options:
  _terms:
    description:
      - Feeds to read, each a path or an http(s) URL, in place of O(src).
      - With several, the prefixes of all of them are returned together (duplicates removed, aggregated
        together with O(aggregate=true)); with O(output=metadata), one mapping per feed.
      - Give the feed either as a term or as O(src), not both.
    type: list
    elements: str
    required: false
  src:
    description: Path (or C(file://) URL) or http(s) URL of the feed, when no term is given.
    type: str
    default: https://ip-ranges.amazonaws.com/ip-ranges.json
  region:
    description: Keep prefixes of these regions, e.g. V(us-east-1) (all regions when empty).
    type: list
    elements: str
    default: []
  service:
    description: Keep prefixes of these services, e.g. V(AMAZON) (all services when empty).
    type: list
    elements: str
    default: [AMAZON]
  network_border_group:
    description: Keep prefixes of these network border groups, e.g. V(us-east-1-bos-1) (all when empty).
    type: list
    elements: str
    default: []
  family:
    description:
      - Address family. V(both) returns the IPv4 prefixes first, then the IPv6 ones.
    type: str
    choices: [ipv4, ipv6, both]
    default: both
  aggregate:
    description:
      - Merge the prefixes into the fewest CIDRs covering exactly the same addresses, as
        P(purecloud.firewall.cidr_aggregate#filter) does.
      - Without it the prefixes come back as the feed writes them, in feed order, duplicates removed.
    type: bool
    default: false
  output:
    description:
      - V(prefixes) returns the prefixes; V(metadata) returns one mapping per feed describing it.
    type: str
    choices: [prefixes, metadata]
    default: prefixes
extends_documentation_fragment:
  - purecloud.firewall.feed
notes:
  - Like every lookup, C(lookup()) joins a list result into one comma-separated string; use C(query()) (or
    C(lookup(..., wantlist=true))) to get the prefixes as a list.
  - The vendor recommends allowing its cloud destinations to any address, as they change; use these prefixes
    for an opt-in strict mode only, and refresh them.
seealso:
  - plugin: purecloud.firewall.ip_ranges_diff
    plugin_type: filter
  - plugin: purecloud.firewall.cidr_aggregate
    plugin_type: filter
  - name: AWS IP address ranges
    description: The feed's format and meaning.
    link: https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html
"""

EXAMPLES = r"""
- name: The us-east-1 IPv4 prefixes of a downloaded feed, aggregated, as a list
  ansible.builtin.set_fact:
    strict_destinations: >-
      {{ query('purecloud.firewall.ip_ranges', src='/srv/feeds/ip-ranges.json', region='us-east-1',
               family='ipv4', aggregate=true) }}

- name: The feed as a term; several regions and services
  ansible.builtin.debug:
    msg: >-
      {{ query('purecloud.firewall.ip_ranges', '/srv/feeds/ip-ranges.json',
               region=['us-east-1', 'us-west-2'], service=['AMAZON', 'EC2']) | length }} prefixes

- name: Which version of the feed is this?
  ansible.builtin.debug:
    msg: "{{ lookup('purecloud.firewall.ip_ranges', src='/srv/feeds/ip-ranges.json', output='metadata') }}"

- name: Straight from AWS, cached for a day (the cached copy stands in when AWS cannot be reached)
  ansible.builtin.set_fact:
    strict_destinations: "{{ query('purecloud.firewall.ip_ranges', region='us-east-1', aggregate=true) }}"
"""

RETURN = r"""
_raw:
  description:
    - With O(output=prefixes), the prefixes as strings (like V(3.5.140.0/22)), IPv4 first.
    - With O(output=metadata), one mapping per feed with C(sync_token), C(create_date), C(ipv4_count),
      C(ipv6_count), C(regions), C(services) (and C(stale) when a cached copy stood in for a failed download).
  type: list
  elements: raw
"""

from ansible import constants as C
from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import (
    feed_metadata,
    load_feed,
    select_prefixes,
)
from ansible_collections.purecloud.firewall.plugins.plugin_utils.lookup_options import set_checked_options

FQCN = "purecloud.firewall.ip_ranges"
display = Display()


class LookupModule(LookupBase):
    def _ensure_definitions(self):
        """Let ``LookupModule().run(...)`` work outside the plugin loader, which normally registers the options."""
        if getattr(self, "_load_name", None):
            return
        self._load_name = __name__
        if not C.config.has_configuration_definition("lookup", __name__):
            from ansible.plugins.loader import fragment_loader
            from ansible.utils.plugin_docs import get_docstring

            # The documentation as the loader reads it, the shared feed options merged in.
            doc = get_docstring(__file__, fragment_loader, collection_name="purecloud.firewall")[0]
            C.config.initialize_plugin_configuration_definitions("lookup", __name__, doc["options"])

    def run(self, terms, variables=None, **kwargs):
        self._ensure_definitions()
        set_checked_options(self, variables, kwargs, FQCN)
        if terms and "src" in kwargs:
            raise AnsibleLookupError("%s: give the feed either as a term or as src, not both" % FQCN)
        sources = [str(term) for term in terms] if terms else [self.get_option("src")]
        try:
            docs = []
            for src in sources:
                doc = load_feed(src, timeout=self.get_option("timeout"), cache_dir=self.get_option("cache_dir"),
                                cache_ttl=self.get_option("cache_ttl"),
                                validate_certs=self.get_option("validate_certs"))
                for note in ("_stale", "_cache_error"):
                    if doc.get(note):
                        display.warning("%s: %s" % (FQCN, doc[note]))
                docs.append(doc)
            if self.get_option("output") == "metadata":
                return [feed_metadata(doc) for doc in docs]
            aggregate = self.get_option("aggregate")
            chosen = {}  # an ordered set over all feeds
            for doc in docs:
                chosen.update(dict.fromkeys(select_prefixes(
                    doc, region=self.get_option("region"), service=self.get_option("service"),
                    network_border_group=self.get_option("network_border_group"),
                    family=self.get_option("family"), aggregate=aggregate and len(docs) == 1)))
            if len(docs) == 1:
                return list(chosen)
            if aggregate:
                return aggregate_cidrs(list(chosen))
            return sorted(chosen, key=lambda prefix: ":" in prefix)  # stable: IPv4 first, feed order kept
        except PurecloudFirewallError as exc:
            raise AnsibleLookupError("%s: %s" % (FQCN, exc)) from None
