# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PAN-OS, Cisco ASA, Juniper SRX and Windows Defender Firewall through Aerleon: golden files and round trips.

Each rendering is read back by a small parser of its format, written here
from the vendors' syntax (PAN-OS XML with ElementTree, ASA object-groups and
access-lists, SRX address books and policies, netsh rules), into
``perimeter_cases.Atom`` flows; the set must equal the plan's: none lost,
none added.  Windows plans in host mode, so its expectation is the host
plan's rules (site.plan_site, mode host).
"""

from __future__ import annotations

import ipaddress
import re
from xml.etree import ElementTree
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

import pytest

import perimeter_cases
from perimeter_cases import Atom, address

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import parse_port_spec
from ansible_collections.purecloud.firewall.plugins.module_utils.site import plan_site

GATEWAYS = {"panos": ("any", "strict"), "asa": ("any", "strict"), "srx": ("any", "strict", "domains")}
SUFFIX = {"panos": "xml", "asa": "asa", "srx": "conf", "windows": "cmd"}
WINDOWS_HOSTS = ("bridge_server", "workstation")
WINDOWS_OPTIONS = dict(egress_filtering=True)
# Ports ASA writes by name (Cisco ASA command reference, "TCP and UDP ports"), typed from the vendor's table.
ASA_PORTS = {"domain": 53, "https": 443, "http": 80, "ntp": 123, "sip": 5060, "ldap": 389, "ldaps": 636,
             "www": 80, "snmp": 161, "syslog": 514, "tftp": 69, "ftp": 21, "ssh": 22, "telnet": 23,
             "smtp": 25, "kerberos": 88, "netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139,
             "imap4": 143, "pop3": 110, "rtsp": 554, "h323": 1720, "sqlnet": 1521, "pptp": 1723,
             "ctiqbe": 2748, "citrix-ica": 1494, "aol": 5190, "cifs": 3020, "lpd": 515, "irc": 194,
             "nfs": 2049, "radius": 1645, "radius-acct": 1646, "isakmp": 500, "echo": 7, "discard": 9,
             "daytime": 13, "chargen": 19, "whois": 43, "gopher": 70, "finger": 79, "hostname": 101,
             "ident": 113, "nntp": 119, "bgp": 179, "exec": 512, "login": 513, "cmd": 514, "klogin": 543,
             "kshell": 544, "rsh": 514, "talk": 517, "uucp": 540, "pcanywhere-data": 5631, "lotusnotes": 1352,
             "pim-auto-rp": 496, "time": 37, "bootpc": 68, "bootps": 67, "xdmcp": 177, "mobile-ip": 434,
             "secureid-udp": 5510, "dnsix": 195, "nameserver": 42, "rip": 520, "vxlan": 4789}


def host_wanted(case: str, mode: str, host_class: str) -> FrozenSet[Atom]:
    """The atoms of the host plan (mode host, egress filtering): the rules' sides x port ranges, per family."""
    settings = dict(perimeter_cases.site_settings(case, mode, host_class=host_class, **WINDOWS_OPTIONS), mode="host")
    prefixes = list(perimeter_cases.STRICT_AWS_PREFIXES) if mode == "strict" else None
    plan = plan_site(settings, aws_prefixes=prefixes)
    atoms = set()
    for rule in plan.rules:
        for source in _side(rule.sources):
            for destination in _side(rule.destinations):
                atoms.update(Atom(source, destination, rule.protocol, *parse_port_spec(port))
                             for port in rule.ports if _same_family(source, destination))
    return frozenset(atoms)


def _side(value) -> List[object]:
    return [None] if value == "any" else [address(cidr) for cidr in value]


def _same_family(source: object, destination: object) -> bool:
    """A device matches a source and a destination of one family only (None, a name: any family)."""
    networks = (ipaddress.IPv4Network, ipaddress.IPv6Network)
    return not (isinstance(source, networks) and isinstance(destination, networks)) or \
        source.version == destination.version


