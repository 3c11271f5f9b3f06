"""A PyInstaller one-file build of a small HTTPS client (PyInstaller pinned in
requirements.txt, in the test venv) that uses trustbundle: the package's hook
(the pyinstaller40 entry point) brings the lazily imported modules and the
bundle data, and the executable verifies a real server through the core."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import pytest

import trustbundle

CLIENT = """\
import hashlib, json, os, sys, urllib.request
import trustbundle

port, root = sys.argv[1], sys.argv[2]
url = f"https://localhost:{port}/"
body = urllib.request.urlopen(url, context=trustbundle.create_default_context(extra_ca=root), timeout=10).read()
try:
    urllib.request.urlopen(url, context=trustbundle.create_default_context(), timeout=10)
    rejected = "accepted"
except Exception as e:
    error = trustbundle.verification_error(e)
    rejected = error.reason if error else repr(e)
where = trustbundle.where()
print(json.dumps({
    "frozen": getattr(sys, "frozen", False), "bundle_dir": getattr(sys, "_MEIPASS", None),
    "where": where, "where_sha256": hashlib.sha256(open(where, "rb").read()).hexdigest(),
    "capath": sorted(os.listdir(trustbundle.where_capath())), "body": body.decode(), "rejected": rejected,
    "doctor": trustbundle.diagnose(f"localhost:{port}", extra_ca=root).verdict,
    "roots": len(trustbundle.roots()),
}))
"""


def test_the_hook_is_registered() -> None:
    found = metadata.entry_points()
    hooks = found.select(group="pyinstaller40") if hasattr(found, "select") else found.get("pyinstaller40", [])
    ours = [ep for ep in hooks if (ep.name, ep.value) == ("hook-dirs", "trustbundle._pyinstaller:get_hook_dirs")]
    assert ours, hooks
    (directory,) = ours[0].load()()
    assert (Path(directory) / "hook-trustbundle.py").is_file()


@pytest.mark.frozen
def test_pyinstaller_one_file_https_client(tmp_path: Path, tls_server, pki: Path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "client.py"
    script.write_text(CLIENT)
    started = time.monotonic()
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--onefile", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "work"),
         "--specpath", str(tmp_path), "--name", "client", str(script)],
        env={**os.environ, "PYINSTALLER_CONFIG_DIR": str(tmp_path / "config")},  # its cache: not the user's
        capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    print(f"PyInstaller one-file build: {time.monotonic() - started:.1f} s")
    executable = tmp_path / "dist" / "client"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "TRUSTBUNDLE_EXTRA"))}
    done = subprocess.run([str(executable), str(tls_server.port), str(pki / "root.pem")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(done.stdout)
    assert got["frozen"] is True and got["bundle_dir"]
    # where() is the collected data file, inside the executable's bundle dir.
    assert got["where"] == os.path.join(got["bundle_dir"], "trustbundle", "cacert.pem")
    assert got["where_sha256"] == hashlib.sha256(Path(trustbundle.where()).read_bytes()).hexdigest()
    assert got["capath"] == sorted(os.listdir(trustbundle.where_capath()))
    assert got["body"] == "hello from the trustbundle test server\n"
    assert got["rejected"] == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "the core's verdict, inside the executable"
    assert got["doctor"] == "OK"
    assert got["roots"] == len(trustbundle.roots())
