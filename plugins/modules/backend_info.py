# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: backend_info
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: Which firewall backend a host has, firewalld running or nftables
description:
  - Reports whether firewalld is running (C(firewall-cmd --state)) and whether C(nft) is installed, and the
    backend the collection would choose in V(auto) mode, firewalld when it is running, else nftables.
  - Read-only; M(purecloud.firewall.apply) runs it when its backend is V(auto).
options: {}
attributes:
  check_mode:
    support: full
    description: The module changes nothing, in check mode or not.
  diff_mode:
    support: none
    description: Nothing to show.
"""

EXAMPLES = r"""
- name: Find the firewall backend
  purecloud.firewall.backend_info:
  register: firewall_backend

- name: Say it
  ansible.builtin.debug:
    msg: "this host filters with {{ firewall_backend.backend }}"
"""

RETURN = r"""
backend:
  description: V(firewalld) when firewalld is running, V(nftables) when C(nft) is installed, else V(none).
  returned: always
  type: str
  sample: firewalld
firewalld_running:
  description: Whether firewalld answers on D-Bus.
  returned: always
  type: bool
nft:
  description: Path of the C(nft) program, or null.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec={}, supports_check_mode=True)
    running = False
    firewall_cmd = module.get_bin_path("firewall-cmd")
    if firewall_cmd:
        rc, out, _err = module.run_command([firewall_cmd, "--state"])
        running = rc == 0 and out.strip() == "running"
    nft = module.get_bin_path("nft")
    backend = "firewalld" if running else "nftables" if nft else "none"
    module.exit_json(changed=False, backend=backend, firewalld_running=running, nft=nft)


if __name__ == "__main__":
    main()
