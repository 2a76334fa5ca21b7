"""What a channel's target files hold: one item, or the signed removal of one.

A target lives at `<CHANNEL>/<item-id>.json`. Its bytes are canonical JSON
(sorted keys, no spaces), so that the same item always gives the same hash
and an unchanged item is never sent again. `version` counts the item's
published changes in its channel.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from fieldkit.content.model import Item, Version

TARGET_FORMAT = 1
GLOBAL = "global"
CHANNEL_PATTERN = re.compile(r"^(global|[A-Z]{2})$")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PATH_PATTERN = re.compile(r"^(global|[A-Z]{2})/[a-z0-9][a-z0-9-]*\.json$")
# Provenance the store records by itself; not part of what a channel signs.
LOCAL_FIELDS = ("channel", "version", "origin")


def canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def item_content(item: Item) -> dict[str, Any]:
    """The item as published: everything but the local provenance fields."""
    data = asdict(item)
    data["versions"] = {lang: asdict(v) for lang, v in sorted(item.versions.items())}
    for name in LOCAL_FIELDS:
        data.pop(name, None)
    return data


def content_hash(item: Item) -> str:
    """The exact identity of an item's content, to tell a local edit from the upstream copy."""
    return hashlib.sha256(canonical(item_content(item))).hexdigest()


def target_path(channel: str, item_id: str) -> str:
    return f"{channel}/{item_id}.json"


def owner_channel(country: str | None) -> str:
    """The channel that may publish an item: its country's, or global for global items."""
    return country.upper() if country else GLOBAL


def encode_item(item: Item, version: int) -> bytes:
    return canonical({"format": TARGET_FORMAT, "id": item.id, "version": version,
                      "item": item_content(item)})


def encode_removal(item_id: str, version: int) -> bytes:
    return canonical({"format": TARGET_FORMAT, "id": item_id, "version": version,
                      "removed": True})


@dataclass(frozen=True)
class Decoded:
    item_id: str
    version: int
    item: Item | None  # None: a signed removal


def decode(data: bytes, path: str, channel: str) -> Decoded:
    """Read a verified target; ValueError says why it is not a valid item of `channel`."""
    try:
        doc = json.loads(data)
        if not isinstance(doc, dict) or doc.get("format") != TARGET_FORMAT:
            raise ValueError("it is not in Fieldkit's item format")
        item_id, version = str(doc["id"]), int(doc["version"])
        if not ID_PATTERN.match(item_id) or path != target_path(channel, item_id):
            raise ValueError("its id does not match its path")
        if doc.get("removed") is True:
            return Decoded(item_id, version, None)
        raw = doc["item"]
        versions = {lang: Version(**v) for lang, v in raw["versions"].items()}
        item = Item(**{**raw, "versions": versions})
    except ValueError:
        raise
    except (KeyError, TypeError, AttributeError):
        raise ValueError("it cannot be read") from None
    if item.id != item_id:
        raise ValueError("its id does not match its path")
    if owner_channel(item.country) != channel:
        raise ValueError(f"it belongs to {owner_channel(item.country)}, not to {channel}")
    item.channel, item.version, item.origin = channel, version, "sync"
    return Decoded(item_id, version, item)
