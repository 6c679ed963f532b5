# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every router platform x product, through the vendors' own modules, offline.

* golden: what the vendor module renders equals the file under golden/
  (``UPDATE_GOLDEN=1`` rewrites them, for review in the diff);
* round trip: the vendor's ``parsed`` state reads the rendering back into the
  config the collection gave it;
* consistency: every flow of the rules the Linux backends apply is permitted
  by the parsed ACLs, per address family: no renderer loses a flow;
* strict mode (several AWS prefixes on a side): the site's rendering with its
  address groups, golden, parsed back (the groups by their vendor's parser
  where one exists, IOS's and NX-OS's object-groups by a small parser here;
  NX-OS's lists, the collection's CLI, by nxos_acls' own parser; Junos's
  filters by junos_acls' ``parsed``, the facts code every run reads the
  device's filters with), and the
  flows, the groups resolved, equal the plan's atoms: none lost, none added.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import os
import re
import socket
import subprocess
import time

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import rules_from
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import parse_port_spec
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import renderer_for
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import ROUTERS
from ansible_collections.purecloud.firewall.plugins.module_utils.site import plan_site
from perimeter_cases import Atom, address, check_golden, golden_path, wanted
from perimeter_cases import render as render_site
from vendor_run import junos_device_xml, vendor_run

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
# The cases whose strict mode has sides of several CIDRs (address groups where the platform has them),
# keyed apart in the vendor run; in the others strict mode changes nothing.
STRICT = ["%s@strict" % case for case in CASES if "groups" in render_site("junos", case, "strict")]


def plan(case):
    edition, product = case.split("/")
    return plan_site(dict(site_settings(), products=[product], catalog_edition=edition)).as_dict()


def render(platform, case, site_classes):
    rules = rules_from(plan(case)["rules"])
    return renderer_for(platform).render(rules, case.split("/")[1], site_classes=site_classes).as_dict()


@pytest.fixture(scope="module")
def configs():
    site_classes = load_catalog().site_classes
    result = dict((platform, dict((case, render(platform, case, site_classes)) for case in CASES))
                  for platform in PLATFORMS)
    for platform in PLATFORMS:
        result[platform].update((key, render_site(platform, key.split("@")[0], "strict")) for key in STRICT)
    return result


def grouped(configs):
    """The strict cases whose rendering has address groups, on a platform with them."""
    return sorted(set(key for platform in configs for key in STRICT if "groups" in configs[platform][key]))


@pytest.fixture(scope="module")
def vendor(configs, tmp_path_factory):
    """{platform: {product: {"rendered": ..., "parsed": ...}}} from one ansible-playbook run."""
    return vendor_run(configs, CASES + STRICT, grouped(configs), str(tmp_path_factory.mktemp("network")))


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


# ---------------------------------------------------------------- strict mode
def ios_groups(commands):
    """IOS object-groups as the device shows them -> {name: [networks]}: a header, then its members indented."""
    groups, name = {}, None
    for line in commands:
        words = line.split()
        if not line.startswith(" "):
            assert words[:1] == ["object-group"] and words[1] in ("network", "v6-network"), line
            name = words[2]
            groups[name] = []
        elif words[0] == "host":
            groups[name].append(ipaddress.ip_network(words[1]))
        else:
            groups[name].append(ipaddress.ip_network("/".join(words)))  # an address and its netmask, or a prefix
    return groups


def nxos_groups(commands):
    """NX-OS object-groups as the device shows them -> {name: [networks]}: a header, then numbered members."""
    groups, name = {}, None
    for line in commands:
        words = line.split()
        if not line.startswith(" "):
            assert words[:1] == ["object-group"] and words[1:3] in (["ip", "address"], ["ipv6", "address"]), line
            name = words[3]
            groups[name] = []
        else:
            assert words[0].isdigit(), line
            groups[name].append(ipaddress.ip_network(words[2] if words[1] == "host" else words[1]))
    return groups


def nxos_addrgroups(value):
    """nxos_acls' parse with its reading of ``addrgroup NAME`` (an address ``addrgroup``, NAME its mask) undone."""
    if isinstance(value, list):
        return [nxos_addrgroups(item) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get("address") == "addrgroup":
        value = dict([(k, v) for k, v in value.items() if k not in ("address", "wildcard_bits")],
                     object_group=value["wildcard_bits"])
    return dict((k, nxos_addrgroups(v)) for k, v in value.items())


def parsed_lists(platform, config, result):
    """The vendor's parse of the lists (NX-OS's with its reading of ``addrgroup`` undone)."""
    if platform == "cisco_nxos" and "groups" in config:
        return nxos_addrgroups(result["parsed"])
    return result["parsed"]


def vendor_groups(platform, config, result):
    """{group name: [networks]} from the vendor's parse of the groups (a small parser for IOS)."""
    if "groups" not in config:
        return {}
    if platform == "cisco_ios":
        return ios_groups(config["groups"]["commands"])
    if platform == "cisco_nxos":
        return nxos_groups(config["groups"]["commands"])
    parsed = result["groups_parsed"]
    if platform == "junos":
        return dict((item["name"], [ipaddress.ip_network(p) for p in item["address_prefixes"]]) for item in parsed)
    return dict((item["name"], [ipaddress.ip_network(m["address"]) for m in item["members"]])
                for item in parsed["group"]["network_group"])


def _sides(platform, side, family, groups):
    """The addresses one side of a parsed entry stands for, its groups resolved; [None] for any address."""
    side = side or {}
    names = []
    if platform == "vyos":
        names = [(side.get("group") or {}).get("network_group")]
        plain = [side.get("address")]
    elif platform == "junos":
        lists = side.get("prefix_list") or []
        names = [item["name"] for item in (lists if isinstance(lists, list) else [lists])]
        plain = side.get("address") or []
        plain = plain if isinstance(plain, list) else [plain]
    else:
        names = [side.get("object_group")]
        plain = [] if side.get("object_group") else [_cisco_side(side, family)]
    found = [network for name in names if name for network in groups[name]]
    found += [address(value) for value in plain if value]
    return found or [None]


def atoms(platform, parsed, groups):
    """Every Atom the parsed lists permit, each group standing for its members."""
    found = set()
    for afi in parsed:
        family = 4 if afi["afi"] == "ipv4" else 6
        for item in afi.get("rule_sets") or afi.get("acls") or []:
            for entry in item.get("rules") or item.get("aces") or []:
                if entry.get("grant", entry.get("action")) not in ("permit", "accept") or not entry.get("protocol"):
                    continue
                destination = entry.get("destination") or {}
                if platform == "vyos":
                    ports = [_port(port) for port in destination["port"].split(",")]
                else:
                    ports = [_port(list(destination["port_protocol"].values())[0])]
                for src in _sides(platform, entry.get("source"), family, groups):
                    for dst in _sides(platform, destination, family, groups):
                        found.update(Atom(src, dst, entry["protocol"], *port) for port in ports)
    return found


def _strict_text(platform, config, result):
    """The review text: the groups (their own text, or their module's rendering), then the lists."""
    if platform == "cisco_nxos" and "groups" in config:
        return _text(config["commands"])  # the collection's own CLI, the groups first
    if platform == "vyos" or "groups" not in config:
        return _text(result["rendered"])
    groups = config["groups"].get("commands") or result["groups_rendered"]
    return _text(groups) + _text(result["rendered"])


@pytest.mark.parametrize("key", STRICT)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_golden_strict(configs, vendor, platform, key):
    edition, product = key.split("@")[0].split("/")
    check_golden(golden_path(edition, platform, "%s-strict.txt" % product),
                 _strict_text(platform, configs[platform][key], vendor[platform][key]))


@pytest.mark.parametrize("key", STRICT)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_strict_parses_back_to_the_same_lists_and_groups(configs, vendor, platform, key):
    config, result = configs[platform][key], vendor[platform][key]
    if platform == "cisco_nxos" and "groups" in config:
        # The lists are nxos_config blocks: each parsed back whole, by name, every numbered line an entry.
        parsed = dict((acl["name"], len(acl["aces"])) for afi in parsed_lists(platform, config, result)
                      for acl in afi["acls"])
        assert parsed == dict((block["parents"][0].split()[-1], len(block["lines"])) for block in config["config"])
        assert sorted(parsed) == sorted(name for _afi, name in config["acls"])
    else:
        assert _afis(parsed_lists(platform, config, result), platform) == _afis(config["config"], platform)
    if "groups" in config:
        members = dict((group["name"], group.get("address_prefixes") or [m["address"] for m in group["members"]])
                       for group in config["groups"]["config"] if "name" in group)
        if platform in ("cisco_ios", "cisco_nxos"):
            members = dict((block["parents"][0].split()[-1], block["lines"]) for block in config["groups"]["config"])
        parsed = vendor_groups(platform, config, result)
        assert sorted(parsed) == sorted(members)
        assert all(len(parsed[name]) == len(members[name]) for name in parsed)


@pytest.mark.parametrize("key", STRICT)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_strict_flows_with_groups_resolved_are_the_plans(configs, vendor, platform, key):
    config, result = configs[platform][key], vendor[platform][key]
    found = atoms(platform, parsed_lists(platform, config, result), vendor_groups(platform, config, result))
    planned = wanted(key.split("@")[0], "strict")
    assert planned
    assert sorted(map(str, planned - found)) == [], "lost"
    assert sorted(map(str, found - planned)) == [], "added"


def junos_facts(rendered):
    """junos_acls' facts code (every run's read of the device, and ``parsed``) on a rendered filter.

    Its own XML reading and ``render_config``, then its argument spec's
    validation (``validate_config`` builds an AnsibleModule, which runs only
    in a module process): (the config it reads, the validation's errors).
    """
    facts_module = importlib.import_module("ansible_collections.junipernetworks.junos.plugins.module_utils."
                                           "network.junos.facts.acls.acls")
    facts = facts_module.AclsFacts(None)
    root = facts_module.etree.fromstring(junos_device_xml(rendered).encode())
    objs = []
    for resource in root.xpath("configuration/firewall"):
        for family, sub_dict in facts._get_xml_dict(resource)["firewall"]["family"].items():
            objs.append(facts.render_config(facts.generated_spec, dict(firewall=dict(sub_dict, family=family))))
    result = ArgumentSpecValidator(facts.argument_spec).validate({"config": objs})
    return result.validated_parameters["config"], result.error_messages


@pytest.mark.parametrize("key", STRICT)
def test_junos_acls_facts_read_every_strict_filter(vendor, key):
    """The vendor's facts code validates what it reads: a term must name its prefix-lists as a list."""
    rendered = vendor["junos"][key]["rendered"]
    config, errors = junos_facts(rendered)
    assert errors == []
    named = [item for afi in config for acl in afi["acls"] for ace in acl["aces"]
             for side in ("source", "destination") for item in (ace.get(side) or {}).get("prefix_list") or []]
    assert named and all(item["name"].startswith("PURECLOUD-") for item in named)
    # The control: the same filter with each term naming one prefix-list is what the vendor rejects.
    single = re.sub("(<nc:(source|destination)-prefix-list>[^<]+-A</nc:[a-z-]+>)<nc:[a-z-]+>[^<]+-B</nc:[a-z-]+>",
                    r"\1", rendered)
    assert single != rendered
    assert any("prefix_list" in error for error in junos_facts(single)[1])


def test_strict_sites_use_groups_for_the_aws_prefixes_and_keep_single_cidrs_inline(configs):
    """Where a platform has groups, the strict edge's lists name them: no list entry per AWS prefix."""
    for platform in ("cisco_ios", "cisco_nxos", "junos", "vyos"):
        config = configs[platform]["current/edge@strict"]
        assert config["groups"]["acls"], platform
        text = json.dumps(config["config"])
        assert "32.192.0.0" not in text and "2600:f0f0:2::" not in text, platform  # members of the groups only
        assert "198.51.100.128" in text, platform  # the Edge's one network stays inline


def test_render_only_through_the_role_writes_the_groups_before_the_lists(tmp_path):
    """Strict mode through the Edge role, render-only: each review file starts with the groups its lists name."""
    from test_regions_and_overlays import device_inventory, edge_play, run
    feed = tmp_path / "ip-ranges.json"
    feed.write_text(json.dumps({"syncToken": "1", "createDate": time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime()),
                                "prefixes": [{"ip_prefix": prefix, "region": "us-east-1", "service": "AMAZON",
                                              "network_border_group": "us-east-1"}
                                             for prefix in ("15.230.221.0/24", "52.94.152.9/32")],
                                "ipv6_prefixes": []}))
    strict = {"purecloud_cloud_destinations": "aws_ip_ranges", "purecloud_aws_ip_ranges_src": str(feed),
              "purecloud_region": "us-east-1"}
    hosts = {"ios": dict(strict), "vyos": dict(strict, ansible_network_os="vyos.vyos.vyos"),
             "nxos": dict(strict, ansible_network_os="cisco.nxos.nxos"),
             "junos": dict(strict, ansible_network_os="junipernetworks.junos.junos",
                           ansible_connection="ansible.netcommon.netconf")}
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump(edge_play()))
    done = run("-i", device_inventory(tmp_path, hosts), str(playbook))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    rendered = tmp_path / "rendered"
    ios = (rendered / "ios.cfg").read_text()
    assert ios.startswith("object-group network PURECLOUD-")  # the media blocks' group, then the feed's
    assert "\nobject-group network PURECLOUD-PURECLOUD\n 15.230.221.0 255.255.255.0\n host 52.94.152.9\n" in ios
    assert ios.index("ip access-list extended PURECLOUD-EDGE-OUT") > ios.index("host 52.94.152.9")
    assert " object-group PURECLOUD-PURECLOUD eq 443" in ios
    nxos = (rendered / "nxos.cfg").read_text()
    assert nxos.startswith("object-group ip address PURECLOUD-")
    assert "\nobject-group ip address PURECLOUD-PURECLOUD\n  10 15.230.221.0/24\n  20 host 52.94.152.9\n" in nxos
    assert nxos.index("ip access-list PURECLOUD-EDGE-OUT") > nxos.index("host 52.94.152.9")
    assert " addrgroup PURECLOUD-PURECLOUD eq 443" in nxos
    junos = (rendered / "junos.xml").read_text()
    assert junos.startswith("<nc:policy-options") and junos.index("<nc:firewall") > junos.index("PURECLOUD-PURECLOUD")
    assert "<nc:destination-prefix-list>PURECLOUD-PURECLOUD-A</nc:destination-prefix-list>" \
        "<nc:destination-prefix-list>PURECLOUD-PURECLOUD-B</nc:destination-prefix-list>" in junos
    vyos = (rendered / "vyos.cfg").read_text()
    assert vyos.startswith("set firewall group network-group PURECLOUD-")
    assert vyos.index("set firewall name PURECLOUD-EDGE-OUT") > vyos.index("network-group PURECLOUD-PURECLOUD network")
    assert "destination group network-group 'PURECLOUD-PURECLOUD'" in vyos


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
