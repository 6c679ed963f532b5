# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report, changes and show_rules on examples/inventory plan each host with its own variables.

What each host should enforce is read here from the inventory's own files
(hosts.yml and group_vars) and from the catalog's rows (vars/catalog.yml),
never from the collection's output: the SIP provider's ports live in
group_vars/site_gateways.yml, so only gw1's own variables bring them in.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.dirname(sys.executable)
INVENTORY = os.path.join(ROOT, "examples", "inventory")
GATEWAY = "gw1.branch.example.com"
# A line of show_rules' table: FROM (its CIDRs)  TO (its CIDRs)  PROTO  PORTS  REQUIREMENTS
TABLE_LINE = re.compile(r"^(?P<src>\S+) \((?P<sources>[^)]*)\)\s+(?P<dst>\S+) \((?P<destinations>[^)]*)\)\s+"
                        r"(?P<protocol>tcp|udp)\s+(?P<ports>\S+)\s+(?P<ids>.+)$")


def read(*path):
    with open(os.path.join(*path)) as handle:
        return yaml.safe_load(handle) or {}


def run(playbook, *extra, json_out=False, cwd=None):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"),
               ANSIBLE_DEPRECATION_WARNINGS="false", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    if json_out:
        env.update(ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1")
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), os.path.join(ROOT, "playbooks", playbook)]
                          + list(extra), capture_output=True, text=True, env=env, timeout=300, check=False, cwd=cwd)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return done


# ------------------------------------------------------------ the inventory, as its files say
def groups():
    """Group -> (its own hosts, its children), from hosts.yml."""
    found = {}

    def walk(name, node):
        node = node or {}
        found[name] = (list(node.get("hosts") or {}), list(node.get("children") or {}))
        for child, below in (node.get("children") or {}).items():
            if below or child not in found:
                walk(child, below)

    walk("all", read(INVENTORY, "hosts.yml")["all"])
    return found


def members(group):
    hosts, children = groups()[group]
    return set(hosts).union(*[members(child) for child in children])


def groups_of(host):
    return sorted(name for name in groups() if host in members(name))


def variables(host):
    """The host's purecloud_* variables: group_vars/all, then its other groups' files."""
    merged = dict(read(INVENTORY, "group_vars", "all.yml"))
    for group in groups_of(host):
        path = os.path.join(INVENTORY, "group_vars", group + ".yml")
        if group != "all" and os.path.exists(path):
            merged.update(read(path))
    return merged


def products_of(host):
    declared = variables(host).get("purecloud_firewall_products") or []
    grouped = [g[len("purecloud_"):] for g in groups_of(host) if g.startswith("purecloud_")]
    return set(declared) | set(grouped)


def product_hosts():
    return set().union(*[members(g) for g in groups() if g.startswith("purecloud_")])


def port_range(spec):
    first, _dash, last = spec.partition("-")
    return int(first), int(last or first)


def covered(wanted, ports):
    """Every port of ``wanted`` (a port or range) lies in one of ``ports`` (the report's "a, b-c")."""
    low, high = port_range(wanted)
    return any(a <= low and high <= b for a, b in (port_range(p.strip()) for p in ports.split(",")))


def catalog():
    return read(ROOT, "vars", "catalog.yml")


def own_port_rows(host):
    """(row, the ports its variable gives on the row's protocol) of each catalog row whose ports come from a
    port variable the host sets itself, for the products it carries."""
    mine = variables(host)
    rows = []
    for row in catalog()["requirements"]:
        given = mine.get("purecloud_%s" % row.get("ports_from"))
        if row.get("product") in products_of(host) and given:
            ports = [spec.split("/", 1)[1] if "/" in spec else spec for spec in given
                     if "/" not in spec or spec.split("/", 1)[0] == row["protocol"]]
            rows.append((row, ports))
    return rows


# ------------------------------------------------------------ report
@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report-hosts")
    run("report.yml", "-i", INVENTORY, "-e", "purecloud_report_dir=%s" % folder)
    return json.loads((folder / "purecloud-firewall.json").read_text()), (folder / "purecloud-firewall.md").read_text()


