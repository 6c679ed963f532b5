# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: requirements
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: The firewall requirements of PureCloud products, from the vendor page
description:
  - Returns the rows of the page "Ports and services to configure on your company firewall"
    (PureCloud, now Genesys Cloud CX) for one or more products, as the collection's catalog
    encodes them (C(vars/catalog.yml)), from the edition O(edition) with the O(overlays) merged over it.
  - By default every row the page lists for a product comes back, conditional ones included;
    the RV(_raw[].flags) of each row say what is conditional. The O(include_legacy),
    O(include_backward_compat), O(include_conditional_ldap), O(include_internal_dns_exempt) and
    O(include_vendor_specified) options drop rows by flag.
  - Every product includes the general rows (DNS, NTP) that apply to its devices, with their
    source narrowed to those devices. V(webrtc_client) is the client block plus DNS for workstations.
  - Rows whose ports the page leaves open take them from a port variable (see O(port_variables));
    a vendor-specified row comes back with an empty RV(_raw[].ports) until its variable is given.
options:
  _terms:
    description:
      - Products to return.
      - V(all) returns every row of the catalog once, under the product that owns it.
    type: list
    elements: str
    required: true
    # BEGIN generated lookup-product-choices
    choices: [general, edge, byoc_premises, voice, bridge, webrtc_client, byoc_cloud, all]
    # END generated lookup-product-choices
  include_legacy:
    description: Keep rows flagged C(legacy) (BYOC Premises provisioning on tcp/8088 and tcp/8089).
    type: bool
    default: true
  include_backward_compat:
    description: Keep rows flagged C(backward_compat) (the SRTP/TURN range udp/49152-65535 of Edges and WebRTC phones).
    type: bool
    default: true
  include_conditional_ldap:
    description: Keep rows flagged C(conditional_ldap) (Bridge Server to Active Directory on tcp/389 and tcp/636).
    type: bool
    default: true
  include_internal_dns_exempt:
    description: Keep rows flagged C(internal_dns_exempt) (DNS on port 53, not needed with internal DNS).
    type: bool
    default: true
  include_vendor_specified:
    description: Keep rows flagged C(vendor_specified) (SIP and RTP towards the SIP provider, BYOC Cloud trunks).
    type: bool
    default: true
  include_deprecated:
    description:
      - Keep rows the edition marks deprecated (rows the vendor no longer lists, kept with the date and the
        reason); they are never compiled into rules by the roles.
    type: bool
    default: false
  port_variables:
    description:
      - Values for the catalog's port variables, by name. Each value is a list of ports
        (V(5060), V(16384-32768)); a port written V(udp/5060) or V(tcp/5061) applies only to rows of that protocol.
      - V(phone_rtp_ports) (RTP from Edges to phones, the page's open-ended C(udp/4000+); default V(4000-65535)),
        V(sip_provider_sip_ports), V(sip_provider_rtp_ports) and V(byoc_cloud_sip_ports) (no default, the provider or carrier gives them).
    type: dict
    default: {}
  port_overrides:
    description:
      - New ports for single rows, by requirement id, for the ports the page calls configurable defaults
        ("ports can be changed in the PureCloud configuration") and rows that take a port variable.
      - Any other id is refused with the list of ids that may move.
    type: dict
    default: {}
  extra_requirements:
    description:
      - Your own rows, added to the catalog's for this call. Each needs C(id), C(product), C(protocol),
        C(ports), C(source) and C(destination) (endpoint classes); C(application), C(description),
        C(flags) and C(note) are optional. Ids must not clash with the catalog's.
    type: list
    elements: dict
    default: []
extends_documentation_fragment:
  - purecloud.firewall.catalog
notes:
  - The catalog's version and changelog are in C(vars/catalog.yml); C(docs/catalog.md) lists the editions and
    their sources.
seealso:
  - plugin: purecloud.firewall.domains
    plugin_type: lookup
  - plugin: purecloud.firewall.ip_ranges
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Show every row the page lists for an Edge
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.protocol }}/{{ item.ports | join(',') }} -> {{ item.destination | join(', ') }}"
  loop: "{{ query('purecloud.firewall.requirements', 'edge') }}"