def _atoms(sources: Iterable[object], destinations: Iterable[object], protocol: str,
           ranges: Iterable[Tuple[int, int]]) -> Set[Atom]:
    return set(Atom(s, d, protocol, first, last) for s in sources for d in destinations
               for first, last in ranges if _same_family(s, d))


# ------------------------------------------------------------------ parsers
def parse_panos(text: str) -> Set[Atom]:
    """Security rules -> atoms, through the address objects, address groups and services they name."""
    vsys = ElementTree.fromstring(text.split("?>", 1)[1]).find("devices/entry/vsys/entry")
    addresses = dict((e.get("name"), [address(e.findtext("ip-netmask") or e.findtext("fqdn"))])
                     for e in vsys.findall("address/entry"))
    for group in vsys.findall("address-group/entry"):
        addresses[group.get("name")] = [a for m in group.findall("static/member") for a in addresses[m.text]]
    services = {}
    for entry in vsys.findall("service/entry"):
        (protocol,) = list(entry.find("protocol"))
        services[entry.get("name")] = (protocol.tag, [parse_port_spec(p) for p in protocol.findtext("port").split(",")])
    atoms: Set[Atom] = set()
    for rule in vsys.findall("rulebase/security/rules/entry"):
        assert rule.findtext("action") == "allow"
        sides = [[a for m in rule.findall(side + "/member") for a in ([None] if m.text == "any" else addresses[m.text])]
                 for side in ("source", "destination")]
        for member in rule.findall("service/member"):
            protocol, ranges = services[member.text]
            atoms |= _atoms(sides[0], sides[1], protocol, ranges)
    return atoms


def _asa_address(words: Sequence[str]) -> object:
    if words[0] == "host":
        return address(words[1])
    if len(words) == 1:
        return address(words[0])
    return ipaddress.ip_network("%s/%s" % (words[0], words[1]))


def _asa_port(words: Sequence[str]) -> Tuple[int, int]:
    def number(word: str) -> int:
        return int(word) if word.isdigit() else ASA_PORTS[word]
    if words[0] == "eq":
        return number(words[1]), number(words[1])
    assert words[0] == "range", words
    return number(words[1]), number(words[2])


def parse_asa(text: str) -> Set[Atom]:
    """object-group network/service blocks and ``access-list ... extended permit`` lines -> atoms."""
    groups: Dict[str, List[object]] = {}
    current: Optional[str] = None
    atoms: Set[Atom] = set()
    for line in text.splitlines():
        words = line.split()
        if line.startswith("object-group "):
            current = words[2]
            groups[current] = []
        elif line.startswith(" network-object "):
            groups[current].append(_asa_address(words[1:]))
        elif line.startswith(" port-object "):
            groups[current].append(_asa_port(words[1:]))
        elif len(words) > 4 and words[2] == "extended":
            assert words[3] == "permit", line
            protocol, rest = words[4], words[5:]
            sides = []
            for _side_number in range(2):
                if rest[0] == "any":
                    sides.append([None])
                    rest = rest[1:]
                elif rest[0] == "object-group":
                    sides.append(groups[rest[1]])
                    rest = rest[2:]
                else:
                    size = 2 if rest[0] == "host" or "." in rest[0] else 1
                    sides.append([_asa_address(rest[:size])])
                    rest = rest[size:]
            ranges = groups[rest[1]] if rest and rest[0] == "object-group" else [_asa_port(rest)]
            atoms |= _atoms(sides[0], sides[1], protocol, ranges)
    return atoms


