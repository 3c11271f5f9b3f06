"""A client ``ssl.SSLContext`` whose connections are judged by the core.

OpenSSL runs the handshake; the core decides. The context's C-level settings
stay "verify, check the name" with no trusted root at all, so a connection
that does not pass through this module's hook fails its handshake. The hook
is the pair of methods ssl.SSLSocket and ssl.SSLObject call to create their
native SSL object (``_wrap_socket``, ``_wrap_bio``): under the context's
lock it turns OpenSSL's own verification off for that one object (OpenSSL
copies the mode when the object is made), restores the context, and hands
back a :class:`_CheckedConnection`, which releases the connection only once
``Store.verify`` accepted the chain the server sent, for the name asked,
now. Every way data can move (read, write, a handshake implied by either)
passes that check first.

A resumed session (TLS 1.2 session, TLS 1.3 ticket) carries no chain:
OpenSSL keeps only the leaf. The context remembers the chains the core
accepted, by leaf; a resumption is verified again, now and for this host,
with the chain that came with its leaf, and refused when there is none
(e.g. the session of a connection the core rejected).
"""

from __future__ import annotations

import collections
import os
import ssl
import threading
from typing import Any, Callable, List, Optional, Sequence

from ._errors import TrustbundleError, VerificationError
from ._paths import where, where_capath
from ._peer_chain import PeerChainError, peer_chain
from ._verify import CASource, Store

__all__ = ["TrustbundleContext", "UNVERIFIED_REFUSED"]

_PlainContext = ssl.SSLContext  # the stdlib class (inject_into_ssl replaces the module's name)
_Native = ssl._ssl._SSLContext  # type: ignore[attr-defined]  # C-level properties, no Python logic

UNVERIFIED_REFUSED = (
    "trustbundle: verification cannot be turned off on a trustbundle context (verify_mode=CERT_NONE, "
    "as requests' verify=False or urllib3's cert_reqs='CERT_NONE' set it). To connect without "
    "verification on purpose, use a plain ssl.SSLContext (call trustbundle.extract_from_ssl() first "
    "if trustbundle is injected).")


def _is_mozilla_bundle(cafile: Any) -> bool:
    """certifi's cacert.pem (or a vendored copy) or ours: Mozilla's roots, which the store has."""
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


def _source_key(source: Any) -> Any:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return ("data", bytes(source))
    if isinstance(source, str) and "-----BEGIN" in source:
        return ("data", source)
    return ("path", os.path.realpath(os.fsdecode(os.fspath(source))))


class _AcceptedChains:
    """The chains the core accepted on one context, by leaf (bounded: the oldest go first)."""

    LIMIT = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_leaf: "collections.OrderedDict[bytes, List[bytes]]" = collections.OrderedDict()

    def add(self, chain: List[bytes]) -> None:
        with self._lock:
            self._by_leaf[chain[0]] = chain
            self._by_leaf.move_to_end(chain[0])
            while len(self._by_leaf) > self.LIMIT:
                self._by_leaf.popitem(last=False)

    def get(self, leaf: bytes) -> Optional[List[bytes]]:
        with self._lock:
            return self._by_leaf.get(leaf)


def _served_chain(native: Any, accepted: _AcceptedChains) -> List[bytes]:
    if not native.session_reused:
        return peer_chain(native)
    leaf = native.getpeercert(True)
    chain = accepted.get(leaf) if leaf else None
    if chain is None:
        raise PeerChainError("a resumed TLS session whose chain this context never accepted: refused")
    return chain


