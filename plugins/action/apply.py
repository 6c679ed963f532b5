# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for purecloud.firewall.apply: plan on the controller, one module run on the host."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import PLATFORMS
from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
    ARGUMENT_SPEC, VARIABLES, catalog_for, check_destinations, network_backend, plan_site, removal_plan,
    render_network_site, render_site)
from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import strict_feeds
from ansible_collections.purecloud.firewall.plugins.plugin_utils.site_plans import plan_result
from ansible_collections.purecloud.firewall.plugins.plugin_utils.site_settings import gather

MODULES = {"nftables": "purecloud.firewall.nft_table", "firewalld": "purecloud.firewall.firewalld_state"}
# What a role registers; a later apply in the same run compares its products with it.
APPLIED = "purecloud_firewall_applied"


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        warnings = []
        try:
            settings = self._settings(task_vars)
            catalog = catalog_for(settings)
            self._check_earlier_apply(settings, task_vars)
            network = self._network_backend(settings, task_vars)
            # Removal reads the feeds too where it removes what the plan would create (groups, perimeter objects).
            needs_feeds = settings["state"] == "present" or bool(network and PLATFORMS[network].plans_removal)
            feeds = strict_feeds(settings, warnings, catalog) if needs_feeds else {}
            if network:
                return self._network(result, settings, network, feeds, warnings)
            if settings["state"] == "absent":
                plan = removal_plan(settings, catalog)
            else:
                plan = plan_site(settings, catalog=catalog, **feeds)
            backend = settings["backend"]
            if backend == "auto":
                backend = self._detect_backend(task_vars)
            check_destinations(settings, backend)
            if settings["state"] == "absent":
                # Everything the collection owns goes: the table, or every purecloud* firewalld object.
                module_args = {"state": "absent"} if backend == "nftables" else {}
            else:
                module_args = render_site(plan, backend, management=settings["management"],
                                          short_names=catalog.short_names())
        except PurecloudFirewallError as exc:
            result.update(failed=True, msg="purecloud.firewall.apply: %s" % exc)
            return result
        applied = self._execute_module(module_name=MODULES[backend], module_args=module_args, task_vars=task_vars)
        result.update(applied)
        planned = plan_result(plan)
        warnings += planned.pop("warnings")
        result.update(planned, backend=backend, module_args=module_args, state=settings["state"])
        if warnings:
            result["warnings"] = list(result.get("warnings") or []) + warnings
        return result

    @staticmethod
    def _network_backend(settings, task_vars):
        return network_backend(settings["backend"], task_vars.get("ansible_network_os"))

    def _network(self, result, settings, backend, feeds, warnings):
        """Plan and render on the controller; the role's network tasks hand the config to the vendor's module."""
        network = render_network_site(settings, backend, **feeds)
        result.update(changed=False, backend=backend, products=settings["products"], mode="gateway",
                      host_class=None, rules=[], excluded=[], unresolved=[], module_args={},
                      state=settings["state"], network=network, catalog=network["catalog"])
        warnings = warnings + network["warnings"]
        if warnings:
            result["warnings"] = warnings
        return result

    def _settings(self, task_vars):
        return gather(self._task.args, task_vars, self._templar, ARGUMENT_SPEC, VARIABLES)

    @staticmethod
    def _check_earlier_apply(settings, task_vars):
        """Two roles on one host must apply the same products, or each run would undo the other."""
        earlier = task_vars.get(APPLIED)
        if not isinstance(earlier, dict) or earlier.get("failed") or earlier.get("skipped"):
            return
        lost = [p for p in earlier.get("products") or [] if p not in settings["products"]]
        if lost and earlier.get("state") == "present" and settings["state"] == "present":
            raise PurecloudFirewallError(
                "this host's firewall got the flows of %s earlier in this run; applying %s now would remove them. "
                "List every product this host carries in purecloud_firewall_products, e.g. [%s]"
                % (", ".join(earlier["products"]), ", ".join(settings["products"]),
                   ", ".join(dict.fromkeys(list(earlier["products"]) + list(settings["products"])))))

    def _detect_backend(self, task_vars):
        info = self._execute_module(module_name="purecloud.firewall.backend_info", module_args={},
                                    task_vars=task_vars)
        if info.get("failed"):
            raise PurecloudFirewallError("could not detect the firewall backend: %s" % info.get("msg"))
        if info["backend"] == "none":
            raise PurecloudFirewallError("the host has neither a running firewalld nor nft; install nftables or "
                                         "start firewalld, or set purecloud_firewall_backend")
        return info["backend"]
