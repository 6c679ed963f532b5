# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one exception type the collection's pure code raises.

Plugins catch it and re-raise it as the matching Ansible error with the
plugin's name in front, so a user sees which lookup or filter refused what.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence


class PurecloudFirewallError(ValueError):
    """Bad input: the message names the bad value and what is allowed."""


def _distance(first: str, second: str) -> int:
    """The edits between two words: insert, delete, replace, or swap two neighbours ('egde' -> 'edge' is one)."""
    rows = [list(range(len(second) + 1))]
    for i, a in enumerate(first, 1):
        row = [i]
        for j, b in enumerate(second, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def near_miss(value: object, choices: Sequence[str]) -> Optional[str]:
    """The one choice a typo of ``value`` would be: one edit away (two for longer words), and no other as near."""
    if not isinstance(value, str) or not value:
        return None
    limit = 1 if len(value) <= 8 else 2
    scored = sorted((_distance(value.lower(), choice.lower()), choice) for choice in choices)
    if not scored or scored[0][0] > limit or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def choices_error(what: str, value: object, allowed: Iterable[object]) -> PurecloudFirewallError:
    """Build the standard 'unknown X' error naming the value, the nearest choice and every choice.

    ``unknown region 'us-west2' (did you mean 'us-west-2'?); expected one of: ...``
    """
    choices = sorted(str(a) for a in allowed)
    near = near_miss(value, choices)
    hint = " (did you mean %r?)" % near if near else ""
    return PurecloudFirewallError("unknown %s %r%s; expected one of: %s" % (what, value, hint, ", ".join(choices)))
