"""The native extension for the modules that need it, or one clear error.

Every module that calls the core imports ``native`` from here, so where the
extension cannot load (a zipapp, an unsupported platform, a broken install)
they all raise :class:`NativeUnavailableError` with the cause, never a bare
``cannot import name '_native'``.
"""

from __future__ import annotations

import os

try:
    from . import _native as native
except ImportError as error:
    from ._errors import NativeUnavailableError

    cause = str(error) or type(error).__name__
    package = os.path.dirname(os.path.abspath(__file__))
    if not os.path.isdir(package):
        # zipimport (and other archive importers) cannot load extension modules.
        cause += f" (the package is inside an archive, '{os.path.dirname(package)}': " \
                 "Python loads extension modules only from files on disk)"
    raise NativeUnavailableError(cause) from error

__all__ = ["native"]
