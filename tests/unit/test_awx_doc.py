# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/AWX.md's configuration as code passes the awx.awx modules' own argument specs, its workflow nodes come in an
order the node module accepts, and its injectors set what the feed's lookup reads."""

from __future__ import annotations

import os
import re

import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from vendor_specs import module_spec

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(ROOT, "docs", "AWX.md")


def awx_spec(module):
    """The argument spec awx.awx's module hands its ControllerAPIModule, and the rules between its options."""
    return module_spec("ansible_collections.awx.awx.plugins.modules.%s" % module, "ControllerAPIModule")


def yaml_blocks():
    with open(DOC) as handle:
        return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", handle.read(), re.S)]


def awx_tasks():
    return [task for block in yaml_blocks() if isinstance(block, list) for task in block
            if any(key.startswith("awx.awx.") for key in task)]


def test_every_awx_task_passes_its_modules_argument_spec():
    tasks = awx_tasks()
    assert len(tasks) == 8
    for task in tasks:
        module = [key for key in task if key.startswith("awx.awx.")][0]
        spec, rules = awx_spec(module.rsplit(".", 1)[1])
        checked = ArgumentSpecValidator(spec, **rules).validate(task[module])
        assert checked.error_messages == [], (task["name"], checked.error_messages)


def test_a_workflow_node_names_only_nodes_made_before_it():
    # workflow_job_template_node looks each node of success_nodes, failure_nodes and always_nodes up by its
    # identifier in the workflow and fails when it is not there yet.
    made = {}
    nodes = [task["awx.awx.workflow_job_template_node"] for task in awx_tasks()
             if "awx.awx.workflow_job_template_node" in task]
    assert nodes
    for node in nodes:
        workflow = made.setdefault(node["workflow_job_template"], set())
        for edge in ("success_nodes", "failure_nodes", "always_nodes"):
            for identifier in node.get(edge, []):
                assert identifier in workflow, (node["identifier"], edge, identifier)
        workflow.add(node["identifier"])


def test_the_credential_type_injects_what_the_genesys_lookup_reads():
    from ansible_collections.purecloud.firewall.plugins.lookup import genesys_ip_ranges
    options = yaml.safe_load(genesys_ip_ranges.DOCUMENTATION)["options"]
    read = set(env["name"] for name in ("client_id", "client_secret") for env in options[name]["env"])
    injected = [block["env"] for block in yaml_blocks() if isinstance(block, dict) and "env" in block]
    assert injected and set(injected[0]) == read
    as_code = [task for task in awx_tasks() if "awx.awx.credential_type" in task][0]["awx.awx.credential_type"]
    assert set(as_code["injectors"]["env"]) == read
