# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fake Genesys Cloud API of the lab: the two endpoints the collection's feed lookup speaks, over HTTPS.

As the vendor's SDKs document them: ``POST /oauth/token`` (HTTP Basic with
the client id and secret, form body ``grant_type=client_credentials``)
answers ``{access_token, token_type, expires_in}`` or 401 with ``error`` and
``error_description``; ``GET /api/v2/ipranges`` with ``Authorization: Bearer``
answers ``{"entities": [{cidr, service, region, direction}]}``, or 401.
Standard library only (it runs on the machine's Python inside a lab host).

Each client id of the lab has a behaviour, so a test picks one by its credentials:
``lab-client`` answers normally, ``lab-5xx`` gets 503 for the listing, ``lab-slow``
waits before answering, ``lab-truncated`` gets a body cut short of its
Content-Length.  Every client's secret is ``lab-secret``.  Each request is
logged, one JSON line (method, path, client), to --log.
"""

import argparse
import base64
import http.server
import json
import socketserver
import ssl
import time

SECRET = "lab-secret"
CLIENTS = ("lab-client", "lab-5xx", "lab-slow", "lab-truncated")
SLOW_SECONDS = 5
# What the listing answers: lab addresses (and a documentation IPv6 block), every direction, one entry
# without a direction as older answers have.
ENTITIES = [
    {"cidr": "203.0.113.70/32", "service": "api", "region": "{region}", "direction": "inbound"},
    {"cidr": "203.0.113.71/32", "service": "api", "region": "{region}", "direction": "inbound"},
    {"cidr": "203.0.113.80/29", "service": "data-actions", "region": "{region}", "direction": "outbound"},
    {"cidr": "203.0.113.88/30", "service": "smtp", "region": "{region}", "direction": "outbound"},
    {"cidr": "2001:db8:70::/48", "service": "audiohook", "region": "{region}", "direction": "both"},
    {"cidr": "203.0.113.90/31", "service": "bot-connector", "region": "{region}"},
]


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def handler(region, log):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # the JSON log below instead
            pass

        def _log(self, client):
            with open(log, "a") as handle:
                handle.write(json.dumps({"method": self.command, "path": self.path, "client": client}) + "\n")

        def _answer(self, status, body, length=None):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(length or len(data)))
            self.end_headers()
            self.wfile.write(data[:len(data) // 2] if length else data)

        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            form = self.rfile.read(length).decode()
            client, _sep, secret = "", "", ""
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                client, _sep, secret = base64.b64decode(auth[6:]).decode().partition(":")
            self._log(client)
            if self.path != "/oauth/token":
                return self._answer(404, {"message": "no such path", "status": 404})
            if form != "grant_type=client_credentials" or \
                    self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                return self._answer(400, {"error": "invalid_request", "error_description": "bad grant"})
            if client not in CLIENTS or secret != SECRET:
                return self._answer(401, {"error": "invalid_client", "error_description": "authentication failed"})
            return self._answer(200, {"access_token": "token-%s" % client, "token_type": "bearer",
                                      "expires_in": 86400})

        def do_GET(self):  # noqa: N802
            auth = self.headers.get("Authorization", "")
            client = auth[len("Bearer token-"):] if auth.startswith("Bearer token-") else ""
            self._log(client)
            if self.path != "/api/v2/ipranges":
                return self._answer(404, {"message": "no such path", "status": 404})
            if client not in CLIENTS:
                return self._answer(401, {"message": "Invalid login credentials.", "code": "bad.credentials",
                                          "status": 401})
            if client == "lab-5xx":
                return self._answer(503, {"message": "Service unavailable", "status": 503})
            if client == "lab-slow":
                time.sleep(SLOW_SECONDS)
            entities = [dict(e, region=region) if "region" in e else e for e in ENTITIES]
            body = {"entities": entities}
            if client == "lab-truncated":
                return self._answer(200, body, length=len(json.dumps(body)) + 40)
            return self._answer(200, body)

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", required=True)
    parser.add_argument("--port", type=int, default=443)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    server = Server((args.address, args.port), handler(args.region, args.log))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
