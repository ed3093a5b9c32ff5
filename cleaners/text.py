"""The main text: trafilatura's extraction of the pruned tree, turned into blocks."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from lxml import etree
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
# but also whole sections of long stories. The balanced blocks from precision's first block to its
# last fill the sections precision dropped between them (not what balanced adds around the story).
# When precision keeps little (short, and under a fifth of balanced), balanced wins outright.
# Balanced runs only when its blocks may matter: precision's text is short and the tree holds five times
# as many words, or the tree holds a text that precision dropped between two it kept (see ``_may_have_gaps``).
SHORT_TEXT_WORDS = 150
PRECISION_MIN_SHARE = 0.2
GAP_MIN_WORDS = 15
# A paragraph-like element's text is one of the texts of ``_tree_texts``; any other element's runs count one by one.
_PARAGRAPH_TAGS = frozenset({"p", "li", "blockquote", "pre", "td", "dd", "h1", "h2", "h3", "h4", "h5", "h6"})
# A tree text is kept by precision when its first and its last three words are in precision's text; past
# four words, leaving out its very first and last word, which a neighbour's text or punctuation may join there.
_SHINGLE = 3


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


def _tree_texts(tree: HtmlElement) -> Iterator[str]:
    """The tree's texts in document order: each paragraph-like element's whole text, and every other
    element's own runs (its text and its children's tails). Inline elements of a paragraph count alone
    too: a paragraph precision kept only in part still shows a text it dropped."""
    for element in tree.iter(etree.Element):
        if element.tag in _PARAGRAPH_TAGS:
            yield element.text_content()
            continue
        if element.text:
            yield element.text
        yield from (child.tail for child in element if child.tail)


def _may_have_gaps(tree: HtmlElement, precise: list[str]) -> bool:
    """True if the tree holds a text of ``GAP_MIN_WORDS`` words or more that precision dropped between two texts
    it kept (or if none of its texts is found in precision's): cheap evidence that ``_fill_gaps`` may add a block.
    On the benchmark pages it misses none of the pages where the fill raises the text's score."""
    kept_words = " ".join(precise).split()
    kept = set(zip(kept_words, kept_words[1:], kept_words[2:]))
    seen_kept = dropped = False
    for text in _tree_texts(tree):
        words = text.split()
        if len(words) < _SHINGLE:
            continue
        edge = 1 if len(words) > _SHINGLE + 1 else 0
        if (tuple(words[edge : edge + _SHINGLE]) in kept
                and tuple(words[len(words) - edge - _SHINGLE : len(words) - edge]) in kept):
            if dropped:
                return True
            seen_kept = True
        elif seen_kept and len(words) >= GAP_MIN_WORDS:
            dropped = True
    return not seen_kept


def _balanced_may_win(tree: HtmlElement, precise_words: int) -> bool:
    """True if precision's text is short and the tree holds more than five times its words: balanced's text is
    the tree's, so with fewer it cannot hold five times precision's and win outright."""
    return (precise_words < SHORT_TEXT_WORDS
            and precise_words < PRECISION_MIN_SHARE * len(" ".join(tree.itertext()).split()))


def extract_blocks(tree: HtmlElement, url: str | None) -> list[str]:
    """trafilatura's main text (comments excluded) as a list of blocks; [] when it finds none."""
    precise = _blocks(tree, url, precision=True)
    words = _words(precise)
    if not _balanced_may_win(tree, words) and not _may_have_gaps(tree, precise):
        return precise
    balanced = _blocks(tree, url, precision=False)
    if words < SHORT_TEXT_WORDS and words < PRECISION_MIN_SHARE * _words(balanced):
        return balanced
    return _fill_gaps(precise, balanced)
