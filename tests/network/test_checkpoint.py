# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check Point for every case and destination mode: golden review files, the vendor's own argument specs, round trips.

The module inputs are validated against each check_point.mgmt module's
argument spec, taken the way the module's ``main()`` builds it (its own
options and the ``checkpoint_argument_spec_for_*`` of its module_utils):
``main()`` runs until it hands the spec to ``AnsibleModule``, which is where
the spec is read and the run stops.  The review file (mgmt_cli commands) is
parsed back into flows here and compared with ``perimeter_cases.wanted``.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
from typing import Any, Dict, FrozenSet, List, Set, Tuple

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.check_point.mgmt.plugins.module_utils.checkpoint import (
    get_payload_from_parameters, is_equals_with_position_param)

import perimeter_cases
from vendor_specs import module_spec
from perimeter_cases import CASES, MODES, Atom, address, check_golden, golden_path, render, wanted

BACKEND = "checkpoint"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TASKS = os.path.join(ROOT, "scripts", "network-tasks", "checkpoint.yml")
PARAMS = [(case, mode) for case in CASES for mode in MODES]


def vendor_spec(module: str) -> Dict[str, Any]:
    """The argument spec ``main()`` of a check_point.mgmt module hands to AnsibleModule."""
    return module_spec("ansible_collections.check_point.mgmt.plugins.modules.%s" % module.rsplit(".", 1)[-1])[0]


_SPECS: Dict[str, Dict[str, Any]] = {}


def _validated(module: str, args: Dict[str, Any]) -> Any:
    if module not in _SPECS:
        _SPECS[module] = vendor_spec(module)
    return ArgumentSpecValidator(_SPECS[module]).validate(dict(args))


def validation_errors(module: str, args: Dict[str, Any]) -> List[str]:
    return list(_validated(module, args).error_messages)


# ------------------------------------------------------------------ the parser
def _fields(line: str) -> Tuple[str, str, Dict[str, str]]:
    """``mgmt_cli add network name "X" subnet ...`` -> ("add", "network", {"name": "X", ...})."""
    words = shlex.split(line)
    assert words[0] == "mgmt_cli" and words[-2:] == ["-s", "id.txt"] or words[1] == "login", line
    if words[1] in ("login", "publish", "logout"):
        return words[1], "", {}
    body = words[3:-2]
    assert len(body) % 2 == 0, line
    return words[1], words[2], dict(zip(body[::2], body[1::2]))


def _listed(fields: Dict[str, str], key: str) -> List[str]:
    values, index = [], 1
    while "%s.%d" % (key, index) in fields:
        values.append(fields["%s.%d" % (key, index)])
        index += 1
    if key in fields:
        values.append(fields[key])
    return values


def _networks(value: Any) -> bool:
    return isinstance(value, (ipaddress.IPv4Network, ipaddress.IPv6Network))


def parse_review(lines: List[str]) -> Tuple[FrozenSet[Atom], List[Dict[str, str]]]:
    """The flows the review's access rules permit, and the rules' fields; names are resolved as the server would."""
    addresses: Dict[str, List[Any]] = {"Any": [None]}
    services: Dict[str, List[Tuple[str, int, int]]] = {}
    rules = []
    for line in lines:
        verb, kind, fields = _fields(line)
        if verb != "add":
            continue
        name = fields.get("name")
        if kind == "network":
            addresses[name] = [ipaddress.ip_network("%s/%s" % (fields["subnet"], fields["mask-length"]))]
        elif kind == "host":
            addresses[name] = [ipaddress.ip_network(fields["ip-address"])]
        elif kind == "dns-domain":
            assert name.startswith(".")
            addresses[name] = ["*" + name if fields["is-sub-domain"] == "true" else name[1:]]
        elif kind == "group":
            addresses[name] = [a for member in _listed(fields, "members") for a in addresses[member]]
        elif kind in ("service-tcp", "service-udp"):
            first, _dash, last = fields["port"].partition("-")
            services[name] = [(kind[len("service-"):], int(first), int(last or first))]
        elif kind == "service-group":
            services[name] = [s for member in _listed(fields, "members") for s in services[member]]
        elif kind == "access-rule":
            rules.append(fields)
    atoms: Set[Atom] = set()
    for rule in rules:
        assert rule["action"] == "Accept" and rule["track.type"] == "Log"
        for source in addresses[rule["source"]]:
            for destination in addresses[rule["destination"]]:
                # A packet has one address family: a group's IPv4 source never meets its IPv6 destination.
                if _networks(source) and _networks(destination) and source.version != destination.version:
                    continue
                for protocol, first, last in services[rule["service"]]:
                    atoms.add(Atom(address(None if source is None else str(source)),
                                   address(None if destination is None else str(destination)),
                                   protocol, first, last))
    return frozenset(atoms), rules


