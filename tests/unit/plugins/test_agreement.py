# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every entry point plans a site the same way, flow for flow.

One site's variables (the roles' names) go through each entry point as a
user reaches it: the apply action as a role runs it (its module run on the
host stubbed: the plan is made before), the site_settings lookup into
compile_rules (what show_rules prints), site_rules, the report, the network
render, preflight's checks and changes.  For every product, gateway and
host mode and each option, they must give the same rules, or fail with the
same message.  The page's own flows are the other tests' business; this one
proves that no entry point plans differently from the roles.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import action_loader, filter_loader, lookup_loader
from ansible.template import Templar

from ansible_collections.purecloud.firewall.plugins.action.apply import MODULES
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import normalize_ports, parse_port_spec

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
VENV_BIN = os.path.dirname(sys.executable)
PRODUCTS = ["edge", "byoc_premises", "voice", "bridge", "webrtc_client", "byoc_cloud"]
# Each product's devices, the classes a host of it can play (byoc_cloud's is the site's PBX).
HOST_CLASSES = {"edge": ["edge"], "byoc_premises": ["voip_phone", "workstation", "edge"],
                "voice": ["voip_phone", "workstation", "edge"], "bridge": ["bridge_server"],
                "webrtc_client": ["workstation"], "byoc_cloud": ["pbx"]}
NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"], "workstation": ["198.51.100.224/27"],
            "bridge_server": ["198.51.100.144/28"], "corporate_ad": ["198.51.100.160/28"],
            "sip_provider": ["203.0.113.60/31"], "pbx": ["198.51.100.170/32"], "byoc_cloud": ["203.0.113.10/31"]}


def aws_feed(path):
    path.write_text(json.dumps({
        "syncToken": "1", "createDate": time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime()),
        "prefixes": [{"ip_prefix": "203.0.113.32/28", "region": "us-east-1", "service": "AMAZON",
                      "network_border_group": "us-east-1"}],
        "ipv6_prefixes": [{"ipv6_prefix": "2001:db8:40::/48", "region": "us-east-1", "service": "AMAZON",
                           "network_border_group": "us-east-1"}]}))
    return str(path)


def option_sets(tmp_path):
    """Each of the roles' options that changes what is planned, one at a time."""
    return {
        "defaults": {},
        "page": {"purecloud_catalog_edition": "2018-11-21"},
        "page-backward-compat": {"purecloud_catalog_edition": "2018-11-21", "purecloud_turn_backward_compat": True},
        "ldap": {"purecloud_ldap": True},
        "legacy": {"purecloud_legacy_provisioning": True},
        "internal-dns": {"purecloud_internal_dns": True},
        "ports": {"purecloud_phone_rtp_ports": ["udp/10000-10100"],
                  "purecloud_sip_provider_sip_ports": ["udp/5060", "tcp/5061"],
                  "purecloud_sip_provider_rtp_ports": ["10000-20000"], "purecloud_byoc_cloud_sip_ports": ["udp/5060"]},
        "overrides": {"purecloud_port_overrides": {"voice.phones.sips": ["5071"], "edge.phones.sips": ["5071"]}},
        "cloud-list": {"purecloud_cloud_destinations": ["203.0.113.0/26", "2001:db8:40::/48"]},
        "strict": {"purecloud_cloud_destinations": "aws_ip_ranges",
                   "purecloud_aws_ip_ranges_src": aws_feed(tmp_path / "ip-ranges.json")},
        "accept": {"purecloud_default_policy": "accept"},
        "dns-fed": {"purecloud_cloud_destinations": "domains", "purecloud_internal_dns": True,
                    "purecloud_default_policy": "drop", "purecloud_dns_upstream": ["203.0.113.53"],
                    "purecloud_dns_ttl": 60},
        "overlay": {"purecloud_catalog_overlays": [os.path.join(REPO, "examples", "catalog-overlay.yml")]},
        "few-networks": {"purecloud_networks": dict(
            (k, NETWORKS[k]) for k in ("edge", "voip_phone", "workstation", "bridge_server"))},
    }


