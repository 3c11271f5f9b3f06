"""The TLS hook of trustbundle's client context, with the ssl module alone (runs on 3.8 to 3.13).

Against real servers on 127.0.0.1: conftest's tls_server (the test PKI's
server-localhost chain, anchored at Test Root CA) and the matrix servers.
What is checked: the core decides every connection (fresh, resumed, TLS 1.2
and 1.3, sockets and BIOs); no data moves before its verdict; bypassing the
hook fails the handshake; verification cannot be turned off; the error is
typed and picklable.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import pickle
import socket
import ssl
import sys
import types
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

import pytest

import trustbundle
from conftest import requests_received

GET = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def _get(context: ssl.SSLContext, port: int, host: str = "localhost", session: Any = None,
         handshake_on_connect: bool = True) -> types.SimpleNamespace:
    """GET / over a new connection; what the socket said, read before it closed."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        tls = context.wrap_socket(raw, server_hostname=host, session=session,
                                  do_handshake_on_connect=handshake_on_connect)
    except BaseException:
        raw.close()
        raise
    with tls:
        tls.sendall(GET)
        version, peercert = tls.version(), tls.getpeercert()
        data = b""
        while True:  # up to the end of the response: TLS 1.3 tickets arrive by then
            chunk = tls.recv(4096)
            if not chunk:
                break
            data += chunk
        assert data.startswith(b"HTTP/1.") and b" 200 " in data.split(b"\r\n")[0]
        return types.SimpleNamespace(version=version, peercert=peercert, session=tls.session,
                                     session_reused=tls.session_reused)


class CountingStore:
    """A Store that counts the verifications it is asked for."""

    def __init__(self, store: trustbundle.Store) -> None:
        self.store, self.calls = store, 0

    def verify(self, chain: Any, host: Optional[str]) -> Any:
        self.calls += 1
        return self.store.verify(chain, host)


@pytest.fixture
def root(pki: Path) -> str:
    return str(pki / "root.pem")


def test_the_context_reports_stdlib_client_settings(root: str) -> None:
    context = trustbundle.create_default_context(extra_ca=root)
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname is True
    assert context.protocol == ssl.PROTOCOL_TLS_CLIENT
    # The C-level context holds no root at all, whatever was added: only the hook can accept.
    context.load_verify_locations(root)
    assert context.cert_store_stats()["x509"] == 0 and context.get_ca_certs() == []


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3])
def test_accepts_what_the_core_accepts(tls_server: Any, root: str, version: ssl.TLSVersion) -> None:
    context = trustbundle.create_default_context(extra_ca=root)
    context.minimum_version = context.maximum_version = version
    tls = _get(context, tls_server.port)
    assert tls.version == {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version]
    assert tls.peercert["subject"]  # the stdlib's view is intact (urllib3 reads it)


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3])
def test_rejects_from_the_handshake_with_the_cores_reason(tls_server: Any, pki: Path,
                                                          version: ssl.TLSVersion) -> None:
    context = trustbundle.create_default_context()  # Mozilla's roots only: Test Root CA is unknown
    context.maximum_version = version
    with pytest.raises(trustbundle.VerificationError) as info:
        _get(context, tls_server.port)
    chain = (pki / "server-localhost" / "fullchain.pem").read_bytes()
    with pytest.raises(trustbundle.VerificationError) as direct:
        trustbundle.verify(chain, "localhost")
    e = info.value
    assert isinstance(e, ssl.SSLCertVerificationError)
    assert (e.reason, e.depth, e.hint) == (direct.value.reason, direct.value.depth, direct.value.hint)
    assert e.reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" and e.hint in str(e)


def test_bypassing_the_hook_fails_the_handshake(tls_server: Any, root: str) -> None:
    context = trustbundle.create_default_context(extra_ca=root)
    _get(context, tls_server.port)  # through the hook: accepted
    # A caller that reaches OpenSSL without the hook gets the C-level context:
    # verification on, no root, so the same server is refused.
    context._wrap_socket = lambda *a, **k: ssl._ssl._SSLContext._wrap_socket(context, *a, **k)
    with pytest.raises(ssl.SSLCertVerificationError) as info:
        _get(context, tls_server.port)
    assert not isinstance(info.value, trustbundle.VerificationError)
    assert info.value.verify_message == "unable to get local issuer certificate"


