# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example inventory a user copies plans and renders cleanly for every host and product group."""

from __future__ import annotations

import os

import pytest
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.vars.manager import VariableManager

from ansible_collections.purecloud.firewall.plugins.module_utils.site import VARIABLES, plan_site, render_site

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INVENTORIES = {"example": os.path.join(ROOT, "examples", "inventory"),
               "demo": os.path.join(ROOT, "tests", "lab", "demo", "inventory.yml")}


def hosts_and_settings(path):
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[path])
    variables = VariableManager(loader=loader, inventory=inventory)
    for host in inventory.get_hosts():
        host_vars = variables.get_vars(host=host)
        for group in host_vars["group_names"]:
            if group.startswith("purecloud_"):
                product = group[len("purecloud_"):]
                settings = dict((option, host_vars[variable]) for option, variable in VARIABLES.items()
                                if variable in host_vars)
                settings["products"] = list(dict.fromkeys(settings.get("products", []) + [product]))
                yield host.name, product, settings


@pytest.mark.parametrize("name", sorted(INVENTORIES))
def test_every_host_plans_and_renders_without_warnings(name):
    seen = []
    for host, product, settings in hosts_and_settings(INVENTORIES[name]):
        plan = plan_site(settings)
        assert plan.warnings == (), (host, product, plan.warnings)
        assert plan.rules, (host, product)
        for backend in ("nftables", "firewalld"):
            assert render_site(plan, backend, management=settings.get("management"))
        seen.append((host, product, plan.mode))
    modes = set(mode for _host, _product, mode in seen)
    # The demo's gateway comes from the lab's half of its inventory.
    assert modes == ({"gateway", "host"} if name == "example" else {"host"}), seen
