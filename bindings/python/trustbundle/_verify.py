"""Stores, chain verification and mTLS key checks over the native module."""

from __future__ import annotations

import datetime as _dt
import ipaddress
import math
import os
import ssl
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple, Union

from ._load_native import native as _native
from ._errors import ParseError, VerificationError, from_native

__all__ = ["Store", "KeyPairCheck", "verify", "check_key_pair", "CASource", "CertInput", "TimeInput"]

PathLike = Union[str, "os.PathLike[str]", "os.PathLike[bytes]"]
#: One CA source: a file or directory path, PEM text (a str holding
#: ``-----BEGIN``), or PEM/DER bytes.
CASource = Union[str, bytes, bytearray, memoryview, "os.PathLike[str]", "os.PathLike[bytes]"]
#: A certificate: PEM or DER bytes, or PEM text.
CertInput = Union[bytes, bytearray, memoryview, str]
#: A verification time: an aware datetime (a naive one is taken as UTC),
#: Unix seconds, or an RFC 3339 UTC string such as ``"2026-05-20T00:00:00Z"``.
TimeInput = Union[_dt.datetime, int, float, str]

_NativeSource = Tuple[bool, bytes, Optional[str]]

_PEM_MARK = "-----BEGIN"


def _ca_sources(extra_ca: CASource | Sequence[CASource] | None, what: str) -> tuple[list[_NativeSource], list[str]]:
    """Normalises an ``extra_ca`` argument into native sources, plus the paths in it."""
    if extra_ca is None:
        return [], []
    single = not isinstance(extra_ca, (list, tuple))
    items: Sequence[CASource] = [extra_ca] if single else extra_ca  # type: ignore[list-item,assignment]
    sources: list[_NativeSource] = []
    paths: list[str] = []
    for i, item in enumerate(items):
        label = what if single else f"{what}[{i}]"
        if isinstance(item, os.PathLike):
            item = os.fspath(item)
            if isinstance(item, bytes):
                item = os.fsdecode(item)
        if isinstance(item, str):
            if _PEM_MARK in item:
                sources.append((False, item.encode("utf-8"), f"{label} (PEM text)"))
            elif item == "":
                raise ValueError(f"{label}: an empty string is neither a path nor PEM text")
            else:
                sources.append((True, os.fsencode(item), None))
                paths.append(item)
        elif isinstance(item, (bytes, bytearray, memoryview)):
            data = bytes(item)
            kind = "PEM" if _PEM_MARK.encode() in data else "DER"
            sources.append((False, data, f"{label} ({kind} bytes)"))
        else:
            raise TypeError(
                f"{label}: expected a path, PEM text, or PEM/DER bytes, not {type(item).__name__}")
    return sources, paths


def _cert_bytes(item: object, label: str) -> bytes:
    if isinstance(item, (bytes, bytearray, memoryview)):
        return bytes(item)
    if isinstance(item, str):
        try:
            return item.encode("ascii")
        except UnicodeEncodeError:
            raise ParseError(f"{label}: PEM text must be ASCII", status="PARSE") from None
    raise TypeError(f"{label}: expected PEM or DER bytes, or PEM text, not {type(item).__name__}")


def _chain_buffers(chain: CertInput | Sequence[CertInput]) -> list[bytes]:
    if isinstance(chain, (bytes, bytearray, memoryview, str)):
        return [_cert_bytes(chain, "chain")]  # one buffer may hold a whole PEM chain
    try:
        items = list(chain)
    except TypeError:
        raise TypeError(f"chain: expected a list of certificates or one PEM buffer, not {type(chain).__name__}") from None
    if not items:
        raise ValueError("chain: empty, it needs at least the leaf certificate")
    return [_cert_bytes(c, f"chain[{i}]") for i, c in enumerate(items)]


