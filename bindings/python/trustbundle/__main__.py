"""``python -m trustbundle``: certifi's command line, plus a subset of the trustbundle tool.

    python -m trustbundle                 the path of cacert.pem (as certifi)
    python -m trustbundle -c              its contents (as certifi)
    python -m trustbundle info [--json]   library and bundle versions, root count
    python -m trustbundle where | capath | pem
    python -m trustbundle list [--json]
    python -m trustbundle verify CHAIN.pem [--host H] [--at TIME] [--purpose server|client]
                                 [--extra-ca PATH]... [--roots PATH]... [--json]
    python -m trustbundle check-pair CERT KEY [--passphrase-file F] [--at TIME]
    python -m trustbundle doctor HOST[:PORT] [--servername NAME] [--extra-ca FILE]...
                                 [--cert FILE --key FILE] [--timeout S] [--json]

Exit codes: 0 success (or accepted), 1 rejected (verify, check-pair, doctor),
2 bad usage or input, or (doctor) unreachable or not TLS, with a one-line
reason on stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from typing import List, Optional, Sequence

_COMMANDS = ("info", "where", "capath", "pem", "list", "verify", "check-pair", "doctor")


def _certifi_main(argv: Sequence[str]) -> int:
    from . import contents, where

    parser = argparse.ArgumentParser(prog="python -m trustbundle", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--contents", action="store_true", help="print the bundle instead of its path")
    args = parser.parse_args(argv)
    if args.contents:
        sys.stdout.write(contents())
    else:
        print(where())
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    import trustbundle as tb
    from . import _native

    pem = tb.contents().encode("ascii")
    info = {
        "library_version": tb.library_version(),
        "package_version": tb.__version__,
        "bundle_version": tb.bundle_version(),
        "nss_version": _native.bundle_nss_version(),
        "root_count": _native.root_count(),
        "pem_sha256": hashlib.sha256(pem).hexdigest(),
        "where": tb.where(),
        "where_capath": tb.where_capath(),
    }
    if args.json:
        print(json.dumps(info))
    else:
        nss, as_of = tb.bundle_version().split("/", 1)
        print(f"trustbundle {info['library_version']} (Python package {info['package_version']})")
        print(f"bundle:      Mozilla NSS builtins {nss}, curated as of {as_of}")
        print(f"roots:       {info['root_count']}")
        print(f"pem sha256:  {info['pem_sha256']}")
        print(f"cacert.pem:  {info['where']}")
        print(f"capath:      {info['where_capath']}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    import trustbundle as tb

    rows = tb.roots()
    if args.json:
        print(json.dumps([{
            "label": r.label, "sha256": r.sha256, "subject": r.subject,
            "not_before": r.not_before.isoformat().replace("+00:00", "Z"),
            "not_after": r.not_after.isoformat().replace("+00:00", "Z"),
            "server_distrust_after": None if r.server_distrust_after is None
            else r.server_distrust_after.isoformat().replace("+00:00", "Z"),
        } for r in rows], indent=1))
    else:
        for r in rows:
            distrust = r.server_distrust_after.date().isoformat() if r.server_distrust_after else "-"
            print(f"{r.sha256}  {r.not_after.date().isoformat()}  {distrust:10}  {r.label}")
    return 0


def _read(path: str) -> bytes:
    from ._errors import FileError

    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise FileError(f"cannot read '{path}': {e.strerror}", filename=path) from None


def _cmd_verify(args: argparse.Namespace) -> int:
    import trustbundle as tb

    chain = _read(args.chain)
    if args.roots:
        store = tb.Store(args.roots + (args.extra_ca or []), mozilla=False, env=False)
    else:
        store = tb.Store(args.extra_ca or None)
    try:
        verified = store.verify(chain, args.host, at=args.at, purpose=args.purpose)
    except tb.VerificationError as e:
        if args.json:
            print(json.dumps({"ok": False, "reason": e.reason, "depth": e.depth, "openssl_code": e.verify_code,
                              "message": e.verify_message, "hint": e.hint, "chain": []}))
        else:
            print(f"REJECTED: {e.reason} at depth {e.depth}: {e.verify_message}")
            if e.hint:
                print(f"hint: {e.hint}")
        return 1
    if args.json:
        print(json.dumps({"ok": True, "reason": "OK", "depth": -1, "openssl_code": 0, "message": "", "hint": "",
                          "chain": [hashlib.sha256(der).hexdigest() for der in verified]}))
    else:
        print(f"OK: verified ({len(verified)} certificates)")
        for i, der in enumerate(verified):
            print(f"  {i}: sha256 {hashlib.sha256(der).hexdigest()}")
    return 0


def _cmd_check_pair(args: argparse.Namespace) -> int:
    import trustbundle as tb

    password: Optional[str] = None
    if args.passphrase_file:
        password = _read(args.passphrase_file).decode("utf-8").rstrip("\r\n")
    check = tb.check_key_pair(_read(args.cert), _read(args.key), password, at=args.at)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    print("match:       " + ("the key belongs to the certificate" if check.match
                             else "NO: the key does not belong to the certificate"))
    print("client auth: " + ("allowed" if check.client_auth else "NO: the certificate may not do TLS client auth"))
    print("validity:    " + ("valid" if check.valid else "NOT valid") +
          f" ({check.not_before.strftime(fmt)} .. {check.not_after.strftime(fmt)})")
    return 0 if check.ok else 1


def _cmd_doctor(args: argparse.Namespace) -> int:
    from ._doctor import diagnose

    password: Optional[str] = None
    if args.passphrase_file:
        password = _read(args.passphrase_file).decode("utf-8").rstrip("\r\n")
    if args.key and not args.cert:
        raise _usage("--key needs --cert")
    if not 0 < args.timeout <= 600:  # NaN fails too
        raise _usage("--timeout must be a number of seconds, more than 0 and at most 600")
    cert = _read(args.cert) if args.cert else None
    key = _read(args.key) if args.key else None
    diagnosis = diagnose(args.target, servername=args.servername, extra_ca=args.extra_ca or None, cert=cert,
                         key=key, password=password, timeout=args.timeout)
    sys.stdout.write(diagnosis.json if args.json else diagnosis.text)  # the core's rendering, as the CLI's
    return diagnosis.exit_code


def _usage(message: str) -> Exception:
    from ._errors import ArgumentError

    return ArgumentError(message, status="INVALID_ARGUMENT")


def _tool_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m trustbundle")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("info", help="library and bundle versions, root count")
    p.add_argument("--json", action="store_true")
    sub.add_parser("where", help="path of cacert.pem")
    sub.add_parser("capath", help="path of the hashed CA directory")
    sub.add_parser("pem", help="the bundle, certifi's layout")
    p = sub.add_parser("list", help="every root: SHA-256, notAfter, distrust-after, label")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("verify", help="verify a PEM chain, leaf first")
    p.add_argument("chain")
    p.add_argument("--host")
    p.add_argument("--at", help="RFC 3339 UTC time or Unix seconds (default: now)")
    p.add_argument("--purpose", choices=("server", "client"), default="server")
    p.add_argument("--extra-ca", action="append", metavar="PATH", help="trust this CA file or directory too")
    p.add_argument("--roots", action="append", metavar="PATH", help="trust only these roots (testing)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("check-pair", help="does a client key match its certificate, may it do clientAuth")
    p.add_argument("cert")
    p.add_argument("key")
    p.add_argument("--passphrase-file")
    p.add_argument("--at")
    p = sub.add_parser("doctor", help="diagnose a live TLS endpoint: what is wrong, how to fix it")
    p.add_argument("target", metavar="HOST[:PORT]")
    p.add_argument("--servername", help="the name sent as SNI and verified (default: HOST)")
    p.add_argument("--extra-ca", action="append", metavar="FILE", help="trust this CA file or directory too")
    p.add_argument("--cert", help="an mTLS client certificate (PEM; may hold the key)")
    p.add_argument("--key", help="its private key (default: the --cert file)")
    p.add_argument("--passphrase-file", help="the key's passphrase, first line")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds for the whole probe (default 10)")
    p.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    import trustbundle as tb

    try:
        if args.command == "info":
            return _cmd_info(args)
        if args.command == "where":
            print(tb.where())
            return 0
        if args.command == "capath":
            print(tb.where_capath())
            return 0
        if args.command == "pem":
            sys.stdout.write(tb.contents())
            return 0
        if args.command == "list":
            return _cmd_list(args)
        if args.command == "doctor":
            return _cmd_doctor(args)
        if args.command == "verify":
            return _cmd_verify(args)
        return _cmd_check_pair(args)
    except tb.TrustbundleError as e:
        print(f"python -m trustbundle {args.command}: {e}", file=sys.stderr)
        return 2


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _COMMANDS:
        return _tool_main(argv)
    return _certifi_main(argv)


if __name__ == "__main__":
    sys.exit(main())
