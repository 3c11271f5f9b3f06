#!/usr/bin/env python3
"""The smoke program of issue 8, Python edition: usage smoke.py PKI_DIR.

Prints, through the installed package's public API only, the lines every
other edition (smoke.js, smoke.rb, go/main.go) prints byte for byte:

    bundle_version <bundle_version()>
    root_count <len(roots())>
    contents_sha256 <SHA-256 of contents(), hex>
    <valid|expired|wrong_host> <OK|REASON> depth=<d> hint=<hint>

PKI_DIR is the output of tests/pki/generate.py. The chains are the ones of
tests/vectors/verify.json: valid = valid/leaf.pem + valid/intermediate.pem,
expired = expired/leaf.pem + intermediate.pem, wrong_host = the valid chain
for wrong.example.test; root.pem as an extra CA, checked at
2026-06-01T00:00:00Z. An accepted chain prints depth=-1 and an empty hint
(the core's convention). Where the package was loaded from goes to stderr.
"""
import hashlib
import os
import sys

import trustbundle

AT = "2026-06-01T00:00:00Z"


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: smoke.py PKI_DIR\n")
        return 2
    pki = argv[1]

    def read(name):
        with open(os.path.join(pki, name), "rb") as f:
            return f.read()

    root = os.path.join(pki, "root.pem")
    chains = [
        ("valid", ["valid/leaf.pem", "valid/intermediate.pem"], "a.example.test"),
        ("expired", ["expired/leaf.pem", "intermediate.pem"], "a.example.test"),
        ("wrong_host", ["valid/leaf.pem", "valid/intermediate.pem"], "wrong.example.test"),
    ]
    lines = [
        f"bundle_version {trustbundle.bundle_version()}",
        f"root_count {len(trustbundle.roots())}",
        f"contents_sha256 {hashlib.sha256(trustbundle.contents().encode('utf-8')).hexdigest()}",
    ]
    for name, files, host in chains:
        try:
            trustbundle.verify([read(f) for f in files], host, at=AT, extra_ca=root)
            lines.append(f"{name} OK depth=-1 hint=")
        except trustbundle.VerificationError as e:
            lines.append(f"{name} {e.reason} depth={e.depth} hint={e.hint}")
    sys.stdout.buffer.write("".join(line + "\n" for line in lines).encode("utf-8"))
    sys.stderr.write(f"smoke.py: trustbundle {trustbundle.library_version()} from {trustbundle.__file__}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
