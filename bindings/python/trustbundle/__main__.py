"""``python -m trustbundle``: the trustbundle command-line tool.

The tool is the core's (``trustbundle_cli_main``), so every package prints
the same bytes: ``python -m trustbundle --help`` lists the commands. As
``python -m certifi``, no arguments prints :func:`trustbundle.where` (this
package's cacert.pem, where the core's tool names the copy in the user
cache) and ``-c``/``--contents`` the bundle.
"""

from __future__ import annotations

import os
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        from . import where

        print(where())
        return 0
    from ._errors import NativeUnavailableError

    try:
        from ._load_native import native as _native
    except NativeUnavailableError as e:
        if args in (["-c"], ["--contents"]):  # as `python -m certifi -c`: needs only the PEM
            from . import contents

            sys.stdout.write(contents())
            return 0
        print(f"trustbundle: {NativeUnavailableError(e.cause, feature='python -m trustbundle ' + args[0])}",
              file=sys.stderr)
        return 2
    sys.stdout.flush()  # the core writes to the same file descriptors
    sys.stderr.flush()
    return _native.cli_main([b"trustbundle", *map(os.fsencode, args)])


if __name__ == "__main__":
    sys.exit(main())
