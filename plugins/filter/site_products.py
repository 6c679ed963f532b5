# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: site_products
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: The products a host or a site carries, from its declared products and its inventory groups
description:
  - The products of O(_input) (C(purecloud_firewall_products), each checked against the catalog, a near miss
    named), and every product whose group C(purecloud_<product>) the host is in, or, given the inventory's
    C(groups), that has hosts.
  - In the catalog's order, which is the order C(purecloud.firewall.site) rolls the roles out.
options:
  _input:
    description: The declared products (C(purecloud_firewall_products)); may be empty.
    type: list
    elements: str
    required: true
  groups:
    description: The host's C(group_names), or the inventory's C(groups) (group to hosts).
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: The products of this host, as the drift playbook finds them
  ansible.builtin.debug:
    msg: "{{ purecloud_firewall_products | default([]) | purecloud.firewall.site_products(group_names) }}"

- name: The products of the whole site, as the report finds them
  ansible.builtin.debug:
    msg: "{{ purecloud_firewall_products | default([]) | purecloud.firewall.site_products(groups) }}"
"""

RETURN = r"""
_value:
  description: Product names.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.site import inventory_products


def site_products(declared, groups):
    try:
        return inventory_products(load_catalog(), declared, groups)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.site_products: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"site_products": site_products}