class TrustbundleContext(ssl.SSLContext):
    """An :class:`ssl.SSLContext` whose client connections the core verifies.

    Made by :func:`trustbundle.create_default_context` and, while injected,
    by ``ssl.SSLContext(...)`` itself. Three modes, by protocol:

    - ``PROTOCOL_TLS_CLIENT``: the core judges every connection; the context
      reports ``verify_mode == CERT_REQUIRED``; ``check_hostname = False``
      skips only the name check; setting ``CERT_NONE`` makes every later
      connection fail with :data:`UNVERIFIED_REFUSED`.
    - ``PROTOCOL_TLS_SERVER``: a server context, as the stdlib's;
      ``load_default_certs()`` loads trustbundle's roots for client certificates.
    - the generic ``PROTOCOL_TLS`` (Python 3.8/3.9's create_default_context):
      settings as the stdlib's; client connections are judged by the core and
      refused when ``verify_mode`` is ``CERT_NONE``.

    CA files, directories and data given to ``load_verify_locations`` become
    extra CAs of the core's store (additive); certifi's ``cacert.pem`` and
    :func:`trustbundle.where` are the Mozilla roots it already has.
    """

    _tb_default_extra_ca: Any = None
    _tb_default_system = False

    def __init__(self, protocol: Any = None, *args: Any, extra_ca: Any = None, system: Optional[bool] = None,
                 **kwargs: Any) -> None:
        self._tb_lock = threading.RLock()
        self._tb_mode = {ssl.PROTOCOL_TLS_CLIENT: "client", ssl.PROTOCOL_TLS_SERVER: "server"}.get(
            self.protocol, "generic")
        self._tb_system = self._tb_default_system if system is None else bool(system)
        extras = self._tb_default_extra_ca if extra_ca is None else extra_ca
        self._tb_sources: List[Any] = [] if extras is None else (
            list(extras) if isinstance(extras, (list, tuple)) else [extras])
        self._tb_store: Optional[Store] = None
        self._tb_check_hostname = True
        self._tb_refusal: Optional[str] = None
        self._tb_accepted = _AcceptedChains()
        if self._tb_mode != "server":
            # Read now (TRUSTBUNDLE_EXTRA_CA_CERTS too): a bad source fails here, naming itself.
            self._tb_store = Store(self._tb_sources, env=True, system=self._tb_system)
        self._tb_keys = {_source_key(s) for s in self._tb_sources}
        if self._tb_mode == "client":
            _Native.verify_mode.__set__(self, ssl.CERT_REQUIRED)
            _Native.check_hostname.__set__(self, True)
        # The check runs once per handshake: a renegotiation (TLS 1.2) could
        # bring a certificate nobody checked.
        _Native.options.__set__(self, _Native.options.__get__(self) | ssl.OP_NO_RENEGOTIATION)

    # ------------------------------------------------ reported settings

    @property
    def verify_mode(self) -> ssl.VerifyMode:
        if self._tb_mode == "client":
            return ssl.CERT_REQUIRED
        return ssl.VerifyMode(_Native.verify_mode.__get__(self))

    @verify_mode.setter
    def verify_mode(self, value: int) -> None:
        with self._tb_lock:
            if self._tb_mode != "client":
                _Native.verify_mode.__set__(self, value)
            elif value == ssl.CERT_NONE:
                self._tb_refusal = UNVERIFIED_REFUSED
            elif value in (ssl.CERT_OPTIONAL, ssl.CERT_REQUIRED):
                self._tb_refusal = None  # a client always gets the server's certificate
            else:
                raise ValueError(f"invalid value for verify_mode: {value!r}")

    @property
    def check_hostname(self) -> bool:
        if self._tb_mode == "client":
            return self._tb_check_hostname
        return bool(_Native.check_hostname.__get__(self))

    @check_hostname.setter
    def check_hostname(self, value: bool) -> None:
        with self._tb_lock:
            if self._tb_mode == "client":
                self._tb_check_hostname = bool(value)
            else:
                _Native.check_hostname.__set__(self, value)

    @property
    def options(self) -> ssl.Options:
        return ssl.Options(_Native.options.__get__(self))

    @options.setter
    def options(self, value: int) -> None:
        _Native.options.__set__(self, value | ssl.OP_NO_RENEGOTIATION)

    # ------------------------------------------------ trust anchors

    def load_verify_locations(self, cafile: Any = None, capath: Any = None, cadata: Any = None) -> None:
        if self._tb_mode == "server":
            return _PlainContext.load_verify_locations(self, cafile, capath, cadata)
        if cafile is None and capath is None and cadata is None:
            raise TypeError("cafile, capath and cadata cannot be all omitted")
        added = [s for s in (cafile, capath, cadata) if s is not None and not (s is cafile and _is_mozilla_bundle(s))]
        self._tb_add(added)

    def _tb_add(self, sources: Sequence[CASource]) -> None:
        with self._tb_lock:
            new = [s for s in sources if _source_key(s) not in self._tb_keys]
            if not new:
                return  # urllib3 loads the same file into a shared context for every connection
            store = Store([*self._tb_sources, *new], env=True, system=self._tb_system)
            self._tb_sources.extend(new)
            self._tb_keys.update(_source_key(s) for s in new)
            self._tb_store = store

    def load_default_certs(self, purpose: ssl.Purpose = ssl.Purpose.SERVER_AUTH) -> None:
        if not isinstance(purpose, ssl._ASN1Object):  # type: ignore[attr-defined]
            raise TypeError(purpose)
        if self._tb_mode == "server" or purpose is ssl.Purpose.CLIENT_AUTH:
            # A server verifying client certificates: OpenSSL does, with our roots.
            _PlainContext.load_verify_locations(self, capath=where_capath())
            extras = Store(None, env=True, system=False).extra_pem()
            if extras:
                _PlainContext.load_verify_locations(self, cadata=extras)
        # A client's store already holds Mozilla's roots (+ the system's with system=True).

    def set_default_verify_paths(self) -> None:
        if self._tb_mode == "server":
            _PlainContext.set_default_verify_paths(self)
        # A client context never trusts OpenSSL's default paths: system=True adds the system store.

    # ------------------------------------------------ the hook

    def _wrap_socket(self, sock: Any, server_side: bool, server_hostname: Any = None, **kwargs: Any) -> Any:
        create: Callable[[], Any] = lambda: _Native._wrap_socket(self, sock, server_side, server_hostname, **kwargs)
        return self._tb_connection(create, server_side, server_hostname)

    def _wrap_bio(self, incoming: Any, outgoing: Any, server_side: bool, server_hostname: Any = None,
                  **kwargs: Any) -> Any:
        create: Callable[[], Any] = lambda: _Native._wrap_bio(self, incoming, outgoing, server_side,
                                                             server_hostname, **kwargs)
        return self._tb_connection(create, server_side, server_hostname)

    def _tb_connection(self, create: Callable[[], Any], server_side: bool, server_hostname: Any) -> Any:
        if self._tb_mode == "server" or (server_side and self._tb_mode == "generic"):
            return create()  # a server's view of its clients: OpenSSL's, as in the stdlib
        if server_side:
            raise ValueError("a trustbundle client context cannot serve: use ssl.PROTOCOL_TLS_SERVER "
                             "or trustbundle.create_default_context(ssl.Purpose.CLIENT_AUTH)")
        with self._tb_lock:
            if self._tb_mode == "client":
                refusal, names = self._tb_refusal, self._tb_check_hostname
            else:
                refusal = UNVERIFIED_REFUSED if _Native.verify_mode.__get__(self) == ssl.CERT_NONE else None
                names = bool(_Native.check_hostname.__get__(self))
            if refusal:
                raise ValueError(refusal)
            if names and not server_hostname:
                raise ValueError("check_hostname requires server_hostname")
            store = self._tb_store
            assert store is not None
            mode = _Native.verify_mode.__get__(self)
            checks = _Native.check_hostname.__get__(self)
            _Native.check_hostname.__set__(self, False)
            _Native.verify_mode.__set__(self, ssl.CERT_NONE)
            try:
                native = create()  # SSL_new: this object alone verifies nothing itself
            finally:
                _Native.verify_mode.__set__(self, mode)
                _Native.check_hostname.__set__(self, checks)
        host = server_hostname if names else None
        host = host.decode("ascii") if isinstance(host, bytes) else host
        return _CheckedConnection(native, store, host, self._tb_accepted)