def test_the_gateways_own_sip_provider_ports_are_on_its_edge_to_sip_provider_flows(report):
    data, markdown = report
    networks = variables(GATEWAY)["purecloud_networks"]
    rows = own_port_rows(GATEWAY)
    # group_vars/site_gateways.yml sets both SIP provider port variables; the Edge's three SIP provider rows use them.
    sip_rows_used = {"edge.sip_provider.sip.udp", "edge.sip_provider.sip.tcp", "edge.sip_provider.rtp"}
    assert {row["id"] for row, _ports in rows} >= sip_rows_used
    for row, ports in rows:
        flows = [f for f in data["flows"] if f["product"] == row["product"] and f["protocol"] == row["protocol"]
                 and f["from"] in row["source"] and f["to"] in row["destination"]
                 and row["id"] in f["requirements"].split(", ")]
        assert flows, row["id"]
        for flow in flows:
            assert ports and all(covered(p, flow["ports"]) for p in ports), (row["id"], flow["ports"], ports)
            assert flow["source_networks"] == ", ".join(networks[flow["from"]])
            assert flow["destination"] == ", ".join(networks[flow["to"]])
            assert GATEWAY in flow["hosts"].split(", ")
        assert row["id"] not in "\n".join(data["warnings"])
    assert "edge -- \"tcp 5061; udp 5060, 10000-20000\" --> sip_provider" in markdown


def test_no_row_is_unresolved_for_what_a_host_sets_itself(report):
    data, markdown = report
    for host in product_hosts():
        given = [name for name in variables(host) if name.startswith("purecloud_")]
        for warning in data["warnings"]:
            assert host not in warning, warning
            assert not any("set %s" % name in warning for name in given), warning
    assert "sip_provider" not in markdown.partition("## Not yet resolved")[2]


def test_each_flow_names_the_hosts_of_its_product_that_enforce_it(report):
    data, _markdown = report
    assert set(data["hosts"]) == product_hosts()
    for host, planned in data["hosts"].items():
        assert set(planned["products"]) <= products_of(host)
        assert planned["mode"] == variables(host).get("purecloud_firewall_mode", "gateway")
    products = catalog()["products"]
    for flow in data["flows"]:
        named = set(flow["hosts"].split(", "))
        carriers = members("purecloud_%s" % flow["product"])
        assert named <= carriers, flow
        # The gateway forwards every flow of its products; a host that filters its own traffic both ways (host
        # mode, egress filtering) enforces each flow of the device it is (the product's one device class).
        assert GATEWAY in named
        for host in carriers - {GATEWAY}:
            own = variables(host)
            devices = products[flow["product"]]["devices"]
            if own.get("purecloud_firewall_mode") == "host" and own.get("purecloud_egress_filtering") \
                    and len(devices) == 1 and devices[0] in (flow["from"], flow["to"]):
                assert host in named, (host, flow)


# ------------------------------------------------------------ changes
def test_changes_plan_the_gateways_sip_provider_rows_with_its_own_ports(tmp_path):
    # An older catalog without the Edge's SIP provider media row: the rule to the SIP provider moves on gw1,
    # from the SIP ports alone to those and the media ports, as group_vars/site_gateways.yml gives them.
    shutil.copytree(os.path.join(ROOT, "vars"), tmp_path / "old")
    catalog = tmp_path / "old" / "catalog.yml"
    lines, kept, dropping = catalog.read_text().splitlines(True), [], False
    for line in lines:
        if line.startswith("  - id: ") or not line.startswith(" "):
            dropping = line.startswith("  - id: edge.sip_provider.rtp\n")
        if not dropping:
            kept.append(line)
    assert len(kept) < len(lines)
    catalog.write_text("".join(kept))
    done = run("changes.yml", "-i", INVENTORY, "-e", "purecloud_catalog_old=%s" % catalog, cwd=str(tmp_path))
    data = json.loads((tmp_path / "purecloud-changes.json").read_text())
    own = variables(GATEWAY)
    sip = [p.split("/", 1)[1] for p in own["purecloud_sip_provider_sip_ports"] if p.startswith("udp/")]
    rtp = [p.split("/", 1)[1] for p in own["purecloud_sip_provider_rtp_ports"] if p.startswith("udp/")]
    touched = [item for item in data["catalog"]["touched_rules"]
               if item["rule"].startswith("edge: edge -> sip_provider udp ")]
    assert len(touched) == 1, data["catalog"]["touched_rules"]
    assert touched[0]["before"] == sip and touched[0]["after"] == sip + rtp
    assert touched[0]["hosts"] == sorted(members("purecloud_edge")) == [GATEWAY]
    assert "edge.sip_provider.rtp" in touched[0]["rule"]
    assert any(line.startswith("rule edge: edge -> sip_provider udp") and line.endswith("(on %s)" % GATEWAY)
               for line in data["lines"])
    assert str(tmp_path / "purecloud-changes.json") in done.stdout


