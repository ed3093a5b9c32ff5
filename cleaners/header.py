"""The story's header: the headline and what stands around it up to the first paragraph.

Bylines and datelines a page shows only as visible text stand here ("By Ana Ruiz",
"Published 4 March 2025", a bare <time>). Related stories and comments never do: they
come after the story, so the header is read on the whole page, before the block rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from lxml.html import HtmlElement

from . import patterns
from .dates import latest, parse_day

HEADER_MAX_WORDS = 150  # a headline block: headline, standfirst, byline, dateline
AFTER_MAX_WORDS = 120  # read after the headline before giving up on the first paragraph
BEFORE_MAX_WORDS = 30  # read before the headline: a kicker, a category, a dateline above it
TEASER_MIN_WORDS = 4  # a heading or a link above the headline this long is another story's headline
LEAD_PARAGRAPHS = 1  # story-length paragraphs the header may hold: a lede or an author's bio before the dateline
SHORT_MAX_WORDS = 20  # a byline or a dateline
STORY_PARAGRAPH_WORDS = 25
LABEL_CHARS = 40
LISTING_DAYS = 3
STANDFIRST_DEPTH = 3

_WORD = re.compile(r"\w+")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BYLINE_MARK = re.compile(r"(?:^|[\s_-])(?:author|byline|by-line|byl|writer|posted-by|submitted-by|autor|auteur|autore)"
                          r"(?:$|[\s_-]|name)", re.I)
_NOT_BYLINE_MARK = re.compile(r"(?:avatar|image|img|photo|bio|description|social|follow|share)", re.I)
_BY_LABEL = re.compile(r"^(?:by|(?:written|posted|story|words)\s+by|view\s+all\s+posts\s+by|authors?:|von|par|por|di"
                       r"|door|autor(?:in)?:|auteur\s*:|автор:?|от|від)\s*:?\s+(?-i:[A-ZÀ-ÖØ-ÞА-ЯІЇЄ])", re.I)
_AUTHOR_HREF = re.compile(r"/(?:authors?|autor(?:en)?|auteurs?|autore|writers?|people|staff|profiles?|contributors?|by"
                          r"|team|user|redaktion|journalist)/", re.I)
_STANDFIRST_MARK = re.compile(r"standfirst|dek\b|description|summary|excerpt|subtitle|subhead|teaser|lede|intro"
                              r"|(?:^|[\s_-])bio(?:$|[\s_-]|graphy)", re.I)  # an author's bio too
_OTHER_ROLE = re.compile(r"\b(?:reviewed|fact[-\s]?checked|edited|researched|tested)\b|\breviewer", re.I)
_UPDATED = re.compile(r"\b(?:updated|modified|last\s+update|revised|aktualisiert|mis\s+à\s+jour|actualizado|aggiornato"
                      r"|atualizado|bijgewerkt|zaktualizowano|обновлено|оновлено)\b", re.I)


def _words(text: str | None) -> int:
    return len(_WORD.findall(text)) if text else 0


def _text(element: HtmlElement) -> str:
    """The element's text with a space between its parts ("By<a>Ana</a>" is two words)."""
    return " ".join(" ".join(element.itertext()).split())


def _short_text(element: HtmlElement, max_words: int) -> str | None:
    """The element's text if it has at most ``max_words`` words, else None (without reading all of a long one)."""
    parts, count = [], 0
    for piece in element.itertext():
        count += _words(piece)
        if count > max_words:
            return None
        parts.append(piece)
    return " ".join(" ".join(parts).split())


def _headline(tree: HtmlElement) -> HtmlElement | None:
    return next((h1 for h1 in tree.iter("h1") if _text(h1)), None)


def _following(element: HtmlElement) -> Iterator[HtmlElement]:
    """Elements after ``element`` in document order (its own subtree excluded)."""
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings():
            yield from (e for e in sibling.iter() if isinstance(e.tag, str))
        node = node.getparent()


def _preceding(element: HtmlElement, top: HtmlElement) -> Iterator[HtmlElement]:
    """Elements before ``element``, nearest first, inside the parent of its ancestor ``top`` (ancestors excluded)."""
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            yield from reversed([e for e in sibling.iter() if isinstance(e.tag, str)])
        if node is top:
            return
        node = node.getparent()


@dataclass
class Header:
    """Byline texts and dated texts found in the header, in document order."""

    headline: str | None = None
    bylines: list[str] = field(default_factory=list)
    dates: list[tuple[str, bool]] = field(default_factory=list)  # (ISO day, labelled as an update)

    def _story_dates(self) -> list[tuple[str, bool]]:
        # Many different days around a headline are a list of posts (an archive), not a dateline.
        return self.dates if len({day for day, _ in self.dates}) < LISTING_DAYS else []

    def published(self) -> str | None:
        return next((day for day, updated in self._story_dates() if not updated), None)

    def updated(self) -> str | None:
        return next((day for day, updated in self._story_dates() if updated), None)


