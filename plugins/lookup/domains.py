# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: domains
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: The domains PureCloud needs reachable, by region and owner
description:
  - Returns the rows of the page's "Domains and IP Addresses" table for an organisation's region,
    that is the region's own domain and every row the page marks "All", from the edition O(edition)
    with the O(overlays) merged over it. A region the page did not know gets its own domain from the
    catalog's region table (C(*.usw2.pure.cloud) for V(us-west-2)).
  - The row V(*.s3.{region}.amazonaws.com) comes back with the region filled in.
  - With O(include_byoc_cloud), adds the BYOC Cloud domain, its SRV/SIP FQDN pattern and the four
    C(lb0N) servers of the region (the page gives them for its five regions only).
options:
  _terms:
    description:
      - Regions. With no term, O(region) is used; with neither, every row comes back with C({region}) left in.
      # BEGIN generated region-list
      - "The regions of edition V(current): V(us-east-1), V(eu-west-1), V(eu-central-1), V(ap-southeast-2),
        V(ap-northeast-1), V(us-west-2), V(ca-central-1), V(ap-northeast-2), V(eu-west-2), V(ap-south-1),
        V(sa-east-1), V(ap-northeast-3), V(eu-central-2), V(me-central-1), V(mx-central-1), V(ap-southeast-1),
        V(us-east-2), V(eusc-de-east-1); of edition V(2018-11-21): V(us-east-1), V(eu-west-1), V(eu-central-1),
        V(ap-southeast-2), V(ap-northeast-1). A catalog overlay may add more; an unknown region is refused,
        naming the nearest."
      # END generated region-list
    type: list
    elements: str
  region:
    description: The organisation's region, when no term is given.
    type: str
  owner:
    description: Keep only these owners (V(PureCloud), V(Amazon AWS), V(Google), V(New Relic), V(Polycom), ...).
    type: list
    elements: str
    default: []
  include_legacy:
    description: Keep legacy rows (V(*.ininpcv.com), North America, PureCloud Voice only).
    type: bool
    default: true
  include_third_party:
    description: Keep third-party rows (Google, New Relic, NIST, Polycom).
    type: bool
    default: true
  include_byoc_cloud:
    description: Add the BYOC Cloud domain, SRV pattern and the region's servers.
    type: bool
    default: false
extends_documentation_fragment:
  - purecloud.firewall.catalog
seealso:
  - plugin: purecloud.firewall.requirements
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Domains to allow on the web proxy for an organisation in Frankfurt
  ansible.builtin.debug:
    msg: "{{ query('purecloud.firewall.domains', 'eu-central-1') | map(attribute='domain') | list }}"

- name: Only the Amazon AWS domains of us-east-1 (the S3 row comes back as *.s3.us-east-1.amazonaws.com)
  ansible.builtin.debug:
    msg: "{{ query('purecloud.firewall.domains', region='us-east-1', owner=['Amazon AWS']) | map(attribute='domain') | list }}"

- name: The domains of an organisation in Oregon, a region the 2018 page did not have
  ansible.builtin.debug:
    msg: "{{ query('purecloud.firewall.domains', 'us-west-2') | map(attribute='domain') | list }}"

- name: BYOC Cloud servers a carrier must accept traffic from, in Sydney
  ansible.builtin.debug:
    msg: >-
      {{ query('purecloud.firewall.domains', 'ap-southeast-2', include_byoc_cloud=true)
         | selectattr('id', 'match', 'byoc_cloud.server') | map(attribute='domain') | list }}
"""

RETURN = r"""
_raw:
  description: One mapping per domain row.
  type: list
  elements: dict
  contains:
    id:
      description: Stable id, e.g. V(aws.s3.regional).
      type: str
    owner:
      description: The page's Owner column.
      type: str
    pattern:
      description: The domain as the page writes it, e.g. V(*.s3.{region}.amazonaws.com).
      type: str
    domain:
      description: The domain with C({region}) filled in (same as RV(_raw[].pattern) when no region was asked for).
      type: str
    page_region:
      description: The page's Region column (V(North America), V(Europe), V(All), ...).
      type: str
    regions:
      description: The AWS regions the row applies to.
      type: list
      elements: str
    description:
      description: The page's description.
      type: str
    third_party:
      description: Not hosted by PureCloud.
      type: bool
    legacy:
      description: Legacy, not used for new customers.
      type: bool
    note:
      description: What the page says beside the row.
      type: str
    provenance:
      description: Where the row comes from, C(sources) (C(id), C(title), C(where)), C(effective) and C(note).
      type: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.plugin_utils.lookup_options import set_checked_options


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        set_checked_options(self, variables, kwargs, "purecloud.firewall.domains")
        regions = list(terms) or [self.get_option("region")]
        try:
            catalog = load_catalog(self.get_option("catalog_path"), edition=self.get_option("edition"),
                                   overlays=self.get_option("overlays"))
            result = []
            for region in regions:
                result.extend(row.as_dict(catalog.sources) for row in catalog.domains(
                    region=region,
                    owners=self.get_option("owner"),
                    include_legacy=self.get_option("include_legacy"),
                    include_third_party=self.get_option("include_third_party"),
                    include_byoc_cloud=self.get_option("include_byoc_cloud"),
                ))
            return result
        except PurecloudFirewallError as exc:
            raise AnsibleLookupError("purecloud.firewall.domains: %s" % exc) from None
