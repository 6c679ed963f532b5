#!/usr/bin/python3
# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One A lookup over UDP, as a stub resolver makes it, then the connection it is for; prints JSON.

    dnsquery.py SERVER NAME TIMEOUT [CONNECT_PORT]

prints {"addresses": [...], "ttl": N}, or {"error": "..."} when the server
does not answer in time.  With CONNECT_PORT, it then connects to the first
address on that TCP port at once and adds "connect": "allow" or "deny".
It runs inside the lab's hosts, with the collection's own DNS client
(preflight's, standard library only).
"""

import json
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".build", "collections"))

from ansible_collections.purecloud.firewall.plugins.module_utils.preflight import dns_query, dns_records  # noqa: E402


def lookup(server, name, timeout):
    ident, packet = dns_query(name)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(packet, (server, 53))
        records = dns_records(sock.recvfrom(4096)[0], ident)
    return {"addresses": [address for address, _ttl in records], "ttl": min([ttl for _a, ttl in records] or [0])}


def connect(address, port, timeout):
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return "allow"
    except OSError:
        return "deny"


def main(argv):
    server, name, timeout = argv[1], argv[2], float(argv[3])
    try:
        answer = lookup(server, name, timeout)
    except (OSError, ValueError) as exc:
        answer = {"error": "%s: %s" % (server, exc or "no answer in %.1f s" % timeout)}
    if len(argv) > 4 and answer.get("addresses"):
        answer["connect"] = connect(answer["addresses"][0], int(argv[4]), timeout)
    print(json.dumps(answer))


if __name__ == "__main__":
    main(sys.argv)
