"""A virtual X screen for the tests that need a real window (the xcb platform)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def virtual_screen(size: str = "1280x800x24") -> Iterator[str]:
    """Start Xvfb on a free display; yields the DISPLAY value."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError(f"Xvfb did not start (exit {server.wait(5)})")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def find_window(display: str, name: str, process: subprocess.Popen[str],
                timeout: float = 60.0) -> str | None:
    """The id of a visible window whose title matches, while `process` runs."""
    deadline = time.monotonic() + timeout
    env = {**os.environ, "DISPLAY": display}
    while time.monotonic() < deadline and process.poll() is None:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name],
                               capture_output=True, text=True, env=env, check=False)
        if found.stdout.split():
            return found.stdout.split()[0]
        time.sleep(0.25)
    return None


def xdotool(display: str, *args: str) -> str:
    return subprocess.run(["xdotool", *args], capture_output=True, text=True, check=True,
                          env={**os.environ, "DISPLAY": display}, timeout=30).stdout


def missing_x_tools() -> str | None:
    """Why the real-window tests cannot run here, or None."""
    absent = [t for t in ("Xvfb", "xdotool", "xprop") if not shutil.which(t)]
    if absent:
        return (" and ".join(absent) + " not installed (`make test` installs them as root; "
                "see scripts/system-packages.txt)")
    return None


def quick_exit(display: str, window: str, app: subprocess.Popen[str]) -> str:
    """Quick exit (Ctrl+Shift+X) in the window; the app's output once it has ended."""
    xdotool(display, "windowfocus", "--sync", window)
    xdotool(display, "key", "--clearmodifiers", "ctrl+shift+x")
    return app.communicate(timeout=30)[0]


def stop(app: subprocess.Popen[str]) -> None:
    """Kill the app if a failed test left it running."""
    if app.poll() is None:
        app.kill()
        app.wait()
