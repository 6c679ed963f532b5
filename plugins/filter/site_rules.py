# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: site_rules
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: The rules a site needs, product by product, planned the way the roles plan them
description:
  - Plans each of the site's products as a gateway does, on the path of M(purecloud.firewall.apply), with the
    catalog edition and overlays of the settings, the options, the ports and the networks; the rows that cannot
    be resolved yet are listed as skipped.
  - A strict site (C(cloud_destinations=aws_ip_ranges)) is planned with the feeds the roles read, on the
    controller.
options:
  _input:
    description:
      - The site's settings, the options of M(purecloud.firewall.apply) without the C(purecloud_) prefix
        (C(products), C(region), C(networks), C(catalog_edition), C(catalog_overlays), ...). Unset ones (null)
        take their defaults.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Print the rules of each product of a site
  ansible.builtin.debug:
    msg: "{{ item.value | purecloud.firewall.rules_table }}"
  loop: >-
    {{ ({'products': ['edge'], 'region': 'us-west-2',
         'networks': {'edge': ['10.10.0.0/28'], 'voip_phone': ['10.20.0.0/22']}}
        | purecloud.firewall.site_rules).products | dict2items }}
"""

RETURN = r"""
_value:
  description:
    - C(products), each product's C(rules) and C(skipped) (as P(purecloud.firewall.compile_rules#filter) gives
      them) and C(warnings); C(region); C(catalog), the edition and overlays they come from; C(warnings) about
      the feeds.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.site import catalog_for, plan_products
from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import strict_feeds


def site_rules(settings):
    if not isinstance(settings, dict):
        raise AnsibleFilterError("purecloud.firewall.site_rules: expects the site's settings as a mapping")
    try:
        settings = dict((k, v) for k, v in settings.items() if v is not None)
        warnings = []
        catalog = catalog_for(settings)
        plans = plan_products(settings, catalog=catalog, **strict_feeds(settings, warnings, catalog))
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.site_rules: %s" % exc) from None
    return {"region": settings.get("region"), "catalog": catalog.describe(), "warnings": warnings,
            "products": dict((product, dict((key, value) for key, value in plan.as_dict().items()
                                            if key in ("rules", "skipped", "warnings")))
                             for product, plan in plans)}


class FilterModule(object):
    def filters(self):
        return {"site_rules": site_rules}
