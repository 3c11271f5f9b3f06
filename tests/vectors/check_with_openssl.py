#!/usr/bin/env python3
"""Cross-checks tests/vectors/verify.json against the `openssl` command line.

    python3 tests/vectors/check_with_openssl.py [--openssl PATH] [--keep DIR] [-v]

Runs tests/pki/generate.py into a temporary directory, then:
  - every "verify" case that `openssl verify` can express is run with
    -x509_strict -auth_level 2 -purpose sslserver|sslclient -attime EPOCH
    -verify_hostname|-verify_ip, the trusted roots as -CAfile (and no default
    CA path or store), the rest of the chain as -untrusted; the first error
    OpenSSL reports (name mapped to the trustbundle vocabulary, and depth) or
    OK with the chain length must equal the case's expectation;
  - every "key_pair" case is checked with `openssl pkey` / `openssl x509`
    (public keys equal, "SSL client : Yes" purpose, notBefore <= at <= notAfter;
    a key that cannot be decrypted is the PASSPHRASE error).
Cases the CLI cannot express are skipped, each with the reason.

The last line is "N passed, M failed, K skipped"; the exit status is 1 when
any case failed (2 for a usage or setup error).
"""

import argparse
import datetime
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# OpenSSL 3 X509_V_ERR_* codes (include/openssl/x509_vfy.h) -> trustbundle reason.
# (OpenSSL 3 renumbered INVALID_CA to 79; 24 is now NO_ISSUER_PUBLIC_KEY.)
OPENSSL_TO_REASON = {
    2: "UNABLE_TO_GET_ISSUER_CERT",          # not in the vocabulary: would be a disagreement
    7: "CERT_SIGNATURE_FAILURE",
    9: "CERT_NOT_YET_VALID",
    10: "CERT_HAS_EXPIRED",
    18: "SELF_SIGNED",                         # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    19: "SELF_SIGNED_CERT_IN_CHAIN",
    20: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    21: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",   # X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
    22: "CERT_CHAIN_TOO_LONG",
    25: "PATH_LENGTH_EXCEEDED",
    26: "INVALID_PURPOSE",
    28: "CERT_REJECTED",
    47: "NAME_CONSTRAINTS_VIOLATION",          # X509_V_ERR_PERMITTED_VIOLATION
    48: "NAME_CONSTRAINTS_VIOLATION",          # X509_V_ERR_EXCLUDED_VIOLATION
    62: "HOSTNAME_MISMATCH",
    64: "IP_ADDRESS_MISMATCH",
    79: "INVALID_CA",
}

# Cases whose expectation depends on a policy flag the CLI cannot set.
SKIP_BY_NAME = {
    "cn-only-no-san": "needs X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, which `openssl verify` cannot set "
                      "(the CLI falls back to the subject CN when there is no SAN)",
    "partial-wildcard-no-match": "needs X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, which `openssl verify` cannot set "
                                 "(the CLI accepts f*.example.test for foo.example.test)",
    "host-absolute-name": "the core strips an absolute name's trailing dot before matching; `openssl verify "
                          "-verify_hostname` compares the name with its dot",
}

PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\r?\n?", re.S)
ERROR_LINE = re.compile(r"error (\d+) at (-?\d+) depth lookup: (.*)")


def epoch(rfc3339):
    return int(datetime.datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=datetime.timezone.utc).timestamp())


