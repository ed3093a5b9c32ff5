"""Block rules: remove page furniture from the HTML tree before trafilatura sees it.

A rule looks at structure and text together (a small block holding a sign-up form and
a call to action, a list whose every item is a headline link with a byline), never at
one publisher's class names alone. Each rule returns the elements to remove; the
caller counts them under the rule's name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator

from lxml import etree
from lxml.html import HtmlElement

from . import patterns

BlockRule = Callable[["PageTree"], list[HtmlElement]]

# Containers that hold the story itself: a block rule never removes them.
_STORY_TAGS = frozenset({"html", "body", "main", "article"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TEXT_TAGS = frozenset(
    {"p", "span", "a", "button", "div", "strong", "b", "em", "li", "label", "legend", "small", "section", "aside",
     "figcaption", "header", "footer", "dt", "dd", "td", "h2", "h3", "h4", "h5", "h6", "i", "font", "center"}
)
_MEDIA_TAGS = ("video", "audio", "object", "embed", "iframe")
_TAG_HREF_PARTS = ("/tag/", "/tags/", "/topic/", "/topics/", "/schlagwort/", "/stichwort/", "/thema/", "/etiqueta/")

BOX_MAX_WORDS = 80
MEDIA_MAX_WORDS = 25
SHARE_MAX_WORDS = 20
CAPTION_MAX_WORDS = 60
TEASER_MAX_WORDS = 60


_WORD = re.compile(r"\w+")


def _words(text: str | None) -> int:
    return len(_WORD.findall(text)) if text else 0


class PageTree:
    """The parsed page with per-element word counts, computed once for all rules."""

    def __init__(self, root: HtmlElement) -> None:
        self.root = root
        self._texts: dict[HtmlElement, str] = {}
        self.words: dict[HtmlElement, int] = {}
        for _, element in etree.iterwalk(root, events=("end",)):
            if not isinstance(element.tag, str):
                continue
            total = _words(element.text)
            for child in element:
                total += self.words.get(child, 0) + _words(child.tail)
            self.words[element] = total

    def elements(self) -> Iterator[HtmlElement]:
        return iter(self.words)

    def text(self, element: HtmlElement) -> str:
        text = self._texts.get(element)
        if text is None:
            text = self._texts[element] = " ".join(element.text_content().split())
        return text

    def small_ancestors(self, element: HtmlElement, max_words: int) -> Iterator[HtmlElement]:
        """Ancestors of at most ``max_words`` words below the story containers (words only grow upwards)."""
        for ancestor in element.iterancestors():
            if self.words.get(ancestor, max_words + 1) > max_words or ancestor.tag in _STORY_TAGS:
                return
            yield ancestor

    def is_story_like(self, element: HtmlElement) -> bool:
        """True for containers holding several real paragraphs: never furniture."""
        if element.tag in _STORY_TAGS or element.find(".//h1") is not None:
            return True
        paragraphs = [p for p in element.iter("p") if self.words.get(p, 0) >= 25]
        return len(paragraphs) >= 3

    def climb(self, element: HtmlElement, max_words: int) -> HtmlElement:
        """The largest ancestor-or-self of at most ``max_words`` words that is not story."""
        best = element
        parent = element.getparent()
        while parent is not None and self.words.get(parent, 0) <= max_words and not self.is_story_like(parent):
            best, parent = parent, parent.getparent()
        return best

    def short_texts(self, max_words: int) -> Iterator[tuple[HtmlElement, str]]:
        """Short elements that hold text of their own (a phrase starts in one of them), with their full text."""
        for element, count in self.words.items():
            if 0 < count <= max_words and element.tag in _TEXT_TAGS and _WORD.search(element.text or ""):
                yield element, self.text(element)


def _has_email_field(form: HtmlElement) -> bool:
    for field in form.iter("input"):
        kind = (field.get("type") or "").lower()
        name = (field.get("name") or "") + (field.get("placeholder") or "")
        if kind == "email" or "mail" in name.lower():
            return True
    return False


def newsletter_box(page: PageTree) -> list[HtmlElement]:
    """Sign-up forms, subscription promos and newsletter boxes with their straplines."""
    found = []
    for form in page.root.iter("form"):
        if _has_email_field(form):
            found.append(page.climb(form, BOX_MAX_WORDS))
    for element, text in page.short_texts(25):
        if patterns.CALL_TO_ACTION.search(text):
            found.append(page.climb(element, BOX_MAX_WORDS))
        elif patterns.PROMO_STRAPLINE.search(text):
            box = page.climb(element, BOX_MAX_WORDS)
            # A strapline alone may be story text; inside a box with a control it is a promo.
            if box is not element and (box.find(".//a") is not None or box.find(".//button") is not None):
                found.append(box)
    return found


def _headline_link(item: HtmlElement) -> bool:
    return any(_words(link.text_content()) >= 3 for link in item.iter("a") if link.get("href"))


def _is_teaser(page: PageTree, item: HtmlElement) -> bool:
    """A card: a headline link with a little text, and the link, a heading or a date is most of it."""
    words = page.words.get(item, 0)
    if item.tag == "p" or not 0 < words <= TEASER_MAX_WORDS or not _headline_link(item):
        return False
    link_words = sum(page.words.get(link, 0) for link in item.iter("a"))
    has_marker = any(True for _ in item.iter("h2", "h3", "h4", "h5", "h6", "time"))
    return has_marker or link_words >= 0.25 * words


def related_stories(page: PageTree) -> list[HtmlElement]:
    """Lists and grids of teasers: at least three items, most of them cards of another story."""
    # Only a parent of a short item holding a headline link can be a teaser list.
    containers: dict[HtmlElement, None] = {}
    for link in page.root.iter("a"):
        if link.get("href") and page.words.get(link, 0) >= 3:
            item = link
            while item.getparent() is not None and page.words.get(item, 0) <= TEASER_MAX_WORDS:
                containers[item.getparent()] = None
                item = item.getparent()
    found = []
    for element in containers:
        if element.tag in _STORY_TAGS or element.tag == "p" or element.find(".//h1") is not None:
            continue
        items = [child for child in element if isinstance(child.tag, str)]
        if len(items) < 3:
            continue
        teasers = sum(1 for item in items if _is_teaser(page, item))
        if teasers >= 3 and teasers >= 0.6 * len(items):
            block = page.climb(element, page.words[element] + 8)
            heading = block.getprevious()
            if heading is not None and isinstance(heading.tag, str) and page.words.get(heading, 99) <= 6:
                if heading.tag in _HEADINGS or patterns.RELATED_HEADING.match(page.text(heading)):
                    found.append(heading)
            found.append(block)
    return found


def share_bar(page: PageTree) -> list[HtmlElement]:
    """Rows of share and bookmark buttons."""
    links: Counter[HtmlElement] = Counter()
    share_links: Counter[HtmlElement] = Counter()
    labelled: Counter[HtmlElement] = Counter()
    for link in page.root.iter("a", "button"):
        is_share = bool(patterns.SHARE_HREF.search(link.get("href") or ""))
        is_label = page.words.get(link, 0) <= 8 and bool(patterns.SHARE_LABEL.match(page.text(link)))
        for row in page.small_ancestors(link, SHARE_MAX_WORDS):
            links[row] += 1
            share_links[row] += is_share
            labelled[row] += is_label
    return [page.climb(row, SHARE_MAX_WORDS) for row in links
            if share_links[row] >= 2 or (labelled[row] >= 3 and labelled[row] >= 0.8 * links[row])]


def media_player(page: PageTree) -> list[HtmlElement]:
    """Embedded players with their fallback text and titles."""
    return [page.climb(element, MEDIA_MAX_WORDS) for element in page.root.iter(*_MEDIA_TAGS)]


def _is_image_wrapper(element: HtmlElement) -> bool:
    images = [child for child in element if child.tag in ("img", "picture") or (
        isinstance(child.tag, str) and child.find(".//img") is not None and not _words(child.text_content()))]
    return len(images) == 1


def caption(page: PageTree) -> list[HtmlElement]:
    """Photo captions and credits: figures, and an image with a short text as its only companion."""
    found = [element for element in page.root.iter("figure", "figcaption") if page.words.get(element, 0) <= CAPTION_MAX_WORDS]
    for element, count in page.words.items():
        if not 0 < count <= CAPTION_MAX_WORDS or element.tag in _STORY_TAGS | {"figure", "header"}:
            continue
        by_class = element.tag != "a" and patterns.CAPTION_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}")
        if not by_class and (len(element) < 2 or sum(1 for c in element if isinstance(c.tag, str)) != 2
                             or not _is_image_wrapper(element)):
            continue
        if not any(True for _ in element.iter(*_HEADINGS, "h1")):  # a headline with its image is the story's header
            found.append(element)
    return found


def _is_hidden(element: HtmlElement) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (element.get("hidden") is not None or element.get("aria-hidden") == "true"
            or "display:none" in style or "visibility:hidden" in style
            or bool(patterns.HIDDEN_CLASS.search(element.get("class") or "")))


def hidden_element(page: PageTree) -> list[HtmlElement]:
    """Text a reader never sees: hidden, aria-hidden and screen-reader-only elements.

    A hidden container that holds several paragraphs (a collapsed "read more" body) is kept.
    """
    return [element for element in page.elements()
            if page.words.get(element, 0) and _is_hidden(element) and not page.is_story_like(element)]


def advertisement(page: PageTree) -> list[HtmlElement]:
    """"Advertisement" labels and the empty slots around them."""
    return [page.climb(element, 3) for element, text in page.short_texts(3) if patterns.ADVERTISEMENT_LABEL.match(text)]


def tag_list(page: PageTree) -> list[HtmlElement]:
    """Lists of topic and tag links."""
    tag_links: Counter[HtmlElement] = Counter()
    tag_words: Counter[HtmlElement] = Counter()
    for link in page.root.iter("a"):
        href = link.get("href") or ""
        if link.get("rel") == "tag" or any(part in href for part in _TAG_HREF_PARTS):
            for block in page.small_ancestors(link, 40):
                tag_links[block] += 1
                tag_words[block] += page.words.get(link, 0)
    return [page.climb(block, page.words[block] + 3) for block in tag_links
            if tag_links[block] >= 2 and tag_words[block] >= 0.6 * page.words[block]]


def cookie_notice(page: PageTree) -> list[HtmlElement]:
    """Cookie and consent banners."""
    found = []
    for element in page.root.iter():
        own = f"{element.text or ''} {element.tail or ''}" if isinstance(element.tag, str) else ""
        if "cookie" not in own.lower():
            continue
        for block in (element, *page.small_ancestors(element, 60)):
            if page.words.get(block, 0) <= 60 and patterns.COOKIE_NOTICE.search(page.text(block)):
                found.append(page.climb(block, BOX_MAX_WORDS))
                break
    return found


def comment_section(page: PageTree) -> list[HtmlElement]:
    """Comment forms and widgets."""
    found = [page.climb(area, BOX_MAX_WORDS) for area in page.root.iter("textarea")]
    for element, text in page.short_texts(8):
        if element.tag in _HEADINGS | {"a", "button", "span", "div", "p"} and patterns.COMMENT_WIDGET.match(text):
            found.append(page.climb(element, 8))
    return found


BLOCK_RULES: tuple[tuple[str, BlockRule], ...] = (
    ("hidden_element", hidden_element),
    ("newsletter_box", newsletter_box),
    ("related_stories", related_stories),
    ("share_bar", share_bar),
    ("media_player", media_player),
    ("caption", caption),
    ("advertisement", advertisement),
    ("tag_list", tag_list),
    ("comment_section", comment_section),
    ("cookie_notice", cookie_notice),
)


def remove_blocks(root: HtmlElement) -> dict[str, int]:
    """Apply every block rule to ``root`` in place; return how many blocks each removed.

    All rules see the same snapshot; a block claimed by several rules, or inside
    another removed block, counts once, for the first rule that claimed it.
    """
    page = PageTree(root)
    claims: dict[HtmlElement, str] = {}
    for name, rule in BLOCK_RULES:
        for element in rule(page):
            claims.setdefault(element, name)
    removed: dict[str, int] = {}
    for element, name in claims.items():
        if any(ancestor in claims for ancestor in element.iterancestors()):
            continue
        element.drop_tree()
        removed[name] = removed.get(name, 0) + 1
    return removed
