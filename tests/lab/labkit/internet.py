# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fake PureCloud internet: which real server runs where, and the lab's feeds.

Real servers from Debian packages where they exist (coturn for STUN,
chrony for NTP, dnsmasq for DNS); the catch-all responder (responder.py)
answers every other TCP and UDP port, so the gateway alone decides what
passes.  DNS answers the region's domains with the lab's addresses, read
through the collection's own catalog (its default edition: every region).
The fake Genesys Cloud API (genesys_api.py) answers HTTPS on 443 with a
certificate of the lab's own CA for the region's api. and login. hosts.
"""

import datetime
import json
import os
import subprocess
import sys

from .topology import TopologyError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DEFAULT_REGION = "us-east-1"
STUN_PORTS = {"purecloud": 3478, "google_stun": 19302}
# Ports held by a real server; the catch-all responder leaves them alone.
REAL_PORTS = {"stun": [("tcp", "{stun}"), ("udp", "{stun}")], "ntp": [("udp", "123")],
              "dns": [("udp", "53"), ("tcp", "53")], "genesys_api": [("tcp", "443")]}
GENESYS_CA = "genesys-ca.pem"


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
        elif service == "genesys_api":
            cert, key = _genesys_certificate(hostdir, catalog_region(topo))
            commands.append(["/usr/bin/python3", os.path.join(labkit, "genesys_api.py"), "--address", address,
                             "--cert", cert, "--key", key, "--region", region_of(topo),
                             "--log", os.path.join(hostdir, "genesys-api.log")])
        elif service == "dns":
            commands.append(["/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                             "--conf-file=/dev/null", "--bind-interfaces", "--listen-address=%s" % address,
                             "--user=root", "--pid-file=%s" % os.path.join(hostdir, "dnsmasq.pid"),
                             "--log-facility=-", "--local-ttl=300"] + ["--address=/%s/%s" % (d, a) for d, a in dns_records(topo)])
    return commands


def region_of(topo):
    return topo.get("params", {}).get("region", DEFAULT_REGION)


def catalog():
    """The collection's catalog (its default edition), read through the collection's own code."""
    root = os.path.join(REPO, ".build", "collections")
    link = os.path.join(root, "ansible_collections", "purecloud", "firewall")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath(REPO, os.path.dirname(link)), link)
    try:
        # Through Ansible's own collection loader when there is one, as the tests' processes use it:
        # a plain import first would leave the collection without its metadata for them.
        from ansible.plugins.loader import init_plugin_loader
        from ansible.utils.collection_loader import AnsibleCollectionConfig

        if not AnsibleCollectionConfig.collection_finder:
            init_plugin_loader([root])
    except ImportError:  # the machine's Python without Ansible: a plain package path
        if root not in sys.path:
            sys.path.insert(0, root)
    from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import load_catalog

    return load_catalog()


def catalog_region(topo):
    known = catalog()
    from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

    try:
        return known.region(region_of(topo))
    except PurecloudFirewallError as exc:
        raise TopologyError(str(exc)) from None


def dns_records(topo):
    """(domain, address) for the domains of the lab's region, its BYOC Cloud servers included."""
    region = catalog_region(topo)
    classes = catalog().endpoint_classes.values()
    by_class = dict((h.get("class"), h["addresses"][0]) for h in topo["internet"])
    owner_class = {}
    for cls in classes:
        for owner in cls.domain_owners:
            owner_class.setdefault(owner, cls.name)
    explicit = dict((d, cls.name) for cls in classes for d in cls.domains)
    records = []
    for row in catalog().domains(region.code, include_byoc_cloud=True):
        if "<" in row.domain:
            continue  # a pattern for the customer's own prefix, not a name
        cls = explicit.get(row.pattern) or owner_class.get(row.owner)
        address = by_class.get(cls) or by_class.get("purecloud")
        if address:
            records.append((row.domain.lstrip("*."), address))
    return records


def _genesys_certificate(hostdir, region):
    """A lab CA (hostdir/genesys-ca.pem) and its certificate for the region's api. and login. hosts."""
    ca_key, ca = os.path.join(hostdir, "genesys-ca.key"), os.path.join(hostdir, GENESYS_CA)
    key, csr, cert = (os.path.join(hostdir, name) for name in ("genesys.key", "genesys.csr", "genesys.pem"))
    extensions = os.path.join(hostdir, "genesys.ext")
    with open(extensions, "w") as handle:
        handle.write("subjectAltName=DNS:%s,DNS:%s\n" % (region.hosts["api"], region.hosts["login"]))
    for argv in (["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                  "-subj", "/CN=purecloud.firewall lab CA", "-keyout", ca_key, "-out", ca],
                 ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                  "-subj", "/CN=%s" % region.hosts["api"], "-keyout", key, "-out", csr],
                 ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-days", "2",
                  "-extfile", extensions, "-out", cert]):
        subprocess.run(["openssl"] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return cert, key


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
