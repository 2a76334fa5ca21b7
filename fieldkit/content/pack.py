"""The starter pack: the validated content folder as one JSON file shipped in the package."""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

from fieldkit.content.model import Item, Version
from fieldkit.content.source import load_folder
from fieldkit.errors import InvalidContent
from fieldkit.files import write_atomic

PACK_FORMAT = 1
PACK_NAME = "starter-pack.json"
SOURCE_TREE_CONTENT = Path(__file__).resolve().parents[2] / "content"


def item_to_dict(item: Item) -> dict[str, Any]:
    data = asdict(item)
    data["versions"] = {lang: asdict(v) for lang, v in item.versions.items()}
    return data


def item_from_dict(data: dict[str, Any]) -> Item:
    versions = {lang: Version(**v) for lang, v in data["versions"].items()}
    return Item(**{**data, "versions": versions})


def build_pack(content_dir: Path, out: Path) -> int:
    """Validate `content_dir` and write the pack atomically; returns the item count."""
    items = load_folder(content_dir)
    payload = {"format": PACK_FORMAT, "items": [item_to_dict(i) for i in items]}
    write_atomic(out, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))
    return len(items)


def read_pack(data: bytes) -> list[Item]:
    try:
        payload = json.loads(data)
        if payload.get("format") != PACK_FORMAT:
            raise InvalidContent("The content pack has a format this Fieldkit cannot read.")
        return [item_from_dict(d) for d in payload["items"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidContent("The content pack is damaged and cannot be read.") from exc


def starter_items() -> list[Item]:
    """The built-in content: the packaged pack, else (source checkout) the content folder."""
    packaged = resources.files("fieldkit") / "data" / PACK_NAME
    if packaged.is_file():
        return read_pack(packaged.read_bytes())
    if SOURCE_TREE_CONTENT.is_dir():
        return load_folder(SOURCE_TREE_CONTENT)
    raise InvalidContent("The starter content is missing from this installation.")
