# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: compile_rules
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: The firewall rules of a site, or of requirement rows and a site's networks
description:
  - Given a host's settings (P(purecloud.firewall.site_settings#lookup) reads them from its variables), plans
    them as M(purecloud.firewall.apply) and the roles do, and returns what apply returns, the rules this host
    enforces in its mode, the rules the options leave out (RV(_value.excluded)), the rows nothing resolves yet
    (RV(_value.unresolved)) and the catalog they come from; on a network device, one plan per product under
    RV(_value.per_product). A strict site's feeds are read on the controller, as apply reads them.
  - Given the rows of P(purecloud.firewall.requirements#lookup) and a map of endpoint class to CIDRs, compiles
    them alone, one rule per source class, destination class and protocol, with the ports merged, the CIDRs
    aggregated and the requirement ids kept for comments, as a gateway with those networks sees them.
  - The site's own classes, and those whose addresses only you can know (a carrier's, a PBX's, the BYOC Cloud
    endpoints; the catalog's C(supplied) classes), need networks; a row touching one without them is skipped
    with the reason, as the roles skip it. The cloud's classes default to V(any), as the vendor recommends for
    cloud destinations; give them CIDRs to narrow them. C(docs/catalog.md) lists the classes.
  - A row with no ports (a vendor-specified row whose port variable is not set) is skipped, never guessed.
options:
  _input:
    description:
      - A host's settings, the options of M(purecloud.firewall.apply) without the C(purecloud_) prefix (as
        P(purecloud.firewall.site_settings#lookup) returns them; unset ones take apply's defaults).
      - Or requirement rows as returned by P(purecloud.firewall.requirements#lookup), with O(networks).
    type: raw
    required: true
  networks:
    description: With requirement rows, endpoint class to a list of CIDRs, or V(any).
    type: dict
"""

EXAMPLES = r"""
- name: The rules this host's roles enforce, from its variables
  ansible.builtin.debug:
    msg: "{{ lookup('purecloud.firewall.site_settings') | purecloud.firewall.compile_rules | purecloud.firewall.rules_table }}"

- name: Rules of an Edge site, from the catalog's rows
  ansible.builtin.debug:
    msg: >-
      {{ query('purecloud.firewall.requirements', 'edge')
         | purecloud.firewall.compile_rules({'edge': ['198.51.100.128/28'], 'voip_phone': ['198.51.100.192/26']}) }}
"""

RETURN = r"""
_value:
  description:
    - The rules and the rows that could not be resolved. Given a host's settings, also C(products), C(region),
      C(mode), C(host_class), C(default_policy), C(egress_filtering), C(backend) and C(warnings), as
      M(purecloud.firewall.apply) returns them.
  type: dict
  contains:
    rules:
      description: One rule per (source class, destination class, protocol).
      type: list
      elements: dict
      contains:
        source_class:
          description: Endpoint class of the sources.
          type: str
        destination_class:
          description: Endpoint class of the destinations.
          type: str
        sources:
          description: Aggregated source CIDRs, or V(any).
          type: raw
        destinations:
          description: Aggregated destination CIDRs, or V(any).
          type: raw
        protocol:
          description: V(tcp) or V(udp).
          type: str
        ports:
          description: Merged ports and ranges.
          type: list
          elements: str
        ids:
          description: Requirement ids the rule carries.
          type: list
          elements: str
        applications:
          description: Applications of those requirements.
          type: list
          elements: str
    excluded:
      description: Given settings, the rules of the rows the options leave out, in the same form.
      type: list
      elements: dict
    skipped:
      description: Given rows, the rows left out, each with what would bring it in.
      type: list
      elements: dict
      contains:
        id:
          description: The requirement's id.
          type: str
        reason:
          description: Why, in words.
          type: str
        kind:
          description: V(no_ports) (a vendor-specified row whose port variable is not set) or V(no_networks).
          type: str
        missing:
          description: The port variable, or the endpoint class without networks.
          type: str
    unresolved:
      description: Given settings, the rows nothing resolves yet, as C(skipped).
      type: list
      elements: dict
    per_product:
      description: Given a network device's settings, product to its plan (C(rules), C(unresolved), ...).
      type: dict
    catalog:
      description: Given settings, the catalog edition, overlays and version the rules come from.
      type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Requirement, load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.compile import compile_rules as _compile
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.plugin_utils.site_plans import settings_plan


def compile_rules(given, networks=None):
    try:
        if isinstance(given, dict):
            if networks is not None:
                raise PurecloudFirewallError("given a site's settings, networks comes from them (networks), "
                                             "not from the filter's argument")
            return settings_plan(given)
        if not isinstance(given, (list, tuple)):
            raise PurecloudFirewallError("expects a host's settings (purecloud.firewall.site_settings) or the rows "
                                         "of purecloud.firewall.requirements, got %r" % (given,))
        if networks is None:
            raise PurecloudFirewallError("given requirement rows, give the site's networks too")
        rows = [Requirement.from_row(row, "requirement %d" % index) for index, row in enumerate(given)]
        # The classes the roles wait for: the site's own, and those only the user can know.
        return _compile(rows, networks, required=load_catalog().required_classes).as_dict()
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.compile_rules: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"compile_rules": compile_rules}
