"""Read and validate the hand-written content source (content/README.md)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from fieldkit import UN_LANGUAGES
from fieldkit.content.model import (
    KINDS,
    LAW_STATUSES,
    LAW_TOPICS,
    NOT_REVIEWED_NOTE,
    SERVICE_CATEGORIES,
    SOURCE_COVERS,
    TRANSLATION_STATUSES,
    Item,
    Version,
    parse_date,
)
from fieldkit.content.terms import mentions_sea
from fieldkit.errors import InvalidContent

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANG_FILE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\.md$")
LINK = re.compile(r"\]\((item|local):([^)\s]*)\)")
FICTITIOUS = re.compile(r"^\+000[\d ]*$|example\.invalid|\(fictitious\)", re.IGNORECASE)
LOCAL_TARGETS = ("pathway", "law")
TOP_LEVEL_META = ("kind", "country", "location", "example")


def _plain(value: Any) -> Any:
    """YAML values as JSON-friendly data (dates become ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        raise ValueError("does not start with a '---' front matter block")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise ValueError("has no closing '---' after its front matter")
    header = yaml.safe_load(parts[0][3:]) or {}
    if not isinstance(header, dict):
        raise ValueError("front matter is not a mapping")
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    return _plain(header), body.strip() + "\n"


def read_version(path: Path) -> Version:
    header, body = split_front_matter(path.read_text(encoding="utf-8"))
    fields = {k: v for k, v in header.items() if k not in ("title", "status", "summary")}
    return Version(
        lang=path.stem,
        title=str(header.get("title") or "").strip(),
        status=str(header.get("status") or ""),
        summary=str(header.get("summary") or "").strip(),
        body=body,
        fields=fields,
    )


def read_item(folder: Path) -> Item:
    meta = _plain(yaml.safe_load((folder / "item.yaml").read_text(encoding="utf-8")) or {})
    if not isinstance(meta, dict):
        raise ValueError("item.yaml is not a mapping")
    versions = {}
    for path in sorted(folder.glob("*.md")):
        if LANG_FILE.match(path.name):
            versions[path.stem] = read_version(path)
    country = meta.get("country")
    return Item(
        id=folder.name,
        kind=str(meta.get("kind", "")),
        country=str(country).upper() if country else None,
        location=meta.get("location"),
        example=bool(meta.get("example", False)),
        meta={k: v for k, v in meta.items() if k not in TOP_LEVEL_META},
        versions=versions,
    )


def read_folder(root: Path) -> tuple[list[Item], list[str]]:
    """All items under `root`, and the problems met while reading them."""
    items: list[Item] = []
    problems: list[str] = []
    if not root.is_dir():
        raise InvalidContent(f"{root} is not a content folder.")
    for meta_file in sorted(root.glob("*/*/item.yaml")):
        folder = meta_file.parent
        try:
            item = read_item(folder)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            problems.append(f"{folder.relative_to(root)}: cannot be read: {_one_line(exc)}")
            continue
        if item.kind != folder.parent.name:
            problems.append(f"{item.id}: kind '{item.kind}' is in the folder "
                            f"'{folder.parent.name}'")
        items.append(item)
    return items, problems


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def validate(items: list[Item], languages: tuple[str, ...] = UN_LANGUAGES) -> list[str]:
    """Every rule of content/README.md; an empty list means the pack is valid."""
    problems: list[str] = []
    ids = {item.id for item in items}
    seen: set[str] = set()
    for item in items:
        try:
            p = _item_problems(item, ids, languages)
        except (AttributeError, TypeError, KeyError) as exc:
            # A value of the wrong shape (a list where a mapping belongs…): report it.
            p = [f"a field has the wrong shape ({type(exc).__name__}: {_one_line(exc)}); "
                 "compare with content/README.md"]
        if item.id in seen:
            p.append("the id is used twice")
        seen.add(item.id)
        problems.extend(f"{item.id}: {msg}" for msg in p)
    return problems


def _item_problems(item: Item, ids: set[str], languages: tuple[str, ...]) -> list[str]:
    p: list[str] = []
    meta = item.meta
    if not ID_PATTERN.match(item.id):
        p.append("the id may hold only lower-case letters, digits and hyphens")
    if item.kind not in KINDS:
        p.append(f"unknown kind '{item.kind}'")
    if item.country and not re.fullmatch(r"[A-Z]{2}", item.country):
        p.append(f"country '{item.country}' is not an ISO 3166-1 alpha-2 code")
    for lang in languages:
        if lang not in item.versions:
            p.append(f"the {lang} translation is missing")
    for lang, version in item.versions.items():
        if not version.title:
            p.append(f"{lang}.md has no title")
        if version.status not in TRANSLATION_STATUSES:
            p.append(f"{lang}.md: status must be one of {', '.join(TRANSLATION_STATUSES)}")
        p.extend(_keyword_problems(lang, version, required=item.kind == "guidance"))
        for kind, target in LINK.findall(version.body):
            if kind == "item" and target not in ids:
                p.append(f"{lang}.md links to item:{target}, which does not exist")
            if kind == "local" and target not in LOCAL_TARGETS:
                p.append(f"{lang}.md links to local:{target}; use local:pathway or local:law")
    for rel in meta.get("related") or []:
        if rel not in ids:
            p.append(f"related item '{rel}' does not exist")
    if meta.get("reviewed") is not None and parse_date(meta.get("reviewed")) is None:
        p.append("reviewed is not a date (use 2023, 2023-02 or 2023-02-17)")
    p.extend(_review_problems(item))
    p.extend(_source_problems(item))
    if item.kind != "law" and not any(isinstance(s, dict) and s.get("title")
                                      for s in meta.get("sources") or []):
        p.append("every item cites its source (sources: with a title)")
    if item.kind == "law":
        p.extend(_law_problems(item))
    elif item.kind == "service":
        p.extend(_service_problems(item))
    elif item.kind == "pathway":
        p.extend(_pathway_problems(item, ids))
    return p


def _keyword_problems(lang: str, version: Version, required: bool) -> list[str]:
    words = version.fields.get("keywords")
    if words is None or words == []:
        return [f"{lang}.md: a guidance item needs keywords: the everyday words a reader "
                "would type that the text does not use"] if required else []
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        return [f"{lang}.md: keywords must be a list of words or phrases, e.g. [boss, supervisor]"]
    return []


def _review_problems(item: Item) -> list[str]:
    """A date alone reads as a review: say who reviewed, or that nobody has since the source."""
    meta = item.meta
    if parse_date(meta.get("reviewed")) is None:
        return []
    if str(meta.get("reviewer") or "").strip() or item.not_reviewed_since_source:
        return []
    return [f"reviewed: {meta.get('reviewed')} needs the reviewer's name (reviewer:), or "
            f"review_note: {NOT_REVIEWED_NOTE} when the date is only the source's"]


def _source_problems(item: Item) -> list[str]:
    p = []
    sources = [s for s in item.meta.get("sources") or [] if isinstance(s, dict)]
    for src in sources:
        covers = src.get("covers") or []
        if not isinstance(covers, list) or not set(covers) <= set(SOURCE_COVERS):
            p.append(f"source '{src.get('title')}': covers must list some of "
                     f"{', '.join(SOURCE_COVERS)}")
    if any("sea" in (s.get("covers") or []) for s in sources):
        return p
    for lang, version in item.versions.items():
        texts = [version.title, version.summary, version.body,
                 *(str(v) for k, v in version.fields.items() if k != "keywords")]
        if any(mentions_sea(lang, text) for text in texts):
            p.append(f"{lang}.md speaks of sexual exploitation and abuse, but no source covers "
                     "it: cite one with covers: [sea] (e.g. ST/SGB/2003/13), or keep the text "
                     "to what its source says")
            break
    return p


def _law_problems(item: Item) -> list[str]:
    p = []
    meta = item.meta
    sources = meta.get("sources") or []
    if not sources or not all(isinstance(s, dict) and s.get("title") for s in sources):
        p.append("a law note must cite at least one source (with a title)")
    if parse_date(meta.get("reviewed")) is None:
        p.append("a law note needs a reviewed date")
    if meta.get("status") not in LAW_STATUSES:
        p.append(f"status must be one of {', '.join(LAW_STATUSES)}")
    if meta.get("law_topic") not in LAW_TOPICS:
        p.append(f"law_topic must be one of {', '.join(LAW_TOPICS)}")
    for lang, version in item.versions.items():
        if not version.summary:
            p.append(f"{lang}.md: a law note needs a summary")
    return p


def _service_problems(item: Item) -> list[str]:
    p = []
    meta = item.meta
    if meta.get("category") not in SERVICE_CATEGORIES:
        p.append(f"category must be one of {', '.join(SERVICE_CATEGORIES)}")
    contacts = meta.get("contacts") or []
    values = [str(c.get("value", "")) for c in contacts if isinstance(c, dict)]
    if len(values) != len(contacts):
        p.append("every contact needs a type and a value")
    fictitious = [v for v in values if FICTITIOUS.search(v)]
    if fictitious and not item.example:
        p.append("fictitious contacts (+000…, example.invalid) need example: true")
    if item.example:
        real_looking = [v for v in values if not FICTITIOUS.search(v)]
        if real_looking:
            p.append(f"an example service may only use fictitious contacts: {real_looking[0]!r}")
        # A team copying the example would ship these claims unchecked.
        for claim in ("accessible", "lgbtiq_safe"):
            if meta.get(claim) is True:
                p.append(f"an example service cannot claim {claim}: true; use unknown")
    return p


def _pathway_problems(item: Item, ids: set[str]) -> list[str]:
    p = []
    branches = item.meta.get("branches") or []
    if not branches:
        p.append("a pathway needs at least one branch")
    branch_ids, step_ids = set(), set()
    for branch in branches:
        branch_ids.add(branch.get("id"))
        for step in branch.get("steps") or []:
            step_ids.add(step.get("id"))
            for service in step.get("services") or []:
                if service not in ids:
                    p.append(f"step '{step.get('id')}' points at '{service}', which does not exist")
    for lang, version in item.versions.items():
        labels = version.fields.get("branches") or {}
        texts = version.fields.get("steps") or {}
        missing = sorted((branch_ids - set(labels)) | (step_ids - set(texts)), key=str)
        if missing:
            p.append(f"{lang}.md has no text for {', '.join(map(str, missing))}")
    return p


def load_folder(root: Path, languages: tuple[str, ...] = UN_LANGUAGES) -> list[Item]:
    """Read and validate; raise InvalidContent listing every problem."""
    items, problems = read_folder(root)
    problems += validate(items, languages)
    if problems:
        raise InvalidContent(
            f"The content in {root} has {len(problems)} problem(s); first: {problems[0]}",
            problems,
        )
    return items
