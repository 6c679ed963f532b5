# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: genesys_ip_ranges
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: Genesys Cloud's own feed of its public IP ranges, by service and direction
description:
  - Reads C(GET /api/v2/ipranges) ("Get public ip address ranges for Genesys Cloud") from the organisation's
    region, C(https://api.<domain>/api/v2/ipranges) with the domain from the catalog's region table, after an
    OAuth client-credentials token from C(https://login.<domain>/oauth/token), the protocol of the vendor's SDKs.
  - Returns the ranges of the chosen services and directions, optionally aggregated, or the entries themselves,
    or a description of the feed. Each entry has a C(cidr), a C(service) (V(api), V(data-actions), V(smtp),
    V(audiohook), V(bot-connector), ... the vendor adds more) and a C(direction) seen from Genesys Cloud
    (V(inbound) to it, V(outbound) from it, V(both)); older answers have no direction.
  - Answers are cached like P(purecloud.firewall.ip_ranges#lookup) caches AWS's feed (O(cache_dir),
    O(cache_ttl)); when the API cannot be read and a cached copy exists, the copy is used with a warning. With
    O(src) a file, a saved answer is read and nothing is contacted.
  - Every failure is an error naming the region and the step (the token, the listing, the answer); a partial or
    malformed answer is refused whole. The client secret is never logged, cached or returned.
options:
  region:
    description:
      - The organisation's region, its AWS code; falls back to the variable C(purecloud_region).
      # BEGIN generated region-list
      - "The regions of edition V(current): V(us-east-1), V(eu-west-1), V(eu-central-1), V(ap-southeast-2),
        V(ap-northeast-1), V(us-west-2), V(ca-central-1), V(ap-northeast-2), V(eu-west-2), V(ap-south-1),
        V(sa-east-1), V(ap-northeast-3), V(eu-central-2), V(me-central-1), V(mx-central-1), V(ap-southeast-1),
        V(us-east-2), V(eusc-de-east-1); of edition V(2018-11-21): V(us-east-1), V(eu-west-1), V(eu-central-1),
        V(ap-southeast-2), V(ap-northeast-1). A catalog overlay may add more; an unknown region is refused,
        naming the nearest."
      # END generated region-list
    type: str
    vars:
      - name: purecloud_region
  src:
    description:
      - A file holding a saved answer of the API (no network, no credentials), or a URL in place of the region's
        C(https://api.<domain>/api/v2/ipranges).
    type: str
  token_url:
    description: The token endpoint; by default the one the SDKs derive, the API host with C(api.) made C(login.).
    type: str
  client_id:
    description:
      - The OAuth client's id (a client credentials grant; the endpoint needs no permission).
      - Falls back to the variable C(purecloud_genesys_client_id), then to the environment variable
        C(GENESYSCLOUD_OAUTHCLIENT_ID) the vendor's tools read.
    type: str
    vars:
      - name: purecloud_genesys_client_id
    env:
      - name: GENESYSCLOUD_OAUTHCLIENT_ID
  client_secret:
    description:
      - The OAuth client's secret. Falls back to the variable C(purecloud_genesys_client_secret), then to
        C(GENESYSCLOUD_OAUTHCLIENT_SECRET). Keep it in a vault or the environment; it is never logged.
    type: str
    vars:
      - name: purecloud_genesys_client_secret
    env:
      - name: GENESYSCLOUD_OAUTHCLIENT_SECRET
  access_token:
    description: A token obtained elsewhere, in place of the client; falls back to C(GENESYSCLOUD_ACCESS_TOKEN).
    type: str
    env:
      - name: GENESYSCLOUD_ACCESS_TOKEN
  service:
    description: Keep the entries of these services, for example V(api) (all services when empty).
    type: list
    elements: str
    default: []
  direction:
    description:
      - Keep the entries of these directions (all when empty); an entry without a direction is always kept.
      - V(inbound) and V(both) are the addresses a site's flows go to.
    type: list
    elements: str
    choices: [inbound, outbound, both]
    default: []
  family:
    description: Address family; V(both) returns IPv4 first.
    type: str
    choices: [ipv4, ipv6, both]
    default: both
  aggregate:
    description: Merge the prefixes into the fewest CIDRs covering exactly the same addresses.
    type: bool
    default: false
  output:
    description:
      - V(prefixes), the CIDRs; V(entries), the selected entries as the API gives them; V(metadata), the feed's
        C(count), C(services), C(directions), C(regions) and C(age_seconds) (and C(stale) when a cached copy
        stood in).
    type: str
    choices: [prefixes, entries, metadata]
    default: prefixes
  retries:
    description: Further tries after an answer of 429, 502, 503 or 504, waiting as C(Retry-After) says (10 s at most).
    type: int
    default: 2
  ca_path:
    description: A PEM file of the certificate authorities to trust, in place of the system's.
    type: path
extends_documentation_fragment:
  - purecloud.firewall.catalog
  - purecloud.firewall.feed
notes:
  - Like every lookup, C(lookup()) joins a list into one string; use C(query()) to get a list.
  - With the roles, O(service) is C(purecloud_genesys_ip_ranges_services); strict mode then allows these prefixes
    where it allows the region's AWS prefixes.
seealso:
  - plugin: purecloud.firewall.ip_ranges
    plugin_type: lookup
  - name: Get public ip address ranges for Genesys Cloud
    description: The endpoint in the vendor's API reference (UtilitiesApi getIpranges).
    link: https://developer.genesys.cloud/platform/api/
"""

EXAMPLES = r"""
- name: The ranges of the Genesys Cloud API in Oregon, credentials from the environment
  ansible.builtin.debug:
    msg: "{{ query('purecloud.firewall.genesys_ip_ranges', region='us-west-2', service=['api'], aggregate=true) }}"

- name: What an organisation in Frankfurt must accept from Genesys Cloud (data actions, SMTP, ...)
  ansible.builtin.set_fact:
    genesys_sources: >-
      {{ query('purecloud.firewall.genesys_ip_ranges', region='eu-central-1', direction=['outbound', 'both'],
               client_id=genesys_client_id, client_secret=genesys_client_secret) }}

- name: A saved answer, no network
  ansible.builtin.debug:
    msg: "{{ lookup('purecloud.firewall.genesys_ip_ranges', src='/srv/feeds/genesys-ipranges.json', output='metadata') }}"
"""

RETURN = r"""
_raw:
  description:
    - With O(output=prefixes), the CIDRs as strings, IPv4 first.
    - With O(output=entries), mappings with C(cidr), C(service), C(region) and C(direction).
    - With O(output=metadata), one mapping describing the feed.
  type: list
  elements: raw
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.genesys_feed import (
    genesys_metadata, genesys_prefixes, load_genesys_feed, select_genesys)
from ansible_collections.purecloud.firewall.plugins.plugin_utils.lookup_options import set_checked_options

FQCN = "purecloud.firewall.genesys_ip_ranges"
display = Display()


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        set_checked_options(self, variables, kwargs, FQCN)
        if terms:
            raise AnsibleLookupError("%s: takes no terms; give region (and src) as options" % FQCN)
        try:
            catalog = load_catalog(self.get_option("catalog_path"), edition=self.get_option("edition"),
                                   overlays=self.get_option("overlays"))
            if not self.get_option("region") and not self.get_option("src"):
                raise PurecloudFirewallError("no region: give region (or set purecloud_region), or src")
            region = catalog.region(self.get_option("region")) if self.get_option("region") else None
            feed = load_genesys_feed(
                region.code if region else "(none)", region.domain if region else "", src=self.get_option("src"),
                token_url=self.get_option("token_url"), client_id=self.get_option("client_id"),
                client_secret=self.get_option("client_secret"), access_token=self.get_option("access_token"),
                timeout=self.get_option("timeout"), retries=self.get_option("retries"),
                cache_dir=self.get_option("cache_dir"), cache_ttl=self.get_option("cache_ttl"),
                validate_certs=self.get_option("validate_certs"), ca_path=self.get_option("ca_path"))
            for note in ("_stale", "_cache_error"):
                if feed.get(note):
                    display.warning("%s: %s" % (FQCN, feed[note]))
            output = self.get_option("output")
            if output == "metadata":
                return [genesys_metadata(feed)]
            if output == "entries":
                return select_genesys(feed, self.get_option("service"), self.get_option("direction"))
            return genesys_prefixes(feed, self.get_option("service"), self.get_option("direction"),
                                    family=self.get_option("family"), aggregate=self.get_option("aggregate"))
        except PurecloudFirewallError as exc:
            raise AnsibleLookupError("%s: %s" % (FQCN, exc)) from None
