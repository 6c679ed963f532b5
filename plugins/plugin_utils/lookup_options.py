# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Strict option handling for the collection's lookups.

Ansible's own option handling ignores unknown keyword options and reads any
unrecognised string as false for a bool option; a typo would then silently
change which firewall rules come back.  This refuses both, naming the value.
"""

from __future__ import annotations

from ansible import constants as C
from ansible.errors import AnsibleLookupError
from ansible.module_utils.parsing.convert_bool import BOOLEANS


def set_checked_options(plugin, variables, direct, fqcn):
    """``plugin.set_options`` plus checks for unknown names and loose booleans."""
    definitions = C.config.get_configuration_definitions("lookup", plugin._load_name) or {}
    unknown = sorted(set(direct) - set(definitions))
    if unknown:
        raise AnsibleLookupError("%s: unknown option %r; expected one of: %s"
                                 % (fqcn, unknown[0], ", ".join(sorted(n for n in definitions if n != "_terms"))))
    for name, value in direct.items():
        if definitions[name].get("type") in ("bool", "boolean") and not _is_boolean(value):
            raise AnsibleLookupError("%s: option %s must be true or false, got %r" % (fqcn, name, value))
    plugin.set_options(var_options=variables, direct=direct)


def _is_boolean(value):
    if isinstance(value, bool):
        return True
    try:
        return value in BOOLEANS or str(value).lower() in BOOLEANS
    except TypeError:
        return False
