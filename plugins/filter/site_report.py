# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: site_report
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: A site's firewall change request as Markdown, HTML, CSV and JSON
description:
  - Given the hosts of the site (P(purecloud.firewall.site_settings#lookup) with C(scope=hosts)), plans each host
    with its own settings as M(purecloud.firewall.apply) plans it, product by product, and lists each flow once
    (per product, source class, destination class and protocol) with the union of what the hosts enforce, its
    source networks, its destination (the region's domains, CIDRs or any), protocol and ports, purpose,
    requirement ids, the page's sections and flags, and the hosts that enforce it, each with its own ports or
    networks where the hosts differ. A row a host cannot resolve yet is listed with that host.
  - Given one site's settings, plans every product of the site as a gateway would and lists its flows the same
    way.
  - Returns the report as Markdown (with a Mermaid flow diagram of endpoint classes to destinations), one
    self-contained HTML file (inline CSS and SVG diagram, nothing fetched), CSV and JSON.
  - P(purecloud.firewall.report#playbook) writes the four files for an inventory.
options:
  _input:
    description:
      - The site's settings, the options of M(purecloud.firewall.apply) without the C(purecloud_) prefix,
        C(products), C(region), C(networks), C(ldap), ... Unset ones (null) take their defaults.
      - Or the hosts, as P(purecloud.firewall.site_settings#lookup) gives them with C(scope=hosts), marked as
        such (C(kind) V(purecloud.firewall.hosts)), C(hosts) a mapping of host name to such settings.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Write the HTML change request of a site
  ansible.builtin.copy:
    content: >-
      {{ ({'products': ['edge', 'voice'], 'region': 'us-east-1',
           'networks': {'edge': ['10.10.0.0/28'], 'voip_phone': ['10.20.0.0/22'], 'workstation': ['10.30.0.0/16']}}
          | purecloud.firewall.site_report).html }}
    dest: change-request.html
    mode: "0644"

- name: Write the change request of what the inventory's hosts enforce
  ansible.builtin.copy:
    content: "{{ (lookup('purecloud.firewall.site_settings', scope='hosts') | purecloud.firewall.site_report).markdown }}"
    dest: change-request.md
    mode: "0644"
"""

RETURN = r"""
_value:
  description:
    - C(markdown), C(html), C(csv) and C(json) (strings), and C(flows), how many flows there are.
    - Each flow has a C(hosts) column (empty for one site's settings); the JSON names each host planned under
      C(hosts), with its products and mode.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.host_plans import hosts_of
from ansible_collections.purecloud.firewall.plugins.module_utils.report import render_report


def site_report(settings):
    if not isinstance(settings, dict):
        raise AnsibleFilterError("purecloud.firewall.site_report: expects the site's settings, or the hosts "
                                 "(site_settings with scope hosts), as a mapping")
    try:
        hosts = hosts_of(settings)
        if hosts is not None:
            return render_report({}, hosts=hosts)
        return render_report(dict((k, v) for k, v in settings.items() if v is not None))
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.site_report: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"site_report": site_report}
