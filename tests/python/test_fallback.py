"""The pure-Python fallback: without the native module (a zipapp built with
`python -m zipapp`), where() and contents() work from the packaged PEM and
every other feature raises NativeUnavailableError naming the cause; where()
writes the PEM into a private cache, with a temp-dir fallback for users with
no usable home, and refuses an unsafe one."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipapp
from pathlib import Path

import pytest

import trustbundle
from trustbundle import _cache

PACKAGE_DIR = Path(trustbundle.__file__).resolve().parent
PEM = Path(trustbundle.where()).read_bytes()
NATIVE_ONLY = ["verify", "Store", "create_default_context", "inject_into_ssl", "extract_from_ssl", "diagnose",
               "roots", "bundle_version", "check_key_pair", "TrustbundleContext", "Root"]

CLIENT = """\
import json, sys
import trustbundle
out = {"file": trustbundle.__file__}
try:
    out["where"] = trustbundle.where()
    out["again"] = trustbundle.where()
    out["contents"] = trustbundle.contents()
except trustbundle.TrustbundleError as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e)}))
    sys.exit(3)
out["errors"] = {}
for name in NATIVE_ONLY:
    try:
        getattr(trustbundle, name)
        out["errors"][name] = None
    except trustbundle.NativeUnavailableError as e:
        out["errors"][name] = {"feature": e.feature, "cause": e.cause, "text": str(e),
                               "import_error": isinstance(e, ImportError)}
try:
    from trustbundle import verify
except ImportError as e:
    out["from_import"] = type(e).__name__
try:
    trustbundle.where_capath()
