"""Real clients (requests, urllib, ssl) against a real TLS server on 127.0.0.1.

The server (conftest.tls_server) serves the test PKI's server-localhost chain
(leaf + Test Intermediate CA), anchored at Test Root CA, which is not one of
Mozilla's roots. So:

- Mozilla's roots alone (where(), create_default_context()) must reject it,
  and the error must say why (unable to get the local issuer);
- with Test Root CA as an extra CA it must be accepted. trustbundle's
  where() is Mozilla's bundle, exactly as certifi's, so the extra CA reaches
  requests one of two ways, both tested:
  1. requests with verify=trustbundle.where() after inject_into_ssl() and
     TRUSTBUNDLE_EXTRA_CA_CERTS: the injected ssl module serves a request for
     the Mozilla bundle file with trustbundle's roots plus the variable's CAs;
  2. a requests Session whose adapter uses
     create_default_context(extra_ca=...), with verify=trustbundle.where().
"""

from __future__ import annotations

import socket
import ssl
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import requests
import requests.adapters

import trustbundle


class ContextAdapter(requests.adapters.HTTPAdapter):
    """Hands a ready ssl.SSLContext to urllib3 (requests' documented extension point)."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self._context = context
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["ssl_context"] = self._context
        return super().init_poolmanager(*args, **kwargs)


# ------------------------------------------------------------ requests

def test_requests_where_without_the_extra_ca_fails_naming_the_reason(url: str) -> None:
    with pytest.raises(requests.exceptions.SSLError) as info:
        requests.get(url, verify=trustbundle.where(), timeout=10)
    message = str(info.value)
    assert "CERTIFICATE_VERIFY_FAILED" in message
    assert "unable to get local issuer certificate" in message  # UNABLE_TO_GET_ISSUER_CERT_LOCALLY


def test_requests_where_with_env_extra_ca_under_injection(url: str, pki: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(pki / "root.pem"))
    trustbundle.inject_into_ssl()
    r = requests.get(url, verify=trustbundle.where(), timeout=10)
    assert r.status_code == 200 and b"trustbundle test server" in r.content


def test_requests_session_with_create_default_context(url: str, pki: Path) -> None:
    session = requests.Session()
    session.mount("https://", ContextAdapter(trustbundle.create_default_context(extra_ca=pki / "root.pem")))
    r = session.get(url, verify=trustbundle.where(), timeout=10)
    assert r.status_code == 200
    bare = requests.Session()
    bare.mount("https://", ContextAdapter(trustbundle.create_default_context()))
    with pytest.raises(requests.exceptions.SSLError, match="unable to get local issuer certificate"):
        bare.get(url, timeout=10)


def test_inject_plain_requests_get_then_extract(url: str, pki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(pki / "root.pem"))
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url, timeout=10)  # certifi's bundle: no Test Root CA
    trustbundle.inject_into_ssl()
    assert trustbundle.is_injected()
    r = requests.get(url, timeout=10)  # no arguments at all
    assert r.status_code == 200
    trustbundle.extract_from_ssl()
    assert not trustbundle.is_injected()
    with pytest.raises(requests.exceptions.SSLError, match="unable to get local issuer certificate"):
        requests.get(url, timeout=10)


def test_injection_reads_the_variable_at_each_context(url: str, pki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trustbundle.inject_into_ssl()
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url, timeout=10)  # injected, but no extra CA yet: Mozilla only
    monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(pki / "root.pem"))
    assert requests.get(url, timeout=10).status_code == 200


def test_injection_adds_explicit_cas(url: str, pki: Path, tmp_path: Path) -> None:
    """A CA file requests passes is added to Mozilla's roots, never instead of them."""
    trustbundle.inject_into_ssl()
    other = tmp_path / "other-ca.pem"
    other.write_bytes((pki / "untrusted" / "root.pem").read_bytes())
    with pytest.raises(requests.exceptions.SSLError) as info:
        requests.get(url, verify=str(other), timeout=10)
    assert trustbundle.verification_error(info.value).reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    assert requests.get(url, verify=str(pki / "root.pem"), timeout=10).status_code == 200


def test_injection_errors_are_not_swallowed(tmp_path: Path, pki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(tmp_path / "gone.pem"))
    with pytest.raises(trustbundle.FileError, match="gone.pem"):
        trustbundle.inject_into_ssl()
    assert not trustbundle.is_injected()
    monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(pki / "root.pem"))
    trustbundle.inject_into_ssl()
    monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(tmp_path / "gone.pem"))
    with pytest.raises(trustbundle.FileError, match="gone.pem"):
        ssl.create_default_context()  # read at each new context


def test_inject_extract_restore_the_ssl_module() -> None:
    before = (ssl.SSLContext.__dict__.get("load_default_certs"), "load_verify_locations" in ssl.SSLContext.__dict__,
              ssl.SSLContext, ssl.create_default_context)
    trustbundle.inject_into_ssl()
    trustbundle.inject_into_ssl()  # idempotent
    trustbundle.extract_from_ssl()
    trustbundle.extract_from_ssl()  # idempotent
    after = (ssl.SSLContext.__dict__.get("load_default_certs"), "load_verify_locations" in ssl.SSLContext.__dict__,
             ssl.SSLContext, ssl.create_default_context)
    assert before == after


