#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into OUTDIR/<target>/ (never committed).

    python3 fuzz/make_seeds.py OUTDIR [--shared DIR] [--pki DIR]

Sources, all the project's own: Mozilla's certdata.txt files (--shared,
default ../shared/mozilla beside the repository; skipped when absent) cut
into one object pair per seed, the embedded cacert.pem, a test PKI made by
tests/pki/generate.py (--pki: an existing output directory), the cases of
tests/vectors/verify.json, the fixed PKI of fixed_pki.h (whose seeds are
also committed in fuzz/seeds/: --fixed-only), past crashes, and deterministic
mutations of all of these. Standard library only.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import re
import ssl
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SEP = b"TBFZ"  # the harnesses' element separator (fuzz_check.h)
MAX_SEED = 64 * 1024  # keeps libFuzzer's default -max_len useful
EPOCH_2020 = 1577836800
rng = random.Random(20261122)  # fixed: the same corpus every run


class Corpus:
    def __init__(self, outdir):
        self.outdir = outdir
        self.counts = {}

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode()
        if not data or len(data) > MAX_SEED:
            return
        d = os.path.join(self.outdir, target)
        os.makedirs(d, exist_ok=True)
        # Named by content, as libFuzzer names its own: duplicates collapse.
        with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
        self.counts[target] = self.counts.get(target, 0) + 1


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ------------------------------------------------------------- certdata

def split_certdata(text):
    """(header up to BEGINDATA, [object blocks]) of a certdata.txt."""
    head, _, body = text.partition(b"BEGINDATA\n")
    head += b"BEGINDATA\n"
    blocks, current = [], []
    for line in body.splitlines(keepends=True):
        if line.startswith(b"CKA_CLASS ") and current:
            blocks.append(b"".join(current))
            current = []
        current.append(line)
    if current:
        blocks.append(b"".join(current))
    return head, blocks


def pairs(blocks):
    """[(certificate block, its trust block)], in file order."""
    out, pending = [], None
    for b in blocks:
        if b"CKO_CERTIFICATE" in b.split(b"\n", 1)[0]:
            pending = b
        elif b"CKO_NSS_TRUST" in b.split(b"\n", 1)[0] and pending is not None:
            out.append((pending, b))
            pending = None
    return out


def octal(data):
    lines = []
    for i in range(0, len(data), 16):
        lines.append("".join("\\%03o" % c for c in data[i:i + 16]))
    return ("\n".join(lines) + "\n").encode()


def mutate_certdata(text):
    """A few broken or changed variants of one small certdata text."""
    out = []
    swaps = [(b"CKT_NSS_TRUSTED_DELEGATOR", b"CKT_NSS_NOT_TRUSTED"),
             (b"CKT_NSS_TRUSTED_DELEGATOR", b"CKT_NSS_MUST_VERIFY_TRUST"),
             (b"CKT_NSS_MUST_VERIFY_TRUST", b"CKT_NSS_TRUSTED_DELEGATOR"),
             (b"CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE",
              b"CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n" + octal(b"200101000000Z") + b"END"),
             (b"CKC_X_509", b"CKC_X_508"), (b"\nEND\n", b"\n"), (b"UTF8 \"", b"UTF8 "),
             (b"CKO_NSS_TRUST", b"CKO_NSS_TRUSTX"), (b"\\0", b"\\9"), (b"\\3", b"\\4")]
    for old, new in swaps:
        if old in text:
            out.append(text.replace(old, new, 1))
    out.append(text.replace(b"\n", b"\r\n"))
    out.append(text + text[text.index(b"CKA_CLASS"):] if b"CKA_CLASS" in text else text)
    for _ in range(4):
        cut = rng.randrange(1, len(text))
        out.append(text[:cut])
    flips = bytearray(text)
    octals = [m.start() for m in re.finditer(rb"\\[0-7]{3}", text)]
    for pos in rng.sample(octals, min(3, len(octals))):
        flips[pos + 3] = ord("0") + rng.randrange(8)
    out.append(bytes(flips))  # DER no longer matches its hashes
    return out


