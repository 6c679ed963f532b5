# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every router platform x product, through the vendors' own modules, offline.

* golden: what the vendor module renders equals the file under golden/
  (``UPDATE_GOLDEN=1`` rewrites them, for review in the diff);
* round trip: the vendor's ``parsed`` state reads the rendering back into the
  config the collection gave it;
* consistency: every flow of the rules the Linux backends apply is permitted
  by the parsed ACLs, per address family: no renderer loses a flow.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess

import pytest
import yaml

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import rules_from
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import parse_port_spec
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import renderer_for
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import ROUTERS
from ansible_collections.purecloud.firewall.plugins.module_utils.site import plan_site
from perimeter_cases import check_golden

# The routers' ACL platforms; the perimeter firewalls have test files of their own.
PLATFORMS = sorted(platform.name for platform in ROUTERS)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
GOLDEN = os.path.join(HERE, "golden")


def site_settings():
    with open(os.path.join(HERE, "site.yml")) as handle:
        return yaml.safe_load(handle)


# Both editions: the page's (its golden files are the page's flows) and the vendor's data today.
EDITIONS = ("2018-11-21", "current")
PRODUCTS = load_catalog().role_products()
CASES = ["%s/%s" % (edition, product) for edition in EDITIONS for product in PRODUCTS]


def plan(case):
    edition, product = case.split("/")
    return plan_site(dict(site_settings(), products=[product], catalog_edition=edition)).as_dict()


def render(platform, case, site_classes):
    rules = rules_from(plan(case)["rules"])
    return renderer_for(platform).render(rules, case.split("/")[1], site_classes=site_classes).as_dict()


@pytest.fixture(scope="module")
def configs():
    site_classes = load_catalog().site_classes
    return dict((platform, dict((case, render(platform, case, site_classes)) for case in CASES))
                for platform in PLATFORMS)


@pytest.fixture(scope="module")
def vendor(configs, tmp_path_factory):
    """{platform: {product: {"rendered": ..., "parsed": ...}}} from one ansible-playbook run."""
    extra = tmp_path_factory.mktemp("network") / "configs.json"
    extra.write_text(json.dumps({"network_configs": configs, "network_products": CASES}))
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections") + os.pathsep
               + os.path.join(VENV_BIN, "..", "lib"),
               ANSIBLE_DEPRECATION_WARNINGS="false", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", os.path.join(HERE, "inventory.yml"),
                           os.path.join(HERE, "render.yml"), "-e", "@%s" % extra],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    try:
        plays = json.loads(done.stdout)["plays"]
    except ValueError:
        raise AssertionError(done.stdout[-3000:] + done.stderr[-3000:])
    results: dict = {}
    for play in plays:
        for task in play["tasks"]:
            for host, outcome in task["hosts"].items():
                assert not outcome.get("failed"), (host, task["task"]["name"], outcome)
                for item in outcome["results"]:
                    case = item["item"] if isinstance(item["item"], str) else item["item"]["item"]
                    entry = results.setdefault(host, {}).setdefault(case, {})
                    entry.update((key, item[key]) for key in ("rendered", "parsed") if key in item)
    for case in CASES:
        results["vyos"][case]["rendered"] = configs["vyos"][case]["commands"]
    return results


def _text(rendered):
    return "\n".join(rendered) + "\n" if isinstance(rendered, list) else rendered.replace("><", ">\n<") + "\n"


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_golden(vendor, platform, case):
    edition, product = case.split("/")
    path = os.path.join(GOLDEN, edition, platform, "%s.txt" % product)
    check_golden(path, _text(vendor[platform][case]["rendered"]))


