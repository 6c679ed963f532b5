# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lab topologies: read a YAML file, fill in parameters, check every address.

The guard rails live here, before anything is created: every address and
segment must lie in 198.51.100.0/24 or 203.0.113.0/24 (192.0.2.0/24 is the
machine's real uplink), management addresses in 198.51.100.0/25, names short
enough for interface and namespace names.
"""

import copy
import ipaddress
import os
import re

import yaml

ALLOWED_NETWORKS = (ipaddress.ip_network("198.51.100.0/24"), ipaddress.ip_network("203.0.113.0/24"))
MANAGEMENT = ipaddress.ip_network("198.51.100.0/25")
SWITCH_ADDRESS = ipaddress.ip_address("198.51.100.1")
# systemd-* hosts boot a real systemd (systemd-nspawn over an overlay of /),
# so tests can restart nftables.service and firewalld.service for real.
HOST_KINDS = ("nftables", "firewalld", "systemd-nftables", "systemd-firewalld")
SERVICES = ("responder", "stun", "ntp", "dns", "genesys_api")
TOPOLOGY_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "topologies")
_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")


class TopologyError(ValueError):
    pass


def allowed(address):
    """True when ``address`` (an address or network) lies inside the lab's ranges."""
    net = ipaddress.ip_network(address, strict=False)
    return any(net.subnet_of(block) for block in ALLOWED_NETWORKS if net.version == block.version)


def check_address(value, where):
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        raise TopologyError("%s: %r is not an IPv4 address" % (where, value)) from None
    if not allowed(ip):
        raise TopologyError("%s: %s is outside the lab's ranges 198.51.100.0/24 and 203.0.113.0/24" % (where, ip))
    return ip


def load(name_or_path, params=None):
    """The topology ``name`` (a file of topologies/) or a path, with ``params`` applied."""
    path = name_or_path
    if os.path.sep not in name_or_path and not name_or_path.endswith(".yml"):
        path = os.path.join(TOPOLOGY_DIR, name_or_path + ".yml")
    if not os.path.exists(path):
        known = sorted(f[:-4] for f in os.listdir(TOPOLOGY_DIR) if f.endswith(".yml"))
        raise TopologyError("unknown topology %r; expected one of: %s" % (name_or_path, ", ".join(known)))
    with open(path) as handle:
        raw = yaml.safe_load(handle)
    values = dict(raw.get("params") or {})
    for key, value in (params or {}).items():
        if key not in values:
            raise TopologyError("unknown parameter %r for topology %r; expected one of: %s"
                                % (key, name_or_path, ", ".join(sorted(values)) or "(none)"))
        values[key] = value
    topo = _fill(copy.deepcopy(raw), values)
    topo["name"] = os.path.basename(path)[:-4]
    topo["params"] = values
    topo.setdefault("segments", {})
    topo.setdefault("internet", [])
    topo["hosts"] = list(topo.get("hosts") or []) + _fleet(topo.pop("fleet", None))
    _check(topo)
    return topo


def _fill(value, params):
    if isinstance(value, str):
        filled = value.format(**params) if "{" in value else value
        return int(filled) if filled.isdigit() and value.startswith("{") else filled
    if isinstance(value, list):
        return [_fill(v, params) for v in value]
    if isinstance(value, dict):
        return dict((k, _fill(v, params)) for k, v in value.items())
    return value


# The fleet as a site, an inventory beside the lab's own: every host the
# PureCloud client's, in host mode with a drop policy, and SSH let in from the
# half of the lab network that holds the switch, whence Ansible connects.
FLEET_SITE_INVENTORY = """---
all:
  vars:
    purecloud_region: us-east-1
    purecloud_firewall_backend: nftables
    purecloud_firewall_mode: host
    purecloud_default_policy: drop
    purecloud_egress_filtering: true
    purecloud_management:
      sources: [198.51.100.0/25]
  children:
    purecloud_webrtc_client:
      children:
        fleet:
"""


def _fleet(spec):
    if not spec:
        return []
    count = int(spec["count"])
    if not 1 <= count <= 100:
        raise TopologyError("fleet count %d: expected 1 to 100" % count)
    first = ipaddress.ip_address(spec["first_address"])
    return [{"name": "%s%d" % (spec["name"], n + 1), "kind": spec["kind"], "address": str(first + n),
             "groups": list(spec.get("groups", []))} for n in range(count)]


def _check(topo):
    seen_names = set()
    seen_addresses = {str(SWITCH_ADDRESS): "the switch"}
    segments = {}
    for name, cidr in topo["segments"].items():
        if not _NAME.match(name):
            raise TopologyError("segment name %r: lower-case letters and digits, at most 12" % name)
        net = ipaddress.ip_network(cidr)
        if not allowed(net):
            raise TopologyError("segment %s: %s is outside the lab's ranges" % (name, net))
        if net.overlaps(MANAGEMENT):
            raise TopologyError("segment %s: %s overlaps the management network %s" % (name, net, MANAGEMENT))
        for other, other_net in segments.items():
            if net.overlaps(other_net):
                raise TopologyError("segments %s and %s overlap" % (name, other))
        segments[name] = net

    def claim(address, owner):
        if str(address) in seen_addresses:
            raise TopologyError("%s: address %s is already used by %s" % (owner, address, seen_addresses[str(address)]))
        seen_addresses[str(address)] = owner

    for host in topo["hosts"] + topo["internet"]:
        name = host.get("name", "")
        if not _NAME.match(name) or name in seen_names or name == "ctl":
            raise TopologyError("host name %r: unique, lower-case letters and digits, at most 12" % name)
        seen_names.add(name)
    for host in topo["hosts"]:
        where = "host %s" % host["name"]
        if host.get("kind") not in HOST_KINDS:
            raise TopologyError("%s: kind %r; expected one of: %s" % (where, host.get("kind"), ", ".join(HOST_KINDS)))
        mgmt = check_address(host["address"], where)
        if mgmt not in MANAGEMENT:
            raise TopologyError("%s: management address %s must be in %s" % (where, mgmt, MANAGEMENT))
        claim(mgmt, where)
        for segment, address in (host.get("interfaces") or {}).items():
            _check_on_segment(segments, segment, check_address(address, where), where)
            claim(address, where)
    gateways = [h for h in topo["hosts"] if h.get("forward")]
    for host in topo["internet"]:
        where = "internet host %s" % host["name"]
        if "wan" not in segments:
            raise TopologyError("%s needs a 'wan' segment" % where)
        for address in host.get("addresses", []):
            _check_on_segment(segments, "wan", check_address(address, where), where)
            claim(address, where)
        for service in host.get("services", []):
            if service not in SERVICES:
                raise TopologyError("%s: service %r; expected one of: %s" % (where, service, ", ".join(SERVICES)))
    if len(gateways) > 1:
        raise TopologyError("at most one forwarding gateway per topology")


def _check_on_segment(segments, segment, address, where):
    if segment not in segments:
        raise TopologyError("%s: unknown segment %r; expected one of: %s" % (where, segment, ", ".join(segments)))
    net = segments[segment]
    if address not in net or address in (net.network_address, net.broadcast_address):
        raise TopologyError("%s: %s is not a host address of segment %s (%s)"
                            % (where, address, segment, net))
