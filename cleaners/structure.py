"""Structural repair before extraction: a story split into sibling chunks becomes one container.

Some CMSs cut the body into several identical containers with ads or widgets between
them; trafilatura then keeps the first chunk only. Sibling containers with the same tag
and class that each hold real paragraphs are merged into the first one.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml.html import HtmlElement

CHUNK_MIN_PARAGRAPHS = 2
PARAGRAPH_MIN_WORDS = 12
# Lists of comments or reviews repeat a container too: they are not story chunks.
_NOT_A_CHUNK = re.compile(r"comment|reply|review|respon|teaser|card|related|promo", re.IGNORECASE)


def _is_chunk(element: HtmlElement) -> bool:
    paragraphs = [p for p in element.iter("p") if len(p.text_content().split()) >= PARAGRAPH_MIN_WORDS]
    marker = f"{element.get('class', '')} {element.get('id', '')}"
    return len(paragraphs) >= CHUNK_MIN_PARAGRAPHS and not _NOT_A_CHUNK.search(marker)


def merge_split_body(root: HtmlElement) -> int:
    """Merge story chunks into their first sibling; return how many chunks were merged."""
    merged = 0
    for parent in list(root.iter()):
        if not isinstance(parent.tag, str):
            continue
        groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.get("class") and _is_chunk(child):
                groups[(child.tag, child.get("class", ""))].append(child)
        for chunks in groups.values():
            first = chunks[0]
            for chunk in chunks[1:]:
                first.extend(list(chunk))
                chunk.drop_tree()
                merged += 1
    return merged
