# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift on routers, offline: the drift playbook on edited running configs, through the vendors' parsers.

Per router platform, the collection's rendering of one product becomes the
device's running config (what the vendor's module renders, as the round-trip
tests have it; VyOS's the collection's own commands) and is edited by hand:
one entry removed, a port changed in another of the collection's lists, a
foreign entry added to one of them, and a list the collection does not own
added.  playbooks/drift.yml reads each text through the vendor module's
``parsed`` state (``purecloud_drift_running_config``, in place of
``gathered`` from a device) and compares it with apply's rendering: its
report names exactly those three changes and nothing of the foreign list;
the untouched texts have not drifted, and only the edited devices fail the
play.  A FortiGate (no ``gathered`` or ``parsed``) and a render-only router
given no running config are not checked.

Strict mode's address groups likewise: one member of an owned group edited
and a group the collection does not own added, on each platform with groups.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from typing import NamedTuple, Tuple

import pytest
import yaml
from lxml import etree

from perimeter_cases import STRICT_AWS_PREFIXES
from perimeter_cases import render as render_site
from vendor_run import ROOT, VENV_BIN, junos_device_xml, playbook_env, vendor_run

HERE = os.path.dirname(os.path.abspath(__file__))
CASE = "current/byoc_premises"
OUT, IN = "PURECLOUD-BYOC-PREMISES-OUT", "PURECLOUD-BYOC-PREMISES-IN"
JUNOS_OUT, JUNOS_IN = "purecloud-byoc-premises-out", "purecloud-byoc-premises-in"
NETWORK_OS = {"cisco_ios": "cisco.ios.ios", "cisco_nxos": "cisco.nxos.nxos", "arista_eos": "arista.eos.eos",
              "junos": "junipernetworks.junos.junos", "vyos": "vyos.vyos.vyos"}


class Edits(NamedTuple):
    """The hand edits of one platform's running config: (list, key) of each, and the foreign list's name."""

    removed: Tuple[str, str]
    changed: Tuple[str, str]  # its port 5060 becomes 5062
    added: Tuple[str, str]  # a permit of tcp/22 from anywhere
    foreign: str


# The keys are the devices' own: sequence numbers, Junos term names, VyOS rule numbers (see golden/current/).
EDITS = {
    "cisco_ios": Edits((OUT, "40"), (IN, "40"), (OUT, "45"), "CORP-MGMT"),
    "cisco_nxos": Edits((OUT, "40"), (IN, "40"), (OUT, "45"), "CORP-MGMT"),
    "arista_eos": Edits((OUT, "40"), (IN, "40"), (OUT, "45"), "CORP-MGMT"),
    "junos": Edits((JUNOS_OUT, "t2-general-dns-udp"), (JUNOS_IN, "t2-byoc_premises-trunk-sip-udp"),
                   (JUNOS_OUT, "t0-corp-ssh"), "corp-mgmt"),
    "vyos": Edits((OUT, "20"), (IN, "20"), (OUT, "15"), "CORP-MGMT"),
}
# How each platform shows a list's entries under its header.
INDENT = {"cisco_ios": " ", "cisco_nxos": "  ", "arista_eos": "   "}


def device_text(platform, rendered):
    """The running config a device holding the vendor's rendering shows."""
    if platform == "junos":
        return junos_device_xml(rendered)
    if platform == "vyos":
        return "\n".join(rendered) + "\n"
    return "\n".join(line if re.match("ipv?6? ", line) else INDENT[platform] + line for line in rendered) + "\n"


def edit_cisco(platform, text):
    """IOS, NX-OS, EOS: sequence 40 of OUT gone, IN's 40 on port 5062, a 45 in OUT, and a list CORP-MGMT."""
    indent, out, header = INDENT[platform], [], None
    done = []
    for line in text.splitlines():
        if not line[0].isspace():
            header = line.split()[-1]
        number = line.split()[0]
        if header == OUT and number == "40":
            done.append("removed")
            continue
        if header == OUT and number == "50":
            out.append(indent + "45 permit tcp any any eq 22")
            done.append("added")
        if header == IN and number == "40":
            assert line.endswith(" eq 5060"), line
            line = line[:-len("5060")] + "5062"
            done.append("changed")
        out.append(line)
    assert sorted(done) == ["added", "changed", "removed"], done
    foreign = "ip access-list %sCORP-MGMT" % ("extended " if platform == "cisco_ios" else "")
    return "\n".join(out + [foreign, indent + "10 permit tcp any any eq 22"]) + "\n"