def certdata_seeds(corpus, shared, pki):
    files = []
    for name in ("certdata.txt", "certdata-older.txt"):
        p = os.path.join(shared, name) if shared else ""
        if p and os.path.exists(p):
            files.append(read(p))
    if pki and os.path.exists(os.path.join(pki, "distrust-certdata.txt")):
        files.append(read(os.path.join(pki, "distrust-certdata.txt")))
    singles = []
    for text in files:
        head, blocks = split_certdata(text)
        root_list = [b for b in blocks if b"CKO_NSS_BUILTIN_ROOT_LIST" in b[:80]]
        prefix = head + (root_list[0] if root_list else b"")
        ps = pairs(blocks)
        for cert, trust in ps:
            singles.append(prefix + cert + trust)
        for i in range(0, len(ps) - 2, 7):  # a few three-root files
            singles.append(prefix + b"".join(c + t for c, t in ps[i:i + 3]))
        for b in blocks:  # trust objects alone (explicit distrust)
            if b"CKO_NSS_TRUST" in b[:80] and b"CKT_NSS_NOT_TRUSTED" in b:
                singles.append(prefix + b)
    for s in singles:
        corpus.add("certdata", s)
        corpus.add("extra_ca", s)
    for s in rng.sample(singles, min(40, len(singles))):
        for m in mutate_certdata(s):
            corpus.add("certdata", m)
    return singles


# ------------------------------------------------------------- PEM / DER

PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n(.*?)-----END CERTIFICATE-----\r?\n?", re.S)


def pem_blocks(text):
    return [m.group(0) for m in PEM_RE.finditer(text)]


def der_of(block):
    return base64.b64decode(PEM_RE.match(block).group(1))


