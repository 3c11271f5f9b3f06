"""verify(), Store, check_key_pair() and the error types: input forms and bad input."""

from __future__ import annotations

import datetime as dt
import ssl
import sys
import threading
import time
from pathlib import Path

import pytest

import trustbundle
from trustbundle import _native

AT = "2026-06-01T00:00:00Z"
AT_SECONDS = 1780272000  # the same instant


def pem(path: Path) -> str:
    return path.read_text("ascii")


def der(path: Path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(pem(path))


@pytest.fixture()
def valid(pki: Path) -> list:
    return [(pki / "valid" / "leaf.pem").read_bytes(), (pki / "valid" / "intermediate.pem").read_bytes()]


# ------------------------------------------------------------ input forms

def test_chain_items_pem_der_str_and_one_buffer(pki: Path, valid: list) -> None:
    root = pki / "root.pem"
    expected = trustbundle.verify(valid, "a.example.test", at=AT, extra_ca=root)
    assert len(expected) == 3
    assert expected[0] == der(pki / "valid" / "leaf.pem")
    assert expected[2] == der(root)
    forms = [
        [der(pki / "valid" / "leaf.pem"), der(pki / "valid" / "intermediate.pem")],
        [pem(pki / "valid" / "leaf.pem"), pem(pki / "valid" / "intermediate.pem")],
        [bytearray(valid[0]), memoryview(der(pki / "valid" / "intermediate.pem"))],
        (valid[0], valid[1]),
        valid[0] + valid[1],  # one buffer, a whole PEM chain
        (pki / "server-localhost" / "fullchain.pem").read_text("ascii"),
    ]
    for form in forms[:-1]:
        assert trustbundle.verify(form, "a.example.test", at=AT, extra_ca=str(root)) == expected
    assert len(trustbundle.verify(forms[-1], "localhost", extra_ca=root)) == 3


def test_at_forms(pki: Path, valid: list) -> None:
    root = pki / "root.pem"
    instant = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
    for at in (AT, str(AT_SECONDS), AT_SECONDS, float(AT_SECONDS) + 0.5, instant, instant.replace(tzinfo=None),
               instant.astimezone(dt.timezone(dt.timedelta(hours=5)))):
        assert len(trustbundle.verify(valid, "a.example.test", at=at, extra_ca=root)) == 3, at
    expired = [(pki / "expired" / "leaf.pem").read_bytes(), valid[1]]
    with pytest.raises(trustbundle.VerificationError) as info:
        trustbundle.verify(expired, "a.example.test", at=instant, extra_ca=root)
    assert info.value.reason == "CERT_HAS_EXPIRED"
    assert len(trustbundle.verify(expired, "a.example.test", at=dt.datetime(2024, 6, 1), extra_ca=root)) == 3
    with pytest.raises(TypeError):
        trustbundle.verify(valid, at=True, extra_ca=root)  # type: ignore[arg-type]
    with pytest.raises(trustbundle.ParseError, match="^at: "):
        trustbundle.verify(valid, at="next tuesday", extra_ca=root)


def test_extra_ca_forms(pki: Path, valid: list) -> None:
    root = pki / "root.pem"
    cadir = pki / "cadir"
    cadir.mkdir(exist_ok=True)
    (cadir / "corp.pem").write_bytes(root.read_bytes())
    for extra in (root, str(root), root.read_bytes(), pem(root), der(root), [root], [pki / "untrusted" / "root.pem", der(root)],
                  str(cadir), cadir):
        assert len(trustbundle.verify(valid, "a.example.test", at=AT, extra_ca=extra)) == 3, extra
    with pytest.raises(trustbundle.VerificationError):
        trustbundle.verify(valid, "a.example.test", at=AT, extra_ca=pki / "untrusted" / "root.pem")
    with pytest.raises(TypeError, match=r"extra_ca\[1\]"):
        trustbundle.verify(valid, extra_ca=[root, 42])  # type: ignore[list-item]


def test_env_extra_ca_is_read_at_each_call(pki: Path, valid: list, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(trustbundle.VerificationError):
        trustbundle.verify(valid, "a.example.test", at=AT)
    monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(pki / "root.pem"))
    assert len(trustbundle.verify(valid, "a.example.test", at=AT)) == 3
    assert trustbundle.Store().extra_count == 1
    assert trustbundle.Store(env=False).extra_count == 0
    monkeypatch.delenv("TRUSTBUNDLE_EXTRA_CA_CERTS")
    with pytest.raises(trustbundle.VerificationError):
        trustbundle.verify(valid, "a.example.test", at=AT)


def test_store_is_reusable_and_extra_pem(pki: Path, valid: list) -> None:
    store = trustbundle.Store(pki / "root.pem")
    assert store.extra_count == 1
    assert store.extra_pem().count("-----BEGIN CERTIFICATE-----") == 1
    assert ssl.PEM_cert_to_DER_cert(store.extra_pem()) == der(pki / "root.pem")
    assert trustbundle.Store().extra_pem() == ""
    for host in ("a.example.test", "x.b.example.test", None):
        assert len(store.verify(valid, host, at=AT)) == 3
    only = trustbundle.Store(pki / "root.pem", mozilla=False, env=False)
    assert len(only.verify(valid, "a.example.test", at=AT)) == 3


def test_purpose_and_host_forms(pki: Path, valid: list) -> None:
    import ipaddress

    store = trustbundle.Store(pki / "root.pem")
    ip_chain = [(pki / "ip" / "leaf.pem").read_bytes(), valid[1]]
    assert len(store.verify(ip_chain, ipaddress.ip_address("127.0.0.1"), at=AT)) == 3  # type: ignore[arg-type]
    assert len(store.verify(ip_chain, "[::1]", at=AT)) == 3
    client = [(pki / "mtls" / "client.pem").read_bytes(), valid[1]]
    assert len(store.verify(client, at=AT, purpose="client")) == 3
    assert len(store.verify(client, at=AT, purpose=ssl.Purpose.CLIENT_AUTH)) == 3
    with pytest.raises(trustbundle.VerificationError) as info:
        store.verify(client, at=AT, purpose=ssl.Purpose.SERVER_AUTH)
    assert info.value.reason == "INVALID_PURPOSE"
    with pytest.raises(ValueError, match="purpose"):
        store.verify(valid, at=AT, purpose="email")


# ------------------------------------------------------------ the errors

def test_verification_error_is_an_ssl_error(pki: Path, valid: list) -> None:
    with pytest.raises(ssl.SSLCertVerificationError) as info:
        trustbundle.verify(valid, "c.example.test", at=AT, extra_ca=pki / "root.pem")
    e = info.value
    assert isinstance(e, trustbundle.VerificationError)
    assert isinstance(e, trustbundle.TrustbundleError)
    assert isinstance(e, ssl.SSLError) and isinstance(e, ValueError)
    assert (e.reason, e.depth, e.host) == ("HOSTNAME_MISMATCH", 0, "c.example.test")
    assert "c.example.test" in e.hint and "a.example.test" in e.hint
    assert e.verify_code == 62  # X509_V_ERR_HOSTNAME_MISMATCH, as ssl reports it
    assert e.verify_message
    assert "HOSTNAME_MISMATCH" in str(e)
    with pytest.raises(trustbundle.VerificationError) as info:
        trustbundle.verify(valid, "a.example.test", at=AT)
    assert info.value.reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    assert "TRUSTBUNDLE_EXTRA_CA_CERTS" in info.value.hint
    assert info.value.verify_code == 20


def test_garbage_chain_is_a_parse_error_naming_the_element(valid: list) -> None:
    with pytest.raises(trustbundle.ParseError, match="chain element 0") as info:
        trustbundle.verify([b"garbage"])
    assert isinstance(info.value, ValueError)
    assert info.value.status == "PARSE"
    with pytest.raises(trustbundle.ParseError, match="chain element 1"):
        trustbundle.verify([valid[0], b"\x30\x03\x02\x01\x00"])
    with pytest.raises(trustbundle.ParseError):
        trustbundle.verify("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")
    with pytest.raises(trustbundle.ParseError, match=r"chain\[1\]"):
        trustbundle.verify([valid[0], "caf\u00e9"])
    with pytest.raises(ValueError, match="empty"):
        trustbundle.verify([])
    with pytest.raises(TypeError):
        trustbundle.verify([valid[0], 7])  # type: ignore[list-item]


def test_missing_extra_ca_file_names_the_path(tmp_path: Path, valid: list) -> None:
    missing = tmp_path / "corp" / "missing-ca.pem"
    for call in (lambda: trustbundle.verify(valid, extra_ca=missing),
                 lambda: trustbundle.Store([valid[1], str(missing)]),
                 lambda: trustbundle.create_default_context(extra_ca=missing)):
        with pytest.raises(trustbundle.FileError) as info:
            call()
        assert str(missing) in str(info.value)
        assert info.value.filename == str(missing)
        assert isinstance(info.value, OSError)


def test_bad_extra_ca_content_is_a_parse_error_naming_it(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("this is not a certificate\n")
    with pytest.raises(trustbundle.ParseError, match="bogus.pem"):
        trustbundle.Store(bogus)
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"")
    with pytest.raises(trustbundle.TrustbundleError, match="empty.pem"):
        trustbundle.Store(empty)
    with pytest.raises(trustbundle.ParseError, match=r"extra_ca\[1\] \(DER bytes\)"):
        trustbundle.Store([trustbundle.roots()[0].pem, b"junk"])
    with pytest.raises(ValueError):
        trustbundle.Store("")


def test_env_variable_errors_name_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(tmp_path / "nope.pem"))
    for call in (trustbundle.Store, trustbundle.create_default_context, lambda: trustbundle.verify(b"x")):
        with pytest.raises(trustbundle.FileError, match="TRUSTBUNDLE_EXTRA_CA_CERTS.*nope.pem"):
            call()


