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
  - Formats the output of P(purecloud.firewall.compile_rules#filter) as lines of a table (from, to,
    protocol, ports, requirement ids), followed by one line per skipped row, for a terminal or a log.
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
    if not isinstance(compiled, dict) or "rules" not in compiled:
        raise AnsibleFilterError("purecloud.firewall.rules_table: expects the result of purecloud.firewall.compile_rules")
    try:
        skipped = tuple(Skip.from_mapping(item, "skipped[%d]" % index)
                        for index, item in enumerate(compiled.get("skipped") or compiled.get("unresolved") or []))
        return rules_as_text(Compiled(rules_from(compiled["rules"]), skipped))
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.rules_table: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"rules_table": rules_table}
