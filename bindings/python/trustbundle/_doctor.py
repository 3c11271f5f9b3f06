"""``trustbundle doctor``: diagnose a live TLS endpoint, through the core's probe.

The probe, the diagnosis and both renderings (the one-screen report and the
JSON) come from the C core, so ``python -m trustbundle doctor`` prints the
same bytes as the ``trustbundle doctor`` command.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import math
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from ._load_native import native as _native
from ._errors import from_native
from ._verify import CASource, Store, _read_input

__all__ = ["Diagnosis", "Finding", "ServedCertificate", "diagnose"]

_VERDICTS = {_native.VERDICT_OK: "OK", _native.VERDICT_REJECTED: "REJECTED",
             _native.VERDICT_UNREACHABLE: "UNREACHABLE"}
_SEVERITIES = ("info", "warning", "error")


def _utc(seconds: int) -> _dt.datetime:
    return _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(seconds=seconds)


@dataclass(frozen=True)
class ServedCertificate:
    """One certificate as the server sent it."""

    subject: str
    """``"CN=... O=... OU=..."``, as :class:`trustbundle.Root`."""
    issuer: str
    not_before: _dt.datetime
    not_after: _dt.datetime
    key_type: str
    """``"RSA"``, ``"EC"``, ``"Ed25519"``, ``"Ed448"``, ``"DSA"`` or ``"unknown"``."""
    key_bits: int
    sha256: str
    der: bytes


@dataclass(frozen=True)
class Finding:
    """One problem (or fact) found, with what to change on each side."""

    code: str
    """A stable name, e.g. ``"MISSING_INTERMEDIATE"``, ``"CLIENT_CERT_REQUIRED"``."""
    severity: str
    """``"info"``, ``"warning"`` or ``"error"``."""
    index: int
    """The served certificate concerned (0 = the leaf), or -1."""
    message: str
    fix_client: str
    fix_server: str


@dataclass(frozen=True)
class Diagnosis:
    """The result of :func:`diagnose`."""

    verdict: str
    """``"OK"`` (verifies), ``"REJECTED"`` (does not, or the server refused the
    client certificate) or ``"UNREACHABLE"`` (no TLS conversation: see ``failure``)."""
    failure: str
    """Why the conversation did not complete: ``"NONE"``, ``"DNS"``,
    ``"CONNECTION_REFUSED"``, ``"TIMEOUT"``, ``"NETWORK"``, ``"PLAIN_HTTP"``,
    ``"NOT_TLS"``, ``"HANDSHAKE_ALERT"``, ``"HANDSHAKE"`` or ``"CLIENT_CERT"``."""
    reason: Optional[str]
    """The served chain's verification reason (``"OK"``, ``"CERT_HAS_EXPIRED"``
    ...), as :class:`trustbundle.VerificationError`; ``None`` when no chain was served."""
    message: str
    hint: str
    protocol: Optional[str]
    cipher: Optional[str]
    client_cert_requested: bool
    chain: List[ServedCertificate]
    """As served, in the order sent."""
    findings: List[Finding]
    """Errors first."""
    fix_client: str
    """One fix per line; ``""`` when nothing to change."""
    fix_server: str
    text: str
    """The one-screen report, as ``trustbundle doctor`` prints it."""
    json: str
    """The whole diagnosis as JSON, as ``trustbundle doctor --json`` prints it."""

    @property
    def ok(self) -> bool:
        return self.verdict == "OK"

    @property
    def exit_code(self) -> int:
        """0 verifies, 1 does not, 2 unreachable or not TLS (the CLI's exit codes)."""
        return {"OK": 0, "REJECTED": 1}.get(self.verdict, 2)

    def as_dict(self) -> Dict[str, Any]:
        return _json.loads(self.json)


def _timeout_ms(timeout: float) -> int:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout: expected seconds as a number, not {type(timeout).__name__}")
    if not math.isfinite(timeout) or timeout <= 0 or timeout > 600:
        raise ValueError(f"timeout: {timeout} is not a number of seconds in (0, 600]")
    return math.ceil(timeout * 1000)


def diagnose(target: str, *, servername: Optional[str] = None,
             extra_ca: CASource | Sequence[CASource] | None = None, cert: object = None, key: object = None,
             password: Optional[str] = None, timeout: float = 10.0) -> Diagnosis:
    """Connects to ``target`` and says whether, and why not, its TLS chain verifies.

    Args:
        target: ``"host"``, ``"host:port"``, ``"[v6]:port"`` or an ``https://`` URL
            (port 443 by default).
        servername: the name sent as SNI and verified (default: the target's host).
        extra_ca: CAs to trust on top of Mozilla's (see :class:`trustbundle.Store`);
            ``TRUSTBUNDLE_EXTRA_CA_CERTS`` is added too.
        cert, key: an mTLS client certificate and its key: paths, PEM text or
            PEM/DER bytes (``key`` defaults to ``cert``, a PEM holding both).
        password: the key's passphrase, if it is encrypted.
        timeout: seconds for the whole probe (DNS, connect, handshake).

    Returns a :class:`Diagnosis` whatever happened to the endpoint; raises only
    for bad arguments (``ParseError``, ``PassphraseError``, ``ArgumentError``,
    ``FileError``).
    """
    if not isinstance(target, str):
        raise TypeError(f"target: expected a str, not {type(target).__name__}")
    ms = _timeout_ms(timeout)
    if key is not None and cert is None:
        raise ValueError("key: given without cert")
    cert_data = _read_input(cert, "cert") if cert is not None else None
    key_data = _read_input(key, "key") if key is not None else cert_data
    store = Store(extra_ca)
    try:
        (verdict, _failure, failure_name, _reason, reason_name, message, hint, protocol, cipher, requested, certs,
         findings, fix_client, fix_server, json_text, text) = store._store.probe(
            target, servername or None, ms, cert_data, key_data, password)
    except _native.Error as e:
        raise from_native(e) from None
    return Diagnosis(
        verdict=_VERDICTS.get(verdict, "UNREACHABLE"),
        failure=failure_name,
        reason=reason_name if certs else None,
        message=message,
        hint=hint,
        protocol=protocol or None,
        cipher=cipher or None,
        client_cert_requested=requested,
        chain=[ServedCertificate(s, i, _utc(nb), _utc(na), kt, kb, sha, der)
               for (s, i, nb, na, kt, kb, sha, der) in certs],
        findings=[Finding(name, _SEVERITIES[sev] if 0 <= sev < len(_SEVERITIES) else "unknown", index, msg, fc, fs)
                  for (_code, name, sev, index, msg, fc, fs) in findings],
        fix_client=fix_client,
        fix_server=fix_server,
        text=text,
        json=json_text,
    )
