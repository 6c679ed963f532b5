# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The FortiGate platform's options (backend fortios): where its objects go and how its policies are set.
    DOCUMENTATION = r"""
options:
  fortios_vdom:
    description:
      - The VDOM the FortiGate's objects and policies go in (backend V(fortios)).
      - Variable C(purecloud_fortios_vdom).
    type: str
    default: root
  fortios_interfaces:
    description:
      - The FortiGate's interfaces or zones facing the site (C(inside)) and the internet (C(outside)), each a
        list of names, for example C(inside) V([port1]) and C(outside) V([wan1]). Required for backend V(fortios).
      - A flow from the site goes from C(inside) to C(outside) (to C(inside) when both ends are site networks),
        a flow from a remote end from C(outside) to C(inside).
      - Variable C(purecloud_fortios_interfaces).
    type: dict
  fortios_policy_id_base:
    description:
      - The first firewall policy id the collection owns on the FortiGate (backend V(fortios)).
      - Each product takes a block of 1000 ids from there, 500 per direction, in the catalog's product order,
        so a flow's policy id and name always go together. Policies outside the block are never touched, and a
        policy of the site's own inside it at an id the config writes stops the run before anything changes.
      - Variable C(purecloud_fortios_policy_id_base).
    type: int
    default: 10000
  fortios_nat:
    description:
      - V(true) turns on NAT (the outgoing interface's address) on the policies of flows from the site to the
        internet (backend V(fortios)). Flows from remote ends and flows inside the site never NAT.
      - Variable C(purecloud_fortios_nat).
    type: bool
    default: false
"""