# ssl's certificate encodings (3.10+; OpenSSL's X509_FILETYPE_PEM / _ASN1).
_ENCODING_PEM = getattr(ssl._ssl, "ENCODING_PEM", 1)  # type: ignore[attr-defined]
_ENCODING_DER = getattr(ssl._ssl, "ENCODING_DER", 2)  # type: ignore[attr-defined]


class _DerCertificate:
    """A verified chain element, shaped as the ssl module's certificates (public_bytes)."""

    __slots__ = ("_der",)

    def __init__(self, der: bytes) -> None:
        self._der = der

    def public_bytes(self, format: int = _ENCODING_PEM) -> Any:
        if format == _ENCODING_DER:
            return self._der
        return ssl.DER_cert_to_PEM_cert(self._der)


class _CheckedConnection:
    """One client connection's native SSL object, released only once the core accepted its chain."""

    __slots__ = ("_native", "_store", "_host", "_accepted", "_verified", "_error")

    def __init__(self, native: Any, store: Store, host: Optional[str], accepted: _AcceptedChains) -> None:
        object.__setattr__(self, "_native", native)
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_host", host)
        object.__setattr__(self, "_accepted", accepted)
        object.__setattr__(self, "_verified", None)
        object.__setattr__(self, "_error", None)

    def do_handshake(self) -> None:
        if self._error is not None:
            raise self._error
        self._native.do_handshake()
        if self._verified is None:
            self._check()

    def _check(self) -> None:
        try:
            chain = _served_chain(self._native, self._accepted)
            verified = self._store.verify(chain, self._host)
        except VerificationError as e:
            object.__setattr__(self, "_error", e)
            raise
        except PeerChainError as e:
            object.__setattr__(self, "_error", e)
            raise
        except TrustbundleError as e:  # e.g. the server sent bytes that are no certificate
            error = PeerChainError(f"cannot verify the server's chain: {e}")
            error.__cause__ = e
            object.__setattr__(self, "_error", error)
            raise error from e
        self._accepted.add(chain)
        object.__setattr__(self, "_verified", verified)

    def _ready(self) -> None:
        if self._verified is None:
            self.do_handshake()  # OpenSSL would handshake implicitly: never without the check

    def read(self, *args: Any) -> Any:
        self._ready()
        return self._native.read(*args)

    def write(self, data: Any) -> int:
        self._ready()
        return self._native.write(data)

    def get_verified_chain(self) -> Any:
        """The chain the core verified (leaf to anchor), as the ssl module's certificates."""
        if self._verified is None:
            return None
        return [_DerCertificate(der) for der in self._verified]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._native, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._native, name, value)  # ssl.py sets .context, .session on the native object
