# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A vendor module's own argument spec, read from the installed collection: what tests hold module inputs to.

The module's ``main()`` runs up to where it builds its module object (AnsibleModule, or awx.awx's
ControllerAPIModule), which is replaced for the call by one that records what it is handed and stops there.
"""

from __future__ import annotations

import importlib
from typing import Any, Dict, Tuple

# The rules between options that AnsibleModule enforces, as a module hands them over.
RULES = ("mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by")


class _Built(Exception):
    """Raised where the module would start: its argument spec and rules are complete here."""


def module_spec(module: str, constructor: str = "AnsibleModule") -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(argument spec, rules between options) that ``module`` (its import path) hands ``constructor``."""
    loaded = importlib.import_module(module)

    def capture(argument_spec, **kwargs):
        raise _Built(argument_spec, dict((rule, kwargs[rule]) for rule in RULES if rule in kwargs))

    original = getattr(loaded, constructor)
    setattr(loaded, constructor, capture)
    try:
        loaded.main()
    except _Built as built:
        return built.args[0], built.args[1]
    finally:
        setattr(loaded, constructor, original)
    raise AssertionError("%s.main() built no %s" % (module, constructor))
