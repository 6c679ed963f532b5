# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Catch-all responder of a fake internet host.

Redirects every TCP and UDP port of its namespace (except the ports real
servers hold, given as --except tcp/3478,udp/123) to one TCP and one UDP
socket, and answers there: a TCP connection gets one line, a UDP datagram
is echoed.  So any port the page names is "listening" on the fake
internet, and only the firewall under test decides what gets through.
Runs inside the lab host's own namespaces, started by its init.
"""

import argparse
import selectors
import socket
import subprocess

PORT = 7000


def install_redirect(reserved):
    rules = []
    for proto in ("tcp", "udp"):
        held = sorted(set(int(p.split("/")[1]) for p in reserved if p.startswith(proto + "/")))
        skip = (" %s dport != { %s }" % (proto, ", ".join(str(p) for p in held))) if held else ""
        rules.append("meta l4proto %s%s redirect to :%d" % (proto, skip, PORT))
    ruleset = ("table ip lab_responder {\n chain prerouting {\n  type nat hook prerouting priority dstnat;\n  %s\n }\n}\n"
               % "\n  ".join(rules))
    subprocess.run(["/usr/sbin/nft", "-f", "-"], input=ruleset, text=True, check=True)


def listen():
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("0.0.0.0", PORT))
    tcp.listen(512)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("0.0.0.0", PORT))
    return tcp, udp


def serve(tcp, udp):
    selector = selectors.DefaultSelector()
    selector.register(tcp, selectors.EVENT_READ, "tcp")
    selector.register(udp, selectors.EVENT_READ, "udp")
    while True:
        for key, _mask in selector.select():
            if key.data == "tcp":
                conn, _peer = tcp.accept()
                try:
                    conn.sendall(b"lab-responder\n")
                except OSError:
                    pass
                conn.close()
            else:
                data, peer = udp.recvfrom(2048)
                udp.sendto(b"echo:" + data[:512], peer)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--except", dest="reserved", default="none")
    parser.add_argument("--ready-file", help="written once every port answers")
    args = parser.parse_args()
    # Listen first, then redirect: a probe must never meet the redirect without the socket.
    tcp, udp = listen()
    install_redirect([] if args.reserved == "none" else args.reserved.split(","))
    if args.ready_file:
        with open(args.ready_file, "w") as handle:
            handle.write("ready\n")
    serve(tcp, udp)


if __name__ == "__main__":
    main()
