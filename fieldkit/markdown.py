"""Markdown (CommonMark, raw HTML off) to HTML for Qt and to plain text for search.

Rendering never loads anything: images are not rendered, and links are left
for the viewer to handle (`item:` and `local:` inside the app; the web is
shown, never fetched).
"""

from __future__ import annotations

import functools
import html

from markdown_it import MarkdownIt
from markdown_it.token import Token

SAFE_SCHEMES = ("item:", "local:", "https:", "http:", "mailto:", "tel:")


@functools.cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    md.disable("image")
    # markdown-it's documented hook for which link targets are allowed at all.
    md.validateLink = lambda url: url.strip().lower().startswith(SAFE_SCHEMES)  # type: ignore[method-assign]
    return md


def render_html(body: str) -> str:
    """HTML for display. Raw HTML in the source comes out as text."""
    return str(_parser().render(body))


def _inline_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def to_plain(body: str) -> str:
    """The readable text of a Markdown body, blocks separated by newlines."""
    lines = []
    for token in _parser().parse(body):
        if token.type == "inline":
            lines.append(_inline_text(token.children or []))
        elif token.type in ("code_block", "fence"):
            lines.append(token.content.strip())
    return "\n".join(line for line in lines if line)


def escape(text: str) -> str:
    return html.escape(text, quote=True)
