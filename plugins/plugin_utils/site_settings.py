# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A site's settings for the collection's actions: task options, else the purecloud_* variables."""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError


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