def test_no_data_before_the_verdict_even_on_an_implicit_handshake(pki: Path, matrix_server: Any) -> None:
    port = matrix_server["ports"]["expired"]
    context = trustbundle.create_default_context(extra_ca=str(pki / "root.pem"))
    before = requests_received(matrix_server)["expired"]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost", do_handshake_on_connect=False) as tls:
            with pytest.raises(trustbundle.VerificationError, match="CERT_HAS_EXPIRED"):
                tls.sendall(GET)  # OpenSSL would handshake inside SSL_write
            with pytest.raises(trustbundle.VerificationError):
                tls.recv(10)
    good = matrix_server["ports"]["good"]
    with socket.create_connection(("127.0.0.1", good), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost", do_handshake_on_connect=False) as tls:
            tls.sendall(GET)
            assert tls.recv(100).startswith(b"HTTP/1.1 200")
    assert requests_received(matrix_server)["expired"] == before


def test_bio_connections_asyncio(pki: Path, matrix_server: Any) -> None:
    context = trustbundle.create_default_context(extra_ca=str(pki / "root.pem"))

    async def get(name: str) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", matrix_server["ports"][name], ssl=context,
                                                       server_hostname="localhost")
        writer.write(GET)
        data = await reader.read()
        writer.close()
        return data

    before = requests_received(matrix_server)["wrong-host"]
    assert asyncio.run(get("good")).endswith(b"ok good\n")
    with pytest.raises(trustbundle.VerificationError) as info:
        asyncio.run(get("wrong-host"))
    assert info.value.reason == "HOSTNAME_MISMATCH"
    assert requests_received(matrix_server)["wrong-host"] == before


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3])
def test_resumed_sessions_are_checked(tls_server: Any, root: str, version: ssl.TLSVersion) -> None:
    context = trustbundle.create_default_context(extra_ca=root)
    context.maximum_version = version
    first = _get(context, tls_server.port)
    assert not first.session_reused and first.session is not None
    counting = CountingStore(context._tb_store)
    context._tb_store = counting
    again = _get(context, tls_server.port, session=first.session)
    assert again.session_reused and counting.calls == 1  # resumed, and the core was asked
    # The same resumption under a store without the test root is refused.
    context._tb_store = trustbundle.Store()
    with pytest.raises(trustbundle.VerificationError, match="UNABLE_TO_GET_ISSUER_CERT_LOCALLY"):
        _get(context, tls_server.port, session=first.session)