def test_check_key_pair(pki: Path) -> None:
    cert, key = pki / "mtls" / "client.pem", pki / "mtls" / "client.key"
    good = trustbundle.check_key_pair(cert, key, at=AT)
    assert good.ok and good.match and good.client_auth and good.valid
    assert good.not_before < good.not_after
    assert trustbundle.check_key_pair(str(cert), key.read_text(), at=AT_SECONDS).ok
    enc = pki / "mtls" / "client-encrypted.key"
    assert trustbundle.check_key_pair(cert, enc, "correct horse", at=AT).match
    assert trustbundle.check_key_pair(cert, enc, b"correct horse", at=AT).match
    assert trustbundle.check_key_pair(cert, enc, lambda: "correct horse", at=AT).match
    with pytest.raises(trustbundle.PassphraseError):
        trustbundle.check_key_pair(cert, enc, at=AT)
    with pytest.raises(trustbundle.PassphraseError):
        trustbundle.check_key_pair(cert, enc, "wrong", at=AT)
    assert not trustbundle.check_key_pair(cert, pki / "mtls" / "other.key", at=AT).match
    with pytest.raises(trustbundle.ParseError):
        trustbundle.check_key_pair(cert, b"not a key")
    with pytest.raises(trustbundle.FileError, match="no-such.key"):
        trustbundle.check_key_pair(cert, pki / "no-such.key")


