# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: compile_rules
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Compile PureCloud requirements and a site's networks into abstract firewall rules
description:
  - Takes the rows of P(purecloud.firewall.requirements#lookup) and a map of endpoint class to CIDRs, and
    returns one rule per source class, destination class and protocol, with the ports merged, the CIDRs
    aggregated and the requirement ids kept for comments.
  - The site's own classes, and those whose addresses only you can know (a carrier's, a PBX's, the BYOC Cloud
    endpoints; the catalog's C(supplied) classes), need networks; a row touching one without them is returned
    under RV(_value.skipped) with the reason, as the roles skip it. The cloud's classes default to V(any), as
    the vendor recommends for cloud destinations; give them CIDRs to narrow them. C(docs/catalog.md) lists the
    classes.
  - A row with no ports (a vendor-specified row whose port variable is not set) is skipped, never guessed.
options:
  _input:
    description: Requirement rows as returned by P(purecloud.firewall.requirements#lookup).
    type: list
    elements: dict
    required: true
  networks:
    description: Endpoint class to a list of CIDRs, or V(any).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Rules of an Edge site
  ansible.builtin.debug:
    msg: >-
      {{ query('purecloud.firewall.requirements', 'edge')
         | purecloud.firewall.compile_rules({'edge': ['198.51.100.128/28'], 'voip_phone': ['198.51.100.192/26']}) }}
"""

RETURN = r"""
_value:
  description: The compiled rules and the rows that could not be resolved.
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
    skipped:
      description: Rows left out, each with what would bring it in.
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
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Requirement, load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.compile import compile_rules as _compile
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError


def compile_rules(requirements, networks):
    try:
        if not isinstance(requirements, (list, tuple)):
            raise PurecloudFirewallError("expects the rows of purecloud.firewall.requirements, got %r"
                                         % (requirements,))
        rows = [Requirement.from_row(row, "requirement %d" % index) for index, row in enumerate(requirements)]
        # The classes the roles wait for: the site's own, and those only the user can know.
        return _compile(rows, networks, required=load_catalog().required_classes).as_dict()
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.compile_rules: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"compile_rules": compile_rules}
