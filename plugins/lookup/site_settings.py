# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: site_settings
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: A host's or a site's settings, read from its variables as the roles read them
description:
  - Reads every option of M(purecloud.firewall.apply) from its variable (the roles' names, C(purecloud_region),
    C(purecloud_networks), C(purecloud_firewall_mode), ...) with apply's checks and defaults, so what is planned
    from it is what the roles enforce.
  - The products are those of C(purecloud_firewall_products), those of O(products), and those of the product
    groups (C(purecloud_<product>)) the host is in, or, with O(scope=site), that have hosts.
  - With O(scope=hosts), the settings of every host of the product groups, each read from its own variables
    (C(hostvars), its groups' C(group_vars) and its C(host_vars), templated in its own context) with its own
    products, as its roles read them, from a task on any host (the controller). Only the variables that are
    settings are read.
  - On a network device (C(ansible_network_os) set) the backend is the platform's, as apply finds it.
  - Feed the result to P(purecloud.firewall.compile_rules#filter) (what this host enforces),
    P(purecloud.firewall.site_rules#filter), P(purecloud.firewall.site_report#filter) or
    P(purecloud.firewall.site_changes#filter). The playbooks show_rules, report and changes do.
  - The result holds the Genesys Cloud client's secret when one is set; do not print it.
options:
  products:
    description: Products added to the declared ones.
    type: list
    elements: str
    default: []
  scope:
    description:
      - V(host), the host's own products (its product groups); V(site), every product the site's inventory
        uses (the product groups with hosts), for a site-wide report; V(hosts), each host of the product
        groups with its own settings, for a report built from what every host enforces.
    type: str
    choices: [host, site, hosts]
    default: host
"""

EXAMPLES = r"""
- name: The rules this host's roles enforce, planned on the controller
  ansible.builtin.debug:
    msg: "{{ lookup('purecloud.firewall.site_settings') | purecloud.firewall.compile_rules | purecloud.firewall.rules_table }}"

- name: The site's change request, from what each host of the product groups enforces
  ansible.builtin.copy:
    content: "{{ (lookup('purecloud.firewall.site_settings', scope='hosts') | purecloud.firewall.site_report).markdown }}"
    dest: change-request.md
    mode: "0644"

- name: The same without hosts in the product groups, every product the site declares, as a gateway sees it
  ansible.builtin.copy:
    content: "{{ (lookup('purecloud.firewall.site_settings', scope='site') | purecloud.firewall.site_report).markdown }}"
    dest: change-request.md
    mode: "0644"
"""

RETURN = r"""
_raw:
  description:
    - One mapping, the options of M(purecloud.firewall.apply) without the C(purecloud_) prefix, checked, with
      their defaults.
    - With O(scope=hosts), the hosts, marked as such, C(kind) V(purecloud.firewall.hosts) and C(hosts), each
      host's name to such settings (empty when the product groups have no hosts). A host may have any name,
      C(products) too; the filters tell hosts from one site's settings by C(kind).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.host_plans import hosts_record
from ansible_collections.purecloud.firewall.plugins.plugin_utils.lookup_options import set_checked_options
from ansible_collections.purecloud.firewall.plugins.plugin_utils.site_settings import host_settings, inventory_settings


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if terms:
            raise AnsibleLookupError("purecloud.firewall.site_settings: takes no terms, got %r" % (terms,))
        set_checked_options(self, variables, kwargs, "purecloud.firewall.site_settings")
        try:
            if self.get_option("scope") == "hosts":
                return [hosts_record(inventory_settings(variables or {}, self._templar,
                                                        products=self.get_option("products")))]
            return [host_settings(variables or {}, self._templar, products=self.get_option("products"),
                                  scope=self.get_option("scope"))]
        except PurecloudFirewallError as exc:
            raise AnsibleLookupError("purecloud.firewall.site_settings: %s" % exc) from None