def sites(tmp_path):
    """(name, the host's variables) for every product in gateway and host mode, with each option set."""
    found = []
    for product in PRODUCTS:
        modes = [("gateway", {})]
        for host_class in HOST_CLASSES[product]:
            modes.append(("host-%s" % host_class, {"purecloud_firewall_mode": "host", "purecloud_host_class": host_class}))
            modes.append(("host-%s-egress" % host_class, {"purecloud_firewall_mode": "host",
                                                          "purecloud_host_class": host_class,
                                                          "purecloud_egress_filtering": True}))
        for mode, mode_vars in modes:
            for option, option_vars in option_sets(tmp_path).items():
                variables = {"purecloud_region": "us-east-1", "purecloud_networks": NETWORKS,
                             "purecloud_firewall_backend": "nftables", "group_names": ["purecloud_%s" % product],
                             "inventory_hostname": "host1"}
                variables.update(mode_vars)
                variables.update(option_vars)
                found.append(("%s/%s/%s" % (product, mode, option), product, variables))
    return found


class Planned(Exception):
    """What stands in for the host: the action has planned, and would now run a module."""


def run_apply(product, variables):
    """The apply action as the product's role runs it: ``products: [product]``, everything else from variables."""
    loader = DataLoader()
    task = SimpleNamespace(args={"products": [product]}, async_val=0, check_mode=False,
                           action="purecloud.firewall.apply")
    connection = SimpleNamespace(_shell=SimpleNamespace(tmpdir="/nonexistent"))
    action = action_loader.get("purecloud.firewall.apply", task=task, connection=connection, play_context=None,
                               loader=loader, templar=Templar(loader=loader, variables=variables),
                               shared_loader_obj=None)
    calls = []

    def host(module_name, module_args, task_vars):
        calls.append(module_name)
        return {"changed": False}

    action._execute_module = host
    result = action.run(task_vars=variables)
    assert len([c for c in calls if c in MODULES.values()]) <= 1, calls
    return result


def site_settings(variables, **options):
    loader = DataLoader()
    plugin = lookup_loader.get("purecloud.firewall.site_settings", loader=loader,
                               templar=Templar(loader=loader, variables=variables))
    return plugin.run([], variables=variables, **options)[0]


def filtered(name, *args, **kwargs):
    return filter_loader.get("purecloud.firewall.%s" % name).j2_function(*args, **kwargs)


def rendered_acls(product, device):
    """The ACLs of one product's device plan, rendered as apply renders them."""
    from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
    from ansible_collections.purecloud.firewall.plugins.module_utils.plan import rules_from
    from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import renderer_for

    plan = device["per_product"][product]
    renderer = renderer_for("cisco_ios")
    rendered = renderer.render(rules_from(plan["rules"]), product, plan["default_policy"],
                               site_classes=load_catalog().site_classes)
    return renderer.merge([rendered]).config


def error_of(call):
    try:
        return None, call()
    except Exception as exc:  # every entry point's error carries the same planning message
        return str(exc).split(": ", 1)[-1], None


def flows(rules):
    """A rule set as flows: (source class, destination class, protocol, port, sources, destinations) per port edge."""
    found = set()
    for rule in rules:
        for first, last in (parse_port_spec(p) for p in rule["ports"]):
            for port in (first, last):
                found.add((rule["source_class"], rule["destination_class"], rule["protocol"], port,
                           json.dumps(rule["sources"]), json.dumps(rule["destinations"])))
    return found


def expanded(rules):
    """The ports each (source class, destination class, protocol) opens, merged: merged and split rules alike."""
    ports = {}
    for rule in rules:
        ports.setdefault((rule["source_class"], rule["destination_class"], rule["protocol"]), []).extend(rule["ports"])
    return dict((key, normalize_ports(specs)) for key, specs in ports.items())


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    return sites(tmp_path_factory.mktemp("agreement"))


# The options that change no rule: how rules are applied, where feeds come from, who may read them.
NOT_PLANNING = ("products", "backend", "management", "state", "network_render_only", "network_render_dir",
                "output_dir", "rollback_timeout", "feed_max_age", "feed_allow_stale", "genesys_ip_ranges_src", "genesys_client_id",
                "genesys_client_secret", "genesys_ip_ranges_services", "networks", "region", "aws_ip_ranges_src")


