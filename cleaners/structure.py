"""Structural repair before extraction: a story split into sibling chunks becomes one container.

Some CMSs cut the body into several identical containers with ads or widgets between
them; trafilatura then keeps the first chunk only. Sibling containers with the same tag
and class that each hold real paragraphs are merged into the first one, together with
the siblings between them that hold a real paragraph too (a one-paragraph chunk, a pull
quote), so that the story keeps its order; ads and widgets between them stay behind.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree
from lxml.html import HtmlElement

CHUNK_MIN_PARAGRAPHS = 2
PARAGRAPH_MIN_WORDS = 12
# Lists of comments or reviews repeat a container too: they are not story chunks.
_NOT_A_CHUNK = re.compile(r"comment|reply|review|respon|teaser|card|related|promo", re.IGNORECASE)


def _paragraph_counts(root: HtmlElement) -> Counter[HtmlElement]:
    """How many real paragraphs each element holds, itself included."""
    counts: Counter[HtmlElement] = Counter()
    for paragraph in root.iter("p"):
        if len(paragraph.text_content().split()) >= PARAGRAPH_MIN_WORDS:
            counts.update((paragraph, *paragraph.iterancestors()))
    return counts


def _holders(root: HtmlElement, paragraphs: Counter[HtmlElement]) -> list[HtmlElement]:
    """Elements holding enough paragraphs to be or hold a chunk, in document order."""
    found = []
    walk = etree.iterwalk(root, events=("start",))
    for _, element in walk:
        if paragraphs.get(element, 0) >= CHUNK_MIN_PARAGRAPHS:
            found.append(element)
        else:
            walk.skip_subtree()  # nothing below holds more
    return found


def _is_chunk(element: HtmlElement, paragraphs: Counter[HtmlElement]) -> bool:
    return (paragraphs.get(element, 0) >= CHUNK_MIN_PARAGRAPHS and bool(element.get("class"))
            and not _NOT_A_CHUNK.search(f"{element.get('class', '')} {element.get('id', '')}"))


def merge_split_body(root: HtmlElement) -> int:
    """Merge story chunks into their first sibling; return how many chunks were merged."""
    # Paragraphs are counted once, on the tree as parsed: a merge moves whole subtrees and changes
    # only its parent and the ancestors above, all visited before, so every element judged later
    # holds what it held when parsed. Only a holder of paragraphs can be or hold a chunk, or
    # receive chunks' children as the first of a group.
    paragraphs = _paragraph_counts(root)
    merged = 0
    for parent in _holders(root, paragraphs):
        groups: dict[tuple[str, str], list[HtmlElement]] = {}
        for child in parent:
            if _is_chunk(child, paragraphs):
                groups.setdefault((child.tag, child.get("class", "")), []).append(child)
        for chunks in groups.values():
            if len(chunks) < 2 or chunks[0].getparent() is not parent:
                continue
            first, last, members = chunks[0], chunks[-1], set(chunks)
            sibling = first.getnext()
            while sibling is not None:
                following = sibling.getnext()
                if sibling in members:
                    first.extend(list(sibling))
                    sibling.drop_tree()
                    merged += 1
                elif paragraphs.get(sibling, 0) or sibling.tag == first.tag and sibling.get("class") == first.get("class"):
                    first.append(sibling)  # story text between two chunks, moved along in its place
                if sibling is last:
                    break
                sibling = following
    return merged
