"""The certifi-compatible surface: where(), contents(), where_capath(), roots(),
bundle_version(), the package data, zipapps, and `python -m trustbundle`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import ssl
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import trustbundle
from trustbundle import _native

from conftest import REPO

PACKAGE_DIR = Path(trustbundle.__file__).resolve().parent


def test_certifi_compatibility() -> None:
    path = trustbundle.where()
    assert os.path.isfile(path) and os.path.basename(path) == "cacert.pem"
    with open(path) as f:
        assert f.read() == trustbundle.contents()


def test_where_is_the_shipped_file() -> None:
    assert Path(trustbundle.where()).resolve() == PACKAGE_DIR / "cacert.pem"
    assert Path(trustbundle.where_capath()).resolve() == PACKAGE_DIR / "capath"


def test_package_data_equals_the_embedded_bundle() -> None:
    """The shipped cacert.pem is trustbundle_bundle_pem() byte for byte, and the
    committed core/data/cacert.pem too."""
    shipped = Path(trustbundle.where()).read_bytes()
    assert shipped == _native.bundle_pem().encode("ascii")
    committed = REPO / "core" / "data" / "cacert.pem"
    if committed.is_file():
        assert shipped == committed.read_bytes()


def test_shipped_capath_equals_the_core_export(tmp_path: Path) -> None:
    exported = Path(os.fsdecode(_native.capath_export(os.fsencode(tmp_path / "capath"))))
    shipped = Path(trustbundle.where_capath())
    names = sorted(p.name for p in shipped.iterdir())
    assert names == sorted(p.name for p in exported.iterdir())
    assert len(names) == len(trustbundle.roots()) == 119
    for name in names:
        assert (shipped / name).read_bytes() == (exported / name).read_bytes(), name


def test_capath_holds_every_root_under_its_openssl_hash() -> None:
    """Each root's DER is in the directory, so OpenSSL's lazy lookup can find it."""
    capath = Path(trustbundle.where_capath())
    texts = [p.read_text("utf-8") for p in capath.iterdir()]
    ders = {ssl.PEM_cert_to_DER_cert(t[t.index("-----BEGIN"):]) for t in texts}
    assert ders == {r.der for r in trustbundle.roots()}


def test_bundle_as_of_and_age() -> None:
    as_of = trustbundle.bundle_as_of()
    assert as_of.tzinfo is not None
    assert trustbundle.bundle_version().split("/")[1] == as_of.strftime("%Y-%m-%dT%H:%M:%SZ")
    day = dt.timedelta(days=1)
    assert trustbundle.bundle_age_days(as_of) == 0
    assert trustbundle.bundle_age_days(as_of - 3 * day) == 0
    assert trustbundle.bundle_age_days(as_of + 181 * day - dt.timedelta(seconds=1)) == 180
    assert trustbundle.bundle_age_days(int(as_of.timestamp()) + 181 * 86400) == 181
    assert trustbundle.bundle_age_days((as_of + 10 * day).strftime("%Y-%m-%dT%H:%M:%SZ")) == 10
    assert trustbundle.bundle_age_days() == max(0, (dt.datetime.now(dt.timezone.utc) - as_of).days)
    with pytest.raises(trustbundle.ParseError, match="at: "):
        trustbundle.bundle_age_days("yesterday")


def test_bundle_version_and_roots() -> None:
    version = trustbundle.bundle_version()
    nss, as_of = version.split("/")
    assert nss == "2.86"
    assert as_of.endswith("Z")
    assert trustbundle.library_version() == trustbundle.__version__ == "0.1.0"
    roots = trustbundle.roots()
    assert len(roots) == 119
    for r in roots:
        assert hashlib.sha256(r.der).hexdigest() == r.sha256
        assert hashlib.sha1(r.der).hexdigest() == r.sha1
        assert r.server_trust == "trusted"
        assert r.not_before < r.not_after
        assert r.not_after.tzinfo is dt.timezone.utc
        assert r.pem.startswith("-----BEGIN CERTIFICATE-----")
        colons = ":".join(r.sha256[i:i + 2] for i in range(0, 64, 2))
        assert f"# SHA256 Fingerprint: {colons}\n" in trustbundle.contents()
    labels = [r.label for r in roots]
    assert len(set(labels)) == len(labels)
    assert any(not label.isascii() for label in labels), "NetLock's label is non-ASCII"
    with pytest.raises(AttributeError):
        roots[0].label = "x"  # type: ignore[misc]  # frozen


def test_roots_match_the_manifest() -> None:
    """roots() carries the manifest's metadata, distrust-after dates included."""
    path = REPO / "core" / "data" / "manifest.json"
    if not path.is_file():
        pytest.skip("core/data/manifest.json is not beside the tests")
    text = path.read_text("utf-8")
    roots = trustbundle.roots()
    for r in roots:
        assert r.sha256 in text
    with_distrust = [r for r in roots if r.server_distrust_after is not None]
    for r in with_distrust:
        assert r.server_distrust_after.tzinfo is dt.timezone.utc


