"""ssl integration: create_default_context(), inject_into_ssl(), extract_from_ssl()."""

from __future__ import annotations

import ssl
import sys
import threading
import types
from typing import Any, Dict, Optional, Sequence

from ._paths import where_capath
from ._tls import TrustbundleContext, _PlainContext
from ._verify import CASource, Store

__all__ = ["create_default_context", "inject_into_ssl", "extract_from_ssl", "is_injected", "TrustbundleContext"]


def create_default_context(purpose: ssl.Purpose = ssl.Purpose.SERVER_AUTH, *,
                           extra_ca: CASource | Sequence[CASource] | None = None,
                           system: bool = False) -> ssl.SSLContext:
    """An :class:`ssl.SSLContext` that trusts Mozilla's roots, plus extra CAs.

    For :data:`ssl.Purpose.SERVER_AUTH` (a client, the default) it is a
    :class:`TrustbundleContext`: every connection is verified by the core
    (:meth:`Store.verify` of the chain the server sent, for
    ``server_hostname``, now) after the handshake and before any data; a
    rejection raises :class:`VerificationError` from the handshake.

    For :data:`ssl.Purpose.CLIENT_AUTH` (a server verifying client
    certificates) it is the stdlib's context with trustbundle's roots loaded
    lazily through :func:`where_capath`: OpenSSL verifies the clients.

    Args:
        extra_ca: CAs trusted in addition: a file or directory path, PEM text,
            PEM/DER bytes, or a list of those.
        system: also trust the system store (``SSL_CERT_FILE``,
            ``SSL_CERT_DIR``, else ``/etc/ssl/certs``).

    ``TRUSTBUNDLE_EXTRA_CA_CERTS`` is read at each call and added. A source
    that cannot be read or parsed raises :class:`FileError` or
    :class:`ParseError` naming it; nothing is ignored silently.
    """
    if purpose is ssl.Purpose.SERVER_AUTH:
        return TrustbundleContext(ssl.PROTOCOL_TLS_CLIENT, extra_ca=extra_ca, system=system)
    extras = Store(extra_ca, env=True, system=system).extra_pem()  # first: a bad source fails early
    context = _PlainContext(ssl.PROTOCOL_TLS_SERVER)
    context.options |= ssl.OP_NO_COMPRESSION
    _PlainContext.load_verify_locations(context, capath=where_capath())
    if extras:
        _PlainContext.load_verify_locations(context, cadata=extras)
    return context


# ------------------------------------------------------------- injection

_lock = threading.Lock()
_saved: Optional[Dict[str, Any]] = None


def _pinned(function: Any) -> Any:
    """A copy of an ssl.SSLContext setter whose global `SSLContext` stays the stdlib class.

    The stdlib's setters call ``super(SSLContext, SSLContext)``, looked up in
    the ssl module at call time: with the name pointing at a subclass they
    would call themselves forever.
    """
    namespace = dict(function.__globals__, SSLContext=_PlainContext)
    return types.FunctionType(function.__code__, namespace, function.__name__, function.__defaults__,
                              function.__closure__)


def _pin_properties() -> Dict[str, property]:
    originals = {}
    for name, value in list(vars(_PlainContext).items()):
        if isinstance(value, property) and value.fset is not None and "SSLContext" in value.fset.__code__.co_names:
            originals[name] = value
            setattr(_PlainContext, name, property(value.fget, _pinned(value.fset), value.fdel, value.__doc__))
    return originals


def _swap(saved: Dict[str, Any], module_name: str, attribute: str, make: Any) -> None:
    """Replaces module.attribute (if the module is imported and has it), remembering the old value."""
    module = sys.modules.get(module_name)
    if module is None or not hasattr(module, attribute):
        return
    saved.setdefault("modules", []).append((module, attribute, getattr(module, attribute)))
    setattr(module, attribute, make())


def inject_into_ssl(*, extra_ca: CASource | Sequence[CASource] | None = None, system: bool = False) -> None:
    """Makes every new client ``ssl.SSLContext`` verify with the core, until :func:`extract_from_ssl`.

    ``ssl.SSLContext`` (and so :func:`ssl.create_default_context`, urllib,
    http.client, and urllib3's, requests' and httpx's contexts) becomes a
    :class:`TrustbundleContext` class trusting Mozilla's roots,
    ``TRUSTBUNDLE_EXTRA_CA_CERTS``, ``extra_ca`` and, with ``system=True``,
    the system store; CA files the libraries load (requests passes
    ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``, httpx ``SSL_CERT_FILE``/``SSL_CERT_DIR``)
    are added as extra CAs, never instead. Contexts the libraries made at
    import time are replaced when the library is already imported: urllib3's
    class reference, requests' preloaded context, aiohttp's default contexts.
    Contexts that exist elsewhere keep what they were. Calling it again
    while injected does nothing.
    """
    global _saved
    with _lock:
        if _saved is not None:
            return
        Store(extra_ca, env=True, system=system)  # a bad source fails now, before anything changes
        injected = type("SSLContext", (TrustbundleContext,), {
            "__module__": "trustbundle", "_tb_default_extra_ca": extra_ca, "_tb_default_system": bool(system)})
        saved: Dict[str, Any] = {"ssl": ssl.SSLContext, "properties": _pin_properties()}
        _saved = saved
        try:
            ssl.SSLContext = injected  # type: ignore[misc]
            _swap(saved, "urllib3.util.ssl_", "SSLContext", lambda: injected)
            _swap(saved, "requests.adapters", "_preloaded_ssl_context",
                  lambda: sys.modules["urllib3.util.ssl_"].create_urllib3_context())
            # aiohttp makes both at import, the same way: again now, as injected
            # contexts (the unverified one then refuses every connection).
            aiohttp = sys.modules.get("aiohttp.connector")
            if aiohttp is not None and hasattr(aiohttp, "_make_ssl_context"):
                _swap(saved, "aiohttp.connector", "_SSL_CONTEXT_VERIFIED", lambda: aiohttp._make_ssl_context(True))
                _swap(saved, "aiohttp.connector", "_SSL_CONTEXT_UNVERIFIED",
                      lambda: aiohttp._make_ssl_context(False))
        except BaseException:
            _restore()  # all or nothing
            raise


def extract_from_ssl() -> None:
    """Undoes :func:`inject_into_ssl` (does nothing if it is not in effect).

    Contexts made while injected stay trustbundle contexts; the ones
    replaced in the libraries are put back.
    """
    with _lock:
        _restore()


def _restore() -> None:
    global _saved
    if _saved is None:
        return
    for module, attribute, value in reversed(_saved.get("modules", [])):
        setattr(module, attribute, value)
    ssl.SSLContext = _saved["ssl"]  # type: ignore[misc]
    for name, value in _saved["properties"].items():
        setattr(_PlainContext, name, value)
    _saved = None


def is_injected() -> bool:
    """True between :func:`inject_into_ssl` and :func:`extract_from_ssl`."""
    return _saved is not None