def test_the_matrix_covers_every_product_mode_and_option(matrix):
    from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import platform_options
    from ansible_collections.purecloud.firewall.plugins.module_utils.site import VARIABLES

    names = [name.split("/") for name, _product, _variables in matrix]
    assert set(n[0] for n in names) == set(PRODUCTS)
    assert any(n[1] == "gateway" for n in names) and any(n[1].endswith("-egress") for n in names)
    given = set(key for _name, _product, variables in matrix for key in variables)
    # A platform's own options (its layer, its VDOM) say where the rules go, not which rules.
    planning = set(VARIABLES[option] for option in VARIABLES if option not in NOT_PLANNING
                   and option not in platform_options())
    assert planning <= given, sorted(planning - given)


def test_the_roles_and_compile_rules_plan_every_site_alike(matrix):
    """What apply enforces for the role == what the site_settings lookup and compile_rules (show_rules) give."""
    checked = planned = 0
    for name, product, variables in matrix:
        applied = run_apply(product, variables)
        error, settings = error_of(lambda: site_settings(variables, products=[product]))
        if error is None:
            error, shown = error_of(lambda: filtered("compile_rules", settings))
        if applied.get("failed"):
            message = applied["msg"].split(": ", 1)[1]
            if message.startswith("nothing to apply"):
                # apply refuses to leave a gateway forwarding nothing; the plan itself is empty everywhere.
                assert error is None and shown["rules"] == [], (name, error)
            else:
                assert error == message, (name, error, message)
            checked += 1
            continue
        assert error is None, (name, error)
        for key in ("products", "mode", "host_class", "default_policy", "egress_filtering", "rules", "excluded",
                    "unresolved", "catalog"):
            assert shown[key] == applied[key], (name, key)
        assert flows(shown["rules"]) == flows(applied["rules"]), name
        assert filtered("traffic_matrix", shown, {"edge": ["e"]}) == filtered("traffic_matrix", applied, {"edge": ["e"]})
        checked += 1
        planned += 1
    assert checked == len(matrix) and planned > len(matrix) // 2, (checked, planned)


def test_per_product_entry_points_plan_every_gateway_site_alike(matrix):
    """site_rules, the report, a network device's plan and its rendered ACLs follow each product's gateway plan."""
    for name, product, variables in matrix:
        if "/gateway/" not in name:
            continue
        error, settings = error_of(lambda: site_settings(variables, products=[product]))
        assert error is None, (name, error)
        gateway = filtered("compile_rules", settings)
        by_product = filtered("site_rules", settings)["products"][product]
        assert by_product["rules"] == gateway["rules"], name
        device = filtered("compile_rules", dict(settings, backend="cisco_ios"))
        assert device["per_product"][product]["rules"] == gateway["rules"], name
        report = json.loads(filtered("site_report", settings)["json"])
        reported = set((f["from"], f["to"], f["protocol"], ports) for f in report["flows"] for ports in
                       [", ".join(rule["ports"]) for rule in gateway["rules"]
                        if (rule["source_class"], rule["destination_class"], rule["protocol"])
                        == (f["from"], f["to"], f["protocol"])])
        assert reported == set((r["source_class"], r["destination_class"], r["protocol"], ", ".join(r["ports"]))
                               for r in gateway["rules"]), name
        assert len(report["flows"]) == len(gateway["rules"]), name
        rendered = run_apply(product, dict(variables, purecloud_firewall_backend="cisco_ios",
                                           purecloud_network_render_only=True))
        if variables.get("purecloud_cloud_destinations") == "domains":
            # IOS has no FQDN objects: the device refuses what the Linux gateway resolves through dnsmasq.
            assert rendered["failed"] and "needs FQDN address objects" in rendered["msg"], name
        elif gateway["rules"]:
            assert rendered["network"]["config"] == rendered_acls(product, device), name


def test_a_site_gateway_is_the_union_of_its_products(matrix):
    """One gateway for several products enforces exactly what the products' gateways do, port for port."""
    for name, _product, variables in matrix:
        if not name.startswith("edge/gateway/"):
            continue
        option = name.rsplit("/", 1)[1]
        together = dict(variables, purecloud_firewall_products=PRODUCTS[:5])
        error, settings = error_of(lambda: site_settings(together))
        assert error is None, (name, error)
        whole = filtered("compile_rules", settings)
        each = filtered("site_rules", settings)["products"]
        assert expanded(whole["rules"]) == expanded([r for p in each.values() for r in p["rules"]]), option


