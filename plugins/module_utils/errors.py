# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one exception type the collection's pure code raises.

Plugins catch it and re-raise it as the matching Ansible error with the
plugin's name in front, so a user sees which lookup or filter refused what.
"""

from __future__ import annotations

from typing import Iterable


class PurecloudFirewallError(ValueError):
    """Bad input: the message names the bad value and what is allowed."""


def choices_error(what: str, value: object, allowed: Iterable[object]) -> PurecloudFirewallError:
    """Build the standard 'unknown X' error naming the value and the choices."""
    return PurecloudFirewallError(
        "unknown %s %r; expected one of: %s" % (what, value, ", ".join(sorted(str(a) for a in allowed)))
    )
