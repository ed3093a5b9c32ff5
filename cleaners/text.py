"""The main text: trafilatura's extraction of the pruned tree, turned into blocks."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from lxml import etree
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura import bare_extraction

# Elements of trafilatura's output tree that start a block of their own.
_BLOCK_TAGS = frozenset({"p", "head", "quote", "item", "row", "code", "list", "table", "div", "body"})
# Invisible characters inside words: soft hyphens, zero-width spaces, word joiners and stray byte-order
# marks. Zero-width (non-)joiners stay: Persian and Indic spelling and emoji sequences need them.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


class Block(NamedTuple):
    """One block of trafilatura's output: the element it comes from ("p", "head", "item", ...) and its text."""

    kind: str
    text: str


def _flush(kind: str, parts: list[str], blocks: list[Block]) -> None:
    text = unicodedata.normalize("NFC", "".join(parts).translate(_INVISIBLE))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    text = "\n".join(line for line in lines if line)
    if text:
        blocks.append(Block(kind, text))


def _walk(element: _Element, blocks: list[Block]) -> None:
    parts = [element.text or ""]
    for child in element:
        # A cell holding paragraphs is a layout cell (old table layouts): each paragraph is a block of its own.
        if child.tag in _BLOCK_TAGS or (child.tag == "cell" and any(cell.tag in _BLOCK_TAGS for cell in child)):
            _flush(element.tag, parts, blocks)
            parts = []
            _walk(child, blocks)
        elif child.tag == "lb":
            parts.append("\n")
        else:
            parts.append("".join(child.itertext()))
            if child.tag == "cell":
                parts.append(" ")
        parts.append(child.tail or "")
    _flush(element.tag, parts, blocks)


def body_blocks(body: _Element) -> list[Block]:
    """Paragraphs, headings, list items, quotes and table rows, in document order."""
    blocks: list[Block] = []
    _walk(body, blocks)
    return blocks


# trafilatura's precision mode drops more teasers, standfirsts and link lists than the balanced mode,
# but also whole sections of long stories, their subheadings, and paragraphs before the part it keeps.
# Balanced's blocks fill what precision dropped (see ``_fill_gaps``); when precision keeps little
# (short, and under a fifth of balanced), balanced wins outright. Balanced runs only when its blocks
# may matter: precision's text is short and the tree holds five times as many words, or the tree
# holds a text that precision dropped where the fill would take it (see ``_may_have_gaps``).
SHORT_TEXT_WORDS = 150
PRECISION_MIN_SHARE = 0.2
GAP_MIN_WORDS = 15
# Blocks of running text: before precision's first block, balanced's long ones of these kinds are the
# story's opening paragraphs (a heading, a teaser's title or a menu entry there is not).
_PROSE_KINDS = frozenset({"p", "item", "quote", "row", "code"})
# A paragraph-like element's text is one of the texts of ``_tree_texts``; any other element's runs count one by one.
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TEXT_TAGS = frozenset({"p", "li", "blockquote", "pre", "td", "dd"})  # the paragraph-like elements that are no heading
_PARAGRAPH_TAGS = _TEXT_TAGS | _HEADING_TAGS
# A tree text is kept by precision when its first and its last three words are in precision's text; past
# four words, leaving out its very first and last word, which a neighbour's text or punctuation may join there.
_SHINGLE = 3


def _blocks(tree: HtmlElement, url: str | None, precision: bool) -> list[Block]:
    document = bare_extraction(tree, url=url, include_comments=False, with_metadata=False, include_tables=True,
                               favor_precision=precision)
    if document is None or document.body is None:
        return []
    return body_blocks(document.body)


def _words(blocks: list[Block]) -> int:
    return sum(len(block.text.split()) for block in blocks)


def _key(block: Block) -> str:
    """The block's words: the two modes may break a table's cells into lines differently."""
    return " ".join(block.text.split())


