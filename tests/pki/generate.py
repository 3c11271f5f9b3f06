#!/usr/bin/env python3
"""Test PKI generator for trustbundle.

    python3 tests/pki/generate.py OUTDIR

Makes fresh keys on every run (RSA-2048 or ECDSA P-256) and writes PEM files
with stable names into OUTDIR, plus OUTDIR/distrust-certdata.txt (a Mozilla
NSS certdata.txt holding one root with a server distrust-after date).

Validity follows the rule in tests/README.md ("Time in tests"): no window is
a fixed calendar range that a test checks against the clock.
- The vectors check at a pinned time (2026-06-01T00:00:00Z, and 2024-06-01
  for one case), so the certificates made for a time scenario (expired,
  not yet valid, issued before or after a distrust date) keep fixed windows
  around those instants and are only ever checked at them, or (expired)
  long after them.
- Every other certificate is also presented to real TLS clients and the
  doctor, which check at the current time: its window spans both the pinned
  instants and the run's own "now" (a leaf from now - 1 day to now + 1 year
  at least, intermediates 15 years, roots 20), so it holds on any date.

Every certificate follows the X.509 v3 profile that OpenSSL checks with
X509_V_FLAG_X509_STRICT at auth level 2: CAs have critical basicConstraints
CA:TRUE, critical keyUsage keyCertSign+cRLSign and an SKI; every certificate
that is not a root has an AKI; leaves have a SAN, an EKU, critical keyUsage
digitalSignature (+keyEncipherment for RSA) and critical basicConstraints
CA:FALSE. Signatures are SHA-256; serials are random positive 16-byte
integers. Host names use the reserved .test TLD.

The file layout (paths relative to OUTDIR) is the contract used by
tests/vectors/*.json; see tests/vectors/README.md.
"""

import datetime
import hashlib
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = datetime.timezone.utc
PASSPHRASE = b"correct horse"
# The server distrust-after date of the "Distrusted Test Root".
DISTRUST_AFTER = datetime.datetime(2026, 3, 1, 0, 0, 0, tzinfo=UTC)

SERVER = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT = ExtendedKeyUsageOID.CLIENT_AUTH


def day(year, month=1, dom=1):
    return datetime.datetime(year, month, dom, 0, 0, 0, tzinfo=UTC)


# The run's clock, read once: every relative window is measured from it.
NOW = datetime.datetime.now(UTC).replace(microsecond=0)


def spanning(fixed, before, after):
    """A window that holds the fixed one (the vectors' pinned check times) and
    NOW - before .. NOW + after (tests that check at the current time)."""
    return (min(fixed[0], NOW - before), max(fixed[1], NOW + after))


DAYS = datetime.timedelta(days=1)
ROOT_VALIDITY = spanning((day(2020), day(2040)), 1 * DAYS, 20 * 365 * DAYS)
INTERMEDIATE_VALIDITY = spanning((day(2021), day(2035)), 1 * DAYS, 15 * 365 * DAYS)
LEAF_VALIDITY = spanning((day(2026), day(2027)), 1 * DAYS, 365 * DAYS)


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def random_serial():
    # 16 random bytes, top bit cleared (positive, no DER padding byte) and bit
    # 120 set so the integer always takes the full 16 bytes.
    value = int.from_bytes(os.urandom(16), "big")
    return (value & ~(1 << 127)) | (1 << 120)


def name(common_name, org="trustbundle test PKI"):
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


class Issued:
    """A certificate with its private key."""

    def __init__(self, cert, key):
        self.cert = cert
        self.key = key

    @property
    def ski(self):
        return self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value


def build(subject, key, issuer, validity, *, ca=False, path_len=None, dns=(), ips=(), eku=(SERVER,),
          name_constraints=None, basic_constraints_ca=None, signing_key=None, key_usage=None):
    """Creates and signs one certificate.

    issuer: an Issued for the signer, or None for a self-signed certificate.
    signing_key: overrides the issuer's key (a forged signature).
    basic_constraints_ca: overrides basicConstraints cA for a CA-shaped cert.
    """
    public_key = key.public_key()
    self_signed = issuer is None
    issuer_name = subject if self_signed else issuer.cert.subject
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer_name)
               .public_key(public_key)
               .serial_number(random_serial())
               .not_valid_before(validity[0])
               .not_valid_after(validity[1]))
    ski = x509.SubjectKeyIdentifier.from_public_key(public_key)
    builder = builder.add_extension(ski, critical=False)
    if self_signed:
        aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
    else:
        aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer.ski)
    if not (self_signed and ca):  # roots carry no AKI; everything else does
        builder = builder.add_extension(aki, critical=False)

    if ca:
        is_ca = True if basic_constraints_ca is None else basic_constraints_ca
        builder = builder.add_extension(
            x509.BasicConstraints(ca=is_ca, path_length=path_len if is_ca else None), critical=True)
        builder = builder.add_extension(key_usage or x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        if name_constraints is not None:
            builder = builder.add_extension(name_constraints, critical=True)
    else:
        builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        is_rsa = isinstance(public_key, rsa.RSAPublicKey)
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=is_rsa,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        if eku:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
        names = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)

    signer = signing_key or (key if self_signed else issuer.key)
    return Issued(builder.sign(signer, hashes.SHA256()), key)


