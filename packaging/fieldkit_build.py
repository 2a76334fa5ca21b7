"""Build backend: setuptools, after building what the package ships but git does not hold.

pyproject.toml names this module as its in-tree backend (PEP 517 `backend-path`).
Before a wheel is built (`python -m build`, `pip install .`, `pip wheel .`) it
writes into the tree being built:

- fieldkit/data/starter-pack.json: the validated `content/` folder as one pack;
- fieldkit/locales/<ll>/LC_MESSAGES/fieldkit.mo: the compiled catalogs of `locales/`.

Both are derived files (ignored by git), so a wheel built from a clean checkout
or from the sdist carries them, and an installed Fieldkit needs no source tree.
The sdist carries their sources instead (MANIFEST.in).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import (  # noqa: F401  (the rest of the PEP 517 interface)
    build_sdist,
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    get_requires_for_build_wheel,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)

ROOT = Path.cwd()  # PEP 517: hooks run in the source tree's root


def compile_catalogs(root: Path = ROOT) -> list[Path]:
    """locales/<ll>/LC_MESSAGES/fieldkit.po -> fieldkit/locales/..., as `pybabel compile` does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((root / "locales").glob("*/LC_MESSAGES/fieldkit.po")):
        lang = po.parts[-3]
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang, domain="fieldkit")
        mo = root / "fieldkit" / "locales" / lang / "LC_MESSAGES" / "fieldkit.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        written.append(mo)
    if not written:
        raise SystemExit("no catalogs under locales/: this tree cannot make a complete wheel")
    return written


def build_starter_pack(root: Path = ROOT) -> Path:
    """content/ -> fieldkit/data/starter-pack.json with the project's own builder (validates)."""
    sys.path.insert(0, str(root))
    try:
        from fieldkit.content.pack import PACK_NAME, build_pack
    finally:
        sys.path.remove(str(root))
    out = root / "fieldkit" / "data" / PACK_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    count = build_pack(root / "content", out)
    print(f"fieldkit build: starter pack with {count} items, catalogs compiled", file=sys.stderr)
    return out


def prepare(root: Path = ROOT) -> None:
    compile_catalogs(root)
    build_starter_pack(root)


def build_wheel(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                metadata_directory: str | None = None) -> str:
    prepare()
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                   metadata_directory: str | None = None) -> str:
    prepare()
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