def review(case: str, mode: str, **options: Any) -> List[str]:
    return render(BACKEND, case, mode, **options)["commands"]


# -------------------------------------------------------------------- the tests
@pytest.mark.parametrize("case,mode", PARAMS)
def test_the_review_file_is_the_golden_one(case, mode):
    edition, product = case.split("/")
    check_golden(golden_path(edition, BACKEND, "%s-%s.txt" % (product, mode)), "\n".join(review(case, mode)) + "\n")


@pytest.mark.parametrize("case,mode", PARAMS)
def test_every_module_input_passes_its_check_point_module_argument_spec(case, mode):
    for state in ("present", "absent"):
        result = render(BACKEND, case, mode, state=state)
        assert result["config"], (case, mode, state)
        for step in result["config"]:
            assert step["module"].startswith("check_point.mgmt.cp_mgmt_")
            assert validation_errors(step["module"], step["args"]) == [], (case, mode, step)


def test_a_misspelled_or_mistyped_option_fails_the_vendor_spec():
    good = {"name": "PURECLOUD-NET-198.51.100.128-28", "subnet": "198.51.100.128", "mask_length": 28,
            "state": "present"}
    assert validation_errors("check_point.mgmt.cp_mgmt_network", good) == []
    misspelled = dict(good, mask_lenght=28)
    del misspelled["mask_length"]
    assert any("mask_lenght" in error for error in validation_errors("check_point.mgmt.cp_mgmt_network", misspelled))
    assert validation_errors("check_point.mgmt.cp_mgmt_access_rule",
                             {"name": "R", "layer": "Network", "track": {"typ": "Log"}}) != []
    assert validation_errors("check_point.mgmt.cp_mgmt_dns_domain", {"name": ".x.com", "is_sub_domain": "maybe"}) != []


@pytest.mark.parametrize("case,mode", PARAMS)
def test_the_review_file_parses_back_to_exactly_the_planned_flows(case, mode):
    atoms, rules = parse_review(review(case, mode))
    expected = wanted(case, mode)
    assert sorted(atoms - expected, key=repr) == [], "added"
    assert sorted(expected - atoms, key=repr) == [], "lost"
    assert rules


@pytest.mark.parametrize("case,mode", PARAMS)
def test_the_review_file_and_the_module_inputs_say_the_same(case, mode):
    """The review file is what the modules get: one line per invocation, same names, same rules."""
    result = render(BACKEND, case, mode)
    lines = [line for line in result["commands"] if not line.startswith(("mgmt_cli login", "mgmt_cli logout"))]
    assert len(lines) == len(result["config"])
    for line, step in zip(lines, result["config"]):
        verb, kind, fields = _fields(line)
        short = step["module"].rsplit(".", 1)[-1]
        if short == "cp_mgmt_publish":
            assert verb == "publish"
            continue
        assert (verb, kind.replace("-", "_")) == ("add", short[len("cp_mgmt_"):]), (line, step)
        assert fields["name"] == step["args"]["name"]
        for key in ("source", "destination", "service"):
            if key in step["args"]:
                assert step["args"][key] == [fields[key]]
        if "relative_position" in step["args"]:
            assert step["args"]["relative_position"] == dict(
                (key[len("position."):], value) for key, value in fields.items() if key.startswith("position.")), line


@pytest.mark.parametrize("mode", ("any", "strict"))
@pytest.mark.parametrize("case", CASES)
def test_state_absent_removes_exactly_what_present_owns_rules_first(case, mode):
    present = render(BACKEND, case, mode)
    absent = render(BACKEND, case, mode, state="absent")
    assert absent["state"] == "deleted"
    removed = [(step["module"], step["args"]) for step in absent["config"] if "name" in step["args"]]
    assert all(args["state"] == "absent" and set(args) <= {"name", "layer", "state"} for _module, args in removed)
    created = [(step["module"], step["args"]["name"]) for step in present["config"] if "name" in step["args"]]
    assert sorted((module, args["name"]) for module, args in removed) == sorted(created)
    order = [module.rsplit(".", 1)[-1] for module, _args in removed]
    assert order.index("cp_mgmt_access_section") == len([m for m in order if m == "cp_mgmt_access_rule"])
    assert all(m not in ("cp_mgmt_access_rule", "cp_mgmt_access_section") for m in order[order.index("cp_mgmt_group"):])
    assert absent["config"][-1]["module"] == "check_point.mgmt.cp_mgmt_publish"
    assert sorted(map(tuple, absent["acls"])) == sorted(map(tuple, present["acls"]))


