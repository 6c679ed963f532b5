# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The safety net of the modules that apply a host's firewall: an automatic restore unless confirmed.
    DOCUMENTATION = r"""
options:
  rollback_timeout:
    description:
      - Seconds after which the host restores by itself what the run changed, unless O(confirm_rollback) runs
        first. V(0) applies for good.
      - The timer is armed before the change and runs detached from the connection, so a change that cuts the
        controller off is still undone.
    type: int
    default: 0
  confirm_rollback:
    description: Cancel the pending rollback; run it over a fresh connection after applying.
    type: bool
    default: false
"""
