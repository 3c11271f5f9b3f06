"""The exceptions trustbundle raises, and the mapping from the core's statuses."""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from . import _native

__all__ = [
    "TrustbundleError",
    "ParseError",
    "FileError",
    "LimitError",
    "PassphraseError",
    "ArgumentError",
    "NotFoundError",
    "VerificationError",
    "NativeUnavailableError",
    "verification_error",
]


class TrustbundleError(Exception):
    """Base class of every error trustbundle raises.

    ``status`` is the core's status name (``"PARSE"``, ``"IO"``, ...) or
    ``None`` for errors that are not a core status (a rejected chain).
    ``message`` says what failed and where; ``openssl_code`` is OpenSSL's
    error or verify code when one was involved, else 0.
    """

    status: str | None
    message: str
    openssl_code: int

    def __init__(self, message: str, *, status: str | None = None, openssl_code: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.openssl_code = openssl_code

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # The keyword-only constructors cannot be called with self.args, so
        # pickle rebuilds the object from its attributes (a rejection raised in
        # a worker process reaches the parent whole). OSError keeps errno,
        # strerror and filename outside __dict__: carry them too.
        state = dict(self.__dict__)
        if isinstance(self, OSError):
            state.update(errno=self.errno, strerror=self.strerror, filename=self.filename,
                         filename2=self.filename2)
        return (_rebuild, (type(self), self.args, state))


def _rebuild(cls: type, args: tuple, state: dict) -> TrustbundleError:
    error = cls.__new__(cls, *args)
    error.args = args
    for name, value in state.items():
        setattr(error, name, value)
    return error


class ParseError(TrustbundleError, ValueError):
    """Malformed input: a certificate, key, CA source or time that does not parse.

    The message names the input (``chain element 1``, ``extra_ca[0] (bytes)``, a path, ...).
    """


class FileError(TrustbundleError, OSError):
    """A file or directory could not be read or written. ``filename`` names it when known."""

    def __init__(self, message: str, *, status: str | None = "IO", openssl_code: int = 0,
                 filename: str | None = None) -> None:
        super().__init__(message, status=status, openssl_code=openssl_code)
        self.filename = filename


class LimitError(TrustbundleError, ValueError):
    """An input is over one of the core's documented limits (size, chain length, depth)."""


class PassphraseError(TrustbundleError, ValueError):
    """A private key needs a passphrase and none was given, or the one given is wrong."""


class ArgumentError(TrustbundleError, ValueError):
    """An argument the core rejects (an empty path, an option out of range)."""


class NotFoundError(TrustbundleError, LookupError):
    """No such entry (an index past the end)."""


class NativeUnavailableError(TrustbundleError, ImportError):
    """The native extension ``trustbundle._native`` could not be loaded.

    Raised by every feature that needs the core (``verify``, ``Store``,
    ``create_default_context``, ``inject_into_ssl``, ``diagnose``, ``roots``,
    ...) where the extension cannot load: a zipapp, an unsupported platform,
    a broken install. ``where()`` and ``contents()`` keep working from the
    packaged PEM. Nothing falls back to a weaker check: there is no TLS
    context without the core.

    Attributes:
        feature: what was asked for (``"trustbundle.verify"``), or None.
        cause: the text of the ImportError that stopped the extension.
    """

    feature: str | None
    cause: str

    def __init__(self, cause: str, *, feature: str | None = None) -> None:
        what = f"{feature} needs" if feature else "this needs"
        super().__init__(f"{what} trustbundle's native extension (trustbundle._native), which could not be "
                         f"loaded: {cause}. Only where() and contents() work without it; install the "
                         "trustbundle wheel for this platform and Python", status="UNAVAILABLE")
        self.feature = feature
        self.cause = cause
        self.name = "trustbundle._native"


class VerificationError(TrustbundleError, ssl.SSLCertVerificationError):
    """A certificate chain was rejected.

    Subclasses :class:`ssl.SSLCertVerificationError`, so ``except ssl.SSLError``
    and ``except ssl.SSLCertVerificationError`` clauses catch it.

    Attributes:
        reason: the core's reason name, the same in every language
            (``"UNABLE_TO_GET_ISSUER_CERT_LOCALLY"``, ``"CERT_HAS_EXPIRED"``,
            ``"HOSTNAME_MISMATCH"``, ``"ROOT_DISTRUSTED"``, ...).
        reason_code: its number (``trustbundle_reason``).
        depth: the depth of the failing certificate, 0 = leaf.
        hint: one line saying how to fix it.
        verify_code, verify_message: OpenSSL's verify code and text, as
            :mod:`ssl` sets them on its own verification errors.
        host: the name that was checked, or None.
    """

    reason: str
    reason_code: int
    depth: int
    hint: str
    verify_code: int
    verify_message: str
    host: str | None

    def __init__(self, *, reason: str, reason_code: int, depth: int, message: str, hint: str,
                 openssl_code: int, host: str | None = None) -> None:
        text = f"certificate verify failed: {reason} at depth {depth}: {message}"
        if hint:
            text += f" (hint: {hint})"
        super().__init__(text, status=None, openssl_code=openssl_code)
        self.reason = reason
        self.reason_code = reason_code
        self.depth = depth
        self.hint = hint
        self.verify_code = openssl_code
        self.verify_message = message
        self.library = "trustbundle"
        self.host = host


def verification_error(error: BaseException) -> VerificationError | None:
    """The :class:`VerificationError` behind an HTTP client's exception, or None.

    Clients wrap the handshake's error in their own: requests' ``SSLError``,
    urllib3's ``MaxRetryError``, httpx's ``ConnectError``, urllib's
    ``URLError``, aiohttp's ``ClientConnectorCertificateError``. This walks
    causes, contexts, arguments and the attributes they keep it in
    (``reason``, ``certificate_error``, ``os_error``).
    """
    seen = set()
    todo = [error]
    while todo:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, VerificationError):
            return e
        linked = [e.__cause__, e.__context__, *e.args, getattr(e, "reason", None),
                  getattr(e, "certificate_error", None), getattr(e, "os_error", None)]
        todo.extend(x for x in linked if isinstance(x, BaseException))
    return None


_BY_STATUS: dict[str, type[TrustbundleError]] = {
    "PARSE": ParseError,
    "IO": FileError,
    "LIMIT": LimitError,
    "PASSPHRASE": PassphraseError,
    "INVALID_ARGUMENT": ArgumentError,
    "NOT_FOUND": NotFoundError,
}


def from_native(error: _native.Error, paths: Sequence[str] = ()) -> TrustbundleError:
    """The typed exception for a failed core call.

    ``paths`` are the file names the call was given: an IO error whose
    message names one of them gets it as ``filename``.
    """
    _status, name, message, openssl_code = error.args
    cls = _BY_STATUS.get(name, TrustbundleError)
    if cls is FileError:
        filename = next((p for p in paths if f"'{p}'" in message), None)
        return FileError(message, openssl_code=openssl_code, filename=filename)
    return cls(message, status=name, openssl_code=openssl_code)