def test_preflight_checks_the_flows_the_host_sends(matrix):
    """connectivity_check plans one check per flow the host's class sends, from the same plan as apply."""
    loader = DataLoader()
    for name, product, variables in matrix:
        if not name.endswith("-egress/defaults"):
            continue
        applied = run_apply(product, variables)
        if applied.get("failed"):
            continue
        task = SimpleNamespace(args={"products": [product]}, async_val=0, check_mode=False,
                               action="purecloud.firewall.connectivity_check")
        action = action_loader.get("purecloud.firewall.connectivity_check", task=task,
                                   connection=SimpleNamespace(_shell=SimpleNamespace(tmpdir="/nonexistent")),
                                   play_context=None, loader=loader, templar=Templar(loader=loader, variables=variables),
                                   shared_loader_obj=None)
        sent = {}
        action._execute_module = lambda module_name, module_args, task_vars: sent.update(module_args) or {}
        action.run(task_vars=variables)
        checks = set((c["destination"], c["protocol"], c["port"]) for c in sent["checks"])
        host_class = applied["host_class"]
        wanted = set((r["destination_class"], r["protocol"], parse_port_spec(p)[0]) for r in applied["rules"]
                     if r["source_class"] == host_class for p in r["ports"])
        assert wanted <= checks and all(c[0] in set(w[0] for w in wanted) for c in checks), name


def test_changes_name_the_rules_the_plan_has():
    """changes from the page to today touches a rule exactly where the two editions' plans differ."""
    variables = {"purecloud_region": "us-east-1", "purecloud_networks": NETWORKS, "group_names": ["purecloud_edge"],
                 "purecloud_firewall_backend": "nftables"}
    settings = site_settings(variables)
    changes = filtered("site_changes", settings, old_edition="2018-11-21")

    def keyed(planned):
        return dict(("edge: %s -> %s %s" % (r["source_class"], r["destination_class"], r["protocol"]),
                     (r["ports"], r["ids"], r["destinations"])) for r in planned["rules"])

    now = keyed(filtered("compile_rules", settings))
    then = keyed(filtered("compile_rules", dict(settings, catalog_edition="2018-11-21")))
    moved = set(key for key in set(now) | set(then) if now.get(key) != then.get(key))
    assert moved and set(item["rule"].split(" (")[0] for item in changes["catalog"]["touched_rules"]) == moved


def test_show_rules_prints_what_each_hosts_roles_enforce(tmp_path):
    """The playbook over an inventory in examples/inventory's shape prints, per host, the table of apply's plan."""
    hosts = {}
    for name, product, variables in sites(tmp_path):
        option = name.rsplit("/", 1)[1]
        if option not in ("defaults", "ports"):  # the others are the lookup's and compile_rules', tested above
            continue
        host_vars = dict((k, v) for k, v in variables.items() if k.startswith("purecloud_"))
        hosts[name.replace("/", "-")] = (product, host_vars)
    inventory = {"all": {"children": dict(("purecloud_%s" % p, {"hosts": dict(
        (h, v) for h, (product, v) in hosts.items() if product == p)}) for p in PRODUCTS)}}
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump(inventory))
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
               ANSIBLE_DEPRECATION_WARNINGS="false", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", str(tmp_path / "hosts.yml"),
                           os.path.join(REPO, "playbooks", "show_rules.yml"), "-f", "20",
                           "-e", "ansible_connection=local"],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    plays = json.loads(done.stdout)["plays"]
    shown = [t for t in plays[1]["tasks"] if t["task"]["name"] == "Show its rules"][0]["hosts"]
    assert sorted(shown) == sorted(hosts)
    planned = dict((h, r) for t in plays[1]["tasks"] if t["task"]["name"] == "Plan this host as its roles do"
                   for h, r in t["hosts"].items())
    for host, (product, host_vars) in hosts.items():
        applied = run_apply(product, dict(host_vars, group_names=["purecloud_%s" % product]))
        if applied.get("failed") and not applied["msg"].split(": ", 1)[1].startswith("nothing to apply"):
            assert planned[host].get("failed") and applied["msg"].split(": ", 1)[1] in planned[host]["msg"], host
            continue
        if applied.get("failed"):
            table = shown[host]["msg"]
            assert "FROM" in table[1] and all(line.startswith("skipped ") for line in table[2:]), host
            continue
        assert shown[host]["msg"] == filtered("rules_table", applied), host
