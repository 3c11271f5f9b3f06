"""Install tests: the package builds and works from a clone and from its sdist,
each in a fresh venv (build dependencies come from the package index through
pip's build isolation, as a user's install would)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import textwrap
import venv
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.install

CHECK = textwrap.dedent("""
    import os, ssl, subprocess, sys
    import trustbundle
    pki = sys.argv[1]
    where = trustbundle.where()
    assert os.path.isfile(where), where
    assert os.path.realpath(where).startswith(os.path.realpath(sys.prefix)), where
    assert open(where).read() == trustbundle.contents()
    assert len(os.listdir(trustbundle.where_capath())) == 119
    chain = open(os.path.join(pki, "server-localhost", "fullchain.pem"), "rb").read()
    verified = trustbundle.verify(chain, "localhost", extra_ca=os.path.join(pki, "root.pem"))
    assert len(verified) == 3
    try:
        trustbundle.verify(chain, "localhost")
        raise SystemExit("accepted without the test CA")
    except trustbundle.VerificationError as e:
        assert e.reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", e
    ctx = trustbundle.create_default_context(extra_ca=os.path.join(pki, "root.pem"))
    assert isinstance(ctx, ssl.SSLContext)
    out = subprocess.run([sys.executable, "-m", "trustbundle"], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == where
    print("install-check ok", trustbundle.bundle_version(), where)
""")


def _fresh_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin" / "python"


def _pip_install(python: Path, target: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    proc = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", target],
                          env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, f"pip install {target} failed:\n{proc.stdout}\n{proc.stderr}"


def _check(python: Path, pki: Path, cwd: Path) -> str:
    # Run away from the source tree, so the installed package is what imports.
    proc = subprocess.run([str(python), "-c", CHECK, str(pki)], cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_pip_install_from_the_clone(tmp_path: Path, pki: Path) -> None:
    python = _fresh_venv(tmp_path / "venv")
    _pip_install(python, str(REPO))
    assert "install-check ok" in _check(python, pki, tmp_path)


def test_pip_install_from_the_sdist(tmp_path: Path, pki: Path) -> None:
    pytest.importorskip("build", reason="the sdist is built with `python -m build --sdist`")
    dist = tmp_path / "dist"
    proc = subprocess.run([sys.executable, "-m", "build", "--sdist", "--outdir", str(dist), str(REPO)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sdist = dist / "trustbundle-0.1.0.tar.gz"
    assert sdist.is_file(), list(dist.iterdir())
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in ("pyproject.toml", "README.md", "CMakeLists.txt", "core/CMakeLists.txt",
                   "core/include/trustbundle/trustbundle.h", "core/data/cacert.pem", "core/data/bundle_data.inc",
                   "bindings/python/CMakeLists.txt", "bindings/python/src/native.cpp",
                   "bindings/python/trustbundle/__init__.py", "bindings/python/trustbundle/py.typed",
                   "bindings/python/trustbundle/_native.pyi"):
        assert needed in names, needed
    assert sum(1 for n in names if n.startswith("core/data/capath/")) == 119
    for name in names:
        assert not name.startswith(("build", "tests/", "bench/", "ci/", ".ci/", "dist/")), name
        assert "__pycache__" not in name, name

    python = _fresh_venv(tmp_path / "venv")
    _pip_install(python, str(sdist))
    assert "install-check ok" in _check(python, pki, tmp_path)
