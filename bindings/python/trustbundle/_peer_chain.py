"""The certificate chain a TLS server sent, as DER, read from a native ssl object.

Python 3.10+ has ``get_unverified_chain()`` on the native object. Python 3.8
and 3.9 have no API for it: there the chain is read with ctypes from the
interpreter's own libssl (``SSL_get_peer_cert_chain``), after checking that
the pointer read from the native object is the ``SSL`` that object owns.
Whatever the way, the first certificate must be the one ``getpeercert()``
reports; anything unexpected raises :class:`PeerChainError`, so the
connection fails rather than being judged on a chain we are not sure of.
"""

from __future__ import annotations

import ssl
import sys
from typing import Any, List

__all__ = ["PeerChainError", "peer_chain"]


class PeerChainError(ssl.SSLError):
    """The server's chain could not be read reliably: the connection is refused."""


def _from_api(native: Any) -> List[bytes]:
    chain = native.get_unverified_chain()
    if not chain:
        return []
    return [c if isinstance(c, bytes) else c.public_bytes(ssl._ssl.ENCODING_DER) for c in chain]


class _LibSSL:
    """The few libssl functions the 3.8/3.9 path needs, from the libssl that _ssl uses."""

    def __init__(self) -> None:
        import ctypes

        import _ssl

        if sys.implementation.name != "cpython":
            raise PeerChainError("reading the peer chain needs CPython")
        library = ctypes.CDLL(getattr(_ssl, "__file__", None))  # its symbols, then its libssl's
        self.ctypes = ctypes
        self.get_ex_data = self._fn(library, "SSL_get_ex_data", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_int])
        self.peer_chain = self._fn(library, "SSL_get_peer_cert_chain", ctypes.c_void_p, [ctypes.c_void_p])
        self.sk_num = self._fn(library, "OPENSSL_sk_num", ctypes.c_int, [ctypes.c_void_p])
        self.sk_value = self._fn(library, "OPENSSL_sk_value", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_int])
        self.i2d = self._fn(library, "i2d_X509", ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p])

    @staticmethod
    def _fn(library: Any, name: str, restype: Any, argtypes: List[Any]) -> Any:
        try:
            fn = getattr(library, name)
        except AttributeError:
            raise PeerChainError(f"the interpreter's libssl has no {name}: cannot read the server's chain") from None
        fn.restype = restype
        fn.argtypes = argtypes
        return fn

    def chain(self, native: Any) -> List[bytes]:
        ctypes = self.ctypes
        if type(native).__module__ != "_ssl" or type(native).__name__ != "_SSLSocket":
            raise PeerChainError(f"unexpected native ssl object {type(native).__name__}")
        # CPython 3.8/3.9 _ssl.c: PySSLSocket is PyObject_HEAD, PyObject *Socket, SSL *ssl, ...
        offset = object.__basicsize__ + ctypes.sizeof(ctypes.c_void_p)
        ssl_ptr = ctypes.c_void_p.from_address(id(native) + offset).value
        # _ssl.c stores the PySSLSocket as the SSL's app data (ex_data 0): a
        # pointer that is not the object's own SSL does not give it back.
        if not ssl_ptr or self.get_ex_data(ssl_ptr, 0) != id(native):
            raise PeerChainError("cannot locate the connection's SSL object in this Python build")
        stack = self.peer_chain(ssl_ptr)
        if not stack:
            return []
        out = []
        for i in range(self.sk_num(stack)):
            x509 = self.sk_value(stack, i)
            size = self.i2d(x509, None)
            if not x509 or size <= 0:
                raise PeerChainError(f"cannot encode the server's certificate {i}")
            buffer = ctypes.create_string_buffer(size)
            cursor = ctypes.c_void_p(ctypes.addressof(buffer))
            if self.i2d(x509, ctypes.byref(cursor)) != size:
                raise PeerChainError(f"cannot encode the server's certificate {i}")
            out.append(buffer.raw)
        return out


_libssl: _LibSSL | None = None


def _from_libssl(native: Any) -> List[bytes]:
    global _libssl
    if _libssl is None:
        _libssl = _LibSSL()
    return _libssl.chain(native)


def peer_chain(native: Any) -> List[bytes]:
    """The chain the server sent, leaf first, as DER; raises PeerChainError if unsure."""
    chain = _from_api(native) if hasattr(native, "get_unverified_chain") else _from_libssl(native)
    leaf = native.getpeercert(True)
    if not chain or not leaf:
        raise PeerChainError("the server sent no certificate")
    if chain[0] != leaf:
        raise PeerChainError("the chain read does not start with the server's certificate")
    return chain
