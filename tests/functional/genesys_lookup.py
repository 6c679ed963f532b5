# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run purecloud.firewall.genesys_ip_ranges as a playbook would, for each case of a JSON file; print the outcomes.

Started inside a lab host's namespaces (its DNS, its routes), where the fake
Genesys Cloud API answers:

    genesys_lookup.py CASES.json COLLECTIONS_ROOT

Each case is ``{"env": {...}, "options": {...}}``; each outcome is
``{"result": [...]}`` or ``{"error": "..."}``, with the seconds it took.
"""

import json
import os
import sys
import time


def main():
    cases_path, root = sys.argv[1], sys.argv[2]
    from ansible.plugins.loader import init_plugin_loader, lookup_loader

    init_plugin_loader([root])
    lookup = lookup_loader.get("purecloud.firewall.genesys_ip_ranges")
    with open(cases_path) as handle:
        cases = json.load(handle)
    outcomes = []
    for case in cases:
        saved = dict(os.environ)
        os.environ.update(case.get("env", {}))
        started = time.monotonic()
        try:
            outcome = {"result": lookup.run([], variables={}, **case["options"])}
        except Exception as exc:  # the lookup's AnsibleError: its message is the outcome
            outcome = {"error": str(exc)}
        finally:
            os.environ.clear()
            os.environ.update(saved)
        outcome["seconds"] = round(time.monotonic() - started, 2)
        outcomes.append(outcome)
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()
