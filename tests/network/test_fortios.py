# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The FortiGate, every case x destination mode, against fortinet.fortios itself and against the plan.

* golden: the FortiOS CLI equals golden/<edition>/fortios/<product>-<mode>.conf;
* vendor: every module invocation passes that module's own argument spec,
  taken from the installed collection's main() (a misspelled option fails);
* round trip: a small FortiOS CLI parser here reads the CLI back into flows
  (groups and services resolved) and they equal ``perimeter_cases.wanted``;
* removal, options, and the role in render-only mode through ansible-playbook.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shlex
import subprocess

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from vendor_specs import module_spec
from perimeter_cases import CASES, MODES, Atom, address, check_golden, golden_path, render, wanted

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
INTERFACES = {"inside": ["port1"], "outside": ["wan1"]}
VENDOR = "ansible_collections.fortinet.fortios.plugins.modules."


@pytest.fixture(scope="module")
def specs():
    return dict((module, module_spec(VENDOR + module)[0])
                for module in ("fortios_firewall_address", "fortios_firewall_address6", "fortios_firewall_addrgrp",
                               "fortios_firewall_addrgrp6", "fortios_firewall_service_custom",
                               "fortios_firewall_policy", "fortios_configuration_fact"))


def errors(specs, invocation):
    return ArgumentSpecValidator(specs[invocation["module"]]).validate(invocation["args"]).error_messages


CASE_MODES = [(case, mode) for case in CASES for mode in MODES]


@pytest.fixture(scope="module")
def rendered():
    return dict(((case, mode), render("fortios", case, mode, fortios_interfaces=INTERFACES)) for case, mode in CASE_MODES)


@pytest.mark.parametrize("case, mode", CASE_MODES)
def test_golden(rendered, case, mode):
    edition, product = case.split("/")
    check_golden(golden_path(edition, "fortios", "%s-%s.conf" % (product, mode)),
                 "\n".join(rendered[(case, mode)]["commands"]) + "\n")


@pytest.mark.parametrize("case, mode", CASE_MODES)
def test_every_invocation_passes_the_vendor_modules_own_argument_spec(rendered, specs, case, mode):
    config = rendered[(case, mode)]["config"]
    assert config
    for invocation in config:
        assert errors(specs, invocation) == [], invocation


def test_the_validator_catches_a_misspelled_option(specs):
    good = {"module": "fortios_firewall_address",
            "args": {"vdom": "root", "state": "present",
                     "firewall_address": {"name": "PURECLOUD-10.0.0.0/24", "subnet": "10.0.0.0 255.255.255.0"}}}
    assert errors(specs, good) == []
    misspelled = {"module": "fortios_firewall_address",
                  "args": {"vdom": "root", "state": "present",
                           "firewall_address": {"name": "PURECLOUD-10.0.0.0/24", "subnett": "10.0.0.0 255.255.255.0"}}}
    assert any("subnett" in message for message in errors(specs, misspelled))
    policy = {"module": "fortios_firewall_policy",
              "args": {"vdom": "root", "state": "present", "firewall_policy": {"policyid": 1, "logtraffic": "yes"}}}
    assert any("logtraffic" in message for message in errors(specs, policy))


# ------------------------------------------------------------- the CLI parser
def parse_cli(lines):
    """FortiOS CLI -> {table: {key: {field: [values]}}}: ``config``/``edit``/``set``/``next``/``end``."""
    tables, table, current = {}, None, None
    for line in lines:
        words = shlex.split(line)
        if not words:
            continue
        if words[0] == "config":
            table = tables.setdefault(" ".join(words[1:]), {})
        elif words[0] == "edit":
            current = table.setdefault(words[1], {})
        elif words[0] == "set":
            current[words[1]] = words[2:]
        elif words[0] == "next":
            current = None
        elif words[0] == "end":
            table = None
        else:
            raise AssertionError("unexpected line %r" % line)
    return tables


def _address(family, record):
    """An address object's value; the type defaults to ipmask (address) and ipprefix (address6)."""
    kind = (record.get("type") or ["ipmask" if family == 4 else "ipprefix"])[0]
    if kind == "ipmask":
        return address(str(ipaddress.ip_network("/".join(record["subnet"]))))
    if kind == "ipprefix":
        return address(record["ip6"][0])
    if kind == "fqdn":
        return record["fqdn"][0]
    if kind == "wildcard-fqdn":
        return record["wildcard-fqdn"][0]
    raise AssertionError("address type %s" % kind)