def test_changes_name_the_hosts_each_moved_rule_is_on(tmp_path):
    run("changes.yml", "-i", INVENTORY, "-e", "purecloud_edition_old=2018-11-21", cwd=str(tmp_path))
    data = json.loads((tmp_path / "purecloud-changes.json").read_text())
    assert set(data["hosts"]) == product_hosts()
    touched = data["catalog"]["touched_rules"]
    assert touched
    for item in touched:
        product = item["rule"].split(":", 1)[0]
        assert GATEWAY in item["hosts"] and set(item["hosts"]) <= members("purecloud_%s" % product), item
    # The client's media widened (2024): agent1, a workstation filtering its own outbound flows, has it too.
    client = [item for item in touched if item["rule"].startswith("webrtc_client: workstation -> purecloud udp")]
    assert client and set(client[0]["hosts"]) == members("purecloud_webrtc_client")


# ------------------------------------------------------------ show_rules
def shown_tables(*extra):
    plays = json.loads(run("show_rules.yml", *extra, json_out=True).stdout)["plays"]
    return dict((host, result["msg"]) for play in plays for task in play["tasks"]
                if task["task"]["name"] == "Show its rules" for host, result in task["hosts"].items()
                if not result.get("skipped"))


def table_rows(table):
    return [match.groupdict() for match in (TABLE_LINE.match(line) for line in table) if match]


def sip_rows(table, networks):
    return [row for row in table_rows(table) if (row["src"], row["sources"], row["dst"], row["destinations"]) == (
        "edge", ", ".join(networks["edge"]), "sip_provider", ", ".join(networks["sip_provider"]))]


def test_show_rules_prints_each_hosts_table_from_its_own_variables():
    tables = shown_tables("-i", INVENTORY)
    assert set(tables) == product_hosts()
    networks = variables(GATEWAY)["purecloud_networks"]
    shown = sip_rows(tables[GATEWAY], networks)
    for row, ports in own_port_rows(GATEWAY):
        line = [entry for entry in shown if entry["protocol"] == row["protocol"]
                and row["id"] in entry["ids"].split(", ")]
        assert line and all(covered(p, line[0]["ports"]) for p in ports), (row["id"], shown)
    for host in product_hosts() - {GATEWAY}:
        assert not any(line.startswith("skipped ") for line in tables[host]), tables[host]


def test_show_rules_and_the_report_agree_on_every_host(report):
    data, _markdown = report
    tables = shown_tables("-i", INVENTORY)
    for flow in data["flows"]:
        for host in flow["hosts"].split(", "):
            rows = [row for row in table_rows(tables[host]) if (row["src"], row["dst"], row["protocol"]) == (
                flow["from"], flow["to"], flow["protocol"])]
            assert len(rows) == 1, (host, flow)
            assert set(flow["requirements"].split(", ")) <= set(rows[0]["ids"].split(", ")), (host, flow)
            assert all(covered(p.strip(), rows[0]["ports"]) for p in flow["ports"].split(",")), (host, flow)


def test_show_rules_site_file_mode_still_plans_the_file(tmp_path):
    site = dict(read(INVENTORY, "group_vars", "all.yml"), **read(INVENTORY, "group_vars", "site_gateways.yml"))
    (tmp_path / "site.yml").write_text(yaml.safe_dump(site))
    tables = shown_tables("-e", "purecloud_site_vars=%s" % (tmp_path / "site.yml"))
    assert list(tables) == ["localhost"]
    shown = sip_rows(tables["localhost"], site["purecloud_networks"])
    given = site["purecloud_sip_provider_sip_ports"] + site["purecloud_sip_provider_rtp_ports"]
    wanted = dict((protocol, ",".join(p.split("/", 1)[1] for p in given if p.startswith(protocol + "/")))
                  for protocol in ("tcp", "udp"))
    assert dict((row["protocol"], row["ports"]) for row in shown) == wanted