def mutate_pem(block):
    lines = block.split(b"\n")
    out = [block[:len(block) // 2],  # truncated
           block.replace(b"-----END CERTIFICATE-----", b""),  # no END
           block.replace(b"\n", b"\r\n"),
           b"# Label: \"fuzz \xff label\"\n" + block,
           block.replace(b"A", b"*", 1),  # bad base64
           b"\n".join(lines[:1] + lines[2:]),  # a line missing
           block.replace(b"-----END", b"-----BEGIN CERTIFICATE-----\n-----END", 1),
           b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n" + block]
    der = der_of(block)
    out += [der[:len(der) // 2], der + b"\x00", der[:4] + bytes([der[4] ^ 0x80]) + der[5:]]
    return out


def pem_seeds(corpus, pki):
    bundle = read(os.path.join(REPO, "core", "data", "cacert.pem"))
    roots = pem_blocks(bundle)
    pki_certs = []
    if pki:
        for dirpath, _, names in sorted(os.walk(pki)):
            for n in sorted(names):
                if n.endswith(".pem"):
                    pki_certs.append(read(os.path.join(dirpath, n)))
    chains = list(pki_certs)
    chains += [r for r in rng.sample(roots, min(30, len(roots)))]
    for c in chains:
        blocks = pem_blocks(c)
        corpus.add("chain", c)
        corpus.add("extra_ca", c)
        if blocks:
            corpus.add("chain", SEP.join(der_of(b) for b in blocks))
            corpus.add("extra_ca", der_of(blocks[0]))
    for i in range(0, 40, 4):  # small PEM bundles with certifi's comments
        start = bundle.find(roots[i])
        end = bundle.find(roots[i + 3]) + len(roots[i + 3])
        corpus.add("extra_ca", bundle[start:end])
        corpus.add("chain", bundle[start:end])
    for c in rng.sample(chains, min(25, len(chains))):
        blocks = pem_blocks(c)
        if not blocks:
            continue
        for m in mutate_pem(blocks[0]):
            corpus.add("chain", m)
            corpus.add("extra_ca", m)
    return roots, pki_certs


# ---------------------------------------------------------------- verify

def verify_input(flags, at, host, elements):
    offset = max(0, min(at - EPOCH_2020, 0xFFFFFFFF))
    host = host.encode()[:255]
    return bytes([flags]) + struct.pack("<I", offset) + bytes([len(host)]) + host + SEP.join(elements)


def rfc3339(text):
    return int(datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=datetime.timezone.utc).timestamp())


def verify_seeds(corpus, pki):
    if not pki:
        return
    with open(os.path.join(REPO, "tests", "vectors", "verify.json")) as f:
        cases = json.load(f)["cases"]
    for case in cases:
        if case.get("kind") != "verify":
            continue
        try:
            elements = [read(os.path.join(pki, p)) for p in case["chain"]]
        except OSError:
            continue
        flags = 2 | (1 if case.get("purpose") == "client" else 0)
        at = rfc3339(case["at"])
        host = case.get("host") or ""
        corpus.add("verify", verify_input(flags, at, host, elements))
        ders = [der_of(b) for e in elements for b in pem_blocks(e)]
        corpus.add("verify", verify_input(flags, at, host, ders))
        if len(elements) > 1:  # the rest as the untrusted pool
            corpus.add("verify", verify_input(flags | 4, at, host, [elements[0], b"".join(elements[1:])]))
        corpus.add("verify", verify_input(flags | 0x10, at + 86400 * 3650, host + ".", elements))


def diff_seeds(corpus, singles, roots):
    for s in rng.sample(singles, min(60, len(singles))):
        changed = mutate_certdata(s)[:3]
        corpus.add("diff", s + SEP + s)
        for c in changed:
            corpus.add("diff", s + SEP + c)
    for i in range(0, min(len(singles), 120), 6):
        a, b = singles[i], singles[i + 1] if i + 1 < len(singles) else singles[0]
        corpus.add("diff", a + SEP + b)
    for i in range(0, 60, 5):
        corpus.add("diff", b"".join(roots[i:i + 3]) + SEP + b"".join(roots[i + 1:i + 4]))
        if singles:
            corpus.add("diff", singles[i % len(singles)] + SEP + b"".join(roots[i:i + 2]))


def server_flight(cert_chain, key, max_version, request_client_cert=False):
    """What an OpenSSL server sends back to a ClientHello: its first flight."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_chain, key)
    server.maximum_version = max_version
    if request_client_cert:
        server.verify_mode = ssl.CERT_OPTIONAL
        server.load_verify_locations(cert_chain)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE
    pipes = [ssl.MemoryBIO() for _ in range(4)]
    c = client.wrap_bio(pipes[0], pipes[1], server_hostname="fuzz.example.test")
    s = server.wrap_bio(pipes[2], pipes[3], server_side=True)
    for side in (c, s):
        try:
            side.do_handshake()
        except ssl.SSLWantReadError:
            pass
        if side is c:
            pipes[2].write(pipes[1].read())
    return pipes[3].read()


def tls_record(content_type, body, version=b"\x03\x03"):
    return bytes([content_type]) + version + struct.pack(">H", len(body)) + body


def doctor_seeds(corpus, pki):
    """The server's side of a conversation, for the doctor fuzzer."""
    corpus.add("doctor", b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    corpus.add("doctor", b"SSH-2.0-OpenSSH_9.2\r\n")
    for alert in (40, 42, 46, 48, 80, 112, 116):  # handshake_failure ... certificate_required
        corpus.add("doctor", tls_record(21, bytes([2, alert])))
    corpus.add("doctor", tls_record(22, b"\x02\x00\x00\x00"))  # an empty ServerHello
    if not pki:
        return
    flights = []
    inter = read(os.path.join(pki, "valid", "intermediate.pem"))
    with tempfile.TemporaryDirectory() as tmp:
        for case in ("valid", "expired", "self-signed", "not-ca", "wrong-eku", "server-localhost"):
            key = os.path.join(pki, case, "leaf.key")
            leaf = os.path.join(pki, case, "leaf.pem")
            if not (os.path.isfile(key) and os.path.isfile(leaf)):
                continue
            served = os.path.join(tmp, case + ".pem")
            with open(served, "wb") as f:
                f.write(read(leaf) + (b"" if case == "self-signed" else inter))
            for version, mtls in ((ssl.TLSVersion.TLSv1_2, False), (ssl.TLSVersion.TLSv1_2, True),
                                  (ssl.TLSVersion.TLSv1_3, False)):
                flights.append(server_flight(served, key, version, mtls))
            flights.append(server_flight(leaf, key, ssl.TLSVersion.TLSv1_2))  # leaf only
    for flight in flights:
        corpus.add("doctor", flight)
        for cut in (5, len(flight) // 3, len(flight) // 2, len(flight) - 1):
            corpus.add("doctor", flight[:cut])
        flipped = bytearray(flight)
        for _ in range(4):
            flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        corpus.add("doctor", bytes(flipped))


def fixed_seeds(corpus):
    """Chains to the verify fuzzer's own root (fixed_pki.h), which verify."""
    with open(os.path.join(HERE, "fixed_pki.h"), "rb") as f:
        root, inter, leaf = pem_blocks(f.read())
    at = rfc3339("2026-06-01T00:00:00Z")
    host = "fuzz.example.test"
    for flags, when, name, elements in [
            (2, at, host, [leaf, inter]),
            (2, at, "127.0.0.1", [leaf, inter]),
            (2, at, "a.fuzz.example.test", [leaf + inter]),
            (3, at, host, [der_of(leaf), der_of(inter)]),
            (6, at, host, [leaf, inter]),
            (0x12, at, host, [leaf, inter]),
            (2, rfc3339("2046-01-01T00:00:00Z"), host, [leaf, inter]),
            (2, at, "other.example.test", [leaf, inter, root]),
            (0xa, at, host, [leaf, inter, b"-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n"])]:
        corpus.add("verify", verify_input(flags, when, name, elements))
    corpus.add("chain", leaf + inter + root)
    corpus.add("chain", SEP.join([der_of(leaf), der_of(inter)]))
    corpus.add("extra_ca", root)
    corpus.add("diff", root + inter + SEP + root + leaf)


def committed_seeds(corpus):
    """fuzz/seeds/ and every past crash (tests/reliability/regressions/)."""
    for base in (os.path.join(HERE, "seeds"), os.path.join(REPO, "tests", "reliability", "regressions")):
        if not os.path.isdir(base):
            continue
        for target in sorted(os.listdir(base)):
            d = os.path.join(base, target)
            for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                corpus.add(target, read(os.path.join(d, name)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared", "mozilla"))
    ap.add_argument("--pki", default="", help="output of tests/pki/generate.py")
    ap.add_argument("--fixed-only", action="store_true", help="only the fixed-PKI seeds (as committed in seeds/)")
    args = ap.parse_args()
    corpus = Corpus(args.outdir)
    if args.fixed_only:
        fixed_seeds(corpus)
        doctor_seeds(corpus, "")  # the flights need a PKI; the rest is fixed
        print("make_seeds: " + ", ".join("%s %d" % kv for kv in sorted(corpus.counts.items())))
        return
    shared = args.shared if os.path.isdir(args.shared) else ""
    if not shared:
        print("make_seeds: no Mozilla certdata at %s; certdata seeds come from the test PKI only" % args.shared,
              file=sys.stderr)
    singles = certdata_seeds(corpus, shared, args.pki)
    roots, _ = pem_seeds(corpus, args.pki)
    verify_seeds(corpus, args.pki)
    diff_seeds(corpus, singles, roots)
    doctor_seeds(corpus, args.pki)
    fixed_seeds(corpus)
    committed_seeds(corpus)
    print("make_seeds: " + ", ".join("%s %d" % kv for kv in sorted(corpus.counts.items())))


if __name__ == "__main__":
    main()