# -------------------------------------------------------- urllib and ssl

def test_urllib_with_create_default_context(url: str, pki: Path) -> None:
    context = trustbundle.create_default_context(extra_ca=pki / "root.pem")
    with urllib.request.urlopen(url, context=context, timeout=10) as response:
        assert response.status == 200
    with pytest.raises(urllib.error.URLError) as info:
        urllib.request.urlopen(url, context=trustbundle.create_default_context(), timeout=10)
    assert isinstance(info.value.reason, ssl.SSLCertVerificationError)
    assert info.value.reason.verify_code == 20  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY


def test_urllib_default_after_injection(url: str, pki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(pki / "root.pem"))
    trustbundle.inject_into_ssl()
    with urllib.request.urlopen(url, timeout=10) as response:  # ssl.create_default_context() inside
        assert response.status == 200


def test_create_default_context_matches_the_stdlib(pki: Path) -> None:
    ours = trustbundle.create_default_context()
    theirs = ssl.create_default_context()
    assert isinstance(ours, ssl.SSLContext) and isinstance(ours, trustbundle.TrustbundleContext)
    for attr in ("protocol", "verify_mode", "check_hostname", "minimum_version", "maximum_version"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    # The stdlib's options, plus no renegotiation (a new certificate after the core's check).
    assert ours.options == theirs.options | ssl.OP_NO_RENEGOTIATION
    server_side = trustbundle.create_default_context(ssl.Purpose.CLIENT_AUTH)
    assert server_side.protocol == ssl.PROTOCOL_TLS_SERVER
    assert not isinstance(server_side, trustbundle.TrustbundleContext)  # OpenSSL verifies client certificates
    # Nothing parsed into OpenSSL's store: the core holds the trust, and lazily.
    assert ours.cert_store_stats()["x509"] == 0
    assert trustbundle.create_default_context(extra_ca=pki / "root.pem").cert_store_stats()["x509"] == 0


def test_handshake_with_extra_ca_forms(tls_server, handshake, pki: Path) -> None:  # type: ignore[no-untyped-def]
    root = pki / "root.pem"
    leaf_der = ssl.PEM_cert_to_DER_cert((pki / "server-localhost" / "leaf.pem").read_text("ascii"))
    for extra in (root, str(root), root.read_bytes(), root.read_text("ascii"), [root]):
        context = trustbundle.create_default_context(extra_ca=extra)
        assert handshake(context, tls_server.port) == leaf_der
    assert handshake(trustbundle.create_default_context(extra_ca=root), tls_server.port, "127.0.0.1") == leaf_der


def test_hostname_mismatch_is_a_typed_failure(tls_server, handshake, pki: Path) -> None:  # type: ignore[no-untyped-def]
    context = trustbundle.create_default_context(extra_ca=pki / "root.pem")
    with pytest.raises(trustbundle.VerificationError) as info:
        handshake(context, tls_server.port, "wrong.example.test")
    assert info.value.verify_code == 62  # X509_V_ERR_HOSTNAME_MISMATCH
    assert (info.value.reason, info.value.depth) == ("HOSTNAME_MISMATCH", 0)
    assert info.value.hint in str(info.value)
    # The same chain through trustbundle.verify: the typed reason and a hint.
    chain = (pki / "server-localhost" / "fullchain.pem").read_bytes()
    with pytest.raises(trustbundle.VerificationError) as typed:
        trustbundle.verify(chain, "wrong.example.test", extra_ca=pki / "root.pem")
    assert (typed.value.reason, typed.value.depth) == ("HOSTNAME_MISMATCH", 0)
    assert "wrong.example.test" in typed.value.hint and "localhost" in typed.value.hint
    assert isinstance(typed.value, ssl.SSLCertVerificationError)


def test_verify_the_chain_the_server_sends(tls_server, pki: Path) -> None:  # type: ignore[no-untyped-def]
    """The leaf from a real handshake plus the intermediate the server sends."""
    unverified = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", tls_server.port), timeout=10) as raw:
        with unverified.wrap_socket(raw, server_hostname="localhost") as tls:
            leaf = tls.getpeercert(binary_form=True)
    assert leaf is not None
    sent = [leaf, (pki / "server-localhost" / "chain.pem").read_bytes()]
    assert len(trustbundle.verify(sent, "localhost", extra_ca=pki / "root.pem")) == 3
    with pytest.raises(trustbundle.VerificationError) as info:
        trustbundle.verify(sent, "localhost")
    assert (info.value.reason, info.value.depth) == ("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 1)


def test_create_default_context_system_store(tls_server, handshake, pki: Path,  # type: ignore[no-untyped-def]
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """system=True adds the system store (here SSL_CERT_FILE, pointed at the test root)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(pki / "root.pem"))
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(trustbundle.create_default_context(), tls_server.port)
    assert handshake(trustbundle.create_default_context(system=True), tls_server.port)
