# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs inside a source host's network namespace: real packets, one exchange each.

Reads {"timeout": s, "probes": [{"to", "proto", "port"}]} on stdin, writes
one result per probe on stdout.  TCP: a connect.  UDP: one request and one
reply, with a real DNS, NTP or STUN request on those ports and a plain
datagram elsewhere.  Every probe is bounded by the timeout; the pool is
bounded in threads; nothing retries.
"""

import json
import os
import selectors
import socket
import struct
import sys
import time
from concurrent.futures import ThreadPoolExecutor

MAX_THREADS = 64


def udp_payload(port):
    if port == 53:
        # A query for mypurecloud.com, type A.
        return struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + b"\x0bmypurecloud\x03com\x00" + b"\x00\x01\x00\x01"
    if port == 123:
        return b"\x1b" + 47 * b"\x00"  # NTP v3 client request
    if port in (3478, 19302):
        return struct.pack("!HHI", 0x0001, 0, 0x2112A442) + os.urandom(12)  # STUN Binding request
    return b"purecloud-lab-probe"


def probe(item, timeout):
    family = socket.AF_INET6 if ":" in item["to"] else socket.AF_INET
    started = time.monotonic()
    if item["proto"] == "tcp":
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect((item["to"], item["port"]))
            outcome, detail = "allow", "connected"
        except socket.timeout:
            outcome, detail = "deny", "timeout"
        except ConnectionRefusedError:
            outcome, detail = "deny", "refused"
        except OSError as exc:
            outcome, detail = "deny", exc.strerror or str(exc)
        finally:
            sock.close()
    else:
        sock = socket.socket(family, socket.SOCK_DGRAM)
        sock.settimeout(timeout)
        try:
            sock.connect((item["to"], item["port"]))
            sock.send(udp_payload(item["port"]))
            sock.recv(2048)
            outcome, detail = "allow", "reply"
        except socket.timeout:
            outcome, detail = "deny", "timeout"
        except ConnectionRefusedError:
            outcome, detail = "deny", "unreachable"
        except OSError as exc:
            outcome, detail = "deny", exc.strerror or str(exc)
        finally:
            sock.close()
    return dict(item, outcome=outcome, detail=detail, ms=int((time.monotonic() - started) * 1000))


def listen(request):
    """Bind the requested ports, say 'ready', answer until stdin closes or the time is up."""
    selector = selectors.DefaultSelector()
    bound = []
    for proto, port in request["listen"]:
        kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
        sock = socket.socket(socket.AF_INET, kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            sock.close()  # a real service holds it already (sshd on 22)
            continue
        if proto == "tcp":
            sock.listen(128)
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, proto)
        bound.append(sock)
    selector.register(sys.stdin, selectors.EVENT_READ, "stdin")
    sys.stdout.write("ready %d\n" % len(bound))
    sys.stdout.flush()
    deadline = time.monotonic() + float(request.get("seconds", 60))
    while time.monotonic() < deadline:
        for key, _mask in selector.select(timeout=0.5):
            if key.data == "stdin":
                return
            sock = key.fileobj
            try:
                if key.data == "tcp":
                    conn, _peer = sock.accept()
                    conn.close()
                else:
                    data, peer = sock.recvfrom(2048)
                    sock.sendto(b"echo:" + data[:512], peer)
            except OSError:
                continue


def main():
    if sys.argv[1:] == ["--listen"]:
        listen(json.loads(sys.stdin.readline()))
        return
    request = json.load(sys.stdin)
    timeout = float(request.get("timeout", 1.0))
    probes = request["probes"]
    with ThreadPoolExecutor(max_workers=min(MAX_THREADS, max(1, len(probes)))) as pool:
        results = list(pool.map(lambda p: probe(p, timeout), probes))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
