# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: drift_summary
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: The machine-readable drift of one host, from an apply run in check mode
description:
  - Takes the registered result of M(purecloud.firewall.apply) run with C(check_mode) and C(diff), and returns
    what a drift report needs, whether the host drifted, its backend and products, and the diff (the owned
    table or firewalld objects before and after, as the backend module shows them).
  - On a network device apply changes nothing in check mode; the device's own config, read back by its vendor's
    module, is O(device). Only the lists, filters, rule sets and address groups the collection owns are
    compared with the config apply rendered; C(lists) has each one that differs, with its entries added on the
    device, removed from it and changed.
  - A device whose platform cannot be read back (FortiGate and Check Point, whose modules have no C(gathered) or
    C(parsed) state, and the render-only platforms), or whose config was not read, is reported as not checked
    (C(drifted) null, C(checked) false, C(reason)), never as desired.
  - A failed run, a host that could not be reached, or a device whose config could not be read back (a failed
    or unreachable result in O(device)'s C(reads)) is not checked (C(drifted) null, C(checked) false), with
    C(reason) (C(unreachable), C(the check failed), C(the device's config could not be read back)) and C(error),
    the task's message; never as desired, never as drift.
options:
  _input:
    description: The registered result of M(purecloud.firewall.apply) in check mode.
    type: dict
    required: true
  device:
    description:
      - A network device's own config, read back; omit it for a Linux host.
      - C(lists), the lists module's C(gathered) config (or C(parsed), from a saved running config), for example
        M(cisco.ios.ios_acls), M(junipernetworks.junos.junos_acls) or M(vyos.vyos.vyos_firewall_rules).
      - C(groups), M(junipernetworks.junos.junos_prefix_lists)' config, where the lists name prefix-lists.
      - C(running), the device's text, where the collection writes groups or lists as commands (IOS and NX-OS
        object-groups, NX-OS lists that name them, VyOS firewall groups).
      - C(reads), the registered results of the tasks that read the device back (with C(ignore_errors) and
        C(ignore_unreachable), so the host stays in the play to be reported).
    type: dict
"""

EXAMPLES = r"""
- name: Compare
  purecloud.firewall.apply:
    products: [edge]
  check_mode: true
  diff: true
  register: drift

- name: Summarise
  ansible.builtin.debug:
    msg: "{{ drift | purecloud.firewall.drift_summary }}"

- name: Read a router's ACLs back
  cisco.ios.ios_acls:
    state: gathered
  register: acls
  when: drift.network is defined

- name: Summarise the router's drift
  ansible.builtin.debug:
    msg: "{{ drift | purecloud.firewall.drift_summary({'lists': acls.gathered}) }}"
  when: drift.network is defined
"""

RETURN = r"""
_value:
  description:
    - C(drifted) (true, false, or null when the host could not be compared), C(checked) (false when it was not
      compared, C(reason) says why), C(backend), C(products), C(catalog) (the edition and overlays the desired
      rules come from), C(error) (the failed task's message, null unless the check failed), C(diff) (a list of
      C(before), C(after) pairs) and C(summary) (one line).
    - C(lists), on a network device, each owned list or group that differs, with C(afi), C(name), C(kind)
      (C(acl) or C(group)), C(missing) (the device has none by that name), C(added) and C(removed) (each
      C(key), its sequence number, term name or rule number where the device shows one, and C(entry)),
      C(changed) (C(key), C(device), C(desired)) and C(attributes) (the list's own fields that differ);
      C(compared) names every owned list and group compared.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.drift_report import host_summary
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError


def drift_summary(result, device=None):
    if not isinstance(result, dict):
        raise AnsibleFilterError("purecloud.firewall.drift_summary: expects a registered apply result, got %r"
                                 % (type(result).__name__,))
    try:
        return host_summary(result, device)
    except PurecloudFirewallError as exc:
        raise AnsibleFilterError("purecloud.firewall.drift_summary: %s" % exc) from None


class FilterModule(object):
    def filters(self):
        return {"drift_summary": drift_summary}
