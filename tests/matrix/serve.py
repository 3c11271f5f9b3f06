#!/usr/bin/env python3
"""Real HTTPS servers on 127.0.0.1 for the real-client matrix.

    python3 tests/matrix/serve.py PKI_DIR

PKI_DIR is what tests/pki/generate.py wrote. Starts one HTTPS server per
scenario of tests/matrix/scenarios.json, each sending exactly
PKI_DIR/<served> (leaf first, in that order) and answering every GET with
200 and the body "ok <scenario>\\n" (HTTP/1.1, keep-alive). Servers of
scenarios with "require_client_cert" demand a client certificate issued
under the test root.

Prints one JSON line once every server listens:

    {"ports": {"<scenario>": port, ...}, "control": port}

"control" is a plain-HTTP server on 127.0.0.1: GET /requests answers a JSON
object counting, per scenario, the HTTP requests its TLS server received. A
client that rejects a chain must send nothing over that connection, so a
test reads the count before and after a rejected request and asserts it did
not move. Serves until standard input closes (so it never outlives the test
that started it), then exits 0.
"""

import http.server
import json
import os
import socket
import ssl
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
CONNECTION_TIMEOUT = 10  # seconds a connection may stall (handshake included)
REQUESTS = {}  # scenario -> HTTP requests received over its TLS server
COUNT_LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        self.request.settimeout(CONNECTION_TIMEOUT)
        super().setup()

    def do_GET(self):
        with COUNT_LOCK:
            REQUESTS[self.server.scenario] += 1
        body = f"ok {self.server.scenario}\n".encode("ascii")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class ControlHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path != "/requests":
            self.send_error(404)
            return
        with COUNT_LOCK:
            body = json.dumps(REQUESTS).encode("ascii")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that reject the chain abort the handshake: that is the point.
        pass


def tls_context(pki, scenario):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(pki, scenario["served"]),
                            os.path.join(pki, os.path.dirname(scenario["served"]), "key.pem"))
    if scenario.get("require_client_cert"):
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(os.path.join(pki, "root.pem"))
        context.load_verify_locations(os.path.join(pki, "intermediate.pem"))
    return context


def start(pki, scenario):
    server = Server(("127.0.0.1", 0), Handler, bind_and_activate=True)
    server.scenario = scenario["name"]
    # The handshake runs in the connection's thread, on its first read, so a
    # stalled client never blocks accept().
    server.socket = tls_context(pki, scenario).wrap_socket(server.socket, server_side=True,
                                                           do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: serve.py PKI_DIR\n")
        return 2
    with open(os.path.join(HERE, "scenarios.json"), encoding="utf-8") as f:
        scenarios = json.load(f)["scenarios"]
    for s in scenarios:
        REQUESTS[s["name"]] = 0
    servers = {s["name"]: start(argv[1], s) for s in scenarios}
    control = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ControlHandler)
    control.daemon_threads = True
    threading.Thread(target=control.serve_forever, daemon=True).start()
    ports = {name: srv.server_address[1] for name, srv in servers.items()}
    sys.stdout.write(json.dumps({"ports": ports, "control": control.server_address[1]}) + "\n")
    sys.stdout.flush()
    sys.stdin.read()  # until the test closes our standard input or exits
    for srv in [*servers.values(), control]:
        srv.shutdown()
    return 0


if __name__ == "__main__":
    socket.setdefaulttimeout(None)
    sys.exit(main(sys.argv))
