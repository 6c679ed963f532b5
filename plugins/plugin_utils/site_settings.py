# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A site's settings for the collection's actions and lookups: task options, else the purecloud_* variables.

Every entry point that plans (the apply and connectivity_check actions, the
site_settings lookup behind show_rules, report and changes) reads a host's
variables here, with apply's argument spec, so they plan with the same
values and the same defaults.  On the controller, another host's variables
are read through ``hostvars``, whose values are templated in that host's
context as they are read: only the variables that are settings are read.
"""

from __future__ import annotations

import collections
import difflib

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog_names import VARIABLES as KNOWN_VARIABLES

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError, choices_error
from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
    ARGUMENT_SPEC, VARIABLES, inventory_products, network_backend)

SCOPES = ("host", "site")
PREFIX = "purecloud_"


def typo_warnings(task_vars):
    """A purecloud_* variable the collection does not read, but close to one it does: most likely a typo."""
    known = dict((name[len(PREFIX):], name) for name in KNOWN_VARIABLES)
    warnings = []
    for name in sorted(task_vars):
        if name.startswith(PREFIX) and name not in KNOWN_VARIABLES:
            close = difflib.get_close_matches(name[len(PREFIX):], list(known), n=1, cutoff=0.75)
            if close:
                warnings.append("%s is no variable of purecloud.firewall and is ignored; did you mean %s?"
                                % (name, known[close[0]]))
    return warnings


def gather(task_args, task_vars, templar, spec, variables):
    """Checked settings: each option from the task, else its variable, then ``spec``'s checks and defaults.

    Products given to the task are added to the declared ones.  An error
    names both the option and the variable it came from.
    """
    given = {}
    for option in spec:
        if option in task_args:
            given[option] = task_args[option]
        elif variables.get(option) in task_vars:
            given[option] = templar.template(task_vars[variables[option]])
    if "products" in task_args and variables.get("products") in task_vars:
        declared = templar.template(task_vars[variables["products"]]) or []
        given["products"] = list(dict.fromkeys(list(declared) + list(task_args["products"] or [])))
    validated = ArgumentSpecValidator(spec).validate(given)
    if validated.error_messages:
        names = dict((option, "%s (variable %s)" % (option, variable)) for option, variable in variables.items())
        messages = []
        for message in validated.error_messages:
            for option in sorted(names, key=len, reverse=True):
                if option in message and names[option] not in message:
                    message = message.replace(option, names[option], 1)
                    break
            messages.append(message)
        raise PurecloudFirewallError("; ".join(messages))
    return validated.validated_parameters


def host_settings(task_vars, templar, products=None, scope="host"):
    """The settings a host's roles apply, from its variables, for planning on the controller.

    The products are the declared ones (``purecloud_firewall_products``),
    those given, and those of the product groups (``purecloud_<product>``)
    the host is in (scope ``host``) or that have hosts (scope ``site``, the
    whole site as its gateway sees it).  A network device's backend is found
    from ``ansible_network_os``, as apply finds it.
    """
    if scope not in SCOPES:
        raise choices_error("scope", scope, SCOPES)
    groups = task_vars.get("group_names", []) if scope == "host" else templar.template(task_vars.get("groups", {}))
    declared = templar.template(task_vars.get(VARIABLES["products"], [])) or []
    wanted = inventory_products(load_catalog(), list(declared) + list(products or []), groups)
    if not wanted:
        raise PurecloudFirewallError(
            "no products: set %s, or put the %s in a product group (purecloud_<product>)"
            % (VARIABLES["products"], "host" if scope == "host" else "site's hosts"))
    # A view, not a copy: a copy would read (and template) every variable the host has.
    settings = gather({"products": wanted}, collections.ChainMap({VARIABLES["products"]: []}, task_vars), templar,
                      ARGUMENT_SPEC, VARIABLES)
    device = network_backend(settings["backend"], task_vars.get("ansible_network_os"))
    if device:
        settings["backend"] = device
    return settings


def product_group_hosts(groups):
    """The hosts of the product groups (``purecloud_<product>``), in the inventory's order."""
    found = set(host for product in load_catalog().role_products() for host in groups.get(PREFIX + product) or [])
    ordered = [host for host in groups.get("all") or [] if host in found]
    return ordered + sorted(found - set(ordered))


def inventory_settings(task_vars, templar, products=None):
    """Each host of the product groups -> its settings, read from its own variables as its roles read them.

    ``task_vars`` are a task's (any host's): the hosts come from its
    ``groups``, their variables from its ``hostvars``, each templated in its
    own host's context.  An error names the host.
    """
    hostvars = task_vars.get("hostvars") or {}
    found = {}
    for host in product_group_hosts(templar.template(task_vars.get("groups") or {})):
        try:
            found[host] = host_settings(hostvars[host], templar, products=products, scope="host")
        except PurecloudFirewallError as exc:
            raise PurecloudFirewallError("host %s: %s" % (host, exc)) from None
    return found
