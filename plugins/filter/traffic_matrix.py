# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: traffic_matrix
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: The flows that must pass and the samples that must not, drawn from compiled rules
description:
  - From the result of P(purecloud.firewall.compile_rules#filter), draws probe rows for a verification with real
    packets, never copied by hand. Allowed rows probe the first, middle and last port of every range; denied
    samples probe the neighbouring ports, the other protocol, and O(deny_sources) classes, each only where no
    rule covers it.
options:
  _input:
    description:
      - The result of P(purecloud.firewall.compile_rules#filter), or the registered result of
        M(purecloud.firewall.apply), whose C(excluded) rules (the rows the options leave out, such as the
        backward-compatibility range) are then probed too, expected refused unless another rule opens them.
    type: dict
    required: true
  endpoints:
    description: Endpoint class to the names of the probe endpoints playing it (the first is the source, the last the target).
    type: dict
    required: true
  deny_sources:
    description: Endpoint classes to draw "other source" denied samples from.
    type: list
    elements: str
    default: []
  gateway:
    description: Draw no denied sample between two endpoints of one class (their traffic never meets a gateway).
    type: bool
    default: true
  host:
    description:
      - Host mode, the probe endpoint name of the filtering host. Only rows to or from it are drawn, since nothing
        else crosses its firewall.
    type: str
"""

EXAMPLES = r"""
- name: Probe rows for the lab's site
  ansible.builtin.set_fact:
    probe_rows: >-
      {{ compiled | purecloud.firewall.traffic_matrix({'edge': ['edge1', 'edge2'], 'purecloud': ['purecloud']},
                                                       deny_sources=['corporate_ad']) }}
"""

RETURN = r"""
_value:
  description: Rows with C(from), C(to), C(proto), C(port), C(expect) (V(allow) or V(deny)) and C(why).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.matrix import probe_matrix
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import rules_from


def traffic_matrix(compiled, endpoints, deny_sources=None, gateway=True, host=None):
    if not isinstance(compiled, dict) or "rules" not in compiled:
        raise AnsibleFilterError("purecloud.firewall.traffic_matrix: expects the result of purecloud.firewall.compile_rules"
                                 " or of purecloud.firewall.apply")
    try:
        return probe_matrix(rules_from(compiled["rules"]), endpoints, deny_sources=deny_sources or [],
                            gateway=gateway, host=host, excluded=rules_from(compiled.get("excluded") or [], "excluded"))
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.traffic_matrix: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"traffic_matrix": traffic_matrix}
