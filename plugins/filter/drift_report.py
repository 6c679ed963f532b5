# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: drift_report
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: The drift report of every host of a play, also those whose check failed
description:
  - Takes C(hostvars) and the play's hosts (C(ansible_play_hosts_all), every host the play started with, also
    those that failed or could not be reached) and returns host name -> its drift summary (the host variable
    O(summary), made by P(purecloud.firewall.drift_summary#filter)), in the hosts' order.
  - A host without a summary (it failed before its summary was made) is in the report too, not checked
    (C(drifted) null, C(checked) false, C(reason) C(the check did not finish)), never left out.
options:
  _input:
    description: C(hostvars).
    type: dict
    required: true
  hosts:
    description: The hosts to report, C(ansible_play_hosts_all).
    type: list
    elements: str
    required: true
  summary:
    description: The host variable that holds each host's summary.
    type: str
    default: purecloud_drift_summary
"""

EXAMPLES = r"""
- name: Write the report of every host of the play
  ansible.builtin.copy:
    content: "{{ hostvars | purecloud.firewall.drift_report(ansible_play_hosts_all) | to_nice_json }}"
    dest: drift.json
    mode: "0644"
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
_value:
  description: Host name -> its summary, as P(purecloud.firewall.drift_summary#filter) returns it.
  type: dict
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.module_utils.drift_report import play_report


def drift_report(hostvars, hosts, summary="purecloud_drift_summary"):
    if not isinstance(hostvars, Mapping):
        raise AnsibleFilterError("purecloud.firewall.drift_report: expects hostvars, got %r"
                                 % (type(hostvars).__name__,))
    if isinstance(hosts, str) or not all(isinstance(host, str) for host in hosts):
        raise AnsibleFilterError("purecloud.firewall.drift_report: expects the hosts as a list of names, got %r"
                                 % (hosts,))
    # Only each host's summary is read: hostvars template what is read, in its host's context.
    return play_report(hosts, dict((host, hostvars[host].get(summary)) for host in hosts if host in hostvars))


class FilterModule(object):
    def filters(self):
        return {"drift_report": drift_report}
