# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection declares it needs is what it uses: no required collection, each device platform's tasks
calling only its own vendor's collection, and requirements.yml offering every one the tasks call."""

from __future__ import annotations

import json
import os
import re

import pytest
import yaml

from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import PLATFORMS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TASK_KEYWORDS = {"name", "when", "register", "loop", "loop_control", "vars", "block", "rescue", "always",
                 "delegate_to", "check_mode", "changed_when", "failed_when", "ignore_errors", "run_once",
                 "no_log", "tags", "notify", "become", "environment", "timeout", "until", "retries", "delay"}


def task_actions(tasks):
    for task in tasks or []:
        yield from task_actions(task.get("block"))
        yield from task_actions(task.get("rescue"))
        yield from task_actions(task.get("always"))
        if "block" not in task:
            yield [key for key in task if key not in TASK_KEYWORDS][0]


def platform_collections(backend):
    with open(os.path.join(ROOT, "scripts", "network-tasks", "%s.yml" % backend)) as handle:
        actions = set(task_actions(yaml.safe_load(handle)))
    return set(".".join(action.split(".")[:2]) for action in actions)


def requirements():
    with open(os.path.join(ROOT, "requirements.yml")) as handle:
        return dict((entry["name"], entry["version"]) for entry in yaml.safe_load(handle)["collections"])


def test_no_collection_is_required_and_no_plugin_imports_another():
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        assert yaml.safe_load(handle)["dependencies"] == {}
    foreign = re.compile(r"ansible_collections\.(?!purecloud\.firewall\b)[a-z_]+\.[a-z_]+")
    for folder, _dirs, files in os.walk(os.path.join(ROOT, "plugins")):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name)) as handle:
                    assert not foreign.search(handle.read()), os.path.join(folder, name)


@pytest.mark.parametrize("backend", sorted(PLATFORMS))
def test_a_platforms_tasks_call_only_ansible_builtin_and_its_own_vendors_collection(backend):
    platform = PLATFORMS[backend]
    own = ".".join(platform.module.split(".")[:2])
    allowed = {"ansible.builtin", own} | ({"purecloud.firewall"} if not platform.applies else set())
    assert platform_collections(backend) <= allowed, backend


def test_requirements_offer_every_collection_a_platform_calls_at_a_floor_the_tests_meet():
    import ansible_collections
    offered = requirements()
    called = set().union(*(platform_collections(backend) for backend in PLATFORMS)) - {
        "ansible.builtin", "purecloud.firewall"}
    assert called <= set(offered), called - set(offered)
    for name, floor in offered.items():
        namespace, short = name.split(".")
        found = [os.path.join(top, namespace, short, "MANIFEST.json") for top in ansible_collections.__path__
                 if os.path.exists(os.path.join(top, namespace, short, "MANIFEST.json"))]
        assert found, name
        with open(found[0]) as handle:
            installed = json.load(handle)["collection_info"]["version"]
        assert floor.startswith(">=")
        assert tuple(map(int, floor[2:].split("."))) <= tuple(map(int, installed.split("."))), (name, installed)


def test_the_execution_environments_ranges_admit_the_versions_the_tests_run_on():
    from packaging.requirements import Requirement
    with open(os.path.join(ROOT, "requirements.txt")) as handle:
        pins = dict(line.split("#")[0].strip().split("==") for line in handle if "==" in line.split("#")[0])
    with open(os.path.join(ROOT, "meta", "ee-requirements.txt")) as handle:
        ranges = [Requirement(line.split("#")[0].strip()) for line in handle if line.split("#")[0].strip()]
    assert ranges
    for wanted in ranges:
        assert wanted.name in pins, wanted.name
        assert wanted.specifier.contains(pins[wanted.name]), (str(wanted), pins[wanted.name])