@pytest.mark.parametrize("case", CASES)
def test_state_absent_in_domains_mode_removes_the_domain_groups_and_leaves_the_dns_domains(case):
    present = render(BACKEND, case, "domains")
    absent = render(BACKEND, case, "domains", state="absent")
    created = [(step["module"], step["args"]["name"]) for step in present["config"] if "name" in step["args"]]
    removed = [(step["module"], step["args"]["name"]) for step in absent["config"] if "name" in step["args"]]
    dns_domains = [item for item in created if item[0] == "check_point.mgmt.cp_mgmt_dns_domain"]
    assert sorted(removed) == sorted(item for item in created if item not in dns_domains)
    if dns_domains:
        assert any(name.endswith("-FQDN") for module, name in removed if module.endswith("cp_mgmt_group"))


@pytest.mark.parametrize("case", CASES)
def test_the_layer_option_reaches_every_rule_and_the_section(case):
    result = render(BACKEND, case, "strict", checkpoint_layer="Perimeter Policy", checkpoint_position="below Cleanup")
    layered = [step for step in result["config"] if step["module"].endswith(("access_rule", "access_section"))]
    assert len(layered) == 1 + len([line for line in result["commands"] if " access-rule " in line])
    assert all(step["args"]["layer"] == "Perimeter Policy" for step in layered)
    section = [step["args"] for step in layered if step["module"].endswith("access_section")]
    assert section == [{"layer": "Perimeter Policy", "name": "PURECLOUD", "state": "present",
                        "relative_position": {"below": "Cleanup"}}]
    rules = [step["args"] for step in layered if step["module"].endswith("access_rule")]
    assert rules[0]["relative_position"] == {"top": "PURECLOUD"}
    assert [rule["relative_position"] for rule in rules[1:]] == [{"below": rule["name"]} for rule in rules[:-1]]
    assert all('layer "Perimeter Policy"' in line for line in result["commands"] if " access-" in line)
    absent = render(BACKEND, case, "strict", state="absent", checkpoint_layer="Perimeter Policy")
    assert all(step["args"]["layer"] == "Perimeter Policy" for step in absent["config"]
               if step["module"].endswith(("access_rule", "access_section")))


def test_without_publish_the_session_is_left_for_smartconsole():
    result = render(BACKEND, CASES[0], "any", checkpoint_publish=False)
    assert not any(step["module"].endswith("cp_mgmt_publish") for step in result["config"])
    assert not any(line.startswith("mgmt_cli publish") for line in result["commands"])
    assert render(BACKEND, CASES[0], "any")["config"][-1] == {"module": "check_point.mgmt.cp_mgmt_publish", "args": {}}


def _tasks() -> List[Dict[str, Any]]:
    """The tasks of the Check Point block that run a check_point.mgmt module."""
    with open(TASKS) as handle:
        block = yaml.safe_load(handle)[0]
    return [task for task in block["block"] if any(key.startswith("check_point.mgmt.") for key in task)]


def test_the_role_tasks_pass_every_argument_the_config_gives_each_module():
    """A key of an invocation the task would drop is a key the server never gets."""
    present = [task for task in _tasks() if not task["name"].startswith("Remove")]
    taken: Dict[str, Set[str]] = {}
    for task in present:
        module = next(key for key in task if key.startswith("check_point.mgmt."))
        taken.setdefault(module, set()).update(task[module] or {})
    for case in CASES:
        for mode in MODES:
            for step in render(BACKEND, case, mode)["config"]:
                assert set(step["args"]) <= taken[step["module"]], step
    removing = [task for task in _tasks() if task["name"].startswith("Remove")]
    order = [next(key for key in task if key.startswith("check_point.mgmt.")).rsplit(".", 1)[-1] for task in removing]
    from ansible_collections.purecloud.firewall.plugins.module_utils.render_checkpoint import REMOVAL_ORDER
    assert tuple(order) == REMOVAL_ORDER
    assert _tasks()[-1]["check_point.mgmt.cp_mgmt_publish"] is None


def test_the_role_tasks_give_the_facts_modules_only_their_own_options():
    for task in _tasks():
        module = next((key for key in task if key.endswith("_facts")), None)
        if module:
            args = dict((key, value if not str(value).startswith("{{") else 0 if key == "offset" else "x")
                        for key, value in task[module].items())
            assert validation_errors(module, args) == [], module


def test_the_cases_cover_both_families_and_the_domains():
    atoms, _rules = parse_review(review("current/webrtc_client", "strict"))
    assert any(_networks(atom.destination) and atom.destination.version == 6 for atom in atoms)
    atoms, _rules = parse_review(review("current/edge", "domains"))
    assert any(atom.destination == "*.mypurecloud.com" for atom in atoms)
    assert perimeter_cases.STRICT_AWS_PREFIXES