def _seconds(at: TimeInput | None) -> int | None:
    if at is None:
        return None
    if isinstance(at, bool):
        raise TypeError("at: expected a datetime, Unix seconds or an RFC 3339 string, not bool")
    if isinstance(at, int):
        return at
    if isinstance(at, float):
        if not math.isfinite(at):
            raise ValueError(f"at: {at} is not a time")
        return math.floor(at)
    if isinstance(at, _dt.datetime):
        if at.tzinfo is None:
            at = at.replace(tzinfo=_dt.timezone.utc)
        return math.floor(at.timestamp())
    if isinstance(at, str):
        try:
            return _native.time_parse(at)
        except _native.Error as e:
            err = from_native(e)
            err.message = f"at: {err.message}"
            err.args = (err.message,)
            raise err from None
    raise TypeError(f"at: expected a datetime, Unix seconds or an RFC 3339 string, not {type(at).__name__}")


def _purpose(purpose: str | ssl.Purpose) -> int:
    if purpose == "server" or purpose is ssl.Purpose.SERVER_AUTH:
        return _native.PURPOSE_SERVER
    if purpose == "client" or purpose is ssl.Purpose.CLIENT_AUTH:
        return _native.PURPOSE_CLIENT
    raise ValueError(f"purpose: expected 'server' or 'client', not {purpose!r}")