def flows(lines):
    """The atoms the CLI's accept policies permit, per family, groups and services resolved."""
    tables = parse_cli(lines)

    def resolve(family, name):
        if name == "all":
            return [None]
        groups = tables.get("firewall addrgrp" + ("6" if family == 6 else ""), {})
        if name in groups:
            return [a for member in groups[name]["member"] for a in resolve(family, member)]
        objects = tables["firewall address" + ("6" if family == 6 else "")]
        return [_address(family, objects[name])]

    def ports(name):
        service = tables["firewall service custom"][name]
        found = []
        for field, protocol in (("tcp-portrange", "tcp"), ("udp-portrange", "udp")):
            for item in service.get(field, []):
                low, _sep, high = item.split(":")[0].partition("-")
                found.append((protocol, int(low), int(high or low)))
        return found

    atoms = set()
    for policy in tables.get("firewall policy", {}).values():
        assert policy["action"] == ["accept"] and policy["status"] == ["enable"]
        for family, src, dst in ((4, "srcaddr", "dstaddr"), (6, "srcaddr6", "dstaddr6")):
            sources = [a for name in policy.get(src, []) for a in resolve(family, name)]
            destinations = [a for name in policy.get(dst, []) for a in resolve(family, name)]
            for service in policy["service"]:
                for protocol, first, last in ports(service):
                    atoms.update(Atom(s, d, protocol, first, last) for s in sources for d in destinations)
    return atoms


def fortigate_form(atom):
    """FortiOS's address6 has no wildcard-fqdn type (the vendor's schema, checked below): a flow from an IPv6
    source to a ``*.x`` name goes to any IPv6 address instead, never nowhere."""
    v6_source = isinstance(atom.source, ipaddress.IPv6Network)
    if v6_source and isinstance(atom.destination, str) and atom.destination.startswith("*."):
        return atom._replace(destination=None)
    return atom


def test_address6_has_no_wildcard_fqdn_type(specs):
    choices = specs["fortios_firewall_address6"]["firewall_address6"]["options"]["type"]["choices"]
    assert "fqdn" in choices and "wildcard-fqdn" not in choices
    assert "wildcard-fqdn" in specs["fortios_firewall_address"]["firewall_address"]["options"]["type"]["choices"]


@pytest.mark.parametrize("case, mode", CASE_MODES)
def test_the_cli_reads_back_to_exactly_the_planned_flows(rendered, case, mode):
    expected = set(fortigate_form(atom) for atom in wanted(case, mode))
    found = flows(rendered[(case, mode)]["commands"])
    assert sorted(map(str, found - expected)) == [], "added"
    assert sorted(map(str, expected - found)) == [], "lost"


def test_the_round_trip_catches_a_lost_policy(rendered):
    lines = rendered[("current/edge", "strict")]["commands"]
    start = lines.index("config firewall policy")
    cut = lines[:start + 1] + lines[lines.index("    next", start) + 1:]
    assert flows(cut) != set(wanted("current/edge", "strict"))


# ------------------------------------------------------------------ removal
@pytest.mark.parametrize("case", CASES)
def test_absent_removes_exactly_the_owned_objects(rendered, specs, case):
    present = rendered[(case, "strict")]
    absent = render("fortios", case, "strict", fortios_interfaces=INTERFACES, state="absent")
    assert absent["state"] == "deleted"
    ids = dict((e["args"]["firewall_policy"]["policyid"], e["args"]["firewall_policy"]["name"])
               for e in present["config"] if e["module"] == "fortios_firewall_policy")
    removed = []
    for entry in absent["config"]:
        assert errors(specs, entry) == []
        if entry["module"] == "fortios_configuration_fact":
            continue
        table = entry["module"][len("fortios_"):]
        assert entry["args"]["state"] == "absent"
        key = entry["args"][table]
        removed.append((table, ids[key["policyid"]] if table == "firewall_policy" else key["name"]))
    assert sorted(removed) == sorted(tuple(owned) for owned in present["acls"])


def test_the_platform_options_reach_every_invocation():
    result = render("fortios", "current/byoc_premises", "strict", fortios_vdom="branch7", fortios_nat=True,
                    fortios_policy_id_base=200000,
                    fortios_interfaces={"inside": ["lan", "voice"], "outside": ["wan1", "wan2"]})
    assert all(entry["args"]["vdom"] == "branch7" for entry in result["config"])
    policies = [e["args"]["firewall_policy"] for e in result["config"] if e["module"] == "fortios_firewall_policy"]
    assert policies and all(200000 < p["policyid"] < 206000 for p in policies)
    for policy in policies:
        outbound = policy["srcintf"] == [{"name": "lan"}, {"name": "voice"}]
        assert outbound or policy["srcintf"] == [{"name": "wan1"}, {"name": "wan2"}]
        assert policy["nat"] == ("enable" if outbound and policy["dstintf"][0]["name"] == "wan1" else "disable")
    fact = next(e for e in result["config"] if e["module"] == "fortios_configuration_fact")
    assert fact["sweep"] == {"prefix": "PURECLOUD", "policy_id_base": 200000, "policy_id_end": 206000}