def test_limits_are_typed(valid: list) -> None:
    with pytest.raises(trustbundle.LimitError):
        trustbundle.verify([valid[0]] * (_native.MAX_CHAIN_CERTS + 1))


# ---------------------------------------------------- GIL and threads

def test_verify_from_many_threads(pki: Path, valid: list) -> None:
    store = trustbundle.Store(pki / "root.pem")
    expired = [(pki / "expired" / "leaf.pem").read_bytes(), valid[1]]
    errors: list = []

    def work() -> None:
        try:
            for _ in range(50):
                assert len(store.verify(valid, "a.example.test", at=AT)) == 3
                try:
                    store.verify(expired, "a.example.test", at=AT)
                    errors.append("expired chain accepted")
                except trustbundle.VerificationError as e:
                    if e.reason != "CERT_HAS_EXPIRED":
                        errors.append(e.reason)
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _count_while(call) -> tuple:
    """(iterations a pure-Python thread makes while `call` runs here, seconds)."""
    counter = [0]
    stop = threading.Event()
    started = threading.Event()

    def count() -> None:
        started.set()
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=count)
    old = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        t.start()
        started.wait()
        time.sleep(0.01)
        before = counter[0]
        t0 = time.perf_counter()
        call()
        elapsed = time.perf_counter() - t0
        during = counter[0] - before
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)
    return during, elapsed


def _distinct_intermediates(count: int) -> bytes:
    """count different CA certificates (PEM): more than the core's cache of
    parsed certificates holds, so every verify call parses them all."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    out = []
    for i in range(count):
        name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, f"GIL test CA {i}")])
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(i + 1).not_valid_before(start).not_valid_after(start + dt.timedelta(days=365))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(key, hashes.SHA256()))
        out.append(cert.public_bytes(serialization.Encoding.PEM))
    return b"".join(out)


def test_gil_is_released_during_verification(pki: Path, valid: list) -> None:
    """Long native verify calls (each parses a pool of 1000 distinct untrusted
    certificates): another Python thread keeps counting while they run.
    Were the GIL held, it could only run between calls, a few switch
    intervals out of the whole time."""
    untrusted = _distinct_intermediates(1000)
    store = _native.Store(True, False, False, [(True, str(pki / "root.pem").encode(), None)])
    args = ([valid[0], valid[1]], "a.example.test", AT_SECONDS, _native.PURPOSE_SERVER, -1, untrusted, None)
    assert store.verify(*args)[0] is True
    solo, solo_time = _count_while(lambda: time.sleep(0.1))  # sleep releases the GIL
    during, elapsed = _count_while(lambda: [store.verify(*args) for _ in range(5)])
    assert elapsed > 0.02, "the calls are too short to tell"
    ratio = (during / elapsed) / (solo / solo_time)
    assert ratio > 0.3, f"the other thread ran at {ratio:.0%} of its own speed during verify"


def test_the_name_check_is_off_only_when_said(pki: Path, valid: list) -> None:
    """Issue 15, items 6 and 7: "" is a mistake, not "no name check" (that is
    host=None); a NUL would cut the name short at the C boundary."""
    root = pki / "root.pem"
    with pytest.raises(ValueError, match="host: empty string; pass host=None"):
        trustbundle.verify(valid, "", at=AT, extra_ca=root)
    assert len(trustbundle.verify(valid, None, at=AT, extra_ca=root)) == 3
    with pytest.raises(ValueError, match="host: embedded null character"):
        trustbundle.verify(valid, "a.example.test\x00.evil.example", at=AT, extra_ca=root)
    with pytest.raises(ValueError, match="passphrase: embedded null character"):
        trustbundle.check_key_pair(pki / "mtls" / "client.pem", pki / "mtls" / "client-encrypted.key",
                                   "correct horse\x00", at=AT)
    with pytest.raises(ValueError, match="null"):
        trustbundle.verify(valid, "a.example.test", at=AT, extra_ca=str(root) + "\x00.pem")