def _units(blocks: list[Block]) -> list[list[Block]]:
    """The blocks in order, one to a unit, but for a table's rows, which are one unit: a table is kept or not."""
    units: list[list[Block]] = []
    for block in blocks:
        if block.kind == "row" and units and units[-1][-1].kind == "row":
            units[-1].append(block)
        else:
            units.append([block])
    return units


def _long(unit: list[Block]) -> bool:
    return _words(unit) >= GAP_MIN_WORDS


def _gap(between: list[Block], following: Block) -> Iterator[str]:
    """The balanced blocks between two of precision's (``following`` is the second) that the fill takes:
    long ones, and the headings that open a section (the unit after them is long), not a lone label or
    a teaser's title."""
    units = _units(between)
    for unit, after in zip(units, [*units[1:], [following]]):
        if _long(unit) or (unit[0].kind == "head" and _long(after)):
            yield from (block.text for block in unit)


def _fill_gaps(precise: list[Block], balanced: list[Block]) -> list[str]:
    """Precision's blocks in order, with balanced's long paragraphs before the first of them and balanced's
    gap blocks (see ``_gap``) between two of them; nothing of what balanced keeps after precision's last."""
    texts = [_key(block) for block in balanced]
    opening: list[str] = []
    merged: list[str] = []
    cursor: int | None = None  # just after the balanced block matching the last precise one
    for block in precise:
        try:
            index = texts.index(_key(block), cursor or 0)
        except ValueError:  # cut differently by the two modes: precision's block alone
            merged.append(block.text)
            continue
        if cursor is None:
            opening = [lead.text for unit in _units(balanced[:index]) if unit[0].kind in _PROSE_KINDS and _long(unit)
                       for lead in unit]
        else:
            merged.extend(_gap(balanced[cursor:index], balanced[index]))
        merged.append(block.text)
        cursor = index + 1
    return opening + merged


def _tree_texts(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    """The tree's texts in document order with the tag they come from: each paragraph-like element's whole
    text, and every other element's own runs (its text and its children's tails). Inline elements of a
    paragraph count alone too: a paragraph precision kept only in part still shows a text it dropped."""
    for element in tree.iter(etree.Element):
        if element.tag in _PARAGRAPH_TAGS:
            yield element.tag, element.text_content()
            continue
        if element.text:
            yield element.tag, element.text
        yield from ((element.tag, child.tail) for child in element if child.tail)


def _may_have_gaps(tree: HtmlElement, precise: list[Block]) -> bool:
    """True if the tree holds a text precision dropped that ``_fill_gaps`` may take: one of ``GAP_MIN_WORDS``
    words or more before or between the texts it kept, or a heading between them (or if none of its texts
    is found in precision's). Cheap evidence: on the benchmark pages it misses none of the pages where the
    fill raises the text's score."""
    kept_words = " ".join(block.text for block in precise).split()
    kept = set(zip(kept_words, kept_words[1:], kept_words[2:]))
    kept_vocabulary = set(kept_words)
    seen_kept = dropped = False
    for tag, text in _tree_texts(tree):
        words = text.split()
        if len(words) < _SHINGLE:  # too short to tell by shingles: a heading is dropped if a word of it is
            dropped |= seen_kept and tag in _HEADING_TAGS and not kept_vocabulary.issuperset(words)
            continue
        edge = 1 if len(words) > _SHINGLE + 1 else 0
        if (tuple(words[edge : edge + _SHINGLE]) in kept
                and tuple(words[len(words) - edge - _SHINGLE : len(words) - edge]) in kept):
            if dropped:
                return True
            seen_kept = True
        elif seen_kept:
            dropped |= len(words) >= GAP_MIN_WORDS or tag in _HEADING_TAGS
        else:  # before the kept text, only a paragraph may be taken
            dropped |= len(words) >= GAP_MIN_WORDS and tag in _TEXT_TAGS
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
        return [block.text for block in precise]
    balanced = _blocks(tree, url, precision=False)
    if words < SHORT_TEXT_WORDS and words < PRECISION_MIN_SHARE * _words(balanced):
        return [block.text for block in balanced]
    return _fill_gaps(precise, balanced)
