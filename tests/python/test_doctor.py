"""``python -m trustbundle doctor`` and ``trustbundle._doctor.diagnose``: the core's
probe through the C ABI, against real servers on 127.0.0.1 started here.

The report is rendered by the core, so it is the same text the
``trustbundle doctor`` command prints (tests/doctor checks the command).
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest
from cryptography import x509

from trustbundle._doctor import Diagnosis, diagnose

from conftest import TLSServer


def _doctor(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trustbundle", "doctor", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def _target(port: int) -> str:
    return f"127.0.0.1:{port}"


# ------------------------------------------------------------- the command

def test_good_chain_with_the_root_as_extra_ca(tls_server: TLSServer, pki: Path) -> None:
    r = _doctor(_target(tls_server.port), "--servername", "localhost", "--extra-ca", str(pki / "root.pem"))
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "OK: the chain verifies for 'localhost' up to 'Test Root CA'"
    served = x509.load_pem_x509_certificate((pki / "server-localhost" / "leaf.pem").read_bytes())
    days = f"{served.not_valid_before_utc:%Y-%m-%d}..{served.not_valid_after_utc:%Y-%m-%d}"
    assert any(line.startswith(f"  #0 localhost | issuer Test Intermediate CA | {days} | RSA 2048 |")
               for line in lines), r.stdout
    assert any(line.startswith("  #1 Test Intermediate CA | issuer Test Root CA |") for line in lines)
    assert lines[-1] == "fix: nothing to fix"

    j = json.loads(_doctor(_target(tls_server.port), "--servername", "localhost", "--extra-ca",
                           str(pki / "root.pem"), "--json").stdout)
    assert (j["verdict"], j["reason"], j["failure"]) == ("OK", "OK", "NONE")
    assert [c["name"] for c in j["chain"]] == ["localhost", "Test Intermediate CA"]
    assert j["fix"] == {"client": "", "server": ""}


def test_unknown_root_names_the_extra_ca_fix(tls_server: TLSServer) -> None:
    r = _doctor(_target(tls_server.port), "--servername", "localhost")
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout.startswith("REJECTED (UNABLE_TO_GET_ISSUER_CERT_LOCALLY): ")
    assert "UNKNOWN_ROOT" in r.stdout
    assert "TRUSTBUNDLE_EXTRA_CA_CERTS=/path/to/root.pem" in r.stdout and "--extra-ca" in r.stdout

    j = json.loads(_doctor(_target(tls_server.port), "--servername", "localhost", "--json").stdout)
    assert (j["verdict"], j["reason"]) == ("REJECTED", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY")
    assert "UNKNOWN_ROOT" in [f["code"] for f in j["findings"]]
    assert "TRUSTBUNDLE_EXTRA_CA_CERTS=" in j["fix"]["client"]


def test_diagnose_fixes_name_pythons_options(tls_server: TLSServer) -> None:
    """diagnose() is Python: its fixes say extra_ca=, not the tool's --extra-ca."""
    d = diagnose(_target(tls_server.port), servername="localhost")
    assert d.reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    assert 'extra_ca="/path/to/root.pem"' in d.fix_client and "--extra-ca" not in d.fix_client
    assert "extra_ca=" in d.text and "--extra-ca" not in d.text


def test_extra_ca_from_the_environment(tls_server: TLSServer, pki: Path) -> None:
    env = dict(os.environ, TRUSTBUNDLE_EXTRA_CA_CERTS=str(pki / "root.pem"))
    r = _doctor(_target(tls_server.port), "--servername", "localhost", env=env)
    assert r.returncode == 0, r.stdout


def test_nothing_listens_is_unreachable_with_the_cause(free_port: int) -> None:
    r = _doctor(_target(free_port), "--timeout", "5")
    assert r.returncode == 2
    assert r.stdout.startswith("UNREACHABLE (CONNECTION_REFUSED): connection refused by ")
    j = json.loads(_doctor(_target(free_port), "--json").stdout)
    assert (j["verdict"], j["failure"], j["reason"]) == ("UNREACHABLE", "CONNECTION_REFUSED", None)


def test_plain_http_on_the_port(plain_http_port: int) -> None:
    r = _doctor(_target(plain_http_port), "--timeout", "5")
    assert r.returncode == 2
    assert r.stdout.startswith('UNREACHABLE (PLAIN_HTTP): the port answered in plain HTTP ("HTTP/1.0 400')
    assert "http://" in r.stdout


