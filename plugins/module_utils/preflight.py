# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preflight: can this host really reach what its product needs?

``plan_checks`` (on the controller) turns the compiled rules a host sends
into checks with names to resolve; ``run_checks`` (on the host, standard
library only) resolves them with real DNS queries and tries each flow for
real: a TCP connect, a STUN Binding request (RFC 5389) over UDP or TCP that
must return the reflexive address, an NTP (RFC 5905) client query, a DNS
query.  UDP media ranges cannot be judged without a media server at the
other end and are listed as not checked.  Every check is bounded by its
timeout and all run at once, so a run takes about one timeout.
"""

from __future__ import annotations

import os
import random
import socket
import struct
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.ports import parse_port_spec

if TYPE_CHECKING:  # pragma: no cover - the records are the controller's; the host gets dicts
    from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Requirement
    from ansible_collections.purecloud.firewall.plugins.module_utils.plan import Rule

STUN_MAGIC = 0x2112A442

# The connectivity_check module's options: the checks (planned by its action
# from the catalog and the site's variables when not given) and how to run them.
ARGUMENT_SPEC: Dict[str, Dict[str, Any]] = dict(
    products=dict(type="list", elements="str"),
    host_class=dict(type="str"),
    names=dict(type="dict", default={}),
    peers=dict(type="dict", default={}),
    checks=dict(type="list", elements="dict"),
    dns_servers=dict(type="list", elements="str"),
    dns_name=dict(type="str"),
    timeout=dict(type="float", default=2.0),
    fail_on_error=dict(type="bool", default=True),
)
# Option -> the variable it falls back to.
VARIABLES = {"products": "purecloud_firewall_products", "host_class": "purecloud_host_class",
             "names": "purecloud_preflight_names", "peers": "purecloud_preflight_peers",
             "dns_servers": "purecloud_preflight_dns_servers", "timeout": "purecloud_preflight_timeout"}


def _kind(protocol: str, destination_class: str, port: int) -> Optional[str]:
    if destination_class == "dns" and port == 53:
        return "dns_" + protocol
    if destination_class == "nist_time" and protocol == "udp" and port == 123:
        return "ntp"
    if port in (3478, 19302):
        return "stun_" + protocol
    if protocol == "tcp":
        return "tcp"
    return None  # UDP media: nothing answers a bare datagram


def _ids_for(rule: "Rule", port: int, requirements: Sequence["Requirement"]) -> List[str]:
    """The rows behind one port of a compiled rule (a merged rule holds several rows' ports)."""
    found = []
    for row in requirements:
        if row.id in rule.ids and row.protocol == rule.protocol and any(
                first <= port <= last for first, last in map(parse_port_spec, row.ports)):
            found.append(row.id)
    return list(dict.fromkeys(found)) or list(rule.ids)


def plan_checks(rules: Sequence["Rule"], host_class: str, domain: str,
                names: Optional[Mapping[str, str]] = None,
                peers: Optional[Mapping[str, Sequence[str]]] = None,
                requirements: Sequence["Requirement"] = ()) -> List[Dict[str, Any]]:
    """One check per flow the host's class sends and port range (its first port), named by its rows' ids.

    ``names`` maps a remote class to the name to resolve and try (the
    catalog's probe names, with the user's over them); ``{domain}`` in a name
    is the region's domain.
    """
    names = dict(names or {})
    checks: Dict[Tuple[str, str, int, str], Dict[str, Any]] = {}
    for rule in rules:
        if rule.source_class != host_class:
            continue
        destination = rule.destination_class
        if destination == "dns":
            targets = ["@dns"]  # the resolvers themselves
        elif peers and destination in peers:
            targets = list(peers[destination])
        elif destination in names:
            targets = [names[destination].format(domain=domain)]
        else:
            targets = []
        for first, last in map(parse_port_spec, rule.ports):
            # A TCP range is tried at both ends (5060-5061); a UDP range at its start.
            for port in sorted({first, last}) if rule.protocol == "tcp" else [first]:
                kind = _kind(rule.protocol, destination, port)
                for target in targets or ["(no target)"]:
                    # A flow with no target is its own line: one per destination class.
                    key = (target, rule.protocol, port, "" if targets else destination)
                    check = checks.setdefault(key, {"target": target, "protocol": rule.protocol, "port": port,
                                                    "kind": kind if targets else None, "destination": destination,
                                                    "ids": []})
                    check["ids"] = list(dict.fromkeys(check["ids"] + _ids_for(rule, port, requirements)))
    return sorted(checks.values(), key=lambda c: (c["destination"], c["protocol"], c["port"], c["target"]))


# ---------------------------------------------------------------- on the host
def resolvers(path: str = "/etc/resolv.conf") -> List[str]:
    try:
        with open(path) as handle:
            return [line.split()[1] for line in handle if line.startswith("nameserver") and len(line.split()) > 1]
    except OSError:
        return []


def dns_query(name: str) -> Tuple[int, bytes]:
    """(id, packet) of an A query for ``name``, as a stub resolver sends it."""
    ident = random.randint(0, 0xFFFF)
    labels = b"".join(struct.pack("B", len(part)) + part.encode("ascii") for part in name.rstrip(".").split("."))
    return ident, struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", 1, 1)


def _skip_name(data: bytes, offset: int) -> int:
    while True:
        length = data[offset]
        if length == 0:
            return offset + 1
        if length & 0xC0 == 0xC0:
            return offset + 2
        offset += 1 + length


def dns_records(data: bytes, ident: int) -> List[Tuple[str, int]]:
    """(address, ttl) of each A record of the answer to query ``ident`` (after any CNAME)."""
    got, flags, questions, answers = struct.unpack(">HHHH", data[:8])
    if got != ident or not flags & 0x8000:
        raise ValueError("not an answer to our query")
    if flags & 0x000F:
        raise ValueError("DNS error code %d" % (flags & 0x000F))
    offset = 12
    for _question in range(questions):
        offset = _skip_name(data, offset) + 4
    records = []
    for _answer in range(answers):
        offset = _skip_name(data, offset)
        rtype, _cls, ttl, length = struct.unpack(">HHIH", data[offset:offset + 10])
        offset += 10
        if rtype == 1 and length == 4:
            records.append((socket.inet_ntoa(data[offset:offset + 4]), ttl))
        offset += length
    return records


def resolve(name: str, servers: Sequence[str], timeout: float, protocol: str = "udp") -> List[str]:
    """A records of ``name``, asked of each server in turn over UDP or TCP."""
    problems = []
    for server in servers:
        ident, query = dns_query(name)
        try:
            if protocol == "udp":
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                    sock.settimeout(timeout)
                    sock.sendto(query, (server, 53))
                    data, _peer = sock.recvfrom(4096)
            else:
                with socket.create_connection((server, 53), timeout=timeout) as sock:
                    sock.sendall(struct.pack(">H", len(query)) + query)
                    length = struct.unpack(">H", _read(sock, 2))[0]
                    data = _read(sock, length)
            addresses = [address for address, _ttl in dns_records(data, ident)]
            if addresses:
                return addresses
            problems.append("%s: no A record" % server)
        except (OSError, ValueError, struct.error) as exc:
            problems.append("%s: %s" % (server, exc))
    raise OSError("cannot resolve %s (%s)" % (name, "; ".join(problems) or "no DNS server"))


def _read(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise OSError("connection closed")
        data += chunk
    return data


def stun_binding(address: str, port: int, protocol: str, timeout: float) -> str:
    """Send a STUN Binding request; return the reflexive address the server saw."""
    transaction = os.urandom(12)
    request = struct.pack(">HHI", 0x0001, 0, STUN_MAGIC) + transaction
    if protocol == "udp":
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(timeout)
            sock.sendto(request, (address, port))
            data, _peer = sock.recvfrom(2048)
    else:
        with socket.create_connection((address, port), timeout=timeout) as sock:
            sock.sendall(request)
            header = _read(sock, 20)
            data = header + _read(sock, struct.unpack(">H", header[2:4])[0])
    return parse_stun_response(data, transaction)


def parse_stun_response(data: bytes, transaction: bytes) -> str:
    """The reflexive ``address:port`` of a STUN Binding success response to ``transaction``."""
    kind, length, magic = struct.unpack(">HHI", data[:8])
    if kind != 0x0101 or magic != STUN_MAGIC or data[8:20] != transaction:
        raise OSError("not a STUN Binding success response")
    offset = 20
    while offset + 4 <= 20 + length:
        attr, size = struct.unpack(">HH", data[offset:offset + 4])
        value = data[offset + 4:offset + 4 + size]
        if attr in (0x0020, 0x0001) and value[1] == 1:  # XOR-MAPPED-ADDRESS, MAPPED-ADDRESS (IPv4)
            mapped_port, raw = struct.unpack(">H", value[2:4])[0], value[4:8]
            if attr == 0x0020:
                mapped_port ^= STUN_MAGIC >> 16
                raw = bytes(b ^ m for b, m in zip(raw, struct.pack(">I", STUN_MAGIC)))
            return "%s:%d" % (socket.inet_ntoa(raw), mapped_port)
        offset += 4 + size + (-size % 4)
    raise OSError("STUN response without a mapped address")


def ntp_query(address: str, timeout: float) -> str:
    """An NTP client request; return the server's stratum."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(b"\x23" + b"\0" * 47, (address, 123))  # LI 0, version 4, mode 3 (client)
        data, _peer = sock.recvfrom(512)
    if len(data) < 48 or data[0] & 0x07 != 4:
        raise OSError("not an NTP server reply")
    return "stratum %d" % data[1]


def _run_one(check: Mapping[str, Any], servers: Sequence[str], timeout: float) -> Dict[str, Any]:
    result = dict(check, ok=False, address="", detail="")
    started = time.monotonic()
    try:
        kind = check["kind"]
        if kind is None:
            result.update(ok=None, detail="not checked: nothing answers a bare %s datagram here" % check["protocol"]
                          if check["target"] != "(no target)" else "not checked: no target given for %s"
                          % check["destination"])
            return result
        if kind.startswith("dns_"):
            if not servers:
                raise OSError("no DNS server configured")
            for server in servers:
                resolve(check.get("name") or "example.org", [server], timeout, kind[4:])
            result.update(ok=True, address=", ".join(servers), detail="answered over %s" % kind[4:])
            return result
        target = check["target"]
        try:
            socket.inet_aton(target)
            address = target
        except OSError:
            address = resolve(target, servers, timeout)[0]
        result["address"] = address
        if kind == "tcp":
            with socket.create_connection((address, check["port"]), timeout=timeout):
                pass
            result.update(ok=True, detail="connected")
        elif kind.startswith("stun_"):
            mapped = stun_binding(address, check["port"], kind[5:], timeout)
            result.update(ok=True, detail="reflexive address %s" % mapped)
        elif kind == "ntp":
            result.update(ok=True, detail=ntp_query(address, timeout))
    except (OSError, ValueError, struct.error, IndexError) as exc:
        result["detail"] = str(exc) or exc.__class__.__name__
    finally:
        result["ms"] = int((time.monotonic() - started) * 1000)
    return result


def run_checks(checks: Sequence[Mapping[str, Any]], servers: Sequence[str], timeout: float = 2.0,
               probe_name: str = "") -> List[Dict[str, Any]]:
    """Run every check at once; each is bounded by ``timeout`` (a DNS lookup and the probe: twice that)."""
    prepared = [dict(check, name=probe_name) if str(check.get("kind", "")).startswith("dns_") else dict(check)
                for check in checks]
    with ThreadPoolExecutor(max_workers=min(32, max(1, len(prepared)))) as pool:
        return list(pool.map(lambda check: _run_one(check, servers, timeout), prepared))


def table(results: Sequence[Mapping[str, Any]]) -> List[str]:
    """A fixed-width pass/fail table, one line per check."""
    rows = [("RESULT", "FLOW", "TARGET", "DETAIL", "REQUIREMENTS")]
    for r in results:
        verdict = "skip" if r["ok"] is None else "pass" if r["ok"] else "FAIL"
        target = r["target"] + (" (%s)" % r["address"] if r.get("address") and r["address"] != r["target"] else "")
        rows.append((verdict, "%s/%d %s" % (r["protocol"], r["port"], r.get("kind") or ""), target, r["detail"],
                     " ".join(r["ids"])))
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    return ["  ".join(str(c).ljust(w) for c, w in zip(row[:4], widths)) + "  " + row[4] for row in rows]
