"""where(), where_capath() and contents(): the certifi-compatible part.

This module is imported by ``import trustbundle`` and stays cheap: it does
not import ``ssl`` or the native module. Where the package data is not a
real file (a zipapp or another importer that keeps files in an archive),
where() writes the packaged PEM into the user cache (``_cache``, pure Python,
so that it works without the native module too).
"""

from __future__ import annotations

import os

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_SHIPPED_PEM = os.path.join(_PACKAGE_DIR, "cacert.pem")
_SHIPPED_CAPATH = os.path.join(_PACKAGE_DIR, "capath")


def where() -> str:
    """Path of Mozilla's roots as one PEM file, in certifi's ``cacert.pem`` layout.

    The wheel ships the file; when the package is not on a real file system
    (a zipapp) the packaged PEM is written once into the user cache
    (``$TRUSTBUNDLE_CACHE_DIR``, else ``$XDG_CACHE_HOME/trustbundle``, else
    ``~/.cache/trustbundle``; with no usable home, a private
    ``trustbundle-<uid>`` directory in the temp dir) and that path is
    returned. Needs no native module.
    """
    if os.path.isfile(_SHIPPED_PEM):
        return _SHIPPED_PEM
    # Asked anew each time: the cache is re-checked (private, content intact)
    # before a path reaches a TLS stack.
    from . import _cache

    return _cache.materialize(_packaged_pem())


def _packaged_pem() -> bytes:
    """cacert.pem's bytes through the importer that loaded this package (zipimport's get_data)."""
    from ._errors import FileError

    try:
        # The path as the importer named this module: zipimport on 3.8 does
        # not match an absolute path against a relative archive name.
        data: bytes = __loader__.get_data(os.path.join(os.path.dirname(__file__), "cacert.pem"))  # type: ignore[name-defined]
        return data
    except (AttributeError, OSError) as e:
        raise FileError(f"the package data '{_SHIPPED_PEM}' cannot be read: {e}", filename=_SHIPPED_PEM) from None


def where_capath() -> str:
    """Path of a hashed CA directory (``openssl rehash`` names) holding the same roots.

    Pass it as ``capath`` to OpenSSL (``SSLContext.load_verify_locations(capath=...)``,
    ``curl --capath``): OpenSSL then reads only the roots a handshake needs.
    Where the directory is not on disk, the core exports it into the user
    cache, so that needs the native module (:class:`NativeUnavailableError`
    otherwise).
    """
    if os.path.isdir(_SHIPPED_CAPATH):
        return _SHIPPED_CAPATH
    from . import _errors
    from ._load_native import native as _native

    try:
        return os.fsdecode(_native.capath_export(None))
    except _native.Error as e:
        raise _errors.from_native(e) from None


def contents() -> str:
    """The text of :func:`where`: Mozilla's roots as PEM, in certifi's layout."""
    with open(where(), encoding="ascii") as f:
        return f.read()
