# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendors' own modules, offline, through render.yml: what the router tests read their results from."""

from __future__ import annotations

import json
import os
import re
import subprocess
from typing import Any, Dict, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")


def playbook_env() -> Dict[str, str]:
    """ansible-playbook's environment: this collection and the vendors' beside it, no deprecation noise."""
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections") + os.pathsep
                + os.path.join(VENV_BIN, "..", "lib"),
                ANSIBLE_DEPRECATION_WARNINGS="false", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])


def vendor_run(configs: Dict[str, Dict[str, Any]], cases: Sequence[str], grouped: Sequence[str],
               folder: str) -> Dict[str, Dict[str, Dict[str, Any]]]:
    """{platform: {case: {"rendered": ..., "parsed": ...}}} from one ansible-playbook run of render.yml.

    ``configs`` are {platform: {case: the rendering}}; ``grouped`` the cases
    whose groups are rendered and parsed too (``groups_rendered``,
    ``groups_parsed``).  VyOS's rendered is the collection's own commands
    (its module renders only with a device).
    """
    extra = os.path.join(folder, "configs.json")
    with open(extra, "w") as handle:
        json.dump({"network_configs": configs, "network_products": list(cases),
                   "network_group_products": list(grouped)}, handle)
    env = dict(playbook_env(), ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1")
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", os.path.join(HERE, "inventory.yml"),
                           os.path.join(HERE, "render.yml"), "-e", "@%s" % extra],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    try:
        plays = json.loads(done.stdout)["plays"]
    except ValueError:
        raise AssertionError(done.stdout[-3000:] + done.stderr[-3000:])
    results: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for play in plays:
        for task in play["tasks"]:
            for host, outcome in task["hosts"].items():
                assert not outcome.get("failed"), (host, task["task"]["name"], outcome)
                # The groups' own tasks: their results beside the lists', as groups_rendered, groups_parsed.
                prefix = "groups_" if "groups" in task["task"]["name"] else ""
                for item in outcome["results"]:
                    case = item["item"] if isinstance(item["item"], str) else item["item"]["item"]
                    entry = results.setdefault(host, {}).setdefault(case, {})
                    entry.update((prefix + key, item[key]) for key in ("rendered", "parsed") if key in item)
    for case in cases:
        results["vyos"][case]["rendered"] = configs["vyos"][case]["commands"]
    return results


def junos_device_xml(rendered: str) -> str:
    """junos_acls' edit-config XML as the device answers get-configuration (render.yml's Parse back)."""
    text = re.sub(' xmlns:nc="[^"]*"', "", rendered).replace("nc:", "")
    text = re.sub("<(source|destination)-(address|prefix-list)>([^<]+)</", r"<\1-\2><name>\3</name></", text)
    return "<rpc-reply><configuration>%s</configuration></rpc-reply>" % text
