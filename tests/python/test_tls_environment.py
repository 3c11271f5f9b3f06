"""SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE with trustbundle's TLS path.

How each is honoured (bindings/python/README.md): a CA file a library hands
the context (requests passes REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE, httpx
SSL_CERT_FILE or SSL_CERT_DIR) is added as extra CAs; OpenSSL's own reading
of SSL_CERT_FILE/SSL_CERT_DIR (the system store) counts only with
system=True. Each variable is pointed at the test root here, so what it adds
is visible: the server is accepted only if the variable was honoured.
"""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

import trustbundle
import trustbundle.adapters


@pytest.fixture
def root_dir(pki: Path, tmp_path: Path) -> Path:
    """A CA directory as c_rehash makes them: the test root, also under its subject hash."""
    (tmp_path / "root.pem").write_bytes((pki / "root.pem").read_bytes())
    subject_hash = subprocess.run(["openssl", "x509", "-subject_hash", "-noout", "-in", str(pki / "root.pem")],
                                  check=True, capture_output=True, text=True).stdout.strip()
    (tmp_path / f"{subject_hash}.0").write_bytes((pki / "root.pem").read_bytes())
    return tmp_path


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_requests_bundle_variables_add_cas(variable: str, url: str, pki: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, str(pki / "root.pem"))
    trustbundle.inject_into_ssl()
    assert requests.get(url, timeout=10).status_code == 200
    trustbundle.extract_from_ssl()
    with requests.Session() as session:
        session.mount("https://", trustbundle.adapters.TrustbundleAdapter())
        assert session.get(url, timeout=10).status_code == 200


def test_requests_injected_with_every_variable_at_the_system_bundle(url: str, pki: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """As on this project's machines (the Debian bundle): injection still decides, with the core."""
    system_bundle = ssl.get_default_verify_paths().openssl_cafile
    for variable in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.setenv(variable, system_bundle)
    monkeypatch.setenv("SSL_CERT_DIR", ssl.get_default_verify_paths().openssl_capath)
    trustbundle.inject_into_ssl()
    with pytest.raises(requests.exceptions.SSLError) as info:
        requests.get(url, timeout=10)  # the test root is in no system bundle
    assert trustbundle.verification_error(info.value).reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    trustbundle.extract_from_ssl()
    trustbundle.inject_into_ssl(extra_ca=str(pki / "root.pem"))
    assert requests.get(url, timeout=10).status_code == 200


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_httpx_passes_ssl_cert_variables_which_add_cas(variable: str, url: str, root_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, str(root_dir / "root.pem" if variable == "SSL_CERT_FILE" else root_dir))
    trustbundle.inject_into_ssl()
    with httpx.Client(timeout=10) as client:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_the_system_store_counts_only_with_system_true(variable: str, tls_server: Any, handshake: Any,
                                                      root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, str(root_dir / "root.pem" if variable == "SSL_CERT_FILE" else root_dir))
    context = trustbundle.create_default_context()
    context.load_default_certs()
    context.set_default_verify_paths()  # OpenSSL's default paths: not trusted by a trustbundle client
    with pytest.raises(trustbundle.VerificationError):
        handshake(context, tls_server.port)
    assert handshake(trustbundle.create_default_context(system=True), tls_server.port)
