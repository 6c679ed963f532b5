# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each role README's example is a play for that role that works as written.

It runs on the role's product group, sets only the role's own options, and
its variables alone plan the product's flows: every row enforced, none
skipped for want of a network or a port, and rules a Linux host can take.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
    VARIABLES, check_management, plan_site, render_site)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(os.listdir(os.path.join(ROOT, "roles")))
EXAMPLE = re.compile(r"^## Example\n(.*?)^## ", re.S | re.M)
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```$", re.S | re.M)
OPTIONS = dict((variable, option) for option, variable in VARIABLES.items())


def example(role):
    """The plays of the README's one YAML block under "## Example"."""
    with open(os.path.join(ROOT, "roles", role, "README.md")) as handle:
        section = EXAMPLE.search(handle.read())
    assert section, "roles/%s/README.md has no Example section" % role
    blocks = YAML_BLOCK.findall(section.group(1))
    assert len(blocks) == 1, "roles/%s/README.md: expected one yaml block in Example, found %d" % (role, len(blocks))
    return yaml.safe_load(blocks[0])


def role_options(role):
    with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")) as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


def test_every_product_role_has_a_readme():
    assert ROLES == sorted(["bridge", "byoc_cloud", "byoc_premises", "edge", "voice", "webrtc_client"])


@pytest.mark.parametrize("role", ROLES)
def test_the_example_is_one_play_of_its_role_on_its_product_group(role):
    plays = example(role)
    assert isinstance(plays, list) and len(plays) == 1, plays
    play = plays[0]
    roles = [entry["role"] if isinstance(entry, dict) else entry for entry in play["roles"]]
    assert roles == ["purecloud.firewall.%s" % role], roles
    # A product's hosts are the inventory group purecloud_<product> (the product playbooks' and site.yml's).
    assert play["hosts"] == "purecloud_%s" % role


@pytest.mark.parametrize("role", ROLES)
def test_the_example_sets_only_options_of_the_role(role):
    variables = example(role)[0].get("vars") or {}
    unknown = sorted(set(variables) - set(role_options(role)))
    assert variables and unknown == [], "roles/%s/README.md sets variables the role does not take: %s" % (role, unknown)


@pytest.mark.parametrize("role", ROLES)
def test_the_examples_variables_alone_plan_the_products_flows(role):
    variables = example(role)[0]["vars"]
    settings = dict((OPTIONS[name], value) for name, value in variables.items())
    settings["products"] = list(dict.fromkeys(settings.get("products", []) + [role]))
    plan = plan_site(settings)
    assert plan.warnings == ()
    # Every row selected is enforced (a row from "pbx or sip_provider" by the class the example gives).
    enforced = set(rid for rule in plan.rules for rid in rule.ids)
    assert plan.rules and [row.id for row in plan.requirements if row.id not in enforced] == [], plan.skipped
    check_management(settings.get("management"))
    for backend in ("nftables", "firewalld"):
        assert render_site(plan, backend, management=settings.get("management"))
