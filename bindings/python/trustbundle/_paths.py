"""where(), where_capath() and contents(): the certifi-compatible part.

This module is imported by ``import trustbundle`` and stays cheap: it does
not import ``ssl`` or the native module unless the package data is not a
real file (a zipapp or another importer that keeps files in an archive), in
which case the core writes the bundle into the user cache atomically.
"""

from __future__ import annotations

import os

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_SHIPPED_PEM = os.path.join(_PACKAGE_DIR, "cacert.pem")
_SHIPPED_CAPATH = os.path.join(_PACKAGE_DIR, "capath")


def where() -> str:
    """Path of Mozilla's roots as one PEM file, in certifi's ``cacert.pem`` layout.

    The wheel ships the file; when the package is not on a real file system
    (a zipapp, a frozen application) the bundle is written once into the user
    cache (``$TRUSTBUNDLE_CACHE_DIR``, else ``$XDG_CACHE_HOME/trustbundle``,
    else ``~/.cache/trustbundle``) and that path is returned.
    """
    if os.path.isfile(_SHIPPED_PEM):
        return _SHIPPED_PEM
    # Asked anew each time: the core re-checks the cache (private, content
    # intact) before a path reaches a TLS stack.
    from . import _errors, _native

    try:
        return os.fsdecode(_native.materialize(None))
    except _native.Error as e:
        raise _errors.from_native(e) from None


def where_capath() -> str:
    """Path of a hashed CA directory (``openssl rehash`` names) holding the same roots.

    Pass it as ``capath`` to OpenSSL (``SSLContext.load_verify_locations(capath=...)``,
    ``curl --capath``): OpenSSL then reads only the roots a handshake needs.
    Falls back to the user cache like :func:`where`.
    """
    if os.path.isdir(_SHIPPED_CAPATH):
        return _SHIPPED_CAPATH
    from . import _errors, _native

    try:
        return os.fsdecode(_native.capath_export(None))
    except _native.Error as e:
        raise _errors.from_native(e) from None


def contents() -> str:
    """The text of :func:`where`: Mozilla's roots as PEM, in certifi's layout."""
    with open(where(), encoding="ascii") as f:
        return f.read()
