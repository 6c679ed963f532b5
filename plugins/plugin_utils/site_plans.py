# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What apply plans for a host's settings, as the dicts its result and the filters give.

The apply action and the filters that plan a site (compile_rules given
settings, site_rules) turn the same records into the same keys here, so a
playbook reads one shape whichever entry point planned.
"""

from __future__ import annotations

from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
    BACKENDS, NETWORK_BACKENDS, catalog_for, check_destinations, check_device, plan_products, plan_site)
from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import strict_feeds


def plan_result(plan):
    """A HostPlan as apply's result gives it: rules, excluded, unresolved (the skipped rows), catalog."""
    planned = plan.as_dict()
    return {"products": planned["products"], "region": planned["region"], "mode": planned["mode"],
            "host_class": planned["host_class"], "default_policy": planned["default_policy"],
            "egress_filtering": planned["egress_filtering"], "rules": planned["rules"],
            "excluded": planned["excluded"], "unresolved": planned["skipped"], "warnings": planned["warnings"],
            "catalog": planned["catalog"], **({"dns": planned["dns"]} if "dns" in planned else {})}


def settings_plan(settings):
    """What apply would enforce with ``settings`` (as the site_settings lookup reads them), planned here.

    A Linux host, or a host-mode platform's host (Windows), gets its one
    plan; a network device (a network backend) one plan per product, as its
    ACLs are, under ``per_product``.
    """
    settings = dict((key, value) for key, value in settings.items() if value is not None)
    warnings = []
    catalog = catalog_for(settings)
    feeds = strict_feeds(settings, warnings, catalog)
    backend = settings.get("backend") or "auto"
    if backend in NETWORK_BACKENDS and check_device(settings, backend).mode == "host":
        settings = dict(settings, mode="host")  # a platform that filters one host (Windows), planned as apply does
    elif backend in NETWORK_BACKENDS:
        per_product = dict((product, plan_result(plan))
                           for product, plan in plan_products(settings, catalog=catalog, **feeds))
        warnings += [w for result in per_product.values() for w in result["warnings"]]
        return {"backend": backend, "products": list(per_product), "region": settings.get("region"), "mode": "gateway",
                "per_product": per_product,
                "catalog": catalog.describe(), "warnings": warnings}
    plan = plan_site(settings, catalog=catalog, **feeds)
    if backend in BACKENDS:
        check_destinations(settings, backend, plan)  # as apply checks it, once the backend is known
    result = plan_result(plan)
    result.update(backend=backend, warnings=warnings + result["warnings"])
    return result
