"""The story guard: the one gate every block rule's removal passes through.

Block rules only say what they would remove. The guard refuses any element that is the
story or holds most of it, whatever rule asks: a rule that mistakes a post wrapper for a
teaser list, or a page-wide form for a newsletter box, then costs nothing. The caller
counts the refusals by rule.
"""

from __future__ import annotations

from collections import Counter

from lxml.html import HtmlElement

# Containers that hold the story itself.
STORY_TAGS = frozenset({"html", "body", "main", "article"})
# Prose is text outside links: the story is mostly prose, navigation and teaser lists mostly links.
# An element holding more than this share of the page's prose holds most of the story.
STORY_SHARE = 0.5
# Several real paragraphs side by side are story too (a collapsed "read more" body, a section of a long page).
STORY_PARAGRAPH_WORDS = 25
STORY_PARAGRAPHS = 3


class StoryGuard:
    """Decides, once for all rules, which elements no rule may remove."""

    def __init__(self, root: HtmlElement, words: dict[HtmlElement, int], link_words: dict[HtmlElement, int],
                 above_h1: set[HtmlElement]) -> None:
        self._words = words
        self._link_words = link_words
        self._above_h1 = above_h1
        self._most = STORY_SHARE * self.prose(root)
        # Elements holding a passage: a container with several real paragraphs side by side (a teaser
        # list's blurbs stand one to a card).
        siblings = Counter(paragraph.getparent() for paragraph in root.iter("p")
                           if words.get(paragraph, 0) >= STORY_PARAGRAPH_WORDS)
        self._passages: set[HtmlElement] = set()
        for parent, count in siblings.items():
            if count >= STORY_PARAGRAPHS:
                while parent is not None and parent not in self._passages:
                    self._passages.add(parent)
                    parent = parent.getparent()

    def prose(self, element: HtmlElement) -> int:
        """Words of ``element`` outside links."""
        return self._words.get(element, 0) - self._link_words.get(element, 0)

    def refuses(self, element: HtmlElement) -> bool:
        """True if ``element`` is a story container, holds the headline, a passage of several real
        paragraphs, or most of the page's prose."""
        return (element.tag in STORY_TAGS or element in self._above_h1
                or element in self._passages
                or (self._most > 0 and self.prose(element) > self._most))