def edit_junos(text):
    """A term of the inet OUT filter gone, one of IN on port 5062, a term in OUT, and a filter corp-mgmt."""
    root = etree.fromstring(text.encode())
    filters = dict((item.findtext("name"), item) for item in root.xpath("configuration/firewall/family/inet/filter"))
    terms = dict(((name, term.findtext("name")), term)
                 for name, item in filters.items() for term in item.findall("term"))
    filters[JUNOS_OUT].remove(terms[(JUNOS_OUT, "t2-general-dns-udp")])
    port = terms[(JUNOS_IN, "t2-byoc_premises-trunk-sip-udp")].find("from/destination-port")
    assert port.text == "5060"
    port.text = "5062"
    ssh = ("<term><name>%s</name><from><protocol>tcp</protocol><destination-port>22</destination-port></from>"
           "<then><accept/></then></term>")
    filters[JUNOS_OUT].insert(1, etree.fromstring(ssh % "t0-corp-ssh"))
    filters[JUNOS_OUT].getparent().append(etree.fromstring("<filter><name>corp-mgmt</name>%s</filter>" % (ssh % "ssh")))
    return etree.tostring(root).decode()


def edit_vyos(text):
    """OUT's rule 20 gone, IN's rule 20 on port 5062, a rule 15 in OUT, and a rule set CORP-MGMT."""
    lines = [line for line in text.splitlines() if not line.startswith("set firewall name %s rule 20 " % OUT)]
    assert len(lines) < len(text.splitlines())
    changed = "set firewall name %s rule 20 destination port '5060,16384-32768'" % IN
    assert changed in lines
    lines[lines.index(changed)] = changed.replace("'5060,", "'5062,")
    for name, number in ((OUT, 15), ("CORP-MGMT", 10)):
        rule = "set firewall name %s rule %d " % (name, number)
        lines += [rule + "action 'accept'", rule + "protocol 'tcp'", rule + "destination port '22'"]
    return "\n".join(lines + ["set firewall name CORP-MGMT default-action 'drop'"]) + "\n"


def edit(platform, text):
    if platform == "junos":
        return edit_junos(text)
    if platform == "vyos":
        return edit_vyos(text)
    return edit_cisco(platform, text)


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """{platform: the device's running config} for the case's rendering, by the vendors' own modules."""
    configs = dict((platform, {CASE: render_site(platform, CASE)}) for platform in EDITS)
    rendered = vendor_run(configs, [CASE], [], str(tmp_path_factory.mktemp("drift-render")))
    return dict((platform, device_text(platform, rendered[platform][CASE]["rendered"])) for platform in EDITS)


def site_vars():
    with open(os.path.join(HERE, "site.yml")) as handle:
        site = yaml.safe_load(handle)
    return dict(("purecloud_" + key, value) for key, value in site.items())


@pytest.fixture(scope="module")
def drift(running, tmp_path_factory):
    """One run of playbooks/drift.yml over every platform, edited and untouched: (its run, its report)."""
    folder = tmp_path_factory.mktemp("drift")
    hosts = {}
    for platform, text in running.items():
        device = {"ansible_network_os": NETWORK_OS[platform]}
        if platform == "junos":
            device["ansible_connection"] = "ansible.netcommon.netconf"
        hosts[platform + "-same"] = dict(device, purecloud_drift_running_config=text)
        hosts[platform + "-edited"] = dict(device, purecloud_drift_running_config=edit(platform, text))
    hosts["fortigate"] = {"ansible_network_os": "fortinet.fortios.fortios",
                          "ansible_connection": "ansible.netcommon.httpapi"}
    hosts["render-only"] = {"ansible_network_os": "cisco.ios.ios", "purecloud_network_render_only": True}
    # Nothing may be contacted: a connection, if one were tried, fails at once on loopback.
    inventory = {"all": {"vars": dict(site_vars(), ansible_connection="ansible.netcommon.network_cli",
                                      ansible_host="127.0.0.1", ansible_port=9,
                                      purecloud_firewall_products=[CASE.split("/")[1]]),
                         "hosts": hosts}}
    return run_drift(folder, inventory)


