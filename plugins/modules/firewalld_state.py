# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: firewalld_state
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Reconcile the firewalld zones, policies, ipsets and services the collection owns, in one run
description:
  - Declares the complete set of firewalld objects whose names start with O(prefix) (default C(purecloud))
    and makes permanent and runtime configuration match it in one module run. Owned objects not declared are
    removed (O(purge)); objects the collection does not own are left alone, except that an interface or source
    the user binds to an owned zone is taken from the zone it was bound to.
  - Ports are normalised before comparing (merged per protocol), as firewalld merges overlapping ranges
    itself; so the second run with the same input reports no change.
  - ipsets (C(hash:net), IPv4 or IPv6) are written whole in one call, however many entries they hold.
  - Existing objects are updated in permanent and runtime configuration directly; firewalld is reloaded only
    when an owned object is created or removed (firewalld cannot create them at runtime) or a service changes.
    A reload also drops runtime-only changes other tools made; make such changes permanent.
  - Refuses, before changing anything, a state in which the SSH session the module runs in would land in an owned
    zone, or meet an owned policy to V(HOST), that does not allow it, unless the management allowance
    O(management) covers the session; management SSH is accepted in every owned zone that does not allow the
    port already and in every owned policy to V(HOST) that drops or rejects.
  - With O(rollback_timeout), a change arms a timer that restores the previous permanent configuration of the owned
    objects (and of zones whose bindings were moved) and reloads firewalld, unless a later task confirms
    (O(confirm_rollback)) over a fresh connection.
  - Uses firewalld's Python bindings on the managed host; fails with a clear message when firewalld is not running.
