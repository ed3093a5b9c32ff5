"""Site templates: text blocks that repeat on many pages of one site are its furniture.

A site's "About us" box, its rights line, its "Follow our channel" line or its
standard disclaimer repeat word for word on every article of that site; story text
does not. This module is the pure part (no Scrapy, no store): the fingerprint of a
block, the blocks a page offers to the site's memory, and the rule ``site_template``
that removes a record's blocks found in the site's template. The crawl keeps the
memory (``crawler/pipelines/templates.py``); :func:`learn` builds one from a batch.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from .record import normalise_text, with_text, word_count

RULE = "site_template"
# A block of more words is story text however often it repeats: a wire story carried by
# many articles of one site keeps its paragraphs. Boilerplate blocks are shorter.
MAX_WORDS = 30
# A block on this many distinct pages of a site is its template. On WCXB's pages grouped by
# domain (make bench-templates), 3 pages removed 58 story lines of 207 removed, 4 pages 1 of 34,
# 5 pages none of 33; every demo publisher's boilerplate goes with any of them.
MIN_PAGES = 5

_DIGITS = re.compile(r"\d+")
_SENTENCE_ENDS = (".", "!", "?", "…", "。", "！", "？", '"', "”", "»", ")")


def fingerprint(block: str) -> str:
    """16 hex digits naming a block whatever its case, spacing, Unicode form and numbers.

    Digits are folded, so "© 2024 X" and "© 2025 X", or "12 comments" and "3 comments", match.
    """
    folded = _DIGITS.sub("0", normalise_text(block))
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=8).hexdigest()


def blocks_of(record: dict[str, Any]) -> list[str]:
    """A record's text blocks (paragraphs, subheadings, list items, quotes)."""
    text: str = record["text"]
    return text.split("\n\n") if text else []


def candidates(blocks: Iterable[str], max_words: int = MAX_WORDS) -> dict[str, str]:
    """Fingerprint -> block for the blocks short enough to be template: what a page adds to its site's memory."""
    return {mark: block for block, mark, words in _measured(blocks) if words <= max_words}


def _measured(blocks: Iterable[str]) -> list[tuple[str, str, int]]:
    return [(block, fingerprint(block), word_count(block)) for block in blocks]


def _is_label(block: str) -> bool:
    """A heading or label ("Pros", "About the Ledger", "Condition:"), not a sentence."""
    return not block.rstrip().endswith(_SENTENCE_ENDS)


def _remove(measured: list[tuple[str, str, int]], template: Collection[str], title: str | None,
            max_words: int) -> tuple[list[str], int]:
    headline = fingerprint(title) if title else None
    drop = [mark in template and mark != headline and words <= max_words for _, mark, words in measured]
    for index in range(len(measured) - 2, -1, -1):  # from the end: a run of headings over kept text stays
        if drop[index] and not drop[index + 1] and _is_label(measured[index][0]):
            drop[index] = False
    kept = [block for (block, _, _), dropped in zip(measured, drop, strict=True) if not dropped]
    if not kept:
        return [block for block, _, _ in measured], 0
    return kept, len(measured) - len(kept)


def remove_template(
    blocks: list[str], template: Collection[str], *, title: str | None = None, max_words: int = MAX_WORDS,
) -> tuple[list[str], int]:
    """The blocks without those whose fingerprint is in ``template``, and how many were removed.

    Never removed: a block of more than ``max_words`` words, the headline, a heading over text
    of the page's own (a review site's "Pros" / "Cons" repeat on every review, their points do
    not; the heading of a template box goes with its box), or every block (the only paragraph
    stays; a page made only of template text is left as it is).
    """
    return _remove(_measured(blocks), template, title, max_words)


@dataclass
class SiteTemplate:
    """A site's template as ``cleaners.clean(template=...)`` takes it: removes its blocks from a page.

    After the call, ``seen`` holds the page's own candidate blocks (before removal), for the site's memory.
    """

    fingerprints: Collection[str] = frozenset()
    max_words: int = MAX_WORDS
    seen: dict[str, str] = field(default_factory=dict)

    def __call__(self, blocks: list[str], title: str | None) -> tuple[list[str], int]:
        measured = _measured(blocks)
        self.seen = {mark: block for block, mark, words in measured if words <= self.max_words}
        return _remove(measured, self.fingerprints, title, self.max_words)


def apply(record: dict[str, Any], template: Collection[str], max_words: int = MAX_WORDS) -> dict[str, Any]:
    """The record cleaned of its site's template (itself when nothing matched), every derived field consistent."""
    blocks = blocks_of(record)
    kept, removed = remove_template(blocks, template, title=record["title"], max_words=max_words)
    return with_text(record, kept, {RULE: removed}) if removed else record


def learn(records: Iterable[dict[str, Any]], min_pages: int = MIN_PAGES,
          max_words: int = MAX_WORDS) -> dict[str, set[str]]:
    """Each site's template from a batch: the fingerprints found on at least ``min_pages`` distinct pages.

    A page is its canonical URL (else its URL, else its position in the batch); the site is the record's ``site``.
    """
    pages: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for number, record in enumerate(records):
        page = record.get("canonical_url") or record.get("url") or f"#{number}"
        for mark in candidates(blocks_of(record), max_words):
            pages[record.get("site") or ""][mark].add(page)
    return {site: {mark for mark, seen in marks.items() if len(seen) >= min_pages} for site, marks in pages.items()}


def clean_batch(results: list[dict[str, Any]], min_pages: int = MIN_PAGES,
                max_words: int = MAX_WORDS) -> list[dict[str, Any]]:
    """Records of one batch cleaned of their sites' templates, learned from the whole batch first.

    Entries with an ``error`` (pages that could not be cleaned) pass unchanged.
    """
    records = [result for result in results if "error" not in result]
    templates = learn(records, min_pages, max_words)
    return [result if "error" in result else apply(result, templates.get(result.get("site") or "", set()), max_words)
            for result in results]
