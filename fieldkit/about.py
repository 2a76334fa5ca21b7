"""What this Fieldkit is made of: versions and licences, for `--version` and the About box.

Everything is read from what is installed (package metadata, the starter pack,
SQLCipher itself, the fonts' own name tables), so it stays true in a wheel, a
frozen app or a source checkout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import struct
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from fieldkit import __version__

if TYPE_CHECKING:
    from importlib.metadata import PackageMetadata

# The libraries a Fieldkit installation carries beyond its declared dependencies.
EXTRA_DISTRIBUTIONS = ("PySide6-Essentials", "shiboken6")


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str


@dataclass(frozen=True)
class Font:
    file: str
    family: str
    copyright: str
    licence: str


def sqlcipher_version() -> str:
    """SQLCipher's own version, and the SQLite it is built on."""
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    try:
        cipher = conn.execute("PRAGMA cipher_version").fetchone()
        sqlite = conn.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        conn.close()
    return f"{cipher[0] if cipher else 'unknown'} (SQLite {sqlite})"


@dataclass(frozen=True)
class ContentVersion:
    """The installed starter pack: newest review date, item count, digest of the file."""

    reviewed: dt.date | None
    items: int
    digest: str

    def __str__(self) -> str:
        reviewed = self.reviewed.isoformat() if self.reviewed else "undated"
        return f"reviewed up to {reviewed}, {self.items} items, sha256 {self.digest}"


def content_version() -> ContentVersion | None:
    """The packaged starter pack's version; None in a source checkout without a built pack."""
    from fieldkit.content.pack import PACK_NAME, read_pack

    packaged = resources.files("fieldkit") / "data" / PACK_NAME
    if not packaged.is_file():
        return None
    data = packaged.read_bytes()
    items = read_pack(data)
    dates = [d for d in (i.reviewed for i in items) if d is not None]
    return ContentVersion(max(dates) if dates else None, len(items),
                          hashlib.sha256(data).hexdigest()[:12])


def _licence(meta: PackageMetadata) -> str:
    """The licence a distribution declares: SPDX expression, short field, or classifiers."""
    def first(field: str) -> str:
        values = meta.get_all(field) or []
        return str(values[0]).strip() if values else ""

    text = first("License")
    classifiers = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return (first("License-Expression")
            or (text if text and "\n" not in text and len(text) <= 60 else "")
            or ", ".join(classifiers)
            or (f"see its {first('License-File')} file" if first("License-File") else "")
            or "not declared")


def components() -> list[Component]:
    """Fieldkit's runtime libraries as installed, each with its version and licence."""
    from importlib import metadata  # costs tens of ms: only when asked

    names: list[str] = []
    try:
        requirements = metadata.requires("fieldkit") or []
    except metadata.PackageNotFoundError:
        requirements = []
    for requirement in requirements:
        if "extra ==" in requirement:
            continue
        match = re.match(r"[A-Za-z0-9_.\-]+", requirement)
        if match:
            names.append(match.group(0))
    found: list[Component] = []
    for name in [*names, *EXTRA_DISTRIBUTIONS]:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found.append(Component(dist.metadata["Name"], dist.version, _licence(dist.metadata)))
    found.append(Component("SQLCipher", sqlcipher_version(), "BSD-3-Clause (Zetetic LLC)"))
    return sorted(found, key=lambda c: c.name.lower())


def _name_table(data: bytes) -> dict[int, str]:
    """The Windows-platform (UTF-16) strings of a TrueType font's `name` table."""
    (count,) = struct.unpack(">H", data[4:6])
    offset = None
    for i in range(count):
        tag, _, table_offset, _ = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        if tag == b"name":
            offset = table_offset
    if offset is None:
        return {}
    _, records, strings = struct.unpack(">HHH", data[offset:offset + 6])
    names: dict[int, str] = {}
    for i in range(records):
        platform, _, _, name_id, length, start = struct.unpack(
            ">HHHHHH", data[offset + 6 + 12 * i:offset + 18 + 12 * i])
        if platform == 3 and name_id not in names:
            raw = data[offset + strings + start:offset + strings + start + length]
            names[name_id] = raw.decode("utf-16-be", errors="replace")
    return names


def fonts() -> list[Font]:
    """The bundled fonts, with the copyright and licence each one declares."""
    found = []
    folder = resources.files("fieldkit") / "fonts"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.lower().endswith(".ttf"):
            continue
        names = _name_table(entry.read_bytes())
        licence_text = names.get(13, "")
        licence = ("SIL Open Font License 1.1" if "Open Font License" in licence_text
                   else "Apache License 2.0" if "Apache License" in licence_text
                   else licence_text[:60] or "unknown")
        found.append(Font(entry.name, names.get(4, entry.name), names.get(0, ""), licence))
    return found


def version_lines() -> list[str]:
    """`fieldkit --version`: the app, its content and its encryption."""
    return [
        f"fieldkit {__version__}",
        f"starter content: {content_version() or 'not built (run make in the source tree)'}",
        f"SQLCipher: {sqlcipher_version()}",
    ]