def test_bad_usage_exits_two_with_one_line() -> None:
    for args in (["127.0.0.1:70000"], ["127.0.0.1", "--timeout", "0"], ["127.0.0.1", "--key", "k.pem"]):
        r = _doctor(*args)
        assert r.returncode == 2, args
        assert r.stdout == "" and r.stderr.count("\n") == 1, r.stderr


# ------------------------------------------------------------------ mTLS

@pytest.fixture(scope="module")
def mtls_server(pki: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TLSServer]:
    """HTTPS on 127.0.0.1 that requires a client certificate from the test PKI."""
    cas = tmp_path_factory.mktemp("mtls") / "cas.pem"
    cas.write_bytes((pki / "root.pem").read_bytes() + (pki / "intermediate.pem").read_bytes())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki / "server-localhost" / "fullchain.pem", pki / "server-localhost" / "leaf.key")
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cas)
    server = TLSServer(context)
    thread = threading.Thread(target=server.serve_forever, name="mtls-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_client_certificate_required_then_given(mtls_server: TLSServer, pki: Path) -> None:
    root = str(pki / "root.pem")
    r = _doctor(_target(mtls_server.port), "--extra-ca", root)
    assert r.returncode == 1, r.stdout
    assert r.stdout.startswith("REJECTED (CLIENT_CERT): the server requires a client certificate")
    assert "--cert" in r.stdout

    d = diagnose(_target(mtls_server.port), extra_ca=root)
    assert (d.verdict, d.failure, d.reason, d.client_cert_requested) == ("REJECTED", "CLIENT_CERT", "OK", True)
    assert "CLIENT_CERT_REQUIRED" in [f.code for f in d.findings]

    r = _doctor(_target(mtls_server.port), "--extra-ca", root, "--cert", str(pki / "mtls" / "client.pem"),
                "--key", str(pki / "mtls" / "client.key"))
    assert r.returncode == 0, r.stdout
    assert "client certificate requested, 'Test Client' offered" in r.stdout


# ------------------------------------------------------------------- API

def test_diagnose_returns_the_core_report(tls_server: TLSServer, pki: Path) -> None:
    d = diagnose(f"https://127.0.0.1:{tls_server.port}/some/path", servername="localhost", extra_ca=pki / "root.pem")
    assert isinstance(d, Diagnosis)
    assert d.ok and d.exit_code == 0 and d.reason == "OK" and d.failure == "NONE"
    assert d.protocol is not None and d.protocol.startswith("TLSv1.")
    assert [c.key_type for c in d.chain] == ["RSA", "EC"]
    assert d.chain[0].subject == "CN=localhost O=trustbundle test PKI"
    served = x509.load_pem_x509_certificate((pki / "server-localhost" / "leaf.pem").read_bytes())
    assert d.chain[0].not_before == served.not_valid_before_utc and d.chain[0].key_bits == 2048
    assert [f.code for f in d.findings] == ["EXTRA_CA_ANCHOR"] and d.findings[0].severity == "info"
    assert d.as_dict()["chain"][0]["sha256"] == d.chain[0].sha256
    # The command prints the core's text too: its flags where diagnose() names its options.
    assert 'extra_ca="..."' in d.text
    r = _doctor(_target(tls_server.port), "--servername", "localhost", "--extra-ca", str(pki / "root.pem"))
    assert r.stdout == d.text.replace(f"https://127.0.0.1:{tls_server.port}/some/path", _target(tls_server.port)
                                      ).replace('extra_ca="..."', "--extra-ca ...")


def test_diagnose_rejects_bad_arguments(pki: Path) -> None:
    import trustbundle

    with pytest.raises(ValueError):
        diagnose("127.0.0.1", timeout=0)
    with pytest.raises(TypeError):
        diagnose("127.0.0.1", timeout="5")  # type: ignore[arg-type]
    with pytest.raises(trustbundle.ArgumentError):
        diagnose("127.0.0.1:notaport")
    with pytest.raises(trustbundle.PassphraseError):
        diagnose("127.0.0.1:1", cert=pki / "mtls" / "client.pem", key=pki / "mtls" / "client-encrypted.key")


# -------------------------------------------------------------- fixtures

@pytest.fixture()
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def plain_http_port() -> Iterator[int]:
    """Answers anything with an HTTP 400 at once, as nginx does to a TLS ClientHello."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    conn.recv(4096)
                    conn.sendall(b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        listener.close()