def parse_srx(text: str) -> Set[Atom]:
    """Address book, applications and policies (Junos curly syntax, whitespace-insensitive) -> atoms."""
    flat = " ".join(text.split())
    book: Dict[str, List[object]] = {}
    for name, value in re.findall(r"address (\S+) ([0-9a-fA-F.:]+/\d+);", flat):
        book[name] = [address(value)]
    for name, value in re.findall(r"address (\S+) \{ dns-name (\S+); \}", flat):
        book[name] = [value]
    for name, body in re.findall(r"address-set (\S+) \{((?: address \S+;)+) \}", flat):
        book[name] = [a for member in re.findall(r"address (\S+);", body) for a in book[member]]
    applications: Dict[str, List[Tuple[str, Tuple[int, int]]]] = {}
    for name, body in re.findall(r"application (\S+) \{((?: term \S+ [^;]+;)+) \}", flat):
        applications[name] = [(protocol, parse_port_spec(ports))
                              for protocol, ports in re.findall(r"protocol (\w+) destination-port (\S+);", body)]
    for name, body in re.findall(r"application-set (\S+) \{((?: application \S+;)+) \}", flat):
        applications[name] = [t for member in re.findall(r"application (\S+);", body) for t in applications[member]]
    atoms: Set[Atom] = set()
    policies = re.findall(r"policy (\S+) \{ match \{ source-address (\[ [^]]+ \]|any); destination-address "
                          r"(\[ [^]]+ \]|any); application (\S+); \} then \{ (\w+); \} \}", flat)
    assert len(policies) == flat.count(" policy "), "a policy the parser does not read"
    for _name, source, destination, application, action in policies:
        assert action == "permit"
        sides = [[None] if side == "any" else [a for n in side.strip("[] ").split() for a in book[n]]
                 for side in (source, destination)]
        for protocol, ports in applications[application]:
            atoms |= _atoms(sides[0], sides[1], protocol, [ports])
    return atoms


def parse_netsh(text: str) -> Set[Atom]:
    """``netsh advfirewall firewall add rule`` lines -> atoms (inbound: remote -> local, outbound: local -> remote)."""
    atoms: Set[Atom] = set()
    for line in text.splitlines():
        if not line.startswith("netsh "):
            continue
        fields = dict(word.split("=", 1) for word in line.split() if "=" in word)
        assert fields["action"] == "allow" and fields["enable"] == "yes"
        local = [address(a) for a in fields["localip"].split(",")]
        remote = [address(a) for a in fields["remoteip"].split(",")]
        sources, destinations = (remote, local) if fields["dir"] == "in" else (local, remote)
        port = fields["localport" if fields["dir"] == "in" else "remoteport"]
        atoms |= _atoms(sources, destinations, fields["protocol"], [parse_port_spec(p) for p in port.split(",")])
    return atoms


PARSERS = {"panos": parse_panos, "asa": parse_asa, "srx": parse_srx, "windows": parse_netsh}


# ------------------------------------------------------------------ cases
def windows_cases() -> List[Tuple[str, str]]:
    """(case, host class) where the host class has flows in the case's product."""
    found = []
    for case in perimeter_cases.CASES:
        for host in WINDOWS_HOSTS:
            try:
                plan = plan_site(dict(perimeter_cases.site_settings(case, "any", host_class=host, **WINDOWS_OPTIONS),
                                      mode="host"))
            except PurecloudFirewallError:
                continue
            if plan.rules:
                found.append((case, host))
    return found


GATEWAY_PARAMS = [(backend, case, mode) for backend, modes in GATEWAYS.items()
                  for case in perimeter_cases.CASES for mode in modes]
WINDOWS_PARAMS = [("windows", case, mode, host) for case, host in windows_cases() for mode in ("any", "strict")]


@pytest.fixture(scope="module")
def rendered():
    cache: Dict[Tuple[str, ...], str] = {}

    def render(backend: str, case: str, mode: str, host: Optional[str] = None) -> str:
        key = (backend, case, mode, host or "")
        if key not in cache:
            options = dict(host_class=host, **WINDOWS_OPTIONS) if host else {}
            result = perimeter_cases.render(backend, case, mode, **options)
            assert result["render_only"] and result["state"] == "rendered"
            assert result["render_suffix"] == SUFFIX[backend]
            cache[key] = "\n".join(result["commands"]) + "\n"
        return cache[key]
    return render


def _golden(backend: str, case: str, mode: str, host: Optional[str] = None) -> str:
    edition, product = case.split("/")
    name = "%s-%s%s.%s" % (product, "%s-" % host if host else "", mode, SUFFIX[backend])
    return perimeter_cases.golden_path(edition, backend, name)


