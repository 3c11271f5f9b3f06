#!/usr/bin/env python3
"""trustbundle (Python) against its anchor, certifi, measured side by side in one run.

    python bench/python/bench_trustbundle.py [--quick]

Needs trustbundle, certifi and cryptography (for the test PKI) installed in the
running interpreter; ci/test-python's venv (build/python-venv) has them all.
Prints one table of ratios; it is a benchmark, not a test, and always exits 0
unless something could not be measured.

1. Context creation, warm (the process already made one SSLContext):
   trustbundle.create_default_context() vs
   ssl.create_default_context(cafile=certifi.where()). Target: >= 20x faster.
2. Context + first verified handshake with a local TLS server (a separate
   process on 127.0.0.1 serving the test PKI's server-localhost chain). Both
   sides add the test root (trustbundle: extra_ca=; certifi:
   load_verify_locations(cadata=)). Target: >= 5x faster.
3. Whole process: `python -c "import trustbundle; trustbundle.where()"` vs
   `python -c "import certifi; certifi.where()"`. Target: <= 1.25x the time.
"""

from __future__ import annotations

import argparse
import os
import socket
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
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
while True:
    conn, _ = srv.accept()
    try:
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.recv(1)
    except (OSError, ssl.SSLError):
        pass
"""


def median_ms(fn: Callable[[], object], n: int) -> float:
    times: List[float] = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def process_ms(code: str, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer iterations")
    args = parser.parse_args()
    scale = 0.3 if args.quick else 1.0

    import certifi
    import trustbundle

    rows = []

    # 1. context creation, warm
    ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # OpenSSL's one-time initialisation, paid by neither side
    trustbundle.create_default_context()
    ssl.create_default_context(cafile=certifi.where())
    ours = median_ms(trustbundle.create_default_context, int(300 * scale))
    theirs = median_ms(lambda: ssl.create_default_context(cafile=certifi.where()), int(40 * scale))
    rows.append(("context creation (warm, median)", ours, theirs, theirs / ours, ">= 20x faster",
                 theirs / ours >= 20))

    # 2. context + first verified handshake against a local server
    with tempfile.TemporaryDirectory(prefix="tbpy-bench-") as tmp:
        pki = Path(tmp) / "pki"
        subprocess.run([sys.executable, str(REPO / "tests" / "pki" / "generate.py"), str(pki)], check=True,
                       stdout=subprocess.DEVNULL)
        root_pem = (pki / "root.pem").read_text("ascii")
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(pki / "server-localhost" / "fullchain.pem"),
                                   str(pki / "server-localhost" / "leaf.key")], stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline())

            def handshake(ctx: ssl.SSLContext) -> None:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                    with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                        tls.sendall(b"x")

            def with_trustbundle() -> None:
                handshake(trustbundle.create_default_context(extra_ca=root_pem))

            def with_certifi() -> None:
                ctx = ssl.create_default_context(cafile=certifi.where())
                ctx.load_verify_locations(cadata=root_pem)
                handshake(ctx)

            with_trustbundle()
            with_certifi()
            ours = median_ms(with_trustbundle, int(150 * scale))
            theirs = median_ms(with_certifi, int(40 * scale))
        finally:
            server.kill()
            server.wait()
    rows.append(("context + first verified handshake", ours, theirs, theirs / ours, ">= 5x faster",
                 theirs / ours >= 5))

    # 3. whole process
    n = int(30 * scale)
    process_ms("pass", 3)
    ours_p, theirs_p = [], []
    for _ in range(n):  # interleaved, so drift hits both sides alike
        ours_p.append(process_ms("import trustbundle; trustbundle.where()", 1))
        theirs_p.append(process_ms("import certifi; certifi.where()", 1))
    ours, theirs = statistics.median(ours_p), statistics.median(theirs_p)
    bare = process_ms("pass", n)
    rows.append(("process: import + where()", ours, theirs, ours / theirs, "<= 1.25x the time",
                 ours / theirs <= 1.25))

    print(f"trustbundle {trustbundle.library_version()} (bundle {trustbundle.bundle_version()}), "
          f"certifi {certifi.__version__}, Python {sys.version.split()[0]}, {ssl.OPENSSL_VERSION}, "
          f"{os.cpu_count()} CPUs")
    print()
    print(f"{'benchmark':38} {'trustbundle':>12} {'certifi':>10} {'ratio':>8}  {'target':18} met")
    for name, a, b, ratio, target, met in rows:
        print(f"{name:38} {a:9.3f} ms {b:7.3f} ms {ratio:7.2f}x  {target:18} {'yes' if met else 'NO'}")
    print()
    print(f"(an empty `python -c pass` takes {bare:.1f} ms here; ratios 1-2 are certifi's time over "
          f"trustbundle's, ratio 3 is trustbundle's over certifi's)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