def _host(host: str | bytes | ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> str | None:
    if host is None:
        return None
    if isinstance(host, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(host)
    if isinstance(host, bytes):
        host = host.decode("ascii")
    if not isinstance(host, str):
        raise TypeError(f"host: expected a str, not {type(host).__name__}")
    if host == "":
        # An empty name is a mistake (urlparse(u).hostname or ""), not a way
        # to skip the check: that takes host=None, said explicitly.
        raise ValueError("host: empty string; pass host=None to skip the name check")
    host = host.strip("[]") if host.startswith("[") else host
    if not host.isascii():
        host = host.encode("idna").decode("ascii")  # as ssl does for server_hostname
    return host


class Store:
    """A set of trust anchors: Mozilla's roots plus extra CAs. Immutable, thread-safe.

    Args:
        extra_ca: CAs added to the roots: a file (PEM bundle, DER, or an NSS
            certdata.txt), a directory (its ``*.pem``, ``*.crt``, ``*.cer``,
            ``*.der`` and hash-named files), PEM text, PEM/DER bytes, or a
            list of those. An unreadable, empty or unparsable source raises
            (:class:`FileError`, :class:`ParseError`) naming it.
        mozilla: include the embedded Mozilla roots (default). ``False``
            gives a store of only ``extra_ca``, for tests and private PKIs.
        env: add ``TRUSTBUNDLE_EXTRA_CA_CERTS`` (a file or directory) when it
            is set; read now, at each creation.
        system: add the system store (``SSL_CERT_FILE``, ``SSL_CERT_DIR``,
            else ``/etc/ssl/certs``).
    """

    __slots__ = ("_store",)

    def __init__(self, extra_ca: CASource | Sequence[CASource] | None = None, *, mozilla: bool = True,
                 env: bool = True, system: bool = False) -> None:
        sources, paths = _ca_sources(extra_ca, "extra_ca")
        try:
            self._store = _native.Store(bool(mozilla), bool(env), bool(system), sources)
        except _native.Error as e:
            raise from_native(e, paths) from None

    @property
    def extra_count(self) -> int:
        """Number of anchors besides the embedded roots (extra CAs, environment, system)."""
        return self._store.extra_count()

    def extra_pem(self) -> str:
        """The anchors besides the embedded roots as one PEM text ("" when none)."""
        return self._store.extra_pem()

    def verify(self, chain: CertInput | Sequence[CertInput], host: str | None = None, *,
               at: TimeInput | None = None, purpose: str | ssl.Purpose = "server") -> List[bytes]:
        """Verifies a chain against this store; see :func:`trustbundle.verify`."""
        buffers = _chain_buffers(chain)
        name = _host(host)
        seconds = _seconds(at)
        code = _purpose(purpose)
        try:
            ok, reason_code, reason, depth, openssl_code, message, hint, verified = self._store.verify(
                buffers, name, seconds, code, -1, None, None)
        except _native.Error as e:
            raise from_native(e) from None
        if not ok:
            raise VerificationError(reason=reason, reason_code=reason_code, depth=depth, message=message,
                                    hint=hint, openssl_code=openssl_code, host=name)
        return list(verified)


def verify(chain: CertInput | Sequence[CertInput], host: str | None = None, *, at: TimeInput | None = None,
           purpose: str | ssl.Purpose = "server",
           extra_ca: CASource | Sequence[CASource] | None = None) -> List[bytes]:
    """Verifies a certificate chain and returns the verified chain, leaf first, as DER.

    Args:
        chain: the leaf first, then what the peer sent (intermediates, in any
            order): a list of PEM or DER ``bytes`` or PEM ``str``, or a single
            buffer holding a whole PEM chain.
        host: a DNS name or IP literal the leaf must be valid for; ``None``
            skips the name check (say so explicitly: ``""`` is a
            ``ValueError``, as is a name holding a NUL). The subject CN is
            never used as a name.
        at: the time to check at (default: now).
        purpose: ``"server"`` (TLS server auth) or ``"client"`` (mTLS).
        extra_ca: CAs to trust on top of Mozilla's (see :class:`Store`).
            ``TRUSTBUNDLE_EXTRA_CA_CERTS`` is added too.

    Returns:
        The verified chain from the leaf to the trust anchor, as DER bytes.

    Raises:
        VerificationError: the chain was rejected; ``.reason``, ``.depth`` and
            ``.hint`` say why and how to fix it.
        ParseError: a certificate or ``at`` does not parse (the message names which).
        FileError: an ``extra_ca`` path or the environment's CA file cannot be read.
    """
    return Store(extra_ca).verify(chain, host, at=at, purpose=purpose)


@dataclass(frozen=True)
class KeyPairCheck:
    """The result of :func:`check_key_pair`."""

    match: bool
    """The key is the certificate's private key."""
    client_auth: bool
    """The certificate may be used for TLS client authentication (its EKU allows clientAuth)."""
    valid: bool
    """The check time is within the certificate's validity."""
    not_before: _dt.datetime
    not_after: _dt.datetime

    @property
    def ok(self) -> bool:
        """All three checks passed: usable as an mTLS client certificate."""
        return self.match and self.client_auth and self.valid


def _read_input(value: object, label: str) -> bytes:
    """A certificate or key given as bytes, PEM text, or a path to a file."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str) and _PEM_MARK in value:
        return value.encode("utf-8")
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError as e:
            from ._errors import FileError

            name = os.fsdecode(path)
            raise FileError(f"{label}: cannot read '{name}': {e.strerror}", filename=name) from None
    raise TypeError(f"{label}: expected PEM/DER bytes, PEM text or a path, not {type(value).__name__}")


def _utc(seconds: int) -> _dt.datetime:
    return _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(seconds=seconds)


def check_key_pair(cert: CertInput | PathLike, key: CertInput | PathLike,
                   password: str | bytes | Callable[[], str | bytes] | None = None, *,
                   at: TimeInput | None = None) -> KeyPairCheck:
    """Checks an mTLS client certificate against its private key.

    ``cert`` and ``key`` are PEM/DER bytes, PEM text, or paths; the key may be
    PKCS#8 encrypted, with ``password`` (str, bytes, or a callable returning
    one, as for :meth:`ssl.SSLContext.load_cert_chain`).

    Raises:
        PassphraseError: the key needs a password and none was given, or it is wrong.
        ParseError: the certificate or key does not parse.
    """
    cert_data = _read_input(cert, "cert")
    key_data = _read_input(key, "key")
    if callable(password):
        password = password()
    if isinstance(password, (bytes, bytearray)):
        password = bytes(password).decode("utf-8")
    if password is not None and not isinstance(password, str):
        raise TypeError(f"password: expected str, bytes or a callable, not {type(password).__name__}")
    seconds = _seconds(at)
    try:
        match, client_auth, valid, not_before, not_after = _native.check_key_pair(
            cert_data, key_data, password, seconds)
    except _native.Error as e:
        raise from_native(e) from None
    return KeyPairCheck(match, client_auth, valid, _utc(not_before), _utc(not_after))
