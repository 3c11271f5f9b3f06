"""trustbundle: Mozilla's curated TLS server roots, and the helpers around them.

certifi-compatible (``where()``, ``contents()``), plus a fast
``ssl.SSLContext`` factory, chain verification with typed reasons, mTLS key
checks, extra/corporate CAs (``extra_ca=`` and ``TRUSTBUNDLE_EXTRA_CA_CERTS``)
and a reversible injection into the ``ssl`` module.

``import trustbundle`` is cheap: ``where()`` needs neither :mod:`ssl` nor the
native module; everything else is loaded on first use. Where the native
module cannot load (a zipapp, an unsupported platform), ``where()`` and
``contents()`` still work and every other name raises
:class:`NativeUnavailableError` (an ``ImportError``) naming the cause.
"""

from __future__ import annotations

from ._paths import contents, where, where_capath

__version__ = "0.1.0"

# Not `from typing import TYPE_CHECKING`: importing typing would double the
# cost of `import trustbundle` (type checkers know this idiom).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._errors import ArgumentError as ArgumentError
    from ._errors import FileError as FileError
    from ._errors import LimitError as LimitError
    from ._errors import NativeUnavailableError as NativeUnavailableError
    from ._errors import NotFoundError as NotFoundError
    from ._errors import ParseError as ParseError
    from ._errors import PassphraseError as PassphraseError
    from ._errors import TrustbundleError as TrustbundleError
    from ._errors import VerificationError as VerificationError
    from ._errors import verification_error as verification_error
    from ._roots import Root as Root
    from ._roots import bundle_age_days as bundle_age_days
    from ._roots import bundle_as_of as bundle_as_of
    from ._roots import bundle_version as bundle_version
    from ._roots import library_version as library_version
    from ._roots import roots as roots
    from ._context import create_default_context as create_default_context
    from ._context import extract_from_ssl as extract_from_ssl
    from ._context import inject_into_ssl as inject_into_ssl
    from ._context import is_injected as is_injected
    from ._context import TrustbundleContext as TrustbundleContext
    from ._verify import KeyPairCheck as KeyPairCheck
    from ._verify import Store as Store
    from ._verify import check_key_pair as check_key_pair
    from ._verify import verify as verify

_LAZY = {
    "ArgumentError": "_errors",
    "FileError": "_errors",
    "LimitError": "_errors",
    "NativeUnavailableError": "_errors",
    "NotFoundError": "_errors",
    "ParseError": "_errors",
    "PassphraseError": "_errors",
    "TrustbundleError": "_errors",
    "VerificationError": "_errors",
    "verification_error": "_errors",
    "Root": "_roots",
    "bundle_age_days": "_roots",
    "bundle_as_of": "_roots",
    "bundle_version": "_roots",
    "library_version": "_roots",
    "roots": "_roots",
    "create_default_context": "_context",
    "extract_from_ssl": "_context",
    "inject_into_ssl": "_context",
    "is_injected": "_context",
    "TrustbundleContext": "_context",
    "KeyPairCheck": "_verify",
    "Store": "_verify",
    "check_key_pair": "_verify",
    "verify": "_verify",
    "Diagnosis": "_doctor",
    "diagnose": "_doctor",
}

__all__ = ["where", "contents", "where_capath", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'trustbundle' has no attribute {name!r}")
    import importlib

    try:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    except ImportError as e:
        from ._errors import NativeUnavailableError

        if not isinstance(e, NativeUnavailableError):
            raise
        # Name what was asked for; the cause stays the extension's ImportError.
        raise NativeUnavailableError(e.cause, feature=f"trustbundle.{name}") from e.__cause__
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
