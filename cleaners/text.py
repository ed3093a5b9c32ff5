"""The main text: trafilatura's extraction of the pruned tree, turned into blocks."""

from __future__ import annotations

import unicodedata

from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura import bare_extraction

# Elements of trafilatura's output tree that start a block of their own.
_BLOCK_TAGS = frozenset({"p", "head", "quote", "item", "row", "code", "list", "table", "div", "body"})
# Invisible characters inside words: soft hyphens, zero-width spaces, word joiners and stray byte-order
# marks. Zero-width (non-)joiners stay: Persian and Indic spelling and emoji sequences need them.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


def _flush(parts: list[str], blocks: list[str]) -> None:
    text = unicodedata.normalize("NFC", "".join(parts).translate(_INVISIBLE))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    text = "\n".join(line for line in lines if line)
    if text:
        blocks.append(text)


def _walk(element: _Element, blocks: list[str]) -> None:
    parts = [element.text or ""]
    for child in element:
        # A cell holding paragraphs is a layout cell (old table layouts): each paragraph is a block of its own.
        if child.tag in _BLOCK_TAGS or (child.tag == "cell" and any(cell.tag in _BLOCK_TAGS for cell in child)):
            _flush(parts, blocks)
            parts = []
            _walk(child, blocks)
        elif child.tag == "lb":
            parts.append("\n")
        else:
            parts.append("".join(child.itertext()))
            if child.tag == "cell":
                parts.append(" ")
        parts.append(child.tail or "")
    _flush(parts, blocks)


def body_blocks(body: _Element) -> list[str]:
    """Paragraphs, headings, list items, quotes and table rows, in document order."""
    blocks: list[str] = []
    _walk(body, blocks)
    return blocks


# trafilatura's precision mode drops more teasers, standfirsts and link lists than the balanced mode,
# but also whole sections of long stories. Both run; the balanced blocks from precision's first block to
# its last are kept: the sections precision dropped between them, not what balanced adds around the story.
# When precision keeps little (short, and under a fifth of balanced), balanced wins outright.
SHORT_TEXT_WORDS = 150
PRECISION_MIN_SHARE = 0.2
GAP_MIN_WORDS = 15


def _blocks(tree: HtmlElement, url: str | None, precision: bool) -> list[str]:
    document = bare_extraction(tree, url=url, include_comments=False, with_metadata=False, include_tables=True,
                               favor_precision=precision)
    if document is None or document.body is None:
        return []
    return body_blocks(document.body)


def _words(blocks: list[str]) -> int:
    return sum(len(block.split()) for block in blocks)


def _fill_gaps(precise: list[str], balanced: list[str]) -> list[str]:
    """Precision's blocks in order, with the balanced blocks that stand between two of them."""
    merged: list[str] = []
    cursor: int | None = None  # just after the balanced block matching the last precise one
    for block in precise:
        try:
            index = balanced.index(block, cursor or 0)
        except ValueError:  # cut differently by the two modes: precision's block alone
            merged.append(block)
            continue
        if cursor is not None:
            merged.extend(gap for gap in balanced[cursor:index] if len(gap.split()) >= GAP_MIN_WORDS)
        merged.append(block)
        cursor = index + 1
    return merged


def extract_blocks(tree: HtmlElement, url: str | None) -> list[str]:
    """trafilatura's main text (comments excluded) as a list of blocks; [] when it finds none."""
    precise = _blocks(tree, url, precision=True)
    balanced = _blocks(tree, url, precision=False)
    if _words(precise) < SHORT_TEXT_WORDS and _words(precise) < PRECISION_MIN_SHARE * _words(balanced):
        return balanced
    return _fill_gaps(precise, balanced)
