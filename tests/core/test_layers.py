"""The core never imports Qt."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import importlib, pkgutil, sys
import fieldkit
for mod in pkgutil.walk_packages(fieldkit.__path__, "fieldkit."):
    if not mod.name.startswith("fieldkit.ui") and not mod.name.endswith("__main__"):
        importlib.import_module(mod.name)
from fieldkit import cli
cli.build_parser()
print(sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6"))))
"""


def test_core_imports_no_qt() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"
