"""What the desktop app's start-up pays for: only what the app needs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROBE = r"""
import json, sys
import fieldkit.cli.gui as gui
gui.cmd_gui = lambda args: print(json.dumps(sorted(sys.modules))) or 0
from fieldkit.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("argv", [[], ["gui"], ["--lang", "fr", "gui"], ["--data-dir=x"]])
def test_starting_the_app_imports_no_other_command_group(argv):
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                          cwd=ROOT, check=True, timeout=120)
    loaded = set(json.loads(done.stdout))
    assert not {"fieldkit.materials", "fieldkit.typeset", "reportlab", "fieldkit.cli.material",
                "fieldkit.cli.browse"} & loaded


def test_other_commands_still_have_every_group():
    done = subprocess.run([sys.executable, "-m", "fieldkit", "--help"], capture_output=True,
                          text=True, cwd=ROOT, check=True, timeout=120)
    for command in ("gui", "init", "search", "content"):
        assert command in done.stdout


def test_registering_the_pdf_fonts_searches_no_system_fonts():
    """Fonts are parsed when the first PDF is made, not on import; and ReportLab's getFont()
    on an unknown name reads every Type 1 font of the system first (seconds where
    Ghostscript's fonts are installed): registration must not ask it."""
    probe = ("import reportlab.pdfbase.pdfmetrics as m\n"
             "def refuse(*a, **k): raise SystemExit('searched the system fonts')\n"
             "m.bruteForceSearchForAFM = refuse\n"
             "import fieldkit.materials\n"
             "from fieldkit.typeset import reportlab_fence\n"
             "assert not reportlab_fence._registered, 'fonts parsed on import'\n"
             "reportlab_fence.register_all()\n"
             "assert len(reportlab_fence._registered) >= 5\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