def root(common_name, key=None):
    return build(name(common_name), key or ec_key(), None, ROOT_VALIDITY, ca=True)


def intermediate(common_name, issuer, **kw):
    return build(name(common_name), ec_key(), issuer, INTERMEDIATE_VALIDITY, ca=True, **kw)


def leaf(common_name, issuer, validity=LEAF_VALIDITY, key=None, **kw):
    return build(name(common_name), key or ec_key(), issuer, validity, **kw)


# ----------------------------------------------------------------- output

class Writer:
    def __init__(self, outdir):
        self.outdir = outdir
        self.written = []

    def _write(self, rel, data):
        path = os.path.join(self.outdir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        self.written.append(rel)

    def cert(self, rel, *issued):
        self._write(rel, b"".join(i.cert.public_bytes(serialization.Encoding.PEM) for i in issued))

    def key(self, rel, key, passphrase=None):
        encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                      else serialization.NoEncryption())
        self._write(rel, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           encryption))

    def leaf(self, rel_dir, issued, stem="leaf"):
        self.cert(f"{rel_dir}/{stem}.pem", issued)
        self.key(f"{rel_dir}/{stem}.key", issued.key)

    def text(self, rel, text):
        self._write(rel, text.encode("utf-8"))


# --------------------------------------------------------- NSS certdata.txt

def octal(data):
    lines = []
    for i in range(0, len(data), 16):
        lines.append("".join("\\%03o" % b for b in data[i:i + 16]))
    return "\n".join(lines) + "\nEND"