def _above(headline: HtmlElement, block: HtmlElement) -> list[HtmlElement]:
    """What stands just above the headline inside its block's parent (a kicker, a dateline), in document order."""
    above: list[HtmlElement] = []
    seen = 0
    for element in _preceding(headline, block):
        parent = element.getparent()
        long_enough = _words(_text(element)) >= TEASER_MIN_WORDS
        if long_enough and (element.tag in _HEADINGS or element.tag == "a" and parent is not None
                            and parent.tag in _HEADINGS):
            return []  # what stands between another story's headline and ours is that story's
        seen += _words(element.text) + _words(element.tail)
        if (seen > BEFORE_MAX_WORDS or element.tag == "a" and long_enough  # a teaser, a button: not the header
                or element.tag == "p" and _is_story(element)):
            break
        above.append(element)
    return above[::-1]


def _below(block: HtmlElement) -> Iterator[HtmlElement]:
    """What follows the headline's block up to the story, past a lede or an author's bio."""
    seen, leads = 0, 0
    for element in _following(block):
        if element.tag == "p" and _is_story(element):
            leads += 1
            if leads > LEAD_PARAGRAPHS:
                return
            continue
        seen += _words(element.text)
        if seen > AFTER_MAX_WORDS:
            return
        yield element


def _zone(tree: HtmlElement) -> list[HtmlElement]:
    headline = _headline(tree)
    if headline is None:
        return []
    block = headline
    while ((parent := block.getparent()) is not None and parent.tag != "body"
           and _short_text(parent, HEADER_MAX_WORDS) is not None and not any(_is_story(p) for p in parent.iter("p"))):
        block = parent
    inside = [e for e in block.iter() if isinstance(e.tag, str)]
    return [*_above(headline, block), *inside[inside.index(headline):], *_below(block)]


def _label(element: HtmlElement, dated: Collection[HtmlElement] = ()) -> str:
    """The words just before a date: "Updated <time>…</time>" labels it in the parent's text.

    A dateline just before (``dated``) is no label: "Updated 5 March" does not make the next line an update.
    """
    previous = element.getprevious()
    if previous is not None:
        before = ("" if previous in dated else _text(previous)) + " " + (previous.tail or "")
    else:
        parent = element.getparent()
        before = parent.text or "" if parent is not None else ""
    return before[-LABEL_CHARS:]


def _byline(element: HtmlElement, text: str) -> str:
    """Names linked to author pages inside a byline, else its whole text."""
    links = [_text(link) for link in element.iter("a")
             if link.get("rel") == "author" or _AUTHOR_HREF.search(link.get("href") or "")]
    return ", ".join(link for link in links if link) or text


def _is_story(paragraph: HtmlElement) -> bool:
    return _short_text(paragraph, STORY_PARAGRAPH_WORDS - 1) is None and not _is_standfirst(paragraph)


def _is_standfirst(paragraph: HtmlElement) -> bool:
    """A summary under the headline ("dek", "description") or an author's bio: the byline may still follow it."""
    nearby = (paragraph, *list(paragraph.iterancestors())[:STANDFIRST_DEPTH])
    return any(_STANDFIRST_MARK.search(_marks(element)) for element in nearby)


def _marks(element: HtmlElement) -> str:
    return " ".join(element.get(name, "") for name in ("class", "id", "itemprop", "rel", "data-testid"))


def _is_byline(element: HtmlElement, text: str, marks: str) -> bool:
    if patterns.NETWORK.fullmatch(text):  # "Youtube" linking to the site's channel (".../user/..."): no name
        return False
    return bool(_BYLINE_MARK.search(marks) and not _NOT_BYLINE_MARK.search(marks) or _BY_LABEL.match(text)
                or element.tag == "a" and _AUTHOR_HREF.search(element.get("href") or ""))


def read_header(tree: HtmlElement, now: datetime | None = None) -> Header:
    """Bylines and dates shown around the headline (never later than ``now``)."""
    now = latest(now)
    headline = _headline(tree)
    header = Header(headline=_text(headline) if headline is not None else None)
    dated: set[HtmlElement] = set()
    for element in _zone(tree):
        if element.tag == "h1":
            continue
        text = _short_text(element, SHORT_MAX_WORDS) or ""  # bylines and datelines are short
        marks = _marks(element)
        if text and _is_byline(element, text, marks):
            if _OTHER_ROLE.search(f"{_label(element)} {text}"):
                continue  # "Reviewed by", "Fact checked by": not the author
            byline = _byline(element, text)
            if not any(byline in known for known in header.bylines):
                header.bylines.append(byline)
        if element.getparent() in dated:
            continue
        stamp = element.get("datetime") if element.tag == "time" else None
        if not stamp and element.find(".//time[@datetime]") is not None:
            continue  # "03/01/2017 by Ana Ruiz" holding <time datetime>: the stamp is unambiguous, the text is not
        if stamp or text:
            day = parse_day(stamp, now) if stamp else None
            day = day or (parse_day(text, now) if text else None)
            if day:
                dated.add(element)
                header.dates.append((day, bool(_UPDATED.search(f"{_label(element, dated)} {text} {marks}"))))
    return header