except trustbundle.NativeUnavailableError as e:
    out["capath"] = str(e)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m zipapp` of the installed package without its extension module."""
    src = tmp_path_factory.mktemp("zipapp-src")
    shutil.copytree(PACKAGE_DIR, src / "trustbundle",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
    (src / "__main__.py").write_text(f"NATIVE_ONLY = {NATIVE_ONLY!r}\n" + CLIENT)
    target = tmp_path_factory.mktemp("zipapp") / "app.pyz"
    zipapp.create_archive(src, target)
    return target


def _run(app: Path, env: dict, code: int = 0, relative: bool = False) -> dict:
    base = {k: v for k, v in os.environ.items()
            if k not in ("HOME", "XDG_CACHE_HOME", "TRUSTBUNDLE_CACHE_DIR", "TMPDIR", "PYTHONPATH")}
    # relative: `python app.pyz` from its directory (zipimport then names modules relatively).
    done = subprocess.run([sys.executable, "-I", app.name if relative else str(app)], env={**base, **env},
                          cwd=app.parent, capture_output=True, text=True)
    assert done.returncode == code, done.stdout + done.stderr
    return json.loads(done.stdout)


def test_zipapp_without_the_native_module(app: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    got = _run(app, {"TRUSTBUNDLE_CACHE_DIR": str(cache)}, relative=True)
    assert got["file"].endswith(os.path.join(app.name, "trustbundle", "__init__.py")), "loaded from the zipapp"
    where = Path(got["where"])
    assert cache in where.parents and where.name == "cacert.pem"
    assert where.read_bytes() == PEM and got["contents"] == PEM.decode("ascii")
    assert got["again"] == got["where"]
    for name, error in got["errors"].items():
        assert error is not None, f"trustbundle.{name} did not raise NativeUnavailableError"
        assert error["feature"] == f"trustbundle.{name}" and error["import_error"]
        assert "_native" in error["cause"] and f"inside an archive, '{app}'" in error["cause"]
        assert error["text"].startswith(f"trustbundle.{name} needs trustbundle's native extension")
    assert got["from_import"] == "NativeUnavailableError"
    assert "could not be loaded" in got["capath"]
    # A second process finds the identical file and leaves it alone.
    before = where.stat().st_mtime_ns
    assert _run(app, {"TRUSTBUNDLE_CACHE_DIR": str(cache)})["where"] == got["where"]
    assert where.stat().st_mtime_ns == before


@pytest.mark.parametrize("home", ["unset", "missing", "a regular file", "/proc", "/sys"])
def test_zipapp_with_no_usable_home_uses_a_private_temp_dir(app: Path, tmp_path: Path, home: str) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {"TMPDIR": str(temp)}
    if home == "missing":
        env["HOME"] = str(tmp_path / "nonexistent")
    elif home == "a regular file":
        (tmp_path / "file").write_text("")
        env["HOME"] = str(tmp_path / "file")
    elif home != "unset":
        env["HOME"] = home  # not writable, even for root
    where = Path(_run(app, env)["where"])
    assert not (tmp_path / "nonexistent").exists(), "a missing home is not created"
    private = temp / f"trustbundle-{os.geteuid()}"
    assert where.parent.parent == private and where.read_bytes() == PEM
    for directory in (private, where.parent):
        st = directory.lstat()
        assert stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid()
        assert stat.S_IMODE(st.st_mode) & 0o077 == 0, f"{directory} is {stat.S_IMODE(st.st_mode):o}"


def test_zipapp_refuses_a_temp_dir_others_could_swap(app: Path, tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    temp.chmod(0o777)  # world-writable without the sticky bit
    got = _run(app, {"TMPDIR": str(temp)}, code=3)
    assert got["error"] == "FileError"
    assert f"temp directory '{temp}' is not safe to use: others may write to it and it has no sticky bit " \
           "(mode 0777)" in got["message"]
    assert list(temp.iterdir()) == []
    temp.chmod(0o1777)  # as /tmp: accepted
    assert Path(_run(app, {"TMPDIR": str(temp)})["where"]).read_bytes() == PEM


def test_zipapp_refuses_an_unsafe_temp_dir(app: Path, tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    private = temp / f"trustbundle-{os.geteuid()}"
    private.mkdir(parents=True)
    private.chmod(0o755)  # others may list it: not private
    got = _run(app, {"TMPDIR": str(temp)}, code=3)
    assert got["error"] == "FileError"
    assert f"cache directory '{private}' is not safe to use: group or others may use it (mode 0755)" in got["message"]
    assert list(private.iterdir()) == []


# ---------------------------------------------------------------- the cache, in process

@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("TRUSTBUNDLE_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return tmp_path


def test_home_cache_is_used_and_checked(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "home").mkdir()
    monkeypatch.setenv("HOME", str(env / "home"))
    path = Path(_cache.materialize(PEM))
    assert path.parent.parent == env / "home" / ".cache" / "trustbundle"
    assert path.parent.name == "sha256-" + hashlib.sha256(PEM).hexdigest()[:16]
    # XDG_CACHE_HOME wins when absolute.
    monkeypatch.setenv("XDG_CACHE_HOME", str(env / "xdg"))
    assert Path(_cache.materialize(PEM)).parent.parent == env / "xdg" / "trustbundle"


def test_tampered_or_linked_cache_file_is_replaced(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTBUNDLE_CACHE_DIR", str(env / "c"))
    path = Path(_cache.materialize(PEM))
    path.write_bytes(PEM.replace(b"MII", b"MIJ", 1))
    assert Path(_cache.materialize(PEM)).read_bytes() == PEM
    decoy = env / "decoy.pem"
    decoy.write_bytes(PEM)  # the same bytes, behind a link: still replaced by a real file
    path.unlink()
    path.symlink_to(decoy)
    assert _cache.materialize(PEM) == str(path)
    assert not path.is_symlink() and path.read_bytes() == PEM and decoy.read_bytes() == PEM


@pytest.mark.parametrize("problem", ["group-writable", "a symbolic link", "another user's"])
def test_unsafe_cache_is_an_error_not_skipped(env: Path, monkeypatch: pytest.MonkeyPatch, problem: str) -> None:
    base = env / "xdg" / "trustbundle"
    base.parent.mkdir()
    if problem == "group-writable":
        base.mkdir()
        base.chmod(0o775)
        expected = "group or others may write to it (mode 0775)"
    elif problem == "a symbolic link":
        (env / "elsewhere").mkdir()
        base.symlink_to(env / "elsewhere")
        expected = "it is a symbolic link"
    else:
        if os.geteuid() != 0:
            pytest.skip("needs root to give a directory to another user")
        base.mkdir()
        os.chown(base, 4242, 4242)
        expected = "it belongs to uid 4242, not to you (uid 0)"
    monkeypatch.setenv("XDG_CACHE_HOME", str(env / "xdg"))
    with pytest.raises(trustbundle.FileError) as raised:
        _cache.materialize(PEM)
    assert f"cache directory '{base}' is not safe to use: " in str(raised.value)
    assert expected in str(raised.value)
    assert raised.value.filename == str(base)
    assert not any(Path(tempfile.gettempdir()).iterdir()), "no silent fallback to the temp dir"


def test_explicit_cache_dir_is_never_skipped(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "file").write_text("")
    monkeypatch.setenv("TRUSTBUNDLE_CACHE_DIR", str(env / "file" / "cache"))
    with pytest.raises(trustbundle.FileError, match="cannot write the bundle into"):
        _cache.materialize(PEM)
    assert not any(Path(tempfile.gettempdir()).iterdir())
