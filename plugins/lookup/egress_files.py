# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: egress_files
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: A region's web domains as a Squid allowlist, a squid.conf include and a PAC file
description:
  - The names a web proxy must pass for an organisation's region, from the page's "Domains and IP Addresses" table
    (the region's own domain and every row marked "All", C({region}) filled in), less the names of classes that no
    TCP 443 row reaches (C(time.nist.gov) is NTP, C(*.l.google.com) is STUN). Legacy rows are left out unless
    O(include_legacy).
  - C(squid_acl) is a C(dstdomain) ACL file (C(*.x.com) becomes C(.x.com), which Squid matches for C(x.com) and its
    sub-domains; a name another one covers is left out). C(squid_conf) is an include for C(/etc/squid/conf.d/) that
    allows those names, from O(clients) when given. Debian's squid.conf reads C(conf.d) before its own
    C(http_access deny all) and keeps CONNECT to port 443.
  - With O(proxy), C(pac) is a PAC file for browsers and the desktop app. Hosts written as an address inside the
    region's Genesys media blocks (and O(direct)) go V(DIRECT), as the vendor advises for media; the web names go
    to O(proxy); anything else gets O(default). Names are never resolved to choose a route.
options:
  _terms:
    description: The organisation's region (one); with no term, O(region).
    type: list
    elements: str
  region:
    description: The organisation's region, when no term is given.
    type: str
  proxy:
    description: The PAC route for the web names, V(PROXY host:port) (several joined by V(; )). Unset, no PAC file.
    type: str
  default:
    description: The PAC route for every other host.
    type: str
    default: DIRECT
  direct:
    description: More networks the PAC file sends V(DIRECT), beside the media blocks.
    type: list
    elements: str
    default: []
  clients:
    description: Networks allowed to use the proxy for these names; empty, any client Squid already accepts.
    type: list
    elements: str
    default: []
  acl_path:
    description: Where C(squid_conf) reads the allowlist from; unset, C(/etc/squid/purecloud/<region>.domains).
    type: str
  include_legacy:
    description: Keep legacy rows (V(*.ininpcv.com), PureCloud Voice only).
    type: bool
    default: false
  include_third_party:
    description: Keep third-party rows (Google, New Relic, Polycom).
    type: bool
    default: true
extends_documentation_fragment:
  - purecloud.firewall.catalog
seealso:
  - plugin: purecloud.firewall.domains
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: The Squid allowlist of an organisation in Frankfurt
  ansible.builtin.debug:
    msg: "{{ lookup('purecloud.firewall.egress_files', 'eu-central-1').squid_acl }}"

- name: A PAC file that sends the web names of us-east-1 through the site proxy and media direct
  ansible.builtin.debug:
    msg: "{{ lookup('purecloud.firewall.egress_files', 'us-east-1', proxy='PROXY proxy.example.net:3128').pac }}"

- name: The squid.conf include, for the workstations only
  ansible.builtin.debug:
    msg: "{{ lookup('purecloud.firewall.egress_files', region='us-east-1', clients=['198.51.100.224/27']).squid_conf }}"
"""

RETURN = r"""
_raw:
  description: One mapping.
  type: list
  elements: dict
  contains:
    region:
      description: The region.
      type: str
    edition:
      description: The catalog edition the files were made from.
      type: str
    domains:
      description: The web names, as the page writes them with the region filled in.
      type: list
      elements: str
    media_networks:
      description: The region's Genesys media blocks (none in the 2018 edition).
      type: list
      elements: str
    squid_acl_path:
      description: The allowlist path C(squid_conf) names.
      type: str
    squid_acl:
      description: The C(dstdomain) ACL file.
      type: str
    squid_conf:
      description: The squid.conf include.
      type: str
    pac:
      description: The PAC file, when O(proxy) is set.
      type: str
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.egress import egress_files
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.plugin_utils.lookup_options import set_checked_options

FQCN = "purecloud.firewall.egress_files"


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        set_checked_options(self, variables, kwargs, FQCN)
        regions = list(terms) or ([self.get_option("region")] if self.get_option("region") else [])
        if len(regions) != 1:
            raise AnsibleLookupError("%s: give one region (a term or region=), got %r" % (FQCN, regions))
        try:
            catalog = load_catalog(self.get_option("catalog_path"), edition=self.get_option("edition"),
                                   overlays=self.get_option("overlays"))
            return [egress_files(catalog, regions[0], proxy=self.get_option("proxy"),
                                 acl_path=self.get_option("acl_path") or "", clients=self.get_option("clients"),
                                 default=self.get_option("default"), direct=self.get_option("direct"),
                                 include_legacy=self.get_option("include_legacy"),
                                 include_third_party=self.get_option("include_third_party"))]
        except PurecloudFirewallError as exc:
            raise AnsibleLookupError("%s: %s" % (FQCN, exc)) from None