# ----------------------------------------------------------------- round trip
def _normal(value, drop_sequence=False):
    """One form for both sides of the round trip.

    The vendors' parsers give numbers as strings here and there, ports by
    their service names (``eq domain`` for 53) and lists in their own order;
    IOS's parser drops the trailing ``sequence N`` of IPv6 entries; NX-OS's
    reads a /32 back as ``host``.
    """
    if isinstance(value, dict):
        if value.get("host"):
            host = ipaddress.ip_address(value["host"])
            value = dict((k, v) for k, v in value.items() if k != "host")
            value["prefix"] = "%s/%d" % (host, host.max_prefixlen)
        result = {}
        for key, item in value.items():
            if item in (None, [], {}) or (drop_sequence and key == "sequence"):
                continue
            if key == "port_protocol":
                first, last = _port(list(item.values())[0])
                item = {"ports": "%d-%d" % (first, last)}
            result[key] = _normal(item, drop_sequence)
        return result
    if isinstance(value, list):
        items = [_normal(v, drop_sequence) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _afis(config, platform):
    return dict((afi["afi"], _normal(afi, drop_sequence=platform == "cisco_ios" and afi["afi"] == "ipv6"))
                for afi in config)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_rendered_parses_back_to_the_same_config(configs, vendor, platform, case):
    parsed = vendor[platform][case]["parsed"]
    assert _afis(parsed, platform) == _afis(configs[platform][case]["config"], platform)


# ---------------------------------------------------------------- consistency
def _port(value):
    """'443', 'https', '16384 32768', {'start': .., 'end': ..} or '16384-32768' -> (first, last)."""
    if isinstance(value, dict):
        return int(value["start"]), int(value["end"])
    value = str(value).replace(" ", "-")
    if not value.split("-", maxsplit=1)[0].isdigit():
        number = socket.getservbyname(value)
        return number, number
    return parse_port_spec(value)


def _network(address, family):
    if address is None:
        return ipaddress.ip_network("0.0.0.0/0" if family == 4 else "::/0")
    return ipaddress.ip_network(address)


def _cisco_side(side, family):
    if not side or side.get("any"):
        return None
    if side.get("host"):
        return side["host"]
    if side.get("wildcard_bits"):
        return "%s/%s" % (side["address"], side["wildcard_bits"])
    return side.get("address") or side.get("prefix") or side.get("subnet_address")


def permitted(platform, parsed):
    """(family, source network, destination network, protocol, first, last) the parsed ACLs permit."""
    allowed = []
    for afi in parsed:
        family = 4 if afi["afi"] == "ipv4" else 6
        if platform == "vyos":
            for rule_set in afi["rule_sets"]:
                for rule in rule_set["rules"]:
                    for port in rule["destination"]["port"].split(","):
                        allowed.append((family, _network((rule.get("source") or {}).get("address"), family),
                                        _network(rule["destination"].get("address"), family), rule["protocol"])
                                       + _port(port))
            continue
        for acl in afi["acls"]:
            for ace in acl["aces"]:
                if ace.get("grant") != "permit" or not ace.get("protocol"):
                    continue
                destination = ace.get("destination") or {}
                port = _port(list(destination["port_protocol"].values())[0])
                if platform == "junos":
                    sources = (ace.get("source") or {}).get("address") or [None]
                    targets = destination.get("address") or [None]
                    sources = sources if isinstance(sources, list) else [sources]
                    targets = targets if isinstance(targets, list) else [targets]
                else:
                    sources = [_cisco_side(ace.get("source"), family)]
                    targets = [_cisco_side(destination, family)]
                for src in sources:
                    for dst in targets:
                        allowed.append((family, _network(src, family), _network(dst, family), ace["protocol"]) + port)
    return allowed


def expected(rules):
    for rule in rules:
        for family in (4, 6):
            def side(value):
                if value == "any":
                    return [None]
                return [c for c in value if ipaddress.ip_network(c).version == family]
            for src in side(rule["sources"]):
                for dst in side(rule["destinations"]):
                    for port in rule["ports"]:
                        yield (family, _network(src, family), _network(dst, family), rule["protocol"]) \
                            + parse_port_spec(port)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_no_renderer_loses_a_flow(vendor, platform, case):
    allowed = permitted(platform, vendor[platform][case]["parsed"])
    wanted = list(expected(plan(case)["rules"]))
    assert wanted, case
    lost = [flow for flow in wanted
            if not any(a[0] == flow[0] and flow[1].subnet_of(a[1]) and flow[2].subnet_of(a[2]) and a[3] == flow[3]
                       and a[4] <= flow[4] and flow[5] <= a[5] for a in allowed)]
    assert lost == []
    # ...and permits nothing the rules do not: every entry is some flow's.
    extra = [a for a in allowed if not any(a[0] == f[0] and a[1].subnet_of(f[1]) and a[2].subnet_of(f[2])
                                           and a[3] == f[3] and f[4] <= a[4] and a[5] <= f[5] for f in wanted)]
    assert extra == []


def test_render_only_writes_every_device_of_the_example_inventory_without_contacting_it(tmp_path):
    """The documented change-window workflow, on examples/network-inventory, through the roles and site.yml."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"),
               ANSIBLE_DEPRECATION_WARNINGS="false", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    inventory = os.path.join(ROOT, "examples", "network-inventory")
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", inventory,
                           os.path.join(ROOT, "playbooks", "site.yml"), "-e", "purecloud_network_render_only=true",
                           "-e", "purecloud_network_render_dir=%s" % tmp_path,
                           # a connection, if one were tried, fails at once on loopback
                           "-e", "ansible_host=127.0.0.1", "-e", "ansible_port=9", "-e", "ansible_httpapi_port=9"],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    written = sorted(os.listdir(tmp_path))
    assert written == ["cpmgmt1.dc.example.com.txt", "eos1.dc.example.com.cfg", "fw1.hq.example.com.conf",
                       "fw1.hq.example.com.fortios.yml", "nx1.dc.example.com.cfg", "pa1.dc2.example.com.xml",
                       "rtr1.branch.example.com.cfg", "srx1.branch2.example.com.xml", "vyos1.branch3.example.com.cfg"]
    for name in written:
        text = (tmp_path / name).read_text()
        for product in ("edge", "voice", "webrtc_client", "bridge"):
            acl = "purecloud-%s-out" % product.replace("_", "-")
            assert (acl if name.startswith("srx") else acl.upper()) in text, (name, product)
    assert "ip access-list extended PURECLOUD-EDGE-OUT\n10 remark " in (tmp_path / "rtr1.branch.example.com.cfg").read_text()
