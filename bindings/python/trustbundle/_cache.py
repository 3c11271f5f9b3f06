"""where() for a package that is not on disk (a zipapp, an archive importer).

The packaged PEM is written once into a per-user cache and its path returned,
with the core's rules (bundle/materialize.cpp), in Python so that it works
without the native module: the two directory levels the library owns are
real directories (no symlinks), owned by the user and not writable by group
or others; the file is written aside and renamed into place (atomic), and
its bytes are compared on every call.

Where: ``$TRUSTBUNDLE_CACHE_DIR`` (only there when set), else
``$XDG_CACHE_HOME/trustbundle`` (when absolute), else
``$HOME/.cache/trustbundle``. When that cannot be created or written (no
HOME, a missing or read-only one), a private directory under the temp dir:
``<tempfile.gettempdir()>/trustbundle-<uid>``, created 0700 and refused
unless it is a real directory owned by the user that nobody else can read or
write. A cache that exists but is unsafe is an error, never skipped.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat

from ._errors import FileError

_FIX = "; set TRUSTBUNDLE_CACHE_DIR to a directory only you can write"
# The home cache may be read by others (as the core's); the shared temp dir's may not.
_HOME_FORBIDDEN = stat.S_IWGRP | stat.S_IWOTH
_TEMP_FORBIDDEN = stat.S_IRWXG | stat.S_IRWXO
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class _Unavailable(Exception):
    """The default location cannot be used (missing or not writable): try the next."""


def _private_directory(path: str, forbidden: int, mode: int) -> None:
    try:
        os.mkdir(path, mode)
    except FileExistsError:
        pass
    try:
        st = os.lstat(path)
    except OSError as e:
        raise FileError(f"cannot stat '{path}': {e.strerror}", filename=path) from None
    unsafe = f"cache directory '{path}' is not safe to use: "
    if stat.S_ISLNK(st.st_mode):
        raise FileError(unsafe + "it is a symbolic link" + _FIX, filename=path)
    if not stat.S_ISDIR(st.st_mode):
        raise FileError(unsafe + "it is not a directory" + _FIX, filename=path)
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise FileError(unsafe + f"it belongs to uid {st.st_uid}, not to you (uid {os.geteuid()})" + _FIX,
                        filename=path)
    if st.st_mode & forbidden:
        raise FileError(unsafe + f"group or others may {'write to' if forbidden == _HOME_FORBIDDEN else 'use'} it "
                        f"(mode {stat.S_IMODE(st.st_mode):04o})" + _FIX, filename=path)


def _has_content(path: str, data: bytes) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read(len(data) + 1) == data
    finally:
        os.close(fd)


def _write_atomic(path: str, data: bytes) -> None:
    temp = f"{path}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _materialize_in(base: str, forbidden: int, mode: int, data: bytes) -> str:
    # Both levels the library owns are checked; the file is named by its content.
    version_dir = os.path.join(base, "sha256-" + hashlib.sha256(data).hexdigest()[:16])
    _private_directory(base, forbidden, mode)
    _private_directory(version_dir, forbidden, mode)
    path = os.path.join(version_dir, "cacert.pem")
    if not _has_content(path, data):
        _write_atomic(path, data)
    return path


def _home_cache() -> str | None:
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, "trustbundle")
    home = os.environ.get("HOME", "")
    # A home that does not exist is not created (HOME=/nonexistent for service users).
    return os.path.join(home, ".cache", "trustbundle") if os.path.isabs(home) and os.path.isdir(home) else None


def _io_error(e: OSError, where: str) -> FileError:
    name = e.filename if isinstance(e.filename, str) else where
    return FileError(f"cannot write the bundle into '{name}': {e.strerror}{_FIX}", filename=name)


# What says "not writable here" (and so moves on to the temp dir), as opposed to "unsafe".
_UNWRITABLE = {getattr(errno, name) for name in ("EACCES", "EPERM", "EROFS", "ENOENT", "ENOTDIR", "ENOSPC", "EDQUOT")
               if hasattr(errno, name)}


def materialize(data: bytes) -> str:
    """The path of a file in the user cache holding exactly ``data``."""
    explicit = os.environ.get("TRUSTBUNDLE_CACHE_DIR", "")
    if explicit:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(explicit)), exist_ok=True)
            return _materialize_in(os.path.abspath(explicit), _HOME_FORBIDDEN, 0o755, data)
        except FileError:
            raise
        except OSError as e:
            raise _io_error(e, explicit) from None
    home = _home_cache()
    if home is not None:
        try:
            os.makedirs(os.path.dirname(home), exist_ok=True)
            return _materialize_in(home, _HOME_FORBIDDEN, 0o755, data)
        except FileError:
            raise
        except OSError as e:
            if e.errno not in _UNWRITABLE:
                raise _io_error(e, home) from None
    import tempfile

    temp = tempfile.gettempdir()
    base = os.path.join(temp, f"trustbundle-{os.geteuid() if hasattr(os, 'geteuid') else 'user'}")
    try:
        st = os.stat(temp)
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not st.st_mode & stat.S_ISVTX:
            # Others could rename our directory away and put theirs in its place.
            raise FileError(f"temp directory '{temp}' is not safe to use: others may write to it and it has no "
                            f"sticky bit (mode {stat.S_IMODE(st.st_mode):04o}){_FIX}", filename=temp)
        return _materialize_in(base, _TEMP_FORBIDDEN, 0o700, data)
    except FileError:
        raise
    except OSError as e:
        raise _io_error(e, base) from None
