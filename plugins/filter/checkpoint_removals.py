# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: checkpoint_removals
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: What the Check Point tasks remove, from the rendered config and what the server has
description:
  - The check_point.mgmt invocations, with state absent, that remove the access rules inside the collection's own
    section and the C(PURECLOUD-) objects which the rendered config does not name, as the vendor's facts modules
    found them; with the rendered state V(deleted), the plan's own removal comes first.
  - Only rules in the collection's section and objects of the types it creates, named with its prefix, are ever
    picked; the rules come first, then the section, groups, objects and services.
options:
  _input:
    description: The rendered result, C(purecloud_firewall_applied.network).
    type: dict
    required: true
  rules:
    description: The registered loop of C(check_point.mgmt.cp_mgmt_access_rule_facts) over the layer.
    type: raw
    required: true
  objects:
    description: The registered loop of C(check_point.mgmt.cp_mgmt_objects_facts) filtered by the prefix.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: What the Check Point tasks remove
  ansible.builtin.set_fact:
    removals: >-
      {{ purecloud_firewall_applied.network
         | purecloud.firewall.checkpoint_removals(checkpoint_rules, checkpoint_objects) }}
"""

RETURN = r"""
_value:
  description: Module invocations, each with C(module) (the check_point.mgmt module) and C(args).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.render_checkpoint import answers, removals


def checkpoint_removals(network, rules, objects):
    if not isinstance(network, dict) or "config" not in network or "state" not in network:
        raise AnsibleFilterError("purecloud.firewall.checkpoint_removals: expected purecloud_firewall_applied.network, "
                                 "got %r" % (type(network).__name__,))
    return removals(network["config"], network["state"], answers(rules, "access-rulebase"),
                    answers(objects, "objects"))


class FilterModule(object):
    def filters(self):
        return {"checkpoint_removals": checkpoint_removals}
