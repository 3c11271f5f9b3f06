"""PyInstaller support: ``get_hook_dirs`` is the ``pyinstaller40`` entry point
(pyproject.toml), so a frozen application gets hook-trustbundle.py without
any option."""

from __future__ import annotations

import os
from typing import List


def get_hook_dirs() -> List[str]:
    return [os.path.dirname(__file__)]