def test_lazy_import_keeps_where_cheap() -> None:
    """`import trustbundle; trustbundle.where()` loads neither ssl nor the native module."""
    code = ("import sys, trustbundle; trustbundle.where(); "
            "print(sorted(m for m in ('ssl', '_ssl', 'trustbundle._native', 'typing') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


AT = "2026-06-01T00:00:00Z"  # the vectors' instant: no test depends on the calendar


def _tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trustbundle", *args], capture_output=True, text=True)


def test_python_dash_m_is_certifis_command_line() -> None:
    """As `python -m certifi`: no arguments prints where(), -c/--contents the bundle."""
    r = _tool()
    assert (r.returncode, r.stdout, r.stderr) == (0, trustbundle.where() + "\n", "")
    for flag in ("-c", "--contents"):
        r = _tool(flag)
        assert (r.returncode, r.stderr) == (0, "")
        assert r.stdout == trustbundle.contents()
    r = _tool("-c", "extra")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == "trustbundle: -c takes no arguments (see trustbundle --help)\n"


def test_python_dash_m_is_the_core_tool(cache_dir: Path) -> None:
    """Every other command is the core's tool: its commands, output and exit codes."""
    r = _tool("--version")
    assert (r.returncode, r.stdout) == (0, f"trustbundle {trustbundle.library_version()}\n")
    overview = _tool("--help")
    assert overview.returncode == 0 and overview.stdout.startswith("usage: trustbundle COMMAND [options]")
    commands = [line.split()[1] for line in overview.stdout.splitlines() if line.startswith("  trustbundle ")]
    assert commands == ["where", "pem", "info", "list", "capath", "build", "diff", "verify", "check-pair", "doctor"]
    for command in commands:
        r = _tool(command, "--help")
        assert (r.returncode, r.stderr) == (0, ""), command
        assert r.stdout.startswith(f"usage: trustbundle {command}"), r.stdout

    at = "2030-01-02T03:04:05Z"
    info = json.loads(_tool("info", "--json", "--at", at).stdout)
    assert info == {"library_version": trustbundle.library_version(), "bundle_version": trustbundle.bundle_version(),
                    "nss_version": "2.86", "as_of": trustbundle.bundle_version().split("/", 1)[1],
                    "age_days": trustbundle.bundle_age_days(at), "root_count": 119,
                    "pem_sha256": hashlib.sha256(trustbundle.contents().encode()).hexdigest()}
    assert "roots:       119\n" in _tool("info").stdout
    rows = json.loads(_tool("list", "--json").stdout)
    assert [r["sha256"] for r in rows] == [r.sha256 for r in trustbundle.roots()]

    # where and capath write into the user cache (the core's), not the package.
    where = Path(_tool("where").stdout.rstrip("\n"))
    assert cache_dir in where.parents and where.read_text() == trustbundle.contents()
    capath = Path(_tool("capath").stdout.rstrip("\n"))
    assert cache_dir in capath.parents and len(os.listdir(capath)) == 119
    assert _tool("pem").stdout == trustbundle.contents()

    r = _tool("frobnicate")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.startswith("trustbundle: unknown command 'frobnicate'\n")


def test_python_dash_m_verify_and_check_pair(pki: Path) -> None:
    chain = str(pki / "server-localhost" / "fullchain.pem")
    rejected = _tool("verify", chain, "--host", "localhost", "--at", AT)
    assert rejected.returncode == 1
    assert rejected.stdout.startswith("REJECTED: UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 1: ")
    assert "\nhint: issued by 'Test Root CA'" in rejected.stdout
    assert rejected.stderr.startswith("rejected: UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ")
    ok = _tool("verify", chain, "--host", "localhost", "--extra-ca", str(pki / "root.pem"), "--at", AT)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines() == ["OK: verified (3 certificates)", "  0: localhost", "  1: Test Intermediate CA",
                                      "  2: Test Root CA"]
    as_json = json.loads(_tool("verify", chain, "--host", "wrong.example.test", "--extra-ca", str(pki / "root.pem"),
                               "--at", AT, "--json").stdout)
    assert (as_json["ok"], as_json["reason"], as_json["depth"], as_json["chain"]) == (False, "HOSTNAME_MISMATCH", 0, [])
    expired = _tool("verify", str(pki / "expired" / "leaf.pem"), str(pki / "intermediate.pem"), "--roots",
                    str(pki / "root.pem"), "--at", AT, "--json")
    assert expired.returncode == 1
    assert json.loads(expired.stdout)["reason"] == "CERT_HAS_EXPIRED"
    missing = _tool("verify", chain, "--extra-ca", str(pki / "nope.pem"), "--at", AT)
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr.startswith("trustbundle verify: ") and "nope.pem" in missing.stderr

    client, key = str(pki / "mtls" / "client.pem"), str(pki / "mtls" / "client.key")
    pair = _tool("check-pair", client, key, "--at", AT, "--json")
    assert pair.returncode == 0, pair.stdout + pair.stderr
    assert json.loads(pair.stdout)["ok"] is True
    mismatch = _tool("check-pair", client, str(pki / "mtls" / "other.key"), "--at", AT)
    assert mismatch.returncode == 1
    assert mismatch.stdout.startswith("MISMATCH:    the key does not belong to the certificate\n")


def _zipapp(tmp_path: Path) -> Path:
    """A zipapp holding the pure-Python package and its data, but not the
    extension: zipimport cannot load one, so (as a freezer's importer does)
    the bootstrap points the package at the directory where it lives."""
    app = tmp_path / "app.pyz"
    with zipfile.ZipFile(app, "w") as z:
        for path in PACKAGE_DIR.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(".so"):
                z.write(path, "trustbundle/" + path.relative_to(PACKAGE_DIR).as_posix())
        z.writestr("__main__.py", (
            "import json, os, sys\n"
            "import trustbundle\n"
            "assert '.pyz' in trustbundle.__file__, trustbundle.__file__\n"
            "trustbundle.__path__.append(os.environ['TB_NATIVE_DIR'])\n"
            "print(json.dumps({'where': trustbundle.where(), 'capath': trustbundle.where_capath(),\n"
            "                  'contents': trustbundle.contents(), 'again': trustbundle.where()}))\n"))
    return app


def test_where_from_a_zipapp(tmp_path: Path) -> None:
    app = _zipapp(tmp_path)
    cache = tmp_path / "cache"
    env = {**os.environ, "TB_NATIVE_DIR": str(PACKAGE_DIR), "TRUSTBUNDLE_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, str(app)], env=env, check=True, capture_output=True, text=True).stdout
    got = json.loads(out)
    where = Path(got["where"])
    assert where.is_file() and cache in where.parents, "materialized into the cache"
    assert got["again"] == got["where"]
    assert where.read_bytes() == Path(trustbundle.where()).read_bytes()
    assert got["contents"] == trustbundle.contents()
    capath = Path(got["capath"])
    assert cache in capath.parents
    assert sorted(p.name for p in capath.iterdir()) == sorted(os.listdir(trustbundle.where_capath()))
    # A second process reuses the identical file untouched.
    before = where.stat().st_mtime_ns
    out2 = subprocess.run([sys.executable, str(app)], env=env, check=True, capture_output=True, text=True).stdout
    assert json.loads(out2)["where"] == got["where"]
    assert where.stat().st_mtime_ns == before
