"""roots(), bundle_version() and the bundle's age: the embedded bundle's metadata."""

from __future__ import annotations

import datetime as _dt
import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, List, Optional, Tuple

from ._load_native import native as _native

if TYPE_CHECKING:
    from ._verify import TimeInput

__all__ = ["Root", "roots", "bundle_version", "bundle_as_of", "bundle_age_days", "library_version"]

_TRUST_NAMES = {0: "none", 1: "trusted", 2: "must_verify", 3: "not_trusted"}


def _utc(seconds: int) -> _dt.datetime:
    return _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(seconds=seconds)


@dataclass(frozen=True)
class Root:
    """One root of the embedded bundle, with the metadata a PEM file cannot carry."""

    label: str
    """Mozilla's label (CKA_LABEL)."""
    sha256: str
    """SHA-256 fingerprint of the DER, lowercase hex without separators."""
    sha1: str
    subject: str
    """``CN=... O=... OU=...``, in certifi's form."""
    issuer: str
    serial: int
    not_before: _dt.datetime
    not_after: _dt.datetime
    server_trust: str
    """``"trusted"``, ``"must_verify"``, ``"not_trusted"`` or ``"none"``."""
    email_trust: str
    server_distrust_after: Optional[_dt.datetime]
    """Mozilla's distrust-after date for TLS servers: leaves issued after it are rejected."""
    der: bytes = field(repr=False)

    @property
    def pem(self) -> str:
        """The certificate as PEM text."""
        import ssl

        return ssl.DER_cert_to_PEM_cert(self.der)


def _make(t: _native.RootTuple) -> Root:
    label, sha256, sha1, subject, issuer, serial, nb, na, server, email, distrust, der = t
    return Root(label=label, sha256=sha256, sha1=sha1, subject=subject, issuer=issuer, serial=int(serial),
                not_before=_utc(nb), not_after=_utc(na), server_trust=_TRUST_NAMES.get(server, "none"),
                email_trust=_TRUST_NAMES.get(email, "none"),
                server_distrust_after=None if distrust is None else _utc(distrust), der=der)


_ROOTS: Optional[Tuple[Root, ...]] = None


def roots() -> List[Root]:
    """The embedded roots, in Mozilla's certdata order."""
    global _ROOTS
    if _ROOTS is None:
        _ROOTS = tuple(_make(t) for t in _native.roots())
    return list(_ROOTS)


def bundle_version() -> str:
    """The bundle's identity, ``"<NSS version>/<as_of>"``, e.g. ``"2.86/2026-11-22T00:00:00Z"``."""
    return _native.bundle_version()


def bundle_as_of() -> _dt.datetime:
    """The instant Mozilla's data was curated at (UTC), the bundle's ``as_of``."""
    return _dt.datetime.fromtimestamp(_native.bundle_as_of(), _dt.timezone.utc)


def bundle_age_days(at: TimeInput | None = None) -> int:
    """Whole days from :func:`bundle_as_of` to ``at`` (default now), 0 before it.

    Past 180 days the bundle is stale: a newer trustbundle carries Mozilla's newer roots.
    """
    from ._verify import _seconds  # only here: it imports ssl, which roots() and bundle_version() need not

    seconds = _seconds(at)
    return _native.bundle_age_days(math.floor(time.time()) if seconds is None else seconds)


def library_version() -> str:
    """The version of the native core actually loaded."""
    return _native.version()