def run_drift(folder, inventory):
    """playbooks/drift.yml over ``inventory``'s hosts: (its run, its report)."""
    (folder / "inventory.yml").write_text(yaml.safe_dump(inventory))
    report = folder / "drift.json"
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", str(folder / "inventory.yml"),
                           os.path.join(ROOT, "playbooks", "drift.yml"), "-e", "purecloud_drift_hosts=all",
                           "-e", "purecloud_drift_report=%s" % report],
                          capture_output=True, text=True, env=playbook_env(), timeout=600, check=False)
    assert report.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    return done, json.loads(report.read_text())


def _keys(items):
    return sorted(item["key"] for item in items)


@pytest.mark.parametrize("platform", sorted(EDITS))
def test_drift_reports_exactly_the_hand_edits_in_the_owned_lists(drift, platform):
    done, report = drift
    found = report[platform + "-edited"]
    edits = EDITS[platform]
    assert found["drifted"] is True and found["checked"] is True, found
    lists = dict((item["name"], item) for item in found["lists"])
    assert sorted(lists) == sorted({edits.removed[0], edits.changed[0], edits.added[0]})
    for name, item in lists.items():
        assert item["kind"] == "acl" and item["afi"] == "ipv4" and item["missing"] is False
        assert item["attributes"] == {}
        assert _keys(item["removed"]) == [key for where, key in [edits.removed] if where == name]
        assert _keys(item["added"]) == [key for where, key in [edits.added] if where == name]
        assert _keys(item["changed"]) == [key for where, key in [edits.changed] if where == name]
    changed = lists[edits.changed[0]]["changed"][0]
    assert "5062" in json.dumps(changed["device"]) and "5062" not in json.dumps(changed["desired"])
    assert "5060" in json.dumps(changed["desired"])
    assert "22" in json.dumps(lists[edits.added[0]]["added"][0]["entry"])
    # The foreign list is never read into the report; the owned ones are every one compared.
    assert edits.foreign not in json.dumps(found)
    assert len(found["compared"]) == 3
    assert "%s-edited differs from the desired rules" % platform in done.stdout


@pytest.mark.parametrize("platform", sorted(EDITS))
def test_an_untouched_running_config_has_not_drifted(drift, platform):
    done, report = drift
    found = report[platform + "-same"]
    assert found["drifted"] is False and found["checked"] is True and found["lists"] == [], found
    # The product's three lists: OUT and IN for IPv4, OUT for IPv6 (the workstations' IPv6 network).
    owned = [("ipv4", JUNOS_OUT), ("ipv4", JUNOS_IN), ("ipv6", JUNOS_OUT)] if platform == "junos" else \
        [("ipv4", OUT), ("ipv4", IN), ("ipv6", OUT + "-V6")]
    assert sorted((item["afi"], item["name"]) for item in found["compared"]) == sorted(owned)
    assert "%s-same differs" % platform not in done.stdout


def test_only_the_edited_devices_fail_the_play_and_what_cannot_be_read_is_not_checked(drift):
    done, report = drift
    assert done.returncode != 0
    recap = dict((match.group(1), int(match.group(2)))
                 for match in re.finditer(r"^(\S+)\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=(\d+)",
                                          done.stdout, re.M))
    wanted = dict([(platform + "-edited", 1) for platform in EDITS] + [(platform + "-same", 0) for platform in EDITS]
                  + [("fortigate", 0), ("render-only", 0)])
    assert recap == wanted, done.stdout[-3000:]
    fortigate, router = report["fortigate"], report["render-only"]
    assert fortigate["drifted"] is None and fortigate["checked"] is False
    assert "no gathered or parsed state" in fortigate["reason"]
    assert router["drifted"] is None and router["checked"] is False
    assert "purecloud_drift_running_config" in router["reason"]
    assert "fortigate: not checked on fortios" in done.stdout


