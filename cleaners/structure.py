"""Structural repair before extraction: streamed parts shown, a story split into sibling chunks made one.

React's streamed server rendering sends each part of a page that was not ready in time as a
hidden ``<div id="S:x">`` near the end of the body, and a script moves it in place of its
placeholder ``<template id="B:x">`` (or ``P:x``). No script runs here, so without
``show_streamed_parts`` the story would be a hidden element, removed as such. It only unhides
the parts where they are: moved into place, a part can land under a container trafilatura
discards by its class (a post inside a table of contents' grid), which loses the whole story.

Some CMSs cut the body into several identical containers with ads or widgets between
them; trafilatura then keeps the first chunk only. Sibling containers with the same tag
and class that each hold real paragraphs are merged into the first one, together with
the siblings between them that hold a real paragraph too (a one-paragraph chunk, a pull
quote), so that the story keeps its order; ads and widgets between them stay behind.
Repeated boxes in a parent whose own paragraphs carry the story (quotes, fact boxes) are
the story's own parts: nothing there is split.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree
from lxml.html import HtmlElement

# React's placeholders: "B:" for a Suspense boundary, "P:" for a segment; the hidden part that replaces one
# has the same suffix after "S:".
_PLACEHOLDER_PREFIXES = ("B:", "P:")

CHUNK_MIN_PARAGRAPHS = 2
PARAGRAPH_MIN_WORDS = 12
# Lists of comments or reviews repeat a container too: they are not story chunks.
_NOT_A_CHUNK = re.compile(r"comment|reply|review|respon|teaser|card|related|promo", re.IGNORECASE)


def show_streamed_parts(root: HtmlElement) -> int:
    """Unhide each streamed part of a React page that has a placeholder; return how many were unhidden.
    A part without a placeholder stays hidden, as in a browser."""
    placeholders = {element.get("id") for element in root.iter("template")
                    if element.get("id", "").startswith(_PLACEHOLDER_PREFIXES)}
    shown = 0
    for part in root.xpath("//div[@hidden][starts-with(@id, 'S:')]"):
        if any(prefix + part.get("id")[2:] in placeholders for prefix in _PLACEHOLDER_PREFIXES):
            del part.attrib["hidden"]
            shown += 1
    return shown


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
        own_paragraphs = 0
        for child in parent:
            if _is_chunk(child, paragraphs):
                groups.setdefault((child.tag, child.get("class", "")), []).append(child)
            own_paragraphs += child.tag == "p" and child in paragraphs
        if own_paragraphs >= CHUNK_MIN_PARAGRAPHS:  # the story runs in the parent: nothing is split
            continue
        for group in groups.values():
            # A group interleaved with one merged before: its chunks moved along with that one are merged already.
            chunks = [chunk for chunk in group if chunk.getparent() is parent]
            if len(chunks) < 2:
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
