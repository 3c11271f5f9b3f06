"""Shared fixtures: a fresh test PKI, the shared vectors, a TLS server on 127.0.0.1.

The tests exercise the *installed* trustbundle package (ci/test-python builds
and installs it into a venv first); nothing here imports bindings/python.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors" / "verify.json"
PKI_GENERATOR = REPO / "tests" / "pki" / "generate.py"

# Keep every test (and the subprocesses they start) out of the user's real
# cache: where() from a zipapp and capath exports write there.
_CACHE = tempfile.mkdtemp(prefix="tbpy-cache-")
os.environ["TRUSTBUNDLE_CACHE_DIR"] = _CACHE
# A CA variable inherited from the caller would change every verdict.
os.environ.pop("TRUSTBUNDLE_EXTRA_CA_CERTS", None)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    return Path(_CACHE)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly generated test PKI (tests/pki/generate.py; fresh keys every run)."""
    out = tmp_path_factory.mktemp("pki")
    # TRUSTBUNDLE_PKI_PYTHON: an interpreter with the generator's requirements,
    # for suites run on a Python that has none (ci/test-python's 3.8 run).
    python = os.environ.get("TRUSTBUNDLE_PKI_PYTHON", sys.executable)
    subprocess.run([python, str(PKI_GENERATOR), str(out)], check=True, stdout=subprocess.DEVNULL)
    return out


@pytest.fixture(scope="session")
def matrix_server(pki: Path) -> Iterator[dict]:
    """tests/matrix/serve.py on the session's PKI: {"ports": {scenario: port}, "control": port}."""
    server = subprocess.Popen([sys.executable, str(REPO / "tests" / "matrix" / "serve.py"), str(pki)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield json.loads(server.stdout.readline())
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def requests_received(server: dict) -> dict:
    """The matrix server's per-scenario count of HTTP requests received."""
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{server['control']}/requests", timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture(scope="session")
def vectors() -> dict:
    with open(VECTORS, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No inherited CA or proxy settings: they would change what the clients trust or reach."""
    for name in ("TRUSTBUNDLE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE",
                 "SSL_CERT_DIR", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def _never_leave_injected() -> Iterator[None]:
    yield
    import trustbundle

    trustbundle.extract_from_ssl()


# ------------------------------------------------------------ TLS server

class _Handler(http.server.BaseHTTPRequestHandler):
    BODY = b"hello from the trustbundle test server\n"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(self.BODY)))
        self.end_headers()
        self.wfile.write(self.BODY)

    def log_message(self, format: str, *args: object) -> None:
        pass


class TLSServer(http.server.ThreadingHTTPServer):
    """HTTPS on 127.0.0.1; the handshake runs in the request thread, so a
    client that rejects the certificate never blocks the accept loop."""

    daemon_threads = True

    def __init__(self, context: ssl.SSLContext, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.context = context

    def get_request(self):  # type: ignore[no-untyped-def]
        sock, addr = self.socket.accept()
        sock.settimeout(10)
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # clients that reject the certificate abort the handshake: expected here

    @property
    def port(self) -> int:
        return self.server_address[1]


@pytest.fixture(scope="session")
def tls_server(pki: Path) -> Iterator[TLSServer]:
    """A real HTTPS server on 127.0.0.1 serving server-localhost (leaf + intermediate)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki / "server-localhost" / "fullchain.pem", pki / "server-localhost" / "leaf.key")
    server = TLSServer(context)
    thread = threading.Thread(target=server.serve_forever, name="tls-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def url(tls_server: TLSServer) -> str:
    return f"https://localhost:{tls_server.port}/"


def _handshake(context: ssl.SSLContext, port: int, server_hostname: str = "localhost") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
            der = tls.getpeercert(binary_form=True)
            assert der is not None
            return der


@pytest.fixture(scope="session")
def handshake():  # type: ignore[no-untyped-def]
    """handshake(context, port, server_hostname="localhost") -> DER leaf: a verified
    TLS handshake with 127.0.0.1:port through `context`."""
    return _handshake
