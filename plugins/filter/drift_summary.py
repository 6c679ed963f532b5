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
  - A failed run (the host could not be read) is reported as such, not as drift.
options:
  _input:
    description: The registered result of M(purecloud.firewall.apply) in check mode.
    type: dict
    required: true
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
"""

RETURN = r"""
_value:
  description: C(drifted) (true, false, or null when the host could not be compared), C(backend), C(products),
    C(catalog) (the edition and overlays the desired rules come from), C(error) and C(diff) (a list of
    C(before), C(after) pairs).
  type: dict
"""

from ansible.errors import AnsibleFilterError


def drift_summary(result):
    if not isinstance(result, dict):
        raise AnsibleFilterError("purecloud.firewall.drift_summary: expects a registered apply result, got %r"
                                 % (type(result).__name__,))
    diff = result.get("diff") or []
    if isinstance(diff, dict):
        diff = [diff]
    failed = bool(result.get("failed") or result.get("unreachable"))
    return {"drifted": None if failed else bool(result.get("changed")), "backend": result.get("backend"),
            "products": result.get("products") or [], "catalog": result.get("catalog"),
            "error": result.get("msg") if failed else None,
            "diff": [{"before": d.get("before", ""), "after": d.get("after", "")} for d in diff]}


class FilterModule(object):
    def filters(self):
        return {"drift_summary": drift_summary}
