"""Fail if a UI catalog is incomplete: untranslated, fuzzy, stale, wrong placeholders,
or rejected by msgfmt.

Usage: check_catalogs.py LANG [LANG ...]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def current_msgids() -> set[str]:
    """Extract the sources again, so a new string without translations is caught."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "fieldkit.pot"
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
             str(ROOT / "babel.cfg"), "-k", "_", "-k", "N_", "-k", "ngettext:1,2",
             "-o", str(pot), "fieldkit", "ui"],
            cwd=ROOT, check=True, capture_output=True,
        )
        with pot.open("rb") as handle:
            return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def problems_in(lang: str, expected: set[str]) -> list[str]:
    path = ROOT / "locales" / lang / "LC_MESSAGES" / "fieldkit.po"
    if not path.exists():
        return [f"{lang}: catalog missing ({path.relative_to(ROOT)})"]
    found = []
    with path.open("rb") as handle:
        catalog = read_po(handle)
    have = set()
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strs = [message.string] if isinstance(message.string, str) else list(message.string)
        have.add(ids[0])
        if message.fuzzy:
            found.append(f"{lang}: fuzzy: {ids[0]!r}")
        if not all(strs):
            found.append(f"{lang}: untranslated: {ids[0]!r}")
            continue
        want = set(PLACEHOLDER.findall(ids[0]))
        if any(set(PLACEHOLDER.findall(s)) != want for s in strs):
            found.append(f"{lang}: placeholders differ: {ids[0]!r}")
    found += [f"{lang}: not in the catalog: {m!r}" for m in sorted(expected - have)]
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True)
    if check.returncode:
        found.append(f"{lang}: msgfmt --check: {check.stderr.strip()}")
    return found


def main(langs: list[str]) -> int:
    expected = current_msgids()
    problems = [p for lang in langs for p in problems_in(lang, expected)]
    for problem in problems:
        print(problem)
    print(f"catalogs: {len(langs)} languages, {len(expected)} messages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
