# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The management allowance of the modules that apply a host's firewall: SSH that is never cut.
    DOCUMENTATION = r"""
options:
  management:
    description:
      - Sources and port of management SSH, always kept open on the host.
      - A state that would cut the SSH session the module runs in is refused before anything changes, unless
        these sources and port cover that session; SSH from these sources is accepted ahead of the collection's
        own rules.
    type: dict
    suboptions:
      sources:
        description: Source CIDRs allowed to reach SSH.
        type: list
        elements: str
        default: []
      port:
        description: SSH port.
        type: int
        default: 22
"""