- name: The client block without the DNS rows (the site resolves names internally)
  ansible.builtin.set_fact:
    client_rows: "{{ query('purecloud.firewall.requirements', 'webrtc_client', include_internal_dns_exempt=false) }}"

- name: Edge rows with the SIP provider's ports filled in and the phones' RTP range narrowed
  ansible.builtin.set_fact:
    edge_rows: >-
      {{ query('purecloud.firewall.requirements', 'edge',
               include_backward_compat=false,
               port_variables={'sip_provider_sip_ports': ['udp/5060', 'tcp/5061'],
                               'sip_provider_rtp_ports': ['10000-20000'],
                               'phone_rtp_ports': ['4000-4999']}) }}

- name: The Edge's rows as the 2018 page gave them (media on udp/16384-32768)
  ansible.builtin.set_fact:
    edge_rows_2018: "{{ query('purecloud.firewall.requirements', 'edge', edition='2018-11-21') }}"

- name: Phones provisioned from the Edge on a moved port, plus one row of the site's own
  ansible.builtin.set_fact:
    voice_rows: >-
      {{ query('purecloud.firewall.requirements', 'voice',
               port_overrides={'voice.provisioning.edge.http': ['8080']},
               extra_requirements=[{'id': 'site.syslog', 'product': 'voice', 'protocol': 'udp',
                                    'ports': ['514'], 'source': ['voip_phone'], 'destination': ['edge']}]) }}
"""

RETURN = r"""
_raw:
  description: One mapping per requirement, in the page's order.
  type: list
  elements: dict
  contains:
    id:
      description: Stable id, e.g. V(edge.media.srtp_turn).
      type: str
    product:
      description: The product the row was selected for (the owning product with V(all)).
      type: str
    section:
      description: The page's section (product header) the row comes from.
      type: str
    table:
      description: The table's number within its section, counted from 1.
      type: int
    page_port:
      description: The Transport/Port cell as the page writes it, e.g. V(udp/4000+ (RTP/SRTP\)*).
      type: str
    application:
      description: The application, e.g. V(SIP), V(STUN), V(HTTPS).
      type: str
    description:
      description: The page's description of the row.
      type: str
    protocol:
      description: V(tcp) or V(udp); the page's C(tls/8063) is V(tcp).
      type: str
    ports:
      description: Ports and ranges as strings (V(443), V(16384-32768)), merged; empty for an unresolved vendor-specified row.
      type: list
      elements: str
    ports_from:
      description: The port variable the row takes its ports from, or null.
      type: str
    source:
      description: Endpoint classes that open the connection (the catalog's classes, see C(docs/catalog.md)).
      type: list
      elements: str
    destination:
      description: Endpoint classes that listen.
      type: list
      elements: str
    flags:
      description:
        - Every flag of the page, true or false - V(third_party), V(optional_secure), V(configurable_default),
          V(conditional_ldap), V(legacy), V(backward_compat), V(internal_dns_exempt), V(vendor_specified).
      type: dict
    note:
      description: What the page says beside the row (footnotes, destinations in full).
      type: str
    provenance:
      description:
        - Where the row comes from, C(sources) (each with C(id), C(title) and C(where) it was read),
          C(effective) (the date it holds from) and C(note).
      type: dict
    deprecated:
      description: For a row the vendor no longer lists, C(date), C(reason) and C(sources); else null.
      type: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import (
    load_catalog,
    options_from_mapping,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.plugin_utils.lookup_options import set_checked_options

_SELECT_OPTIONS = (
    "include_legacy", "include_backward_compat", "include_conditional_ldap",
    "include_internal_dns_exempt", "include_vendor_specified", "include_deprecated",
    "port_variables", "port_overrides", "extra_requirements",
)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        set_checked_options(self, variables, kwargs, "purecloud.firewall.requirements")
        try:
            catalog = load_catalog(self.get_option("catalog_path"), edition=self.get_option("edition"),
                                   overlays=self.get_option("overlays"))
            options = options_from_mapping(dict((name, self.get_option(name)) for name in _SELECT_OPTIONS))
            return [row.as_dict(catalog.sources) for row in catalog.select(list(terms), options)]
        except PurecloudFirewallError as exc:
            raise AnsibleLookupError("purecloud.firewall.requirements: %s" % exc) from None