class Checker:
    def __init__(self, openssl, pki, workdir, verbose):
        self.openssl = openssl
        self.pki = pki
        self.work = workdir
        self.verbose = verbose
        self.counter = 0

    def run(self, args, input_bytes=None):
        proc = subprocess.run([self.openssl] + args, input=input_bytes, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")

    def tmpfile(self, data):
        self.counter += 1
        path = os.path.join(self.work, "f%d.pem" % self.counter)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def read(self, rel):
        with open(os.path.join(self.pki, rel), "rb") as f:
            return f.read()

    # ----------------------------------------------------------- verify cases
    def skip_reason(self, case):
        if case["name"] in SKIP_BY_NAME:
            return SKIP_BY_NAME[case["name"]]
        trust = case["trust"]
        if not trust:
            return "trust {} is the embedded Mozilla bundle, which this checker does not load"
        if "roots_certdata" in trust:
            return "roots_certdata carries distrust-after dates, which OpenSSL does not know about"
        if "env_extra_ca" in trust:
            return "env_extra_ca is about TRUSTBUNDLE_EXTRA_CA_CERTS, which `openssl verify` does not read"
        if set(trust) - {"extra_ca", "roots"}:
            return "unknown trust form %s" % sorted(trust)
        return None

    def check_verify(self, case):
        trust = case["trust"]
        # extra_ca = Mozilla + these; no Mozilla root issues the test PKI, so these alone are equivalent.
        roots = b"".join(self.read(p) for p in trust.get("extra_ca", []) + trust.get("roots", []))
        certs = []
        for rel in case["chain"]:
            found = PEM_CERT.findall(self.read(rel))
            if not found:
                raise RuntimeError("%s: no PEM certificate" % rel)
            certs += [c if c.endswith(b"\n") else c + b"\n" for c in found]
        args = ["verify", "-x509_strict", "-auth_level", "2", "-show_chain",
                "-purpose", "sslclient" if case["purpose"] == "client" else "sslserver",
                "-attime", str(epoch(case["at"])),
                "-no-CApath", "-no-CAstore", "-CAfile", self.tmpfile(roots)]
        if len(certs) > 1:
            args += ["-untrusted", self.tmpfile(b"".join(certs[1:]))]
        host = case.get("host")
        if host:
            try:
                ipaddress.ip_address(host)
                args += ["-verify_ip", host]
            except ValueError:
                args += ["-verify_hostname", host]
        args.append(self.tmpfile(certs[0]))
        rc, out, err = self.run(args)
        text = out + err
        errors = ERROR_LINE.findall(text)
        if errors:
            code, depth, message = errors[0]
            code = int(code)
            reason = OPENSSL_TO_REASON.get(code, "X509_V_ERR %d (%s)" % (code, message))
            got = {"ok": False, "reason": reason, "depth": int(depth)}
            detail = "openssl: error %d at depth %s: %s" % (code, depth, message)
        elif rc == 0 and ": OK" in out:
            chain_len = len(re.findall(r"^depth=\d+:", out, re.M))
            got = {"ok": True, "reason": "OK", "depth": -1, "chain_length": chain_len}
            detail = "openssl: OK, chain of %d" % chain_len
        else:
            raise RuntimeError("unexpected openssl output (exit %d):\n%s" % (rc, text))
        want = {key: case["expect"][key] for key in ("ok", "reason", "depth", "chain_length")
                if key in case["expect"]}
        if self.verbose:
            detail += "\n      " + " ".join(args) + ("\n      " + text.strip().replace("\n", "\n      "))
        return got == want, "expected %s, %s" % (fmt(want), detail if got == want else "got %s; %s" % (fmt(got), detail))

    # --------------------------------------------------------- key pair cases
    def check_key_pair(self, case):
        cert_path = os.path.join(self.pki, case["cert"])
        key_path = os.path.join(self.pki, case["key"])
        args = ["pkey", "-in", key_path, "-pubout", "-passin", "stdin"]
        passphrase = case.get("passphrase")
        rc, key_pub, key_err = self.run(args, input_bytes=(passphrase or "").encode() + b"\n")
        got = {}
        if rc != 0:
            got = {"error": "PASSPHRASE" if "ENCRYPTED" in open(key_path).read() else "PARSE"}
            detail = "openssl pkey failed: %s" % key_err.strip().splitlines()[0] if key_err.strip() else ""
        else:
            rc, cert_pub, err = self.run(["x509", "-in", cert_path, "-noout", "-pubkey"])
            if rc != 0:
                raise RuntimeError("openssl x509 -pubkey failed: " + err)
            rc, purposes, err = self.run(["x509", "-in", cert_path, "-noout", "-purpose"])
            rc2, dates, err2 = self.run(["x509", "-in", cert_path, "-noout", "-startdate", "-enddate"])
            if rc != 0 or rc2 != 0:
                raise RuntimeError("openssl x509 failed: " + err + err2)
            nb = parse_openssl_date(re.search(r"notBefore=(.*)", dates).group(1))
            na = parse_openssl_date(re.search(r"notAfter=(.*)", dates).group(1))
            at = epoch(case["at"])
            got = {"match": key_pub.strip() == cert_pub.strip(),
                   "client_auth": re.search(r"^SSL client : Yes$", purposes, re.M) is not None,
                   "valid": nb <= at <= na}
            detail = "openssl: match=%s client_auth=%s valid=%s" % (got["match"], got["client_auth"], got["valid"])
        want = case["expect"]
        return got == want, "expected %s, %s" % (fmt(want), detail if got == want else "got %s; %s" % (fmt(got), detail))


def parse_openssl_date(text):
    # e.g. "Jan  1 00:00:00 2026 GMT"
    return int(datetime.datetime.strptime(" ".join(text.split()), "%b %d %H:%M:%S %Y GMT")
               .replace(tzinfo=datetime.timezone.utc).timestamp())


def fmt(d):
    return " ".join("%s=%s" % (k, json.dumps(v)) for k, v in d.items())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vectors", default=os.path.join(HERE, "verify.json"))
    ap.add_argument("--generator", default=None, help="default: the vectors' pki_generator")
    ap.add_argument("--openssl", default=shutil.which("openssl") or "openssl")
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    ap.add_argument("-v", "--verbose", action="store_true")
    opts = ap.parse_args()

    with open(opts.vectors) as f:
        doc = json.load(f)
    if doc.get("version") != 1:
        sys.stderr.write("unsupported vectors version %r\n" % doc.get("version"))
        return 2
    generator = opts.generator or os.path.join(REPO, doc["pki_generator"])
    version = subprocess.run([opts.openssl, "version"], stdout=subprocess.PIPE, text=True)
    print("using %s (%s)" % (opts.openssl, version.stdout.strip()))

    tmp = tempfile.mkdtemp(prefix="trustbundle-vectors-")
    try:
        pki = opts.keep or os.path.join(tmp, "pki")
        gen = subprocess.run([sys.executable, generator, pki], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        if gen.returncode != 0:
            sys.stderr.write("generator failed:\n" + gen.stdout + gen.stderr)
            return 2
        print(gen.stdout.strip())
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        checker = Checker(opts.openssl, pki, work, opts.verbose)

        passed = failed = skipped = 0
        names = {c["name"] for c in doc["cases"]}
        for missing in sorted(set(SKIP_BY_NAME) - names):
            print("NOTE  skip list names %s, which is not a case" % missing)
        for case in doc["cases"]:
            kind = case["kind"]
            if kind == "verify":
                reason = checker.skip_reason(case)
                if reason:
                    print("SKIP  %-40s %s" % (case["name"], reason))
                    skipped += 1
                    continue
                ok, detail = checker.check_verify(case)
            elif kind == "key_pair":
                ok, detail = checker.check_key_pair(case)
            else:
                print("SKIP  %-40s unknown kind %r" % (case["name"], kind))
                skipped += 1
                continue
            print("%s  %-40s %s" % ("PASS" if ok else "FAIL", case["name"], detail))
            if ok:
                passed += 1
            else:
                failed += 1
        print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
