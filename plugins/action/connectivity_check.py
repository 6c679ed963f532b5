# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for purecloud.firewall.connectivity_check: plan the checks on the controller, run them on the host."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.preflight import (
    ARGUMENT_SPEC as CHECK_SPEC, VARIABLES as CHECK_VARIABLES, plan_checks)
from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
    ARGUMENT_SPEC, VARIABLES, catalog_for, plan_site)
from ansible_collections.purecloud.firewall.plugins.plugin_utils.site_settings import gather

# The site settings a plan needs, minus how the rules would be applied.
SITE_OPTIONS = [name for name in ARGUMENT_SPEC if name not in (
    "backend", "mode", "default_policy", "egress_filtering", "management", "state", "network_render_only",
    "network_render_dir", "cloud_destinations", "aws_ip_ranges_src", "products", "genesys_ip_ranges_services",
    "genesys_ip_ranges_src", "genesys_client_id", "genesys_client_secret", "feed_max_age", "feed_allow_stale")]


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(CHECK_SPEC)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        try:
            # Products given to the task are exactly the ones checked (preflight runs one product at a time).
            variables = dict((k, v) for k, v in CHECK_VARIABLES.items()
                             if not (k == "products" and "products" in self._task.args))
            options = gather(self._task.args, task_vars, self._templar, CHECK_SPEC, variables)
            module_args = dict((k, v) for k, v in options.items() if v is not None)
            if not options["checks"]:
                module_args.update(self._plan(options, task_vars))
        except PurecloudFirewallError as exc:
            result.update(failed=True, msg="purecloud.firewall.connectivity_check: %s" % exc)
            return result
        result.update(self._execute_module(module_name="purecloud.firewall.connectivity_check",
                                           module_args=module_args, task_vars=task_vars))
        return result

    def _plan(self, options, task_vars):
        if not options["products"]:
            raise PurecloudFirewallError("no products: set purecloud_firewall_products or give products or checks")
        site_spec = dict((name, ARGUMENT_SPEC[name]) for name in SITE_OPTIONS)
        site_variables = dict((name, VARIABLES[name]) for name in SITE_OPTIONS)
        settings = gather({}, task_vars, self._templar, site_spec, site_variables)
        settings.update(products=options["products"], mode="host", egress_filtering=True,
                        host_class=options["host_class"] or settings.get("host_class"))
        catalog = catalog_for(settings)
        plan = plan_site(settings, catalog=catalog)
        region = catalog.region(plan.region)
        names = dict(catalog.probe_names(), **(options["names"] or {}))
        checks = plan_checks(plan.rules, plan.host_class, region.domain, names=names,
                             peers=options["peers"], requirements=plan.requirements)
        return {"checks": checks, "dns_name": options["dns_name"] or region.hosts["api"],
                "products": list(plan.products), "host_class": plan.host_class}
