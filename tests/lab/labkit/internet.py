# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fake PureCloud internet: which real server runs where, and the lab's feeds.

Real servers from Debian packages where they exist (coturn for STUN,
chrony for NTP, dnsmasq for DNS); the catch-all responder (responder.py)
answers every other TCP and UDP port, so the gateway alone decides what
passes.  DNS answers the page's domains with the lab's addresses, read from
the collection's own catalog.
"""

import datetime
import json
import os

import yaml

from .topology import TopologyError

CATALOG = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))), "vars", "catalog.yml")
DEFAULT_REGION = "us-east-1"
STUN_PORTS = {"purecloud": 3478, "google_stun": 19302}
# Ports held by a real server; the catch-all responder leaves them alone.
REAL_PORTS = {"stun": [("tcp", "{stun}"), ("udp", "{stun}")], "ntp": [("udp", "123")],
              "dns": [("udp", "53"), ("tcp", "53")]}


RESPONDER_READY = "responder.ready"


def listening_ports(host):
    """(proto, port) the host's real servers must hold before the lab counts as up."""
    ports = set()
    for service in host.get("services", []):
        for proto, port in REAL_PORTS.get(service, []):
            ports.add((proto, int(port.format(stun=_stun_port(host)))))
    return ports


def _stun_port(host):
    return STUN_PORTS.get(host.get("class"), 3478)


def service_commands(host, topo, hostdir, labkit):
    """argv lists for the host's services, run by its init inside its namespaces."""
    address = host["addresses"][0]
    commands = []
    reserved = []
    for service in host.get("services", []):
        for proto, port in REAL_PORTS.get(service, []):
            reserved.append("%s/%s" % (proto, port.format(stun=_stun_port(host))))
    for service in host.get("services", []):
        if service == "responder":
            commands.append(["/usr/bin/python3", os.path.join(labkit, "responder.py"),
                             "--except", ",".join(reserved) or "none",
                             "--ready-file", os.path.join(hostdir, RESPONDER_READY)])
        elif service == "stun":
            commands.append(["/usr/bin/turnserver", "--stun-only", "--no-cli", "--no-tls", "--no-dtls",
                             "--listening-ip", address, "--listening-port", str(_stun_port(host)),
                             "--pidfile", os.path.join(hostdir, "turnserver.pid"), "--log-file", "stdout",
                             "--simple-log", "--no-stdout-log"])
        elif service == "ntp":
            conf = os.path.join(hostdir, "chrony.conf")
            with open(conf, "w") as handle:
                handle.write("local stratum 8\nallow all\nport 123\nbindaddress %s\npidfile %s\ndriftfile %s\n"
                             % (address, os.path.join(hostdir, "chronyd.pid"), os.path.join(hostdir, "chrony.drift")))
            # -x: serve time, never touch the machine's clock.
            commands.append(["/usr/sbin/chronyd", "-d", "-x", "-u", "root", "-f", conf])
        elif service == "dns":
            commands.append(["/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                             "--conf-file=/dev/null", "--bind-interfaces", "--listen-address=%s" % address,
                             "--user=root", "--pid-file=%s" % os.path.join(hostdir, "dnsmasq.pid"),
                             "--log-facility=-"] + ["--address=/%s/%s" % (d, a) for d, a in dns_records(topo)])
    return commands


def region_of(topo):
    return topo.get("params", {}).get("region", DEFAULT_REGION)


def dns_records(topo):
    """(domain, address) for the page's domains of the lab's region."""
    region = region_of(topo)
    with open(CATALOG) as handle:
        catalog = yaml.safe_load(handle)
    by_class = dict((h.get("class"), h["addresses"][0]) for h in topo["internet"])
    owner_class = {}
    for cls, spec in catalog["endpoint_classes"].items():
        for owner in spec.get("domain_owners", []):
            owner_class.setdefault(owner, cls)
    explicit = dict((d, cls) for cls, spec in catalog["endpoint_classes"].items() for d in spec.get("domains", []))
    records = []
    if region not in catalog["regions"]:
        raise TopologyError("region %r; expected one of: %s" % (region, ", ".join(catalog["regions"])))
    rows = [dict(r, pattern=r["pattern"].replace("{region}", region)) for r in catalog["domains"]
            if r["regions"] == "all" or region in r["regions"]]
    rows.append({"pattern": catalog["byoc_cloud"]["domain"], "owner": "PureCloud"})
    rows.extend({"pattern": server, "owner": "PureCloud"} for server in catalog["byoc_cloud"]["servers"][region])
    for row in rows:
        domain = row["pattern"].lstrip("*.")
        cls = explicit.get(row["pattern"]) or owner_class.get(row["owner"])
        address = by_class.get(cls) or by_class.get("purecloud")
        if address:
            records.append((domain, address))
    return records


def write_ip_ranges(state, path):
    """A feed in AWS's ip-ranges.json format mapping the lab's cloud hosts to the lab's region."""
    region = state["params"].get("region", DEFAULT_REGION)
    now = datetime.datetime.now(datetime.timezone.utc)
    prefixes = []
    for host in state["internet"].values():
        if host.get("class") in ("purecloud", "phone_provisioning"):
            for address in host["addresses"]:
                for service in ("AMAZON", "EC2"):
                    prefixes.append({"ip_prefix": "%s/32" % address, "region": region,
                                     "service": service, "network_border_group": region})
    document = {"syncToken": str(int(now.timestamp())), "createDate": now.strftime("%Y-%m-%d-%H-%M-%S"),
                "prefixes": prefixes, "ipv6_prefixes": []}
    with open(path, "w") as handle:
        json.dump(document, handle, indent=2)
