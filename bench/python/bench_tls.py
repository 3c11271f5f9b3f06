#!/usr/bin/env python3
"""Verified HTTPS through trustbundle's context against the stdlib's, in one run (issue 16).

    python bench/python/bench_tls.py [--quick]

Needs trustbundle and cryptography (for the test PKI) in the running
interpreter; ci/test-python's venv (build/python-venv) has both. A real
HTTPS server on 127.0.0.1 (a separate process serving the test PKI's
server-localhost chain: leaf + intermediate under the test root) answers
GET / with one write (so TCP's delayed ACK does not dominate the timings).

- anchor: ssl.create_default_context() with its default roots (the system
  store: SSL_CERT_FILE/SSL_CERT_DIR or OpenSSL's defaults), plus the test
  root (load_verify_locations) so that it connects; OpenSSL verifies.
- trustbundle: trustbundle.create_default_context(extra_ca=<test root>); the
  core verifies every connection after the handshake.

1. First verified HTTPS request: in a fresh process (imports done), context
   creation + connect + handshake + verification + GET + response. Median of
   fresh processes, alternating. Target: <= 1.2x.
2. Later connections: one warm context per side, each new connection
   (connect + handshake + verification + GET + response). Median. Target: <= 1.1x.

A benchmark, not a test: it prints and exits 0 unless something could not be measured.
"""

from __future__ import annotations

import argparse
import http.client
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, List

REPO = Path(__file__).resolve().parents[2]

SERVER = r"""
import socket, ssl, sys, threading
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
def serve(conn):
    try:
        with ctx.wrap_socket(conn, server_side=True) as tls:
            while b"\r\n\r\n" not in tls.recv(4096):
                pass
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nok good\n")
    except (OSError, ssl.SSLError):
        pass
while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
"""

FIRST = r"""
import http.client, ssl, sys, time
import trustbundle  # cheap: no ssl, no native module (the context creation loads it, timed)
kind, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t0 = time.perf_counter()
if kind == "trustbundle":
    ctx = trustbundle.create_default_context(extra_ca=root)
else:
    ctx = ssl.create_default_context()
    ctx.load_verify_locations(cafile=root)
conn = http.client.HTTPSConnection("localhost", port, context=ctx, timeout=10)
conn.request("GET", "/")
body = conn.getresponse().read()
t1 = time.perf_counter()
assert body == b"ok good\n", body
print((t1 - t0) * 1000)
"""


def request(context: ssl.SSLContext, port: int) -> None:
    conn = http.client.HTTPSConnection("localhost", port, context=context, timeout=10)
    conn.request("GET", "/")
    body = conn.getresponse().read()
    conn.close()
    assert body == b"ok good\n", body


def first_ms(kind: str, port: int, root: str) -> float:
    out = subprocess.run([sys.executable, "-c", FIRST, kind, str(port), root], check=True,
                         capture_output=True, text=True).stdout
    return float(out)


def median_ms(fn: Callable[[], object], n: int) -> float:
    times: List[float] = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args()
    runs, conns = (7, 50) if args.quick else (21, 300)

    import trustbundle

    with tempfile.TemporaryDirectory(prefix="tb-bench-tls-") as pki:
        subprocess.run([sys.executable, str(REPO / "tests" / "pki" / "generate.py"), pki], check=True,
                       stdout=subprocess.DEVNULL)
        root = os.path.join(pki, "root.pem")
        server = subprocess.Popen([sys.executable, "-c", SERVER, os.path.join(pki, "server-localhost", "fullchain.pem"),
                                   os.path.join(pki, "server-localhost", "leaf.key")], stdout=subprocess.PIPE, text=True)
        try:
            port = int(server.stdout.readline())
            first = {"trustbundle": [], "stdlib": []}
            for _ in range(runs):
                for kind in first:
                    first[kind].append(first_ms(kind, port, root))
            ours = trustbundle.create_default_context(extra_ca=root)
            theirs = ssl.create_default_context()
            theirs.load_verify_locations(cafile=root)
            for ctx in (ours, theirs):
                for _ in range(5):
                    request(ctx, port)  # warm
            later_ours: List[float] = []
            later_theirs: List[float] = []
            for _ in range(5):  # interleaved slices, so load changes hit both sides
                later_ours.append(median_ms(lambda: request(ours, port), conns // 5))
                later_theirs.append(median_ms(lambda: request(theirs, port), conns // 5))
        finally:
            server.kill()
            server.wait(timeout=30)

    rows = [
        ("first verified HTTPS request", statistics.median(first["trustbundle"]),
         statistics.median(first["stdlib"]), 1.2),
        ("later connections (each)", statistics.median(later_ours), statistics.median(later_theirs), 1.1),
    ]
    paths = ssl.get_default_verify_paths()
    print(f"trustbundle {trustbundle.library_version()}, Python {sys.version.split()[0]}, {ssl.OPENSSL_VERSION}")
    print(f"stdlib default roots: cafile={paths.cafile} capath={paths.capath}")
    print(f"{runs} fresh processes per kind; {conns} later connections per kind; load average "
          f"{os.getloadavg()[0]:.2f}")
    print()
    print(f"{'benchmark':32} {'trustbundle':>12} {'stdlib':>10} {'ratio':>8}  target  met")
    for name, a, b, target in rows:
        ratio = a / b
        print(f"{name:32} {a:9.3f} ms {b:7.3f} ms {ratio:7.2f}x  <= {target}x {'yes' if ratio <= target else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
