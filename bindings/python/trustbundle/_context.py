"""ssl integration: create_default_context(), inject_into_ssl(), extract_from_ssl()."""

from __future__ import annotations

import os
import ssl
import threading
from typing import Any, Callable, Sequence

from ._paths import where, where_capath
from ._verify import CASource, Store

__all__ = ["create_default_context", "inject_into_ssl", "extract_from_ssl", "is_injected"]

# The C implementation of SSLContext.load_verify_locations, which
# inject_into_ssl() never replaces.
_load_verify_locations_c: Callable[..., None] = ssl.SSLContext.load_verify_locations


def _extra_pem(extra_ca: CASource | Sequence[CASource] | None, system: bool) -> str:
    """The PEM of extra_ca + TRUSTBUNDLE_EXTRA_CA_CERTS (+ the system store), read now.

    The store includes the Mozilla roots (the core refuses an empty store);
    they cost nothing here: the core parses a root only when a verification
    needs it, and extra_pem() holds only what was added.
    """
    return Store(extra_ca, env=True, system=system).extra_pem()


def create_default_context(purpose: ssl.Purpose = ssl.Purpose.SERVER_AUTH, *,
                           extra_ca: CASource | Sequence[CASource] | None = None,
                           system: bool = False) -> ssl.SSLContext:
    """An :class:`ssl.SSLContext` that trusts Mozilla's roots, plus extra CAs.

    Like :func:`ssl.create_default_context` (same protocol, options and
    verification settings for ``purpose``), but the roots come from
    :func:`where_capath`: a hashed directory OpenSSL reads lazily, one root
    per handshake that needs it, instead of parsing every root up front.

    Args:
        purpose: :data:`ssl.Purpose.SERVER_AUTH` for a client context
            (default), :data:`ssl.Purpose.CLIENT_AUTH` for a server context
            that verifies client certificates.
        extra_ca: CAs trusted in addition: a file or directory path, PEM text,
            PEM/DER bytes, or a list of those.
        system: also trust the system store (``SSL_CERT_FILE``,
            ``SSL_CERT_DIR``, else ``/etc/ssl/certs``).

    ``TRUSTBUNDLE_EXTRA_CA_CERTS`` is read at each call and added. A source
    that cannot be read or parsed raises :class:`FileError` or
    :class:`ParseError` naming it; nothing is ignored silently.
    """
    extras = _extra_pem(extra_ca, system)  # first: a bad source fails before any context exists
    context = ssl.create_default_context(purpose, capath=where_capath())
    if extras:
        _load_verify_locations_c(context, cadata=extras)
    return context


# ------------------------------------------------------------- injection

_lock = threading.Lock()
_saved: dict[str, Any] | None = None


def _load_trustbundle(context: ssl.SSLContext) -> None:
    """Adds trustbundle's roots (lazy CApath) and the environment's extra CAs."""
    extras = _extra_pem(None, False)
    _load_verify_locations_c(context, capath=where_capath())
    if extras:
        _load_verify_locations_c(context, cadata=extras)


def _is_mozilla_bundle(cafile: Any) -> bool:
    """True for a certifi-style Mozilla bundle: certifi's (or a vendored copy) and ours."""
    try:
        path = os.fsdecode(os.fspath(cafile))
    except TypeError:
        return False
    parent, name = os.path.split(os.path.normpath(path))
    if name == "cacert.pem" and os.path.basename(parent) == "certifi":
        return True
    try:
        return os.path.realpath(path) == os.path.realpath(where())
    except OSError:
        return False


def _injected_load_default_certs(self: ssl.SSLContext, purpose: ssl.Purpose = ssl.Purpose.SERVER_AUTH) -> None:
    """Replaces the system store with trustbundle's roots + TRUSTBUNDLE_EXTRA_CA_CERTS."""
    if not isinstance(purpose, ssl._ASN1Object):
        raise TypeError(purpose)
    _load_trustbundle(self)


def _injected_load_verify_locations(self: ssl.SSLContext, cafile: Any = None, capath: Any = None,
                                    cadata: Any = None) -> None:
    """Serves a request for certifi's (or trustbundle's) bundle file from trustbundle.

    Other files, directories and data are loaded as given: explicit CAs are
    never widened.
    """
    if cafile is not None and _is_mozilla_bundle(cafile):
        _load_trustbundle(self)
        if capath is None and cadata is None:
            return
        cafile = None
    assert _saved is not None
    _saved["load_verify_locations"](self, cafile, capath, cadata)


def inject_into_ssl() -> None:
    """Makes the ssl module's default trust trustbundle's, until :func:`extract_from_ssl`.

    After this call, for every :class:`ssl.SSLContext` (existing or new):

    - ``load_default_certs()``, and so :func:`ssl.create_default_context`,
      urllib, http.client and urllib3's defaults, loads trustbundle's roots
      (lazily, through :func:`where_capath`) plus ``TRUSTBUNDLE_EXTRA_CA_CERTS``
      (read at each call) instead of the system store;
    - ``load_verify_locations(cafile=...)`` with certifi's ``cacert.pem`` (or
      :func:`where`), which requests and httpx pass by default, loads the
      same instead of parsing the file.

    Other explicit CA files, directories and data are loaded unchanged.
    Contexts that already loaded their CAs keep them (requests' pooled
    connections, for example): create new sessions after injecting.
    """
    global _saved
    with _lock:
        if _saved is not None:
            return
        cls = ssl.SSLContext
        _saved = {
            "class": cls,
            "load_default_certs": cls.__dict__.get("load_default_certs"),
            "own_load_verify_locations": "load_verify_locations" in cls.__dict__,
            "load_verify_locations_attr": cls.__dict__.get("load_verify_locations"),
            "load_verify_locations": cls.load_verify_locations,
        }
        cls.load_default_certs = _injected_load_default_certs  # type: ignore[method-assign]
        cls.load_verify_locations = _injected_load_verify_locations  # type: ignore[method-assign]


def extract_from_ssl() -> None:
    """Undoes :func:`inject_into_ssl` (does nothing if it is not in effect)."""
    global _saved
    with _lock:
        if _saved is None:
            return
        cls = _saved["class"]
        if _saved["load_default_certs"] is not None:
            cls.load_default_certs = _saved["load_default_certs"]
        else:
            del cls.load_default_certs
        if _saved["own_load_verify_locations"]:
            cls.load_verify_locations = _saved["load_verify_locations_attr"]
        else:
            del cls.load_verify_locations
        _saved = None


def is_injected() -> bool:
    """True between :func:`inject_into_ssl` and :func:`extract_from_ssl`."""
    return _saved is not None