def test_a_session_the_core_rejected_cannot_be_resumed(tls_server: Any) -> None:
    context = trustbundle.create_default_context()  # Test Root CA unknown: rejected
    context.maximum_version = ssl.TLSVersion.TLSv1_2  # a TLS 1.2 session is resumable right after the handshake
    with socket.create_connection(("127.0.0.1", tls_server.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost", do_handshake_on_connect=False) as tls:
            with pytest.raises(trustbundle.VerificationError):
                tls.do_handshake()
            session = tls.session
    assert session is not None
    with pytest.raises(ssl.SSLError, match="never accepted"):
        _get(context, tls_server.port, session=session)


def test_check_hostname_false_skips_the_name_only(tls_server: Any, root: str) -> None:
    context = trustbundle.create_default_context(extra_ca=root)
    with pytest.raises(trustbundle.VerificationError, match="HOSTNAME_MISMATCH"):
        _get(context, tls_server.port, host="other.example")
    context.check_hostname = False
    assert context.check_hostname is False and context.verify_mode == ssl.CERT_REQUIRED
    _get(context, tls_server.port, host="other.example")
    with pytest.raises(trustbundle.VerificationError, match="UNABLE_TO_GET_ISSUER_CERT_LOCALLY"):
        no_root = trustbundle.create_default_context()
        no_root.check_hostname = False
        _get(no_root, tls_server.port, host="other.example")


def test_verification_cannot_be_turned_off(tls_server: Any, root: str) -> None:
    context = trustbundle.create_default_context(extra_ca=root)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    assert context.verify_mode == ssl.CERT_REQUIRED
    with pytest.raises(ValueError, match="extract_from_ssl"):
        _get(context, tls_server.port)
    context.verify_mode = ssl.CERT_REQUIRED  # back on: connects again
    _get(context, tls_server.port)


def test_injected_unverified_contexts_refuse_and_extract_gives_them_back(tls_server: Any) -> None:
    url = f"https://localhost:{tls_server.port}/"
    # As in a fresh process: since 3.12 urllib's global opener keeps the
    # context it made on the first urlopen() (the control-port reads made one).
    urllib.request.install_opener(None)
    trustbundle.inject_into_ssl()
    assert isinstance(ssl.create_default_context(), trustbundle.TrustbundleContext)
    with pytest.raises(ValueError, match="verification cannot be turned off"):
        urllib.request.urlopen(url, context=ssl._create_unverified_context(), timeout=10)
    with pytest.raises(urllib.error.URLError) as info:
        urllib.request.urlopen(url, timeout=10)  # the default context: Mozilla's roots only
    assert trustbundle.verification_error(info.value) is not None, repr(info.value)
    assert trustbundle.verification_error(info.value).reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    trustbundle.extract_from_ssl()
    assert ssl.SSLContext is trustbundle.TrustbundleContext.__mro__[1]
    with urllib.request.urlopen(url, context=ssl._create_unverified_context(), timeout=10) as r:
        assert r.status == 200


def test_injection_keeps_stdlib_setters_working(root: str) -> None:
    before = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    trustbundle.inject_into_ssl(extra_ca=root)
    # The stdlib's setters name ssl.SSLContext: they must not recurse now that it is ours.
    for context in (before, ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)):
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.options |= ssl.OP_NO_TICKET
        context.verify_flags = ssl.VERIFY_X509_TRUSTED_FIRST
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)  # servers stay the stdlib's
    server.verify_mode = ssl.CERT_REQUIRED
    assert server.verify_mode == ssl.CERT_REQUIRED


def test_verification_error_pickles_whole(tls_server: Any) -> None:
    with pytest.raises(trustbundle.VerificationError) as info:
        _get(trustbundle.create_default_context(), tls_server.port)
    e = info.value
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is type(e) and copy.args == e.args and str(copy) == str(e)
    assert vars(copy) == vars(e)
    assert (copy.errno, copy.strerror) == (e.errno, e.strerror)
    fe = trustbundle.FileError("cannot read 'x'", filename="x")
    assert vars(pickle.loads(pickle.dumps(fe))) == vars(fe) and pickle.loads(pickle.dumps(fe)).filename == "x"


def test_a_rejection_in_a_process_pool_does_not_break_it(pki: Path) -> None:
    chain = (pki / "server-localhost" / "fullchain.pem").read_bytes()
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        rejected = pool.submit(trustbundle.verify, chain, "localhost")
        with pytest.raises(trustbundle.VerificationError) as info:
            rejected.result(timeout=60)
        assert info.value.reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" and info.value.hint
        accepted = pool.submit(trustbundle.verify, chain, "localhost", extra_ca=str(pki / "root.pem"))
        assert len(accepted.result(timeout=60)) == 3


def test_the_served_chain_is_read_whole(tls_server: Any, pki: Path, root: str) -> None:
    """3.10+: get_unverified_chain(); 3.8/3.9: SSL_get_peer_cert_chain through ctypes."""
    from trustbundle import _peer_chain

    served = [ssl.PEM_cert_to_DER_cert(c) for c in
              ((pki / "server-localhost" / "leaf.pem").read_text(), (pki / "intermediate.pem").read_text())]
    context = trustbundle.create_default_context(extra_ca=root)
    with socket.create_connection(("127.0.0.1", tls_server.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert _peer_chain.peer_chain(tls._sslobj._native) == served
            verified = tls._sslobj.get_verified_chain()
            assert [c.public_bytes(2) for c in verified][:2] == served and len(verified) == 3


def test_a_chain_read_wrong_refuses_the_connection(tls_server: Any, root: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from trustbundle import _peer_chain

    reader = "_from_api" if sys.version_info >= (3, 10) else "_from_libssl"
    monkeypatch.setattr(_peer_chain, reader, lambda native: [b"not the leaf"])
    with pytest.raises(ssl.SSLError, match="does not start with the server's certificate"):
        _get(trustbundle.create_default_context(extra_ca=root), tls_server.port)
