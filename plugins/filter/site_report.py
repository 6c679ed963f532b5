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
  - Plans every product of the site as a gateway would and lists each flow with its source networks, its
    destination (the region's domains, CIDRs or any), protocol and ports, purpose, requirement ids, the page's
    sections and flags.
  - Returns the report as Markdown (with a Mermaid flow diagram of endpoint classes to destinations), one
    self-contained HTML file (inline CSS and SVG diagram, nothing fetched), CSV and JSON.
  - P(purecloud.firewall.report#playbook) writes the four files for an inventory.
options:
  _input:
    description:
      - The site's settings, the options of M(purecloud.firewall.apply) without the C(purecloud_) prefix,
        C(products), C(region), C(networks), C(ldap), ... Unset ones (null) take their defaults.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Write the HTML change request of a site
  ansible.builtin.copy:
    content: >-
      {{ {'products': ['edge', 'voice'], 'region': 'us-east-1',
          'networks': {'edge': ['10.10.0.0/28'], 'voip_phone': ['10.20.0.0/22'], 'workstation': ['10.30.0.0/16']}}
         | purecloud.firewall.site_report | community.general.json_query('html') }}
    dest: change-request.html
    mode: "0644"
"""

RETURN = r"""
_value:
  description: C(markdown), C(html), C(csv) and C(json) (strings), and C(flows), how many flows there are.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.report import render_report


def site_report(settings):
    if not isinstance(settings, dict):
        raise AnsibleFilterError("purecloud.firewall.site_report: expects the site's settings as a mapping")
    try:
        return render_report(dict((k, v) for k, v in settings.items() if v is not None))
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.site_report: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"site_report": site_report}
