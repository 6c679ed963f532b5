# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fortios_sweep
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: The FortiGate objects the collection created earlier and today's config no longer has
description:
  - Takes what C(fortinet.fortios.fortios_configuration_fact) read back for the config's read-back entry
    (its C(meta), one response per table) and returns the deletions of the objects named with the
    collection's prefix that the config does not name, as module invocations like the config's own,
    policies first, then groups, then addresses and services.
  - A policy is the collection's when its name has the prefix and its id is in the collection's block
    (C(purecloud_fortios_policy_id_base) and the ids after it); any other object when its name has the
    prefix. Nothing else is ever named.
  - A policy of the site's own (a name without the prefix) at an id the config writes or deletes is an
    error, so the role, which reads back and sweeps before it writes, stops before anything changes.
options:
  _input:
    description: The fact module's C(meta), a list of responses each with C(path), C(name) and C(results).
    type: list
    elements: dict
    required: true
  config:
    description: The rendered config (C(purecloud_firewall_applied.network.config)).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: The stale objects of a FortiGate
  ansible.builtin.set_fact:
    purecloud_firewall_fortios_stale: >-
      {{ purecloud_firewall_fortios_found.results[0].meta
         | purecloud.firewall.fortios_sweep(purecloud_firewall_applied.network.config) }}
"""

RETURN = r"""
_value:
  description: Module invocations, each C(module) (like V(fortios_firewall_address)) and C(args) with state absent.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.render_fortios import sweep


def fortios_sweep(found, config):
    try:
        return sweep(found, config)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.fortios_sweep: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"fortios_sweep": fortios_sweep}