options:
  prefix:
    description: Name prefix of the objects this module owns.
    type: str
    default: purecloud
  purge:
    description: Remove owned objects that are not declared.
    type: bool
    default: true
  ipsets:
    description: ipsets of type C(hash:net).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: ipset name, starting with O(prefix).
        type: str
        required: true
      family:
        description: V(inet) for IPv4, V(inet6) for IPv6.
        type: str
        choices: [inet, inet6]
        default: inet
      entries:
        description: Networks and addresses; overlapping entries are merged first.
        type: list
        elements: str
        default: []
  services:
    description: Services grouping a product's ports.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Service name, starting with O(prefix).
        type: str
        required: true
      ports:
        description: Ports as C(PORT/PROTOCOL), e.g. V(5060-5061/tcp).
        type: list
        elements: str
        default: []
      description:
        description: Description of the service.
        type: str
  zones:
    description: Zones.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Zone name, starting with O(prefix), at most 17 characters.
        type: str
        required: true
      target:
        description: Zone target.
        type: str
        choices: [default, ACCEPT, DROP, "%%REJECT%%"]
        default: default
      interfaces:
        description: Interfaces bound to the zone.
        type: list
        elements: str
        default: []
      sources:
        description: Source networks, or C(ipset:NAME).
        type: list
        elements: str
        default: []
      services:
        description: Services allowed into the zone (to this host).
        type: list
        elements: str
        default: []
      ports:
        description: Ports allowed into the zone, as C(PORT/PROTOCOL).
        type: list
        elements: str
        default: []
      rich_rules:
        description: Rich rules of the zone, written as firewalld prints them.
        type: list
        elements: str
        default: []
  policies:
    description: Policies between zones (forwarded traffic, or HOST for this host's own traffic).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Policy name, starting with O(prefix).
        type: str
        required: true
      ingress_zones:
        description: Zones the traffic comes from; V(HOST) or V(ANY) allowed.
        type: list
        elements: str
        required: true
      egress_zones:
        description: Zones the traffic goes to; V(HOST) or V(ANY) allowed.
        type: list
        elements: str
        required: true
      target:
        description: What happens to traffic no rule of the policy matches.
        type: str
        choices: [CONTINUE, ACCEPT, DROP, REJECT]
        default: CONTINUE
      priority:
        description: Policy priority; negative runs before zone rules.
        type: int
        default: -1
      services:
        description: Services allowed.
        type: list
        elements: str
        default: []
      ports:
        description: Ports allowed, as C(PORT/PROTOCOL).
        type: list
        elements: str
        default: []
      rich_rules:
        description: Rich rules, e.g. V(rule family="ipv4" source ipset="purecloud_sites" port port="443" protocol="tcp" accept).
        type: list
        elements: str
        default: []
extends_documentation_fragment:
  - purecloud.firewall.management
  - purecloud.firewall.rollback
attributes:
  check_mode:
    support: full
    description: Reports what would change and changes nothing.
  diff_mode:
    support: full
    description: The owned objects before and after.
requirements:
  - firewalld and its Python bindings (C(python3-firewall)) on the managed host
notes:
  - Compared with C(ansible.posix.firewalld), which changes one port, service or source of one zone per task
    and knows neither policies nor ipsets, this module reaches the whole state in one run.
seealso:
  - module: purecloud.firewall.nft_table
"""

EXAMPLES = r"""
- name: A site gateway forwarding the Edges' flows to the internet
  purecloud.firewall.firewalld_state:
    ipsets:
      - {name: purecloud_edges, entries: [198.51.100.130/31]}
    zones:
      - {name: purecloud_site, interfaces: [lan0]}
      - {name: purecloud_wan, interfaces: [wan0]}
    policies:
      - name: purecloud_site_out
        ingress_zones: [purecloud_site]
        egress_zones: [purecloud_wan]
        target: REJECT
        rich_rules:
          - rule family="ipv4" source ipset="purecloud_edges" port port="443" protocol="tcp" accept
          - rule family="ipv4" source ipset="purecloud_edges" port port="16384-32768" protocol="udp" accept

- name: Remove every object the collection owns
  purecloud.firewall.firewalld_state:
    purge: true
"""

RETURN = r"""
plan:
  description: Objects created, updated and removed, as C(kind/name).
  returned: always
  type: dict
  sample: {"create": ["zones/purecloud_site"], "update": [], "remove": []}
reloaded:
  description: Whether firewalld was reloaded to bring runtime in line.
  returned: always
  type: bool
rollback:
  description: The pending rollback, with C(deadline) (seconds since the epoch) and C(dir).
  returned: when O(rollback_timeout) is set and something changed
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.respawn import has_respawned, probe_interpreters_for_module, respawn_module

from ansible_collections.purecloud.firewall.plugins.module_utils.firewalld_state import HAS_FIREWALL, FirewalldState
from ansible_collections.purecloud.firewall.plugins.module_utils.host_backend import (
    MANAGEMENT_OPTION,
    ROLLBACK_OPTIONS,
    run_module,
)

ARGUMENT_SPEC = dict(
    prefix=dict(type="str", default="purecloud"),
    purge=dict(type="bool", default=True),
    ipsets=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        family=dict(type="str", default="inet", choices=["inet", "inet6"]),
        entries=dict(type="list", elements="str", default=[]),
    )),
    services=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        ports=dict(type="list", elements="str", default=[]),
        description=dict(type="str"),
    )),
    zones=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        target=dict(type="str", default="default", choices=["default", "ACCEPT", "DROP", "%%REJECT%%"]),
        interfaces=dict(type="list", elements="str", default=[]),
        sources=dict(type="list", elements="str", default=[]),
        services=dict(type="list", elements="str", default=[]),
        ports=dict(type="list", elements="str", default=[]),
        rich_rules=dict(type="list", elements="str", default=[]),
    )),
    policies=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        ingress_zones=dict(type="list", elements="str", required=True),
        egress_zones=dict(type="list", elements="str", required=True),
        target=dict(type="str", default="CONTINUE", choices=["CONTINUE", "ACCEPT", "DROP", "REJECT"]),
        priority=dict(type="int", default=-1),
        services=dict(type="list", elements="str", default=[]),
        ports=dict(type="list", elements="str", default=[]),
        rich_rules=dict(type="list", elements="str", default=[]),
    )),
    management=MANAGEMENT_OPTION,
    **ROLLBACK_OPTIONS
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    if not HAS_FIREWALL and not has_respawned():
        # firewalld's bindings live in the system Python; use it when this one lacks them.
        interpreter = probe_interpreters_for_module(["/usr/bin/python3", "/usr/libexec/platform-python"], "firewall")
        if interpreter:
            respawn_module(interpreter)
    if not HAS_FIREWALL:
        module.fail_json(msg="firewalld's Python bindings (firewall.client, package python3-firewall) are missing")
    run_module(module, FirewalldState)


if __name__ == "__main__":
    main()
