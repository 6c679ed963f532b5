# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: render_rules
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Compiled rules as the input of the nft_table or firewalld_state module
description:
  - Takes the result of P(purecloud.firewall.compile_rules#filter) (or of M(purecloud.firewall.apply)) and returns
    the arguments of
    M(purecloud.firewall.nft_table) (O(backend=nftables)) or M(purecloud.firewall.firewalld_state)
    (O(backend=firewalld)), so one module call applies a host's whole state. A plan (from a host's settings, or
    apply's result) brings its mode, host class, default policy and egress filtering; the options override them.
  - nftables, one named set per endpoint class and address family, one rule per flow and family with its
    requirement ids as comment; gateway mode filters the forward hook, host mode the input hook (and the output
    hook with O(egress_filtering)).
  - firewalld, in gateway mode one zone per source class bound by its networks and one policy per zone towards
    any zone, whose rich rules accept the class's flows; in host mode a policy from any zone to the host (and
    from the host to any zone with O(egress_filtering)).
  - The same rendering M(purecloud.firewall.apply) and the roles use.
options:
  _input:
    description: The result of P(purecloud.firewall.compile_rules#filter).
    type: dict
    required: true
  backend:
    description: Which module the result is for.
    type: str
    choices: [nftables, firewalld]
    required: true
  mode:
    description: V(gateway) filters forwarded traffic; V(host) the traffic of this host. Default, the plan's, else
      V(gateway).
    type: str
    choices: [gateway, host]
  host_class:
    description: In host mode, the endpoint class this host plays (V(edge), V(bridge_server), ...). Default, the
      plan's.
    type: str
  default_policy:
    description: V(drop) lets only the listed flows pass; V(accept) opens them and blocks nothing else. Default,
      the plan's, else V(drop).
    type: str
    choices: [drop, accept]
  egress_filtering:
    description: In host mode, also filter what the host sends. Default, the plan's, else V(false).
    type: bool
  management:
    description: Management SSH allowance (C(sources), C(port)) passed on to the module.
    type: dict
"""

EXAMPLES = r"""
- name: Render the Edge rules for an nftables gateway
  ansible.builtin.set_fact:
    edge_table: >-
      {{ query('purecloud.firewall.requirements', 'edge')
         | purecloud.firewall.compile_rules({'edge': ['198.51.100.128/28'], 'voip_phone': ['198.51.100.192/27']})
         | purecloud.firewall.render_rules(backend='nftables') }}

- name: Apply them in one transaction
  purecloud.firewall.nft_table:
    chains: "{{ edge_table.chains }}"
    sets: "{{ edge_table.sets }}"
    rules: "{{ edge_table.rules }}"
"""

RETURN = r"""
_value:
  description: The module's arguments.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError, choices_error
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import rules_from
from ansible_collections.purecloud.firewall.plugins.module_utils.site import BACKENDS
from ansible_collections.purecloud.firewall.plugins.module_utils.site import render_rules as _render


def render_rules(compiled, backend, mode=None, host_class=None, default_policy=None, egress_filtering=None,
                 management=None):
    try:
        if backend not in BACKENDS:  # the filter's own argument, not the roles' variable
            raise choices_error("backend", backend, BACKENDS)
        if not isinstance(compiled, dict) or "rules" not in compiled:
            raise PurecloudFirewallError("expects the result of purecloud.firewall.compile_rules")
        planned = dict((key, compiled.get(key)) for key in ("mode", "host_class", "default_policy", "egress_filtering"))
        given = dict(mode=mode, host_class=host_class, default_policy=default_policy, egress_filtering=egress_filtering)
        options = dict((key, given[key] if given[key] is not None else planned[key]) for key in given)
        return _render(rules_from(compiled["rules"]), backend, mode=options["mode"] or "gateway",
                       host_class=options["host_class"], default_policy=options["default_policy"] or "drop",
                       egress_filtering=bool(options["egress_filtering"]), management=management)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.render_rules: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"render_rules": render_rules}
