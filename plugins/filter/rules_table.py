# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: rules_table
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Compiled rules as a fixed-width text table
description:
  - Formats the output of P(purecloud.firewall.compile_rules#filter) (or of M(purecloud.firewall.apply)) as
    lines of a table (from, to, protocol, ports, requirement ids), followed by one line per skipped row, for a
    terminal or a log; a network device's plan, one table per product, each under its name. A plan's table
    starts with what it is for (products, mode, host class, region) and the catalog edition and overlays.
options:
  _input:
    description: The result of P(purecloud.firewall.compile_rules#filter).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Print the rules of a bridge server site
  ansible.builtin.debug:
    msg: >-
      {{ query('purecloud.firewall.requirements', 'bridge', include_conditional_ldap=false)
         | purecloud.firewall.compile_rules({'bridge_server': ['198.51.100.140/32']})
         | purecloud.firewall.rules_table }}
"""

RETURN = r"""
_value:
  description: One string per line.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.compile import rules_as_text
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import Compiled, Skip, rules_from


def rules_table(compiled):
    if not isinstance(compiled, dict) or not ("rules" in compiled or "per_product" in compiled):
        raise AnsibleFilterError("purecloud.firewall.rules_table: expects the result of purecloud.firewall.compile_rules")
    try:
        if "per_product" in compiled:
            return _origin(compiled) + [line for product, plan in compiled["per_product"].items()
                                        for line in ["%s:" % product] + ["  " + text for text in _table(plan)]]
        return _origin(compiled) + _table(compiled)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.rules_table: %s" % exc) from None


def _origin(planned):
    """A plan's first line: what it is for, and the catalog edition and overlays its rules come from."""
    catalog = planned.get("catalog")
    if not isinstance(catalog, dict):
        return []  # rules compiled from rows: the rows name their catalog
    what = ", ".join(planned.get("products") or [])
    if planned.get("mode"):
        what += " (%s%s)" % (planned["mode"], ", %s" % planned["host_class"] if planned.get("host_class") else "")
    overlays = catalog.get("overlays") or []
    return ["%s: region %s, catalog edition %s (catalog %s)%s" % (
        what, planned.get("region"), catalog.get("edition"), catalog.get("catalog_version"),
        ", overlays %s" % ", ".join(overlays) if overlays else "")]


def _table(compiled):
    skipped = compiled.get("skipped", compiled.get("unresolved")) or []
    return rules_as_text(Compiled(rules_from(compiled["rules"]),
                                  tuple(Skip.from_mapping(item, "skipped[%d]" % i) for i, item in enumerate(skipped))))


class FilterModule(object):
    def filters(self):
        return {"rules_table": rules_table}