def der_integer(value):
    body = value.to_bytes((value.bit_length() + 8) // 8, "big")  # always room for a sign bit
    assert len(body) < 128
    return b"\x02" + bytes([len(body)]) + body


def certdata(label, cert, server_distrust_after):
    der = cert.public_bytes(serialization.Encoding.DER)
    subject = cert.subject.public_bytes()
    issuer = cert.issuer.public_bytes()
    serial = der_integer(cert.serial_number)
    sha1 = hashlib.sha1(der).digest()
    md5 = hashlib.md5(der).digest()
    serial_hex = ":".join("%02x" % b for b in serial[2:])
    fmt = "%a %b %d %H:%M:%S %Y"
    distrust_ascii = server_distrust_after.strftime("%y%m%d%H%M%SZ").encode("ascii")
    header = (
        f"# Issuer: {cert.issuer.rfc4514_string()}\n"
        f"# Serial Number:{serial_hex}\n"
        f"# Subject: {cert.subject.rfc4514_string()}\n"
        f"# Not Valid Before: {cert.not_valid_before_utc.strftime(fmt)}\n"
        f"# Not Valid After : {cert.not_valid_after_utc.strftime(fmt)}\n"
        f"# Fingerprint (SHA-256): {':'.join('%02X' % b for b in hashlib.sha256(der).digest())}\n"
        f"# Fingerprint (SHA1): {':'.join('%02X' % b for b in sha1)}\n")
    return f"""#
# certdata.txt for the trustbundle tests, written by tests/pki/generate.py.
# Same syntax as Mozilla's NSS certdata.txt. One root, "{label}", with a
# server distrust-after date of {server_distrust_after.strftime(fmt)} UTC.
#
BEGINDATA
CKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST
CKA_TOKEN CK_BBOOL CK_TRUE
CKA_PRIVATE CK_BBOOL CK_FALSE
CKA_MODIFIABLE CK_BBOOL CK_FALSE
CKA_LABEL UTF8 "trustbundle Test Roots"

#
# Certificate "{label}"
#
{header}CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE
CKA_TOKEN CK_BBOOL CK_TRUE
CKA_PRIVATE CK_BBOOL CK_FALSE
CKA_MODIFIABLE CK_BBOOL CK_FALSE
CKA_LABEL UTF8 "{label}"
CKA_CERTIFICATE_TYPE CK_CERTIFICATE_TYPE CKC_X_509
CKA_SUBJECT MULTILINE_OCTAL
{octal(subject)}
CKA_ID UTF8 "0"
CKA_ISSUER MULTILINE_OCTAL
{octal(issuer)}
CKA_SERIAL_NUMBER MULTILINE_OCTAL
{octal(serial)}
CKA_VALUE MULTILINE_OCTAL
{octal(der)}
CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE
# For Server Distrust After: {server_distrust_after.strftime(fmt)}
CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL
{octal(distrust_ascii)}
CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE

# Trust for "{label}"
{header}CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST
CKA_TOKEN CK_BBOOL CK_TRUE
CKA_PRIVATE CK_BBOOL CK_FALSE
CKA_MODIFIABLE CK_BBOOL CK_FALSE
CKA_LABEL UTF8 "{label}"
CKA_CERT_SHA1_HASH MULTILINE_OCTAL
{octal(sha1)}
CKA_CERT_MD5_HASH MULTILINE_OCTAL
{octal(md5)}
CKA_ISSUER MULTILINE_OCTAL
{octal(issuer)}
CKA_SERIAL_NUMBER MULTILINE_OCTAL
{octal(serial)}
CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_TRUSTED_DELEGATOR
CKA_TRUST_EMAIL_PROTECTION CK_TRUST CKT_NSS_MUST_VERIFY_TRUST
CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_MUST_VERIFY_TRUST
CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE
"""


# ------------------------------------------------------------------ scenarios

def generate(outdir):
    w = Writer(outdir)

    # The shared hierarchy: Test Root CA (RSA) -> Test Intermediate CA (P-256).
    test_root = root("Test Root CA", key=rsa_key())
    test_int = intermediate("Test Intermediate CA", test_root)
    w.cert("root.pem", test_root)
    w.cert("intermediate.pem", test_int)

    # valid: RSA leaf for a.example.test and *.b.example.test.
    w.leaf("valid", leaf("a.example.test", test_int, key=rsa_key(),
                         dns=["a.example.test", "*.b.example.test"]))
    w.cert("valid/intermediate.pem", test_int)

    # Validity outside the check time.
    w.leaf("expired", leaf("a.example.test", test_int, (day(2024), day(2025)), dns=["a.example.test"]))
    w.leaf("not-yet-valid", leaf("a.example.test", test_int, (day(2027), day(2028)), dns=["a.example.test"]))
    # The same fault as a live server shows it, for tests that check at the current time.
    w.leaf("expired-yesterday", leaf("a.example.test", test_int, (NOW - 366 * DAYS, NOW - 1 * DAYS),
                                     dns=["a.example.test", "localhost"], ips=["127.0.0.1"]))

    # IP SANs only.
    w.leaf("ip", leaf("IP Test Leaf", test_int, ips=["127.0.0.1", "::1"]))

    # A partial wildcard, which the policy never matches.
    w.leaf("partial-wildcard", leaf("f*.example.test", test_int, dns=["f*.example.test"]))

    # No SAN at all: the CN is the only name, and the CN is never used.
    w.leaf("cn-only", leaf("cn-only.example.test", test_int))

    # A self-signed leaf (not a CA).
    w.leaf("self-signed", leaf("self-signed.example.test", None, dns=["self-signed.example.test"]))

    # A hierarchy that is never trusted.
    untrusted_root = root("Untrusted Root CA")
    untrusted_int = intermediate("Untrusted Intermediate CA", untrusted_root)
    w.cert("untrusted/root.pem", untrusted_root)
    w.cert("untrusted/intermediate.pem", untrusted_int)
    w.leaf("untrusted", leaf("untrusted.example.test", untrusted_int, dns=["untrusted.example.test"]))

    # EKU: a clientAuth-only leaf presented as a server.
    w.leaf("wrong-eku", leaf("a.example.test", test_int, dns=["a.example.test"], eku=[CLIENT]))

    # Path length: Test Root CA -> pathLen:0 intermediate -> sub-intermediate -> leaf.
    pl_int = intermediate("Test PathLen0 Intermediate CA", test_root, path_len=0)
    pl_sub = intermediate("Test Sub-Intermediate CA", pl_int)
    w.cert("pathlen/intermediate.pem", pl_int)
    w.cert("pathlen/sub-intermediate.pem", pl_sub)
    w.leaf("pathlen", leaf("pathlen.example.test", pl_sub, dns=["pathlen.example.test"]))

    # Name constraints: permitted DNS subtree allowed.test (RFC 5280 form, without a leading
    # dot: it covers allowed.test and every name below it; pyca/cryptography's verifier
    # rejects the ".allowed.test" spelling as malformed, OpenSSL and Go accept both).
    nc = x509.NameConstraints(permitted_subtrees=[x509.DNSName("allowed.test")], excluded_subtrees=None)
    nc_int = intermediate("Test Constrained Intermediate CA", test_root, name_constraints=nc)
    w.cert("name-constraints/intermediate.pem", nc_int)
    w.leaf("name-constraints", leaf("ok.allowed.test", nc_int, dns=["ok.allowed.test"]), stem="leaf-ok")
    w.leaf("name-constraints", leaf("bad.example.test", nc_int, dns=["bad.example.test"]), stem="leaf-bad")

    # Distrust-after: the root's server distrust-after date is 2026-03-01.
    d_root = root("Distrusted Test Root")
    d_int = intermediate("Distrusted Test Intermediate CA", d_root)
    w.cert("distrust/root.pem", d_root)
    w.cert("distrust/intermediate.pem", d_int)
    w.leaf("distrust", leaf("distrusted.example.test", d_int, (day(2026, 2), day(2027, 2)),
                            dns=["distrusted.example.test"]), stem="leaf-before")
    w.leaf("distrust", leaf("distrusted.example.test", d_int, (day(2026, 4), day(2027, 4)),
                            dns=["distrusted.example.test"]), stem="leaf-after")
    w.text("distrust-certdata.txt", certdata("Distrusted Test Root", d_root.cert, DISTRUST_AFTER))

    # A leaf naming Test Intermediate CA as issuer (name and AKI) but signed by another key.
    impostor = ec_key()
    w.leaf("forged", leaf("a.example.test", test_int, dns=["a.example.test"], signing_key=impostor))

    # An "intermediate" whose basicConstraints say CA:FALSE (keyUsage still allows keyCertSign).
    not_ca = intermediate("Test Not-A-CA Intermediate", test_root, basic_constraints_ca=False)
    w.cert("not-ca/intermediate.pem", not_ca)
    w.leaf("not-ca", leaf("a.example.test", not_ca, dns=["a.example.test"]))

    # mTLS: a client certificate, its key plain and encrypted, and an unrelated key.
    client = leaf("Test Client", test_int, dns=["client.example.test"], eku=[CLIENT])
    w.cert("mtls/client.pem", client)
    w.key("mtls/client.key", client.key)
    w.key("mtls/client-encrypted.key", client.key, passphrase=PASSPHRASE)
    w.key("mtls/other.key", ec_key())

    # A real TLS server on 127.0.0.1, checked at the current time by handshakes
    # and the doctor (and at the pinned time by the vectors): LEAF_VALIDITY.
    server = leaf("localhost", test_int, key=rsa_key(), dns=["localhost"], ips=["127.0.0.1"])
    w.leaf("server-localhost", server)
    w.cert("server-localhost/chain.pem", test_int)
    w.cert("server-localhost/fullchain.pem", server, test_int)

    matrix(w, test_root, test_int, server, untrusted_int)
    return w.written


def matrix(w, test_root, test_int, server, untrusted_int):
    """The real-client matrix (tests/matrix/scenarios.json): per scenario,
    matrix/<name>/served.pem (what the server sends, leaf first, in the order
    sent) and matrix/<name>/key.pem. Every window is relative to NOW."""
    localhost = dict(dns=["localhost"], ips=["127.0.0.1"])

    def served(scenario, issued_leaf, *rest):
        w.cert(f"matrix/{scenario}/served.pem", issued_leaf, *rest)
        w.key(f"matrix/{scenario}/key.pem", issued_leaf.key)

    served("good", server, test_int)
    served("good-ip", server, test_int)
    served("missing-intermediate", server)
    # Test Root CA -> Matrix Intermediate A -> Matrix Intermediate B -> leaf,
    # sent as leaf, A, B (B is the leaf's issuer, so the right order is leaf, B, A).
    int_a = intermediate("Test Matrix Intermediate A", test_root)
    int_b = intermediate("Test Matrix Intermediate B", int_a)
    served("out-of-order", leaf("localhost", int_b, **localhost), int_a, int_b)
    served("expired", leaf("localhost", test_int, (NOW - 366 * DAYS, NOW - 1 * DAYS), **localhost), test_int)
    served("wrong-host", leaf("wrong.example.test", test_int, dns=["wrong.example.test"]), test_int)
    served("unknown-root", leaf("localhost", untrusted_int, **localhost), untrusted_int)
    # A root whose server distrust-after date (30 days ago) precedes the leaf's notBefore (yesterday).
    live_root = root("Distrusted Live Test Root")
    live_int = intermediate("Distrusted Live Test Intermediate CA", live_root)
    served("distrusted-root", leaf("localhost", live_int, (NOW - 1 * DAYS, NOW + 365 * DAYS), **localhost),
           live_int)
    w.text("matrix/distrusted-root/certdata.txt",
           certdata("Distrusted Live Test Root", live_root.cert, NOW - 30 * DAYS))
    served("intermediate-as-extra-ca", server, test_int)
    served("client-cert-required", server, test_int)
    served("client-cert-given", server, test_int)


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        sys.stderr.write("usage: generate.py OUTDIR\n")
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    written = generate(outdir)
    sys.stdout.write(f"wrote {len(written)} files to {outdir}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