# ------------------------------------------------------------------ the role
def run_edge_role(tmp_path, *extra):
    """purecloud.firewall.edge on a FortiGate whose API is a closed port on loopback."""
    with open(os.path.join(HERE, "site.yml")) as handle:
        site = yaml.safe_load(handle)
    host = {"ansible_network_os": "fortinet.fortios.fortios", "ansible_connection": "ansible.netcommon.httpapi",
            "ansible_host": "127.0.0.1", "ansible_port": 9, "ansible_httpapi_port": 9,
            "ansible_user": "nobody", "ansible_httpapi_pass": "none"}
    host.update(("purecloud_%s" % name, value) for name, value in site.items())
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"fgt1": host}}}))
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump([{"name": "FortiGate", "hosts": "fgt1", "gather_facts": False,
                                         "roles": ["purecloud.firewall.edge"]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections") + os.pathsep
               + os.path.join(VENV_BIN, "..", "lib"),
               ANSIBLE_DEPRECATION_WARNINGS="false", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    return subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", str(inventory), str(playbook)]
                          + list(extra), capture_output=True, text=True, env=env, timeout=600, check=False)


def test_the_role_reads_the_device_back_before_it_changes_anything(tmp_path):
    """In check mode without render-only the first module task is the read-back (the guard of the policy id
    block, and the sweep): its arguments pass the fact module's own checks in a real ansible-playbook run, it
    fails only at the closed port, and no task that would write runs after it."""
    done = run_edge_role(tmp_path, "--check")
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "FortiGate objects named with the collection's prefix, read back" in output, output[-3000:]
    assert "127.0.0.1:9/" in output and "Connection refused" in output, output[-3000:]
    assert "Unsupported parameters" not in output and "Error rendering template" not in output, output[-3000:]
    assert "failed: [fgt1] (item=root)" in output
    assert "TASK [purecloud.firewall.edge : FortiGate addresses" not in output


def test_the_role_in_render_only_mode_writes_the_cli_and_the_module_inputs(tmp_path):
    """Render-only: nothing is contacted; the CLI and the module inputs are written."""
    out = tmp_path / "rendered"
    done = run_edge_role(tmp_path, "-e", "purecloud_network_render_only=true",
                         "-e", "purecloud_network_render_dir=%s" % out)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert sorted(os.listdir(out)) == ["fgt1.conf", "fgt1.fortios.yml"]
    text = (out / "fgt1.conf").read_text()
    assert "config firewall policy\n    edit 10001\n        set name \"PURECLOUD-EDGE-OUT-1\"\n" in text
    assert flows(text.splitlines()) == set(fortigate_form(a) for a in wanted("current/edge", "any"))
    inputs = yaml.safe_load((out / "fgt1.fortios.yml").read_text())
    assert [e["module"] for e in inputs][-2:] == ["fortios_firewall_policy", "fortios_configuration_fact"]


def test_the_sweep_filter_runs_in_a_play_on_a_read_back_of_the_facts_shape(tmp_path):
    """The role's expression: the fact module's meta (one response per selector) through the filter, by its FQCN."""
    config = render("fortios", "current/edge", "any", fortios_interfaces=INTERFACES)["config"]
    found = [{"path": "firewall", "name": "policy", "status": "success", "http_status": 200,
              "results": [{"policyid": 10001, "name": "PURECLOUD-EDGE-OUT-1"},
                          {"policyid": 10099, "name": "PURECLOUD-EDGE-OUT-99"}, {"policyid": 7, "name": "lan-out"}]},
             {"path": "firewall", "name": "address", "status": "success", "http_status": 200,
              "results": [{"name": "PURECLOUD-198.51.100.128/28"}, {"name": "PURECLOUD-192.0.2.0/24"}]}]
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"found": found, "config": config, "out": str(tmp_path / "stale.json")}))
    playbook = tmp_path / "sweep.yml"
    playbook.write_text(yaml.safe_dump([{"name": "Sweep", "hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "Write the stale objects", "ansible.builtin.copy": {
            "content": "{{ found | purecloud.firewall.fortios_sweep(config) | to_json }}", "dest": "{{ out }}"}}]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"),
               ANSIBLE_DEPRECATION_WARNINGS="false", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local",
                           str(playbook), "-e", "@%s" % facts,
                           "-e", "ansible_python_interpreter=%s" % os.path.join(VENV_BIN, "python")],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    stale = json.loads((tmp_path / "stale.json").read_text())
    assert [(e["module"], e["args"]["state"], e["args"][e["module"][len("fortios_"):]]) for e in stale] == [
        ("fortios_firewall_policy", "absent", {"policyid": 10099}),
        ("fortios_firewall_address", "absent", {"name": "PURECLOUD-192.0.2.0/24"})]