# ------------------------------------------------- the vendor's position check
RULE = "check_point.mgmt.cp_mgmt_access_rule"


class Layer:
    """A management server's answers about one layer whose rule base holds ``sections`` (name, rule names) in order.

    It answers the read-only calls check_point.mgmt makes to place a rule:
    ``show-access-rulebase`` (with offset and limit, as the server pages it)
    and ``show-layer-structure``; any other call fails the test.
    """

    def __init__(self, layer: str, sections: List[Tuple[str, List[str]]]) -> None:
        self.layer = layer
        self.sections: List[Dict[str, Any]] = []
        number = 1
        for name, rules in sections:
            assert rules, "an empty section has no from/to; not modelled"
            entries = [{"type": "access-rule", "name": rule, "rule-number": number + index}
                       for index, rule in enumerate(rules)]
            self.sections.append({"type": "access-section", "name": name, "from": number,
                                  "to": number + len(rules) - 1, "rulebase": entries})
            number += len(rules)
        self.total = number - 1

    def send_request(self, path: str, payload: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        command = path.rsplit("/", 1)[-1]
        if command == "show-layer-structure":
            assert payload["name"] == self.layer
            return 200, {"root-section": {"children": [{"name": s["name"], "from-rule": s["from"], "to-rule": s["to"]}
                                                       for s in self.sections]}}
        assert command == "show-access-rulebase" and payload["name"] == self.layer, (path, payload)
        offset = payload.get("offset", 0)
        last = min(self.total, offset + payload.get("limit", 50))
        picked = []
        for section in self.sections:
            rules = [rule for rule in section["rulebase"] if offset < rule["rule-number"] <= last]
            if rules:
                edges = {"from": rules[0]["rule-number"], "to": rules[-1]["rule-number"]}
                picked.append(dict(section, rulebase=rules, **edges))
        return 200, {"rulebase": picked, "from": offset + 1, "to": last, "total": self.total}


def vendor_payload(args: Dict[str, Any]) -> Dict[str, Any]:
    """The API payload cp_mgmt_access_rule's ``main()`` builds: the spec's defaults, ``relative_position`` as ``position``."""
    validated = _validated(RULE, args)
    assert not validated.error_messages
    params = dict(validated.validated_parameters)
    if params["relative_position"] is not None:
        params["position"] = params["relative_position"]
    params.pop("relative_position")
    return get_payload_from_parameters(params)


def unmoved(layer: Layer, rules: List[Dict[str, Any]]) -> List[bool]:
    """For each rule, whether check_point.mgmt finds it already where its position asks (no set-access-rule)."""
    return [is_equals_with_position_param(vendor_payload(args), layer, "", "access-rule") for args in rules]


def _planned_rules(case: str, **options: Any) -> List[Dict[str, Any]]:
    return [step["args"] for step in render(BACKEND, case, "strict", **options)["config"] if step["module"] == RULE]


@pytest.mark.parametrize("before", ([], [("Admin", ["SSH", "Management"])]), ids=("section-first", "below-admin"))
@pytest.mark.parametrize("case", CASES)
def test_a_second_run_moves_no_rule_by_the_vendors_own_position_check(case, before):
    """The rule base the first run leaves (the section's rules in the plan's order) satisfies every rule's position."""
    options = {"checkpoint_position": "below Admin"} if before else {}
    rules = _planned_rules(case, **options)
    assert rules
    layer = Layer("Network", before + [("PURECLOUD", [args["name"] for args in rules]), ("Cleanup", ["Cleanup rule"])])
    assert unmoved(layer, rules) == [True] * len(rules)


@pytest.mark.parametrize("case", CASES)
def test_the_vendors_position_check_moves_a_rule_out_of_the_plans_order(case):
    """The same check on a rule base whose first two rules were swapped: they and the third (below the second) move."""
    rules = _planned_rules(case)
    if len(rules) < 3:
        pytest.skip("fewer than three rules")
    names = [args["name"] for args in rules]
    swapped = [names[1], names[0]] + names[2:]
    moved = unmoved(Layer("Network", [("PURECLOUD", swapped), ("Cleanup", ["Cleanup rule"])]), rules)
    assert moved == [False, False, False] + [True] * (len(rules) - 3)


def test_the_sections_bottom_would_move_every_rule_but_the_last():
    """Why the rules are not placed at the section's bottom: the vendor takes only the last rule as already there."""
    rules = [dict(args, relative_position={"bottom": "PURECLOUD"}) for args in _planned_rules(CASES[0])]
    assert len(rules) > 1
    layer = Layer("Network", [("PURECLOUD", [args["name"] for args in rules]), ("Cleanup", ["Cleanup rule"])])
    assert unmoved(layer, rules) == [False] * (len(rules) - 1) + [True]