# ------------------------------------------------------------ hosts whose check fails
def closed_port():
    """A loopback port nothing listens on: a connection to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def unchecked(running, tmp_path_factory):
    """drift.yml over a Linux host that refuses the connection, a router whose read-back is refused and a router
    given its untouched running config: (its run, its report)."""
    port = closed_port()
    dead = {"ansible_host": "127.0.0.1", "ansible_port": port}
    hosts = {"dead-linux": dict(dead, ansible_connection="ssh"),
             "dead-router": dict(dead, ansible_network_os=NETWORK_OS["cisco_ios"]),
             "router-same": {"ansible_network_os": NETWORK_OS["cisco_ios"],
                             "purecloud_drift_running_config": running["cisco_ios"]}}
    inventory = {"all": {"vars": dict(site_vars(), ansible_connection="ansible.netcommon.network_cli",
                                      ansible_host="127.0.0.1", ansible_port=port,
                                      purecloud_firewall_products=[CASE.split("/")[1]]),
                         "hosts": hosts}}
    done, report = run_drift(tmp_path_factory.mktemp("drift-unchecked"), inventory)
    return done, report, port


def test_a_host_that_cannot_be_reached_or_read_is_reported_not_checked_with_its_error(unchecked):
    done, report, port = unchecked
    assert sorted(report) == ["dead-linux", "dead-router", "router-same"], done.stdout[-3000:]
    linux, router = report["dead-linux"], report["dead-router"]
    # OpenSSH's own words for a refused connection, and paramiko's (network_cli) for the router's read-back.
    assert linux["drifted"] is None and linux["checked"] is False and linux["reason"] == "unreachable", linux
    assert "connect to host 127.0.0.1 port %d: Connection refused" % port in linux["error"]
    assert router["drifted"] is None and router["checked"] is False, router
    assert router["reason"] == "the device's config could not be read back" and router["lists"] == []
    assert "Unable to connect to port %d on 127.0.0.1" % port in router["error"]
    same = report["router-same"]
    assert same["drifted"] is False and same["checked"] is True and same["error"] is None


def test_a_host_whose_check_failed_fails_the_play_and_the_others_do_not(unchecked):
    done, _report, _port = unchecked
    assert done.returncode != 0
    recap = dict((match.group(1), int(match.group(2)))
                 for match in re.finditer(r"^(\S+)\s+: ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=(\d+)",
                                          done.stdout, re.M))
    assert recap == {"dead-linux": 1, "dead-router": 1, "router-same": 0}, done.stdout[-3000:]
    assert "dead-linux was not checked (unreachable)" in done.stdout
    assert "dead-router was not checked (the device's config could not be read back)" in done.stdout
    assert "as desired" not in re.sub("(?m)^.*router-same.*$", "", done.stdout)


# ------------------------------------------------------------ address groups
# Strict mode: the site's AWS prefixes (a feed of perimeter_cases' own) as address groups the lists name.
STRICT = "current/edge"
GROUP, FOREIGN_GROUP = "PURECLOUD-PURECLOUD", "CORP-SERVERS"


def strict_text(platform, config, result):
    """The running config of a device holding the strict rendering: its groups, then its lists."""
    if platform == "cisco_ios":
        return "\n".join(list(config["groups"]["commands"])) + "\n" + device_text(platform, result["rendered"])
    if platform in ("cisco_nxos", "vyos"):
        return "\n".join(config["commands"]) + "\n"  # the collection's own commands, the groups first
    groups = junos_device_xml(result["groups_rendered"])
    lists = junos_device_xml(result["rendered"])
    inner = groups[groups.index("<configuration>") + len("<configuration>"):groups.index("</configuration>")]
    return lists.replace("</configuration>", inner + "</configuration>")


# One member of the group edited by hand (52.94.152.9 becomes .10), and a group the collection does not own.
GROUP_EDITS = {
    "cisco_ios": ((" host 52.94.152.9\n", " host 52.94.152.10\n"),
                  "object-group network %s\n host 10.0.0.1\n" % FOREIGN_GROUP),
    "cisco_nxos": (("  30 host 52.94.152.9\n", "  30 host 52.94.152.10\n"),
                   "object-group ip address %s\n  10 host 10.0.0.1\n" % FOREIGN_GROUP),
    "vyos": (("group network-group %s network '52.94.152.9/32'" % GROUP,
              "group network-group %s network '52.94.152.10/32'" % GROUP),
             "set firewall group network-group %s network '10.0.0.1/32'\n" % FOREIGN_GROUP),
    "junos": (("<name>52.94.152.9/32</name>", "<name>52.94.152.10/32</name>"),
              "<prefix-list><name>%s</name><prefix-list-item><name>10.0.0.1/32</name></prefix-list-item>"
              "</prefix-list>" % FOREIGN_GROUP),
}


def edit_group(platform, text):
    (old, new), foreign = GROUP_EDITS[platform]
    assert text.count(old) == 1, (platform, old)
    text = text.replace(old, new)
    if platform == "junos":
        return text.replace("</policy-options>", foreign + "</policy-options>")
    return text + foreign


@pytest.fixture(scope="module")
def strict_drift(tmp_path_factory):
    """drift.yml over the strict rendering of each platform with groups, edited and untouched: its report."""
    folder = tmp_path_factory.mktemp("drift-strict")
    key = STRICT + "@strict"
    configs = dict((platform, {key: render_site(platform, STRICT, "strict")}) for platform in NETWORK_OS)
    rendered = vendor_run(configs, [key], [key], str(folder))
    feed = folder / "ip-ranges.json"
    feed.write_text(json.dumps({
        "syncToken": "1", "createDate": time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime()),
        "prefixes": [{"ip_prefix": prefix, "region": "us-east-1", "service": "AMAZON",
                      "network_border_group": "us-east-1"} for prefix in STRICT_AWS_PREFIXES if ":" not in prefix],
        "ipv6_prefixes": [{"ipv6_prefix": prefix, "region": "us-east-1", "service": "AMAZON",
                           "network_border_group": "us-east-1"} for prefix in STRICT_AWS_PREFIXES if ":" in prefix]}))
    hosts = {}
    for platform in GROUP_EDITS:
        text = strict_text(platform, configs[platform][key], rendered[platform][key])
        device = {"ansible_network_os": NETWORK_OS[platform]}
        if platform == "junos":
            device["ansible_connection"] = "ansible.netcommon.netconf"
        hosts[platform + "-same"] = dict(device, purecloud_drift_running_config=text)
        hosts[platform + "-edited"] = dict(device, purecloud_drift_running_config=edit_group(platform, text))
    inventory = {"all": {"vars": dict(site_vars(), ansible_connection="ansible.netcommon.network_cli",
                                      ansible_host="127.0.0.1", ansible_port=9,
                                      purecloud_firewall_products=[STRICT.split("/")[1]],
                                      purecloud_cloud_destinations="aws_ip_ranges",
                                      purecloud_aws_ip_ranges_src=str(feed)),
                         "hosts": hosts}}
    return run_drift(folder, inventory)[1]


# What the report has for each edit: the entries as the device shows them (NX-OS numbers its members).
GROUP_DRIFT = {
    "cisco_ios": {"added": ["host 52.94.152.10"], "removed": ["host 52.94.152.9"], "changed": []},
    "cisco_nxos": {"added": [], "removed": [],
                   "changed": [{"key": "30", "device": "30 host 52.94.152.10", "desired": "30 host 52.94.152.9"}]},
    "junos": {"added": ["52.94.152.10/32"], "removed": ["52.94.152.9/32"], "changed": []},
    "vyos": {"added": ["set firewall group network-group %s network '52.94.152.10/32'" % GROUP],
             "removed": ["set firewall group network-group %s network '52.94.152.9/32'" % GROUP], "changed": []},
}


@pytest.mark.parametrize("platform", sorted(GROUP_EDITS))
def test_a_member_edited_in_an_owned_group_is_reported_and_a_foreign_group_ignored(strict_drift, platform):
    same, found = strict_drift[platform + "-same"], strict_drift[platform + "-edited"]
    assert same["drifted"] is False and same["lists"] == [], same
    assert any(item["kind"] == "group" for item in same["compared"])
    assert found["drifted"] is True, found
    # Only the edited member's group (on Junos, the prefix-list holding it: the group's second half).
    name = GROUP + "-B" if platform == "junos" else GROUP
    assert [(item["kind"], item["name"], item["missing"]) for item in found["lists"]] == [("group", name, False)]
    item = found["lists"][0]
    assert dict(added=[entry["entry"] for entry in item["added"]], changed=item["changed"],
                removed=[entry["entry"] for entry in item["removed"]]) == GROUP_DRIFT[platform]
    assert FOREIGN_GROUP not in json.dumps(found)
