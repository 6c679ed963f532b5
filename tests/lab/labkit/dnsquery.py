# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One A lookup over UDP, as a stub resolver makes it, then the connection it is for; prints JSON.

    dnsquery.py SERVER NAME TIMEOUT [CONNECT_PORT]
    dnsquery.py --rounds N SERVER DOMAIN TIMEOUT CONNECT_PORT [PAUSE]

prints {"addresses": [...], "ttl": N}, or {"error": "..."} when the server
does not answer in time.  With CONNECT_PORT, it then connects to the first
address on that TCP port at once and adds "connect": "allow" or "deny".
``--rounds`` makes N (at most 10000) such lookup-then-connect rounds, every
other one for a name under DOMAIN never asked before (the resolver must ask
its upstream) and the others for DOMAIN's ``apps.`` name (mostly from its
cache), PAUSE seconds apart (at most 1), and prints the refusals, each
round's time and the time they all took.
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


def rounds(count, server, domain, timeout, port, pause=0.0):
    """Lookup-then-connect rounds; a refusal is a connect that failed after an answer."""
    import time

    refused, unanswered, times = [], 0, []
    tag = os.urandom(3).hex()
    began = time.monotonic()
    for index in range(min(count, 10000)):
        time.sleep(min(pause, 1.0))
        name = "r%s-%d.%s" % (tag, index, domain) if index % 2 else "apps." + domain
        started = time.monotonic()
        try:
            answer = lookup(server, name, timeout)
        except (OSError, ValueError):
            unanswered += 1
            continue
        if connect(answer["addresses"][0], port, timeout) == "deny":
            refused.append(name)
        times.append(time.monotonic() - started)
    return {"rounds": min(count, 10000), "refused": len(refused), "refused_names": refused[:10],
            "unanswered": unanswered, "seconds": times, "elapsed": time.monotonic() - began}


def main(argv):
    if argv[1] == "--rounds":
        pause = float(argv[7]) if len(argv) > 7 else 0.0
        print(json.dumps(rounds(int(argv[2]), argv[3], argv[4], float(argv[5]), int(argv[6]), pause)))
        return
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