@pytest.mark.parametrize("backend,case,mode", GATEWAY_PARAMS)
def test_gateway_rendering_matches_its_golden_file(rendered, backend, case, mode):
    perimeter_cases.check_golden(_golden(backend, case, mode), rendered(backend, case, mode))


@pytest.mark.parametrize("backend,case,mode", GATEWAY_PARAMS)
def test_gateway_rendering_reads_back_as_the_plans_flows(rendered, backend, case, mode):
    got = PARSERS[backend](rendered(backend, case, mode))
    want = perimeter_cases.wanted(case, mode)
    assert want, "the case has flows"
    assert not want - got, "lost: %s" % sorted(map(str, want - got))[:5]
    assert not got - want, "added: %s" % sorted(map(str, got - want))[:5]


# A line that permits or defines something, per format: each may appear once.
DEFINING = {"panos": "<entry name=", "asa": " permit ", "srx": "policy ", "windows": "netsh "}


@pytest.mark.parametrize("backend,case,mode", GATEWAY_PARAMS)
def test_no_entry_is_written_twice(rendered, backend, case, mode):
    lines = [line for line in rendered(backend, case, mode).splitlines() if DEFINING[backend] in line]
    assert lines and len(lines) == len(set(lines)), sorted(line for line in lines if lines.count(line) > 1)[:3]


@pytest.mark.parametrize("backend,case,mode,host", WINDOWS_PARAMS)
def test_windows_writes_no_rule_twice(rendered, backend, case, mode, host):
    lines = [line for line in rendered(backend, case, mode, host).splitlines() if DEFINING[backend] in line]
    assert lines and len(lines) == len(set(lines))


@pytest.mark.parametrize("backend,case,mode,host", WINDOWS_PARAMS)
def test_windows_rendering_matches_its_golden_file(rendered, backend, case, mode, host):
    perimeter_cases.check_golden(_golden(backend, case, mode, host), rendered(backend, case, mode, host))


@pytest.mark.parametrize("backend,case,mode,host", WINDOWS_PARAMS)
def test_windows_rendering_reads_back_as_the_host_plans_flows(rendered, backend, case, mode, host):
    got = parse_netsh(rendered(backend, case, mode, host))
    want = host_wanted(case, mode, host)
    assert want, "the host has flows"
    assert not want - got, "lost: %s" % sorted(map(str, want - got))[:5]
    assert not got - want, "added: %s" % sorted(map(str, got - want))[:5]


def test_windows_cases_cover_the_bridge_server_and_workstations():
    assert set(host for _case, host in windows_cases()) == set(WINDOWS_HOSTS)


@pytest.mark.parametrize("backend", ["panos", "asa", "windows"])
def test_platforms_without_fqdn_objects_refuse_domains(backend):
    with pytest.raises(PurecloudFirewallError, match="domains needs FQDN address objects.*%s" % backend):
        perimeter_cases.render(backend, "current/edge", "domains")


@pytest.mark.parametrize("backend", sorted(SUFFIX))
def test_state_absent_writes_removal_commands_for_every_owned_name(backend):
    options = dict(host_class="workstation", **WINDOWS_OPTIONS) if backend == "windows" else {}
    case = "current/webrtc_client" if backend == "windows" else "current/edge"
    present = perimeter_cases.render(backend, case, "strict", **options)
    absent = perimeter_cases.render(backend, case, "strict", state="absent", **options)
    assert absent["state"] == "rendered" and absent["render_only"] and absent["commands"]
    removal = "\n".join(absent["commands"])
    assert not [line for line in absent["commands"] if "PURECLOUD" not in line]
    if backend == "asa":  # the policies are the two access-lists' entries: clearing the lists removes them
        defined = [" ".join(line.split()[:3]) for line in present["commands"] if line.startswith("object-group ")]
        assert absent["commands"] == ["clear configure access-list PURECLOUD-OUT",
                                      "clear configure access-list PURECLOUD-IN"] + ["no " + d for d in defined]
        return
    for kind, name in present["acls"]:
        if kind == "policy":
            assert re.search(r"(\s|=[io]_)%s$" % re.escape(name), removal, re.M), name
